"""Generate a SPEC-conforming programme of any size, deterministically.

    python bench/generate.py OUT --entries 10000 --judges 100 [--seed 1]
                             [--sheets scored|assigned|empty] [--form]

Entries carry realistic front matter and four sections of about 120 words; every
entry gets three judges (never a conflicted one) with complete score sheets. With
--sheets assigned, the same entries and judgements but every score null, as
`qsi assign` writes them (what judges are given to score); with --sheets empty, every
score sheet empty (`scores: {}`): nothing assigned yet, the hard case for `qsi assign`.

With --form, OUT is a programme with no entries and a map (forms/entry-map.yaml), and
OUT.csv beside it a Microsoft Forms export of --entries responses to the entry form,
each answered as the generated entry would be (what `qsi import entries` takes).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from pathlib import Path
from typing import Literal, get_args

Sheets = Literal["scored", "assigned", "empty"]

CATEGORIES = [
    ("safety-primary", "Best safety initiative in primary care", "safety", "primary"),
    ("safety-secondary", "Best safety initiative in secondary care", "safety", "secondary"),
    ("safety-community", "Best safety initiative in community care", "safety", "community"),
    ("qi-primary", "Best QI initiative in primary care", "qi", "primary"),
    ("qi-secondary", "Best QI initiative in secondary care", "qi", "secondary"),
    ("qi-community", "Best QI initiative in community care", "qi", "community"),
    ("safety-patients", "Best safety initiative involving patients and the public", "safety", None),
    ("qi-patients", "Best QI initiative involving patients and the public", "qi", None),
]
CRITERIA = [("ambition", "Ambition", 20), ("collaboration", "Collaboration", 20),
            ("impact", "Impact", 30), ("spread", "Scale and spread", 15),
            ("sustainability", "Sustainability", 15)]
WORDS = ("patients staff ward team falls sepsis screening huddle discharge safety quality "
         "improvement audit baseline measure run chart PDSA cycle pharmacist nurse GP practice "
         "community trust frailty medicines reconciliation pressure ulcer prevention carers "
         "families co-design outcomes reduced improved weeks months data harm never event "
         "learning spread adoption region Kent Medway hospital clinic referral pathway "
         "escalation early warning score training champions governance board sustained "
         "results evidence feedback survey experience safer faster better the and of to in "
         "with for on we our a was were by from at as that this").split()
TOPICS = ["falls", "sepsis", "discharge", "deprescribing", "pressure ulcers", "frailty",
          "medicines", "handover", "deterioration", "diabetes", "triage", "dementia"]
ORGS = [f"Organisation {i}" for i in range(60)]
SECTIONS = ("Challenge", "Approach", "Impact", "Spread and adoption")


def words(rnd: random.Random, count: int) -> str:
    out = []
    line: list[str] = []
    for _ in range(count):
        line.append(rnd.choice(WORDS))
        if len(line) == 14:
            out.append(" ".join(line))
            line = []
    if line:
        out.append(" ".join(line))
    return "\n".join(out)


class Entry:
    """What one entry says (the `i`-th), drawn from `rnd`."""

    def __init__(self, rnd: random.Random, i: int) -> None:
        self.category, self.category_title, _, setting = CATEGORIES[i % len(CATEGORIES)]
        self.care = setting or rnd.choice(["primary", "secondary", "community"])
        self.organisation = rnd.choice(ORGS)
        self.title = f"Improving {rnd.choice(TOPICS)} care, project {i}"
        self.sections = [(title, words(rnd, rnd.randint(100, 140))) for title in SECTIONS]
        self.summary = words(rnd, 60)
        self.day = 1 + i % 28  # of January 2026, before the deadline
        self.consent = bool(i % 7)


def generate(out: Path, entries: int, judges: int, seed: int = 1,
             sheets: Sheets = "scored") -> Path:
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "entries").mkdir(parents=True)
    (out / "scores").mkdir()
    criteria = "".join(f"    - {{id: {c}, title: {t}, weight: {w}}}\n" for c, t, w in CRITERIA)
    (out / "programme.yaml").write_text(
        "name: National QSI Awards\nedition: \"2026\"\nregion: England\n"
        "hashtag: \"#QSIAwards\"\nmaintainers: [qsi-lead]\ntimeline:\n"
        "  - {id: deadline, title: Deadline, date: 2026-02-01, kind: submission_deadline}\n"
        "  - {id: ceremony, title: Ceremony, date: 2026-04-01, kind: ceremony}\n"
        "rubric:\n  scale: {min: 0, max: 10}\n  criteria:\n" + criteria +
        "judging:\n  judges_per_entry: 3\n  method: mean\n  tiebreak: [impact]\n"
        "  disagreement: 3.0\nentry_rules:\n  summary_max_words: 150\n  sections:\n"
        "    - {title: Challenge, max_words: 400}\n    - {title: Approach, max_words: 400}\n"
        "    - {title: Impact, max_words: 400}\n"
        "    - {title: Spread and adoption, max_words: 400}\n", encoding="utf-8")
    cats = "".join(
        f"  - id: {cid}\n    title: {title}\n    theme: {theme}\n"
        + (f"    setting: {setting}\n" if setting else "    requires_patient_involvement: true\n")
        for cid, title, theme, setting in CATEGORIES)
    (out / "categories.yaml").write_text("categories:\n" + cats, encoding="utf-8")
    panel = []
    for j in range(judges):
        org = f"Panel Organisation {j}"
        panel.append(f"  - id: judge-{j:03d}\n    name: Judge {j}\n    organisation: {org}\n"
                     f"    github: judge-{j:03d}\n"
                     f"    conflicts:\n      organisations: [{rnd.choice(ORGS)}]\n")
    (out / "judges.yaml").write_text("judges:\n" + "".join(panel), encoding="utf-8")
    judge_conflict = {}
    for j, block in enumerate(panel):
        judge_conflict[j] = block.split("organisations: [")[1].split("]")[0]
    assigned: dict[int, list[str]] = {j: [] for j in range(judges)}
    order = list(range(judges))
    cursor = 0
    for i in range(entries):
        entry = Entry(rnd, i)
        org = entry.organisation
        entry_id = f"entry-{i:05d}"
        sections = "".join(f"## {title}\n\n{text}\n\n" for title, text in entry.sections)
        (out / "entries" / f"{entry_id}.md").write_text(
            f"---\ntitle: {entry.title}\ncategory: {entry.category}\n"
            f"organisation: {org}\ncare_setting: {entry.care}\n"
            f"lead: {{name: Lead {i}, role: Matron, email: lead{i}@example.nhs.uk}}\n"
            f"team: [Member A{i}, Member B{i}]\nsubmitted_by: entrant-{i}\n"
            f"submitted: 2026-01-{entry.day:02d}\npatient_involvement: true\n"
            f"consent_to_publish: {'true' if entry.consent else 'false'}\n"
            f"summary: >\n  {entry.summary.replace(chr(10), chr(10) + '  ')}\n---\n"
            + sections, encoding="utf-8")
        chosen: list[int] = []
        while len(chosen) < 3:
            j = order[cursor % judges]
            cursor += 1
            if j not in chosen and judge_conflict[j] != org:
                chosen.append(j)
        for j in chosen:
            given = [rnd.randint(3, 10) for _ in CRITERIA]  # drawn alike for every --sheets
            if sheets == "assigned":
                judged = "".join(f"    {c}: null\n" for c, _, _ in CRITERIA)
            else:
                judged = "".join(f"    {c}: {score}\n" for (c, _, _), score
                                 in zip(CRITERIA, given, strict=True))
                judged += "    comment: Clear aims and data.\n"
            assigned[j].append(f"  {entry_id}:\n{judged}")
    for j, items in assigned.items():
        scores = "scores:\n" + "".join(items) if sheets != "empty" and items else "scores: {}\n"
        (out / "scores" / f"judge-{j:03d}.yaml").write_text(
            f"judge: judge-{j:03d}\n" + scores, encoding="utf-8")
    return out


ENTRY_MAP = """\
# The generated entry form: qsi import entries EXPORT
form: National QSI Awards 2026 entry form
dates: day-first
columns:
  response: ID
  submitted: Completion time
  title: Project title
  category: Award category
  organisation: Organisation
  care_setting: Care setting
  lead_name: Project lead's name
  lead_role: Project lead's job title
  lead_email: Project lead's work e-mail address
  team: Other team members
  patient_involvement: Did patients, carers or the public help shape the work?
  summary: Summary
  consent_to_publish: Consent to publish
