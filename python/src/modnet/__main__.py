"""``python -m modnet``: look modules up and register them from scripts.

    python -m modnet --rpc ws://127.0.0.1:9944 get KEY [--json]
    python -m modnet --chain-spec chain-spec/modnet-dev.raw.json list --all
    python -m modnet --rpc ws://127.0.0.1:9944 register --metadata module.json --key-uri //Alice

Reads go through the smoldot light client (``--chain-spec``, default the
generated dev spec) or a node (``--rpc``, or $MODNET_RPC); metadata through a
Mod-Net gateway (``--gateway``, default http://127.0.0.1:8088). With
``--json`` the result is one JSON document on stdout, shaped like the
TypeScript CLI's. A failure prints one line on stderr and exits with the
TypeScript CLI's codes (cli/exit.ts): 2 bad input, 3 not found, 4 refused by
the chain, 5 unavailable, 6 verification failed; 1 is a bug (with a
traceback), as is anything with MODNET_DEBUG=1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .chain.client import ModuleRegistryClient, connect
from .chain.keys import parse_account, parse_module_key
from .types import ReadPoint, TxProgress
from .chain.signers import KEY_TYPES, KeyPair, KeyType
from .errors import ChainError, IPFSError, ModnetError

DEFAULT_GATEWAY_URL = "http://127.0.0.1:8088"

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_REFUSED, EXIT_UNAVAILABLE, EXIT_VERIFICATION = 0, 1, 2, 3, 4, 5, 6


class UsageError(ModnetError):
    """A command-line mistake: bad option values, unreadable files. Exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__("USAGE", message)


def exit_code_for(error: BaseException) -> int:
    """The exit code of an error, as cli/exit.ts decides it."""
    if isinstance(error, UsageError):
        return EXIT_BAD_INPUT
    if isinstance(error, ChainError):
        if error.code == "MODULE_NOT_FOUND":
            return EXIT_NOT_FOUND
        if error.code in ("CHAIN_DISPATCH", "CHAIN_INVALID_TX", "CHAIN_DROPPED"):
            return EXIT_REFUSED
        if error.code in ("BAD_KEY", "BAD_SIGNER"):
            return EXIT_BAD_INPUT
        if error.code == "BAD_PROOF":
            return EXIT_VERIFICATION
        return EXIT_UNAVAILABLE
    if isinstance(error, IPFSError):
        if error.code == "IPFS_NOT_FOUND":
            return EXIT_NOT_FOUND
        if error.code in ("IPFS_VERIFICATION_FAILED", "IPFS_CID_MISMATCH"):
            return EXIT_VERIFICATION
        if error.code in ("IPFS_UNAVAILABLE", "IPFS_TIMEOUT"):
            return EXIT_UNAVAILABLE
        return EXIT_BAD_INPUT
    if isinstance(error, ModnetError):
        return EXIT_BAD_INPUT
    return EXIT_FAILURE


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"modnet: {message} (run python -m modnet --help for usage)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--rpc", metavar="URL", default=argparse.SUPPRESS, help="JSON-RPC WebSocket of a node (trusted); default the light client (or $MODNET_RPC)")
    common.add_argument("--chain-spec", metavar="FILE", default=argparse.SUPPRESS, help="chain spec for the light client (default chain-spec/modnet-dev.raw.json, or $MODNET_CHAIN_SPEC)")
    common.add_argument("--gateway", metavar="URL", default=argparse.SUPPRESS, help=f"Mod-Net gateway for metadata (default {DEFAULT_GATEWAY_URL}, or $MODNET_IPFS=gateway:URL)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output on stdout")
    common.add_argument("--timeout", metavar="SECONDS", default=argparse.SUPPRESS, help="how long to wait to connect to the chain")
    parser = _Parser(prog="python -m modnet", description="Mod-Net: a decentralized module registry (Substrate chain + IPFS)", parents=[common])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    get = commands.add_parser("get", parents=[common], help="a module's record (finalized) and its metadata, verified against the CID")
    get.add_argument("key", help="module key: 0x-hex public key or SS58 address")

    listing = commands.add_parser("list", parents=[common], help="registered modules (finalized state), a page at a time")
    listing.add_argument("--page-size", default="100", help="modules per page (1-1000)")
    listing.add_argument("--start", metavar="CURSOR", help="continue after this cursor (printed at the end of a page)")
    listing.add_argument("--all", action="store_true", help="fetch every page")
    listing.add_argument("--owner", metavar="ACCOUNT", help="only the modules this account owns (SS58 or 0x-hex), every page")

    register = commands.add_parser("register", parents=[common], help="store a metadata document via the gateway and register (or update) its CID")
    register.add_argument("--metadata", required=True, metavar="FILE", help="the module's metadata document (JSON, schema modnet/module-metadata/v1)")
    register.add_argument("--key-uri", metavar="URI", help="secret URI of the signing account (dev chain: //Alice); or $MODNET_KEY_URI")
    register.add_argument("--key-file", metavar="FILE", help="file holding the signing account's secret URI or mnemonic")
    register.add_argument("--key-type", default="sr25519", help="sr25519, ed25519 or ecdsa")
    register.add_argument("--module-key", metavar="KEY", help="module public key (0x-hex or SS58); default the signing account's own key")
    register.add_argument("--module-key-uri", metavar="URI", help="secret URI of the module key, to prove ownership and sign the metadata")
    register.add_argument("--module-key-file", metavar="FILE", help="file holding the module key's secret URI")
    register.add_argument("--module-key-type", default="sr25519", help="sr25519, ed25519 or ecdsa")
    register.add_argument("--no-sign", action="store_true", help="do not sign the metadata with the module key")
    register.add_argument("--mode", choices=("auto", "register", "update"), default="auto", help="register refuses an existing module, update a missing one")
    register.add_argument("--wait", default="finalized", help="return at inBlock or finalized")
    return parser


