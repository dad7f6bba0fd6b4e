"""qsi assign: fair, constrained, deterministic, and it only ever adds to score sheets."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from builder import entry_meta, fronts, judge_models, scores, write_programme
from qsi_awards.cli import app
from qsi_awards.judging.assign import JITTER, jitter, plan
from qsi_awards.judging.conflicts import ConflictIndex

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


JUDGES: list[dict[str, Any]] = [
    {"id": "j1", "name": "One", "organisation": "Org A"},
    {"id": "j2", "name": "Two", "organisation": "Org B", "categories": ["cat-a"]},
    {"id": "j3", "name": "Three", "organisation": "Org C",
     "conflicts": {"organisations": ["Org D"], "entries": ["e2"]}},
    {"id": "j4", "name": "Four", "organisation": "Org D"},
    {"id": "j5", "name": "Five", "organisation": "Org E"},
]
CATEGORIES = [{"id": "cat-a", "title": "A", "theme": "safety"},
              {"id": "cat-b", "title": "B", "theme": "qi"}]


def programme(tmp_path: Path, sheets: dict[str, Any] | None = None) -> Path:
    entries = {
        "e1": entry_meta("e1", "cat-a", "Org D"),
        "e2": entry_meta("e2", "cat-a", "Org X"),
        "e3": entry_meta("e3", "cat-b", "org a"),
        "e4": entry_meta("e4", "cat-b", "Org Y"),
        "e5": entry_meta("e5", "cat-a", "Org Z"),
        "e6": entry_meta("e6", "cat-b", "Org Z"),
    }
    return write_programme(tmp_path, judges=JUDGES, categories=CATEGORIES, entries=entries,
                           sheets=sheets or {})


def test_assign_respects_conflicts_categories_and_balance(tmp_path: Path) -> None:
    root = programme(tmp_path)
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert "12 judgements added" in result.stdout
    validate = invoke("validate", "-p", str(root), "--format", "json")
    assert validate.exit_code == 0
    import yaml

    loads = {}
    conflicts = ConflictIndex(judge_models({j["id"]: j for j in JUDGES}))
    for judge in JUDGES:
        sheet = yaml.safe_load((root / "scores" / f"{judge['id']}.yaml").read_text())
        assigned = list(sheet["scores"] or {})
        loads[judge["id"]] = len(assigned)
        for entry_id in assigned:
            meta = yaml.safe_load((root / "entries" / f"{entry_id}.md").read_text()
                                  .split("---")[1])
            assert not conflicts.conflicted(judge["id"], entry_id, meta["organisation"])
            if "categories" in judge:
                assert meta["category"] in judge["categories"]
            assert sheet["scores"][entry_id] == {"ambition": None, "impact": None}
    # 6 entries × 2 judges = 12 judgements over 5 judges: 2 or 3 each
    assert sorted(loads.values()) == [2, 2, 2, 3, 3]
    # every entry has its two judges: the only warnings are the 12 stubs still to score
    import json

    codes = [f["code"] for f in json.loads(validate.stdout)["findings"]]
    assert codes == ["pending-judgement"] * 12


SHEET = (
    "# Alex's sheet\r\n"
    "judge: j1\r\n"
    "\r\n"
    "scores:\r\n"
    "    e1:   # read twice\r\n"
    "        impact: 7\r\n"
    "        ambition: 9\r\n"
    "        comment: >\r\n"
    "          Folded comment.\r\n"
    "\r\n"
    "# trailing note, no newline at the end"
)


def test_existing_sheet_kept_byte_for_byte(tmp_path: Path) -> None:
    root = programme(tmp_path)
    sheet = root / "scores" / "j1.yaml"
    sheet.write_bytes(b"\xef\xbb\xbf" + SHEET.encode())
    before = sheet.read_bytes()
    assert invoke("assign", "-p", str(root)).exit_code == 0
    after = sheet.read_bytes()
    assert after.startswith(before)
    added = after[len(before):].decode()
    # CRLF kept, the file's own indentation (4, then 8) used for the stubs
    assert added.startswith("\r\n    e")
    assert "\r\n        ambition: null\r\n        impact: null\r\n" in added
    assert "\n" not in added.replace("\r\n", "")


def test_stubs_go_inside_scores_when_it_is_not_last(tmp_path: Path) -> None:
    root = programme(tmp_path)
    sheet = root / "scores" / "j5.yaml"
    original = "scores:\n  e1:\n    ambition: 3\n    impact: 4\n# judge line below\njudge: j5\n"
    sheet.write_text(original)
    assert invoke("assign", "-p", str(root)).exit_code == 0
    after = sheet.read_text()
    assert after.startswith("scores:\n  e1:\n    ambition: 3\n    impact: 4\n  ")
    assert after.endswith("# judge line below\njudge: j5\n")
    # removing what was added gives back the original exactly
    inserted = after[len("scores:\n  e1:\n    ambition: 3\n    impact: 4\n"):
                     -len("# judge line below\njudge: j5\n")]
    assert after.replace(inserted, "", 1) == original
    assert invoke("validate", "-p", str(root)).exit_code == 0


def test_rerun_changes_nothing_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = programme(tmp_path, sheets={"j1": {"e2": scores(5, 6)}})
    before = snapshot(root)
    dry = invoke("assign", "-p", str(root), "--dry-run")
    assert dry.exit_code == 0 and "dry run: nothing written" in dry.stdout
    assert snapshot(root) == before
    assert invoke("assign", "-p", str(root)).exit_code == 0
    once = snapshot(root)
    assert once != before
    again = invoke("assign", "-p", str(root))
    assert again.exit_code == 0 and "Nothing to add" in again.stdout
    assert snapshot(root) == once


def test_same_seed_same_plan_and_seeds_differ(tmp_path: Path) -> None:
    outputs: list[str] = []
    for seed in ("1", "1", "2", "3", "4"):
        root = programme(tmp_path / f"p{len(outputs)}")
        outputs.append(invoke("assign", "-p", str(root), "--dry-run", "--seed", seed).stdout)
    assert outputs[0] == outputs[1]
    assert len(set(outputs[1:])) > 1


def test_uncoverable_entry_named_with_reason_and_nothing_written(tmp_path: Path) -> None:
    judges: list[dict[str, Any]] = [{"id": "j1", "name": "One", "organisation": "Org A"},
              {"id": "j2", "name": "Two", "organisation": "Org B", "categories": ["cat-b"]}]
    entries = {"e1": entry_meta("e1", "cat-a", "org a")}
    root = write_programme(tmp_path, judges=judges, categories=CATEGORIES, entries=entries)
    before = snapshot(root)
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 1
    assert "e1: it needs 2 more judges but only 0 of the 2 can take it" in result.stderr
    assert "1 conflicted with it; 1 judging other categories only" in result.stderr
    assert snapshot(root) == before


def test_flow_style_sheet_refused(tmp_path: Path) -> None:
    root = programme(tmp_path)
    (root / "scores" / "j1.yaml").write_text(
        "judge: j1\nscores: {e2: {ambition: 1, impact: 2}}\n")
    before = snapshot(root)
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 1
    assert "scores/j1.yaml writes its scores in braces" in result.stderr
    assert snapshot(root) == before


def test_recused_and_conflicted_stubs_do_not_count(tmp_path: Path) -> None:
    root = programme(tmp_path, sheets={
        "j1": {"e1": {"conflict": "Knows the team"}},
        "j4": {"e1": {"ambition": None, "impact": None}},  # own organisation: conflicted
    })
    assert invoke("assign", "-p", str(root)).exit_code == 0
    import yaml

    judged = [j["id"] for j in JUDGES
              if "e1" in (yaml.safe_load((root / "scores" / f"{j['id']}.yaml").read_text())
                          ["scores"] or {})
              and j["id"] not in ("j1", "j4")]
    assert len(judged) == 2


@st.composite
def panels(draw: st.DrawFn, judges_from: int = 2, judges_to: int = 7, entries_to: int = 12,
           held_to: int = 3) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], int]:
    orgs = ["A", "B", "C", "D"]
    cats = ["x", "y"]
    n_judges = draw(st.integers(judges_from, judges_to))
    judges: dict[str, Any] = {}
    for i in range(n_judges):
        judge: dict[str, Any] = {"organisation": draw(st.sampled_from(orgs))}
        if draw(st.booleans()):
            judge["categories"] = draw(st.lists(st.sampled_from(cats), min_size=1,
                                                unique=True))
        if draw(st.booleans()):
            judge["conflicts"] = {"organisations": draw(st.lists(st.sampled_from(orgs),
                                                                 max_size=2))}
        judges[f"j{i}"] = judge
    entries = {f"e{i}": {"organisation": draw(st.sampled_from([*orgs, "E", "F"])),
                         "category": draw(st.sampled_from(cats))}
               for i in range(draw(st.integers(1, entries_to)))}
    existing: dict[str, dict[str, bool]] = {}
    for judge_id in judges:
        picks = draw(st.lists(st.sampled_from(sorted(entries)), max_size=held_to,
                              unique=True))
        existing[judge_id] = {e: draw(st.booleans()) for e in picks}
    return judges, entries, existing, draw(st.integers(1, 3))


# more judges than the solver's first graph gives an entry (judging.assign.SPARE × the
# judges it needs), so that graph leaves some out and must be shown to be enough
LARGE = panels(judges_from=13, judges_to=24, entries_to=40, held_to=8)


@settings(max_examples=200, deadline=None)
@given(st.one_of(panels(), LARGE), st.integers(0, 5))
def test_plans_always_satisfy_the_constraints_and_are_idempotent(
        panel: tuple[dict[str, Any], dict[str, Any], dict[str, Any], int], seed: int) -> None:
    judges, entries, existing, per_entry = panel
    result = plan(fronts(entries), judge_models(judges), existing, per_entry, seed)
    conflicts = ConflictIndex(judge_models(judges))
    if result.short:
        return
    merged = {j: dict(existing.get(j, {})) for j in judges}
    for judge_id, added in result.added.items():
        for entry_id in added:
            entry = entries[entry_id]
            assert entry_id not in existing.get(judge_id, {})
            assert not conflicts.conflicted(judge_id, entry_id, entry["organisation"])
            allowed = judges[judge_id].get("categories")
            assert allowed is None or entry["category"] in allowed
            merged[judge_id][entry_id] = False
    for entry_id, entry in entries.items():
        counting = [j for j in judges if entry_id in merged[j] and not merged[j][entry_id]
                    and not conflicts.conflicted(j, entry_id, entry["organisation"])]
        assert len(counting) >= per_entry
    assert plan(fronts(entries), judge_models(judges), merged, per_entry, seed).empty
    again = plan(fronts(entries), judge_models(judges), existing, per_entry, seed)
    assert again.added == result.added


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 8), st.integers(1, 20), st.integers(1, 3), st.integers(0, 9))
def test_unconstrained_loads_differ_by_at_most_one(n_judges: int, n_entries: int,
                                                   per_entry: int, seed: int) -> None:
    judges = {f"j{i}": {"organisation": f"Panel {i}"} for i in range(n_judges)}
    entries = {f"e{i}": {"organisation": "Entrant", "category": "x"} for i in range(n_entries)}
    result = plan(fronts(entries), judge_models(judges), {}, min(per_entry, n_judges), seed)
    loads = result.loads_after.values()
    assert max(loads) - min(loads) <= 1


def test_real_example_sheets_survive_byte_for_byte(tmp_path: Path) -> None:
    """Copy the Kent & Medway programme, add two late entries and a judge: assign
    must leave every byte the judges wrote in place (their sheets carry comments)."""
    import shutil

    example = Path(__file__).resolve().parent.parent
    root = tmp_path / "km"
    root.mkdir()
    for name in ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                 "adoption.yaml"):
        shutil.copy(example / name, root / name)
    shutil.copytree(example / "entries", root / "entries")
    shutil.copytree(example / "scores", root / "scores")
    for entry_id in ("falls-huddles", "sepsis-screening"):
        text = (root / "entries" / f"{entry_id}.md").read_text("utf-8")
        # a measure's CSV file is named after its entry, so the copy gets a copy of its own
        for data in (root / "entries").glob(f"{entry_id}.*.csv"):
            shutil.copy(data, root / "entries" / f"new-{data.name}")
        (root / "entries" / f"new-{entry_id}.md").write_text(
            text.replace(f"csv: {entry_id}.", f"csv: new-{entry_id}."), "utf-8")
    with (root / "judges.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: newjudge\n    name: New Judge\n    organisation: Elsewhere\n")
    before = {p.name: p.read_bytes() for p in (root / "scores").iterdir()}
    # the example's first round scores on the rubric (its final, later, ranks finalists)
    result = invoke("assign", "-p", str(root), "--round", "shortlisting")
    assert result.exit_code == 0, result.output
    assert "6 judgements added" in result.stdout
    for name, old in before.items():
        assert (root / "scores" / name).read_bytes().startswith(old), name
    assert (root / "scores" / "newjudge.yaml").exists()
    assert invoke("validate", "-p", str(root)).exit_code == 0


@settings(max_examples=100, deadline=None)
@given(st.one_of(panels(), LARGE), st.integers(0, 5), st.data())
def test_finishing_an_interrupted_plan_gives_the_same_plan(
        panel: tuple[dict[str, Any], dict[str, Any], dict[str, Any], int], seed: int,
        data: st.DataObject) -> None:
    """Sheets are written one by one, so an interrupted run leaves some judges' stubs
    written and others not; the re-run must then add exactly what the full run would."""
    judges, entries, existing, per_entry = panel
    full = plan(fronts(entries), judge_models(judges), existing, per_entry, seed)
    if full.short:
        return
    written = data.draw(st.lists(st.sampled_from(sorted(judges)), unique=True))
    partial = {j: dict(existing.get(j, {})) for j in judges}
    for judge_id in written:
        partial[judge_id].update(dict.fromkeys(full.added[judge_id], False))
    rest = plan(fronts(entries), judge_models(judges), partial, per_entry, seed)
    for judge_id in judges:
        expected = [] if judge_id in written else full.added[judge_id]
        assert rest.added[judge_id] == expected


def brute_force_balance(judges: dict[str, Any], entries: dict[str, Any],
                        existing: dict[str, dict[str, bool]], per_entry: int) -> int | None:
    """The least sum of squared loads any valid completion reaches, by trying every one
    (None when no completion exists): an oracle that shares no code with plan()."""
    from itertools import combinations, product

    def conflicted(judge: dict[str, Any], entry_id: str, entry: dict[str, Any]) -> bool:
        declared = judge.get("conflicts") or {}
        orgs = {judge["organisation"].strip().casefold(),
                *(o.strip().casefold() for o in declared.get("organisations", []))}
        return entry["organisation"].strip().casefold() in orgs or \
            entry_id in declared.get("entries", [])

    loads = {j: sum(1 for recused in existing.get(j, {}).values() if not recused)
             for j in judges}
    choices = []
    for entry_id, entry in sorted(entries.items()):
        have = sum(1 for j, judge in judges.items()
                   if entry_id in existing.get(j, {}) and not existing[j][entry_id]
                   and not conflicted(judge, entry_id, entry))
        free = [j for j, judge in sorted(judges.items())
                if entry_id not in existing.get(j, {}) and not conflicted(judge, entry_id, entry)
                and (judge.get("categories") is None or entry["category"] in judge["categories"])]
        choices.append(list(combinations(free, max(0, per_entry - have))))
    best = None
    for pick in product(*choices):
        final = dict(loads)
        for group in pick:
            for judge_id in group:
                final[judge_id] += 1
        cost = sum(load * load for load in final.values())
        best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=150, deadline=None)
@given(panels(), st.integers(0, 5))
def test_constrained_plans_are_as_even_as_any_valid_plan(
        panel: tuple[dict[str, Any], dict[str, Any], dict[str, Any], int], seed: int) -> None:
    """As even as the constraints allow: no valid completion of the sheets has a smaller
    sum of squared loads than the plan's (checked by trying them all on small panels)."""
    judges, entries, existing, per_entry = panel
    if len(entries) > 5:
        entries = dict(sorted(entries.items())[:5])
        existing = {j: {e: r for e, r in sheet.items() if e in entries}
                    for j, sheet in existing.items()}
    result = plan(fronts(entries), judge_models(judges), existing, per_entry, seed)
    best = brute_force_balance(judges, entries, existing, per_entry)
    if result.short:
        assert best is None
        return
    assert best is not None
    assert sum(load * load for load in result.loads_after.values()) == best


