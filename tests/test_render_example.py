"""`qsi render` on the example programme at the repository root (42 entries; four do
not consent to publication; qi-secondary is decided by decisions.yaml; the root
templates/ folder overrides the certificate)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from qsi_awards.programme import Programme, open_programme
from render_support import (
    A4_LANDSCAPE,
    REPO,
    files_under,
    page_size,
    parse_html,
    pdf_info,
    pdf_text,
    qsi,
    render,
    words,
)

PRIVATE = ("crisis-team-medicines", "day-hospice-codesign", "doac-dosing-review", "total-triage")


@pytest.fixture(scope="module")
def example() -> Programme:
    return open_programme(REPO)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """shortlist, announcement and site of the example programme, rendered once."""
    out = tmp_path_factory.mktemp("example-out")
    for kind in ("shortlist", "announcement", "site"):
        render(kind, REPO, out)
    return out


def one_line(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    return "".join(text.split()).lower()


def test_the_example_has_what_these_tests_rely_on(example: Programme) -> None:
    assert len(example.entries) == 42
    assert sorted(e for e, m in example.fronts.items() if not m.consent_to_publish) == \
        sorted(PRIVATE)
    assert (REPO / "templates" / "certificate.html").is_file()


def test_outputs_have_the_names_in_the_spec(out: Path, example: Programme) -> None:
    published = {e for e, m in example.fronts.items() if m.consent_to_publish}
    awarded = {r.entry for c in example.results().categories for r in c.entries
               if r.award in ("winner", "highly_commended")}
    spreading = {record.entry for record in example.adoption} & awarded & published
    expected = {"shortlist.md", "shortlist.html", "press-release.md", "social-posts.csv",
                "index.html", "how-to-enter.html", "privacy.html", "calendar.ics"} | {
                f"entries/{e}.html" for e in published} | {
                f"adoption/{e}.html" for e in spreading}  # a page per spread winner (issue 14)
    assert "adoption/falls-huddles.html" in expected
    assert files_under(out) == expected


def private_snippets(example: Programme, entry_id: str) -> list[str]:
    """Text only that entry has: its ID, title, summary and each body paragraph."""
    meta = example.fronts[entry_id]
    body = example.folder.entries[entry_id].body
    paragraphs = [one_line(p) for p in body.split("\n\n") if p.strip()
                  and not p.lstrip().startswith("#")]
    return [entry_id, one_line(meta.title), one_line(meta.summary), *paragraphs]


@pytest.mark.parametrize("entry_id", PRIVATE)
def test_a_non_consenting_entry_leaves_no_trace_on_the_site(out: Path, example: Programme,
                                                            entry_id: str) -> None:
    assert not (out / "entries" / f"{entry_id}.html").exists()
    site = [out / "index.html", *sorted((out / "entries").iterdir()),
            *sorted((out / "adoption").iterdir())]
    snippets = private_snippets(example, entry_id)
    for path in site:
        text = words(path.read_text("utf-8"))
        for snippet in snippets:
            assert snippet not in text, f"{path.name} shows {snippet[:60]!r}"


@pytest.mark.parametrize("entry_id", PRIVATE)
def test_public_announcements_do_not_name_a_non_consenting_entry(
        out: Path, example: Programme, entry_id: str) -> None:
    title = one_line(example.fronts[entry_id].title)
    for name in ("press-release.md", "social-posts.csv"):
        text = one_line((out / name).read_text("utf-8")).replace("\\", "")
        assert title not in text
        assert entry_id not in text


def test_home_page_lists_categories_winners_and_adoption(out: Path, example: Programme) -> None:
    results = example.results()
    page = parse_html((out / "index.html").read_text("utf-8"))
    for category in results.categories:
        assert category.title in page.text
        for result in category.entries:
            if result.award in ("winner", "highly_commended") and result.entry not in PRIVATE:
                assert one_line(result.title) in page.text
    links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    assert "entries/falls-huddles.html" in links
    assert "Dartford and Gravesham NHS Trust" in page.text  # adoption.yaml
    assert "Piloting" in page.text
    assert all(not str(link).startswith(("http:", "https:", "//")) for link in links)


def test_entry_page_renders_the_body_and_adoption(out: Path) -> None:
    page = parse_html((out / "entries" / "falls-huddles.html").read_text("utf-8"))
    headings = [tag for tag, _ in page.tags if tag in ("h1", "h2", "h3")]
    assert headings.count("h1") == 1
    assert "Reducing inpatient falls with safety huddles" in page.text
    assert "Foster Ward at Maidstone Hospital" in page.text
    for section in ("Challenge", "Approach", "Impact", "Spread and adoption"):
        assert section in page.text
    assert "East Kent Hospitals University NHS Foundation Trust" in page.text  # adopting
    assert "priya.shah@example.nhs.uk" not in page.text  # no e-mail on a public site
    assert "priya-shah" not in page.text  # no GitHub handle either


def test_site_has_no_external_resources(out: Path) -> None:
    for path in [out / "index.html", *(out / "entries").iterdir()]:
        page = parse_html(path.read_text("utf-8"))
        for tag, attrs in page.tags:
            for name in ("src", "href", "action", "data", "poster"):
                value = attrs.get(name, "")
                assert not value.lower().startswith(("http:", "https:", "//", "ftp:")), \
                    f"{path.name}: <{tag} {name}={value}>"
            assert tag not in ("link",) or attrs.get("rel") == "icon"
        csp = [a["content"] for t, a in page.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0]


def test_shortlist_lists_shortlisted_entries_with_organisation_and_summary(
        out: Path, example: Programme) -> None:
    markdown = one_line((out / "shortlist.md").read_text("utf-8")).replace("\\", "")
    page = parse_html((out / "shortlist.html").read_text("utf-8"))
    results = example.results()
    for category in results.categories:
        assert category.title in markdown and category.title in page.text
        for result in category.entries:
            meta = example.fronts[result.entry]
            title, summary = one_line(meta.title), one_line(meta.summary)
            if result.award is None:
                assert title not in page.text
                continue
            assert title in markdown and title in page.text
            assert one_line(meta.organisation) in page.text
            if meta.consent_to_publish:
                assert summary in page.text and summary in markdown
            else:  # listed for the programme team, but marked and without its summary
                assert summary not in page.text and summary not in markdown
    assert "Not for publication" in page.text
    assert "(Winner)" in markdown and "(Highly commended)" in markdown


def test_shortlist_marks_the_decided_awards(out: Path) -> None:
    markdown = (out / "shortlist.md").read_text("utf-8")
    section = markdown.split("## Best QI initiative in secondary care")[1].split("\n## ")[0]
    assert "Virtual fracture clinic, the right care without the wait**, Medway NHS " \
           "Foundation Trust (Highly commended)" in section
    assert "(Shortlisted)" in section.split("Same day emergency care")[1].split("\n")[0]


def social_posts(out: Path) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO((out / "social-posts.csv").read_text("utf-8"))))


def test_social_posts_one_per_category_within_280_with_hashtag(out: Path,
                                                               example: Programme) -> None:
    assert (out / "social-posts.csv").read_text("utf-8").splitlines()[0] == "category,text"
    posts = social_posts(out)
    assert [p["category"] for p in posts] == [c.id for c in example.categories]
    for post in posts:
        assert len(post["text"]) <= 280
        assert "#KMQSIAwards" in post["text"]
    falls = next(p for p in posts if p["category"] == "safety-secondary")
    assert "Reducing inpatient falls with safety huddles" in falls["text"]


def test_press_release_names_winners_and_highly_commended(out: Path,
                                                          example: Programme) -> None:
    text = one_line((out / "press-release.md").read_text("utf-8")).replace("\\", "")
    for category in example.results().categories:
        assert f"## {category.title}" in (out / "press-release.md").read_text("utf-8")
        for result in category.entries:
            if result.award in ("winner", "highly_commended") and result.entry not in PRIVATE:
                assert f"{one_line(result.title)}, {result.organisation}" in text
    assert "1 further entry, not named at the entrant's request" in text


def test_certificates_one_pdf_per_award_a4_landscape_with_their_text(
        tmp_path: Path, example: Programme) -> None:
    out = tmp_path / "certificates"
    render("certificates", REPO, out)
    expected: dict[str, tuple[Any, Any, str]] = {}
    for category in example.results().categories:
        for result in category.entries:
            if result.award in ("winner", "highly_commended"):
                suffix = "winner" if result.award == "winner" else "highly-commended"
                expected[f"{category.id}/{result.entry}-{suffix}.pdf"] = (
                    category, result, "Winner" if suffix == "winner" else "Highly Commended")
    assert files_under(out) == set(expected)
    assert "qi-secondary/virtual-fracture-clinic-highly-commended.pdf" in expected  # decided
    assert not any("same-day-emergency-care" in name for name in expected)  # overridden
    assert "safety-community/crisis-team-medicines-highly-commended.pdf" in expected  # private
    for name, (category, result, label) in expected.items():
        path = out / name
        assert pdf_info(path)["Pages"] == "1"
        width, height = page_size(path)
        assert width == pytest.approx(A4_LANDSCAPE[0], abs=0.5)
        assert height == pytest.approx(A4_LANDSCAPE[1], abs=0.5)
        text = pdf_text(path)
        meta = example.fronts[result.entry]
        for expected_text in ("Kent & Medway Quality, Safety & Improvement Awards",
                              "2020", label, category.title, one_line(meta.title),
                              meta.organisation, meta.lead.name, *meta.team,
                              "1 April 2020"):
            # letter-spaced headings come back from pdftotext as "K E N T"
            assert squash(expected_text) in squash(text), \
                f"{name}: {expected_text!r} missing from {text!r}"
        # the example programme's own certificate (templates/certificate.html) is used
        assert "Kent Surrey Sussex Academic Health Science Network" in text


@pytest.mark.slow
def test_packs_are_anonymised_and_hold_the_rubric_and_the_assigned_entries(
        tmp_path: Path, example: Programme) -> None:
    # the shortlisting round's packs: every judge scores on the rubric (the final's
    # panel of five ranks the finalists; test_rounds.py covers a final's packs)
    out = tmp_path / "packs"
    run = qsi("render", "packs", "-p", REPO, "--out", out, "--round", "shortlisting")
    assert run.exit_code == 0, run.output
    judges = sorted(example.judges)
    assert files_under(out) == {f"{j}.{ext}" for j in judges for ext in ("html", "pdf")} | {
        "CONFIDENTIAL_references.csv"}
    key = {row["entry"]: row["reference"] for row in csv.DictReader(
        io.StringIO((out / "CONFIDENTIAL_references.csv").read_text("utf-8")))}
    assert set(key) == set(example.entries)
    for judge in judges:
        html_text = words(parse_html((out / f"{judge}.html").read_text("utf-8")).text)
        pdf = pdf_text(out / f"{judge}.pdf")
        assigned = [e for e, j in example.folder.sheets[judge].judgements.items()
                    if j.conflict is None]
        assert assigned
        for document in (html_text, pdf):
            assert example.judges[judge].name in document
            for criterion in example.criteria:
                assert criterion.title in document
                assert one_line(criterion.guidance or "")[:24] in document  # before a line break
            for entry_id in assigned:
                meta = example.fronts[entry_id]
                assert key[entry_id] in document
                forbidden = [entry_id, meta.organisation, meta.lead.name,
                             meta.lead.email, *meta.team]
                if meta.submitted_by:
                    forbidden.append(meta.submitted_by)
                for value in forbidden:
                    assert value.lower() not in document.lower(), \
                        f"{judge}: {entry_id}'s {value!r} is in the pack"
