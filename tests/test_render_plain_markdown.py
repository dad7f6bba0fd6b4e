"""The fast path for plain entry Markdown (render/text.plain_markdown): prose paragraphs
and `#` headings with no Markdown syntax in them become the HTML markdown-it makes of
them, byte for byte; anything else is left to markdown-it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from qsi_awards import load
from qsi_awards.render.text import markdown_it_html, plain_markdown, render_markdown

BENCH = REPO / "bench" / "generate.py"

# words of prose, with the punctuation prose has, non-ASCII letters and digits
PROSE = st.sampled_from([
    "falls", "Sepsis", "co-design", "GP", "2024", "50%", "(PDSA)", '"safer"', "it's", "naïve",
    "Ærø", "ß", "x:y", "a/b", "a@b", "$3", "a|b", "a=b", "a+b", "1", "3.5", "²", "١٢", "é",
    "“quoted”", "—", "…", "a.", "b,", "c;", "d?"])
# what makes text something other than plain prose, or sits at its edges
SYNTAX = st.sampled_from([
    *"\\`*_[]!<>&#~\t\r\x00\x1f\x7f\x85\xa0\u2028\u3000\ufeff", "1.", "1)", "12345.", "-",
    "+", "=", "===", "---", "***", "___", "    ", " ", "  ", "# ", "#", "####### ", "##", "\n",
    "<!-- x -->", "&amp;", "&#35;", "[a](b)", "[a]: /b", "![p](q)", "```", "~~~", "> q",
    "- i", "* i", "+ i", "1. i", "2) i", "<b>", "https://x.org", "www.x.org", "\\#"])
WORD = st.one_of(PROSE, PROSE, PROSE, PROSE, PROSE, PROSE, SYNTAX, st.text(max_size=3))
LINE = st.one_of(st.lists(WORD, min_size=1, max_size=8).map(" ".join),
                 st.lists(WORD, min_size=1, max_size=4).map("".join))
HEADING = st.tuples(st.integers(1, 7), st.sampled_from(["", " ", "  "]), LINE).map(
    lambda h: "#" * h[0] + " " + h[1] + h[2])
BODY = st.lists(st.one_of(LINE, LINE, HEADING, st.just(""), st.sampled_from([" ", "\t"])),
                max_size=14).map("\n".join)
# prose only (the fast path's), in paragraphs under headings
PROSE_LINE = st.lists(PROSE, min_size=1, max_size=8).map(" ".join)
PROSE_BODY = st.lists(st.one_of(PROSE_LINE, PROSE_LINE, st.just(""), st.tuples(
    st.integers(1, 6), PROSE_LINE).map(lambda h: "#" * h[0] + " " + h[1])),
    max_size=14).map("\n".join)


@given(st.one_of(PROSE_BODY, BODY), st.integers(1, 6))
@settings(max_examples=1000, deadline=None)
@example("## Challenge\n\nFalls fell.\nBy half.\n\n## Impact\nIt's \"safer\" now.\n", 2)
@example("# One\n\n###### Deep\ntext", 3)
@example("Falls\n===\n", 2)  # a setext heading
@example("Falls\n- fell\n", 2)  # a list interrupts the paragraph
@example("2024. A year\n", 2)  # an ordered list
@example("Falls  \nfell\n", 2)  # a hard line break
@example("Falls\n  fell\n", 2)
@example("\u3000Falls\n", 2)  # white space markdown-it strips from a paragraph
@example("##  Two spaces\n", 2)
@example("## Closed ##\n", 2)
@example("", 2)
@example("\n\n", 2)
def test_plain_markdown_is_what_markdown_it_makes(text: str, top_level: int) -> None:
    fast = plain_markdown(text, top_level)
    if fast is not None:
        assert fast == markdown_it_html(text, top_level)
    assert render_markdown(text, top_level) == markdown_it_html(text, top_level)


@pytest.mark.parametrize("text", [
    "Falls *fell*\n", "Falls\n===\n", "Falls\n- fell\n", "1. Falls\n", "Falls  \nfell\n",
    " Falls\n", "Falls &amp; sepsis\n", "<!-- 400 words -->\n", "#Falls\n", "## Falls ##\n",
    "Falls\tfell\n", "> Falls\n", "    Falls\n", "[Falls]: /x\n"])
def test_anything_but_plain_prose_goes_to_markdown_it(text: str) -> None:
    assert plain_markdown(text) is None


def test_plain_prose_and_headings_take_the_fast_path() -> None:
    text = "## Challenge\n\nFalls \"fell\" by 50%, it's (PDSA) co-design.\nNaïve.\n\n# Aim\n"
    assert plain_markdown(text, 2) == ("<h3>Challenge</h3>\n<p>Falls &quot;fell&quot; by "
                                       "50%, it's (PDSA) co-design.\nNaïve.</p>\n<h2>Aim</h2>\n")


def _bodies(programme: Path) -> dict[str, str]:
    return {entry_id: entry.body for entry_id, entry in load.load(programme).entries.items()}


def test_the_example_programmes_entries_render_as_markdown_it_renders_them() -> None:
    folders = [REPO, *(path.parent for path
                       in sorted((REPO / "tests" / "examples").rglob("programme.yaml")))]
    bodies = {f"{folder}/{entry_id}": body
              for folder in folders for entry_id, body in _bodies(folder).items()}
    fast = 0
    for entry_id, body in bodies.items():
        assert render_markdown(body, 2) == markdown_it_html(body, 2), entry_id
        fast += plain_markdown(body, 2) is not None
    assert fast >= len(bodies) // 2  # most entries are plain prose


def test_every_bench_entry_takes_the_fast_path_and_renders_as_markdown_it_does(
        tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bodies = _bodies(module.generate(tmp_path, 40, 6, sheets="scored"))
    assert len(bodies) == 40
    for entry_id, body in bodies.items():
        assert plain_markdown(body, 2) == markdown_it_html(body, 2), entry_id
