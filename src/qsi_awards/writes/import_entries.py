"""`qsi import entries`: a Microsoft Forms or Google Forms export becomes entries, one
entries/<slug>.md per response, written by the same writer as `qsi new entry`.

The map (forms/entry-map.yaml, model/entry_map.py) names the export's column of each
field and section. Each entry records where it came from (`source: {form, response}`),
so importing a longer export later adds only the new responses and never touches an
entry already made. What happens to a response:

- **skipped, and fine**: already imported (an entry has its form and response ID), or
  listed under `ignore_responses` in the map;
- **skipped, with a finding**: qsi cannot write it faithfully, and a re-import after
  the fix will bring it in: no response ID, an ID an earlier row has
  (forms-response-id); no title, a category, care setting or yes/no answer the map does
  not know, a date it cannot read, or answers too long for one file
  (forms-unusable-answer). Fix the map or the export and import again;
- **created**: everything else, exactly as the entrant answered. What `qsi validate`
  will say about the new entry (a blank answer, an e-mail that is not one, too many
  words, a care setting that does not fit the category, a late response) is reported
  now, at the row and column it comes from, with validate's rule code: the entry is the
  entrant's submission, and the programme team fixes it with them, in the file.

Nothing is imported when the map does not fit the programme (forms-map) or names a
column the export does not have (forms-missing-column): every response would come out
wrong. Findings name the export's row as the spreadsheet shows it (row 1 is the header)
and the column by its header.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QsiError
from ..findings import Finding, finding, sort_key
from ..load import MAX_BYTES, Doc, Entry, Folder, find_root, load, read_entry, read_yaml
from ..load.forms import Cell, Table, read_export
from ..model import Category, EntryMapFile, ProgrammeFile, Source
from ..names import name_key
from .new_entry import (
    Filled,
    entries_folder,
    entry_sections,
    entry_text,
    every_section,
    programme_rules,
    slugify,
    taken,
    unique_slug,
    write_new,
)
from .questionnaire import MAP

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "“": '"', "”": '"',
                         "„": '"', "″": '"'})


@dataclass(frozen=True)
class Created:
    row: int
    response: str
    path: str  # entries/<slug>.md


@dataclass(frozen=True)
class Skipped:
    row: int
    response: str | None
    reason: str


@dataclass
class Imported:
    """What an import did (or, with `dry_run`, would do)."""

    export: str  # as the person running qsi named it
    map: str
    dry_run: bool = False
    created: list[Created] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # export columns the map leaves out
    stopped: str | None = None  # why nothing was imported (the map or the columns)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def exit_code(self) -> int:
        """2 when nothing could be imported; 1 when a response had a problem; else 0."""
        return 2 if self.stopped else (1 if self.errors else 0)


def key(text: str) -> str:
    """A header or an answer as a person reads it: case, white space and curly quotes do
    not matter, nor the ';' Microsoft Forms puts after each choice of a multiple-choice
    answer."""
    return name_key(text.translate(_QUOTES)).rstrip(";").rstrip()


# Reading cells -----------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """A cell as the text it shows: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's serial dates (after Feb 1900)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?\Z")
_WHEN = re.compile(
    r"(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{1,4})"
    r"(?:(?:[T ]|, ?)+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r" ?(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"(?: ?(?:Z|GMT|UTC))?(?: ?[+-]\d{1,2}(?::?\d{2})?)?\Z")


def moment(value: Cell, day_first: bool) -> dt.datetime | dt.date | None:
    """When a cell says: a date cell; an Excel serial number (43858.5854 is 28 January
    2020, 14:03); or text such as 28/01/2020 14:03:11 (01/28/2020 when not day-first),
    2020-01-28T14:03:11Z or Google's 2020/01/28 2:03:11 pm GMT. None when it is none."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, str) and _SERIAL.match(value.strip()):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's last day is 31 December 9999
            return None
        return _EXCEL_EPOCH + dt.timedelta(seconds=round(value * 86400))
    if not isinstance(value, str):
        return None
    found = _WHEN.match(value.strip())
    if found is None:
        return None
    a, b, c = found.group("a", "b", "c")
    if len(a) == 4:
        year, month, day = a, b, c
    elif len(c) in (2, 4) and len(a) <= 2:
        year, month, day = (c, b, a) if day_first else (c, a, b)
    else:
        return None
    try:
        date = dt.date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
        if found.group("h") is None:
            return date
        hour = int(found.group("h"))
        ampm = (found.group("ampm") or "").lower()[:1]
        if ampm and not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0) if ampm else hour
        return dt.datetime.combine(date, dt.time(hour, int(found.group("m")),
                                                 int(found.group("s") or 0)))
    except ValueError:
        return None


def response_id(value: Cell, is_time: bool, day_first: bool) -> str:
    """The response's ID as text. A date and time (Google Forms' Timestamp) is written
    YYYY-MM-DD HH:MM:SS however the export shows it, so a CSV and an .xlsx of the same
    form's responses give the same IDs."""
    when = moment(value, day_first) if is_time or isinstance(value, dt.datetime) else None
    return cell_text(when) if when is not None else cell_text(value)


