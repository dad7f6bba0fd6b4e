"""`qsi privacy`: the programme's personal data, as the programme's information
governance lead needs to see it.

- **Holdings**: each field of each kind of file that holds personal data, what it holds,
  who it is about (how many values, how many different people) and where qsi publishes
  it (where.py).
- **Consent**: for each entry, whether its entrant consented to publication.
- **Contact details**: every e-mail address and phone number in the programme's text
  fields (titles, names, summaries, write-ups, score sheets' comments, adoption records,
  decisions), with where it would be published.
- **Problems** (exit 1): contact details that qsi would publish without a basis for it:
  - in a name field (the lead's name or job title, the team), which qsi publishes as
    names (on the site, on certificates): write the name only;
  - the lead's own e-mail address anywhere a public output shows it: qsi promises the
    lead it is never published;
  - in an entry without consent to publish, in a field that a public output shows all
    the same (the title and organisation of a shortlisted or awarded entry);
  - in an adoption record's notes, which the site publishes with the entry: the people
    at the adopting organisation have not consented.
  Contact details that an entrant who consented wrote into their own summary or
  write-up are theirs to publish, and are listed, not counted as problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..load import ADOPTION, DECISIONS, JUDGES, PROGRAMME, yamlparse
from ..names import person_key
from .contacts import EMAIL, Kind, contact_details
from .where import Published, Subjects, described, locate, published, subjects

if TYPE_CHECKING:
    from ..load import Doc
    from ..programme import Programme


@dataclass(frozen=True)
class Holding:
    """One field that holds personal data."""

    file: str  # 'entries/*.md', 'judges.yaml', ...
    field: str  # 'lead.name', 'judges[].github', ...
    holds: str  # 'names', 'e-mail addresses', 'free text', ...
    about: str  # who it is about
    values: int  # how many values the programme holds
    people: int | None  # how many different people (by name), where that means something
    where: list[tuple[str, str]]  # (output, when): where.described


@dataclass(frozen=True)
class Consent:
    entry: str
    path: str
    consent: bool
    award: str | None


@dataclass(frozen=True)
class Contact:
    """An e-mail address or phone number in a text field."""

    path: str
    line: int
    field: str  # as a person reads it: 'summary', 'body (## Impact)', 'scores.x.comment'
    kind: Kind
    published: list[Published]
    problem: str | None = None  # why it should not be where it is


@dataclass
class Inventory:
    programme: str
    edition: str
    holdings: list[Holding] = field(default_factory=list)
    consent: list[Consent] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    @property
    def problems(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.problem is not None]


def _distinct(names: list[str]) -> int:
    return len({key for key in map(person_key, names) if key})


def _holdings(prog: Programme) -> list[Holding]:
    fronts = list(prog.fronts.values())
    judges = list(prog.judges.values())
    judgements = [judgement for sheet in prog.folder.sheets.values()
                  for judgement in sheet.judgements.values()]
    adoption = prog.adoption
    leads = [front.lead.name for front in fronts]
    team = [name for front in fronts for name in front.team]
    contacts = [record.contact for record in adoption if record.contact]
    rows = [
        ("entries/*.md", "lead.name", "names", "project leads", "entry.lead.name",
         len(leads), _distinct(leads)),
        ("entries/*.md", "lead.role", "job titles", "project leads", "entry.lead.role",
         sum(1 for front in fronts if front.lead.role), None),
        ("entries/*.md", "lead.email", "e-mail addresses", "project leads",
         "entry.lead.email", len(fronts), None),
        ("entries/*.md", "team", "names", "team members", "entry.team", len(team),
         _distinct(team)),
        ("entries/*.md", "submitted_by", "GitHub handles", "entrants", "entry.submitted_by",
         sum(1 for front in fronts if front.submitted_by), None),
        ("entries/*.md", "title", "free text", "anyone the entrants name", "entry.title",
         len(fronts), None),
        ("entries/*.md", "summary", "free text", "anyone the entrants name",
         "entry.summary", len(fronts), None),
        ("entries/*.md", "write-up (sections)", "free text", "anyone the entrants name",
         "entry.body", len(fronts), None),
        (JUDGES, "judges[].name", "names", "judges", "judge.name", len(judges),
         _distinct([judge.name for judge in judges])),
        (JUDGES, "judges[].id", "IDs made from names (score sheets' names)", "judges",
         "judge.id", len(judges), None),
        (JUDGES, "judges[].github", "GitHub handles", "judges", "judge.github",
         sum(1 for judge in judges if judge.github), None),
        (JUDGES, "judges[].email", "e-mail addresses", "judges", "judge.email",
         sum(1 for judge in judges if judge.email), None),
        (JUDGES, "judges[].conflicts", "conflicts of interest", "judges", "",
         sum(1 for judge in judges
             if judge.conflicts.organisations or judge.conflicts.entries), None),
        ("scores/*.yaml", "comment", "free text", "judges, and anyone they name",
         "sheet.comment", sum(1 for judgement in judgements if judgement.comment), None),
        ("scores/*.yaml", "private_comment, conflict", "free text",
         "judges, and anyone they name", "sheet.notes",
         sum(1 for judgement in judgements if judgement.private_comment or judgement.conflict),
         None),
        (ADOPTION, "adoption[].contact", "names", "contacts at adopting organisations",
         "adoption.contact", len(contacts), _distinct(contacts)),
        (ADOPTION, "adoption[].notes", "free text", "anyone the notes name",
         "adoption.notes", sum(1 for record in adoption if record.notes), None),
        (DECISIONS, "decisions[].reason", "free text", "anyone the reasons name",
         "decision.reason", len(prog.decisions), None),
        (PROGRAMME, "maintainers", "GitHub handles", "the programme team",
         "programme.maintainers", len(prog.settings.maintainers), None),
    ]
    return [Holding(file, name, holds, about, values, people, described(rule))
            for file, name, holds, about, rule, values, people in rows]


def field_name(path: tuple[str | int, ...]) -> str:
    """('judges', 2, 'name') as 'judges[2].name'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def scalars(data: object, path: tuple[str | int, ...] = ()
             ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text value in parsed YAML, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from scalars(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from scalars(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def section_of(body: str, index: int) -> str:
    """'body (## Impact)': the write-up's section that holds `index`."""
    heading = next((line.strip() for line in reversed(body[:index].split("\n"))
                    if line.lstrip(" ").startswith("## ")), None)
    return f"body ({heading})" if heading else "body"


def _in_doc(doc: Doc) -> Iterator[tuple[int, tuple[str | int, ...], Kind, str]]:
    """(line, path, kind, text) of each e-mail address and phone number in the text
    values of a YAML document: on the line where the value's text shows it, else (when
    escapes hide it there) where the value starts."""
    where = yamlparse.spans(doc.text)
    for path, value in scalars(doc.data):
        span = where.get(path)
        if span is None:
            continue
        written = doc.text[span.start:span.end]
        for start, end, kind in contact_details(value):
            at = written.find(value[start:end])
            yield (doc.line_offset + _line(doc.text, span.start + max(at, 0)), path, kind,
                   value[start:end])


def a(kind: str) -> str:
    """'an e-mail address', 'a phone number'."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _the(public: list[str]) -> tuple[str, str]:
    """('the shortlist and the certificates', 'publish'): the outputs, and the verb."""
    names = " and ".join(f"the {output}" for output in public)
    plural = len(public) > 1 or public[0] == "certificates"
    return names, "publish" if plural else "publishes"


def _problem(field_rule: str, kind: Kind, text: str, lead_email: str | None,
             shown: list[Published], consent: bool) -> str | None:
    public = [item.output for item in shown if item.public]
    if not public:
        return None
    outputs, publish = _the(public)
    if field_rule in ("entry.lead.name", "entry.lead.role", "entry.team"):
        return (f"a name field holds {a(kind)}, and {outputs} {publish} it as a name; "
                "write only the name here")
    if lead_email is not None and kind == EMAIL and text.casefold() == lead_email.casefold():
        return ("this is the lead's own e-mail address, which qsi promises never to "
                f"publish, but {outputs} would; take it out")
    if field_rule.startswith("entry.") and not consent:
        return (f"the entrant has not consented to publication, but {outputs} {publish} "
                f"this field all the same; take the {kind} out")
    if field_rule == "adoption.notes":
        return (f"{outputs} {publish} adoption notes, and the people at the adopting "
                f"organisation have not consented; take the {kind} out")
    return None


def _kept(shown: list[Published], kind: Kind) -> list[Published]:
    """The outputs that keep a contact detail: anonymised ones (packs, workbooks) take
    every e-mail address out, but not phone numbers."""
    return [item for item in shown if not (item.anonymised and kind == EMAIL)]


def _contacts(prog: Programme, subjects: Subjects) -> list[Contact]:
    found: list[Contact] = []
    folder = prog.folder
    for rel in sorted(folder.docs):
        doc = folder.docs[rel]
        if doc.data is None:
            continue
        for line, path, kind, text in _in_doc(doc):
            rule, entry_id, judge_id = locate(folder, rel, path)
            if rule in ("entry.lead.email", "judge.email", "programme.email"):
                continue  # where an e-mail address belongs
            subject = subjects.entry(entry_id) if entry_id else subjects.judge(judge_id)
            shown = _kept(published(rule, subject) if rule else [], kind)
            front = prog.fronts.get(entry_id) if rel.startswith("entries/") else None
            problem = _problem(rule, kind, text, front.lead.email if front else None, shown,
                               subject.consent)
            found.append(Contact(rel, line, field_name(path), kind, shown, problem))
    for entry_id in sorted(prog.entries):
        entry = prog.entries[entry_id]
        subject = subjects.entry(entry_id)
        for start, end, kind in contact_details(entry.body):
            shown = _kept(published("entry.body", subject), kind)
            problem = _problem("entry.body", kind, entry.body[start:end],
                               entry.front.lead.email, shown, subject.consent)
            found.append(Contact(entry.path, entry.body_line - 1 + _line(entry.body, start),
                                 section_of(entry.body, start), kind, shown, problem))
    return sorted(found, key=lambda c: (c.path, c.line, c.field))


def inventory(prog: Programme) -> Inventory:
    """The programme's personal data, who it is about, where qsi publishes it, consent per
    entry, and the contact details in its text fields."""
    results = prog.results()
    found = subjects(prog, results)
    consent = [Consent(entry_id, prog.entries[entry_id].path,
                       prog.fronts[entry_id].consent_to_publish, found.entry(entry_id).award)
               for entry_id in sorted(prog.entries)]
    return Inventory(prog.settings.name, prog.settings.edition, _holdings(prog), consent,
                     _contacts(prog, found))
