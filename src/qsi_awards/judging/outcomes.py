"""What happened to an entry, in the words its letter is chosen by: one of OUTCOMES.

An entry that left the awards is decided by that first, whatever the tally says of it:
withdrawn by its team (`withdrawn:`), or disqualified by the programme team
(`disqualified:`, so `ineligible`). Otherwise its award in the tally: winner, highly
commended, shortlisted, or not shortlisted (no award).
"""

from __future__ import annotations

from typing import Literal

from ..model import EntryFile

Outcome = Literal["winner", "highly-commended", "shortlisted", "not-shortlisted",
                  "withdrawn", "ineligible"]
OUTCOMES: tuple[Outcome, ...] = ("winner", "highly-commended", "shortlisted",
                                 "not-shortlisted", "withdrawn", "ineligible")
# the outcomes that are results: embargoed until they are released (judging/release.py)
RESULTS: frozenset[Outcome] = frozenset({"winner", "highly-commended", "shortlisted",
                                         "not-shortlisted"})
_BY_AWARD: dict[str | None, Outcome] = {
    "winner": "winner", "highly_commended": "highly-commended", "shortlisted": "shortlisted",
    None: "not-shortlisted"}


def outcome(front: EntryFile, award: str | None) -> Outcome:
    """The entry's outcome, given its award in the tally (None: none)."""
    if front.withdrawn is not None:
        return "withdrawn"
    if front.disqualified is not None:
        return "ineligible"
    return _BY_AWARD.get(award, "not-shortlisted")
