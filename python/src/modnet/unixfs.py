"""UnixFS files: importing bytes (their CID, their blocks) and reassembling them from verified blocks.

Importing mirrors ``computeCid`` of ``lib/ipfs/cid.ts`` (ipfs-unixfs-importer
with Helia's settings, which Kubo matches with ``--cid-version=1
--raw-leaves --chunker=size-1048576 --max-file-links=1024``): CIDv1, 1 MiB
chunks stored as raw leaves, a balanced tree of dag-pb nodes with at most
1024 links each. Content of one chunk or less is a single raw block.

Reading mirrors ``verifiedContent`` of ``lib/ipfs/content.ts``
(ipfs-unixfs-exporter): the root and every block under it are fetched
through a caller-supplied function that returns only verified bytes, decoded
strictly (dag-pb as @ipld/dag-pb decodes it, UnixFS as ipfs-unixfs does) and
concatenated, with the size checked against the declared one and a limit.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from .cid import CID, CODEC_DAG_PB, CODEC_RAW, SHA2_256, decode_varint, encode_varint
from .errors import IPFSError

UNIXFS_CHUNK_SIZE = 1_048_576
"""Bytes per leaf (Helia's default, Kubo's ``unixfs-v1-2025`` profile)."""
UNIXFS_MAX_LINKS = 1024
"""Links per dag-pb node."""
DEFAULT_MAX_CONTENT_BYTES = 64 * 1024 * 1024
"""Largest content :func:`read_file` returns unless told otherwise (as ``DEFAULT_MAX_CONTENT_BYTES`` in TypeScript)."""
MAX_FILE_DEPTH = 32
"""Deepest DAG :func:`read_file` follows (a balanced tree of 1024-link nodes holds 1 TiB in 4 levels)."""

# UnixFS Data.Type values
RAW, DIRECTORY, FILE, METADATA, SYMLINK, HAMT_SHARD = range(6)
_TYPE_NAMES = {RAW: "raw", DIRECTORY: "directory", FILE: "file", METADATA: "metadata", SYMLINK: "symlink", HAMT_SHARD: "hamt-sharded-directory"}


# --- protobuf, just enough ------------------------------------------------------------------------


def _key(field_number: int, wire_type: int) -> bytes:
    return encode_varint(field_number << 3 | wire_type)


def _bytes_field(field_number: int, payload: bytes) -> bytes:
    return _key(field_number, 2) + encode_varint(len(payload)) + payload


def _varint_field(field_number: int, value: int) -> bytes:
    return _key(field_number, 0) + encode_varint(value)


class _Reader:
    """Reads protobuf fields; errors are ``ValueError``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def more(self) -> bool:
        return self.offset < len(self.data)

    def varint(self) -> int:
        # protobuf varints may be up to 10 bytes and need not be minimal
        value = 0
        shift = 0
        for _ in range(10):
            if self.offset >= len(self.data):
                raise ValueError("protobuf: unexpected end of data")
            byte = self.data[self.offset]
            self.offset += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value
        raise ValueError("protobuf: varint too long")

    def key(self) -> tuple[int, int]:
        key = self.varint()
        return key >> 3, key & 7

    def length_delimited(self) -> bytes:
        length = self.varint()
        end = self.offset + length
        if end > len(self.data):
            raise ValueError("protobuf: unexpected end of data")
        payload = self.data[self.offset : end]
        self.offset = end
        return payload

    def skip(self, wire_type: int) -> None:
        if wire_type == 0:
            self.varint()
        elif wire_type == 1:
            self.offset += 8
        elif wire_type == 2:
            self.length_delimited()
        elif wire_type == 5:
            self.offset += 4
        else:
            raise ValueError(f"protobuf: unsupported wire type {wire_type}")
        if self.offset > len(self.data):
            raise ValueError("protobuf: unexpected end of data")


# --- dag-pb ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PBLink:
    """A dag-pb link: the child's CID, an optional name and the child DAG's total size."""

    hash: CID
    name: str | None = None
    tsize: int | None = None


