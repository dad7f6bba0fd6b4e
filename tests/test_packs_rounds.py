"""Judge packs for a programme with rounds: a ranked round's pack asks the judge to rank
the finalists in their ballot file; a later rubric round's pack names its own score
sheets (rounds/<id>/scores/), not scores/."""

from __future__ import annotations

from pathlib import Path

from builder import dump, entry_meta, scores, write_programme
from conftest import run_cli
from render_support import pdf_text
from test_rounds import ROUNDS, two_rounds


def key_of(out: Path) -> dict[str, str]:
    """entry ID -> reference, from the programme team's key."""
    lines = (out / "CONFIDENTIAL_references.csv").read_text("utf-8").splitlines()[1:]
    return {line.split(",")[1]: line.split(",")[0] for line in lines}


def test_a_ranked_rounds_pack_asks_for_rankings_in_the_ballot_file(tmp_path: Path) -> None:
    root = two_rounds(tmp_path, ballots={
        "j1": {"cat-a": {"ranking": None, "conflicts": {"elm": "I advised the team"}}},
        "j2": {"cat-a": {"ranking": None}}, "j3": {"cat-a": {"ranking": None}}})
    out = tmp_path / "packs"
    # no --round: the current round, the final (every round has closed, so the last)
    result = run_cli(["render", "packs", "-p", root, "--out", out])
    assert result.exit_code == 0, result.output
    key = key_of(out)
    text = pdf_text(out / "j1.pdf")
    assert "Rank the finalists of each category below, best first" in text
    assert "rounds/final/ballots/j1.yaml" in text
    # the format, line by line (a line too long for the page was cut off)
    # the judge writes their ballot with the pack's references (or the team does)
    assert ("Write your rankings in it with the references in this pack (capital letters "
            "or small, as you like), on GitHub in a pull request; or send them to the "
            "programme team, who write them in for you.") in text
    assert ("judge: j1 ballots: cat-a: ranking: [E-7K3Q9X, [E-2M8WDA, E-5RB1HC], E-Q4TN6Z] "
            "conflicts: E-9GJ3PV: why you cannot judge it comment: optional") in text
    assert "These references are examples: use those of your finalists" in text
    assert "entry IDs" not in text and "Send your rankings by reference" not in text
    assert "Ties are allowed" in text and "You need not rank them all" in text
    assert "Declare any conflict" in text
    assert "A comment on a ballot is for the panel and the programme team" in text
    assert "You have a conflict of interest with 1 finalist;" in text
    # the finalists to rank, by reference; elm (recused) and ash (not shortlisted) out
    assert key["mill"] in text and key["oak"] in text
    assert key["elm"] not in text and key["ash"] not in text
    # no scoring: no score boxes, no rubric instructions, no score sheet, no feedback note
    for scoring in ("scores/j1.yaml", "Score each entry", "Entries to score",
                    "Write your score", "Your comments go to the team", "/ 10",
                    "scoring workbook"):
        assert scoring not in text, scoring
    assert "What the finalists were judged on" in text


def three_rounds(tmp_path: Path) -> Path:
    """Shortlisting (scores/), a second rubric round (rounds/second/scores/), the final."""
    rounds = [ROUNDS[0],
              {"id": "second", "title": "Second look", "method": "rubric",
               "judges": ["j1", "j2"], "closes": "2020-02-25"},
              ROUNDS[1]]
    entries = {e: entry_meta(e) for e in ("oak", "elm", "mill", "ash")}
    return write_programme(tmp_path / "programme", entries=entries, sheets={
        "j1": {"oak": scores(8, 8), "elm": scores(7, 7), "mill": scores(7, 8),
               "ash": scores(5, 5)}}, judging={"shortlist_size": 3},
        extra_settings={"rounds": rounds})


def test_a_third_round_takes_the_second_rounds_shortlist(tmp_path: Path) -> None:
    """Finding a third round's entrants needs the second's, which were being found: qsi
    crashed (RecursionError) on any programme with three rounds that count."""
    result = run_cli(["validate", "-p", three_rounds(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_a_later_rubric_rounds_pack_names_its_own_score_sheet(tmp_path: Path) -> None:
    root = three_rounds(tmp_path)
    folder = root / "rounds" / "second" / "scores"
    folder.mkdir(parents=True)
    (folder / "j1.yaml").write_text(dump({"judge": "j1", "scores": {
        "oak": scores(None, None), "mill": scores(None, None)}}), "utf-8")
    out = tmp_path / "packs"
    result = run_cli(["render", "packs", "-p", root, "--out", out, "--round", "second"])
    assert result.exit_code == 0, result.output
    text = pdf_text(out / "j1.pdf")
    assert "Edit your score sheet rounds/second/scores/j1.yaml" in text
    assert " scores/j1.yaml" not in text
    assert "Score each entry on every criterion" in text
    assert "Your comments go to the team" in text