def team_names(text: str) -> tuple[str, ...]:
    """Names separated by commas, semicolons or line breaks (a leading bullet dropped)."""
    names = (re.sub(r"^(?:[-*•·]|\d+[.)])\s+", "", part.strip())
             for part in re.split(r"[,;\n]", text))
    return tuple(" ".join(name.split()) for name in names if name.strip())


# The map against the programme and the export -------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a value of the entry comes from: the export's column (0-based) and header."""

    column: int
    header: str


def _map_problems(entry_map: EntryMapFile, doc: Doc, settings: ProgrammeFile,
                  categories: Mapping[str, Category]) -> Iterator[Finding]:
    wanted = [section.title for section, _ in every_section(settings, categories.values())]
    known = {key(title): title for title in wanted}
    listed = ", ".join(wanted)
    mapped = set()
    for title in entry_map.sections:
        if key(title) not in known:
            yield doc.finding("forms-map", (
                f"'{title}' is not one of the programme's sections ({listed}); name each of "
                "them once under sections:, with its column's header."),
                ("sections", title), at_key=True)
        mapped.add(key(title))
    for title in wanted:
        if key(title) not in mapped:
            yield doc.finding("forms-map", (
                f"The programme's section '{title}' has no column in the map; add "
                f"'{title}: <the question's header>' under sections:."), ("sections",),
                at_key=True)
    columns, fixed = entry_map.columns, entry_map.fixed
    for name in ("category", "organisation", "care_setting", "patient_involvement"):
        column, value = getattr(columns, name), getattr(fixed, name)
        if column is not None and value is not None:
            yield doc.finding("forms-map", (
                f"'{name}' has both a column (columns: {name}) and a fixed value (fixed: "
                f"{name}); keep one of them."), ("fixed", name), at_key=True)
        elif column is None and value is None and name in ("category", "organisation"):
            yield doc.finding("forms-map", (
                f"The map says nothing about '{name}': give its column's header under "
                f"columns:, or one {name} for every response under fixed:."), ("columns",),
                at_key=True)
    ids = ", ".join(categories)
    if fixed.category is not None and fixed.category not in categories:
        yield doc.finding("forms-map", (
            f"The category '{fixed.category}' does not exist; use one of {ids}."),
            ("fixed", "category"))
    for answer, category_id in entry_map.answers.category.items():
        if category_id not in categories:
            yield doc.finding("forms-map", (
                f"The category '{category_id}' does not exist; use one of {ids}."),
                ("answers", "category", answer))
    setting_ids = [setting.id for setting in settings.settings]
    named = [(("fixed", "care_setting"), fixed.care_setting)] + [
        (("answers", "care_setting", answer), value)
        for answer, value in entry_map.answers.care_setting.items()]
    for where, value in named:
        if value is not None and value not in setting_ids:
            yield doc.finding("forms-map", (
                f"The care setting '{value}' is not one of the programme's; use one of "
                f"{', '.join(setting_ids)} (programme.yaml settings:)."), where)
    if columns.care_setting is None and fixed.care_setting is None:
        chosen = categories.get(fixed.category or "")
        reachable = [chosen] if chosen is not None else list(categories.values())
        unset = [category.id for category in reachable if len(category.accepts) != 1]
        if unset:
            yield doc.finding("forms-map", (
                f"The map gives no care setting (a column under columns:, or one under "
                f"fixed:), and {', '.join(unset)} {'has' if len(unset) == 1 else 'have'} "
                "no setting of its own, so those entries would have none."), ("columns",),
                at_key=True)


