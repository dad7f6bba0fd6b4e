"""YAML text -> plain Python data, through libyaml's event stream.

Why not ``yaml.load``: it silently keeps the last of two duplicate keys (losing a
judge's score), expands aliases (billion laughs), and hides line numbers. A small
builder over the C parser's events sees all three and is faster than a full load.

Scalars are typed explicitly, the same way everywhere: quoted scalars are text;
plain scalars are null or true/false by the YAML 1.1 rules PyYAML uses, numbers
only when written as plain decimals (``7``, ``-2``, ``0.5``), and everything else
is text. A plain scalar YAML would read as some other number (``010`` is 8 to
YAML 1.1, ``1_000``, ``0x1F``, ``1e3``, ``.inf``, ``.nan``) stays the text it is,
so a text field keeps what was written and a number field says how to write it
(`number_advice`). Dates stay text: the schema decides what a date is. Mapping
keys are always the key's text (``2020:`` is the key "2020"), so an ID never
changes type. Pure functions: no file access here.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import yaml
from yaml import events as ev
from yaml._yaml import CParser

from .. import controls

MAX_DEPTH = 50

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# true and false only as written so: YAML 1.1's yes/no/on/off stay text, so that a
# boolean field written `yes` is a finding that says to write true, and the text `no`
# (an ID, a title) stays the text.
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# The numbers qsi reads: plain decimals, no leading zero, no sign but '-'.
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_FIRST_NUMERIC = frozenset("0123456789-")
# What YAML 1.1 or 1.2 would also read as a number (text to qsi; see number_advice)
_RADIX = re.compile(r"[-+]?0(?:[bB][01_]+|[oO][0-7_]+|[xX][0-9a-fA-F_]+)\Z")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_NOT_FINITE = re.compile(r"[-+]?\.?(?:inf|infinity|nan)\Z", re.IGNORECASE)
_DECIMAL_LIKE = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?\Z")

_STD = "tag:yaml.org,2002:"
# The standard tags, each only on the kind of node it names ("!" means "no tag").
_SCALAR_TAGS = frozenset({_STD + "str", _STD + "int", _STD + "float", _STD + "bool",
                          _STD + "null", "!"})
_MAPPING_TAGS = frozenset({_STD + "map", "!"})
_SEQUENCE_TAGS = frozenset({_STD + "seq", "!"})

Path = tuple[str | int, ...]
# path -> (key line, key column, value line, value column), 1-based, document-relative
Positions = dict[Path, tuple[int, int, int, int]]


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A problem in a YAML text, at a line (and column) of that text."""

    code: str  # a rule code from findings.RULES
    message: str
    line: int  # 1-based, relative to the YAML text
    column: int | None


class YamlError(Exception):
    """A problem that stops the document from being read at all."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def plain_scalar(value: str) -> Any:
    """Type a plain (unquoted) scalar: null as YAML 1.1 would, true and false only as
    written so, numbers only when written as plain decimals and finite; everything else
    (yes, no, on, off, 010, 1e3, ...) is its text."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _FIRST_NUMERIC:
        if _INT.match(value):
            try:
                return int(value)
            except ValueError:  # more digits than Python will convert
                return value
        if _DECIMAL.match(value):
            number = float(value)
            if math.isfinite(number):  # 400 digits would be inf
                return number
    return value


# plain_scalar's answers for the plain scalars most often written (nulls, true and false,
# the whole numbers a score or a count is), looked up by `parse` without the call
_KNOWN_SCALARS: dict[str, Any] = {
    **dict.fromkeys(_NULLS), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False),
    **{str(number): number for number in range(101)}}

