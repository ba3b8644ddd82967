"""SPDX license expressions, checked as the TypeScript library checks them.

A port of npm ``spdx-expression-parse`` 5 (``scan.js`` and ``parse.js``),
which ``lib/types/validate.ts`` uses, with its identifier lists copied into
:mod:`.spdx_ids`. It keeps that parser's behaviour, quirks included (case
matters for identifiers but not for ``AND``/``OR``/``WITH``; ``LicenseRef-``
and ``DocumentRef-`` take any id-string), so a license that one language
accepts the other accepts too. The text is read as UTF-16 code units, as
JavaScript reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .spdx_ids import EXCEPTION_IDS, LICENSE_IDS


class _Invalid(Exception):
    """The expression is not valid (spdx-expression-parse throws)."""


@dataclass(frozen=True)
class _Token:
    type: str  # OPERATOR | DOCUMENTREF | LICENSEREF | LICENSE | EXCEPTION
    string: str


@dataclass(frozen=True)
class License:
    """One license in a parsed expression (``plus``: ``+``, "or later"; ``exception``: the ``WITH`` exception)."""

    license: str
    plus: bool = False
    exception: str | None = None


@dataclass(frozen=True)
class Conjunction:
    """``left AND right`` or ``left OR right``."""

    conjunction: str  # "and" | "or"
    left: Node
    right: Node


Node = Union[License, Conjunction]

_OPERATORS: tuple[re.Pattern[str] | str, ...] = (
    re.compile(r"WITH", re.IGNORECASE | re.ASCII),
    re.compile(r"AND", re.IGNORECASE | re.ASCII),
    re.compile(r"OR", re.IGNORECASE | re.ASCII),
    "(",
    ")",
    ":",
    "+",
)
_SPACES = re.compile(r"[ ]*")
_IDSTRING = re.compile(r"[A-Za-z0-9\-.]+")


def _utf16_units(value: str) -> str:
    """The string with every astral character split into its two surrogates, so indexes count UTF-16 units."""
    return "".join(
        chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF)) if ord(c) >= 0x10000 else c
        for c in value
    )


def _scan(source: str) -> list[_Token]:
    index = 0
    tokens: list[_Token] = []

    def read(value: re.Pattern[str] | str) -> str | None:
        nonlocal index
        if isinstance(value, str):
            if source.startswith(value, index):
                index += len(value)
                return value
            return None
        # Like JavaScript's String.prototype.match: anchored patterns only at the start,
        # the others (the spaces and the id-string) anywhere in the rest.
        rest = source[index:]
        match = value.match(rest) if value in _OPERATORS else value.search(rest)
        if match is None:
            return None
        index += len(match.group(0))
        return match.group(0)

    def operator() -> _Token | None:
        string: str | None = None
        for possibility in _OPERATORS:
            string = read(possibility)
            if string:
                break
        if string == "+" and index > 1 and source[index - 2] == " ":
            raise _Invalid("Space before `+`")
        return _Token("OPERATOR", string.upper()) if string else None

    def expect_idstring() -> str:
        string = read(_IDSTRING)
        if not string:
            raise _Invalid(f"Expected idstring at offset {index}")
        return string

    def document_ref() -> _Token | None:
        return _Token("DOCUMENTREF", expect_idstring()) if read("DocumentRef-") else None

    def license_ref() -> _Token | None:
        return _Token("LICENSEREF", expect_idstring()) if read("LicenseRef-") else None

    def identifier() -> _Token | None:
        nonlocal index
        begin = index
        string = read(_IDSTRING)
        if string is not None and string in LICENSE_IDS:
            return _Token("LICENSE", string)
        if string is not None and string in EXCEPTION_IDS:
            return _Token("EXCEPTION", string)
        index = begin
        return None

    while index < len(source):
        read(_SPACES)
        if index >= len(source):
            break
        token = operator() or document_ref() or license_ref() or identifier()
        if token is None:
            raise _Invalid(f"Unexpected `{source[index]}` at offset {index}")
        tokens.append(token)
    return tokens


def _parse(tokens: list[_Token]) -> Node:
    index = 0

    def token() -> _Token | None:
        return tokens[index] if index < len(tokens) else None

    def parse_operator(operator: str) -> str | None:
        nonlocal index
        t = token()
        if t is not None and t.type == "OPERATOR" and t.string == operator:
            index += 1
            return t.string
        return None

    def parse_with() -> str | None:
        nonlocal index
        if parse_operator("WITH"):
            t = token()
            if t is not None and t.type == "EXCEPTION":
                index += 1
                return t.string
            raise _Invalid("Expected exception after `WITH`")
        return None

    def parse_license_ref() -> Node | None:
        nonlocal index
        begin = index
        string = ""
        t = token()
        if t is None:
            raise _Invalid("Unexpected end of input")  # parse.js reads `t.type` of null here and throws
        if t.type == "DOCUMENTREF":
            index += 1
            string += f"DocumentRef-{t.string}:"
            if not parse_operator(":"):
                raise _Invalid("Expected `:` after `DocumentRef-...`")
        t = token()
        if t is None:
            raise _Invalid("Unexpected end of input")
        if t.type == "LICENSEREF":
            index += 1
            string += f"LicenseRef-{t.string}"
            return License(string, exception=parse_with())
        index = begin
        return None

    def parse_license() -> Node | None:
        nonlocal index
        t = token()
        if t is not None and t.type == "LICENSE":
            index += 1
            plus = parse_operator("+") is not None
            return License(t.string, plus=plus, exception=parse_with())
        return None

    def parse_atom() -> Node | None:
        if parse_operator("("):
            expression = parse_expression()
            if not parse_operator(")"):
                raise _Invalid("Expected `)`")
            if expression is not None:
                return expression
        return parse_license_ref() or parse_license()

    def fold(operands: list[Node], conjunction: str) -> Node:
        node = operands[-1]
        for left in reversed(operands[:-1]):
            node = Conjunction(conjunction, left, node)
        return node

    def parse_expression() -> Node | None:
        # parse.js's right-recursive OR over AND over atoms, as loops (one Python frame per parenthesis level).
        alternatives: list[Node] = []
        while True:
            first = parse_atom()
            if first is None:
                if not alternatives:
                    return None
                raise _Invalid("Expected expression")
            conjuncts = [first]
            while parse_operator("AND"):
                following = parse_atom()
                if following is None:
                    raise _Invalid("Expected expression")
                conjuncts.append(following)
            alternatives.append(fold(conjuncts, "and"))
            if not parse_operator("OR"):
                return fold(alternatives, "or")

    node = parse_expression()
    if node is None or index < len(tokens):
        raise _Invalid("Syntax error")
    return node


def parse_spdx_expression(value: str) -> Node:
    """Parses an SPDX license expression like spdx-expression-parse; raises ``ValueError`` if it is not one."""
    try:
        return _parse(_scan(_utf16_units(value)))
    except (_Invalid, RecursionError) as error:
        raise ValueError(f"not an SPDX license expression: {error}") from None


def is_spdx_expression(value: str) -> bool:
    """An SPDX license expression, e.g. ``MIT``, ``Apache-2.0 OR MIT``, ``GPL-2.0-only WITH Classpath-exception-2.0``."""
    try:
        parse_spdx_expression(value)
    except ValueError:
        return False
    return True
