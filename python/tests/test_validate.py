"""Schema validation: the repository's schema, every problem reported with a JSON Pointer and the TypeScript message."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import modnet.validate as validate
from modnet.canonical import canonical_bytes, parse_json_document
from modnet.errors import MetadataValidationError, ValidationIssue
from modnet.types import ENDPOINT_PROTOCOLS, MAX_METADATA_BYTES, METADATA_SCHEMA, METADATA_SCHEMA_ID, SIGNATURE_TYPES, ModuleMetadata
from modnet.validate import assert_valid_metadata, module_metadata_json_schema, validate_metadata

ROOT = Path(__file__).resolve().parents[2]
HELLO = parse_json_document((ROOT / "examples" / "hello-module.json").read_bytes())


def minimal(**extra: Any) -> dict[str, Any]:
    return {"schema": METADATA_SCHEMA, "name": "demo", "version": "1.0.0", "description": "A demo.", **extra}


def issues(doc: Any) -> set[tuple[str, str]]:
    return {(issue.path, issue.message) for issue in validate_metadata(doc).issues}


def test_the_example_document_is_valid_and_typed() -> None:
    result = validate_metadata(HELLO)
    assert result.ok and result.issues == []
    assert isinstance(result.metadata, ModuleMetadata)
    assert result.metadata.name == HELLO["name"]
    assert result.metadata.to_document() == HELLO
    assert canonical_bytes(result.metadata.to_document()) == canonical_bytes(HELLO)


def test_the_schema_is_the_repositorys_file() -> None:
    schema = module_metadata_json_schema()
    assert schema == json.loads((ROOT / "schema" / "module-metadata.v1.json").read_text())
    assert schema["$id"] == METADATA_SCHEMA_ID
    assert schema["properties"]["schema"]["const"] == METADATA_SCHEMA
    assert tuple(schema["properties"]["signature"]["properties"]["type"]["enum"]) == SIGNATURE_TYPES
    assert tuple(schema["properties"]["endpoints"]["items"]["properties"]["protocol"]["enum"]) == ENDPOINT_PROTOCOLS
    assert f"must not exceed {MAX_METADATA_BYTES} bytes" in schema["description"]


def test_the_packaged_schema_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a wheel the schema is modnet/schema/module-metadata.v1.json; the repository's copy is the fallback."""
    packaged = tmp_path / "modnet"
    (packaged / "schema").mkdir(parents=True)
    (packaged / "schema" / validate.SCHEMA_FILE).write_text('{"packaged": true}')
    monkeypatch.setattr(validate.importlib.resources, "files", lambda _name: packaged)
    assert validate._schema_text() == '{"packaged": true}'
    monkeypatch.setattr(validate.importlib.resources, "files", lambda _name: tmp_path / "elsewhere")
    assert json.loads(validate._schema_text())["$id"] == METADATA_SCHEMA_ID


