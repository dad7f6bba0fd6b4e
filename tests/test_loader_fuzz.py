"""No input ever produces a traceback (SPEC §7): whatever bytes or YAML a file holds, the
loader and the checks return findings, and the reporters can print them."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as gen
from conftest import BASE, copy_base, run_cli
from qsi_awards import checks, load
from qsi_awards.findings import RULES, Checked, Finding
from qsi_awards.load import yamlparse
from qsi_awards.report.validate import REPORTERS

FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

TARGETS = ["entries/fuzz.md", "scores/ajudge.yaml", "programme.yaml", "judges.yaml",
           "categories.yaml", "entries/falls-huddles.md", "decisions.yaml", "adoption.yaml"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of base for the whole module; each example changes one file and puts it
    back (hypothesis runs many examples per test, so a fresh copy each time is too slow)."""
    return copy_base(tmp_path_factory.mktemp("fuzz") / "programme")


@contextmanager
def replaced(root: Path, rel: str, data: bytes) -> Iterator[None]:
    path = root / rel
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def findings_only(root: Path) -> list[Finding]:
    """Load and check a folder; every result must be a well-formed finding, and every
    reporter must print them as UTF-8."""
    found = checks.run(load.load(root))
    for finding in found:
        assert isinstance(finding, Finding)
        assert finding.code in RULES
        assert finding.severity == RULES[finding.code].severity
        assert not finding.path.startswith("/") and "\\" not in finding.path
        assert finding.line is None or finding.line >= 1
        assert finding.column is None or finding.column >= 1
        assert finding.message.strip() and len(finding.message.splitlines()) == 1, finding
    for reporter in REPORTERS.values():
        out = io.StringIO()
        reporter(Checked(found, 1, root), out)
        out.getvalue().encode("utf-8")
    return found


def paths_of(found: list[Finding]) -> set[str]:
    return {finding.path for finding in found}


def entry_bytes(front: str, body: str = "## Challenge\nx\n") -> bytes:
    return ("---\n" + front + "---\n" + body).encode("utf-8")


def document_bytes(target: str, data: object) -> bytes:
    document = gen.dump(data)
    if target.endswith(".md"):
        body = (BASE / target).read_text("utf-8").split("---\n", 2)[2]
        return entry_bytes(document, body)
    return document.encode("utf-8")


# Arbitrary bytes ----------------------------------------------------------------------


@FUZZ
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=3000))
def test_arbitrary_bytes(folder: Path, target: str, data: bytes) -> None:
    with replaced(folder, target, data):
        findings_only(folder)


@FUZZ
@given(target=st.sampled_from(["entries/fuzz.md", "entries/falls-huddles.md"]),
       data=st.binary(max_size=2000))
def test_arbitrary_bytes_between_front_matter_lines(folder: Path, target: str,
                                                    data: bytes) -> None:
    with replaced(folder, target, b"---\n" + data + b"\n---\n## Impact\n"):
        findings_only(folder)


@FUZZ
@given(st.data())
def test_random_edits_of_valid_files(folder: Path, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from([*TARGETS[1:6], "scores/bjudge.yaml"]))
    edited = data.draw(gen.byte_edits((BASE / target).read_bytes()))
    with replaced(folder, target, edited):
        findings_only(folder)


# Arbitrary YAML documents -------------------------------------------------------------


@FUZZ
@given(target=st.sampled_from(TARGETS), document=gen.documents)
def test_arbitrary_yaml_documents(folder: Path, target: str, document: str) -> None:
    data = entry_bytes(document) if target.endswith(".md") else document.encode("utf-8")
    with replaced(folder, target, data):
        findings = findings_only(folder)
    try:
        mapping = isinstance(yamlparse.parse(document)[0], dict)
    except yamlparse.YamlError:
        mapping = False
    if not mapping:  # not a mapping, so certainly a finding
        assert target in paths_of(findings)


MUTABLE = ["programme.yaml", "categories.yaml", "judges.yaml", "entries/falls-huddles.md",
           "entries/patient-panel.md", "scores/ajudge.yaml", "scores/bjudge.yaml"]


@FUZZ
@given(st.data())
def test_mutated_valid_documents(folder: Path, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(MUTABLE))
    raw = document_bytes(target, data.draw(gen.mutated(gen.parse_file(BASE / target))))
    with replaced(folder, target, raw):
        findings_only(folder)


@pytest.mark.parametrize("target", [*MUTABLE, "scores/cjudge.yaml", "scores/djudge.yaml"])
def test_every_field_dropped_or_retyped_in_turn(folder: Path, target: str) -> None:
    """Exhaustive, where hypothesis samples: each key and item of a valid file is dropped,
    and each value given another type, one at a time."""
    original = gen.parse_file(BASE / target)
    for path in gen.paths(original)[1:]:
        for change in ("drop", "swap"):
            data = copy.deepcopy(original)
            parent = gen.get(data, path[:-1])
            if change == "drop":
                del parent[path[-1]]
            else:
                parent[path[-1]] = gen.swap_type(parent[path[-1]])
            with replaced(folder, target, document_bytes(target, data)):
                findings_only(folder)


