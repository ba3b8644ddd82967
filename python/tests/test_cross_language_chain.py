"""Python and TypeScript on one registry: a module registered from Python read by the TypeScript CLI, one
registered by the TypeScript CLI read from Python, both CLIs printing the same JSON for it (metadata signatures
judged alike at each revision on this chain: valid, an old document pointed at again, a version-1 signature), and a
key's history made by both proved from Python."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest


from chain_support import metadata, py_cli, random_cid, ts_cli  # noqa: E402

from modnet.ipfs import IPFSClient  # noqa: E402
from modnet.chain import KeyPair, ModuleRegistryClient, check_history, connect, replay_history  # noqa: E402
from modnet.types import DeprecationSet, ModuleStatus, RegistryEvent, TransferOffer, TransferOffered, registry_event  # noqa: E402
from modnet.registry import register_module, retrieve_module  # noqa: E402
from modnet.signature import attach_signature, legacy_signature_message  # noqa: E402

ALICE, BOB = KeyPair.from_uri("//Alice"), KeyPair.from_uri("//Bob")


@pytest.fixture
async def chain(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(stack["rpcUrl"])
    yield client
    await client.close()


# Not compared: where each read was made, and what only the TypeScript CLI's `get` adds (whether the
# current revision is yanked and the latest one that is not, proved from the key's history).
TYPESCRIPT_GET_ONLY = {"readAt", "currentYanked", "latest"}


def shared_fields(output: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in output.items() if name not in TYPESCRIPT_GET_ONLY}


async def test_registered_from_python_read_by_the_typescript_cli(stack: dict[str, Any], chain: ModuleRegistryClient) -> None:
    module_key = KeyPair.generate("ed25519")
    key = "0x" + module_key.public_key.hex()
    ipfs = IPFSClient(stack["gatewayUrl"])
    result = await register_module(chain, ipfs, metadata(description="registered from Python ✓"), ALICE, module_key=key, module_signer=module_key)
    ours = (await retrieve_module(chain, ipfs, key)).to_json()

    done = ts_cli(stack, "--json", "get", key)
    assert done.returncode == 0, done.stderr
    theirs = json.loads(done.stdout)
    assert theirs["record"] == {**ours["record"], "owner": ALICE.address, "cid": result.cid}
    assert theirs["metadata"] == result.metadata  # the signature Python made included
    assert theirs["verification"] == {"cidMatches": True, "schema": {"valid": True}, "signature": {"status": "valid"}}
    assert shared_fields(theirs) == shared_fields(ours)
    assert theirs["readAt"]["verifiedBy"] == "rpc" and theirs["readAt"]["finalized"] is True
    assert theirs["currentYanked"] is False and theirs["latest"] == {"state": "current", "revision": 0, "cid": result.cid}

    ours_cli = py_cli("--rpc", stack["rpcUrl"], "--gateway", stack["gatewayUrl"], "--json", "get", key)
    assert ours_cli.returncode == 0, ours_cli.stderr
    assert shared_fields(json.loads(ours_cli.stdout)) == shared_fields(theirs)


async def test_registered_by_the_typescript_cli_read_from_python(stack: dict[str, Any], chain: ModuleRegistryClient, tmp_path: Path) -> None:
    document = metadata(description="registered by the TypeScript CLI")
    file = tmp_path / "module.json"
    file.write_text(json.dumps(document, indent=2))
    done = ts_cli(stack, "--json", "register", "--key-uri", "//Bob", "--metadata", str(file))
    assert done.returncode == 0, done.stderr
    registered = json.loads(done.stdout)
    key = chain.account_key(BOB)
    assert (registered["key"], registered["action"]) == (key, "registered")

    await chain.wait_for_finalized(registered["blockNumber"])
    module = await retrieve_module(chain, IPFSClient(stack["gatewayUrl"]), key)
    assert (module.record.key, module.record.owner, module.record.cid) == (key, BOB.address, registered["cid"])
    assert {name: value for name, value in module.metadata.items() if name != "signature"} == document
    assert module.metadata["signature"]["type"] == "sr25519"  # Bob's own key signed it, in TypeScript
    assert module.verification.to_json() == {"cidMatches": True, "schema": {"valid": True}, "signature": {"status": "valid"}}
    assert [e.type for e in (await chain.events_at(registered["blockHash"]))[0] if e.key == key] == ["ModuleRegistered"]


async def verdicts_of_both(stack: dict[str, Any], chain: ModuleRegistryClient, key: str) -> tuple[int, dict[str, Any]]:
    """The module's revision and its signature verdict, read by Python and by the TypeScript CLI (asserted equal)."""
    ours = await retrieve_module(chain, IPFSClient(stack["gatewayUrl"]), key)
    done = ts_cli(stack, "--json", "get", key)
    assert done.returncode == 0, done.stderr
    theirs = json.loads(done.stdout)
    assert theirs["record"]["revision"] == ours.record.revision
    assert theirs["verification"] == ours.verification.to_json()
    return ours.record.revision, ours.verification.signature.to_json()


