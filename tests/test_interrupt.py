"""Interruption safety: killing `qsi assign` or `qsi render` at any moment (SIGKILL,
SIGTERM, Ctrl-C) leaves every file either as it was or as a complete run would leave
it — never half-written — and a re-run finishes the job."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import installed_qsi_path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

pytestmark = pytest.mark.slow


def files(root: Path) -> dict[str, bytes]:
    """The visible files under root: none hidden, nor in a hidden folder (a render's
    staging folder, which a SIGKILL leaves)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".")
                                       for part in p.relative_to(root).parts)}


def qsi() -> list[str]:
    """The installed qsi (beside this Python first, as in a virtual environment)."""
    exe = installed_qsi_path()
    return [exe] if exe else [sys.executable, "-m", "qsi_awards"]


@pytest.fixture(scope="module")
def unassigned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """A programme with no score sheets, what a full assign leaves, and how long it takes."""
    root = generate(tmp_path_factory.mktemp("gen") / "p", entries=150, judges=25, seed=3)
    for sheet in (root / "scores").iterdir():
        sheet.unlink()
    complete = tmp_path_factory.mktemp("complete") / "p"
    shutil.copytree(root, complete)
    started = time.perf_counter()
    subprocess.run([*qsi(), "assign", "-p", str(complete)], check=True, capture_output=True)
    return root, files(complete), time.perf_counter() - started


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killing_assign_never_leaves_a_half_written_sheet(
        unassigned: tuple[Path, dict[str, bytes], float], tmp_path: Path,
        sig: signal.Signals) -> None:
    source, after, full_run = unassigned
    before = files(source)
    rnd = random.Random(int(sig))
    for attempt in range(3):
        work = tmp_path / f"run{attempt}"
        shutil.copytree(source, work)
        process = subprocess.Popen([*qsi(), "assign", "-p", str(work)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rnd.uniform(0.0, full_run))
        if process.poll() is None:
            os.kill(process.pid, sig)
        _, err = process.communicate(timeout=60)
        # a signal during the interpreter's own start-up makes Python print its own
        # message; from the moment qsi's code runs, there is never a traceback
        assert b"Traceback" not in err or b"qsi_awards/" not in err, err.decode()
        leftovers = [p.name for p in work.rglob(".*.tmp")]
        if sig != signal.SIGKILL:  # a catchable signal removes the write in progress
            assert leftovers == []
        state = files(work)
        for name, data in state.items():
            assert data in (before.get(name), after.get(name)), name
        assert set(state) <= set(before) | set(after)
        subprocess.run([*qsi(), "assign", "-p", str(work)], check=True, capture_output=True)
        assert files(work) == after


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example programme before and after an edit (titles changed, one entry's
    consent withdrawn), and the site and certificates each version renders."""
    repo = Path(__file__).resolve().parent.parent
    before_programme = tmp_path_factory.mktemp("before") / "p"
    before_programme.mkdir()
    for name in ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                 "adoption.yaml"):
        shutil.copy(repo / name, before_programme / name)
    for sub in ("entries", "scores", "rounds", "templates"):
        shutil.copytree(repo / sub, before_programme / sub)
    after_programme = tmp_path_factory.mktemp("after") / "p"
    shutil.copytree(before_programme, after_programme)
    for entry in (after_programme / "entries").glob("*.md"):
        text = entry.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Revised - ", 1)
        if entry.stem == "copd-peer-support":
            text = text.replace("consent_to_publish: true", "consent_to_publish: false")
        entry.write_text(text, encoding="utf-8")
    out: dict[str, Any] = {"before": before_programme, "after": after_programme}
    for kind in ("site", "certificates"):
        for version in ("before", "after"):
            folder = tmp_path_factory.mktemp(f"{kind}-{version}")
            started = time.perf_counter()
            subprocess.run([*qsi(), "render", kind, "-p", str(out[version]), "--out",
                            str(folder)], check=True, capture_output=True)
            out[f"{kind}-{version}"] = (folder, time.perf_counter() - started)
    return out


@pytest.mark.parametrize("kind", ["site", "certificates"])
def test_killing_render_leaves_each_output_old_or_new(renders: dict[str, Any], tmp_path: Path,
                                                      kind: str) -> None:
    old_folder, _ = renders[f"{kind}-before"]
    new_folder, full_run = renders[f"{kind}-after"]
    old, new = files(old_folder), files(new_folder)
    assert old != new
    if kind == "site":
        assert set(old) - set(new)  # the page of the entry that withdrew consent goes
    rnd = random.Random(kind)
    for attempt, sig in enumerate([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]):
        work = tmp_path / f"out{attempt}"
        shutil.copytree(old_folder, work)
        process = subprocess.Popen([*qsi(), "render", kind, "-p", str(renders["after"]),
                                    "--out", str(work)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rnd.uniform(0.0, full_run * 1.1))
        if process.poll() is None:
            os.kill(process.pid, sig)
        _, err = process.communicate(timeout=120)
        assert b"Traceback" not in err or b"qsi_awards/" not in err, err.decode()
        if sig != signal.SIGKILL:
            assert [p.name for p in work.rglob(".*.tmp")] == []
            assert list(work.glob(".qsi-staging-*")) == []
        for name, data in files(work).items():
            assert data in (old.get(name), new.get(name)), name
        subprocess.run([*qsi(), "render", kind, "-p", str(renders["after"]), "--out",
                        str(work)], check=True, capture_output=True)
        assert files(work) == new
        assert list(work.glob(".qsi-staging-*")) == []  # a killed run's, removed
