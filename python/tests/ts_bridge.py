"""Asks the TypeScript library (tests/support/ts_reference.mts, run by the repository's node 24) for its answers."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"
SCRIPT = Path(__file__).resolve().parent / "support" / "ts_reference.mts"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def ask(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One node process answers every request, in order."""
    done = subprocess.run(
        [str(NODE), str(SCRIPT)],
        input=json.dumps(requests).encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ts_reference.mts exited with {done.returncode}:\n{done.stderr.decode()}")
    answers = json.loads(done.stdout)
    assert isinstance(answers, list) and len(answers) == len(requests)
    return answers
