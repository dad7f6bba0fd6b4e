"""`qsi render`: shortlists, certificates, announcements, a showcase site, judge packs,
scoring workbooks and an offline entry form, from Jinja templates (see environment.py;
the workbooks are built with openpyxl), written only under --out.

Each kind of output is one module with `render(job)`; `run()` checks --out, renders
every file in memory (so a template error writes nothing), then writes them all.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..programme import Programme
    from .environment import Templates
    from .output import Outputs

KINDS = ("shortlist", "certificates", "announcement", "site", "packs", "workbooks",
         "entry-form")


@dataclass
class Job:
    """What a renderer works with, and where it reports."""

    programme: Programme
    templates: Templates
    outputs: Outputs
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


@dataclass(frozen=True)
class Rendered:
    """What a run of `qsi render KIND --out FOLDER` did."""

    kind: str
    folder: Path  # FOLDER as it was given, for messages
    written: list[str]  # the files written, relative to FOLDER
    removed: list[str]  # the files an earlier run wrote that this one no longer makes
    warnings: list[str]


def run(kind: str, programme: Programme, out: Path) -> Rendered:
    """Render one kind of output for a loaded programme into `out`."""
    from ..fileio import output_folder
    from .environment import Templates
    from .output import Outputs

    if kind not in KINDS:
        raise ValueError(kind)
    root = output_folder(out, programme.root)
    job = Job(programme, Templates(programme.root), Outputs(root, kind))
    importlib.import_module(f"{__name__}.{kind.replace('-', '_')}").render(job)
    written = job.outputs.commit()
    for rel in job.outputs.kept:
        job.warn(f"left {rel}, which an earlier run wrote but this one no longer makes: it "
                 "has changed since, so it is not qsi's to remove; delete it if it should go.")
    return Rendered(kind, out, written, job.outputs.removed, job.warnings)
