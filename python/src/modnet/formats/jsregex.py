"""Regular expressions that match what JavaScript's match.

The schema's ``pattern`` keywords and the TypeScript format checks are
ECMAScript regular expressions. Python's ``re`` differs in ways that matter
for validation: ``$`` also matches before a final newline, ``\\d`` and ``\\w``
match non-ASCII digits and letters, ``\\s`` has another idea of whitespace,
``.`` matches ``\\r`` and U+2028. :func:`compile_js` translates a pattern so
Python accepts exactly the strings JavaScript accepts.
"""

from __future__ import annotations

import functools
import re

JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""What ECMAScript's ``\\s`` matches and ``String.prototype.trim`` removes (WhiteSpace and LineTerminator)."""

_WS_CLASS_BODY = "\\t\\n\\x0b\\x0c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_NOT_LINE_TERMINATOR = "[^\\n\\r\\u2028\\u2029]"


def js_trim(value: str) -> str:
    """``String.prototype.trim``: strips ECMAScript whitespace and line terminators."""
    return value.strip(JS_WHITESPACE)


def translate(pattern: str) -> str:
    """Rewrites an ECMAScript pattern (no ``u``-only syntax) into Python ``re`` syntax with the same meaning."""
    out: list[str] = []
    in_class = False
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e == "s":
                out.append(_WS_CLASS_BODY if in_class else f"[{_WS_CLASS_BODY}]")
            elif e == "S" and not in_class:
                out.append(f"[^{_WS_CLASS_BODY}]")
            elif e == "/":
                out.append("/")
            else:
                out.append(c + e)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            # A "]" or "^]" right after "[" is literal in Python but closes an empty class in JS;
            # none of the patterns used here has one.
        elif c == "$":
            out.append(r"\Z")
        elif c == ".":
            out.append(_NOT_LINE_TERMINATOR)
        else:
            out.append(c)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_js(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """Compiles an ECMAScript pattern for use with ``search`` (``RegExp.prototype.test``)."""
    flags = re.ASCII | (re.IGNORECASE if ignore_case else 0)
    return re.compile(translate(pattern), flags)


def js_test(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """``new RegExp(pattern, ignore_case ? 'i' : '').test(value)``."""
    return compile_js(pattern, ignore_case).search(value) is not None