def _place_columns(entry_map: EntryMapFile, table: Table
                   ) -> tuple[dict[str, Place], list[Finding]]:
    """Where each field and section of the map is in the export ('section:<title>' for a
    section), and a finding for every header the export does not have exactly once."""
    by_key: dict[str, list[int]] = {}
    for index, header in enumerate(table.headers):
        if header:
            by_key.setdefault(key(header), []).append(index)
    wanted = {name: header for name, header in entry_map.columns.model_dump().items()
              if header is not None}
    wanted |= {f"section:{title}": header for title, header in entry_map.sections.items()}
    shown = ", ".join(f'"{header}"' for header in table.headers if header)
    places: dict[str, Place] = {}
    problems: list[Finding] = []
    for name, header in wanted.items():
        what = (f"the section '{name.removeprefix('section:')}'" if name.startswith("section:")
                else f"'{name}'")
        found = by_key.get(key(header), [])
        if len(found) == 1:
            places[name] = Place(found[0], table.headers[found[0]])
        elif not found:
            close = difflib.get_close_matches(key(header), list(by_key), n=1, cutoff=0.5)
            found_instead = (
                f'the closest it has is "{table.headers[by_key[close[0]][0]]}": if the '
                "question was renamed, put that in the map" if close else
                f"its columns are {shown}")
            problems.append(finding(table.path, 1, None, "forms-missing-column", (
                f'The export has no column "{header}", which the map names for {what}; '
                f"{found_instead}. Nothing was imported.")))
        else:
            numbers = " and ".join(str(index + 1) for index in found)
            problems.append(finding(table.path, 1, found[1] + 1, "forms-missing-column", (
                f'The export has {len(found)} columns called "{header}" (columns {numbers}), '
                f"so qsi cannot tell which one holds {what}; rename the question in the form "
                "and in the map. Nothing was imported.")))
    return places, problems


# Responses ---------------------------------------------------------------------------


@dataclass
class _Planned:
    row: int
    response: str
    slug: str
    text: str
    places: dict[str, Place]  # where each field of this entry came from


class _Row:
    """One response: its cells, read through the map."""

    def __init__(self, number: int, cells: list[Cell], places: dict[str, Place],
                 shown_map: str, path: str) -> None:
        self.number, self.cells, self.places = number, cells, places
        self.map, self.path = shown_map, path
        self.problems: list[Finding] = []
        self.reasons: list[str] = []  # each problem in a few words, for the summary

    def cell(self, name: str) -> Cell:
        place = self.places.get(name)
        return None if place is None else self.cells[place.column]

    def text(self, name: str) -> str:
        return cell_text(self.cell(name))

    def line(self, name: str) -> str | None:
        """A one-line answer, or None when there is none."""
        text = " ".join(self.text(name).split())
        return text or None

    def where(self, name: str | None) -> tuple[int | None, str]:
        """The 1-based column and the 'Row 14, "Impact": ' a message starts with."""
        place = self.places.get(name) if name else None
        if place is None:
            return None, f"Row {self.number}: "
        return place.column + 1, f'Row {self.number}, "{place.header}": '

    def problem(self, name: str | None, code: str, message: str, reason: str) -> None:
        column, prefix = self.where(name)
        self.problems.append(finding(self.path, self.number, column, code, prefix + message))
        place = self.places.get(name) if name else None
        self.reasons.append(f'{reason} ("{place.header}")' if place else reason)

    def choice(self, name: str, choices: Mapping[str, str | bool], what: str,
               blank: str | bool | None = None) -> str | bool | None:
        """The value a choice answer stands for; `blank` for no answer; None after a
        finding when the answer is none of the choices."""
        answer = self.text(name)
        if not answer.strip():
            if blank is None:
                self.problem(name, "forms-unusable-answer", (
                    f"There is no answer, so qsi cannot tell the entry's {what}. Fill it in "
                    "in the export, or ask the entrant, and import again: this response is "
                    "skipped."), f"no {what}")
            return blank
        value = choices.get(key(answer))
        if value is None:
            self.problem(name, "forms-unusable-answer", (
                f"The answer '{_clip(answer)}' is not a {what} qsi knows. Add it to "
                f"{self.map} under answers: {name}: with what it means, and import again: "
                "this response is skipped."), f"the answer is not a {what} the map knows")
        return value


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _choices(entry_map: EntryMapFile, settings: ProgrammeFile,
             categories: Mapping[str, Category]) -> dict[str, dict[str, str | bool]]:
    """Answer key -> value, for each choice field: a few defaults (a care setting's ID,
    'ID care' and label), then the map's own."""
    yes_no: dict[str, str | bool] = {"yes": True, "y": True, "true": True, "no": False,
                                     "n": False, "false": False}
    out: dict[str, dict[str, str | bool]] = {
        "category": {key(text): category.id for category in categories.values()
                     for text in (category.id, category.title)},
        "care_setting": {key(text): setting.id for setting in settings.settings
                         for text in (setting.id, f"{setting.id} care", setting.label)},
        "patient_involvement": dict(yes_no),
        "consent_to_publish": dict(yes_no),
    }
    answers = entry_map.answers
    for name, given in (("category", answers.category), ("care_setting", answers.care_setting),
                        ("patient_involvement", answers.patient_involvement),
                        ("consent_to_publish", answers.consent_to_publish)):
        out[name].update({key(answer): value for answer, value in given.items()})
    return out


