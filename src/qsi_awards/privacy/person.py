"""`qsi person QUERY`, for a subject access request: every file, line and field of the
programme that mentions one person, and every output qsi would publish with it.

The query is an e-mail address, a GitHub handle (with or without its '@'), a judge's
ID or a name, and it is found the way people write it (names.py): whatever the case or
accents, with or without a title ('Dr'), middle initials or the '@' of a handle, and
surname first. Whatever the programme links to the person is searched for too, and the
report says why: the e-mail address and name of an entry's lead or of a team member
written 'Name <e-mail>', a judge's name, handle and ID, an adoption contact's e-mail.

Every file that may hold personal data is searched as text (load/texts.py), YAML
comments included; a file that cannot be read is listed, never skipped in silence.
Where the programme has no errors, each mention comes with the outputs that carry it
(where.py), for the entry or judge it belongs to; an anonymised output (packs,
workbooks) counts only when its anonymising leaves the mention in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import QsiError
from ..load import ADOPTION, JUDGES, split_front_matter, yamlparse
from ..model.types import EMAIL_PATTERN
from ..names import email_pattern, find, folded, name_pattern, word_pattern
from ..render.text import EMAIL_ANYWHERE, without_email
from .inventory import field_name, scalars, section_of
from .where import Published, Subjects, locate, published

if TYPE_CHECKING:
    from ..load import Folder
    from ..load.texts import TextFile
    from ..programme import Programme

NAME = "name"
EMAIL = "e-mail address"
HANDLE = "GitHub handle or word"
JUDGE_ID = "judge ID"
_EMAIL_RE = re.compile(EMAIL_PATTERN)
_WORD_RE = re.compile(r"@?[^\W_][\w'.-]*\Z")
MAX_TERMS = 50
MIN_WORD = 3  # a linked handle or ID shorter than this is too often a word of its own


@dataclass(frozen=True)
class Term:
    """One way the person is written, and why it is searched for."""

    kind: str
    text: str
    why: str
    pattern: re.Pattern[str] = field(compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        """Terms with the same key find the same mentions (a judge's ID and handle may be
        one word)."""
        kind = "word" if self.kind in (HANDLE, JUDGE_ID) else self.kind
        return kind, folded(self.text.strip().removeprefix("@"))[0]


@dataclass(frozen=True)
class Mention:
    path: str
    line: int | None  # None: the file is named after the person (a judge's score sheet)
    field: str  # 'lead.name', 'body (## Impact)', 'a YAML comment', '' (a plain file)
    text: str  # what was found, as it is written
    term: str
    published: list[Published] | None  # None: unknown while the programme has errors


@dataclass
class Found:
    query: str
    programme: str
    edition: str
    terms: list[Term]
    mentions: list[Mention] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    errors: int = 0  # errors in the programme: outputs cannot be worked out

    def outputs(self) -> list[Published]:
        """Every output that carries a mention, its files merged, in order of first use."""
        merged: dict[str, list[str]] = {}
        for mention in self.mentions:
            for item in mention.published or []:
                files = merged.setdefault(item.output, [])
                files += [name for name in item.files if name not in files]
        return [Published(output, tuple(files)) for output, files in merged.items()]


def term(kind: str, text: str, why: str) -> Term | None:
    """A Term, or None when `text` gives nothing to look for."""
    if kind == EMAIL:
        return Term(kind, text.strip(), why, email_pattern(text))
    if kind == NAME:
        pattern = name_pattern(text)
        return None if pattern is None else Term(kind, " ".join(text.split()), why, pattern)
    bare = text.strip().removeprefix("@")
    return Term(kind, bare, why, word_pattern(bare)) if bare else None


def query_term(query: str) -> Term:
    """The query as a Term; QsiError (exit 2) when it holds nothing to look for."""
    text = " ".join(query.split())
    found: Term | None = None
    if _EMAIL_RE.match(text):
        found = term(EMAIL, text, "as asked")
    elif _WORD_RE.match(text) and "@" not in text[1:]:
        found = term(HANDLE, text, "as asked")
    elif "@" not in text:
        found = term(NAME, text, "as asked")
    if found is None:
        raise QsiError(f"'{query}' is not a name, an e-mail address or a GitHub handle qsi "
                       "can look for; give one, such as \"Jo O'Neill\", jo.oneill@nhs.net or "
                       "@jo-oneill.")
    return found


@dataclass(frozen=True)
class _Record:
    """What the programme says together about one person: (kind, text) pairs."""

    ids: tuple[tuple[str, str], ...]
    what: str


def _split_contact(text: str) -> list[tuple[str, str]]:
    """'Ann Able <ann@example.org>' -> [(name, 'Ann Able'), (e-mail, 'ann@...')]."""
    pairs = [(EMAIL, m.group(0).removeprefix("mailto:")) for m in EMAIL_ANYWHERE.finditer(text)]
    name = without_email(text)
    return ([(NAME, name)] if name else []) + pairs


def _text(data: Any, *path: str | int) -> str:
    """The text at `path` in parsed YAML, or ''."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return ""
    return data if isinstance(data, str) else ""


