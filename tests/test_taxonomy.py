"""A programme's own taxonomy (issue 16 §1): themes and care settings from programme.yaml,
a category spanning two settings, a category with its own rubric and word limits, and a
withdrawn entry. It validates, tallies (by hand below) and renders with its labels; the
schemas accept it; the withdrawn entry is in no public output and not in the tally, but
stays in validate and status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import entry_text, write_programme
from conftest import findings_of, run_cli
from render_support import files_under, pdf_text, render
from test_schemas import validator

THEMES = [{"id": "safety", "label": "Safety"}, {"id": "workforce", "label": "Workforce"}]
SETTINGS = [{"id": "primary", "label": "Primary care"},
            {"id": "mental-health", "label": "Mental health services"}]
# the workforce category's own rubric: scale 1 to 5, wellbeing weighs 1, reach 3
OWN_RUBRIC = {"scale": {"min": 1, "max": 5}, "criteria": [
    {"id": "wellbeing", "title": "Staff wellbeing", "weight": 1},
    {"id": "reach", "title": "Reach across the workforce", "weight": 3}]}
OWN_RULES = {"summary_max_words": 8, "sections": [{"title": "Story", "max_words": 12}]}
CATEGORIES: list[dict[str, Any]] = [
    {"id": "safety-any", "title": "Best safety initiative", "theme": "safety",
     "settings": ["primary", "mental-health"]},
    {"id": "workforce", "title": "Best workforce initiative", "theme": "workforce",
     "setting": "mental-health", "rubric": OWN_RUBRIC, "entry_rules": OWN_RULES},
]
WITHDRAWN_TITLE = "Zebra crossing audit withdrawn"
STORY = "## Story\nStaff felt better.\n"


def _meta(entry_id: str, category: str, setting: str, **extra: Any) -> dict[str, Any]:
    return {"title": f"Project {entry_id.upper()}", "category": category,
            "organisation": f"Org {entry_id}", "care_setting": setting,
            "lead": {"name": "Pat Lead", "email": f"{entry_id}@example.nhs.uk"},
            "submitted": "2020-01-15", "consent_to_publish": True,
            "summary": "Short summary.", **extra}


def make(root: Path, workforce_score: int = 5) -> Path:
    """The programme; `workforce_score` is j3's wellbeing score for w1."""
    entries = {
        "a": _meta("a", "safety-any", "primary"),
        "b": _meta("b", "safety-any", "mental-health"),
        "c": _meta("c", "safety-any", "primary", title=WITHDRAWN_TITLE,
                   withdrawn={"date": "2020-02-10", "reason": "The team moved on."}),
        "w1": _meta("w1", "workforce", "mental-health"),
        "w2": _meta("w2", "workforce", "mental-health"),
    }
    sheets = {
        "j1": {"a": {"ambition": 8, "impact": 6}, "b": {"ambition": 5, "impact": 5},
               "c": {"ambition": 10, "impact": 10}},
        "j2": {"a": {"ambition": 6, "impact": 8}, "b": {"ambition": 7, "impact": 9},
               "c": {"ambition": 10, "impact": 10}},
        "j3": {"w1": {"wellbeing": workforce_score, "reach": 3},
               "w2": {"wellbeing": 2, "reach": 5}},
        "j4": {"w1": {"wellbeing": 4, "reach": 4}, "w2": {"wellbeing": 3, "reach": 4}},
    }
    write_programme(root, categories=CATEGORIES, sheets=sheets,
                    judging={"shortlist_size": 3, "highly_commended": 1,
                             "tiebreak": ["impact"]},
                    extra_settings={"themes": THEMES, "settings": SETTINGS})
    for entry_id, meta in entries.items():
        body = STORY if meta["category"] == "workforce" else None
        (root / "entries" / f"{entry_id}.md").write_text(entry_text(meta, body), "utf-8")
    return root


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("taxonomy") / "programme")


LEFT = "scores-for-left-entry"