def test_every_problem_is_reported_with_its_path_and_message() -> None:
    doc = minimal(
        name="Bad Name",
        version="v1.0",
        description="",
        authors=[{"name": "x", "email": "nope", "url": "ftp://x", "extra": 1}],
        license="mit",
        keywords=["ok", "ok", "Bad"],
        artifacts=[{"cid": "notacid", "size": -1, "mediaType": "text", "sha256": "ABC"}, {"cid": "Qm", "size": 1.5}],
        dependencies={"Bad Dep": "^1.0.0", "ok": "not a range"},
        created="2025-13-01T00:00:00Z",
        signature={"type": "ecdsa", "value": "0x" + "ab" * 64},
        extra=1,
    )
    doc["schema"] = "v2"
    assert issues(doc) == {
        ("/schema", 'must be exactly "modnet/module-metadata/v1"'),
        ("/name", 'must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'),
        ("/version", 'must be a SemVer 2.0 version such as 1.2.3 or 2.0.0-rc.1 (no leading "v")'),
        ("/description", "must not be empty"),
        ("/authors/0/extra", 'unknown property "extra"'),
        ("/authors/0/email", "must be an email address such as jane@example.org"),
        ("/authors/0/url", "must be a URL starting with https:// or http://"),
        ("/license", "must be an SPDX license expression such as MIT or Apache-2.0 OR MIT"),
        ("/keywords/1", "duplicates item 0 (/keywords/0)"),
        ("/keywords/2", 'must be 1 to 32 characters of lowercase letters, digits or "-", beginning with a letter or digit'),
        ("/artifacts/0/cid", "must be an IPFS CID: CIDv0 (Qm…) or CIDv1 in base32, base36 or base58btc (such as bafy…)"),
        ("/artifacts/0/size", "must be at least 0"),
        ("/artifacts/0/mediaType", "must be a media type written as type/subtype without parameters, such as application/wasm"),
        ("/artifacts/0/sha256", "must be a SHA-256 digest written as 64 lowercase hexadecimal characters"),
        ("/artifacts/1/cid", "must be an IPFS CID: CIDv0 (Qm…) or CIDv1 in base32, base36 or base58btc (such as bafy…)"),
        ("/artifacts/1/size", "must be a whole number"),
        ("/artifacts/1/mediaType", 'required property "mediaType" is missing'),
        ("/artifacts/1/sha256", 'required property "sha256" is missing'),
        ("/dependencies/Bad Dep", 'dependency name "Bad Dep" must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'),
        ("/dependencies/ok", "must be a SemVer version range such as ^1.2.0, ~2.1 or >=1.0.0 <2.0.0"),
        ("/created", "must be an RFC 3339 date and time with a time zone, such as 2025-01-31T12:00:00Z"),
        ("/signature/value", 'must be "0x" followed by 130 lowercase hexadecimal characters (a 65-byte ecdsa signature)'),
        ("/extra", 'unknown property "extra" (extension properties must start with "x-")'),
    }


def test_types_required_and_enums() -> None:
    assert issues({"name": 5, "signature": {"type": "rsa"}, "endpoints": [{"url": "wss://x", "protocol": "smtp"}]}) == {
        ("/schema", 'required property "schema" is missing'),
        ("/version", 'required property "version" is missing'),
        ("/description", 'required property "description" is missing'),
        ("/name", "must be a string"),
        ("/signature/type", 'must be one of "sr25519", "ed25519", "ecdsa"'),
        ("/signature/value", 'required property "value" is missing'),
        ("/endpoints/0/protocol", 'must be one of "http", "grpc", "jsonrpc", "websocket", "graphql", "libp2p"'),
    }
    assert issues([]) == {("", "must be an object")}
    assert issues(None) == {("", "must be an object")}


