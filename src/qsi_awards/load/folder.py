"""Read a programme folder into the typed domain model: the only place that reads
input files.

Every file is read once, checked (size, encoding, links), parsed once with the libyaml
event builder (yamlparse) and validated into its pydantic model (validation). Problems
become findings with 1-based positions; positions are worked out lazily, only for
files that have findings. An item that fails validation (a category, a judge, a
judgement, a decision, ...) is left out of what the cross-file checks see, but its ID
is remembered, so one broken item does not turn into a flood of "unknown" findings.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..errors import QsiError
from ..findings import Finding, finding
from ..model import (
    AdoptionFile,
    AdoptionRecord,
    Ballot,
    BallotSheetFile,
    CategoriesFile,
    Category,
    DeadlineException,
    Decision,
    DecisionsFile,
    EntryFile,
    Judge,
    Judgement,
    JudgesFile,
    Measure,
    ProgrammeFile,
    ResultsReleased,
    ScoreSheetFile,
)
from ..model.types import ID_PATTERN
from . import yamlparse
from .measures import Series, read_series
from .registers import Registers, load_registers
from .validation import SchemaError, describe, validate

M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 1024 * 1024
ID_RE = re.compile(ID_PATTERN.removesuffix("$") + r"\Z")  # $ would allow a final newline
# Names Windows keeps for devices, with or without an extension ("Naming Files, Paths, and
# Namespaces" in Microsoft's documentation): git cannot check out entries/con.md there.
WINDOWS_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                           *(f"lpt{n}" for n in range(10))})
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

PROGRAMME = "programme.yaml"
CATEGORIES = "categories.yaml"
JUDGES = "judges.yaml"
DECISIONS = "decisions.yaml"
ADOPTION = "adoption.yaml"


@dataclass
class Doc:
    """One parsed YAML document and where it sits in its file."""

    path: str  # relative to the programme folder, '/'-separated
    text: str  # the YAML text (for an entry, the front matter only)
    line_offset: int  # lines in the file before `text` starts
    _data: Any = None  # the parsed YAML, while it is kept (see `data`)
    _positions: yamlparse.Positions | None = None

    @property
    def data(self) -> Any:
        """The parsed YAML (None if it does not parse): kept from loading for the files
        read whole, parsed again from `text` for an entry, whose data is let go once its
        model is made (10,000 entries' data would double what loading keeps)."""
        if self._data is None:
            with contextlib.suppress(yamlparse.YamlError):
                self._data = yamlparse.parse(self.text)[0]
        return self._data

    def let_go(self) -> None:
        """Drop the parsed YAML; `data` parses `text` again if it is asked for."""
        self._data = None

    def forget_positions(self) -> None:
        """Drop the positions worked out for findings (a score sheet of 300 judgements,
        every one still to score, holds 2,000); `where` works them out again if asked."""
        self._positions = None

    def where(self, loc: tuple[str | int, ...], at_key: bool = False) -> tuple[int, int | None]:
        """The 1-based (line, column) of a key or value, or of its nearest parent."""
        if self._positions is None:
            self._positions = {}
            with contextlib.suppress(yamlparse.YamlError):
                yamlparse.parse(self.text, self._positions)
        positions = self._positions
        while loc and loc not in positions:
            loc, at_key = loc[:-1], True
        found = positions.get(loc)
        if found is None:
            return self.line_offset + 1, None
        if at_key and loc:
            return found[0] + self.line_offset, found[1]
        return found[2] + self.line_offset, found[3]

    def finding(self, code: str, message: str, loc: tuple[str | int, ...] = (),
                at_key: bool = False) -> Finding:
        line, column = self.where(loc, at_key)
        return finding(self.path, line, column, code, message)


@dataclass
class Entry:
    """One entry file: its ID, front matter and body."""

    id: str
    doc: Doc
    front: EntryFile  # the front matter
    body: str
    body_line: int  # the file line on which the body starts
    measures: list[Series] = field(default_factory=list)  # measures whose data is good

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class Sheet:
    """One judge's score sheet: their valid judgements, by entry ID."""

    judge: str  # from the file name
    doc: Doc
    judgements: dict[str, Judgement]  # entry id -> each valid judgement (a null stub: empty)
    named: str | None = None  # what its `judge:` says, when that is text
    raw: bytes = b""  # the file's bytes as read, for `assign`, which only adds to it

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class BallotSheet:
    """rounds/<round>/ballots/<judge>.yaml: one judge's ballots in a ranked round."""

    judge: str  # from the file name
    doc: Doc
    ballots: dict[str, Ballot]  # category id -> each valid ballot (a null stub: empty)
    named: str | None = None  # what its `judge:` says, when that is text
    raw: bytes = b""  # the file's bytes as read, for `assign`, which only adds to it

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class Folder:
    """Everything read from a programme folder, typed, plus the findings reading it gave.
    Lists keep each item's place in its file (for positions): `index` maps an ID to it."""

    root: Path
    settings: ProgrammeFile | None = None  # programme.yaml when valid
    categories: dict[str, Category] = field(default_factory=dict)  # in file order
    judges: dict[str, Judge] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    # later rounds (README "Judging in rounds"): round folder -> judge -> file
    round_sheets: dict[str, dict[str, Sheet]] = field(default_factory=dict)
    ballots: dict[str, dict[str, BallotSheet]] = field(default_factory=dict)
    decisions: list[tuple[int, Decision]] = field(default_factory=list)
    deadline_exceptions: list[tuple[int, DeadlineException]] = field(default_factory=list)
    adoption: list[tuple[int, AdoptionRecord]] = field(default_factory=list)
    results_released: ResultsReleased | None = None  # decisions.yaml's, when valid
    # a record's place in adoption.yaml -> its measures whose data is good
    adoption_measures: dict[int, list[Series]] = field(default_factory=dict)
    index: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, id) -> place
    # (file, list key) -> (place, ID) of every item with a textual ID, valid or not
    listed: dict[tuple[str, str], list[tuple[int, str]]] = field(default_factory=dict)
    docs: dict[str, Doc] = field(default_factory=dict)
    # every ID seen, valid item or not, so references to a broken item stay quiet
    category_ids: set[str] = field(default_factory=set)
    judge_ids: set[str] = field(default_factory=set)
    entry_ids: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    registers: Registers = field(default_factory=Registers)  # registers/*.yaml

    def doc(self, path: str) -> Doc:
        return self.docs[path]


