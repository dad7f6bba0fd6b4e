"""Feedback to entrants (`qsi render feedback`, README "qsi render") and private
comments: each report read back with pdftotext holds its own entry only, never a judge's
name, handle or private comment; the quartiles are worked out by hand.

The programme (`programme`): weights ambition 20, impact 30, so S = 0.4·ambition +
0.6·impact; three judges give every entry the same scores. Category A, (ambition,
impact) -> S:

    quokka-ward (1, 3) 2.2    narwhal-clinic (3, 4) 3.6    pangolin-team (5, 6) 5.6
    axolotl-unit (7, 6) 6.4   okapi-rounds (9, 7) 7.8      capybara-hub (10, 10) 10.0

and dugong-pool (0, 0) 0, withdrawn. QUARTILE.INC over the six (position (n − 1)·q = 1.25,
2.5, 3.75): S 3.6 + 0.25·2.0 = 4.1, 5.6 + 0.5·0.8 = 6.0, 6.4 + 0.75·1.4 = 7.45; ambition
[1, 3, 5, 7, 9, 10]: 3.5, 6.0, 8.5; impact [3, 4, 6, 6, 7, 10]: 4.5, 6.0, 6.75. Counting
the withdrawn entry, S's would be 2.9, 5.6, 7.1 (seven values, positions 1.5, 3, 4.5).
Category B has two entries, wombat-walk (6, 8) 7.2 and tapir-call (4, 2) 2.8: too few
to compare with. No number a report shows is another entry's score.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from builder import entry_meta, scores, write_programme
from qsi_awards.judging.feedback import quartiles
from render_support import files_under, parse_html, pdf_text, qsi
from test_render_html_valid import check

JUDGES = [
    {"id": "zquill", "name": "Dr Zebedee Quillfeather", "organisation": "Panel Org 1",
     "github": "zquill"},
    {"id": "obrack", "name": "Ottoline Brackenbury", "organisation": "Panel Org 2",
     "github": "ottobrack"},
    {"id": "psnod", "name": "Peregrine Snodgrass", "organisation": "Panel Org 3"},
]
# never in any entrant's report
SECRETS = ["Zebedee", "Quillfeather", "Ottoline", "Brackenbury", "Peregrine", "Snodgrass",
           "zquill", "obrack", "ottobrack", "psnod", "Hushhush"]
ENTRIES: dict[str, tuple[str, str, int, int]] = {  # id: (category, title, ambition, impact)
    "quokka-ward": ("cat-a", "Quokka ward huddles", 1, 3),
    "narwhal-clinic": ("cat-a", "Narwhal clinic redesign", 3, 4),
    "pangolin-team": ("cat-a", "Pangolin team safety checks", 5, 6),
    "axolotl-unit": ("cat-a", "Axolotl unit discharge", 7, 6),
    "okapi-rounds": ("cat-a", "Okapi rounds for sepsis", 9, 7),
    "capybara-hub": ("cat-a", "Capybara hub triage", 10, 10),
    "dugong-pool": ("cat-a", "Dugong pool therapy", 0, 0),
    "wombat-walk": ("cat-b", "Wombat walk for falls", 6, 8),
    "tapir-call": ("cat-b", "Tapir call-backs", 4, 2),
}
SCORE = {"quokka-ward": "2.20", "narwhal-clinic": "3.60", "pangolin-team": "5.60",
         "axolotl-unit": "6.40", "okapi-rounds": "7.80", "capybara-hub": "10.00",
         "wombat-walk": "7.20", "tapir-call": "2.80"}
# what the judges wrote about quokka-ward, beside the plain notes every entry gets
SPECIAL = {
    "zquill": "Zebedee Quillfeather agrees <script>alert(1)</script> & more",
    "obrack": "Compare with Narwhal clinic redesign (narwhal-clinic); ask @zquill or "
              "ottobrack.",
    "psnod": "QUILLFEATHER, Zebedee liked it.",
}
MEASURE = {"id": "falls-rate", "title": "Falls on Quokka ward", "unit": "falls a month",
           "improvement": "lower",
           "points": {f"2019-{m:02d}": v for m, v in zip(range(1, 13),
                                                         (9, 8, 9, 7, 8, 6, 5, 5, 4, 5, 4, 3),
                                                         strict=True)}}


def note(entry_id: str, judge_id: str) -> str:
    return f"Note {entry_id.split('-')[0].upper()} {judge_id.upper()[:2]} on the data."


def comment_of(entry_id: str, judge_id: str) -> str:
    if entry_id == "quokka-ward":
        return SPECIAL[judge_id]
    return note(entry_id, judge_id)


def build(root: Path) -> Path:
    entries = {}
    for entry_id, (category, title, _, _) in ENTRIES.items():
        extra: dict[str, Any] = {"title": title}
        if entry_id == "dugong-pool":
            extra["withdrawn"] = {"date": "2020-02-20", "reason": "The team left."}
        if entry_id == "quokka-ward":
            extra["measures"] = [MEASURE]
        entries[entry_id] = entry_meta(entry_id, category, **extra)
    sheets = {judge["id"]: {
        entry_id: scores(ambition, impact, comment=comment_of(entry_id, judge["id"]),
                         private_comment=f"Hushhush {entry_id} {judge['id']} for the panel")
        for entry_id, (_, _, ambition, impact) in ENTRIES.items()} for judge in JUDGES}
    return write_programme(
        root, entries=entries, judges=JUDGES, sheets=sheets,
        categories=[{"id": "cat-a", "title": "Category A", "theme": "safety"},
                    {"id": "cat-b", "title": "Category B", "theme": "qi"}],
        criteria=[{"id": "ambition", "title": "Ambition", "weight": 20,
                   "guidance": "A clear, measurable aim with a date."},
                  {"id": "impact", "title": "Impact", "weight": 30,
                   "guidance": "Data over time against a stated baseline."}])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = build(tmp_path_factory.mktemp("feedback") / "programme")
    out = root.parent / "out"
    run = qsi("render", "feedback", "-p", root, "--out", out, "--today", "2020-04-01")
    assert run.exit_code == 0, run.output
    return root, out


REPORTED = [e for e in ENTRIES if e != "dugong-pool"]


def outcome(html: Path) -> str:
    """What the report gives as the outcome (the page's text, between 'Outcome' and
    'Scale')."""
    found = re.search(r"Outcome (.+?) Scale", parse_html(html.read_text("utf-8")).text)
    assert found, html
    return found.group(1)


def test_one_report_per_entry_and_none_for_a_withdrawn_one(rendered: tuple[Path, Path]
                                                          ) -> None:
    _, out = rendered
    assert files_under(out) == {f"{e}.{kind}" for e in REPORTED for kind in ("html", "pdf")}


@pytest.mark.parametrize("entry_id", REPORTED)
def test_a_report_holds_its_own_entry_only(rendered: tuple[Path, Path], entry_id: str
                                          ) -> None:
    _, out = rendered
    pdf = pdf_text(out / f"{entry_id}.pdf")
    html = (out / f"{entry_id}.html").read_text("utf-8")
    page = parse_html(html).text
    for text in (pdf, page, html):
        for secret in SECRETS:
            assert secret.casefold() not in text.casefold(), (entry_id, secret)
        for other, (_, title, _, _) in ENTRIES.items():
            if other == entry_id:
                continue
            assert title not in text and other not in text, (entry_id, other)
            for judge in JUDGES:
                assert note(other, judge["id"]) not in text
        assert ENTRIES[entry_id][1] in text
    numbers = set(re.findall(r"\d+\.\d\d", pdf))
    assert SCORE[entry_id] in numbers
    assert not numbers & {SCORE[o] for o in SCORE if o != entry_id}, entry_id
    if entry_id != "quokka-ward":
        # the judges' comments, sorted by text: which judge wrote which is not shown
        mine = sorted(note(entry_id, j["id"]) for j in JUDGES)
        assert re.findall(r"Note [A-Z]+ [A-Z]+ on the data\.", pdf) == mine


def test_comments_are_anonymised_and_escaped(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    pdf = pdf_text(out / "quokka-ward.pdf")
    html = (out / "quokka-ward.html").read_text("utf-8")
    # sorted by their text, whatever its case ('[' comes before 'c')
    expected = ["[name] agrees <script>alert(1)</script> & more", "[name] liked it.",
                "Compare with [entry] ([entry]); ask [name] or [name]."]
    assert all(comment in pdf for comment in expected), pdf
    for comment in expected:
        assert comment.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
    assert "<script>alert" not in html
    positions = [pdf.index(comment) for comment in expected]
    assert positions == sorted(positions)


def test_the_scores_against_the_category_by_hand(rendered: tuple[Path, Path]) -> None:
    """pangolin-team: S 5.60, ambition 5.00, impact 6.00 against the quartiles in the
    module docstring; the withdrawn entry is not in them."""
    _, out = rendered
    pdf = pdf_text(out / "pangolin-team.pdf")
    assert "Overall score (weighted) 5.60 4.10 6.00 7.45" in pdf
    assert "Ambition 5.00 3.50 6.00 8.50" in pdf
    assert "Impact 6.00 4.50 6.00 6.75" in pdf
    assert "2.90" not in pdf and "7.10" not in pdf  # the quartiles with the withdrawn entry
    assert outcome(out / "pangolin-team.html") == "Shortlisted"
    assert "middle half of the 6 scored entries in Category A" in pdf
    # the chart: an accessible SVG, with the same numbers in words
    html = (out / "pangolin-team.html").read_text("utf-8")
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="score-chart"'):]
    svg = svg[:svg.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg
    assert ("Overall score (weighted): this entry 5.60; the category's median 6.00, its "
            "middle half 4.10 to 7.45.") in svg.replace("&#x27;", "'")
    # the rubric's guidance: what it rewards
    assert "Ambition (40% of the score) A clear, measurable aim with a date." in pdf
    assert "Impact (60% of the score) Data over time against a stated baseline." in pdf


def test_outcomes_and_a_category_too_small_to_compare(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    outcomes = {"capybara-hub": "Winner", "okapi-rounds": "Highly commended",
                "axolotl-unit": "Highly commended", "narwhal-clinic": "Shortlisted",
                "quokka-ward": "Not shortlisted", "wombat-walk": "Winner",
                "tapir-call": "Highly commended"}
    for entry_id, label in outcomes.items():
        assert outcome(out / f"{entry_id}.html") == label, entry_id
        assert label in pdf_text(out / f"{entry_id}.pdf")
    small = pdf_text(out / "wombat-walk.pdf")
    assert "The category had 2 scored entries: too few to compare with" in small
    assert "Overall score (weighted) 7.20 Ambition 6.00 Impact 8.00" in small
    assert "quartile" not in small.split("What the judges wrote")[0].replace(
        "Quartiles are worked out", "")


def test_measures_are_drawn(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    assert "Falls on Quokka ward" in pdf_text(out / "quokka-ward.pdf")
    assert 'class="spc-chart"' in (out / "quokka-ward.html").read_text("utf-8")
    assert 'class="spc-chart"' not in (out / "tapir-call.html").read_text("utf-8")


def test_reports_are_valid_html(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    result = check(sorted(out.glob("*.html")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_before_the_release_only_when_asked_and_marked(tmp_path: Path) -> None:
    from test_embargo import pages_of

    root = build(tmp_path / "programme")
    refused = qsi("render", "feedback", "-p", root, "--out", tmp_path / "out",
                  "--today", "2020-03-31")
    assert refused.exit_code == 1
    assert "not released yet" in refused.output and "--confidential" in refused.output
    assert not (tmp_path / "out").exists() or not files_under(tmp_path / "out")
    made = qsi("render", "feedback", "-p", root, "--out", tmp_path / "out", "--today",
               "2020-03-31", "--confidential")
    assert made.exit_code == 0, made.output
    for entry_id in REPORTED:
        pages = pages_of(tmp_path / "out" / f"{entry_id}.pdf")
        assert pages and all("Confidential — embargoed until 1 April 2020" in page
                             for page in pages), entry_id


def test_a_ranked_final_is_said_in_words(tmp_path: Path) -> None:
    """test_rounds' two rounds: mill wins the ranked final; ash was not shortlisted."""
    from test_rounds import two_rounds

    root = two_rounds(tmp_path)
    out = tmp_path / "out"
    run = qsi("render", "feedback", "-p", root, "--out", out, "--today", "2020-04-01")
    assert run.exit_code == 0, run.output
    mill = pdf_text(out / "mill.pdf")
    assert ("The final round, Final panel, was decided by the judges ranking the finalists "
            "against each other rather than by scores. Its outcome for your entry: "
            "Winner.") in mill
    assert "Scores in Shortlisting" in mill and outcome(out / "mill.html") == "Winner"
    assert "Final panel" not in pdf_text(out / "ash.pdf")
    assert outcome(out / "ash.html") == "Not shortlisted"