def _items(data: Any, key: str) -> list[Any]:
    items = data.get(key) if isinstance(data, dict) else None
    return items if isinstance(items, list) else []


def _records(folder: Folder) -> Iterator[_Record]:
    """What the files say together about one person, read from their parsed YAML, so
    that a field with an error elsewhere in its file still links a name to an e-mail."""
    for rel, doc in sorted(folder.docs.items()):
        data = doc.data
        if rel.startswith("entries/"):
            pairs = [(kind, value) for kind, value in
                     ((NAME, _text(data, "lead", "name")), (EMAIL, _text(data, "lead", "email")))
                     if value.strip()]
            if len(pairs) > 1:
                yield _Record(tuple(pairs), f"the lead of {rel}")
            for name in _items(data, "team"):
                pairs = _split_contact(name) if isinstance(name, str) else []
                if len(pairs) > 1:
                    yield _Record(tuple(pairs), f"a team member of {rel}")
        elif rel == JUDGES:
            for judge in _items(data, "judges"):
                pairs = [(kind, value) for kind, value in
                         ((NAME, _text(judge, "name")), (JUDGE_ID, _text(judge, "id")),
                          (HANDLE, _text(judge, "github"))) if value.strip()]
                if len(pairs) > 1:
                    yield _Record(tuple(pairs), f"judge {_text(judge, 'id')} in {JUDGES}")
        elif rel == ADOPTION:
            for record in _items(data, "adoption"):
                pairs = _split_contact(_text(record, "contact"))
                if len(pairs) > 1:
                    yield _Record(tuple(pairs), f"an adoption contact of "
                                                f"{_text(record, 'entry')}")


def _same(known: Term, kind: str, text: str) -> bool:
    """True when the identifier (kind, text) of a record is the person `known` is."""
    if known.kind == NAME and kind == NAME:
        return bool(known.pattern.search(folded(text)[0]))
    if known.kind == EMAIL and kind == EMAIL:
        return known.key[1] == folded(text.strip())[0]
    if known.kind in (HANDLE, JUDGE_ID) and kind in (HANDLE, JUDGE_ID):
        return known.key[1] == folded(text.strip().removeprefix("@"))[0]
    return False


def expand(first: Term, folder: Folder) -> list[Term]:
    """The query and whatever the programme links to it (see the module's docstring)."""
    terms = [first]
    seen = {first.key}
    records = list(_records(folder))
    grown = True
    while grown and len(terms) < MAX_TERMS:
        grown = False
        for record in records:
            if not any(_same(known, kind, text) for known in terms for kind, text in record.ids):
                continue
            for kind, text in record.ids:
                label = {NAME: "the name", EMAIL: "the e-mail address", HANDLE: "the handle",
                         JUDGE_ID: "the ID"}[kind]
                new = term(kind, text, f"{label} of {record.what}")
                if new is None or new.key in seen or len(terms) >= MAX_TERMS or (
                        kind in (HANDLE, JUDGE_ID) and len(new.key[1]) < MIN_WORD):
                    continue
                seen.add(new.key)
                terms.append(new)
                grown = True
    return terms


def _yaml_places(text: str) -> Callable[[int], tuple[str, tuple[Any, ...]]]:
    """A function from an index in a YAML text to (field name, path): the text value (or
    key) that holds it, else a YAML comment, else the list or mapping around it. The
    text is parsed once, when the first place is asked for."""
    where: dict[yamlparse.Path, yamlparse.Span] | None = None

    def place(index: int) -> tuple[str, tuple[Any, ...]]:
        nonlocal where
        if where is None:
            try:
                where = yamlparse.spans(text)
            except yaml.YAMLError:  # not YAML qsi can read: lines only, no fields
                where = {}
        collections = {path[:-1] for path in where if path}
        best: tuple[int, int, tuple[Any, ...]] | None = None  # (collection?, size, path)
        for path, span in where.items():
            ranges = [(span.key_start, span.key_end, 0)] if path else []
            ranges.append((span.start, span.end, int(path in collections)))
            for start, end, collection in ranges:
                if start <= index < end and (best is None
                                             or (collection, end - start) < best[:2]):
                    best = (collection, end - start, path)
        line_start = text.rfind("\n", 0, index) + 1
        if (best is None or best[0]) and "#" in text[line_start:index]:
            return "a YAML comment", ("#",)
        if best is None or not best[2]:
            return "", ()
        return field_name(best[2]), best[2]

    return place


def _places(file: TextFile) -> Callable[[int], tuple[str, tuple[Any, ...]]]:
    """A function from an index in the file's text to (field name, path)."""
    text = file.text or ""
    if file.path.startswith("entries/") and file.path.endswith(".md"):
        split = split_front_matter(text)
        if not isinstance(split, str):
            front, body, _ = split
            front_start = text.find("\n") + 1
            body_start = len(text) - len(body)
            in_front = _yaml_places(front)

            def in_entry(index: int) -> tuple[str, tuple[Any, ...]]:
                if index >= body_start:
                    return section_of(body, index - body_start), ("body",)
                if index >= front_start:
                    return in_front(index - front_start)
                return "", ()

            return in_entry
    if file.path.endswith((".yaml", ".yml")):
        return _yaml_places(text)
    return lambda index: ("", ())


