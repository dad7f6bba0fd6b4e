"""The JSON Schemas (SPEC §2): committed copies match `qsi schema`, use only what qsi's
own validator supports, accept every example file and reject the negative examples they
can express; and qsi's compiled validator agrees with the pydantic models."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import strategies as gen
from conftest import BASE, REPO, Case, build_case, negative_cases, run_cli
from qsi_awards import model
from qsi_awards.load import validation, yamlparse

KINDS = ["programme", "categories", "judges", "entry", "scores", "decisions", "adoption",
         "entry-map", "ballots", "risks", "actions", "issues", "lessons", "decision-log",
         "stakeholders"]
COMMITTED = [REPO / "schemas", REPO / "src" / "qsi_awards" / "schemas"]

# Codes the schemas alone decide.
SCHEMA_CODES = {"missing-field", "unknown-field", "wrong-type", "bad-date", "bad-email",
                "bad-choice", "bad-id", "bad-value", "bad-weight", "bad-number"}
# Negative examples with a schema code that a standard JSON Schema validator in Python
# cannot reject, and why (qsi rejects them all: tests/test_validate_examples.py).
NOT_EXPRESSIBLE = {
    # JSON Schema's "integer" is any number with a zero fraction, so 8.0 passes.
    "wrong-type-float-score",
    # The jsonschema library matches patterns with Python's re, whose `$` also matches
    # before a final newline; ECMA-262 (editors, the JSON Schema spec) does not.
    "bad-id-trailing-newline",
}


def kind_of(rel: str) -> str | None:
    """The file kind of a programme-relative path, or None for other files."""
    if rel.startswith("entries/") and rel.endswith(".md"):
        return "entry"
    if rel.startswith("scores/") and rel.endswith(".yaml"):
        return "scores"
    if rel.startswith("rounds/") and rel.endswith(".yaml"):  # rounds/<round>/<kind>/<judge>
        return rel.split("/")[2]
    if rel.startswith("forms/") and rel.endswith(".yaml"):
        return "entry-map"
    if rel.startswith("registers/") and rel.endswith(".yaml"):
        return rel.removeprefix("registers/").removesuffix(".yaml")
    name = rel.removesuffix(".yaml")
    return name if name in KINDS and rel.endswith(".yaml") else None


def read_document(path: Path) -> Any:
    """A file's data as qsi reads it: front matter for entries; dates stay text."""
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    data, problems = yamlparse.parse(text)
    assert not problems, problems
    return data


