"""Metadata signatures by the module key (mirrors ``lib/types/signature.ts``).

The signed message is the UTF-8 bytes of
``"modnet/module-metadata-signature/v2:<genesis hash>:<revision>:"`` followed
by the canonical (RFC 8785) encoding of the document without its
``signature`` property, so a signature made here verifies in TypeScript and
the reverse. The genesis hash (``0x`` and 64 lowercase hex digits) and the
revision (the one the module has on chain while it points at the document: 0
when registered, +1 per update) form the :class:`SignatureBinding`: they keep
an old signed document from showing "valid" when it is pointed at again
later, or on another chain. Version 1 (no chain, no revision) is recognised
only to say so.

Verification also accepts a signature over that message wrapped in
``<Bytes>…</Bytes>`` (what browser wallet extensions sign), and names the
scheme a signature verifies as the way polkadot-js' ``signatureVerify`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .canonical import canonical_bytes
from .chain.signers import Signer, verify_signature
from .errors import ModnetError

METADATA_SIGNATURE_CONTEXT = "modnet/module-metadata-signature/v2:"
"""Domain-separation prefix of the signed message."""

LEGACY_METADATA_SIGNATURE_CONTEXT = "modnet/module-metadata-signature/v1:"
"""The prefix of version 1, which bound neither the chain nor the revision."""

MAX_REVISION = 0xFFFF_FFFF
_GENESIS_HASH = re.compile(r"0x[0-9a-f]{64}")

SignatureType = Literal["sr25519", "ed25519", "ecdsa"]
SIGNATURE_TYPES: tuple[SignatureType, ...] = ("sr25519", "ed25519", "ecdsa")
SIGNATURE_BYTES = {"sr25519": 64, "ed25519": 64, "ecdsa": 65}
KEY_BYTES = {"sr25519": 32, "ed25519": 32, "ecdsa": 33}

_VERIFIERS = ("ed25519", "sr25519")
_VERIFIERS_ECDSA = ("ecdsa", "ethereum")


@dataclass(frozen=True)
class SignatureBinding:
    """Where a signature is valid: the chain (its genesis hash, ``0x`` and 64 lowercase hex digits) and the
    module's revision while it points at the document (0 when registered, +1 per update).

    Checked when a message is made (:func:`signature_message`), as in TypeScript, so a malformed binding is a
    ``SIGNATURE_INVALID`` error there (and an ``invalid`` verdict from :func:`verify_metadata_signature`)."""

    genesis_hash: str
    revision: int


@dataclass(frozen=True)
class SignatureVerification:
    """``valid``, ``absent`` or ``invalid``; ``reason`` explains ``invalid`` (and ``absent``)."""

    status: Literal["valid", "absent", "invalid"]
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status} if self.reason is None else {"status": self.status, "reason": self.reason}


def signature_message(doc: Mapping[str, Any], binding: SignatureBinding) -> bytes:
    """The bytes a module key signs for ``doc`` at ``binding``: context prefix, ``<genesis hash>:<revision>:``,
    then the canonical JSON of ``doc`` without ``signature`` (any existing signature is ignored).

    Raises ``ModnetError('SIGNATURE_INVALID')`` for a malformed binding, ``CanonicalEncodingError`` if ``doc`` is
    not JSON data."""
    genesis_hash, revision = getattr(binding, "genesis_hash", None), getattr(binding, "revision", None)
    if not isinstance(genesis_hash, str) or not _GENESIS_HASH.fullmatch(genesis_hash):
        raise ModnetError("SIGNATURE_INVALID", f"a signature binds a genesis hash of 0x and 64 lowercase hex digits, not {_json(genesis_hash)}")
    if not isinstance(revision, int) or isinstance(revision, bool) or not 0 <= revision <= MAX_REVISION:
        raise ModnetError("SIGNATURE_INVALID", f"a signature binds a revision from 0 to {MAX_REVISION}, not {_js_string(revision)}")
    return _prefixed(f"{METADATA_SIGNATURE_CONTEXT}{genesis_hash}:{revision}:", doc)


def legacy_signature_message(doc: Mapping[str, Any]) -> bytes:
    """The version-1 message (no chain, no revision): only to recognise old signatures."""
    return _prefixed(LEGACY_METADATA_SIGNATURE_CONTEXT, doc)


def _prefixed(context: str, doc: Mapping[str, Any]) -> bytes:
    if not isinstance(doc, Mapping):
        raise TypeError("signature_message: the document must be an object")
    unsigned = {name: value for name, value in doc.items() if name != "signature"}
    return context.encode() + canonical_bytes(unsigned)


def _json(value: object) -> str:
    """``value`` as TypeScript's message shows it (``JSON.stringify``; ``str`` for what JSON cannot show)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _js_string(value: object) -> str:
    """``value`` as a JavaScript template string shows it (``String(value)``), for JSON-like values."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def attach_signature(doc: Mapping[str, Any], signature_type: str, signature: bytes | str) -> dict[str, Any]:
    """A copy of ``doc`` with ``signature`` set to ``{type, value: 0x-hex}`` (``SIGNATURE_INVALID`` for a wrong type or length)."""
    if signature_type not in SIGNATURE_TYPES:
        raise ModnetError("SIGNATURE_INVALID", f'unsupported signature type "{signature_type}"; expected one of {", ".join(SIGNATURE_TYPES)}')
    data = bytes.fromhex(signature[2:] if signature.startswith("0x") else signature) if isinstance(signature, str) else bytes(signature)
    if len(data) != SIGNATURE_BYTES[signature_type]:
        raise ModnetError("SIGNATURE_INVALID", f"a {signature_type} signature is {SIGNATURE_BYTES[signature_type]} bytes, got {len(data)}")
    return {**doc, "signature": {"type": signature_type, "value": "0x" + data.hex()}}


def sign_metadata(doc: Mapping[str, Any], signer: Signer, binding: SignatureBinding) -> dict[str, Any]:
    """Signs ``doc`` with ``signer`` (the module key) for ``binding`` (this chain, the revision the module will
    have while it points at the document) and returns a copy with ``signature`` set.
    The document is not validated here; validate it first if it comes from outside.
    ``SIGNATURE_INVALID`` for an unsupported key type, a wrong-length signature or a malformed binding."""
    if signer.type not in SIGNATURE_TYPES:
        raise ModnetError("SIGNATURE_INVALID", f'cannot sign module metadata with a "{signer.type}" key; use {", ".join(SIGNATURE_TYPES)}')
    return attach_signature(doc, signer.type, signer.sign(signature_message(doc, binding)))


def verify_metadata_signature(doc: Any, module_key: bytes, binding: SignatureBinding) -> SignatureVerification:
    """Checks ``doc["signature"]`` against ``module_key`` (32 bytes for sr25519/ed25519, 33 compressed for ecdsa)
    at ``binding`` (the chain and the revision the module has while it points at ``doc``). The declared type must
    be one that key can have, and the signature must be by that scheme. A signature over the
    ``<Bytes>…</Bytes>``-wrapped message is accepted too. A version-1 signature (no chain, no revision) is
    invalid, and the reason says so. Never raises for bad input."""
    if not isinstance(doc, Mapping):
        return SignatureVerification("invalid", "the document is not an object")
    if "signature" not in doc:
        return SignatureVerification("absent", "the document has no signature")
    signature = doc["signature"]
    if not isinstance(signature, Mapping):
        return SignatureVerification("invalid", 'signature must be an object with "type" and "value"')
    signature_type, value = signature.get("type"), signature.get("value")
    if signature_type not in SIGNATURE_TYPES:
        return SignatureVerification("invalid", f"signature type must be one of {', '.join(SIGNATURE_TYPES)}")
    hex_length = 2 + 2 * SIGNATURE_BYTES[signature_type]
    if not isinstance(value, str) or len(value) != hex_length or not re.fullmatch(r"0x[0-9a-f]*", value):
        return SignatureVerification("invalid", f'a {signature_type} signature value must be "0x" and {hex_length - 2} lowercase hexadecimal characters')
    if not isinstance(module_key, (bytes, bytearray)):
        return SignatureVerification("invalid", "the module key must be bytes")
    if len(module_key) != KEY_BYTES[signature_type]:
        return SignatureVerification(
            "invalid",
            f"a {len(module_key)}-byte module key cannot have made a {signature_type} signature ({signature_type} keys are {KEY_BYTES[signature_type]} bytes)",
        )
    if signature_type == "ecdsa" and module_key[0] not in (0x02, 0x03):
        return SignatureVerification("invalid", "an ecdsa module key must be a 33-byte compressed public key (starting 0x02 or 0x03)")
    try:
        message = signature_message(doc, binding)
    except Exception as error:
        return SignatureVerification("invalid", str(error))
    signature_bytes, key = bytes.fromhex(value[2:]), bytes(module_key)
    crypto = _signature_crypto(message, signature_bytes, key)
    if crypto is None:
        if _signature_crypto(legacy_signature_message(doc), signature_bytes, key) is not None:
            return SignatureVerification(
                "invalid",
                "signed in format v1, which binds neither the chain nor the revision: it may be an old document pointed at again; sign it again",
            )
        return SignatureVerification("invalid", f"the signature does not match this document and module key on this chain at revision {binding.revision}")
    if crypto != signature_type:
        return SignatureVerification("invalid", f"the signature is declared {signature_type} but verifies as {crypto}")
    return SignatureVerification("valid")


def _signature_crypto(message: bytes, signature: bytes, key: bytes) -> str | None:
    """The scheme ``signature`` verifies as, trying what polkadot-js ``signatureVerify`` tries, in its order, then
    the ``<Bytes>``-wrapped message."""
    for candidate in (message, b"<Bytes>" + message + b"</Bytes>"):
        if signature[:1] in (b"\x00", b"\x01", b"\x02") and len(signature) in (65, 66):
            if len(signature) == 66:
                found = _detect(candidate, signature[1:], key, _VERIFIERS_ECDSA)
            else:
                found = _detect(candidate, signature[1:], key, _VERIFIERS) or _detect(candidate, signature, key, _VERIFIERS_ECDSA)
        else:
            found = _detect(candidate, signature, key, _VERIFIERS + _VERIFIERS_ECDSA)
        if found is not None:
            return found
    return None


def _detect(message: bytes, signature: bytes, key: bytes, schemes: tuple[str, ...]) -> str | None:
    for scheme in schemes:
        if verify_signature(scheme, key, message, signature):
            return scheme
    return None