def _size(size: int) -> str:
    """A size over 1 MiB as a person reads it: '1,048,577 bytes' near the limit, where a
    rounded '1.0 MiB' would read as within it; '3.2 MiB' above."""
    return f"{size:,} bytes" if size < 2 * MAX_BYTES else f"{size / MAX_BYTES:.1f} MiB"


def find_root(start: Path) -> Path:
    """The programme folder, or a QsiError (exit 2) saying how to get one."""
    if not start.exists():
        raise QsiError(f"The folder {start} does not exist. Give an existing programme folder "
                       "with --programme DIR.")
    if not start.is_dir():
        raise QsiError(f"{start} is not a folder. Give a programme folder with --programme DIR.")
    if not (start / PROGRAMME).is_file():
        raise QsiError(
            f"No programme here: {start} has no {PROGRAMME}. Run qsi inside a programme "
            "folder, give one with --programme DIR, or start a new one with 'qsi init DIR'.")
    return start


class _Reader:
    def __init__(self, root: Path, folder: Folder) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.folder = folder
        self._links: dict[str, bool] = {}  # folder -> is it a symbolic link (_linked)

    def _linked(self, folder: str) -> bool:
        """Is this folder a symbolic link? Asked once per folder, not once per file."""
        linked = self._links.get(folder)
        if linked is None:
            linked = self._links[folder] = os.path.islink(folder)
        return linked

    def _problem(self, rel: str, code: str, message: str, line: int | None = 1,
                 column: int | None = None) -> None:
        self.folder.findings.append(finding(rel, line, column, code, message))

    def read(self, rel: str, is_symlink: bool | None = None) -> str | None:
        """The text of a file, or None after recording why it cannot be used."""
        read = self.read_bytes(rel, is_symlink)
        return None if read is None else read[0]

    def read_bytes(self, rel: str, is_symlink: bool | None = None) -> tuple[str, bytes] | None:
        """The text of a file and its bytes, or None after recording why it cannot be used."""
        full = os.path.join(self.root, rel)
        try:
            if is_symlink is None:
                is_symlink = os.path.islink(full)
            if is_symlink or self._linked(os.path.dirname(full)):
                real = os.path.realpath(full)
                if os.path.commonpath([real, self.real_root]) != self.real_root:
                    self._problem(rel, "outside-folder", (
                        f"{rel} is a link to a file outside the programme folder; qsi only "
                        "reads files inside it, so replace the link with the file itself."))
                    return None
            info = os.stat(full)
        except OSError as error:
            if error.errno == 40:  # ELOOP
                self._problem(rel, "outside-folder", (
                    f"{rel} is a symbolic link that leads round in a loop; replace it with "
                    "the file itself."))
            else:
                self._problem(rel, "unreadable",
                              f"{rel} cannot be opened ({error.strerror}); check it exists and "
                              "that you may read it.")
            return None
        if is_symlink:  # even to a file inside the folder: that file would count twice
            target = os.path.relpath(os.path.realpath(full), self.real_root).replace(os.sep, "/")
            self._problem(rel, "symbolic-link", (
                f"{rel} is a symbolic link to {target}; qsi never follows links, so replace "
                "the link with a real file or remove it."), None)
            return None
        if stat.S_ISDIR(info.st_mode):
            self._problem(rel, "unreadable", (
                f"{rel} is a folder, not a file; remove the folder or rename it."), None)
            return None
        if not stat.S_ISREG(info.st_mode):
            self._problem(rel, "unreadable", f"{rel} is not a regular file; replace it with one.")
            return None
        if info.st_size > MAX_BYTES:
            self._problem(rel, "too-large", (
                f"{rel} is {_size(info.st_size)}, over the 1 MiB (1,048,576 bytes) a file may "
                "be; shorten it."))
            return None
        try:
            with open(full, "rb") as handle:
                # as many bytes as the file has, and one more: asking for the limit's
                # worth made a 1 MiB buffer per file (a tenth of loading 10,000 entries)
                raw = handle.read(info.st_size + 1)
                if len(raw) > info.st_size:  # it has grown since: read on, to the limit
                    raw += handle.read(MAX_BYTES + 1 - len(raw))
        except OSError as error:
            self._problem(rel, "unreadable",
                          f"{rel} cannot be read ({error.strerror}); check that you may read it.")
            return None
        self.folder.files += 1
        if len(raw) > MAX_BYTES:
            self._problem(rel, "too-large", f"{rel} is over 1 MiB; shorten it.")
            return None
        data = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            line_start = data.rfind(b"\n", 0, error.start) + 1
            # the column counts characters, as editors do; the line is valid UTF-8 up to here
            column = len(data[line_start:error.start].decode("utf-8")) + 1
            self._problem(rel, "not-utf8", (
                f"{rel} is not UTF-8 text (byte {data[error.start]:#04x} at line {line}); save "
                "it as UTF-8 in your editor."), line, column)
            return None
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        return text, raw

    def parse(self, doc: Doc, label: str) -> dict[str, Any] | None:
        """Parse a document; keep it (for positions) and return its data if it is a mapping."""
        try:
            data, problems = yamlparse.parse(doc.text)
        except yamlparse.YamlError as error:
            problem = error.problem
            self._problem(doc.path, problem.code, problem.message,
                          problem.line + doc.line_offset, problem.column)
            return None
        for problem in problems:
            self._problem(doc.path, problem.code, problem.message,
                          problem.line + doc.line_offset, problem.column)
        if not isinstance(data, dict):
            what = "empty" if data is None else f"{describe(data)}"
            line = doc.line_offset + 1
            self._problem(doc.path, "not-a-mapping", (
                f"{label} should be a set of fields (name: value), but it is {what}."), line)
            return None
        doc._data = data
        self.folder.docs[doc.path] = doc
        return data

    def validate(self, doc: Doc, model: type[M], data: Any) -> M | None:
        """`data` as `model`, or None after a finding for every problem in it."""
        value, problems = validate(model, data)
        self.report(doc, problems)
        return value

    def series(self, doc: Doc, measures: list[Measure], base: tuple[str | int, ...],
               folder: str, stem: str) -> list[Series]:
        """The data of the measures a file lists (see measures.read_series)."""
        found, problems = read_series(doc, measures, base, folder, stem, self.read,
                                      lambda rel: os.path.lexists(self.root / rel))
        self.folder.findings.extend(problems)
        return found

    def report(self, doc: Doc, problems: list[SchemaError]) -> None:
        for problem in problems:
            self.folder.findings.append(doc.finding(problem.code, problem.message, problem.path,
                                                    problem.at_key))


