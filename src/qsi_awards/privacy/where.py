"""Where qsi publishes personal data: for each field that holds some, the outputs that
carry it, and when. Read from the render modules and their templates (render/context.py
gives each output only what it may show); tests/test_privacy_where.py renders every
output and checks this map against what is really in them.

- shortlist (shortlist.md, .html): the title and organisation of every shortlisted
  entry, and its summary when its entrant consented to publication;
- site (index.html, entries/<entry>.html): only entries that consented: title,
  organisation and summary on the home page; the page also has the write-up, the lead's
  name and job title, the team and the entry's adoption records (organisation, notes);
- announcement (press-release.md, social-posts.csv): the titles and organisations of
  winners and highly commended (and entries tied for an open place) that consented; the
  social post names the winner;
- certificates: every winner and highly commended, consent or not (they go to the
  teams): title, organisation, the lead's name and the team;
- packs: each judge's own name and ID; the entries in their score sheet that they did
  not recuse from, anonymised (context.anonymise: every entry's people, organisation,
  e-mail and handle, and every e-mail address, web address and @handle, are taken out of
  the title, summary and write-up; other names and phone numbers stay);
  CONFIDENTIAL_references.csv, the programme team's key, has every entry's title;
- workbooks: each judge's own name, the anonymised titles of the entries in their score
  sheet, their comments, private comments and conflicts;
- feedback (<entry>.html, .pdf): each entry's own title and organisation, for its team
  (none for an entry withdrawn or disqualified), and the comments of the judges whose
  judgements of it counted, anonymised (context.cleaner, with the judges' names, IDs and
  handles and every entry's title and ID taken out); never a private comment;
- codeowners: the maintainers', judges' and entrants' GitHub handles, and the judges'
  score sheets by name;
- letters (`qsi render letters`, each message to its own recipient): an entry's title,
  organisation, lead's name and e-mail address, and the date and reason it was withdrawn
  or disqualified, in its lead's letter (`entries/<entry>.eml`) and the mail-merge file
  (letters.csv); a judge's name, ID and e-mail address in their own letter
  (`judges/<judge>.eml`) and letters.csv, and in their reminder (`qsi remind --out`,
  `<judge>.eml`) while they have judgements to do;
- reports: `qsi tally` (titles, organisations, the steering group's reasons), `qsi
  status` (judges' names and IDs), `qsi adoption` (the titles and organisations of
  winners, highly commended and entries with adoption records; in JSON, the adopters'
  contacts and notes); the CI job summary of a push to main has the tally.

A lead's e-mail address (but in the letters to that lead), entrants' handles (but for
CODEOWNERS) and YAML comments are never published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..load import ADOPTION, DECISIONS, JUDGES, PROGRAMME

if TYPE_CHECKING:
    from ..judging.tally import Results
    from ..load import Folder
    from ..programme import Programme

# output -> who sees it
OUTPUTS: dict[str, str] = {
    "site": "the showcase site (public)",
    "shortlist": "the shortlist (public)",
    "announcement": "the press release and social posts (public)",
    "certificates": "the certificates (given to the teams, shown at the ceremony)",
    "packs": "the judge packs (each judge's own)",
    "references": "CONFIDENTIAL_references.csv (the programme team's key to the packs)",
    "workbooks": "the scoring workbooks (each judge's own)",
    "feedback": "the feedback reports (each entry's team, their own)",
    "entry-form": "the entry form (sent to entrants)",
    "codeowners": ".github/CODEOWNERS (anyone who can read the repository)",
    "reports": "the programme team's reports (qsi tally, status, adoption)",
    "letters": "the letters and e-mails (each to its own recipient; letters.csv, the "
               "programme team's mail merge)",
    "reminders": "the reminders to judges (each judge's own)",
    "all": "every output (the programme's own settings and templates)",
}
PUBLIC = frozenset({"site", "shortlist", "announcement", "certificates"})
AWARDED = ("winner", "highly_commended")
AWARD_FILE = {"winner": "winner", "highly_commended": "highly-commended"}


@dataclass(frozen=True)
class Subject:
    """What decides where a value goes: the entry it belongs to (its fields, its
    adoption records), or the judge it belongs to (judges.yaml, their score sheet)."""

    entry: str = ""
    category: str = ""
    consent: bool = False
    award: str | None = None
    undecided: bool = False  # in a tie that leaves an award open, no decision yet
    adopted: bool = False  # adoption.yaml has records for it
    judges: tuple[str, ...] = ()  # whose packs hold it: assigned, not recused
    sheets: tuple[str, ...] = ()  # whose score sheets hold it (workbooks: recused too)
    judge: str = ""  # a judge's own data
    scoring: bool = False  # the judge's sheet holds entries, so they have a workbook
    left: bool = False  # the entry was withdrawn or disqualified: no feedback report
    commented: tuple[str, ...] = ()  # the entries whose feedback has the judge's comment
    handle: bool = False  # the judge has a GitHub handle, so CODEOWNERS gives them their sheet
    mailed: bool = False  # the judge has an e-mail address and entries to judge: a letter
    behind: bool = False  # ... and judgements still to do: a reminder


@dataclass(frozen=True)
class When:
    words: str
    test: Callable[[Subject], bool]


ALWAYS = When("always", lambda s: True)
CONSENT = When("with consent", lambda s: s.consent)
SHORTLISTED = When("when shortlisted", lambda s: s.award is not None)
SHORTLISTED_CONSENT = When("when shortlisted, with consent",
                           lambda s: s.award is not None and s.consent)
AWARDED_ANY = When("winners and highly commended", lambda s: s.award in AWARDED)
ANNOUNCED = When("winners and highly commended, with consent",
                 lambda s: s.consent and (s.award in AWARDED or s.undecided))
WINNER_CONSENT = When("winners, with consent", lambda s: s.consent and s.award == "winner")
IN_ADOPTION = When("winners, highly commended and entries with adoption records",
                   lambda s: s.award in AWARDED or s.adopted)
SPREAD = When("winners and highly commended with adoption records, with consent",
              lambda s: s.consent and s.award in AWARDED and s.adopted)
ASSIGNED = When("the judges assigned to it, anonymised", lambda s: bool(s.judges))
IN_SHEETS = When("the judges assigned to it, anonymised", lambda s: bool(s.sheets))
OWN = When("the judge's own", lambda s: True)
SCORING = When("the judge's own", lambda s: s.scoring)
HANDLED = When("judges with a GitHub handle", lambda s: s.handle)
TEAM = When("its own team, unless withdrawn or disqualified", lambda s: not s.left)
COMMENTED = When("the teams of the entries they commented on, anonymised",
                 lambda s: bool(s.commented))
MAILED = When("the judge's own, when they have entries to judge", lambda s: s.mailed)
BEHIND = When("the judge's own, while they have judgements to do", lambda s: s.behind)


@dataclass(frozen=True)
class Rule:
    """An output that carries a field `when`; `files` name what it writes, with
    {entry}, {category}, {award} and {self} (the judge) filled in, and {judge} and
    {sheet} once for each judge whose pack or workbook has the entry."""

    output: str
    when: When
    files: tuple[str, ...]
    anonymised: bool = False  # packs and workbooks: known people and contacts taken out


_TITLE_LIKE = (
    Rule("shortlist", SHORTLISTED, ("shortlist.md", "shortlist.html")),
    Rule("site", CONSENT, ("index.html", "entries/{entry}.html")),
    Rule("site", SPREAD, ("adoption/{entry}.html",)),
    Rule("announcement", ANNOUNCED, ("press-release.md",)),
    Rule("announcement", WINNER_CONSENT, ("social-posts.csv",)),
    Rule("certificates", AWARDED_ANY, ("{category}/{entry}-{award}.pdf",)),
)
_FEEDBACK = Rule("feedback", TEAM, ("{entry}.html", "{entry}.pdf"))
_REPORTED = (
    Rule("reports", ALWAYS, ("qsi tally",)),
    Rule("reports", IN_ADOPTION, ("qsi adoption",)),
)
_NAMES = (
    Rule("site", CONSENT, ("entries/{entry}.html",)),
    Rule("certificates", AWARDED_ANY, ("{category}/{entry}-{award}.pdf",)),
)
_LETTER = Rule("letters", ALWAYS, ("entries/{entry}.eml", "letters.csv"))
_JUDGE_LETTERS = (
    Rule("letters", MAILED, ("judges/{self}.eml", "letters.csv")),
    Rule("reminders", BEHIND, ("{self}.eml",)),
)
_JUDGE_NAME = (
    Rule("packs", OWN, ("{self}.html", "{self}.pdf")),
    Rule("workbooks", SCORING, ("{self}.xlsx",)),
    Rule("reports", ALWAYS, ("qsi status",)),
    *_JUDGE_LETTERS,
)

# field -> the outputs that carry it. Fields are named `<kind>.<field>`; anything not
# here is never published.
RULES: dict[str, tuple[Rule, ...]] = {
    "entry.title": (*_TITLE_LIKE,
                    Rule("packs", ASSIGNED, ("{judge}.html", "{judge}.pdf"), True),
                    Rule("workbooks", IN_SHEETS, ("{sheet}.xlsx",), True),
                    Rule("references", ALWAYS, ("CONFIDENTIAL_references.csv",)),
                    *_REPORTED, _FEEDBACK, _LETTER),
    "entry.organisation": (*_TITLE_LIKE, *_REPORTED, _FEEDBACK, _LETTER),
    "entry.lead.name": (*_NAMES, _LETTER),
    "entry.lead.email": (_LETTER,),
    "entry.withdrawal": (_LETTER,),
    "entry.lead.role": (Rule("site", CONSENT, ("entries/{entry}.html",)),),
    "entry.team": _NAMES,
    "entry.submitted_by": (Rule("codeowners", ALWAYS, (".github/CODEOWNERS",)),),
    "entry.summary": (Rule("shortlist", SHORTLISTED_CONSENT, ("shortlist.md", "shortlist.html")),
                      Rule("site", CONSENT, ("index.html", "entries/{entry}.html")),
                      Rule("packs", ASSIGNED, ("{judge}.html", "{judge}.pdf"), True)),
    "entry.body": (Rule("site", CONSENT, ("entries/{entry}.html",)),
                   Rule("packs", ASSIGNED, ("{judge}.html", "{judge}.pdf"), True)),
    "judge.name": _JUDGE_NAME,
    "judge.id": (*_JUDGE_NAME, Rule("codeowners", HANDLED, (".github/CODEOWNERS",))),
    "judge.github": (Rule("codeowners", ALWAYS, (".github/CODEOWNERS",)),),
    "judge.email": _JUDGE_LETTERS,
    "sheet.notes": (Rule("workbooks", SCORING, ("{self}.xlsx",)),),
    "sheet.comment": (Rule("workbooks", SCORING, ("{self}.xlsx",)),
                      Rule("feedback", COMMENTED, ("{commented}.html", "{commented}.pdf"),
                           True)),
    "adoption.contact": (Rule("reports", ALWAYS, ("qsi adoption",)),),
    "adoption.notes": (Rule("site", CONSENT, ("entries/{entry}.html",)),
                       Rule("site", SPREAD, ("adoption/{entry}.html",)),
                       Rule("reports", ALWAYS, ("qsi adoption",))),
    "decision.reason": (Rule("reports", ALWAYS, ("qsi tally",)),),
    "programme.maintainers": (Rule("codeowners", ALWAYS, (".github/CODEOWNERS",)),),
    "programme.entry_form": (Rule("entry-form", ALWAYS, ("entry-form.html",)),),
    "programme.email": (Rule("letters", ALWAYS, ()), Rule("reminders", ALWAYS, ())),
    "programme.settings": (Rule("all", ALWAYS, ()),),
    "template": (Rule("all", ALWAYS, ()),),
    "codeowners": (Rule("codeowners", ALWAYS, (".github/CODEOWNERS",)),),
}


@dataclass(frozen=True)
class Published:
    """One output that carries a value, and the files it is in."""

    output: str
    files: tuple[str, ...]
    anonymised: bool = False

    @property
    def public(self) -> bool:
        return self.output in PUBLIC


def _files(rule: Rule, subject: Subject) -> list[str]:
    values = {"entry": subject.entry, "category": subject.category,
              "award": AWARD_FILE.get(subject.award or "", ""), "self": subject.judge}
    if any("{judge}" in pattern for pattern in rule.files):
        return [p.replace("{judge}", judge) for judge in subject.judges for p in rule.files]
    if any("{sheet}" in pattern for pattern in rule.files):
        return [p.replace("{sheet}", judge) for judge in subject.sheets for p in rule.files]
    if any("{commented}" in pattern for pattern in rule.files):
        return [p.replace("{commented}", entry) for entry in subject.commented
                for p in rule.files]
    return [pattern.format(**values) for pattern in rule.files]


def published(field: str, subject: Subject) -> list[Published]:
    """The outputs that carry `field` of `subject`, each with its files, in RULES order
    (one item per output)."""
    merged: dict[str, Published] = {}
    for rule in RULES.get(field, ()):
        if not rule.when.test(subject):
            continue
        files = _files(rule, subject)
        had = merged.get(rule.output)
        if had is None:
            merged[rule.output] = Published(rule.output, tuple(files), rule.anonymised)
        else:
            more = tuple(f for f in files if f not in had.files)
            merged[rule.output] = replace(had, files=had.files + more)
    return list(merged.values())


def described(field: str) -> list[tuple[str, str]]:
    """(output, when) for every rule of `field`, one per output, the conditions joined:
    what `qsi privacy` says about where a field goes."""
    found: dict[str, list[str]] = {}
    for rule in RULES.get(field, ()):
        words = found.setdefault(rule.output, [])
        if rule.when.words not in words:
            words.append(rule.when.words)
    return [(output, "; ".join(words)) for output, words in found.items()]


@dataclass
class Subjects:
    """Every entry's and judge's Subject, for a programme and its tally."""

    entries: dict[str, Subject] = field(default_factory=dict)
    judges: dict[str, Subject] = field(default_factory=dict)

    def entry(self, entry_id: str) -> Subject:
        return self.entries.get(entry_id, Subject(entry=entry_id))

    def judge(self, judge_id: str) -> Subject:
        return self.judges.get(judge_id, Subject(judge=judge_id))


def subjects(prog: Programme, results: Results) -> Subjects:
    """Who each entry and judge's data reaches, from the tally (awards, open places),
    the entries' consent and the score sheets (assignments, recusals)."""
    packs: dict[str, list[str]] = {}
    sheets: dict[str, list[str]] = {}
    for judge_id in sorted(prog.folder.sheets):
        if judge_id not in prog.judges:
            continue
        for entry_id, judgement in prog.folder.sheets[judge_id].judgements.items():
            sheets.setdefault(entry_id, []).append(judge_id)
            if judgement.conflict is None:
                packs.setdefault(entry_id, []).append(judge_id)
    found = Subjects()
    commented: dict[str, list[str]] = {}
    for category in results.categories:
        tied = ({entry for group in category.undecided for entry in group["entries"]}
                if category.decision is None else set())
        adopted = {record.entry for record in prog.adoption}
        for result in category.entries:
            front = prog.fronts[result.entry]
            left = front.withdrawn is not None or front.disqualified is not None
            for counted in result.judgements:
                sheet = prog.folder.sheets.get(counted.judge)
                said = sheet.judgements.get(result.entry) if sheet else None
                if not left and said is not None and (said.comment or "").strip():
                    commented.setdefault(counted.judge, []).append(result.entry)
            found.entries[result.entry] = Subject(
                entry=result.entry, category=category.id, consent=front.consent_to_publish,
                award=result.award, undecided=result.entry in tied,
                adopted=result.entry in adopted,
                judges=tuple(packs.get(result.entry, ())),
                sheets=tuple(sheets.get(result.entry, ())), left=left)
    for judge_id in prog.judges:
        sheet = prog.folder.sheets.get(judge_id)
        judging = [(e, j) for e, j in sheet.judgements.items()
                   if j.conflict is None and e in prog.fronts] if sheet else []
        mailed = bool(judging) and prog.judges[judge_id].email is not None
        found.judges[judge_id] = Subject(
            judge=judge_id, scoring=bool(sheet is not None and sheet.judgements),
            handle=bool(prog.judges[judge_id].github), mailed=mailed,
            behind=mailed and any(j.criterion_scores().get(c.id) is None
                                  for entry_id, j in judging
                                  for c in prog.rubric_for(prog.fronts[entry_id].category
                                                           ).criteria),
            commented=tuple(sorted(commented.get(judge_id, ()))))
    return found


