"""Set values in a judge's score sheet in place: `qsi import scores` writes what a judge
typed into their workbook this way, so that everything else in the file — other
values, comments, key order, blank lines, quoting, line endings, a byte order mark —
stays byte for byte.

Each value is replaced exactly where its text is (libyaml's own positions,
load/yamlparse.spans); a key an entry lacks is added on a line of its own after the
entry's last key (or inside its braces, for an entry written `{...}`); an entry written
with no value (`falls-huddles:`, `falls-huddles: null`) gets its keys on the lines
under it. Values are written as yaml_scalars writes them, so they read back as meant.
The new text is parsed again and must hold exactly the old data with the new values,
the keys in their old order and new keys after them, or nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import QsiError
from ..load import yamlparse
from .yaml_scalars import mapping_key, scalar

BOM = b"\xef\xbb\xbf"

Value = int | str | None
# entry ID -> field -> its new value (a field the entry lacks is added)
Updates = Mapping[str, Mapping[str, Value]]


def written(value: Value) -> str:
    """A value as YAML text that reads back as it."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return scalar(value)


def set_values(raw: bytes, updates: Updates, path: str) -> bytes:
    """The score sheet `raw` (its bytes) with `updates` made; QsiError (exit 1) when that
    cannot be done without changing anything else. `path` names the sheet in messages."""
    bom = BOM if raw.startswith(BOM) else b""
    text = raw[len(bom):].decode("utf-8")
    data, _ = yamlparse.parse(text)
    where = yamlparse.spans(text)
    nl = "\r\n" if "\r\n" in text else "\n"
    scores: dict[str, Any] = data["scores"]
    edits: list[tuple[int, int, str]] = []  # (start, end, new text), in no overlap
    for entry_id, fields in updates.items():
        if not fields:
            continue
        entry_path = ("scores", entry_id)
        judgement = scores[entry_id]
        if isinstance(judgement, dict):
            for name, value in fields.items():
                if name in judgement:
                    edits.append(_replace(text, where[(*entry_path, name)], written(value)))
            added = {name: value for name, value in fields.items() if name not in judgement}
            if added:
                edits.append(_add_keys(text, where, entry_path, judgement, added, nl))
        else:
            edits.extend(_fill(text, where, entry_path, scores, fields, nl))
    new = text
    # from the end of the text back, so each edit's positions still hold; of two at one
    # place (a value at the very end, and keys added after it), the later-made goes in
    # first, so it ends up after the other
    for _, (start, end, replacement) in sorted(enumerate(edits),
                                               key=lambda made: (made[1][0], made[0]),
                                               reverse=True):
        new = new[:start] + replacement + new[end:]
    if not _holds(new, data, updates):
        raise QsiError(
            f"qsi could not write the new scores into {path} without changing what else is "
            "in it, so it changed nothing. Type these values into it yourself, then run qsi "
            "validate: " + "; ".join(f"{entry_id}: " + ", ".join(
                f"{name} {written(value)}" for name, value in fields.items())
                for entry_id, fields in updates.items() if fields), exit_code=1)
    return bom + new.encode("utf-8")


def _replace(text: str, span: yamlparse.Span, replacement: str) -> tuple[int, int, str]:
    """Replace a scalar's text; a block scalar (| or >) keeps the line breaks that end it."""
    if span.start == span.end:  # `impact:` with nothing after it
        return span.start, span.end, " " + replacement
    old = text[span.start:span.end]
    kept = len(old.rstrip(" \r\n"))
    return span.start, span.start + kept, replacement


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _next_line(text: str, index: int, nl: str) -> tuple[int, str]:
    """Where the line after the one holding `index` starts, and what must come first if
    the text ends there without a line break."""
    if index > 0 and text[index - 1] == "\n":
        return index, ""
    found = text.find("\n", index)
    if found < 0:
        return len(text), nl
    return found + 1, ""


def _add_keys(text: str, where: dict[yamlparse.Path, yamlparse.Span],
              entry_path: tuple[str, str], judgement: dict[str, Any],
              added: Mapping[str, Value], nl: str) -> tuple[int, int, str]:
    """Keys the entry lacks: inside its braces, or on lines after its last key."""
    span = where[entry_path]
    pairs = [f"{mapping_key(name)}: {written(value)}" for name, value in added.items()]
    if span.flow:
        close = span.end - 1  # the }
        joined = ", ".join(pairs)
        return close, close, (", " + joined if judgement else joined)
    last = where[(*entry_path, list(judgement)[-1])]
    first = where[(*entry_path, next(iter(judgement)))]
    indent = " " * (first.key_start - _line_start(text, first.key_start))
    at, before = _next_line(text, last.end, nl)
    return at, at, before + "".join(f"{indent}{pair}{nl}" for pair in pairs)


def _fill(text: str, where: dict[yamlparse.Path, yamlparse.Span],
          entry_path: tuple[str, str], scores: dict[str, Any], fields: Mapping[str, Value],
          nl: str) -> list[tuple[int, int, str]]:
    """An entry written with no value (`e:`, `e: null`, `e: ~`) gets its keys: in braces
    when the scores are written in braces, else on the lines under it, indented like the
    other entries' keys."""
    span = where[entry_path]
    pairs = [f"{mapping_key(name)}: {written(value)}" for name, value in fields.items()]
    if where[("scores",)].flow:
        return [(span.start, span.end, "{" + ", ".join(pairs) + "}")]
    key_column = span.key_start - _line_start(text, span.key_start)
    indent = key_column + 2
    for entry_id, judgement in scores.items():
        if isinstance(judgement, dict) and judgement and not where[("scores", entry_id)].flow:
            first = where[("scores", entry_id, next(iter(judgement)))]
            indent = first.key_start - _line_start(text, first.key_start)
            break
    edits = []
    start, end = span.start, span.end
    if end > start:  # the null written out: it goes, and the spaces before it if nothing follows
        line_end = text.find("\n", end)
        rest = text[end:len(text) if line_end < 0 else line_end]
        if not rest.strip():
            start = len(text[:start].rstrip(" "))
        edits.append((start, end, ""))
    at, before = _next_line(text, max(span.key_end, end), nl)
    edits.append((at, at, before + "".join(f"{' ' * indent}{pair}{nl}" for pair in pairs)))
    return edits


def _holds(new: str, old: Any, updates: Updates) -> bool:
    """True if `new` reads as exactly the old data with the updates: every key in its
    old place, new keys after them in the order given."""
    try:
        data, problems = yamlparse.parse(new)
    except yamlparse.YamlError:
        return False
    if problems or not isinstance(data, dict) or list(data) != list(old):
        return False
    expected = {key: value for key, value in old.items() if key != "scores"}
    if {key: value for key, value in data.items() if key != "scores"} != expected:
        return False
    scores, before = data.get("scores"), old["scores"]
    if not isinstance(scores, dict) or list(scores) != list(before):
        return False
    for entry_id, judgement in before.items():
        want = dict(judgement or {})
        want.update(updates.get(entry_id, {}))
        got = scores[entry_id]
        if updates.get(entry_id):
            if not isinstance(got, dict) or list(got) != list(want) or got != want:
                return False
        elif got != judgement:
            return False
    return True
