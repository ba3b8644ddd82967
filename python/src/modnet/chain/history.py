"""History commitments (pallet ``ModuleHistory``, ``HistoryHead`` in pallet/src/types.rs; mirrors
``lib/chain/history.ts``): a hash chain over all of a key's registry events.

Each event ``e`` in block ``n`` turns the head ``h`` into
``blake2b-256(h ‖ u32le(n) ‖ SCALE(e))``, ``e`` encoded as the pallet's ``Event``
(variant index first). Events from any source (a gateway's index, an archive)
that replay to the head read at a finalized block are proved, whatever the
node has pruned since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ChainError
from ..types import (
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
)
from .cid_codec import cid_to_chain
from .keys import account_id
from .scale import encode_bytes, encode_u32

EMPTY_HISTORY = HistoryHead(length=0, head="0x" + "00" * 32)
"""The head of a key that never had an event."""

_VARIANT: dict[str, int] = {
    "ModuleRegistered": 0,
    "ModuleUpdated": 1,
    "ModuleRemoved": 2,
    "OwnershipTransferred": 3,
    "TransferOffered": 4,
    "TransferCancelled": 5,
    "RevisionYanked": 6,
    "DeprecationSet": 7,
}
"""Variant indices of the pallet's ``Event`` (its declaration order)."""


def _hex(value: str) -> bytes:
    return bytes.fromhex(value[2:] if value[:2].lower() == "0x" else value)


def _cid(value: str) -> bytes:
    return encode_bytes(cid_to_chain(value))


def encode_registry_event(event: RegistryEvent) -> bytes:
    """The event as the pallet SCALE-encodes it."""
    head = bytes([_VARIANT[event.type]]) + encode_bytes(_hex(event.key))
    if isinstance(event, ModuleRegistered):
        return head + account_id(event.owner) + _cid(event.cid)
    if isinstance(event, ModuleUpdated):
        return head + account_id(event.owner) + _cid(event.old_cid) + _cid(event.new_cid) + encode_u32(event.revision)
    if isinstance(event, ModuleRemoved):
        return head + account_id(event.owner)
    if isinstance(event, OwnershipTransferred):
        return head + account_id(event.from_) + account_id(event.to)
    if isinstance(event, TransferOffered):
        return head + account_id(event.from_) + account_id(event.to) + encode_u32(event.expires_at)
    if isinstance(event, TransferCancelled):
        return head + account_id(event.owner) + account_id(event.to)
    if isinstance(event, RevisionYanked):
        return head + account_id(event.owner) + encode_u32(event.revision) + bytes([1 if event.yanked else 0])
    if isinstance(event, DeprecationSet):
        note = b"\x00" if event.note is None else b"\x01" + encode_bytes(event.note.encode("utf-8"))
        return head + account_id(event.owner) + note
    raise AssertionError(f"unknown registry event {event!r}")


def next_head(history: HistoryHead, event: RegistryEvent) -> HistoryHead:
    """The head after ``event`` (in its block)."""
    data = _hex(history.head) + encode_u32(event.block_number) + encode_registry_event(event)
    return HistoryHead(length=history.length + 1, head="0x" + hashlib.blake2b(data, digest_size=32).hexdigest())


def replay_history(events: Iterable[RegistryEvent], start: HistoryHead = EMPTY_HISTORY) -> HistoryHead:
    """The head after all of ``events``, in order, from ``start`` (default: the empty history)."""
    history = start
    for event in events:
        history = next_head(history, event)
    return history


@dataclass(frozen=True)
class CheckedHistory:
    """What :func:`check_history` found."""

    proved: list[RegistryEvent] = field(default_factory=list)
    """The events the commitment covers, oldest first, each proved by it. Empty when they did not replay."""
    before: list[RegistryEvent] = field(default_factory=list)
    """Events given that the commitment does not cover (before it started, e.g. before the runtime upgrade that added it)."""
    problem: str | None = None
    """Why the events do not prove the commitment, when they do not."""


def check_history(events: Sequence[RegistryEvent], commitment: HistoryHead) -> CheckedHistory:
    """Checks a key's events (all of them that a source knows, oldest first, from any source) against its
    commitment read from the chain. The last ``commitment.length`` events must replay to ``commitment.head``;
    older ones predate the commitment. A source that dropped, added, altered or reordered an event is caught:
    nothing is then proved, and ``problem`` says so. Events of more than one key are ``ChainError('BAD_PROOF')``."""
    keys = {event.key.lower() for event in events}
    if len(keys) > 1:
        raise ChainError("BAD_PROOF", f"a history is one key's events; these name {len(keys)} keys")
    if len(events) < commitment.length:
        return CheckedHistory(
            before=list(events), problem=f"the chain commits to {commitment.length} events for this key; the source gave {len(events)}"
        )
    split = len(events) - commitment.length
    covered = list(events[split:])
    if replay_history(covered).head != commitment.head.lower():
        return CheckedHistory(
            before=list(events),
            problem=(
                f"the source's last {commitment.length} events do not hash to the chain's commitment ({commitment.head[:18]}…): "
                "one was dropped, altered, added or reordered"
            ),
        )
    return CheckedHistory(proved=covered, before=list(events[:split]))
