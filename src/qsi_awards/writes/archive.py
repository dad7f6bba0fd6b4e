"""`qsi archive --out DIR`: write the archive privacy/archive.py makes into a new or
empty folder, and only once it is known to be right.

--out is checked as every writer checks it (fileio.output_folder: never a programme's
input, the programme folder, a folder that holds it, or a symbolic link), and must be
empty: an archive is never mixed with other files. The files are written into a hidden
folder inside it first (one an interrupted run left behind is removed), read back there
as a programme (with every check `qsi validate` makes) and tallied; only when that tally
gives every entry the same rank, score, judgements, flags and award as the original's
are they moved into place. Otherwise
nothing is left behind. The programme itself is only read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ProblemsFound, QsiError
from ..fileio import output_folder, write_bytes_atomic

TEMP = ".qsi-archive-"  # the folder an archive is written into first, inside --out

if TYPE_CHECKING:
    from ..judging.tally import Results
    from ..privacy.archive import Archived
    from ..programme import Programme


@dataclass(frozen=True)
class Written:
    folder: Path  # --out as given
    archived: Archived


def outcome(results: Results) -> list[Any]:
    """What the tally decided, without the texts the archive may redact (titles, the
    steering group's reasons): per category, each entry's rank, exact score, z,
    judgements, spread, flags and awards, the open places and the decided awards."""
    return [(category.id,
             [(r.entry, r.rank, r.score, r.z, len(r.judgements), r.spread, r.award,
               r.tally_award, list(r.flags)) for r in category.entries],
             category.undecided,
             None if category.decision is None else
             (category.decision.winner, list(category.decision.highly_commended)))
            for category in results.categories]


def write(prog: Programme, out: Path, today: dt.date) -> Written:
    """Make the archive of `prog` and write it into `out` (see the module's docstring)."""
    from ..load.texts import templates
    from ..privacy.archive import archive

    copied, problems = templates(prog.root)
    copied.update(_measure_data(prog))
    archived = archive(prog, today, copied)  # refuses an unfinished edition: nothing written
    archived.warnings += [f"{problem}: copy it by hand if the archive needs it"
                          for problem in problems]
    root = output_folder(out, prog.root)
    try:
        with os.scandir(root) as listing:
            there = list(listing)
        for item in there:  # what an interrupted run left: ours to remove
            if item.name.startswith(TEMP) and item.is_dir(follow_symlinks=False):
                shutil.rmtree(item.path)
        busy = any(not item.name.startswith(TEMP) for item in there)
    except OSError as error:
        raise QsiError(f"Cannot read --out {out}: {error.strerror}.") from None
    if busy:
        raise QsiError(f"--out {out} is not empty; qsi archive writes only into a new or empty "
                       "folder, so that the archive holds nothing else. Give another folder.")
    temp = root / f"{TEMP}{secrets.token_hex(6)}"
    try:
        for rel, data in archived.files.items():
            write_bytes_atomic(temp.joinpath(*rel.split("/")), data)
        _check(prog, temp)
        for top in sorted({rel.split("/")[0] for rel in archived.files}):
            os.replace(temp / top, root / top)
    except OSError as error:
        raise QsiError(f"Cannot write the archive into {out} ({error.strerror}); nothing was "
                       "written.") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)
    return Written(out, archived)


def _measure_data(prog: Programme) -> dict[str, bytes]:
    """The CSV files of the measures the entries and adoption records keep: periods and
    values only (load/measures.py reads nothing else), copied as they are."""
    from ..fileio import read_file
    from ..load.folder import MAX_BYTES

    folder = prog.folder
    named = [f"entries/{measure.csv}" for entry in folder.entries.values()
             for measure in entry.front.measures if measure.csv]
    named += [str(measure.csv) for _, record in folder.adoption
              for measure in record.measures if measure.csv]
    found: dict[str, bytes] = {}
    for rel in named:
        with contextlib.suppress(OSError, ValueError):  # validate has said why already
            found[rel] = read_file(prog.root / rel, MAX_BYTES)
    return found


def _check(prog: Programme, folder: Path) -> None:
    """ProblemsFound unless the archive in `folder` is a programme without errors whose
    tally is the original's."""
    from ..programme import InvalidProgramme, open_programme

    try:
        copy = open_programme(folder)
    except InvalidProgramme as problem:
        first = next(f for f in problem.findings if f.severity == "error")
        raise ProblemsFound(
            f"The archive would not be a valid programme ({first.path}:{first.line}: "
            f"{first.message}), so nothing was written. Change the retention rules, or the "
            "text that redaction changed, and run this again.") from None
    if outcome(copy.results()) != outcome(prog.results()):
        raise ProblemsFound("The archive's tally would differ from the programme's, so nothing "
                            "was written. This is a bug in qsi: please report it.")