def _fill(row: _Row, entry_map: EntryMapFile, settings: ProgrammeFile,
          categories: Mapping[str, Category], choices: dict[str, dict[str, str | bool]],
          response: str) -> tuple[str, Category, Filled] | None:
    """The entry's title, category and fields from one response; None (after findings)
    when it cannot be written faithfully."""
    fixed, columns = entry_map.fixed, entry_map.columns
    title = row.line("title")
    if title is None:
        row.problem("title", "forms-unusable-answer", (
            "There is no title, and an entry is named by its title. Fill it in in the "
            "export, or ask the entrant, and import again: this response is skipped."),
            "no title")
    category_id = fixed.category or row.choice("category", choices["category"], "category")
    setting: str | bool | None = fixed.care_setting
    if columns.care_setting is not None:
        setting = row.choice("care_setting", choices["care_setting"], "care setting", "")
    involved: str | bool | None = fixed.patient_involvement
    if columns.patient_involvement is not None:
        involved = row.choice("patient_involvement", choices["patient_involvement"],
                              "answer to whether patients or the public were involved", False)
    consent = row.choice("consent_to_publish", choices["consent_to_publish"],
                         "answer to the consent to publish", False)
    when = moment(row.cell("submitted"), entry_map.dates == "day-first")
    if when is None:
        answer = row.text("submitted")
        row.problem("submitted", "forms-unusable-answer", (
            (f"'{_clip(answer)}' is not a date qsi can read" if answer else
             "There is no date") + " (it reads 28/01/2020 14:03:11, 2020-01-28 and the "
            f"dates Excel keeps; dates: {entry_map.dates} in the map says which comes "
            "first). Fix the export and import again: this response is skipped."),
            "no date qsi can read")
    if row.problems or title is None or not isinstance(category_id, str) or when is None:
        return None
    submitted = when.date() if isinstance(when, dt.datetime) else when
    handle = row.line("submitted_by")
    return title, categories[category_id], Filled(
        organisation=fixed.organisation or row.line("organisation"),
        care_setting=setting if isinstance(setting, str) and setting else None,
        lead_name=row.line("lead_name"), lead_role=row.line("lead_role"),
        lead_email=row.line("lead_email"),
        team=team_names(row.text("team")),
        submitted_by=handle.removeprefix("@") if handle else None,
        submitted=submitted,
        patient_involvement=involved if isinstance(involved, bool) else None,
        consent_to_publish=consent is True,
        summary=row.text("summary") or None,
        sections={section.title: _section_text(row, entry_map, section.title)
                  for section in entry_sections(
                      settings.entry_rules_for(categories[category_id]))},
        source=Source(form=entry_map.form, response=response))


def _section_text(row: _Row, entry_map: EntryMapFile, title: str) -> str:
    mapped = next((name for name in entry_map.sections if key(name) == key(title)), title)
    return row.text(f"section:{mapped}")


# Checking the new entries as `qsi validate` will ----------------------------------


_FRONT_KEY = re.compile(r"([a-z_]+):")
_LEAD_KEY = re.compile(r"  ([a-z_]+):")


