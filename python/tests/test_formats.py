"""The format checks, on samples whose verdicts the TypeScript library gives (test_cross_language.py asks it for many more)."""

from __future__ import annotations

import pytest

from modnet.formats import is_date_time, is_email, is_semver_range, is_semver_version, is_spdx_expression, is_uri
from modnet.formats.jsregex import js_test, js_trim
from modnet.formats.spdx import Conjunction, License, parse_spdx_expression


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1.2.3", True),
        ("2.0.0-rc.1+build.5", True),
        ("0.0.0", True),
        ("9007199254740991.0.0", True),
        ("9007199254740992.0.0", False),  # beyond npm semver's safe integers
        ("v1.2.3", False),
        ("1.2", False),
        ("01.2.3", False),
        ("1.2.3-01", False),
        (" 1.2.3", False),
        ("1.2.3\n", False),  # Python's $ would accept this
        ("١.٢.٣", False),  # Arabic-Indic digits: Python's \d would accept them
        ("1.2.3-" + "a" * 250, True),  # 256 characters: the limit
        ("1.2.3-" + "a" * 251, False),  # longer than 256
    ],
)
def test_semver_versions(value: str, ok: bool) -> None:
    assert is_semver_version(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("^1.2.0", True),
        ("~2.1", True),
        (">=1.0.0 <2.0.0", True),
        ("1.x || 2.x", True),
        ("*", True),
        ("1.2.3 - 2.3.4", True),
        ("> 1.2.3", True),
        ("1.2.3 ||", True),
        ("", False),
        ("  ", False),
        ("latest", False),
        ("^01.2.3", False),
        ("1.*.3", False),
        ("^9007199254740992", False),
        (">", False),
        ("=", False),
    ],
)
def test_semver_ranges(value: str, ok: bool) -> None:
    assert is_semver_range(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("MIT", True),
        ("Apache-2.0 OR MIT", True),
        ("(MIT AND BSD-3-Clause) OR Apache-2.0", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("GPL-2.0+", True),
        ("LicenseRef-Proprietary", True),
        ("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", True),
        ("mit and apache-2.0", False),  # identifiers are case-sensitive
        ("MIT and Apache-2.0", True),  # operators are not
        ("mit", False),
        ("MIT OR", False),
        ("GPL-2.0 +", False),
        ("MIT WITH Apache-2.0", False),
        ("(MIT", False),
        ("", False),
        ("Nonsense-1.0", False),
    ],
)
def test_spdx_expressions(value: str, ok: bool) -> None:
    assert is_spdx_expression(value) is ok


def test_spdx_parse_tree() -> None:
    assert parse_spdx_expression("MIT OR Apache-2.0 AND BSD-2-Clause") == Conjunction(
        "or", License("MIT"), Conjunction("and", License("Apache-2.0"), License("BSD-2-Clause"))
    )
    assert parse_spdx_expression("GPL-2.0+ WITH Bison-exception-2.2") == License("GPL-2.0", plus=True, exception="Bison-exception-2.2")


def test_deeply_parenthesised_spdx_within_the_length_limit_is_parsed() -> None:
    assert is_spdx_expression("(" * 250 + "MIT" + ")" * 250)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("jane@example.org", True),
        ("a.b+c@sub.example.co", True),
        ("nope", False),
        ("jane@example", False),  # the host needs a dot
        ("jane@@example.org", False),
        ("jané@example.org", False),
        ("jane@example.org\n", False),
    ],
)
def test_email(value: str, ok: bool) -> None:
    assert is_email(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org/", True),
        ("git+ssh://git@github.com/a/b.git", True),
        ("urn:isbn:123", True),
        ("https://example.org/a b", False),
        ("example.org", False),
        ("https://[::1]:8080/x?y#z", True),
        ("https://exämple.org/", False),
    ],
)
def test_uri(value: str, ok: bool) -> None:
    assert is_uri(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-01-31T12:00:00Z", True),
        ("2025-01-31t12:00:00.123+01:00", True),
        ("2025-01-31 12:00:00Z", True),
        ("2024-02-29T00:00:00Z", True),
        ("2025-02-29T00:00:00Z", False),
        ("2025-13-01T00:00:00Z", False),
        ("2025-01-31T12:00:00", False),  # no time zone
        ("2025-01-31T23:59:60Z", True),  # a leap second
        ("2025-01-31T22:59:60-01:00", True),
        ("2025-01-31T12:59:60Z", False),
        ("2025-01-31T24:00:00Z", False),
        ("2025-01-31\u00a012:00:00Z", True),  # JavaScript's \s includes NBSP
        ("2025-01-31\x1c12:00:00Z", False),  # Python's str.isspace() would say yes
    ],
)
def test_date_time(value: str, ok: bool) -> None:
    assert is_date_time(value) is ok


def test_javascript_regex_semantics() -> None:
    assert not js_test("^[0-9a-f]{4}$", "abcd\n")
    assert js_test("^a.c$", "abc") and not js_test("^a.c$", "a\rc") and not js_test("^a.c$", "a\u2028c")
    assert js_test("^\\s$", "\ufeff") and not js_test("^\\s$", "\x85")
    assert js_trim("\ufeff\u2028 x \u00a0") == "x"
