"""Generate a SPEC-conforming programme of any size, deterministically.

    python bench/generate.py OUT --entries 10000 --judges 100 [--seed 1] [--unscored]

Entries carry realistic front matter and four sections of about 120 words; every
entry gets three judges (never a conflicted one) with complete score sheets. With
--unscored, the same entries and judges but every score sheet empty (`scores: {}`):
nothing assigned yet, the hard case for `qsi assign`.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

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


def generate(out: Path, entries: int, judges: int, seed: int = 1,
             scored: bool = True) -> Path:
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
    sheets: dict[int, list[str]] = {j: [] for j in range(judges)}
    order = list(range(judges))
    cursor = 0
    for i in range(entries):
        cid, _, _, setting = CATEGORIES[i % len(CATEGORIES)]
        care = setting or rnd.choice(["primary", "secondary", "community"])
        org = rnd.choice(ORGS)
        entry_id = f"entry-{i:05d}"
        topic = rnd.choice(TOPICS)
        sections = "".join(f"## {title}\n\n{words(rnd, rnd.randint(100, 140))}\n\n"
                           for title in ("Challenge", "Approach", "Impact",
                                         "Spread and adoption"))
        (out / "entries" / f"{entry_id}.md").write_text(
            f"---\ntitle: Improving {topic} care, project {i}\ncategory: {cid}\n"
            f"organisation: {org}\ncare_setting: {care}\n"
            f"lead: {{name: Lead {i}, role: Matron, email: lead{i}@example.nhs.uk}}\n"
            f"team: [Member A{i}, Member B{i}]\nsubmitted_by: entrant-{i}\n"
            f"submitted: 2026-01-{1 + i % 28:02d}\npatient_involvement: true\n"
            f"consent_to_publish: {'true' if i % 7 else 'false'}\n"
            f"summary: >\n  {words(rnd, 60).replace(chr(10), chr(10) + '  ')}\n---\n"
            + sections, encoding="utf-8")
        chosen: list[int] = []
        while len(chosen) < 3:
            j = order[cursor % judges]
            cursor += 1
            if j not in chosen and judge_conflict[j] != org:
                chosen.append(j)
        for j in chosen:
            scores = "".join(f"    {c}: {rnd.randint(3, 10)}\n" for c, _, _ in CRITERIA)
            sheets[j].append(f"  {entry_id}:\n{scores}    comment: Clear aims and data.\n")
    for j, items in sheets.items():
        scores = "scores:\n" + "".join(items) if scored else "scores: {}\n"
        (out / "scores" / f"judge-{j:03d}.yaml").write_text(
            f"judge: judge-{j:03d}\n" + scores, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unscored", action="store_true",
                        help="leave every score sheet empty (nothing assigned yet)")
    args = parser.parse_args()
    generate(args.out, args.entries, args.judges, args.seed, scored=not args.unscored)


if __name__ == "__main__":
    main()