def _fields_by_line(text: str) -> dict[int, str]:
    """File line -> the field it writes, named as the map's columns name them
    ('lead_email', 'section:Impact'), for an entry the writer made (every '## ' line of
    its body is a section heading it wrote)."""
    out: dict[int, str] = {}
    current = ""
    in_front = False
    for number, line in enumerate(text.split("\n"), 1):
        if line == "---":
            in_front = number == 1
            current = ""
            continue
        if in_front:
            if found := _FRONT_KEY.match(line):
                current = found.group(1)
            elif current == "lead" and (found := _LEAD_KEY.match(line)):
                out[number] = f"lead_{found.group(1)}"
                continue
            out[number] = current
        elif line.startswith("## "):
            current = f"section:{line[3:]}"
        if not in_front and current:
            out[number] = current
    return out


_FIELD_COLUMNS = {"source": "response", "lead": "lead_name"}


def _check(root: Path, folder: Folder, planned: list[_Planned], path: str
           ) -> dict[int, list[Finding]]:
    """What `qsi validate` will say about each planned entry, by row: its rule codes, at
    the export's row and the column each value came from."""
    from ..checks import content, dates
    from ..checks.context import Context

    entries: dict[str, Entry] = {}
    found: list[Finding] = []
    for plan in planned:
        entry, problems = read_entry(root, plan.slug, plan.text)
        found += problems
        if entry is not None:
            entries[plan.slug] = entry
    trial = dataclasses.replace(folder, entries=entries, findings=[],
                                entry_ids=folder.entry_ids | {plan.slug for plan in planned})
    context = Context(trial)
    found += [*content.check(context), *dates.check(context)]
    by_path = {f"entries/{plan.slug}.md": plan for plan in planned}
    out: dict[int, list[Finding]] = {}
    for problem in sorted(found, key=sort_key):
        of = by_path.get(problem.path)
        if of is None:
            continue
        name = _fields_by_line(of.text).get(problem.line or 0, "")
        name = _FIELD_COLUMNS.get(name, name)
        place = of.places.get(name)
        if place is None and name.startswith("section:"):
            place = next((spot for spot_name, spot in of.places.items()
                          if key(spot_name) == key(name)), None)
        prefix = f'Row {of.row}, "{place.header}": ' if place is not None else f"Row {of.row}: "
        out.setdefault(of.row, []).append(dataclasses.replace(
            problem, path=path, line=of.row, column=place.column + 1 if place else None,
            message=prefix + problem.message))
    return out


# The import --------------------------------------------------------------------------


def _existing(folder: Folder) -> dict[tuple[str, str], str]:
    """(form, response) -> the entry made from it, for every entry with a `source:`,
    valid or not. QsiError when an entry cannot be read at all: it might be one."""
    unreadable = sorted(f"entries/{stem}.md" for stem in folder.entry_ids
                        if f"entries/{stem}.md" not in folder.docs)
    if unreadable:
        shown = ", ".join(unreadable[:3]) + (" and more" if len(unreadable) > 3 else "")
        raise QsiError(f"qsi cannot read {shown} ('qsi validate' says why), so it cannot tell "
                       "whether an entry came from this form already. Fix it, then import "
                       "again; nothing was imported.")
    out: dict[tuple[str, str], str] = {}
    for path, doc in folder.docs.items():
        source = doc.data.get("source") if path.startswith("entries/") else None
        if isinstance(source, dict):
            form, response = source.get("form"), source.get("response")
            if isinstance(form, str) and isinstance(response, str | int):
                out.setdefault((key(form), str(response).strip()), path)
    return out


def _map_path(root: Path, map_path: Path | None) -> tuple[Path, str, str]:
    """(folder, file name inside it, how messages name it) of the map."""
    if map_path is None:
        if not os.path.lexists(root / MAP):
            raise QsiError(f"There is no {MAP} in the programme folder: give the map "
                           "with --map MAP.yaml ('qsi init' makes one to start from).")
        return root, MAP, MAP
    shown = map_path.as_posix()
    if not os.path.lexists(map_path):
        raise QsiError(f"There is no file {shown}; give the map with --map MAP.yaml.")
    real, real_root = os.path.realpath(map_path.parent), os.path.realpath(root)
    if os.path.commonpath([real, real_root]) == real_root:
        rel = os.path.relpath(os.path.join(real, map_path.name), real_root)
        return root, Path(rel).as_posix(), shown
    return map_path.parent, map_path.name, shown


