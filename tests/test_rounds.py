"""Judging in rounds (README "Judging in rounds"): a rubric shortlisting round feeding a
ranked final, decisions per round, award thresholds, and `--round`; every expected
number worked out by hand.

The two-round programme here (`two_rounds`): weights ambition 20, impact 30, so
S = 0.4·ambition + 0.6·impact; judges_per_entry 2, shortlist_size 3, 1 highly
commended place. Round 1 scores in cat-a: oak 8.0, elm 7.0, mill 6.8 (7.6 and 6.0),
ash 5.0, so oak, elm and mill are shortlisted and ash is not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder import dump, entry_meta, scores, write_programme
from conftest import git, git_commit_all, git_init, run_cli

ROUNDS: list[dict[str, Any]] = [
    {"id": "shortlisting", "title": "Shortlisting", "method": "rubric", "closes": "2020-02-15"},
    {"id": "final", "title": "Final panel", "method": "ranked", "judges": ["j1", "j2", "j3"],
     "judges_per_entry": 2, "closes": "2020-03-01"},
]


def two_rounds(tmp_path: Path, ballots: dict[str, Any] | None = None,
               decisions: list[dict[str, Any]] | None = None,
               judging: dict[str, Any] | None = None) -> Path:
    entries = {e: entry_meta(e) for e in ("oak", "elm", "mill", "ash")}
    sheets = {
        "j1": {"oak": scores(8, 8), "elm": scores(7, 7), "mill": scores(7, 8),
               "ash": scores(5, 5)},
        "j4": {"oak": scores(8, 8), "elm": scores(7, 7), "mill": scores(6, 6),
               "ash": scores(5, 5)},
    }
    root = write_programme(tmp_path / "programme", entries=entries, sheets=sheets,
                           judging={"highly_commended": 1, "shortlist_size": 3,
                                    **(judging or {})},
                           decisions=decisions, extra_settings={"rounds": ROUNDS})
    folder = root / "rounds" / "final" / "ballots"
    folder.mkdir(parents=True)
    for judge_id, ballot in (ballots if ballots is not None else FINAL).items():
        (folder / f"{judge_id}.yaml").write_text(dump({"judge": judge_id, "ballots": ballot}),
                                                 "utf-8")
    return root


# j1: mill > oak > elm; j2: oak > mill > elm; j3: mill > [oak, elm]
FINAL = {"j1": {"cat-a": {"ranking": ["mill", "oak", "elm"]}},
         "j2": {"cat-a": {"ranking": ["oak", "mill", "elm"]}},
         "j3": {"cat-a": {"ranking": ["mill", ["oak", "elm"]]}}}


def tally(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(["tally", "-p", root, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def entries(document: dict[str, Any], category: str = "cat-a") -> dict[str, dict[str, Any]]:
    (found,) = [c for c in document["categories"] if c["id"] == category]
    return {e["entry"]: e for e in found["entries"]}


def test_two_rounds_validate_clean(tmp_path: Path) -> None:
    result = run_cli(["validate", "-p", two_rounds(tmp_path), "--format", "json"])
    assert json.loads(result.stdout)["findings"] == []
    assert result.exit_code == 0


def test_the_shortlisting_round_shortlists_the_top_three(tmp_path: Path) -> None:
    document = tally(two_rounds(tmp_path), "--round", "shortlisting")
    assert document["round"] == "shortlisting" and document["method"] == "mean"
    got = entries(document)
    assert [(e, got[e]["rank"], got[e]["score"], got[e]["award"])
            for e in ("oak", "elm", "mill", "ash")] == [
        ("oak", 1, 8.0, "shortlisted"), ("elm", 2, 7.0, "shortlisted"),
        ("mill", 3, 6.8, "shortlisted"), ("ash", 4, 5.0, None)]


def test_the_ranked_final(tmp_path: Path) -> None:
    """d by hand: mill>oak j1, j3 = 2, oak>mill j2 = 1; mill>elm 3; oak>elm j1, j2 = 2,
    elm>oak 0 (j3 ties them). So mill > oak > elm: mill wins, oak is highly commended,
    elm stays shortlisted. Borda (2, 1, 0 points; ties share): mill 2 + 1 + 2 = 5, oak
    1 + 2 + 0.5 = 3.5, elm 0 + 0 + 0.5 = 0.5. ash, not shortlisted, is not in the final."""
    document = tally(two_rounds(tmp_path), "--round", "final")
    assert document["round"] == "final" and document["method"] == "ranked"
    (cat,) = document["categories"]
    assert cat["ranking"] == [["mill"], ["oak"], ["elm"]]
    assert cat["pairwise"] == {"elm": {"mill": 0, "oak": 0}, "mill": {"elm": 3, "oak": 2},
                               "oak": {"elm": 2, "mill": 1}}
    # strongest paths: the links are mill->oak 2, mill->elm 3, oak->elm 2
    assert cat["strongest"] == {"elm": {"mill": 0, "oak": 0}, "mill": {"elm": 3, "oak": 2},
                                "oak": {"elm": 2, "mill": 0}}
    assert [(e["entry"], e["rank"], e["award"], e["ballots"], e["borda"])
            for e in cat["entries"]] == [
        ("mill", 1, "winner", 3, 5), ("oak", 2, "highly_commended", 3, 3.5),
        ("elm", 3, "shortlisted", 3, 0.5)]
    assert cat["undecided"] == []


def test_a_conflict_in_the_final_leaves_a_tie_and_an_open_place(tmp_path: Path) -> None:
    """j3 declares a conflict with oak: their ballot has no say on oak's pairs. Then
    mill>oak 1 (j1) and oak>mill 1 (j2): no link either way, and none through elm (nobody
    prefers elm to anyone), so mill and oak tie. The tie takes the winner and highly
    commended places: both are highly commended, the winner place stays open."""
    ballots = {**FINAL, "j3": {"cat-a": {"ranking": ["mill", "elm"],
                                         "conflicts": {"oak": "Former colleague"}}}}
    document = tally(two_rounds(tmp_path, ballots), "--round", "final")
    (cat,) = document["categories"]
    assert cat["pairwise"]["mill"]["oak"] == 1 and cat["pairwise"]["oak"]["mill"] == 1
    assert cat["ranking"] == [["mill", "oak"], ["elm"]]
    got = entries(document)
    assert (got["mill"]["award"], got["oak"]["award"]) == ("highly_commended",
                                                           "highly_commended")
    assert got["mill"]["flags"] == ["tie"] and got["oak"]["ballots"] == 2
    assert cat["undecided"] == [{"awards": ["winner"], "entries": ["mill", "oak"]}]


def test_a_finalist_with_too_few_ballots_is_incomplete(tmp_path: Path) -> None:
    """Only j1 has ranked: every finalist has 1 ballot of the 2 it needs. None is counted
    or awarded; all stay shortlisted."""
    ballots = {"j1": FINAL["j1"], "j2": {"cat-a": {"ranking": None}}}
    root = two_rounds(tmp_path, ballots)
    got = entries(tally(root, "--round", "final"))
    assert {e: (got[e]["rank"], got[e]["award"], got[e]["flags"]) for e in got} == {
        e: (None, "shortlisted", ["incomplete"]) for e in ("elm", "mill", "oak")}
    # validate: j2 has the ballot (two judges are given each finalist), not ranked yet
    found = json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)
    assert [(f["path"], f["line"], f["code"]) for f in found["findings"]] == [
        ("rounds/final/ballots/j2.yaml", 4, "pending-judgement")]


def test_a_shortlist_decision_changes_who_is_in_the_final(tmp_path: Path) -> None:
    decisions = [{"round": "shortlisting", "category": "cat-a",
                  "shortlist": ["oak", "elm", "ash"], "reason": "Steering group: a fairer mix."}]
    ballots = {"j1": {"cat-a": {"ranking": ["ash", "oak", "elm"]}},
               "j2": {"cat-a": {"ranking": ["ash", "oak", "elm"]}}}
    root = two_rounds(tmp_path, ballots, decisions)
    first = entries(tally(root, "--round", "shortlisting"))
    assert (first["mill"]["award"], first["mill"]["tally_award"], first["mill"]["flags"]) == (
        None, "shortlisted", ["overridden"])
    assert (first["ash"]["award"], first["ash"]["tally_award"]) == ("shortlisted", None)
    final = entries(tally(root, "--round", "final"))
    assert sorted(final) == ["ash", "elm", "oak"]
    assert final["ash"]["award"] == "winner"
    result = run_cli(["validate", "-p", root, "--format", "json"])
    assert result.exit_code == 0, result.stdout


def test_a_ballot_for_someone_not_shortlisted(tmp_path: Path) -> None:
    ballots = {**FINAL, "j2": {"cat-a": {"ranking": ["ash", "oak"]}}}
    found = json.loads(run_cli(["validate", "-p", two_rounds(tmp_path, ballots),
                                "--format", "json"]).stdout)["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in found] == [
        ("rounds/final/ballots/j2.yaml", 5, "not-a-finalist")]
    assert "not on the shortlist of the round before" in found[0]["message"]


def test_explain_a_finalist(tmp_path: Path) -> None:
    result = run_cli(["tally", "-p", two_rounds(tmp_path), "--round", "final",
                      "--explain", "oak"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "j3: mill > elm = oak" in text
    assert "Ranking (Schulze; '=' is a tie, never broken): 1. mill  2. oak  3. elm" in text
    assert "Pairwise counts d[X,Y]" in text and "Strongest paths p[X,Y]" in text
    assert "Rank: 2; award: Highly commended." in text


def test_the_default_round_is_the_current_one(tmp_path: Path) -> None:
    """Both rounds closed in 2020, so today the final is current."""
    document = tally(two_rounds(tmp_path))
    assert document["round"] == "final"


def test_round_errors(tmp_path: Path) -> None:
    root = two_rounds(tmp_path)
    result = run_cli(["tally", "-p", root, "--round", "semi"])
    assert result.exit_code == 2
    assert "There is no round 'semi'; the rounds are shortlisting, final" in result.stderr
    result = run_cli(["tally", "-p", root, "--round", "final", "--method", "zscore"])
    assert result.exit_code == 2
    assert "is ranked" in result.stderr


def test_the_formats_of_a_ranked_round(tmp_path: Path) -> None:
    root = two_rounds(tmp_path)
    csv = run_cli(["tally", "-p", root, "--round", "final", "--format", "csv"]).stdout
    assert csv.splitlines() == [
        "category,rank,entry,title,organisation,ballots,borda,award,tally_award,flags",
        "cat-a,1,mill,Project mill,Org of mill,3,5,winner,,",
        "cat-a,2,oak,Project oak,Org of oak,3,3.5,highly_commended,,",
        "cat-a,3,elm,Project elm,Org of elm,3,0.5,shortlisted,,"]
    markdown = run_cli(["tally", "-p", root, "--round", "final", "--format", "markdown"]).stdout
    assert "| 1 | Project mill (mill) | Org of mill | 3 | 5 | Winner |  |" in markdown
    table = run_cli(["tally", "-p", root, "--round", "final"]).stdout
    assert "Final panel (round final, ranked by the Schulze method)" in table


# Award thresholds ----------------------------------------------------------------------


def test_no_award_below_the_threshold(tmp_path: Path) -> None:
    """One entry, S = 0.4·4 + 0.6·4.333.. : j1 4 and 4 -> 4.0, j2 4 and 5 -> 4.6, mean
    4.3; below the threshold 6, so no award, and the tally says why."""
    root = write_programme(tmp_path, entries={"only": entry_meta("only")},
                           sheets={"j1": {"only": scores(4, 4)}, "j2": {"only": scores(4, 5)}},
                           judging={"threshold": 6})
    document = tally(root)
    assert "round" not in document
    (cat,) = document["categories"]
    assert cat["no_award"] == "no award: best score 4.30 is below the threshold 6.00"
    assert (cat["entries"][0]["rank"], cat["entries"][0]["award"],
            cat["entries"][0]["flags"]) == (1, None, ["below-threshold"])
    table = run_cli(["tally", "-p", root]).stdout
    assert "No award: best score 4.30 is below the threshold 6.00." in table


def test_the_threshold_cuts_between_entries(tmp_path: Path) -> None:
    """a 7.0, b 5.0 with the threshold 6: a wins, b gets nothing (and the category is
    not 'no award')."""
    root = write_programme(tmp_path, entries={"a": entry_meta("a"), "b": entry_meta("b")},
                           sheets={"j1": {"a": scores(7, 7), "b": scores(5, 5)},
                                   "j2": {"a": scores(7, 7), "b": scores(5, 5)}},
                           judging={"threshold": 6.0})
    (cat,) = tally(root)["categories"]
    assert [(e["entry"], e["award"], e["flags"]) for e in cat["entries"]] == [
        ("a", "winner", []), ("b", None, ["below-threshold"])]
    assert "no_award" not in cat


def test_a_decision_overrides_the_threshold(tmp_path: Path) -> None:
    root = write_programme(tmp_path, entries={"only": entry_meta("only")},
                           sheets={"j1": {"only": scores(4, 4)}, "j2": {"only": scores(4, 5)}},
                           judging={"threshold": 6},
                           decisions=[{"category": "cat-a", "winner": "only",
                                       "reason": "Steering group: outstanding for its size."}])
    (cat,) = tally(root)["categories"]
    assert (cat["entries"][0]["award"], cat["entries"][0]["tally_award"],
            cat["entries"][0]["flags"]) == ("winner", None, ["below-threshold", "overridden"])


def test_a_threshold_in_the_shortlisting_round_keeps_weak_entries_out(tmp_path: Path) -> None:
    """Round 1's threshold 7: only oak (8.0) and elm (7.0) go on to the final."""
    rounds = [{**ROUNDS[0], "threshold": 7}, ROUNDS[1]]
    root = two_rounds(tmp_path, {"j1": {"cat-a": {"ranking": ["elm", "oak"]}},
                                 "j2": {"cat-a": {"ranking": ["elm", "oak"]}}})
    settings = (root / "programme.yaml").read_text("utf-8")
    (root / "programme.yaml").write_text(settings.replace(dump({"rounds": ROUNDS}),
                                                          dump({"rounds": rounds})), "utf-8")
    assert "threshold: 7" in (root / "programme.yaml").read_text("utf-8")
    final = entries(tally(root, "--round", "final"))
    assert {e: final[e]["award"] for e in final} == {"elm": "winner",
                                                     "oak": "highly_commended"}


