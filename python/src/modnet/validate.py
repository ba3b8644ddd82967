"""Validation of module metadata documents against ``schema/module-metadata.v1.json``.

The schema is the repository's own file (the wheel ships it as
``modnet/schema/module-metadata.v1.json``), checked with JSON Schema draft
2020-12 (``jsonschema``), so Python and TypeScript validate against the same
rules. What ``jsonschema`` would do differently from Ajv is done as Ajv does
it: patterns are JavaScript regular expressions, the formats are the
TypeScript library's (:mod:`modnet.formats`, :func:`modnet.cid.is_cid`), and
every problem becomes a :class:`~modnet.errors.ValidationIssue` with a JSON
Pointer and the same plain-words message ``lib/types/validate.ts`` gives.
The canonical size limit (``MAX_METADATA_BYTES``) is checked too.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from .canonical import canonical_bytes, canonical_json, json_pointer
from .cid import is_cid
from .errors import CanonicalEncodingError, MetadataValidationError, ValidationIssue
from .formats import is_date_time, is_email, is_semver_range, is_semver_version, is_spdx_expression, is_uri
from .formats.jsregex import js_test
from .types import MAX_METADATA_BYTES, ModuleMetadata

SCHEMA_FILE = "module-metadata.v1.json"

FORMAT_CHECKERS: dict[str, Callable[[str], bool]] = {
    "semver": is_semver_version,
    "semver-range": is_semver_range,
    "spdx": is_spdx_expression,
    "cid": is_cid,
    "email": is_email,
    "uri": is_uri,
    "date-time": is_date_time,
}
"""The schema's formats and their checks (the same as the TypeScript library's)."""

FORMAT_MESSAGES: dict[str, str] = {
    "semver": 'must be a SemVer 2.0 version such as 1.2.3 or 2.0.0-rc.1 (no leading "v")',
    "semver-range": "must be a SemVer version range such as ^1.2.0, ~2.1 or >=1.0.0 <2.0.0",
    "spdx": "must be an SPDX license expression such as MIT or Apache-2.0 OR MIT",
    "cid": "must be an IPFS CID: CIDv0 (Qm…) or CIDv1 in base32, base36 or base58btc (such as bafy…)",
    "email": "must be an email address such as jane@example.org",
    "uri": "must be an absolute URL such as https://example.org/",
    "date-time": "must be an RFC 3339 date and time with a time zone, such as 2025-01-31T12:00:00Z",
}

_NAME_RULE = 'must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'

PATTERN_MESSAGES: dict[str, str] = {
    "^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$": _NAME_RULE,
    "^[a-z0-9][a-z0-9-]{0,31}$": 'must be 1 to 32 characters of lowercase letters, digits or "-", beginning with a letter or digit',
    "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$": "must be a media type written as type/subtype without parameters, such as application/wasm",
    "^[0-9a-f]{64}$": "must be a SHA-256 digest written as 64 lowercase hexadecimal characters",
    "^0x[0-9a-f]{128}$": 'must be "0x" followed by 128 lowercase hexadecimal characters (a 64-byte sr25519 or ed25519 signature)',
    "^0x[0-9a-f]{130}$": 'must be "0x" followed by 130 lowercase hexadecimal characters (a 65-byte ecdsa signature)',
    "^(?:https?|git\\+https|git\\+ssh|ssh)://": "must be a URL starting with https://, http://, git+https://, git+ssh:// or ssh://",
    "^(?:https?|wss?)://": "must be a URL starting with http://, https://, ws:// or wss://",
    "^https?://": "must be a URL starting with https:// or http://",
    "^0x(?:[0-9a-f]{64}|[0-9a-f]{66})$": 'must be a module key: "0x" followed by 64 or 66 lowercase hexadecimal characters (a 32- or 33-byte public key)',
}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


# --- the schema -----------------------------------------------------------------------------------


def _schema_text() -> str:
    """The schema file: the copy inside the installed package, else the repository's (editable installs)."""
    try:
        packaged = importlib.resources.files("modnet").joinpath("schema").joinpath(SCHEMA_FILE)
        if packaged.is_file():
            return packaged.read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
        pass
    repository = Path(__file__).resolve().parents[3] / "schema" / SCHEMA_FILE
    if repository.is_file():
        return repository.read_text("utf-8")
    raise FileNotFoundError(f"{SCHEMA_FILE} is neither in the modnet package nor at {repository}")


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    schema = json.loads(_schema_text())
    if not isinstance(schema, dict):
        raise ValueError(f"{SCHEMA_FILE} is not a JSON object")
    return schema


def module_metadata_json_schema() -> dict[str, Any]:
    """The v1 JSON Schema as a dict (a copy: e.g. for editors or forms)."""
    return copy.deepcopy(_schema())


# --- keywords, as Ajv reports them ----------------------------------------------------------------


