"""A loaded, checked programme, for the commands that act on one (tally, assign,
status, render, ...): load the folder, run every check, and refuse to go on when
there are errors. The glue between load/checks and the pure judging functions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProblemsFound
from .findings import Finding, sort_key
from .judging.conflicts import ConflictIndex
from .judging.tally import JudgementRecord, Results, Settings, exact, tally
from .load import Folder


class InvalidProgramme(ProblemsFound):
    """The programme has errors; `findings` says what they are."""

    def __init__(self, findings: list[Finding], files: int) -> None:
        errors = sum(1 for f in findings if f.severity == "error")
        super().__init__(f"The programme has {errors} error{'s' if errors != 1 else ''}; "
                         "fix them (see above, or run 'qsi validate') and try again.")
        self.findings = findings
        self.folder_files = files


@dataclass
class Programme:
    folder: Folder
    findings: list[Finding] = field(default_factory=list)  # warnings only

    @property
    def root(self) -> Path:
        return self.folder.root

    @property
    def settings(self) -> dict[str, Any]:
        assert self.folder.settings is not None
        return self.folder.settings

    @property
    def categories(self) -> list[dict[str, Any]]:
        """In the order of categories.yaml."""
        return list(self.folder.categories.values())

    @property
    def judges(self) -> dict[str, dict[str, Any]]:
        return self.folder.judges

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        return {entry_id: entry.meta for entry_id, entry in self.folder.entries.items()}

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return list(self.settings["rubric"]["criteria"])

    def tally_settings(self, method: str | None = None) -> Settings:
        judging = self.settings["judging"]
        weights = {c["id"]: exact(c["weight"]) for c in self.criteria}
        return Settings(
            weights=weights,
            judges_per_entry=judging["judges_per_entry"],
            method=method or judging.get("method", "mean"),
            shortlist_size=judging.get("shortlist_size", 5),
            highly_commended=judging.get("highly_commended", 2),
            tiebreak=tuple(judging.get("tiebreak", [])),
            disagreement=judging.get("disagreement"),
        )

    def records(self) -> Iterator[JudgementRecord]:
        conflicts = ConflictIndex(self.judges)
        entries = self.folder.entries
        for judge_id in sorted(self.folder.sheets):
            for entry_id, judgement in self.folder.sheets[judge_id].judgements.items():
                entry = entries.get(entry_id)
                if entry is None:
                    continue
                scores = {k: v for k, v in judgement.items() if k not in ("comment", "conflict")}
                yield JudgementRecord(
                    judge_id, entry_id, scores,
                    recused=judgement.get("conflict") is not None,
                    conflict=conflicts.reason(judge_id, entry_id, entry.meta["organisation"]))

    def results(self, method: str | None = None) -> Results:
        """The tally, with the steering group's decisions applied."""
        return tally(self.tally_settings(method), self.categories, self.entries, self.records(),
                     self.decisions, self.settings["name"], self.settings["edition"])

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return [decision for _, decision in self.folder.decisions]

    @property
    def adoption(self) -> list[dict[str, Any]]:
        return [record for _, record in self.folder.adoption]


def open_programme(root: Path) -> Programme:
    """Load and check; raise InvalidProgramme (exit 1) if there are errors."""
    from . import checks, load

    folder = load.load(root)
    found = sorted(checks.run(folder), key=sort_key)
    if any(f.severity == "error" for f in found):
        raise InvalidProgramme(found, folder.files)
    return Programme(folder, found)
