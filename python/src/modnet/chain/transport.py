"""JSON-RPC transports for :mod:`modnet.chain.substrate`: a node's WebSocket
or the smoldot light client.

substrate-interface's own transports wait forever and route subscription
notifications only while that subscription's request is running. These keep
one queue per connection instead, so that:

- every request has a deadline (``ChainError('CHAIN_TIMEOUT')``), and a dead
  connection is ``ChainError('CHAIN_UNAVAILABLE')``;
- a subscription (a transaction being watched, finalized heads) collects its
  notifications between calls while other requests run on the same
  connection, and the caller takes them when it likes.

They are not thread-safe: :class:`~modnet.chain.substrate.SubstrateSession`
serializes every call.
"""

from __future__ import annotations

import importlib
import itertools
import json
import select
import socket
import ssl
import time
from abc import ABC, abstractmethod
from collections import deque
from typing import Any, Callable

import websocket

from ..errors import ChainError

#: Notifications kept per subscription before the oldest are dropped.
MAX_BUFFERED_NOTIFICATIONS = 4096


class RpcError(Exception):
    """A JSON-RPC error answer: ``code`` and ``message`` as the server gave them."""

    def __init__(self, error: dict[str, Any]) -> None:
        self.code = error.get("code")
        self.rpc_message = str(error.get("message", ""))
        self.data = error.get("data")
        detail = f": {self.data}" if self.data not in (None, "") else ""
        super().__init__(f"{self.code}: {self.rpc_message}{detail}")