class _Problem(ValidationError):
    """A schema error with what its message needs (the keyword and its parameters)."""

    def __init__(self, keyword: str, params: Mapping[str, Any] | None = None, *, path: Sequence[str | int] = ()) -> None:
        super().__init__(f"fails the {keyword!r} rule", validator=keyword, path=path)
        self.keyword = keyword
        self.params: dict[str, Any] = dict(params or {})
        self.property_name: str | None = None


# jsonschema calls keyword functions with the validator (typed loosely: its protocol lacks ``descend``),
# the keyword's value, the instance and the schema.
Keyword = Callable[[Any, Any, Any, dict[str, Any]], Iterator[ValidationError]]


def _type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    names = types if isinstance(types, list) else [types]
    if not any(validator.is_type(instance, name) for name in names):
        yield _Problem("type", {"types": names})


def _required(validator: Any, required: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "object"):
        for name in required:
            if name not in instance:
                yield _Problem("required", path=[name])


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [name for name in instance if name not in known and not any(js_test(pattern, name) for pattern in patterns)]
    if additional is False:
        for name in extras:
            yield _Problem("additionalProperties", path=[name])
    elif isinstance(additional, dict):
        for name in extras:
            yield from validator.descend(instance[name], additional, path=name)


def _property_names(validator: Any, names_schema: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for name in instance:
        for error in validator.descend(instance=name, schema=names_schema):
            problem = error if isinstance(error, _Problem) else _Problem(str(error.validator))
            problem.property_name = name
            yield problem


def _const(validator: Any, const: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not _json_equal(instance, const):
        yield _Problem("const", {"allowedValue": const})


def _enum(validator: Any, enums: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not any(_json_equal(instance, allowed) for allowed in enums):
        yield _Problem("enum", {"allowedValues": list(enums)})


def _string_length(keyword: str, too_short: bool) -> Keyword:
    def check(validator: Any, limit: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and (len(instance) < limit if too_short else len(instance) > limit):
            yield _Problem(keyword, {"limit": limit})

    return check


def _bound(keyword: str, lower: bool) -> Keyword:
    def check(validator: Any, limit: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if validator.is_type(instance, "number") and (instance < limit if lower else instance > limit):
            yield _Problem(keyword, {"limit": limit})

    return check


def _items_count(keyword: str, lower: bool) -> Keyword:
    def check(validator: Any, limit: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if validator.is_type(instance, "array") and (len(instance) < limit if lower else len(instance) > limit):
            yield _Problem(keyword, {"limit": limit})

    return check


def _max_properties(validator: Any, limit: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "object") and len(instance) > limit:
        yield _Problem("maxProperties", {"limit": limit})


def _unique_items(validator: Any, unique: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """Every later copy of an earlier item, as ``duplicateItems`` in validate.ts reports them."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: dict[Any, int] = {}
    for index, item in enumerate(instance):
        key = _json_key(item)
        if key in seen:
            yield _Problem("uniqueItems", {"first": seen[key]}, path=[index])
        else:
            seen[key] = index


def _format(validator: Any, name: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    check = FORMAT_CHECKERS.get(name)
    if check is not None and isinstance(instance, str) and not check(instance):
        yield _Problem("format", {"format": name})


def _pattern(validator: Any, pattern: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not js_test(pattern, instance):
        yield _Problem("pattern", {"pattern": pattern})


_KEYWORDS: dict[str, Keyword] = {
    "type": _type,
    "required": _required,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "const": _const,
    "enum": _enum,
    "minLength": _string_length("minLength", True),
    "maxLength": _string_length("maxLength", False),
    "minimum": _bound("minimum", True),
    "maximum": _bound("maximum", False),
    "minItems": _items_count("minItems", True),
    "maxItems": _items_count("maxItems", False),
    "maxProperties": _max_properties,
    "uniqueItems": _unique_items,
    "format": _format,
    "pattern": _pattern,
}

_MetadataValidator = validators.extend(Draft202012Validator, validators=_KEYWORDS)  # type: ignore[no-untyped-call]


@functools.lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = _schema()
    Draft202012Validator.check_schema(schema)
    return cast(Validator, _MetadataValidator(schema))


# --- JSON equality as JavaScript sees it ----------------------------------------------------------


def _json_key(value: Any) -> Any:
    """A hashable key equal for equal JSON values (1 and 1.0 alike, booleans apart from numbers, key order ignored)."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", _js_number(value))
    if isinstance(value, (list, tuple)):
        return ("array", tuple(_json_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", tuple(sorted((str(k), _json_key(v)) for k, v in value.items())))
    return ("other", id(value))


def _js_number(value: int | float) -> str:
    try:
        return canonical_json(value if isinstance(value, float) or abs(value) <= 2**53 - 1 else float(value))
    except CanonicalEncodingError:
        return repr(value)  # NaN or Infinity: JSON has neither, keep them distinct from numbers


def _json_equal(a: Any, b: Any) -> bool:
    return bool(_json_key(a) == _json_key(b))


# --- errors to issues -----------------------------------------------------------------------------


def _quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _number(value: Any) -> str:
    return _js_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _pointer(tokens: Sequence[str | int]) -> str:
    path = ""
    for token in tokens:
        path = json_pointer(path, token)
    return path


def _to_issue(error: ValidationError) -> ValidationIssue | None:
    tokens = list(error.absolute_path)
    path = _pointer(tokens)
    if isinstance(error, _Problem):
        keyword, params, name = error.keyword, error.params, error.property_name
    else:  # a keyword without a message of its own here (none in schema v1)
        keyword, params, name = str(error.validator), {}, None
    named_path = path if name is None else json_pointer(path, name)
    prefix = "" if name is None else f'{"dependency" if path == "/dependencies" else "property"} name "{name}" '
    if keyword == "required":
        return ValidationIssue(path, f'required property "{tokens[-1]}" is missing')
    if keyword == "additionalProperties":
        hint = ' (extension properties must start with "x-")' if len(tokens) == 1 else ""
        return ValidationIssue(path, f'unknown property "{tokens[-1]}"{hint}')
    if keyword == "type":
        return ValidationIssue(path, "must be " + " or ".join(_TYPE_NAMES.get(t, str(t)) for t in params["types"]))
    if keyword == "const":
        return ValidationIssue(path, f"must be exactly {_quote(params['allowedValue'])}")
    if keyword == "enum":
        return ValidationIssue(path, "must be one of " + ", ".join(_quote(v) for v in params["allowedValues"]))
    if keyword == "minLength":
        limit = params["limit"]
        return ValidationIssue(path, "must not be empty" if limit == 1 else f"must be at least {_plural(limit, 'character')} long")
    if keyword == "maxLength":
        return ValidationIssue(path, f"must be at most {_plural(params['limit'], 'character')} long")
    if keyword == "minimum":
        return ValidationIssue(path, f"must be at least {_number(params['limit'])}")
    if keyword == "maximum":
        return ValidationIssue(path, f"must be at most {_number(params['limit'])}")
    if keyword == "minItems":
        return ValidationIssue(path, f"must have at least {_plural(params['limit'], 'item')}")
    if keyword == "maxItems":
        return ValidationIssue(path, f"must have at most {_plural(params['limit'], 'item')}")
    if keyword == "maxProperties":
        return ValidationIssue(path, f"must have at most {_number(params['limit'])} entries")
    if keyword == "uniqueItems":
        first = params["first"]
        return ValidationIssue(path, f"duplicates item {first} ({json_pointer(_pointer(tokens[:-1]), first)})")
    if keyword == "format":
        fmt = params["format"]
        return ValidationIssue(named_path, prefix + FORMAT_MESSAGES.get(fmt, f"must be in {fmt} format"))
    if keyword == "pattern":
        pattern = params["pattern"]
        return ValidationIssue(named_path, prefix + PATTERN_MESSAGES.get(pattern, f"must match the regular expression {pattern}"))
    if keyword in ("if", "propertyNames"):
        return None
    return ValidationIssue(named_path, f'{prefix}fails the "{keyword}" rule')


# --- the API --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate_metadata` found: ``ok`` and the typed document, or every issue."""

    ok: bool
    issues: list[ValidationIssue] = field(default_factory=list)
    metadata: ModuleMetadata | None = None


def metadata_issues(doc: Any) -> list[ValidationIssue]:
    """Every problem of ``doc`` against the v1 schema and the canonical size limit (none: valid)."""
    issues: list[ValidationIssue] = []
    for error in _validator().iter_errors(doc):
        issue = _to_issue(error)
        if issue is not None:
            issues.append(issue)
    if isinstance(doc, (dict, list, tuple)):
        try:
            size = len(canonical_bytes(doc))
            if size > MAX_METADATA_BYTES:
                issues.append(ValidationIssue("", f"document is {size} bytes in canonical form, more than the {MAX_METADATA_BYTES}-byte limit"))
        except CanonicalEncodingError as error:
            issues.append(ValidationIssue(error.path, f"is not valid JSON data: {error.problem}"))
    return list(dict.fromkeys(issues))  # without repeats, in order


def validate_metadata(doc: Any) -> ValidationResult:
    """Checks ``doc`` (a parsed JSON document) against the v1 metadata schema and the canonical size limit.

    Never raises for bad input: returns every problem found, each with the
    JSON Pointer of the offending value and a plain-words message.
    """
    issues = metadata_issues(doc)
    if issues:
        return ValidationResult(False, issues)
    return ValidationResult(True, [], ModuleMetadata.model_validate(doc))


def assert_valid_metadata(doc: Any) -> ModuleMetadata:
    """Like :func:`validate_metadata`, but returns the typed document or raises.

    :raises MetadataValidationError: listing every issue (``.issues``).
    """
    result = validate_metadata(doc)
    if not result.ok or result.metadata is None:
        raise MetadataValidationError(result.issues)
    return result.metadata
