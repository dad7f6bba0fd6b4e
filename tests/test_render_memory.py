"""Memory. A render holds one output file at a time, not the whole run: each file is staged
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


# A Forms export is read without a copy of it four bytes a character ---------------------

@pytest.mark.parametrize("text", [
    "", "a", "a,b\n", "a,b\r\nc,d\r\n", "a\rb\rc", "a\n\nb", "\r\n\r\n", "x\r", "\n",
    'a,"two\r\nlines"\r\nb,"cr\ronly"\n', "line\u2028sep,\x0bv\x0c,\x1c\x85end",
    "no ending", "é,ü\r\n中文\n"])
def test_an_export_is_split_into_lines_as_stringio_splits_it(text: str) -> None:
    import io

    from qsi_awards.load.forms import lines

    assert list(lines(text)) == list(io.StringIO(text, newline=""))


def test_a_csv_export_is_read_in_little_more_than_its_size(tmp_path: Path) -> None:
    from qsi_awards.load.forms import read_export

    export = tmp_path / "export.csv"
    row = "1,2026-01-12,Someone,some.one@example.nhs.uk," + "words " * 300 + "\n"
    export.write_text("ID,Start time,Name,Email,Answer\n" + row * 4000, "utf-8")
    size = export.stat().st_size  # about 7 MB
    tracemalloc.start()
    try:
        table = read_export(export, "export.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table.rows) == 4000
    # the bytes, their text and the cells: io.StringIO's copy of the text alone was 4×
    assert peak < 4 * size