def search(files: list[TextFile], terms: list[Term], folder: Folder,
           prog: Programme | None = None, subjects: Subjects | None = None,
           clean: Callable[[str], str] | None = None
           ) -> tuple[list[Mention], list[tuple[str, str]]]:
    """Every mention of any of `terms` in `files`, with the outputs that carry it when
    `prog` (a programme without errors), its `subjects` and the packs' `clean` are given;
    and the files that could not be searched, with why."""
    mentions: list[Mention] = []
    unread: list[tuple[str, str]] = []
    judge_ids = {t.key[1] for t in terms if t.kind in (JUDGE_ID, HANDLE)}
    for file in files:
        if file.text is None:
            unread.append((file.path, file.problem or "it cannot be read"))
            continue
        if file.path.startswith("scores/") and file.path.endswith(".yaml") and \
                file.path[len("scores/"):-len(".yaml")].casefold() in judge_ids:
            sheet_id = file.path[len("scores/"):-len(".yaml")].casefold()
            sheet_term = next(t for t in terms if t.key == ("word", sheet_id))
            mentions.append(Mention(file.path, None, "the file's name", file.path,
                                    sheet_term.text, _outputs(folder, file.path, ("judge",),
                                                             "", sheet_term, subjects, clean)
                                    if prog is not None else None))
        fold = folded(file.text)
        place = _places(file)
        hits = sorted(((start, -end, t) for t in terms
                       for start, end in find(t.pattern, file.text, fold)),
                      key=lambda hit: hit[:2])
        found: list[tuple[int, str, Term]] = []
        taken = -1
        for start, negative_end, found_term in hits:
            end = -negative_end
            if start < taken:
                continue  # inside an earlier mention (a name inside an e-mail address)
            taken = end
            found.append((start, file.text[start:end], found_term))
        found += _in_escaped(file, terms, [start for start, _, _ in found])
        for start, written, found_term in sorted(found, key=lambda hit: hit[0]):
            name, path = place(start)
            mentions.append(Mention(
                file.path, file.text.count("\n", 0, start) + 1, name, written, found_term.text,
                _outputs(folder, file.path, path, written, found_term, subjects, clean)
                if prog is not None else None))
    return mentions, unread


def _in_escaped(file: TextFile, terms: list[Term], starts: list[int]
                ) -> list[tuple[int, str, Term]]:
    """Mentions that only the YAML values show, not their text as written (a quoted
    value with escapes, such as "Jo O\\u2019Neill"): (where the value starts, what was
    found, the term), for values in whose text nothing was found."""
    text = file.text or ""
    offset = 0
    if file.path.startswith("entries/") and file.path.endswith(".md"):
        split = split_front_matter(text)
        if isinstance(split, str):
            return []
        text, offset = split[0], text.find("\n") + 1
    elif not file.path.endswith((".yaml", ".yml")):
        return []
    try:
        data, _ = yamlparse.parse(text)
        where = yamlparse.spans(text)
    except (yamlparse.YamlError, yaml.YAMLError):
        return []
    found = []
    for path, value in scalars(data):
        span = where.get(path)
        if span is None or any(offset + span.start <= s < offset + span.end for s in starts):
            continue
        for found_term in terms:
            found += [(offset + span.start, value[a:b], found_term)
                      for a, b in find(found_term.pattern, value)]
    return found


def _outputs(folder: Folder, rel: str, path: tuple[Any, ...], written: str, found: Term,
             subjects: Subjects | None, clean: Callable[[str], str] | None) -> list[Published]:
    rule, entry_id, judge_id = locate(folder, rel, path)
    if not rule or subjects is None:
        return []
    subject = subjects.entry(entry_id) if entry_id else subjects.judge(judge_id)
    shown = published(rule, subject)
    if clean is not None and written and not find(found.pattern, clean(written)):
        shown = [item for item in shown if not item.anonymised]  # anonymising takes it out
    return shown


def person(query: str, files: list[TextFile], folder: Folder, errors: int,
           prog: Programme | None) -> Found:
    """Every mention of the person `query` names (see the module's docstring). `prog` is
    the programme when it has no errors (`errors` says how many it has otherwise)."""
    first = query_term(query)
    terms = expand(first, folder)
    settings = folder.settings
    found = Found(query, settings.name if settings else "", settings.edition if settings else "",
                  terms, errors=errors)
    if prog is not None:
        from ..render import context
        from .where import subjects

        results = prog.results()
        clean = context.cleaner(context.full(prog, results))
        found.mentions, found.unread = search(files, terms, folder, prog,
                                              subjects(prog, results), clean)
    else:
        found.mentions, found.unread = search(files, terms, folder)
    return found
