"""CIDs: parsing and encoding, and checking a block against its CID.

Mirrors ``lib/ipfs/cid.ts`` (``parseCid``), ``lib/ipfs/verify.ts``
(``verifyBlock``) and the ``isCid`` format check of ``lib/types/validate.ts``,
following the rules of the ``multiformats`` package they use: varints must be
minimal and at most 9 bytes, a CIDv0 is a bare base58btc sha2-256 multihash,
and a CIDv1 string carries its multibase prefix. Every multibase of
``multiformats/basics`` is read except base256emoji and identity; CIDs are
written as the TypeScript library writes them (v1 in base32, v0 in base58btc).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

import blake3

from .errors import IPFSError
from .formats.jsregex import js_trim

CODEC_RAW = 0x55
"""Multicodec of raw bytes (a leaf block, or a whole small file)."""
CODEC_DAG_PB = 0x70
"""Multicodec of dag-pb (UnixFS nodes)."""

SHA2_256 = 0x12
SHA2_512 = 0x13
BLAKE2B_256 = 0xB220
BLAKE3 = 0x1E
IDENTITY = 0x00

_HASHERS: dict[int, tuple[str, Callable[[bytes], bytes]]] = {
    SHA2_256: ("sha2-256", lambda data: hashlib.sha256(data).digest()),
    SHA2_512: ("sha2-512", lambda data: hashlib.sha512(data).digest()),
    BLAKE2B_256: ("blake2b-256", lambda data: hashlib.blake2b(data, digest_size=32).digest()),
    BLAKE3: ("blake3", lambda data: blake3.blake3(data).digest()),
    IDENTITY: ("identity", lambda data: bytes(data)),
}
"""Hashes blocks can be checked with, by multihash code: the ones the registry pallet accepts in a CID, sha2-512 (found in IPFS DAGs) and identity."""


# --- varints --------------------------------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    """Unsigned LEB128, as multiformats writes it."""
    if value < 0:
        raise ValueError("varints are unsigned")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes, offset: int = 0) -> tuple[int, int]:
    """Reads a varint at ``offset``; returns ``(value, length)``. Must be minimal and at most 9 bytes, as in multiformats."""
    value = 0
    shift = 0
    position = offset
    while True:
        if position >= len(data):
            raise ValueError("could not decode varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    length = position - offset
    if length > 9:
        raise ValueError("invalid varint: too long")
    if length > 1 and data[position - 1] == 0:
        raise ValueError("invalid varint: not minimally encoded")
    return value, length


# --- multibases -----------------------------------------------------------------------------------


def _alphabet_index(alphabet: str, case_insensitive: bool) -> dict[str, int]:
    """Each character's digit value (both cases for a case-insensitive base)."""
    index: dict[str, int] = {}
    for i, char in enumerate(alphabet):
        index[char] = i
        if case_insensitive:
            index.setdefault(char.lower(), i)
            index.setdefault(char.upper(), i)
    return index


class _Rfc4648:
    """A power-of-two base (multiformats' ``rfc4648`` codec)."""

    def __init__(self, name: str, alphabet: str, bits: int, case_insensitive: bool = False) -> None:
        self.name = name
        self.alphabet = alphabet
        self.bits = bits
        self.index = _alphabet_index(alphabet, case_insensitive)

    def decode(self, text: str) -> bytes:
        end = len(text)
        while end > 0 and text[end - 1] == "=":
            end -= 1
        out = bytearray()
        bits = 0
        buffer = 0
        for i in range(end):
            value = self.index.get(text[i])
            if value is None:
                raise ValueError(f"Non-{self.name} character")
            buffer = ((buffer << self.bits) | value) & 0xFFFF
            bits += self.bits
            if bits >= 8:
                bits -= 8
                out.append((buffer >> bits) & 0xFF)
        if bits >= self.bits or (buffer << (8 - bits)) & 0xFF != 0:
            raise ValueError("Unexpected end of data")
        return bytes(out)

    def encode(self, data: bytes) -> str:
        pad = self.alphabet.endswith("=")
        mask = (1 << self.bits) - 1
        out: list[str] = []
        bits = 0
        buffer = 0
        for byte in data:
            buffer = ((buffer << 8) | byte) & 0xFFFF
            bits += 8
            while bits > self.bits:
                bits -= self.bits
                out.append(self.alphabet[mask & (buffer >> bits)])
        if bits:
            out.append(self.alphabet[mask & (buffer << (self.bits - bits))])
        if pad:
            while (len(out) * self.bits) & 7:
                out.append("=")
        return "".join(out)