def load(root: Path) -> Folder:
    """Read the whole programme folder; never raises for bad input."""
    root = find_root(root)
    folder = Folder(root=root)
    reader = _Reader(root, folder)

    def yaml_file(rel: str, label: str, required: bool) -> tuple[Doc, dict[str, Any]] | None:
        full = root / rel
        if not os.path.lexists(full):
            if required:
                folder.findings.append(finding(rel, None, None, "missing-file", (
                    f"{rel} is missing; every programme needs one, so add it ('qsi init' makes an "
                    "example).")))
            return None
        text = reader.read(rel)
        if text is None:
            return None
        doc = Doc(rel, text, 0)
        data = reader.parse(doc, label)
        return None if data is None else (doc, data)

    if (read := yaml_file(PROGRAMME, PROGRAMME, True)) is not None:
        folder.settings = reader.validate(read[0], ProgrammeFile, read[1])

    if (read := yaml_file(CATEGORIES, CATEGORIES, True)) is not None:
        doc, data = read
        whole = reader.validate(doc, CategoriesFile, data)
        listed = whole.categories if whole else None
        for index, category in _items(data, "categories", Category, listed):
            _keep(folder, CATEGORIES, folder.categories, index, category)
        folder.category_ids = _ids(folder, CATEGORIES, data, "categories")

    if (read := yaml_file(JUDGES, JUDGES, True)) is not None:
        doc, data = read
        panel = reader.validate(doc, JudgesFile, data)
        for index, judge in _items(data, "judges", Judge, panel.judges if panel else None):
            _keep(folder, JUDGES, folder.judges, index, judge)
        folder.judge_ids = _ids(folder, JUDGES, data, "judges")

    _load_entries(root, reader, folder)
    _load_sheets(root, reader, "scores", folder.sheets)
    _load_rounds(root, reader, folder)

    if (read := yaml_file(DECISIONS, DECISIONS, False)) is not None:
        doc, data = read
        decided = reader.validate(doc, DecisionsFile, data)
        folder.decisions = _items(data, "decisions", Decision,
                                  decided.decisions if decided else None)
        folder.deadline_exceptions = _items(data, "deadline_exceptions", DeadlineException,
                                            decided.deadline_exceptions if decided else None)
        folder.results_released = (decided.results_released if decided else
                                   validate(ResultsReleased, data.get("results_released"))[0])
    if (read := yaml_file(ADOPTION, ADOPTION, False)) is not None:
        doc, data = read
        adopted = reader.validate(doc, AdoptionFile, data)
        folder.adoption = _items(data, "adoption", AdoptionRecord,
                                 adopted.adoption if adopted else None)
        for index, record in folder.adoption:
            if record.measures:
                folder.adoption_measures[index] = reader.series(
                    doc, record.measures, ("adoption", index), "", "adoption")
    load_registers(reader, folder)
    return folder


