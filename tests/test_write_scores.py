"""writes/scores.py: values set in a score sheet in place, every other byte kept, whatever
the sheet's layout (block or flow entries, null stubs, block scalars, YAML comments,
quoted keys, CRLF, a byte order mark, no final line break)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsi_awards.errors import QsiError
from qsi_awards.load import yamlparse
from qsi_awards.writes.scores import BOM, Updates, set_values

CRITERIA = ["ambition", "impact", "on", "007"]  # "on" and "007" must be quoted as keys
FIELDS = [*CRITERIA, "conflict", "comment"]
KEYS = {"ambition": ["ambition", '"ambition"'], "impact": ["impact", "'impact'"],
        "on": ['"on"', "'on'"], "007": ['"007"'], "conflict": ["conflict"],
        "comment": ["comment", '"comment"']}
NULLS = ["null", "~", "", "Null"]
COMMENTS = [
    "Good work.",
    '"Good work: really."',
    "|\n{pad}Good work.\n{pad}Second line.",
    "|-\n{pad}Good work.",
    ">\n{pad}Good\n{pad}work.",
    "'It''s good.'",
    "Good  # and a YAML comment",
]
TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "Line one\nline two", "a: b", "# not a comment", "'quoted'",
                     '"double"', "null", "7", "yes", "- item", "{x}", "é ünïcode ✓",
                     "  spaces  ", "trailing\n"]),
)
VALUES = {name: st.one_of(st.none(), st.integers(0, 10)) for name in CRITERIA}
VALUES["conflict"] = st.one_of(st.none(), TEXTS)
VALUES["comment"] = st.one_of(st.none(), TEXTS)


@st.composite
def block_entry(draw: st.DrawFn, entry: str, indent: int, inner: int) -> list[str]:
    names = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=len(FIELDS),
                          unique=True))
    lines = [f"{' ' * indent}{entry}:" + draw(st.sampled_from(["", "  # to do"]))]
    pad = " " * (inner + 2)
    for name in names:
        key = draw(st.sampled_from(KEYS[name]))
        if name in CRITERIA:
            value = draw(st.one_of(st.integers(0, 10).map(str), st.sampled_from(NULLS)))
        else:
            value = draw(st.sampled_from(COMMENTS)).format(pad=pad)
        line = f"{' ' * inner}{key}: {value}".rstrip(" ")
        if draw(st.integers(0, 4)) == 0:
            line += "\n" + draw(st.sampled_from([f"{' ' * inner}# a note", "", "# far left"]))
        lines.append(line)
    return lines


@st.composite
def entry_lines(draw: st.DrawFn, entry: str, indent: int, inner: int) -> list[str]:
    kind = draw(st.sampled_from(["block", "block", "null", "flow"]))
    if kind == "block":
        return draw(block_entry(entry, indent, inner))
    if kind == "null":
        value = draw(st.sampled_from(["", " null", " ~", " null  # to do", "  # nothing"]))
        return [f"{' ' * indent}{entry}:{value}"]
    pairs = draw(st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True))
    body = ", ".join(f"{KEYS[name][0]}: {draw(st.sampled_from(['7', 'null', '~']))}"
                     for name in pairs)
    return [f"{' ' * indent}{entry}: {{{body}}}"]


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    indent = draw(st.sampled_from([1, 2, 4]))
    inner = indent + draw(st.sampled_from([1, 2, 3]))
    entries = draw(st.lists(st.sampled_from(["e1", "e2", '"no"', "e-4", "'007'"]),
                            min_size=1, max_size=4, unique=True))
    scores = ["scores:" + draw(st.sampled_from(["", "  # mine"]))]
    for entry in entries:
        scores += draw(entry_lines(entry, indent, inner))
        if draw(st.integers(0, 3)) == 0:
            scores.append(draw(st.sampled_from(["", "# between", "  # indented"])))
    lines = ["judge: j1", *scores] if draw(st.booleans()) else [*scores, "judge: j1"]
    if draw(st.booleans()):
        lines.insert(0, "# Alex's sheet")
    text = "\n".join(lines)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode()
    return BOM + raw if draw(st.booleans()) else raw


def _parse(raw: bytes) -> Any:
    text = raw.decode("utf-8-sig")
    data, problems = yamlparse.parse(text)
    assert problems == []
    return data


@st.composite
def sheets_and_updates(draw: st.DrawFn) -> tuple[bytes, dict[str, dict[str, Any]]]:
    raw = draw(sheets())
    data = _parse(raw)
    updates: dict[str, dict[str, Any]] = {}
    for entry in data["scores"]:
        if draw(st.booleans()):
            names = draw(st.lists(st.sampled_from(FIELDS), min_size=1, unique=True))
            updates[entry] = {name: draw(VALUES[name]) for name in names}
    return raw, updates


def _untouched_chunks(text: str, data: Any, updates: Updates) -> list[str]:
    """The text that must not change: before and after the scores, each entry not
    updated, and within an updated entry each key not updated (key and value)."""
    where = yamlparse.spans(text)
    scores = where[("scores",)]
    chunks = [text[:scores.key_start], text[scores.end:]]
    for entry, judgement in data["scores"].items():
        span = where[("scores", entry)]
        if entry not in updates:
            chunks.append(text[span.key_start:span.end])
        elif isinstance(judgement, dict):
            for name in judgement:
                if name not in updates[entry]:
                    key = where[("scores", entry, name)]
                    chunks.append(text[key.key_start:key.end])
    return chunks


def _ends_in_open_block(text: str) -> bool:
    """The text ends with no line break inside a | or > block that keeps its last one."""
    last = max(yamlparse.spans(text).values(), key=lambda span: (span.end, span.start))
    indicator = text[last.start:last.start + 2]
    return (not text.endswith("\n") and last.end == len(text) and indicator[:1] in "|>"
            and indicator[1:] not in ("-", "+"))


@settings(max_examples=300, deadline=None)
@given(sheets_and_updates())
def test_values_are_set_in_place_and_nothing_else_changes(
        case: tuple[bytes, dict[str, dict[str, Any]]]) -> None:
    raw, updates = case
    old = _parse(raw)
    try:
        new = set_values(raw, updates, "scores/j1.yaml")
    except QsiError:
        # the one layout that cannot take a key after its last value: the file ends, with
        # no line break, inside a | or > block (a line break there would join the text)
        assert _ends_in_open_block(raw.decode("utf-8-sig"))
        return
    data = _parse(new)
    expected = dict(old)
    expected["scores"] = {}
    for entry, judgement in old["scores"].items():
        merged = dict(judgement or {})
        merged.update(updates.get(entry, {}))
        expected["scores"][entry] = merged if updates.get(entry) else judgement
    assert data == expected
    assert [list(v or {}) for v in data["scores"].values()] == [
        list(v or {}) for v in expected["scores"].values()]
    # what was there stays, byte for byte: the byte order mark, the line endings, and
    # everything but the values that changed
    assert new.startswith(BOM) == raw.startswith(BOM)
    old_text, new_text = raw.decode("utf-8-sig"), new.decode("utf-8-sig")
    if "\r\n" in old_text:
        assert "\n" not in new_text.replace("\r\n", "")
    for chunk in _untouched_chunks(old_text, old, updates):
        assert chunk in new_text
    assert new_text.startswith(old_text[:yamlparse.spans(old_text)[("scores",)].key_start])
    # and setting the same values again changes nothing
    assert set_values(new, updates, "scores/j1.yaml") == new


def test_examples_byte_for_byte() -> None:
    sheet = ("judge: j1   # me\r\n"
             "scores:\r\n"
             "  e1:\r\n"
             "    ambition: 7   # first go\r\n"
             "    impact: null\r\n"
             "    comment: |\r\n"
             "      Two\r\n"
             "      lines.\r\n"
             "\r\n"
             "  e2:\r\n"
             "  e3: {ambition: ~}\r\n"
             "  e4:\r\n"
             "    conflict: Knows the team\r\n")
    updates: Updates = {
        "e1": {"impact": 8, "comment": "One line.", "conflict": None},
        "e2": {"ambition": 5, "impact": None},
        "e3": {"ambition": 6, "impact": None},
        "e4": {"conflict": "Knows the team's lead: \"A\""},
    }
    new = set_values(sheet.encode(), updates, "scores/j1.yaml").decode()
    assert new == ("judge: j1   # me\r\n"
                   "scores:\r\n"
                   "  e1:\r\n"
                   "    ambition: 7   # first go\r\n"
                   "    impact: 8\r\n"
                   '    comment: "One line."\r\n'
                   "\r\n"
                   "    conflict: null\r\n"
                   "  e2:\r\n"
                   "    ambition: 5\r\n"
                   "    impact: null\r\n"
                   "  e3: {ambition: 6, impact: null}\r\n"
                   "  e4:\r\n"
                   '    conflict: "Knows the team\'s lead: \\"A\\""\r\n')


def test_a_value_at_the_very_end_and_a_key_added_after_it() -> None:
    # the sheet ends `ambition:` with no line break: the value and the added key are two
    # edits at one place, and the value must come first (hypothesis found them swapped)
    sheet = "judge: j1\nscores:\n  e1:\n    ambition:"
    new = set_values(sheet.encode(), {"e1": {"ambition": 4, "impact": 5}}, "s.yaml")
    assert new.decode() == ("judge: j1\nscores:\n  e1:\n    ambition: 4\n"
                            "    impact: 5\n")


def test_a_layout_it_cannot_keep_is_refused() -> None:
    """A flow mapping with a trailing comma before its brace: adding to it would not read
    back as meant, so nothing is written and the message says what to type."""
    sheet = b"judge: j1\nscores: {e1: {ambition: 7,\n  }}\n"
    with pytest.raises(QsiError) as raised:
        set_values(sheet, {"e1": {"impact": 8}}, "scores/j1.yaml")
    assert raised.value.exit_code == 1
    assert "e1: impact 8" in raised.value.message
