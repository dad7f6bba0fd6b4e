"""What the rules share: the loaded folder and the few facts most rules need, worked out
once."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .. import gitops
from ..judging.conflicts import ConflictIndex
from ..judging.rounds import Round, choose, rounds_of
from ..load import Folder, Sheet
from ..model import EntryFile, ProgrammeFile, Rubric

if TYPE_CHECKING:
    from ..programme import Programme


@dataclass
class Context:
    """What the rules share: the folder, the round and the day they judge by, and what is
    worked out once for them all."""

    folder: Folder
    round_id: str | None = None  # the round the judging warnings are about (None: current)
    today: dt.date = dt.date.min
    # the `git log` of the entries' arrivals, when `start` set it going
    _git: subprocess.Popen[str] | None = field(default=None, init=False, repr=False)

    def start(self) -> None:
        """Set going what runs beside the rules: the `git log` of when entries arrived,
        needed only with a submission deadline and some entries."""
        if self.milestone("submission_deadline") is not None and self.folder.entries:
            self._git = gitops.arrivals_started(self.folder.root)

    def stop(self) -> None:
        """End what `start` set going and nothing read (a rule failed before it)."""
        gitops.arrivals_stopped(self._git)

    @cached_property
    def arrivals(self) -> gitops.Arrivals | None:
        """When each entry reached the branch (gitops.arrivals)."""
        if self._git is None:
            return gitops.arrivals(self.folder.root)
        return gitops.arrivals_read(self._git)

    @property
    def settings(self) -> ProgrammeFile | None:
        return self.folder.settings

    @cached_property
    def criteria(self) -> list[str]:
        """The rubric's criterion IDs, in order ([] without a valid programme.yaml)."""
        if self.settings is None:
            return []
        return [criterion.id for criterion in self.settings.rubric.criteria]

    @cached_property
    def conflicts(self) -> ConflictIndex:
        return ConflictIndex(self.folder.judges)

    def milestone(self, kind: str) -> dt.date | None:
        return self.settings.milestone(kind) if self.settings is not None else None

    @cached_property
    def rounds(self) -> list[Round]:
        """The judging rounds ([] without a valid programme.yaml)."""
        return rounds_of(self.settings) if self.settings is not None else []

    @cached_property
    def programme(self) -> Programme | None:
        """The folder as a programme, whatever its errors, for what the rules need of the
        tally (which entries a later round judges); None without a valid programme.yaml."""
        from ..programme import Programme

        return Programme(self.folder, self.settings) if self.settings is not None else None

    def entrants(self, rnd: Round) -> dict[str, EntryFile]:
        """The entries a round judges (every entry in the first round)."""
        if self.programme is None:
            return {entry_id: entry.front for entry_id, entry in self.folder.entries.items()}
        return self.programme.entrants(rnd)

    @cached_property
    def references(self) -> frozenset[str]:
        """The reference entries of the calibration exercises."""
        return frozenset(e for r in self.rounds for e in r.reference)

    def settled(self, rnd: Round) -> bool:
        """Are the round's entries known: the round before has scored every entry it
        judges? Until then its shortlist, and so who is a finalist, is provisional."""
        return rnd.before is None or rnd.index not in self._unsettled

    @cached_property
    def _unsettled(self) -> set[int]:
        """The rounds whose round before still has incomplete entries."""
        if self.programme is None:
            return set()
        out = set()
        for rnd in self.rounds:
            if rnd.before is None:
                continue
            before = self.programme.round_results(self.rounds[rnd.before])
            if any("incomplete" in r.flags for c in before.categories for r in c.entries):
                out.add(rnd.index)
        return out

    def focused(self, rnd: Round) -> bool:
        """Is this the round the judging warnings (too few judges, pending) are about?"""
        if not self.rounds:
            return False
        return choose(self.rounds, self.round_id, self.today).id == rnd.id

    def rubric_sheets(self) -> list[tuple[Round, dict[str, Sheet]]]:
        """Each rubric round with its score sheets (scores/ when there are no rounds)."""
        if not self.rounds:
            return []
        return [(rnd, self.programme.sheets(rnd)) for rnd in self.rounds
                if not rnd.ranked and self.programme is not None]

    def rubric_for(self, rnd: Round, entry_id: str) -> Rubric:
        """The rubric an entry is scored on in a round: the round's own, its category's
        own, or programme.yaml's (Programme.rubric_for)."""
        entry = self.folder.entries.get(entry_id)
        if self.programme is None or entry is None:
            return rnd.rubric
        return self.programme.rubric_for(entry.front.category, rnd)
