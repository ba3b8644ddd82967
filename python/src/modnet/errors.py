"""Errors of the Mod-Net Python client.

Every error raised on purpose is a :class:`ModnetError` with a stable,
machine-readable ``code``, the same codes as the TypeScript library
(``lib/types/errors.ts``, ``lib/chain/errors.ts``, ``lib/ipfs/errors.ts``),
so scripts can switch on ``error.code`` in either language. Messages are for
humans and name what was wrong.
"""

from __future__ import annotations

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


class CanonicalEncodingError(ModnetError):
    """A value cannot be encoded as canonical JSON (RFC 8785). Code ``CANONICAL_ENCODING``."""

    def __init__(self, message: str) -> None:
        super().__init__("CANONICAL_ENCODING", message)


class MetadataParseError(ModnetError):
    """Bytes are not a well-formed JSON document (too large, too deep, bad UTF-8, BOM, duplicate key). Code ``METADATA_PARSE``."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__("METADATA_PARSE", message)
        self.problem = problem


class ValidationIssue:
    """One schema problem: where (a JSON Pointer path, ``""`` for the document) and what."""

    __slots__ = ("path", "message")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

    def __repr__(self) -> str:
        return f"ValidationIssue(path={self.path!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidationIssue) and (self.path, self.message) == (other.path, other.message)


class MetadataValidationError(ModnetError):
    """A metadata document does not satisfy the v1 schema. Code ``METADATA_INVALID``; ``issues`` say where and what."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        first = issues[0] if issues else ValidationIssue("", "invalid")
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__("METADATA_INVALID", f"invalid metadata at {first.path or '(document)'}: {first.message}{more}")
        self.issues = issues
