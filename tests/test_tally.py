"""The tally against numbers worked out by hand (SPEC §4), both methods.

Weights in these tests: ambition 20, impact 30, so a judgement score is
S = (20·ambition + 30·impact) / 50 = 0.4·ambition + 0.6·impact.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builder import category, entry_meta, front, scores, write_programme
from qsi_awards.cli import app
from qsi_awards.judging.tally import JudgementRecord, Settings, places, round2, tally

runner = CliRunner()


def run_json(root: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["tally", "-p", str(root), "--format", "json", *args],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_id(data: dict[str, Any], category: str = "cat-a") -> dict[str, dict[str, Any]]:
    (cat,) = [c for c in data["categories"] if c["id"] == category]
    return {e["entry"]: e for e in cat["entries"]}


def test_mean_scores_ranks_tiebreak_and_incomplete(tmp_path: Path) -> None:
    entries = {e: entry_meta(e) for e in ["e1", "e2", "e3", "e4", "e5"]}
    sheets = {
        "j1": {"e1": scores(8, 6), "e2": scores(4, 9), "e3": scores(5, 5), "e4": scores(2, 2),
               "e5": scores(9, 9)},
        "j2": {"e1": scores(6, 8), "e2": scores(4, 9), "e3": scores(7, 7), "e4": scores(3, 3)},
    }
    root = write_programme(tmp_path, entries=entries, sheets=sheets, judging={
        "judges_per_entry": 2, "highly_commended": 1, "shortlist_size": 3, "tiebreak": ["impact"],
        "disagreement": 1.9})
    data = run_json(root)
    got = by_id(data)
    # e1: S = 0.4·8+0.6·6 = 6.8 and 0.4·6+0.6·8 = 7.2 -> 7.0; impact mean 7
    # e2: S = 0.4·4+0.6·9 = 7.0 twice -> 7.0; impact mean 9 -> wins the tiebreak
    # e3: S = 5.0 and 7.0 -> 6.0, spread 2.0 > 1.9 -> disagreement
    # e4: S = 2.0 and 3.0 -> 2.5, rank 4: outside the 3 places
    # e5: one judgement of the two needed -> incomplete, listed last, no rank
    assert [e["entry"] for e in data["categories"][0]["entries"]] == ["e2", "e1", "e3", "e4", "e5"]
    assert (got["e2"]["rank"], got["e2"]["score"], got["e2"]["award"]) == (1, 7.0, "winner")
    assert (got["e1"]["rank"], got["e1"]["score"], got["e1"]["award"]) == (2, 7.0,
                                                                          "highly_commended")
    assert (got["e3"]["rank"], got["e3"]["score"], got["e3"]["award"]) == (3, 6.0, "shortlisted")
    assert got["e3"]["spread"] == 2.0 and got["e3"]["flags"] == ["disagreement"]
    assert (got["e4"]["rank"], got["e4"]["score"], got["e4"]["award"]) == (4, 2.5, None)
    assert got["e5"]["rank"] is None and got["e5"]["award"] is None
    assert got["e5"]["flags"] == ["incomplete"] and got["e5"]["judgements"] == 1
    assert got["e1"]["flags"] == [] and got["e2"]["flags"] == []
    assert data["categories"][0]["undecided"] == []


def _tied_programme(tmp_path: Path, highly_commended: int, tied: int = 2) -> Path:
    # t1: S 6.8 and 7.2 -> 7.0, impact mean 7; t2: S 7.2 and 6.8 -> 7.0, impact mean 7;
    # t3 (when tied=3): S 7.0 (a=7, i=7) twice -> 7.0, impact mean 7
    # next: S 5.0 and 5.0 -> 5.0
    sheets: dict[str, dict[str, Any]] = {
        "j1": {"t1": scores(8, 6), "t2": scores(6, 8), "next": scores(5, 5)},
        "j2": {"t1": scores(6, 8), "t2": scores(8, 6), "next": scores(5, 5)},
    }
    if tied == 3:
        sheets["j1"]["t3"] = scores(7, 7)
        sheets["j2"]["t3"] = scores(7, 7)
    entries = {e: entry_meta(e) for e in sheets["j1"]}
    return write_programme(tmp_path, entries=entries, sheets=sheets, judging={
        "judges_per_entry": 2, "highly_commended": highly_commended, "shortlist_size": 5,
        "tiebreak": ["impact"]})


def test_tie_at_the_top_leaves_the_winner_open(tmp_path: Path) -> None:
    data = run_json(_tied_programme(tmp_path, highly_commended=1))
    got = by_id(data)
    assert got["t1"]["rank"] == got["t2"]["rank"] == 1
    assert got["t1"]["award"] == got["t2"]["award"] == "highly_commended"
    assert got["t1"]["flags"] == got["t2"]["flags"] == ["tie"]
    assert (got["next"]["rank"], got["next"]["award"]) == (3, "shortlisted")
    assert data["categories"][0]["undecided"] == [{"awards": ["winner"], "entries": ["t1", "t2"]}]
    # tied entries are listed by ID, a display order only
    assert [e["entry"] for e in data["categories"][0]["entries"]] == ["t1", "t2", "next"]


def test_tie_with_two_highly_commended_places(tmp_path: Path) -> None:
    got = by_id(run_json(_tied_programme(tmp_path, highly_commended=2)))
    assert got["t1"]["award"] == got["t2"]["award"] == "highly_commended"
    assert (got["next"]["rank"], got["next"]["award"]) == (3, "highly_commended")


def test_three_way_tie_straddling_two_boundaries(tmp_path: Path) -> None:
    data = run_json(_tied_programme(tmp_path, highly_commended=1, tied=3))
    got = by_id(data)
    assert {got[e]["award"] for e in ("t1", "t2", "t3")} == {"shortlisted"}
    assert data["categories"][0]["undecided"] == [
        {"awards": ["winner", "highly_commended"], "entries": ["t1", "t2", "t3"]}]
    assert (got["next"]["rank"], got["next"]["award"]) == (4, "shortlisted")


def test_tie_at_the_shortlist_boundary_shortlists_the_group() -> None:
    settings = Settings(weights={"x": Fraction(1)}, judges_per_entry=1, highly_commended=0,
                        shortlist_size=2)
    entries = {e: front(e, "c", "o", title=e) for e in "abcd"}
    records = [JudgementRecord("j", "a", {"x": 9}), JudgementRecord("j", "b", {"x": 5}),
               JudgementRecord("j", "c", {"x": 5}), JudgementRecord("j", "d", {"x": 1})]
    result = tally(settings, [category("c", "C")], entries, records)
    awards = {r.entry: (r.rank, r.award) for r in result.categories[0].entries}
    assert awards == {"a": (1, "winner"), "b": (2, "shortlisted"), "c": (2, "shortlisted"),
                      "d": (4, None)}
    assert result.categories[0].undecided == []


def test_recused_conflicted_and_pending_judgements_never_count(tmp_path: Path) -> None:
    judges = [
        {"id": "j1", "name": "One", "organisation": "Panel One"},
        {"id": "j2", "name": "Two", "organisation": "Panel Two"},
        {"id": "j3", "name": "Three", "organisation": "Home Trust"},
        {"id": "j4", "name": "Four", "organisation": "Panel Four"},
    ]
    entries = {"e1": entry_meta("e1", organisation="  home trust ")}
    sheets = {
        "j1": {"e1": scores(10, 10)},  # S 10
        "j2": {"e1": scores(5, 5)},  # S 5
        "j3": {"e1": {"ambition": None, "impact": None}},  # own organisation: conflicted stub
        "j4": {"e1": {"conflict": "Former colleague of the lead"}},  # declared recusal
    }
    root = write_programme(tmp_path, judges=judges, entries=entries, sheets=sheets)
    got = by_id(run_json(root))["e1"]
    assert (got["score"], got["judgements"]) == (7.5, 2)
    result = runner.invoke(app, ["tally", "-p", str(root), "--explain", "e1"],
                           catch_exceptions=False)
    assert result.exit_code == 0
    assert "j4: declared a conflict (recused)" in result.stdout
    assert "j3: conflicted: the entry comes from their own organisation" in result.stdout
    assert "Entry score: (10.0000 + 5.0000) / 2 = 7.5000 (shown as 7.50)" in result.stdout


def test_a_pending_judgement_makes_the_entry_incomplete(tmp_path: Path) -> None:
    entries = {"e1": entry_meta("e1")}
    sheets = {"j1": {"e1": scores(8, 8)}, "j2": {"e1": scores(7, None)}}
    got = by_id(run_json(write_programme(tmp_path, entries=entries, sheets=sheets)))["e1"]
    assert got["flags"] == ["incomplete"] and got["rank"] is None and got["score"] == 8.0


def test_decision_overrides_and_shows_the_tally(tmp_path: Path) -> None:
    entries = {e: entry_meta(e) for e in ["a", "b", "c", "d"]}
    sheets = {
        "j1": {"a": scores(9, 9), "b": scores(8, 8), "c": scores(7, 7), "d": scores(6, 6)},
        "j2": {"a": scores(9, 9), "b": scores(8, 8), "c": scores(7, 7), "d": scores(6, 6)},
    }
    decision = {"category": "cat-a", "winner": "b", "highly_commended": ["c"],
                "reason": "Panel vote, 1 March 2020."}
    root = write_programme(tmp_path, entries=entries, sheets=sheets, decisions=[decision],
                           judging={"judges_per_entry": 2, "highly_commended": 1})
    data = run_json(root)
    got = by_id(data)
    # the tally alone: a winner, b highly commended, c and d shortlisted
    assert (got["a"]["award"], got["a"]["tally_award"], got["a"]["flags"]) == (
        "shortlisted", "winner", ["overridden"])
    assert (got["b"]["award"], got["b"]["tally_award"], got["b"]["flags"]) == (
        "winner", "highly_commended", ["overridden"])
    assert (got["c"]["award"], got["c"]["tally_award"], got["c"]["flags"]) == (
        "highly_commended", "shortlisted", ["overridden"])
    assert got["d"]["award"] == "shortlisted" and "tally_award" not in got["d"]
    assert data["categories"][0]["decision"] == decision
    assert [e["rank"] for e in data["categories"][0]["entries"]] == [1, 2, 3, 4]


def test_zscore_by_hand(tmp_path: Path) -> None:
    """One criterion of weight 1, so S is the score itself.

    j1: e1 8, e2 6, e3 4   -> μ 6, σ √(8/3)      (3 judgements, spread: own σ)
    j2: e1 9, e2 9, e3 6   -> μ 8, σ √2
    j3: e4 7, e5 3         -> μ 5, pooled σ      (fewer than 3 judgements)
    j4: e4 5, e5 5         -> μ 5, pooled σ
    All ten S: 8 6 4 9 9 6 7 3 5 5 -> μ_all 6.2, σ_all √3.76.
    """
    s1, s2, pooled = math.sqrt(8 / 3), math.sqrt(2), math.sqrt(3.76)
    expected_z = {
        "e1": ((8 - 6) / s1 + (9 - 8) / s2) / 2,
        "e2": ((6 - 6) / s1 + (9 - 8) / s2) / 2,
        "e3": ((4 - 6) / s1 + (6 - 8) / s2) / 2,
        "e4": ((7 - 5) / pooled + (5 - 5) / pooled) / 2,
        "e5": ((3 - 5) / pooled + (5 - 5) / pooled) / 2,
    }
    criteria = [{"id": "overall", "title": "Overall", "weight": 1}]
    entries = {e: entry_meta(e) for e in expected_z}
    sheets = {
        "j1": {"e1": {"overall": 8}, "e2": {"overall": 6}, "e3": {"overall": 4}},
        "j2": {"e1": {"overall": 9}, "e2": {"overall": 9}, "e3": {"overall": 6}},
        "j3": {"e4": {"overall": 7}, "e5": {"overall": 3}},
        "j4": {"e4": {"overall": 5}, "e5": {"overall": 5}},
    }
    root = write_programme(tmp_path, criteria=criteria, entries=entries, sheets=sheets,
                           judging={"judges_per_entry": 2, "method": "mean"})
    data = run_json(root, "--method", "zscore")
    assert data["method"] == "zscore"
    got = by_id(data)
    for entry_id, z in expected_z.items():
        assert abs(got[entry_id]["z"] - z) <= 0.005
        assert abs(got[entry_id]["score"] - (6.2 + z * pooled)) < 0.005
    # e1 z = 0.965926 -> score 8.073; e4 z = 0.515711 -> 7.200; e2 0.353553 -> 6.886
    assert [e["entry"] for e in data["categories"][0]["entries"]] == ["e1", "e4", "e2", "e5", "e3"]
    assert got["e1"]["score"] == 8.07 and got["e1"]["z"] == 0.97


def test_zscore_with_no_spread_anywhere_gives_zero() -> None:
    settings = Settings(weights={"x": Fraction(1)}, judges_per_entry=1, method="zscore")
    entries = {e: front(e, "c", "o", title=e) for e in "ab"}
    records = [JudgementRecord("j", "a", {"x": 6}), JudgementRecord("k", "b", {"x": 6})]
    result = tally(settings, [category("c", "C")], entries, records)
    for r in result.categories[0].entries:
        assert r.z == 0 and r.score == 6.0 and r.rank == 1 and "tie" in r.flags


def test_weighted_score_is_exact_with_fractional_weights() -> None:
    settings = Settings(weights={"a": Fraction(1, 3), "b": Fraction(2, 3)}, judges_per_entry=1)
    entries = {"e": front("e", "c", "o", title="e")}
    result = tally(settings, [category("c", "C")], entries,
                   [JudgementRecord("j", "e", {"a": 1, "b": 2})])
    assert result.categories[0].entries[0].score == Fraction(5, 3)


def test_round_half_up_from_the_exact_value() -> None:
    assert round2(Fraction(7125, 1000)) == 7.13  # float rounding would give 7.12
    assert round2(Fraction(2390, 300)) == 7.97


def test_places() -> None:
    settings = Settings(weights={}, judges_per_entry=1, shortlist_size=5, highly_commended=2)
    assert places(settings) == ["winner", "highly_commended", "highly_commended", "shortlisted",
                                "shortlisted"]


def test_invalid_programme_refuses_to_tally(tmp_path: Path) -> None:
    entries = {"e1": entry_meta("e1")}
    root = write_programme(tmp_path, entries=entries, sheets={"j1": {"e1": scores(11, 8)}})
    result = runner.invoke(app, ["tally", "-p", str(root), "--format", "json"],
                           catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "score-out-of-range" in result.stderr


def test_output_formats_and_out_file(tmp_path: Path) -> None:
    entries = {e: entry_meta(e, title=f"=HYPERLINK(\"x\") {e}") for e in ["a", "b"]}
    sheets = {"j1": {"a": scores(9, 9), "b": scores(5, 5)},
              "j2": {"a": scores(8, 8), "b": scores(5, 6)}}
    root = write_programme(tmp_path / "p", entries=entries, sheets=sheets)
    out = tmp_path / "tally.csv"
    result = runner.invoke(app, ["tally", "-p", str(root), "-f", "csv", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("category,rank,entry,title,organisation,score,z,judgements,spread,"
                        "award,tally_award,flags")
    # a: S 9 and 8 -> 8.5; b: S 5 and 5.6 -> 5.3; spreads 1.0 and 0.6
    assert lines[1] == "cat-a,1,a,\"'=HYPERLINK(\"\"x\"\") a\",Org of a,8.5,,2,1.0,winner,,"
    assert lines[2].startswith("cat-a,2,b,") and ",5.3,,2,0.6,highly_commended,," in lines[2]
    md = runner.invoke(app, ["tally", "-p", str(root), "-f", "markdown"]).stdout
    assert "| 1 | =HYPERLINK(\"x\") a (`a`) | Org of a | 8.50 | 2 | 1.00 | Winner |  |" in md
    table = runner.invoke(app, ["tally", "-p", str(root)])
    assert table.exit_code == 0 and "Winner" in table.stdout
    bad = runner.invoke(app, ["tally", "-p", str(root), "--out", str(tmp_path)])
    assert bad.exit_code == 2


def test_explain_unknown_entry_is_a_usage_error(tmp_path: Path) -> None:
    root = write_programme(tmp_path, entries={"a": entry_meta("a")},
                           sheets={"j1": {"a": scores(1, 1)}})
    result = runner.invoke(app, ["tally", "-p", str(root), "--explain", "nope"])
    assert result.exit_code == 2


@pytest.mark.parametrize(("how", "said"), [("withdrawn", "withdrawn"),
                                           ("disqualified", "disqualified")])
def test_explain_an_entry_out_of_the_awards_says_when_and_why(tmp_path: Path, how: str,
                                                              said: str) -> None:
    """Not "no entry": it is on record, out of the tally since a date, for a reason."""
    left: dict[str, Any] = {how: {"date": "2020-02-10", "reason": "Late data."}}
    entries = {"a": entry_meta("a"), "b": entry_meta("b", **left)}
    root = write_programme(tmp_path, entries=entries, sheets={"j1": {"a": scores(1, 1)}})
    result = runner.invoke(app, ["tally", "-p", str(root), "--explain", "b"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert f"'b' was {said} on 10 Feb 2020 (Late data.)" in message
    assert "no entry" not in message


EXAMPLE = Path(__file__).resolve().parent.parent


def test_example_programme_tally() -> None:
    """Facts of the Kent & Medway example's round 1 (shortlisting), worked out from its
    score sheets: every category's top five go on to the final."""
    data = run_json(EXAMPLE, "--round", "shortlisting")
    assert data["round"] == "shortlisting"
    community = by_id(data, "qi-community")
    # both 2390/300 = 7.9666…: the tiebreak (impact means 26/3 against 24/3) decides
    hospice = community["hospice-at-home-rapid-response"]
    frailty = community["frailty-virtual-ward"]
    assert hospice["score"] == frailty["score"] == 7.97
    assert (hospice["rank"], hospice["award"]) == (1, "shortlisted")
    assert (frailty["rank"], frailty["award"]) == (2, "shortlisted")
    assert "tie" not in hospice["flags"] and "tie" not in frailty["flags"]
    triage = by_id(data, "qi-primary")["total-triage"]
    assert triage["flags"] == ["disagreement"] and triage["spread"] == 3.5
    # six entries in qi-secondary: the sixth (5.93) is not shortlisted
    secondary = by_id(data, "qi-secondary")
    assert secondary["medicines-reconciliation"]["rank"] == 6
    assert secondary["medicines-reconciliation"]["award"] is None
    assert secondary["same-day-emergency-care"]["award"] == "shortlisted"
    assert "overridden" not in secondary["virtual-fracture-clinic"]["flags"]  # the decision
    # is about the final
    ulcer = by_id(data, "qi-community")["leg-ulcer-clinics"]
    assert ulcer["judgements"] == 3
    patients = by_id(data, "safety-patients")
    assert (patients["fetal-movements"]["score"], patients["medicines-passport"]["score"]) == (
        7.0, 6.87)