def cheaper_plan_exists(judges: dict[str, Any], entries: dict[str, Any],
                        existing: dict[str, dict[str, bool]], per_entry: int,
                        added: dict[str, list[str]], seed: int) -> bool:
    """Whether some valid completion costs less than `added` does, the cost being what
    judging.assign's docstring says it minimises: one unit (more than every pair's seeded
    cost together) per unit of the sum of squared loads, plus the seeded cost of each pair
    added. By the classic test (a flow is cheapest when its residual network has no
    cycle of negative cost), with Bellman-Ford over the whole graph: every entry still
    needing judges, every judge who may take it. An oracle that shares none of plan()'s
    reasoning, only its costs."""
    def conflicted(judge: dict[str, Any], entry_id: str, entry: dict[str, Any]) -> bool:
        declared = judge.get("conflicts") or {}
        orgs = {judge["organisation"].casefold(),
                *(o.casefold() for o in declared.get("organisations", []))}
        return entry["organisation"].casefold() in orgs

    entry_ids, judge_ids = sorted(entries), sorted(judges)
    costs = jitter(seed, entry_ids, judge_ids).tolist()
    needy = []
    for entry_id, entry in sorted(entries.items()):
        have = sum(1 for j, judge in judges.items() if entry_id in existing.get(j, {})
                   and not existing[j][entry_id] and not conflicted(judge, entry_id, entry))
        if have < per_entry:
            needy.append(entry_id)
    demand = sum(len(group) for group in added.values())
    unit = JITTER * (demand + 1)
    arcs: list[tuple[str, str, int]] = []
    for entry_id in needy:
        entry, e = entries[entry_id], entry_ids.index(entry_id)
        for judge_id, judge in judges.items():
            j = judge_ids.index(judge_id)
            if entry_id in added[judge_id]:  # back along an arc the plan uses
                arcs.append((judge_id, entry_id, -costs[e][j]))
            elif (entry_id not in existing.get(judge_id, {})
                  and not conflicted(judge, entry_id, entry)
                  and (judge.get("categories") is None
                       or entry["category"] in judge["categories"])):
                arcs.append((entry_id, judge_id, costs[e][j]))
    for judge_id in judges:
        load = sum(1 for recused in existing.get(judge_id, {}).values() if not recused) \
            + len(added[judge_id])
        arcs.append((judge_id, "sink", unit * ((load + 1) ** 2 - load ** 2)))
        if added[judge_id]:
            arcs.append(("sink", judge_id, -unit * (load ** 2 - (load - 1) ** 2)))
    nodes = {node for tail, head, _ in arcs for node in (tail, head)}
    distance = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes) + 1):
        changed = False
        for tail, head, cost in arcs:
            if distance[tail] + cost < distance[head]:
                distance[head] = distance[tail] + cost
                changed = True
        if not changed:
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(st.one_of(panels(), LARGE), st.integers(0, 5))
def test_plans_are_the_cheapest_plan(
        panel: tuple[dict[str, Any], dict[str, Any], dict[str, Any], int], seed: int) -> None:
    """Nothing cheaper than the plan, in balance and then in the seeded costs, even when
    the solver first looked at only a few judges for each entry (LARGE panels): so the
    plan is the one the whole graph gives whenever a single plan is cheapest."""
    judges, entries, existing, per_entry = panel
    result = plan(fronts(entries), judge_models(judges), existing, per_entry, seed)
    if result.short:
        return
    assert not cheaper_plan_exists(judges, entries, existing, per_entry, result.added, seed)


