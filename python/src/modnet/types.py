"""Typed views of Mod-Net's data: the metadata document and what the registry chain returns.

Mirrors ``lib/types/metadata.ts`` and ``lib/types/chain.ts``. The JSON Schema
(``schema/module-metadata.v1.json``) is the authority on metadata: these
models are typed views of a document that already passed
:func:`modnet.validate.validate_metadata`, which is how
:meth:`ModuleMetadata.from_document` and ``assert_valid_metadata`` make them.
Field names are Python's (``media_type``); the JSON names (``mediaType``) are
their aliases, and :meth:`ModuleMetadata.to_document` gives the document back
with exactly its JSON names, extension (``x-``) properties included.

The chain models are the one definition of what :mod:`modnet.chain` returns
(records, events, read points, transactions, pages, status). They read the
TypeScript library's JSON (camelCase aliases: ``registeredAt``,
``blockHash``...) and their ``to_json()`` writes it, as ``python -m modnet
--json`` prints it: balances as decimal strings, absent fields left out.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, TypeAdapter, field_serializer, model_serializer
from pydantic.alias_generators import to_camel

METADATA_SCHEMA: Literal["modnet/module-metadata/v1"] = "modnet/module-metadata/v1"
"""Value of the ``schema`` property of every v1 metadata document."""
METADATA_SCHEMA_ID = "urn:modnet:schema:module-metadata:v1"
"""``$id`` of the JSON Schema describing v1 metadata documents."""
MAX_METADATA_BYTES = 65536
"""Largest allowed size, in bytes, of a metadata document's canonical (RFC 8785) UTF-8 encoding."""
SIGNATURE_TYPES = ("sr25519", "ed25519", "ecdsa")
"""Signature schemes a module key can use."""
ENDPOINT_PROTOCOLS = ("http", "grpc", "jsonrpc", "websocket", "graphql", "libp2p")
"""Application protocols an endpoint may declare."""

SignatureType = Literal["sr25519", "ed25519", "ecdsa"]
EndpointProtocol = Literal["http", "grpc", "jsonrpc", "websocket", "graphql", "libp2p"]


class _Document(BaseModel):
    """A part of a metadata document: JSON names as aliases, immutable."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, alias_generator=to_camel)


class Author(_Document):
    """One author: a name (1–128 characters), optionally an email address and an http(s) URL."""

    name: str
    email: str | None = None
    url: str | None = None


class Artifact(_Document):
    """One content-addressed file of the module (binaries, archives, WebAssembly, documentation...)."""

    cid: str
    """IPFS CID (v0 or v1) of the content."""
    size: int
    """Content size in bytes (0 to 2^53 − 1)."""
    media_type: str
    """RFC 6838 ``type/subtype``, e.g. ``application/wasm`` (JSON: ``mediaType``)."""
    sha256: str
    """SHA-256 of the content, 64 lowercase hex characters."""
    name: str | None = None
    """File name or label, 1–128 characters."""


class Endpoint(_Document):
    """A network endpoint where a running instance can be reached."""

    url: str
    protocol: EndpointProtocol | None = None
    description: str | None = None


class DependencyByKey(_Document):
    """A dependency named by its module key, the identity on chain (``modnet resolve`` follows these)."""

    key: str
    """The module key, ``0x`` + lowercase hex: 32 bytes (sr25519, ed25519) or 33 (compressed ecdsa)."""
    version: str | None = None
    """SemVer range the dependency's metadata ``version`` must satisfy."""
    cid: str | None = None
    """CID of the dependency's metadata document this module was built against (a pin)."""


class MetadataSignature(_Document):
    """The module key's signature over the document without it (see ``lib/types/signature.ts``)."""

    type: SignatureType
    value: str
    """``0x`` + lowercase hex: 64 bytes (sr25519, ed25519) or 65 bytes (ecdsa)."""