def number_advice(text: str) -> str | None:
    """How to write `text`, which YAML would read as a number but qsi does not, as the
    end of a sentence ("write 10, without the leading zero"); None for text that is
    no number at all, or a plain decimal qsi reads (which was only quoted)."""
    value = text.strip()
    if _INT.match(value) or _DECIMAL.match(value):
        if plain_scalar(value) is not value:
            return None
        return "it is far too large; write a smaller number"
    if _NOT_FINITE.match(value):
        return "write an ordinary number such as 7 or 2.5"
    if _SEXAGESIMAL.match(value):
        return "write a plain number such as 7 or 2.5, without colons"
    if _RADIX.match(value):
        sign = "-" if value[0] == "-" else ""
        digits = value.lstrip("+-").replace("_", "")
        base = {"b": 2, "o": 8, "x": 16}[digits[1].lower()]
        try:
            return f"write {sign}{int(digits[2:], base)}, in ordinary decimal digits"
        except ValueError:  # no digits at all, or too many to convert
            return "write a plain number such as 7 or 2.5"
    if not _DECIMAL_LIKE.match(value):
        return None
    try:
        number = Decimal(value.replace("_", ""))
    except InvalidOperation:
        return None
    if abs(number) >= 10**15:
        return "it is far too large; write a smaller number"
    plain = format(number, "f")
    if len(plain) > 20:
        return "write a plain number such as 7 or 2.5"
    if value[0] == "+":
        why = "without the + sign"
    elif "_" in value:
        why = "without the underscores"
    elif "e" in value.lower():
        why = "in plain digits"
    elif value.lstrip("-")[:1] == "0" and value.lstrip("-")[1:2].isdigit():
        why = "without the leading zero"
    else:
        why = "with a digit on each side of the point"
    return f"write {plain}, {why}"


def _tagged_scalar(event: Any) -> Any:
    tag = event.tag
    value = event.value
    if tag == _STD + "str" or tag == "!":
        return value
    typed = plain_scalar(value)
    wanted = {_STD + "int": int, _STD + "float": float, _STD + "bool": bool,
              _STD + "null": type(None)}[str(tag)]
    if wanted is float and isinstance(typed, int) and not isinstance(typed, bool):
        return float(typed)
    if type(typed) is not wanted:
        raise YamlError(YamlProblem(
            "yaml-tag",
            f"The value '{_short(value)}' cannot be read as the tag {_shown_tag(tag)}; "
            "remove the tag.",
            event.start_mark.line + 1, event.start_mark.column + 1))
    return typed


def _shown_tag(tag: str) -> str:
    """A tag as it was written: !!python/object, not tag:yaml.org,2002:python/object."""
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


def _describe_tag(event: Any) -> YamlError:
    mark = event.start_mark
    return YamlError(YamlProblem(
        "yaml-tag",
        f"The YAML tag {_short(_shown_tag(event.tag))} is not allowed here; remove it and "
        "write the plain value.",
        mark.line + 1, mark.column + 1))


