"""The entry form's JavaScript against the Python it mirrors, on generated input, run in
headless Chromium on the rendered form (window.qsiEntryForm):

- words: count_words, and a body's sections and words (checks/content.outline: the
  parser qsi validate uses, markdown-it-py, against markdown-it, its JavaScript
  original) on Markdown made of the constructs that change what a reader sees;
- the sections the form accepts are the sections qsi validate sees: whatever an entrant
  types, a body the form would save has exactly the programme's sections (or a category's
  own, when it has entry rules of its own), with the words the form showed;
- YAML: quoted, scalar and flow_list write the same text (writes/yaml_scalars.py);
- the file: `slugify` names it the same; with only what `qsi new entry` knows, the form
  writes the very file `qsi new entry` writes; filled in, qsi's own loader reads back
  every value typed, and the form reads its own file back to the same values.

What the form cannot match: a character that a newer Unicode than this Python's makes
a letter (Chromium's is newer), so generated text holds characters Python knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qsi_awards.checks.content import count_words, outline
from qsi_awards.load import split_front_matter, validation, yamlparse
from qsi_awards.model import EntryFile
from qsi_awards.names import name_key
from qsi_awards.programme import open_programme
from qsi_awards.render.text import _NOTE as NOTE
from qsi_awards.writes.new_entry import Filled, entry_text, slugify
from qsi_awards.writes.yaml_scalars import flow_list, quoted, scalar
from render_support import REPO, Browser, chromium, render

pytestmark = pytest.mark.browser

PROGRAMME = open_programme(REPO)
CATEGORIES = {c.id: c for c in PROGRAMME.categories}
SECTIONS = [s.title for s in PROGRAMME.settings.entry_rules.sections]
CHECKS = settings(max_examples=300, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module: Playwright's synchronous API runs one at a time in a
    thread, and both forms below are open at once."""
    with chromium() as running:
        yield running
        assert running.problems() == []


@pytest.fixture(scope="module")
def js(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Any:
    out = tmp_path_factory.mktemp("form")
    render("entry-form", REPO, out)
    page = browser.page()
    page.goto((out / "entry-form.html").as_uri())
    page.wait_for_load_state("load")
    return page


# characters Python's Unicode knows, without surrogates (which JSON cannot carry)
known = st.characters(exclude_categories=("Cs", "Cn"))
texts = st.text(known, max_size=30)
words = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), min_size=1, max_size=10),
    st.text(known, min_size=1, max_size=6),
    st.sampled_from(["word", "NHS", "2020", "e\u0301", "日本語", "١٢٣", "–", "-", "|", "—",
                     "a\u00a0b", "x\u200by", "\U0001f600", "_", "__init__", "&", "#"]))
INLINE = ["[a link](https://example.org/x)", "[two words](http://x.example \"title\")",
          "![an image](pic.png)", "![](pic.png)", "[ref]", "[text][ref]", "[Ref]", "&amp;",
          "&nbsp;", "&#49;", "&#x41;", "&copy;", "&bogus;", "&#١٢;", "**bold**", "_it_",
          "`code span`", "`` a ` b ``", "<http://auto.example>", "<me@example.org>", "\\*",
          "\\[", "<b>raw</b>", "<!-- c -->", "[x](javascript:alert(1))", "[y](//evil)",
          "[z](/etc/passwd)", "[m](MAILTO:a@b.c)", "a\\", "[a\nb](c)", "*", "[", "]", "("]
inline = st.lists(st.one_of(words, st.sampled_from(INLINE)), max_size=6).map(" ".join)
PREFIXES = ["", "", "", "## ", "# ", "### ", "   ## ", "    ", "\t", "- ", "* ", "+ ", "1. ",
            "10) ", "> ", "> ## ", "- ## ", "  - ", "#", "##\t"]
SPECIAL = ["", "", "---", "===", "***", "- - -", "```", "```python", "~~~", "````", "  ```",
           "<!-- a note -->", "<!-- at most 400 words -->", "<!-- one -->\n<!-- two -->",
           "[ref]: https://example.org/ref", "[ref]: <x y> 'title'", "Title\n---",
           "Title\n===", "## Challenge", "## Impact", "## impact  ", "Impact\n---", "## ",
           "#", "    code", "> quote\ncontinued"]
