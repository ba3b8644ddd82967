"""IPFSClient against stand-in HTTP backends (httpx.MockTransport): verification, errors, retries, limits, uploads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from modnet.cid import CID, CODEC_RAW, IDENTITY, cid_for, parse_cid
from modnet.errors import IPFSError
from modnet.ipfs import MAX_BLOCK_BYTES, IPFSClient, is_transient
from modnet.unixfs import compute_cid, unixfs_blocks

MiB = 1 << 20
CONTENT = bytes((i * 31 + 7) % 251 for i in range(251)) * (3 * MiB // 251 + 1)
CONTENT = CONTENT[: 3 * MiB]
BLOCKS = dict(unixfs_blocks(CONTENT))
ROOT = list(BLOCKS)[-1]

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class Backend:
    """Records requests and answers them with ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []
        self.handler = handler

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.handler(request)

    def client(self, backend: str = "gateway", **options: Any) -> IPFSClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        options.setdefault("base_delay", 0.0)
        return IPFSClient("http://gw.test", backend=backend, http=http, **options)  # type: ignore[arg-type]


def gateway(blocks: dict[CID, bytes]) -> Handler:
    async def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.params["format"] == "raw" and request.headers["accept"] == "application/vnd.ipld.raw"
        cid = parse_cid(request.url.path.removeprefix("/ipfs/"))
        if cid not in blocks:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, content=blocks[cid], headers={"content-type": "application/vnd.ipld.raw"})

    return handle


async def test_a_file_is_reassembled_from_verified_blocks() -> None:
    backend = Backend(gateway(BLOCKS))
    async with backend.client() as ipfs:
        assert await ipfs.cat(ROOT) == CONTENT
        assert await ipfs.cat(str(ROOT)) == CONTENT
        assert await ipfs.content_size(ROOT) == 3 * MiB
        assert await ipfs.get_block(ROOT) == BLOCKS[ROOT]
    assert len(backend.requests) == 4 + 4 + 1 + 1  # root + 3 leaves, twice; the root twice more


async def test_a_tampered_block_is_never_returned_and_not_retried() -> None:
    tampered = dict(BLOCKS)
    leaf = list(BLOCKS)[1]
    tampered[leaf] = bytes([BLOCKS[leaf][0] ^ 0x20]) + BLOCKS[leaf][1:]
    backend = Backend(gateway(tampered))
    async with backend.client() as ipfs:
        for read in (lambda: ipfs.cat(ROOT), lambda: ipfs.get_block(leaf)):
            with pytest.raises(IPFSError) as raised:
                await read()
            assert raised.value.code == "IPFS_VERIFICATION_FAILED"
            assert str(leaf) in raised.value.message


async def test_missing_content_is_not_found_without_retries() -> None:
    backend = Backend(gateway({}))
    async with backend.client(attempts=5) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(ROOT)
    assert raised.value.code == "IPFS_NOT_FOUND"
    assert len(backend.requests) == 1


async def test_an_unavailable_gateway_is_retried_until_it_answers() -> None:
    answers = iter([httpx.Response(503, json={"error": "busy"}), httpx.Response(429), None])
    serve = gateway(BLOCKS)

    async def handle(request: httpx.Request) -> httpx.Response:
        answer = next(answers)
        return answer if answer is not None else await serve(request)

    backend = Backend(handle)
    async with backend.client(attempts=3) as ipfs:
        assert await ipfs.get_block(ROOT) == BLOCKS[ROOT]
    assert len(backend.requests) == 3


async def test_a_gateway_that_cannot_be_reached_is_unavailable_after_every_attempt() -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    backend = Backend(refuse)
    async with backend.client(attempts=3) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.get_block(ROOT)
    assert raised.value.code == "IPFS_UNAVAILABLE" and is_transient(raised.value)
    assert "connection refused" in raised.value.message
    assert len(backend.requests) == 3


async def test_each_attempt_has_a_time_limit() -> None:
    async def stall(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    backend = Backend(stall)
    async with backend.client(attempts=2, timeout=0.05) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(ROOT)
    assert raised.value.code == "IPFS_TIMEOUT"
    assert len(backend.requests) == 2


async def test_a_refused_request_is_rejected_with_the_gateways_reason() -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "bad path"})

    backend = Backend(refuse)
    async with backend.client() as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.get_block(ROOT)
    assert raised.value.code == "IPFS_REJECTED"
    assert raised.value.message.endswith("answered HTTP 400: bad path")
    assert len(backend.requests) == 1


async def test_blocks_and_content_are_size_limited() -> None:
    huge = b"\x00" * (MAX_BLOCK_BYTES + 1)
    huge_cid = cid_for(huge)

    async def serve_huge(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=huge)

    async with Backend(serve_huge).client() as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.get_block(huge_cid)
    assert raised.value.code == "IPFS_TOO_LARGE"

    backend = Backend(gateway(BLOCKS))
    async with backend.client(max_bytes=MiB) as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(ROOT)
        assert raised.value.code == "IPFS_TOO_LARGE"
        assert await ipfs.cat(ROOT, max_bytes=3 * MiB) == CONTENT


