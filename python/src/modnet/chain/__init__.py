"""Mod-Net's registry chain from Python: :class:`ModuleRegistryClient` over a
node's JSON-RPC or the smoldot light client, key pairs, key-ownership proofs,
history commitments and the registry's storage keys. The flows that also touch IPFS are in
:mod:`modnet.registry`."""

from .history import EMPTY_HISTORY, CheckedHistory, check_history, encode_registry_event, next_head, replay_history
from .client import MAX_PAGE_SIZE, ModuleRegistryClient, ReadAt, WaitFor, connect
from .key_ownership import KEY_OWNERSHIP_DOMAIN, key_ownership_payload, key_ownership_proof
from .keys import parse_account, parse_module_key, ss58_decode, ss58_encode
from ..types import BlockRef, ChainStatus, HistoryHead, ModulePage, ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent, TransferOffer, TxProgress, TxResult
from .signers import DEV_PHRASE, AccountSigner, KeyPair, KeyType, Signer

__all__ = [
    "DEV_PHRASE",
    "EMPTY_HISTORY",
    "KEY_OWNERSHIP_DOMAIN",
    "MAX_PAGE_SIZE",
    "AccountSigner",
    "BlockRef",
    "ChainStatus",
    "CheckedHistory",
    "HistoryHead",
    "KeyPair",
    "KeyType",
    "ModulePage",
    "ModuleRecord",
    "ModuleRegistryClient",
    "ModuleStatus",
    "ReadAt",
    "ReadPoint",
    "RegistryEvent",
    "Signer",
    "TransferOffer",
    "TxProgress",
    "TxResult",
    "WaitFor",
    "check_history",
    "connect",
    "encode_registry_event",
    "key_ownership_payload",
    "key_ownership_proof",
    "next_head",
    "parse_account",
    "parse_module_key",
    "replay_history",
    "ss58_decode",
    "ss58_encode",
]