def _index_id(folder: Folder, file: str, key: str, index: int) -> str:
    return next((item_id for place, item_id in folder.listed.get((file, key), [])
                 if place == index), "")


ENTRY_FIELDS: dict[tuple[str | int, ...], str] = {
                ("title",): "entry.title", ("organisation",): "entry.organisation",
                ("lead", "name"): "entry.lead.name", ("lead", "role"): "entry.lead.role",
                ("lead", "email"): "entry.lead.email", ("team",): "entry.team",
                ("submitted_by",): "entry.submitted_by", ("summary",): "entry.summary",
                ("body",): "entry.body", ("withdrawn",): "entry.withdrawal",
                ("disqualified",): "entry.withdrawal"}


def locate(folder: Folder, rel: str, path: Iterable[str | int]) -> tuple[str, str, str]:
    """(field, entry, judge) of a place in a file: the field as RULES names it ('' when
    it is not one qsi publishes), and the entry or judge whose Subject decides where it
    goes. `path` is the YAML path of a value (('lead', 'name'), ('team', 2)), ('body',)
    for an entry's write-up, ('#',) for a YAML comment, () for anywhere else."""
    path = tuple(path)
    if path[:1] == ("#",):
        return "", "", ""
    if rel.startswith("entries/") and rel.endswith(".md"):
        entry = rel[len("entries/"):-len(".md")]
        key = path[:2] if path[:1] == ("lead",) else path[:1]
        return ENTRY_FIELDS.get(key, ""), entry, ""
    if rel.startswith("scores/") and rel.endswith(".yaml"):
        judge = rel[len("scores/"):-len(".yaml")]
        if path == ("judge",):
            return "judge.id", "", judge
        if len(path) == 3 and path[2] == "comment":
            return "sheet.comment", "", judge
        if len(path) == 3 and path[2] in ("private_comment", "conflict"):
            return "sheet.notes", "", judge
        return "", "", judge
    if rel == JUDGES and len(path) >= 3 and isinstance(path[1], int):
        judge = _index_id(folder, JUDGES, "judges", path[1])
        name = {"name": "judge.name", "id": "judge.id", "github": "judge.github",
                "email": "judge.email"}
        return name.get(str(path[2]), ""), "", judge
    if rel == ADOPTION and len(path) >= 3 and isinstance(path[1], int):
        entry = next((r.entry for place, r in folder.adoption if place == path[1]), "")
        name = {"contact": "adoption.contact", "notes": "adoption.notes"}
        return name.get(str(path[2]), ""), entry, ""
    if rel == DECISIONS and path[:1] == ("decisions",) and path[2:3] == ("reason",):
        return "decision.reason", "", ""
    if rel in (PROGRAMME, "categories.yaml") and path:
        if path[0] == "maintainers":
            return "programme.maintainers", "", ""
        if path[0] == "entry_form":
            return "programme.entry_form", "", ""
        if path[0] == "email" and rel == PROGRAMME:
            return "programme.email", "", ""
        if path[0] != "retention":
            return "programme.settings", "", ""
    if rel.startswith("templates/"):
        return "template", "", ""
    if rel == ".github/CODEOWNERS":
        return "codeowners", "", ""
    return "", "", ""