# --round for the other commands -------------------------------------------------------


def test_assign_gives_the_panel_its_ballots(tmp_path: Path) -> None:
    """Each judge on the final's panel gets a ballot for cat-a (the only category with
    finalists), written as a stub; j4, not on the panel, gets nothing; a re-run adds
    nothing; a ballot file already there keeps every byte."""
    root = two_rounds(tmp_path, ballots={})
    kept = "# my notes\njudge: j2\nballots:\n  cat-a:\n    ranking: [oak]   # so far\n"
    (root / "rounds/final/ballots/j2.yaml").write_text(kept, "utf-8")
    result = run_cli(["assign", "-p", root, "--round", "final"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "rounds/final/ballots/j1.yaml: added cat-a (load 0 -> 1)",
        "rounds/final/ballots/j3.yaml: added cat-a (load 0 -> 1)",
        "2 ballots added."]
    assert (root / "rounds/final/ballots/j1.yaml").read_text("utf-8") == (
        "judge: j1\nballots:\n  cat-a:\n    ranking: null\n")
    assert (root / "rounds/final/ballots/j2.yaml").read_text("utf-8") == kept
    assert not (root / "rounds/final/ballots/j4.yaml").exists()
    again = run_cli(["assign", "-p", root, "--round", "final"])
    assert again.stdout == ("Nothing to add: every judge on the panel has a ballot for every "
                            "category.\n")


def test_assign_a_ballot_to_a_file_with_another_category(tmp_path: Path) -> None:
    """A ballot file that holds a ballot for another category gets cat-a added below it,
    and everything already there stays byte for byte."""
    root = two_rounds(tmp_path, ballots={})
    text = "judge: j1\nballots:\n  cat-b:   # none in this round\n    ranking: null\n"
    (root / "rounds/final/ballots/j1.yaml").write_text(text, "utf-8")
    categories = (root / "categories.yaml").read_text("utf-8")
    (root / "categories.yaml").write_text(
        categories + "- id: cat-b\n  title: Category B\n  theme: qi\n", "utf-8")
    assert run_cli(["assign", "-p", root, "--round", "final"]).exit_code == 0
    assert (root / "rounds/final/ballots/j1.yaml").read_text("utf-8") == (
        text + "  cat-a:\n    ranking: null\n")


def test_assign_a_rubric_round_uses_its_panel(tmp_path: Path) -> None:
    rounds = [{**ROUNDS[0], "judges": ["j1", "j4"]}, ROUNDS[1]]
    root = two_rounds(tmp_path)
    settings = (root / "programme.yaml").read_text("utf-8")
    (root / "programme.yaml").write_text(settings.replace(dump({"rounds": ROUNDS}),
                                                          dump({"rounds": rounds})), "utf-8")
    (root / "scores/j4.yaml").unlink()
    result = run_cli(["assign", "-p", root, "--round", "shortlisting", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "scores/j4.yaml: would add ash, elm, mill, oak (load 0 -> 4)")


def test_validate_warns_about_the_round_it_is_asked_about(tmp_path: Path) -> None:
    """j1's round-1 score for ash is still empty: a pending judgement in the shortlisting
    round, which validate reports for that round, not for the final (the current one)."""
    root = two_rounds(tmp_path)
    sheet = (root / "scores/j1.yaml").read_text("utf-8")
    (root / "scores/j1.yaml").write_text(sheet.replace(
        "  ash:\n    ambition: 5\n", "  ash:\n    ambition: null\n"), "utf-8")
    now = json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)
    assert now["findings"] == []
    asked = json.loads(run_cli(["validate", "-p", root, "--format", "json",
                                "--round", "shortlisting"]).stdout)
    assert [(f["path"], f["code"]) for f in asked["findings"]] == [
        ("scores/j1.yaml", "pending-judgement")]
    bad = run_cli(["validate", "-p", root, "--round", "semi"])
    assert bad.exit_code == 2 and "There is no round 'semi'" in bad.stderr


def test_status_of_a_round(tmp_path: Path) -> None:
    root = two_rounds(tmp_path, ballots={"j1": FINAL["j1"], "j2": {"cat-a": {"ranking": None}}})
    document = json.loads(run_cli(["status", "-p", root, "--format", "json",
                                   "--today", "2020-02-20"]).stdout)
    assert document["round"] == {"id": "final", "title": "Final panel", "method": "ranked",
                                 "opens": "2020-02-16", "closes": "2020-03-01",
                                 "state": "open"}
    assert [r["state"] for r in document["rounds"]] == ["closed", "open"]
    judges = {j["id"]: (j["complete"], j["assigned"]) for j in document["judges"]}
    assert judges == {"j1": (1, 1), "j2": (0, 1), "j3": (0, 0)}
    assert document["ready_to_tally"] is False
    first = json.loads(run_cli(["status", "-p", root, "--format", "json", "--today",
                                "2020-02-20", "--round", "shortlisting"]).stdout)
    assert {j["id"]: j["complete"] for j in first["judges"]} == {"j1": 4, "j2": 0, "j3": 0,
                                                                 "j4": 4}
    assert first["ready_to_tally"] is True


# guard: a judge changes only their own file, and only while its round is open ------------


def with_handles(root: Path) -> Path:
    """The judges j1 to j4 get the GitHub handles judge1 to judge4."""
    judges = [{"id": f"j{i}", "name": f"Judge {i}", "organisation": f"Panel Org {i}",
               "github": f"judge{i}"} for i in range(1, 5)]
    (root / "judges.yaml").write_text(dump({"judges": judges}), "utf-8")
    return root


def guarded(tmp_path: Path) -> Path:
    """The two-round programme in git (main), judges with GitHub handles, on a branch."""
    root = with_handles(two_rounds(tmp_path))
    git_init(root)
    git_commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def reorder(path: Path) -> None:
    """j1 changes their mind: oak above mill."""
    path.write_text(dump({"judge": "j1", "ballots": {"cat-a": {
        "ranking": ["oak", "mill", "elm"]}}}), "utf-8")


def guard(root: Path, author: str, today: str) -> tuple[int, list[tuple[str, str, str]]]:
    if git(root, "status", "--porcelain"):
        git_commit_all(root, "change")
    result = run_cli(["guard", "-p", root, "--author", author, "--base", "main",
                      "--today", today, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)["findings"]
    return result.exit_code, [(f["path"], f["code"], f["message"]) for f in found]


def test_a_judge_changes_their_ballot_while_the_round_is_open(tmp_path: Path) -> None:
    root = guarded(tmp_path)
    reorder(root / "rounds/final/ballots/j1.yaml")
    assert guard(root, "judge1", "2020-02-20") == (0, [])


def test_a_closed_round_is_read_only_but_for_maintainers(tmp_path: Path) -> None:
    root = guarded(tmp_path)
    reorder(root / "rounds/final/ballots/j1.yaml")
    code, found = guard(root, "judge1", "2020-03-02")
    assert code == 1
    assert found == [("rounds/final/ballots/j1.yaml", "guard-not-allowed",
                      "The round 'final' closed on 1 March 2020, so "
                      "rounds/final/ballots/j1.yaml may not be changed now; only the programme "
                      "team (lead-handle) may change a round's files outside the days it is "
                      "open.")]
    assert guard(root, "lead-handle", "2020-03-02") == (0, [])


def test_round_one_closes_too(tmp_path: Path) -> None:
    """scores/ is the shortlisting round's: closed on 15 February 2020."""
    root = guarded(tmp_path)
    sheet = root / "scores/j1.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("ambition: 5", "ambition: 6"), "utf-8")
    assert guard(root, "judge1", "2020-02-15")[0] == 0  # its last day
    code, found = guard(root, "judge1", "2020-02-16")
    assert code == 1 and found[0][1] == "guard-not-allowed"
    assert "The round 'shortlisting' closed on 15 February 2020" in found[0][2]


def test_a_judge_may_not_add_a_category_or_touch_another_ballot(tmp_path: Path) -> None:
    root = guarded(tmp_path)
    mine = root / "rounds/final/ballots/j1.yaml"
    mine.write_text(mine.read_text("utf-8") + "  cat-b:\n    ranking: null\n", "utf-8")
    other = root / "rounds/final/ballots/j2.yaml"
    other.write_text(other.read_text("utf-8").replace("ranking:", "ranking: #\n   "), "utf-8")
    code, found = guard(root, "judge1", "2020-02-20")
    assert code == 1
    assert [(path, code) for path, code, _ in found] == [
        ("rounds/final/ballots/j1.yaml", "guard-sheet-entry"),
        ("rounds/final/ballots/j2.yaml", "guard-not-allowed")]
    assert "'cat-b' is not in your ballot file at main" in found[0][2]


# packs and workbooks for one round's judges ---------------------------------------------


def test_packs_for_the_final_give_each_judge_the_finalists(tmp_path: Path) -> None:
    root = two_rounds(tmp_path)
    out = tmp_path / "packs"
    result = run_cli(["render", "packs", "-p", root, "--out", out, "--round", "final"])
    assert result.exit_code == 0, result.output
    key = {line.split(",")[1]: line.split(",")[0]
           for line in (out / "CONFIDENTIAL_references.csv").read_text("utf-8").splitlines()[1:]}
    pack = (out / "j1.html").read_text("utf-8")
    assert all(key[e] in pack for e in ("mill", "oak", "elm"))
    assert key["ash"] not in pack  # not shortlisted: not in the final
    # j4 is not on the final's panel: no pack (it was one with no entries, telling them
    # to score by a deadline)
    assert sorted(p.name for p in out.glob("*.html")) == ["j1.html", "j2.html", "j3.html"]


def test_workbooks_are_for_a_rubric_round(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = two_rounds(tmp_path)
    refused = run_cli(["render", "workbooks", "-p", root, "--out", tmp_path / "w",
                       "--round", "final"])
    assert refused.exit_code == 2 and "is ranked" in refused.stderr
    made = run_cli(["render", "workbooks", "-p", root, "--out", tmp_path / "w",
                    "--round", "shortlisting"])
    assert made.exit_code == 0, made.output
    book = load_workbook(tmp_path / "w" / "j1.xlsx")
    facts = {row[0].value: row[1].value for row in book["qsi"].iter_rows(max_col=2)}
    assert facts["round"] == "shortlisting"
    same = run_cli(["import", "scores", "-p", root, tmp_path / "w" / "j1.xlsx",
                    "--round", "shortlisting", "--dry-run"])
    assert same.exit_code == 0, same.output
    other = run_cli(["import", "scores", "-p", root, tmp_path / "w" / "j1.xlsx"])
    assert other.exit_code == 2 and "is ranked" in other.stderr  # the final is current


def test_round_is_only_for_one_rounds_outputs(tmp_path: Path) -> None:
    result = run_cli(["render", "shortlist", "-p", two_rounds(tmp_path), "--out",
                      tmp_path / "out", "--round", "final"])
    assert result.exit_code == 2 and "--round is for packs and workbooks" in result.stderr


def test_codeowners_hands_each_judge_their_ballot_file(tmp_path: Path) -> None:
    text = run_cli(["codeowners", "-p", with_handles(two_rounds(tmp_path))]).stdout
    assert "/scores/j1.yaml @judge1 @lead-handle\n/rounds/final/ballots/j1.yaml @judge1 " \
           "@lead-handle\n" in text
    assert "/rounds/final/ballots/j4.yaml" not in text  # j4 is not on the final's panel


# a calibration exercise: reference entries every judge scores first, never counted ------


def with_calibration(tmp_path: Path) -> Path:
    """Reference entries ref1 and ref2 (cat-a), scored by j1 (S 6 and 8) and j2 (S 4 and
    6) in rounds/calibration/scores/ before the shortlisting round, which still keeps its
    sheets in scores/."""
    root = two_rounds(tmp_path)
    rounds = [{"id": "calibration", "title": "Calibration exercise", "method": "rubric",
               "reference": ["ref1", "ref2"], "closes": "2020-02-05"}, *ROUNDS]
    settings = (root / "programme.yaml").read_text("utf-8")
    (root / "programme.yaml").write_text(settings.replace(dump({"rounds": ROUNDS}),
                                                          dump({"rounds": rounds})), "utf-8")
    from builder import entry_text

    for entry_id in ("ref1", "ref2"):
        (root / "entries" / f"{entry_id}.md").write_text(entry_text(entry_meta(entry_id)),
                                                         "utf-8")
    folder = root / "rounds/calibration/scores"
    folder.mkdir(parents=True)
    for judge_id, (a, b) in {"j1": (6, 8), "j2": (4, 6)}.items():
        (folder / f"{judge_id}.yaml").write_text(dump({"judge": judge_id, "scores": {
            "ref1": scores(a, a), "ref2": scores(b, b)}}), "utf-8")
    return root


def test_a_calibration_exercise_never_counts(tmp_path: Path) -> None:
    root = with_calibration(tmp_path)
    result = run_cli(["validate", "-p", root, "--format", "json", "--round", "shortlisting"])
    assert json.loads(result.stdout)["findings"] == [] and result.exit_code == 0
    shortlist = entries(tally(root, "--round", "shortlisting"))
    assert sorted(shortlist) == ["ash", "elm", "mill", "oak"]  # no reference entries
    assert sorted(entries(tally(root, "--round", "final"))) == ["elm", "mill", "oak"]
    everything = entries(tally(root, "--round", "calibration"))
    assert {e: everything[e]["award"] for e in everything} == {"ref1": None, "ref2": None}


def test_calibration_reports_on_the_exercise(tmp_path: Path) -> None:
    """j1 is 2 above j2 on both reference entries: offsets +2, +2 (lenient) and −2, −2
    (harsh). Alpha over S, units (6, 4) and (8, 6): D_o = (2·2² + 2·2²) / 4 = 4; values
    4, 6, 6, 8: D_e = 2·(1·2·2² + 1·1·4² + 2·1·2²) / (4·3) = 64/12; 1 − 4·12/64 = 0.25."""
    root = with_calibration(tmp_path)
    document = json.loads(run_cli(["calibration", "-p", root, "--round", "calibration",
                                   "--format", "json"]).stdout)
    judges = {j["judge"]: (j["offset"], j["interval"], j["flag"]) for j in document["judges"]}
    assert judges == {"j1": (2.0, [2.0, 2.0], "lenient"), "j2": (-2.0, [-2.0, -2.0], "harsh")}
    assert document["agreement"]["overall"] == 0.25


def test_the_exercise_is_assigned_to_every_judge_and_kept_out_of_the_site(
        tmp_path: Path) -> None:
    root = with_calibration(tmp_path)
    result = run_cli(["assign", "-p", root, "--round", "calibration"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "rounds/calibration/scores/j3.yaml: added ref1, ref2 (load 0 -> 2)",
        "rounds/calibration/scores/j4.yaml: added ref1, ref2 (load 0 -> 2)"]
    site = run_cli(["render", "site", "-p", root, "--out", tmp_path / "site"])
    assert site.exit_code == 0, site.output
    assert "Project ref1" not in (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "Project mill" in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_a_reference_entry_in_a_round_that_counts(tmp_path: Path) -> None:
    root = with_calibration(tmp_path)
    sheet = root / "scores/j1.yaml"
    sheet.write_text(sheet.read_text("utf-8") + "  ref1:\n    ambition: 7\n    impact: 7\n",
                     "utf-8")
    found = json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)["findings"]
    assert [(f["path"], f["code"]) for f in found] == [("scores/j1.yaml", "not-a-finalist")]
    assert "it is a reference entry of a calibration exercise" in found[0]["message"]


def test_a_ranked_rounds_tally_stays_out_of_a_pull_request(tmp_path: Path) -> None:
    # under GitHub Actions (default format github), as a rubric round's: never in the
    # log; in the job summary only on a private repository's push
    root = two_rounds(tmp_path)
    for event, repository, shown in (("pull_request_target", "private", False),
                                     ("push", "public", False), ("push", "private", True)):
        settings = root / "programme.yaml"
        lines = [line for line in settings.read_text("utf-8").splitlines(keepends=True)
                 if not line.startswith("repository:")]
        settings.write_text("".join(lines) + f"repository: {repository}\n", "utf-8")
        summary = tmp_path / f"summary-{event}-{repository}.md"
        result = run_cli(["tally", "-p", root, "--round", "final"],
                         env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
                              "GITHUB_EVENT_NAME": event})
        assert result.exit_code == 0, result.output
        assert "mill" not in result.stdout and "oak" not in result.stdout
        written = summary.read_text("utf-8")
        assert ("mill" in written) is shown, (event, repository)
        if not shown:
            assert written.startswith("## qsi tally\n\nThe tally is not shown")


# the repository's example: a two-round edition ---------------------------------------


def test_the_readme_walk_through_of_the_example_runs() -> None:
    """Every `qsi` command of the README's walk-through of the example's two rounds runs
    on the example (exit 0), but the renders (the render tests cover them)."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    start = readme.index("**The example: a two-round edition.**")
    begin = readme.index("```sh\n", start) + len("```sh\n")
    block = readme[begin:readme.index("\n```", begin)]
    commands = [line.split("#")[0].split()[1:] for line in block.splitlines()]
    assert len(commands) == 9
    for args in commands:
        if args[0] == "render":
            continue
        result = run_cli([*args, "-p", REPO])
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
