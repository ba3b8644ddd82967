"""Key pairs that sign: accounts (transactions), module keys (key-ownership
proofs) and metadata signatures.

:class:`KeyPair` makes the same keys as polkadot-js' ``Keyring.addFromUri``
from the same secret URIs (``//Alice``, a mnemonic with ``//hard`` and, for
sr25519, ``/soft`` junctions and a ``///password``, or a 0x-hex 32-byte seed),
for the three schemes the chain accepts:

- ``sr25519`` (schnorrkel, signing context "substrate");
- ``ed25519``;
- ``ecdsa`` as ``sp_core::ecdsa``: secp256k1 over blake2b-256 of the message,
  a 33-byte compressed public key and 65-byte ``r ‖ s ‖ v`` signatures. Its
  account id is blake2b-256 of the public key. (substrate-interface's own
  ECDSA key pair is Ethereum-style and does not fit.)
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import unicodedata
from typing import Any, Literal, Protocol, runtime_checkable

from eth_keys.datatypes import PrivateKey as _EcdsaPrivateKey
from eth_keys.datatypes import Signature as _EcdsaSignature

from ..errors import ChainError
from .keys import ss58_encode
from .scale import encode_bytes

# The bindings have no type information: typed here, at their one use.
_sr25519: Any = importlib.import_module("sr25519")
_ed25519: Any = importlib.import_module("ed25519_zebra")
_bip39: Any = importlib.import_module("bip39")

KeyType = Literal["sr25519", "ed25519", "ecdsa"]
KEY_TYPES: tuple[KeyType, ...] = ("sr25519", "ed25519", "ecdsa")

DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
"""The well-known development mnemonic behind ``//Alice``, ``//Bob``…"""


