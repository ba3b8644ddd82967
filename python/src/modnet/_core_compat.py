"""Canonical JSON, strict parsing and schema validation, from
:mod:`modnet.canonical` and :mod:`modnet.validate`, imported on first use.

The registry flows and metadata signatures need them, but they are written
separately; this is the one place that names what is used from them:

- ``modnet.canonical.canonical_bytes(value) -> bytes`` (RFC 8785, as
  ``canonicalBytes`` in lib/types/canonical.ts);
- ``modnet.canonical.parse_json_document(data: bytes)`` (``parseJsonDocument``);
- ``modnet.validate.validate_metadata(doc)`` (``validateMetadata``: a result
  with ``ok``/``issues``, or the list of issues) and, if present,
  ``modnet.validate.assert_valid_metadata(doc)``.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import MetadataValidationError, ModnetError, ValidationIssue


def _function(module_name: str, name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ModnetError("UNSUPPORTED", f"{module_name} is not installed with this copy of modnet: {error}") from error
    function = getattr(module, name, None)
    if function is None:
        raise ModnetError("UNSUPPORTED", f"{module_name} has no {name}()")
    return function


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 canonical JSON bytes of ``value``."""
    return bytes(_function("modnet.canonical", "canonical_bytes")(value))


def parse_json_document(data: bytes) -> Any:
    """A JSON document parsed strictly (no BOM, valid UTF-8, no duplicate keys, bounded depth)."""
    return _function("modnet.canonical", "parse_json_document")(data)


def validation_issues(doc: Any) -> list[ValidationIssue]:
    """The schema problems of a metadata document; empty when it is valid."""
    result = _function("modnet.validate", "validate_metadata")(doc)
    if isinstance(result, (list, tuple)):
        raw = list(result)
    elif isinstance(result, dict):
        raw = [] if result.get("ok") else list(result.get("issues", []))
    elif getattr(result, "ok", None) is True or result is None:
        raw = []
    else:
        raw = list(getattr(result, "issues", []))
    issues = []
    for issue in raw:
        if isinstance(issue, ValidationIssue):
            issues.append(issue)
        elif isinstance(issue, dict):
            issues.append(ValidationIssue(str(issue.get("path", "")), str(issue.get("message", ""))))
        else:
            issues.append(ValidationIssue(str(getattr(issue, "path", "")), str(getattr(issue, "message", issue))))
    return issues


def assert_valid_metadata(doc: Any) -> dict[str, Any]:
    """``doc`` if it is a valid metadata document, else ``MetadataValidationError`` listing the problems."""
    try:
        asserter = _function("modnet.validate", "assert_valid_metadata")
    except ModnetError:
        asserter = None
    if asserter is not None:
        asserter(doc)
    else:
        issues = validation_issues(doc)
        if issues:
            raise MetadataValidationError(issues)
    if not isinstance(doc, dict):
        raise MetadataValidationError([ValidationIssue("", "must be an object")])
    return doc
