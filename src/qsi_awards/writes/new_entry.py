"""`qsi new entry`: a new entries/<slug>.md with every field and section ready to fill in.

The slug comes from the title (ASCII, lower case, dashes), is always a valid ID that
every system can use as a file name (never a Windows device name such as con), and
never collides with an existing entry (compared ignoring case, as Windows and macOS
do): '-2', '-3', ... are added when it would. The file is created exclusively, so an
existing file is never replaced, even by a race. Fields qsi cannot know are left
empty with a comment, so `qsi validate` lists what is still to do.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from ..errors import QsiError
from ..fileio import create_atomic
from ..load import WINDOWS_NAMES
from ..model import Category, ProgrammeFile, Section
from .yaml_scalars import quoted, scalar

MAX_ID = 64
_SLUG_ROOM = 56  # leaves room for a '-NN' suffix


def slugify(title: str) -> str:
    """A valid ID from a title: 'Reducing falls: huddles!' -> 'reducing-falls-huddles'.
    Never a name Windows keeps for a device ('Con' -> 'con-entry'): git could not check
    out entries/con.md there."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(text) > _SLUG_ROOM:
        cut = text[:_SLUG_ROOM]
        text = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")
    if text in WINDOWS_NAMES:
        return f"{text}-entry"
    return text or "entry"


def unique_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`, ... : the first not in `taken` (case-folded)."""
    if slug.casefold() not in taken:
        return slug
    number = 2
    while f"{slug}-{number}".casefold() in taken:
        number += 1
    return f"{slug}-{number}"


def _words(limit: int | None) -> str:
    return f"at most {limit} words" if limit else "no word limit"


def entry_text(title: str, category: Category, settings: ProgrammeFile,
               today: dt.date, organisation: str | None = None,
               care_setting: str | None = None, submitted_by: str | None = None) -> str:
    rules = settings.entry_rules
    summary_max = rules.summary_max_words
    setting = category.setting or care_setting
    deadline = settings.milestone("submission_deadline")
    patients = category.requires_patient_involvement
    lines = [
        "---",
        f"title: {quoted(title)}",
        f"category: {scalar(category.id)}  # {' '.join(category.title.split())}",
        (f"organisation: {quoted(organisation)}" if organisation else
         "organisation:  # your organisation's full name"),
        (f"care_setting: {setting}  # primary | secondary | community" if setting else
         "care_setting:  # primary | secondary | community"),
        "lead:",
        "  name:  # the project lead",
        "  role:  # optional: their job title",
        "  email:  # the lead's work e-mail address",
        "team: []  # the others in the team, e.g. [Tom Clarke, Aisha Okafor]",
        (f"submitted_by: {scalar(submitted_by)}  # your GitHub handle" if submitted_by else
         "submitted_by:  # your GitHub handle: only you may then change this entry"),
        f"submitted: {today.isoformat()}"
        + (f"  # entries close on {deadline}" if deadline else ""),
        f"patient_involvement: {'true' if patients else 'false'}"
        "  # true if patients or the public shaped the work"
        + (" (this category requires it)" if patients else ""),
        "consent_to_publish: false  # true to let the programme publish this entry",
        f"summary:  # one paragraph, {_words(summary_max)} (for several lines, write "
        "'summary: >' and indent them below)",
        "---",
    ]
    sections = rules.sections or [Section(title=title) for title in (
        "Challenge", "Approach", "Impact", "Spread and adoption")]
    for section in sections:
        lines += ["", f"## {section.title}", "", f"<!-- {_words(section.max_words)} -->", ""]
    return "\n".join(lines) + "\n"


def _taken(entries: Path) -> set[str]:
    """Entry IDs already used (file names without .md, case-folded)."""
    try:
        names = os.listdir(entries)
    except FileNotFoundError:
        return set()
    except OSError as error:
        raise QsiError(f"The entries folder cannot be read ({error.strerror}).") from None
    return {name.removesuffix(".md").casefold() for name in names}


def rules(root: Path) -> tuple[ProgrammeFile, dict[str, Category]]:
    """programme.yaml's settings (the entry rules) and the categories of the programme
    folder `root`; QsiError when either is missing, since an entry needs both."""
    from ..load import load

    folder = load(root)
    if folder.settings is None:
        raise QsiError("programme.yaml has errors, so the entry rules are unknown; run "
                       "'qsi validate', fix programme.yaml and try again.")
    if not folder.categories:
        raise QsiError("categories.yaml defines no valid category yet; add one first.")
    return folder.settings, folder.categories


def create(root: Path, title: str, category_id: str, settings: ProgrammeFile,
           categories: Mapping[str, Category], *, today: dt.date | None = None,
           organisation: str | None = None, care_setting: str | None = None,
           submitted_by: str | None = None) -> Path:
    """Write the new entry and return its path. QsiError (exit 2) for bad arguments."""
    title = title.strip()
    if not title or not title.isprintable():
        raise QsiError("Give the entry a title on one line with --title \"...\".")
    category = categories.get(category_id)
    if category is None:
        known = ", ".join(categories) or "none yet"
        raise QsiError(f"There is no category '{category_id}'; the categories are: {known}.")
    for label, value in (("--organisation", organisation), ("--submitted-by", submitted_by)):
        if value is not None and (not value.strip() or not value.isprintable()):
            raise QsiError(f"Give {label} as text on one line.")
    if care_setting is not None and care_setting not in ("primary", "secondary", "community"):
        raise QsiError(f"'{care_setting}' is not a care setting: use primary, secondary or "
                       "community.")
    entries = root / "entries"
    if entries.is_symlink() or (entries.exists() and not entries.is_dir()):
        raise QsiError(f"{entries} is not a folder inside the programme; make it one.")
    entries.mkdir(exist_ok=True)
    text = entry_text(title, category, settings, today or dt.date.today(),
                      organisation.strip() if organisation else None, care_setting,
                      submitted_by.strip().removeprefix("@") if submitted_by else None)
    slug = slugify(title)
    for _ in range(100):  # another process may take a name between the check and the write
        path = entries / f"{unique_slug(slug, _taken(entries))}.md"
        if create_atomic(path, text.encode("utf-8")):
            return path
    raise QsiError("Could not find a free name for the entry; try another title.")