def test_the_oracle_finds_every_cheaper_plan() -> None:
    """The oracle above is right on three judges and three entries, one judge each: of
    the six ways to give one entry to each judge (the same balance), only the one whose
    seeded costs sum least has nothing cheaper (summed here for all six), and giving all
    three to one judge always has."""
    from itertools import permutations

    judges = {f"j{i}": {"organisation": "Panel"} for i in range(3)}
    entries = {f"e{i}": {"organisation": "Entrant", "category": "x"} for i in range(3)}
    costs = jitter(0, sorted(entries), sorted(judges)).tolist()
    totals = {order: sum(costs[e][j] for j, e in enumerate(order))
              for order in permutations(range(3))}
    assert len(set(totals.values())) == 6  # no tie with these IDs and seed
    for order, total in totals.items():
        added = {f"j{j}": [f"e{e}"] for j, e in enumerate(order)}
        assert cheaper_plan_exists(judges, entries, {}, 1, added, 0) == (
            total > min(totals.values()))
    added = {"j0": ["e0", "e1", "e2"], "j1": [], "j2": []}
    assert cheaper_plan_exists(judges, entries, {}, 1, added, 0)


@pytest.mark.parametrize(("costs", "taken", "sign"), [
    ([[0, 5], [5, 0]], [[1, 0], [0, 1]], 1),  # the only cheapest plan
    ([[0, 5], [5, 0]], [[0, 1], [1, 0]], -1),  # swapping the two judges saves 10
    ([[3, 3], [3, 3]], [[1, 0], [0, 1]], 0),  # swapping them costs nothing: a tie
    ([[0, 5], [5, 0]], [[1, 0], [1, 0]], -1),  # one judge with both: a move evens them
])
def test_the_cheapest_cycle_tells_optimal_from_not_and_from_a_tie(
        costs: list[list[int]], taken: list[list[int]], sign: int) -> None:
    """Two entries needing one judge each, two judges with nothing yet."""
    import numpy as np

    from qsi_awards.judging.assign import _cheapest_cycle

    assert _cheapest_cycle(np.array([1, 1]), np.ones((2, 2), dtype=bool), np.array(costs),
                           np.array([0, 0]), np.array(taken, dtype=bool)) == sign