def _items(data: dict[str, Any], key: str, model: type[M],
           valid: list[M] | None) -> list[tuple[int, M]]:
    """The valid items of the list under `key`, each with its place in the list: all of
    them when the whole file was valid, else each item validated on its own (its
    problems were reported with the file's)."""
    if valid is not None:
        return list(enumerate(valid))
    items = data.get(key)
    if not isinstance(items, list):
        return []
    out = []
    for index, item in enumerate(items):
        value, _ = validate(model, item)
        if value is not None:
            out.append((index, value))
    return out


def _keep(folder: Folder, file: str, into: dict[str, Any], index: int, item: Any) -> None:
    """Keep the first valid item of each ID (a duplicate is reported by the checks)."""
    if item.id not in into:
        into[item.id] = item
        folder.index[(file, item.id)] = index


def _ids(folder: Folder, file: str, data: dict[str, Any], key: str) -> set[str]:
    """Every textual ID in the list under `key`, valid item or not (kept in `listed`)."""
    items = data.get(key)
    listed = [(index, item["id"]) for index, item in enumerate(items)
              if isinstance(item, dict) and isinstance(item.get("id"), str)
              ] if isinstance(items, list) else []
    folder.listed[(file, key)] = listed
    return {item_id for _, item_id in listed}


def _scan(root: Path, sub: str, reader: _Reader) -> list[os.DirEntry[str]]:
    """The visible entries of a programme sub-folder, sorted by name."""
    full = root / sub
    if not os.path.lexists(full):
        return []
    if os.path.islink(full):
        real = os.path.realpath(full)
        if os.path.commonpath([real, reader.real_root]) != reader.real_root:
            reader._problem(sub, "outside-folder", (
                f"The {sub} folder is a link to a place outside the programme folder; make it "
                "a real folder inside it."), None)
            return []
    if not full.is_dir():
        reader._problem(sub, "unreadable", f"{sub} should be a folder, but it is a file.", None)
        return []
    try:
        with os.scandir(full) as listing:
            found = [item for item in listing if not item.name.startswith(".")]
    except OSError as error:
        reader._problem(sub, "unreadable", f"The {sub} folder cannot be read ({error.strerror}).",
                        None)
        return []
    found.sort(key=lambda item: item.name)
    return found