def _validate(root: Path, left: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """validate's exit code and findings; the warnings for the withdrawn entry's scores
    (j1's and j2's for c, in `make`) only when `left`."""
    result = run_cli(["validate", "-p", root, "--format", "json"])
    found = findings_of(result.stdout)["findings"]
    return result.exit_code, [f for f in found if left or f["code"] != LEFT]


def test_it_validates(programme: Path) -> None:
    """Clean, but for a warning on each sheet that scored the withdrawn entry."""
    code, found = _validate(programme, left=True)
    assert code == 0
    assert [(f["path"], f["code"]) for f in found] == [("scores/j1.yaml", LEFT),
                                                       ("scores/j2.yaml", LEFT)]
    assert all(f["message"].startswith("'c' was withdrawn on 2020-02-10, so these scores are "
                                       "not counted") for f in found)


def test_the_schemas_accept_it(programme: Path) -> None:
    for kind, rel in (("programme", "programme.yaml"), ("categories", "categories.yaml")):
        data = yaml.safe_load((programme / rel).read_text("utf-8"))
        assert list(validator(kind).iter_errors(json.loads(json.dumps(data, default=str)))) \
            == []
    meta = yaml.safe_load((programme / "entries" / "b.md").read_text("utf-8").split("---")[1])
    assert list(validator("entry").iter_errors(json.loads(json.dumps(meta, default=str)))) == []


def test_the_tally_is_on_each_categorys_rubric(programme: Path) -> None:
    result = run_cli(["tally", "-p", programme, "--format", "json"])
    assert result.exit_code == 0, result.output
    tally = json.loads(result.stdout)
    got = {c["id"]: [(e["entry"], e["score"], e["award"]) for e in c["entries"]]
           for c in tally["categories"]}
    # by hand: S = Σ w·x / Σ w. safety-any on programme.yaml's rubric (ambition 20, impact
    # 30): a = (6.8 + 7.2)/2 = 7.0; b = (5.0 + 8.2)/2 = 6.6; c, withdrawn, is not there
    # (its 10s would have won). workforce on its own (wellbeing 1, reach 3): w1 = (14/4 +
    # 16/4)/2 = 3.75; w2 = (17/4 + 15/4)/2 = 4.0
    assert got == {"safety-any": [("a", 7.0, "winner"), ("b", 6.6, "highly_commended")],
                   "workforce": [("w2", 4.0, "winner"), ("w1", 3.75, "highly_commended")]}


def test_scores_are_checked_against_the_categorys_rubric(tmp_path: Path) -> None:
    """7 is on programme.yaml's scale (0 to 10) but not on the workforce category's."""
    code, found = _validate(make(tmp_path / "p", workforce_score=7))
    assert code == 1
    assert [(f["path"], f["code"]) for f in found] == [("scores/j3.yaml", "score-out-of-range")]
    assert "outside the scale 1 to 5" in found[0]["message"]


def test_the_categorys_word_limits_apply(tmp_path: Path) -> None:
    root = make(tmp_path / "p")
    meta = _meta("w1", "workforce", "mental-health",
                 summary="One two three four five six seven eight nine.")
    (root / "entries" / "w1.md").write_text(entry_text(meta, STORY), "utf-8")
    # a safety entry with the programme's sections, and no Story, is fine
    code, found = _validate(root)
    assert code == 1
    assert [(f["path"], f["code"]) for f in found] == [("entries/w1.md", "too-many-words")]
    assert "the limit is 8" in found[0]["message"]


def test_a_setting_outside_the_category_or_the_programme(tmp_path: Path) -> None:
    root = make(tmp_path / "p")
    for entry_id, setting in (("a", "secondary"), ("w1", "primary")):
        meta = _meta(entry_id, "safety-any" if entry_id == "a" else "workforce", setting)
        body = STORY if entry_id == "w1" else None
        (root / "entries" / f"{entry_id}.md").write_text(entry_text(meta, body), "utf-8")
    code, found = _validate(root)
    assert code == 1
    assert sorted((f["path"], f["code"]) for f in found) == [
        ("entries/a.md", "unknown-setting"), ("entries/w1.md", "setting-mismatch")]
    messages = {f["path"]: f["message"] for f in found}
    assert "use one of primary, mental-health" in messages["entries/a.md"]
    assert "'workforce' is for mental health services, but" in messages["entries/w1.md"]


def test_status_lists_the_withdrawn_entry(programme: Path) -> None:
    result = run_cli(["status", "-p", programme, "--format", "json"])
    status = json.loads(result.stdout)
    assert status["entries"] == 4
    assert status["left"] == [{"entry": "c", "title": WITHDRAWN_TITLE, "status": "withdrawn",
                               "date": "2020-02-10", "reason": "The team moved on."}]
    text = run_cli(["status", "-p", programme]).stdout
    assert "withdrawn on 10 Feb 2020: The team moved on." in text


def test_outputs_show_the_labels_and_never_the_withdrawn_entry(programme: Path,
                                                               tmp_path: Path) -> None:
    for kind in ("site", "shortlist", "certificates", "announcement", "packs",
                 "workbooks", "entry-form"):
        render(kind, programme, tmp_path / kind)
    texts: dict[str, str] = {}
    for rel in files_under(tmp_path):
        path = tmp_path / rel
        if path.suffix == ".pdf":
            texts[rel] = pdf_text(path)
        elif path.suffix in (".html", ".md", ".csv", ".txt", ".json"):
            texts[rel] = path.read_text("utf-8")
    everything = "\n".join(texts.values())
    assert WITHDRAWN_TITLE not in everything
    assert "Org c" not in everything
    site = texts["site/index.html"]
    assert "Mental health services" in site and "Workforce" in site
    assert "Primary care or Mental health services" in site  # the category's settings
    assert "Mental health services" in texts["shortlist/shortlist.html"]
    assert "Staff wellbeing" in texts["packs/j3.html"]  # the category's own rubric
    assert "Staff wellbeing" not in texts["packs/j1.html"]
    assert "For safety projects in primary care or mental health services only." in texts[
        "entry-form/entry-form.html"]
    certificates = " ".join(t for rel, t in texts.items() if rel.startswith("certificates/"))
    assert "Project W2" in certificates and "Project A" in certificates


def test_a_workbook_is_on_its_judges_rubric(programme: Path, tmp_path: Path) -> None:
    import openpyxl

    render("workbooks", programme, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "j3.xlsx")
    headings = [cell.value for cell in book["Scores"][1] if cell.value]
    assert "Staff wellbeing" in " ".join(map(str, headings))
    guide = " ".join(str(c.value) for row in book["How to score"].iter_rows() for c in row
                     if c.value)
    assert "from 1 to 5" in guide


# Withdrawn and disqualified entries, on their own ---------------------------------------


@pytest.mark.parametrize("how", ["withdrawn", "disqualified"])
def test_an_entry_out_of_the_awards_stays_on_record(tmp_path: Path, how: str) -> None:
    """It would win on its scores; it is not tallied, assigned or published, but validate
    still checks it and status gives the reason."""
    out = {how: {"date": "2020-02-10", "reason": "Submitted twice."}}
    root = write_programme(
        tmp_path / "p",
        entries={"x": _meta("x", "cat-a", "hospital", title=WITHDRAWN_TITLE, **out),
                 "y": _meta("y", "cat-a", "primary")},
        sheets={"j1": {"x": {"ambition": 10, "impact": 10}, "y": {"ambition": 5, "impact": 5}},
                "j2": {"x": {"ambition": 10, "impact": 10}, "y": {"ambition": 7, "impact": 7}}})
    code, found = _validate(root, left=True)  # checked though out of the awards
    assert code == 1
    assert [(f["path"], f["code"]) for f in found] == [
        ("entries/x.md", "unknown-setting"), ("scores/j1.yaml", LEFT), ("scores/j2.yaml", LEFT)]
    assert f"'x' was {how} on 2020-02-10, so these scores are not counted" in found[1]["message"]
    (root / "entries" / "x.md").write_text(
        entry_text(_meta("x", "cat-a", "primary", title=WITHDRAWN_TITLE, **out)), "utf-8")
    assert _validate(root) == (0, [])
    tally = json.loads(run_cli(["tally", "-p", root, "--format", "json"]).stdout)
    assert [(e["entry"], e["score"], e["award"]) for e in tally["categories"][0]["entries"]
            ] == [("y", 6.0, "winner")]
    status = json.loads(run_cli(["status", "-p", root, "--format", "json"]).stdout)
    assert [(e["entry"], e["status"], e["reason"]) for e in status["left"]] == [
        ("x", how, "Submitted twice.")]
    assert status["short_of_judges"] == [] and status["ready_to_tally"] is True
    render("site", root, tmp_path / "site")
    render("packs", root, tmp_path / "packs")
    for rel in files_under(tmp_path / "site") | {f"../packs/{r}" for r in
                                                  files_under(tmp_path / "packs")}:
        if rel.endswith((".html", ".csv")):
            assert WITHDRAWN_TITLE not in (tmp_path / "site" / rel).read_text("utf-8"), rel
    assigned = run_cli(["assign", "-p", root, "--dry-run", "--format", "json"])
    assert "\"x\"" not in assigned.stdout
    # the steering group cannot award it
    (root / "decisions.yaml").write_text(yaml.safe_dump({"decisions": [
        {"category": "cat-a", "winner": "x", "reason": "Ratified."}]}), "utf-8")
    code, found = _validate(root)
    assert code == 1 and [(f["path"], f["code"]) for f in found] == [
        ("decisions.yaml", "bad-decision")]
    assert f"'x' was {how} on 2020-02-10" in found[0]["message"]


# qsi init with a taxonomy -----------------------------------------------------------


def test_init_takes_a_taxonomy(tmp_path: Path) -> None:
    target = tmp_path / "region"
    result = run_cli(["init", target, "--region", "Northshire",
                      "--setting", "primary=Primary care",
                      "--setting", "mental-health=Mental health services",
                      "--theme", "safety=Safety", "--theme", "workforce=Workforce"])
    assert result.exit_code == 0, result.output
    settings = yaml.safe_load((target / "programme.yaml").read_text("utf-8"))
    assert settings["themes"] == THEMES and settings["settings"] == SETTINGS
    categories = yaml.safe_load((target / "categories.yaml").read_text("utf-8"))["categories"]
    assert [(c["id"], c["title"]) for c in categories] == [
        ("safety-primary", "Best safety initiative in primary care"),
        ("safety-mental-health", "Best safety initiative in mental health services"),
        ("workforce-primary", "Best workforce initiative in primary care"),
        ("workforce-mental-health", "Best workforce initiative in mental health services"),
        ("safety-patients",
         "Best safety initiative involving and engaging patients and the public"),
        ("workforce-patients",
         "Best workforce initiative involving and engaging patients and the public")]
    assert "Mental health services" in (target / "forms" / "entry-map.yaml").read_text("utf-8")
    code, found = _validate(target)
    assert code == 0 and {f["code"] for f in found} <= {"too-few-judges"}


@pytest.mark.parametrize("option", ["--setting", "--theme"])
@pytest.mark.parametrize("value", ["Mental health", "Mental Health=x", "x=", "a=b\x07"])
def test_init_refuses_a_bad_taxonomy_option(tmp_path: Path, option: str, value: str) -> None:
    result = run_cli(["init", tmp_path / "p", option, value])
    assert result.exit_code == 2
    assert "ID=Label" in result.output and not (tmp_path / "p").exists()


NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")


def test_scaffold_comments_name_no_value_a_programme_may_change() -> None:
    """A comment beside a value does not repeat it (judges_per_entry: 3 said 'three
    judges' after the 3 was changed), and no comment counts what may change (the eight
    categories, three judges)."""
    import re

    scaffold = Path(__file__).resolve().parent.parent / "src/qsi_awards/writes/scaffold"
    for path in sorted(scaffold.rglob("*")):
        if not path.is_file() or not (path.suffix == ".yaml" or path.name == "README.md"):
            continue  # the example entry's text is an entrant's, not a comment
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            where = f"{path.name}:{number}"
            value, _, comment = line.partition("  #")
            comment = comment.lower() if path.suffix == ".yaml" else line.lower()
            full_comment = line.lstrip().startswith("#")
            # (a comment listing every choice, 'mean | zscore', stays true)
            if path.suffix == ".yaml" and ":" in value and comment and not full_comment \
                    and "|" not in comment:
                for word in re.findall(r"[a-z]+|\d+", value.partition(":")[2].lower()):
                    assert word not in re.findall(r"[a-z]+|\d+", comment), where
            if full_comment:
                comment = line.lower()
            assert not set(re.findall(r"[a-z]+", comment)) & set(NUMBER_WORDS), where


def test_import_entries_writes_each_categorys_sections(tmp_path: Path) -> None:
    """The map qsi init would make asks for every section (the workforce category's own
    Story too); each imported entry gets its category's sections and validates."""
    import csv

    from qsi_awards.programme import open_programme
    from qsi_awards.writes import questionnaire

    root = make(tmp_path / "p")
    for entry in ("a", "b", "c", "w1", "w2"):
        (root / "entries" / f"{entry}.md").unlink()
    for sheet in (root / "scores").iterdir():
        sheet.unlink()
    prog = open_programme(root)
    categories = {c.id: c for c in prog.categories}
    (root / "forms").mkdir()
    (root / "forms" / "entry-map.yaml").write_text(
        questionnaire.map_text(prog.settings, categories), "utf-8")
    asked = questionnaire.questions(prog.settings, categories.values())
    assert [(q.text, q.required) for q in asked if q.field.startswith("section:")] == [
        ("Challenge", True), ("Approach", True), ("Impact", True),
        ("Spread and adoption", True), ("Story", False)]  # qsi's four, then the category's
    base = {"ID": "1", "Completion time": "2020-01-20 10:00", "Organisation": "Org",
            "Project lead's name": "Pat Lead", "Project lead's work e-mail address":
            "pat@example.nhs.uk", "Summary": "Short summary.",
            "Did patients, carers or the public help shape the work?": "No",
            "Consent to publish": "Yes, the programme may publish this entry"}
    rows = [{**base, "Project title": "Ward safety", "Award category": "Best safety initiative",
             "Care setting": "Mental health services", "Challenge": "Falls.",
             "Impact": "Fewer falls."},
            {**base, "ID": "2", "Project title": "Rota kindness",
             "Award category": "Best workforce initiative",
             "Care setting": "Mental health services", "Story": "Staff felt better."}]
    headers = ["ID", "Completion time"] + [q.text for q in asked]
    with (tmp_path / "export.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers, restval="")
        writer.writeheader()
        writer.writerows(rows)
    result = run_cli(["import", "entries", tmp_path / "export.csv", "-p", root])
    assert result.exit_code == 0, result.output
    story = (root / "entries" / "rota-kindness.md").read_text("utf-8")
    assert "## Story\n" in story and "## Challenge" not in story
    assert "care_setting: mental-health" in story
    assert {f["code"] for f in _validate(root)[1]} <= {"too-few-judges"}


def test_a_categorys_own_rubric_is_checked(tmp_path: Path) -> None:
    root = make(tmp_path / "p")
    text = (root / "categories.yaml").read_text("utf-8")
    text = text.replace("min: 1", "min: 5").replace("id: reach", "id: wellbeing")
    (root / "categories.yaml").write_text(text, "utf-8")
    code, found = _validate(root)
    assert code == 1
    assert {(f["path"], f["code"]) for f in found} >= {("categories.yaml", "bad-scale"),
                                                        ("categories.yaml", "duplicate-id")}


def test_the_entry_form_offers_a_categorys_settings(programme: Path, tmp_path: Path) -> None:
    """In the browser: a category spanning two settings allows both (and no other); one
    with a single setting sets it; the labels are the programme's."""
    from render_support import chromium

    render("entry-form", programme, tmp_path)
    with chromium() as browser:
        page = browser.page()
        page.goto((tmp_path / "entry-form.html").as_uri())
        page.wait_for_load_state("load")
        assert page.locator("label[for=care-setting-mental-health]").inner_text() == (
            "Mental health services")
        page.check("#category-workforce")
        assert page.is_checked("#care-setting-mental-health")
        assert page.is_disabled("#care-setting-primary")
        assert page.locator("#care-setting-hint").inner_text() == (
            "‘Best workforce initiative’ is for mental health services only, so that is "
            "the care setting.")
        page.check("#category-safety-any")
        assert page.is_enabled("#care-setting-primary")
        assert page.is_enabled("#care-setting-mental-health")
        assert page.locator("#care-setting-hint").inner_text() == (
            "‘Best safety initiative’ is for primary care or mental health services only.")
        page.close()
        assert browser.errors == []


def test_zscore_over_rubrics_with_different_totals() -> None:
    """Weights 2:3 and 20:30 give every judgement the same S, so a zscore tally with one
    category on each must equal the tally with both on one rubric (the standardisation
    brings Σ W of 5 and of 50 to one denominator)."""
    from builder import category, fronts
    from qsi_awards.judging.tally import JudgementRecord, Settings, tally

    entries = fronts({f"e{i}": {"category": "x" if i % 2 else "y", "organisation": f"O{i}"}
                      for i in range(6)})
    records = [JudgementRecord(judge, f"e{i}", {"ambition": (i * 3 + n) % 11,
                                               "impact": (i * 5 + 2 * n) % 11})
               for n, judge in enumerate(("j1", "j2", "j3")) for i in range(6)]
    cats = [category("x", "X"), category("y", "Y")]
    one = Settings(weights={"ambition": 20, "impact": 30}, judges_per_entry=3,
                   method="zscore")
    two = Settings(weights={"ambition": 20, "impact": 30}, judges_per_entry=3,
                   method="zscore", category_weights={"y": {"ambition": 2, "impact": 3}})
    same, mixed = tally(one, cats, entries, records), tally(two, cats, entries, records)
    assert (same.pooled_mean, same.pooled_sigma) == (mixed.pooled_mean, mixed.pooled_sigma)
    assert [(r.entry, r.score, r.rank) for c in same.categories for r in c.entries] == [
        (r.entry, r.score, r.rank) for c in mixed.categories for r in c.entries]
