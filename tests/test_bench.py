"""bench/run.py runs every command it measures, on tiny programmes, and reports each in
its table: structure only, never timings (these sizes say nothing about speed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import QSI_ENV, installed_qsi_path

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"
SMALL, BIG = 20, 40

# every command bench/run.py measures unless --only names it (packs-pdf is opt-in)
ROWS = [
    "floor: read, split, yaml.CSafeLoader",
    "floor, unscored sheets",
    "floor, empty score sheets",
    "qsi validate --format json",
    "qsi tally --format json",
    "qsi assign --dry-run (empty sheets)",
    "qsi render shortlist",
    "qsi render announcement",
    "qsi render site",
    "qsi render certificates",
    "qsi render packs, HTML only",
    "qsi render workbooks",
    "qsi render entry-form",
    "qsi import scores (every workbook, unscored sheets)",
    "qsi import entries (Forms export, CSV)",
]
QUICK_ROWS = ["python -c pass", "start-up floor: import typer, pydantic and qsi's models",
              "qsi --help", "qsi validate, example programme"]
WALL = re.compile(r"\d+ ms|\d+\.\d\d s")
RATIO = re.compile(r"\d+\.\d+×")


@dataclass(frozen=True)
class Ran:
    work: Path
    returncode: int
    stderr: str
    tables: list[list[list[str]]]  # each Markdown table's rows (after its header) of cells


def tables(markdown: str) -> list[list[list[str]]]:
    found: list[list[list[str]]] = []
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    for line in lines:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == "command":
            found.append([])
        elif not set(line) <= set("|-:"):
            found[-1].append(cells)
    return found


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    work = tmp_path_factory.mktemp("bench")
    environment = {k: v for k, v in os.environ.items() if k not in QSI_ENV}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--small", str(SMALL), "--entries", str(BIG), "--runs",
         "1", "--judges", "5", "--markdown", "--work", str(work)],
        capture_output=True, text=True, env=environment, timeout=280, check=False)
    return Ran(work, done.returncode, done.stderr, tables(done.stdout))


def test_the_bench_runs_every_command(ran: Ran) -> None:
    # 1 is a target missed, which tiny programmes do (start-up is all of their time)
    assert ran.returncode in (0, 1), ran.stderr
    assert "Traceback" not in ran.stderr
    assert len(ran.tables) == 2


def test_every_command_has_a_row_with_every_figure(ran: Ran) -> None:
    rows = ran.tables[0]
    assert [row[0] for row in rows] == ROWS
    for row in rows:
        label, wall_small, ratio_small, wall_big, ratio_big, rss, growth, target, result = row
        assert WALL.fullmatch(wall_small) and WALL.fullmatch(wall_big), row
        assert RATIO.fullmatch(ratio_small) and RATIO.fullmatch(ratio_big), row
        assert RATIO.fullmatch(growth), row
        assert rss.endswith("MiB"), row
        if label.startswith("floor"):
            assert (target, result) == ("baseline", ""), row
        else:
            assert "≤ 300 MiB" in target, row
            assert result == "PASS" or result.startswith("FAIL: "), row


def test_the_imports_are_held_to_growth(ran: Ran) -> None:
    targets = {row[0]: row[7] for row in ran.tables[0]}
    for label in ("qsi import scores (every workbook, unscored sheets)",
                  "qsi import entries (Forms export, CSV)"):
        assert targets[label] == "≤ 300 MiB, growth ≤ 11×"
    assert targets["qsi render workbooks"] == "≤ 300 MiB"


def test_the_quick_table(ran: Ran) -> None:
    assert [row[0] for row in ran.tables[1]] == QUICK_ROWS


def test_the_imports_do_the_whole_work(ran: Ran) -> None:
    """The workbooks the bench imports hold every score the scored programme gives (so
    the unscored copy they were imported into tallies the same), and the Forms export
    makes every entry."""
    qsi = installed_qsi_path()
    assert qsi is not None

    def tally(programme: Path) -> str:
        done = subprocess.run([qsi, "tally", "-p", str(programme), "--format", "json"],
                              capture_output=True, text=True, check=True)
        return done.stdout

    imported = ran.work / "fresh" / f"import-scores-{BIG}"
    assert tally(imported) == tally(ran.work / f"scored{BIG}")
    made = ran.work / "fresh" / f"import-entries-{BIG}" / "entries"
    assert len(list(made.glob("*.md"))) == BIG
