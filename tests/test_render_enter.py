"""The site's How to enter page (how-to-enter.html) and privacy notice (privacy.html),
through `qsi render site`, as on different days (--today).

Bugs caught: a page that says entries are open before they open or after the deadline
(or closes them on the deadline day itself), a link to the entry form once entries are
closed, a category, weight, word limit or date missing or wrong, the index not linking
the page, programme text (a category's title, a criterion's guidance, the privacy
notice's Markdown) reaching the page as markup, and an --entry-form link that could run
script.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder import write_programme
from render_support import assert_inert_html, parse_html, qsi

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
TIMELINE = [
    {"id": "open", "title": "Entries open", "date": "2019-11-04", "kind": "submissions_open"},
    {"id": "deadline", "title": "Entries close", "date": "2020-02-01",
     "kind": "submission_deadline"},
    {"id": "ceremony", "title": "Awards ceremony", "date": "2020-04-01", "kind": "ceremony"},
]


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    root = write_programme(
        tmp_path / "p",
        categories=[
            {"id": "cat-a", "title": "Safer primary care", "theme": "safety",
             "setting": "primary"},
            {"id": "cat-b", "title": f"Patients {HOSTILE}", "theme": "qi",
             "requires_patient_involvement": True, "description": f"Also {HOSTILE}"}],
        criteria=[{"id": "ambition", "title": "Ambition", "weight": 20,
                   "guidance": f"A bold aim. {HOSTILE}"},
                  {"id": "impact", "title": "Impact", "weight": 30}],
        extra_settings={
            "timeline": TIMELINE,
            "entry_rules": {"summary_max_words": 150, "sections": [
                {"title": "Challenge", "max_words": 400, "guidance": "The problem."},
                {"title": "Impact", "max_words": 300}]}})
    (root / "PRIVACY.md").write_text(
        f"# Our privacy notice\n\nWe keep your e-mail address. {HOSTILE}\n\n"
        "<script>alert(3)</script>\n\n[link](javascript:alert(4))\n", "utf-8")
    return root


def site(programme: Path, out: Path, today: str, *extra: str) -> tuple[str, str]:
    run = qsi("render", "site", "-p", programme, "--out", out, "--today", today, *extra)
    assert run.exit_code == 0, run.output
    assert "Traceback" not in run.output
    return (out / "how-to-enter.html").read_text("utf-8"), run.stderr


def links(text: str) -> list[str]:
    return [attrs["href"] for tag, attrs in parse_html(text).tags if tag == "a"]


@pytest.mark.parametrize(("today", "says", "form"), [
    ("2019-11-03", "Entries open on 4 November 2019.", False),
    ("2019-11-04", "Entries are open until 1 February 2020.", True),
    ("2020-02-01", "Entries are open until 1 February 2020.", True),  # the deadline day
    ("2020-02-02", "Entries are closed. The deadline was 1 February 2020.", False),
])
def test_the_page_on_each_day(programme: Path, tmp_path: Path, today: str, says: str,
                              form: bool) -> None:
    out = tmp_path / "out"
    page, _ = site(programme, out, today, "--entry-form", "https://forms.example.org/qsi")
    text = parse_html(page).text
    assert says in text
    for other in ("Entries open on", "Entries are open", "Entries are closed"):
        if not says.startswith(other):
            assert other not in text
    assert ("https://forms.example.org/qsi" in links(page)) is form
    index = (out / "index.html").read_text("utf-8")
    assert "how-to-enter.html" in links(index)
    assert says.split(".")[0] in parse_html(index).text


def test_what_the_page_tells_entrants(programme: Path, tmp_path: Path) -> None:
    page, _ = site(programme, tmp_path / "out", "2019-12-01")
    text = parse_html(page).flat
    assert "Safer primary care For safety projects in primary care only." in text
    assert (f"Patients {HOSTILE} For quality improvement projects in any care setting, "
            f"where patients or the public helped to shape the work. Also {HOSTILE}") in text
    # weights 20 and 30, as shares of 50: 40% and 60%
    cells = parse_html(page).text  # table cells joined by spaces
    assert f"Ambition 40% A bold aim. {HOSTILE}" in cells
    assert "Impact 60%" in cells
    assert "A summary of at most 150 words" in text
    assert "Challenge (at most 400 words) The problem." in text
    assert "Impact (at most 300 words)" in text
    assert "4 November 2019 : Entries open" in cells
    assert "1 April 2020 : Awards ceremony" in cells
    assert "#TestAwards" in text
    assert "calendar.ics" in links(page) and "privacy.html" in links(page)
    # without --entry-form, the page says how to send an entry (the programme's wording)
    assert "Send the saved entry file to the programme team" in text
    assert_inert_html(page, "how-to-enter.html")


def test_the_privacy_notice_is_published_as_text(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    site(programme, out, "2019-12-01")
    page = (out / "privacy.html").read_text("utf-8")
    parsed = assert_inert_html(page, "privacy.html")
    assert "Privacy notice Our privacy notice" in parsed.text
    assert "We keep your e-mail address." in parsed.text
    assert "<script>alert(3)</script>" in parsed.text  # shown, not run

    (programme / "PRIVACY.md").unlink()
    page_text, _ = site(programme, out, "2019-12-01")
    assert not (out / "privacy.html").exists()  # removed with the notice
    assert "privacy.html" not in links(page_text)
    assert "Judges see the entry without the names" in parse_html(page_text).text


def test_entry_form_link(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _, warnings = site(programme, out, "2019-12-01", "--entry-form", "entry-form.html")
    assert "no " in warnings and "entry-form.html" in warnings
    assert qsi("render", "entry-form", "-p", programme, "--out", out).exit_code == 0
    page, warnings = site(programme, out, "2019-12-01", "--entry-form", "entry-form.html")
    assert warnings == ""
    assert "entry-form.html" in links(page)
    assert (out / "entry-form.html").is_file()

    for bad in ("javascript:alert(1)", "//evil.example/form", " "):
        run = qsi("render", "site", "-p", programme, "--out", tmp_path / "bad",
                  "--entry-form", bad)
        assert run.exit_code == 2, run.output
        assert "--entry-form" in run.output
    run = qsi("render", "shortlist", "-p", programme, "--out", tmp_path / "bad",
              "--entry-form", "entry-form.html")
    assert run.exit_code == 2 and "site" in run.output
    assert not (tmp_path / "bad").exists()


def test_a_category_with_its_own_sections_lists_them(programme: Path, tmp_path: Path) -> None:
    """cat-b asks for its own sections (categories.yaml entry_rules); the page lists them
    under the category, after the programme's, which cat-a still uses. A category
    without its own rules gets no such list."""
    categories = programme / "categories.yaml"
    data = yaml.safe_load(categories.read_text("utf-8"))
    data["categories"][1]["entry_rules"] = {"summary_max_words": 60, "sections": [
        {"title": "What patients said", "max_words": 250, "guidance": f"Quotes. {HOSTILE}"},
        {"title": "Next steps"}]}
    categories.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    page, _ = site(programme, tmp_path / "out", "2019-12-01")
    text = parse_html(page).flat
    assert "Challenge (at most 400 words) The problem." in text  # the programme's
    assert (f"Patients {HOSTILE} Entries to this category give a summary of at most 60 "
            f"words, then these sections, in this order: What patients said (at most 250 "
            f"words) Quotes. {HOSTILE} Next steps") in text
    assert "Safer primary care Entries to this category" not in text
    assert text.count("Entries to this category") == 1
    assert_inert_html(page, "how-to-enter.html")
