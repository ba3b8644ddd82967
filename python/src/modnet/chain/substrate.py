"""The one module that touches substrate-interface (which has no type
information): a typed, thread-safe, synchronous session over one transport.

Reads that need no metadata (storage values, runtime API pages, headers) are
plain JSON-RPC calls on the transport; substrate-interface is used for what
needs the chain's metadata: composing and signing extrinsics, decoding a
block's events (with the runtime that executed the block, its parent's), and
naming dispatch errors. Every method takes the session's lock, so the async
client can call them from worker threads.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import ChainError
from .cid_codec import cid_from_chain
from ..types import (
    DeprecationSet,
    ModuleRegistered,
    ModuleRemoved,
    ModuleUpdated,
    OwnershipTransferred,
    RegistryEvent,
    RevisionYanked,
    TransferCancelled,
    TransferOffered,
)
from .signers import Signer
from .storage_keys import SYSTEM_EVENTS_KEY
from .transport import RpcError, Transport

_si: Any = importlib.import_module("substrateinterface")
_scalecodec_base: Any = importlib.import_module("scalecodec.base")

# substrate-interface's KeypairType values, which are also the MultiSignature variant indexes.
_CRYPTO_TYPE = {"ed25519": 0, "sr25519": 1, "ecdsa": 2}

#: Mortality of the extrinsics this client signs, in blocks (polkadot-js' default is 64 too).
ERA_PERIOD = 64


@dataclass(frozen=True)
class EventRecord:
    """One decoded ``System.Events`` entry: which extrinsic (if any), pallet, event name and attributes."""

    extrinsic_index: int | None
    pallet: str
    name: str
    attributes: Any


@dataclass(frozen=True)
class DispatchFailure:
    """Why the runtime refused a call, in the TypeScript library's words."""

    message: str
    pallet: str | None
    error: str | None


class _NoSocket:
    """Stands in for a websocket so that substrate-interface opens no connection of its own."""

    def close(self) -> None:
        pass


class _SiKeypair:
    """What substrate-interface's ``create_signed_extrinsic`` uses of a ``Keypair``, over any :class:`AccountSigner`."""

    def __init__(self, signer: Signer, account_id: bytes, address: str) -> None:
        self._signer = signer
        self.crypto_type = _CRYPTO_TYPE[signer.type]
        self.public_key = account_id  # the extrinsic's address is the account id (MultiAddress::Id)
        self.ss58_address = address

    def sign(self, data: Any) -> bytes:
        payload = bytes(data.data) if hasattr(data, "data") else bytes(data)
        return bytes(self._signer.sign(payload))


