"""The registry's storage keys, built and parsed without the chain's metadata
(mirrors ``lib/chain/storage-keys.ts``).

FRAME lays a map entry out as twox128(pallet) ‖ twox128(item) ‖ hashed key;
the registry's maps hash with ``Blake2_128Concat``: blake2_128(SCALE(key)) ‖
SCALE(key). A module key is a ``BoundedVec<u8>`` (compact length, then the 32
or 33 bytes), an account id 32 plain bytes. Keys are lowercase 0x-hex strings.
"""

from __future__ import annotations

import hashlib
import re

import xxhash

from ..errors import ChainError
from .scale import encode_bytes


def twox128(name: str) -> str:
    """xxHash64 with seeds 0 and 1, little-endian, as hex (no 0x)."""
    data = name.encode()
    return b"".join(xxhash.xxh64_intdigest(data, seed=seed).to_bytes(8, "little") for seed in (0, 1)).hex()


def _blake2_128_concat(encoded: bytes) -> str:
    return (hashlib.blake2b(encoded, digest_size=16).digest() + encoded).hex()


def _hex_bytes(value: str) -> bytes:
    return bytes.fromhex(value[2:] if value[:2].lower() == "0x" else value)


PALLET_PREFIX = "0x" + twox128("ModuleRegistry")
"""twox128("ModuleRegistry"): every registry storage key starts with it."""
MODULES_PREFIX = PALLET_PREFIX + twox128("Modules")
"""The ``Modules`` map: module key → record."""
MODULE_COUNT_KEY = PALLET_PREFIX + twox128("ModuleCount")
"""The ``ModuleCount`` value."""
OWNER_MODULES_PREFIX = PALLET_PREFIX + twox128("OwnerModules")
"""The ``OwnerModules`` double map: owner → module key → ()."""
MODULE_HISTORY_PREFIX = PALLET_PREFIX + twox128("ModuleHistory")
"""The ``ModuleHistory`` map: module key → ``HistoryHead`` (absent: zero length and head)."""
MODULE_STATUSES_PREFIX = PALLET_PREFIX + twox128("ModuleStatuses")
"""The ``ModuleStatuses`` map: module key → ``ModuleStatus`` (absent: nothing set)."""
SYSTEM_EVENTS_KEY = "0x" + twox128("System") + twox128("Events")
"""``System.Events``: the event records of a block."""


def module_storage_key(module_key: str) -> str:
    """The ``Modules`` entry of a module key (0x-hex)."""
    return MODULES_PREFIX + _blake2_128_concat(encode_bytes(_hex_bytes(module_key)))


def module_history_storage_key(module_key: str) -> str:
    """The ``ModuleHistory`` entry of a module key (0x-hex)."""
    return MODULE_HISTORY_PREFIX + _blake2_128_concat(encode_bytes(_hex_bytes(module_key)))


def module_status_storage_key(module_key: str) -> str:
    """The ``ModuleStatuses`` entry of a module key (0x-hex)."""
    return MODULE_STATUSES_PREFIX + _blake2_128_concat(encode_bytes(_hex_bytes(module_key)))


def owner_modules_prefix(owner: str) -> str:
    """The prefix of every ``OwnerModules`` entry of ``owner`` (a 0x-hex account id)."""
    return OWNER_MODULES_PREFIX + _blake2_128_concat(_hex_bytes(owner))


def owner_module_storage_key(owner: str, module_key: str) -> str:
    """The ``OwnerModules`` entry of (``owner``, ``module_key``)."""
    return owner_modules_prefix(owner) + _blake2_128_concat(encode_bytes(_hex_bytes(module_key)))


_STORAGE_KEY = re.compile(r"^0x[0-9a-f]{64,400}$")


def is_registry_storage_key(key: str) -> bool:
    """Whether ``key`` is a well-formed hex storage key of the registry pallet."""
    return bool(_STORAGE_KEY.match(key)) and key.startswith(PALLET_PREFIX)


def module_key_of_storage_key(storage_key: str, prefix: str) -> str:
    """The module key at the end of a storage key under ``prefix`` whose last part is ``Blake2_128Concat(module key)``."""
    if not storage_key.startswith(prefix):
        raise ChainError("BAD_PROOF", f"storage key {storage_key} is not under {prefix}")
    encoded = storage_key[len(prefix) + 32 :]  # after the 16-byte blake2_128
    try:
        length = int(encoded[:2], 16) >> 2  # one-byte compact: keys are 32 or 33 bytes
    except ValueError:
        length = -1
    if len(encoded) != 2 + length * 2:
        raise ChainError("BAD_PROOF", f"storage key {storage_key} does not end in a module key")
    return "0x" + encoded[2:]
