"""A programme without `rounds:` behaves exactly as before judging in rounds was merged
(issue 13): every output of tests/examples/no-rounds/ (the example programme as it was,
judged in one round) is the same as the one qsi made at commit c0bfec7, byte for byte,
PDFs by their text and page count, workbooks by their cells. tests/golden/no-rounds/README.md
says how the goldens were made, and which later, intended changes differ from them
(tests/golden/no-rounds-later/ holds those outputs as they are now, as diffs against
their goldens).

Bug caught: anything the rounds (or a later change) altered in a programme that has none:
a tally, a status line, a finding, a rendered page, an assigned sheet.
"""

from __future__ import annotations

import difflib
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import installed_qsi_path
from golden_outputs import GOLDEN, diff, later, make, patched
from render_support import need

# The WeasyPrint the goldens' PDFs were laid out with (pdftotext -layout reads them back):
# another version places text differently, though the pages and what is on them are the
# same (CI's run with the lowest versions qsi supports uses 63.0).
GOLDEN_WEASYPRINT = "70.0"
SAME_WEASYPRINT = version("weasyprint") == GOLDEN_WEASYPRINT


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "README.md"}


@pytest.mark.slow
def test_every_output_is_as_it_was_before_rounds(tmp_path: Path) -> None:
    need("pdftotext")
    qsi = installed_qsi_path()
    assert qsi is not None, "the qsi executable is not installed; run 'pip install -e .'"
    now = tmp_path / "now"
    make(qsi, now)
    # c0bfec7's outputs, but where an intended later change made an output differ (the
    # README there says which and why), that output as it is since
    expected = {rel: path.read_bytes() for rel, path in files(GOLDEN).items()} | later()
    made = files(now)
    assert sorted(made) == sorted(expected)
    different = []
    for rel, before in expected.items():
        after = made[rel].read_bytes()
        if rel.endswith(".pdf.txt") and not SAME_WEASYPRINT:
            # how a PDF's text is laid out is WeasyPrint's (the HTML it is made from, a
            # golden of its own, is compared byte for byte): here, its pages only
            before, after = before.splitlines()[0], after.splitlines()[0]
        if before != after:
            diff = difflib.unified_diff(
                before.decode("utf-8", "replace").splitlines(),
                after.decode("utf-8", "replace").splitlines(), rel, f"{rel} (now)",
                lineterm="", n=1)
            different.append("\n".join(list(diff)[:40]))
    assert not different, f"{len(different)} outputs differ:\n" + "\n\n".join(different)


@given(st.lists(st.sampled_from(["a\n", "b\n", "c", "\n", "d\r\n", "e\u2028f\n", "+g\n",
                                 "-h\n", "@@ i\n", "\\ j\n"]), max_size=12),
       st.lists(st.sampled_from(["a\n", "b\n", "c", "\n", "x\n", "-h\n", "\\ j\n"]),
                max_size=12))
@settings(max_examples=300, deadline=None)
def test_a_later_output_is_its_golden_with_its_diff_applied(old: list[str],
                                                             new: list[str]) -> None:
    """no-rounds-later/ keeps diffs: applied to the golden, each gives the output back,
    whatever its lines (none, a last one with no line feed, a carriage return, a line
    separator, lines that look like a diff's own), and `git apply` reads them too."""
    before, after = "".join(old), "".join(new)
    assert patched(before, diff(before, after, "x.txt")) == after
