"""Shared test helpers: example programmes, overlays, the CLI, git and the installed `qsi`.

Example programmes live under tests/examples/:

- ``base/`` is a small, valid programme every case starts from;
- ``negative/<case>/`` is an *overlay* on ``base``: only the files that differ, plus a
  ``case.yaml`` (see :class:`Case`) saying what ``qsi validate`` must report.

Helpers (plain functions, importable as ``from conftest import ...``):

- :func:`copy_base` / :func:`build_case` copy ``base`` (and apply an overlay) to a
  temporary folder, so no test ever changes a committed file;
- :func:`run_cli` runs the command line in-process through typer's ``CliRunner`` with
  ``catch_exceptions=False``, as ``qsi --debug ...``: an exception the CLI did not expect
  (which it turns into exit 2) fails the test with its traceback (a ``QsiError`` becomes
  ``qsi: message`` on stderr and its exit code there);
- :func:`git` / :func:`git_init` / :func:`git_commit_all` build real repositories (branch
  ``main``, a fixed author, no global or system git configuration);
- :func:`findings_of` parses ``--format json`` output.

Hypothesis strategies for hostile YAML live in tests/strategies.py.

Fixtures: ``base_copy`` (a fresh copy of ``base``), ``installed_qsi`` (runs the installed
``qsi`` executable in a subprocess) and an autouse fixture that removes the environment
variables which change qsi's output (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, NO_COLOR), so the
suite behaves the same on a laptop and inside GitHub Actions.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXAMPLES = TESTS / "examples"
BASE = EXAMPLES / "base"
NEGATIVE = EXAMPLES / "negative"

# Environment variables that change what qsi prints; removed for every test.
QSI_ENV = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_NAME", "NO_COLOR")

GIT_AUTHOR = ("-c", "user.name=QSI Tests", "-c", "user.email=qsi-tests@example.invalid",
              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests marked `slow` first, each module's in their order. With `-n 2` a
    test of a minute or more collected last (test_workflow's pre-commit hook, say) kept
    one worker busy long after the other had finished; started first, the many short
    tests fill in beside it. A module whose tests share a module-scoped fixture is
    marked as a whole (`pytestmark`), so its tests stay together and the fixture is
    made once."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# Example programmes and overlays -----------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One finding a case must produce. ``column`` None means "not checked"."""

    path: str
    line: int | None
    code: str
    column: int | None = None


@dataclass(frozen=True)
class Case:
    """A negative example: ``tests/examples/negative/<name>/case.yaml``.

    Keys of case.yaml:

    - ``expect``: findings that must be present, each ``{path, line, code}`` and an optional
      ``column`` (``line: null`` for a finding about a whole file, such as a bad file name);
    - ``exit``: the exit code of ``qsi validate`` (1 for errors; 0 for warnings only, in
      which case ``--strict`` must give 1);
    - ``remove``: paths (files or folders, relative to the programme) to delete from base;
    - ``make``: things that must not be committed as files, each one of
      ``{symlink: P, target: T}`` (T absolute, or relative to the programme folder),
      ``{big: P, bytes: N}`` (N bytes of text), ``{bytes: P, hex: H}`` (exact bytes) or
      ``{mkdir: P}``;
    - ``about``: one line saying what the case shows.
    """

    name: str
    folder: Path
    expect: tuple[Expected, ...]
    exit: int
    remove: tuple[str, ...] = ()
    make: tuple[Mapping[str, Any], ...] = ()
    about: str = ""

    @classmethod
    def load(cls, folder: Path) -> Case:
        raw = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
        unknown = set(raw) - {"expect", "exit", "remove", "make", "about"}
        if unknown:
            raise ValueError(f"{folder.name}/case.yaml: unknown keys {sorted(unknown)}")
        expect = []
        for item in raw["expect"]:
            extra = set(item) - {"path", "line", "column", "code"}
            if extra:
                raise ValueError(f"{folder.name}/case.yaml: unknown keys {sorted(extra)}")
            expect.append(Expected(item["path"], item["line"], item["code"], item.get("column")))
        if not expect:
            raise ValueError(f"{folder.name}/case.yaml expects nothing")
        return cls(folder.name, folder, tuple(expect), int(raw["exit"]),
                   tuple(raw.get("remove", ())), tuple(raw.get("make", ())),
                   str(raw.get("about", "")))


def negative_cases() -> list[Case]:
    """Every negative example, sorted by name."""
    return [Case.load(folder) for folder in sorted(NEGATIVE.iterdir())
            if (folder / "case.yaml").is_file()]


# The example programme's own files and folders: what qsi reads of the repository root,
# without the package, the tests and the bench around it.
EXAMPLE_PARTS = ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                 "adoption.yaml", "entries", "scores", "rounds", "templates", "PRIVACY.md",
                 "forms")


