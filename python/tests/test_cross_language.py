"""Python and the TypeScript library on the same inputs: canonical bytes, CIDs, parse refusals,
schema issues, format verdicts, CID parsing and the messages a module key signs (at the same chain and
revision) must all agree.

The TypeScript side is tests/support/ts_reference.mts, run once for the whole module by the
repository's node 24 (it imports lib/types/canonical.ts, lib/types/validate.ts, lib/types/signature.ts and
lib/ipfs/cid.ts).
"""

from __future__ import annotations

import base64
import json
import math
import random
import struct
from pathlib import Path
from typing import Any

import pytest

import modnet.unixfs as unixfs
from modnet.canonical import canonical_bytes, parse_json_document
from modnet.cid import is_cid, parse_cid
from modnet.errors import CanonicalEncodingError, IPFSError, MetadataParseError, ModnetError
from modnet.formats import is_date_time, is_email, is_semver_range, is_semver_version, is_spdx_expression, is_uri
from modnet.formats.spdx_ids import EXCEPTION_IDS, LICENSE_IDS
from modnet.signature import SignatureBinding, legacy_signature_message, signature_message
from modnet.unixfs import compute_cid, unixfs_blocks
from modnet.validate import metadata_issues
from ts_bridge import ask, b64

ROOT = Path(__file__).resolve().parents[2]
MiB = 1 << 20


