"""The Schulze method (README "How a ranked round is counted"), exactly, in integers. Pure.

1. d[X,Y]: the voters with a say on the pair who rank X above Y. A ballot ranks tie
   groups, best first; candidates it leaves out tie below every ranked one; a voter
   conflicted with a candidate has no say on any pair that candidate is in.
2. A link X->Y has strength d[X,Y] when d[X,Y] > d[Y,X], else 0 ("winning votes");
   p[X,Y] is the strength of the strongest path from X to Y, a path being as strong as
   its weakest link (the widest-path Floyd-Warshall).
3. X beats Y when p[X,Y] > p[Y,X]. Schulze proved this relation transitive.
4. The ranking is that relation itself, never "remove the winners and count again":
   candidates neither of whom beats the other are tied, and so is every candidate linked
   to them by such ties. The tie groups are then in a line, each one's candidates
   beating every candidate of every group below it, so ties are reported, never broken.

Borda (n-1 ... 0 points by place, tied places sharing their points) comes from the same
counts: X gets 1 for each voter who ranks it above Y and 1/2 for each who ties them, over
every other Y. It explains the order; it never decides it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Pair = tuple[str, str]


@dataclass(frozen=True)
class Ballot:
    """One voter's ranking: tie groups, best first. `count` voters cast it (a ballot group
    of `qsi vote`); `excluded` are the candidates the voter has no say on (conflicts)."""

    groups: tuple[frozenset[str], ...]
    excluded: frozenset[str] = frozenset()
    count: int = 1


@dataclass(frozen=True)
class Count:
    candidates: tuple[str, ...]  # sorted
    pairwise: dict[Pair, int]  # d[X,Y]
    say: dict[Pair, int]  # the voters with a say on {X, Y}
    strongest: dict[Pair, int]  # p[X,Y]
    ranking: tuple[tuple[str, ...], ...]  # tie groups, best first, each sorted
    borda: dict[str, Fraction] = field(default_factory=dict)


def count(candidates: Iterable[str], ballots: Iterable[Ballot]) -> Count:
    """The Schulze count of `ballots` over `candidates` (names on a ballot that are not
    candidates are ignored)."""
    names = tuple(sorted(set(candidates)))
    pairwise = {(x, y): 0 for x in names for y in names if x != y}
    say = dict(pairwise)
    for ballot in ballots:
        place: dict[str, int] = {}
        for position, group in enumerate(ballot.groups):
            for name in group:
                place.setdefault(name, position)
        bottom = len(ballot.groups)
        counted = [name for name in names if name not in ballot.excluded]
        for i, x in enumerate(counted):
            px = place.get(x, bottom)
            for y in counted[i + 1:]:
                py = place.get(y, bottom)
                say[x, y] += ballot.count
                say[y, x] += ballot.count
                if px < py:
                    pairwise[x, y] += ballot.count
                elif py < px:
                    pairwise[y, x] += ballot.count
    strongest = {(x, y): pairwise[x, y] if pairwise[x, y] > pairwise[y, x] else 0
                 for (x, y) in pairwise}
    for via in names:
        for start in names:
            if start == via:
                continue
            through = strongest[start, via]
            if not through:
                continue
            for end in names:
                if end != start and end != via:
                    width = min(through, strongest[via, end])
                    if width > strongest[start, end]:
                        strongest[start, end] = width
    borda = {x: sum((Fraction(2 * pairwise[x, y] + say[x, y] - pairwise[x, y]
                              - pairwise[y, x], 2) for y in names if y != x), Fraction(0))
             for x in names}
    return Count(names, pairwise, say, strongest, _ranking(names, strongest), borda)


def _ranking(names: Sequence[str], strongest: dict[Pair, int]) -> tuple[tuple[str, ...], ...]:
    """The tie groups of the beats relation, best first: a group is the candidates linked
    by chains of 'neither beats the other'; a group above beats every group below."""
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for i, x in enumerate(names):
        for y in names[i + 1:]:
            if strongest[x, y] == strongest[y, x]:
                parent[root(x)] = root(y)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(root(name), []).append(name)
    wins = {x: sum(1 for y in names if y != x and strongest[x, y] > strongest[y, x])
            for x in names}
    # every candidate of a higher group beats more candidates than any of a lower one
    ordered = sorted(groups.values(), key=lambda group: (-min(wins[x] for x in group), group))
    return tuple(tuple(sorted(group)) for group in ordered)
