"""IPFSClient against real processes: the Mod-Net gateway (and the tampering proxy in front of it) of the
test stack, and a real Kubo daemon (its RPC API, and its own trustless gateway)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import modnet.unixfs as unixfs
from modnet.canonical import canonical_bytes, parse_json_document
from modnet.cid import cid_for, parse_cid
from modnet.errors import IPFSError
from modnet.ipfs import IPFSClient
from modnet.unixfs import compute_cid, unixfs_blocks
from modnet.validate import validate_metadata

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"
MiB = 1 << 20


def blob(size: int) -> bytes:
    pattern = bytes((i * 31 + 7) % 251 for i in range(251))
    return (pattern * (size // 251 + 1))[:size]


def document(tag: str) -> dict[str, Any]:
    doc = parse_json_document((ROOT / "examples" / "hello-module.json").read_bytes())
    doc = copy.deepcopy(doc)
    doc["x-python-test"] = f"{tag} {os.urandom(8).hex()}"  # a document no other test uploads
    return doc


# --- the Mod-Net gateway --------------------------------------------------------------------------


async def test_upload_through_the_gateway_and_read_back_verified(stack: dict[str, Any]) -> None:
    data = canonical_bytes(document("round trip"))
    async with IPFSClient(stack["gatewayUrl"]) as ipfs:
        assert (await ipfs.status()).ok
        cid = await ipfs.add(data)
        assert cid == compute_cid(data)
        assert await ipfs.cat(cid) == data
        assert await ipfs.content_size(cid) == len(data)
    assert validate_metadata(parse_json_document(data)).ok


async def test_a_tampering_gateway_is_caught_and_gives_no_bytes(stack: dict[str, Any]) -> None:
    data = canonical_bytes(document("tampered"))
    async with IPFSClient(stack["gatewayUrl"]) as honest:
        cid = await honest.add(data)
    async with httpx.AsyncClient() as http:
        relayed = (await http.get(f"{stack['tamperingGatewayUrl']}/ipfs/{cid}?format=raw")).content
    assert len(relayed) == len(data) and relayed != data  # the proxy does lie
    async with IPFSClient(stack["tamperingGatewayUrl"], attempts=3) as lying:
        for read in (lying.cat, lying.get_block):
            with pytest.raises(IPFSError) as raised:
                await read(cid)
            assert raised.value.code == "IPFS_VERIFICATION_FAILED"


async def test_a_missing_cid_is_not_found(stack: dict[str, Any]) -> None:
    missing = cid_for(os.urandom(32))
    async with IPFSClient(stack["gatewayUrl"]) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(missing)
    assert raised.value.code == "IPFS_NOT_FOUND"


async def test_the_gateway_refuses_what_is_not_a_canonical_valid_document(stack: dict[str, Any]) -> None:
    doc = document("refused")
    async with IPFSClient(stack["gatewayUrl"]) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.add(json.dumps(doc, indent=2).encode())
        assert raised.value.code == "IPFS_REJECTED" and "canonical" in raised.value.message
        doc["version"] = "one"
        with pytest.raises(IPFSError) as raised:
            await ipfs.add(canonical_bytes(doc))
        assert raised.value.code == "IPFS_REJECTED" and "does not match schema" in raised.value.message


# --- Kubo -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kubo() -> Iterator[dict[str, str]]:
    """A throwaway offline Kubo (python/tests/support/kubo.ts): apiUrl, gatewayUrl."""
    process = subprocess.Popen(
        [str(NODE), str(Path(__file__).parent / "support" / "kubo.ts")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=30)
        raise RuntimeError(f"python/tests/support/kubo.ts exited with {process.returncode} before printing its addresses")
    try:
        yield json.loads(line)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("size", [0, 1, MiB, MiB + 1, 3 * MiB])
async def test_kubo_stores_content_under_the_computed_cid(kubo: dict[str, str], size: int) -> None:
    content = blob(size)[::-1] if size else b""
    async with IPFSClient(kubo["apiUrl"], backend="kubo") as ipfs:
        cid = await ipfs.add(content)  # raises IPFS_CID_MISMATCH if Kubo's CID differs
        assert cid == compute_cid(content)
        assert await ipfs.cat(cid) == content
    # Kubo's own gateway is a trustless gateway like any other
    async with IPFSClient(kubo["gatewayUrl"]) as gateway:
        assert await gateway.cat(cid) == content
        with pytest.raises(IPFSError) as raised:
            await gateway.cat(cid_for(os.urandom(8)))
        assert raised.value.code == "IPFS_NOT_FOUND"


async def test_kubo_builds_multi_level_trees_as_unixfs_blocks_does(kubo: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks and few links make the balanced layout's deeper levels testable without gigabytes."""
    content = blob(64 * 40 + 7)  # 41 chunks, 3 links a node: four levels under the root
    monkeypatch.setattr(unixfs, "UNIXFS_CHUNK_SIZE", 64)
    monkeypatch.setattr(unixfs, "UNIXFS_MAX_LINKS", 3)
    ours = list(unixfs_blocks(content))[-1][0]
    params = {"cid-version": "1", "raw-leaves": "true", "chunker": "size-64", "max-file-links": "3", "pin": "false"}
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{kubo['apiUrl']}/api/v0/add", params=params, files={"file": ("f", content)})
    response.raise_for_status()
    assert parse_cid(response.json()["Hash"]) == ours
    async with IPFSClient(kubo["gatewayUrl"]) as gateway:
        assert await gateway.cat(ours) == content


