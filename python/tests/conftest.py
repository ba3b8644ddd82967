"""Shared fixtures: the real stack (dev node, gateway, tampering proxy) that
``tests/support/stack.ts`` starts on loopback, once per session."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"


@pytest.fixture(scope="session")
def stack() -> Iterator[dict[str, Any]]:
    """Addresses of a running stack: rpcUrl, rpcHttpUrl, gatewayUrl, tamperingGatewayUrl, chainSpec, cli."""
    process = subprocess.Popen(
        [str(NODE), str(ROOT / "tests" / "support" / "stack.ts")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ},
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=30)
        raise RuntimeError(f"tests/support/stack.ts exited with {process.returncode} before printing its addresses")
    try:
        yield json.loads(line)
    finally:
        process.stdin.close()  # the stack stops when its stdin closes
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