def _read_map(root: Path, map_path: Path | None) -> tuple[EntryMapFile | None, Doc | None,
                                                          list[Finding], str]:
    folder, rel, shown = _map_path(root, map_path)
    entry_map, doc, problems = read_yaml(folder, rel, EntryMapFile, "The entry map")
    problems = [dataclasses.replace(problem, path=shown) for problem in problems]
    if doc is not None:
        doc.path = shown
    return entry_map, doc, problems, shown


def import_entries(root: Path, export: Path, export_shown: str, map_path: Path | None = None,
                   *, dry_run: bool = False, today: dt.date | None = None) -> Imported:
    """Import the responses in `export` into the programme folder `root` (nothing is
    written with `dry_run`). QsiError (exit 2) when the files cannot be read."""
    root = find_root(root)
    folder = load(root)
    settings, categories = programme_rules(folder)
    entry_map, doc, problems, shown_map = _read_map(root, map_path)
    result = Imported(export_shown, shown_map, dry_run)
    if entry_map is not None and doc is not None:
        problems += list(_map_problems(entry_map, doc, settings, categories))
    if entry_map is None or problems:
        result.findings = sorted(problems, key=sort_key)
        result.stopped = f"{shown_map} has problems; fix them and import again."
        return result
    table = read_export(export, export_shown)
    places, problems = _place_columns(entry_map, table)
    used = {place.column for place in places.values()}
    result.unused = [header for index, header in enumerate(table.headers)
                     if header and index not in used]
    if problems:
        result.findings = problems
        result.stopped = (f"the export's columns do not match {shown_map}: change the map "
                          "(or the export) and import again.")
        return result
    existing = _existing(folder)
    form = key(entry_map.form)
    ignored = {response.strip() for response in entry_map.ignore_responses}
    choices = _choices(entry_map, settings, categories)
    day_first = entry_map.dates == "day-first"
    is_time = places["response"].column == places["submitted"].column
    names = taken(root / "entries") if (root / "entries").is_dir() else set()
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for number, cells in table.rows:
        row = _Row(number, cells, places, shown_map, export_shown)
        response = response_id(row.cell("response"), is_time, day_first)
        if not response:
            row.problem("response", "forms-response-id", (
                "This response has no ID, so qsi could not tell it apart from the others "
                "when the export is imported again: it is skipped. Give it the ID the form "
                "gave it, and import again."), "no response ID")
        elif response in ignored:
            result.skipped.append(Skipped(number, response, (
                f"listed under ignore_responses in {shown_map}")))
            continue
        elif response in seen:
            row.problem("response", "forms-response-id", (
                f"Row {seen[response]} has the same response ID, {response}; an ID names one "
                "response, so this one is skipped. Check the export."),
                f"the same response ID as row {seen[response]}")
        elif (form, response) in existing:
            result.skipped.append(Skipped(number, response, (
                f"already imported as {existing[(form, response)]}")))
            seen[response] = number
            continue
        else:
            seen[response] = number
            filling = _fill(row, entry_map, settings, categories, choices, response)
            if filling is not None:
                title, category, filled = filling
                text = entry_text(title, category, settings, today or dt.date.today(), filled)
                if len(text.encode("utf-8")) > MAX_BYTES:
                    row.problem(None, "forms-unusable-answer", (
                        "The answers come to more than 1 MiB, more than an entry may hold; "
                        "shorten them in the export and import again: this response is "
                        "skipped."), "answers over 1 MiB")
                else:
                    slug = unique_slug(slugify(title), names)
                    names.add(slug.casefold())
                    planned.append(_Planned(number, response, slug, text, places))
                    continue
        result.findings += row.problems
        result.skipped.append(Skipped(number, response or None, "; ".join(row.reasons)))
    del table  # the export's cells (as much as the programme), before the entries are read back
    checked = _check(root, folder, planned, export_shown)
    entries = None if dry_run or not planned else entries_folder(root)
    present = taken(entries) if entries is not None else set()
    for plan in planned:
        path = f"entries/{plan.slug}.md"
        if entries is not None:
            path = f"entries/{write_new(entries, plan.slug, plan.text, present).name}"
        result.created.append(Created(plan.row, plan.response, path))
        made = "would be created" if dry_run else "was created"
        result.findings += [dataclasses.replace(problem, message=(
            f"{problem.message} ({path} {made}; qsi validate reports this until it is put "
            "right.)")) for problem in checked.get(plan.row, [])]
    result.findings.sort(key=sort_key)
    return result