def _check_name(reader: _Reader, rel: str, stem: str, seen: dict[str, str], what: str) -> bool:
    folded = stem.casefold()
    if ID_RE.match(stem):
        seen.setdefault(folded, rel)
        return True
    other = seen.get(folded)
    clash = (f" It would also clash with {other} on Windows and macOS, where case is ignored."
             if other else "")
    reader._problem(rel, "bad-id", (
        f"The file name '{stem}' is not a valid {what} ID: use lower-case letters, digits and "
        f"dashes, starting with a letter or digit (at most 64), then rename the file.{clash}"),
        None)
    seen.setdefault(folded, rel)
    return False


def _load_entries(root: Path, reader: _Reader, folder: Folder) -> None:
    seen: dict[str, str] = {}
    items = _scan(root, "entries", reader)
    # valid names first, so a clash is reported on the badly named file
    items.sort(key=lambda item: (not ID_RE.match(item.name.removesuffix(".md")), item.name))
    data_files: list[str] = []
    for item in items:
        rel = f"entries/{item.name}"
        if item.name.endswith(".csv"):  # a measure's data: read with the entry naming it
            data_files.append(rel)
            continue
        if not item.name.endswith(".md"):
            if item.is_dir(follow_symlinks=False) and ID_RE.match(item.name):
                reader._problem(rel, "unreadable", (
                    f"{rel} is a folder; entries are files named entries/<id>.md."), None)
            else:
                reader._problem(rel, "stray-file", (
                    f"{rel} is not an entry (entries are named entries/<id>.md), so qsi "
                    "ignores it; rename or remove it."), None)
            continue
        stem = item.name[:-3]
        if not _check_name(reader, rel, stem, seen, "entry"):
            continue
        folder.entry_ids.add(stem)
        text = reader.read(rel, item.is_symlink())
        if text is None:
            continue
        entry = _entry(reader, rel, stem, text)
        if entry is not None:
            folder.entries[stem] = entry
    named = {f"entries/{measure.csv}" for entry in folder.entries.values()
             for measure in entry.front.measures if measure.csv}
    for rel in data_files:
        owner = rel.removeprefix("entries/").split(".", 1)[0]
        if rel in named or (owner in folder.entry_ids and owner not in folder.entries):
            continue  # named by a measure, or its entry has errors of its own to fix first
        reader._problem(rel, "stray-file", (
            f"{rel} is not the data of any measure (an entry's measure names its CSV file "
            f"with csv: {rel.removeprefix('entries/')}), so qsi ignores it; name it in its "
            "entry, or remove it."), None)