def programme_files(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every file of a programme folder that has a schema."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        kind = kind_of(rel)
        if kind is not None and path.is_file() and not rel.startswith(("tests/", "src/")):
            found.append((rel, kind))
    return found


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / f"{kind}.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# The committed schemas ----------------------------------------------------------------


@pytest.mark.parametrize("folder", COMMITTED, ids=["schemas", "package"])
def test_committed_schemas_match_qsi_schema(folder: Path, tmp_path: Path) -> None:
    result = run_cli(["schema", "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted(f"{kind}.json" for kind in KINDS)
    assert sorted(path.name for path in folder.glob("*.json")) == written
    for name in written:
        assert (folder / name).read_text("utf-8") == (tmp_path / "out" / name).read_text(
            "utf-8"), f"{folder.relative_to(REPO)}/{name} is stale: run qsi schema --out"


def subschemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema object inside a schema, itself included."""
    yield schema
    children: list[Any] = []
    for key in ("$defs", "properties", "patternProperties"):
        children += list(schema.get(key, {}).values())
    children += schema.get("anyOf", [])
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            children.append(schema[key])
    for child in children:
        yield from subschemas(child)


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_json_schemas_that_accept_the_valid_files(kind: str) -> None:
    """Editors check files against the published schemas: each is a valid 2020-12 schema,
    and none refuses a file qsi accepts."""
    schema = json.loads((REPO / "schemas" / f"{kind}.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for document in VALID[kind]:
        assert list(checker.iter_errors(document)) == []


# Example files against the schemas ----------------------------------------------------


EXAMPLE_FILES = [(BASE, rel, kind) for rel, kind in programme_files(BASE)] + [
    (REPO, rel, kind) for rel, kind in programme_files(REPO)]


def test_the_examples_cover_every_kind() -> None:
    kinds = {kind for _, _, kind in EXAMPLE_FILES}
    assert kinds >= {"programme", "categories", "judges", "entry", "scores"}
    assert any(root == REPO and kind == "entry" for root, _, kind in EXAMPLE_FILES)


@pytest.mark.parametrize(("root", "rel", "kind"), EXAMPLE_FILES,
                         ids=[f"{root.name}/{rel}" for root, rel, _ in EXAMPLE_FILES])
def test_example_files_are_valid(root: Path, rel: str, kind: str) -> None:
    data = read_document(root / rel)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(data)]
    assert errors == []
    assert validation.check(kind, data) == []
    model.FILE_KINDS[kind].model_validate(data)


SCHEMA_CASES = [case for case in negative_cases()
                if all(e.code in SCHEMA_CODES and e.line is not None for e in case.expect)]


def test_schema_cases_cover_every_schema_code() -> None:
    covered = {e.code for case in SCHEMA_CASES for e in case.expect}
    assert covered == SCHEMA_CODES
    assert {case.name for case in SCHEMA_CASES} >= NOT_EXPRESSIBLE


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[case.name for case in SCHEMA_CASES])
def test_negative_examples_are_rejected(case: Case, tmp_path: Path) -> None:
    folder = build_case(case, tmp_path)
    for rel in sorted({e.path for e in case.expect}):
        kind = kind_of(rel)
        assert kind is not None
        data = read_document(folder / rel)
        errors = list(validator(kind).iter_errors(data))
        if case.name in NOT_EXPRESSIBLE:
            assert errors == [], "now expressible: remove it from NOT_EXPRESSIBLE"
        else:
            assert errors, f"the {kind} schema accepts {case.name}/{rel}"
        # qsi's own validator and pydantic reject all of them
        assert validation.check(kind, data)
        with pytest.raises(ValueError):
            model.FILE_KINDS[kind].model_validate(data)


# qsi's compiled validator agrees with pydantic ----------------------------------------


DECISIONS = {"decisions": [{"category": "safety-primary", "winner": "falls-huddles",
                            "highly_commended": ["patient-panel"],
                            "reason": "Steering group, 1 March 2020."}]}
ADOPTION = {"adoption": [{"entry": "falls-huddles", "organisation": "Dartford NHS Trust",
                          "stage": "piloting", "date": "2020-06-15", "contact": "A. Person",
                          "notes": "Two wards."}]}
VALID: dict[str, list[Any]] = {
    "programme": [read_document(BASE / "programme.yaml")],
    "categories": [read_document(BASE / "categories.yaml")],
    "judges": [read_document(BASE / "judges.yaml")],
    "entry": [read_document(BASE / "entries/falls-huddles.md"),
              read_document(BASE / "entries/patient-panel.md")],
    "scores": [read_document(BASE / "scores/ajudge.yaml"),
               read_document(BASE / "scores/bjudge.yaml")],
    "decisions": [DECISIONS],
    "adoption": [ADOPTION],
    "entry-map": [read_document(BASE.parent / "forms-map.yaml")],
    "ballots": [read_document(BASE.parent / "rounds/rounds/final/ballots/ajudge.yaml")],
    **{kind: [read_document(REPO / "registers" / f"{kind}.yaml")]
       for kind in KINDS[KINDS.index("risks"):]},
}


def pydantic_accepts(kind: str, data: Any) -> bool:
    from pydantic import ValidationError

    try:
        model.FILE_KINDS[kind].model_validate(data)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS)
def test_valid_documents_are_valid_to_both(kind: str) -> None:
    for document in VALID[kind]:
        assert pydantic_accepts(kind, document)
        assert validation.check(kind, document) == []


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_problem_has_a_catalogue_code_and_a_plain_message(data: st.DataObject) -> None:
    """Whatever is wrong in a file, each problem pydantic finds becomes a rule code of the
    catalogue with a message of its own: never the fallback sentence for an error type
    qsi does not know."""
    kind = data.draw(st.sampled_from(KINDS))
    original = data.draw(st.sampled_from(VALID[kind]))
    mutated = data.draw(gen.mutated(copy.deepcopy(original)))
    try:  # what qsi would read from the file: through YAML text and qsi's parser
        document, _ = yamlparse.parse(gen.dump(mutated))
    except yamlparse.YamlError:
        assume(False)
    errors = validation.check(kind, document)
    assert (errors == []) == pydantic_accepts(kind, document), errors
    for error in errors:
        assert error.code in SCHEMA_CODES
        assert "is not right:" not in error.message, error


EDGES = [
    ("scores", ("judge",), "ajudge\n"),  # `$` in Python re
    ("scores", ("scores",), {"falls-huddles\n": None}),
    ("programme", ("judging", "disagreement"), float("nan")),
    ("programme", ("rubric", "criteria", 0, "weight"), 10**400),  # too large for a float
    ("programme", ("rubric", "criteria", 0, "weight"), float("nan")),
    ("scores", ("scores", "falls-huddles", "impact"), 8.0),
    ("scores", ("scores", "falls-huddles", "impact"), True),
    ("entry", ("submitted",), "2020-01-28\n"),
    ("entry", ("submitted",), "2020-02-30"),
    ("entry", ("lead", "email"), "a@b"),
    ("programme", ("hashtag",), "#"),
    ("categories", ("categories", 0, "title"), " \t"),
]


@pytest.mark.parametrize(("kind", "change", "value"), EDGES,
                         ids=[f"{kind}-{'.'.join(map(str, change))}-{str(value)[:12]!r}"
                              for kind, change, value in EDGES])
def test_known_edges_agree(kind: str, change: tuple[str | int, ...], value: Any) -> None:
    document = copy.deepcopy(VALID[kind][0])
    parent = document
    for part in change[:-1]:
        parent = parent[part]
    parent[change[-1]] = value
    assert not pydantic_accepts(kind, document)
    assert validation.check(kind, document) != []
