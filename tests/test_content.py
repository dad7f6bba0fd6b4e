"""Sections and word counts as a reader sees the entry (checks/content.py): the Markdown
parser decides what is a heading, and words are counted from the text it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder import entry_meta, entry_text, write_programme
from conftest import findings_of, run_cli
from qsi_awards.checks.content import (
    Outline,
    Section,
    _parsed_outline,
    _plain_outline,
    count_words,
    outline,
)


def sections(body: str) -> list[tuple[str, int, int]]:
    """(title, line, words) of each section of a body that starts on line 1."""
    return [(s.title, s.line, s.words) for s in outline(body, 1).sections]


@pytest.mark.parametrize("text, words", [
    ("Falls were common.", 3),
    ("**Bold** and _emphasis_ and `code`", 5),
    ("- one\n- two *", 2),                  # a lone - or * is not a word
    ("a - b – c | d", 4),                  # nor is punctuation standing alone
    ("A&E, 50% and 2020", 4),
])
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def words_by_definition(text: str) -> int:
    """The runs of characters str.split sees between white space that hold a letter or
    a digit (str.isalnum): count_words' docstring, word by word."""
    return sum(1 for run in text.split() if any(char.isalnum() for char in run))


@given(st.text(st.sampled_from([chr(code) for code in range(128)] + ["é", "\u00a0", "—"])))
@settings(max_examples=1500, deadline=None)
@example("\x1c\x1dword\x1e\x1f-\x0b_\x0c")  # str.split's white space beyond " \t\n\r"
@example("x-y _ z")
def test_count_words_is_its_definition(text: str) -> None:
    assert count_words(text) == words_by_definition(text)


@pytest.mark.parametrize("body, expected", [
    # a heading indented by up to three spaces is a heading
    ("## Challenge\nx\n   ## Impact\ny z\n", [("Challenge", 1, 1), ("Impact", 3, 2)]),
    # four spaces make it code, which belongs to the section above
    ("## Challenge\nx\n\n    ## Impact\n", [("Challenge", 1, 2)]),
    # a heading in a fenced block is code, whatever fences it holds
    ("## Challenge\n````\n```\n## Impact\n````\n", [("Challenge", 1, 1)]),
    ("## Challenge\n~~~\n## Impact\n", [("Challenge", 1, 1)]),  # an unclosed fence runs on
    # text underlined with dashes is a level-2 heading; with '=' a level-1 one
    ("Challenge\n---\nx\n\nImpact\n===\n", [("Challenge", 1, 2)]),
    # a heading inside a list or a quote is part of it
    ("## Challenge\n- ## Impact\n> ## Spread\n", [("Challenge", 1, 2)]),
    # deeper headings and their text belong to the section they sit in
    ("## Challenge\n### What we found\nx\n#### Detail\ny\n## Impact\nz\n",
     [("Challenge", 1, 6), ("Impact", 6, 1)]),
    # a heading's title as shown: emphasis, closing hashes and escapes taken away
    ("## *Spread* and  adoption ##\n", [("Spread and adoption", 1, 0)]),
    ("\\## Challenge\n## Impact\n", [("Impact", 2, 0)]),
    # Windows line endings
    ("## Challenge\r\nx y\r\n\r\n## Impact\r\nz\r\n", [("Challenge", 1, 2), ("Impact", 4, 1)]),
])
def test_sections_are_what_the_parser_sees(body: str, expected: list[tuple[str, int, int]]
                                           ) -> None:
    assert sections(body) == expected


@pytest.mark.parametrize("body, words", [
    # link text counts, its address and title do not; nor does a reference definition
    ('[our report](https://example.org/a/b "The full report") is out', 4),
    ("[our report][r] is out\n\n[r]: https://example.org/a/b", 4),
    ("<https://example.org/a>", 1),
    # an image is shown as a link with its description (or its address)
    ("![two falls charts](charts.png) ![](chart.png)", 4),
    ("Fish &amp; chips &#8212; and A&amp;E", 4),
    # a paragraph that is only a comment is a note to the writer, not shown
    ("<!-- at most 400 words -->\n\nOne two three.", 3),
    ("Text <!-- shown, as raw HTML is off --> here", 8),
    ("```\ncode words count too\n```", 4),
    ("- one\n- two\n\n1. three\n2) four", 4),  # list markers are not words
])
def test_words_are_what_a_reader_sees(body: str, words: int) -> None:
    assert sections(f"## Challenge\n{body}\n") == [("Challenge", 1, words)]


def test_text_before_the_first_section_is_counted_with_its_line() -> None:
    found = outline("<!-- a note -->\n\n# Our project\n\nWe did it.\n\n## Challenge\nx\n", 14)
    assert (found.before, found.before_line) == (5, 16)
    assert found.sections == [Section("Challenge", 20, 1)]
    assert outline("<!-- a note -->\n\n---\n\n## Challenge\n", 14).before == 0


