"""Who may judge what. A judge is conflicted with an entry from their own
organisation, from an organisation they declared, or named in their conflicts.
Organisation names compare as a person reads them (names.name_key): case, white space
and Unicode forms aside."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..model import EntryFile, Judge, Judgement
from ..names import name_key


class ConflictIndex:
    """Answers 'is this judge conflicted with this entry?' in constant time."""

    def __init__(self, judges: Mapping[str, Judge]) -> None:
        self._own: dict[str, str] = {}
        self._orgs: dict[str, frozenset[str]] = {}
        self._entries: dict[str, frozenset[str]] = {}
        for judge_id, judge in judges.items():
            self._own[judge_id] = name_key(judge.organisation)
            self._orgs[judge_id] = frozenset(
                name_key(org) for org in judge.conflicts.organisations)
            self._entries[judge_id] = frozenset(judge.conflicts.entries)
    def reason(self, judge_id: str, entry_id: str, organisation: str) -> str | None:
        """Why the judge is conflicted with the entry, or None if they are not."""
        if judge_id not in self._own:
            return None
        org = name_key(organisation)
        if org == self._own[judge_id]:
            return "the entry comes from their own organisation"
        if org in self._orgs[judge_id]:
            return "they declared a conflict with the entry's organisation"
        if entry_id in self._entries[judge_id]:
            return "they declared a conflict with this entry"
        return None

    def conflicted(self, judge_id: str, entry_id: str, organisation: str) -> bool:
        return self.reason(judge_id, entry_id, organisation) is not None

    def declared(self, judge_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """The organisations (as names.name_key(), their own among them) and the
        entries the judge is conflicted with."""
        if judge_id not in self._own:
            return frozenset(), frozenset()
        return self._orgs[judge_id] | {self._own[judge_id]}, self._entries[judge_id]


def panel_judgements(
    sheets: Mapping[str, Mapping[str, Judgement]],
    entries: Mapping[str, EntryFile],
    conflicts: ConflictIndex,
) -> Iterator[tuple[str, str, Judgement]]:
    """(judge, entry, judgement) for every judgement that puts a judge on an entry's
    panel: the entry exists, the judge did not recuse and is not conflicted.
    `sheets` maps judge -> {entry: judgement}; `entries` maps entry -> front matter."""
    for judge_id, judgements in sheets.items():
        for entry_id, judgement in judgements.items():
            entry = entries.get(entry_id)
            if entry is None or judgement.conflict is not None:
                continue
            if not conflicts.conflicted(judge_id, entry_id, entry.organisation):
                yield judge_id, entry_id, judgement
