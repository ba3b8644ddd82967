"""``IPFSClient``: IPFS over HTTP, every block checked against its CID.

Mirrors ``lib/ipfs/client.ts`` with two of its backends:

- ``gateway``: any trustless gateway (``GET /ipfs/<cid>?format=raw``, one
  block at a time), so the gateway need not be trusted; uploads go to a
  Mod-Net gateway's ``POST /api/v1/metadata`` (canonical metadata documents
  only), as ``lib/ipfs/gateway.ts`` does;
- ``kubo``: a Kubo daemon's RPC API (``/api/v0/block/get``; ``/api/v0/add``
  with the same import settings as ``lib/ipfs/kubo.ts``; ``/api/v0/pin/add``,
  ``rm`` and ``ls`` for :meth:`IPFSClient.pin`, ``unpin``, ``is_pinned``).
  Kubo's RPC is admin-level: keep it on loopback. A gateway keeps its own
  pins (what the chain registers): pinning through one is ``IPFS_READ_ONLY``.

Reads are verified block by block (sha2-256, sha2-512, blake2b-256, blake3,
identity) and UnixFS files reassembled; bytes that do not match are an
``IPFS_VERIFICATION_FAILED`` error and are never returned. Writes compute the
CID here and refuse a backend that reports another (``IPFS_CID_MISMATCH``).
Each read attempt has a time limit; timeouts and unreachable backends are
retried with exponential backoff (tenacity), nothing else is.

Example::

    async with IPFSClient.gateway("http://127.0.0.1:8088") as ipfs:
        cid = await ipfs.add(canonical_bytes(document))
        assert await ipfs.cat(cid) == canonical_bytes(document)
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from .cid import CID, IDENTITY, parse_cid, verify_block
from .errors import IPFSError, IPFSErrorCode
from .unixfs import DEFAULT_MAX_CONTENT_BYTES, UNIXFS_CHUNK_SIZE, UNIXFS_MAX_LINKS, compute_cid, declared_size, read_file

T = TypeVar("T")

IPFSBackendKind = Literal["gateway", "kubo"]

MAX_BLOCK_BYTES = 2 * 1024 * 1024 + 1024
"""A block larger than this is refused, and its body read no further (IPFS blocks are at most 2 MiB by convention)."""
MAX_ANSWER_BYTES = 64 * 1024
"""Largest JSON answer read from an upload or a status call."""
UPLOAD_PATH = "/api/v1/metadata"
"""The Mod-Net gateway's upload path (gateway/routes/api.ts)."""
DEFAULT_TIMEOUT = 10.0
"""Seconds allowed for each read attempt (as ``timeoutMs`` in TypeScript)."""
DEFAULT_WRITE_TIMEOUT = 300.0
"""Seconds allowed for an upload (as Kubo's call limit in TypeScript)."""
DEFAULT_ATTEMPTS = 3
DEFAULT_BASE_DELAY = 0.2
_ERROR_TEXT_BYTES = 4096


def is_transient(error: BaseException) -> bool:
    """Errors worth another attempt: ``IPFS_TIMEOUT`` and ``IPFS_UNAVAILABLE`` (the network or the backend may recover)."""
    return isinstance(error, IPFSError) and error.code in ("IPFS_TIMEOUT", "IPFS_UNAVAILABLE")


@dataclass(frozen=True)
class IPFSStatus:
    """What :meth:`IPFSClient.status` found: where the backend is, whether it answers, in words."""

    kind: IPFSBackendKind
    location: str
    ok: bool
    detail: str


class _Backend(Protocol):
    kind: IPFSBackendKind
    location: str

    async def fetch_block(self, cid: CID) -> bytes:
        """The bytes the backend gives for one block, unverified."""

    async def store(self, data: bytes, timeout: float) -> CID:
        """Stores ``data`` as a UnixFS file; returns the CID the backend reports."""

    async def pin(self, cid: CID) -> None:
        """Pins ``cid`` recursively."""

    async def unpin(self, cid: CID) -> None:
        """Removes the recursive pin of ``cid``, if there is one."""

    async def is_pinned(self, cid: CID) -> bool:
        """Whether ``cid`` is pinned recursively."""

    async def status(self) -> IPFSStatus: ...


# --- HTTP helpers ---------------------------------------------------------------------------------