# Lines a body might have, plain and not: the fast path must agree with the parser
# whenever it answers at all.
LINES = st.sampled_from([
    "", " ", "\t", "Plain words here.", "Ünïcödé wörds — and dashes – too", "2020 was busy",
    "a * b _c_ `d` \\e", "A&E and 50%", "x!", "trailing  ", "## Challenge", "## Impact ",
    "##  Spread and adoption", "## Spread  and\u00a0adoption\u00a0", "# Top", "### Sub",
    "###### Deep", "####### seven",
    "#hashtag", "## Closing ##", "## *Em*", "   ## Indented", "    code", "- item", "* item",
    "+ item", "1. one", "1) one", "2020. was", "01. one", "0. zero", "10) ten", "12.",
    " 2. two", "> quote", "---", "===", "***", "```", "~~~",
    "<!-- note -->", "<div>", "[ref]: https://x.org", "[link](https://x.org)", "&amp;",
    "| a | b |", "\\", "\r",
    "<!-- at most 400 words -->", "<!---->", "<!-- a -- b -->\t", "<!-- a --> <!-- b -->",
    "<!-- a -->x", "x <!-- a -->", "<!-- a", "-->", " <!-- a -->", "<!-- a -->\r",
])
PLAIN_LINES = st.sampled_from(["", "Plain words, here.", "## Challenge", "## Impact", "# Top",
                               "### Sub", "x – y", "2020 was", "a * b", "  ", "## x ##",
                               "<!-- at most 400 words -->", "<!-- note --> "])
BODIES = st.one_of(st.lists(LINES, max_size=12).map("\n".join),
                   st.lists(PLAIN_LINES, max_size=12).map("\n".join),
                   st.lists(st.one_of(LINES, st.text(max_size=8)), max_size=8).map("\n".join))


@given(BODIES)
@settings(max_examples=1500, deadline=None)
@example("Some text\n## Challenge\nx\n")
@example("Text\r\n\r\n## Challenge\r\nx y")
@example("## Spread  and\u00a0adoption\u00a0\nx")
def test_the_fast_path_agrees_with_the_parser(body: str) -> None:
    plain = _plain_outline(body, 7)
    if plain is not None:
        assert plain == _parsed_outline(body, 7)


def test_the_fast_path_takes_plain_prose() -> None:
    body = ("## Challenge\n\nFalls were common,\nat night.\n\n### More\n\nYes.\n\n"
            "## Impact\nHalved.\n")
    assert _plain_outline(body, 1) == Outline(
        [Section("Challenge", 1, 7), Section("Impact", 10, 1)], 0, 0)


def test_the_fast_path_takes_numbers_that_continue_a_paragraph() -> None:
    """A line starting '2019. ' in a paragraph is prose, not a list (only item 1 may
    interrupt a paragraph): three of the example entries have one."""
    body = ("## Challenge\n\nWe aimed for 70% by December\n2019. We met it.\n\n"
            "## Impact\nIncidents fell to\n50. Good.\n")
    assert _plain_outline(body, 1) == Outline(
        [Section("Challenge", 1, 10), Section("Impact", 6, 5)], 0, 0)
    for listed in ("## Challenge\n\n2019. We\n", "## Challenge\n2019. We\n", "2019. We\n",
                   "## Challenge\nText\n1. We\n", "## Challenge\nText\n \n2. We\n"):
        assert _plain_outline(listed, 1) is None, listed


def test_the_fast_path_takes_the_notes_qsi_writes() -> None:
    """`qsi new entry` and `qsi import entries` write each section's word limit under its
    heading as a note (a paragraph the parser leaves out): such a body is plain too."""
    body = ("## Challenge\n\n<!-- at most 400 words -->\n\nFalls were common.\n\n"
            "## Impact\n<!-- at most 400 words -->\n<!-- a second note -->\n\nHalved.\n")
    assert _plain_outline(body, 1) == Outline(
        [Section("Challenge", 1, 3), Section("Impact", 7, 1)], 0, 0)
    # a note in a paragraph of text is text (raw HTML is off): the parser's to count
    shared = "## Challenge\nFalls.\n<!-- a note -->\n"
    assert _plain_outline(shared, 1) is None
    assert _parsed_outline(shared, 1).sections == [Section("Challenge", 1, 3)]


CONTENT = {"missing-section", "section-order", "too-many-words", "text-before-sections",
           "unexpected-section"}


def _validate(root: Path, meta: dict[str, Any], body: str | None = None
              ) -> list[tuple[int | None, str]]:
    (root / "entries" / "e1.md").write_text(entry_text(meta, body), "utf-8")
    result = run_cli(["validate", "-p", root, "--format", "json"])
    return [(f["line"], f["code"]) for f in findings_of(result.stdout)["findings"]
            if f["code"] in CONTENT]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_programme(tmp_path / "p", extra_settings={"entry_rules": {
        "summary_max_words": 5,
        "sections": [{"title": "Challenge", "max_words": 10}, {"title": "Impact"}]}})


def test_validate_takes_an_indented_heading_and_counts_words_not_markers(root: Path) -> None:
    # 10 words, five of them in a list: within the limit, though there are 15 tokens
    body = ("## Challenge\nFalls at night, and:\n\n- a\n- b\n- c\n- d\n- e\n\nEnd.\n\n"
            "   ## Impact\nHalved.\n")
    assert _validate(root, entry_meta("e1"), body) == []


def test_validate_reports_words_outside_the_sections(root: Path) -> None:
    body = ("Intro words.\n\n## Challenge\nx\n\n## Background\nmore\n\n## Impact\ny\n\n"
            "## Impact\nagain\n")
    front = 12  # entry_meta's front matter: the body starts on line 13
    assert _validate(root, entry_meta("e1"), body) == [(front + 1, "text-before-sections"),
                                     (front + 6, "unexpected-section"),
                                     (front + 12, "unexpected-section")]


def test_the_summary_counts_words_as_a_reader_sees_them(root: Path) -> None:
    assert _validate(root, entry_meta("e1", summary="Falls – halved – in – six months")) == []
    assert _validate(root, entry_meta("e1", summary="Falls – halved – in – six months, Y")) == [
        (11, "too-many-words")]