def copy_example(dest: Path, parts: tuple[str, ...] = EXAMPLE_PARTS) -> Path:
    """Copy the example programme's `parts` (all of them by default) into the new folder
    ``dest``; returns ``dest``."""
    dest.mkdir(parents=True)
    for name in parts:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def copy_base(dest: Path, source: Path = BASE) -> Path:
    """Copy a programme folder (``base`` by default) to ``dest``; returns ``dest``."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def apply_overlay(overlay: Path, dest: Path, case: Case | None = None) -> Path:
    """Copy the files of ``overlay`` (except case.yaml) over ``dest``, then apply the
    case's ``remove`` and ``make`` lists (``case`` defaults to overlay/case.yaml, if any)."""
    if case is None and (overlay / "case.yaml").is_file():
        case = Case.load(overlay)
    if case is not None:
        for rel in case.remove:
            target = dest / rel
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
    for source in sorted(overlay.rglob("*")):
        relative = source.relative_to(overlay)
        if relative == Path("case.yaml") or source.is_dir():
            continue
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest / relative)
    if case is not None:
        for item in case.make:
            _make(dest, item)
    return dest


def _make(dest: Path, item: Mapping[str, Any]) -> None:
    if "symlink" in item:
        link = dest / item["symlink"]
        target = Path(item["target"])
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target if target.is_absolute() else dest / target)
    elif "big" in item:
        path = dest / item["big"]
        line = "All work and no play makes a very long entry.\n"
        size = int(item["bytes"])
        path.write_text((line * (size // len(line) + 1))[:size], "utf-8")
    elif "bytes" in item:
        (dest / item["bytes"]).write_bytes(bytes.fromhex(item["hex"]))
    elif "mkdir" in item:
        (dest / item["mkdir"]).mkdir(parents=True)
    else:
        raise ValueError(f"unknown make item {dict(item)}")


def build_case(case: Case, tmp_path: Path) -> Path:
    """A programme folder under ``tmp_path``: base with the case's overlay applied."""
    return apply_overlay(case.folder, copy_base(tmp_path / case.name), case)


@pytest.fixture
def base_copy(tmp_path: Path) -> Path:
    """A fresh copy of tests/examples/base, to change freely."""
    return copy_base(tmp_path / "programme")


# The command line ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in QSI_ENV:
        monkeypatch.delenv(name, raising=False)


def run_cli(args: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str] | None = None,
            cwd: Path | None = None) -> Result:
    """Run ``qsi ARGS`` in-process (``CliRunner``, exceptions not caught).

    ``env`` adds environment variables for this run only; ``cwd`` runs it in that folder.
    ``result.stdout`` and ``result.stderr`` are separate; ``result.exit_code`` is the code.
    """
    from qsi_awards.cli import app

    runner = CliRunner()
    argv = [str(arg) for arg in args]
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        # under --debug, a bug in qsi (which the CLI turns into exit 2) fails the test
        # with its traceback, rather than passing for a "could not run"
        result = runner.invoke(app, ["--debug", *argv] if argv else argv,
                               env=dict(env or {}), catch_exceptions=False)
    if "qsi: something went wrong inside qsi" in result.stderr:
        pytest.fail(f"qsi {' '.join(argv)} crashed:\n{result.stderr}")
    return result


def findings_of(output: str) -> dict[str, Any]:
    """The document ``qsi validate --format json`` printed."""
    document: dict[str, Any] = json.loads(output)
    return document


def installed_qsi_path() -> str | None:
    """The installed ``qsi`` executable: next to this Python first, else on PATH."""
    beside = Path(sys.executable).parent / "qsi"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("qsi")


RunQsi = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def installed_qsi() -> RunQsi:
    """Run the installed ``qsi`` executable: ``installed_qsi("validate", "-p", dir,
    cwd=..., env={...})`` returns the CompletedProcess (text, output captured, never
    raising on a non-zero exit). ``env`` is added to a copy of the environment without
    the variables in QSI_ENV."""
    executable = installed_qsi_path()
    if executable is None:
        pytest.fail("the qsi executable is not installed; run 'pip install -e .'")

    def run(*args: str | os.PathLike[str], cwd: Path | None = None,
            env: Mapping[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k not in QSI_ENV}
        environment.update(env or {})
        return subprocess.run([executable, *(str(arg) for arg in args)], cwd=cwd,
                              env=environment, capture_output=True, text=True,
                              timeout=timeout, check=False)

    return run


# git ----------------------------------------------------------------------------------


def _git_env() -> dict[str, str]:
    environment = dict(os.environ)
    environment.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_TERMINAL_PROMPT": "0"})
    return environment


def git(repo: Path, *args: str) -> str:
    """Run ``git ARGS`` in ``repo`` with a fixed author and no user configuration;
    returns standard output and raises CalledProcessError (with its output) on failure."""
    done = subprocess.run(["git", *GIT_AUTHOR, *args], cwd=repo, env=_git_env(),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, ["git", *args], done.stdout,
                                            done.stderr)
    return done.stdout


def git_init(repo: Path) -> Path:
    """Make ``repo`` (created if needed) a new repository on branch ``main``."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def git_commit_all(repo: Path, message: str = "commit") -> str:
    """Stage everything and commit; returns the new commit's hash."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()



@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """What loading froze for the cycle collector (programme.collector_paused) unfrozen
    after each test: a test process runs many commands, not one."""
    yield
    gc.unfreeze()
