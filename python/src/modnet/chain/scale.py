"""The little SCALE the registry needs without the chain's metadata: compact
integers, byte vectors, the stored ``ModuleRecord``, ``HistoryHead`` and
``ModuleStatus``, and the runtime API's pages (mirrors ``lib/chain/record-codec.ts``)."""

from __future__ import annotations

from ..errors import ChainError
from .cid_codec import cid_from_chain
from .keys import ss58_encode
from ..types import HistoryHead, ModuleRecord, ModuleStatus, TransferOffer


def encode_compact(value: int) -> bytes:
    """SCALE compact encoding of a non-negative integer."""
    if value < 0:
        raise ValueError("compact integers are non-negative")
    if value < 1 << 6:
        return bytes([value << 2])
    if value < 1 << 14:
        return ((value << 2) | 0b01).to_bytes(2, "little")
    if value < 1 << 30:
        return ((value << 2) | 0b10).to_bytes(4, "little")
    data = value.to_bytes((value.bit_length() + 7) // 8, "little")
    return bytes([((len(data) - 4) << 2) | 0b11]) + data


def encode_bytes(data: bytes) -> bytes:
    """``Vec<u8>``: compact length, then the bytes."""
    return encode_compact(len(data)) + data


def encode_option_bytes(data: bytes | None) -> bytes:
    """``Option<Vec<u8>>``."""
    return b"\x00" if data is None else b"\x01" + encode_bytes(data)


def encode_u32(value: int) -> bytes:
    return value.to_bytes(4, "little")


class ScaleReader:
    """Reads SCALE values off a byte string; running past the end is ``ChainError('BAD_PROOF')``."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    @property
    def remaining(self) -> int:
        return len(self._data) - self._offset

    def take(self, count: int) -> bytes:
        if count < 0 or self._offset + count > len(self._data):
            raise ChainError("BAD_PROOF", f"the SCALE value ends early: {count} bytes wanted at offset {self._offset} of {len(self._data)}")
        out = self._data[self._offset : self._offset + count]
        self._offset += count
        return out

    def u8(self) -> int:
        return self.take(1)[0]

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "little")

    def compact(self) -> int:
        first = self.u8()
        mode = first & 0b11
        if mode == 0:
            return first >> 2
        if mode == 1:
            return (first | self.u8() << 8) >> 2
        if mode == 2:
            return (first | int.from_bytes(self.take(3), "little") << 8) >> 2
        return int.from_bytes(self.take((first >> 2) + 4), "little")

    def vec(self) -> bytes:
        return self.take(self.compact())


def read_record(reader: ScaleReader, key: str, ss58_format: int) -> ModuleRecord:
    """One ``ModuleRecord`` (owner, CID bytes, revision, registered, updated, deposit)."""
    owner = ss58_encode(reader.take(32), ss58_format)
    cid_bytes = reader.vec()
    try:
        cid = cid_from_chain(cid_bytes)
    except ValueError as error:
        raise ChainError("BAD_PROOF", f"the stored record's CID is malformed: {error}") from error
    return ModuleRecord(
        key=key,
        owner=owner,
        cid=cid,
        revision=reader.uint(4),
        registered_at=reader.uint(4),
        updated_at=reader.uint(4),
        deposit=reader.uint(16),
    )


def decode_record(key: str, value: bytes, ss58_format: int = 42) -> ModuleRecord:
    """The record stored under module key ``key``, from its storage value bytes."""
    reader = ScaleReader(value)
    record = read_record(reader, key, ss58_format)
    if reader.remaining != 0:
        raise ChainError("BAD_PROOF", f"the stored record has {reader.remaining} unexpected trailing bytes")
    return record


def decode_page(value: bytes, ss58_format: int = 42) -> list[ModuleRecord]:
    """A runtime API page, ``Vec<(Vec<u8>, ModuleInfo)>``, as records."""
    reader = ScaleReader(value)
    records = [read_record(reader, "0x" + reader.vec().hex(), ss58_format) for _ in range(reader.compact())]
    if reader.remaining != 0:
        raise ChainError("BAD_PROOF", f"the runtime API page has {reader.remaining} unexpected trailing bytes")
    return records


def _done(reader: ScaleReader, what: str) -> None:
    if reader.remaining != 0:
        raise ChainError("BAD_PROOF", f"{what} has {reader.remaining} unexpected trailing bytes")


def decode_history(value: bytes | None) -> HistoryHead:
    """A ``ModuleHistory`` value (``HistoryHead``: u32 length, 32-byte head); ``None`` (absent) is the empty history."""
    if value is None:
        return HistoryHead(length=0, head="0x" + "00" * 32)
    reader = ScaleReader(value)
    history = HistoryHead(length=reader.uint(4), head="0x" + reader.take(32).hex())
    _done(reader, "the stored history head")
    return history


def _option(reader: ScaleReader, what: str) -> bool:
    flag = reader.u8()
    if flag > 1:
        raise ChainError("BAD_PROOF", f"{what}: {flag} is not an Option tag")
    return flag == 1


def decode_status(value: bytes | None, ss58_format: int = 42) -> ModuleStatus:
    """A ``ModuleStatuses`` value (yanked ``Vec<u32>``, ``Option`` UTF-8 note, ``Option<TransferOffer>``);
    ``None`` (absent) is the empty status."""
    if value is None:
        return ModuleStatus()
    reader = ScaleReader(value)
    yanked = [reader.uint(4) for _ in range(reader.compact())]
    deprecation = None
    if _option(reader, "the stored deprecation"):
        try:
            deprecation = reader.vec().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ChainError("BAD_PROOF", f"the stored deprecation note is not UTF-8: {error}") from error
    offer = None
    if _option(reader, "the stored transfer offer"):
        offer = TransferOffer(to=ss58_encode(reader.take(32), ss58_format), expires_at=reader.uint(4))
    _done(reader, "the stored module status")
    return ModuleStatus(yanked=yanked, deprecation=deprecation, transfer_offer=offer)
