"""What templates see: plain dicts and lists built from the programme and its tally.

Each output gets only the data it may show, so a template (a default or a programme's
own) cannot leak what it was never given:

- `full()` (shortlist, certificates): every entry, with a `published` flag;
- `embargoed()` (shortlist, site and the finalists' announcement, before the results are
  released): `full()` without what the results are: finalists (the shortlist) in neutral
  order, by title, and no award, rank, tally flag, undecided place or adoption record;
- `public()` (site, announcement): only entries whose entrants consented to publication;
  nothing of a non-consenting entry is in it, only counts of what was left out;
- `results()` (the steering group's results pack): the whole tally, scores and all;
- `pack()` (judge packs): the rubric and the judge's assigned entries without their
  ID (a neutral reference instead, see judging/references.py), organisation, lead,
  team, e-mail or submitted_by; those values (of every entry in the programme), and
  every e-mail address, web address and @handle, are also redacted from the entries'
  titles, summaries and bodies.
- `entry_form()` (the entry form): the entry rules, the categories with their
  eligibility in words, and the form's wording; no entry at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..names import NameFinder, name_key
from ..privacy.contacts import PHONE_NUMBER, contact_details
from .measures import SPREAD_AWARDS, anonymised
from .measures import view as measure_view
from .text import (
    in_sentence,
    one_line,
    people,
    redact_contacts,
    redactor,
    settings_words,
    without_email,
)

if TYPE_CHECKING:
    from ..judging.release import Release
    from ..judging.tally import CategoryResult, EntryResult, Results
    from ..model import Category, EntryRules, Judge, Judgement, ProgrammeFile, Rubric
    from ..programme import Programme

LEVELS = ("winner", "highly_commended", "shortlisted")
STAGES = ("adopted", "piloting", "planning", "interested", "declined")


def programme_view(prog: Programme) -> dict[str, Any]:
    settings = prog.settings
    judging = settings.judging
    timeline = [{"id": m.id, "title": m.title, "date": m.date.isoformat(), "kind": m.kind}
                for m in settings.timeline]
    by_kind = {m["kind"]: m["date"] for m in timeline if m["kind"]}
    return {
        "name": settings.name,
        "edition": settings.edition,
        "region": settings.region,
        "hashtag": settings.hashtag,
        "timeline": timeline,
        "ceremony": by_kind.get("ceremony"),
        "submission_deadline": by_kind.get("submission_deadline"),
        "judging_deadline": by_kind.get("judging_deadline"),
        "submissions_open": by_kind.get("submissions_open"),
        **rubric_view(settings.rubric),
        "judges_per_entry": judging.judges_per_entry,
        "shortlist_size": judging.shortlist_size,
        "highly_commended_places": judging.highly_commended,
        "release": _release_view(prog.release),
        "themes": [{"id": t.id, "label": t.label} for t in settings.themes],
        "settings": [{"id": s.id, "label": s.label} for s in settings.settings],
    }


def rubric_view(rubric: Rubric) -> dict[str, Any]:
    """A rubric's scale and criteria (with each weight as a percentage of the whole)."""
    total = sum(c.weight for c in rubric.criteria) or 1.0
    return {
        "scale": {"min": rubric.scale.min, "max": rubric.scale.max},
        "criteria": [
            {"id": c.id, "title": c.title, "weight": c.weight,
             "percent": round(100 * c.weight / total),
             "guidance": " ".join((c.guidance or "").split()) or None}
            for c in rubric.criteria
        ],
    }


def _release_view(release: Release) -> dict[str, Any]:
    """When the results are released (None: no date yet), and by whom (None: at the
    ceremony)."""
    return {"date": release.date.isoformat() if release.date else None,
            "by": one_line(release.by) if release.by else None,
            "reason": one_line(release.reason) if release.reason else None}


def _adoption(prog: Programme) -> dict[str, list[dict[str, Any]]]:
    """Adoption records per entry, most advanced stage first, then by date."""
    found: dict[str, list[dict[str, Any]]] = {}
    for record in prog.adoption:
        found.setdefault(record.entry, []).append({
            "organisation": record.organisation,
            "stage": record.stage,
            "date": record.date.isoformat(),
            "notes": " ".join((record.notes or "").split()) or None,
        })
    for records in found.values():
        records.sort(key=lambda r: (STAGES.index(r["stage"]), r["date"], r["organisation"]))
    return found


def _stage_counts(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record["stage"]] = counts.get(record["stage"], 0) + 1
    return [{"stage": stage, "count": counts[stage]} for stage in STAGES if stage in counts]