class _Http:
    """An httpx client with the error mapping and bounded bodies every backend needs."""

    def __init__(self, kind: IPFSBackendKind, location: str, client: httpx.AsyncClient) -> None:
        self.kind = kind
        self.location = location
        self.client = client
        self.name = f"the gateway {location}" if kind == "gateway" else f"Kubo at {location}"

    async def request(
        self,
        what: str,
        method: str,
        path: str,
        *,
        limit: int,
        on_status: Callable[[int, bytes], IPFSError | None] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        timeout: float | None = None,
    ) -> bytes:
        """Sends a request and returns its body (at most ``limit`` bytes); non-2xx answers become errors."""
        request = self.client.build_request(
            method,
            f"{self.location}{path}",
            params=params,
            headers=headers,
            content=content,
            files=files,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else httpx.Timeout(timeout),
        )
        try:
            response = await self.client.send(request, stream=True)
            try:
                if not response.is_success:
                    text = await self._prefix(response)
                    custom = on_status(response.status_code, text) if on_status is not None else None
                    raise custom if custom is not None else self._failure(what, response.status_code, text)
                declared = response.headers.get("content-length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise IPFSError("IPFS_TOO_LARGE", f"{what}: {self.name} answered with {declared} bytes, more than the {limit} allowed")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise IPFSError("IPFS_TOO_LARGE", f"{what}: {self.name} answered with more than the {limit} bytes allowed")
                return bytes(body)
            finally:
                await response.aclose()
        except httpx.TimeoutException as error:
            raise IPFSError("IPFS_TIMEOUT", f"{what}: {self.name} did not answer in time ({type(error).__name__})") from error
        except httpx.HTTPError as error:
            raise IPFSError("IPFS_UNAVAILABLE", f"{what}: {self.name} broke off or could not be reached ({_reason(error)})") from error

    async def _prefix(self, response: httpx.Response) -> bytes:
        """The opening of an error answer: the reason is short, and an error page may be endless."""
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= _ERROR_TEXT_BYTES:
                    break
        except httpx.HTTPError:
            pass
        return bytes(body[:_ERROR_TEXT_BYTES])

    def _failure(self, what: str, status: int, text: bytes) -> IPFSError:
        reason = _error_reason(text)
        # 429 and 5xx may pass; other statuses are the request's fault.
        code: IPFSErrorCode = "IPFS_UNAVAILABLE" if status == 429 or status >= 500 else "IPFS_REJECTED"
        return IPFSError(code, f"{what}: {self.name} answered HTTP {status}{f': {reason}' if reason else ''}")


def _reason(error: httpx.HTTPError) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _error_reason(text: bytes) -> str:
    reason = text.decode("utf-8", "replace").strip()
    try:
        parsed = json.loads(reason)
        if isinstance(parsed, dict):
            for key in ("error", "Message"):
                if isinstance(parsed.get(key), str):
                    reason = parsed[key]
                    break
    except ValueError:
        pass  # not JSON (or cut off): use the text
    return f"{reason[:500]}…" if len(reason) > 500 else reason


def _json_object(what: str, name: str, body: bytes) -> dict[str, object]:
    try:
        parsed = json.loads(body)
    except ValueError as error:
        raise IPFSError("IPFS_UNAVAILABLE", f"{what}: {name} answered badly: not JSON") from error
    if not isinstance(parsed, dict):
        raise IPFSError("IPFS_UNAVAILABLE", f"{what}: {name} answered badly: not a JSON object")
    return parsed


# --- backends -------------------------------------------------------------------------------------


class _GatewayBackend:
    """Reads through a trustless gateway; uploads through a Mod-Net gateway."""

    kind: IPFSBackendKind = "gateway"

    def __init__(self, location: str, client: httpx.AsyncClient) -> None:
        self.location = location
        self.http = _Http("gateway", location, client)

    async def fetch_block(self, cid: CID) -> bytes:
        def not_found(status: int, _text: bytes) -> IPFSError | None:
            return IPFSError("IPFS_NOT_FOUND", f"the gateway {self.location} does not have {cid}") if status == 404 else None

        return await self.http.request(
            f"reading block {cid}",
            "GET",
            f"/ipfs/{cid}?format=raw",
            limit=MAX_BLOCK_BYTES,
            on_status=not_found,
            headers={"accept": "application/vnd.ipld.raw"},
        )

    async def store(self, data: bytes, timeout: float) -> CID:
        def read_only(status: int, _text: bytes) -> IPFSError | None:
            if status in (404, 405):
                return IPFSError("IPFS_READ_ONLY", f"the gateway {self.location} does not accept uploads (it is not a Mod-Net gateway)")
            return None

        body = await self.http.request(
            "uploading metadata",
            "POST",
            UPLOAD_PATH,
            limit=MAX_ANSWER_BYTES,
            on_status=read_only,
            content=data,
            headers={"content-type": "application/json"},
            timeout=timeout,
        )
        answer = _json_object("uploading metadata", self.http.name, body)
        cid = answer.get("cid")
        if not isinstance(cid, str):
            raise IPFSError("IPFS_UNAVAILABLE", f"the gateway {self.location} answered the upload without a CID")
        return parse_cid(cid)

    async def pin(self, cid: CID) -> None:
        raise IPFSError(
            "IPFS_READ_ONLY", f"pins are kept by the gateway {self.location} itself: it keeps what the chain registers (pinning by hand needs a Kubo backend)"
        )

    async def unpin(self, cid: CID) -> None:
        raise IPFSError("IPFS_READ_ONLY", f"pins are kept by the gateway {self.location} itself (unpinning by hand needs a Kubo backend)")

    async def is_pinned(self, cid: CID) -> bool:
        return False  # as lib/ipfs/gateway.ts: a gateway shows no pins of its own to this client

    async def status(self) -> IPFSStatus:
        try:
            response = await self.http.client.get(f"{self.location}/healthz", timeout=5.0)
        except httpx.HTTPError as error:
            return IPFSStatus(self.kind, self.location, False, f"cannot reach the gateway: {_reason(error)}")
        if response.is_success:
            return IPFSStatus(self.kind, self.location, True, "Mod-Net gateway healthy")
        if response.status_code == 404:
            return IPFSStatus(self.kind, self.location, True, "gateway reachable (no /healthz: read-only use)")
        return IPFSStatus(self.kind, self.location, False, f"gateway /healthz answered HTTP {response.status_code}")


class _KuboBackend:
    """A Kubo daemon's RPC API (POST only)."""

    kind: IPFSBackendKind = "kubo"

    ADD_PARAMS = {
        # Kubo's defaults are CIDv0, 256 KiB chunks and 174 links per node: ask for Helia's layout.
        "cid-version": "1",
        "raw-leaves": "true",
        "chunker": f"size-{UNIXFS_CHUNK_SIZE}",
        "max-file-links": str(UNIXFS_MAX_LINKS),
        "hash": "sha2-256",
        "pin": "true",
        "progress": "false",
    }

    def __init__(self, location: str, client: httpx.AsyncClient) -> None:
        self.location = location
        self.http = _Http("kubo", location, client)

    def _translate(self, what: str) -> Callable[[int, bytes], IPFSError | None]:
        def translate(status: int, text: bytes) -> IPFSError | None:
            message = _error_reason(text)
            lowered = message.lower()
            if "not found" in lowered or "no link named" in lowered or "block was not found" in lowered:
                return IPFSError("IPFS_NOT_FOUND", f"{what}: Kubo at {self.location} does not have it ({message})")
            return IPFSError("IPFS_UNAVAILABLE", f"{what}: Kubo at {self.location} failed: HTTP {status}{f': {message}' if message else ''}")

        return translate

    async def fetch_block(self, cid: CID) -> bytes:
        what = f"reading block {cid}"
        return await self.http.request(what, "POST", "/api/v0/block/get", limit=MAX_BLOCK_BYTES, on_status=self._translate(what), params={"arg": str(cid)})

    async def store(self, data: bytes, timeout: float) -> CID:
        what = "adding content"
        body = await self.http.request(
            what,
            "POST",
            "/api/v0/add",
            limit=MAX_ANSWER_BYTES,
            on_status=self._translate(what),
            params=self.ADD_PARAMS,
            files={"file": ("content", data, "application/octet-stream")},
            timeout=timeout,
        )
        lines = [line for line in body.decode("utf-8", "replace").splitlines() if line.strip()]
        if not lines:
            raise IPFSError("IPFS_UNAVAILABLE", f"{what}: Kubo at {self.location} answered without a CID")
        cid = _json_object(what, self.http.name, lines[-1].encode()).get("Hash")
        if not isinstance(cid, str):
            raise IPFSError("IPFS_UNAVAILABLE", f"{what}: Kubo at {self.location} answered without a CID")
        return parse_cid(cid)

    async def pin(self, cid: CID) -> None:
        what = f"pinning {cid}"
        await self.http.request(what, "POST", "/api/v0/pin/add", limit=MAX_ANSWER_BYTES, on_status=self._translate(what), params={"arg": str(cid)})

    async def unpin(self, cid: CID) -> None:
        if not await self.is_pinned(cid):
            return  # as lib/ipfs/kubo.ts: what is not pinned is unpinned already (Kubo itself would answer an error)
        what = f"unpinning {cid}"
        await self.http.request(what, "POST", "/api/v0/pin/rm", limit=MAX_ANSWER_BYTES, on_status=self._translate(what), params={"arg": str(cid)})

    async def is_pinned(self, cid: CID) -> bool:
        what = f"checking the pin of {cid}"
        translate = self._translate(what)

        def not_pinned(status: int, text: bytes) -> IPFSError | None:
            # Kubo answers "path '…' is not pinned" as an error (HTTP 500): that is the answer "no".
            return _NotPinned("IPFS_NOT_FOUND", f"{cid} is not pinned") if "not pinned" in _error_reason(text).lower() else translate(status, text)

        try:
            body = await self.http.request(
                what, "POST", "/api/v0/pin/ls", limit=MAX_ANSWER_BYTES, on_status=not_pinned, params={"arg": str(cid), "type": "recursive"}
            )
        except _NotPinned:
            return False
        keys = _json_object(what, self.http.name, body).get("Keys")
        return isinstance(keys, dict) and any(_same_cid(key, cid) for key in keys)

    async def status(self) -> IPFSStatus:
        try:
            body = await self.http.request("contacting Kubo", "POST", "/api/v0/version", limit=MAX_ANSWER_BYTES, timeout=5.0)
            version = _json_object("contacting Kubo", self.http.name, body).get("Version")
        except IPFSError as error:
            return IPFSStatus(self.kind, self.location, False, error.message)
        return IPFSStatus(self.kind, self.location, True, f"Kubo {version}")


class _NotPinned(IPFSError):
    """Kubo's error answer that a CID is not pinned, which :meth:`_KuboBackend.is_pinned` turns into ``False``."""


def _same_cid(text: str, cid: CID) -> bool:
    """Whether Kubo's ``text`` names ``cid`` (CIDs compare by version, codec and multihash, as ``CID.equals``)."""
    try:
        return parse_cid(text) == cid
    except IPFSError:
        return False


# --- the client -----------------------------------------------------------------------------------


def _check_url(url: str, kind: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise IPFSError("IPFS_UNSUPPORTED", f"{kind} needs an http(s) URL, e.g. http://127.0.0.1:{5001 if kind == 'kubo' else 8088} (got {url!r})")
    return url.rstrip("/")


class IPFSClient:
    """Verified IPFS reads and CID-checked writes over one backend (see the module docstring).

    Use it as an async context manager, or call :meth:`aclose`.

    :param url: the gateway's base URL (e.g. ``http://127.0.0.1:8088``) or
        Kubo's RPC address (e.g. ``http://127.0.0.1:5001``).
    :param backend: ``gateway`` (any trustless gateway; uploads need a Mod-Net
        gateway) or ``kubo``.
    :param http: an ``httpx.AsyncClient`` to use (not closed by :meth:`aclose`);
        by default the client makes and owns one.
    :param timeout: seconds allowed for each read attempt (the whole of
        :meth:`cat`, one block for :meth:`get_block`).
    :param attempts: attempts in all for reads that time out or find the
        backend unavailable; other errors are raised at once.
    :param base_delay: seconds before the second attempt; doubled after each
        failure, with ±25 % jitter.
    :param max_bytes: largest content :meth:`cat` returns unless told otherwise.
    :param write_timeout: seconds allowed for :meth:`add` and each pin call.
    """

    def __init__(
        self,
        url: str,
        *,
        backend: IPFSBackendKind = "gateway",
        http: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
        base_delay: float = DEFAULT_BASE_DELAY,
        max_bytes: int = DEFAULT_MAX_CONTENT_BYTES,
        write_timeout: float = DEFAULT_WRITE_TIMEOUT,
    ) -> None:
        if backend not in ("gateway", "kubo"):
            raise IPFSError("IPFS_UNSUPPORTED", f'unknown IPFS backend "{backend}": use gateway or kubo')
        location = _check_url(url, backend)
        self._owns_http = http is None
        # Redirects are followed as fetch() follows them (a path gateway may send reads to its subdomain
        # form): what comes back is verified against the CID wherever it came from.
        self._http = http if http is not None else httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), headers={"user-agent": "modnet-python"}, follow_redirects=True
        )
        self._backend: _Backend = (_GatewayBackend if backend == "gateway" else _KuboBackend)(location, self._http)
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.base_delay = base_delay
        self.max_bytes = max_bytes
        self.write_timeout = write_timeout

    @classmethod
    def from_spec(
        cls,
        spec: str,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
        base_delay: float = DEFAULT_BASE_DELAY,
        max_bytes: int = DEFAULT_MAX_CONTENT_BYTES,
        write_timeout: float = DEFAULT_WRITE_TIMEOUT,
    ) -> IPFSClient:
        """A client for a backend named like the CLI's ``--ipfs``: ``gateway:<URL>`` or ``kubo:<URL>``."""
        kind, _, url = spec.partition(":")
        if kind == "embedded":
            raise IPFSError("IPFS_UNSUPPORTED", "the embedded IPFS node exists only in the TypeScript library; use gateway:<URL> or kubo:<URL>")
        if kind not in ("gateway", "kubo") or not url:
            raise IPFSError("IPFS_UNSUPPORTED", f'unknown IPFS backend "{spec}": use kubo:http://127.0.0.1:5001 or gateway:http://127.0.0.1:8088')
        return cls(
            url,
            backend="gateway" if kind == "gateway" else "kubo",
            http=http,
            timeout=timeout,
            attempts=attempts,
            base_delay=base_delay,
            max_bytes=max_bytes,
            write_timeout=write_timeout,
        )

    @property
    def kind(self) -> IPFSBackendKind:
        return self._backend.kind

    @property
    def location(self) -> str:
        return self._backend.location

    async def __aenter__(self) -> IPFSClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the HTTP client if this client made it."""
        if self._owns_http:
            await self._http.aclose()

    # -- reads --

    async def _verified_block(self, cid: CID) -> bytes:
        if cid.hash_code == IDENTITY:
            return cid.digest  # the content is the CID itself: nothing to fetch, nothing to trust
        return verify_block(cid, await self._backend.fetch_block(cid))

    async def _with_retry(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        async def timed() -> T:
            try:
                return await asyncio.wait_for(attempt(), self.timeout)
            except asyncio.TimeoutError as error:
                raise IPFSError("IPFS_TIMEOUT", f"{what} took longer than {self.timeout:g} s") from error

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._backoff,
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        async for state in retrying:
            with state:
                return await timed()
        raise AssertionError("unreachable: tenacity re-raises the last failure")  # pragma: no cover

    def _backoff(self, state: RetryCallState) -> float:
        return float(self.base_delay * 2 ** (state.attempt_number - 1) * (0.75 + random.random() / 2))

    async def get_block(self, cid: CID | str) -> bytes:
        """One block, hash-checked against ``cid`` (what a trustless gateway serves for ``?format=raw``).

        :raises IPFSError: ``IPFS_NOT_FOUND``, ``IPFS_VERIFICATION_FAILED``, ``IPFS_TIMEOUT``, ``IPFS_UNAVAILABLE``...
        """
        parsed = parse_cid(cid)
        return await self._with_retry(f"reading block {parsed} from {self.kind} IPFS ({self.location})", lambda: self._verified_block(parsed))

    async def cat(self, cid: CID | str, *, max_bytes: int | None = None) -> bytes:
        """The bytes of ``cid``, every block hash-checked; a UnixFS file is reassembled from its blocks.

        :param max_bytes: refuse content larger than this (``IPFS_TOO_LARGE``);
            the client's ``max_bytes`` (64 MiB unless set) by default.
        :raises IPFSError: ``IPFS_VERIFICATION_FAILED`` if any block does not
            match its CID (no bytes are returned), ``IPFS_NOT_FOUND``,
            ``IPFS_TOO_LARGE``, ``IPFS_UNSUPPORTED`` (a directory, an unknown hash)...
        """
        parsed = parse_cid(cid)
        limit = self.max_bytes if max_bytes is None else max_bytes
        return await self._with_retry(
            f"reading {parsed} from {self.kind} IPFS ({self.location})",
            lambda: read_file(parsed, self._verified_block, max_bytes=limit),
        )

    async def content_size(self, cid: CID | str) -> int:
        """The size ``cid``'s content declares in its (verified) root block: a UnixFS file's size, else the block's."""
        parsed = parse_cid(cid)

        async def attempt() -> int:
            return declared_size(parsed, await self._verified_block(parsed))

        return await self._with_retry(f"reading the size of {parsed} from {self.kind} IPFS ({self.location})", attempt)

    # -- writes --

    async def add(self, data: bytes) -> CID:
        """Stores ``data`` as a UnixFS file and returns its CID, checked against :func:`~modnet.unixfs.compute_cid`.

        Through a gateway, ``data`` must be a canonical metadata document (the
        Mod-Net gateway takes nothing else; see :func:`modnet.canonical.canonical_bytes`).

        :raises IPFSError: ``IPFS_CID_MISMATCH`` if the backend stored it under
            another CID; ``IPFS_REJECTED`` if it refused the content (e.g. the
            gateway's schema check); ``IPFS_READ_ONLY`` for a gateway without uploads...
        """
        data = bytes(data)
        expected, stored = await asyncio.gather(asyncio.to_thread(compute_cid, data), self._store(data))
        if expected != stored:
            raise IPFSError("IPFS_CID_MISMATCH", f"{self.kind} IPFS stored the content as {stored}, but its CID is {expected}")
        return expected

    async def _store(self, data: bytes) -> CID:
        return await self._within(f"storing {len(data)} bytes in", self._backend.store(data, self.write_timeout))

    async def _within(self, what: str, work: Awaitable[T]) -> T:
        """``work``, allowed :attr:`write_timeout` seconds (``what`` … ``<kind> IPFS (<location>)`` names it in the error)."""
        try:
            return await asyncio.wait_for(work, self.write_timeout)
        except asyncio.TimeoutError as error:
            raise IPFSError("IPFS_TIMEOUT", f"{what} {self.kind} IPFS ({self.location}) took longer than {self.write_timeout:g} s") from error

    # -- pins (Kubo) --

    async def pin(self, cid: CID | str) -> None:
        """Pins ``cid`` recursively, so Kubo keeps its blocks through garbage collection (Kubo fetches what it lacks,
        unless offline). Not retried; allowed :attr:`write_timeout` seconds.

        :raises IPFSError: ``IPFS_BAD_CID`` for a malformed CID (nothing is sent); ``IPFS_READ_ONLY`` on a gateway,
            which keeps its own pins; ``IPFS_NOT_FOUND`` when Kubo cannot find a block; ``IPFS_TIMEOUT``, ``IPFS_UNAVAILABLE``.
        """
        parsed = parse_cid(cid)
        await self._within(f"pinning {parsed} in", self._backend.pin(parsed))

    async def unpin(self, cid: CID | str) -> None:
        """Removes the recursive pin of ``cid``; nothing to do if it is not pinned (as in TypeScript).

        :raises IPFSError: ``IPFS_BAD_CID``; ``IPFS_READ_ONLY`` on a gateway; ``IPFS_TIMEOUT``, ``IPFS_UNAVAILABLE``.
        """
        parsed = parse_cid(cid)
        await self._within(f"unpinning {parsed} in", self._backend.unpin(parsed))

    async def is_pinned(self, cid: CID | str) -> bool:
        """Whether ``cid`` is pinned recursively. Always ``False`` through a gateway, which shows no pins (as in TypeScript).

        :raises IPFSError: ``IPFS_BAD_CID``; ``IPFS_TIMEOUT``, ``IPFS_UNAVAILABLE``.
        """
        parsed = parse_cid(cid)
        return await self._within(f"checking the pin of {parsed} in", self._backend.is_pinned(parsed))

    async def status(self) -> IPFSStatus:
        """Whether the backend answers, in words (never raises)."""
        return await self._backend.status()
