"""Canonical JSON (RFC 8785, "JCS") and strict JSON document parsing.

Mirrors ``lib/types/canonical.ts``. Canonical form is what Mod-Net hashes,
signs and size-limits: object members sorted by the UTF-16 code units of their
names, no insignificant whitespace, numbers written as ECMAScript writes them
(``1.0`` → ``1``, ``-0`` → ``0``, ``1e21`` → ``1e+21``) and strings escaped as
``JSON.stringify`` escapes them. The encoding itself is the ``rfc8785``
package's; this module checks first that the value is JSON data and says
where it is not, as the TypeScript library does.

Parsing is strict like ``parseJsonDocument``: valid UTF-8 without a byte order
mark, one JSON value, no repeated member names, at most 32 levels of nesting,
and numbers as JavaScript reads them (an integer beyond 2^53 − 1 becomes the
nearest double, so both languages see the same value).
"""

from __future__ import annotations

import json
import math
from typing import Any, Union

import rfc8785

from .errors import CanonicalEncodingError, MetadataParseError, display_path

JsonValue = Union[None, bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"]]
"""A JSON value as Python holds it (arrays may also be given as tuples)."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a parsed document may have (schema v1 needs 4)."""

MAX_SAFE_INTEGER = 2**53 - 1
"""JavaScript's ``Number.MAX_SAFE_INTEGER``: JSON numbers beyond it are not exact as doubles."""


def json_pointer(base: str, token: str | int) -> str:
    """Appends one reference token to a JSON Pointer (RFC 6901), escaping ``~`` and ``/``."""
    return f"{base}/{str(token).replace('~', '~0').replace('/', '~1')}"


def _has_lone_surrogate(value: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in value)


def _check_string(value: str, path: str, what: str) -> None:
    if _has_lone_surrogate(value):
        raise CanonicalEncodingError(path, f"{what} contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding")


def _check(value: object, path: str, ancestors: set[int]) -> None:
    """Raises :class:`CanonicalEncodingError` at the first value (depth first, keys sorted) that is not JSON data."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        _check_string(value, path, "string")
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalEncodingError(
                path,
                f"integer {value} is beyond ±(2^53 − 1), which a JSON number (an IEEE double) cannot hold exactly; "
                "convert it to a float or a string first",
            )
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            shown = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            raise CanonicalEncodingError(path, f"number {shown} is not finite; JSON has no NaN or Infinity")
        return
    if isinstance(value, (list, tuple, dict)):
        if id(value) in ancestors:
            raise CanonicalEncodingError(path, "value contains a circular reference")
        ancestors.add(id(value))
        if isinstance(value, dict):
            keys = list(value.keys())
            for key in keys:
                if not isinstance(key, str):
                    raise CanonicalEncodingError(
                        path, f"property name {key!r} is a {type(key).__name__}; JSON property names are strings"
                    )
            for key in sorted(keys, key=_utf16_key):
                child = json_pointer(path, key)
                _check_string(key, child, "property name")
                _check(value[key], child, ancestors)
        else:
            for index, item in enumerate(value):
                _check(item, json_pointer(path, index), ancestors)
        ancestors.discard(id(value))
        return
    raise CanonicalEncodingError(
        path,
        f"value is a {type(value).__name__} object; only dicts, lists, strings, finite numbers, booleans and None can be encoded",
    )


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def canonical_bytes(value: object) -> bytes:
    """UTF-8 bytes of the RFC 8785 canonical JSON text of ``value``: the bytes Mod-Net hashes and signs.

    :raises CanonicalEncodingError: if ``value`` (at any depth) is not JSON data;
        ``.path`` says where (a JSON Pointer) and ``.problem`` what.
    """
    _check(value, "", set())
    try:
        return bytes(rfc8785.dumps(value))  # type: ignore[arg-type]  # checked by _check above
    except rfc8785.CanonicalizationError as error:  # pragma: no cover - _check rejects all of these first
        raise CanonicalEncodingError("", str(error)) from error


def canonical_json(value: object) -> str:
    """The RFC 8785 canonical JSON text of ``value`` (see :func:`canonical_bytes`)."""
    return canonical_bytes(value).decode("utf-8")


# --- strict parsing -----------------------------------------------------------


def _parse_int(text: str) -> int | float:
    """An integer literal as JavaScript reads it: exact up to 2^53 − 1, the nearest double beyond."""
    if len(text) > 17:  # more digits than any safe integer; also keeps int() from its digit limit
        return float(text)
    number = int(text)
    return number if abs(number) <= MAX_SAFE_INTEGER else float(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _nesting_depth(text: str, limit: int) -> int:
    """How deep arrays and objects nest in ``text`` (strings skipped), counting up to ``limit + 1``."""
    depth = 0
    deepest = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                i += 1
        elif c in "{[":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
        elif c in "}]":
            depth -= 1
        i += 1
    return deepest


class _Frame:
    __slots__ = ("keys", "path", "index", "key", "expect_key")

    def __init__(self, keys: set[str] | None, path: str) -> None:
        self.keys = keys
        self.path = path
        self.index = 0
        self.key = ""
        self.expect_key = True


def _find_duplicate_key(text: str) -> tuple[str, str, str] | None:
    """The first repeated member name as ``(key, parent path, path)``; ``text`` must be valid JSON."""
    stack: list[_Frame] = []

    def child_path() -> str:
        if not stack:
            return ""
        top = stack[-1]
        return json_pointer(top.path, top.index) if top.keys is None else json_pointer(top.path, top.key)

    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            escaped = False
            while True:
                d = text[j]
                if d == "\\":
                    escaped = True
                    j += 2
                elif d == '"':
                    break
                else:
                    j += 1
            top = stack[-1] if stack else None
            if top is not None and top.keys is not None and top.expect_key:
                key = json.loads(text[i : j + 1]) if escaped else text[i + 1 : j]
                if key in top.keys:
                    return key, top.path, json_pointer(top.path, key)
                top.keys.add(key)
                top.key = key
                top.expect_key = False
            i = j
        elif c in "{[":
            stack.append(_Frame(set() if c == "{" else None, child_path()))
        elif c in "}]":
            stack.pop()
        elif c == ",":
            if stack:
                top = stack[-1]
                if top.keys is None:
                    top.index += 1
                else:
                    top.expect_key = True
        i += 1
    return None


def parse_json_document(data: bytes, *, max_bytes: int | None = None, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parses a JSON document from bytes, strictly, as ``parseJsonDocument`` does.

    The bytes must be valid UTF-8 without a byte order mark and one JSON value
    (RFC 8259: no NaN or Infinity); objects must not repeat a member name (two
    readers could disagree about which one counts); arrays and objects may
    nest at most ``max_depth`` deep. Integers beyond 2^53 − 1 are read as the
    nearest float, as JavaScript reads them.

    :raises MetadataParseError: with ``.problem`` = ``too-large`` | ``too-deep`` |
        ``byte-order-mark`` | ``invalid-utf8`` | ``invalid-json`` | ``duplicate-key``.
    """
    raw = bytes(data)
    if max_bytes is not None and len(raw) > max_bytes:
        raise MetadataParseError("too-large", f"document is {len(raw)} bytes, more than the {max_bytes}-byte limit")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise MetadataParseError(
            "byte-order-mark", "document starts with a UTF-8 byte order mark; JSON documents must not have one"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MetadataParseError("invalid-utf8", "document is not valid UTF-8 text") from error
    if _nesting_depth(text, max_depth) > max_depth:
        raise MetadataParseError("too-deep", f"document nests arrays or objects more than {max_depth} levels deep")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise MetadataParseError("invalid-json", f"document is not valid JSON: {error}") from error
    duplicate = _find_duplicate_key(text)
    if duplicate is not None:
        key, parent, path = duplicate
        raise MetadataParseError(
            "duplicate-key",
            f'duplicate property "{key}" in {display_path(parent)}; each property may appear only once',
            path=path,
        )
    return value