lines = st.one_of(st.tuples(st.sampled_from(PREFIXES), inline).map("".join),
                  st.sampled_from(SPECIAL))
markdown = st.lists(lines, max_size=14).map("\n".join)


@CHECKS
@given(st.one_of(texts, markdown))
def test_words_are_counted_the_same(js: Any, text: str) -> None:
    assert js.evaluate("t => qsiEntryForm.countWords(t)", text) == count_words(text)


@CHECKS
@given(markdown)
def test_sections_and_their_words_are_the_same(js: Any, body: str) -> None:
    expected = outline(body, 1)
    found = js.evaluate("b => qsiEntryForm.outline(b)", body)
    assert [(s["title"], s["line"], s["words"], s["underlined"]) for s in found["sections"]] == [
        (s.title, s.line, s.words, s.underlined) for s in expected.sections]
    assert found["before"] == expected.before


@CHECKS
@given(st.lists(markdown, min_size=len(SECTIONS), max_size=len(SECTIONS)))
def test_sections_the_form_accepts_are_the_sections_validate_sees(
        js: Any, texts: list[str]) -> None:
    done = js.evaluate("ts => ({body: qsiEntryForm.bodyText(ts), "
                       "states: qsiEntryForm.sectionStates({sections: ts})})", texts)
    if any(state["problems"] for state in done["states"]):
        return  # the form says what is wrong and does not save
    seen = outline(done["body"], 1)
    assert seen.before == 0
    assert [name_key(s.title) for s in seen.sections] == [name_key(t) for t in SECTIONS]
    assert [s.words for s in seen.sections] == [state["words"] for state in done["states"]]


@pytest.fixture(scope="module")
def own_rules_js(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Any:
    """The form of the example programme with a category, staff-wellbeing, whose own entry
    rules ask for the sections Story and Impact."""
    from test_entry_form import OWN_RULES, programme_copy

    root = programme_copy(tmp_path_factory.mktemp("own") / "programme")
    with (root / "categories.yaml").open("a", encoding="utf-8") as categories:
        categories.write(OWN_RULES)
    out = tmp_path_factory.mktemp("own-form")
    render("entry-form", root, out)
    page = browser.page()
    page.goto((out / "entry-form.html").as_uri())
    page.wait_for_load_state("load")
    return page


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(markdown, min_size=2, max_size=2))
def test_a_categorys_own_sections_are_the_sections_validate_sees(
        own_rules_js: Any, texts: list[str]) -> None:
    done = own_rules_js.evaluate(
        "ts => ({body: qsiEntryForm.bodyText(ts, 'staff-wellbeing'), states: qsiEntryForm"
        ".sectionStates({sections: ts, category: 'staff-wellbeing'})})", texts)
    if any(state["problems"] for state in done["states"]):
        return  # the form says what is wrong and does not save
    seen = outline(done["body"], 1)
    assert seen.before == 0
    assert [name_key(s.title) for s in seen.sections] == ["story", "impact"]
    assert [s.words for s in seen.sections] == [state["words"] for state in done["states"]]


@CHECKS
@given(st.one_of(st.text(), st.sampled_from(
    ["", "no", "On", "007", "1e3", "null", "~", "a: b", "#x", "- x", "\\", "\"", "\t",
     "\u2028", "\x85", "\ufeff", "\x7f", "\x00", "\x1b[2K", "\u202e", "é\U0001f600",
     "\U0010ffff", "\ufffe"])))
def test_yaml_is_written_the_same(js: Any, value: str) -> None:
    assert js.evaluate("v => [qsiEntryForm.quoted(v), qsiEntryForm.scalar(v), "
                       "qsiEntryForm.flowList([v, 'x'])]", value) == [
        quoted(value), scalar(value), flow_list([value, "x"])]


@CHECKS
@given(st.one_of(texts, st.sampled_from(
    ["Con", "nul", "COM1.", "Ærøskøbing ﬁrst", "x" * 70, "a " * 40, "---", "日本"])))