class ModuleMetadata(_Document):
    """A v1 module metadata document (the JSON a module key points to on chain, by CID).

    Extension properties (names starting with ``x-``) are kept as they are,
    in :attr:`extensions`.
    """

    model_config = ConfigDict(extra="allow")

    schema_: Literal["modnet/module-metadata/v1"] = Field(default=METADATA_SCHEMA, alias="schema")
    """Always ``modnet/module-metadata/v1`` (JSON: ``schema``)."""
    name: str
    """Lowercase module name, 1–64 characters of ``a-z 0-9 . _ -``."""
    version: str
    """SemVer 2.0.0 version, no leading ``v``."""
    description: str
    authors: list[Author] | None = None
    license: str | None = None
    """SPDX license expression, e.g. ``MIT`` or ``Apache-2.0 OR MIT``."""
    repository: str | None = None
    homepage: str | None = None
    keywords: list[str] | None = None
    artifacts: list[Artifact] | None = None
    endpoints: list[Endpoint] | None = None
    dependencies: dict[str, str | DependencyByKey] | None = None
    """Module name → SemVer range (named only: names are claims) or a :class:`DependencyByKey`."""
    previous: str | None = None
    """CID of this module's previous metadata document."""
    created: str | None = None
    """RFC 3339 date-time with a time zone, as written in the document."""
    signature: MetadataSignature | None = None

    @property
    def extensions(self) -> dict[str, Any]:
        """The extension (``x-``) properties, by name."""
        return dict(self.model_extra or {})

    def to_document(self) -> dict[str, Any]:
        """The JSON document: JSON names, absent properties left out, extensions as they were."""
        extra = self.model_extra or {}
        document: dict[str, Any] = self.model_dump(by_alias=True, exclude_none=True, exclude=set(extra))
        document.update(extra)
        return document

    @classmethod
    def from_document(cls, document: Any) -> ModuleMetadata:
        """Validates ``document`` against the schema and returns its typed view.

        :raises modnet.errors.MetadataValidationError: listing every problem.
        """
        from .validate import assert_valid_metadata

        return assert_valid_metadata(document)


# --- the chain ------------------------------------------------------------------------------------


class _ChainModel(BaseModel):
    """Chain data: snake_case in Python, the TypeScript library's camelCase as aliases; immutable."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, alias_generator=to_camel)

    def to_json(self) -> dict[str, Any]:
        """The TypeScript library's JSON shape (what the CLIs print): camelCase names, absent fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


VerifiedBy = Literal["light-client", "rpc"]
"""Who vouches for a read: a light client that checked a proof, or a JSON-RPC node, trusted as is."""


class ModuleRecord(_ChainModel):
    """A module as stored on chain (pallet ``ModuleRegistry``, storage ``Modules``)."""

    key: str
    """The module's public key, 0x-hex: 32 bytes (sr25519/ed25519) or 33 (ecdsa)."""
    owner: str
    """SS58 address of the only account that may update, remove or transfer it."""
    cid: str
    """CID of the module's metadata document."""
    revision: int
    """0 at registration, +1 per update."""
    registered_at: int
    """Block number of the registration."""
    updated_at: int
    """Block number of the latest update."""
    deposit: int
    """Deposit held from the owner for this record, in the chain's smallest unit."""

    @field_serializer("deposit", when_used="json")
    def _deposit_as_decimal(self, deposit: int) -> str:
        """A balance can exceed 2^53, which JSON readers (JavaScript's among them) would round: a decimal string."""
        return str(deposit)


class ReadPoint(_ChainModel):
    """The block a chain read was made at, and who vouches for it.

    ``verified_by``: ``light-client`` when smoldot checked a storage proof (or,
    for runtime API reads such as listing pages, executed the call against a
    call proof) at a GRANDPA-finalized header; ``rpc`` for a JSON-RPC node's
    answer, trusted as is.
    """

    block_hash: str
    block_number: int
    verified_by: VerifiedBy
    finalized: bool


