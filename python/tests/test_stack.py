"""The stack the other tests use answers (a real node and gateway)."""

from __future__ import annotations

from typing import Any

import httpx


def test_node_and_gateway_answer(stack: dict[str, Any]) -> None:
    health = httpx.post(stack["rpcHttpUrl"], json={"jsonrpc": "2.0", "id": 1, "method": "system_health", "params": []}).json()
    assert "result" in health
    assert httpx.get(f"{stack['gatewayUrl']}/healthz").status_code in (200, 503)
