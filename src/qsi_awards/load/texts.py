"""The programme's files as they are, for the commands that look through all of them
rather than read them as a programme: `qsi person` searches their text for someone,
`qsi archive` copies the templates.

The files are the programme's inputs (SPEC §1) and what sits beside them that may hold
personal data: rounds/ (later rounds' sheets and ballots), forms/ (the entry map, an
export kept there), templates/, the README and
privacy notice, and .github/CODEOWNERS. Each is read as `load` reads a file: no
symbolic link is followed, nothing over 1 MiB (templates: over the template limit) or
that is not an ordinary file is opened, and a file that cannot be read is reported, not
skipped in silence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..fileio import read_file
from .folder import ADOPTION, CATEGORIES, DECISIONS, JUDGES, PROGRAMME, Folder, _Reader

FILES = (PROGRAMME, CATEGORIES, JUDGES, DECISIONS, ADOPTION, "README.md", "PRIVACY.md",
         ".github/CODEOWNERS")
FOLDERS = ("entries", "scores", "rounds", "forms", "templates", "registers")
MAX_DEPTH = 8  # folders inside those folders
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024  # a font or a logo in templates/


@dataclass(frozen=True)
class TextFile:
    """One file: its text (line breaks as \\n), or why it could not be read as text."""

    path: str  # relative to the programme folder, '/'-separated
    text: str | None
    problem: str | None = None


def _listed(root: Path, folder: str, depth: int = 0) -> list[str]:
    """The files under `folder` (not following links, not hidden), sorted by path."""
    try:
        with os.scandir(root / folder) as listing:
            items = sorted((item for item in listing if not item.name.startswith(".")),
                           key=lambda item: item.name)
    except OSError:
        return []
    found: list[str] = []
    for item in items:
        rel = f"{folder}/{item.name}"
        if item.is_dir(follow_symlinks=False):
            if depth < MAX_DEPTH:
                found += _listed(root, rel, depth + 1)
        else:
            found.append(rel)
    return found


def paths(root: Path) -> list[str]:
    """Every file `texts` reads, in order: the named files, then the folders' files."""
    named = [rel for rel in FILES if os.path.lexists(root / rel)]
    return named + [rel for folder in FOLDERS if os.path.isdir(root / folder)
                    and not os.path.islink(root / folder) for rel in _listed(root, folder)]


def texts(root: Path) -> list[TextFile]:
    """Every file of the programme that may hold personal data, as text."""
    folder = Folder(root=root)
    reader = _Reader(root, folder)
    found = []
    for rel in paths(root):
        before = len(folder.findings)
        text = reader.read(rel)
        problem = folder.findings[before].message if len(folder.findings) > before else None
        found.append(TextFile(rel, text, problem))
    return found


def templates(root: Path) -> tuple[dict[str, bytes], list[str]]:
    """The files of the programme's templates/ folder as bytes, and a sentence for each
    one that could not be read (a link, a file too large, ...)."""
    files: dict[str, bytes] = {}
    problems: list[str] = []
    if not os.path.isdir(root / "templates") or os.path.islink(root / "templates"):
        return files, problems
    for rel in _listed(root, "templates"):
        if os.path.islink(root / rel):
            problems.append(f"{rel} is a symbolic link, so it is not copied")
            continue
        try:
            files[rel] = read_file(root / rel, MAX_TEMPLATE_BYTES)
        except (OSError, ValueError) as error:
            why = error.strerror if isinstance(error, OSError) else str(error)
            problems.append(f"{rel} cannot be copied ({why})")
    return files, problems



PRIVACY_NOTICE = "PRIVACY.md"


def privacy_notice(root: Path) -> TextFile | None:
    """The programme's privacy notice (PRIVACY.md), which the site publishes: None when
    the programme has none; `problem` says why one could not be read."""
    if not os.path.lexists(root / PRIVACY_NOTICE):
        return None
    folder = Folder(root=root)
    text = _Reader(root, folder).read(PRIVACY_NOTICE)
    return TextFile(PRIVACY_NOTICE, text, folder.findings[0].message if text is None else None)