def test_a_tie_is_settled_by_the_whole_graph() -> None:
    """30 entries needing one judge each among 15 judges; entry e costs nothing with the
    four judges e, e+1, e+2, e+3 (mod 15) and 1 with the rest, so the first, smaller
    graph keeps just those four, and many even plans cost nothing: the plan is the one
    the flow over every candidate pair gives (as before the solver began with fewer
    pairs), not the one the smaller graph happens to give (another, here)."""
    import numpy as np

    from qsi_awards.judging.assign import _flow, _solve

    missing = np.ones(30, dtype=np.int64)
    candidate = np.ones((30, 15), dtype=bool)
    costs = np.ones((30, 15), dtype=np.int64)
    for e in range(30):
        costs[e, [(e + k) % 15 for k in range(4)]] = 0
    before = np.zeros(15, dtype=np.int64)
    whole = _flow(missing, candidate, costs, before)
    assert (whole.sum(axis=1) == 1).all() and (whole.sum(axis=0) == 2).all()
    assert (costs * whole).sum() == 0
    assert (_solve(missing, candidate, costs, before) == whole).all()


NATIONAL = """
import resource, sys
from builder import fronts, judge_models
from qsi_awards.judging.assign import plan
import numpy, ortools.graph.python.min_cost_flow
entries = fronts({f"e{i:05d}": {"organisation": f"Org {i % 97}", "category": f"c{i % 12}"}
                  for i in range(10000)})
judges = judge_models({f"j{i:03d}": {"organisation": f"Panel {i}",
                                     "conflicts": {"organisations": [f"Org {i % 97}"]}}
                       for i in range(100)})
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = plan(entries, judges, {}, 3)
assert sorted(set(result.loads_after.values())) == [300]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start)
"""


