"""UnixFS: the CIDs computeCid gives, the blocks behind them, and reading files back from verified blocks only."""

from __future__ import annotations

import hashlib

import pytest

import modnet.unixfs as unixfs
from modnet.cid import CID, CODEC_DAG_PB, CODEC_RAW, cid_for, verify_block
from modnet.errors import IPFSError
from modnet.unixfs import (
    FILE,
    PBLink,
    PBNode,
    UnixFSData,
    compute_cid,
    decode_dag_pb,
    decode_unixfs,
    declared_size,
    encode_dag_pb,
    encode_unixfs,
    read_file,
    unixfs_blocks,
)

MiB = 1 << 20


def blob(size: int) -> bytes:
    """The shared test pattern: byte i is (i*31+7) % 251."""
    pattern = bytes((i * 31 + 7) % 251 for i in range(251))
    return (pattern * (size // 251 + 1))[:size]


# The TypeScript library's computeCid gave these (tests/test_cross_language.py asks it again).
KNOWN = {
    0: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
    19: "bafkreie3qh6p5sowsmdizwfdm26besyynp26tysboztvvbw4wott6b5apm",
    MiB: "bafkreia4lg4goabhhbaug6a2rkf76lz3is6yqggq6u5rhmdeyi3vugx6ha",
    MiB + 1: "bafybeiaqfhzf4fft5arkdimw7quirxuglvotfah44yawdjg6zujvn6lidu",
    3 * MiB: "bafybeieneapykrdzzfnihvvhi2lguj6qxcl36f4gv6y6bp7bjvz5pgtm6e",
}


@pytest.mark.parametrize("size", sorted(KNOWN))
def test_compute_cid_gives_the_typescript_cids(size: int) -> None:
    assert str(compute_cid(blob(size))) == KNOWN[size]


def test_one_chunk_is_a_raw_block_and_more_is_a_dag_pb_root() -> None:
    assert compute_cid(blob(MiB)).codec == CODEC_RAW
    blocks = list(unixfs_blocks(blob(3 * MiB)))
    assert [c.codec for c, _ in blocks] == [CODEC_RAW] * 3 + [CODEC_DAG_PB]
    root_cid, root = blocks[-1]
    node = decode_dag_pb(root)
    assert [link.hash for link in node.links] == [c for c, _ in blocks[:3]]
    assert [link.tsize for link in node.links] == [MiB] * 3 and all(link.name == "" for link in node.links)
    assert node.data is not None
    assert decode_unixfs(node.data) == UnixFSData(FILE, None, 3 * MiB, (MiB, MiB, MiB))
    assert encode_dag_pb(node) == root  # decoding loses nothing
    assert declared_size(root_cid, root) == 3 * MiB


def store_of(content: bytes) -> tuple[CID, dict[CID, bytes]]:
    blocks = dict(unixfs_blocks(content))
    return list(blocks)[-1], blocks


def getter(blocks: dict[CID, bytes], calls: list[CID] | None = None) -> unixfs.BlockGetter:
    async def get(cid: CID) -> bytes:
        if calls is not None:
            calls.append(cid)
        return verify_block(cid, blocks[cid])

    return get


@pytest.mark.parametrize("size", [0, 19, MiB, MiB + 1, 3 * MiB])
async def test_files_are_reassembled(size: int) -> None:
    content = blob(size)
    root, blocks = store_of(content)
    assert await read_file(root, getter(blocks)) == content


async def test_a_multi_level_tree_is_built_balanced_and_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unixfs, "UNIXFS_CHUNK_SIZE", 10)
    monkeypatch.setattr(unixfs, "UNIXFS_MAX_LINKS", 3)
    content = blob(10 * 11 + 5)  # 12 chunks → 4 nodes → 2 nodes → root
    root, blocks = store_of(content)
    levels = [c.codec for c in blocks]
    assert levels.count(CODEC_RAW) == 12 and levels.count(CODEC_DAG_PB) == 4 + 2 + 1
    root_node = decode_dag_pb(blocks[root])
    assert len(root_node.links) == 2
    assert [link.tsize for link in root_node.links] == [
        len(blocks[link.hash]) + sum(child.tsize or 0 for child in decode_dag_pb(blocks[link.hash]).links) for link in root_node.links
    ]
    assert await read_file(root, getter(blocks)) == content


async def test_too_large_content_is_refused_before_reading_its_leaves() -> None:
    root, blocks = store_of(blob(3 * MiB))
    calls: list[CID] = []
    with pytest.raises(IPFSError) as raised:
        await read_file(root, getter(blocks, calls), max_bytes=3 * MiB - 1)
    assert raised.value.code == "IPFS_TOO_LARGE"
    assert calls == [root]
    raw = cid_for(b"x" * 100)
    with pytest.raises(IPFSError, match="IPFS_TOO_LARGE|more than the 99"):
        await read_file(raw, getter({raw: b"x" * 100}), max_bytes=99)


async def test_a_tampered_leaf_fails_verification_and_nothing_is_returned() -> None:
    root, blocks = store_of(blob(2 * MiB))
    leaf = decode_dag_pb(blocks[root]).links[1].hash
    blocks[leaf] = b"\x00" + blocks[leaf][1:]
    with pytest.raises(IPFSError) as raised:
        await read_file(root, getter(blocks))
    assert raised.value.code == "IPFS_VERIFICATION_FAILED"


def dag_pb_block(node: PBNode) -> tuple[CID, bytes]:
    block = encode_dag_pb(node)
    return CID.create(1, CODEC_DAG_PB, 0x12, hashlib.sha256(block).digest()), block


async def test_a_dag_that_disagrees_with_its_sizes_is_refused() -> None:
    leaf = cid_for(b"abc")
    lying = UnixFSData(FILE, filesize=5, blocksizes=(5,))
    root, block = dag_pb_block(PBNode((PBLink(leaf, "", 3),), encode_unixfs(lying)))
    with pytest.raises(IPFSError) as raised:
        await read_file(root, getter({root: block, leaf: b"abc"}))
    assert raised.value.code == "IPFS_UNSUPPORTED"
    missing_size = UnixFSData(FILE, filesize=3, blocksizes=())
    root, block = dag_pb_block(PBNode((PBLink(leaf, "", 3),), encode_unixfs(missing_size)))
    with pytest.raises(IPFSError, match="inconsistent block sizes"):
        await read_file(root, getter({root: block, leaf: b"abc"}))


async def test_children_must_hold_the_sizes_their_parent_declares() -> None:
    """Stricter than ipfs-unixfs-exporter, which would return these 6 bytes: the sizes add up, but not per child."""
    first, second = cid_for(b"abc"), cid_for(b"def")
    shifted = UnixFSData(FILE, filesize=6, blocksizes=(2, 4))
    root, block = dag_pb_block(PBNode((PBLink(first, "", 3), PBLink(second, "", 3)), encode_unixfs(shifted)))
    with pytest.raises(IPFSError, match="holds 3 bytes, but its parent says 2"):
        await read_file(root, getter({root: block, first: b"abc", second: b"def"}))


async def test_inline_data_comes_before_the_children() -> None:
    leaf = cid_for(b"def")
    node = UnixFSData(FILE, data=b"abc", blocksizes=(3,))
    root, block = dag_pb_block(PBNode((PBLink(leaf, "", 3),), encode_unixfs(node)))
    assert await read_file(root, getter({root: block, leaf: b"def"})) == b"abcdef"
    assert declared_size(root, block) == 6


async def test_directories_are_not_files() -> None:
    root, block = dag_pb_block(PBNode((), encode_unixfs(UnixFSData(unixfs.DIRECTORY))))
    with pytest.raises(IPFSError, match="is a directory"):
        await read_file(root, getter({root: block}))
    assert declared_size(root, block) == 0


async def test_a_dag_nested_too_deep_is_refused() -> None:
    leaf = cid_for(b"x")
    blocks = {leaf: b"x"}
    child = leaf
    for _ in range(unixfs.MAX_FILE_DEPTH + 1):
        child, block = dag_pb_block(PBNode((PBLink(child, "", 1),), encode_unixfs(UnixFSData(FILE, filesize=1, blocksizes=(1,)))))
        blocks[child] = block
    with pytest.raises(IPFSError, match="deeper than"):
        await read_file(child, getter(blocks))


@pytest.mark.parametrize(
    "block",
    [
        b"\x0a\x00\x0a\x00",  # two Data sections
        b"\x0a\x00\x12\x00",  # a link after Data
        b"\x08\x01",  # wrong wire type
        b"\x1a\x00",  # field 3
        b"\x12\x02\x12\x00",  # a link without Hash
        b"\x0a\x05abc",  # truncated
    ],
)
def test_malformed_dag_pb_is_refused(block: bytes) -> None:
    with pytest.raises(ValueError):
        decode_dag_pb(block)


def test_unixfs_blocksizes_may_be_packed() -> None:
    assert decode_unixfs(b"\x08\x02\x18\x06\x22\x02\x03\x03").blocksizes == (3, 3)
    with pytest.raises(ValueError, match="Type"):
        decode_unixfs(b"\x18\x06")
