"""Mod-Net's registry chain from Python: :class:`ModuleRegistryClient` over a
node's JSON-RPC or the smoldot light client, key pairs, key-ownership proofs
and the registry's storage keys. The flows that also touch IPFS are in
:mod:`modnet.registry`."""

from .client import MAX_PAGE_SIZE, ModuleRegistryClient, ReadAt, WaitFor, connect
from .key_ownership import KEY_OWNERSHIP_DOMAIN, key_ownership_payload, key_ownership_proof
from .keys import parse_account, parse_module_key, ss58_decode, ss58_encode
from ..types import BlockRef, ChainStatus, ModulePage, ModuleRecord, ReadPoint, RegistryEvent, TxProgress, TxResult
from .signers import DEV_PHRASE, AccountSigner, KeyPair, KeyType, Signer

__all__ = [
    "DEV_PHRASE",
    "KEY_OWNERSHIP_DOMAIN",
    "MAX_PAGE_SIZE",
    "AccountSigner",
    "BlockRef",
    "ChainStatus",
    "KeyPair",
    "KeyType",
    "ModulePage",
    "ModuleRecord",
    "ModuleRegistryClient",
    "ReadAt",
    "ReadPoint",
    "RegistryEvent",
    "Signer",
    "TxProgress",
    "TxResult",
    "WaitFor",
    "connect",
    "key_ownership_payload",
    "key_ownership_proof",
    "parse_account",
    "parse_module_key",
    "ss58_decode",
    "ss58_encode",
]
