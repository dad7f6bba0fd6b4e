"""The pydantic models, one module per file kind: qsi's domain model at run time and
the single source of the JSON Schemas (`qsi schema`).

Loading (load/) validates every file into its model; from then on every check, the
judging, the rendering and the reports work on these typed, frozen objects. Defaults
are written here and nowhere else.

The model modules do not use `from __future__ import annotations`: with it, pydantic
evaluates every field's annotation from its text each time qsi starts (2% of `qsi
validate` on the example programme); without it, Python has them ready from the
compiled module.
"""

from typing import Any

from pydantic import BaseModel

from .actions import Action, ActionsFile
from .adoption import AdoptionFile, AdoptionRecord
from .ballots import Ballot, BallotSheetFile
from .categories import CategoriesFile, Category
from .decision_log import DecisionLogFile, LoggedDecision
from .decisions import DeadlineException, Decision, DecisionsFile, ResultsReleased
from .entry import EntryFile, Lead, Source
from .entry_map import EntryMapFile
from .issues import Issue, IssuesFile
from .judges import Conflicts, Judge, JudgesFile
from .lessons import Lesson, LessonsFile
from .measures import Measure
from .programme import (
    Criterion,
    EntryForm,
    EntryRules,
    Judging,
    Milestone,
    ProgrammeFile,
    Retention,
    Round,
    Rubric,
    Scale,
    Section,
    Term,
)
from .risks import Risk, RisksFile
from .scores import Judgement, ScoreSheetFile
from .stakeholders import Stakeholder, StakeholdersFile
from .types import (
    DATE_PATTERN,
    EMAIL_MAX,
    EMAIL_PATTERN,
    HASHTAG_PATTERN,
    ID_PATTERN,
    MAX_NUMBER,
)

__all__ = [
    "DATE_PATTERN", "EMAIL_MAX", "EMAIL_PATTERN", "FILE_KINDS", "HASHTAG_PATTERN",
    "ID_PATTERN", "MAX_NUMBER", "Action", "ActionsFile", "AdoptionFile", "AdoptionRecord",
    "Ballot", "BallotSheetFile",
    "CategoriesFile",
    "Category", "Conflicts", "Criterion", "DeadlineException", "Decision", "DecisionLogFile",
    "DecisionsFile",
    "EntryFile", "EntryForm", "EntryMapFile", "EntryRules", "Issue", "IssuesFile", "Judge",
    "Judgement", "JudgesFile",
    "Judging", "Lead", "Lesson", "LessonsFile", "LoggedDecision", "Measure", "Milestone",
    "ProgrammeFile", "ResultsReleased", "Retention", "Risk", "RisksFile",
    "Round", "Rubric", "Scale", "ScoreSheetFile", "Section", "Source",
    "Stakeholder", "StakeholdersFile", "Term",
    "json_schemas",
]

# file kind -> model; the schema file is schemas/<kind>.json
FILE_KINDS: dict[str, type[BaseModel]] = {
    "programme": ProgrammeFile,
    "categories": CategoriesFile,
    "judges": JudgesFile,
    "entry": EntryFile,
    "scores": ScoreSheetFile,
    "decisions": DecisionsFile,
    "adoption": AdoptionFile,
    "entry-map": EntryMapFile,
    "ballots": BallotSheetFile,
    "risks": RisksFile,
    "actions": ActionsFile,
    "issues": IssuesFile,
    "lessons": LessonsFile,
    "decision-log": DecisionLogFile,
    "stakeholders": StakeholdersFile,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every file kind, as `qsi schema` writes them."""
    out: dict[str, dict[str, Any]] = {}
    for kind, model in FILE_KINDS.items():
        schema = model_schema(model)
        _close_pattern_objects(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://qsi-awards.example/schemas/{kind}.json"
        out[kind] = schema
    return out


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema, written the same by every pydantic qsi supports.

    pydantic before 2.9 wraps a `$ref` that has a default or a description in
    `allOf: [{$ref}]` and writes a float field's whole bound as 0 where later versions
    write 0.0. JSON Schema 2020-12 lets `$ref` stand beside other keywords and counts 0
    and 0.0 as one number, so both are written one way and the files never depend on
    the version.
    """
    schema: dict[str, Any] = model.model_json_schema()
    _unwrap_single_all_of(schema)
    _whole_bounds(schema)
    return schema


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _whole_bounds(node: Any) -> None:
    """A whole-number bound is written 0, not 0.0, and a one-value Literal only as its
    `const` (pydantic 2.8 also writes `enum: [value]` beside it; 2.9+ does not)."""
    if isinstance(node, dict):
        if "const" in node and node.get("enum") == [node["const"]]:
            del node["enum"]
        for key in _BOUNDS:
            value = node.get(key)
            if isinstance(value, float) and value.is_integer():
                node[key] = int(value)
        for value in node.values():
            _whole_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _whole_bounds(value)


def _unwrap_single_all_of(node: Any) -> None:
    if isinstance(node, dict):
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and set(all_of[0]) == {"$ref"}:
            rest = {key: value for key, value in node.items() if key != "allOf"}
            node.clear()
            node["$ref"] = all_of[0]["$ref"]
            node.update(rest)
        for value in node.values():
            _unwrap_single_all_of(value)
    elif isinstance(node, list):
        for value in node:
            _unwrap_single_all_of(value)


def _close_pattern_objects(node: Any) -> None:
    """pydantic checks the keys of an ID-keyed mapping; say so in the schema too."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_objects(value)
