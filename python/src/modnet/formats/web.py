"""The ``email``, ``uri`` and ``date-time`` formats, as ajv-formats 3 checks them ("full" mode).

``lib/types/validate.ts`` adds these three formats from ajv-formats; these are
its regular expressions and functions, translated to Python with JavaScript's
matching rules (:mod:`.jsregex`).
"""

from __future__ import annotations

from .jsregex import compile_js

_EMAIL = compile_js(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    ignore_case=True,
)

_URI = compile_js(
    r"^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$",
    ignore_case=True,
)
_NOT_URI_FRAGMENT = compile_js(r"\/|:")

_DATE = compile_js(r"^(\d\d\d\d)-(\d\d)-(\d\d)$")
_TIME = compile_js(r"^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$", ignore_case=True)
_DATE_TIME_SEPARATOR = compile_js(r"t|\s", ignore_case=True)
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

def is_email(value: str) -> bool:
    """ajv-formats' full ``email``: dot-atom local part, hostname of letters, digits and hyphens."""
    return _EMAIL.search(value) is not None


def is_uri(value: str) -> bool:
    """ajv-formats' full ``uri``: an absolute URI (RFC 3986) with a ``/`` or ``:`` in it."""
    return _NOT_URI_FRAGMENT.search(value) is not None and _URI.search(value) is not None


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _is_date(value: str) -> bool:
    match = _DATE.search(value)
    if match is None:
        return False
    year, month, day = (int(group) for group in match.groups())
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and _is_leap_year(year) else _DAYS[month])


def _is_time_with_zone(value: str) -> bool:
    match = _TIME.search(value)
    if match is None:
        return False
    hour, minute = int(match.group(1)), int(match.group(2))
    second = float(match.group(3))
    zone = match.group(4)
    sign = -1 if match.group(5) == "-" else 1
    zone_hours = int(match.group(6) or 0)
    zone_minutes = int(match.group(7) or 0)
    if zone_hours > 23 or zone_minutes > 59 or not zone:
        return False
    if hour <= 23 and minute <= 59 and second < 60:
        return True
    # A leap second: 23:59:60 in UTC.
    utc_minute = minute - zone_minutes * sign
    utc_hour = hour - zone_hours * sign - (1 if utc_minute < 0 else 0)
    return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61


def is_date_time(value: str) -> bool:
    """ajv-formats' full ``date-time``: an RFC 3339 date and time with a time zone (leap seconds checked)."""
    parts = _DATE_TIME_SEPARATOR.split(value)
    return len(parts) == 2 and _is_date(parts[0]) and _is_time_with_zone(parts[1])
