"""The models: typed views with Python names, the TypeScript library's JSON names as aliases."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from modnet.types import (
    Artifact,
    BlockRef,
    ChainStatus,
    DeprecationSet,
    HistoryHead,
    ModulePage,
    ModuleRegistered,
    ModuleMetadata,
    ModuleRecord,
    ModuleStatus,
    ModuleUpdated,
    OwnershipTransferred,
    ReadPoint,
    RevisionYanked,
    TransferCancelled,
    TransferOffer,
    TransferOffered,
    TxProgress,
    TxResult,
    registry_event,
)

KEY = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def test_metadata_built_in_python_gives_the_json_document() -> None:
    metadata = ModuleMetadata(
        name="demo",
        version="1.0.0",
        description="A demo.",
        artifacts=[Artifact(cid="bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", size=19, media_type="text/plain", sha256="0" * 64)],
    )
    assert metadata.to_document() == {
        "schema": "modnet/module-metadata/v1",
        "name": "demo",
        "version": "1.0.0",
        "description": "A demo.",
        "artifacts": [{"cid": "bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq", "size": 19, "mediaType": "text/plain", "sha256": "0" * 64}],
    }
    assert ModuleMetadata.from_document(metadata.to_document()) == metadata


def test_the_record_reads_the_typescript_json_shape() -> None:
    json_record = {"key": KEY, "owner": ALICE, "cid": "bafk", "revision": 0, "registeredAt": 9, "updatedAt": 9, "deposit": "1680000000000"}
    record = ModuleRecord.model_validate(json_record)
    assert record.registered_at == 9 and record.deposit == 1_680_000_000_000
    assert record.model_dump(by_alias=True) == {**json_record, "deposit": 1_680_000_000_000}
    assert ModuleRecord(key=KEY, owner=ALICE, cid="bafk", revision=0, registered_at=9, updated_at=9, deposit=1) is not None
    with pytest.raises(ValidationError):
        record.model_copy(update={"revision": 1}).__setattr__("revision", 2)


def test_read_points_name_who_vouches() -> None:
    point = ReadPoint.model_validate({"blockHash": "0x00", "blockNumber": 7, "verifiedBy": "light-client", "finalized": True})
    assert point.verified_by == "light-client"
    with pytest.raises(ValidationError):
        ReadPoint(block_hash="0x00", block_number=7, verified_by="somebody", finalized=True)  # type: ignore[arg-type]


def test_events_are_told_apart_by_their_type() -> None:
    updated = registry_event.validate_python(
        {"type": "ModuleUpdated", "key": KEY, "blockNumber": 3, "blockHash": "0x01", "owner": ALICE, "oldCid": "a", "newCid": "b", "revision": 1}
    )
    assert isinstance(updated, ModuleUpdated) and updated.new_cid == "b"
    moved = registry_event.validate_python({"type": "OwnershipTransferred", "key": KEY, "blockNumber": 4, "blockHash": "0x02", "from": ALICE, "to": "5F"})
    assert isinstance(moved, OwnershipTransferred) and moved.from_ == ALICE
    assert registry_event.dump_python(moved, by_alias=True)["from"] == ALICE
    with pytest.raises(ValidationError):
        registry_event.validate_python({"type": "ModuleExploded", "key": KEY, "blockNumber": 1, "blockHash": "0x"})


def test_transactions() -> None:
    assert TxProgress(stage="inBlock", block_hash="0x01").stage == "inBlock"
    result = TxResult.model_validate(
        {"blockHash": "0x01", "blockNumber": 5, "stage": "finalized", "events": [{"type": "ModuleRemoved", "key": KEY, "blockNumber": 5, "blockHash": "0x01", "owner": ALICE}]}
    )
    assert result.events[0].type == "ModuleRemoved"
    with pytest.raises(ValidationError):
        TxProgress(stage="sent")  # type: ignore[arg-type]


def test_json_is_the_typescript_shape_with_balances_as_decimal_strings() -> None:
    record = ModuleRecord(key=KEY, owner=ALICE, cid="bafk", revision=0, registered_at=9, updated_at=9, deposit=2**70)
    assert record.to_json() == {"key": KEY, "owner": ALICE, "cid": "bafk", "revision": 0, "registeredAt": 9, "updatedAt": 9, "deposit": str(2**70)}
    assert ModuleRecord.model_validate(record.to_json()) == record  # and reads it back exactly (no float on the way)
    assert record.model_dump()["deposit"] == 2**70  # Python mode keeps the int


def test_events_print_type_and_key_first_and_their_block_last_as_the_typescript_cli_does() -> None:
    registered = ModuleRegistered(key=KEY, block_number=3, block_hash="0x01", owner=ALICE, cid="bafk")
    assert list(registered.to_json().items()) == [
        ("type", "ModuleRegistered"), ("key", KEY), ("owner", ALICE), ("cid", "bafk"), ("blockNumber", 3), ("blockHash", "0x01")
    ]
    moved = OwnershipTransferred(key=KEY, block_number=4, block_hash="0x02", from_=ALICE, to="5F")
    assert list(moved.to_json()) == ["type", "key", "from", "to", "blockNumber", "blockHash"]
    result = TxResult(block_hash="0x02", block_number=4, stage="inBlock", events=[registered, moved])
    assert result.to_json() == {"blockHash": "0x02", "blockNumber": 4, "stage": "inBlock", "events": [registered.to_json(), moved.to_json()]}
    assert TxResult.model_validate(result.to_json()) == result


def test_absent_fields_are_left_out_of_the_json_as_typescript_leaves_them_undefined() -> None:
    assert TxProgress(stage="ready").to_json() == {"stage": "ready"}
    point = ReadPoint(block_hash="0x00", block_number=7, verified_by="rpc", finalized=False)
    assert ModulePage(modules=[], at=point).to_json() == {"modules": [], "at": point.to_json()}
    assert ModulePage(modules=[], next_key=KEY, at=point).to_json()["nextKey"] == KEY
    assert BlockRef(hash="0x01", number=1).to_json() == {"hash": "0x01", "number": 1}
    status = ChainStatus(
        connection="rpc", endpoint="ws://127.0.0.1:9944", chain="Development", genesis_hash="0x00", spec_version=102,
        peers=0, is_syncing=False, best=9, finalized=8, finalized_hash="0x08",
    )
    assert list(status.to_json()) == ["connection", "endpoint", "chain", "genesisHash", "specVersion", "peers", "isSyncing", "best", "finalized", "finalizedHash"]


def test_the_new_events_and_statuses_have_the_typescript_json_shapes() -> None:
    where = {"key": KEY, "block_number": 9, "block_hash": "0x09"}
    offered = TransferOffered(**where, from_=ALICE, to="5F", expires_at=99)
    assert list(offered.to_json().items()) == [
        ("type", "TransferOffered"), ("key", KEY), ("from", ALICE), ("to", "5F"), ("expiresAt", 99), ("blockNumber", 9), ("blockHash", "0x09")
    ]
    cancelled = TransferCancelled(**where, owner=ALICE, to="5F")
    yanked = RevisionYanked(**where, owner=ALICE, revision=2, yanked=True)
    deprecated = DeprecationSet(**where, owner=ALICE, note="use x")
    lifted = DeprecationSet(**where, owner=ALICE)
    assert list(cancelled.to_json()) == ["type", "key", "owner", "to", "blockNumber", "blockHash"]
    assert list(yanked.to_json()) == ["type", "key", "owner", "revision", "yanked", "blockNumber", "blockHash"]
    assert deprecated.to_json()["note"] == "use x" and "note" not in lifted.to_json()
    for event in (offered, cancelled, yanked, deprecated, lifted):
        assert registry_event.validate_python(event.to_json()) == event
    assert HistoryHead(length=2, head="0xab").to_json() == {"length": 2, "head": "0xab"}
    status = ModuleStatus(yanked=[1], transfer_offer=TransferOffer(to="5F", expires_at=3))
    assert status.to_json() == {"yanked": [1], "transferOffer": {"to": "5F", "expiresAt": 3}}
    assert ModuleStatus.model_validate(status.to_json()) == status
