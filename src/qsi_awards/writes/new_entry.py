"""`qsi new entry`: a new entries/<slug>.md with every field and section ready to fill in.
`qsi import entries` writes its entries with the same writer, every field and section
filled in from a form's answers.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QsiError
from ..fileio import create_atomic
from ..load import WINDOWS_NAMES, Folder
from ..model import Category, EntryRules, ProgrammeFile, Section, Source
from ..names import name_key
from .yaml_scalars import flow_list, quoted, scalar

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


# The notes beside the fields qsi cannot fill in, and beside a few it can. The entry
# form (render/entry_form.py) writes the same notes, so these are its too.
HINTS = {
    "organisation": "your organisation's full name",
    "care_setting": "{settings}",  # the programme's care settings: primary | secondary | ...
    "name": "the project lead",
    "role": "optional: their job title",
    "email": "the lead's work e-mail address",
    "team": "the others in the team, e.g. [Tom Clarke, Aisha Okafor]",
    "submitted_by": "your GitHub handle",
    "submitted_by_empty": "your GitHub handle: only you may then change this entry",
    "submitted": "entries close on {deadline}",
    "patient_involvement": "true if patients or the public shaped the work",
    "patient_involvement_required": " (this category requires it)",
    "consent_to_publish": "true to let the programme publish this entry",
    "summary": ("one paragraph, {words} (for several lines, write 'summary: >' and indent "
                "them below)"),
    "words": "at most {limit} words",
    "no_limit": "no word limit",
}
# The sections of an entry when the programme requires none.
DEFAULT_SECTIONS = ("Challenge", "Approach", "Impact", "Spread and adoption")


def words_note(limit: int | None) -> str:
    """'at most 400 words', or 'no word limit'."""
    return HINTS["words"].format(limit=limit) if limit else HINTS["no_limit"]


def entry_sections(rules: EntryRules) -> list[Section]:
    """The sections an entry is written in: the programme's, or else qsi's four."""
    return rules.sections or [Section(title=title) for title in DEFAULT_SECTIONS]


def every_section(settings: ProgrammeFile, categories: Iterable[Category]
                  ) -> list[tuple[Section, list[str]]]:
    """Every section a form must ask for: the programme's (with no categories), then
    those only categories with entry rules of their own ask for (with those
    categories), each title once (as names.name_key compares them)."""
    found: dict[str, tuple[Section, list[str]]] = {
        name_key(s.title): (s, []) for s in entry_sections(settings.entry_rules)}
    for category in categories:
        if category.entry_rules is None:
            continue
        for section in entry_sections(category.entry_rules):
            _, only = found.setdefault(name_key(section.title), (section, [category.id]))
            if only and category.id not in only:
                only.append(category.id)
    return list(found.values())


@dataclass(frozen=True)
class Filled:
    """What is known of a new entry besides its title and category; what is None (or
    empty) is left for the entrant to fill in."""

    organisation: str | None = None
    care_setting: str | None = None
    lead_name: str | None = None
    lead_role: str | None = None
    lead_email: str | None = None
    team: tuple[str, ...] = ()
    submitted_by: str | None = None
    submitted: dt.date | None = None  # None: today
    patient_involvement: bool | None = None  # None: what the category requires
    consent_to_publish: bool = False
    summary: str | None = None
    sections: Mapping[str, str] = field(default_factory=dict)  # section title -> its text
    source: Source | None = None


# A line of plain text that Markdown would read as something that changes the entry's
# outline: a heading ('# ...'), the line under a heading ('---', '==='), or a code fence
# ('```'), which would swallow the headings after it.
_STRUCTURE = re.compile(r"^( {0,3})(#{1,6}(?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$|`{3,}|~{3,})",
                        re.MULTILINE)


def as_markdown(text: str) -> str:
    """Plain text someone typed (a form's answer) as Markdown that shows it as they typed
    it: the same words, each line they typed a paragraph of its own (Markdown would run
    lines together; an indent would make code of one), and a backslash before a mark at
    the start of a line that would otherwise make a heading or a code block of it, so the
    entry keeps its sections."""
    lines = (line.strip() for line in text.split("\n"))
    text = "\n\n".join(line for line in lines if line)
    return _STRUCTURE.sub(lambda match: f"{match.group(1)}\\{match.group(2)}", text)


def entry_text(title: str, category: Category, settings: ProgrammeFile,
               today: dt.date, filled: Filled = Filled()) -> str:
    rules = settings.entry_rules_for(category)
    summary_max = rules.summary_max_words
    setting = filled.care_setting or (category.accepts[0] if len(category.accepts) == 1
                                      else None)
    setting_hint = HINTS["care_setting"].format(settings=setting_choices(settings))
    deadline = settings.milestone("submission_deadline")
    patients = category.requires_patient_involvement
    involved = patients if filled.patient_involvement is None else filled.patient_involvement
    organisation, submitted_by = filled.organisation, filled.submitted_by
    lines = [
        "---",
        f"title: {quoted(title)}",
        f"category: {scalar(category.id)}  # {' '.join(category.title.split())}",
        (f"organisation: {quoted(organisation)}" if organisation else
         f"organisation:  # {HINTS['organisation']}"),
        (f"care_setting: {setting}  # {setting_hint}" if setting else
         f"care_setting:  # {setting_hint}"),
        "lead:",
        (f"  name: {quoted(filled.lead_name)}" if filled.lead_name else
         f"  name:  # {HINTS['name']}"),
        (f"  role: {quoted(filled.lead_role)}" if filled.lead_role else
         f"  role:  # {HINTS['role']}"),
        (f"  email: {quoted(filled.lead_email)}" if filled.lead_email else
         f"  email:  # {HINTS['email']}"),
        (f"team: {flow_list(filled.team)}" if filled.team else f"team: []  # {HINTS['team']}"),
        (f"submitted_by: {scalar(submitted_by)}  # {HINTS['submitted_by']}" if submitted_by
         else f"submitted_by:  # {HINTS['submitted_by_empty']}"),
        f"submitted: {(filled.submitted or today).isoformat()}"
        + (f"  # {HINTS['submitted'].format(deadline=deadline)}" if deadline else ""),
        f"patient_involvement: {'true' if involved else 'false'}"
        f"  # {HINTS['patient_involvement']}"
        + (HINTS["patient_involvement_required"] if patients else ""),
        f"consent_to_publish: {'true' if filled.consent_to_publish else 'false'}"
        f"  # {HINTS['consent_to_publish']}",
        (f"summary: {quoted(filled.summary)}  # one paragraph, {words_note(summary_max)}"
         if filled.summary else
         f"summary:  # {HINTS['summary'].format(words=words_note(summary_max))}"),
    ]
    if filled.source is not None:
        lines.append(f"source: {{form: {quoted(filled.source.form)}, response: "
                     f"{quoted(filled.source.response)}}}  # qsi import entries made it")
    lines.append("---")
    for section in entry_sections(rules):
        lines += ["", f"## {section.title}", "", f"<!-- {words_note(section.max_words)} -->",
                  ""]
        text = as_markdown(filled.sections.get(section.title, ""))
        if text:
            lines += [text, ""]
    return "\n".join(lines) + "\n"


def taken(entries: Path) -> set[str]:
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

    return programme_rules(load(root))


def programme_rules(folder: Folder) -> tuple[ProgrammeFile, dict[str, Category]]:
    """`rules` of a folder already loaded."""
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
    setting_ids = [s.id for s in settings.settings]
    if care_setting is not None and care_setting not in setting_ids:
        raise QsiError(f"'{care_setting}' is not a care setting: use one of "
                       f"{', '.join(setting_ids)} (programme.yaml settings:).")
    accepts = category.accepts
    if care_setting is not None and accepts and care_setting not in accepts:
        care_setting = None  # the category's own setting wins (or it is left to fill in)
    entries = entries_folder(root)
    text = entry_text(title, category, settings, today or dt.date.today(), Filled(
        organisation=organisation.strip() if organisation else None,
        care_setting=care_setting,
        submitted_by=submitted_by.strip().removeprefix("@") if submitted_by else None))
    return write_new(entries, slugify(title), text)


def setting_choices(settings: ProgrammeFile) -> str:
    """The programme's care settings, as the note beside care_setting: gives them."""
    return " | ".join(s.id for s in settings.settings)


def entries_folder(root: Path) -> Path:
    """The programme's entries/ folder, made if it is not there yet."""
    entries = root / "entries"
    if entries.is_symlink() or (entries.exists() and not entries.is_dir()):
        raise QsiError(f"{entries} is not a folder inside the programme; make it one.")
    entries.mkdir(exist_ok=True)
    return entries


def write_new(entries: Path, slug: str, text: str, names: set[str] | None = None) -> Path:
    """Create entries/<slug>.md (or <slug>-2.md, ...: the first free name) holding `text`;
    never replaces a file, even one another process makes meanwhile. `names` is what
    taken(entries) gave, when the caller has it; it is kept up to date (the name made is
    added), so a caller making many entries lists the folder once, not once per entry."""
    known = taken(entries) if names is None else names
    for _ in range(100):  # another process may take a name between the check and the write
        path = entries / f"{unique_slug(slug, known)}.md"
        if create_atomic(path, text.encode("utf-8")):
            known.add(path.stem.casefold())
            return path
        known.update(taken(entries))
    raise QsiError("Could not find a free name for the entry; try another title.")