def _entry_view(prog: Programme, result: EntryResult, category: Category,
                adoption: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    entry = prog.entries[result.entry]
    front = entry.front
    lead = front.lead
    records = adoption.get(result.entry, [])
    return {
        "id": result.entry,
        "title": " ".join(front.title.split()),
        "category": category.id,
        "category_title": category.title,
        "theme": category.theme,
        "organisation": " ".join(front.organisation.split()),
        "care_setting": front.care_setting,
        "lead": {"name": lead.name, "role": lead.role, "email": lead.email},
        "team": list(front.team),
        "people": people(front),
        "submitted_by": front.submitted_by,
        "submitted": front.submitted.isoformat(),
        "patient_involvement": front.patient_involvement,
        "published": front.consent_to_publish,
        "summary": front.summary.strip(),
        "body": entry.body,
        "award": result.award,
        "rank": result.rank,
        "flags": list(result.flags),
        "page": f"entries/{result.entry}.html",
        "adoption": records,
        "adoption_stages": _stage_counts(records),
        "measures": [measure_view(series) for series in entry.measures],
        "adoption_page": (f"adoption/{result.entry}.html"
                          if records and result.award in SPREAD_AWARDS else None),
    }


def _ordered_awards(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Awarded entries by award level, then in tally order."""
    return [e for level in LEVELS for e in entries if e["award"] == level]


def _by_title(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A neutral order, which says nothing of the results: by title, whatever its case."""
    return sorted(entries, key=lambda e: (e["title"].casefold(), e["title"], e["id"]))


def _category_view(prog: Programme, category: Category, result: CategoryResult,
                   adoption: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    entries = [_entry_view(prog, r, category, adoption) for r in result.entries]
    by_id = {e["id"]: e for e in entries}
    undecided = []
    if result.decision is None:
        undecided = [{"awards": list(u["awards"]),
                      "entries": [by_id[i] for i in u["entries"] if i in by_id]}
                     for u in result.undecided]
    return {
        "id": category.id,
        "title": category.title,
        "theme": category.theme,
        "setting": category.setting,
        "settings": list(category.accepts),
        "requires_patient_involvement": category.requires_patient_involvement,
        "entries": entries,
        "winners": [e for e in entries if e["award"] == "winner"],
        "highly_commended": [e for e in entries if e["award"] == "highly_commended"],
        "shortlisted": [e for e in entries if e["award"] == "shortlisted"],
        "shortlist": _ordered_awards(entries),
        "finalists": _by_title(e for e in entries if e["award"] is not None),
        "others": [e for e in entries if e["award"] is None],
        "undecided": undecided,
        "decided_by_panel": result.decision is not None,
        "incomplete": sum(1 for e in entries if "incomplete" in e["flags"]),
    }


def full(prog: Programme, results: Results | None = None) -> dict[str, Any]:
    """Every category and entry, in categories.yaml and tally order."""
    results = results or prog.results()
    adoption = _adoption(prog)
    meta = {c.id: c for c in prog.categories}
    categories = [_category_view(prog, meta[r.id], r, adoption) for r in results.categories]
    entries = [e for c in categories for e in c["entries"]]
    incomplete = sum(c["incomplete"] for c in categories)
    return {
        "programme": programme_view(prog),
        "categories": categories,
        "entry_count": len(entries),
        "organisation_count": len({name_key(e["organisation"]) for e in entries}),
        "incomplete": incomplete,
        "provisional": incomplete > 0,
        "released": True,  # the view holds the results
    }


def embargoed(view: Mapping[str, Any]) -> dict[str, Any]:
    """`full()` before the results are released: no award, rank, tally flag, undecided
    place or adoption record (which follows an award). The shortlisted entries are the
    category's finalists (`award` "finalist"), listed first, then the other entries,
    each group by title, so no order gives the results away either."""
    def neutral(entry: Mapping[str, Any], finalist: bool) -> dict[str, Any]:
        return {**entry, "award": "finalist" if finalist else None, "rank": None,
                "flags": [], "adoption": [], "adoption_stages": [], "adoption_page": None}

    categories = []
    for category in view["categories"]:
        finalists = [neutral(e, True) for e in category["finalists"]]
        others = [neutral(e, False)
                  for e in _by_title(e for e in category["entries"] if e["award"] is None)]
        categories.append({
            **category, "entries": finalists + others, "finalists": finalists,
            "shortlist": finalists, "others": others, "winners": [], "highly_commended": [],
            "shortlisted": [], "undecided": [], "decided_by_panel": False})
    return {**view, "categories": categories, "released": False}


def _public_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in entry.items()
            if k not in ("submitted_by", "lead", "published", "rank", "flags")}
    view["lead"] = {"name": entry["lead"]["name"], "role": entry["lead"]["role"]}
    return view


def public(view: Mapping[str, Any]) -> dict[str, Any]:
    """Only what entrants consented to publish. A non-consenting entry leaves no title,
    summary, organisation or ID behind: only counts (`unpublished...`). Lead e-mail
    addresses, GitHub handles, ranks and tally flags are never published."""
    categories = []
    for category in view["categories"]:
        shown = [_public_entry(e) for e in category["entries"] if e["published"]]
        by_id = {e["id"]: e for e in shown}

        def keep(entries: Iterable[Mapping[str, Any]],
                 by_id: dict[str, dict[str, Any]] = by_id) -> list[dict[str, Any]]:
            return [by_id[e["id"]] for e in entries if e["id"] in by_id]

        hidden = [e for e in category["entries"] if not e["published"]]
        categories.append({
            **{k: category[k] for k in ("id", "title", "theme", "setting", "settings",
                                        "requires_patient_involvement",
                                        "decided_by_panel", "incomplete")},
            "entries": shown,
            "winners": keep(category["winners"]),
            "highly_commended": keep(category["highly_commended"]),
            "shortlisted": keep(category["shortlisted"]),
            "shortlist": keep(category["shortlist"]),
            "finalists": keep(category["finalists"]),
            "others": keep(category["others"]),
            "undecided": [{"awards": u["awards"],
                           "entries": keep(u["entries"]),
                           "unpublished": sum(1 for e in u["entries"] if e["id"] not in by_id)}
                          for u in category["undecided"]],
            "unpublished": len(hidden),
            "unpublished_winners": sum(1 for e in hidden if e["award"] == "winner"),
            "unpublished_highly_commended": sum(1 for e in hidden
                                                if e["award"] == "highly_commended"),
            "unpublished_shortlisted": sum(1 for e in hidden if e["award"] == "shortlisted"),
            "unpublished_finalists": sum(1 for e in hidden if e["award"] is not None),
        })
    entries = [e for c in categories for e in c["entries"]]
    present = {e["care_setting"] for e in entries}
    settings = [s["id"] for s in view["programme"]["settings"] if s["id"] in present]
    return {
        "programme": view["programme"],
        "categories": categories,
        "entries": entries,
        "entry_count": len(entries),
        "organisation_count": len({name_key(e["organisation"]) for e in entries}),
        "unpublished": sum(c["unpublished"] for c in categories),
        "care_settings": settings,
        "adopting_organisations": len({name_key(r["organisation"]) for e in entries
                                       for r in e["adoption"]
                                       if r["stage"] != "declined"}),
        "incomplete": view["incomplete"],
        "provisional": view["provisional"],
        "released": view["released"],
    }


def pack(prog: Programme, view: Mapping[str, Any], judge_id: str,
         references: Mapping[str, str], clean: Callable[[str], str] | None = None
         ) -> dict[str, Any]:
    """A judge's pack: their assigned entries, anonymised, in category then reference
    order (`references` maps every entry ID to its reference, as
    judging.references.of_programme gives them), without those they recused from.
    `clean` is cleaner(view), when the caller makes every judge's pack (it reads every
    entry: once for all of them, not once a judge)."""
    judge = prog.judges[judge_id]
    clean = clean or cleaner(view)
    entries = []
    recused = 0
    own: dict[str, dict[str, Any]] = {}  # the pack's categories with a rubric of their own
    for entry_id, entry, judgement in assigned(prog, view, judge_id, references):
        if judgement.conflict is not None:
            recused += 1
            continue
        rubric = prog.rubric_for(entry["category"])
        if rubric != prog.settings.rubric:
            own.setdefault(entry["category"], {"title": entry["category_title"],
                                               **rubric_view(rubric)})
        entries.append({**anonymise(entry, references[entry_id], clean),
                        "rubric": rubric_view(rubric)})
    rnd = prog.round_view or prog.rounds[0]
    return {
        "programme": view["programme"],
        "judge": {"id": judge_id, "name": judge.name},
        "entries": entries,
        "own_rubrics": list(own.values()),
        "recused": recused,
        "categories": [{"id": c["id"], "title": c["title"]} for c in view["categories"]],
        "round": {"id": rnd.id, "title": rnd.title, "ranked": rnd.ranked,
                  "named": prog.settings.rounds is not None, "path": rnd.path(judge_id),
                  "due": rnd.closes or view["programme"]["judging_deadline"]},
        "ballots": [{"id": c["id"], "title": c["title"],
                     "finalists": [e for e in entries if e["category"] == c["id"]]}
                    for c in view["categories"]
                    if any(e["category"] == c["id"] for e in entries)] if rnd.ranked else [],
    }


def assigned(prog: Programme, view: Mapping[str, Any], judge_id: str,
             references: Mapping[str, str]
             ) -> list[tuple[str, dict[str, Any], Judgement]]:
    """Every entry in a judge's score sheet, recused or not, as (entry ID, its view (not
    anonymised: see anonymise), the judgement), in category then reference order: the
    judge pack's order, and the scoring workbook's."""
    sheet = prog.folder.sheets.get(judge_id)
    judgements = sheet.judgements if sheet is not None else {}
    order = {c["id"]: n for n, c in enumerate(view["categories"])}
    by_id = {e["id"]: e for c in view["categories"] for e in c["entries"]}
    found = [(entry_id, by_id[entry_id], judgement)
             for entry_id, judgement in judgements.items() if entry_id in by_id]
    found.sort(key=lambda item: (order.get(item[1]["category"], len(order)),
                                 references[item[0]]))
    return found


def cleaner(view: Mapping[str, Any], judges: Iterable[Judge] = (),
            also: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """What anonymising does to an entry's free text: every entry's identities (see
    identities) become placeholders, and so does every e-mail address, web address and
    @handle; so do the `judges`' names, IDs and GitHub handles, and the keys of `also`
    (its values are their placeholders)."""
    entries = [e for c in view["categories"] for e in c["entries"]]
    panel = list(judges)
    found = identities(entries)
    for judge in panel:
        for handle in filter(None, (judge.id, judge.github)):
            found[handle] = found["@" + handle] = "[name]"
    redact = redactor({**found, **(also or {})})
    # the people again, as people write names: 'JO O'NEILL', 'Jo M. O'Neill', 'O'Neill,
    # Jo' for the lead 'Dr Jo O'Neill'
    names = NameFinder([*((name, "[name]") for entry in entries for name in entry["people"]),
                        *((judge.name, "[name]") for judge in panel)])

    def clean(text: str) -> str:
        text = redact_contacts(redact(text))
        found = names.find(text) + [(start, end, "[phone number]") for start, end, kind
                                    in contact_details(text) if kind == PHONE_NUMBER]
        out: list[str] = []
        done = 0
        for start, end, mark in sorted(found):
            if start >= done:  # two names' matches may overlap: the first one goes
                out += [text[done:start], mark]
                done = end
        return "".join(out) + text[done:]

    return clean


def identities(entries: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """What identifies the entrants: every entry's organisation, people (a team member
    written `Name <e-mail>` by name too), e-mail and GitHub handle, each with its
    placeholder. Redacted from every entry in a pack, so one entry naming another's
    organisation (as a partner, say) gives nothing away."""
    replacements: dict[str, str] = {}
    for entry in entries:
        for name in entry["people"]:
            replacements[name] = "[name]"
            if without_email(name):
                replacements[without_email(name)] = "[name]"
        if entry["lead"].get("email"):
            replacements[entry["lead"]["email"]] = "[e-mail]"
        if entry.get("submitted_by"):
            replacements[entry["submitted_by"]] = "[name]"
            replacements["@" + entry["submitted_by"]] = "[name]"
        replacements[entry["organisation"]] = "[organisation]"
    return replacements


def anonymise(entry: Mapping[str, Any], reference: str, clean: Callable[[str], str]
              ) -> dict[str, Any]:
    """An entry without who made it: its ID becomes its reference; the organisation,
    the people, the e-mail and the GitHub handle are left out, and `clean` (see
    cleaner) redacts them wherever the text repeats them, as it does every e-mail
    address, web address and @handle."""
    return {
        "reference": reference,
        "title": clean(entry["title"]),
        "category": entry["category"],
        "category_title": entry["category_title"],
        "care_setting": entry["care_setting"],
        "patient_involvement": entry["patient_involvement"],
        "submitted": entry["submitted"],
        "summary": clean(entry["summary"]),
        "body": clean(entry["body"]),
        "measures": anonymised(entry["measures"], clean),
    }


def eligibility(settings: ProgrammeFile, category: Category) -> str:
    """Who may enter a category, in words for entrants: 'For safety projects in primary
    care only.', then the category's description. The theme and settings are the
    programme's labels."""
    accepts = category.accepts
    where = (f"in {settings_words(settings, accepts)} only" if accepts
             else "in any care setting")
    text = f"For {in_sentence(settings.theme_label(category.theme))} projects {where}"
    if category.requires_patient_involvement:
        text += ", where patients or the public helped to shape the work"
    text += "."
    if category.description:
        text += " " + one_line(category.description)
    return text


def entry_form(prog: Programme) -> dict[str, Any]:
    """What the entry form asks for: the categories, the fields' notes as `qsi new entry`
    writes them (writes/new_entry.py), the sections with their limits and guidance, and
    the programme's wording (consent, privacy, what to do with the saved file)."""
    from ..dates import long_date
    from ..load import WINDOWS_NAMES
    from ..model import EMAIL_MAX, EMAIL_PATTERN
    from ..writes.new_entry import HINTS, entry_sections, setting_choices, words_note

    settings = prog.settings
    rules = settings.entry_rules
    deadline = settings.milestone("submission_deadline")
    wording = settings.entry_form
    hints: dict[str, str | None] = {key: value for key, value in HINTS.items()
                                    if key not in ("submitted", "summary", "words", "no_limit")}
    hints["submitted"] = HINTS["submitted"].format(deadline=deadline) if deadline else None
    hints["care_setting"] = HINTS["care_setting"].format(settings=setting_choices(settings))

    def asks(by: EntryRules) -> dict[str, Any]:
        """The summary's limit (and its note in the file) and the sections, by `by`."""
        return {"summary_max_words": by.summary_max_words,
                "summary_hint": HINTS["summary"].format(words=words_note(by.summary_max_words)),
                "sections": [{"title": s.title, "max_words": s.max_words,
                              "guidance": one_line(s.guidance) if s.guidance else None,
                              "note": words_note(s.max_words)}
                             for s in entry_sections(by)]}

    programme_asks = asks(rules)
    return {
        "categories": [
            {"id": c.id, "title": one_line(c.title), "theme": c.theme,
             "settings": list(c.accepts),
             "settings_words": settings_words(settings, c.accepts),
             "requires_patient_involvement": c.requires_patient_involvement,
             "eligibility": eligibility(settings, c),
             # the category's own entry rules, or the programme's (what validate checks)
             "asks": asks(settings.entry_rules_for(c))}
            for c in prog.categories],
        "settings": [s.id for s in settings.settings],
        # the programme's, asked for until a category is chosen
        "asks": programme_asks,
        "summary_max_words": rules.summary_max_words,
        "sections": programme_asks["sections"],
        "deadline": deadline.isoformat() if deadline else None,
        "deadline_long": long_date(deadline) if deadline else None,
        "hints": hints,
        "email_pattern": EMAIL_PATTERN,
        "email_max": EMAIL_MAX,
        "windows_names": sorted(WINDOWS_NAMES),
        "consent_to_publish": one_line(wording.consent_to_publish),
        "privacy": one_line(wording.privacy),
        "how_to_send": one_line(wording.how_to_send),
    }


def results(prog: Programme, tally: Results) -> dict[str, Any]:
    """The steering group's results pack: the whole tally (`qsi tally --format json`'s
    categories: rank, entry, title, organisation, score, judges, spread, award, flags),
    each category's undecided places and decision with the entries' titles, the
    measures of the entries in line for an award (`measured`), and when the results are
    released."""
    from ..report.tally import as_dict

    document = as_dict(tally)
    titles = {e["entry"]: one_line(e["title"])
              for c in document["categories"] for e in c["entries"]}
    categories = []
    for category in document["categories"]:
        decision = category["decision"]
        if decision is not None:
            winner = decision.get("winner")
            decision = {"winner": titles.get(winner, winner) if winner else None,
                        "highly_commended": [titles.get(e, e) for e in
                                             decision.get("highly_commended", [])],
                        "reason": one_line(decision["reason"])}
        undecided = [{"awards": u["awards"], "entries": [titles.get(e, e) for e in u["entries"]]}
                     for u in category["undecided"]]
        # the evidence over time of the entries in line for an award
        measured = [{"entry": e["entry"], "title": titles[e["entry"]],
                     "measures": [measure_view(series)
                                  for series in prog.folder.entries[e["entry"]].measures]}
                    for e in category["entries"]
                    if e["award"] is not None and e["entry"] in prog.folder.entries]
        categories.append({**category, "undecided": undecided, "decision": decision,
                           "measured": [m for m in measured if m["measures"]]})
    return {
        "programme": programme_view(prog),
        "method": document["method"],
        "categories": categories,
        "entry_count": len(titles),
    }
