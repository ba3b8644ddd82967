"""Plain data the registry chain returns (mirrors ``lib/types/chain.ts``).

Keys are 0x-hex public keys, CIDs are strings, accounts are SS58 addresses,
block numbers and balances are ints. ``to_json()`` gives the same shape (and
camelCase names) as the TypeScript library and CLI print, balances as
decimal strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

VerifiedBy = Literal["light-client", "rpc"]
TxStage = Literal["signing", "ready", "inBlock", "finalized"]
RegistryEventType = Literal["ModuleRegistered", "ModuleUpdated", "ModuleRemoved", "OwnershipTransferred"]


@dataclass(frozen=True)
class ModuleRecord:
    """A module as stored on chain (pallet ``ModuleRegistry``, storage ``Modules``)."""

    key: str
    """The module's public key, 0x-hex: 32 bytes (sr25519/ed25519) or 33 (compressed ecdsa)."""
    owner: str
    """SS58 address of the only account that may update, remove or transfer it."""
    cid: str
    """CID of the module's metadata document."""
    revision: int
    """0 at registration, +1 per update."""
    registered_at: int
    updated_at: int
    deposit: int
    """Deposit held from the owner for this record, in the chain's smallest unit."""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "owner": self.owner,
            "cid": self.cid,
            "revision": self.revision,
            "registeredAt": self.registered_at,
            "updatedAt": self.updated_at,
            "deposit": str(self.deposit),
        }


@dataclass(frozen=True)
class ReadPoint:
    """The block a read was made at, and who vouches for it.

    ``verified_by``: ``light-client`` when smoldot checked a storage proof (or,
    for runtime API reads such as listing pages, executed the call against a
    call proof) at a GRANDPA-finalized header; ``rpc`` for a JSON-RPC node's
    answer, trusted as is.
    """

    block_hash: str
    block_number: int
    verified_by: VerifiedBy
    finalized: bool

    def to_json(self) -> dict[str, Any]:
        return {"blockHash": self.block_hash, "blockNumber": self.block_number, "verifiedBy": self.verified_by, "finalized": self.finalized}


@dataclass(frozen=True)
class RegistryEvent:
    """One of the pallet's events (the registry's audit trail).

    Which optional fields are set depends on ``type``: ``ModuleRegistered``
    (owner, cid), ``ModuleUpdated`` (owner, old_cid, new_cid, revision),
    ``ModuleRemoved`` (owner), ``OwnershipTransferred`` (from_, to).
    """

    type: RegistryEventType
    key: str
    block_number: int
    block_hash: str
    owner: str | None = None
    cid: str | None = None
    old_cid: str | None = None
    new_cid: str | None = None
    revision: int | None = None
    from_: str | None = None
    to: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "key": self.key}
        names = {"owner": "owner", "cid": "cid", "old_cid": "oldCid", "new_cid": "newCid", "revision": "revision", "from_": "from", "to": "to"}
        for attribute, name in names.items():
            value = getattr(self, attribute)
            if value is not None:
                out[name] = value
        out["blockNumber"] = self.block_number
        out["blockHash"] = self.block_hash
        return out


@dataclass(frozen=True)
class TxProgress:
    """A stage a transaction reached: ``signing``, ``ready`` (in the pool), ``inBlock``, ``finalized``."""

    stage: TxStage
    block_hash: str | None = None
    """For ``inBlock`` and ``finalized``."""


@dataclass(frozen=True)
class TxResult:
    """A transaction that made it: where, and what it emitted."""

    block_hash: str
    block_number: int
    stage: Literal["inBlock", "finalized"]
    """``finalized`` unless the caller asked to stop at inclusion."""
    events: list[RegistryEvent] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"blockHash": self.block_hash, "blockNumber": self.block_number, "stage": self.stage, "events": [e.to_json() for e in self.events]}


@dataclass(frozen=True)
class ModulePage:
    """One page of modules, in storage order, read at one block."""

    modules: list[ModuleRecord]
    next_key: str | None
    """Pass as ``start_key`` for the next page; ``None`` on the last page."""
    at: ReadPoint


@dataclass(frozen=True)
class BlockRef:
    """A block by hash and number."""

    hash: str
    number: int


@dataclass(frozen=True)
class ChainStatus:
    """What :meth:`ModuleRegistryClient.status` reports."""

    connection: VerifiedBy
    endpoint: str
    chain: str
    genesis_hash: str
    spec_version: int
    peers: int
    is_syncing: bool
    best: int
    finalized: int
    finalized_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "connection": self.connection,
            "endpoint": self.endpoint,
            "chain": self.chain,
            "genesisHash": self.genesis_hash,
            "specVersion": self.spec_version,
            "peers": self.peers,
            "isSyncing": self.is_syncing,
            "best": self.best,
            "finalized": self.finalized,
            "finalizedHash": self.finalized_hash,
        }
