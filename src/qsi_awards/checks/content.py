"""What an entry says, against the entry rules and its category.

An entry's body is read as its readers see it: Markdown parsed by markdown-it with the
settings the site and the judge packs render it with (render/text.markdown_parser), so a
heading indented by up to three spaces is a heading, a '## ' line in a code block is
code, and text underlined with '---' is a '## ' heading.

- Sections are the body's level-2 headings (not those inside a list or a quote). A
  deeper heading ('### ') and everything under it belong to the section it sits in.
- Words are what a reader sees: runs of non-space characters holding a letter or digit,
  in paragraphs, lists, quotes, tables, code and deeper headings, and in link text and
  image descriptions; not link addresses, not markup (`**`, a lone `-` or `|`), and not a
  paragraph that is only an HTML comment (a note to the writer, which is not shown). The
  summary is counted the same way.

- missing-section / section-order: the required '## ' headings, in order.
- text-before-sections: words before the first section heading.
- unexpected-section: a '## ' section the programme does not ask for, or a second one
  with the title of another. (The words of both would escape every limit.)
- too-many-words: a summary or section over its word limit.
- setting-mismatch: a care setting that does not fit the category's setting.
- needs-patient-involvement: an entry in a category that requires patient
  involvement, without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..findings import Finding, finding
from ..load import Entry
from ..model import Section as SectionRule
from ..names import name_key
from .context import Context

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# the ASCII characters that are neither letters or digits nor white space
_ASCII_MARKS: dict[int, None] = {
    code: None for code in range(128) if not (chr(code).isalnum() or chr(code).isspace())}
_NOT_A_WORD = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")


# ASCII text as bytes, its marks taken away, white space (as str.split sees it) made a
# space and every other character an "x": each word is then an "x" after a space (or
# at the start), counted without making a string of each word
_MARK_BYTES = bytes(_ASCII_MARKS)
_WORD_SHAPE = bytes(32 if chr(code).isspace() else 120 for code in range(256))


def count_words(text: str) -> int:
    """Runs of non-white-space characters that hold at least one letter or digit (as
    str.isalnum sees them). Taking the other characters away leaves just those runs; for
    speed that is done for ASCII, and any other run without a letter or digit is found
    with a regular expression."""
    if text.isascii():
        shape = text.encode("ascii").translate(_WORD_SHAPE, _MARK_BYTES)
        return shape.count(b" x") + shape.startswith(b"x")
    text = text.translate(_ASCII_MARKS)
    return len(text.split()) - len(_NOT_A_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Section:
    """A section of an entry's body: its heading and how many words it holds."""

    title: str  # as a reader sees it
    line: int  # file line of the heading
    words: int
    underlined: bool = False  # a setext heading: text with a line of '---' under it


@dataclass(frozen=True, slots=True)
class Outline:
    """An entry body's sections, and the words before the first."""

    sections: list[Section]
    before: int  # words before the first section
    before_line: int  # the file line they start on (0 when there are none)


def outline(body: str, first_line: int) -> Outline:
    """The sections of an entry's body (which starts on file line `first_line`)."""
    return _plain_outline(body, first_line) or _parsed_outline(body, first_line)


# Most bodies are plain: paragraphs of prose under simple headings (and the notes qsi
# writes under them). For them the parser's answer is known without running it (a test
# checks that both give the same outlines), which keeps `qsi validate` on 10,000 entries
# fast. Anything else goes to the parser.
# The patterns run on the body between two new lines: a pattern that starts with a new
# line finds line starts far faster than '^' does.
_HEADING_TEXT = r"[^ \t#`*_\\\[&<\n][^\t#`*_\\\[&<\n]*?"  # text a reader sees as it is
_PLAIN_HEADING = re.compile(rf"\n(#{{1,6}}) +({_HEADING_TEXT}) *(?=\n)")
# a line that could open another kind of block (an indent, a quote, a list, a rule, code,
# raw HTML, a link reference, a heading that is not plain) or underline a heading. A
# numbered line opens a list first in the body, after a blank line or a heading, or as
# item 1; in a paragraph, '2019. We did' is prose (CommonMark), as entries often have it.
_NUMBERED = r"\d{1,9}[.)][ \t\n]"
_OTHER_BLOCK = re.compile(rf"\n(?:[ \t]+(?:[^ \t\n]|\n{_NUMBERED})|[>*+\-=_`~<\[]"
                          rf"|0{{0,8}}1[.)][ \t\n]|(?=\d)(?<![^\n]\n){_NUMBERED}"
                          rf"|#(?:[^\n]*\n{_NUMBERED}|(?!#{{0,5}} +{_HEADING_TEXT} *\n)))")
