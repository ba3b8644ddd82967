"""The smoldot light client (smoldot-light through our transport) against the dev node: the same records as
over RPC, checked against finalized headers, and writes with the pallet's refusals by name."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from pathlib import Path
from typing import Any

import pytest
from chain_support import random_cid

from modnet.chain import KeyPair, ModuleRegistryClient, connect
from modnet.chain import client as client_module
from modnet.errors import ChainError

ALICE, BOB = KeyPair.from_uri("//Alice"), KeyPair.from_uri("//Bob")


@pytest.fixture
async def rpc(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(stack["rpcUrl"])
    yield client
    await client.close()


@pytest.fixture(scope="module")
async def light(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(chain_spec=stack["chainSpec"])
    yield client
    await client.close()


async def test_light_client_and_rpc_return_the_same_record(rpc: ModuleRegistryClient, light: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ecdsa")
    key = "0x" + module.public_key.hex()
    tx = await rpc.register(key, random_cid(), ALICE, module_signer=module)  # finalized
    await light.wait_for_finalized(tx.block_number)  # the light client's finality may trail by a block

    status = await light.status()
    assert status.connection == "light-client" and status.peers >= 1 and status.genesis_hash == rpc.genesis_hash

    light_record, light_at = await light.require_module(key)
    assert light_at.verified_by == "light-client" and light_at.finalized
    rpc_record, rpc_at = await rpc.require_module(key, light_at.block_hash)  # the very block the light client read
    assert rpc_at.block_number == light_at.block_number and rpc_at.verified_by == "rpc"
    assert light_record == rpc_record

    assert (await light.count(light_at.block_hash))[0] == (await rpc.count(light_at.block_hash))[0]
    light_page = await light.list_modules(page_size=1000, at=light_at.block_hash)
    rpc_page = await rpc.list_modules(page_size=1000, at=light_at.block_hash)
    assert light_page.modules == rpc_page.modules and light_record in light_page.modules
    assert (await light.modules_of(ALICE.address, light_at.block_hash))[0] == (await rpc.modules_of(ALICE.address, light_at.block_hash))[0]
    assert (await light.get_module("0x" + KeyPair.generate().public_key.hex()))[0] is None


async def test_writes_through_the_light_client(rpc: ModuleRegistryClient, light: ModuleRegistryClient) -> None:
    module = KeyPair.generate("ed25519")
    key = "0x" + module.public_key.hex()
    stages: list[str] = []
    tx = await light.register(key, random_cid(), ALICE, module_signer=module, on_progress=lambda p: stages.append(p.stage))
    assert stages == ["signing", "ready", "inBlock", "finalized"]
    assert [e.type for e in tx.events] == ["ModuleRegistered"]
    assert (await rpc.require_module(key, tx.block_hash))[0].owner == ALICE.address

    with pytest.raises(ChainError) as refused:
        await light.remove(key, BOB, wait_for="inBlock")
    assert (refused.value.code, refused.value.pallet, refused.value.error) == ("CHAIN_DISPATCH", "moduleRegistry", "NotOwner")
    assert str(refused.value) == "moduleRegistry.NotOwner: Only the module's owner may do this."
    removed = await light.remove(key, ALICE)
    assert [e.type for e in removed.events] == ["ModuleRemoved"]
    assert (await light.get_module(key))[0] is None


async def test_a_light_client_without_peers_is_restarted_then_gives_up_in_words(stack: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = json.loads(Path(stack["chainSpec"]).read_text())
    spec["bootNodes"] = [node.replace(node.split("/")[4], "9", 1) for node in spec["bootNodes"]]  # the same node id, a dead port
    dead = tmp_path / "dead-bootnode.json"
    dead.write_text(json.dumps(spec))
    started: list[object] = []
    real = client_module.SmoldotTransport

    def counting(*args: Any) -> Any:
        started.append(args)
        return real(*args)

    monkeypatch.setattr(client_module, "SmoldotTransport", counting)
    monkeypatch.setattr(client_module, "LIGHT_CLIENT_ATTEMPT", 2.0)
    with pytest.raises(ChainError) as stuck:
        await connect(chain_spec=str(dead), sync_timeout=5)
    assert stuck.value.code == "CHAIN_TIMEOUT"
    assert "the light client did not sync within" in str(stuck.value) and "(peers 0," in str(stuck.value) and "bootnode up?" in str(stuck.value)
    assert len(started) >= 2  # a client that found no peer was replaced
