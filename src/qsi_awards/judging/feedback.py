"""How one entry scored against its category, for its feedback report: pure, over a
round's tally.

For the entry's score (the tally's entry score) and for each criterion (the mean of its
counted judgements' scores on that criterion), the entry's value beside its category's
median and quartiles, over the entries of the category that have a score (entries
withdrawn or disqualified left out).

Quartiles are worked out as a spreadsheet's QUARTILE.INC does (and Python's
`statistics.quantiles(..., method="inclusive")`): sort the n values; the quartile q
(1/4, 1/2, 3/4) is at position (n − 1)·q, counting from 0, and between two values it is
read off the straight line between them. For 1, 2, 3, 4: Q1 1.75, median 2.5, Q3 3.25.
One value is its own median and quartiles. Exact: Fractions throughout.

A category with fewer than MIN_FIELD scored entries is not compared: its quartiles would
all but give its few other entries' scores away.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .tally import CategoryResult, EntryResult, Number, exact

MIN_FIELD = 5  # the fewest scored entries a category is compared over


@dataclass(frozen=True)
class Quartiles:
    q1: Fraction
    median: Fraction
    q3: Fraction


def quartiles(values: Sequence[Fraction]) -> Quartiles | None:
    """The quartiles of `values` (the module docstring's method); None for none."""
    if not values:
        return None
    ordered = sorted(values)

    def at(q: Fraction) -> Fraction:
        position = (len(ordered) - 1) * q
        below = int(position)  # floor: position is never negative
        fraction = position - below
        if fraction == 0:
            return ordered[below]
        return ordered[below] + (ordered[below + 1] - ordered[below]) * fraction

    return Quartiles(at(Fraction(1, 4)), at(Fraction(1, 2)), at(Fraction(3, 4)))


@dataclass(frozen=True)
class Compared:
    """One score of the entry against its category: `key` is "score" or a criterion ID."""

    key: str
    value: Fraction | None  # None: the entry has no counted judgement
    spread: Quartiles | None  # None: no entry of the category has a score
    entries: int  # how many entries of the category the quartiles are over


@dataclass(frozen=True)
class Standing:
    """The entry's score and criterion scores in one round, against its category."""

    score: Compared
    criteria: list[Compared]
    judgements: int  # how many judgements of the entry counted


def _criterion_mean(result: EntryResult, criterion: str) -> Fraction | None:
    marks = [js.scores[criterion] for js in result.judgements if criterion in js.scores]
    return Fraction(sum(marks), len(marks)) if marks else None


def _score(result: EntryResult) -> Fraction | None:
    value: Number | None = result.score
    return exact(value) if value is not None else None


Spreads = dict[str, tuple[Quartiles | None, int]]  # "score" or criterion -> (quartiles, n)


def spreads(category: CategoryResult, criteria: Sequence[str],
            left_out: Collection[str] = ()) -> Spreads:
    """The quartiles of a category's entry scores and mean criterion scores, over its
    entries with a score, those in `left_out` (withdrawn, disqualified) excluded, with how
    many entries each is over."""
    field = [r for r in category.entries if r.entry not in left_out and r.score is not None]

    def spread(values: list[Fraction | None]) -> tuple[Quartiles | None, int]:
        present = [v for v in values if v is not None]
        return quartiles(present), len(present)

    found = {"score": spread([_score(r) for r in field])}
    for criterion in criteria:
        found[criterion] = spread([_criterion_mean(r, criterion) for r in field])
    return found


def standing(result: EntryResult, criteria: Sequence[str], spread: Spreads) -> Standing:
    """How an entry scored, against its category's `spread` (see spreads)."""
    return Standing(
        Compared("score", _score(result), *spread["score"]),
        [Compared(c, _criterion_mean(result, c), *spread[c]) for c in criteria],
        len(result.judgements))
