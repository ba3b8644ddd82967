"""SemVer versions and npm-style version ranges, checked as the TypeScript library checks them.

``is_semver_version`` is ``lib/types/validate.ts``'s ``isSemverVersion``: the
semver.org grammar plus npm ``semver``'s limits (at most 256 characters,
major/minor/patch at most 2^53 − 1). ``is_semver_range`` is its
``isSemverRange``: not blank, and accepted by npm ``semver`` 7's
``validRange`` (strict mode). The latter is a port of the parts of
``semver/classes/range.js`` that decide validity: the range is desugared
(hyphen ranges, ``^``, ``~``, x-ranges, ``*``) into comparators exactly as npm
does it, and every comparator must then be an operator and a full version.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .jsregex import JS_WHITESPACE, compile_js, js_trim

MAX_LENGTH = 256
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6

SEMVER_2_REGEX = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
"""The regular expression of https://semver.org (SemVer 2.0.0)."""

# --- npm semver's regular expressions (internal/re.js), in their "safe" form ---------------------

_LDN = "[a-zA-Z0-9-]"


def _safe(source: str) -> str:
    """npm semver's makeSafeRegex: bounds the repetition of \\s, \\d and [a-zA-Z0-9-]."""
    for token, limit in (("\\s", 1), ("\\d", MAX_LENGTH), (_LDN, _MAX_SAFE_BUILD_LENGTH)):
        source = source.replace(f"{token}*", f"{token}{{0,{limit}}}").replace(f"{token}+", f"{token}{{1,{limit}}}")
    return source


_NUMERIC = "0|[1-9]\\d*"
_NON_NUMERIC = f"\\d*[a-zA-Z-]{_LDN}*"
_MAIN = f"({_NUMERIC})\\.({_NUMERIC})\\.({_NUMERIC})"
_MAIN_LOOSE = "(\\d+)\\.(\\d+)\\.(\\d+)"
_PRE_ID = f"(?:{_NON_NUMERIC}|{_NUMERIC})"
_PRE_ID_LOOSE = f"(?:{_NON_NUMERIC}|\\d+)"
_PRERELEASE = f"(?:-({_PRE_ID}(?:\\.{_PRE_ID})*))"
_PRERELEASE_LOOSE = f"(?:-?({_PRE_ID_LOOSE}(?:\\.{_PRE_ID_LOOSE})*))"
_BUILD_ID = f"{_LDN}+"
_BUILD = f"(?:\\+({_BUILD_ID}(?:\\.{_BUILD_ID})*))"
_FULL_PLAIN = f"v?{_MAIN}{_PRERELEASE}?{_BUILD}?"
_LOOSE_PLAIN = f"[v=\\s]*{_MAIN_LOOSE}{_PRERELEASE_LOOSE}?{_BUILD}?"
_GTLT = "((?:<|>)?=?)"
_XRANGE_ID = f"{_NUMERIC}|x|X|\\*"
_XRANGE_PLAIN = (
    f"[v=\\s]*({_XRANGE_ID})(?:\\.({_XRANGE_ID})(?:\\.({_XRANGE_ID})(?:{_PRERELEASE})?{_BUILD}?)?)?"
)

_FULL = compile_js(_safe(f"^{_FULL_PLAIN}$"))
_XRANGE = compile_js(_safe(f"^{_GTLT}\\s*{_XRANGE_PLAIN}$"))
_TILDE_TRIM = compile_js(_safe("(\\s*)(?:~>?)\\s+"))
_TILDE = compile_js(_safe(f"^(?:~>?){_XRANGE_PLAIN}$"))
_CARET_TRIM = compile_js(_safe("(\\s*)(?:\\^)\\s+"))
_CARET = compile_js(_safe(f"^(?:\\^){_XRANGE_PLAIN}$"))
_COMPARATOR = compile_js(_safe(f"^{_GTLT}\\s*({_FULL_PLAIN})$|^$"))
_COMPARATOR_TRIM = compile_js(_safe(f"(\\s*){_GTLT}\\s*({_LOOSE_PLAIN}|{_XRANGE_PLAIN})"))
_HYPHEN_RANGE = compile_js(_safe(f"^\\s*({_XRANGE_PLAIN})\\s+-\\s+({_XRANGE_PLAIN})\\s*$"))
_STAR = compile_js(_safe("(<|>)?=?\\s*\\*"))
_GTE0 = compile_js(_safe("^\\s*>=\\s*0\\.0\\.0\\s*$"))
_BUILD_STRIP = compile_js(_BUILD)  # range.js strips build metadata with the unbounded source
_BUILD_SAFE = compile_js(_safe(_BUILD))
_WHITESPACE_RUN = re.compile(f"[{re.escape(JS_WHITESPACE)}]+")


