"""The facts `qsi guard` reads from single files, as git holds them at the base of a pull
request or as the pull request has them: the maintainers, the judges' GitHub handles,
the submission deadline and its exceptions, whose an entry is and its category, and
what a change to a score sheet changed.

Each function takes a file's text. A file guard reads may be invalid, so the facts are
read through the partial views of model/partial.py: a problem elsewhere in a file never
hides them. Text whose YAML cannot be read at all, or an entry without front matter
that is a set of fields, raises Unreadable, which says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from ..model.partial import (
    DeadlineGrants,
    EntryOwner,
    ExceptionGrant,
    JudgeHandle,
    PanelHandles,
    Partial,
    ProgrammeRights,
)
from . import yamlparse
from .folder import split_front_matter

P = TypeVar("P", bound=Partial)


class Unreadable(Exception):
    """A file whose facts cannot be read; `reason` says why, as a clause ('its YAML cannot
    be read at line 3')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def programme(text: str) -> ProgrammeRights:
    """The maintainers and the timeline of programme.yaml."""
    return _view(ProgrammeRights, text)


def judge_handles(text: str) -> list[JudgeHandle]:
    """The judges of judges.yaml whose id and GitHub handle are text."""
    return _view(PanelHandles, text).judges


def deadline_grants(text: str) -> list[ExceptionGrant]:
    """The deadline exceptions of decisions.yaml that name their entries in a list."""
    return _view(DeadlineGrants, text).deadline_exceptions


@dataclass(frozen=True)
class EntryFront:
    """Whose an entry is and its category, from its front matter."""

    owner: EntryOwner
    text: str  # the front matter, which starts on the file's second line

    def where(self, field: str) -> tuple[int | None, int | None]:
        """The file line and column of the field's value, if it is there."""
        return _position(self.text, (field,), offset=1)


def entry_front(text: str) -> EntryFront:
    """The front matter of an entry file's text."""
    split = split_front_matter(text)
    if isinstance(split, str):
        raise Unreadable("it has no front matter between '---' lines")
    data = _parse(split[0])
    try:
        return EntryFront(EntryOwner.model_validate(data), split[0])
    except ValidationError:  # all its fields are optional: it is not a set of fields
        raise Unreadable("its front matter is not a set of fields (name: value)") from None


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: object  # the values as read (None when absent), to show in a message
    after: object


@dataclass(frozen=True)
class SheetEdit:
    """What a change to a score sheet changed, apart from inside its judgements."""

    text: str  # the sheet after the change
    fields: tuple[FieldChange, ...]  # the top-level fields beside `scores` that changed
    added: tuple[str, ...]  # the entries under `scores` after the change but not before
    removed: tuple[str, ...]  # the entries under `scores` before the change but not after

    def where(self, *loc: str) -> tuple[int | None, int | None]:
        """The line and column of a key in the sheet after the change, if it is there."""
        return _position(self.text, loc, at_key=True)


def sheet_entries(text: str) -> frozenset[str]:
    """The entries of a score sheet (the keys under `scores`)."""
    return frozenset(_scores(_parse(text)))


def sheet_edit(before: str, after: str) -> SheetEdit:
    """The changes between two versions of a score sheet, the fields by name and the
    entries sorted. Fields compare by their values: comments and layout are not fields."""
    old, new = _parse(before), _parse(after)
    old_fields = old if isinstance(old, dict) else {}
    new_fields = new if isinstance(new, dict) else {}
    fields = tuple(FieldChange(name, old_fields.get(name), new_fields.get(name))
                   for name in sorted(set(old_fields) | set(new_fields))
                   if name != "scores" and old_fields.get(name) != new_fields.get(name))
    old_entries, new_entries = _scores(old), _scores(new)
    return SheetEdit(after, fields, tuple(sorted(set(new_entries) - set(old_entries))),
                     tuple(sorted(set(old_entries) - set(new_entries))))


def _parse(text: str) -> Any:
    try:
        data, _ = yamlparse.parse(text)
    except yamlparse.YamlError as error:
        raise Unreadable(f"its YAML cannot be read at line {error.problem.line}") from None
    return data


def _view(view: type[P], text: str) -> P:
    """What `view` reads of a YAML file: nothing (its defaults) unless it is a set of
    fields."""
    try:
        return view.model_validate(_parse(text))
    except ValidationError:
        return view()


def _scores(data: Any) -> dict[str, Any]:
    scores = data.get("scores") if isinstance(data, dict) else None
    return scores if isinstance(scores, dict) else {}


def _position(text: str, loc: tuple[str, ...], offset: int = 0,
              at_key: bool = False) -> tuple[int | None, int | None]:
    """The 1-based line and column of a key (or its value) in YAML text, if it is there."""
    positions: yamlparse.Positions = {}
    try:
        yamlparse.parse(text, positions)
    except yamlparse.YamlError:
        return None, None
    found = positions.get(loc)
    if found is None:
        return None, None
    line, column = (found[0], found[1]) if at_key else (found[2], found[3])
    return line + offset, column