def test_the_pack_tells_judges_their_comments_go_to_the_team(tmp_path: Path) -> None:
    root = build(tmp_path / "programme")
    run = qsi("render", "packs", "-p", root, "--out", tmp_path / "packs")
    assert run.exit_code == 0, run.output
    text = pdf_text(tmp_path / "packs" / "psnod.pdf")
    assert "Your comments go to the team." in text
    assert "private_comment:" in text and "it never reaches the team" in text
    # a private comment is in no pack either: packs carry no comments
    assert "Hushhush" not in text


def test_quartiles_by_hand() -> None:
    def q(*values: int | Fraction) -> tuple[Fraction, Fraction, Fraction] | None:
        found = quartiles([Fraction(v) for v in values])
        return (found.q1, found.median, found.q3) if found else None

    assert q() is None
    assert q(5) == (Fraction(5), Fraction(5), Fraction(5))
    assert q(1, 2, 3, 4) == (Fraction(7, 4), Fraction(5, 2), Fraction(13, 4))
    assert q(3, 1, 2) == (Fraction(3, 2), Fraction(2), Fraction(5, 2))
    assert q(1, 2, 3, 4, 5) == (Fraction(2), Fraction(3), Fraction(4))
    assert q(2, 4) == (Fraction(5, 2), Fraction(3), Fraction(7, 2))