@settings(max_examples=60, deadline=4000)
@given(st.data())
def test_mutations_in_two_files_at_once(folder: Path, data: st.DataObject) -> None:
    """Cross-file checks see one broken file next to another."""
    first, second = data.draw(st.lists(st.sampled_from(MUTABLE[:3] + MUTABLE[5:]), min_size=2,
                                       max_size=2, unique=True))
    one = gen.dump(data.draw(gen.mutated(gen.parse_file(BASE / first)))).encode("utf-8")
    two = gen.dump(data.draw(gen.mutated(gen.parse_file(BASE / second)))).encode("utf-8")
    with replaced(folder, first, one), replaced(folder, second, two):
        findings_only(folder)


# Hostile documents --------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("target", ["programme.yaml", "scores/ajudge.yaml", "entries/fuzz.md"])
def test_billion_laughs_is_refused(folder: Path, target: str) -> None:
    text = billion_laughs()
    raw = entry_bytes(text) if target.endswith(".md") else text.encode("utf-8")
    with replaced(folder, target, raw):
        found = findings_only(folder)
    line = 2 if target.endswith(".md") else 1
    assert (target, line, "yaml-alias") in {(f.path, f.line, f.code) for f in found}


@pytest.mark.timeout(10)
def test_billion_laughs_through_the_cli(base_copy: Path) -> None:
    (base_copy / "judges.yaml").write_text(billion_laughs(), "utf-8")
    result = run_cli(["validate", "-p", base_copy, "--format", "json"])
    assert result.exit_code == 1
    codes = {(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert ("judges.yaml", "yaml-alias") in codes


def test_an_alias_is_refused_even_where_harmless() -> None:
    with pytest.raises(yamlparse.YamlError) as caught:
        yamlparse.parse("a: &x 1\nb: 2\n")
    assert caught.value.problem.code == "yaml-alias"
    assert (caught.value.problem.line, caught.value.problem.column) == (1, 4)


DEEP = [
    "[" * 10_000,
    "[" * 10_000 + "]" * 10_000,
    "{a: " * 10_000 + "1" + "}" * 10_000,
    "- " * 10_000 + "x",
    "".join(" " * depth + "a:\n" for depth in range(200)) + " " * 200 + "b: 1\n",
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("text", DEEP, ids=["open", "closed", "flow-maps", "dashes", "block"])
@pytest.mark.parametrize("target", ["programme.yaml", "entries/fuzz.md"])
def test_deep_nesting_is_refused(folder: Path, target: str, text: str) -> None:
    raw = entry_bytes(text + "\n") if target.endswith(".md") else text.encode("utf-8")
    with replaced(folder, target, raw):
        found = findings_only(folder)
    codes = {f.code for f in found if f.path == target}
    assert codes == {"too-large"}, codes


@pytest.mark.parametrize("levels", [51, 60, 999, 1000, 1001, 5000, 10_000])
@pytest.mark.parametrize("shape", ["[", "{a: ", "- "])
def test_too_deep_is_too_large_whichever_limit_fires_first(levels: int, shape: str) -> None:
    """qsi stops at 50 levels; PyYAML 6.0.4's libyaml stops at 1000, and its scanner reads
    ahead, so for very deep flow YAML its error comes first. Both are the same finding."""
    with pytest.raises(yamlparse.YamlError) as caught:
        yamlparse.parse(shape * levels + "x")
    assert caught.value.problem.code == "too-large"
    assert caught.value.problem.line == 1
    assert "nested more than 50 levels" in caught.value.problem.message


def test_deep_nesting_is_limited_at_fifty_levels() -> None:
    """50 levels are read; 51 are refused (the root mapping is the first level)."""
    ok = "a: " + "[" * 49 + "]" * 49
    assert yamlparse.parse(ok)[0] is not None
    with pytest.raises(yamlparse.YamlError) as caught:
        yamlparse.parse("a: " + "[" * 50 + "]" * 50)
    assert caught.value.problem.code == "too-large"
    assert (caught.value.problem.line, caught.value.problem.column) == (1, 53)


@pytest.mark.parametrize("text", ["a: !!map x\n", "a: !!seq x\n", "a: !!str [1]\n",
                                  "a: !!int {b: 1}\n", "!!seq {b: 1}\n", "a: !!binary aGk=\n",
                                  "a: !!timestamp 2020-01-01\n", "a: !custom x\n"])
def test_tags_on_the_wrong_kind_of_node_are_refused(text: str) -> None:
    with pytest.raises(yamlparse.YamlError) as caught:
        yamlparse.parse(text)
    assert caught.value.problem.code == "yaml-tag"


@pytest.mark.parametrize("text, value", [("a: !!map {b: 1}", {"b": 1}), ("a: !!seq [1]", [1]),
                                         ("a: !!str 9", "9"), ("a: !!int 9", 9),
                                         ("a: !!float 9", 9.0), ("a: ! 9", "9")])
def test_standard_tags_on_the_right_kind_of_node_are_read(text: str, value: object) -> None:
    assert yamlparse.parse(text)[0] == {"a": value}
