"""Hostile entry text (`<script>`, `onerror=` attributes, `javascript:` links, raw
HTML, tracking images) is escaped or inert in every output (SPEC §5 and §7)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from render_support import (
    HOSTILE_ORGANISATION,
    HOSTILE_TITLE,
    assert_inert_html,
    files_under,
    hostile_programme,
    pdf_text,
    render,
    squash,
)

KINDS = ("shortlist", "certificates", "announcement", "site", "packs")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    programme = hostile_programme(tmp_path_factory.mktemp("hostile") / "programme")
    out = tmp_path_factory.mktemp("hostile-out")
    for kind in KINDS:
        render(kind, programme, out)
    return out


def test_every_output_was_made(out: Path) -> None:
    assert files_under(out) == {
        "shortlist.md", "shortlist.html", "cat-a/hostile-winner.pdf",
        "cat-a/calm-highly-commended.pdf", "press-release.md", "social-posts.csv",
        "index.html", "entries/hostile.html", "entries/calm.html", "how-to-enter.html",
        "calendar.ics", "j1.html", "j1.pdf", "j2.html", "j2.pdf", "j3.html", "j3.pdf",
        "j4.html", "j4.pdf",
        "CONFIDENTIAL_references.csv"}


@pytest.mark.parametrize("name", ["index.html", "entries/hostile.html", "entries/calm.html",
                                  "shortlist.html", "j1.html", "j2.html"])
def test_html_outputs_are_inert(out: Path, name: str) -> None:
    page = assert_inert_html((out / name).read_text("utf-8"), name,
                             own_script=name == "index.html")
    if name != "entries/calm.html":
        # shown as text, exactly as written
        assert "<script>alert(1)</script> Hostile" in page.text


def test_the_entry_page_keeps_safe_links_and_drops_unsafe_ones(out: Path) -> None:
    page = assert_inert_html((out / "entries" / "hostile.html").read_text("utf-8"), "entry")
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a" and "href" in attrs]
    assert "https://example.org/ok" in hrefs
    assert "mailto:team@example.org" in hrefs
    assert "https://tracker.example/pixel.png" in hrefs  # an image becomes a plain link
    assert not any("alert" in href for href in hrefs)
    # from file:// these reach the reader's disk or another machine
    assert not [href for href in hrefs if href.startswith(("/", "\\", "%5C", "%5c"))]
    assert "[proto](//evil.example/x) [root](/etc/passwd)" in page.text
    external = [a for t, a in page.tags if t == "a" and a.get("href", "").startswith("https:")]
    assert all("noopener" in a.get("rel", "") for a in external)
    assert "[click](javascript:alert(10))" in page.text  # left as inert text
    assert '<img src=x onerror=alert(8)>' in page.text


@pytest.mark.parametrize("name", ["shortlist.md", "press-release.md"])
def test_markdown_outputs_stay_inert_even_in_a_renderer_that_allows_html(out: Path,
                                                                         name: str) -> None:
    source = (out / name).read_text("utf-8")
    permissive = MarkdownIt("commonmark", {"html": True}).render(source)
    page = assert_inert_html(permissive, name)
    if name == "shortlist.md":
        assert "<script>alert(1)</script> Hostile [click](javascript:alert(1))" in page.text
        assert HOSTILE_ORGANISATION in page.text


def test_social_posts_are_plain_text_and_not_formulas(out: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((out / "social-posts.csv").read_text("utf-8"))))
    assert len(rows) == 1
    text = rows[0]["text"]
    assert len(text) <= 280 and "#TestAwards" in text
    assert text[0] not in "=+-@"
    assert "<script>alert(1)</script> Hostile" in text  # a post is plain text


def test_certificates_show_hostile_text_as_text(out: Path) -> None:
    text = squash(pdf_text(out / "cat-a" / "hostile-winner.pdf"))
    for value in (HOSTILE_TITLE, HOSTILE_ORGANISATION, "Mallory <svg onload=alert(7)>",
                  "<b onmouseover=alert(6)>Bold</b>"):
        assert squash(value) in text


def test_packs_show_hostile_text_as_text_and_stay_anonymous(out: Path) -> None:
    for name in ("j1.pdf", "j2.pdf"):
        text = pdf_text(out / name)
        assert "<script>alert(9)</script>" in text
        assert squash("<img src=x onerror=alert(8)>") in squash(text)
        for value in ("Evil", "Mallory", "mallory@example.nhs.uk", "mallory-h", "Bold</b>"):
            assert value not in text
    html_text = (out / "j1.html").read_text("utf-8")
    for value in ("Evil", "Mallory", "mallory@example.nhs.uk", "mallory-h", "Bold"):
        assert value not in html_text