@dataclass(frozen=True)
class PBNode:
    """A dag-pb node: links first, then (UnixFS) data."""

    links: tuple[PBLink, ...] = ()
    data: bytes | None = None


def encode_dag_pb(node: PBNode) -> bytes:
    """The dag-pb bytes of ``node`` (links, each Hash/Name/Tsize, then Data), as @ipld/dag-pb writes them."""
    out = bytearray()
    for link in node.links:
        body = _bytes_field(1, bytes(link.hash))
        if link.name is not None:
            body += _bytes_field(2, link.name.encode("utf-8"))
        if link.tsize is not None:
            body += _varint_field(3, link.tsize)
        out += _bytes_field(2, body)
    if node.data is not None:
        out += _bytes_field(1, node.data)
    return bytes(out)


def _decode_link(data: bytes) -> PBLink:
    reader = _Reader(data)
    cid: CID | None = None
    name: str | None = None
    tsize: int | None = None
    last = 0
    while reader.more():
        number, wire = reader.key()
        if number <= last:
            raise ValueError("protobuf: (PBLink) unexpected field order or duplicate field")
        last = number
        if number == 1:
            if wire != 2:
                raise ValueError(f"protobuf: (PBLink) wrong wireType ({wire}) for Hash")
            cid = CID.decode(reader.length_delimited())
        elif number == 2:
            if wire != 2:
                raise ValueError(f"protobuf: (PBLink) wrong wireType ({wire}) for Name")
            name = reader.length_delimited().decode("utf-8")
        elif number == 3:
            if wire != 0:
                raise ValueError(f"protobuf: (PBLink) wrong wireType ({wire}) for Tsize")
            tsize = reader.varint()
        else:
            raise ValueError(f"protobuf: (PBLink) invalid fieldNumber, expected 1, 2 or 3, got {number}")
    if cid is None:
        raise ValueError("protobuf: (PBLink) missing Hash")
    return PBLink(cid, name, tsize)


def decode_dag_pb(block: bytes) -> PBNode:
    """Decodes a dag-pb block strictly (as @ipld/dag-pb: fields 1 and 2 only, links before data, one data section).

    :raises ValueError: if the bytes are not a dag-pb node.
    """
    reader = _Reader(bytes(block))
    links: list[PBLink] = []
    data: bytes | None = None
    while reader.more():
        number, wire = reader.key()
        if wire != 2:
            raise ValueError(f"protobuf: (PBNode) invalid wireType, expected 2, got {wire}")
        if number == 1:
            if data is not None:
                raise ValueError("protobuf: (PBNode) duplicate Data section")
            data = reader.length_delimited()
        elif number == 2:
            if data is not None:
                raise ValueError("protobuf: (PBNode) invalid order, found Data before Links")
            links.append(_decode_link(reader.length_delimited()))
        else:
            raise ValueError(f"protobuf: (PBNode) invalid fieldNumber, expected 1 or 2, got {number}")
    return PBNode(tuple(links), data)


# --- UnixFS Data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnixFSData:
    """The UnixFS message in a dag-pb node's Data (the fields a file reader needs)."""

    type: int
    data: bytes | None = None
    filesize: int | None = None
    blocksizes: tuple[int, ...] = field(default=())

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES.get(self.type, f"unknown type {self.type}")

    def is_directory(self) -> bool:
        return self.type in (DIRECTORY, HAMT_SHARD)

    def file_size(self) -> int:
        """What ipfs-unixfs's ``fileSize()`` reports: the inline data plus every block size."""
        return len(self.data or b"") + sum(self.blocksizes)


def encode_unixfs(message: UnixFSData) -> bytes:
    """The UnixFS Data bytes (Type, Data, filesize, blocksizes unpacked), as ipfs-unixfs marshals a file node."""
    out = _varint_field(1, message.type)
    if message.data:
        out += _bytes_field(2, message.data)
    if message.filesize is not None:
        out += _varint_field(3, message.filesize)
    for size in message.blocksizes:
        out += _varint_field(4, size)
    return out


