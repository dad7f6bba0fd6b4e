"""The same inputs give byte-identical output (SPEC §4), whatever Python's string hashing.

Python randomises the hash of every str per process (PYTHONHASHSEED), so the iteration
order of a set of IDs or organisation names changes from run to run. Anything that
reaches an output through such an order (ties listed in set order, categories collected
in a set, a flag list built from a set) differs between processes while every
in-process test still passes, because one process has one hash seed. So these run the
installed `qsi` in subprocesses, each under its own PYTHONHASHSEED, on a copy of the
repository's example programme (42 entries, ties, a decision, recusals, a shortlisting
round on the rubric and a ranked final), and compare the bytes.

Bug caught: any output order that depends on set or hash order, such as judges'
progress in `status` iterated from a set of IDs, categories or flags collected in a
set, or adoption records grouped through one, or a tied group of a ranked final (the example's
falls-lifting-cushions and syringe-driver-safety share 4th place in safety-community)
listed in set order.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import QSI_ENV, copy_example, installed_qsi_path

SEEDS = ("0", "1", "12345")
# The example programme: everything qsi reads, without the repository around it (outside
# git, only submitted: dates count, so the output cannot depend on the clone).
PROGRAMME = ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
             "adoption.yaml", "entries", "scores", "rounds", "templates")
COMMANDS = {
    "tally json": ["tally", "--format", "json"],
    "tally csv": ["tally", "--format", "csv"],
    "tally markdown": ["tally", "--format", "markdown"],
    "tally table": ["tally"],
    "tally explain": ["tally", "--explain", "falls-lifting-cushions"],
    "tally shortlisting json": ["tally", "--round", "shortlisting", "--format", "json"],
    "tally shortlisting zscore json": ["tally", "--round", "shortlisting", "--method", "zscore",
                                       "--format", "json"],
    "calibration json": ["calibration", "--format", "json"],
    "status json": ["status", "--format", "json", "--today", "2020-02-15"],
    "status markdown": ["status", "--format", "markdown", "--today", "2020-02-15"],
    "status final json": ["status", "--format", "json", "--today", "2020-02-26"],
    "adoption markdown": ["adoption", "--format", "markdown"],
    # workbooks: openpyxl dates every one now, which must not reach the bytes either
    "tally xlsx": ["tally", "--format", "xlsx"],
    "status xlsx": ["status", "--format", "xlsx", "--today", "2020-02-15"],
    "adoption xlsx": ["adoption", "--format", "xlsx"],
    "calibration xlsx": ["calibration", "--format", "xlsx"],
    "compare xlsx": ["compare", ".", "--today", "2020-05-01", "--format", "xlsx"],
}


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("determinism") / "programme", PROGRAMME)


def run(args: list[str], programme: Path, seed: str) -> bytes:
    """The installed qsi's standard output, as bytes, under PYTHONHASHSEED=seed."""
    executable = installed_qsi_path()
    if executable is None:
        pytest.fail("the qsi executable is not installed; run 'pip install -e .'")
    environment = {k: v for k, v in os.environ.items() if k not in QSI_ENV}
    # a fixed terminal width for the table (no colour codes: standard output is a pipe)
    environment.update({"PYTHONHASHSEED": seed, "COLUMNS": "120", "LC_ALL": "C.UTF-8"})
    done = subprocess.run([executable, *args, "-p", str(programme)], cwd=programme,
                          env=environment, capture_output=True, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (0, b""), (args, seed, done.stderr)
    return done.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_output_is_the_same_bytes_under_every_hash_seed(programme: Path, name: str) -> None:
    outputs = {seed: run(COMMANDS[name], programme, seed) for seed in SEEDS}
    assert outputs["0"], name
    different = [seed for seed in SEEDS if outputs[seed] != outputs["0"]]
    assert not different, f"{name}: output under PYTHONHASHSEED {different} differs from 0"


RENDERED = {"calendar": "calendar.ics", "posts": "posts.csv"}


@pytest.mark.parametrize("kind", RENDERED)
def test_rendered_files_are_the_same_bytes_under_every_hash_seed(
        programme: Path, tmp_path: Path, kind: str) -> None:
    """The call for entries' files (issue 15): the calendar's UIDs and DTSTAMP, the posts."""
    outputs = {}
    for seed in SEEDS:
        out = tmp_path / seed
        run(["render", kind, "--out", str(out), "--today", "2020-04-01"], programme, seed)
        outputs[seed] = (out / RENDERED[kind]).read_bytes()
    assert outputs["0"]
    assert all(data == outputs["0"] for data in outputs.values()), kind
