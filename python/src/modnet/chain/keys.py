"""Module keys and accounts as users write them (mirrors ``lib/chain/keys.ts``).

A module key is 0x-hex (32 or 33 bytes) or an SS58 address (32 bytes); an
account is an SS58 address or a 0x-hex public key (32 bytes). Anything else is
a ``ChainError('BAD_KEY')`` whose message, word for word the TypeScript one,
says what is wrong. SS58 decoding follows polkadot-js ``decodeAddress``
(allowed lengths, checksum, the same reasons).
"""

from __future__ import annotations

import hashlib
import re

import base58

from ..errors import ChainError

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_SS58_PREFIX = b"SS58PRE"
# A public key has the prefix and 2 checksum bytes, a short id the prefix and 1.
_ALLOWED_ENCODED_LENGTHS = (3, 4, 6, 10, 35, 36, 37, 38)
_HEX = re.compile(r"^0x[0-9a-f]*$", re.IGNORECASE)
_HEX_PREFIX = re.compile(r"^0x", re.IGNORECASE)


def parse_module_key(text: str) -> str:
    """A module key from 0x-hex (32 or 33 bytes) or an SS58 address (32 bytes), as lowercase 0x-hex."""
    text = text.strip()
    data = _key_bytes(text, f'module key "{_short(text)}"', "is neither 0x-hex nor an SS58 address")
    if len(data) in (32, 33):
        return "0x" + data.hex()
    raise ChainError("BAD_KEY", f"module key {_short(text)} is {len(data)} bytes; it must be 32 (sr25519, ed25519) or 33 (compressed ecdsa)")


def parse_account(text: str, ss58_format: int = 42) -> str:
    """An account (32 bytes) from an SS58 address or 0x-hex public key, as SS58 with ``ss58_format``."""
    text = text.strip()
    data = _key_bytes(text, f'"{_short(text)}"', "is not an account: give an SS58 address or a 0x-hex public key")
    if len(data) != 32:
        raise ChainError("BAD_KEY", f'"{_short(text)}" is {len(data)} bytes; an account is 32 (an SS58 address or a 0x-hex public key)')
    return ss58_encode(data, ss58_format)


def account_id(text: str) -> bytes:
    """The 32 bytes of an account given as SS58 or 0x-hex (``BAD_KEY`` otherwise)."""
    return ss58_decode(parse_account(text))


def ss58_encode(key: bytes, ss58_format: int = 42) -> str:
    """SS58 address of ``key`` (polkadot-js ``encodeAddress``)."""
    if not 0 <= ss58_format <= 16383 or ss58_format in (46, 47):
        raise ChainError("BAD_KEY", f"{ss58_format} is not a valid SS58 format")
    if ss58_format < 64:
        prefix = bytes([ss58_format])
    else:
        prefix = bytes([((ss58_format & 0b1111_1100) >> 2) | 0b0100_0000, (ss58_format >> 8) | ((ss58_format & 0b11) << 6)])
    body = prefix + key
    checksum = _sshash(body)[: 2 if len(key) in (32, 33) else 1]
    return base58.b58encode(body + checksum).decode("ascii")


def ss58_decode(address: str) -> bytes:
    """The public key in an SS58 address; ``ValueError`` with polkadot-js' reason if it is not one."""
    if address == "":
        raise ValueError("Invalid empty address passed")
    for index, unit in enumerate(_utf16_units(address)):
        if chr(unit) not in _BASE58_ALPHABET:
            shown = chr(unit) if not 0xD800 <= unit <= 0xDFFF else "\ufffd"
            raise ValueError(f'Invalid base58 character "{shown}" (0x{unit:x}) at index {index}')
    decoded = base58.b58decode(address)
    if len(decoded) not in _ALLOWED_ENCODED_LENGTHS:
        raise ValueError("Invalid decoded address length")
    ss58_length = 2 if decoded[0] & 0b0100_0000 else 1
    is_public_key = len(decoded) in (34 + ss58_length, 35 + ss58_length)
    end = len(decoded) - (2 if is_public_key else 1)
    digest = _sshash(decoded[:end])
    valid = (decoded[0] & 0b1000_0000) == 0 and decoded[0] not in (46, 47) and (
        decoded[-2:] == digest[:2] if is_public_key else decoded[-1] == digest[0]
    )
    if not valid:
        raise ValueError("Invalid decoded address checksum")
    return decoded[ss58_length:end]


def _key_bytes(text: str, subject: str, not_a_key: str) -> bytes:
    """The bytes of 0x-hex or of an SS58 address (of any length), or BAD_KEY saying what is wrong with ``text``."""
    if _HEX_PREFIX.match(text):
        if not _HEX.match(text):
            raise ChainError("BAD_KEY", f"{subject} is not valid hex: it has a character other than 0-9 and a-f")
        if len(text) % 2 != 0:
            raise ChainError("BAD_KEY", f"{subject} is not valid hex: it has an odd number of digits")
        return bytes.fromhex(text[2:])
    try:
        return ss58_decode(text)
    except ValueError as error:
        reason = str(error)
        raise ChainError("BAD_KEY", f"{subject} {not_a_key} ({reason[:1].lower()}{reason[1:]})") from error


def _sshash(data: bytes) -> bytes:
    return hashlib.blake2b(_SS58_PREFIX + data, digest_size=64).digest()


def _utf16_units(text: str) -> list[int]:
    raw = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw), 2)]


def _short(text: str) -> str:
    """At most 80 UTF-16 units, like the TypeScript messages."""
    units = _utf16_units(text)
    if len(units) <= 80:
        return text
    head = b"".join(unit.to_bytes(2, "little") for unit in units[:77])
    return head.decode("utf-16-le", "ignore") + "..."
