"""The Schulze count (judging/schulze.py) and `qsi vote`: published examples worked by
hand in the tests, and properties checked against an independent implementation
(schulze-condorcet, a test-only dependency)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schulze_condorcet import pairwise_preference, schulze_evaluate

from conftest import EXAMPLES, run_cli
from qsi_awards.judging.schulze import Ballot, Count, count

VOTES = EXAMPLES / "votes"


def ballots(profile: list[tuple[int, str]]) -> list[Ballot]:
    """'acbed' -> a > c > b > e > d, one letter a candidate."""
    return [Ballot(tuple(frozenset(c) for c in order), count=n) for n, order in profile]


WIKIPEDIA = [(5, "acbed"), (5, "adecb"), (8, "bedac"), (3, "cabed"), (7, "caebd"),
             (2, "cbade"), (7, "dceba"), (8, "ebadc")]
SCHULZE_30 = [(3, "acdb"), (9, "bacd"), (8, "cdab"), (5, "dabc"), (5, "dbca")]


def matrix(rows: str) -> dict[tuple[str, str], int]:
    """A table written as in the article: a row per candidate, '-' on the diagonal."""
    lines = [line.split() for line in rows.strip().splitlines()]
    names = lines[0]
    return {(row[0], names[j]): int(value) for row in lines[1:]
            for j, value in enumerate(row[1:]) if value != "-"}


def test_wikipedia_45_voters() -> None:
    """Wikipedia's example: the pairwise table d and the strongest paths p as the article
    prints them, the order E > A > C > B > D, and Borda E 102, A 98, B 92, C 89, D 69."""
    result = count("abcde", ballots(WIKIPEDIA))
    assert result.pairwise == matrix("""
        a  b  c  d  e
    a   -  20 26 30 22
    b   25 -  16 33 18
    c   19 29 -  17 24
    d   15 12 28 -  14
    e   23 27 21 31 -""")
    assert result.strongest == matrix("""
        a  b  c  d  e
    a   -  28 28 30 24
    b   25 -  28 33 24
    c   25 29 -  29 24
    d   25 28 28 -  24
    e   25 28 28 31 -""")
    assert result.ranking == (("e",), ("a",), ("c",), ("b",), ("d",))
    # Borda: 4 points for a first place ... 0 for a last, summed over the voter groups
    by_hand = {c: sum(n * (4 - order.index(c)) for n, order in WIKIPEDIA) for c in "abcde"}
    assert by_hand == {"e": 102, "a": 98, "b": 92, "c": 89, "d": 69}
    assert result.borda == {c: Fraction(v) for c, v in by_hand.items()}


def test_schulze_30_voters_ranks_by_the_beats_relation() -> None:
    """Schulze's five groups: d[A,B] = 3 + 8 + 5 = 16 against d[B,A] = 9 + 5 = 14, but
    B's strongest path to A, B -> C -> D -> A, is min(19, 20, 18) = 18 and A's strongest
    to B, A -> C -> D -> B, is min(17, 20, 21) = 17, so B beats A. The beats relation
    orders C > D > B > A; removing winners one at a time (what schulze-condorcet does)
    gives C > D > A > B."""
    result = count("abcd", ballots(SCHULZE_30))
    # d by hand: a voter group counts for X over Y when X comes first in its order
    assert result.pairwise[("a", "b")] == 3 + 8 + 5 == 16
    assert result.pairwise[("b", "a")] == 9 + 5 == 14
    assert result.pairwise[("d", "b")] == 3 + 8 + 5 + 5 == 21
    assert result.pairwise[("b", "c")] == 9 + 5 + 5 == 19
    assert result.pairwise[("c", "d")] == 3 + 9 + 8 == 20
    assert result.pairwise[("d", "a")] == 8 + 5 + 5 == 18
    assert result.pairwise[("a", "c")] == 3 + 9 + 5 == 17
    assert result.strongest[("b", "a")] == 18
    assert result.strongest[("a", "b")] == 17
    assert result.ranking == (("c",), ("d",), ("b",), ("a",))
    removal = schulze_evaluate([">".join(order) for n, order in SCHULZE_30 for _ in range(n)],
                               ["a", "b", "c", "d"])
    assert removal == "c>d>a>b"


def test_reversed_ballots_reverse_the_order() -> None:
    """Why the beats relation and not removal: turned upside down, the 30 ballots give
    exactly the reverse, A > B > D > C; removing winners gives A > B > D > C too, so it
    puts A above B both ways round."""
    reverse = [(n, order[::-1]) for n, order in SCHULZE_30]
    assert count("abcd", ballots(reverse)).ranking == (("a",), ("b",), ("d",), ("c",))
    removal = schulze_evaluate([">".join(order) for n, order in reverse for _ in range(n)],
                               ["a", "b", "c", "d"])
    assert removal == "a>b>d>c"


def test_ties_and_partial_ballots() -> None:
    """One a > b and one b > a: a tie, reported as one place. A ballot ranking only a
    puts b and c equal below it."""
    tied = count("ab", [Ballot((frozenset("a"), frozenset("b"))),
                        Ballot((frozenset("b"), frozenset("a")))])
    assert tied.ranking == (("a", "b"),)
    assert tied.borda == {"a": Fraction(1), "b": Fraction(1)}
    partial = count("abc", [Ballot((frozenset("a"),))])
    assert partial.pairwise == {("a", "b"): 1, ("a", "c"): 1, ("b", "a"): 0, ("b", "c"): 0,
                                ("c", "a"): 0, ("c", "b"): 0}
    assert partial.ranking == (("a",), ("b", "c"))
    # Borda with n-1 = 2: a first (2), b and c share second and third ((1 + 0) / 2 each)
    assert partial.borda == {"a": 2, "b": Fraction(1, 2), "c": Fraction(1, 2)}


def test_a_chain_of_ties_is_one_group() -> None:
    """a beats c, but neither a nor b beats the other, nor b and c: a, b and c share a
    place (a ranking never separates what the relation does not)."""
    profile = [Ballot((frozenset("a"), frozenset("b"), frozenset("c"))),
               Ballot((frozenset("b"), frozenset("a"))),  # c unranked: below a and b
               Ballot((frozenset("c"), frozenset("b"), frozenset("a")))]
    result = count("abc", profile)
    # d by hand: a>b 1, b>a 2; a>c 2, c>a 1; b>c 2, c>b 1 -> b beats a and c, a beats c
    assert result.pairwise[("b", "a")] == 2 and result.pairwise[("a", "c")] == 2
    assert result.ranking == (("b",), ("a",), ("c",))
    loop = [Ballot((frozenset("a"), frozenset("b"), frozenset("c"))),
            Ballot((frozenset("b"), frozenset("c"), frozenset("a"))),
            Ballot((frozenset("c"), frozenset("a"), frozenset("b")))]
    assert count("abc", loop).ranking == (("a", "b", "c"),)  # a cycle of 2-to-1 wins


def test_a_conflicted_voter_has_no_say_on_that_candidates_pairs() -> None:
    """The second voter is conflicted with a: their ballot counts for b over c only."""
    result = count("abc", [Ballot((frozenset("a"), frozenset("b"), frozenset("c"))),
                           Ballot((frozenset("a"), frozenset("c"), frozenset("b")),
                                  excluded=frozenset("a"))])
    assert result.pairwise[("a", "b")] == 1 and result.say[("a", "b")] == 1
    assert result.pairwise[("c", "b")] == 1 and result.say[("b", "c")] == 2


# qsi vote ---------------------------------------------------------------------------


def test_qsi_vote_json_wikipedia() -> None:
    result = run_cli(["vote", VOTES / "wikipedia.txt", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["ranking"] == [["e"], ["a"], ["c"], ["b"], ["d"]]
    assert document["pairwise"]["a"] == {"b": 20, "c": 26, "d": 30, "e": 22}
    assert document["strongest"]["e"] == {"a": 25, "b": 28, "c": 28, "d": 31}
    assert document["borda"] == {"a": 98, "b": 92, "c": 89, "d": 69, "e": 102}


def test_qsi_vote_text_schulze_30() -> None:
    result = run_cli(["vote", VOTES / "schulze-30.txt"])
    assert result.exit_code == 0, result.output
    assert "1. c  2. d  3. b  4. a" in result.stdout
    assert "Borda" in result.stdout


def test_qsi_vote_ties_and_halves(tmp_path: Path) -> None:
    path = tmp_path / "ballots.txt"
    path.write_text("2: a > b = c  # b and c tied\n1: c\n", "utf-8")
    document = json.loads(run_cli(["vote", path, "--format", "json"]).stdout)
    # d: a>b 2, a>c 2, c>a 1, c>b 1 (b and c tie on two ballots, a and b on one).
    # Borda (2, 1, 0 points): 2 x (a 2, b and c (1 + 0) / 2 each), then c 2, a and b
    # (1 + 0) / 2 each: a 4.5, b 1.5, c 3
    assert document["ranking"] == [["a"], ["c"], ["b"]]
    assert document["borda"] == {"a": 4.5, "b": 1.5, "c": 3}


def test_qsi_vote_reports_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "ballots.txt"
    path.write_text("3: a > > b\nthree: a\n2 a > b\n1: a = A\n1: a > a\n5: a > b\n", "utf-8")
    result = run_cli(["vote", path])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if "vote-line" in line]
    assert [line.split(": vote-line")[0] for line in lines] == [
        f"{path}:1:8", f"{path}:2:1", f"{path}:3:1", f"{path}:4:8", f"{path}:5:8"]
    assert "Traceback" not in result.output


def test_qsi_vote_cannot_read(tmp_path: Path) -> None:
    result = run_cli(["vote", tmp_path / "missing.txt"])
    assert result.exit_code == 2
    assert "There is no file" in result.stderr


# Properties, against schulze-condorcet ------------------------------------------------

NAMES = ["a", "b", "c", "d", "e"]


@st.composite
def profiles(draw: st.DrawFn) -> tuple[list[str], list[Ballot]]:
    """Candidates, and full ballots with ties (every candidate in a group)."""
    names = NAMES[: draw(st.integers(2, 5))]
    out = []
    for _ in range(draw(st.integers(1, 7))):
        order = draw(st.permutations(names))
        cuts = draw(st.lists(st.booleans(), min_size=len(names) - 1, max_size=len(names) - 1))
        groups: list[set[str]] = [{order[0]}]
        for name, cut in zip(order[1:], cuts, strict=True):
            if cut:
                groups.append({name})
            else:
                groups[-1].add(name)
        out.append(Ballot(tuple(frozenset(g) for g in groups), count=draw(st.integers(1, 4))))
    return names, out


def vote_string(ballot: Ballot) -> str:
    return ">".join("=".join(sorted(group)) for group in ballot.groups)


def same(left: Count, right: Count) -> bool:
    return (left.pairwise, left.strongest, left.ranking, left.borda) == (
        right.pairwise, right.strongest, right.ranking, right.borda)


@settings(max_examples=300, deadline=None)
@given(profiles(), st.randoms(use_true_random=False))
def test_ballot_and_candidate_order_never_matter(profile: tuple[list[str], list[Ballot]],
                                                 rng: object) -> None:
    names, cast = profile
    shuffled_ballots = list(cast)
    shuffled_names = list(names)
    rng.shuffle(shuffled_ballots)  # type: ignore[attr-defined]
    rng.shuffle(shuffled_names)  # type: ignore[attr-defined]
    assert same(count(names, cast), count(shuffled_names, shuffled_ballots))


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_agrees_with_schulze_condorcet(profile: tuple[list[str], list[Ballot]]) -> None:
    """The same pairwise counts; the oracle's winners (beaten by nobody) are in the first
    group; and where qsi's order is strict, the oracle's first winner is qsi's."""
    names, cast = profile
    strings = [vote_string(b) for b in cast for _ in range(b.count)]
    result = count(names, cast)
    assert pairwise_preference(strings, names) == {
        (x, y): 0 if x == y else result.pairwise[x, y] for x in names for y in names}
    winners = schulze_evaluate(strings, names).split(">")[0].split("=")
    assert set(winners) <= set(result.ranking[0])
    if len(result.ranking[0]) == 1:
        assert winners == list(result.ranking[0])


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_a_condorcet_winner_always_wins(profile: tuple[list[str], list[Ballot]]) -> None:
    names, cast = profile
    result = count(names, cast)
    for x in names:
        if all(result.pairwise[x, y] > result.pairwise[y, x] for y in names if y != x):
            assert result.ranking[0] == (x,)


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_reversing_every_ballot_reverses_the_order(
        profile: tuple[list[str], list[Ballot]]) -> None:
    names, cast = profile
    reverse = [Ballot(b.groups[::-1], count=b.count) for b in cast]
    assert count(names, reverse).ranking == count(names, cast).ranking[::-1]