def _entry(reader: _Reader, rel: str, stem: str, text: str) -> Entry | None:
    """The entry `text` holds, or None after recording why it cannot be used."""
    split = _split_front_matter(reader, rel, text)
    if split is None:
        return None
    front, body, body_line = split
    doc = Doc(rel, front, 1)
    data = reader.parse(doc, "The front matter")
    if data is None:
        return None
    meta = reader.validate(doc, EntryFile, data)
    if meta is None:
        return None
    series = reader.series(doc, meta.measures, (), "entries", stem) if meta.measures else []
    doc.let_go()
    return Entry(stem, doc, meta, body, body_line, series)


def read_entry(root: Path, entry_id: str, text: str) -> tuple[Entry | None, list[Finding]]:
    """The entry entries/<entry_id>.md would be if it held `text`, read exactly as `load`
    reads one, and the findings reading it gives: for commands that make entries and
    check them before they write them (`qsi import entries`)."""
    folder = Folder(root=root)
    entry = _entry(_Reader(root, folder), f"entries/{entry_id}.md", entry_id, text)
    return entry, folder.findings


def read_yaml(root: Path, rel: str, model: type[M], label: str
              ) -> tuple[M | None, Doc | None, list[Finding]]:
    """One YAML file of the folder `root` that is not part of a programme (the map of
    `qsi import entries`), read and validated as `load` reads programme files: its model
    (None when it has errors), its document (for the positions of later findings) and
    every finding."""
    folder = Folder(root=root)
    reader = _Reader(root, folder)
    text = reader.read(rel)
    if text is None:
        return None, None, folder.findings
    doc = Doc(rel, text, 0)
    data = reader.parse(doc, label)
    if data is None:
        return None, None, folder.findings
    return reader.validate(doc, model, data), doc, folder.findings