class SubstrateSession:
    """A transport plus substrate-interface for metadata, behind one lock."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.kind = transport.kind
        self.lock = threading.RLock()
        self._interface = _si.SubstrateInterface(websocket=_NoSocket(), auto_discover=False, use_remote_preset=False, auto_reconnect=False)
        self._interface.transport = transport

    # ---- plain JSON-RPC ----

    def rpc(self, method: str, params: list[Any], timeout: float | None = None) -> Any:
        """The result of one call (``RpcError`` for an error answer)."""
        with self.lock:
            return self.transport.request(method, params, timeout)

    def subscribe(self, method: str, params: list[Any]) -> str:
        with self.lock:
            return self.transport.subscribe(method, params)

    def poll(self, subscription: str, wait: float) -> list[Any]:
        """Notifications of ``subscription``: those waiting, else what arrives within ``wait`` seconds."""
        with self.lock:
            out = self.transport.take(subscription)
            if not out:
                self.transport.pump(wait)
                out = self.transport.take(subscription)
            return out

    def unsubscribe(self, method: str, subscription: str) -> None:
        with self.lock:
            self.transport.unsubscribe(method, subscription)

    def close(self) -> None:
        with self.lock:
            self.transport.close()

    # ---- needs metadata ----

    def signed_extrinsic(
        self, pallet: str, call: str, params: dict[str, Any], signer: Signer, account_id: bytes, address: str, nonce: int, era_block: tuple[int, str]
    ) -> tuple[str, str]:
        """A signed extrinsic calling ``pallet.call(params)``, mortal from ``era_block`` (number, hash: the finalized
        block) for :data:`ERA_PERIOD` blocks: (0x-hex bytes, 0x-hex hash)."""
        number, block_hash = era_block
        with self.lock:
            interface = self._interface
            original = interface.get_block_hash

            # The era's birth block is `number`: give its hash without asking (smoldot's chain_getBlockHash
            # knows no block by number but genesis).
            def known_block_hash(block_id: int | None = None) -> Any:
                return block_hash if block_id == number else original(block_id)

            interface.get_block_hash = known_block_hash
            try:
                composed = interface.compose_call(call_module=pallet, call_function=call, call_params=params)
                extrinsic = interface.create_signed_extrinsic(
                    call=composed, keypair=_SiKeypair(signer, account_id, address), era={"period": ERA_PERIOD, "current": number}, nonce=nonce
                )
            except (ChainError, RpcError):
                raise
            except Exception as error:
                if isinstance(error, _si.exceptions.SubstrateRequestException):
                    raise ChainError("CHAIN_UNAVAILABLE", f"building the transaction failed: {error}") from error
                raise ChainError("CHAIN_INVALID_TX", f"cannot encode {pallet}.{call}: {error}") from error
            finally:
                del interface.get_block_hash
            data = bytes(extrinsic.data.data)
            return "0x" + data.hex(), "0x" + hashlib.blake2b(data, digest_size=32).hexdigest()

    def constant(self, pallet: str, name: str, block_hash: str) -> Any:
        """A pallet constant from the metadata of the runtime at ``block_hash`` (``None`` if it has no such constant)."""
        with self.lock:
            try:
                self._interface.init_runtime(block_hash=block_hash)
                value = self._interface.get_constant(pallet, name, block_hash=block_hash)
            except (ChainError, RpcError):
                raise
            except Exception as error:
                raise ChainError("CHAIN_UNAVAILABLE", f"cannot read the constant {pallet}.{name}: {error}") from error
            return None if value is None else value.value

    def block_events(self, block_hash: str) -> list[EventRecord]:
        """The event records of a block, decoded with the runtime that executed it (its parent's)."""
        with self.lock:
            raw = self.transport.request("state_getStorage", [SYSTEM_EVENTS_KEY, block_hash])
            if raw is None:
                return []
            try:
                self._interface.init_runtime(block_hash=block_hash)
                storage = self._interface.get_metadata_storage_function("System", "Events")
                decoded = self._interface.runtime_config.create_scale_object(
                    storage.get_value_type_string(), data=_scalecodec_base.ScaleBytes(raw), metadata=self._interface.metadata
                ).decode()
            except (ChainError, RpcError):
                raise
            except Exception as error:
                raise ChainError("CHAIN_UNAVAILABLE", f"cannot decode the events of block {block_hash}: {error}") from error
        records = []
        for entry in decoded:
            event = entry.get("event") or {}
            index = entry.get("extrinsic_idx") if entry.get("phase") == "ApplyExtrinsic" else None
            records.append(EventRecord(index, str(event.get("module_id")), str(event.get("event_id")), event.get("attributes")))
        return records

    def dispatch_failure(self, dispatch_error: Any) -> DispatchFailure:
        """A ``DispatchError`` as ``moduleRegistry.NotOwner: Only the module's owner may do this.`` (names from the metadata)."""
        if isinstance(dispatch_error, str):
            variant, detail = dispatch_error, None
        elif isinstance(dispatch_error, dict) and len(dispatch_error) == 1:
            variant, detail = next(iter(dispatch_error.items()))
        else:
            return DispatchFailure(f"the runtime refused the call: {dispatch_error}", None, str(dispatch_error))
        if variant == "Module" and isinstance(detail, dict):
            error_index = detail.get("error")
            if isinstance(error_index, str):  # [u8; 4]: the error is the first byte
                error_index = int(error_index[2:4], 16)
            with self.lock:
                metadata = self._interface.metadata
                pallet_index = int(detail.get("index", -1))
                pallet = next((p.value["name"] for p in metadata.pallets if p.value["index"] == pallet_index), None)
                meta_error = metadata.get_module_error(module_index=pallet_index, error_index=error_index)
            if pallet is None or meta_error is None:
                return DispatchFailure(f"the runtime refused the call: module error {pallet_index}/{error_index}", None, "Module")
            section = pallet[:1].lower() + pallet[1:]
            docs = " ".join(meta_error.docs).strip()
            return DispatchFailure(f"{section}.{meta_error.name}{': ' + docs if docs else ''}", section, str(meta_error.name))
        if variant == "Token":
            return DispatchFailure(f"token error: {detail}", "token", str(detail))
        if variant == "BadOrigin":
            return DispatchFailure("bad origin: this account may not make that call", "system", "BadOrigin")
        return DispatchFailure(f"the runtime refused the call: {variant}", None, str(variant))


def registry_events(records: list[EventRecord], block_hash: str, block_number: int) -> list[RegistryEvent]:
    """The ``ModuleRegistry`` events among a block's records, as :class:`RegistryEvent`."""
    out: list[RegistryEvent] = []
    for record in records:
        if record.pallet != "ModuleRegistry" or not isinstance(record.attributes, dict):
            continue
        data: dict[str, Any] = record.attributes
        where: dict[str, Any] = {"key": _hex(data.get("key")), "block_number": block_number, "block_hash": block_hash}
        if record.name == "ModuleRegistered":
            out.append(ModuleRegistered(**where, owner=str(data["owner"]), cid=_cid(data["cid"])))
        elif record.name == "ModuleUpdated":
            out.append(
                ModuleUpdated(**where, owner=str(data["owner"]), old_cid=_cid(data["old_cid"]), new_cid=_cid(data["new_cid"]), revision=int(data["revision"]))
            )
        elif record.name == "ModuleRemoved":
            out.append(ModuleRemoved(**where, owner=str(data["owner"])))
        elif record.name == "OwnershipTransferred":
            out.append(OwnershipTransferred(**where, from_=str(data["from"]), to=str(data["to"])))
        elif record.name == "TransferOffered":
            out.append(TransferOffered(**where, from_=str(data["from"]), to=str(data["to"]), expires_at=int(data["expires_at"])))
        elif record.name == "TransferCancelled":
            out.append(TransferCancelled(**where, owner=str(data["owner"]), to=str(data["to"])))
        elif record.name == "RevisionYanked":
            out.append(RevisionYanked(**where, owner=str(data["owner"]), revision=int(data["revision"]), yanked=_bool(data["yanked"])))
        elif record.name == "DeprecationSet":
            note = data.get("note")
            out.append(DeprecationSet(**where, owner=str(data["owner"]), note=None if note is None else _utf8(note)))
    return out


def _raw(value: Any) -> bytes:
    """The bytes of a ``Vec<u8>`` as substrate-interface decodes it: 0x-hex, or the text itself when the bytes
    happen to be UTF-8 (its ``Bytes`` type returns them decoded then)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, list) and all(isinstance(b, int) for b in value):
        return bytes(value)
    text = str(value)
    if text.startswith("0x"):
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            pass
    return text.encode("utf-8")


def _hex(value: Any) -> str:
    return "0x" + _raw(value).hex()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ChainError("CHAIN_UNAVAILABLE", f"the event's flag {value!r} is not a bool")


def _utf8(value: Any) -> str:
    """A deprecation note (UTF-8, which the pallet checks, so substrate-interface gives it as text)."""
    if isinstance(value, str):
        return value
    try:
        return _raw(value).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ChainError("CHAIN_UNAVAILABLE", f"the event's note is not UTF-8: {error}") from error


def _cid(value: Any) -> str:
    return cid_from_chain(_raw(value))
