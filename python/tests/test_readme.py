"""The example in python/README.md runs as written (against the test stack's node and gateway)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_example_registers_and_retrieves(stack: dict[str, Any]) -> None:
    readme = (ROOT / "python" / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S)
    assert code is not None, "the README has a python example"
    program = code.group(1).replace("ws://127.0.0.1:9944", stack["rpcUrl"]).replace("http://127.0.0.1:8088", stack["gatewayUrl"]).replace('KeyPair.from_uri("//Alice")', 'KeyPair.from_uri("//Ferdie")')
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cid, verified_by, signature = done.stdout.split()
    assert cid.startswith("bafkrei") and verified_by == "rpc" and signature == "valid"
