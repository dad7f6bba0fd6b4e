"""A render holds one output file at a time, not the whole run: each file is staged
under --out as it is made (render/output.py), so a site of 10,000 pages fits in the
memory of one. Measured in-process with tracemalloc, as the growth of the render's peak
from a programme of 100 entries to one of 300 against the growth of what it writes."""

from __future__ import annotations

import importlib.util
import tracemalloc
from pathlib import Path

import pytest

from qsi_awards.programme import open_programme
from qsi_awards.render import run

BENCH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"

pytestmark = pytest.mark.slow


def generate(root: Path, entries: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made: Path = module.generate(root, entries, 10, sheets="scored")
    return made


def peak_and_written(programme: Path, out: Path) -> tuple[int, int]:
    """The peak of memory allocated while `qsi render site` runs (after a first run has
    compiled the templates), and the bytes it wrote."""
    loaded = open_programme(programme)
    run("site", loaded, out / "first")
    tracemalloc.start()
    try:
        run("site", loaded, out / "measured")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    written = sum(p.stat().st_size for p in (out / "measured").rglob("*") if p.is_file())
    return peak, written


def test_the_site_is_written_page_by_page(tmp_path: Path) -> None:
    small_peak, small_written = peak_and_written(generate(tmp_path / "p100", 100),
                                                tmp_path / "out100")
    big_peak, big_written = peak_and_written(generate(tmp_path / "p300", 300),
                                             tmp_path / "out300")
    assert big_written - small_written > 3_000_000  # 200 more pages of about 17 KB
    # holding every page until the end grew the peak by more than the pages themselves
    assert big_peak - small_peak < (big_written - small_written) / 2