def test_the_file_is_named_the_same(js: Any, title: str) -> None:
    assert js.evaluate("t => qsiEntryForm.slugify(t)", title) == slugify(title)


one_line = st.text(st.characters(exclude_categories=("C", "Z"), include_characters=" "),
                   min_size=1, max_size=40).filter(lambda text: text.strip() != "")
handles = st.from_regex(r"[A-Za-z0-9](-?[A-Za-z0-9]){0,10}", fullmatch=True)


def blank_values(category: str, submitted: str) -> dict[str, Any]:
    return {"title": "", "category": category, "organisation": "", "care_setting": "",
            "lead": {"name": "", "role": "", "email": ""}, "team": [], "submitted_by": "",
            "submitted": submitted, "patient_involvement":
                CATEGORIES[category].requires_patient_involvement,
            "consent_to_publish": False, "summary": "", "sections": [""] * len(SECTIONS)}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(CATEGORIES)), one_line, st.none() | one_line,
       st.none() | st.sampled_from(["primary", "secondary", "community"]),
       st.none() | handles, st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)))
def test_with_what_new_entry_knows_the_file_is_what_new_entry_writes(
        js: Any, category: str, title: str, organisation: str | None, setting: str | None,
        handle: str | None, today: dt.date) -> None:
    values = blank_values(category, today.isoformat())
    values.update(title=title, organisation=organisation or "",
                  care_setting=CATEGORIES[category].setting or setting or "",
                  submitted_by=handle or "")
    assert js.evaluate("v => qsiEntryForm.entryFile(v)", values) == entry_text(
        title, CATEGORIES[category], PROGRAMME.settings, today, Filled(
            organisation=organisation, care_setting=CATEGORIES[category].setting or setting,
            submitted_by=handle))


section_text = st.one_of(st.sampled_from(["Plain words.", "- a\n- b", "Text\n\n    code"]),
                         markdown)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(CATEGORIES)), one_line, one_line, one_line, st.none() | one_line,
       st.lists(one_line, max_size=3), st.none() | handles, st.booleans(), st.booleans(),
       st.text(known, min_size=1, max_size=80).filter(lambda t: t.strip() != ""),
       st.lists(section_text, min_size=len(SECTIONS), max_size=len(SECTIONS)))
def test_what_the_form_writes_qsi_reads_and_the_form_reads_back(
        js: Any, category: str, title: str, organisation: str, name: str, role: str | None,
        team: list[str], handle: str | None, involved: bool, consent: bool, summary: str,
        sections: list[str]) -> None:
    values = blank_values(category, "2020-01-20")
    values.update(title=title, organisation=organisation,
                  care_setting=CATEGORIES[category].setting or "community",
                  lead={"name": name, "role": role or "", "email": "a.b@example.nhs.uk"},
                  team=team, submitted_by=handle or "", patient_involvement=involved,
                  consent_to_publish=consent, summary=summary, sections=sections)
    done = js.evaluate("v => { const text = qsiEntryForm.entryFile(v); return {text, "
                       "back: qsiEntryForm.readEntryFile(text), problems: qsiEntryForm"
                       ".sectionStates(v).some(s => s.problems.length)}; }", values)
    assume(not done["problems"])  # the form would say what is wrong, and not save
    split = split_front_matter(done["text"])
    assert not isinstance(split, str)
    data, problems = yamlparse.parse(split[0])
    assert problems == []
    front, errors = validation.validate(EntryFile, data)
    assert front is not None, errors
    assert (front.title, front.organisation, front.lead.name, front.lead.role, front.team,
            front.submitted_by, front.patient_involvement, front.consent_to_publish,
            front.summary) == (title, organisation, name, role, team, handle, involved,
                               consent, summary)
    back = done["back"]
    assert "problem" not in back, back
    # the sections come back with their line breaks as \n and without the blank lines
    # around them; one that is only a note to the writer comes back empty
    tidied = [re.sub(r"\A(?:[ \t]*\n)+", "", re.sub(r"\r\n?", "\n", text)).rstrip(" \t\n")
              for text in sections]
    assert back["values"] == {**values, "sections": [
        "" if NOTE.fullmatch(text) else text for text in tidied]}