@runtime_checkable
class Signer(Protocol):
    """Anything that signs bytes with one key: ``type`` is sr25519, ed25519 or ecdsa."""

    @property
    def type(self) -> str: ...

    @property
    def public_key(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


@runtime_checkable
class AccountSigner(Signer, Protocol):
    """A :class:`Signer` that is also an account: it signs transactions and pays for them."""

    @property
    def account_id(self) -> bytes: ...

    @property
    def address(self) -> str: ...


class KeyPair:
    """A local key pair (secret held in memory). Satisfies :class:`Signer`; also an account signer for transactions."""

    def __init__(self, key_type: KeyType, seed: bytes, *, _sr25519_pair: tuple[bytes, bytes] | None = None, ss58_format: int = 42) -> None:
        """Prefer :meth:`from_uri`, :meth:`from_seed` or :meth:`generate`."""
        if key_type not in KEY_TYPES:
            raise ChainError("BAD_SIGNER", f'key type "{key_type}" is not one of {", ".join(KEY_TYPES)}')
        self._type: KeyType = key_type
        self._seed = seed
        self.ss58_format = ss58_format
        if key_type == "sr25519":
            public, secret = _sr25519_pair if _sr25519_pair is not None else _sr25519.pair_from_seed(seed)
            self._sr: tuple[bytes, bytes] = (bytes(public), bytes(secret))
            self._public = self._sr[0]
        elif key_type == "ed25519":
            secret, public = _ed25519.ed_from_seed(seed)
            self._ed_secret = bytes(secret)
            self._public = bytes(public)
        else:
            try:
                self._ecdsa = _EcdsaPrivateKey(seed)
            except Exception as error:  # eth_keys raises ValidationError for an out-of-range scalar
                raise ChainError("BAD_SIGNER", f"the seed is not a valid secp256k1 secret key: {error}") from error
            self._public = self._ecdsa.public_key.to_compressed_bytes()

    # ---- construction ----

    @classmethod
    def from_seed(cls, seed: bytes, key_type: KeyType = "sr25519", ss58_format: int = 42) -> KeyPair:
        """The pair of a 32-byte seed (mini secret)."""
        if len(seed) != 32:
            raise ChainError("BAD_SIGNER", f"a seed is 32 bytes, not {len(seed)}")
        return cls(key_type, seed, ss58_format=ss58_format)

    @classmethod
    def generate(cls, key_type: KeyType = "sr25519", ss58_format: int = 42) -> KeyPair:
        """A new random pair."""
        while True:
            try:
                return cls.from_seed(os.urandom(32), key_type, ss58_format)
            except ChainError:  # a seed outside secp256k1's range: astronomically rare
                continue

    @classmethod
    def from_uri(cls, uri: str, key_type: KeyType = "sr25519", ss58_format: int = 42) -> KeyPair:
        """The pair polkadot-js derives from a secret URI: ``//Alice``, ``<mnemonic>//hard/soft///password``, ``0x<seed>``."""
        if key_type not in KEY_TYPES:
            raise ChainError("BAD_SIGNER", f'key type "{key_type}" is not one of {", ".join(KEY_TYPES)}')
        suri = DEV_PHRASE + uri if uri.startswith("//") else uri
        phrase, path, password = _extract_suri(suri)
        seed = _seed_of(phrase, password)
        junctions = _junctions(path)
        if key_type == "sr25519":
            public, secret = (bytes(part) for part in _sr25519.pair_from_seed(seed))
            for chain_code, hard in junctions:
                derive = _sr25519.hard_derive_keypair if hard else _sr25519.derive_keypair
                _, public, secret = derive((chain_code, public, secret), b"")
            return cls("sr25519", seed, _sr25519_pair=(bytes(public), bytes(secret)), ss58_format=ss58_format)
        tag = b"Ed25519HDKD" if key_type == "ed25519" else b"Secp256k1HDKD"
        for chain_code, hard in junctions:
            if not hard:
                raise ChainError("BAD_SIGNER", f"the secret URI has a soft junction, which {key_type} keys cannot derive")
            seed = hashlib.blake2b(encode_bytes(tag) + seed + chain_code, digest_size=32).digest()
        return cls.from_seed(seed, key_type, ss58_format)

    # ---- what it is ----

    @property
    def type(self) -> KeyType:
        return self._type

    @property
    def public_key(self) -> bytes:
        """32 bytes (sr25519, ed25519) or 33 (compressed ecdsa)."""
        return self._public

    @property
    def account_id(self) -> bytes:
        """The 32-byte account id: the public key, or its blake2b-256 for ecdsa."""
        return hashlib.blake2b(self._public, digest_size=32).digest() if self._type == "ecdsa" else self._public

    @property
    def address(self) -> str:
        """The account's SS58 address (``ss58_format``)."""
        return ss58_encode(self.account_id, self.ss58_format)

    def __repr__(self) -> str:
        return f"KeyPair({self._type}, {self.address})"

    # ---- signing ----

    def sign(self, message: bytes) -> bytes:
        """A signature of ``message``: 64 bytes (sr25519, ed25519) or 65 (ecdsa, over blake2b-256 of the message)."""
        if self._type == "sr25519":
            return bytes(_sr25519.sign(self._sr, message))
        if self._type == "ed25519":
            return bytes(_ed25519.ed_sign(self._ed_secret, message))
        digest = hashlib.blake2b(message, digest_size=32).digest()
        return bytes(self._ecdsa.sign_msg_hash(digest).to_bytes())

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``message``."""
        return verify_signature(self._type, self._public, message, signature)


def verify_signature(key_type: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` by ``public_key`` (of ``key_type``) signs ``message`` exactly (no ``<Bytes>`` wrapping)."""
    try:
        if key_type == "sr25519":
            return len(public_key) == 32 and len(signature) == 64 and bool(_sr25519.verify(signature, message, public_key))
        if key_type == "ed25519":
            return len(public_key) == 32 and len(signature) == 64 and bool(_ed25519.ed_verify(signature, message, public_key))
        if key_type in ("ecdsa", "ethereum"):
            if len(signature) != 65 or signature[64] > 3:
                return False
            if key_type == "ecdsa":
                digest = hashlib.blake2b(message, digest_size=32).digest()
            else:
                from eth_utils.crypto import keccak

                digest = keccak(message)
            recovered = _EcdsaSignature(signature).recover_public_key_from_msg_hash(digest)
            if len(public_key) == 33:
                return bool(recovered.to_compressed_bytes() == public_key)
            return bool(recovered.to_bytes() == public_key[-64:])
    except Exception:  # malformed keys or signatures do not verify
        return False
    return False


# ---- secret URIs (polkadot-js keyExtractSuri / keyExtractPath / DeriveJunction) ----

_SURI = re.compile(r"^((0x[a-fA-F0-9]+|[^\W_]+(?: [^\W_]+)*))((//?[^/]+)*)(///(.*))?$")
_JUNCTION = re.compile(r"/(/?)([^/]+)")


def _extract_suri(suri: str) -> tuple[str, str, str | None]:
    match = _SURI.match(unicodedata.normalize("NFC", suri))
    if match is None:
        raise ChainError("BAD_SIGNER", "not a valid secret URI or mnemonic (unable to match provided value to a secret URI)")
    return match.group(1), match.group(3) or "", match.group(6)


def _seed_of(phrase: str, password: str | None) -> bytes:
    if re.fullmatch(r"0x[0-9a-fA-F]{64}", phrase):
        return bytes.fromhex(phrase[2:])
    if len(phrase.split(" ")) in (12, 15, 18, 21, 24):
        try:
            return bytes(_bip39.bip39_to_mini_secret(phrase, password or ""))
        except Exception as error:
            raise ChainError("BAD_SIGNER", f"not a valid secret URI or mnemonic (invalid bip39 mnemonic specified: {error})") from error
    raw = phrase.encode()
    if len(raw) > 32:
        raise ChainError("BAD_SIGNER", "not a valid secret URI or mnemonic (specified phrase is not a valid mnemonic and is invalid as a raw seed at > 32 bytes)")
    return raw.ljust(32, b" ")


def _junctions(path: str) -> list[tuple[bytes, bool]]:
    """(chain code, hard) per junction of a derivation path."""
    parts = _JUNCTION.findall(path)
    if "".join(f"/{hard}{code}" for hard, code in parts) != path:
        raise ChainError("BAD_SIGNER", f'not a valid secret URI (re-constructed path does not match input "{path}")')
    out = []
    for hard, code in parts:
        if re.fullmatch(r"\d+", code):
            value = int(code)
            data = value.to_bytes(32, "little") if value < 1 << 256 else hashlib.blake2b(value.to_bytes((value.bit_length() + 7) // 8, "little"), digest_size=32).digest()
        elif re.fullmatch(r"0x[0-9a-fA-F]*", code) and len(code) % 2 == 0:
            data = bytes.fromhex(code[2:])
        else:
            data = encode_bytes(code.encode())
        chain_code = hashlib.blake2b(data, digest_size=32).digest() if len(data) > 32 else data.ljust(32, b"\x00")
        out.append((chain_code, hard == "/"))
    return out