def blob(size: int) -> bytes:
    pattern = bytes((i * 31 + 7) % 251 for i in range(251))
    return (pattern * (size // 251 + 1))[:size]


def double(bits: str) -> float:
    return float(struct.unpack(">d", bytes.fromhex(bits))[0])


RFC8785_BITS = [
    "0000000000000000", "8000000000000000", "0000000000000001", "8000000000000001", "7fefffffffffffff",
    "ffefffffffffffff", "4340000000000000", "c340000000000000", "4430000000000000", "44b52d02c7e14af5",
    "44b52d02c7e14af6", "44b52d02c7e14af7", "444b1ae4d6e2ef4e", "444b1ae4d6e2ef4f", "444b1ae4d6e2ef50",
    "3eb0c6f7a0b5ed8c", "3eb0c6f7a0b5ed8d", "41b3de4355555553", "41b3de4355555554", "41b3de4355555555",
    "41b3de4355555556", "41b3de4355555557", "becbf647612f3696", "43143ff3c1cb0959",
]  # fmt: skip

DOCUMENTS: dict[str, bytes] = {
    "hello-module.json": (ROOT / "examples" / "hello-module.json").read_bytes(),
    "rfc8785 example": (
        b'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        b' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
    ),
    "rfc8785 sorting": (
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",'
        ' "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}'
    ).encode(),
    "rfc8785 numbers": ("[" + ", ".join(repr(double(bits)) for bits in RFC8785_BITS if math.isfinite(double(bits))) + "]").encode(),
    "numbers": (
        b"[1e21, 1e20, 1e-7, 1e-6, -0, -0.0, 0.1, 1.0, 100, 123456789012345680000, 5e-324, 1.7976931348623157e308,"
        b" 0.000001, 9007199254740991, 9007199254740992, 9007199254740993, -9007199254740993, 18446744073709551616,"
        b" 1e16, 4.35, 0.30000000000000004, -1.5e-10, 2e-7, 333333333.33333329, 1E+2, 12e-1, 0e0, -0e-0]"
    ),
    "unicode": (
        '{"name": "Gr\\u00fc\\u00dfe \\u65e5\\u672c \\ud83d\\ude00 \\u2028 \\u0000\\u001f\\u007f \\"q\\" \\\\ / \\t\\n\\b\\f\\r",'
        ' "\\u00e9": 1, "e": 2, "\\ud83d\\ude00": 3, "\\ufb33": 4, "\\u20ac": 5, "\\r": 6, "1": 7, "": 8, "a\\u0000": 9,'
        ' "raw": "Grüße 日本 😀 \u2029 דּ"}'
    ).encode(),
    "nested ordering": b'{"b": {"z": [{"y": 2, "x": {"d": [], "c": {}}}], "a": null}, "a": {"\xc3\xa9": 0, "e": 1, "E": 2, "_": 3}, "A": [true, false]}',
    "deep": b"[" * 32 + b"1" + b"]" * 32,
    "infinity": b"[1, 1e400]",
    "lone surrogate": b'{"ok": "x", "bad": ["\\ud800"]}',
    "lone surrogate key": b'{"\\udc00": 1}',
    "first problem in utf-16 order": b'{"\\ufb33": "\\ud800", "\\ud83d\\ude00": "\\udfff"}',
    "scalars": b'"just a string"',
}

MALFORMED: dict[str, bytes] = {
    "bom": b"\xef\xbb\xbf{}",
    "bad utf-8": b'{"a": "\xff"}',
    "encoded surrogate": b'{"a": "\xed\xa0\x80"}',
    "overlong": b'{"a": "\xc0\xaf"}',
    "truncated": b"{",
    "empty": b"",
    "NaN": b"[NaN]",
    "trailing comma": b"[1,]",
    "single quotes": b"{'a': 1}",
    "control character": b'"\x01"',
    "leading zero": b"01",
    "two values": b"1 2",
    "duplicate": b'{"a": 1, "a": 2}',
    "nested duplicate": b'{"a": [{"b": 1, "b\\u0000": 2, "b": 3}]}',
    "too deep": b"[" * 33 + b"]" * 33,
    "too deep but invalid": b"[" * 40,
}

BLOB_SIZES = [0, 1, MiB, MiB + 1, 3 * MiB]

SMALL_IMPORTS = [(64 * 40 + 7, 64, 3), (1000, 10, 2), (64 * 9, 64, 3), (64 * 10, 64, 3), (5, 64, 3), (0, 64, 3), (64 * 27 + 1, 64, 3)]

HELLO = json.loads(DOCUMENTS["hello-module.json"])
INVALID_DOCUMENTS: list[Any] = [
    {
        "schema": "modnet/module-metadata/v2", "name": "Bad Name", "version": "v1.0", "description": "",
        "authors": [{"name": "x", "email": "nope", "url": "ftp://x", "extra": 1}, {"name": ""}, "me"],
        "license": "mit", "repository": "javascript:alert(1)", "homepage": "https://ok.example/",
        "keywords": ["ok", "ok", "Bad", "ok", 5],
        "artifacts": [
            {"cid": "notacid", "size": -1, "mediaType": "text", "sha256": "ABC"},
            {"cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "size": 1.5, "mediaType": "a/b", "sha256": "0" * 64, "name": ""},
            {"cid": "QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51", "size": 9007199254740992, "mediaType": "a/b; x=y", "sha256": "0" * 65},
        ],
        "endpoints": [{"url": "ftp://x", "protocol": "smtp", "description": "d"}, {"url": "wss://ok.example/", "x": 1}],
        "dependencies": {"Bad Dep": "^1.0.0", "ok": "not a range", "x" * 70: "1", "also-ok": "", "n": 5},
        "previous": "Qm123", "created": "2025-13-01T00:00:00Z",
        "signature": {"type": "ecdsa", "value": "0x" + "ab" * 64},
        "extra": 1, "x-ok": {"anything": [1, 2]},
    },
    {"name": 5, "version": None, "description": ["x"], "schema": 1, "signature": {"type": "rsa"}, "keywords": "k"},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "signature": {"type": "ed25519", "value": "0x" + "ab" * 65}},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "signature": {"value": "0x" + "ab" * 64}},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "keywords": [f"k{i}" for i in range(25)] + ["k1"]},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "dependencies": {f"d{i}": "*" for i in range(130)}},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "x-big": "a" * 70000},
    {"schema": "modnet/module-metadata/v1", "name": "a" * 65, "version": "1.0.0-" + "a" * 300, "description": "é" * 1025, "license": "(" * 300 + "MIT" + ")" * 300},
    {**HELLO, "authors": [{"name": "Jane", "email": "jane@example", "url": "https://example.org/\n"}], "created": "2025-01-31T12:00:00"},
    {"schema": "modnet/module-metadata/v1", "name": "a", "version": "1.0.0", "description": "d", "dependencies": {
        "by-key": {"key": "0x" + "ab" * 32}, "ecdsa": {"key": "0x02" + "cd" * 32, "version": "^1.2", "cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq"},
        "named": "^1.0.0", "no-key": {"version": "^1"}, "upper": {"key": "0x" + "AB" * 32}, "short": {"key": "0x" + "ab" * 31},
        "ss58": {"key": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}, "bad-pin": {"key": "0x" + "ab" * 32, "cid": "Qm123", "version": "latest"},
        "extra": {"key": "0x" + "ab" * 32, "name": "x"}, "empty": {}, "num": 5, "nul": None, "list": ["0x" + "ab" * 32], "key-num": {"key": 7},
    }},
    [],
    "text",
    None,
    {**HELLO, "x-é": 1, "é": 2, "x": None},
]  # fmt: skip