# ---- options into things ----


def _option(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


async def _open_chain(args: argparse.Namespace) -> ModuleRegistryClient:
    timeout = _seconds(_option(args, "timeout"))
    rpc = _option(args, "rpc") or os.environ.get("MODNET_RPC") or None
    if rpc:
        return await connect(rpc, timeout=timeout)
    spec = _option(args, "chain_spec") or os.environ.get("MODNET_CHAIN_SPEC") or _default_chain_spec()
    if not Path(spec).is_file():
        raise UsageError(f"no chain spec at {spec}: run `make build` to generate it, pass --chain-spec FILE, or use --rpc ws://127.0.0.1:9944")
    return await connect(chain_spec=spec, timeout=timeout, sync_timeout=timeout if timeout is not None else 90.0)


def _default_chain_spec() -> str:
    here = Path("chain-spec/modnet-dev.raw.json")
    if here.is_file():
        return str(here)
    repo = Path(__file__).resolve().parents[3] / "chain-spec" / "modnet-dev.raw.json"
    return str(repo if repo.is_file() else here)


def _open_ipfs(args: argparse.Namespace) -> Any:
    url = _option(args, "gateway")
    if url is None:
        backend = os.environ.get("MODNET_IPFS", "")
        url = backend[len("gateway:") :] if backend.startswith("gateway:") else DEFAULT_GATEWAY_URL
    if not url.startswith(("http://", "https://")):
        raise UsageError(f'--gateway takes an http(s) URL, not "{url[:80]}"')
    from .ipfs import IPFSClient

    return IPFSClient(url)


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        parsed = float(value)
    except ValueError:
        parsed = -1.0
    if not parsed > 0 or parsed == float("inf"):
        raise UsageError(f'--timeout must be a positive number of seconds, not "{value}"')
    return parsed


def _key_type(value: str) -> KeyType:
    for key_type in KEY_TYPES:
        if value == key_type:
            return key_type
    raise UsageError(f'key type "{value}" is not one of {", ".join(KEY_TYPES)}')


def _load_pair(uri: str | None, file: str | None, key_type: str, what: str) -> KeyPair | None:
    if uri is not None and file is not None:
        raise UsageError(f"give the {what} as a URI or a file, not both")
    secret = uri
    if file is not None:
        path = Path(file)
        try:
            if path.stat().st_size > 4096:
                raise UsageError(f"the {what} file {file} is larger than 4 KiB: it should hold one secret URI or mnemonic")
            secret = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(f"cannot read the {what} file {file}: {'no such file' if isinstance(error, FileNotFoundError) else error.strerror}") from error
    if secret is None:
        return None
    checked = _key_type(key_type)
    try:
        return KeyPair.from_uri(secret, checked)
    except ChainError as error:
        raise UsageError(f"the {what} is not a valid secret URI or mnemonic ({error})") from error


def _read_metadata(file: str) -> Any:
    from .canonical import parse_json_document
    from .validate import assert_valid_metadata

    path = Path(file)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UsageError(f"cannot read metadata file {file}: it is a directory")
        if size > 1024 * 1024:
            raise UsageError(f"metadata file {file} is {size} bytes; metadata may be at most 64 KiB")
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read metadata file {file}: {'no such file' if isinstance(error, FileNotFoundError) else error.strerror}") from error
    document = parse_json_document(data)
    assert_valid_metadata(document)
    return document


# ---- output ----


def _describe_read_point(at: ReadPoint) -> str:
    if at.verified_by == "light-client":
        return f"storage proof checked by the light client at finalized block #{at.block_number}"
    return f"read from the RPC node at {'finalized ' if at.finalized else ''}block #{at.block_number} (not independently verified)"


def _table(rows: Sequence[tuple[str, Any]]) -> list[str]:
    width = max(len(label) for label, _ in rows)
    return [f"{label.ljust(width)}  {value}" for label, value in rows if value is not None]


def _print_result(as_json: bool, data: Any, human: list[str]) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n" if as_json else "\n".join(human) + "\n")


# ---- commands ----


async def _get(args: argparse.Namespace, as_json: bool) -> None:
    from .registry import retrieve_module

    parse_module_key(args.key)
    ipfs = _open_ipfs(args)
    async with await _open_chain(args) as chain:
        module = await retrieve_module(chain, ipfs, args.key)
    metadata = module.metadata if isinstance(module.metadata, dict) else {}
    verification = module.verification
    schema = "valid (modnet/module-metadata/v1)" if verification.schema_valid else "INVALID: " + "; ".join(
        f"{issue.path or '(root)'} {issue.message}" for issue in verification.schema_issues
    )
    signature = verification.signature
    signed = {"valid": "valid, by the module key", "absent": "absent (the metadata is not signed)"}.get(signature.status, f"INVALID: {signature.reason or 'does not verify'}")
    record = module.record
    human = _table([
        ("name", metadata.get("name")), ("version", metadata.get("version")), ("description", metadata.get("description")),
        ("key", record.key), ("owner", record.owner), ("cid", record.cid), ("revision", record.revision),
        ("registered", f"block #{record.registered_at}"), ("updated", f"block #{record.updated_at}"), ("deposit", record.deposit),
        ("previous", metadata.get("previous")),
        ("DEPRECATED", module.status.deprecation),
        ("yanked", ", ".join(str(r) for r in module.status.yanked) or None),
        ("offered to", None if module.status.transfer_offer is None else f"{module.status.transfer_offer.to} until block #{module.status.transfer_offer.expires_at}"),
    ]) + [
        "",
        "verification:",
        f"  record    {_describe_read_point(module.read_at)}",
        f"  metadata  {len(module.metadata_bytes)} bytes, hash matches {record.cid}",
        f"  schema    {schema}",
        f"  signature {signed}",
    ]
    _print_result(as_json, module.to_json(), human)


async def _list(args: argparse.Namespace, as_json: bool) -> None:
    try:
        page_size = int(args.page_size)
    except ValueError:
        page_size = 0
    if not 1 <= page_size <= 1000 or str(page_size) != args.page_size.strip():
        raise UsageError(f'--page-size must be a whole number from 1 to 1000, not "{args.page_size}"')
    import re

    if args.start is not None and not re.fullmatch(r"0x([0-9a-fA-F]{64}|[0-9a-fA-F]{66})", args.start):
        raise UsageError(f'--start takes the cursor a previous page printed (a module key, 0x and 64 or 66 hex digits), not "{args.start[:80]}"')
    owner = args.owner
    if owner is not None:
        parse_account(owner)
    async with await _open_chain(args) as chain:
        count = None
        if owner is None:
            count, _ = await chain.count()
        modules = []
        cursor = args.start
        at: ReadPoint | None = None
        while True:
            block = at.block_hash if at is not None else "finalized"
            page = await (chain.list_modules(page_size, cursor, block) if owner is None else chain.list_modules_of(owner, page_size, cursor, block))
            modules.extend(page.modules)
            cursor = page.next_key
            at = at or page.at
            if not ((args.all or owner is not None) and cursor is not None):
                break
    of = f"of {count} module(s)" if owner is None else f"module(s) owned by {owner}"
    head: dict[str, Any] = {"count": count} if owner is None else {"owner": owner}
    data = {**head, "modules": [m.to_json() for m in modules], "nextCursor": cursor, "at": at.to_json() if at else None}
    human = [f"{m.key}  rev {m.revision}  {m.cid}  owner {m.owner}" for m in modules]
    human.append(f"{len(modules)} {of}{f' · more: --start {cursor}' if cursor else ''} · {_describe_read_point(at) if at else ''}")
    _print_result(as_json, data, human)


async def _register(args: argparse.Namespace, as_json: bool) -> None:
    from .registry import register_module

    document = _read_metadata(args.metadata)
    if args.module_key is not None:
        parse_module_key(args.module_key)
    if args.wait not in ("inBlock", "finalized"):
        raise UsageError(f'--wait must be inBlock or finalized, not "{args.wait}"')
    uri = args.key_uri if args.key_uri is not None else (os.environ.get("MODNET_KEY_URI") if args.key_file is None else None)
    signer = _load_pair(uri, args.key_file, args.key_type, "signing key")
    if signer is None:
        raise UsageError("this command signs a transaction: pass --key-uri URI or --key-file FILE (for the dev chain: --key-uri //Alice)")
    module_signer = _load_pair(args.module_key_uri, args.module_key_file, args.module_key_type, "module key")
    ipfs = _open_ipfs(args)

    def progress(line: str) -> None:
        if not as_json:
            sys.stderr.write(f"{line}\n")

    def tx_progress(p: TxProgress) -> None:
        text = {
            "signing": "signing and submitting…",
            "ready": "in the transaction pool, waiting for a block…",
            "inBlock": f"in block {p.block_hash}, waiting for finality…",
            "finalized": f"finalized in block {p.block_hash}",
        }[p.stage]
        progress(f"  {text}")

    module_key = args.module_key if args.module_key is not None else ("0x" + module_signer.public_key.hex() if module_signer is not None else None)
    async with await _open_chain(args) as chain:
        result = await register_module(
            chain, ipfs, document, signer, module_key=module_key, module_signer=module_signer, sign_metadata=not args.no_sign,
            mode=args.mode, wait_for=args.wait, on_stored=lambda cid: progress(f"metadata stored on IPFS (gateway) as {cid}"), on_progress=tx_progress,
        )
    if result.action == "unchanged":
        line = f"module {result.key} already points at {result.cid}: nothing to do"
    else:
        line = f"{result.action} module {result.key} → {result.cid} in block #{result.block_number} ({result.block_hash})"
    _print_result(as_json, result.to_json(), [line])


COMMANDS = {"get": _get, "list": _list, "register": _register}


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; the process exit code."""
    args = _parser().parse_args(argv)
    as_json = bool(_option(args, "json"))
    debug = bool(os.environ.get("MODNET_DEBUG"))
    try:
        asyncio.run(COMMANDS[args.command](args, as_json))
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("modnet: interrupted\n")
        return 130
    except Exception as error:
        code = exit_code_for(error)
        sys.stderr.write(f"modnet: {error}\n")
        if debug or code == EXIT_FAILURE:
            traceback.print_exc()
        return code


if __name__ == "__main__":
    sys.exit(main())
