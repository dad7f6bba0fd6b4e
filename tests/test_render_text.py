"""The text helpers behind rendering: safe Markdown, Markdown escaping, shortening at
word boundaries, fitting social posts, redaction for judge packs."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qsi_awards.render.environment import join_names, long_date
from qsi_awards.render.text import (
    ELLIPSIS,
    PostTooLong,
    _any_term,
    fit_post,
    md_code_cell,
    md_escape,
    one_line,
    post_length,
    redactor,
    render_markdown,
    safe_link,
    shorten,
)
from render_support import github_markdown, parse_html


@pytest.mark.parametrize("url", ["https://example.org/a?b#c", "http://x", "mailto:a@b.org",
                                 "MAILTO:a@b.org", "../entries/x.html", "x.html", "#top",
                                 "?q=1", "a/b:c", "./a%20b.html"])
def test_safe_links(url: str) -> None:
    assert safe_link(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 " javascript:alert(1)", "java%09script:alert(1)",
                                 "data:text/html,x", "vbscript:x", "file:///etc/passwd",
                                 "ftp://x", "blob:x",
                                 # from file:// a rooted path is the reader's disk, and these
                                 # reach another machine (a UNC path on Windows)
                                 "/abs/path", "//evil.example/x", " //evil.example",
                                 "/\\evil.example", "\\\\evil.example\\share",
                                 "%2F%2Fevil.example", "%5c%5cevil.example"])
def test_unsafe_links(url: str) -> None:
    assert not safe_link(url)


def test_markdown_escapes_raw_html_and_keeps_unsafe_links_as_text() -> None:
    html = render_markdown("## Aim\n\n<script>alert(1)</script>\n\n"
                           "[x](javascript:alert(1)) [y](https://ok.example)\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "[x](javascript:alert(1))" in html
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">y</a>' in html


def test_markdown_leaves_rooted_and_protocol_relative_links_as_text() -> None:
    html = render_markdown("[a](//evil.example/x) [b](/etc/passwd) [c](/\\evil.example) "
                           "[d](<\\\\evil.example\\share>) ![e](//evil.example/p.png) "
                           "[ok](entries/x.html)\n")
    page = parse_html(html)
    assert [attrs.get("href") for tag, attrs in page.tags if tag == "a"] == ["entries/x.html"]
    for text in ("[a](//evil.example/x)", "[b](/etc/passwd)", "![e](//evil.example/p.png)"):
        assert text in page.text


def test_markdown_leaves_out_a_paragraph_that_is_only_a_comment() -> None:
    """A note to the writer (`qsi new entry` writes the word limits so) is not shown, as on
    GitHub; a comment inside a paragraph is text like any other raw HTML."""
    html = render_markdown("## Impact\n\n<!-- at most 400 words -->\n\nFalls <!-- x --> halved.\n")
    assert html == "<h2>Impact</h2>\n<p>Falls &lt;!-- x --&gt; halved.</p>\n"


def test_markdown_headings_are_shifted_to_the_level_asked() -> None:
    assert render_markdown("# One\n## Two", 2).startswith("<h2>One</h2>\n<h3>Two</h3>")
    assert render_markdown("## One", 3).startswith("<h3>One</h3>")
    assert "<h6>" in render_markdown("## A\n###### Deep", 3)  # never beyond h6


# Where the Markdown outputs put a value: a paragraph, a heading, a list item in bold, an
# indented summary, a quote, a table cell (tally, status, job summaries).
MD_CONTEXTS = ["Before {} after.", "{}", "## {}", "1. **{}**, Org (Winner)", "   {}", "> {}",
               "- **Winner:** {}, {}", "| a | b |\n|---|---|\n| {} | x |"]
# pieces of Markdown, web addresses and GitHub references, so the examples hit them often
MD_PIECES = st.sampled_from([
    *"\\`*_[]()<>|~$#&.:/@!-+=1;\"' \n\t", "https://", "http://x.org", "www.", "x.org",
    "a@b.co", "mailto:", "//", "&amp;", "&#35;", "&nbsp;", "<!--", "-->", "<img src=x>",
    "![p](https://t.example/p.png)", "[l](https://e.example)", ":tada:", "@someone", "#12",
    "1. ", "# ", "- ", "---", "===", "**", "~~"])
MD_TEXT = st.one_of(st.text(), st.lists(st.one_of(MD_PIECES, st.text(max_size=3)),
                                        max_size=20).map("".join))


def literal(text: str) -> str:
    """What a value should read as: its white space collapsed (and U+0000, which
    CommonMark turns into U+FFFD, as that)."""
    return one_line(text).replace("\0", "\ufffd")


@given(MD_TEXT.filter(str.strip), st.sampled_from(MD_CONTEXTS))
@settings(max_examples=500, deadline=None)
@example("see https://evil.example/x and www.evil.example", "Before {} after.")
@example("![pixel](https://t.example/p.png) <img src=x> [link](https://e.example)", "{}")
@example("write to a@b.example or mailto:c@d.example", "## {}")
@example("&amp; &#60;b&#62; &copy;", "   {}")
@example("Falls ##", "## {}")
@example("a | b", "| a | b |\n|---|---|\n| {} | x |")
@example("MAILTO:0@+ and Mailto:x", "Before {} after.")  # linkify reads mailto: in any case
def test_md_escape_renders_as_the_literal_text(text: str, context: str) -> None:
    """Whatever the text and wherever a template puts it, GitHub-like Markdown shows it
    as exactly that text (white space collapsed): no link, autolink, image, tag,
    emphasis, code, heading, list or table cell of its own."""
    escaped = md_escape(text)
    assert "\n" not in escaped
    page = github_markdown(context.replace("{}", escaped))
    frame = github_markdown(context.replace("{}", "PLACEHOLDER"))
    assert page.tags == frame.tags
    assert page.flat == " ".join(frame.flat.replace("PLACEHOLDER", literal(text)).split())


@pytest.mark.parametrize("value, expected", [
    ("# Heading", "\\# Heading"), ("#KMQSIAwards", "#KMQSIAwards"), ("- item", "\\- item"),
    ("2020. A year", "2020\\. A year"), ("a_b *c* [d](e)", "a\\_b \\*c\\* \\[d\\](e)"),
    ("<b>x</b>", "\\<b\\>x\\</b\\>"), ("Kent & Medway", "Kent & Medway"),
    ("Falls ##", "Falls \\##"), ("A&E &amp;", "A\\&E \\&amp;"), ("-1 to +1", "-1 to +1"),
    ("https://x.org", "https\\:\\//x\\.org"), ("www.x.org", "www\\.x\\.org"),
    ("e.g. 3.5", "e\\.g. 3\\.5"), ("costs $5", "costs \\$5"), ("~~no~~", "\\~\\~no\\~\\~"),
    # GitHub links these after parsing, where a backslash no longer is: an empty comment
    ("ask @someone", "ask @<!-- -->someone"), ("see #123", "see #<!-- -->123"),
    ("a@b.org", "a@<!-- -->b\\.org"), (":tada:", ":<!-- -->tada:"),
])
def test_md_escape_examples(value: str, expected: str) -> None:
    assert md_escape(value) == expected


@given(MD_TEXT.filter(str.strip))
@settings(max_examples=300, deadline=None)
@example("entries/falls-huddles.md:9:12")
@example("a`b``c|d @x #1 https://x.org")
def test_md_code_cell_is_the_literal_text_in_a_table(text: str) -> None:
    page = github_markdown(f"| where | x |\n|---|---|\n| {md_code_cell(text)} | y |")
    assert [tag for tag, _ in page.tags].count("code") == 1
    assert "a" not in [tag for tag, _ in page.tags]
    assert page.flat == " ".join(f"where x {literal(text)} y".split())


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
    ascii_text = "".join(map(chr, range(128)))
    assert post_length(ascii_text) == 128
    assert post_length(ascii_text + "é…") == 128 + 1 + 2


def test_redactor_whole_words_any_case_and_line_breaks() -> None:
    redact = redactor({"Medway Community Healthcare": "[organisation]", "Tom Clarke": "[name]",
                       "Al": "[too short]"})
    text = "Medway Community\nHealthcare and TOM CLARKE; Tom Clarkes; Al; MedwayCommunity"
    assert redact(text) == "[organisation] and [name]; Tom Clarkes; Al; MedwayCommunity"


def _redacted_one_term_at_a_time(replacements: Mapping[str, str], text: str) -> str:
    """What redactor does, written plainly: one alternative per key, longest first."""
    lookup = {one_line(key).lower(): value for key, value in replacements.items()
              if len(one_line(key)) >= 3}
    if not lookup:
        return text
    terms = sorted(lookup, key=len, reverse=True)
    word = r"[0-9A-Za-z\u00C0-\uFFFF]"
    pattern = re.compile(rf"(?<!{word})(" + "|".join(
        r"\s+".join(re.escape(part) for part in term.split()) for term in terms)
        + rf")(?!{word})", re.IGNORECASE)
    return pattern.sub(lambda m: lookup.get(one_line(m.group(1)).lower(), "[redacted]"),
                       text)


# few letters, so that names share their starts; an s and a long s, an i and a dotless i
NAME_PARTS = st.text(alphabet="abAsSſiıé-.@'0", min_size=1, max_size=4)
NAMES = st.lists(st.lists(NAME_PARTS, min_size=1, max_size=3).map(" ".join), max_size=12)


@st.composite
def names_and_text(draw: st.DrawFn) -> tuple[list[str], str]:
    names = draw(NAMES)
    pieces = st.one_of(st.sampled_from(names) if names else st.just("x"),
                       st.sampled_from([" ", "  ", "\n", "\t", ", ", "x", "é", "-"]),
                       NAME_PARTS)
    text = "".join(draw(st.lists(pieces, max_size=12)))
    # names as people type them: in capitals, say
    return names, draw(st.sampled_from([text, text.upper(), text.title()]))


@pytest.mark.slow
@given(names_and_text())
@settings(max_examples=500, deadline=None)
@example((["ſam smith", "sam"], "Thanks to SAM  SMITH and Sam."))
@example((["Ann Able", "Ann"], "Ann Able\nAnn, Ann Abler"))
def test_redactor_finds_what_one_term_at_a_time_finds(case: tuple[list[str], str]) -> None:
    names, text = case
    replacements = {name: f"[{n}]" for n, name in enumerate(names)}
    assert redactor(replacements)(text) == _redacted_one_term_at_a_time(replacements, text)


def test_names_that_share_a_start_share_it_in_the_pattern() -> None:
    """A national programme has 60,000 names to redact; one alternative each made every
    place in a judge pack's text try them all (a second a text, hours for the packs).
    As a trie, what names start with alike is tried once."""
    names = {f"Lead {n}": "[name]" for n in range(1000)}
    assert _any_term(frozenset(one_line(key).lower() for key in names)).pattern.count(
        "lead") == 1
    assert redactor(names)("Thanks to lead 999 and LEAD\n12, not Lead 1000.") == (
        "Thanks to [name] and [name], not Lead 1000.")


def test_names_a_trie_cannot_hold_are_found_all_the_same() -> None:
    # an s and a long s both match S: the longest name is still the one found
    assert redactor({"ſam smith": "[long s]", "sam": "[name]"})("Sam Smith, Sam") == (
        "[redacted], [name]")
    # names too long to write as a trie (a trie nests a level for each letter)
    names = {"a" * 4000: "[4000]", "a" * 3000 + " b": "[3000 b]", "a" * 3000: "[3000]"}
    text = f"{'a' * 4000} {'A' * 3000}\nB {'a' * 3000} {'a' * 3001}"
    assert redactor(names)(text) == f"[4000] [3000 b] [3000] {'a' * 3001}"


def test_filters() -> None:
    assert long_date("2020-04-01") == "1 April 2020"
    assert long_date("not a date") == "not a date"
    assert join_names(["a", "b", "c"]) == "a, b and c"
    assert join_names(["a"]) == "a"