def fuzz(tokens: list[str], count: int, seed: int, longest: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(0, longest))) for _ in range(count)]


FORMAT_SAMPLES: dict[str, list[str]] = {
    "semver": [
        "1.2.3", "2.0.0-rc.1+build.5", "0.0.0", "v1.2.3", "1.2", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", " 1.2.3", "1.2.3\n",
        "9007199254740991.0.0", "9007199254740992.0.0", "1.2.3-" + "a" * 250, "1.2.3-" + "a" * 251, "1.2.3-a.-.b--c", "1.2.3+0001",
    ] + fuzz(["0", "1", "01", "9007199254740991", "9007199254740992", ".", "-", "+", "a", "rc", "x", "v", " ", "\n", "é", "1.2.3"], 400, 1),
    "semver-range": [
        "^1.2.0", "~2.1", ">=1.0.0 <2.0.0", "1.x || 2.x", "*", "", " ", "x", "latest", "1.2.3 - 2.3.4", ">=1.2.3-beta.1", "^01.2.3",
        "1.2.3.4", "v1.2.3", "=1.2.3", "> 1.2.3", "<=1.2", "~>1.2", "1.2.3 ||", "|| 1.2.3", "1.*.3", "^9007199254740992",
        "1.2.3 - 2.3.4 - 5", ">= 1.2.3 <\t2", "1.2.3\u00a0- 2", "~ 1.2", "^ 1.2", "> = 1", "<01.2.3", "1.2.3-0 - 1.2.3-1",
    ] + fuzz(["^", "~", "~>", ">", "<", ">=", "<=", "=", "1", "0", "2", "01", "1.2", "1.2.3", "x", "X", "*", ".", "-", " - ", "||", " ", "v",
              "1.2.3-rc.1", "+b", "\t", "9007199254740991", "9007199254740992"], 800, 2),
    "spdx": [
        "MIT", "Apache-2.0 OR MIT", "(MIT AND BSD-3-Clause) OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0+",
        "GPL-2.0 +", "LicenseRef-Proprietary", "DocumentRef-x:LicenseRef-y", "mit", "MIT and Apache-2.0", "MIT OR", "", "()", "() MIT",
        "(MIT", "MIT)", "MIT WITH", "@MIT", "MIT@", "MITx", "ANDROID", "MIT  OR  ISC", "MIT\tOR ISC", "😀MIT", "LicenseRef-", "(" * 200 + "MIT" + ")" * 200,
    ] + fuzz(["MIT", "Apache-2.0", "GPL-2.0", "GPL-2.0-only", "mit", " ", "AND", "and", "OR", "or", "WITH", "with", "Classpath-exception-2.0",
              "(", ")", "+", "LicenseRef-", "DocumentRef-", "x", ":", "-", ".", "😀", "@"], 800, 3),
    "email": [
        "jane@example.org", "a.b+c@sub.example.co", "nope", "jane@example", "jane@@example.org", "jané@example.org", "jane@example.org\n",
        "JANE@EXAMPLE.ORG", "a@b-.c", "a@-b.c", ".a@b.c", "a..b@c.d", "a@b.c.", "\u212a@example.org",
    ] + fuzz(["a", "B", ".", "@", "-", "example", "org", "+", "_", "é", "\n", " "], 300, 4),
    "uri": [
        "https://example.org/", "git+ssh://git@github.com/a/b.git", "urn:isbn:123", "https://example.org/a b", "example.org",
        "https://[::1]:8080/x?y#z", "https://exämple.org/", "mailto:a@b", "http://a:b@c/", "https://x/%zz", "https://x/%2F", "a:", "/a",
        "https://example.org/\n", "HTTPS://EXAMPLE.ORG", "ws://x", "https://[v1.x]/",
    ] + fuzz(["https", "http", ":", "//", "/", "example", ".", "org", "?", "#", "%20", "%", " ", "[", "]", "::1", "@", "é", "\u2028"], 400, 5),
    "date-time": [
        "2025-01-31T12:00:00Z", "2025-01-31t12:00:00.123+01:00", "2025-01-31 12:00:00Z", "2024-02-29T00:00:00Z", "2025-02-29T00:00:00Z",
        "2025-13-01T00:00:00Z", "2025-01-31T12:00:00", "2025-01-31T23:59:60Z", "2025-01-31T22:59:60-01:00", "2025-01-31T12:59:60Z",
        "2025-01-31T24:00:00Z", "2025-01-31\u00a012:00:00Z", "2025-01-31\x1c12:00:00Z", "2025-01-31T12:00:00+24:00", "2025-01-31T12:00:00+0100",
        "2000-02-29T00:00:00z", "1900-02-29T00:00:00Z", "2025-01-31TT12:00:00Z", "2025-01-31T12:00:00.Z",
    ] + fuzz(["2025", "-", "01", "31", "T", "t", " ", "12", ":", "00", "60", "Z", "+", "01:00", ".5", "\u2028"], 400, 6),
    "cid": [
        "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51",
        "zb2rhZMRM9fW2kpkcrdPEhhnKCiahFbYuSHEHoDSa6JszxLtL", "k2cwue9niv17jww0sw3kj1r6restqd0uc9a7rcrvw29d9iamgfzknp85",
        "BAFKREIAJOPBKHKAMXT6LWREMVL5Y3NM5ULNYLM22D2XLWDCZDRBFDTT4LQ", "bAFKREIAJOPBKHKAMXT6LWREMVL5Y3NM5ULNYLM22D2XLWDCZDRBFDTT4LQ",
        "zQmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51", "Qm123", "", " bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq",
        "mAVUSIFrW4eZYmSpRCd2xhdpNlqJtf6ZKUkvTrlxHSMG41uOm", "bafybeiaqfhzf4fft5arkdimw7quirxuglvotfah44yawdjg6zujvn6lidu",
    ] + fuzz(["b", "a", "f", "k", "z", "Q", "m", "1", "2", "7", "=", "bafkrei", "ajopbkhk"], 300, 7),
}  # fmt: skip