async def test_signatures_bind_the_revision_alike_in_both_languages(stack: dict[str, Any], chain: ModuleRegistryClient, tmp_path: Path) -> None:
    """Python registers (signed for revision 0), the TypeScript CLI updates (signed for 1), Python points the module
    at its first document again (signed for 0, now at 2), then at a version-1 signed document (at 3): Python and
    the TypeScript CLI give the same verdict every time."""
    secret = f"//Alice//signature-binding-{uuid.uuid4().hex}"
    module_key = KeyPair.from_uri(secret, "ed25519")
    key = "0x" + module_key.public_key.hex()
    ipfs = IPFSClient(stack["gatewayUrl"])
    first = await register_module(chain, ipfs, metadata(description="revision 0"), ALICE, module_key=key, module_signer=module_key)
    assert await verdicts_of_both(stack, chain, key) == (0, {"status": "valid"})

    file = tmp_path / "module.json"
    document = {name: value for name, value in first.metadata.items() if name != "signature"}
    file.write_text(json.dumps({**document, "description": "revision 1, from TypeScript", "previous": first.cid}, indent=2))
    done = ts_cli(stack, "--json", "update", "--key-uri", "//Alice", "--metadata", str(file), "--module-key", key,
                  "--module-key-uri", secret, "--module-key-type", "ed25519")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["action"] == "updated"
    await chain.wait_for_finalized(json.loads(done.stdout)["blockNumber"])
    assert await verdicts_of_both(stack, chain, key) == (1, {"status": "valid"})

    again = await register_module(chain, ipfs, first.metadata, ALICE, module_key=key, module_signer=module_key, mode="update")
    assert (again.action, again.cid, again.metadata) == ("updated", first.cid, first.metadata)  # kept its signature for 0
    assert await verdicts_of_both(stack, chain, key) == (2, {
        "status": "invalid", "reason": "the signature does not match this document and module key on this chain at revision 2",
    })

    old = {**document, "description": "signed in format v1"}
    v1 = attach_signature(old, "ed25519", module_key.sign(legacy_signature_message(old)))
    await register_module(chain, ipfs, v1, ALICE, module_key=key, module_signer=module_key, mode="update")
    assert await verdicts_of_both(stack, chain, key) == (3, {
        "status": "invalid",
        "reason": "signed in format v1, which binds neither the chain nor the revision: it may be an old document pointed at again; sign it again",
    })
    ours_cli = py_cli("--rpc", stack["rpcUrl"], "--gateway", stack["gatewayUrl"], "--json", "get", key)
    assert ours_cli.returncode == 0, ours_cli.stderr
    assert json.loads(ours_cli.stdout)["verification"]["signature"]["reason"].startswith("signed in format v1")
    await chain.remove(key, ALICE, wait_for="inBlock")


async def ts_cli_events(stack: dict[str, Any], chain: ModuleRegistryClient, key: str, *args: str) -> list[RegistryEvent]:
    """Runs a TypeScript CLI write (``--json``, to inclusion) and returns its events, parsed by Python from the CLI's
    JSON, after checking they are the events Python decodes from that block itself."""
    done = ts_cli(stack, "--json", *args, "--wait", "inBlock")
    assert done.returncode == 0, done.stderr
    tx = json.loads(done.stdout)
    theirs = [registry_event.validate_python(event) for event in tx["events"]]
    ours, number = await chain.events_at(tx["blockHash"])
    assert [event for event in ours if event.key == key] == theirs and number == tx["blockNumber"]
    assert [event.to_json() for event in theirs] == tx["events"]
    return theirs


async def test_offers_and_yanks_made_by_the_typescript_cli_prove_the_history_python_reads(stack: dict[str, Any], chain: ModuleRegistryClient) -> None:
    """The TypeScript CLI offers and yanks a module Python registered; Python deprecates it and accepts the offer.
    Python decodes the CLI's events (its JSON) and the blocks' events alike, reads the status TypeScript set, and
    the key's history from the node equals the replay of both languages' events in order."""
    module = KeyPair.generate("ed25519")
    key = "0x" + module.public_key.hex()
    registered = await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")
    events: list[RegistryEvent] = [*registered.events]
    for args in (["transfer", key, BOB.address], ["yank", key, "0"]):
        events += await ts_cli_events(stack, chain, key, *args, "--key-uri", "//Alice")
    note = "replaced by another module – see its docs"
    events += (await chain.set_deprecation(key, note, ALICE, wait_for="inBlock")).events
    offered = events[1]
    assert isinstance(offered, TransferOffered) and (offered.from_, offered.to) == (ALICE.address, BOB.address)
    status, _ = await chain.get_module_status(key, "best")
    assert status == ModuleStatus(yanked=[0], deprecation=note, transfer_offer=TransferOffer(to=BOB.address, expires_at=offered.expires_at))

    accepted = await chain.accept_ownership(key, BOB, wait_for="inBlock")
    events += accepted.events
    history, _ = await chain.get_history(key, accepted.block_hash)
    assert history == replay_history(events) and history.length == 5
    assert check_history(events, history).proved == events
    assert (await chain.get_module_status(key, accepted.block_hash))[0] == ModuleStatus(yanked=[0], deprecation=note)
    await chain.remove(key, BOB, wait_for="inBlock")


async def test_a_deprecation_set_by_the_typescript_cli_is_read_by_python(stack: dict[str, Any], chain: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ed25519")
    key = "0x" + module.public_key.hex()
    await chain.register(key, random_cid(), ALICE, module_signer=module, wait_for="inBlock")
    try:
        note = "replaced by another module – see its docs"
        [event] = await ts_cli_events(stack, chain, key, "deprecate", key, note, "--key-uri", "//Alice")
        assert isinstance(event, DeprecationSet) and event.note == note
        assert (await chain.get_module_status(key, "best"))[0] == ModuleStatus(deprecation=note)
        [lifted] = await ts_cli_events(stack, chain, key, "deprecate", key, "--lift", "--key-uri", "//Alice")
        assert isinstance(lifted, DeprecationSet) and lifted.note is None
    finally:
        await chain.remove(key, ALICE, wait_for="inBlock")
