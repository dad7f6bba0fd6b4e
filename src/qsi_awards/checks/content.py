"""What an entry says, against the entry rules and its category.

- missing-section / section-order: the required '## ' headings, in order.
- too-many-words: a summary or section over its word limit (words are
  white-space-separated tokens of the text below a heading).
- setting-mismatch: a care setting that does not fit the category's setting.
- needs-patient-involvement: an entry in a category that requires patient
  involvement, without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..findings import Finding, finding
from ..load import Entry
from . import Context

_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    line: int  # file line of the heading
    words: int


def sections(entry: Entry) -> list[Section]:
    """The '## ' sections of an entry's body, with their word counts."""
    found: list[Section] = []
    title: str | None = None
    heading_line = 0
    words = 0
    fence: str | None = None
    for offset, line in enumerate(entry.body.split("\n")):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            fence = None if fence == marker else (fence or marker)
        match = None if fence else _HEADING.match(line)
        if match:
            if title is not None:
                found.append(Section(title, heading_line, words))
            title, heading_line, words = match.group(1), entry.body_line + offset, 0
        elif title is not None:
            words += len(line.split())
    if title is not None:
        found.append(Section(title, heading_line, words))
    return found


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    rules = ctx.settings.get("entry_rules", {}) if ctx.settings else {}
    required = rules.get("sections", [])
    summary_max = rules.get("summary_max_words")
    for entry in folder.entries.values():
        meta = entry.meta
        if summary_max is not None:
            count = len(meta["summary"].split())
            if count > summary_max:
                yield entry.doc.finding("too-many-words", (
                    f"The summary has {count} words; the limit is {summary_max}, so cut "
                    f"{count - summary_max}."), ("summary",))
        if required:
            yield from _sections(entry, required)
        category = folder.categories.get(meta["category"])
        if category is None:
            continue
        setting = category.get("setting")
        if setting is not None and meta["care_setting"] != setting:
            yield entry.doc.finding("setting-mismatch", (
                f"'{category['id']}' is for {setting} care, but this entry's care_setting is "
                f"{meta['care_setting']}; change one of them."), ("care_setting",))
        if category.get("requires_patient_involvement") and not meta.get("patient_involvement"):
            where = ("patient_involvement",) if "patient_involvement" in meta else ("category",)
            yield entry.doc.finding("needs-patient-involvement", (
                f"'{category['id']}' is for work involving patients and the public, but this "
                "entry does not say patient_involvement: true."), where)


def _sections(entry: Entry, required: list[dict[str, object]]) -> Iterator[Finding]:
    found = sections(entry)
    by_title: dict[str, Section] = {}
    for item in found:
        by_title.setdefault(_norm(item.title), item)
    previous: Section | None = None
    # the file's last line (the closing '---' when the body is empty): text after a final
    # newline is not a line, and an annotation past the end of the file lands nowhere
    end_line = entry.body_line + entry.body.removesuffix("\n").count("\n")
    if not entry.body:
        end_line -= 1
    for rule in required:
        title = str(rule["title"])
        section = by_title.get(_norm(title))
        if section is None:
            yield finding(entry.path, min(end_line, entry.body_line) if not found else end_line,
                          None, "missing-section", (
                              f"The section '## {title}' is missing; add it with that heading."))
            continue
        if previous is not None and section.line < previous.line:
            yield finding(entry.path, section.line, 1, "section-order", (
                f"'## {section.title}' should come after '## {previous.title}'; the sections "
                "go in the order the programme sets."))
        previous = section
        limit = rule.get("max_words")
        if isinstance(limit, int) and section.words > limit:
            yield finding(entry.path, section.line, 1, "too-many-words", (
                f"The section '{section.title}' has {section.words} words; the limit is "
                f"{limit}, so cut {section.words - limit}."))
