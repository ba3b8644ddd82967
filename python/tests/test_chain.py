"""ModuleRegistryClient against a real dev node over RPC: writes with their progress and events, reads with
their read points, the pallet's refusals by name (and that they changed nothing), events followed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from chain_support import fund, random_cid

from modnet.chain import EMPTY_HISTORY, KeyPair, ModuleRegistryClient, TxProgress, check_history, connect, replay_history, ss58_encode
from modnet.types import ModuleStatus, RegistryEvent, TransferOffer, TransferOffered
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


async def assert_history_is_the_replay(chain: ModuleRegistryClient, key: str, events: list[RegistryEvent], at: str) -> None:
    """The key's history commitment read from the chain equals the Python replay of the events its transactions
    emitted (with their block numbers): the Python encoder hashes what the runtime hashes."""
    history, _ = await chain.get_history(key, at)
    assert history.length == len(events)
    assert history == replay_history(events)
    assert check_history(events, history).proved == events


async def test_update_offer_accept_remove(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("sr25519")
    key = "0x" + module.public_key.hex()
    first, second = random_cid(), random_cid()
    registered = await chain.register(key, first, ALICE, module_signer=module, wait_for="inBlock")

    updated = await chain.update(key, second, ALICE)
    assert [(e.type, e.old_cid, e.new_cid, e.revision) for e in updated.events] == [("ModuleUpdated", first, second, 1)]
    record, _ = await chain.require_module(key)
    assert (record.cid, record.revision, record.updated_at) == (second, 1, updated.block_number)

    # transfer_ownership only offers: the module stays Alice's until Bob accepts.
    offered = await chain.transfer_ownership(key, BOB.address, ALICE)
    assert [(e.type, e.key, e.from_, e.to) for e in offered.events] == [("TransferOffered", key, ALICE.address, BOB.address)]
    assert isinstance(offered.events[0], TransferOffered) and offered.events[0].expires_at > offered.block_number
    status, _ = await chain.get_module_status(key)
    assert status == ModuleStatus(transfer_offer=TransferOffer(to=BOB.address, expires_at=offered.events[0].expires_at))
    assert (await chain.require_module(key))[0].owner == ALICE.address

    accepted = await chain.accept_ownership(key, BOB)
    assert [(e.type, e.key, e.from_, e.to) for e in accepted.events] == [("OwnershipTransferred", key, ALICE.address, BOB.address)]
    assert (await chain.require_module(key))[0].owner == BOB.address
    assert (await chain.get_module_status(key))[0] == ModuleStatus()
    assert key in (await chain.modules_of(BOB.address))[0] and key not in (await chain.modules_of(ALICE.address))[0]

    removed = await chain.remove(key, BOB)
    assert [(e.type, e.owner) for e in removed.events] == [("ModuleRemoved", BOB.address)]
    assert (await chain.get_module(key))[0] is None
    with pytest.raises(ChainError) as missing:
        await chain.require_module(key)
    assert missing.value.code == "MODULE_NOT_FOUND" and key in str(missing.value)
    # The history outlives the record.
    events = [*registered.events, *updated.events, *offered.events, *accepted.events, *removed.events]
    await assert_history_is_the_replay(chain, key, events, removed.block_hash)


async def test_an_offer_is_accepted_only_by_its_recipient_and_cancelled_by_either_side(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ed25519")
    key = "0x" + module.public_key.hex()
    events: list[RegistryEvent] = []
    events += (await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")).events
    await refused(chain.accept_ownership(key, BOB, wait_for="inBlock"), "NoTransferOffer")
    await refused(chain.cancel_transfer(key, ALICE, wait_for="inBlock"), "NoTransferOffer")
    await refused(chain.transfer_ownership(key, ALICE.address, ALICE, wait_for="inBlock"), "AlreadyOwner")

    events += (await chain.transfer_ownership(key, BOB.address, ALICE, wait_for="inBlock")).events
    error = await refused(chain.accept_ownership(key, CHARLIE, wait_for="inBlock"), "NotOfferRecipient")
    assert "Only the account the module was offered to may accept" in str(error)
    await refused(chain.cancel_transfer(key, CHARLIE, wait_for="inBlock"), "NotOwner")
    declined = await chain.cancel_transfer(key, BOB, wait_for="inBlock")  # the recipient declines
    assert [(e.type, e.owner, e.to) for e in declined.events] == [("TransferCancelled", ALICE.address, BOB.address)]
    events += declined.events
    assert (await chain.get_module_status(key, "best"))[0] == ModuleStatus()
    await refused(chain.accept_ownership(key, BOB, wait_for="inBlock"), "NoTransferOffer")

    # A new offer, to Charlie, replaces nothing pending; the owner withdraws it.
    offered = await chain.transfer_ownership(key, CHARLIE.address, ALICE, wait_for="inBlock")
    events += offered.events
    assert (await chain.get_module_status(key, "best"))[0].transfer_offer == TransferOffer(to=CHARLIE.address, expires_at=offered.events[0].expires_at)  # type: ignore[union-attr]
    withdrawn = await chain.cancel_transfer(key, ALICE, wait_for="inBlock")
    assert [(e.type, e.owner, e.to) for e in withdrawn.events] == [("TransferCancelled", ALICE.address, CHARLIE.address)]
    events += withdrawn.events
    await refused(chain.accept_ownership(key, CHARLIE, wait_for="inBlock"), "NoTransferOffer")
    record, _ = await chain.get_module(key, "best")
    assert record is not None and record.owner == ALICE.address
    await assert_history_is_the_replay(chain, key, events, withdrawn.block_hash)  # refusals added nothing
    await chain.remove(key, ALICE, wait_for="inBlock")


async def test_yank_restore_deprecate_and_lift_with_the_status_read_back(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("sr25519")
    key = "0x" + module.public_key.hex()
    events: list[RegistryEvent] = []
    events += (await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")).events
    events += (await chain.update(key, random_cid(), ALICE, wait_for="inBlock")).events
    deposit = (await chain.require_module(key, "best"))[0].deposit

    yanked = await chain.set_yanked(key, 0, True, ALICE, wait_for="inBlock")
    assert [(e.type, e.owner, e.revision, e.yanked) for e in yanked.events] == [("RevisionYanked", ALICE.address, 0, True)]
    events += yanked.events
    assert (await chain.get_module_status(key, yanked.block_hash))[0] == ModuleStatus(yanked=[0])
    assert (await chain.require_module(key, yanked.block_hash))[0].deposit > deposit  # 4 bytes more
    await refused(chain.set_yanked(key, 0, True, ALICE, wait_for="inBlock"), "YankUnchanged")
    await refused(chain.set_yanked(key, 2, True, ALICE, wait_for="inBlock"), "NoSuchRevision")
    await refused(chain.set_yanked(key, 1, True, BOB, wait_for="inBlock"), "NotOwner")
    events += (await chain.set_yanked(key, 1, True, ALICE, wait_for="inBlock")).events
    assert (await chain.get_module_status(key, "best"))[0].yanked == [0, 1]
    restored = await chain.set_yanked(key, 0, False, ALICE, wait_for="inBlock")
    assert [(e.type, e.revision, e.yanked) for e in restored.events] == [("RevisionYanked", 0, False)]
    events += restored.events
    assert (await chain.get_module_status(key, restored.block_hash))[0] == ModuleStatus(yanked=[1])

    note = "superseded – use modnet/other ≥ 2"
    deprecated = await chain.set_deprecation(key, note, ALICE, wait_for="inBlock")
    assert [(e.type, e.owner, e.note) for e in deprecated.events] == [("DeprecationSet", ALICE.address, note)]
    events += deprecated.events
    assert (await chain.get_module_status(key, deprecated.block_hash))[0] == ModuleStatus(yanked=[1], deprecation=note)
    await refused(chain.set_deprecation(key, note, ALICE, wait_for="inBlock"), "DeprecationUnchanged")
    await refused(chain.set_deprecation(key, "mine now", BOB, wait_for="inBlock"), "NotOwner")
    nonce_before = await chain._read("system_accountNextIndex", [ALICE.address])
    for empty in ("", "  \n"):
        with pytest.raises(ChainError, match="cannot be empty") as blank:
            await chain.set_deprecation(key, empty, ALICE)
        assert blank.value.code == "CHAIN_INVALID_TX"
    with pytest.raises(ChainError, match="the deprecation note is 513 bytes; the chain takes at most 512") as long:
        await chain.set_deprecation(key, "é" * 256 + "!", ALICE)
    assert long.value.code == "CHAIN_INVALID_TX"
    assert await chain._read("system_accountNextIndex", [ALICE.address]) == nonce_before

    lifted = await chain.set_deprecation(key, None, ALICE, wait_for="inBlock")
    assert [(e.type, e.note) for e in lifted.events] == [("DeprecationSet", None)] and "note" not in lifted.events[0].to_json()
    events += lifted.events
    events += (await chain.set_yanked(key, 1, False, ALICE, wait_for="inBlock")).events
    assert (await chain.get_module_status(key, "best"))[0] == ModuleStatus()
    await refused(chain.set_deprecation(key, None, ALICE, wait_for="inBlock"), "DeprecationUnchanged")
    removed = await chain.remove(key, ALICE, wait_for="inBlock")
    events += removed.events
    assert [e.type for e in events] == ["ModuleRegistered", "ModuleUpdated", *["RevisionYanked"] * 3, *["DeprecationSet"] * 2, "RevisionYanked", "ModuleRemoved"]
    await assert_history_is_the_replay(chain, key, events, removed.block_hash)


class ReplayingSigner:
    """Signs the first payload it is given, then hands out that same signature: a key proof replayed."""

    def __init__(self, pair: KeyPair) -> None:
        self.type, self.public_key, self._pair = pair.type, pair.public_key, pair
        self.signature: bytes | None = None

    def sign(self, message: bytes) -> bytes:
        if self.signature is None:
            self.signature = self._pair.sign(message)
        return self.signature


async def test_a_key_proof_registers_once(chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ecdsa")
    key = "0x" + module.public_key.hex()
    assert (await chain.get_history(key, "best"))[0] == EMPTY_HISTORY  # never used: nonce 0
    replaying = ReplayingSigner(module)
    registered = await chain.register(key, random_cid(), ALICE, module_signer=replaying, wait_for="inBlock")
    removed = await chain.remove(key, ALICE, wait_for="inBlock")
    assert (await chain.get_history(key, removed.block_hash))[0].length == 2  # the nonce the next proof binds

    # The proof of the first registration (nonce 0), submitted again after the removal, is refused...
    forged = await refused(chain.register(key, random_cid(), ALICE, module_signer=replaying, wait_for="inBlock"), "BadKeyProof")
    assert "wrong key, wrong signer" in str(forged)
    assert (await chain.get_module(key, "best"))[0] is None
    # ...while a fresh proof (nonce 2) registers the key again.
    again = await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")
    assert (await chain.require_module(key, again.block_hash))[0].owner == ALICE.address
    await assert_history_is_the_replay(chain, key, [*registered.events, *removed.events, *again.events], again.block_hash)
    await chain.remove(key, ALICE, wait_for="inBlock")


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
    for bad_revision in (-1, 2**32):
        with pytest.raises(ChainError, match="is not a whole number") as revision:
            await chain.set_yanked("0x" + "11" * 32, bad_revision, True, ALICE)
        assert revision.value.code == "CHAIN_INVALID_TX"
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
