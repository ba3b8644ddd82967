"""The seed's two flows, end to end (mirrors ``lib/registry/register.ts``,
``retrieve.ts`` and ``metadata-signer.ts``):

- :func:`register_module`: validate → sign with the module key when its holder
  is at hand (for this chain and the revision the module will have) →
  canonical bytes to IPFS → register or update on chain;
- :func:`retrieve_module`: the record at the finalized block → its CID →
  hash-checked metadata, schema-checked, signature checked against the key on
  this chain at the record's revision.

IPFS is anything with ``add`` and ``cat`` (:class:`IpfsLike`), e.g.
``modnet.ipfs.IPFSClient``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .canonical import canonical_bytes, parse_json_document
from .validate import assert_valid_metadata, validate_metadata
from .chain.client import ModuleRegistryClient, ProgressCallback, WaitFor
from .chain.keys import parse_module_key, ss58_decode
from .types import MAX_METADATA_BYTES, ModuleRecord, ModuleStatus, ReadPoint, TxResult
from .chain.signers import AccountSigner, Signer
from .errors import ChainError, ValidationIssue
from .signature import SignatureBinding, SignatureVerification, sign_metadata, verify_metadata_signature

class IpfsLike(Protocol):
    """The IPFS operations the flows use."""

    async def add(self, data: bytes) -> object:
        """Stores ``data``; its CID (a ``CID`` or its string)."""

    async def cat(self, cid: str, *, max_bytes: int | None = None) -> bytes:
        """The bytes of ``cid``, checked against it (at most ``max_bytes``)."""


@dataclass(frozen=True)
class RegisterModuleResult:
    """What :func:`register_module` did."""

    key: str
    cid: str
    action: Literal["registered", "updated", "unchanged"]
    """``unchanged``: the module already points at this CID; no transaction was sent."""
    metadata: dict[str, Any]
    """The exact document stored (with ``previous`` and ``signature`` if they were added)."""
    block_hash: str | None = None
    block_number: int | None = None
    tx: TxResult | None = None

    def to_json(self) -> dict[str, Any]:
        """The shape ``modnet register --json`` prints."""
        return {
            "key": self.key,
            "cid": self.cid,
            "action": self.action,
            "blockHash": self.block_hash,
            "blockNumber": self.block_number,
            "events": [event.to_json() for event in self.tx.events] if self.tx is not None else [],
        }


@dataclass(frozen=True)
class MetadataVerification:
    """How a retrieved document checked out. ``cid_matches`` is always true when a result is returned (mismatches raise)."""

    signature: SignatureVerification
    schema_issues: list[ValidationIssue] = field(default_factory=list)
    cid_matches: bool = True

    @property
    def schema_valid(self) -> bool:
        return not self.schema_issues

    def to_json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"valid": True} if self.schema_valid else {
            "valid": False, "issues": [{"path": issue.path, "message": issue.message} for issue in self.schema_issues]
        }
        return {"cidMatches": self.cid_matches, "schema": schema, "signature": self.signature.to_json()}


@dataclass(frozen=True)
class RetrievedModule:
    """A module's record, where it was read, and its verified metadata (schema-valid or not: see ``verification``)."""

    record: ModuleRecord
    status: ModuleStatus
    """Yanked revisions, deprecation, a pending transfer offer: read at the same block as the record."""
    read_at: ReadPoint
    metadata: Any
    metadata_bytes: bytes
    verification: MetadataVerification

    def to_json(self) -> dict[str, Any]:
        """The shape ``modnet get --json`` prints."""
        return {
            "record": self.record.to_json(),
            "status": self.status.to_json(),
            "readAt": self.read_at.to_json(),
            "metadata": self.metadata,
            "verification": self.verification.to_json(),
        }


def metadata_signer_for(module_key: str, account: AccountSigner, module_signer: Signer | None = None) -> Signer | None:
    """Which key signs a metadata document: the module-key signer when it holds the key, else the account when
    the module key is its own public key; otherwise none (the document goes unsigned, shown as "absent")."""
    key = bytes.fromhex(parse_module_key(module_key)[2:])
    if module_signer is not None and bytes(module_signer.public_key) == key:
        return module_signer
    # Like the key-ownership proof, which is SignerIsKey whatever module-key signer is given.
    if isinstance(account, Signer) and bytes(account.public_key) == key:
        return account
    return None