def test_limits() -> None:
    doc = minimal(keywords=[f"k{i}" for i in range(21)], dependencies={f"d{i}": "1" for i in range(129)}, description="x" * 1025)
    doc["artifacts"] = [{"cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "size": 2.0**53, "mediaType": "a/b", "sha256": "0" * 64}]
    assert issues(doc) == {
        ("/keywords", "must have at most 20 items"),
        ("/dependencies", "must have at most 128 entries"),
        ("/description", "must be at most 1024 characters long"),
        ("/artifacts/0/size", "must be at most 9007199254740991"),
    }
    assert issues(minimal(dependencies={"x" * 65: "1"})) == {
        ("/dependencies", "must be at most 64 characters long"),
        ("/dependencies/" + "x" * 65, f'dependency name "{"x" * 65}" must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'),
    }


def test_dependencies_by_key() -> None:
    key = "0x" + "ab" * 32
    pin = "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq"
    ok = minimal(dependencies={"a": "^1.0.0", "b": {"key": key}, "c": {"key": "0x02" + "cd" * 32, "version": "~2.1", "cid": pin}})
    result = validate_metadata(ok)
    assert result.ok and result.metadata is not None
    assert result.metadata.to_document() == ok
    key_rule = 'must be a module key: "0x" followed by 64 or 66 lowercase hexadecimal characters (a 32- or 33-byte public key)'
    assert issues(minimal(dependencies={"a": {"version": "^1"}, "b": {"key": key.upper().replace("0X", "0x")}, "c": {"key": key, "cid": "Qm1", "x": 1}, "d": 5, "e": {"key": key, "version": ""}})) == {
        ("/dependencies/a/key", 'required property "key" is missing'),
        ("/dependencies/b/key", key_rule),
        ("/dependencies/c/cid", "must be an IPFS CID: CIDv0 (Qm…) or CIDv1 in base32, base36 or base58btc (such as bafy…)"),
        ("/dependencies/c/x", 'unknown property "x"'),
        ("/dependencies/d", "must be a string or an object"),
        ("/dependencies/e/version", "must not be empty"),
        ("/dependencies/e/version", "must be a SemVer version range such as ^1.2.0, ~2.1 or >=1.0.0 <2.0.0"),
    }


def test_a_python_int_beyond_javascripts_is_not_json_data() -> None:
    artifact = {"cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "size": 2**53, "mediaType": "a/b", "sha256": "0" * 64}
    assert issues(minimal(artifacts=[artifact])) == {
        ("/artifacts/0/size", "must be at most 9007199254740991"),
        ("/artifacts/0/size", "is not valid JSON data: integer 9007199254740992 is beyond ±(2^53 − 1), which a JSON number (an IEEE double) cannot hold exactly; convert it to a float or a string first"),
    }


def test_extension_properties_are_free_form() -> None:
    doc = minimal(**{"x-anything": {"nested": [1, None, "x"]}, "x-null": None})
    result = validate_metadata(doc)
    assert result.ok and result.metadata is not None
    assert result.metadata.extensions == {"x-anything": {"nested": [1, None, "x"]}, "x-null": None}
    assert result.metadata.to_document() == doc


def test_the_canonical_size_limit() -> None:
    doc = minimal(**{"x-pad": ""})
    doc["x-pad"] = "a" * (MAX_METADATA_BYTES - len(canonical_bytes(doc)))
    assert validate_metadata(doc).ok
    doc["x-pad"] += "a"
    assert issues(doc) == {("", f"document is {MAX_METADATA_BYTES + 1} bytes in canonical form, more than the {MAX_METADATA_BYTES}-byte limit")}


def test_values_that_are_not_json_are_issues_not_exceptions() -> None:
    assert issues(minimal(**{"x-nan": float("nan")})) == {("/x-nan", "is not valid JSON data: number NaN is not finite; JSON has no NaN or Infinity")}
    assert ("/x-set", "is not valid JSON data: value is a set object; only dicts, lists, strings, finite numbers, booleans and None can be encoded") in issues(minimal(**{"x-set": {1}}))


def test_booleans_are_not_numbers_and_whole_floats_are_integers() -> None:
    artifact = {"cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "mediaType": "a/b", "sha256": "0" * 64}
    assert issues(minimal(artifacts=[{**artifact, "size": True}])) == {("/artifacts/0/size", "must be a whole number")}
    assert validate_metadata(minimal(artifacts=[{**artifact, "size": 1e3}])).ok


def test_assert_valid_metadata_raises_with_every_issue() -> None:
    assert assert_valid_metadata(HELLO).name == HELLO["name"]
    broken = copy.deepcopy(HELLO)
    broken["version"] = "one"
    del broken["description"]
    with pytest.raises(MetadataValidationError) as raised:
        assert_valid_metadata(broken)
    assert raised.value.code == "METADATA_INVALID"
    assert set(raised.value.issues) == {
        ValidationIssue("/version", 'must be a SemVer 2.0 version such as 1.2.3 or 2.0.0-rc.1 (no leading "v")'),
        ValidationIssue("/description", 'required property "description" is missing'),
    }
    assert raised.value.message.startswith("invalid module metadata (2 problems):\n")
    assert "/description: required property" in raised.value.message
    with pytest.raises(MetadataValidationError, match=r"\(1 problem\):\n\(root\): must be an object"):
        ModuleMetadata.from_document("text")
