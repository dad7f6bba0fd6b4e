"""Results are embargoed until they are released (issue 12): the ceremony's date, or the
steering group's earlier release in decisions.yaml.

Before the release no public output (shortlist, site, announcement) shows an award, a
rank or a score, and lists the finalists in a neutral order: category, then title. The
private outputs (certificates, the results pack) are made only with --confidential, and
then every page says "Confidential — embargoed until <date>". After the release
everything is as before. The CI side is in test_workflow.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from builder import entry_meta, entry_text, scores, write_programme
from conftest import REPO, run_cli
from render_support import files_under, need, parse_html, pdf_info, qsi

BEFORE, CEREMONY = "2020-03-31", "2020-04-01"  # the builder's ceremony is 1 April 2020
BANNER = "Confidential — embargoed until 1 April 2020"
# Category A as the judges scored it: rank order Yellow (winner), Better (highly
# commended), Clean (shortlisted), then Anchor (not shortlisted). By title the finalists
# are Better, Clean, Yellow, so an order that is the tally's gives the results away.
A = {"a-top": ("Yellow wards", 9), "a-second": ("Better handover", 8),
     "a-third": ("Clean hands", 7), "a-fourth": ("Anchor project", 2)}
B = {"b-one": ("Quiet nights", 6), "b-two": ("Early discharge", 5)}
FINALISTS_A = ["Better handover", "Clean hands", "Yellow wards"]
# what the results look like in any output: award labels and the scores (S = score here)
AWARD_WORDS = re.compile(r"winner|highly[ _-]commended|shortlisted|\brank", re.IGNORECASE)
SCORES = ("9.00", "8.00", "7.00", "6.00", "5.00", "2.00")


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two categories, judging complete; b-two (a finalist) did not consent to
    publication."""
    root = tmp_path_factory.mktemp("embargo") / "programme"
    entries: dict[str, dict[str, Any]] = {}
    sheets: dict[str, dict[str, Any]] = {"j1": {}, "j2": {}}
    for category, group in (("cat-a", A), ("cat-b", B)):
        for entry_id, (title, score) in group.items():
            entries[entry_id] = entry_meta(entry_id, category, title=title,
                                           consent_to_publish=entry_id != "b-two")
            for sheet in sheets.values():
                sheet[entry_id] = scores(score, score)
    write_programme(root, entries=entries, sheets=sheets,
                    categories=[{"id": "cat-a", "title": "Category A", "theme": "safety"},
                                {"id": "cat-b", "title": "Category B", "theme": "qi"}],
                    judging={"shortlist_size": 3, "highly_commended": 1})
    assert run_cli(["validate", "-p", root, "--strict"]).exit_code == 0
    return root


def render(kind: str, root: Path, out: Path, today: str, *extra: str, expect: int = 0) -> str:
    run = qsi("render", kind, "-p", root, "--out", out, "--today", today, *extra)
    assert run.exit_code == expect, run.output
    assert "Traceback" not in run.output
    return run.output


def html_text(path: Path) -> str:
    """What a reader of the page sees, and every attribute (classes, links) but the
    Content-Security-Policy: a class such as badge--winner gives an award away too."""
    page = parse_html(path.read_text("utf-8"))
    return " ".join([page.text, *(value for tag, attrs in page.tags if tag != "meta"
                                  for value in attrs.values())])


def public_texts(out: Path) -> dict[str, str]:
    texts = {}
    for rel in sorted(files_under(out)):
        path = out / rel
        texts[rel] = html_text(path) if rel.endswith(".html") else path.read_text("utf-8")
    return texts


def in_order(text: str, titles: list[str]) -> bool:
    places = [text.find(title) for title in titles]
    return -1 not in places and places == sorted(places)


# Public outputs ---------------------------------------------------------------------------


