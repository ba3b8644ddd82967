"""Errors of the Mod-Net Python client.

Every error raised on purpose is a :class:`ModnetError` with a stable,
machine-readable ``code``, the same codes as the TypeScript library
(``lib/types/errors.ts``, ``lib/chain/errors.ts``, ``lib/ipfs/errors.ts``),
so scripts can switch on ``error.code`` in either language. Messages are for
humans and name what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChainErrorCode = Literal[
    "CHAIN_UNAVAILABLE",
    "CHAIN_TIMEOUT",
    "CHAIN_DISPATCH",
    "CHAIN_INVALID_TX",
    "CHAIN_DROPPED",
    "MODULE_NOT_FOUND",
    "BAD_KEY",
    "BAD_SIGNER",
    "BAD_PROOF",
    "CHAIN_UNSUPPORTED",
]

IPFSErrorCode = Literal[
    "IPFS_NOT_FOUND",
    "IPFS_TIMEOUT",
    "IPFS_UNAVAILABLE",
    "IPFS_VERIFICATION_FAILED",
    "IPFS_CID_MISMATCH",
    "IPFS_TOO_LARGE",
    "IPFS_READ_ONLY",
    "IPFS_REJECTED",
    "IPFS_BAD_CID",
    "IPFS_UNSUPPORTED",
]


class ModnetError(Exception):
    """Base of every error the client raises on purpose; ``code`` is stable."""

    code: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ChainError(ModnetError):
    """A chain failure. For ``CHAIN_DISPATCH``, ``pallet`` and ``error`` name the runtime's reason (e.g. ``moduleRegistry`` / ``NotOwner``)."""

    code: ChainErrorCode

    def __init__(self, code: ChainErrorCode, message: str, *, pallet: str | None = None, error: str | None = None) -> None:
        super().__init__(code, message)
        self.pallet = pallet
        self.error = error


class IPFSError(ModnetError):
    """An IPFS failure: content not found, unreachable backend, bytes that do not match their CID…"""

    code: IPFSErrorCode

    def __init__(self, code: IPFSErrorCode, message: str) -> None:
        super().__init__(code, message)


def display_path(path: str) -> str:
    """Renders a JSON Pointer for messages: the root (``""``) is shown as ``(root)``."""
    return "(root)" if path == "" else path


class CanonicalEncodingError(ModnetError):
    """A value cannot be encoded as canonical JSON (RFC 8785). Code ``CANONICAL_ENCODING``.

    ``path`` is the JSON Pointer of the offending value (``""`` for the root),
    ``problem`` says what is wrong with it there.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__("CANONICAL_ENCODING", f"cannot encode {display_path(path)} as canonical JSON: {problem}")
        self.path = path
        self.problem = problem


MetadataParseProblem = Literal["too-large", "too-deep", "invalid-utf8", "byte-order-mark", "invalid-json", "duplicate-key"]


class MetadataParseError(ModnetError):
    """Bytes are not a well-formed JSON document (too large, too deep, bad UTF-8, BOM, duplicate key). Code ``METADATA_PARSE``.

    ``problem`` names the reason with the TypeScript library's words; for
    ``duplicate-key``, ``path`` is the JSON Pointer of the repeated member.
    """

    def __init__(self, problem: MetadataParseProblem, message: str, *, path: str | None = None) -> None:
        super().__init__("METADATA_PARSE", message)
        self.problem: MetadataParseProblem = problem
        self.path = path


@dataclass(frozen=True)
class ValidationIssue:
    """One schema problem: where (a JSON Pointer, ``""`` for the document itself) and what, in plain words."""

    path: str
    message: str


class MetadataValidationError(ModnetError):
    """A metadata document does not satisfy the v1 schema. Code ``METADATA_INVALID``; ``issues`` say where and what.

    The message lists every issue, one per line as ``path: message``, as the
    TypeScript library's does.
    """

    def __init__(self, issues: list[ValidationIssue]) -> None:
        lines = "\n".join(f"{display_path(issue.path)}: {issue.message}" for issue in issues)
        noun = "problem" if len(issues) == 1 else "problems"
        super().__init__("METADATA_INVALID", f"invalid module metadata ({len(issues)} {noun}):\n{lines}")
        self.issues = issues