class Transport(ABC):
    """One JSON-RPC connection: requests with deadlines, and subscriptions whose notifications wait in a buffer."""

    kind: str

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._responses: dict[Any, dict[str, Any]] = {}
        self._subscriptions: dict[str, deque[Any]] = {}
        self._closed = False

    # ---- what a concrete transport provides ----

    @abstractmethod
    def _send(self, text: str) -> None: ...

    @abstractmethod
    def _receive(self, wait: float) -> list[str]:
        """Messages that arrived within ``wait`` seconds (possibly none)."""

    @abstractmethod
    def _close(self) -> None: ...

    @property
    @abstractmethod
    def where(self) -> str:
        """Whom this transport talks to, for messages."""

    # ---- the interface ----

    def request(self, method: str, params: list[Any], timeout: float | None = None) -> Any:
        """The ``result`` of one call; :class:`RpcError` for an error answer."""
        request_id = f"modnet-{next(self._ids)}"
        message = self._call({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}, timeout)
        if "error" in message:
            raise RpcError(message["error"])
        return message.get("result")

    def rpc_request(self, payload: dict[str, Any], result_handler: Callable[..., Any] | None = None) -> dict[str, Any]:
        """substrate-interface's transport entry point (one call, the whole answer)."""
        if result_handler is not None:
            raise ChainError("CHAIN_UNSUPPORTED", "substrate-interface subscriptions are not used by this client")
        message = self._call(payload, None)
        if "error" in message:
            from substrateinterface.exceptions import SubstrateRequestException

            raise SubstrateRequestException(message["error"])
        return message

    def subscribe(self, method: str, params: list[Any], timeout: float | None = None) -> str:
        """Starts a subscription; its notifications' ``result`` values collect until :meth:`take` n."""
        subscription = self.request(method, params, timeout)
        if not isinstance(subscription, (str, int)):
            raise ChainError("CHAIN_UNAVAILABLE", f"{method} answered {subscription!r}, not a subscription id")
        self._subscriptions[str(subscription)] = deque(maxlen=MAX_BUFFERED_NOTIFICATIONS)
        return str(subscription)

    def take(self, subscription: str) -> list[Any]:
        """The notifications received for ``subscription`` so far (and forgets them)."""
        buffer = self._subscriptions.get(subscription)
        if buffer is None:
            return []
        out = list(buffer)
        buffer.clear()
        return out

    def pump(self, wait: float) -> None:
        """Reads what arrives within ``wait`` seconds (routing notifications to their buffers)."""
        for text in self._receive_checked(wait):
            self._route(text)

    def unsubscribe(self, method: str, subscription: str) -> None:
        """Ends a subscription (best effort: the connection may be gone)."""
        self._subscriptions.pop(subscription, None)
        try:
            self.request(method, [subscription], timeout=min(self.timeout, 5.0))
        except (RpcError, ChainError):
            pass

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    # ---- internals ----

    def _call(self, payload: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        if self._closed:
            raise ChainError("CHAIN_UNAVAILABLE", f"the connection to {self.where} is closed")
        request_id = payload["id"]
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        self._send_checked(json.dumps(payload))
        while request_id not in self._responses:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChainError("CHAIN_TIMEOUT", f"no answer from {self.where} to {payload['method']} within {limit:g} s")
            for text in self._receive_checked(min(left, 0.5)):
                self._route(text)
        return self._responses.pop(request_id)

    def _route(self, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if "id" in message and message.get("id") is not None:
            self._responses[message["id"]] = message
            return
        params = message.get("params")
        if isinstance(params, dict):
            buffer = self._subscriptions.get(str(params.get("subscription")))
            if buffer is not None:
                buffer.append(params.get("result"))
        # Anything else: notifications of ended subscriptions, dropped.

    def _send_checked(self, text: str) -> None:
        try:
            self._send(text)
        except ChainError:
            raise
        except Exception as error:
            self._closed = True
            raise ChainError("CHAIN_UNAVAILABLE", f"the connection to {self.where} failed: {error or type(error).__name__}") from error

    def _receive_checked(self, wait: float) -> list[str]:
        try:
            return self._receive(wait)
        except ChainError:
            raise
        except Exception as error:
            self._closed = True
            raise ChainError("CHAIN_UNAVAILABLE", f"the connection to {self.where} failed: {error or type(error).__name__}") from error


class WebSocketTransport(Transport):
    """A node's JSON-RPC WebSocket (trusted: its answers are not checked)."""

    kind = "rpc"

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(timeout)
        self.url = url
        try:
            self._ws = websocket.create_connection(url, timeout=timeout, enable_multithread=False)
        except Exception as error:
            raise ChainError("CHAIN_UNAVAILABLE", f"cannot reach the node at {url}: {error or type(error).__name__}") from error
        self._ws.settimeout(timeout)

    @property
    def where(self) -> str:
        return f"the node at {self.url}"

    def _send(self, text: str) -> None:
        self._ws.send(text)

    def _receive(self, wait: float) -> list[str]:
        sock = self._ws.sock
        if sock is None:
            raise ChainError("CHAIN_UNAVAILABLE", f"the connection to {self.where} is closed")
        pending = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
        if not pending:
            readable, _, _ = select.select([sock], [], [], max(wait, 0))
            if not readable:
                return []
        # A frame has started: read it whole (the socket's timeout bounds a stalled frame).
        try:
            opcode, frame = self._ws.recv_data_frame(True)
        except (websocket.WebSocketTimeoutException, socket.timeout) as error:
            raise ChainError("CHAIN_TIMEOUT", f"{self.where} stalled in the middle of a message") from error
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise ChainError("CHAIN_UNAVAILABLE", f"{self.where} closed the connection")
        if opcode not in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
            return []  # ping (answered by websocket-client), pong
        data = frame.data
        return [data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else str(data)]

    def _close(self) -> None:
        try:
            self._ws.close()
        except Exception:
            pass


class SmoldotTransport(Transport):
    """The smoldot light client (``smoldot-light``) following the chain of a chain spec."""

    kind = "light-client"

    def __init__(self, chain_spec: str, timeout: float) -> None:
        super().__init__(timeout)
        try:
            module: Any = importlib.import_module("smoldot_light")
        except ImportError as error:
            raise ChainError("CHAIN_UNSUPPORTED", f"the light client needs the smoldot-light package: {error}") from error
        try:
            self._client = module.SmoldotClient()
            self._chain = self._client.add_chain(chain_spec)
        except Exception as error:
            raise ChainError("CHAIN_UNAVAILABLE", f"the light client refused the chain spec: {error}") from error

    @property
    def where(self) -> str:
        return "the chain through the light client"

    def _send(self, text: str) -> None:
        self._client.json_rpc_request(self._chain, text)

    def _receive(self, wait: float) -> list[str]:
        deadline = time.monotonic() + wait
        while True:
            messages = [str(m) for m in self._client.drain_responses(self._chain, max=64)]
            if messages or time.monotonic() >= deadline:
                return messages
            time.sleep(min(0.005, max(deadline - time.monotonic(), 0)))

    def _close(self) -> None:
        # smoldot-light 0.1.0 has no remove_chain: dropping the client stops it.
        self._client = None