async def test_identity_cids_need_no_backend() -> None:
    backend = Backend(gateway({}))
    cid = CID.create(1, CODEC_RAW, IDENTITY, b"inline")
    async with backend.client() as ipfs:
        assert await ipfs.cat(cid) == b"inline"
    assert backend.requests == []


def upload_answer(status: int, body: Any) -> Handler:
    async def handle(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST" and request.url.path == "/api/v1/metadata"
        assert request.headers["content-type"] == "application/json"
        return httpx.Response(status, json=body(request.content) if callable(body) else body)

    return handle


async def test_uploads_are_checked_against_the_computed_cid() -> None:
    document = b'{"a":1}'
    honest = Backend(upload_answer(201, lambda content: {"cid": str(compute_cid(content)), "state": "provisional"}))
    async with honest.client() as ipfs:
        assert await ipfs.add(document) == compute_cid(document)
    assert honest.requests[0].content == document

    lying = Backend(upload_answer(201, {"cid": str(cid_for(b"something else"))}))
    async with lying.client() as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.add(document)
    assert raised.value.code == "IPFS_CID_MISMATCH"


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (405, {"error": "no"}, "IPFS_READ_ONLY"),
        (404, {}, "IPFS_READ_ONLY"),
        (422, {"error": "the document does not match schema modnet/module-metadata/v1 (1 problem)"}, "IPFS_REJECTED"),
        (413, {"error": "too big"}, "IPFS_REJECTED"),
        (500, {"error": "disk full"}, "IPFS_UNAVAILABLE"),
        (201, {"no": "cid"}, "IPFS_UNAVAILABLE"),
        (201, {"cid": "not a cid"}, "IPFS_BAD_CID"),
    ],
)
async def test_upload_failures(status: int, body: Any, code: str) -> None:
    async with Backend(upload_answer(status, body)).client() as ipfs:
        with pytest.raises(IPFSError) as raised:
            await ipfs.add(b"{}")
    assert raised.value.code == code


async def test_the_kubo_backend() -> None:
    small = b"kubo content"

    async def kubo(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        if request.url.path == "/api/v0/block/get":
            cid = request.url.params["arg"]
            if cid == str(cid_for(small)):
                return httpx.Response(200, content=small)
            return httpx.Response(500, json={"Message": f"block was not found locally (offline): ipld: could not find {cid}", "Code": 0, "Type": "error"})
        if request.url.path == "/api/v0/add":
            params = dict(request.url.params)
            assert params == {
                "cid-version": "1",
                "raw-leaves": "true",
                "chunker": "size-1048576",
                "max-file-links": "1024",
                "hash": "sha2-256",
                "pin": "true",
                "progress": "false",
            }
            assert request.headers["content-type"].startswith("multipart/form-data")
            assert small in request.content
            line = json.dumps({"Name": "content", "Hash": str(compute_cid(small)), "Size": str(len(small))})
            return httpx.Response(200, text=line + "\n")
        if request.url.path == "/api/v0/version":
            return httpx.Response(200, json={"Version": "0.43.1"})
        return httpx.Response(404)

    backend = Backend(kubo)
    async with backend.client("kubo") as ipfs:
        assert ipfs.kind == "kubo"
        assert await ipfs.add(small) == cid_for(small)
        assert await ipfs.cat(cid_for(small)) == small
        with pytest.raises(IPFSError) as raised:
            await ipfs.cat(cid_for(b"absent"))
        assert raised.value.code == "IPFS_NOT_FOUND"
        status = await ipfs.status()
        assert status.ok and status.detail == "Kubo 0.43.1"


async def test_status_never_raises() -> None:
    async def health(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200 if request.url.path == "/healthz" else 404)

    async with Backend(health).client() as ipfs:
        assert (await ipfs.status()).ok

    async def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with Backend(down).client() as ipfs:
        status = await ipfs.status()
    assert not status.ok and "refused" in status.detail


async def test_backend_specs() -> None:
    async with IPFSClient.from_spec("gateway:http://127.0.0.1:8088/") as ipfs:
        assert (ipfs.kind, ipfs.location) == ("gateway", "http://127.0.0.1:8088")
    async with IPFSClient.from_spec("kubo:http://127.0.0.1:5001") as ipfs:
        assert ipfs.kind == "kubo"
    for spec in ("embedded", "ipfs:http://x", "gateway:ftp://x", "gateway:", "kubo:127.0.0.1:5001"):
        with pytest.raises(IPFSError) as raised:
            IPFSClient.from_spec(spec)
        assert raised.value.code == "IPFS_UNSUPPORTED"


async def test_a_given_http_client_is_left_open() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(404)))
    async with IPFSClient("http://gw.test", http=http):
        pass
    assert not http.is_closed
    await http.aclose()