def decode_unixfs(data: bytes) -> UnixFSData:
    """Decodes UnixFS Data; unknown fields are skipped, blocksizes may be packed or not.

    :raises ValueError: if it is not a UnixFS message.
    """
    reader = _Reader(bytes(data))
    kind: int | None = None
    payload: bytes | None = None
    filesize: int | None = None
    blocksizes: list[int] = []
    while reader.more():
        number, wire = reader.key()
        if number == 1 and wire == 0:
            kind = reader.varint()
        elif number == 2 and wire == 2:
            payload = reader.length_delimited()
        elif number == 3 and wire == 0:
            filesize = reader.varint()
        elif number == 4 and wire == 0:
            blocksizes.append(reader.varint())
        elif number == 4 and wire == 2:
            packed = _Reader(reader.length_delimited())
            while packed.more():
                blocksizes.append(packed.varint())
        else:
            reader.skip(wire)
    if kind is None:
        raise ValueError("UnixFS: the Type field is missing")
    if kind not in _TYPE_NAMES:
        raise ValueError(f"UnixFS: unknown type {kind}")
    return UnixFSData(kind, payload, filesize, tuple(blocksizes))


# --- importing ------------------------------------------------------------------------------------


def _cid_v1(codec: int, block: bytes) -> CID:
    return CID.create(1, codec, SHA2_256, hashlib.sha256(block).digest())


@dataclass(frozen=True)
class _Built:
    cid: CID
    tsize: int  # the block and everything under it
    filesize: int  # content bytes under it


def unixfs_blocks(content: bytes) -> Iterator[tuple[CID, bytes]]:
    """Every block of ``content`` imported as a UnixFS file (see the module docstring); the root comes last."""
    content = bytes(content)
    chunks = [content[i : i + UNIXFS_CHUNK_SIZE] for i in range(0, len(content), UNIXFS_CHUNK_SIZE)] or [b""]
    level: list[_Built] = []
    for chunk in chunks:
        cid = _cid_v1(CODEC_RAW, chunk)
        yield cid, chunk
        level.append(_Built(cid, len(chunk), len(chunk)))
    if len(level) == 1:
        return  # a single chunk is its own root
    while len(level) > 1:
        parents: list[_Built] = []
        for start in range(0, len(level), UNIXFS_MAX_LINKS):
            children = [c for c in level[start : start + UNIXFS_MAX_LINKS] if c.filesize > 0]
            data = encode_unixfs(UnixFSData(FILE, filesize=sum(c.filesize for c in children), blocksizes=tuple(c.filesize for c in children)))
            block = encode_dag_pb(PBNode(tuple(PBLink(c.cid, "", c.tsize) for c in children), data))
            cid = _cid_v1(CODEC_DAG_PB, block)
            yield cid, block
            parents.append(_Built(cid, len(block) + sum(c.tsize for c in children), sum(c.filesize for c in children)))
        level = parents


def compute_cid(content: bytes) -> CID:
    """The CID ``content`` gets when added as a UnixFS file, exactly as ``computeCid`` in ``lib/ipfs/cid.ts``:
    a raw-codec CID when it fits one 1 MiB chunk, otherwise the CID of a dag-pb root."""
    root: CID | None = None
    for cid, _block in unixfs_blocks(content):
        root = cid
    assert root is not None
    return root


# --- reading --------------------------------------------------------------------------------------

BlockGetter = Callable[[CID], Awaitable[bytes]]
"""Returns the bytes of a block, already checked against its CID (see :func:`modnet.cid.verify_block`)."""


def _not_unixfs(cid: CID, reason: str) -> IPFSError:
    return IPFSError("IPFS_UNSUPPORTED", f"{cid} is not a UnixFS file this client can read: {reason}")


def _too_large(cid: CID, size: int, max_bytes: int) -> IPFSError:
    return IPFSError("IPFS_TOO_LARGE", f"{cid} holds at least {size} bytes, more than the {max_bytes} allowed")


