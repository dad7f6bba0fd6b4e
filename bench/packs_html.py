"""`qsi render packs` without the PDFs: the HTML part of the judge packs, alone.

    python bench/packs_html.py render packs -p PROGRAMME --out DIR

Runs qsi's own entry point with one change: qsi_awards.render.pdf.PdfMaker is replaced
by a maker that imports no WeasyPrint and returns no bytes (each `<judge>.pdf` is
written empty). Everything else, from loading the programme to writing the files, is
qsi's. The PDFs are left out because WeasyPrint lays out about 10 pages a second on
one core: one pack holds every page of the entries assigned to that judge, so a
1,000-entry programme makes about 6,500 pages (minutes) and a 10,000-entry one ten
times more (hours) — the cost of WeasyPrint itself, which the rest of the command
must not add to. `bench/run.py --only packs-pdf` measures the whole command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class NoPdf:
    """Stands in for qsi_awards.render.pdf.PdfMaker: same calls, no PDF."""

    def __init__(self, folders: Sequence[Path], base: Path) -> None:
        self.warnings: list[str] = []

    @classmethod
    def for_programme(cls, root: Path) -> NoPdf:
        return cls([], root)

    def __call__(self, html: str, template: str) -> bytes:
        return b""


def main() -> None:
    from qsi_awards.render import pdf

    if not hasattr(pdf, "PdfMaker"):
        raise SystemExit("bench/packs_html.py: qsi_awards.render.pdf.PdfMaker is gone; "
                         "point this script at the class that now makes the PDFs.")
    pdf.PdfMaker = NoPdf  # type: ignore[misc, assignment]

    from qsi_awards.main import main as qsi

    qsi()


if __name__ == "__main__":
    main()