def test_example_final_by_hand() -> None:
    """The example's ranked final (the current round: the timeline is long past), counted
    by hand from rounds/final/ballots/. Panel: hmarsh, aharrow, sthorne, nadeyemi,
    mwhitlock; hmarsh is conflicted with care-home-deprescribing (her own East Kent CCGs),
    aharrow with af-detection and frailty-virtual-ward, mwhitlock with
    falls-lifting-cushions and care-home-video-triage (judges.yaml), sthorne declares a
    conflict with spot-sepsis-carers in her ballot."""
    data = run_json(EXAMPLE)
    assert (data["round"], data["method"]) == ("final", "ranked")
    community = {c["id"]: c for c in data["categories"]}

    # qi-community: hospice-at-home over the frailty virtual ward 3 to 1 (hmarsh, sthorne,
    # nadeyemi against mwhitlock; aharrow has no say), so round 1's dead heat is settled
    cat = community["qi-community"]
    assert cat["pairwise"]["hospice-at-home-rapid-response"]["frailty-virtual-ward"] == 3
    assert cat["pairwise"]["frailty-virtual-ward"]["hospice-at-home-rapid-response"] == 1
    assert cat["ranking"] == [["hospice-at-home-rapid-response"], ["frailty-virtual-ward"],
                              ["discharge-to-assess"], ["leg-ulcer-clinics"],
                              ["care-home-video-triage"]]
    entries = by_id(data, "qi-community")
    # Borda = the sum of d[X, Y]: 3 (frailty) + 5 (discharge) + 5 (ulcers) + 4 (video
    # triage: mwhitlock has no say) = 17; and 4 judges have a say on frailty-virtual-ward
    assert entries["hospice-at-home-rapid-response"]["borda"] == 17
    assert entries["frailty-virtual-ward"]["ballots"] == 4
    assert (entries["hospice-at-home-rapid-response"]["award"],
            entries["frailty-virtual-ward"]["award"]) == ("winner", "highly_commended")

    # qi-primary: Borda ties care-home-deprescribing and diabetes-care-processes at 14
    # (3+4+4+3 and 1+4+5+4), but Schulze decides: d 3 to 1 (hmarsh has no say)
    primary = by_id(data, "qi-primary")
    assert primary["care-home-deprescribing"]["borda"] == \
        primary["diabetes-care-processes"]["borda"] == 14
    assert (primary["care-home-deprescribing"]["rank"],
            primary["diabetes-care-processes"]["rank"]) == (1, 2)

    # safety-community: falls-lifting-cushions and syringe-driver-safety split 2 to 2
    # (hmarsh and nadeyemi against aharrow and sthorne; mwhitlock has no say), so they
    # tie at 4th: the count never breaks a tie, and both stay shortlisted
    safety = by_id(data, "safety-community")
    for name in ("falls-lifting-cushions", "syringe-driver-safety"):
        assert (safety[name]["rank"], safety[name]["award"], safety[name]["flags"]) == (
            4, "shortlisted", ["tie"])
    assert community["safety-community"]["undecided"] == []

    # safety-patients: the panel puts the medicines passport (round 1: 6.87, 4th) above
    # fetal movements (7.00, 3rd), 3 to 1 (sthorne, of the trust, has no say)
    patients = by_id(data, "safety-patients")
    assert (patients["medicines-passport"]["rank"], patients["medicines-passport"]["award"]) \
        == (3, "highly_commended")
    assert (patients["fetal-movements"]["rank"], patients["fetal-movements"]["award"]) == (
        4, "shortlisted")
    assert community["safety-patients"]["pairwise"]["medicines-passport"][
        "fetal-movements"] == 3
    assert patients["spot-sepsis-carers"]["ballots"] == 4  # sthorne's declared conflict

    # qi-secondary: the count gives same-day emergency care highly commended; the steering
    # group's decision gives it to the virtual fracture clinic
    secondary = by_id(data, "qi-secondary")
    assert secondary["same-day-emergency-care"]["tally_award"] == "highly_commended"
    assert secondary["same-day-emergency-care"]["award"] == "shortlisted"
    assert secondary["virtual-fracture-clinic"]["award"] == "highly_commended"
    assert secondary["virtual-fracture-clinic"]["flags"] == ["overridden"]
    assert "medicines-reconciliation" not in secondary  # not a finalist


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_same_inputs_same_bytes(fmt: str) -> None:
    first = runner.invoke(app, ["tally", "-p", str(EXAMPLE), "-f", fmt]).stdout
    second = runner.invoke(app, ["tally", "-p", str(EXAMPLE), "-f", fmt]).stdout
    assert first == second and first


