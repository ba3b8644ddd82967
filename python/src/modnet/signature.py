"""Metadata signatures by the module key (mirrors ``lib/types/signature.ts``).

The signed message is the UTF-8 bytes of
``"modnet/module-metadata-signature/v1:"`` followed by the canonical
(RFC 8785) encoding of the document without its ``signature`` property, so a
signature made here verifies in TypeScript and the reverse. Verification also
accepts a signature over that message wrapped in ``<Bytes>…</Bytes>`` (what
browser wallet extensions sign), and names the scheme a signature verifies as
the way polkadot-js' ``signatureVerify`` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .canonical import canonical_bytes
from .chain.signers import Signer, verify_signature
from .errors import ModnetError

METADATA_SIGNATURE_CONTEXT = "modnet/module-metadata-signature/v1:"
"""Domain-separation prefix of the signed message."""

SignatureType = Literal["sr25519", "ed25519", "ecdsa"]
SIGNATURE_TYPES: tuple[SignatureType, ...] = ("sr25519", "ed25519", "ecdsa")
SIGNATURE_BYTES = {"sr25519": 64, "ed25519": 64, "ecdsa": 65}
KEY_BYTES = {"sr25519": 32, "ed25519": 32, "ecdsa": 33}

_VERIFIERS = ("ed25519", "sr25519")
_VERIFIERS_ECDSA = ("ecdsa", "ethereum")


@dataclass(frozen=True)
class SignatureVerification:
    """``valid``, ``absent`` or ``invalid``; ``reason`` explains ``invalid`` (and ``absent``)."""

    status: Literal["valid", "absent", "invalid"]
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status} if self.reason is None else {"status": self.status, "reason": self.reason}


def signature_message(doc: Mapping[str, Any]) -> bytes:
    """The bytes a module key signs for ``doc``: context prefix ‖ canonical JSON of ``doc`` without ``signature``."""
    if not isinstance(doc, Mapping):
        raise TypeError("signature_message: the document must be an object")
    unsigned = {name: value for name, value in doc.items() if name != "signature"}
    return METADATA_SIGNATURE_CONTEXT.encode() + canonical_bytes(unsigned)


def attach_signature(doc: Mapping[str, Any], signature_type: str, signature: bytes | str) -> dict[str, Any]:
    """A copy of ``doc`` with ``signature`` set to ``{type, value: 0x-hex}`` (``SIGNATURE_INVALID`` for a wrong type or length)."""
    if signature_type not in SIGNATURE_TYPES:
        raise ModnetError("SIGNATURE_INVALID", f'unsupported signature type "{signature_type}"; expected one of {", ".join(SIGNATURE_TYPES)}')
    data = bytes.fromhex(signature[2:] if signature.startswith("0x") else signature) if isinstance(signature, str) else bytes(signature)
    if len(data) != SIGNATURE_BYTES[signature_type]:
        raise ModnetError("SIGNATURE_INVALID", f"a {signature_type} signature is {SIGNATURE_BYTES[signature_type]} bytes, got {len(data)}")
    return {**doc, "signature": {"type": signature_type, "value": "0x" + data.hex()}}


def sign_metadata(doc: Mapping[str, Any], signer: Signer) -> dict[str, Any]:
    """Signs ``doc`` with ``signer`` (the module key) and returns a copy with ``signature`` set.
    The document is not validated here; validate it first if it comes from outside."""
    if signer.type not in SIGNATURE_TYPES:
        raise ModnetError("SIGNATURE_INVALID", f'cannot sign module metadata with a "{signer.type}" key; use {", ".join(SIGNATURE_TYPES)}')
    return attach_signature(doc, signer.type, signer.sign(signature_message(doc)))


def verify_metadata_signature(doc: Any, module_key: bytes) -> SignatureVerification:
    """Checks ``doc["signature"]`` against ``module_key`` (32 bytes for sr25519/ed25519, 33 compressed for ecdsa).
    Never raises for bad input."""
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
        message = signature_message(doc)
    except Exception as error:
        return SignatureVerification("invalid", str(error))
    crypto = _signature_crypto(message, bytes.fromhex(value[2:]), bytes(module_key))
    if crypto is None:
        return SignatureVerification("invalid", "the signature does not match this document and module key")
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
