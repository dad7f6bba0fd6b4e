"""One judge pack per judge, `<judge>.html` and `<judge>.pdf`: the rubric with its
guidance, then each entry assigned to them (their score sheet), anonymised (see
context.anonymise), with room for notes. Entries they declared a conflict on are left
out.

Packs name entries by their neutral reference (judging/references.py), never by
their ID. The programme team's key, reference to entry ID, category and title, is
`CONFIDENTIAL_references.csv` beside the packs: its underscore and capitals keep it
from ever being a judge's file (judge IDs are lower-case letters, digits and
hyphens), and it must never be sent to judges."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..judging.references import of_programme
from . import context
from .pages import assets
from .text import spreadsheet_cell

if TYPE_CHECKING:
    from . import Job

KEY = "CONFIDENTIAL_references.csv"


def render(job: Job) -> None:
    prog = job.programme
    view = context.full(prog)
    references = of_programme(prog)
    page = assets(job.templates, view["programme"], ["style.css", "pack.css"])
    clean = context.cleaner(view)
    # the judges of this round (a round with a panel: only its judges get packs)
    judges = [judge_id for judge_id in sorted(prog.judges)
              if prog.round_view is None or prog.round_view.on_panel(judge_id)]
    # every pack's HTML first (staged as it comes), so a template error stops the run
    # before any PDF is laid out; then each PDF from its staged HTML
    for judge_id in judges:
        pack = context.pack(prog, view, judge_id, references, clean)
        job.outputs.add(f"{judge_id}.html", job.templates.render("pack.html", {**pack, **page}))
    if not judges:
        job.warn("judges.yaml lists no judges, so there are no packs to make.")
        return
    from .pdf import PdfMaker

    make = PdfMaker.for_programme(prog.root)
    for judge_id in judges:
        html = job.outputs.read(f"{judge_id}.html").decode("utf-8")
        job.outputs.add(f"{judge_id}.pdf", make(html, "pack.html"))
    job.outputs.add(KEY, key(view, references))
    for warning in make.warnings:
        job.warn(warning)


def key(view: dict[str, Any], references: dict[str, str]) -> str:
    """The programme team's CSV: reference, entry, category, title; by reference."""
    rows = sorted((references[e["id"]], e["id"], e["category"], e["title"])
                  for c in view["categories"] for e in c["entries"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("reference", "entry", "category", "title"))
    writer.writerows([(ref, entry, category, spreadsheet_cell(title))
                      for ref, entry, category, title in rows])
    return buffer.getvalue()