class _EventBase(_ChainModel):
    type: str
    key: str
    """The module's key, 0x-hex."""
    block_number: int
    block_hash: str

    @model_serializer(mode="wrap")
    def _block_last(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The block comes last, as the TypeScript library prints events (type, key, the event's own fields, block)."""
        data: dict[str, Any] = handler(self)
        for name in ("block_number", "blockNumber", "block_hash", "blockHash"):
            if name in data:
                data[name] = data.pop(name)
        return data


class ModuleRegistered(_EventBase):
    type: Literal["ModuleRegistered"] = "ModuleRegistered"
    owner: str
    cid: str


class ModuleUpdated(_EventBase):
    type: Literal["ModuleUpdated"] = "ModuleUpdated"
    owner: str
    old_cid: str
    new_cid: str
    revision: int


class ModuleRemoved(_EventBase):
    type: Literal["ModuleRemoved"] = "ModuleRemoved"
    owner: str


class OwnershipTransferred(_EventBase):
    type: Literal["OwnershipTransferred"] = "OwnershipTransferred"
    # Not ``alias``: type checkers would then want ``from=`` in the constructor, which Python cannot spell.
    from_: str = Field(validation_alias="from", serialization_alias="from")
    """The previous owner (JSON: ``from``)."""
    to: str


class TransferOffered(_EventBase):
    """The owner offered the module to ``to``, who can accept it until block ``expires_at``."""

    type: Literal["TransferOffered"] = "TransferOffered"
    from_: str = Field(validation_alias="from", serialization_alias="from")
    """The owner who made the offer (JSON: ``from``)."""
    to: str
    expires_at: int
    """The last block in which the offer can be accepted."""


class TransferCancelled(_EventBase):
    """A pending offer was withdrawn (by the owner) or declined (by the recipient)."""

    type: Literal["TransferCancelled"] = "TransferCancelled"
    owner: str
    to: str


class RevisionYanked(_EventBase):
    """The owner yanked (``yanked``) or restored a revision."""

    type: Literal["RevisionYanked"] = "RevisionYanked"
    owner: str
    revision: int
    yanked: bool


class DeprecationSet(_EventBase):
    """The owner deprecated the module with ``note``, or (``note`` ``None``, absent in JSON) lifted the deprecation."""

    type: Literal["DeprecationSet"] = "DeprecationSet"
    owner: str
    note: str | None = None


RegistryEvent = Annotated[
    Union[
        ModuleRegistered, ModuleUpdated, ModuleRemoved, OwnershipTransferred, TransferOffered, TransferCancelled, RevisionYanked, DeprecationSet
    ],
    Field(discriminator="type"),
]
"""One of the pallet's events, the registry's audit trail (and, in order, what a key's history commitment hashes);
``type`` says which."""

registry_event = TypeAdapter(RegistryEvent)
"""Validates or dumps a :data:`RegistryEvent` (e.g. ``registry_event.validate_python(json)``)."""

class HistoryHead(_ChainModel):
    """A key's history commitment (``ModuleHistory``): how many events the hash chain covers (also the next
    key-ownership proof's nonce) and its head, 0x-hex (32 zero bytes before the first event)."""

    length: int
    head: str


class TransferOffer(_ChainModel):
    """A pending transfer offer."""

    to: str
    expires_at: int
    """The last block in which it can be accepted."""


class ModuleStatus(_ChainModel):
    """What an owner has said about a module besides its CID (``ModuleStatuses``); empty when nothing is set."""

    yanked: list[int] = Field(default_factory=list)
    """Yanked revisions, ascending."""
    deprecation: str | None = None
    transfer_offer: TransferOffer | None = None


TxStage = Literal["signing", "ready", "inBlock", "finalized"]
"""Stages a transaction reports while the caller waits (the TypeScript library's names)."""


class TxProgress(_ChainModel):
    """A transaction's progress: its stage, and for ``inBlock`` and ``finalized`` the block."""

    stage: TxStage
    block_hash: str | None = None


class TxResult(_ChainModel):
    """A transaction that made it: where, and what it emitted (``finalized`` unless asked to stop at inclusion)."""

    block_hash: str
    block_number: int
    stage: Literal["inBlock", "finalized"]
    events: list[RegistryEvent] = Field(default_factory=list)


class ModulePage(_ChainModel):
    """One page of modules, in storage order, read at one block."""

    modules: list[ModuleRecord]
    next_key: str | None = None
    """Pass as ``start_key`` for the next page; ``None`` on the last page."""
    at: ReadPoint


class BlockRef(_ChainModel):
    """A block by hash and number."""

    hash: str
    number: int


class ChainStatus(_ChainModel):
    """What :meth:`modnet.chain.ModuleRegistryClient.status` reports: the connection, its sync state, the chain's head."""

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
