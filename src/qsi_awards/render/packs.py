"""One judge pack per judge, `<judge>.html` and `<judge>.pdf`: the rubric with its
guidance, then each entry assigned to them (their score sheet), anonymised (see
context.anonymise), with room for notes. Entries they declared a conflict on are left
out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import context
from .environment import PACKAGE_TEMPLATES
from .pages import assets

if TYPE_CHECKING:
    from . import Job


def render(job: Job) -> None:
    prog = job.programme
    view = context.full(prog)
    page = assets(job.templates, view["programme"], ["style.css", "pack.css"])
    documents: list[tuple[str, str]] = []
    for judge_id in sorted(prog.judges):
        html = job.templates.render("pack.html", {**context.pack(prog, view, judge_id), **page})
        documents.append((judge_id, html))
    if not documents:
        job.warn("judges.yaml lists no judges, so there are no packs to make.")
        return
    from .pdf import PdfMaker

    templates_folder = prog.root / "templates"
    make = PdfMaker([templates_folder, PACKAGE_TEMPLATES],
                    templates_folder if templates_folder.is_dir() else PACKAGE_TEMPLATES)
    for judge_id, html in documents:
        job.outputs.add(f"{judge_id}.html", html)
        job.outputs.add(f"{judge_id}.pdf", make(html, "pack.html"))
    for warning in make.warnings:
        job.warn(warning)
