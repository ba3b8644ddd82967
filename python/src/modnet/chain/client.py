"""``ModuleRegistryClient``: the registry chain, asynchronously, over a node's
JSON-RPC WebSocket or the smoldot light client (mirrors ``lib/chain/client.ts``).

Reads default to the finalized block and say where they were made and who
vouches for them (:class:`~modnet.types.ReadPoint`). Writes report
their progress (signing → ready → inBlock → finalized) and fail with the
pallet's error name. The blocking work (substrate-interface, the socket, the
light client) runs in worker threads, one call at a time per connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, Literal, TypeVar, Union

from ..errors import ChainError, ModnetError
from .cid_codec import cid_to_chain
from .key_ownership import key_ownership_proof
from .keys import account_id, parse_account, parse_module_key
from ..types import (
    BlockRef, ChainStatus, HistoryHead, ModulePage, ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent, TxProgress, TxResult, VerifiedBy,
)
from .scale import decode_history, decode_page, decode_record, decode_status, encode_option_bytes, encode_u32
from .signers import AccountSigner, Signer
from .storage_keys import MODULE_COUNT_KEY, module_history_storage_key, module_status_storage_key, module_storage_key
from .substrate import EventRecord, SubstrateSession, registry_events
from .transport import RpcError, SmoldotTransport, Transport, WebSocketTransport

ReadAt = Union[Literal["finalized", "best"], str]
"""Which block a read is made at: the last finalized (default), the best, or a 0x-hex block hash."""
WaitFor = Literal["inBlock", "finalized"]
ProgressCallback = Callable[[TxProgress], None]
T = TypeVar("T")

MAX_PAGE_SIZE = 1000
"""The most records one page holds (the pallet's ``MAX_PAGE``)."""

READ_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0)
"""Waits before retrying a light-client read no peer could serve (about 15 s in all, like the TypeScript provider)."""

MAX_GAP = 256
"""How far back :meth:`ModuleRegistryClient.watch_events` fills a gap of missed finalized blocks."""

DEFAULT_TX_TIMEOUT = 120.0


async def connect(rpc_url: str | None = None, *, chain_spec: str | None = None, timeout: float | None = None, sync_timeout: float = 90.0) -> ModuleRegistryClient:
    """Opens the registry chain: a node over JSON-RPC (``rpc_url``, ``ws://`` or ``wss://``, trusted) or the smoldot
    light client (``chain_spec``: a chain spec file or its JSON text; reads checked against finalized headers).

    ``timeout`` bounds each request (default 30 s over RPC, 60 s through the light
    client); a light client first waits up to ``sync_timeout`` seconds to have
    peers and to be synced.
    """
    if (rpc_url is None) == (chain_spec is None):
        raise ChainError("CHAIN_UNAVAILABLE", "connect to a node (rpc_url) or through the light client (chain_spec), one of the two")
    if rpc_url is not None:
        if not re.match(r"^wss?://", rpc_url):
            raise ChainError("CHAIN_UNAVAILABLE", f'"{rpc_url}" is not a WebSocket URL: use ws://127.0.0.1:9944 or wss://…')
        request_timeout = timeout if timeout is not None else 30.0
        transport: Transport = await asyncio.to_thread(WebSocketTransport, rpc_url, request_timeout)
        endpoint = rpc_url
    else:
        assert chain_spec is not None
        spec = _chain_spec_text(chain_spec)
        request_timeout = timeout if timeout is not None else 60.0
        transport = await _synced_light_client(spec, request_timeout, sync_timeout)
        endpoint = "smoldot (chain spec)"
    session = SubstrateSession(transport)
    try:
        genesis = await _call(session, "chain_getBlockHash", [0])
        properties = await _call(session, "system_properties", [])
    except BaseException:
        await asyncio.to_thread(session.close)
        raise
    ss58 = properties.get("ss58Format", properties.get("SS58Prefix", 42)) if isinstance(properties, dict) else 42
    return ModuleRegistryClient(session, endpoint=endpoint, genesis_hash=str(genesis), ss58_format=int(ss58 if ss58 is not None else 42))