def test_decimal_weights_are_the_numbers_written() -> None:
    """Weights 0.1 and 0.3 are 1/10 and 3/10, not the binary floats nearest to them:
    S for scores 3 and 0 is exactly 0.3/0.4 = 3/4, as it is for 0 and 1."""
    from qsi_awards.judging.tally import weighted_score

    weights = {"a": 0.1, "b": 0.3}
    assert weighted_score({"a": 3, "b": 0}, weights) == Fraction(3, 4)
    assert weighted_score({"a": 0, "b": 1}, weights) == Fraction(3, 4)


def test_disagreement_threshold_is_exact() -> None:
    """A spread of exactly 0.3 does not exceed a threshold of 0.3 (the binary float 0.3
    is a little less than 3/10, which would flag it)."""
    settings = Settings(weights={"a": Fraction(1), "b": Fraction(9)}, judges_per_entry=2,
                        disagreement=0.3)
    entries = {"e": front("e", "c", "o", title="e")}
    records = [JudgementRecord("j", "e", {"a": 3, "b": 5}),  # S = 48/10
               JudgementRecord("k", "e", {"a": 0, "b": 5})]  # S = 45/10: spread 3/10
    result = tally(settings, [category("c", "C")], entries, records)
    entry = result.categories[0].entries[0]
    assert entry.spread == Fraction(3, 10)
    assert "disagreement" not in entry.flags