def test_hostile_entry_text_is_inert(tmp_path: Path) -> None:
    from render_support import HOSTILE_TITLE, assert_inert_html, hostile_programme

    out = tmp_path / "out"
    run = qsi("render", "feedback", "-p", hostile_programme(tmp_path / "programme"),
              "--out", out, "--today", "2020-04-01")
    assert run.exit_code == 0, run.output
    page = assert_inert_html((out / "hostile.html").read_text("utf-8"), "hostile.html")
    assert HOSTILE_TITLE.split()[0] in page.text
    assert "<script>alert(1)</script> Hostile" in page.text


def test_the_same_programme_gives_the_same_bytes(rendered: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    root, out = rendered
    again = tmp_path / "again"
    run = qsi("render", "feedback", "-p", root, "--out", again, "--today", "2020-04-01")
    assert run.exit_code == 0, run.output
    for rel in sorted(files_under(out)):
        assert (again / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_an_entry_no_judge_finished_scoring(tmp_path: Path) -> None:
    entries = {e: entry_meta(e) for e in ("oak", "elm")}
    sheets = {"j1": {"oak": scores(7, 7, comment="Clear aims."), "elm": scores(None, 5)},
              "j2": {"oak": scores(6, 6), "elm": scores(None, None, comment="Half done.")}}
    root = write_programme(tmp_path / "programme", entries=entries, sheets=sheets)
    out = tmp_path / "out"
    run = qsi("render", "feedback", "-p", root, "--out", out, "--today", "2020-04-01")
    assert run.exit_code == 0, run.output
    elm = pdf_text(out / "elm.pdf")
    assert "No judge’s scores for your entry were complete, so it has no scores here." in elm
    assert "Overall score (weighted) — Ambition — Impact —" in elm
    # only the comments of judgements the tally counted
    assert "Half done." not in elm and "The judges wrote no comments on your entry." in elm
    assert "Clear aims." in pdf_text(out / "oak.pdf")