class _Invalid(Exception):
    """A comparator npm semver would refuse (its constructor throws)."""


def is_semver_version(value: str) -> bool:
    """A SemVer 2.0.0 version (no leading ``v``), within npm semver's limits."""
    if compile_js(SEMVER_2_REGEX).search(value) is None:
        return False
    try:
        _parse_version(value)
    except _Invalid:
        return False
    return True


def _parse_version(version: str) -> None:
    """npm semver's ``new SemVer(version)`` in strict mode: raises :class:`_Invalid` where it throws."""
    if len(version.encode("utf-16-le", "surrogatepass")) // 2 > MAX_LENGTH:
        raise _Invalid("version is longer than 256 characters")
    match = _FULL.search(js_trim(version))
    if match is None:
        raise _Invalid(f"invalid version {version}")
    for component in match.group(1, 2, 3):
        if int(component) > MAX_SAFE_INTEGER:
            raise _Invalid("version component too large")


def is_semver_range(value: str) -> bool:
    """A range npm's semver understands, e.g. ``^1.2.0``, ``~2.1``, ``>=1.0.0 <2.0.0``, ``1.x || 2.x``."""
    if js_trim(value) == "":
        return False
    try:
        raw = _WHITESPACE_RUN.sub(" ", js_trim(value))
        for part in raw.split("||"):
            _parse_range(js_trim(part))
    except _Invalid:
        return False
    return True


def _is_x(identifier: str | None) -> bool:
    return not identifier or identifier.lower() == "x" or identifier == "*"


def _plus_one(number: str | int) -> str:
    return str(int(number) + 1)


