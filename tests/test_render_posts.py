"""`qsi render posts`: a social media post for each milestone of the call for entries,
in posts.csv, read back with the csv module.

Bugs caught: a post over 280 characters or without the hashtag, a winners' post before
the results are released (the embargo), a finalists' post while judging is unfinished,
a cell a spreadsheet would run as a formula, dates off by one from the deadline, and an
entry's title or team reaching a post (the posts give counts only).
"""

from __future__ import annotations

import csv
from pathlib import Path

from builder import entry_meta, scores, write_programme
from qsi_awards.render.text import post_length
from render_support import REPO, qsi

MILESTONES = ["call-opens", "deadline-in-2-weeks", "deadline-in-2-days", "finalists",
              "winners"]


def posts(out: Path) -> list[dict[str, str]]:
    with (out / "posts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert list(row) == ["milestone", "date", "text"]
    return rows


def run(programme: Path, out: Path, *extra: str, expect: int = 0) -> str:
    done = qsi("render", "posts", "-p", programme, "--out", out, *extra)
    assert done.exit_code == expect, done.output
    assert "Traceback" not in done.output
    return done.stderr


def test_every_milestone_once_the_results_are_released(tmp_path: Path) -> None:
    run(REPO, tmp_path, "--today", "2020-04-01")
    rows = posts(tmp_path)
    assert [r["milestone"] for r in rows] == MILESTONES
    # the deadline is 1 February 2020: two weeks and two days before, by hand
    assert [r["date"] for r in rows] == ["", "2020-01-18", "2020-01-30", "", "2020-04-01"]
    for row in rows:
        assert post_length(row["text"]) <= 280
        assert "#KMQSIAwards" in row["text"]
        assert "\n" not in row["text"]
    assert "1 February 2020" in rows[2]["text"]
    assert "8 winning teams" in rows[4]["text"]


def test_before_the_release_no_winners_post(tmp_path: Path) -> None:
    warnings = run(REPO, tmp_path, "--today", "2020-03-15")
    rows = posts(tmp_path)
    assert [r["milestone"] for r in rows] == MILESTONES[:4]
    assert "no winners' post yet" in warnings and "1 April 2020" in warnings
    titles = [line.split(":", 1)[1].strip().strip("'\"") for path in
              sorted((REPO / "entries").glob("*.md"))
              for line in path.read_text("utf-8").splitlines() if line.startswith("title:")]
    assert len(titles) > 30
    text = " ".join(r["text"] for r in rows)
    assert not [t for t in titles if t in text]
    assert "winning" not in text


def test_no_finalists_post_while_judging_is_unfinished(tmp_path: Path) -> None:
    programme = write_programme(
        tmp_path / "p", entries={"a": entry_meta("a"), "b": entry_meta("b")},
        sheets={"j1": {"a": scores(5, 5), "b": scores(6, 6)},
                "j2": {"a": scores(5, 5), "b": scores(None, None)}},
        extra_settings={"timeline": [
            {"id": "open", "title": "Entries open", "date": "2019-11-04",
             "kind": "submissions_open"},
            {"id": "deadline", "title": "Deadline", "date": "2020-02-01",
             "kind": "submission_deadline"},
            {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"}]})
    warnings = run(programme, tmp_path / "out", "--today", "2020-04-02")
    rows = posts(tmp_path / "out")
    assert [r["milestone"] for r in rows] == ["call-opens", "deadline-in-2-weeks",
                                               "deadline-in-2-days", "winners"]
    assert rows[0]["date"] == "2019-11-04"
    assert "no finalists' post yet" in warnings and "still being judged" in warnings


def test_a_long_name_is_shortened_and_the_hashtag_kept(tmp_path: Path) -> None:
    name = "The " + "Very Long and Wonderful " * 20 + "Awards"
    programme = write_programme(tmp_path / "p", extra_settings={"name": name})
    run(programme, tmp_path / "out")
    rows = posts(tmp_path / "out")
    assert rows
    for row in rows:
        assert post_length(row["text"]) <= 280
        assert row["text"].endswith("#TestAwards")
        assert "…" in row["text"]


def test_template_safety(tmp_path: Path) -> None:
    programme = write_programme(tmp_path / "p")
    (programme / "templates").mkdir()
    template = programme / "templates" / "social-post-milestone.txt"
    template.write_text("=HYPERLINK(\"http://example.com\") {{ milestone }}\n", "utf-8")
    run(programme, tmp_path / "out")
    rows = posts(tmp_path / "out")
    assert rows[0]["text"] == "'=HYPERLINK(\"http://example.com\") call-opens #TestAwards"

    template.write_text("{{ milestone }} " + "word " * 80, "utf-8")
    warnings = run(programme, tmp_path / "out2", expect=1)
    assert "social-post-milestone.txt" in warnings and "280" in warnings
    assert not (tmp_path / "out2" / "posts.csv").exists()