def parse(text: str, positions: Positions | None = None) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document into dicts, lists and scalars.

    Returns the data (None for an empty document) and the problems that did not stop
    the parse (duplicate keys). Raises YamlError for problems that do (syntax, aliases,
    tags, nesting, a second document). With ``positions``, fills it with where every
    key and value starts; that costs more, so callers ask only for files with findings.
    """
    control = controls.IN_YAML.search(text)
    if control is not None:
        raise _control_error(text, control.start(), len(controls.IN_YAML.findall(text)) - 1)
    problems: list[YamlProblem] = []
    # The open container (None at the top), whether it is a mapping, its path and, in a
    # mapping, the key whose value comes next (or _NO_KEY) and where that key is; `stack`
    # keeps the first three of each container outside it (its pending key is always
    # _NO_KEY again when an inner container ends: the inner one was its value).
    parent: Any = None
    in_map = False
    here: Path = ()
    key: Any = _NO_KEY
    key_line = key_column = 0
    stack: list[tuple[Any, bool, Path]] = []
    root: Any = None
    documents = 0
    track = positions is not None
    no_key = _NO_KEY
    known = _KNOWN_SCALARS.get
    scalar_event, mapping_start, sequence_start = (
        ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)
    try:
        # the C parser itself: yaml.parse would add a generator and a loader per file
        get_event: Callable[[], Any] = CParser(text).get_event
        while (event := get_event()) is not None:
            cls = event.__class__
            if cls is scalar_event:
                if event.anchor is not None:
                    raise _alias_error(event)
                if event.tag is not None:
                    if event.tag not in _SCALAR_TAGS:
                        raise _describe_tag(event)
                    value: Any = _tagged_scalar(event)
                elif in_map and key is no_key:
                    value = None  # a key: its text is taken below
                elif event.style:
                    value = event.value
                else:  # plain_scalar, with the commonest values looked up
                    value = known(event.value, no_key)
                    if value is no_key:
                        value = event.value
                        if value[0] in _FIRST_NUMERIC:
                            value = plain_scalar(value)
                container: Any = None
            elif cls is mapping_start or cls is sequence_start:
                if event.anchor is not None:
                    raise _alias_error(event)
                if event.tag is not None and event.tag not in (
                        _MAPPING_TAGS if cls is mapping_start else _SEQUENCE_TAGS):
                    raise _describe_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(event.start_mark)
                value = container = {} if cls is mapping_start else []
            elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                parent, in_map, here = stack.pop()
                key = no_key
                continue
            elif cls is ev.AliasEvent:
                raise _alias_error(event)
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise YamlError(YamlProblem(
                        "yaml-syntax",
                        "The file holds more than one YAML document (a second '---'); "
                        "keep one document per file.",
                        mark.line + 1, None))
                continue
            else:  # stream start/end, document end
                continue

            if parent is None:
                root = value
                path: Path = ()
                if track:
                    mark = event.start_mark
                    positions[path] = (mark.line + 1, mark.column + 1,  # type: ignore[index]
                                       mark.line + 1, mark.column + 1)
            elif not in_map:
                path = (*here, len(parent)) if track else ()
                parent.append(value)
                if track:
                    mark = event.start_mark
                    positions[path] = (mark.line + 1, mark.column + 1,  # type: ignore[index]
                                       mark.line + 1, mark.column + 1)
            elif key is no_key:
                if container is not None:
                    mark = event.start_mark
                    raise YamlError(YamlProblem(
                        "yaml-syntax",
                        "A key is itself a list or mapping; keys must be plain words.",
                        mark.line + 1, mark.column + 1))
                # one string per distinct key, however many files and items repeat it
                key = sys.intern(event.value)
                if key in parent:
                    mark = event.start_mark
                    problems.append(YamlProblem(
                        "duplicate-key",
                        f"The key '{_short(key)}' appears twice in the same place; "
                        "YAML would keep only one of them, so remove or rename one.",
                        mark.line + 1, mark.column + 1))
                    key = _DUPLICATE
                if track:
                    key_line = event.start_mark.line + 1
                    key_column = event.start_mark.column + 1
                continue
            else:
                if key is _DUPLICATE:
                    # the value is dropped; give its subtree a path no real value has
                    # (mapping keys are text, list indices are >= 0), so its positions
                    # never overwrite the kept value's
                    path = (*here, -1) if track else ()
                else:
                    parent[key] = value
                    path = (*here, key) if track else ()
                    if track:
                        mark = event.start_mark
                        positions[path] = (key_line, key_column,  # type: ignore[index]
                                           mark.line + 1, mark.column + 1)
                key = no_key
            if container is not None:
                stack.append((parent, in_map, here))
                parent, in_map, here = container, cls is mapping_start, path
    except yaml.MarkedYAMLError as error:
        if error.problem == _LIBYAML_TOO_DEEP and error.problem_mark is not None:
            raise _too_deep(error.problem_mark) from None
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else None
        what = error.problem or "the YAML is not well formed"
        raise YamlError(YamlProblem(
            "yaml-syntax",
            f"This is not valid YAML ({what}); check the indentation and quoting near here.",
            line, column)) from None
    except yaml.reader.ReaderError as error:
        # a character libyaml refuses that is no control character (U+FFFE, U+FFFF);
        # libyaml stops at its first one, and says where only in bytes
        index = max(text.find(chr(error.character)), 0)
        line, column = _line_column(text, index)
        raise YamlError(YamlProblem(
            "yaml-syntax",
            f"This is not valid YAML (the character {controls.describe(chr(error.character))} "
            "is not allowed in YAML); remove it.", line, column)) from None
    except yaml.YAMLError as error:
        raise YamlError(YamlProblem(
            "yaml-syntax", f"This is not valid YAML ({_short(str(error), 120)}).", 1, None
        )) from None
    return root, problems


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY = _Marker("no key")
_DUPLICATE = _Marker("duplicate key")


# PyYAML 6.0.4's libyaml stops at 1000 levels itself, and it may say so before the
# builder above has seen the 51st level (the scanner reads ahead): the same finding.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _too_deep(mark: Any) -> YamlError:
    return YamlError(YamlProblem(
        "too-large",
        f"The YAML is nested more than {MAX_DEPTH} levels deep; "
        "qsi files never need that, so flatten it.",
        mark.line + 1, mark.column + 1))


def _line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column (in characters, as editors count) of text[index]."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _control_error(text: str, index: int, others: int) -> YamlError:
    more = f" and the {others} other{'s' if others != 1 else ''} after it" if others else ""
    line, column = _line_column(text, index)
    return YamlError(YamlProblem(
        "control-character",
        f"An invisible control character ({controls.describe(text[index])}) is at this "
        f"point; remove it{more}.", line, column))


def _alias_error(event: Any) -> YamlError:
    mark = event.start_mark
    return YamlError(YamlProblem(
        "yaml-alias",
        "YAML anchors and aliases (&name and *name) are not allowed in qsi files; "
        "write the values out in full.",
        mark.line + 1, mark.column + 1))


def _short(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Span(NamedTuple):
    """Where a node sits in the text, as character indices (end exclusive): its key (the
    node itself for list items and the root), its value, and for a mapping or list
    whether it is written in flow style ({...}, [...])."""

    key_start: int
    key_end: int
    start: int
    end: int
    flow: bool


def spans(text: str) -> dict[Path, Span]:
    """Where every node of `text` starts and ends, by path: for writers that change a
    value in place (writes/scores.py). For text `parse` has read without problems; a
    block scalar's value runs to the start of the line after it, trailing line breaks
    included."""
    found: dict[Path, Span] = {}
    # Each frame: [path, is a mapping, pending key (start, end, text) or None, next index,
    #              start, key start, key end]
    stack: list[list[Any]] = []
    events: Iterator[Any] = yaml.parse(text, Loader=yaml.CSafeLoader)
    for event in events:
        cls = event.__class__
        if cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
            done, _, _, _, start, key_start, key_end = stack.pop()
            found[done] = Span(key_start, key_end, start, event.end_mark.index,
                               found[done].flow)
            continue
        if cls not in (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent):
            continue
        start, end = event.start_mark.index, event.end_mark.index
        key_start, key_end = start, end
        path: Path = ()
        if stack:
            frame = stack[-1]
            if frame[1]:
                if frame[2] is None:
                    frame[2] = (start, end, event.value)
                    continue
                key_start, key_end, key = frame[2]
                frame[2] = None
                path = (*frame[0], key)
            else:
                path = (*frame[0], frame[3])
                frame[3] += 1
        if cls is ev.ScalarEvent:
            found[path] = Span(key_start, key_end, start, end, False)
        else:
            found[path] = Span(key_start, key_end, start, end, bool(event.flow_style))
            stack.append([path, cls is ev.MappingStartEvent, None, 0, start, key_start,
                          key_end])
    return found
