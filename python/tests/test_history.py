"""History commitments: the Python encoder against the pallet's own vector (pallet/src/tests.rs
``history::cross_language_vector``, also tests/unit/history.test.ts), and tampering caught."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from modnet.chain import KeyPair
from modnet.chain.history import EMPTY_HISTORY, CheckedHistory, check_history, encode_registry_event, replay_history
from modnet.errors import ChainError
from modnet.types import (
    DeprecationSet,
    HistoryHead,
    ModuleRegistered,
    ModuleRemoved,
    ModuleUpdated,
    OwnershipTransferred,
    RegistryEvent,
    RevisionYanked,
    TransferCancelled,
    TransferOffered,
    registry_event,
)
from chain_support import run_ts

ALICE = KeyPair.from_uri("//Alice").address  # DEV key
BOB = KeyPair.from_uri("//Bob").address  # DEV key
KEY = "0x" + "01" * 32
PALLET_HEAD = "0xf9ec3268108ee505c03fd820dd3248534e8a532bf1a1104748c07239094c72e3"


def cid_n(n: int) -> str:
    """``cid_n(n)`` of pallet/src/tests.rs: raw/sha2-256 CIDv1 with digest ``[n; 32]``."""
    return "b" + base64.b32encode(bytes([1, 0x55, 0x12, 0x20]) + bytes([n]) * 32).decode().lower().rstrip("=")


def at(block_number: int) -> dict[str, Any]:
    return {"key": KEY, "block_number": block_number, "block_hash": "0x" + format(block_number, "064x")}


VECTOR: list[RegistryEvent] = [
    ModuleRegistered(owner=ALICE, cid=cid_n(1), **at(1)),
    ModuleUpdated(owner=ALICE, old_cid=cid_n(1), new_cid=cid_n(2), revision=1, **at(2)),
    RevisionYanked(owner=ALICE, revision=0, yanked=True, **at(3)),
    DeprecationSet(owner=ALICE, note="old – use v2", **at(3)),
    TransferOffered(from_=ALICE, to=BOB, expires_at=14, **at(4)),
    TransferCancelled(owner=ALICE, to=BOB, **at(5)),
    DeprecationSet(owner=ALICE, **at(6)),
    OwnershipTransferred(from_=ALICE, to=BOB, **at(7)),
    ModuleRemoved(owner=BOB, **at(8)),
]
COMMITMENT = HistoryHead(length=9, head=PALLET_HEAD)


def test_the_events_replay_to_the_head_the_pallet_computes_for_them() -> None:
    assert replay_history(VECTOR) == COMMITMENT
    assert replay_history([]) == EMPTY_HISTORY == HistoryHead(length=0, head="0x" + "00" * 32)
    # Replaying from a midpoint continues the same chain.
    assert replay_history(VECTOR[4:], replay_history(VECTOR[:4])) == COMMITMENT


def test_a_complete_history_is_proved_and_older_events_are_outside_the_commitment() -> None:
    assert check_history(VECTOR, COMMITMENT) == CheckedHistory(proved=VECTOR, before=[])
    older = ModuleRegistered(owner=BOB, cid=cid_n(9), **at(0))
    assert check_history([older, *VECTOR], COMMITMENT) == CheckedHistory(proved=VECTOR, before=[older])
    assert check_history([], EMPTY_HISTORY) == CheckedHistory()


def _altered(index: int, **changes: Any) -> list[RegistryEvent]:
    return [event.model_copy(update=changes) if i == index else event for i, event in enumerate(VECTOR)]


TAMPERED: dict[str, list[RegistryEvent]] = {
    "dropped": VECTOR[1:],
    "altered cid": _altered(1, new_cid=cid_n(7)),
    "altered block": _altered(4, block_number=5),
    "altered note": _altered(3, note="old - use v2"),
    "altered owner": _altered(8, owner=ALICE),
    "yank flipped": _altered(2, yanked=False),
    "reordered": [VECTOR[0], VECTOR[2], VECTOR[1], *VECTOR[3:]],
    "added": [*VECTOR[:5], TransferOffered(from_=ALICE, to=BOB, expires_at=15, **at(5)), *VECTOR[5:]],
}


@pytest.mark.parametrize("name", sorted(TAMPERED))
def test_a_dropped_altered_added_or_reordered_event_proves_nothing(name: str) -> None:
    checked = check_history(TAMPERED[name], COMMITMENT)
    assert checked.proved == []
    assert checked.problem is not None
    assert "chain commits to 9 events" in checked.problem or "do not hash to the chain's commitment" in checked.problem


def test_events_of_two_keys_are_not_one_history() -> None:
    other = VECTOR[1].model_copy(update={"key": "0x" + "02" * 32})
    with pytest.raises(ChainError, match="name 2 keys") as error:
        check_history([VECTOR[0], other], HistoryHead(length=2, head=PALLET_HEAD))
    assert error.value.code == "BAD_PROOF"


def test_event_json_is_the_typescript_shape_and_encodes_like_typescript() -> None:
    """The events' JSON (camelCase, ``expiresAt``, ``from``, no ``note`` when lifted) read back, and
    lib/chain/history.ts encoding the same JSON to the same bytes."""
    json_events = [event.to_json() for event in VECTOR]
    assert json_events[4] == {"type": "TransferOffered", "key": KEY, "from": ALICE, "to": BOB, "expiresAt": 14, "blockNumber": 4, "blockHash": "0x" + format(4, "064x")}
    assert json_events[6] == {"type": "DeprecationSet", "key": KEY, "owner": ALICE, "blockNumber": 6, "blockHash": "0x" + format(6, "064x")}
    assert [registry_event.validate_python(event) for event in json_events] == VECTOR
    theirs = run_ts(
        """
        import { encodeRegistryEvent, replayHistory } from '@lib/chain/history.ts'
        import { u8aToHex } from '@polkadot/util'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        await cryptoWaitReady()
        const events = JSON.parse(process.argv[1])
        console.log(JSON.stringify({ encoded: events.map((e) => u8aToHex(encodeRegistryEvent(e))), head: replayHistory(events) }))
        """,
        json_events,
    )
    assert theirs["encoded"] == ["0x" + encode_registry_event(event).hex() for event in VECTOR]
    assert theirs["head"] == COMMITMENT.to_json()
