"""A loaded, checked programme: the one place where a folder is loaded and checked.

`examine` loads a folder and runs every check (validate, status and `new entry` use it,
errors and all); `open_programme` also refuses to go on when there are errors, for the
commands that act on a programme (tally, assign, render, ...), and gives them the
typed `Programme`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ProblemsFound
from .findings import Finding, sort_key
from .judging.conflicts import ConflictIndex
from .judging.rounds import IMPLICIT, Round, choose, counting, rounds_of
from .load import BallotSheet, Entry, Folder, Sheet
from .model import (
    AdoptionRecord,
    Category,
    Criterion,
    Decision,
    EntryFile,
    EntryRules,
    Judge,
    Judgement,
    ProgrammeFile,
    Rubric,
)

# The tally and the release are imported where they are used: validating a programme
# needs neither (the tally only when a later round's finalists come from an earlier one).
if TYPE_CHECKING:
    from .judging.calibration import Calibration
    from .judging.ranked import RankedResults
    from .judging.release import Release
    from .judging.tally import JudgementRecord, Results, Settings


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


def examine(root: Path, round_id: str | None = None, today: dt.date | None = None
            ) -> Examined:
    """Load the folder and run every check; the warnings about how far judging has got
    are about one round, `round_id` or the current one (QsiError for no such round)."""
    from . import checks, load

    with collector_paused():
        folder = load.load(root)
        today = today or dt.date.today()
        if round_id is not None and folder.settings is not None:
            choose(rounds_of(folder.settings), round_id, today)
        findings = sorted(checks.run(folder, round_id, today), key=sort_key)
    for doc in folder.docs.values():  # the findings have their positions
        doc.forget_positions()
    return Examined(folder, findings)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while loading, checking and tallying: they make
    millions of objects that live on (10,000 entries' models, 30,000 judgements) and
    almost no cycles, and each of the collector's passes walked every one of them again
    (a tenth of `qsi validate`'s time). At the end, what is alive is frozen (gc.freeze):
    the collector never walks it again, though it is freed as usual once unused (a
    cycle among it stays, which a command, run once, never misses; the tests unfreeze
    after each test). Nested uses are one pause."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()


@dataclass
class Programme:
    """A programme with no errors, typed throughout."""

    folder: Folder
    settings: ProgrammeFile
    findings: list[Finding] = field(default_factory=list)  # warnings only
    today: dt.date = field(default_factory=dt.date.today)  # which round is current
    # a view for one round's judges (for_round): the round, and the whole programme
    round_view: Round | None = None
    source: Programme | None = None

    @property
    def judging_round(self) -> str:
        """The round a judge's pack or workbook is for ('1' without rounds)."""
        return self.round_view.id if self.round_view is not None else IMPLICIT

    def for_round(self, rnd: Round) -> Programme:
        """The programme as one round's judges see it, for their packs, workbooks and the
        import of their workbooks: the round's score sheets stand where scores/ does and
        its rubric is the rubric; in a ranked round, each judge is given the finalists of
        every category they have a ballot for (those they are conflicted with, recused).
        Its tally is the whole programme's."""
        sheets = self.sheets(rnd) if not rnd.ranked else self._ballot_sheets(rnd)
        return Programme(replace(self.folder, sheets=sheets),
                         self.settings.model_copy(update={"rubric": rnd.rubric}),
                         self.findings, self.today, rnd, self)

    def _ballot_sheets(self, rnd: Round) -> dict[str, Sheet]:
        finalists = self.entrants(rnd)
        conflicts = ConflictIndex(self.judges)
        out = {}
        for judge_id, ballots in self.ballots(rnd).items():
            given: dict[str, Judgement] = {}
            for category, ballot in ballots.ballots.items():
                for entry_id, front in sorted(finalists.items()):
                    if front.category != category:
                        continue
                    why = ballot.conflicts.get(entry_id) or conflicts.reason(
                        judge_id, entry_id, front.organisation)
                    given[entry_id] = Judgement(conflict=why) if why else Judgement()
            out[judge_id] = Sheet(judge_id, ballots.doc, given, ballots.named, ballots.raw)
        return out

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

    def rubric_for(self, category_id: str, rnd: Round | None = None) -> Rubric:
        """The rubric an entry of this category is scored on in a round (default: this
        view's round, or the first): the round's own when it has one, else the
        category's own (categories.yaml rubric:), else programme.yaml's."""
        rnd = rnd or self.round_view or self.rounds[0]
        if rnd.own_rubric:
            return rnd.rubric
        return self.settings.rubric_for(self.folder.categories.get(category_id))

    def judge_rubric(self, judge_id: str) -> Rubric | None:
        """The one rubric every entry in the judge's score sheet is scored on (this
        view's round); None when their categories' rubrics differ. A scoring workbook
        holds one rubric."""
        sheet = self.folder.sheets.get(judge_id)
        rubrics = [self.rubric_for(self.fronts[e].category)
                   for e in (sheet.judgements if sheet is not None else {}) if e in self.fronts]
        first = rubrics[0] if rubrics else self.settings.rubric
        return first if all(rubric == first for rubric in rubrics) else None

    def with_rubric(self, rubric: Rubric) -> Programme:
        """This programme with `rubric` as programme.yaml's: one judge's workbook's."""
        return replace(self, settings=self.settings.model_copy(update={"rubric": rubric}))

    def entry_rules_for(self, category_id: str) -> EntryRules:
        """The word limits and sections of this category's entries."""
        return self.settings.entry_rules_for(self.folder.categories.get(category_id))

    @property
    def decisions(self) -> list[Decision]:
        return [decision for _, decision in self.folder.decisions]

    @property
    def adoption(self) -> list[AdoptionRecord]:
        return [record for _, record in self.folder.adoption]

    @property
    def release(self) -> Release:
        """When the results are released (judging/release.py)."""
        from .judging.release import release

        return release(self.settings, self.folder.results_released)

    # rounds (README "Judging in rounds") ---------------------------------------------

    @cached_property
    def rounds(self) -> list[Round]:
        return rounds_of(self.settings)

    def round(self, round_id: str | None = None) -> Round:
        """The round --round names (QsiError for none such), or the current one."""
        return choose(self.rounds, round_id, self.today)

    def sheets(self, rnd: Round) -> dict[str, Sheet]:
        """A rubric round's score sheets, judge -> sheet."""
        if rnd.folder == "scores":
            return self.folder.sheets
        return self.folder.round_sheets.get(rnd.id, {}) if not rnd.ranked else {}

    def ballots(self, rnd: Round) -> dict[str, BallotSheet]:
        """A ranked round's ballot files, judge -> file, each finalist named by its entry ID:
        a ballot may name one by the reference the judge's pack shows, read here, once
        (judging/references.py), so that everything after works on entry IDs."""
        from .judging.references import resolved

        if not rnd.ranked:
            return {}
        if rnd.id not in self._ballots:
            self._ballots[rnd.id] = {
                judge_id: replace(sheet, ballots={category: resolved(ballot, self.entry_of)
                                                  for category, ballot in sheet.ballots.items()})
                for judge_id, sheet in self.folder.ballots.get(rnd.id, {}).items()}
        return self._ballots[rnd.id]

    @cached_property
    def _ballots(self) -> dict[str, dict[str, BallotSheet]]:
        """Each ranked round's ballot files read so far (ballots), by round ID."""
        return {}

    def entry_of(self, name: str) -> str:
        """The entry a ballot or `qsi tally --explain` names: an entry ID, or its reference
        in either case (else the name as written, which the checks report)."""
        from .judging import references

        return references.entry_of(name, self.folder.entry_ids, lambda: self._by_reference)

    @cached_property
    def _by_reference(self) -> dict[str, str]:
        """Reference -> entry ID, for every entry (judging/references.py)."""
        from .judging.references import of_programme

        return {reference: entry_id for entry_id, reference in of_programme(self).items()}

    def entrants(self, rnd: Round) -> dict[str, EntryFile]:
        """The entries a round judges: a calibration exercise its reference entries; the
        first round that counts every other entry; a later one those the round before
        put on its shortlist, after the steering group's decisions. An entry withdrawn or
        disqualified is in no round that counts: not assigned, judged, tallied or
        published (its scores are not counted), though it stays on record."""
        if rnd.calibration:
            return {e: self.fronts[e] for e in rnd.reference if e in self.fronts}
        if rnd.before is None:
            return {e: front for e, front in self.fronts.items()
                    if e not in self.references and front.left is None}
        if rnd.index not in self._entrants:  # one round at a time: each needs the one before
            before = self.round_results(self.rounds[rnd.before])
            self._entrants[rnd.index] = {r.entry: self.fronts[r.entry] for c in before.categories
                                         for r in c.entries if r.award is not None}
        return self._entrants[rnd.index]

    @cached_property
    def references(self) -> frozenset[str]:
        """The reference entries of the calibration exercises: in no round that counts."""
        return frozenset(e for r in self.rounds for e in r.reference)

    @cached_property
    def _entrants(self) -> dict[int, dict[str, EntryFile]]:
        """The entrants of each later round found so far, by round index (entrants): a
        round's are its round-before's shortlist, so they are found one round at a time,
        never all at once (a third round's need the second's, which are being found)."""
        return {}

    def decisions_for(self, rnd: Round) -> list[Decision]:
        """The decisions for a round (one without `round:` is for the last)."""
        last = self.rounds[-1].id
        return [d for d in self.decisions if (d.round or last) == rnd.id]

    def tally_settings(self, method: str | None = None, rnd: Round | None = None) -> Settings:
        from .judging.tally import Settings, exact

        judging = self.settings.judging
        rnd = rnd or self.rounds[0]
        return Settings(
            weights={c.id: exact(c.weight) for c in rnd.rubric.criteria},
            judges_per_entry=rnd.judges_per_entry,
            method=method or judging.method,
            # a calibration exercise shortlists nobody; a last round after others keeps
            # every finalist on the shortlist
            shortlist_size=0 if rnd.calibration else rnd.shortlist_size
            if rnd.before is None or not rnd.last
            else max(judging.highly_commended + 1, len(self.entrants(rnd))),
            highly_commended=judging.highly_commended,
            # each category breaks ties on the criteria its rubric has (judging/tally.py)
            tiebreak=tuple(judging.tiebreak),
            disagreement=judging.disagreement,
            threshold=rnd.threshold,
            awards=rnd.last,
            category_weights={
                c.id: {k.id: exact(k.weight) for k in self.rubric_for(c.id, rnd).criteria}
                for c in self.categories if not rnd.own_rubric and c.rubric is not None},
        )

    def records(self, rnd: Round | None = None) -> Iterator[JudgementRecord]:
        from .judging.tally import JudgementRecord

        conflicts = ConflictIndex(self.judges)
        rnd = rnd or self.rounds[0]
        fronts = self.entrants(rnd)
        sheets = self.sheets(rnd)
        for judge_id in sorted(sheets):
            if not rnd.on_panel(judge_id):
                continue
            for entry_id, judgement in sheets[judge_id].judgements.items():
                front = fronts.get(entry_id)
                if front is None:
                    continue
                yield JudgementRecord(
                    judge_id, entry_id, judgement.criterion_scores(),
                    recused=judgement.conflict is not None,
                    conflict=conflicts.reason(judge_id, entry_id, front.organisation))

    def ranked(self, rnd: Round) -> RankedResults:
        """A ranked round's count, category by category."""
        from .judging import ranked

        ballots = {judge_id: sheet.ballots for judge_id, sheet in self.ballots(rnd).items()}
        return ranked.tally(rnd, self.categories, self.entrants(rnd), ballots,
                            ConflictIndex(self.judges), self.settings.judging.highly_commended,
                            self.decisions_for(rnd), self.settings.name, self.settings.edition)

    def round_results(self, rnd: Round, method: str | None = None) -> Results:
        """One round's tally, of the entries it judges, with its decisions applied."""
        from .judging.tally import tally

        if rnd.ranked:
            return self.ranked(rnd).results
        with collector_paused():
            results = tally(self.tally_settings(method, rnd), self.categories,
                            self.entrants(rnd), self.records(rnd), self.decisions_for(rnd),
                            self.settings.name, self.settings.edition)
        if self.settings.rounds is not None:
            results.round = rnd.id
            if rnd.last and rnd.before is not None:  # finalists stay on the shortlist
                for category in results.categories:
                    for result in category.entries:
                        if result.award is None and "overridden" not in result.flags:
                            result.award = "shortlisted"
        return results

    def calibration(self, rnd: Round) -> Calibration:
        """How each judge of a rubric round scores against their co-judges, and how far
        the panel agrees (judging/calibration.py), over the judgements the tally counts."""
        from .judging.calibration import Judgement, calibrate

        results = self.round_results(rnd)
        judgements = [Judgement(js.judge, r.entry, js.weighted, js.scores)
                      for category in results.categories for r in category.entries
                      for js in r.judgements]
        criteria = dict.fromkeys(c.id for category in self.categories
                                 for c in self.rubric_for(category.id, rnd).criteria)
        return calibrate(rnd.id, list(criteria), judgements,
                         {e: front.category for e, front in self.entrants(rnd).items()},
                         self.settings.judging.disagreement)

    def results(self, method: str | None = None) -> Results:
        """The current round's tally, with the steering group's decisions applied, every
        entry listed (those the round does not judge after its own, with no award): what
        the outputs show."""
        from .judging.tally import EntryResult

        if self.source is not None:
            return self.source.results(method)
        rnd = counting(self.rounds, self.round())
        results = self.round_results(rnd, method)
        if rnd.before is not None:
            judged = self.entrants(rnd)
            for category in results.categories:
                category.entries += [
                    EntryResult(entry_id, front.category, front.title, front.organisation, [], [])
                    for entry_id, front in sorted(self.fronts.items())
                    if front.category == category.id and entry_id not in judged
                    and entry_id not in self.references and front.left is None]
        return results


def open_programme(root: Path) -> Programme:
    """Load and check; raise InvalidProgramme (exit 1) if there are errors."""
    examined = examine(root)
    settings = examined.folder.settings
    if examined.errors or settings is None:
        raise InvalidProgramme(examined.findings, examined.folder.files)
    return Programme(examined.folder, settings, examined.findings)
