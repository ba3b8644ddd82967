"""ModuleRegistryClient against a real dev node over RPC: writes with their progress and events, reads with
their read points, the pallet's refusals by name (and that they changed nothing), events followed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from chain_support import fund, random_cid

from modnet.chain import KeyPair, ModuleRegistryClient, TxProgress, connect, ss58_encode
from modnet.errors import ChainError

ALICE, BOB, CHARLIE = (KeyPair.from_uri(uri) for uri in ("//Alice", "//Bob", "//Charlie"))


@pytest.fixture
async def chain(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(stack["rpcUrl"])
    yield client
    await client.close()


async def test_register_then_get_round_trip_with_progress_events_and_read_points(chain: ModuleRegistryClient) -> None:
    key = chain.account_key(CHARLIE)  # SignerIsKey: Charlie registers his own key
    cid = random_cid()
    count_before, _ = await chain.count()
    progress: list[TxProgress] = []
    tx = await chain.register(key, cid, CHARLIE, on_progress=progress.append)

    assert [p.stage for p in progress] == ["signing", "ready", "inBlock", "finalized"]
    assert progress[-1].block_hash == tx.block_hash and tx.stage == "finalized"
    assert [(e.type, e.key, e.owner, e.cid, e.block_number) for e in tx.events] == [("ModuleRegistered", key, CHARLIE.address, cid, tx.block_number)]

    record, at = await chain.get_module(key)
    assert record is not None
    assert (record.key, record.owner, record.cid, record.revision, record.registered_at, record.updated_at) == (key, CHARLIE.address, cid, 0, tx.block_number, tx.block_number)
    assert record.deposit > 0
    assert at.verified_by == "rpc" and at.finalized and at.block_number >= tx.block_number
    assert (await chain.count())[0] == count_before + 1
    assert key in (await chain.modules_of(CHARLIE.address))[0]

    # The same record through the owner's listing and the full listing, a page of one at a time.
    owned = await chain.list_modules_of(CHARLIE.address, page_size=10)
    assert [m.key for m in owned.modules] == [key] and owned.next_key is None
    seen, cursor, pages = [], None, 0
    while True:
        page = await chain.list_modules(page_size=1, start_key=cursor, at=at.block_hash)
        seen.extend(page.modules)
        pages += 1
        cursor = page.next_key
        if cursor is None:
            break
    assert len({m.key for m in seen}) == len(seen) == count_before + 1  # every module once
    assert record in seen
    assert pages >= len(seen)


@pytest.mark.parametrize("key_type", ["sr25519", "ed25519", "ecdsa"])
async def test_register_with_a_signature_by_the_module_key(chain: ModuleRegistryClient, key_type: str) -> None:
    module = KeyPair.generate(key_type)  # type: ignore[arg-type]
    key = "0x" + module.public_key.hex()
    assert len(module.public_key) == (33 if key_type == "ecdsa" else 32)
    tx = await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")
    assert tx.stage == "inBlock"
    record, at = await chain.get_module(key, "best")
    assert record is not None and record.owner == ALICE.address and not at.finalized


async def test_update_transfer_remove(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("sr25519")
    key = "0x" + module.public_key.hex()
    first, second = random_cid(), random_cid()
    await chain.register(key, first, ALICE, module_signer=module, wait_for="inBlock")

    updated = await chain.update(key, second, ALICE)
    assert [(e.type, e.old_cid, e.new_cid, e.revision) for e in updated.events] == [("ModuleUpdated", first, second, 1)]
    record, _ = await chain.require_module(key)
    assert (record.cid, record.revision, record.updated_at) == (second, 1, updated.block_number)

    moved = await chain.transfer_ownership(key, BOB.address, ALICE)
    assert [(e.type, e.key, e.from_, e.to) for e in moved.events] == [("OwnershipTransferred", key, ALICE.address, BOB.address)]
    assert (await chain.require_module(key))[0].owner == BOB.address
    assert key in (await chain.modules_of(BOB.address))[0] and key not in (await chain.modules_of(ALICE.address))[0]

    removed = await chain.remove(key, BOB)
    assert [(e.type, e.owner) for e in removed.events] == [("ModuleRemoved", BOB.address)]
    assert (await chain.get_module(key))[0] is None
    with pytest.raises(ChainError) as missing:
        await chain.require_module(key)
    assert missing.value.code == "MODULE_NOT_FOUND" and key in str(missing.value)


@pytest.mark.parametrize("key_type", ["ed25519", "ecdsa"])
async def test_accounts_of_every_key_type_register_update_and_remove(stack: dict[str, Any], chain: ModuleRegistryClient, key_type: str) -> None:
    account = KeyPair.generate(key_type)  # type: ignore[arg-type]
    # Substrate's MultiSigner → AccountId32: an ed25519 key is its own account id, an ecdsa key's is its blake2b-256.
    owner = ss58_encode(hashlib.blake2b(account.public_key, digest_size=32).digest() if key_type == "ecdsa" else account.public_key)
    assert account.address == owner
    fund(stack, owner)
    key = "0x" + account.public_key.hex()  # its own public key: 33 bytes for ecdsa, so proven by its signature
    first, second = random_cid(), random_cid()

    registered = await chain.register(key, first, account, module_signer=account, wait_for="inBlock")
    assert [(e.type, e.key, e.owner, e.cid) for e in registered.events] == [("ModuleRegistered", key, owner, first)]
    record, _ = await chain.get_module(key, "best")
    assert record is not None and (record.owner, record.cid, record.revision) == (owner, first, 0) and record.deposit > 0

    updated = await chain.update(key, second, account, wait_for="inBlock")
    assert [(e.type, e.owner, e.old_cid, e.new_cid, e.revision) for e in updated.events] == [("ModuleUpdated", owner, first, second, 1)]
    assert key in (await chain.modules_of(owner, "best"))[0]

    removed = await chain.remove(key, account)
    assert [(e.type, e.owner) for e in removed.events] == [("ModuleRemoved", owner)]
    assert (await chain.get_module(key))[0] is None


class LyingSigner:
    """Claims the module key but signs with another key: the pallet must refuse the proof."""

    def __init__(self, claimed: KeyPair, actual: KeyPair) -> None:
        self.type, self.public_key, self._actual = claimed.type, claimed.public_key, actual

    def sign(self, message: bytes) -> bytes:
        return self._actual.sign(message)


async def refused(write: Any, error: str) -> ChainError:
    with pytest.raises(ChainError) as caught:
        await write
    assert (caught.value.code, caught.value.pallet, caught.value.error) == ("CHAIN_DISPATCH", "moduleRegistry", error)
    assert str(caught.value).startswith(f"moduleRegistry.{error}: ")
    return caught.value


async def test_refusals_carry_the_pallets_error_names_and_change_nothing(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ed25519")
    key = "0x" + module.public_key.hex()
    cid = random_cid()
    await chain.register(key, cid, ALICE, module_signer=module, wait_for="inBlock")
    before, _ = await chain.get_module(key, "best")

    error = await refused(chain.update(key, random_cid(), BOB, wait_for="inBlock"), "NotOwner")
    assert str(error) == "moduleRegistry.NotOwner: Only the module's owner may do this."
    await refused(chain.remove(key, BOB, wait_for="inBlock"), "NotOwner")
    await refused(chain.transfer_ownership(key, BOB.address, BOB, wait_for="inBlock"), "NotOwner")
    await refused(chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock"), "ModuleAlreadyExists")
    await refused(chain.update(key, cid, ALICE, wait_for="inBlock"), "CidUnchanged")
    assert (await chain.get_module(key, "best"))[0] == before

    # A proof signed by another key than the one claimed, and a proof made for another account.
    other = KeyPair.generate("ed25519")
    fresh = KeyPair.generate("ed25519")
    forged = await refused(chain.register("0x" + fresh.public_key.hex(), random_cid(), ALICE, module_signer=LyingSigner(fresh, other), wait_for="inBlock"), "BadKeyProof")
    assert "wrong key, wrong signer" in str(forged)
    assert (await chain.get_module("0x" + fresh.public_key.hex(), "best"))[0] is None


async def test_input_errors_are_refused_before_anything_is_sent(chain: ModuleRegistryClient) -> None:
    nonce_before = await chain._read("system_accountNextIndex", [ALICE.address])
    for call in (chain.get_module("0x1234"), chain.register("nonsense", random_cid(), ALICE), chain.transfer_ownership("0x" + "11" * 32, "0x12", ALICE)):
        with pytest.raises(ChainError) as bad:
            await call
        assert bad.value.code == "BAD_KEY"
    with pytest.raises(ChainError) as unsigned:
        await chain.register("0x" + KeyPair.generate().public_key.hex(), random_cid(), ALICE)
    assert unsigned.value.code == "BAD_SIGNER"
    assert await chain._read("system_accountNextIndex", [ALICE.address]) == nonce_before


async def test_watch_events_follows_finalized_blocks_in_order(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("sr25519")
    key = "0x" + module.public_key.hex()
    seen: list[tuple[str, int]] = []
    done = asyncio.Event()

    def on_events(events: list[Any], block: Any) -> None:
        for event in events:
            assert event.block_hash == block.hash and event.block_number == block.number
            if event.key == key:
                seen.append((event.type, block.number))
                if event.type == "ModuleRemoved":
                    done.set()

    stop = await chain.follow_events(on_events)
    try:
        await asyncio.sleep(1)
        await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")
        await chain.update(key, random_cid(), ALICE, wait_for="inBlock")
        await chain.remove(key, ALICE, wait_for="inBlock")
        await asyncio.wait_for(done.wait(), 60)
    finally:
        await stop()
    assert [kind for kind, _ in seen] == ["ModuleRegistered", "ModuleUpdated", "ModuleRemoved"]
    assert [number for _, number in seen] == sorted(number for _, number in seen)


async def test_watch_events_fills_the_gap_when_the_consumer_falls_behind(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("sr25519")
    key = "0x" + module.public_key.hex()
    events = chain.watch_events()

    async def next_of_ours() -> tuple[int, list[str]]:
        while True:  # skip other tests' events
            batch, block = await asyncio.wait_for(anext(events), 30)
            ours = [e.type for e in batch if e.key == key]
            if ours:
                return block.number, ours

    try:
        first = asyncio.ensure_future(next_of_ours())
        await asyncio.sleep(1)  # subscribed
        registration = await chain.register(key, random_cid(), ALICE, module_signer=module)
        assert await first == (registration.block_number, ["ModuleRegistered"])
        # Not consuming: two more writes finalize, then a few empty blocks.
        update = await chain.update(key, random_cid(), ALICE)
        removal = await chain.remove(key, ALICE)
        await chain.wait_for_finalized(removal.block_number + 3)
        later = [await next_of_ours(), await next_of_ours()]
    finally:
        await events.aclose()
    assert later == [(update.block_number, ["ModuleUpdated"]), (removal.block_number, ["ModuleRemoved"])]


async def test_connection_failures_are_chain_unavailable() -> None:
    with pytest.raises(ChainError) as refused_socket:
        await connect("ws://127.0.0.1:9")
    assert refused_socket.value.code == "CHAIN_UNAVAILABLE"
    with pytest.raises(ChainError, match="not a WebSocket URL"):
        await connect("http://127.0.0.1:9944")
    with pytest.raises(ChainError, match="cannot read the chain spec"):
        await connect(chain_spec="/nonexistent/spec.json")