class _BaseX:
    """A base-N alphabet with leading-zero characters (multiformats' ``baseX``: base10, base36, base58)."""

    def __init__(self, name: str, alphabet: str, case_insensitive: bool = False) -> None:
        self.name = name
        self.alphabet = alphabet
        self.index = _alphabet_index(alphabet, case_insensitive)

    def decode(self, text: str) -> bytes:
        if text == "":
            return b""
        if text[0] == " " or text[-1] == " ":
            raise ValueError(f"Non-{self.name} character")
        zeroes = 0
        while zeroes < len(text) and text[zeroes] == self.alphabet[0]:
            zeroes += 1
        number = 0
        base = len(self.alphabet)
        for char in text[zeroes:]:
            value = self.index.get(char)
            if value is None:
                raise ValueError(f"Non-{self.name} character")
            number = number * base + value
        body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
        return b"\x00" * zeroes + body

    def encode(self, data: bytes) -> str:
        zeroes = len(data) - len(data.lstrip(b"\x00"))
        number = int.from_bytes(data, "big")
        base = len(self.alphabet)
        digits: list[str] = []
        while number:
            number, digit = divmod(number, base)
            digits.append(self.alphabet[digit])
        return self.alphabet[0] * zeroes + "".join(reversed(digits))


_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_B32HEX = "0123456789abcdefghijklmnopqrstuv"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B58BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

BASE32 = _Rfc4648("base32", _B32, 5, True)
BASE36 = _BaseX("base36", "0123456789abcdefghijklmnopqrstuvwxyz", True)
BASE58BTC = _BaseX("base58btc", _B58BTC)