async def register_module(
    chain: ModuleRegistryClient,
    ipfs: IpfsLike,
    metadata: Any,
    signer: AccountSigner,
    *,
    module_key: str | None = None,
    module_signer: Signer | None = None,
    sign_metadata: bool = True,
    mode: Literal["register", "update", "auto"] = "auto",
    link_previous: bool = True,
    wait_for: WaitFor = "finalized",
    on_stored: Callable[[str], None] | None = None,
    on_progress: ProgressCallback | None = None,
) -> RegisterModuleResult:
    """Stores ``metadata`` on IPFS and registers (or updates) its CID under ``module_key`` (default: the signer's own key).

    ``mode``: ``register`` refuses an existing module, ``update`` a missing one,
    ``auto`` does whichever applies. On update, ``previous`` is set to the
    current CID when the document has none and is unsigned (``link_previous``).
    The document is signed by the module key when its holder is at hand
    (:func:`metadata_signer_for`) unless ``sign_metadata`` is false, for this
    chain (its genesis hash) and the revision the module will have while it
    points at the document: 0 on register, the current revision + 1 on update.
    """
    assert_valid_metadata(metadata)
    document = dict(metadata)
    key = parse_module_key(module_key if module_key is not None else chain.account_key(signer))
    # Best block: the freshest view of whether this is a register or an update.
    current, _ = await chain.get_module(key, "best")
    if mode == "register" and current is not None:
        raise ChainError(
            "CHAIN_DISPATCH",
            f"moduleRegistry.ModuleAlreadyExists: A module with this key is already registered ({key}, owner {current.owner}); use update.",
            pallet="moduleRegistry", error="ModuleAlreadyExists",
        )
    if mode == "update" and current is None:
        raise ChainError("MODULE_NOT_FOUND", f"no module is registered under {key}; use register")
    if current is not None and ss58_decode(current.owner) != bytes(signer.account_id):
        raise ChainError(
            "CHAIN_DISPATCH",
            f"moduleRegistry.NotOwner: Only the module's owner may do this (module {key} belongs to {current.owner}, not {signer.address}).",
            pallet="moduleRegistry", error="NotOwner",
        )
    if current is not None and link_previous and "previous" not in document and "signature" not in document:
        document = {**document, "previous": current.cid}
    metadata_signer = metadata_signer_for(key, signer, module_signer) if sign_metadata else None
    if metadata_signer is not None and "signature" not in document:
        # Bound to this chain and to the revision the module will have while it points here.
        binding = SignatureBinding(chain.genesis_hash, 0 if current is None else current.revision + 1)
        document = _sign(document, metadata_signer, binding)
    cid = str(await ipfs.add(canonical_bytes(document)))
    if on_stored is not None:
        on_stored(cid)
    if current is not None and current.cid == cid:
        return RegisterModuleResult(key, cid, "unchanged", document)
    if current is None:
        tx = await chain.register(key, cid, signer, module_signer=module_signer, wait_for=wait_for, on_progress=on_progress)
    else:
        tx = await chain.update(key, cid, signer, wait_for=wait_for, on_progress=on_progress)
    return RegisterModuleResult(key, cid, "registered" if current is None else "updated", document, tx.block_hash, tx.block_number, tx)


async def retrieve_module(chain: ModuleRegistryClient, ipfs: IpfsLike, key: str) -> RetrievedModule:
    """The module under ``key`` at the finalized block and its metadata: bytes checked against the on-chain CID
    (a mismatch raises), schema and signature checked and reported in ``verification``; the signature at the
    record's revision on this chain (a document signed for another revision or chain is ``invalid``)."""
    record, at = await chain.require_module(key)
    status, _ = await chain.get_module_status(key, at.block_hash)
    metadata_bytes = await ipfs.cat(record.cid, max_bytes=MAX_METADATA_BYTES)
    metadata = parse_json_document(metadata_bytes)
    issues = validate_metadata(metadata).issues
    signature = verify_metadata_signature(metadata, bytes.fromhex(record.key[2:]), SignatureBinding(chain.genesis_hash, record.revision))
    return RetrievedModule(record, status, at, metadata, metadata_bytes, MetadataVerification(signature, issues))


def _sign(document: dict[str, Any], signer: Signer, binding: SignatureBinding) -> dict[str, Any]:
    # register_module's ``sign_metadata`` flag hides the function there.
    return sign_metadata(document, signer, binding)
