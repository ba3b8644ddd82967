"""A minimal IPFS backend over a Mod-Net gateway, enough for the registry
flows and ``python -m modnet`` until :mod:`modnet.ipfs`'s ``IPFSClient``
replaces it.

- ``add``: ``POST /api/v1/metadata`` (canonical metadata documents only), and
  the CID the gateway answers must be the one computed here;
- ``cat``: ``GET /ipfs/<cid>?format=raw`` of a single raw block (CIDv1, codec
  raw, sha2-256, blake2b-256 or blake3): every metadata document is one,
  since it is at most 64 KiB. The bytes are hash-checked against the CID;
  anything else is ``IPFS_UNSUPPORTED``.
"""

from __future__ import annotations

import base64
import hashlib

import httpx

from .chain.cid_codec import read_varint, cid_to_chain
from .errors import IPFSError, IPFSErrorCode

_RAW = 0x55
_SHA2_256 = 0x12
_BLAKE2B_256 = 0xB220
_BLAKE3 = 0x1E


def raw_cid(data: bytes) -> str:
    """The CIDv1 (raw codec, sha2-256, base32) of a single block of bytes."""
    return "b" + base64.b32encode(bytes([1, _RAW, _SHA2_256, 32]) + hashlib.sha256(data).digest()).decode().lower().rstrip("=")


class GatewayIpfs:
    """``add`` and ``cat`` through a Mod-Net gateway, hash-checked here."""

    kind = "gateway"

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.location = url.rstrip("/")
        self._timeout = timeout

    async def add(self, data: bytes) -> str:
        """Uploads a canonical metadata document; its CID (checked against the gateway's answer)."""
        expected = raw_cid(data)
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                response = await http.post(f"{self.location}/api/v1/metadata", content=data, headers={"content-type": "application/json"})
        except httpx.HTTPError as error:
            raise IPFSError("IPFS_UNAVAILABLE", f"uploading metadata: cannot reach the gateway {self.location} ({error or type(error).__name__})") from error
        if response.status_code in (404, 405):
            raise IPFSError("IPFS_READ_ONLY", f"the gateway {self.location} does not accept uploads (it is not a Mod-Net gateway)")
        if response.status_code >= 300:
            raise _failure("uploading metadata", self.location, response)
        try:
            stored = response.json().get("cid")
        except ValueError:
            stored = None
        if not isinstance(stored, str):
            raise IPFSError("IPFS_UNAVAILABLE", f"the gateway {self.location} answered the upload without a CID")
        if stored != expected:
            raise IPFSError("IPFS_CID_MISMATCH", f"gateway IPFS stored the content as {stored}, but its CID is {expected}")
        return expected

    async def cat(self, cid: str, max_bytes: int) -> bytes:
        """The bytes of a single-block raw CID, hash-checked (``IPFS_VERIFICATION_FAILED`` if they do not match)."""
        data = cid_to_chain(cid)
        hash_code, digest = _raw_block_hash(data, cid)
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                async with http.stream("GET", f"{self.location}/ipfs/{cid}?format=raw", headers={"accept": "application/vnd.ipld.raw"}) as response:
                    if response.status_code == 404:
                        raise IPFSError("IPFS_NOT_FOUND", f"the gateway {self.location} does not have {cid}")
                    if response.status_code >= 300:
                        await response.aread()
                        raise _failure(f"reading block {cid}", self.location, response)
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise IPFSError("IPFS_TOO_LARGE", f"{cid} is larger than {max_bytes} bytes")
        except httpx.HTTPError as error:
            raise IPFSError("IPFS_UNAVAILABLE", f"reading block {cid}: cannot reach the gateway {self.location} ({error or type(error).__name__})") from error
        content = bytes(body)
        if _hash(hash_code, content) != digest:
            name = {_SHA2_256: "sha2-256", _BLAKE2B_256: "blake2b-256", _BLAKE3: "blake3"}[hash_code]
            raise IPFSError("IPFS_VERIFICATION_FAILED", f"the {len(content)} bytes received for {cid} do not match its {name} hash; they were discarded")
        return content


def _raw_block_hash(data: bytes, cid: str) -> tuple[int, bytes]:
    if len(data) == 34 and data[:2] == b"\x12\x20":
        raise IPFSError("IPFS_UNSUPPORTED", f"{cid} is a CIDv0 (dag-pb): reading it needs modnet.ipfs.IPFSClient")
    _version, offset = read_varint(data, 0)
    codec, offset = read_varint(data, offset)
    hash_code, offset = read_varint(data, offset)
    size, offset = read_varint(data, offset)
    if codec != _RAW or hash_code not in (_SHA2_256, _BLAKE2B_256, _BLAKE3) or size != 32:
        raise IPFSError("IPFS_UNSUPPORTED", f"{cid} is not a single raw block with a sha2-256, blake2b-256 or blake3 hash: reading it needs modnet.ipfs.IPFSClient")
    return hash_code, data[offset:]


def _hash(code: int, content: bytes) -> bytes:
    if code == _SHA2_256:
        return hashlib.sha256(content).digest()
    if code == _BLAKE2B_256:
        return hashlib.blake2b(content, digest_size=32).digest()
    import blake3

    return bytes(blake3.blake3(content).digest())


def _failure(what: str, location: str, response: httpx.Response) -> IPFSError:
    try:
        reason = str(response.json().get("error", ""))
    except ValueError:
        reason = ""
    code: IPFSErrorCode = "IPFS_UNAVAILABLE" if response.status_code == 429 or response.status_code >= 500 else "IPFS_REJECTED"
    return IPFSError(code, f"{what}: the gateway {location} answered HTTP {response.status_code}{': ' + reason if reason else ''}")