def test_before_the_release_the_public_outputs_show_finalists_by_title(
        programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("shortlist", programme, out / "shortlist", BEFORE)
    render("site", programme, out / "site", BEFORE)
    render("announcement", programme, out / "announcement", BEFORE, "--finalists")
    texts = public_texts(out)
    assert set(texts) == {
        "shortlist/shortlist.md", "shortlist/shortlist.html", "site/index.html",
        "site/how-to-enter.html", "site/calendar.ics",
        "announcement/press-release.md", "announcement/social-posts.csv",
        *(f"site/entries/{e}.html" for e in [*A, *B] if e != "b-two")}
    for rel, text in texts.items():
        neutral = re.sub(r"The winners? (in each category )?(is|are) announced", "", text)
        assert not AWARD_WORDS.search(neutral), (rel, AWARD_WORDS.findall(neutral))
        assert not any(score in text for score in SCORES), rel
        assert "medal" not in text, rel  # the winner's medal on the site's cards
    # the finalists, in category order, then by title; Anchor is no finalist
    for rel in ("shortlist/shortlist.md", "shortlist/shortlist.html",
                "announcement/press-release.md"):
        text = texts[rel]
        assert in_order(text, ["Category A", *FINALISTS_A, "Category B", "Quiet nights"]), rel
        assert "Anchor project" not in text, rel
    assert "Early discharge" in texts["shortlist/shortlist.md"]  # listed, not for publication
    assert "Early discharge" not in texts["announcement/press-release.md"]
    assert "1 further finalist, not named at the entrant's request" in \
        texts["announcement/press-release.md"]
    assert "# Test Awards 2020: finalists\n" in texts["shortlist/shortlist.md"]
    assert "announced on 1 April 2020" in texts["shortlist/shortlist.md"]
    # the site: every entry that consented, finalists first, each group by title
    home = texts["site/index.html"]
    cards = [attrs["data-entry"] for tag, attrs in parse_html(
        (out / "site" / "index.html").read_text("utf-8")).tags if "data-entry" in attrs]
    assert cards == ["a-second", "a-third", "a-top", "a-fourth", "b-one"]
    assert len(re.findall(r"\bFinalist\b", home)) == 4  # three in A, Quiet nights in B
    assert "Finalist" in texts["site/entries/a-top.html"]
    assert "Finalist" not in texts["site/entries/a-fourth.html"]
    posts = texts["announcement/social-posts.csv"].splitlines()
    assert posts[1] == ("cat-a,Congratulations to our 3 finalists for Category A at the Test "
                        "Awards 2020! The winner is announced on 1 April 2020. #TestAwards")


def test_from_the_release_the_public_outputs_show_the_winners(programme: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("shortlist", programme, out, CEREMONY)
    render("site", programme, out / "site", CEREMONY)
    render("announcement", programme, out, CEREMONY)
    shortlist = (out / "shortlist.md").read_text("utf-8")
    assert "1. **Yellow wards**, Org of a-top (Winner)" in shortlist
    assert "2. **Better handover**, Org of a-second (Highly commended)" in shortlist
    assert "3. **Clean hands**, Org of a-third (Shortlisted)" in shortlist
    release = (out / "press-release.md").read_text("utf-8")
    assert "- **Winner:** Yellow wards, Org of a-top" in release
    assert "winners announced" in release
    home = html_text(out / "site" / "index.html")
    assert "badge--winner" in home and "Winner" in home and "Finalist" not in home


def test_before_the_release_the_site_has_no_adoption_page(tmp_path: Path) -> None:
    # the example programme: falls-huddles won and Dartford is taking it up, which the
    # site shows on adoption/falls-huddles.html from the ceremony, and never before
    repo = Path(__file__).resolve().parent.parent
    render("site", repo, tmp_path / "before", "2020-03-31")
    render("site", repo, tmp_path / "after", "2020-04-01")
    assert "adoption/falls-huddles.html" in files_under(tmp_path / "after")
    assert not [rel for rel in files_under(tmp_path / "before") if "adoption" in rel]
    page = html_text(tmp_path / "before" / "entries" / "falls-huddles.html")
    assert "adoption/" not in page


def test_the_winners_announcement_waits_for_the_release(programme: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    message = render("announcement", programme, out, BEFORE, expect=1)
    assert message == (
        "qsi: The results are not released yet (they are released on 1 April 2020, at the "
        "ceremony), so the announcement of the winners would break the embargo. To announce "
        "the finalists, run 'qsi render announcement --finalists'; the winners' announcement "
        "is made from the day of the release.\n")
    assert not out.exists() or files_under(out) == set()


def test_the_steering_group_can_release_the_results_before_the_ceremony(
        programme: Path, tmp_path: Path) -> None:
    """decisions.yaml's results_released is the release, for every command."""
    root = tmp_path / "programme"
    subprocess.run(["cp", "-r", str(programme), str(root)], check=True)
    (root / "decisions.yaml").write_text(
        "results_released:\n  date: 2020-03-02\n  by: Steering group\n"
        "  reason: Agreed on 1 March 2020; the ceremony is cancelled.\n", "utf-8")
    assert run_cli(["validate", "-p", root, "--strict"]).exit_code == 0
    render("shortlist", root, tmp_path / "before", "2020-03-01")
    assert "(Winner)" not in (tmp_path / "before" / "shortlist.md").read_text("utf-8")
    render("shortlist", root, tmp_path / "after", "2020-03-02")
    assert "(Winner)" in (tmp_path / "after" / "shortlist.md").read_text("utf-8")
    status = json.loads(run_cli(["status", "-p", root, "--today", "2020-03-02", "--format",
                                 "json"]).stdout)
    assert status["results"] == {"released": True, "release_date": "2020-03-02",
                                 "released_by": "Steering group"}


def test_a_template_cannot_show_what_the_embargo_holds_back(programme: Path,
                                                            tmp_path: Path) -> None:
    """The public outputs are given no award, rank or flag before the release, so a
    programme's own template cannot print them either."""
    root = tmp_path / "programme"
    subprocess.run(["cp", "-r", str(programme), str(root)], check=True)
    (root / "templates").mkdir()
    (root / "templates" / "shortlist.md").write_text(
        "{% for c in categories %}{{ c.id }}: {{ c.winners|length }} {{ c.undecided }} "
        "{% for e in c.entries %}{{ e.id }}={{ e.award }},{{ e.rank }},{{ e.flags }}; "
        "{% endfor %}\n{% endfor %}", "utf-8")
    render("shortlist", root, tmp_path / "out", BEFORE)
    assert (tmp_path / "out" / "shortlist.md").read_text("utf-8") == (
        "cat-a: 0 [] a-second=finalist,None,[]; a-third=finalist,None,[]; "
        "a-top=finalist,None,[]; a-fourth=None,None,[]; "
        "cat-b: 0 [] b-two=finalist,None,[]; b-one=finalist,None,[]; ")


# Private outputs --------------------------------------------------------------------------


def pages_of(path: Path) -> list[str]:
    """The text of each page of a PDF, white space collapsed."""
    need("pdftotext")
    count = int(pdf_info(path)["Pages"])
    return [" ".join(subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(path), "-"],
        capture_output=True, text=True, check=True).stdout.split())
        for n in range(1, count + 1)]


@pytest.mark.parametrize("kind", ["certificates", "results", "feedback"])
def test_private_outputs_are_refused_before_the_release(programme: Path, tmp_path: Path,
                                                        kind: str) -> None:
    out = tmp_path / "out"
    message = render(kind, programme, out, BEFORE, expect=1)
    assert message == (
        "qsi: The results are not released yet (they are released on 1 April 2020, at the "
        f"ceremony), so 'qsi render {kind}' makes this private output only when asked: add "
        "--confidential, and every page says it is confidential and embargoed. Keep it to "
        "the programme team and the steering group until then.\n")
    assert not out.exists() or files_under(out) == set()


def test_confidential_certificates_say_so_on_every_page(programme: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("certificates", programme, out, BEFORE, "--confidential")
    assert files_under(out) == {"cat-a/a-top-winner.pdf", "cat-a/a-second-highly-commended.pdf",
                                "cat-b/b-one-winner.pdf", "cat-b/b-two-highly-commended.pdf"}
    for rel in files_under(out):
        for page in pages_of(out / rel):
            assert BANNER in page, rel
    assert "Yellow wards" in pages_of(out / "cat-a" / "a-top-winner.pdf")[0]
    # from the release, as before: no flag needed, no banner
    after = tmp_path / "after"
    render("certificates", programme, after, CEREMONY)
    assert files_under(after) == files_under(out)
    assert all("Confidential" not in page for rel in files_under(after)
               for page in pages_of(after / rel))


def test_the_results_pack_is_confidential_on_every_page(programme: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("results", programme, out, BEFORE, "--confidential")
    assert files_under(out) == {"results.html", "results.pdf"}
    pages = pages_of(out / "results.pdf")
    assert pages and all(BANNER in page for page in pages)
    # the whole tally: every entry with its rank, score, judges, spread and award (the
    # PDF is the HTML page printed; its table's columns interleave in pdftotext)
    assert "Yellow wards" in pages[0] and "9.00" in pages[0]
    page = parse_html((out / "results.html").read_text("utf-8")).text
    for row in ("1 Yellow wards a-top Org of a-top 9.00 2 0.00 Winner",
                "2 Better handover a-second Org of a-second 8.00 2 0.00 Highly commended",
                "3 Clean hands a-third Org of a-third 7.00 2 0.00 Shortlisted",
                "4 Anchor project a-fourth Org of a-fourth 2.00 2 0.00",
                "2 Early discharge b-two Org of b-two 5.00 2 0.00 Highly commended"):
        assert row in page, row
    assert "Results released 1 April 2020, at the ceremony" in page
    assert BANNER in page
    # after the release it needs no flag, and is still confidential on every page
    after = tmp_path / "after"
    render("results", programme, after, CEREMONY)
    pages = pages_of(after / "results.pdf")
    assert all("Confidential — for the programme team and the steering group" in page
               for page in pages)
    assert "embargoed" not in " ".join(pages)


def test_the_results_pack_shows_the_measures_of_the_entries_in_line_for_an_award(
        tmp_path: Path) -> None:
    # the example: falls-huddles (winner) has two measures, care-home-falls (highly
    # commended) one; no other entry has any
    repo = Path(__file__).resolve().parent.parent
    render("results", repo, tmp_path, "2020-04-01")
    html = (tmp_path / "results.html").read_text("utf-8")
    assert "Measures: Reducing inpatient falls with safety huddles" in html
    assert "Measures: Steady in care, falls prevention in Medway care homes" in html
    assert html.count('<section class="measure" ') == 3
    assert html.count("<svg") >= 3


def test_the_results_pack_shows_the_steering_groups_decision(programme: Path,
                                                             tmp_path: Path) -> None:
    root = tmp_path / "programme"
    subprocess.run(["cp", "-r", str(programme), str(root)], check=True)
    (root / "decisions.yaml").write_text(
        "decisions:\n  - category: cat-a\n    winner: a-second\n    highly_commended: [a-top]\n"
        "    reason: Panel vote on 1 March 2020.\n", "utf-8")
    render("results", root, tmp_path / "out", BEFORE, "--confidential")
    text = parse_html((tmp_path / "out" / "results.html").read_text("utf-8")).text
    assert "Yellow wards a-top Org of a-top 9.00 2 0.00 Highly commended (scores alone: " \
           "Winner) overridden" in text
    assert ("The steering group’s decision. Winner: Better handover. Highly commended: "
            "Yellow wards. Panel vote on 1 March 2020.") in text


@pytest.mark.parametrize(("args", "message"), [
    (["shortlist", "--confidential"], "--confidential is only for the private outputs "
                                      "(certificates, results, feedback, letters) and the "
                                      "board report; 'qsi render shortlist' does not take it."),
    (["site", "--finalists"], "--finalists is for 'qsi render announcement' only."),
    (["results", "--today", "1 April"], "'1 April' is not a date like 2020-02-15."),
])
def test_flags_where_they_do_not_belong(programme: Path, tmp_path: Path, args: list[str],
                                        message: str) -> None:
    run = qsi("render", *args, "-p", programme, "--out", tmp_path / "out")
    assert run.exit_code == 2
    assert message in " ".join(run.output.replace("│", " ").split())


# What the programme team's reports say ------------------------------------------------------


def test_status_shows_progress_and_the_embargo_never_a_score(programme: Path) -> None:
    result = run_cli(["status", "-p", programme, "--today", BEFORE, "--format", "json"])
    document = json.loads(result.stdout)
    assert document["results"] == {"released": False, "release_date": "2020-04-01",
                                   "released_by": None}
    assert document["confidential"] == ["judges"]
    assert document["judges"][0] == {"id": "j1", "name": "Judge 1", "assigned": 6,
                                     "complete": 6, "recused": 0}
    text = run_cli(["status", "-p", programme, "--today", BEFORE]).stdout
    assert ("Results: embargoed; they are released on 1 April 2020, at the ceremony. Until "
            "then public outputs show the finalists only.") in text
    assert "Judges (complete / assigned) — confidential: for the programme team" in text
    markdown = run_cli(["status", "-p", programme, "--today", CEREMONY, "--format",
                        "markdown"]).stdout
    assert "Results: released on 1 April 2020, at the ceremony." in markdown
    assert "_Confidential: for the programme team; progress only, no scores._" in markdown
    for output in (result.stdout, text, markdown):
        assert not re.search(r"\b\d+\.\d\d\b", output)  # no score, in any format


def test_every_tally_report_says_it_is_confidential(programme: Path) -> None:
    assert json.loads(run_cli(["tally", "-p", programme, "--format",
                               "json"]).stdout)["confidential"] is True
    for format in ("table", "markdown"):
        output = run_cli(["tally", "-p", programme, "--format", format]).stdout
        assert "Confidential: every score and rank, for the programme team and the " \
               "steering group only" in " ".join(output.split())


def test_a_ranked_round_tally_says_it_is_confidential_too() -> None:
    """The example's current round is its ranked final: its tally (order, ballots, Borda)
    is as confidential as a rubric round's. Bug caught: the ranked reporters left out the
    line, and JSON its "confidential": true."""
    assert json.loads(run_cli(["tally", "-p", REPO, "--format", "json"]).stdout)[
        "method"] == "ranked"
    assert json.loads(run_cli(["tally", "-p", REPO, "--format",
                               "json"]).stdout)["confidential"] is True
    for args in (["--format", "table"], ["--format", "markdown"],
                 ["--explain", "medicines-passport"]):
        output = run_cli(["tally", "-p", REPO, *args]).stdout
        assert "Confidential: every score and rank, for the programme team and the " \
               "steering group only" in " ".join(output.split()), args


@pytest.mark.parametrize(("event", "repository", "shown"), [
    ("push", "private", True), ("push", "public", False),
    ("pull_request_target", "private", False), ("pull_request", "private", False),
    ("workflow_dispatch", "private", True), (None, "private", False)])
def test_the_tally_reaches_a_job_summary_only_on_a_private_repositorys_push(
        programme: Path, tmp_path: Path, event: str | None, repository: str,
        shown: bool) -> None:
    """qsi tally under GitHub Actions (its default format there is github) never prints
    the tally in the log, and puts it in the job summary only on a push or a manual run
    of a private repository, whatever the workflow asks."""
    root = tmp_path / "programme"
    subprocess.run(["cp", "-r", str(programme), str(root)], check=True)
    settings = root / "programme.yaml"
    settings.write_text(settings.read_text("utf-8") + f"repository: {repository}\n", "utf-8")
    summary = tmp_path / "summary.md"
    environment = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    if event is not None:
        environment["GITHUB_EVENT_NAME"] = event
    result = run_cli(["tally", "-p", root], env=environment)
    assert result.exit_code == 0, result.output
    assert not any(score in result.stdout for score in SCORES)
    assert "Yellow wards" not in result.stdout
    written = summary.read_text("utf-8")
    assert ("| 1 | Yellow wards (`a-top`) | Org of a-top | 9.00 |" in written) is shown
    if not shown:
        assert written.startswith("## qsi tally\n\nThe tally is not shown")
        assert not any(score in written for score in SCORES)


# Judges see neutral references ------------------------------------------------------------

IDENTITY = ("maidstone-trust-huddles", "Maidstone", "maidstone")


def test_packs_and_workbooks_name_no_entry_id_or_organisation(tmp_path: Path) -> None:
    """The entry's ID is made from its organisation's name; judges see only its neutral
    reference, in every cell of every sheet of the workbook (the hidden one too) and on
    every page of the pack."""
    root = write_programme(tmp_path / "programme",
                           sheets={"j1": {"maidstone-trust-huddles": scores(None, None)}})
    (root / "entries" / "maidstone-trust-huddles.md").write_text(entry_text(entry_meta(
        "maidstone-trust-huddles", organisation="Maidstone Hospital Trust",
        title="Safety huddles", summary="Daily huddles on every ward.")), "utf-8")
    out = tmp_path / "out"
    for kind in ("packs", "workbooks"):
        assert qsi("render", kind, "-p", root, "--out", out / kind).exit_code == 0
    book = openpyxl.load_workbook(out / "workbooks" / "j1.xlsx")
    cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None]
    properties = [str(value) for value in vars(book.properties).values() if value]
    pack = [html_text(out / "packs" / "j1.html"), *pages_of(out / "packs" / "j1.pdf")]
    assert any("Safety huddles" in cell for cell in cells)
    assert any("Safety huddles" in page for page in pack)
    for text in [*cells, *properties, *pack, *book.sheetnames]:
        for value in IDENTITY:
            assert value not in text, (value, text)