@pytest.mark.slow
def test_a_national_plan_fits_in_little_memory() -> None:
    """10,000 entries, 100 judges, three judges each: planning takes far less than the
    programme itself (170 MiB loaded): the flow keeps each entry's cheapest few judges,
    not all 100 (a million arcs took 150 MiB)."""
    import os
    import subprocess
    import sys

    tests = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", NATIONAL], capture_output=True, text=True,
                          check=True, cwd=tests,
                          env={**os.environ, "PYTHONPATH": str(tests)}, timeout=120)
    grown_kib = int(done.stdout.strip().splitlines()[-1])
    assert grown_kib < 80 * 1024


def test_a_judge_who_alone_can_take_a_category_takes_all_of_it() -> None:
    """Four of five judges judge another category only: the fifth must take all ten
    entries, far above an even share of two (the solver starts each judge near an even
    share and must widen it)."""
    judges: dict[str, Any] = {"any": {"organisation": "Panel"}}
    judges.update({f"only-a{i}": {"organisation": "Panel", "categories": ["a"]}
                   for i in range(4)})
    entries = {f"e{i:02d}": {"organisation": "Entrant", "category": "b"} for i in range(10)}
    result = plan(fronts(entries), judge_models(judges), {}, 1, 0)
    assert result.short == {}
    assert result.added["any"] == sorted(entries)
    assert all(result.added[f"only-a{i}"] == [] for i in range(4))