CID_STRINGS = [s for s in FORMAT_SAMPLES["cid"] if s] + [
    parse_cid("bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq").encode(prefix)
    for prefix in "079fFbBcCvVtThkKzZmMuU"
] + ["  QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51\n", "\u00a0bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "zQmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh5€"]

GENESIS = "0x" + "0123456789abcdef" * 4
BINDINGS = [SignatureBinding(GENESIS, 0), SignatureBinding("0x" + "f" * 64, 4294967295)]
BAD_BINDINGS = [
    SignatureBinding(GENESIS.upper().replace("0X", "0x"), 0), SignatureBinding(GENESIS[:-1], 0), SignatureBinding(GENESIS, -1),
    SignatureBinding(GENESIS, 4294967296), SignatureBinding(GENESIS, 0.5),  # type: ignore[arg-type]
]
SIGNED_DOCUMENTS = {name: DOCUMENTS[name] for name in DOCUMENTS if name not in ("deep", "rfc8785 numbers")}
"""Objects (several with canonicalization's hard cases), a few refusals (not an object, not encodable)."""

PY_FORMATS = {
    "semver": is_semver_version,
    "semver-range": is_semver_range,
    "spdx": is_spdx_expression,
    "email": is_email,
    "uri": is_uri,
    "date-time": is_date_time,
    "cid": is_cid,
}


def _requests() -> dict[str, dict[str, Any]]:
    requests: dict[str, dict[str, Any]] = {}
    for name, data in {**DOCUMENTS, **MALFORMED}.items():
        requests[f"parse {name}"] = {"op": "parse", "b64": b64(data)}
    for size in BLOB_SIZES:
        requests[f"blob {size}"] = {"op": "blob", "size": size}
    for size, chunk, links in SMALL_IMPORTS:
        requests[f"small {size} {chunk} {links}"] = {"op": "importSmall", "b64": b64(blob(size)), "chunkSize": chunk, "maxLinks": links}
    for index, doc in enumerate(INVALID_DOCUMENTS):
        requests[f"validate {index}"] = {"op": "validate", "b64": b64(json.dumps(doc, ensure_ascii=False).encode())}
    for name, values in FORMAT_SAMPLES.items():
        # The cid check of validate.ts reads a character above U+00FF as a base-x digit (multiformats' base-x);
        # Python refuses such strings, so only printable ASCII is compared for `cid`.
        if name == "cid":
            values = [v for v in values if all(ord(c) < 0x7F for c in v)]
        requests[f"format {name}"] = {"op": "format", "name": name, "values": values}
    for index, text in enumerate(CID_STRINGS):
        requests[f"parseCid {index}"] = {"op": "parseCid", "value": text}
    for name, binding in signature_message_cases():
        requests[f"signatureMessage {name} {binding}"] = {
            "op": "signatureMessage", "b64": b64(SIGNED_DOCUMENTS[name]), "genesisHash": binding.genesis_hash, "revision": binding.revision,
        }
    return requests


def signature_message_cases() -> list[tuple[str, SignatureBinding]]:
    return [(name, binding) for name in SIGNED_DOCUMENTS for binding in BINDINGS] + [("hello-module.json", binding) for binding in BAD_BINDINGS]


@pytest.fixture(scope="module")
def ts() -> dict[str, dict[str, Any]]:
    requests = _requests()
    return dict(zip(requests, ask(list(requests.values()))))


def python_parse(data: bytes) -> dict[str, Any]:
    try:
        document = parse_json_document(data)
    except MetadataParseError as error:
        return {"problem": error.problem}
    try:
        canonical = canonical_bytes(document)
    except CanonicalEncodingError as error:
        return {"encodingError": error.path}
    return {"canonical": b64(canonical), "cid": str(compute_cid(canonical))}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_canonical_bytes_and_cids_match(ts: dict[str, dict[str, Any]], name: str) -> None:
    ours = python_parse(DOCUMENTS[name])
    assert ours == ts[f"parse {name}"]


def test_the_documents_exercise_what_they_should(ts: dict[str, dict[str, Any]]) -> None:
    assert ts["parse hello-module.json"]["cid"] == "bafkreibiifugvjydkkua54az62wzmvvavv3zcbcg6uemd6k6raj4pkopou"
    assert ts["parse infinity"] == {"encodingError": "/1"}
    assert ts["parse lone surrogate"] == {"encodingError": "/bad/0"}
    assert ts["parse first problem in utf-16 order"] == {"encodingError": "/\U0001f600"}
    assert "canonical" in ts["parse deep"] and "canonical" in ts["parse unicode"]


@pytest.mark.parametrize("name", list(MALFORMED))
def test_parse_refusals_match(ts: dict[str, dict[str, Any]], name: str) -> None:
    assert python_parse(MALFORMED[name]) == ts[f"parse {name}"]
    assert "problem" in ts[f"parse {name}"]


@pytest.mark.parametrize("size", BLOB_SIZES)
def test_blob_cids_match(ts: dict[str, dict[str, Any]], size: int) -> None:
    assert str(compute_cid(blob(size))) == ts[f"blob {size}"]["cid"]


@pytest.mark.parametrize(("size", "chunk", "links"), SMALL_IMPORTS)
def test_deeper_trees_match_the_importer(ts: dict[str, dict[str, Any]], size: int, chunk: int, links: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unixfs, "UNIXFS_CHUNK_SIZE", chunk)
    monkeypatch.setattr(unixfs, "UNIXFS_MAX_LINKS", links)
    assert str(list(unixfs_blocks(blob(size)))[-1][0]) == ts[f"small {size} {chunk} {links}"]["cid"]


@pytest.mark.parametrize("index", range(len(INVALID_DOCUMENTS)))
def test_schema_issues_match(ts: dict[str, dict[str, Any]], index: int) -> None:
    doc = parse_json_document(json.dumps(INVALID_DOCUMENTS[index], ensure_ascii=False).encode())
    ours = sorted((issue.path, issue.message) for issue in metadata_issues(doc))
    theirs = sorted((issue["path"], issue["message"]) for issue in ts[f"validate {index}"]["issues"])
    assert ours == theirs
    assert theirs or index == len(INVALID_DOCUMENTS) - 1  # all but the last are invalid


def test_the_last_document_is_valid_in_both(ts: dict[str, dict[str, Any]]) -> None:
    assert ts[f"validate {len(INVALID_DOCUMENTS) - 1}"]["issues"] != []  # "é" and "x" are unknown properties
    assert {i["path"] for i in ts[f"validate {len(INVALID_DOCUMENTS) - 1}"]["issues"]} == {"/é", "/x"}


@pytest.mark.parametrize("name", list(FORMAT_SAMPLES))
def test_format_verdicts_match(ts: dict[str, dict[str, Any]], name: str) -> None:
    values = ts_values = _requests()[f"format {name}"]["values"]
    ours = [PY_FORMATS[name](value) for value in values]
    theirs = ts[f"format {name}"]["results"]
    differences = [(value, mine, their) for value, mine, their in zip(ts_values, ours, theirs) if mine != their]
    assert differences == []
    assert True in theirs and False in theirs  # the samples are not one-sided


def test_cid_strings_parse_alike(ts: dict[str, dict[str, Any]]) -> None:
    for index, text in enumerate(CID_STRINGS):
        theirs = ts[f"parseCid {index}"]
        try:
            ours = parse_cid(text)
        except IPFSError as error:
            assert theirs == {"code": error.code}, text
            continue
        # multiformats' toString() hands back the parsed text itself (e.g. mixed-case base32): compare the CIDs
        assert "cid" in theirs and parse_cid(theirs["cid"]) == ours, text


def python_signature_message(data: bytes, binding: SignatureBinding) -> dict[str, Any]:
    try:
        document = parse_json_document(data)
    except MetadataParseError as error:
        return {"problem": error.problem}
    try:
        message = signature_message(document, binding)
    except ModnetError as error:
        return {"error": error.code, "message": error.message}
    except TypeError:
        return {"error": "TypeError"}
    return {"message": b64(message), "legacy": b64(legacy_signature_message(document))}


@pytest.mark.parametrize("name, binding", signature_message_cases(), ids=lambda value: str(value))
def test_signature_messages_match(ts: dict[str, dict[str, Any]], name: str, binding: SignatureBinding) -> None:
    theirs = ts[f"signatureMessage {name} {binding}"]
    if theirs.get("error") == "TypeError":  # not an object: each message names its own function
        theirs = {"error": "TypeError"}
    assert python_signature_message(SIGNED_DOCUMENTS[name], binding) == theirs


def test_the_signature_messages_exercise_what_they_should(ts: dict[str, dict[str, Any]]) -> None:
    answers = [ts[f"signatureMessage {name} {binding}"] for name, binding in signature_message_cases()]
    assert sum("message" in answer for answer in answers) >= 10
    assert {answer.get("error") for answer in answers} >= {"SIGNATURE_INVALID", "CANONICAL_ENCODING", "TypeError"}
    hello = ts[f"signatureMessage hello-module.json {BINDINGS[1]}"]
    assert base64.b64decode(hello["message"]).startswith(f"modnet/module-metadata-signature/v2:0x{'f' * 64}:4294967295:{{".encode())


def test_the_spdx_lists_are_those_of_node_modules() -> None:
    folder = ROOT / "node_modules"
    licenses = json.loads((folder / "spdx-license-ids" / "index.json").read_text())
    deprecated = json.loads((folder / "spdx-license-ids" / "deprecated.json").read_text())
    exceptions = json.loads((folder / "spdx-exceptions" / "index.json").read_text())
    assert LICENSE_IDS == frozenset(licenses + deprecated), "run python/scripts/update_spdx_ids.py"
    assert EXCEPTION_IDS == frozenset(exceptions), "run python/scripts/update_spdx_ids.py"


def test_a_cid_with_a_non_ascii_character_is_refused_by_both() -> None:
    """multiformats' base-x decoder reads a character above U+00FF as a digit; both languages check first."""
    values = ["QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh5€", "k2cwue9niv17jww0sw3kj1r6restqd0uc9a7rcrvw29d9iamgfzknp8€"]
    assert ask([{"op": "format", "name": "cid", "values": values}])[0]["results"] == [False, False]
    assert [is_cid(value) for value in values] == [False, False]