def read_text(root: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """The text of the file `rel` of the folder `root`, read as `load` reads programme
    files (size, encoding, links), or None; and the findings (`qsi spc` reads its data
    file this way)."""
    folder = Folder(root=root)
    return _Reader(root, folder).read(rel), folder.findings


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """(front matter, body, the file line the body starts on), or the rule code of why
    the text has no usable front matter. Shared with facts.py, which reads entries at a
    git ref for guard."""
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return "no-front-matter"
    closing = _CLOSING.search(rest)
    if closing is None:
        return "unterminated-front-matter"
    front = rest[: closing.start()]
    closing_line = 1 + front.count("\n") + 1
    body = rest[closing.end() + 1:]
    return front, body, closing_line + 1


def _split_front_matter(reader: _Reader, rel: str, text: str) -> tuple[str, str, int] | None:
    split = split_front_matter(text)
    if split == "no-front-matter":
        reader._problem(rel, "no-front-matter", (
            f"{rel} must start with a line '---', then the entry's fields, then another "
            "'---' line, before the write-up."))
        return None
    if isinstance(split, str):
        reader._problem(rel, "unterminated-front-matter", (
            f"The fields at the top of {rel} are never closed: add a line '---' after them."))
        return None
    return split


def _judge_files(root: Path, reader: _Reader, sub: str, what: str
                 ) -> Iterator[tuple[str, Doc, bytes, dict[str, Any]]]:
    """Each judge's file in `sub` (`sub`/<judge>.yaml) that parses as a mapping: the judge,
    the file, its bytes and its data; anything else is a finding. `what` is "score sheet"
    or "ballot file"."""
    seen: dict[str, str] = {}
    for item in _scan(root, sub, reader):
        rel = f"{sub}/{item.name}"
        if not item.name.endswith(".yaml"):
            reader._problem(rel, "stray-file", (
                f"{rel} is not a {what} ({what}s are named {sub}/<judge>.yaml), so "
                "qsi ignores it; rename or remove it."), None)
            continue
        stem = item.name[:-5]
        if not _check_name(reader, rel, stem, seen, "judge"):
            continue
        read = reader.read_bytes(rel, item.is_symlink())
        if read is None:
            continue
        text, raw = read
        doc = Doc(rel, text, 0)
        data = reader.parse(doc, f"A {what}")
        if data is not None:
            yield stem, doc, raw, data


def _load_sheets(root: Path, reader: _Reader, sub: str, into: dict[str, Sheet]) -> None:
    for stem, doc, raw, data in _judge_files(root, reader, sub, "score sheet"):
        sheet = reader.validate(doc, ScoreSheetFile, data)
        judgements: dict[str, Judgement] = {}
        if sheet is not None:
            judgements = {entry_id: judgement or Judgement()
                          for entry_id, judgement in (sheet.scores or {}).items()}
        elif isinstance(scores := data.get("scores"), dict):
            for entry_id, raw_judgement in scores.items():
                value, _ = validate(Judgement, raw_judgement or {})
                if value is not None and ID_RE.match(entry_id):
                    judgements[entry_id] = value
        named = data.get("judge")
        into[stem] = Sheet(stem, doc, judgements, named if isinstance(named, str) else None, raw)


def _load_rounds(root: Path, reader: _Reader, folder: Folder) -> None:
    """rounds/<round>/scores/ and rounds/<round>/ballots/; anything else in rounds/ is
    stray. Which rounds the programme has is the checks' business (checks/rounds.py)."""
    for item in _scan(root, "rounds", reader):
        rel = f"rounds/{item.name}"
        if not (item.is_dir(follow_symlinks=False) and ID_RE.match(item.name)):
            reader._problem(rel, "stray-file", (
                f"{rel} is not a round's folder (rounds/<round>/, named by the round's ID), "
                "so qsi ignores it; rename or remove it."), None)
            continue
        for inner in _scan(root, rel, reader):
            sub = f"{rel}/{inner.name}"
            if inner.name == "scores" and inner.is_dir(follow_symlinks=False):
                _load_sheets(root, reader, sub, folder.round_sheets.setdefault(item.name, {}))
            elif inner.name == "ballots" and inner.is_dir(follow_symlinks=False):
                _load_ballots(root, reader, sub, folder.ballots.setdefault(item.name, {}))
            else:
                reader._problem(sub, "stray-file", (
                    f"{sub} is not part of a round (a round's folder holds scores/ or "
                    "ballots/), so qsi ignores it; rename or remove it."), None)


def _load_ballots(root: Path, reader: _Reader, sub: str, into: dict[str, BallotSheet]) -> None:
    for stem, doc, raw, data in _judge_files(root, reader, sub, "ballot file"):
        sheet = reader.validate(doc, BallotSheetFile, data)
        ballots: dict[str, Ballot] = {}
        if sheet is not None:
            ballots = {category: ballot or Ballot()
                       for category, ballot in (sheet.ballots or {}).items()}
        elif isinstance(found := data.get("ballots"), dict):
            for category, raw_ballot in found.items():
                value, _ = validate(Ballot, raw_ballot or {})
                if value is not None and ID_RE.match(category):
                    ballots[category] = value
        named = data.get("judge")
        into[stem] = BallotSheet(stem, doc, ballots, named if isinstance(named, str) else None,
                                 raw)
