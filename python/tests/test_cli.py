"""``python -m modnet``: results on stdout (``--json`` shaped like the TypeScript CLI's), one line on stderr and
the TypeScript CLI's exit codes on failure, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chain_support import EXAMPLE, metadata, py_cli

NO_MODULE = "0x" + "ab" * 32


def assert_one_line_failure(done: Any, code: int, words: str) -> None:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("modnet: ") and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_input_errors_exit_2(stack: dict[str, Any], tmp_path: Path) -> None:
    rpc = ("--rpc", stack["rpcUrl"])
    assert_one_line_failure(py_cli(*rpc, "get", "0x1234"), 2, "module key 0x1234 is 2 bytes")
    assert_one_line_failure(py_cli(*rpc, "get", "//Alice"), 2, 'module key "//Alice" is neither 0x-hex nor an SS58 address')
    assert_one_line_failure(py_cli(*rpc, "list", "--page-size", "0"), 2, "--page-size must be a whole number from 1 to 1000")
    assert_one_line_failure(py_cli(*rpc, "frobnicate"), 2, "invalid choice")
    assert_one_line_failure(py_cli(*rpc, "get"), 2, "the following arguments are required: key")
    assert_one_line_failure(py_cli(*rpc, "register", "--metadata", str(tmp_path / "none.json"), "--key-uri", "//Alice"), 2, "no such file")
    assert_one_line_failure(py_cli("--chain-spec", str(tmp_path / "none.json"), "list"), 2, "no chain spec at")


def test_not_found_exits_3_and_unavailable_exits_5(stack: dict[str, Any]) -> None:
    assert_one_line_failure(py_cli("--rpc", stack["rpcUrl"], "get", NO_MODULE), 3, f"no module is registered under key {NO_MODULE}")
    assert_one_line_failure(py_cli("--rpc", "ws://127.0.0.1:9", "list"), 5, "cannot reach the node at ws://127.0.0.1:9")


def test_list_json(stack: dict[str, Any]) -> None:
    done = py_cli("--rpc", stack["rpcUrl"], "--json", "list", "--all", "--page-size", "2")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    assert set(listing) == {"count", "modules", "nextCursor", "at"}
    assert listing["count"] == len(listing["modules"]) and listing["nextCursor"] is None
    assert listing["at"]["verifiedBy"] == "rpc" and listing["at"]["finalized"] is True
    owned = json.loads(py_cli("--rpc", stack["rpcUrl"], "--json", "list", "--owner", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").stdout)
    assert set(owned) == {"owner", "modules", "nextCursor", "at"}
    assert all(m["owner"] == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" for m in owned["modules"])


def test_register_get_and_refusals(stack: dict[str, Any], tmp_path: Path) -> None:
    chain = ("--rpc", stack["rpcUrl"], "--gateway", stack["gatewayUrl"])
    file = tmp_path / "module.json"
    file.write_text(json.dumps(metadata(description="from python -m modnet")))
    done = py_cli(*chain, "--json", "register", "--metadata", str(file), "--key-uri", "//Eve")
    assert done.returncode == 0, done.stderr
    registered = json.loads(done.stdout)
    assert registered["action"] == "registered" and [e["type"] for e in registered["events"]] == ["ModuleRegistered"]
    assert set(registered) == {"key", "cid", "action", "blockHash", "blockNumber", "events"}

    human = py_cli(*chain, "get", registered["key"])
    assert human.returncode == 0 and "signature valid, by the module key" in human.stdout and registered["cid"] in human.stdout

    # Someone else's module: refused (4), in the pallet's words.
    refused = py_cli(*chain, "register", "--metadata", str(file), "--key-uri", "//Ferdie//stash", "--module-key", registered["key"])
    assert_one_line_failure(refused, 4, "moduleRegistry.NotOwner: Only the module's owner may do this")
    exists = py_cli(*chain, "register", "--metadata", str(file), "--key-uri", "//Eve", "--mode", "register")
    assert_one_line_failure(exists, 4, "moduleRegistry.ModuleAlreadyExists")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({**EXAMPLE, "unknown": 1}))
    # As the TypeScript CLI: the first line says what, one line per schema problem follows.
    bad = py_cli(*chain, "register", "--metadata", str(invalid), "--key-uri", "//Eve")
    assert bad.returncode == 2 and bad.stdout == "", (bad.returncode, bad.stdout, bad.stderr)
    assert bad.stderr.splitlines() == ["modnet: invalid module metadata (1 problem):", '/unknown: unknown property "unknown" (extension properties must start with "x-")'], bad.stderr

    # Bytes that do not match the CID: verification failed (6).
    tampered = py_cli("--rpc", stack["rpcUrl"], "--gateway", stack["tamperingGatewayUrl"], "get", registered["key"])
    assert_one_line_failure(tampered, 6, "do not match its sha2-256 hash")


def test_list_through_the_light_client(stack: dict[str, Any]) -> None:
    done = py_cli("--chain-spec", stack["chainSpec"], "--gateway", stack["gatewayUrl"], "--json", "list")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["at"]["verifiedBy"] == "light-client"
