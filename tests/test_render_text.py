"""The text helpers behind rendering: safe Markdown, Markdown escaping, shortening at
word boundaries, fitting social posts, redaction for judge packs."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qsi_awards.render.environment import join_names, long_date
from qsi_awards.render.text import (
    ELLIPSIS,
    PostTooLong,
    fit_post,
    md_escape,
    post_length,
    redactor,
    render_markdown,
    safe_link,
    shorten,
)


@pytest.mark.parametrize("url", ["https://example.org/a?b#c", "http://x", "mailto:a@b.org",
                                 "MAILTO:a@b.org", "../entries/x.html", "x.html", "#top",
                                 "/abs/path", "?q=1", "a/b:c"])
def test_safe_links(url: str) -> None:
    assert safe_link(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 " javascript:alert(1)", "java%09script:alert(1)",
                                 "data:text/html,x", "vbscript:x", "file:///etc/passwd",
                                 "ftp://x", "blob:x"])
def test_unsafe_links(url: str) -> None:
    assert not safe_link(url)


def test_markdown_escapes_raw_html_and_keeps_unsafe_links_as_text() -> None:
    html = render_markdown("## Aim\n\n<script>alert(1)</script>\n\n"
                           "[x](javascript:alert(1)) [y](https://ok.example)\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "[x](javascript:alert(1))" in html
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">y</a>' in html


def test_markdown_headings_are_shifted_to_the_level_asked() -> None:
    assert render_markdown("# One\n## Two", 2).startswith("<h2>One</h2>\n<h3>Two</h3>")
    assert render_markdown("## One", 3).startswith("<h3>One</h3>")
    assert "<h6>" in render_markdown("## A\n###### Deep", 3)  # never beyond h6


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_md_escape_is_literal_text_even_with_html_allowed(text: str) -> None:
    """Whatever the text, the escaped value renders as that text (white space
    collapsed) and never as an element."""
    escaped = md_escape(text)
    assert "\n" not in escaped
    html = MarkdownIt("commonmark", {"html": True}).render("Before " + escaped + " after")
    for tag in ("<script", "<img", "<a ", "<em", "<strong", "<code", "<h1"):
        assert tag not in html


@pytest.mark.parametrize("value, expected", [
    ("# Heading", "\\# Heading"), ("#KMQSIAwards", "#KMQSIAwards"), ("- item", "\\- item"),
    ("2020. A year", "2020\\. A year"), ("a_b *c* [d](e)", "a\\_b \\*c\\* \\[d\\](e)"),
    ("<b>x</b>", "\\<b\\>x\\</b\\>"), ("Kent & Medway", "Kent & Medway"),
])
def test_md_escape_examples(value: str, expected: str) -> None:
    assert md_escape(value) == expected


@given(st.lists(st.text(alphabet="abcdefghij,.-", min_size=1, max_size=12), min_size=1,
                max_size=30), st.integers(min_value=1, max_value=120))
@settings(max_examples=200, deadline=None)
def test_shorten_never_cuts_a_word(words: list[str], width: int) -> None:
    text = " ".join(words)
    short = shorten(text, width)
    if post_length(text) <= width:
        assert short == text
        return
    assert short.endswith(ELLIPSIS)
    assert post_length(short) <= max(width, post_length(ELLIPSIS))
    kept = short[: -len(ELLIPSIS)].split()
    if kept:
        # every kept word is a whole word of the original, in order (the last may lose
        # trailing punctuation)
        assert kept[:-1] == words[: len(kept) - 1]
        assert words[len(kept) - 1].startswith(kept[-1])


def test_shorten_example() -> None:
    assert shorten("Reducing inpatient falls with safety huddles", 40) == \
        "Reducing inpatient falls with safety…"
    # not "falls with…": a shortened title does not end on a little word
    assert shorten("Reducing inpatient falls with safety huddles", 31) == \
        "Reducing inpatient falls…"


TEMPLATE = 'The 2020 winner of {category} is "{title}", {organisation}. Well done! #Awards'


@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=200),
       st.text(min_size=1, max_size=150))
@settings(max_examples=200, deadline=None)
def test_fit_post_always_fits_280(title: str, organisation: str, category: str) -> None:
    def render(values: Mapping[str, str]) -> str:
        return TEMPLATE.format(**values)

    post = fit_post(render, {"title": title, "organisation": organisation,
                             "category": category})
    assert post_length(post) <= 280 and len(post) <= 280
    assert post.endswith("#Awards")


def test_fit_post_shortens_the_title_first() -> None:
    title = "A very long project title " * 8
    post = fit_post(lambda v: TEMPLATE.format(**v), {
        "title": title, "organisation": "Medway NHS Foundation Trust",
        "category": "Best QI initiative in secondary care"})
    assert "Medway NHS Foundation Trust" in post
    assert "Best QI initiative in secondary care" in post
    assert ELLIPSIS + '"' in post


def test_fit_post_refuses_a_template_that_is_too_long_by_itself() -> None:
    with pytest.raises(PostTooLong):
        fit_post(lambda v: "x" * 300 + v["title"], {"title": "t"})


def test_post_length_counts_wide_characters_twice() -> None:
    assert post_length("abc") == 3
    assert post_length("…") == 2
    assert post_length("病院") == 4


def test_redactor_whole_words_any_case_and_line_breaks() -> None:
    redact = redactor({"Medway Community Healthcare": "[organisation]", "Tom Clarke": "[name]",
                       "Al": "[too short]"})
    text = "Medway Community\nHealthcare and TOM CLARKE; Tom Clarkes; Al; MedwayCommunity"
    assert redact(text) == "[organisation] and [name]; Tom Clarkes; Al; MedwayCommunity"


def test_filters() -> None:
    assert long_date("2020-04-01") == "1 April 2020"
    assert long_date("not a date") == "not a date"
    assert join_names(["a", "b", "c"]) == "a, b and c"
    assert join_names(["a"]) == "a"
