"""`qsi archive`: a finished edition, without the personal data the programme's
`retention:` rules (programme.yaml, model/programme.py's Retention) do not keep.

An edition is finished the day after its ceremony (the timeline's `ceremony`
milestone); before that, or without a ceremony, nothing is archived. What the archive
holds: every YAML file and entry of the programme, written again from their data (so no
YAML comment, which is free text qsi cannot check, is kept), the templates as they are,
and ARCHIVE.md, which says what was done. What it changes, by the rules:

- `entrant_names`: whose names stay: `keep` (everyone's), `with-consent` (entries that
  consented to publication), `awarded-with-consent` (winners and highly commended that
  consented; the default) or `drop`. An entry whose names go loses its lead's name
  (`[name]`) and job title and its team, and those names are taken out of its title,
  summary and write-up; a person kept nowhere is also taken out of every other text.
- `contact_details: drop` (default): every e-mail address (`[e-mail]`; a lead's e-mail
  field becomes removed@example.invalid, as the field must hold an address; a judge's
  and the programme team's go) and phone number (`[phone]`), everywhere, and adoption
  records' contacts.
- `handles: drop` (default): entries' submitted_by, judges' github and the maintainers,
  and every @handle in text (`[handle]`).
- `judges: pseudonymise` (default): judges become judge-01, judge-02, ... in the order of
  their IDs (so the tally adds their scores up in the same order), named Judge 01, ...;
  their score sheets and ballots are renamed to match, as are the panels of
  programme.yaml's rounds, and their names, IDs and handles in any text
  become `[judge-01]` (an ID or handle of one or two characters is not looked for).
  Their organisations and conflicts stay, so conflicts of interest
  still hold: pseudonymised data is still personal data.
- `judges_notes: drop` (default): judges' comments go, and a conflict's reason becomes
  "Conflict declared".

Organisations, titles, categories, scores, dates and decisions stay, and
decisions.yaml records every entry as `transcribed` (copied into the archive), so the
archive validates in git too. Names of one word, and people the programme does not
name in a field of its own, are not looked for in text: read the archive's free text
before you share it.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dates import long_date
from ..errors import ProblemsFound
from ..load import ADOPTION, CATEGORIES, DECISIONS, JUDGES, PROGRAMME, yamlparse
from ..names import NameFinder, folded, name_words, original, person_key, words_pattern
from ..render.text import HANDLE, without_email
from ..writes.yaml_scalars import document
from .contacts import EMAIL, contact_details

if TYPE_CHECKING:
    from ..model import Retention
    from ..programme import Programme

AWARDED = ("winner", "highly_commended")
NAME_MARK = "[name]"
EMAIL_MARK = "[e-mail]"
PHONE_MARK = "[phone]"
HANDLE_MARK = "[handle]"
NO_EMAIL = "removed@example.invalid"
CONFLICT = "Conflict declared"
MIN_WORD = 3  # a judge's ID or handle shorter than this is too often a word of its own
# Values that are IDs, dates, choices or organisations, and the people's own fields,
# which the rules decide on by themselves: never redacted as text
_KEEP = frozenset({"id", "category", "care_setting", "submitted", "date", "stage", "entry",
                   "entries", "winner", "highly_commended", "tiebreak", "kind", "method",
                   "theme", "setting", "judge", "organisation", "organisations", "hashtag",
                   "edition", "email", "extended_to", "response", "categories", "name",
                   "role", "team", "contact", "github", "submitted_by", "maintainers"})


@dataclass
class Archived:
    """An archive, in memory: its files and what was taken out."""

    edition: str
    rules: Retention
    files: dict[str, bytes]
    kept: list[str]  # entries whose people's names stay
    removed: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def finished(prog: Programme, today: dt.date) -> dt.date:
    """The ceremony's date, when the edition is finished by `today` (the day after its
    ceremony or later); ProblemsFound (exit 1) otherwise."""
    ceremony = prog.settings.milestone("ceremony")
    if ceremony is None:
        raise ProblemsFound(
            "qsi archives an edition once it is finished, the day after its ceremony, but the "
            "timeline in programme.yaml has no milestone with kind: ceremony. Add it, then run "
            "this again.")
    if today <= ceremony:
        raise ProblemsFound(
            f"The edition is not finished: its ceremony is on {long_date(ceremony)}, so it can "
            f"be archived from {long_date(ceremony + dt.timedelta(days=1))}. Nothing was "
            "written.")
    return ceremony


NO_NAMES = NameFinder([])


class Redactor:
    """Takes people out of text: contact details and @handles (when the rules drop
    them), and names, IDs and handles by pattern, each replaced by its mark. Matches
    never overlap: the longest at a place wins; a mark is never matched again."""

    def __init__(self, rules: Retention, names: NameFinder, marks: dict[str, str],
                 counts: Counter[str]) -> None:
        self.contacts = rules.contact_details == "drop"
        self.handles = rules.handles == "drop"
        self.names = names
        self.marks = {folded(word)[0]: mark for word, mark in marks.items()}
        self.words = words_pattern(marks) if marks else None  # judges' IDs and handles
        self.counts = counts

    def __call__(self, text: str, more: NameFinder = NO_NAMES) -> str:
        spans: list[tuple[int, int, str, str]] = []  # start, end, mark, what
        if self.contacts:
            spans += [(start, end, EMAIL_MARK if kind == EMAIL else PHONE_MARK, kind)
                      for start, end, kind in contact_details(text)]
        fold = folded(text)
        spans += [(start, end, mark, "name")
                  for start, end, mark in self.names.find(text, fold, more)]
        if self.words is not None:
            for match in self.words.finditer(fold[0]):
                start, end = original(text, fold[1], *match.span())
                spans.append((start, end, self.marks[match.group(1)], "name"))
        if self.handles:
            spans += [(m.start(), m.end(), HANDLE_MARK, "handle") for m in HANDLE.finditer(text)]
        if not spans:
            return text
        pieces: list[str] = []
        at = 0
        for start, end, mark, what in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < at:
                continue
            pieces += [text[at:start], mark]
            self.counts[what] += 1
            at = end
        return "".join(pieces) + text[at:]


def _walk(data: Any, redact: Callable[[str], str], key: str = "") -> Any:
    """`data` with every text value redacted, but those under _KEEP keys."""
    if isinstance(data, dict):
        return {k: _walk(v, redact, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_walk(item, redact, key) for item in data]
    if isinstance(data, str) and key not in _KEEP:
        return redact(data)
    return data


def _names(names: Iterable[str], mark: str) -> list[tuple[str, str]]:
    """(name, mark) for the names of two words or more (one-word names are too often
    words of their own)."""
    return [(name, mark) for name in names if len(name_words(name)) > 1]


def _keeps(rule: str, consent: bool, award: str | None) -> bool:
    return (rule == "keep" or (rule == "with-consent" and consent)
            or (rule == "awarded-with-consent" and consent and award in AWARDED))


def _people(front: Any) -> list[str]:
    return [name for name in (without_email(n) for n in [front.lead.name, *front.team]) if name]


def archive(prog: Programme, today: dt.date, templates: dict[str, bytes]) -> Archived:
    """The archive of a finished edition (see the module's docstring): its files, in
    memory. ProblemsFound (exit 1) before the edition is finished."""
    finished(prog, today)
    rules = prog.settings.retention
    results = prog.results()
    award = {r.entry: r.award for c in results.categories for r in c.entries}
    kept = sorted(e for e, front in prog.fronts.items()
                  if _keeps(rules.entrant_names, front.consent_to_publish, award.get(e)))
    counts: Counter[str] = Counter()

    # names: kept somewhere, or taken out of every text
    keep_names = {person_key(p) for e in kept for p in _people(prog.fronts[e])}
    dropped = [p for e, front in prog.fronts.items() if e not in kept for p in _people(front)]
    if rules.contact_details == "drop":
        dropped += [without_email(r.contact) for r in prog.adoption if r.contact]
    else:
        keep_names |= {person_key(r.contact) for r in prog.adoption if r.contact}
    pseudonyms = _pseudonyms(sorted(prog.judges)) if rules.judges == "pseudonymise" else {}
    if rules.judges == "keep":
        keep_names |= {person_key(j.name) for j in prog.judges.values()}
    names = _names([p for p in dropped if person_key(p) not in keep_names], NAME_MARK)
    marks: dict[str, str] = {}
    for judge_id, pseudonym in pseudonyms.items():
        judge = prog.judges[judge_id]
        mark = f"[{pseudonym}]"
        names += _names([judge.name], mark)
        marks.update({word.strip().removeprefix("@"): mark
                      for word in (judge_id, judge.github or judge_id)
                      if len(word.strip().removeprefix("@")) >= MIN_WORD})
    redact = Redactor(rules, NameFinder(names), marks, counts)

    files: dict[str, bytes] = {}
    folder = prog.folder
    for rel, doc in sorted(folder.docs.items()):
        data = copy.deepcopy(doc.data)
        if rel == PROGRAMME:
            if rules.handles == "drop" and data.get("maintainers"):
                counts["handle"] += len(data["maintainers"])
                data["maintainers"] = []
            if rules.contact_details == "drop" and data.pop("email", None) is not None:
                counts[EMAIL] += 1  # the programme team's: the archive sends no letters
            for declared in data.get("rounds") or []:  # a round's panel names judges
                if isinstance(declared, dict) and isinstance(declared.get("judges"), list):
                    declared["judges"] = [pseudonyms.get(j, j) for j in declared["judges"]]
            files[rel] = _yaml(rel, _walk(data, redact))
        elif rel in (CATEGORIES, ADOPTION) or rel.startswith("registers/"):
            if rel == ADOPTION and rules.contact_details == "drop":
                for record in data.get("adoption") or []:
                    if isinstance(record, dict) and record.pop("contact", None) is not None:
                        counts["contact"] += 1
            files[rel] = _yaml(rel, _walk(data, redact))
        elif rel == JUDGES:
            for item in data.get("judges") or []:
                _judge(item, rules, pseudonyms, counts)
            files[rel] = _yaml(rel, _walk(data, redact))
        elif rel == DECISIONS:
            files[rel] = _yaml(rel, _transcribed(_walk(data, redact), sorted(prog.entries),
                                                 today))
        elif rel.startswith(("scores/", "rounds/")):  # a judge's score sheet or ballots
            folder_of, _, judge_id = rel[:-len(".yaml")].rpartition("/")
            name = pseudonyms.get(judge_id, judge_id)
            data["judge"] = name
            if rules.judges_notes == "drop":
                for judgement in (data.get("scores") or data.get("ballots") or {}).values():
                    if isinstance(judgement, dict):
                        for note in ("comment", "private_comment"):
                            counts["note"] += judgement.pop(note, None) is not None
                        if judgement.get("conflict") is not None:
                            judgement["conflict"] = CONFLICT
                            counts["note"] += 1
                        for entry_id in judgement.get("conflicts") or {}:  # a ballot's
                            judgement["conflicts"][entry_id] = CONFLICT
                            counts["note"] += 1
            files[f"{folder_of}/{name}.yaml"] = _yaml(rel, _walk(data, redact))
    if DECISIONS not in folder.docs:
        files[DECISIONS] = _yaml(DECISIONS, _transcribed({}, sorted(prog.entries), today))
    for entry_id, entry in sorted(prog.entries.items()):
        front = copy.deepcopy(entry.doc.data)
        own = NO_NAMES
        if entry_id not in kept:
            own = NameFinder(_names(_people(entry.front), NAME_MARK))
            lead = front["lead"]
            lead["name"] = NAME_MARK
            lead.pop("role", None)
            counts["name"] += 1 + len(front.get("team") or [])
            front["team"] = []
        elif rules.contact_details == "drop":
            front["lead"]["name"] = without_email(front["lead"]["name"]) or NAME_MARK
            team = [without_email(name) for name in front.get("team") or []]
            front["team"] = [name for name in team if name]
        if rules.contact_details == "drop":
            front["lead"]["email"] = NO_EMAIL
            counts[EMAIL] += 1
        if rules.handles == "drop" and front.pop("submitted_by", None) is not None:
            counts["handle"] += 1
        front = _walk(front, functools.partial(redact, more=own))
        body = redact(entry.body, own)
        files[entry.path] = ("---\n" + document(front) + "---\n" + body).encode("utf-8")
    files.update(templates)
    archived = Archived(prog.settings.edition, rules, files, kept, counts)
    files["ARCHIVE.md"] = _notes(prog, archived, today).encode("utf-8")
    return archived


def _pseudonyms(judge_ids: list[str]) -> dict[str, str]:
    width = max(2, len(str(len(judge_ids))))
    return {judge_id: f"judge-{n:0{width}d}" for n, judge_id in enumerate(judge_ids, 1)}


def _judge(item: Any, rules: Retention, pseudonyms: dict[str, str], counts: Counter[str]) -> None:
    if not isinstance(item, dict):
        return
    pseudonym = pseudonyms.get(item.get("id", ""))
    if pseudonym is not None:
        item["id"] = pseudonym
        item["name"] = "Judge " + pseudonym.removeprefix("judge-")
        counts["judge"] += 1
    if (pseudonym is not None or rules.handles == "drop") and \
            item.pop("github", None) is not None:
        counts["handle"] += 1
    if rules.contact_details == "drop" and item.pop("email", None) is not None:
        counts[EMAIL] += 1


def _transcribed(data: dict[str, Any], entries: list[str], day: dt.date) -> dict[str, Any]:
    """decisions.yaml's data with every entry recorded as transcribed: git's dates for
    the archive are when it was made, not when the entries arrived."""
    exceptions = data.setdefault("deadline_exceptions", [])
    covered: set[str] = set()
    for record in exceptions:
        named = record.get("entries") or []
        covered.update(named)
        if set(named) <= set(entries):  # not an extension for an entry still to come
            record["transcribed"] = True
    rest = [entry for entry in entries if entry not in covered]
    if rest:
        exceptions.append({"entries": rest, "transcribed": True, "reason": (
            f"Copied into this archive by qsi archive on {day.isoformat()}: judged on "
            "submitted: dates.")})
    return data


def _yaml(rel: str, data: Any) -> bytes:
    text = document(data)
    if yamlparse.parse(text)[0] != data:  # a bug in qsi: never write what reads otherwise
        raise ProblemsFound(f"qsi could not write {rel} for the archive so that it reads back "
                            "the same; nothing was written. Please report this.")
    return text.encode("utf-8")


RULE_WORDS = {
    "entrant_names": {"keep": "everyone's names are kept",
                      "with-consent": "names are kept for entries that consented to "
                                      "publication",
                      "awarded-with-consent": "names are kept for winners and highly "
                                              "commended that consented to publication",
                      "drop": "entrants' names are removed"},
    "contact_details": {"drop": "e-mail addresses, phone numbers and adoption contacts are "
                                "removed", "keep": "contact details are kept"},
    "handles": {"drop": "GitHub handles are removed", "keep": "GitHub handles are kept"},
    "judges": {"pseudonymise": "judges are pseudonymised (judge-01, ...)",
               "keep": "judges' names are kept"},
    "judges_notes": {"drop": "judges' comments and reasons for conflicts are removed",
                     "keep": "judges' comments are kept"},
}


def _notes(prog: Programme, archived: Archived, today: dt.date) -> str:
    rules = archived.rules
    title = " ".join(f"{prog.settings.name} {prog.settings.edition}".split())
    lines = [f"# Archive: {title}", "",
             f"Made by `qsi archive` on {long_date(today)}, after the ceremony, from the "
             "programme's files, by the retention rules in programme.yaml:", ""]
    lines += [f"- `{name}: {getattr(rules, name)}`: {words[getattr(rules, name)]}."
              for name, words in RULE_WORDS.items()]
    lines += ["", f"Names kept for {len(archived.kept)} of {len(prog.entries)} entries. YAML "
              "comments are not kept. Organisations, titles, scores and decisions are, so "
              "`qsi tally` gives the edition's results. Every entry is recorded in "
              "decisions.yaml as transcribed (copied here), so the archive validates in git.",
              "", "qsi looks for the people the programme names in fields of their own; "
              "free text may still name others. Read it before you share this archive.", ""]
    return "\n".join(lines)
