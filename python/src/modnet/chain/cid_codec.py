"""CIDs between their text form and the binary form the chain stores
(``cidFromChain`` / ``cidToChain`` in ``lib/chain/decode.ts``).

Only the conversion the chain client needs: text in base32 (``b``), base58btc
(``z``, or a bare ``Qm…`` CIDv0) or base36 (``k``), the bases multiformats'
``CID.parse`` reads without help; text out as ``CID.toString()`` writes it
(CIDv0 base58btc, CIDv1 base32). Computing CIDs of content is
:mod:`modnet.cid`'s job.
"""

from __future__ import annotations

import base64

import base58

from ..errors import IPFSError

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def read_varint(data: bytes, offset: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if offset >= len(data):
            raise ValueError("a varint runs past the end of the CID")
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
        shift += 7
        if shift > 63:
            raise ValueError("a varint in the CID is too long")


def check_cid_bytes(data: bytes) -> int:
    """The CID version of a binary CID; ``ValueError`` if it is not one (truncated, bad varint, wrong digest length, trailing bytes)."""
    if len(data) == 34 and data[0] == 0x12 and data[1] == 0x20:
        return 0
    version, offset = read_varint(data, 0)
    if version != 1:
        raise ValueError(f"CID version {version} is not supported")
    _codec, offset = read_varint(data, offset)
    _hash_code, offset = read_varint(data, offset)
    size, offset = read_varint(data, offset)
    if len(data) - offset != size:
        raise ValueError(f"the multihash declares a {size}-byte digest but {len(data) - offset} bytes follow")
    return 1


def cid_from_chain(data: bytes) -> str:
    """A binary CID (as the pallet stores it) as a CID string; ``ValueError`` if malformed."""
    if check_cid_bytes(data) == 0:
        return base58.b58encode(data).decode("ascii")
    return "b" + base64.b32encode(data).decode("ascii").lower().rstrip("=")


def cid_to_chain(cid: str) -> bytes:
    """Binary form of a CID string, for a ``Bytes`` call argument; ``IPFSError('IPFS_BAD_CID')`` if it is not a CID."""
    try:
        data = _multibase_decode(cid)
        check_cid_bytes(data)
    except ValueError as error:
        raise IPFSError("IPFS_BAD_CID", f'"{cid[:80]}" is not a CID: {error}') from error
    return data


def _multibase_decode(text: str) -> bytes:
    if text.startswith("Q"):
        data = _base58(text)
        if not (len(data) == 34 and data[:2] == b"\x12\x20"):
            raise ValueError("a CIDv0 is a base58btc sha2-256 multihash")
        return data
    prefix, body = text[:1], text[1:]
    if prefix == "b":
        if body != body.lower() or not body:
            raise ValueError("base32 text must be lowercase")
        try:
            return base64.b32decode(body.upper() + "=" * (-len(body) % 8))
        except ValueError as error:  # binascii.Error is a ValueError
            raise ValueError(f"bad base32: {error}") from error
    if prefix == "z":
        return _base58(body)
    if prefix == "k":
        return _base36(body)
    raise ValueError("only base32 (b…), base58btc (z…, Qm…) and base36 (k…) CIDs are read")


def _base58(text: str) -> bytes:
    if not text:
        raise ValueError("empty base58 text")
    try:
        return base58.b58decode(text)
    except ValueError as error:
        raise ValueError(f"bad base58btc: {error}") from error


def _base36(text: str) -> bytes:
    if not text or any(c not in _BASE36 for c in text):
        raise ValueError("bad base36: use 0-9 and a-z")
    zeros = len(text) - len(text.lstrip("0"))
    value = int(text, 36)
    body = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return b"\x00" * zeros + body
