"""Helpers for the chain, registry and CLI tests: the TypeScript reference run
from Python, the two CLIs, CIDs and metadata documents."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"
EXAMPLE = json.loads((ROOT / "examples" / "hello-module.json").read_text())


def run_ts(script: str, *args: Any) -> Any:
    """Runs an ES module (which may import ``@lib/…``, i.e. lib/…ts) under Node 24 with JSON args
    (``process.argv[1]`` …) and returns the JSON it printed last."""
    source = script.replace("@lib/", f"{ROOT}/lib/")
    done = subprocess.run(
        [str(NODE), "--input-type=module", "-e", source, *(json.dumps(arg) for arg in args)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    if done.returncode != 0:
        raise AssertionError(f"node failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fund(stack: dict[str, Any], address: str, amount: int = 10**15) -> str:
    """Sends ``amount`` (smallest units) from //Alice to ``address`` with polkadot-js, the reference rather than the
    client under test (which only makes registry calls); returns the hash of the block it is in."""
    block: str = run_ts(
        """
        import { ApiPromise, WsProvider } from '@polkadot/api'
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        await cryptoWaitReady()
        const [url, to, amount] = process.argv.slice(1).map((arg) => JSON.parse(arg))
        const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true })
        const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
        const block = await new Promise((resolve, reject) => {
          api.tx.balances.transferKeepAlive(to, amount).signAndSend(alice, ({ status, dispatchError }) => {
            if (dispatchError) reject(new Error(`the transfer failed: ${dispatchError.toString()}`))
            else if (status.isInBlock) resolve(status.asInBlock.toHex())
          }).catch(reject)
        })
        console.log(JSON.stringify(block))
        await api.disconnect()
        """,
        stack["rpcUrl"], address, str(amount),
    )
    return block


def ts_cli(stack: dict[str, Any], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``bin/modnet --rpc <node> --ipfs gateway:<gateway> ARGS`` (the TypeScript CLI)."""
    return subprocess.run(
        [stack["cli"], "--rpc", stack["rpcUrl"], "--ipfs", f"gateway:{stack['gatewayUrl']}", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, "MODNET_KEY_URI": ""},
    )


def py_cli(*args: str, timeout: float = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m modnet ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "modnet", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "MODNET_RPC": "", "MODNET_KEY_URI": "", **(env or {})},
    )


def raw_cid(data: bytes) -> str:
    """CIDv1, raw codec, sha2-256, base32: what a metadata upload gets."""
    return "b" + base64.b32encode(bytes([1, 0x55, 0x12, 0x20]) + hashlib.sha256(data).digest()).decode().lower().rstrip("=")


def random_cid() -> str:
    return raw_cid(os.urandom(16))


def metadata(**changes: Any) -> dict[str, Any]:
    """A valid metadata document (examples/hello-module.json) with a unique name, plus ``changes``."""
    document = copy.deepcopy(EXAMPLE)
    document["name"] = f"py-test-{uuid.uuid4().hex[:12]}"
    document.update(changes)
    return document
