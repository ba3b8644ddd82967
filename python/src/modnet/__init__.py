"""Mod-Net's Python client: module records on the registry chain and their metadata on IPFS, verified.

The TypeScript library (``lib/``) is the reference; this package mirrors it:
``ModuleRegistryClient`` (the chain), :class:`IPFSClient` (IPFS, every block
hash-checked) and the models in :mod:`modnet.types`; canonical JSON
(:func:`canonical_bytes`), CIDs (:func:`compute_cid`) and schema validation
(:func:`validate_metadata`) give the same bytes, CIDs and verdicts as the
TypeScript library.
"""

from .chain import KeyPair, ModuleRegistryClient, connect
from .canonical import MAX_JSON_DEPTH, canonical_bytes, canonical_json, json_pointer, parse_json_document
from .cid import CID, is_cid, parse_cid, verify_block
from .errors import (
    CanonicalEncodingError,
    ChainError,
    IPFSError,
    MetadataParseError,
    MetadataValidationError,
    ModnetError,
    ValidationIssue,
)
from .ipfs import IPFSClient, IPFSStatus
from .types import (
    ENDPOINT_PROTOCOLS,
    MAX_METADATA_BYTES,
    METADATA_SCHEMA,
    METADATA_SCHEMA_ID,
    SIGNATURE_TYPES,
    Artifact,
    Author,
    BlockRef,
    ChainStatus,
    DeprecationSet,
    Endpoint,
    HistoryHead,
    MetadataSignature,
    ModuleMetadata,
    ModulePage,
    ModuleRecord,
    ModuleRegistered,
    ModuleRemoved,
    ModuleStatus,
    ModuleUpdated,
    OwnershipTransferred,
    ReadPoint,
    RegistryEvent,
    RevisionYanked,
    TransferCancelled,
    TransferOffer,
    TransferOffered,
    TxProgress,
    TxResult,
    TxStage,
    VerifiedBy,
)
from .registry import register_module, retrieve_module
from .unixfs import compute_cid
from .validate import ValidationResult, assert_valid_metadata, module_metadata_json_schema, validate_metadata

__all__ = [
    "KeyPair",
    "ModuleRegistryClient",
    "connect",
    "register_module",
    "retrieve_module",
    "CID",
    "ENDPOINT_PROTOCOLS",
    "MAX_JSON_DEPTH",
    "MAX_METADATA_BYTES",
    "METADATA_SCHEMA",
    "METADATA_SCHEMA_ID",
    "SIGNATURE_TYPES",
    "Artifact",
    "Author",
    "BlockRef",
    "ChainStatus",
    "CanonicalEncodingError",
    "ChainError",
    "DeprecationSet",
    "Endpoint",
    "HistoryHead",
    "IPFSClient",
    "IPFSError",
    "IPFSStatus",
    "MetadataParseError",
    "MetadataSignature",
    "MetadataValidationError",
    "ModnetError",
    "ModuleMetadata",
    "ModulePage",
    "ModuleRecord",
    "ModuleRegistered",
    "ModuleRemoved",
    "ModuleStatus",
    "ModuleUpdated",
    "OwnershipTransferred",
    "ReadPoint",
    "RegistryEvent",
    "RevisionYanked",
    "TransferCancelled",
    "TransferOffer",
    "TransferOffered",
    "TxProgress",
    "TxResult",
    "TxStage",
    "VerifiedBy",
    "ValidationIssue",
    "ValidationResult",
    "assert_valid_metadata",
    "canonical_bytes",
    "canonical_json",
    "compute_cid",
    "is_cid",
    "json_pointer",
    "module_metadata_json_schema",
    "parse_cid",
    "parse_json_document",
    "validate_metadata",
    "verify_block",
]
