"""The programme's registers (registers/*.yaml, all optional): risks, actions, issues,
lessons learned, the decision log and the stakeholders, read as folder.py reads every
file. A programme without a registers/ folder has empty registers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import (
    Action,
    ActionsFile,
    DecisionLogFile,
    Issue,
    IssuesFile,
    Lesson,
    LessonsFile,
    LoggedDecision,
    Risk,
    RisksFile,
    Stakeholder,
    StakeholdersFile,
)

if TYPE_CHECKING:
    from .folder import Folder, _Reader

REGISTERS = "registers"
RISKS = "registers/risks.yaml"
ACTIONS = "registers/actions.yaml"
ISSUES = "registers/issues.yaml"
LESSONS = "registers/lessons.yaml"
DECISION_LOG = "registers/decision-log.yaml"
STAKEHOLDERS = "registers/stakeholders.yaml"
# file -> the key of its list (each item has an `id`)
LISTS = {RISKS: "risks", ACTIONS: "actions", ISSUES: "issues", LESSONS: "lessons",
         DECISION_LOG: "decisions", STAKEHOLDERS: "stakeholders"}


@dataclass
class Registers:
    """The valid items of each register, each with its place in its file."""

    appetite: int | None = None  # risks.yaml's, when that file is valid
    risks: list[tuple[int, Risk]] = field(default_factory=list)
    actions: list[tuple[int, Action]] = field(default_factory=list)
    issues: list[tuple[int, Issue]] = field(default_factory=list)
    lessons: list[tuple[int, Lesson]] = field(default_factory=list)
    decisions: list[tuple[int, LoggedDecision]] = field(default_factory=list)
    stakeholders: list[tuple[int, Stakeholder]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the register files there are

    @property
    def any(self) -> bool:
        return bool(self.files)


def load_registers(reader: _Reader, folder: Folder) -> None:
    """Read registers/ into folder.registers; a file qsi does not know is stray."""
    from .folder import Doc, _ids, _items, _scan

    registers = folder.registers
    for item in _scan(reader.root, REGISTERS, reader):
        rel = f"{REGISTERS}/{item.name}"
        if rel not in LISTS:
            reader._problem(rel, "stray-file", (
                f"{rel} is not a register qsi knows, so it ignores it; the registers are "
                f"{', '.join(name.removeprefix('registers/') for name in LISTS)}. Rename "
                "or remove it."), None)
    for rel, key in LISTS.items():
        if not os.path.lexists(reader.root / rel):
            continue
        text = reader.read(rel)
        if text is None:
            continue
        doc = Doc(rel, text, 0)
        data = reader.parse(doc, rel)
        if data is None:
            continue
        registers.files.append(rel)
        _ids(folder, rel, data, key)
        if rel == RISKS:
            risks = reader.validate(doc, RisksFile, data)
            registers.appetite = risks.appetite if risks else None
            registers.risks = _items(data, key, Risk, risks.risks if risks else None)
        elif rel == ACTIONS:
            actions = reader.validate(doc, ActionsFile, data)
            registers.actions = _items(data, key, Action, actions.actions if actions else None)
        elif rel == ISSUES:
            issues = reader.validate(doc, IssuesFile, data)
            registers.issues = _items(data, key, Issue, issues.issues if issues else None)
        elif rel == LESSONS:
            lessons = reader.validate(doc, LessonsFile, data)
            registers.lessons = _items(data, key, Lesson, lessons.lessons if lessons else None)
        elif rel == DECISION_LOG:
            logged = reader.validate(doc, DecisionLogFile, data)
            registers.decisions = _items(data, key, LoggedDecision,
                                         logged.decisions if logged else None)
        else:
            people = reader.validate(doc, StakeholdersFile, data)
            registers.stakeholders = _items(data, key, Stakeholder,
                                            people.stakeholders if people else None)