async def collect_garbage(kubo: dict[str, str]) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        (await http.post(f"{kubo['apiUrl']}/api/v0/repo/gc")).raise_for_status()


async def test_kubo_pins_keep_content_through_garbage_collection_and_unpins_let_it_go(kubo: dict[str, str]) -> None:
    content = os.urandom(1000)
    async with httpx.AsyncClient() as http:  # stored unpinned, so that pinning is what keeps it
        response = await http.post(f"{kubo['apiUrl']}/api/v0/add", params={"cid-version": "1", "raw-leaves": "true", "pin": "false"}, files={"file": ("f", content)})
    response.raise_for_status()
    cid = parse_cid(response.json()["Hash"])
    async with IPFSClient(kubo["apiUrl"], backend="kubo", attempts=1) as ipfs:
        assert not await ipfs.is_pinned(cid)
        await ipfs.pin(str(cid))
        assert await ipfs.is_pinned(cid)
        await ipfs.pin(cid)  # pinning again changes nothing
        await collect_garbage(kubo)
        assert await ipfs.cat(cid) == content

        await ipfs.unpin(cid)
        assert not await ipfs.is_pinned(cid)
        await ipfs.unpin(cid)  # what is not pinned is unpinned already, as in TypeScript
        await collect_garbage(kubo)
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(cid)  # this Kubo is offline: the collected block is gone for good
        assert raised.value.code == "IPFS_NOT_FOUND"


async def test_kubo_refuses_to_pin_a_malformed_cid_or_content_it_cannot_find(kubo: dict[str, str]) -> None:
    async with IPFSClient(kubo["apiUrl"], backend="kubo") as ipfs:
        for call in (ipfs.pin, ipfs.unpin, ipfs.is_pinned):
            with pytest.raises(IPFSError) as raised:
                await call("not a CID")
            assert raised.value.code == "IPFS_BAD_CID" and '"not a CID" is not a valid CID' in raised.value.message
        missing = cid_for(os.urandom(32))
        with pytest.raises(IPFSError) as raised:
            await ipfs.pin(missing)  # offline: Kubo cannot fetch it
        assert raised.value.code == "IPFS_NOT_FOUND" and f"pinning {missing}" in raised.value.message


async def test_pins_through_the_gateway_are_the_gateways_own(stack: dict[str, Any]) -> None:
    async with IPFSClient(stack["gatewayUrl"]) as ipfs:
        cid = await ipfs.add(canonical_bytes(document("gateway pins")))
        for call in (ipfs.pin, ipfs.unpin):
            with pytest.raises(IPFSError) as raised:
                await call(cid)
            assert raised.value.code == "IPFS_READ_ONLY" and "needs a Kubo backend" in raised.value.message
        assert not await ipfs.is_pinned(cid)  # a gateway shows no pins, as lib/ipfs/gateway.ts says
