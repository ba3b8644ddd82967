"""Key-ownership proofs (``pallet/src/proof.rs``; mirrors ``lib/chain/key-ownership.ts``).

Registering a module under a key needs either the key to be the signer's own
account key (``SignerIsKey``), or a signature by the key over
``b"modnet/register-module/v2:" ‖ genesis hash ‖ account ‖ module key ‖ nonce``,
so that a proof is good for one chain, one account and one registration: the
nonce (u32 little-endian) is the key's history length (``ModuleHistory``), which
every registration raises, so a removed module cannot be registered again with
an old proof.
"""

from __future__ import annotations

from typing import Literal, Union

from ..errors import ChainError
from .signers import Signer

KEY_OWNERSHIP_DOMAIN = b"modnet/register-module/v2:"
"""Must equal ``PROOF_DOMAIN`` in pallet/src/proof.rs."""

_VARIANT = {"sr25519": "Sr25519", "ed25519": "Ed25519", "ecdsa": "Ecdsa"}

KeyOwnershipProof = Union[Literal["SignerIsKey"], dict[str, dict[str, str]]]
"""``"SignerIsKey"`` or ``{"Signature": {"Sr25519" | "Ed25519" | "Ecdsa": "0x…"}}``, as substrate-interface encodes the enum."""


def key_ownership_payload(genesis_hash: bytes, account: bytes, module_key: bytes, nonce: int) -> bytes:
    """The bytes the module key signs to let ``account`` register it on the chain with ``genesis_hash``;
    ``nonce`` is the key's history length (``ModuleHistory``), 0 for a key never registered."""
    if isinstance(nonce, bool) or not isinstance(nonce, int) or not 0 <= nonce <= 0xFFFF_FFFF:
        raise ChainError("BAD_SIGNER", f"key-ownership nonce {nonce!r} is not a u32")
    return KEY_OWNERSHIP_DOMAIN + genesis_hash + account + module_key + nonce.to_bytes(4, "little")


def key_ownership_proof(genesis_hash: str, account: bytes, module_key: str, nonce: int, module_signer: Signer | None = None) -> KeyOwnershipProof:
    """The proof for ``account`` (32-byte id) registering ``module_key`` (0x-hex) on the chain with ``genesis_hash``,
    when the key's history has ``nonce`` events.

    ``SignerIsKey`` when the key is the account's own, otherwise a signature by
    ``module_signer``, which must hold that key (``BAD_SIGNER`` if absent or another key).
    """
    key = bytes.fromhex(module_key[2:])
    if key == account:
        return "SignerIsKey"
    if module_signer is None:
        raise ChainError(
            "BAD_SIGNER",
            f"module key {module_key} is not the signer's own key: the module key's secret is needed to prove ownership (--module-key-uri or --module-key-file)",
        )
    if bytes(module_signer.public_key) != key:
        raise ChainError("BAD_SIGNER", f"the module-key signer holds 0x{bytes(module_signer.public_key).hex()}, not the module key {module_key}")
    variant = _VARIANT.get(module_signer.type)
    if variant is None:
        raise ChainError("BAD_SIGNER", f"a {module_signer.type} key cannot sign a key-ownership proof (sr25519, ed25519 or ecdsa only)")
    signature = module_signer.sign(key_ownership_payload(bytes.fromhex(genesis_hash[2:]), account, key, nonce))
    return {"Signature": {variant: "0x" + bytes(signature).hex()}}