@settings(max_examples=300, deadline=None)
@given(profiles(), st.data())
def test_a_conflicted_ballot_has_no_say_on_the_candidates_pairs(
        profile: tuple[list[str], list[Ballot]], data: st.DataObject) -> None:
    """However the conflicted voter places the candidate, nothing changes; and every pair
    with it is counted from the other ballots alone."""
    names, cast = profile
    who = data.draw(st.sampled_from(names))
    voter = data.draw(st.integers(0, len(cast) - 1))
    conflicted = Ballot(cast[voter].groups, frozenset({who}), cast[voter].count)
    moved_order = [g - {who} for g in cast[voter].groups if g - {who}]
    spot = data.draw(st.integers(0, len(moved_order)))
    moved = Ballot((*moved_order[:spot], frozenset({who}), *moved_order[spot:]),
                   frozenset({who}), cast[voter].count)
    first = count(names, [*cast[:voter], conflicted, *cast[voter + 1:]])
    second = count(names, [*cast[:voter], moved, *cast[voter + 1:]])
    assert same(first, second)
    others = count(names, cast[:voter] + cast[voter + 1:])
    for y in names:
        if y != who:
            assert first.pairwise[who, y] == others.pairwise[who, y]
            assert first.pairwise[y, who] == others.pairwise[y, who]


@pytest.mark.parametrize("name", ["wikipedia.txt", "schulze-30.txt"])
def test_vote_files_count_as_the_pure_function(name: str) -> None:
    from qsi_awards.load.votes import read

    votes = read(VOTES / name)
    assert votes.findings == []
    document = json.loads(run_cli(["vote", VOTES / name, "--format", "json"]).stdout)
    assert document["ranking"] == [list(g) for g in count(votes.candidates,
                                                          votes.ballots).ranking]
