"""A loaded, checked programme: the one place where a folder is loaded and checked.

`examine` loads a folder and runs every check (validate, status and `new entry` use it,
errors and all); `open_programme` also refuses to go on when there are errors, for the
commands that act on a programme (tally, assign, render, ...), and gives them the
typed `Programme`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import ProblemsFound
from .findings import Finding, sort_key
from .judging.conflicts import ConflictIndex
from .judging.tally import JudgementRecord, Results, Settings, exact, tally
from .load import Entry, Folder
from .model import AdoptionRecord, Category, Criterion, Decision, EntryFile, Judge, ProgrammeFile


class InvalidProgramme(ProblemsFound):
    """The programme has errors; `findings` says what they are."""

    def __init__(self, findings: list[Finding], files: int) -> None:
        errors = sum(1 for f in findings if f.severity == "error")
        super().__init__(f"The programme has {errors} error{'s' if errors != 1 else ''}; "
                         "fix them (see above, or run 'qsi validate') and try again.")
        self.findings = findings
        self.folder_files = files


@dataclass
class Examined:
    """A folder, loaded and checked, with every finding (errors too), in order."""

    folder: Folder
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


def examine(root: Path) -> Examined:
    """Load the folder and run every check."""
    from . import checks, load

    folder = load.load(root)
    return Examined(folder, sorted(checks.run(folder), key=sort_key))


@dataclass
class Programme:
    """A programme with no errors, typed throughout."""

    folder: Folder
    settings: ProgrammeFile
    findings: list[Finding] = field(default_factory=list)  # warnings only

    @property
    def root(self) -> Path:
        return self.folder.root

    @property
    def categories(self) -> list[Category]:
        """In the order of categories.yaml."""
        return list(self.folder.categories.values())

    @property
    def judges(self) -> dict[str, Judge]:
        return self.folder.judges

    @property
    def entries(self) -> dict[str, Entry]:
        return self.folder.entries

    @cached_property
    def fronts(self) -> dict[str, EntryFile]:
        """Entry ID -> its front matter."""
        return {entry_id: entry.front for entry_id, entry in self.folder.entries.items()}

    @property
    def criteria(self) -> list[Criterion]:
        return self.settings.rubric.criteria

    @property
    def decisions(self) -> list[Decision]:
        return [decision for _, decision in self.folder.decisions]

    @property
    def adoption(self) -> list[AdoptionRecord]:
        return [record for _, record in self.folder.adoption]

    def tally_settings(self, method: str | None = None) -> Settings:
        judging = self.settings.judging
        return Settings(
            weights={c.id: exact(c.weight) for c in self.criteria},
            judges_per_entry=judging.judges_per_entry,
            method=method or judging.method,
            shortlist_size=judging.shortlist_size,
            highly_commended=judging.highly_commended,
            tiebreak=tuple(judging.tiebreak),
            disagreement=judging.disagreement,
        )

    def records(self) -> Iterator[JudgementRecord]:
        conflicts = ConflictIndex(self.judges)
        fronts = self.fronts
        for judge_id in sorted(self.folder.sheets):
            for entry_id, judgement in self.folder.sheets[judge_id].judgements.items():
                front = fronts.get(entry_id)
                if front is None:
                    continue
                yield JudgementRecord(
                    judge_id, entry_id, judgement.criterion_scores(),
                    recused=judgement.conflict is not None,
                    conflict=conflicts.reason(judge_id, entry_id, front.organisation))

    def results(self, method: str | None = None) -> Results:
        """The tally, with the steering group's decisions applied."""
        return tally(self.tally_settings(method), self.categories, self.fronts, self.records(),
                     self.decisions, self.settings.name, self.settings.edition)


def open_programme(root: Path) -> Programme:
    """Load and check; raise InvalidProgramme (exit 1) if there are errors."""
    examined = examine(root)
    settings = examined.folder.settings
    if examined.errors or settings is None:
        raise InvalidProgramme(examined.findings, examined.folder.files)
    return Programme(examined.folder, settings, examined.findings)