def _decode_file_node(cid: CID, block: bytes) -> tuple[PBNode, UnixFSData]:
    try:
        node = decode_dag_pb(block)
        if node.data is None:
            raise ValueError("no data in PBNode")
        return node, decode_unixfs(node.data)
    except ValueError as error:
        raise _not_unixfs(cid, str(error)) from error


def declared_size(cid: CID, root: bytes) -> int:
    """The content size ``cid``'s (verified) root block declares: a UnixFS file's size, else the block's own (directories: 0)."""
    if cid.codec != CODEC_DAG_PB:
        return len(root)
    _node, unixfs = _decode_file_node(cid, root)
    return 0 if unixfs.is_directory() else unixfs.file_size()


async def _gather_or_cancel(coroutines: list[Awaitable[bytes]]) -> list[bytes]:
    """All results in order; on the first failure the others are cancelled (not left running) and it is raised."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def read_file(
    cid: CID,
    get_block: BlockGetter,
    *,
    max_bytes: int = DEFAULT_MAX_CONTENT_BYTES,
    concurrency: int = 8,
) -> bytes:
    """The bytes of ``cid``: a raw block as is, a UnixFS file (dag-pb) reassembled from its blocks.

    Every block comes from ``get_block``, which must check it against its CID.
    Content the root declares larger than ``max_bytes`` is refused before any
    other block is read; a DAG whose parts disagree with the sizes it declares
    is refused.

    :raises IPFSError: ``IPFS_TOO_LARGE``; ``IPFS_UNSUPPORTED`` for a directory,
        another codec under a file, or a malformed node; whatever ``get_block`` raises.
    """
    root = await get_block(cid)
    if cid.codec != CODEC_DAG_PB:
        if len(root) > max_bytes:
            raise _too_large(cid, len(root), max_bytes)
        return root
    node, unixfs = _decode_file_node(cid, root)
    if unixfs.is_directory():
        raise IPFSError("IPFS_UNSUPPORTED", f"{cid} is a directory, not a file")
    if unixfs.type in (METADATA, SYMLINK):
        return b""  # ipfs-unixfs-exporter gives these no content
    wanted = unixfs.file_size()
    if wanted > max_bytes:
        raise _too_large(cid, wanted, max_bytes)
    out = bytearray()
    limit = asyncio.Semaphore(max(1, concurrency))

    async def fetch(link: PBLink) -> bytes:
        async with limit:
            return await get_block(link.hash)

    async def walk(node_cid: CID, node: PBNode, unixfs: UnixFSData, depth: int) -> None:
        if depth > MAX_FILE_DEPTH:
            raise _not_unixfs(cid, f"the DAG nests deeper than {MAX_FILE_DEPTH} levels")
        if unixfs.data:
            out.extend(unixfs.data)
        if len(node.links) != len(unixfs.blocksizes):
            raise _not_unixfs(node_cid, "inconsistent block sizes and dag links")
        for link in node.links:
            if link.hash.codec not in (CODEC_RAW, CODEC_DAG_PB):
                raise _not_unixfs(node_cid, f"unsupported codec 0x{link.hash.codec:x} under a file")
        blocks = await _gather_or_cancel([fetch(link) for link in node.links])
        for link, expected, block in zip(node.links, unixfs.blocksizes, blocks):
            start = len(out)
            if link.hash.codec == CODEC_RAW:
                out.extend(block)
            else:
                child, child_unixfs = _decode_file_node(link.hash, block)
                if child_unixfs.type not in (FILE, RAW):
                    raise _not_unixfs(link.hash, f"a {child_unixfs.type_name} node inside a file")
                await walk(link.hash, child, child_unixfs, depth + 1)
            if len(out) - start != expected:
                raise _not_unixfs(node_cid, f"{link.hash} holds {len(out) - start} bytes, but its parent says {expected}")
            if len(out) > max_bytes:
                raise _too_large(cid, len(out), max_bytes)

    await walk(cid, node, unixfs, 1)
    if len(out) != wanted:
        raise _not_unixfs(cid, f"the file has {len(out)} bytes, but its root says {wanted}")
    return bytes(out)
