"""Properties of the tally, checked with hypothesis (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import category, front
from qsi_awards.judging.tally import JudgementRecord, Results, Settings, tally
from qsi_awards.model import EntryFile
from qsi_awards.report.tally import to_json

CATEGORIES = [category("c1", "One"), category("c2", "Two")]


@dataclass
class Case:
    settings: Settings
    entries: dict[str, EntryFile]
    records: list[JudgementRecord]


@st.composite
def cases(draw: st.DrawFn, method: str | None = None, complete: bool = False) -> Case:
    criteria = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3,
                             unique=True))
    weights = {c: Fraction(draw(st.integers(1, 5))) for c in criteria}
    n_entries = draw(st.integers(1, 8))
    entries = {f"e{i}": front(f"e{i}", draw(st.sampled_from(["c1", "c2"])), "Org",
                              title=f"E{i}") for i in range(n_entries)}
    judges = [f"j{i}" for i in range(draw(st.integers(2, 5)))]
    score = st.integers(0, 10) if complete else st.one_of(st.integers(0, 10), st.none())
    records = []
    for entry_id in entries:
        panel = draw(st.lists(st.sampled_from(judges), min_size=1, max_size=len(judges),
                              unique=True))
        for judge in panel:
            records.append(JudgementRecord(judge, entry_id,
                                           {c: draw(score) for c in criteria}))
    setting = Settings(
        weights=weights,
        judges_per_entry=draw(st.integers(1, 3)),
        method=method or draw(st.sampled_from(["mean", "zscore"])),
        shortlist_size=draw(st.integers(1, 5)),
        highly_commended=draw(st.integers(0, 2)),
        tiebreak=tuple(draw(st.lists(st.sampled_from(criteria), max_size=2, unique=True))),
        disagreement=draw(st.sampled_from([None, 1.0, 3.0])),
    )
    return Case(setting, entries, records)


def run(case: Case, records: list[JudgementRecord] | None = None,
        entries: dict[str, EntryFile] | None = None) -> Results:
    return tally(case.settings, CATEGORIES, entries if entries is not None else case.entries,
                 records if records is not None else case.records, programme="P", edition="1")


@settings(max_examples=150, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_files_judges_and_entries_never_matters(case: Case, rnd: Any) -> None:
    records = list(case.records)
    rnd.shuffle(records)
    keys = list(case.entries)
    rnd.shuffle(keys)
    entries = {k: case.entries[k] for k in keys}
    assert to_json(run(case, records, entries)) == to_json(run(case))


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_recused_or_conflicted_judgements_never_count(case: Case, data: st.DataObject) -> None:
    before = to_json(run(case))
    extra = []
    for entry_id in case.entries:
        kind = data.draw(st.sampled_from(["none", "recused", "conflicted"]))
        scores = {c: data.draw(st.integers(0, 10)) for c in case.settings.weights}
        if kind == "recused":
            extra.append(JudgementRecord("outsider", entry_id, {}, recused=True))
        elif kind == "conflicted":
            extra.append(JudgementRecord("insider", entry_id, scores,
                                         conflict="their own organisation"))
    assert to_json(run(case, case.records + extra)) == before


@st.composite
def spread_cases(draw: st.DrawFn) -> tuple[Case, str, int, int]:
    """zscore cases where every judge has at least 3 judgements with some spread, so no
    judge relies on the pooled σ; plus a judge and a positive affine map x -> a·x + b."""
    n_entries = draw(st.integers(3, 7))
    judges = ["j0", "j1", "j2"]
    entries = {f"e{i}": front(f"e{i}", "c1", "Org", title=f"E{i}") for i in range(n_entries)}
    records = []
    for judge in judges:
        values = draw(st.lists(st.integers(0, 10), min_size=n_entries, max_size=n_entries)
                      .filter(lambda v: len(set(v)) > 1))
        records += [JudgementRecord(judge, f"e{i}", {"x": v}) for i, v in enumerate(values)]
    setting = Settings(weights={"x": Fraction(1)}, judges_per_entry=3, method="zscore")
    return (Case(setting, entries, records), draw(st.sampled_from(judges)),
            draw(st.integers(1, 4)), draw(st.integers(-3, 3)))


def ranking(results: Results) -> list[tuple[str, int | None]]:
    return [(r.entry, r.rank) for c in results.categories for r in c.entries]


@settings(max_examples=150, deadline=None)
@given(spread_cases())
def test_zscore_ranking_survives_a_positive_affine_map_of_one_judge(
        drawn: tuple[Case, str, int, int]) -> None:
    case, judge, a, b = drawn
    mapped = [JudgementRecord(r.judge, r.entry,
                              {"x": a * r.scores["x"] + b} if r.judge == judge  # type: ignore[operator]
                              else dict(r.scores))
              for r in case.records]
    assert ranking(run(case, mapped)) == ranking(run(case))


@settings(max_examples=150, deadline=None)
@given(cases(complete=True))
def test_awards_respect_places_and_ties(case: Case) -> None:
    results = run(case)
    for result in results.categories:
        winners = [r for r in result.entries if r.award == "winner"]
        assert len(winners) <= 1
        highly = [r for r in result.entries if r.award == "highly_commended"]
        ranked = [r for r in result.entries if r.rank is not None]
        # a tie may take the winner place down to highly commended (SPEC §4), but the
        # award places are never more than 1 + highly_commended
        assert len(winners) + len(highly) <= 1 + case.settings.highly_commended
        for r in result.entries:
            if r.rank is None:
                assert r.award is None and "incomplete" in r.flags
            peers = [p for p in ranked if p.rank == r.rank]
            assert ("tie" in r.flags) == (r.rank is not None and len(peers) > 1)
            assert all(p.award == r.award for p in peers)
