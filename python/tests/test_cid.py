"""CIDs: parsing every multibase, binary rules, and block verification for each hash."""

from __future__ import annotations

import hashlib

import blake3
import pytest

from modnet.cid import (
    BLAKE2B_256,
    BLAKE3,
    CID,
    CODEC_DAG_PB,
    CODEC_RAW,
    IDENTITY,
    MULTIBASES,
    SHA2_256,
    SHA2_512,
    cid_for,
    decode_varint,
    encode_varint,
    is_cid,
    parse_cid,
    verify_block,
)
from modnet.errors import IPFSError

HELLO = b"hello from mod-net\n"
HELLO_CID = "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq"  # examples/hello-module.json's artifact


def test_the_raw_cid_of_bytes() -> None:
    cid = cid_for(HELLO)
    assert str(cid) == HELLO_CID
    assert (cid.version, cid.codec, cid.hash_code) == (1, CODEC_RAW, SHA2_256)
    assert cid.digest == hashlib.sha256(HELLO).digest()
    assert bytes(cid) == b"\x01\x55\x12\x20" + cid.digest


@pytest.mark.parametrize("prefix", sorted(MULTIBASES))
def test_every_multibase_round_trips(prefix: str) -> None:
    cid = parse_cid(HELLO_CID)
    text = cid.encode(prefix)
    assert text[0] == prefix
    assert parse_cid(text) == cid


def test_cidv0() -> None:
    v0 = parse_cid("QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51")
    assert (v0.version, v0.codec, v0.hash_code, v0.digest) == (0, CODEC_DAG_PB, SHA2_256, bytes(32))
    assert str(v0) == "QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51"
    assert parse_cid(bytes(v0)) == v0
    assert is_cid(str(v0))


def test_base32_is_read_in_either_case_and_written_lowercase() -> None:
    assert str(parse_cid("b" + HELLO_CID[1:].upper())) == HELLO_CID
    assert str(parse_cid("B" + HELLO_CID[1:].upper())) == HELLO_CID


def test_surrounding_whitespace_is_ignored_like_parseCid() -> None:
    assert str(parse_cid(f" \n{HELLO_CID}\u00a0")) == HELLO_CID


@pytest.mark.parametrize(
    "text",
    [
        "",
        "notacid",
        HELLO_CID[:-1],  # leftover bits
        HELLO_CID + "a",
        "z" + "QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51",  # v0 with a multibase prefix
        "QmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh5",  # truncated
        "zQmNLei78zWmzUdbeRB3CiUfAizWUrbeeZh5K1rhAQKCh51€",  # outside printable ASCII (multiformats' base-x would misread it)
        "\U0001f680" + "abc",  # base256emoji is not supported
        "x" + HELLO_CID[1:],  # unknown prefix
    ],
)
def test_bad_cids_are_ipfs_bad_cid(text: str) -> None:
    with pytest.raises(IPFSError) as raised:
        parse_cid(text)
    assert raised.value.code == "IPFS_BAD_CID"


def test_the_cid_format_reads_only_what_cid_parse_reads_by_default() -> None:
    cid = parse_cid(HELLO_CID)
    assert is_cid(HELLO_CID) and is_cid(cid.encode("z")) and is_cid(cid.encode("k"))
    assert not is_cid(cid.encode("m"))  # base64 needs a decoder CID.parse is not given
    assert not is_cid(" " + HELLO_CID)  # no trimming in the format check
    assert not is_cid("B" + HELLO_CID[1:].upper())


def test_varints_must_be_minimal_and_short() -> None:
    assert encode_varint(0x70) == b"\x70" and encode_varint(300) == b"\xac\x02"
    assert decode_varint(b"\xac\x02") == (300, 2)
    with pytest.raises(ValueError, match="minimally"):
        decode_varint(b"\x81\x00")
    with pytest.raises(ValueError, match="too long"):
        decode_varint(b"\x81" * 9 + b"\x01")
    with pytest.raises(ValueError):
        decode_varint(b"\x81")
    with pytest.raises(IPFSError):
        parse_cid(b"\x01\x55\x12\x20" + bytes(31))  # digest shorter than declared
    with pytest.raises(IPFSError):
        parse_cid(b"\x02\x55\x12\x20" + bytes(32))  # version 2


@pytest.mark.parametrize(
    ("code", "digest"),
    [
        (SHA2_256, hashlib.sha256(HELLO).digest()),
        (SHA2_512, hashlib.sha512(HELLO).digest()),
        (BLAKE2B_256, hashlib.blake2b(HELLO, digest_size=32).digest()),
        (BLAKE3, blake3.blake3(HELLO).digest()),
        (IDENTITY, HELLO),
    ],
)
def test_blocks_are_checked_with_their_cids_hash(code: int, digest: bytes) -> None:
    cid = CID.create(1, CODEC_RAW, code, digest)
    assert cid_for(HELLO, hash_code=code) == cid
    assert verify_block(cid, HELLO) == HELLO
    tampered = bytes([HELLO[0] ^ 0x20]) + HELLO[1:]
    with pytest.raises(IPFSError) as raised:
        verify_block(cid, tampered)
    assert raised.value.code == "IPFS_VERIFICATION_FAILED"
    with pytest.raises(IPFSError):
        verify_block(cid, HELLO + b"\x00")


def test_a_hash_it_cannot_compute_is_unsupported_not_accepted() -> None:
    cid = CID.create(1, CODEC_RAW, 0x1B, bytes(32))  # keccak-256
    with pytest.raises(IPFSError) as raised:
        verify_block(cid, b"")
    assert raised.value.code == "IPFS_UNSUPPORTED"
