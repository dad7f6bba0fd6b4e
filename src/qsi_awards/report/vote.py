"""`qsi vote`'s reporters (a Schulze count of any ballots) and the tables of a count,
which `qsi tally --explain` shows for a ranked round too. Deterministic."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..controls import escaped
from ..judging.schulze import Count
from . import Reporter, json_text, writing


def number(value: Fraction | int) -> int | float:
    """A count or Borda total for JSON: whole numbers as integers, halves as 12.5."""
    value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)


def matrix(result: Count, which: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    names = result.candidates
    return {x: {y: which[x, y] for y in names if y != x} for x in names}


def as_dict(result: Count) -> dict[str, Any]:
    return {
        "ranking": [list(group) for group in result.ranking],
        "pairwise": matrix(result, result.pairwise),
        "strongest": matrix(result, result.strongest),
        "borda": {name: number(result.borda[name]) for name in result.candidates},
    }


def to_json(result: Count) -> str:
    return json_text(as_dict(result))


def ranking_line(result: Count) -> str:
    """'1. e  2. a = b  4. c': places, tied candidates sharing one."""
    parts, place = [], 1
    for group in result.ranking:
        parts.append(f"{place}. {' = '.join(group)}")
        place += len(group)
    return "  ".join(parts)


def table(result: Count, which: dict[tuple[str, str], int], corner: str) -> list[str]:
    """A square table: the row's candidate over the column's."""
    names = result.candidates
    width = max([len(corner), *(len(n) for n in names), *(len(str(v)) for v in which.values())])
    lines = ["  ".join([corner.ljust(width), *(n.rjust(width) for n in names)])]
    for x in names:
        cells = ["—".rjust(width) if x == y else str(which[x, y]).rjust(width) for y in names]
        lines.append("  ".join([x.ljust(width), *cells]))
    return lines


def explanation(result: Count) -> list[str]:
    """The count, step by step, for people."""
    lines = ["Ranking (Schulze; '=' is a tie, never broken): " + ranking_line(result), "",
             "Pairwise counts d[X,Y]: how many rank the row's X above the column's Y"]
    lines += ["  " + line for line in table(result, result.pairwise, "d")]
    lines += ["", "Strongest paths p[X,Y]: X beats Y when p[X,Y] > p[Y,X]"]
    lines += ["  " + line for line in table(result, result.strongest, "p")]
    borda = sorted(result.candidates, key=lambda n: (-result.borda[n], n))
    lines += ["", "Borda (n-1 ... 0 points, ties shared; explains, never decides): "
              + ", ".join(f"{n} {number(result.borda[n])}" for n in borda)]
    return lines


def to_text(result: Count) -> str:
    return escaped("\n".join(explanation(result)) + "\n")


REPORTERS: dict[str, Reporter[Count]] = {"text": writing(to_text), "json": writing(to_json)}
