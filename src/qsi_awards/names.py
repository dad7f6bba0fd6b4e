"""Names as a person reads them: the one comparison for organisation names (conflicts of
interest, adopting organisations, counts) and section titles."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """`text` folded so that names a person reads as the same compare equal:

    - Unicode compatibility forms are one (NFKC: full-width 'Ｔｒｕｓｔ', the ligature 'ﬁ'
      and a composed or decomposed 'é' read as 'Trust', 'fi' and 'é');
    - case is ignored (casefold, so 'STRASSE' is 'straße');
    - invisible format characters (zero-width spaces and joiners, soft hyphens, direction
      marks) are dropped;
    - every run of white space (line breaks, tabs, non-breaking and other Unicode spaces)
      is one space, with none at either end.

    Nothing else: punctuation, '&' against 'and', and abbreviations still differ."""
    if text.isascii():
        return " ".join(text.casefold().split())
    text = "".join(char for char in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(char) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())
