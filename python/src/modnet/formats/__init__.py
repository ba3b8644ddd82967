"""Format checks of the metadata schema, matching ``lib/types/validate.ts`` string for string.

``semver`` and ``semver-range`` (npm semver 7 rules), ``spdx``
(spdx-expression-parse), ``email``, ``uri`` and ``date-time`` (ajv-formats,
full mode); ``cid`` lives in :mod:`modnet.cid`. Each checker takes a string
and says whether it has the format.
"""

from .semver import is_semver_range, is_semver_version
from .spdx import is_spdx_expression, parse_spdx_expression
from .web import is_date_time, is_email, is_uri

__all__ = [
    "is_date_time",
    "is_email",
    "is_semver_range",
    "is_semver_version",
    "is_spdx_expression",
    "is_uri",
    "parse_spdx_expression",
]
