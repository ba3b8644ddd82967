"""Canonical JSON (RFC 8785) and strict parsing: known answers, and every refusal with its `problem`."""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest

from modnet.canonical import MAX_JSON_DEPTH, canonical_bytes, canonical_json, json_pointer, parse_json_document
from modnet.errors import CanonicalEncodingError, MetadataParseError

# RFC 8785 appendix B: IEEE 754 bit patterns and their canonical text.
RFC8785_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def double(bits: str) -> float:
    return float(struct.unpack(">d", bytes.fromhex(bits))[0])


@pytest.mark.parametrize(("bits", "text"), RFC8785_NUMBERS)
def test_numbers_are_written_as_ecmascript_writes_them(bits: str, text: str) -> None:
    assert canonical_json(double(bits)) == text


def test_rfc8785_example_document() -> None:
    text = (
        b'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        b' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
    )
    expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    assert canonical_bytes(parse_json_document(text)) == expected.encode()


def test_members_are_sorted_by_utf16_code_units() -> None:
    document = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "\u00f6": 7}
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 (code point order would not).
    assert canonical_json(document) == '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\U0001f600":5,"\ufb33":3}'


def test_strings_are_escaped_as_json_stringify_does() -> None:
    assert canonical_json("\u0000\u001f\u007f\u2028\"\\/\t\n\b\f\r") == '"\\u0000\\u001f\u007f\u2028\\"\\\\/\\t\\n\\b\\f\\r"'


def test_integral_floats_and_negative_zero() -> None:
    assert canonical_json([1.0, -0.0, 0, 100, 1e21, 1e-7, 123456789012345680000.0]) == "[1,0,0,100,1e+21,1e-7,123456789012345680000]"


@pytest.mark.parametrize(
    ("value", "path", "problem"),
    [
        ({"a": [1, math.nan]}, "/a/1", "number NaN is not finite; JSON has no NaN or Infinity"),
        ({"a": math.inf}, "/a", "number Infinity is not finite; JSON has no NaN or Infinity"),
        ({"a/b": {"c~d": -math.inf}}, "/a~1b/c~0d", "number -Infinity is not finite; JSON has no NaN or Infinity"),
        (["\ud800"], "/0", "string contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding"),
        ({"\udc00": 1}, "/\udc00", "property name contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding"),
        ({"n": 2**53}, "/n", None),
        ({"s": {1, 2}}, "/s", "value is a set object; only dicts, lists, strings, finite numbers, booleans and None can be encoded"),
        ({1: "x"}, "", "property name 1 is a int; JSON property names are strings"),
    ],
)
def test_what_cannot_be_encoded_is_named_with_its_path(value: Any, path: str, problem: str | None) -> None:
    with pytest.raises(CanonicalEncodingError) as raised:
        canonical_bytes(value)
    assert raised.value.code == "CANONICAL_ENCODING"
    assert raised.value.path == path
    if problem is not None:
        assert raised.value.problem == problem


def test_the_first_problem_reported_is_the_first_in_canonical_order() -> None:
    # U+1F600 (surrogates D83D DE00) sorts before U+FB33 by UTF-16 code units, after it by code points.
    with pytest.raises(CanonicalEncodingError) as raised:
        canonical_bytes({"\ufb33": math.nan, "\U0001f600": math.nan})
    assert raised.value.path == "/\U0001f600"


def test_circular_references_are_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(CanonicalEncodingError, match="circular reference"):
        canonical_bytes({"a": loop})
    shared = [1]
    assert canonical_bytes({"a": shared, "b": shared}) == b'{"a":[1],"b":[1]}'  # shared, not circular


def test_json_pointer_escapes() -> None:
    assert json_pointer("", "a/b~c") == "/a~1b~0c"
    assert json_pointer("/x", 3) == "/x/3"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xef\xbb\xbf{}", "byte-order-mark"),
        (b'{"a": "\xff"}', "invalid-utf8"),
        (b'{"a": "\xed\xa0\x80"}', "invalid-utf8"),  # an encoded surrogate
        (b'{"a": "\xc0\xaf"}', "invalid-utf8"),  # overlong
        (b"{", "invalid-json"),
        (b"", "invalid-json"),
        (b"NaN", "invalid-json"),
        (b'{"a": Infinity}', "invalid-json"),
        (b"[1,]", "invalid-json"),
        (b"{'a': 1}", "invalid-json"),
        (b'"\x01"', "invalid-json"),
        (b"01", "invalid-json"),
        (b'{"a": 1, "a": 2}', "duplicate-key"),
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "too-deep"),
    ],
)
def test_malformed_documents_are_refused_with_their_problem(data: bytes, problem: str) -> None:
    with pytest.raises(MetadataParseError) as raised:
        parse_json_document(data)
    assert raised.value.code == "METADATA_PARSE"
    assert raised.value.problem == problem


def test_size_limit_is_checked_first() -> None:
    with pytest.raises(MetadataParseError) as raised:
        parse_json_document(b"\xef\xbb\xbf" + b" " * 100, max_bytes=64)
    assert raised.value.problem == "too-large"
    assert parse_json_document(b" " * 60 + b"[1]", max_bytes=64) == [1]


def test_nesting_up_to_the_limit_is_fine() -> None:
    deep = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert parse_json_document(deep) is not None
    # brackets inside strings do not count
    assert parse_json_document(b'["' + b"[" * 100 + b'"]') == ["[" * 100]


def test_the_first_duplicate_in_text_order_is_reported_with_its_path() -> None:
    with pytest.raises(MetadataParseError) as raised:
        parse_json_document(b'{"a": {"b": 1, "b": 2}, "c": [{}, {"d\\u0041": 1, "dA": 2}], "a": 0}')
    assert raised.value.path == "/a/b"
    assert raised.value.message == 'duplicate property "b" in /a; each property may appear only once'
    with pytest.raises(MetadataParseError) as raised:
        parse_json_document(b'{"c": [{}, {"d\\u0041": 1, "dA": 2}]}')
    assert raised.value.path == "/c/1/dA"  # escaped and plain spellings of one name are one name
    with pytest.raises(MetadataParseError, match=r"in \(root\)"):
        parse_json_document(b'{"x": 1, "x": 1}')


def test_numbers_are_read_as_javascript_reads_them() -> None:
    value = parse_json_document(b"[9007199254740991, 9007199254740993, -9007199254740993, 1e400, 12345678901234567890123]")
    assert value[0] == 9007199254740991 and isinstance(value[0], int)
    assert value[1] == 9007199254740992.0 and isinstance(value[1], float)  # the nearest double, as in JS
    assert value[2] == -9007199254740992.0
    assert value[3] == math.inf
    assert canonical_json(value[:3] + value[4:]) == "[9007199254740991,9007199254740992,-9007199254740992,1.2345678901234568e+22]"


def test_a_huge_integer_literal_does_not_hit_pythons_digit_limit() -> None:
    assert parse_json_document(b"1" + b"0" * 5000) == math.inf