def _sub_first(pattern: re.Pattern[str], value: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``value.replace(regexp, fn)`` for a non-global regexp: the first match only."""
    return pattern.sub(replace, value, count=1)


def _hyphen_replace(match: re.Match[str]) -> str:
    (from_, f_major, f_minor, f_patch, f_pre, _f_build, to, t_major, t_minor, t_patch, t_pre, _t_build) = match.groups()
    if _is_x(f_major):
        from_ = ""
    elif _is_x(f_minor):
        from_ = f">={f_major}.0.0"
    elif _is_x(f_patch):
        from_ = f">={f_major}.{f_minor}.0"
    else:
        from_ = f">={from_}"
    if _is_x(t_major):
        to = ""
    elif _is_x(t_minor):
        to = f"<{_plus_one(t_major)}.0.0-0"
    elif _is_x(t_patch):
        to = f"<{t_major}.{_plus_one(t_minor)}.0-0"
    elif t_pre:
        to = f"<={t_major}.{t_minor}.{t_patch}-{t_pre}"
    else:
        to = f"<={to}"
    return js_trim(f"{from_} {to}")


def _replace_tilde(match: re.Match[str]) -> str:
    major, minor, patch, pre = match.group(1, 2, 3, 4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0 <{_plus_one(major)}.0.0-0"
    if _is_x(patch):
        return f">={major}.{minor}.0 <{major}.{_plus_one(minor)}.0-0"
    if pre:
        return f">={major}.{minor}.{patch}-{pre} <{major}.{_plus_one(minor)}.0-0"
    return f">={major}.{minor}.{patch} <{major}.{_plus_one(minor)}.0-0"


def _replace_caret(match: re.Match[str]) -> str:
    major, minor, patch, pre = match.group(1, 2, 3, 4)
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0 <{_plus_one(major)}.0.0-0"
    if _is_x(patch):
        if major == "0":
            return f">={major}.{minor}.0 <{major}.{_plus_one(minor)}.0-0"
        return f">={major}.{minor}.0 <{_plus_one(major)}.0.0-0"
    suffix = f"-{pre}" if pre else ""
    if major == "0":
        if minor == "0":
            return f">={major}.{minor}.{patch}{suffix} <{major}.{minor}.{_plus_one(patch)}-0"
        return f">={major}.{minor}.{patch}{suffix} <{major}.{_plus_one(minor)}.0-0"
    return f">={major}.{minor}.{patch}{suffix} <{_plus_one(major)}.0.0-0"


def _replace_xrange(comp: str) -> str:
    comp = js_trim(comp)

    def replace(match: re.Match[str]) -> str:
        gtlt, major, minor, patch = match.group(1, 2, 3, 4)
        if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
            return comp
        x_major = _is_x(major)
        x_minor = x_major or _is_x(minor)
        any_x = x_minor or _is_x(patch)
        if gtlt == "=" and any_x:
            gtlt = ""
        pre = ""
        if x_major:
            return "<0.0.0-0" if gtlt in (">", "<") else "*"
        if gtlt and any_x:
            m: str | int = 0 if x_minor else minor
            p: str | int = 0
            big: str | int = major
            if gtlt == ">":
                gtlt = ">="
                if x_minor:
                    big, m, p = _plus_one(major), 0, 0
                else:
                    m, p = _plus_one(m), 0
            elif gtlt == "<=":
                gtlt = "<"
                if x_minor:
                    big = _plus_one(major)
                else:
                    m = _plus_one(m)
            if gtlt == "<":
                pre = "-0"
            return f"{gtlt}{big}.{m}.{p}{pre}"
        if x_minor:
            return f">={major}.0.0 <{_plus_one(major)}.0.0-0"
        if any_x:
            return f">={major}.{minor}.0 <{major}.{_plus_one(minor)}.0-0"
        return match.group(0)

    return _sub_first(_XRANGE, comp, replace)


def _each_word(comp: str, replace: Callable[[str], str]) -> str:
    return " ".join(replace(c) for c in _WHITESPACE_RUN.split(js_trim(comp)))


def _parse_comparator(comp: str) -> str:
    comp = _sub_first(_BUILD_SAFE, comp, lambda _m: "")
    comp = _each_word(comp, lambda c: _sub_first(_CARET, c, _replace_caret))
    comp = _each_word(comp, lambda c: _sub_first(_TILDE, c, _replace_tilde))
    comp = " ".join(_replace_xrange(c) for c in _WHITESPACE_RUN.split(comp))
    return _sub_first(_STAR, js_trim(comp), lambda _m: "")


def _check_comparator(comp: str) -> None:
    comp = " ".join(_WHITESPACE_RUN.split(js_trim(comp)))
    match = _COMPARATOR.search(comp)
    if match is None:
        raise _Invalid(f"invalid comparator: {comp}")
    if match.group(2):
        _parse_version(match.group(2))


def _parse_range(range_: str) -> None:
    range_ = _BUILD_STRIP.sub("", range_)
    range_ = _sub_first(_HYPHEN_RANGE, range_, _hyphen_replace)
    range_ = _COMPARATOR_TRIM.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}", range_)
    range_ = _TILDE_TRIM.sub(lambda m: f"{m.group(1)}~", range_)
    range_ = _CARET_TRIM.sub(lambda m: f"{m.group(1)}^", range_)
    joined = " ".join(_parse_comparator(comp) for comp in range_.split(" "))
    for comp in _WHITESPACE_RUN.split(joined):
        _check_comparator(_sub_first(_GTE0, js_trim(comp), lambda _m: ""))