def test_ids_that_look_like_numbers_or_booleans_are_written_as_text(tmp_path: Path) -> None:
    """A judge 007, entries no and 0x1f, criteria on and null: the stubs must read back as
    those strings (written plain they are 7, false, 31, true and nothing)."""
    from qsi_awards.load import yamlparse

    judges: list[dict[str, Any]] = [{"id": "007", "name": "Bond", "organisation": "MI6"},
                                    {"id": "1234", "name": "Numbers", "organisation": "Org"}]
    criteria = [{"id": "on", "title": "On", "weight": 1}, {"id": "null", "title": "N", "weight": 1}]
    entries = {"no": entry_meta("no", "cat-a"), "0x1f": entry_meta("0x1f", "cat-a")}
    root = write_programme(tmp_path, judges=judges, categories=CATEGORIES, entries=entries,
                           criteria=criteria, extra_settings={"judging": {"judges_per_entry": 2}})
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 0, result.output
    stub = {"on": None, "null": None}
    for judge in ("007", "1234"):
        data, problems = yamlparse.parse((root / "scores" / f"{judge}.yaml").read_text())
        assert problems == []
        assert data == {"judge": judge, "scores": {"0x1f": stub, "no": stub}}
        assert isinstance(data["judge"], str)
    assert invoke("validate", "-p", str(root)).exit_code == 0


def test_no_score_sheet_for_a_judge_named_like_a_windows_device(tmp_path: Path) -> None:
    """scores/con.yaml could not be checked out on Windows: validate reports the judge, and
    assign refuses rather than create the sheet."""
    judges: list[dict[str, Any]] = [{"id": "con", "name": "Con", "organisation": "Org A"},
                                    {"id": "j2", "name": "Two", "organisation": "Org B"}]
    root = write_programme(tmp_path, judges=judges, categories=CATEGORIES,
                           entries={"e1": entry_meta("e1", "cat-a", "Org Z")})
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 1
    assert "judges.yaml:2:7: reserved-name The judge ID 'con'" in result.output
    assert not (root / "scores" / "con.yaml").exists()


def _common(first: bytes, second: bytes) -> int:
    """How many bytes the two start with in common."""
    return next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
                min(len(first), len(second)))


def _one_insertion(old: bytes, new: bytes) -> bool:
    """True if `new` is `old` with one run of bytes inserted somewhere."""
    return (len(new) >= len(old)
            and _common(old, new) + _common(old[::-1], new[::-1]) >= len(old))


