"""Python and TypeScript on one registry: a module registered from Python read by the TypeScript CLI, one
registered by the TypeScript CLI read from Python, and both CLIs printing the same JSON for it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest


from chain_support import metadata, py_cli, ts_cli  # noqa: E402

from modnet.ipfs import IPFSClient  # noqa: E402
from modnet.chain import KeyPair, ModuleRegistryClient, connect  # noqa: E402
from modnet.registry import register_module, retrieve_module  # noqa: E402

ALICE, BOB = KeyPair.from_uri("//Alice"), KeyPair.from_uri("//Bob")


@pytest.fixture
async def chain(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(stack["rpcUrl"])
    yield client
    await client.close()


def without_read_point(output: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in output.items() if name != "readAt"}


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
    assert without_read_point(theirs) == without_read_point(ours)
    assert theirs["readAt"]["verifiedBy"] == "rpc" and theirs["readAt"]["finalized"] is True

    ours_cli = py_cli("--rpc", stack["rpcUrl"], "--gateway", stack["gatewayUrl"], "--json", "get", key)
    assert ours_cli.returncode == 0, ours_cli.stderr
    assert without_read_point(json.loads(ours_cli.stdout)) == without_read_point(theirs)


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
