"""Contact details in free text: e-mail addresses (as the judge packs find them,
render/text.py) and UK phone numbers.

A phone number is 0 and nine or ten more digits, or +44 (with an optional (0)) and nine
or ten digits, with single spaces, dashes or brackets between them as people write them:
'01622 224000', '(01622) 224 000', '+44 (0)7700 900123', '0300-123-4567'. Numbers of
other countries, and numbers written with other separators, are not found.
"""

from __future__ import annotations

import re
from typing import Literal

from ..render.text import EMAIL_ANYWHERE

PHONE = re.compile(r"(?<![\w+])(?:\+44[ \t]?(?:\(0\)[ \t]?)?|\(?0)"
                   r"\d(?:[ \t\-()]{0,2}\d){8,9}(?!\w)")
Kind = Literal["e-mail address", "phone number"]
EMAIL: Kind = "e-mail address"
PHONE_NUMBER: Kind = "phone number"


def contact_details(text: str) -> list[tuple[int, int, Kind]]:
    """Every e-mail address and phone number in `text`: (start, end, kind), in order."""
    found: list[tuple[int, int, Kind]] = [(m.start(), m.end(), EMAIL)
                                          for m in EMAIL_ANYWHERE.finditer(text)]
    taken = [(start, end) for start, end, _ in found]
    for match in PHONE.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            found.append((match.start(), match.end(), PHONE_NUMBER))
    return sorted(found)