class ModuleRegistryClient:
    """The registry chain: reads (with where they were made) and signed writes. Open with :func:`connect`."""

    def __init__(self, session: SubstrateSession, *, endpoint: str, genesis_hash: str, ss58_format: int) -> None:
        self._session = session
        self.endpoint = endpoint
        self._genesis_hash = genesis_hash
        self._ss58_format = ss58_format

    connect = staticmethod(connect)

    async def __aenter__(self) -> ModuleRegistryClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the connection (or stops the light client)."""
        await asyncio.to_thread(self._session.close)

    @property
    def verified_by(self) -> VerifiedBy:
        """``light-client`` or ``rpc``: who vouches for this client's reads."""
        return "light-client" if self._session.kind == "light-client" else "rpc"

    @property
    def genesis_hash(self) -> str:
        """The chain's genesis hash, 0x-hex."""
        return self._genesis_hash

    @property
    def ss58_format(self) -> int:
        """The chain's SS58 address prefix."""
        return self._ss58_format

    def format_address(self, account: str) -> str:
        """An account (0x-hex public key or any SS58) in this chain's SS58 format."""
        return parse_account(account, self._ss58_format)

    def account_key(self, signer: AccountSigner) -> str:
        """The account's own public key (its account id), 0x-hex: the default module key."""
        return "0x" + bytes(signer.account_id).hex()

    # ---- reads ----

    async def get_module(self, key: str, at: ReadAt = "finalized") -> tuple[ModuleRecord | None, ReadPoint]:
        """The module under ``key`` (or ``None``) and the block it was read at."""
        module_key = parse_module_key(key)
        point = await self.read_point(at)
        value = await self._read("state_getStorage", [module_storage_key(module_key), point.block_hash])
        record = None if value is None else decode_record(module_key, _bytes(value), self._ss58_format)
        return record, point

    async def require_module(self, key: str, at: ReadAt = "finalized") -> tuple[ModuleRecord, ReadPoint]:
        """Like :meth:`get_module`, but a missing module is ``ChainError('MODULE_NOT_FOUND')``."""
        record, point = await self.get_module(key, at)
        if record is None:
            raise ChainError("MODULE_NOT_FOUND", f"no module is registered under key {parse_module_key(key)} (at block #{point.block_number})")
        return record, point

    async def list_modules(self, page_size: int = 100, start_key: str | None = None, at: ReadAt = "finalized") -> ModulePage:
        """One page of modules in storage order (by the hash of the key), stable across pages read at the
        same block. ``start_key`` is the previous page's ``next_key`` (a module key)."""
        point = await self.read_point(at)
        size = _page_size(page_size)
        after = None if start_key is None else bytes.fromhex(parse_module_key(start_key)[2:])
        args = encode_option_bytes(after) + encode_u32(size)
        modules = await self._runtime_page("ModuleRegistryApi_modules_page", args, point)
        return ModulePage(modules=modules, next_key=modules[-1].key if len(modules) == size else None, at=point)

    async def list_modules_of(self, owner: str, page_size: int = 100, start_key: str | None = None, at: ReadAt = "finalized") -> ModulePage:
        """Like :meth:`list_modules`, for the modules ``owner`` (SS58 or 0x-hex) owns, with their records."""
        who = account_id(owner)
        point = await self.read_point(at)
        size = _page_size(page_size)
        after = None if start_key is None else bytes.fromhex(parse_module_key(start_key)[2:])
        args = who + encode_option_bytes(after) + encode_u32(size)
        modules = await self._runtime_page("ModuleRegistryApi_modules_of_page", args, point)
        return ModulePage(modules=modules, next_key=modules[-1].key if len(modules) == size else None, at=point)

    async def modules_of(self, owner: str, at: ReadAt = "finalized") -> tuple[list[str], ReadPoint]:
        """Keys of the modules ``owner`` holds (the pallet's owner index), sorted."""
        account_id(owner)
        point = await self.read_point(at)
        keys: list[str] = []
        start: str | None = None
        while True:
            page = await self.list_modules_of(owner, MAX_PAGE_SIZE, start, point.block_hash)
            keys.extend(module.key for module in page.modules)
            if page.next_key is None:
                return sorted(keys), point
            start = page.next_key

    async def get_history(self, key: str, at: ReadAt = "finalized") -> tuple[HistoryHead, ReadPoint]:
        """The key's history commitment (``ModuleHistory``): a hash chain over all of its registry events, kept
        after removal (zero length and head for a key never used); check a source's events against it with
        :func:`modnet.chain.history.check_history`."""
        module_key = parse_module_key(key)
        point = await self.read_point(at)
        value = await self._read("state_getStorage", [module_history_storage_key(module_key), point.block_hash])
        return decode_history(None if value is None else _bytes(value)), point

    async def get_module_status(self, key: str, at: ReadAt = "finalized") -> tuple[ModuleStatus, ReadPoint]:
        """Yanked revisions, deprecation and a pending transfer offer of the module under ``key``
        (``ModuleStatuses``; empty when none is set)."""
        module_key = parse_module_key(key)
        point = await self.read_point(at)
        value = await self._read("state_getStorage", [module_status_storage_key(module_key), point.block_hash])
        return decode_status(None if value is None else _bytes(value), self._ss58_format), point

    async def count(self, at: ReadAt = "finalized") -> tuple[int, ReadPoint]:
        """How many modules are registered."""
        point = await self.read_point(at)
        value = await self._read("state_getStorage", [MODULE_COUNT_KEY, point.block_hash])
        return (0 if value is None else int.from_bytes(_bytes(value), "little")), point

    async def read_point(self, at: ReadAt = "finalized") -> ReadPoint:
        """Resolves ``at`` to a block hash and number, and says who vouches for reads there."""
        if at == "finalized":
            block_hash, finalized = str(await self._read("chain_getFinalizedHead", [])), True
        elif at == "best":
            block_hash, finalized = str(await self._read("chain_getBlockHash", [])), False
        else:
            block_hash, finalized = at, False
        header = await self._read("chain_getHeader", [block_hash])
        if not isinstance(header, dict):
            raise ChainError("CHAIN_UNAVAILABLE", f"{self._session.transport.where} does not know block {block_hash}")
        return ReadPoint(block_hash=block_hash, block_number=int(header["number"], 16), verified_by=self.verified_by, finalized=finalized)

    async def wait_for_finalized(self, block_number: int, timeout: float = 60.0) -> ReadPoint:
        """The finalized read point once this connection has finalized block ``block_number`` (a light client's
        finality can trail the node's by a block or two): e.g. to read, through a light client, what a write
        made elsewhere just finalized. ``CHAIN_TIMEOUT`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            point = await self.read_point("finalized")
            if point.block_number >= block_number:
                return point
            if time.monotonic() >= deadline:
                raise ChainError("CHAIN_TIMEOUT", f"block #{block_number} was not finalized within {timeout:g} s (finalized: #{point.block_number})")
            await asyncio.sleep(0.25)

    async def header_at(self, block_hash: str) -> dict[str, Any]:
        """The header of a block as JSON (through the light client: one it checked)."""
        header = await self._read("chain_getHeader", [block_hash])
        if not isinstance(header, dict):
            raise ChainError("CHAIN_UNAVAILABLE", f"{self._session.transport.where} does not know block {block_hash}")
        return header

    async def events_at(self, block_hash: str) -> tuple[list[RegistryEvent], int]:
        """The registry events of one block (through the light client: its ``System.Events`` checked against the header)."""
        header = await self.header_at(block_hash)
        number = int(header["number"], 16)
        records = await self._retrying(self._session.block_events, block_hash)
        return registry_events(records, block_hash, number), number

    async def status(self) -> ChainStatus:
        """The chain, the connection's sync state and peers, the best and finalized blocks."""
        chain = await self._read("system_chain", [])
        health = await self._read("system_health", [])
        best = await self._read("chain_getHeader", [])
        finalized_hash = str(await self._read("chain_getFinalizedHead", []))
        finalized = await self.header_at(finalized_hash)
        version = await self._read("state_getRuntimeVersion", [])
        return ChainStatus(
            connection=self.verified_by,
            endpoint=self.endpoint,
            chain=str(chain),
            genesis_hash=self._genesis_hash,
            spec_version=int(version["specVersion"]),
            peers=int(health["peers"]),
            is_syncing=bool(health["isSyncing"]),
            best=int(best["number"], 16),
            finalized=int(finalized["number"], 16),
            finalized_hash=finalized_hash,
        )

    # ---- events ----

    async def watch_events(self) -> AsyncGenerator[tuple[list[RegistryEvent], BlockRef], None]:
        """The registry events of every newly finalized block that has some, in block order, none skipped
        (a gap of up to 256 blocks is filled by walking parent hashes). Stop with ``aclose()`` or by leaving the loop."""
        try:
            subscription = await asyncio.to_thread(self._session.subscribe, "chain_subscribeFinalizedHeads", [])
        except RpcError as error:
            raise ChainError("CHAIN_UNSUPPORTED", f"{self._session.transport.where} cannot follow finalized heads: {error}") from error
        last: BlockRef | None = None
        try:
            while True:
                if not await asyncio.to_thread(self._session.poll, subscription, 0.05):
                    await asyncio.sleep(0.1)
                    continue
                head_hash = str(await self._read("chain_getFinalizedHead", []))
                head = await self.header_at(head_hash)
                for block in await self._blocks_since(last, head_hash, head):
                    events, _ = await self.events_at(block.hash)
                    last = block
                    if events:
                        yield events, block
        finally:
            await asyncio.to_thread(self._session.unsubscribe, "chain_unsubscribeFinalizedHeads", subscription)

    async def follow_events(
        self, on_events: Callable[[list[RegistryEvent], BlockRef], None], on_error: Callable[[BaseException], None] | None = None
    ) -> Callable[[], Awaitable[None]]:
        """Calls ``on_events`` with the registry events of every newly finalized block (see :meth:`watch_events`);
        returns an async function that stops following."""
        events = self.watch_events()
        started = asyncio.Event()

        async def run() -> None:
            started.set()
            try:
                async for batch, block in events:
                    on_events(batch, block)
            except asyncio.CancelledError:
                raise
            except BaseException as error:  # reported, not raised into the event loop
                if on_error is not None:
                    on_error(error)

        task = asyncio.create_task(run())
        await started.wait()

        async def stop() -> None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            await events.aclose()

        return stop

    # ---- writes ----

    async def register(
        self, key: str, cid: str, signer: AccountSigner, *, module_signer: Signer | None = None, wait_for: WaitFor = "finalized",
        on_progress: ProgressCallback | None = None, timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Registers ``cid`` under ``key``; the signer becomes the owner and pays the deposit. When ``key`` is not
        the signer's own key, ``module_signer`` (holding ``key``) signs the key-ownership proof, which binds the
        key's history length at the best block (its nonce), so it registers once."""
        module_key = parse_module_key(key)
        cid_bytes = cid_to_chain(cid)
        own_key = bytes.fromhex(module_key[2:]) == bytes(signer.account_id)
        # SignerIsKey binds no nonce; without a module signer the proof is refused before anything is read.
        nonce = 0 if own_key or module_signer is None else (await self.get_history(module_key, "best"))[0].length
        proof = key_ownership_proof(self._genesis_hash, bytes(signer.account_id), module_key, nonce, module_signer)
        params = {"key": module_key, "cid": "0x" + cid_bytes.hex(), "proof": proof}
        return await self._submit("register_module", params, signer, wait_for, on_progress, timeout)

    async def update(
        self, key: str, cid: str, signer: AccountSigner, *, wait_for: WaitFor = "finalized", on_progress: ProgressCallback | None = None,
        timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Points an owned module at a new metadata CID (revision + 1)."""
        params = {"key": parse_module_key(key), "cid": "0x" + cid_to_chain(cid).hex()}
        return await self._submit("update_module", params, signer, wait_for, on_progress, timeout)

    async def remove(
        self, key: str, signer: AccountSigner, *, wait_for: WaitFor = "finalized", on_progress: ProgressCallback | None = None,
        timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Removes an owned module and releases its deposit."""
        return await self._submit("remove_module", {"key": parse_module_key(key)}, signer, wait_for, on_progress, timeout)

    async def transfer_ownership(
        self, key: str, new_owner: str, signer: AccountSigner, *, wait_for: WaitFor = "finalized",
        on_progress: ProgressCallback | None = None, timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Offers an owned module to ``new_owner`` (SS58 or 0x-hex); it passes to them (with its deposit) when they
        :meth:`accept_ownership` before the offer expires. Nothing moves yet (event ``TransferOffered``); a new
        offer replaces a pending one."""
        params = {"key": parse_module_key(key), "new_owner": parse_account(new_owner, self._ss58_format)}
        return await self._submit("transfer_ownership", params, signer, wait_for, on_progress, timeout)

    async def accept_ownership(
        self, key: str, signer: AccountSigner, *, wait_for: WaitFor = "finalized", on_progress: ProgressCallback | None = None,
        timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Accepts a module offered to the signer: it becomes theirs, with its deposit (event ``OwnershipTransferred``)."""
        return await self._submit("accept_ownership", {"key": parse_module_key(key)}, signer, wait_for, on_progress, timeout)

    async def cancel_transfer(
        self, key: str, signer: AccountSigner, *, wait_for: WaitFor = "finalized", on_progress: ProgressCallback | None = None,
        timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Withdraws (the owner) or declines (the recipient) a pending transfer offer (event ``TransferCancelled``)."""
        return await self._submit("cancel_transfer", {"key": parse_module_key(key)}, signer, wait_for, on_progress, timeout)

    async def set_yanked(
        self, key: str, revision: int, yanked: bool, signer: AccountSigner, *, wait_for: WaitFor = "finalized",
        on_progress: ProgressCallback | None = None, timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Yanks a revision (hidden from "latest", still resolvable by CID), or restores it with ``yanked=False``
        (event ``RevisionYanked``)."""
        if isinstance(revision, bool) or not isinstance(revision, int) or not 0 <= revision <= 0xFFFF_FFFF:
            raise ChainError("CHAIN_INVALID_TX", f"revision {revision!r} is not a whole number from 0 to 4294967295")
        params = {"key": parse_module_key(key), "revision": revision, "yanked": bool(yanked)}
        return await self._submit("set_yanked", params, signer, wait_for, on_progress, timeout)

    async def set_deprecation(
        self, key: str, note: str | None, signer: AccountSigner, *, wait_for: WaitFor = "finalized",
        on_progress: ProgressCallback | None = None, timeout: float = DEFAULT_TX_TIMEOUT,
    ) -> TxResult:
        """Deprecates a module with ``note`` (why, and what to use instead), or lifts the deprecation with ``None``
        (event ``DeprecationSet``). An empty note is refused before anything is sent."""
        if note is not None and note.strip() == "":
            raise ChainError("CHAIN_INVALID_TX", "a deprecation note cannot be empty: say why, and what to use instead")
        module_key = parse_module_key(key)
        data = None if note is None else note.encode("utf-8")
        if data is not None:
            point = await self.read_point("finalized")
            maximum = await self._retrying(self._session.constant, "ModuleRegistry", "MaxNoteLength", point.block_hash)
            if isinstance(maximum, int) and len(data) > maximum:
                raise ChainError("CHAIN_INVALID_TX", f"the deprecation note is {len(data)} bytes; the chain takes at most {maximum}")
        params = {"key": module_key, "note": None if data is None else "0x" + data.hex()}
        return await self._submit("set_deprecation", params, signer, wait_for, on_progress, timeout)

    # ---- internals ----

    async def _submit(
        self, call: str, params: dict[str, Any], signer: AccountSigner, wait_for: WaitFor, on_progress: ProgressCallback | None, timeout: float,
    ) -> TxResult:
        report: ProgressCallback = on_progress if on_progress is not None else (lambda _progress: None)
        if wait_for not in ("inBlock", "finalized"):
            raise ChainError("CHAIN_UNSUPPORTED", f'wait_for must be "inBlock" or "finalized", not {wait_for!r}')
        if not isinstance(signer, AccountSigner) or signer.type not in ("sr25519", "ed25519", "ecdsa"):
            raise ChainError("BAD_SIGNER", "the signer must be an sr25519, ed25519 or ecdsa key pair (modnet.chain.KeyPair)")
        deadline = time.monotonic() + timeout
        report(TxProgress(stage="signing"))
        address = parse_account("0x" + bytes(signer.account_id).hex(), self._ss58_format)
        nonce = int(await self._read("system_accountNextIndex", [address]))
        era = await self.read_point("finalized")
        extrinsic, tx_hash = await asyncio.to_thread(
            self._session.signed_extrinsic, "ModuleRegistry", call, params, signer, bytes(signer.account_id), address, nonce,
            (era.block_number, era.block_hash),
        )
        try:
            subscription = await asyncio.to_thread(self._session.subscribe, "author_submitAndWatchExtrinsic", [extrinsic])
        except RpcError as error:
            raise _pool_rejection(error) from error
        outcomes: dict[str, tuple[int, list[RegistryEvent]]] = {}
        reported_ready = False
        try:
            while True:
                if time.monotonic() >= deadline:
                    raise ChainError("CHAIN_TIMEOUT", f"the transaction was not {'finalized' if wait_for == 'finalized' else 'included'} within {timeout:g} s")
                statuses = await asyncio.to_thread(self._session.poll, subscription, 0.05)
                if not statuses:
                    await asyncio.sleep(0.05)
                    continue
                for status in statuses:
                    stage, block_hash = _tx_status(status)
                    if stage == "ready" or (stage in ("inBlock", "finalized") and not reported_ready):
                        # A transaction in a block was accepted: "ready" is reported even when the
                        # light client's status updates skip it.
                        if not reported_ready:
                            reported_ready = True
                            report(TxProgress(stage="ready"))
                        if stage == "ready":
                            continue
                    if stage in ("invalid", "dropped", "usurped"):
                        code: Literal["CHAIN_INVALID_TX", "CHAIN_DROPPED"] = "CHAIN_INVALID_TX" if stage == "invalid" else "CHAIN_DROPPED"
                        raise ChainError(code, f"the transaction was {stage} by the transaction pool")
                    if stage not in ("inBlock", "finalized") or block_hash is None:
                        continue
                    if block_hash not in outcomes:
                        outcomes[block_hash] = await self._outcome(block_hash, tx_hash, address)
                    number, events = outcomes[block_hash]
                    final_stage: Literal["inBlock", "finalized"] = "inBlock" if stage == "inBlock" else "finalized"
                    report(TxProgress(stage=final_stage, block_hash=block_hash))
                    if final_stage == "inBlock" and wait_for == "finalized":
                        continue
                    return TxResult(block_hash=block_hash, block_number=number, stage=final_stage, events=events)
        finally:
            await asyncio.to_thread(self._session.unsubscribe, "author_unwatchExtrinsic", subscription)

    async def _outcome(self, block_hash: str, tx_hash: str, signer_address: str) -> tuple[int, list[RegistryEvent]]:
        """The block number and registry events of transaction ``tx_hash`` in ``block_hash``; its dispatch error raised."""
        header = await self.header_at(block_hash)
        number = int(header["number"], 16)
        records: list[EventRecord] = await self._retrying(self._session.block_events, block_hash)
        index = await self._extrinsic_index(block_hash, tx_hash, signer_address, records)
        mine = [record for record in records if record.extrinsic_index == index]
        for record in mine:
            if record.pallet == "System" and record.name == "ExtrinsicFailed":
                attributes = record.attributes
                dispatch_error = attributes.get("dispatch_error") if isinstance(attributes, dict) else attributes[0]
                failure = await asyncio.to_thread(self._session.dispatch_failure, dispatch_error)
                raise ChainError("CHAIN_DISPATCH", failure.message, pallet=failure.pallet, error=failure.error)
        return number, registry_events(mine, block_hash, number)

    async def _extrinsic_index(self, block_hash: str, tx_hash: str, signer_address: str, records: list[EventRecord]) -> int:
        """Where the extrinsic sits in its block: by hash in the block body, or (when the light client has no
        body to give) as the one extrinsic in the block whose fee the signer paid."""
        try:
            block = await self._read("chain_getBlock", [block_hash])
        except (RpcError, ChainError):
            block = None
        if isinstance(block, dict):
            for index, extrinsic in enumerate(block.get("block", {}).get("extrinsics", [])):
                if "0x" + hashlib.blake2b(_bytes(extrinsic), digest_size=32).hexdigest() == tx_hash:
                    return index
        paid = {
            record.extrinsic_index
            for record in records
            if record.pallet == "TransactionPayment" and record.name == "TransactionFeePaid" and record.extrinsic_index is not None
            and isinstance(record.attributes, dict) and record.attributes.get("who") == signer_address
        }
        if len(paid) == 1:
            return next(iter(paid))
        raise ChainError(
            "CHAIN_UNAVAILABLE",
            f"cannot tell which extrinsic of block {block_hash} is transaction {tx_hash}: the block body is unavailable and {signer_address} sent {len(paid)} in it",
        )

    async def _runtime_page(self, method: str, args: bytes, point: ReadPoint) -> list[ModuleRecord]:
        try:
            raw = await self._retrying(self._session.rpc, "state_call", [method, "0x" + args.hex(), point.block_hash], raw=True)
        except RpcError as error:
            raise ChainError("CHAIN_UNSUPPORTED", f"the runtime does not answer {method} (ModuleRegistryApi version 2, spec 102 and later): {error}") from error
        return decode_page(_bytes(raw), self._ss58_format)

    async def _blocks_since(self, last: BlockRef | None, head_hash: str, head: dict[str, Any]) -> list[BlockRef]:
        number = int(head["number"], 16)
        blocks = [BlockRef(hash=head_hash, number=number)]
        if last is None:
            return blocks
        if number <= last.number:
            return []
        parent = str(head["parentHash"])
        number -= 1
        while number > last.number and len(blocks) < MAX_GAP:
            header = await self.header_at(parent)
            blocks.append(BlockRef(hash=parent, number=number))
            parent = str(header["parentHash"])
            number -= 1
        return list(reversed(blocks))

    async def _read(self, method: str, params: list[Any]) -> Any:
        """One JSON-RPC read (retried through the light client while no peer can serve it)."""
        return await self._retrying(self._session.rpc, method, params)

    async def _retrying(self, function: Callable[..., T], *args: Any, raw: bool = False) -> T:
        """``function(*args)`` in a worker thread; through the light client, retried while no peer can serve it.
        An error answer is ``ChainError('CHAIN_UNAVAILABLE')`` (or the ``RpcError`` itself when ``raw``)."""
        delays = READ_RETRY_DELAYS if self._session.kind == "light-client" else ()
        for attempt in range(len(delays) + 1):
            try:
                return await asyncio.to_thread(function, *args)
            except RpcError as error:
                if attempt >= len(delays) or error.code == -32601:  # method not found: no use retrying
                    if raw:
                        raise
                    what = args[0] if function == self._session.rpc and args else getattr(function, "__name__", "the request")
                    raise ChainError("CHAIN_UNAVAILABLE", f"{self._session.transport.where} refused {what}: {error}") from error
                await asyncio.sleep(delays[attempt])
        raise AssertionError("unreachable")


async def _call(session: SubstrateSession, method: str, params: list[Any], timeout: float | None = None) -> Any:
    try:
        return await asyncio.to_thread(session.rpc, method, params, timeout)
    except RpcError as error:
        raise ChainError("CHAIN_UNAVAILABLE", f"{session.transport.where} refused {method}: {error}") from error


LIGHT_CLIENT_ATTEMPT = 20.0
"""How long one light client may go without a peer before it is replaced by a new one (smoldot-light 0.1.0
sometimes takes 5 s to reach the bootnode, and now and then never does: a fresh client does)."""


async def _synced_light_client(spec: str, request_timeout: float, sync_timeout: float) -> Transport:
    deadline = time.monotonic() + sync_timeout
    while True:
        transport: Transport = await asyncio.to_thread(SmoldotTransport, spec, request_timeout)
        session = SubstrateSession(transport)
        # Starting a light client takes time of its own: the last attempt still gets a moment to ask.
        left = max(deadline - time.monotonic(), 1.0)
        try:
            await _wait_for_sync(session, min(left, LIGHT_CLIENT_ATTEMPT), sync_timeout, give_up_without_peers=left > LIGHT_CLIENT_ATTEMPT)
            return transport
        except _NoPeer:
            await asyncio.to_thread(session.close)
        except BaseException:
            await asyncio.to_thread(session.close)
            raise


class _NoPeer(Exception):
    """The light client found no peer in its attempt: start another."""


async def _wait_for_sync(session: SubstrateSession, timeout: float, overall: float, give_up_without_peers: bool = False) -> None:
    """Until the light client has a peer, is not syncing and has a finalized block past genesis (or has been
    settled at genesis for 5 s): reads before then fail or see an old chain."""
    deadline = time.monotonic() + timeout
    settled_since: float | None = None
    health: Any = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            if give_up_without_peers and isinstance(health, dict) and int(health.get("peers", 0)) == 0:
                raise _NoPeer()
            state = f"peers {health.get('peers')}, syncing {health.get('isSyncing')}" if isinstance(health, dict) else "no answer yet"
            raise ChainError("CHAIN_TIMEOUT", f"the light client did not sync within {overall:g} s ({state}); is the chain spec's bootnode up?")
        try:
            health = await asyncio.to_thread(session.rpc, "system_health", [], max(left, 0.1))
            ready = isinstance(health, dict) and int(health.get("peers", 0)) > 0 and not health.get("isSyncing", True)
            if ready:
                finalized = await asyncio.to_thread(session.rpc, "chain_getFinalizedHead", [], max(deadline - time.monotonic(), 0.1))
                header = await asyncio.to_thread(session.rpc, "chain_getHeader", [finalized], max(deadline - time.monotonic(), 0.1))
                if isinstance(header, dict) and int(header["number"], 16) > 0:
                    return
                settled_since = settled_since if settled_since is not None else time.monotonic()
                if time.monotonic() - settled_since >= 5:
                    return
            else:
                settled_since = None
        except RpcError:
            pass
        except ChainError as error:
            if error.code != "CHAIN_TIMEOUT":
                raise
        await asyncio.sleep(0.25)


def _chain_spec_text(chain_spec: str) -> str:
    if chain_spec.lstrip().startswith("{"):
        return chain_spec
    try:
        with open(chain_spec, encoding="utf-8") as file:
            text = file.read()
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
        raise ChainError("CHAIN_UNAVAILABLE", f"cannot read the chain spec {os.fspath(chain_spec)}: {reason}") from error
    try:
        json.loads(text)
    except ValueError as error:
        raise ChainError("CHAIN_UNAVAILABLE", f"the chain spec {chain_spec} is not JSON: {error}") from error
    return text


def _tx_status(status: Any) -> tuple[str, str | None]:
    """A ``TransactionStatus`` notification as (stage, block hash)."""
    if isinstance(status, str):
        return ("ready" if status in ("ready", "broadcast") else status), None
    if isinstance(status, dict) and len(status) == 1:
        name, value = next(iter(status.items()))
        if name == "broadcast":
            return "ready", None
        return name, value if isinstance(value, str) else None
    return "unknown", None


def _pool_rejection(error: RpcError) -> ModnetError:
    message = str(error)
    if re.search(r"^1010|Invalid Transaction|Inability to pay", message, re.IGNORECASE):
        reason = re.sub(r"^1010:\s*", "", message)
        return ChainError("CHAIN_INVALID_TX", f"the transaction pool refused the transaction: {reason}")
    return ChainError("CHAIN_UNAVAILABLE", f"submitting the transaction failed: {message}")


def _page_size(requested: int) -> int:
    return min(max(int(requested), 1), MAX_PAGE_SIZE)


def _bytes(value: Any) -> bytes:
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)