def _read_sheet(raw: bytes) -> Any:
    from qsi_awards.load import yamlparse

    data, problems = yamlparse.parse(raw.decode("utf-8-sig").replace("\r\n", "\n"))
    assert problems == []
    return data


COMMENTS = [
    "comment: Good work.",
    'comment: "Good work."',
    "comment: |\n{pad}Good work.\n{pad}Second line.",
    "comment: |-\n{pad}Good work.",
    "comment: |+\n{pad}Good work.\n",
    "comment: >\n{pad}Good\n{pad}work.",
    "comment: >-\n{pad}Good work.",
    "comment: |2\n{pad}  Indented.",
    "comment: 'It''s good.'",
]


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    """A judge's sheet for j1 holding e1, laid out in any of the ways a person might:
    indentation, a comment of any style last (block scalars too), YAML comments, judge:
    first or last, CRLF, a byte order mark, with or without a final line break."""
    indent = draw(st.sampled_from([1, 2, 4]))
    inner = indent + draw(st.sampled_from([1, 2, 4]))
    pad = " " * (inner + 2)
    judgement = [f"{' ' * inner}ambition: 7", f"{' ' * inner}impact: 8"]
    if draw(st.booleans()):  # a declared conflict
        judgement = [f"{' ' * inner}conflict: |\n{pad}Knows the team."]
    elif draw(st.booleans()):
        judgement.append(" " * inner + draw(st.sampled_from(COMMENTS)).format(pad=pad))
    scores = ["scores:" + draw(st.sampled_from(["", "  # mine"])), f"{' ' * indent}e1:",
              *judgement]
    if draw(st.booleans()):
        scores.append(draw(st.sampled_from(["", "# the end", "  # indented note"])))
    judge_first = draw(st.booleans())
    lines = ["judge: j1", *scores] if judge_first else [*scores, "judge: j1"]
    if draw(st.booleans()):
        lines.insert(0, "# Alex's sheet")
    text = "\n".join(lines).replace("\n\n\n", "\n\n")
    if draw(st.booleans()):
        text += "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode()
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(sheets())
def test_stubs_join_any_sheet_layout_keeping_every_byte(raw: bytes) -> None:
    """Whatever the layout (a block scalar last with no final line break included), assign
    adds the stubs in one piece, keeps every byte, and the sheet reads as before plus the
    stubs."""
    old = _read_sheet(raw)
    judges: list[dict[str, Any]] = [{"id": "j1", "name": "One", "organisation": "Org A"},
                                    {"id": "j2", "name": "Two", "organisation": "Org B"},
                                    {"id": "j3", "name": "Three", "organisation": "Org C"}]
    entries = {e: entry_meta(e, "cat-a", "Org Z") for e in ("e1", "e2", "e3")}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_programme(Path(tmp), judges=judges, categories=CATEGORIES,
                               entries=entries)
        path = root / "scores" / "j1.yaml"
        path.write_bytes(raw)
        result = invoke("assign", "-p", str(root))
        assert result.exit_code == 0, result.output
        new = path.read_bytes()
        assert _one_insertion(raw, new)
        data = _read_sheet(new)
        added = [key for key in data["scores"] if key not in old["scores"]]
        assert added and added == sorted(added)  # the loads are even: j1 gets one or two
        stubs = {key: {"ambition": None, "impact": None} for key in added}
        assert data == {**old, "scores": {**old["scores"], **stubs}}
        validate = invoke("validate", "-p", str(root))
        assert validate.exit_code == 0, validate.output


@pytest.mark.parametrize(("sheet", "after"), [
    ("judge: j1\nscores: {}\n", "judge: j1\nscores:\n"),
    ("judge: j1\nscores: ~\n", "judge: j1\nscores:\n"),
    ("judge: j1\nscores: null   # none yet\n", "judge: j1\nscores:    # none yet\n"),
    ("judge: j1\nscores: !!map { }", "judge: j1\nscores:\n"),
    ("scores: {}\r\njudge: j1\r\n", "scores:\r\n{stubs}judge: j1\r\n"),
    ("judge: j1\nscores:\n", "judge: j1\nscores:\n"),
])
def test_an_empty_scores_mapping_gets_its_stubs(tmp_path: Path, sheet: str,
                                                after: str) -> None:
    """scores: {} and scores: ~ hold nothing, and no stub can follow them on later lines:
    that empty value (and only it) makes way for the stubs."""
    judges: list[dict[str, Any]] = [{"id": "j1", "name": "One", "organisation": "Org A"}]
    root = write_programme(tmp_path, judges=judges, categories=CATEGORIES,
                           entries={"e1": entry_meta("e1", "cat-a", "Org Z")},
                           extra_settings={"judging": {"judges_per_entry": 1}})
    path = root / "scores" / "j1.yaml"
    path.write_bytes(sheet.encode())
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 0, result.output
    nl = "\r\n" if "\r\n" in sheet else "\n"
    stubs = f"  e1:{nl}    ambition: null{nl}    impact: null{nl}"
    expected = after.replace("{stubs}", stubs) if "{stubs}" in after else after + stubs
    assert path.read_bytes() == expected.encode()
    assert invoke("validate", "-p", str(root)).exit_code == 0


