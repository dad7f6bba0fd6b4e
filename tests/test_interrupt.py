"""Interruption safety: killing `qsi assign` at any moment leaves every file either as
it was or as a complete run would leave it — never half-written — and a re-run
finishes the job. (Rendering has its own test in the render suite.)"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def qsi() -> list[str]:
    exe = shutil.which("qsi")
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
