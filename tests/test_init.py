"""qsi init DIR (Part 3): a complete programme that validates straight away, against
qsi validate and the committed JSON Schemas, and never overwrites anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import qsi_awards
from conftest import REPO, findings_of, run_cli
from qsi_awards.load import split_front_matter, yamlparse
from qsi_awards.writes import init

TEMPLATES = Path(qsi_awards.__file__).parent / "templates"


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def parse_yaml(text: str) -> Any:
    data, problems = yamlparse.parse(text)
    assert problems == []
    return data


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "sussex"
    result = run_cli(["init", target, "--region", "Sussex", "--edition", "2025",
                      "--hashtag", "SussexQSI", "--maintainer", "sussex-lead",
                      "--maintainer", "@sussex-admin"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Created a programme in {target} (")
    return target


def test_complete_programme(scaffold: Path) -> None:
    names = set(files_under(scaffold))
    assert {"programme.yaml", "categories.yaml", "judges.yaml", "README.md", ".gitignore",
            ".github/workflows/qsi.yml", ".github/CODEOWNERS",
            "entries/example-repeat-prescribing.md"} <= names
    assert {f"schemas/{kind}.json" for kind in ("programme", "categories", "judges", "entry",
                                                "scores", "decisions", "adoption")} <= names
    # whatever default templates the package holds, copied byte for byte
    if TEMPLATES.is_dir():
        for path in TEMPLATES.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(TEMPLATES).as_posix()
                assert (scaffold / "templates" / rel).read_bytes() == path.read_bytes()
    settings = parse_yaml((scaffold / "programme.yaml").read_text("utf-8"))
    assert [c["id"] for c in settings["rubric"]["criteria"]] == [
        "ambition", "collaboration", "impact", "spread", "sustainability"]
    categories = parse_yaml((scaffold / "categories.yaml").read_text("utf-8"))["categories"]
    assert len(categories) == 8
    root_categories = parse_yaml((REPO / "categories.yaml").read_text("utf-8"))["categories"]
    assert categories == root_categories  # the seed categories of the proposal
    assert parse_yaml((scaffold / "judges.yaml").read_text("utf-8")) == {"judges": []}
    readme = (scaffold / "README.md").read_text("utf-8")
    assert readme.startswith("# Sussex Quality, Safety & Improvement Awards 2025\n")
    assert "@@" not in "".join(p.read_text("utf-8") for p in scaffold.rglob("*")
                               if p.is_file() and p.suffix in (".md", ".yaml", ".yml", ""))


def test_options(scaffold: Path) -> None:
    settings = parse_yaml((scaffold / "programme.yaml").read_text("utf-8"))
    assert settings["name"] == "Sussex Quality, Safety & Improvement Awards"
    assert settings["edition"] == "2025"
    assert settings["region"] == "Sussex"
    assert settings["hashtag"] == "#SussexQSI"
    assert settings["maintainers"] == ["sussex-lead", "sussex-admin"]
    dates = {m["id"]: m["date"] for m in settings["timeline"]}
    assert dates["deadline"] == "2025-02-01" and dates["ceremony"] == "2025-04-01"
    assert dates["marketing"] < dates["deadline"] < dates["judging"] < dates["ceremony"]


def test_validates_straight_away(scaffold: Path) -> None:
    result = run_cli(["validate", "-p", scaffold, "--format", "json"])
    assert result.exit_code == 0, result.stdout
    document = findings_of(result.stdout)
    assert document["summary"]["errors"] == 0
    # the only thing left to do: judges for the example entry
    assert {f["code"] for f in document["findings"]} <= {"too-few-judges"}
    assert run_cli(["status", "-p", scaffold, "--today", "2024-12-01"]).exit_code == 0


def test_matches_the_committed_schemas(scaffold: Path) -> None:
    schemas = {p.stem: json.loads(p.read_text("utf-8")) for p in (REPO / "schemas").glob("*.json")}
    for name in ("programme", "categories", "judges"):
        data = parse_yaml((scaffold / f"{name}.yaml").read_text("utf-8"))
        jsonschema.Draft202012Validator(schemas[name]).validate(data)
    for entry in (scaffold / "entries").glob("*.md"):
        split = split_front_matter(entry.read_text("utf-8"))
        assert not isinstance(split, str)
        jsonschema.Draft202012Validator(schemas["entry"]).validate(parse_yaml(split[0]))
    for path in (scaffold / "schemas").glob("*.json"):
        assert json.loads(path.read_text("utf-8")) == schemas[path.stem]


def test_codeowners_is_what_qsi_codeowners_prints(scaffold: Path) -> None:
    printed = run_cli(["codeowners", "-p", scaffold]).stdout
    assert (scaffold / ".github" / "CODEOWNERS").read_text("utf-8") == printed
    assert "\n* @sussex-lead @sussex-admin\n" in printed


def test_the_new_programme_runs(tmp_path: Path) -> None:
    """Defaults work too, and the next steps (a new entry, a tally) run in the scaffold."""
    target = tmp_path / "plain"
    assert run_cli(["init", target]).exit_code == 0
    settings = parse_yaml((target / "programme.yaml").read_text("utf-8"))
    assert settings["name"] == "Quality, Safety & Improvement Awards"
    assert settings["hashtag"] == "#QSIAwards" and "region" not in settings
    assert settings["maintainers"] == []
    assert run_cli(["validate", "-p", target]).exit_code == 0
    tally = json.loads(run_cli(["tally", "-p", target, "--format", "json"]).stdout)
    assert len(tally["categories"]) == 8  # nothing judged yet: the example is incomplete
    created = run_cli(["new", "entry", "-p", target, "-c", "qi-community", "-t", "Leg clubs"])
    assert created.exit_code == 0 and (target / "entries" / "leg-clubs.md").is_file()


def test_refuses_to_overwrite(scaffold: Path, tmp_path: Path) -> None:
    before = files_under(scaffold)
    again = run_cli(["init", scaffold])
    assert again.exit_code == 2 and "already holds a programme" in again.stderr
    assert files_under(scaffold) == before
    # any one file in the way stops everything
    partial = tmp_path / "partial"
    (partial / ".github").mkdir(parents=True)
    (partial / ".github" / "CODEOWNERS").write_text("* @someone\n", "utf-8")
    (partial / "notes.txt").write_text("keep me\n", "utf-8")
    before = files_under(partial)
    result = run_cli(["init", partial])
    assert result.exit_code == 2 and ".github/CODEOWNERS" in result.stderr
    assert "never overwrites" in result.stderr and "Traceback" not in result.output
    assert files_under(partial) == before
    # a folder on the way that is a link (it could lead anywhere)
    linked = tmp_path / "linked"
    linked.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (linked / "templates").symlink_to(tmp_path / "elsewhere")
    result = run_cli(["init", linked])
    assert result.exit_code == 2 and "templates" in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
    # a file where the folder should be
    a_file = tmp_path / "file"
    a_file.write_text("x", "utf-8")
    assert run_cli(["init", a_file]).exit_code == 2
    # an empty folder is fine
    (tmp_path / "empty").mkdir()
    assert run_cli(["init", tmp_path / "empty"]).exit_code == 0


def test_handles_that_look_like_numbers_or_booleans_validate(tmp_path: Path) -> None:
    """Maintainers 1234 and no, written plain, would be a number and false: the new
    programme would fail its own validation."""
    target = tmp_path / "numbers"
    result = run_cli(["init", target, "--maintainer", "1234", "--maintainer", "no",
                      "--maintainer", "@007"])
    assert result.exit_code == 0, result.output
    settings = parse_yaml((target / "programme.yaml").read_text("utf-8"))
    assert settings["maintainers"] == ["1234", "no", "007"]
    validate = run_cli(["validate", "-p", target])
    assert validate.exit_code == 0, validate.output
    assert "\n* @1234 @no @007\n" in (target / ".github" / "CODEOWNERS").read_text("utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--hashtag", "#two words"], "is not a hashtag"),
    (["--hashtag", "#Café"], "is not a hashtag"),  # validate takes ASCII letters only
    (["--name", " "], "--name as text on one line"),
    (["--edition", "2025\n2026"], "--edition as text on one line"),
    (["--maintainer", "not a handle"], "is not a GitHub handle"),
    (["--action", "no-ref"], "OWNER/REPO@REF"),
])
def test_bad_options_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    target = tmp_path / "new"
    result = run_cli(["init", target, *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not target.exists()


def test_failed_write_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    from qsi_awards.fileio import write_bytes_atomic as real

    def failing(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(init, "write_bytes_atomic", failing)
    target = tmp_path / "deep" / "new"
    result = run_cli(["init", target])
    assert result.exit_code == 2 and "nothing was written" in result.stderr
    assert not (tmp_path / "deep").exists()


def test_plan_is_deterministic() -> None:
    options = init.Options(region="Kent & Medway", edition="2021")
    first = init.plan(options)
    assert first == init.plan(options)
    assert b'hashtag: "#KMQSIAwards"' in first["programme.yaml"]
    workflow = first[".github/workflows/qsi.yml"].decode()
    assert f"uses: {init.DEFAULT_ACTION}\n" in workflow


@pytest.mark.parametrize("command", [["init"], ["new"], ["new", "entry"], ["guard"],
                                     ["codeowners"], ["adoption"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run_cli([*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_scaffold_is_package_data() -> None:
    """pyproject ships writes/scaffold/**/*, and package-data globs skip dot files: the scaffold
    names them 'dot-...' instead, and qsi init restores the dot."""
    scaffold = Path(qsi_awards.__file__).parent / "writes" / "scaffold"
    files = [p.relative_to(scaffold) for p in scaffold.rglob("*") if p.is_file()]
    assert files and not [p for p in files if any(part.startswith(".") for part in p.parts)]
    assert '"writes/scaffold/**/*"' in (REPO / "pyproject.toml").read_text("utf-8")


def test_privacy_notice_and_consent_wording(scaffold: Path) -> None:
    """PRIVACY.md is a template for the information governance lead, the README links
    to it, and the entry form's consent and privacy wording is in programme.yaml, written
    from the one source qsi has for it (the model's defaults), with the retention rules."""
    from qsi_awards.model import Retention
    from qsi_awards.model.programme import CONSENT_TO_PUBLISH, PRIVACY

    notice = (scaffold / "PRIVACY.md").read_text("utf-8")
    assert notice.startswith("# Privacy notice: Sussex Quality, Safety & Improvement Awards "
                             "2025\n\n> **This is a template, not yet a privacy notice.**")
    assert "information governance lead" in notice and "[organisation, address]" in notice
    readme = (scaffold / "README.md").read_text("utf-8")
    assert "[PRIVACY.md](PRIVACY.md)" in readme and "qsi person" in readme
    settings = parse_yaml((scaffold / "programme.yaml").read_text("utf-8"))
    assert settings["entry_form"] == {"consent_to_publish": CONSENT_TO_PUBLISH,
                                      "privacy": PRIVACY}
    assert settings["retention"] == Retention().model_dump()
    form = run_cli(["render", "entry-form", "-p", scaffold, "--out", scaffold.parent / "form"])
    assert form.exit_code == 0
    page = (scaffold.parent / "form" / "entry-form.html").read_text("utf-8")
    assert "The lead&#39;s e-mail address is never published." in page  # the form shows it


def test_scaffolds_the_registers_with_the_seed_risks(scaffold: Path) -> None:
    """registers/ with the Q Exchange proposal's risks, valid against the schemas, and
    shown by qsi status (the edition is 2025: the steering group reviews in October 2024)."""
    schemas = {p.stem: json.loads(p.read_text("utf-8")) for p in (REPO / "schemas").glob("*.json")}
    for name in ("risks", "actions", "issues", "lessons", "decision-log", "stakeholders"):
        data = parse_yaml((scaffold / "registers" / f"{name}.yaml").read_text("utf-8"))
        jsonschema.Draft202012Validator(schemas[name]).validate(data)
    risks = parse_yaml((scaffold / "registers" / "risks.yaml").read_text("utf-8"))
    assert risks["appetite"] == 12
    assert risks["risks"][0]["title"] == (
        "Difficult to get much enthusiasm for the awards, so few projects are submitted")
    assert risks["risks"][0]["review"] == "2024-10-01"
    status = json.loads(run_cli(["status", "-p", scaffold, "--today", "2024-12-01",
                                 "--format", "json"]).stdout)
    assert [r["id"] for r in status["registers"]["risks"]] == ["low-enthusiasm",
                                                                "existing-awards"]
    assert [a["id"] for a in status["registers"]["overdue_actions"]] == ["comms-strategy"]
    assert [p["id"] for p in status["registers"]["stakeholders"]] == ["steering-group",
                                                                     "providers"]