def test_what_assign_cannot_add_to_it_says_how_to_add_by_hand(tmp_path: Path) -> None:
    """Entries written as explicit keys (? e2): qsi cannot tell their indentation, so it
    refuses; its advice, followed, works. (It used to tell people to put scores: last.)"""
    root = programme(tmp_path)
    path = root / "scores" / "j1.yaml"
    original = "judge: j1\nscores:\n  ? e2\n  : ambition: 1\n    impact: 2\n"
    path.write_text(original)
    before = snapshot(root)
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 1
    assert snapshot(root) == before
    assert "put 'scores:' last" not in result.stderr
    advice = result.stderr.split("then run qsi validate:\n", 1)[1].rstrip("\n")
    assert advice.startswith("  e") and advice.endswith("impact: null")
    path.write_text(original + advice + "\n")
    assert invoke("validate", "-p", str(root)).exit_code == 0
    assert invoke("assign", "-p", str(root)).exit_code == 0


@pytest.mark.parametrize("sheet", [
    "%YAML 1.1\n---\njudge: j1\nscores:\n  e2:\n    ambition: 1\n    impact: 2\n...\n",
    "judge: j1\nscores: !!map\n  e2:\n    ambition: 1\n    impact: 2\n",
    "judge: j1\nscores:\n  e2: {ambition: 1,\n    impact: 2}",
    "scores:\n  e2:\n    ambition: 1\n    impact: 2\njudge: !!str |-\n  j1",
    "# sheet\njudge: |\n  j1",
])
def test_unusual_but_valid_sheets_get_their_stubs(tmp_path: Path, sheet: str) -> None:
    """A document end marker (...), a tag, a flow judgement last, a block scalar last with
    no final line break and no scores: yet: the stubs go in, every byte stays."""
    root = programme(tmp_path)
    path = root / "scores" / "j1.yaml"
    path.write_bytes(sheet.encode())
    old = _read_sheet(sheet.encode())
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 0, result.output
    new = path.read_bytes()
    assert _one_insertion(sheet.encode(), new)
    data = _read_sheet(new)
    assert {k: v for k, v in data["scores"].items() if k in (old.get("scores") or {})} == (
        old.get("scores") or {})
    assert invoke("validate", "-p", str(root)).exit_code == 0


@pytest.mark.parametrize("sheet", [
    "judge: j1\nscores: {e2: {ambition: 1, impact: 2}}\n",
    "judge: j1\nscores:\n  {e2: {ambition: 1, impact: 2}}\n",
    "judge: j1\nscores: {\n  e2: {ambition: 1, impact: 2}}\n",
    "judge: j1\nscores: {\n  }\n",
])
def test_scores_in_braces_are_refused_with_the_right_advice(tmp_path: Path, sheet: str) -> None:
    root = programme(tmp_path)
    (root / "scores" / "j1.yaml").write_text(sheet)
    before = snapshot(root)
    result = invoke("assign", "-p", str(root))
    assert result.exit_code == 1
    assert "scores/j1.yaml writes its scores in braces" in result.stderr
    assert snapshot(root) == before


@pytest.mark.slow
def test_checking_the_sheets_costs_less_than_reading_them_back(tmp_path: Path) -> None:
    """1,000 entries among 10 judges, 300 stubs a sheet: the check that each sheet takes
    its stubs without changing what it held reads each sheet with two of its stubs, not
    every one, so it costs well under half of reading back every sheet written (it cost
    more than that reading: it was that reading, a second at 10,000 entries)."""
    import importlib.util
    import time

    from qsi_awards.load import yamlparse
    from qsi_awards.programme import open_programme
    from qsi_awards.writes.assign import changes, make_plan

    spec = importlib.util.spec_from_file_location(
        "bench_generate", Path(__file__).resolve().parent.parent / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    prog = open_programme(generate.generate(tmp_path / "p", 1000, 10, sheets="empty"))
    rnd = prog.round(None)
    result = make_plan(prog, 0, rnd)
    written = [change.new_bytes.decode() for change in changes(prog, result, rnd)]
    assert len(written) == 10 and all(text.count("null") == 1500 for text in written)

    def cpu(work: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    reading = cpu(lambda: [yamlparse.parse(text) for text in written])
    assert cpu(lambda: changes(prog, result, rnd)) < reading / 2
