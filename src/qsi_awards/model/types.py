"""The value types every file kind shares: IDs, text, e-mail addresses, dates, scores.

Types are strict: a quoted "9" is not a score, `yes` is not true, and a date is a real
YYYY-MM-DD date. Numbers are bounded (MAX_NUMBER) so that every sum and rounding in
the tally stays exact and finite.
"""

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# An e-mail address: a dot-atom local part (RFC 5322: letters, digits and !#$%&'*+/=?^_`{|}~-,
# dots only between them), then a domain of dot-separated labels (letters, digits, inner
# dashes, at most 63 each) ending in a top-level domain of two or more characters that
# starts with a letter; ASCII only, at most 254 characters in all (EMAIL_MAX). Python's re,
# the Rust regex engine in pydantic-core and ECMA-262 (editors' JSON Schema validators)
# read this pattern the same way: no look-arounds, no escapes inside the classes.
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = (rf"^{_ATEXT}(?:\.{_ATEXT})*@(?:{_LABEL}\.)+"
                 r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$")
EMAIL_MAX = 254
HASHTAG_PATTERN = r"^#[A-Za-z0-9_]+$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

_DATE_RE = re.compile(DATE_PATTERN)
# The largest number any field takes (weights, thresholds, counts, the scale's ends):
# far beyond any real programme, and small enough that every score, sum and rounding
# in the tally stays exact and finite.
MAX_NUMBER = 1_000_000


def _iso_date(value: Any) -> Any:
    """Accept only the text YYYY-MM-DD (or a date); never a number or other format."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        return dt.date.fromisoformat(value)
    raise ValueError("expected a date written as YYYY-MM-DD")


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Email = Annotated[
    str,
    StringConstraints(pattern=EMAIL_PATTERN, max_length=EMAIL_MAX),
    Field(json_schema_extra={"format": "email"}),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
# A care setting or a theme: an ID from programme.yaml's settings: or themes:. A schema
# cannot list a programme's own values, so `qsi validate` checks them (checks/taxonomy.py).
SettingId = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description=(
    "A care setting's ID from programme.yaml settings: (default primary, secondary, "
    "community). This schema cannot list a programme's own settings; qsi validate checks "
    "the value."))]
ThemeId = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description=(
    "A theme's ID from programme.yaml themes: (default safety, qi). This schema cannot list "
    "a programme's own themes; qsi validate checks the value."))]
Score = StrictInt | None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