sections:
""" + "".join(f"  {title}: {title}\n" for title in SECTIONS) + """\
answers:
  category:
""" + "".join(f"    {title}: {cid}\n" for cid, title, _, _ in CATEGORIES) + """\
  care_setting:
    Primary care: primary
    Secondary care: secondary
    Community care: community
  patient_involvement:
    "Yes": true
    "No": false
  consent_to_publish:
    Yes, the programme may publish this entry: true
    "No": false
"""
EXPORT_HEADERS = ["ID", "Start time", "Completion time", "Email", "Name", "Project title",
                  "Award category", "Organisation", "Care setting", "Project lead's name",
                  "Project lead's job title", "Project lead's work e-mail address",
                  "Other team members",
                  "Did patients, carers or the public help shape the work?", "Summary",
                  *SECTIONS, "Consent to publish"]


def forms_export(out: Path, responses: int, judges: int, seed: int = 1) -> Path:
    """A programme at `out` with no entries and a map, forms/entry-map.yaml; and beside
    it, `out`.csv, a Microsoft Forms export (CSV UTF-8, as Excel saves it) of `responses`
    responses answered as generate()'s entries are. Returns the export's path."""
    generate(out, 0, judges, seed, sheets="empty")
    (out / "forms").mkdir()
    (out / "forms" / "entry-map.yaml").write_text(ENTRY_MAP, encoding="utf-8")
    export = out.with_name(out.name + ".csv")
    rnd = random.Random(seed)
    with export.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADERS)
        for i in range(responses):
            entry = Entry(rnd, i)
            day = f"{entry.day:02d}/01/2026"
            email = f"lead{i}@example.nhs.uk"
            writer.writerow([
                i + 1, f"{day} 08:{i % 60:02d}:00", f"{day} 09:{i % 60:02d}:{7 * i % 60:02d}",
                email, f"Lead {i}", entry.title, entry.category_title,
                entry.organisation, f"{entry.care.capitalize()} care", f"Lead {i}", "Matron",
                email, f"Member A{i}\nMember B{i}", "Yes", " ".join(entry.summary.split()),
                *(text for _, text in entry.sections),
                "Yes, the programme may publish this entry" if entry.consent else "No"])
    return export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sheets", choices=get_args(Sheets), default="scored",
                        help="scored (every score given), assigned (every score null) or "
                             "empty (nothing assigned yet)")
    parser.add_argument("--form", action="store_true",
                        help="a programme with no entries and a map, and OUT.csv: a Forms "
                             "export of --entries responses")
    args = parser.parse_args()
    if args.form:
        forms_export(args.out, args.entries, args.judges, args.seed)
    else:
        generate(args.out, args.entries, args.judges, args.seed, args.sheets)


if __name__ == "__main__":
    main()