MULTIBASES: dict[str, _Rfc4648 | _BaseX] = {
    "0": _Rfc4648("base2", "01", 1),
    "7": _Rfc4648("base8", "01234567", 3),
    "9": _BaseX("base10", "0123456789"),
    "f": _Rfc4648("base16", "0123456789abcdef", 4, True),
    "F": _Rfc4648("base16upper", "0123456789ABCDEF", 4, True),
    "b": BASE32,
    "B": _Rfc4648("base32upper", _B32.upper(), 5, True),
    "c": _Rfc4648("base32pad", _B32 + "=", 5, True),
    "C": _Rfc4648("base32padupper", _B32.upper() + "=", 5, True),
    "v": _Rfc4648("base32hex", _B32HEX, 5, True),
    "V": _Rfc4648("base32hexupper", _B32HEX.upper(), 5, True),
    "t": _Rfc4648("base32hexpad", _B32HEX + "=", 5, True),
    "T": _Rfc4648("base32hexpadupper", _B32HEX.upper() + "=", 5, True),
    "h": _Rfc4648("base32z", "ybndrfg8ejkmcpqxot1uwisza345h769", 5),
    "k": BASE36,
    "K": _BaseX("base36upper", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", True),
    "z": BASE58BTC,
    "Z": _BaseX("base58flickr", "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"),
    "m": _Rfc4648("base64", _B64 + "+/", 6),
    "M": _Rfc4648("base64pad", _B64 + "+/=", 6),
    "u": _Rfc4648("base64url", _B64 + "-_", 6),
    "U": _Rfc4648("base64urlpad", _B64 + "-_=", 6),
}
"""Multibase decoders by prefix character (multiformats/basics without identity and base256emoji)."""

_DEFAULT_MULTIBASES: dict[str, _Rfc4648 | _BaseX] = {"z": BASE58BTC, "b": BASE32, "k": BASE36}
"""What ``CID.parse`` reads without a decoder: base58btc, base32 and base36."""


# --- CID ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CID:
    """A content identifier: version, content codec and multihash (hash code and digest).

    ``str(cid)`` is its canonical string (CIDv1 in base32, CIDv0 in base58btc)
    and ``bytes(cid)`` its binary form. Two CIDs are equal when their bytes are.
    """

    version: int
    codec: int
    hash_code: int
    digest: bytes
    _bytes: bytes = field(repr=False, compare=True)

    @classmethod
    def create(cls, version: int, codec: int, hash_code: int, digest: bytes) -> CID:
        """A CID from its parts (a CIDv0 must be dag-pb)."""
        if version == 0:
            if codec != CODEC_DAG_PB:
                raise IPFSError("IPFS_BAD_CID", f"a version 0 CID must use dag-pb (code {CODEC_DAG_PB})")
            if hash_code != SHA2_256:
                raise IPFSError("IPFS_BAD_CID", "a version 0 CID must use sha2-256")
            return cls(0, codec, hash_code, bytes(digest), encode_varint(hash_code) + encode_varint(len(digest)) + bytes(digest))
        if version != 1:
            raise IPFSError("IPFS_BAD_CID", f"invalid CID version {version}")
        multihash = encode_varint(hash_code) + encode_varint(len(digest)) + bytes(digest)
        return cls(1, codec, hash_code, bytes(digest), encode_varint(1) + encode_varint(codec) + multihash)

    @classmethod
    def decode(cls, data: bytes) -> CID:
        """Reads a binary CID; raises ``ValueError`` if it is not exactly one."""
        data = bytes(data)
        offset = 0

        def next_varint() -> int:
            nonlocal offset
            value, length = decode_varint(data, offset)
            offset += length
            return value

        version = next_varint()
        codec = CODEC_DAG_PB
        if version == 18:  # a CIDv0 is a bare sha2-256 multihash
            version = 0
            offset = 0
        else:
            codec = next_varint()
        if version not in (0, 1):
            raise ValueError(f"Invalid CID version {version}")
        hash_code = next_varint()
        digest_size = next_varint()
        end = offset + digest_size
        if len(data) != end:
            raise ValueError("Incorrect length")
        digest = data[offset:end]
        if version == 0:
            # multiformats checks only the codec here; the multihash code is sha2-256 by construction.
            return cls(0, CODEC_DAG_PB, hash_code, digest, data)
        return cls(1, codec, hash_code, digest, data)

    @property
    def multihash(self) -> bytes:
        """The multihash: hash code, digest length, digest."""
        return encode_varint(self.hash_code) + encode_varint(len(self.digest)) + self.digest

    def __bytes__(self) -> bytes:
        return self._bytes

    def __str__(self) -> str:
        if self.version == 0:
            return BASE58BTC.encode(self._bytes)
        return "b" + BASE32.encode(self._bytes)

    def encode(self, prefix: str = "b") -> str:
        """The CID in the multibase with this prefix character (``b`` base32, ``z`` base58btc, ``k`` base36...)."""
        if self.version == 0:
            if prefix != "z":
                raise IPFSError("IPFS_BAD_CID", "a version 0 CID is written only in base58btc, without a prefix")
            return str(self)
        base = MULTIBASES.get(prefix)
        if base is None:
            raise IPFSError("IPFS_UNSUPPORTED", f"no multibase with prefix {prefix!r}")
        return prefix + base.encode(self._bytes)


def _decode_string(text: str, bases: dict[str, _Rfc4648 | _BaseX]) -> CID:
    """``CID.parse(text, decoder)`` of multiformats; raises ``ValueError``."""
    if text == "":
        raise ValueError("empty string")
    if text[0] == "Q":
        data = BASE58BTC.decode(text)
    else:
        base = bases.get(text[0])
        if base is None:
            raise ValueError(f"unknown multibase prefix {text[0]!r}; supported: {', '.join(bases)}")
        data = base.decode(text[1:])
    cid = CID.decode(data)
    if cid.version == 0 and text[0] != "Q":
        raise ValueError("Version 0 CID string must not include multibase prefix")
    return cid


def parse_cid(value: str | bytes | CID) -> CID:
    """Parses a CID given as a string (any multibase listed in :data:`MULTIBASES`) or in binary form.

    Like ``parseCid``: surrounding whitespace is ignored, and a string with a
    character no multibase alphabet uses is refused.

    :raises IPFSError: ``IPFS_BAD_CID``.
    """
    if isinstance(value, CID):
        return value
    try:
        if isinstance(value, str):
            text = js_trim(value)
            if any(not 0x21 <= ord(char) <= 0x7E for char in text):
                raise ValueError("it has a character no multibase alphabet uses")
            return _decode_string(text, MULTIBASES)
        return CID.decode(bytes(value))
    except ValueError as error:
        shown = f'"{value[:100]}"' if isinstance(value, str) else f"{len(value)} bytes"
        raise IPFSError("IPFS_BAD_CID", f"{shown} is not a valid CID: {error}") from error


def is_cid(value: str) -> bool:
    """The ``cid`` format: a CIDv0 (``Qm…``) or a CIDv1 in base32, base36 or base58btc, as ``CID.parse`` reads it.

    Unlike multiformats (whose base-x decoder reads a character above U+00FF
    as a digit), a character outside printable ASCII is never accepted.
    """
    if any(not 0x21 <= ord(char) <= 0x7E for char in value):
        return False
    try:
        _decode_string(value, _DEFAULT_MULTIBASES)
    except ValueError:
        return False
    return True


def hash_name(code: int) -> str | None:
    """The name of a multihash code this module can check, e.g. ``sha2-256``; None if it cannot."""
    hasher = _HASHERS.get(code)
    return None if hasher is None else hasher[0]


def verify_block(cid: CID, data: bytes) -> bytes:
    """Returns ``data`` if it is the block ``cid`` names (its hash is the CID's digest).

    :raises IPFSError: ``IPFS_VERIFICATION_FAILED`` if it is not (the bytes
        must then be discarded), ``IPFS_UNSUPPORTED`` for a hash this module
        cannot compute.
    """
    hasher = _HASHERS.get(cid.hash_code)
    if hasher is None:
        raise IPFSError("IPFS_UNSUPPORTED", f"cannot verify {cid}: multihash 0x{cid.hash_code:x} is not supported")
    name, digest = hasher
    if not hmac.compare_digest(digest(bytes(data)), cid.digest):
        raise IPFSError(
            "IPFS_VERIFICATION_FAILED",
            f"the {len(data)} bytes received for {cid} do not match its {name} hash; they were discarded",
        )
    return bytes(data)


def cid_for(data: bytes, codec: int = CODEC_RAW, hash_code: int = SHA2_256) -> CID:
    """The CIDv1 of one block: ``codec`` and the ``hash_code`` hash of ``data``."""
    hasher = _HASHERS.get(hash_code)
    if hasher is None:
        raise IPFSError("IPFS_UNSUPPORTED", f"multihash 0x{hash_code:x} is not supported")
    return CID.create(1, codec, hash_code, hasher[1](bytes(data)))