# inline Markdown that changes which words a reader sees: links, images, references
_CHANGES_WORDS = re.compile(r"\[|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


# a line that is only a note to the writer, such as the word limits `qsi new entry` and
# `qsi import entries` write under each heading
_NOTE_LINE = re.compile(r"<!--(?:(?!-->)[^\n])*-->[ \t]*")


def _without_notes(text: str) -> str | None:
    """`text` with each paragraph that is only notes (whole lines, between blank lines
    or headings: the parser leaves it out) made blank lines; None when a note line
    shares its paragraph with text, which is the parser's to read."""
    if "\n<!--" not in text:
        return text
    lines = text.split("\n")  # the first and the last are empty: text is "\n...\n"
    start = 1
    while start < len(lines):
        if not _NOTE_LINE.fullmatch(lines[start]):
            start += 1
            continue
        end = start
        while _NOTE_LINE.fullmatch(lines[end + 1]):
            end += 1
        if not (_ends_paragraph(lines[start - 1]) and _ends_paragraph(lines[end + 1])):
            return None
        lines[start:end + 1] = [""] * (end + 1 - start)
        start = end + 1
    return "\n".join(lines)


def _ends_paragraph(line: str) -> bool:
    """A blank line, or a heading (every other line starting with '#' is _OTHER_BLOCK's)."""
    return not line.strip(" \t") or line.startswith("#")


def _plain_outline(body: str, first_line: int) -> Outline | None:
    given = "\n" + body.replace("\r\n", "\n") + "\n"
    text = None if "\r" in given or "\0" in given else _without_notes(given)
    if (text is None or "[" in text or ("&" in text and _CHANGES_WORDS.search(text))
            or _OTHER_BLOCK.search(text)):
        return None
    found = [m for m in _PLAIN_HEADING.finditer(text) if len(m.group(1)) == 2]
    ends = [m.start() for m in found[1:]] + [len(text)]  # each ends where the next begins
    sections = []
    line, counted = first_line, 0  # the file line of text[counted]
    for m, end in zip(found, ends, strict=False):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        sections.append(Section(" ".join(m.group(2).split()), line,
                                count_words(text[m.end():end])))
    preamble = text[1:found[0].start()] if found else text[1:]
    before = count_words(preamble)
    return Outline(sections, before, _first_words(preamble, first_line) if before else 0)


def _first_words(text: str, first_line: int) -> int:
    """The line on which the first block (paragraph or heading) with words starts."""
    block = 0
    in_paragraph = False
    for number, line in enumerate(text.split("\n")):
        if not line.strip(" \t"):
            in_paragraph = False
            continue
        heading = line.startswith("#")
        if heading or not in_paragraph:
            block, in_paragraph = number, not heading
        if count_words(line.lstrip("#")):
            return first_line + block
    return 0


def _parsed_outline(body: str, first_line: int) -> Outline:
    from ..render.text import markdown_parser

    md = markdown_parser(inline=False)
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    sections: list[Section] = []
    before = before_line = 0
    title: str | None = None
    heading_line = words = 0
    underlined = False
    for index, token in enumerate(tokens):
        if token.type == "inline" and tokens[index - 1].type == "heading_open":
            opening = tokens[index - 1]
            if opening.tag == "h2" and opening.level == 0:
                if title is not None:
                    sections.append(Section(title, heading_line, words, underlined))
                assert opening.map is not None
                title = " ".join(_shown(md, token, env, always=True).split())
                heading_line, words = first_line + opening.map[0], 0
                underlined = opening.markup in ("-", "=")
                continue
        if token.type == "inline":
            count = count_words(_shown(md, token, env))
        elif token.type in ("fence", "code_block"):
            count = count_words(token.content)
        else:
            continue
        if title is not None:
            words += count
        elif count:
            assert token.map is not None
            before_line = before_line or first_line + token.map[0]
            before += count
    if title is not None:
        sections.append(Section(title, heading_line, words, underlined))
    return Outline(sections, before, before_line)


def _shown(md: MarkdownIt, token: Token, env: dict[str, Any], always: bool = False) -> str:
    """The text a reader sees of an inline token. Its source has the same words unless
    it holds a link, an image or a character reference (emphasis, code and escapes only
    take away characters that are not letters or digits), so only then is it parsed."""
    if not (always or _CHANGES_WORDS.search(token.content)):
        return token.content
    children: list[Token] = []
    md.inline.parse(token.content, md, env, children)
    return "".join(_text(children))


def _text(tokens: Sequence[Token]) -> Iterator[str]:
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline", "html_inline"):
            yield token.content
        elif token.type in ("softbreak", "hardbreak"):
            yield " "
        elif token.type == "image":  # shown as a link with its description, or its address
            yield "".join(_text(token.children or [])) or str(token.attrGet("src") or "")


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    if ctx.settings is None:
        return
    for entry in folder.entries.values():
        front = entry.front
        category = folder.categories.get(front.category)
        rules = ctx.settings.entry_rules_for(category)  # the category's own, or the programme's
        required = rules.sections
        summary_max = rules.summary_max_words
        if summary_max is not None:
            count = count_words(front.summary)
            if count > summary_max:
                yield entry.doc.finding("too-many-words", (
                    f"The summary has {count} words; the limit is {summary_max}, so cut "
                    f"{count - summary_max}."), ("summary",))
        if required:
            yield from _sections(entry, required)
        if category is None:
            continue
        accepts = category.accepts
        known = any(s.id == front.care_setting for s in ctx.settings.settings)
        if accepts and known and front.care_setting not in accepts:  # else unknown-setting
            from ..render.text import settings_words  # for a message only

            yield entry.doc.finding("setting-mismatch", (
                f"'{category.id}' is for {settings_words(ctx.settings, accepts)}, but this "
                f"entry's care_setting is {front.care_setting}; change one of them."),
                ("care_setting",))
        if category.requires_patient_involvement and not front.patient_involvement:
            written = "patient_involvement" in front.model_fields_set
            where = ("patient_involvement",) if written else ("category",)
            yield entry.doc.finding("needs-patient-involvement", (
                f"'{category.id}' is for work involving patients and the public, but this "
                "entry does not say patient_involvement: true."), where)


def _heading(title: str) -> str:
    """A section's heading as a message quotes it: '## Title', a long title shortened."""
    from ..render.text import shorten  # for a message only: most runs never need it

    return f"'## {shorten(title, 60)}'"


def _sections(entry: Entry, required: list[SectionRule]) -> Iterator[Finding]:
    found = outline(entry.body, entry.body_line)
    titles = {name_key(rule.title): rule.title for rule in required}

    def asked() -> str:
        return ", ".join(f"'## {title}'" for title in titles.values())

    if found.before:
        yield finding(entry.path, found.before_line, 1, "text-before-sections", (
            f"There {_are_words(found.before)} before the first section; move them under "
            f"one of the programme's section headings ({asked()}), or remove them."))
    by_title: dict[str, Section] = {}
    for item in found.sections:
        key = name_key(item.title)
        first = by_title.setdefault(key, item)
        if first is not item:
            yield finding(entry.path, item.line, 1, "unexpected-section", (
                f"{_heading(item.title)} is here a second time (first on line "
                f"{first.line}); write each section once, with any sub-headings as '### '."))
        elif key not in titles:
            hint = (" (a line of dashes under text makes it a heading: leave a blank line "
                    "above the dashes for a plain line)" if item.underlined else "")
            yield finding(entry.path, item.line, 1, "unexpected-section", (
                f"{_heading(item.title)} is not one of the programme's sections "
                f"({asked()}){hint}; make it a '### ' sub-heading inside one of them, or "
                "remove it."))
    previous: Section | None = None
    # the file's last line (the closing '---' when the body is empty): text after a final
    # newline is not a line, and an annotation past the end of the file lands nowhere
    end_line = entry.body_line + entry.body.removesuffix("\n").count("\n")
    if not entry.body:
        end_line -= 1
    for rule in required:
        title = rule.title
        section = by_title.get(name_key(title))
        if section is None:
            yield finding(entry.path,
                          min(end_line, entry.body_line) if not found.sections else end_line,
                          None, "missing-section", (
                              f"The section '## {title}' is missing; add it with that heading."))
            continue
        if previous is not None and section.line < previous.line:
            yield finding(entry.path, section.line, 1, "section-order", (
                f"'## {section.title}' should come after '## {previous.title}'; the sections "
                "go in the order the programme sets."))
        previous = section
        limit = rule.max_words
        if isinstance(limit, int) and section.words > limit:
            yield finding(entry.path, section.line, 1, "too-many-words", (
                f"The section '{section.title}' has {section.words} words; the limit is "
                f"{limit}, so cut {section.words - limit}."))


def _are_words(count: int) -> str:
    return "is 1 word" if count == 1 else f"are {count} words"
