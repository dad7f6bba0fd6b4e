"""Measures for improvement (issue 14) in a programme: entries and adoption records
carry their data inline or in a CSV file beside them, `qsi validate` checks it with
findings at the line, and the charts reach the site's entry pages, an adoption page per
spread winner, and the judge packs (HTML and vector PDF), anonymised there.

The statistics themselves are tested in test_spc.py; each rule code has its negative
example in tests/examples/negative/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, REPO, copy_base, findings_of, git, git_commit_all, git_init, run_cli
from render_support import Browser, chromium, need, parse_html, pdf_text, render, words

MONTHS = [f"{2019 + n // 12}-{n % 12 + 1:02d}" for n in range(26)]
VALUES = [5.1, 4.8, 6.0, 5.5, 4.9, 5.2, 5.8, 4.6, 5.0, 5.3, 4.7, 5.6, 5.4, 4.4]


def add_measures(root: Path, entry: str, measures: list[dict[str, Any]]) -> Path:
    """Write `measures` into the front matter of entries/<entry>.md (before its summary)."""
    path = root / "entries" / f"{entry}.md"
    text = path.read_text("utf-8")
    block = yaml.safe_dump({"measures": measures}, sort_keys=False, width=200)
    path.write_text(text.replace("\nsummary:", "\n" + block.rstrip("\n") + "\nsummary:", 1),
                    "utf-8")
    return path


def measure(**extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"id": "falls", "title": "Falls at the practice",
                             "unit": "falls per month", "improvement": "lower"}
    found.update(extra)
    return found


def csv_text(months: list[str] = MONTHS[:14], values: list[float] = VALUES) -> str:
    return "period,value\n" + "".join(f"{m},{v}\n" for m, v in zip(months, values, strict=True))


def validate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["validate", "-p", root, "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, findings_of(result.stdout)["findings"]


def found(findings: list[dict[str, Any]]) -> list[tuple[str, int | None, str]]:
    return sorted((f["path"], f["line"], f["code"]) for f in findings)


# Reading the data ---------------------------------------------------------------------


def test_a_valid_csv_beside_its_entry_is_read(base_copy: Path) -> None:
    add_measures(base_copy, "falls-huddles", [measure(csv="falls-huddles.falls.csv")])
    (base_copy / "entries" / "falls-huddles.falls.csv").write_text(
        "\ufeff" + csv_text().replace("\n", "\r\n"), "utf-8")  # as Excel saves it
    assert validate(base_copy) == (0, [])
    from qsi_awards.programme import open_programme

    [series] = open_programme(base_copy).entries["falls-huddles"].measures
    assert series.points == tuple(zip(MONTHS[:14], VALUES, strict=True))
    assert series.source == "entries/falls-huddles.falls.csv"


def test_a_csv_meets_every_rule_an_input_file_does(base_copy: Path) -> None:
    """The CSV is read by the folder's reader: never through a link (even to a file in
    the folder), at most 1 MiB, UTF-8, a file and not a folder."""
    entries = base_copy / "entries"
    add_measures(base_copy, "falls-huddles", [
        measure(id="linked", csv="falls-huddles.linked.csv"),
        measure(id="big", csv="falls-huddles.big.csv"),
        measure(id="latin", csv="falls-huddles.latin.csv"),
        measure(id="folder", csv="falls-huddles.folder.csv")])
    (base_copy / "data.csv").write_text(csv_text(), "utf-8")
    (entries / "falls-huddles.linked.csv").symlink_to(base_copy / "data.csv")
    (entries / "falls-huddles.big.csv").write_text(csv_text() + "x" * (1024 * 1024), "utf-8")
    (entries / "falls-huddles.latin.csv").write_bytes(csv_text().encode() + "£".encode("latin-1"))
    (entries / "falls-huddles.folder.csv").mkdir()
    code, findings = validate(base_copy)
    assert code == 1
    assert found(findings) == [
        ("entries/falls-huddles.big.csv", 1, "too-large"),
        ("entries/falls-huddles.folder.csv", None, "unreadable"),
        ("entries/falls-huddles.latin.csv", 16, "not-utf8"),
        ("entries/falls-huddles.linked.csv", None, "symbolic-link")]
    outside = entries / "falls-huddles.linked.csv"
    outside.unlink()
    outside.symlink_to("/etc/passwd")
    assert ("entries/falls-huddles.linked.csv", 1, "outside-folder") in found(
        validate(base_copy)[1])


@pytest.mark.parametrize("name", ["../programme.yaml", "/etc/passwd", "sub/falls-huddles.x.csv",
                                  "falls-huddles.x.CSV", "..\\falls-huddles.x.csv",
                                  "falls-huddles..csv", "falls-huddles.x.csv\n"])
def test_no_csv_name_leads_anywhere_else(base_copy: Path, name: str) -> None:
    path = add_measures(base_copy, "falls-huddles", [measure(csv=name)])
    code, findings = validate(base_copy)
    assert code == 1
    [problem] = findings
    assert (problem["path"], problem["code"]) == ("entries/falls-huddles.md", "bad-value")
    assert problem["line"] == path.read_text("utf-8").splitlines().index(
        next(line for line in path.read_text("utf-8").splitlines() if "csv:" in line)) + 1
    assert "should name a CSV file beside this file" in problem["message"]


def test_a_csv_is_the_entrys_own(base_copy: Path) -> None:
    """Named after its entry, there, and named by a measure: otherwise a finding at the
    measure, or a warning on a CSV file nothing names."""
    entries = base_copy / "entries"
    add_measures(base_copy, "falls-huddles", [
        measure(id="other", csv="patient-panel.falls.csv"),
        measure(id="missing", csv="falls-huddles.missing.csv")])
    (entries / "patient-panel.falls.csv").write_text(csv_text(), "utf-8")
    (entries / "notes.csv").write_text("x", "utf-8")
    code, findings = validate(base_copy)
    assert code == 1
    assert found(findings) == [
        ("entries/falls-huddles.md", 17, "bad-value"),
        ("entries/falls-huddles.md", 22, "missing-file"),
        ("entries/notes.csv", None, "stray-file")]  # (the misnamed one has its finding)
    by_code = {f["code"]: f["message"] for f in findings}
    assert "named after it, falls-huddles.<name>.csv" in by_code["bad-value"]
    assert by_code["missing-file"].startswith(
        "entries/falls-huddles.missing.csv, the data of the measure 'missing', does not exist")


def test_an_entry_with_errors_keeps_its_csv_from_being_called_stray(base_copy: Path) -> None:
    path = add_measures(base_copy, "falls-huddles", [measure(csv="falls-huddles.falls.csv")])
    (base_copy / "entries" / "falls-huddles.falls.csv").write_text(csv_text(), "utf-8")
    path.write_text(path.read_text("utf-8").replace("care_setting: primary",
                                                    "care_setting: Hospital"), "utf-8")
    assert found(validate(base_copy)[1]) == [("entries/falls-huddles.md", 5, "bad-id")]


def test_a_measure_has_its_data_once(base_copy: Path) -> None:
    (base_copy / "entries" / "falls-huddles.falls.csv").write_text(csv_text(), "utf-8")
    points = dict(zip(MONTHS[:14], VALUES, strict=True))
    add_measures(base_copy, "falls-huddles", [
        measure(id="none"),
        measure(id="both", points=dict(points), csv="falls-huddles.falls.csv"),
        measure(id="none", points=dict(points))])
    code, findings = validate(base_copy)
    assert code == 1
    assert found(findings) == [("entries/falls-huddles.md", 13, "missing-field"),
                               ("entries/falls-huddles.md", 36, "bad-value"),
                               ("entries/falls-huddles.md", 37, "duplicate-id")]
    message = {f["code"]: f["message"] for f in findings}["duplicate-id"]
    assert message == ("The measure ID 'none' is used twice here (first on line 13); give "
                       "each measure its own ID.")


@pytest.mark.parametrize(("unit", "code"), [(None, "missing-field"), ("  ", "bad-value")])
def test_a_measure_says_what_it_counts(base_copy: Path, unit: str | None, code: str) -> None:
    given = measure(points={"2019-01": 1})
    if unit is None:
        del given["unit"]
    else:
        given["unit"] = unit
    add_measures(base_copy, "falls-huddles", [given])
    [problem] = validate(base_copy)[1]
    assert (problem["line"], problem["code"]) == (13 if unit is None else 15, code), problem
    assert "unit" in problem["message"]


def test_values_are_plain_finite_numbers(base_copy: Path) -> None:
    path = base_copy / "entries" / "falls-huddles.md"
    add_measures(base_copy, "falls-huddles", [measure(points={"2019-01": 1})])
    for written, code, message in (
            ('"5.1"', "wrong-type", "(write 5.1 without quotes)"),
            (".nan", "bad-number", "write an ordinary number"),
            ("1e3", "bad-number", "write 1000, in plain digits"),
            ("2000000000000", "bad-value", "must be at most 1,000,000,000,000")):
        text = re.sub(r"2019-01: .*", f"2019-01: {written}", path.read_text("utf-8"))
        path.write_text(text, "utf-8")
        [problem] = validate(base_copy)[1]
        assert (problem["line"], problem["code"]) == (18, code), problem  # 2019-01: ...
        assert message in problem["message"]


def test_every_problem_of_a_csv_is_reported_at_once(base_copy: Path) -> None:
    add_measures(base_copy, "falls-huddles", [measure(csv="falls-huddles.falls.csv")])
    (base_copy / "entries" / "falls-huddles.falls.csv").write_text(
        "period,value\n2019-01,4\n2019-02,four\n2019-02,5\n2019-4,6\n2019-05-01,2\n"
        "2019-06,1,200\n", "utf-8")
    assert found(validate(base_copy)[1]) == [
        ("entries/falls-huddles.falls.csv", n, code) for n, code in (
            (3, "bad-number"), (4, "period-order"), (5, "bad-period"), (6, "bad-period"),
            (7, "bad-csv"))]


def test_adoption_records_carry_the_adopting_sites_measures(base_copy: Path) -> None:
    points = dict(zip(MONTHS[:14], VALUES, strict=True))
    records: list[dict[str, Any]] = [
        {"entry": "falls-huddles", "organisation": "Dartford Trust", "stage": "piloting",
         "date": "2020-06-15", "measures": [measure(points=points, recalculate_at=["2019-13"])]},
        {"entry": "falls-huddles", "organisation": "Medway Trust", "stage": "planning",
         "date": "2020-06-15", "measures": [measure(csv="adoption.medway-falls.csv")]},
        {"entry": "falls-huddles", "organisation": "Kent Trust", "stage": "planning",
         "date": "2020-06-15", "measures": [measure(csv="falls-huddles.falls.csv")]},
    ]
    (base_copy / "adoption.yaml").write_text(
        yaml.safe_dump({"adoption": records}, sort_keys=False), "utf-8")
    (base_copy / "adoption.medway-falls.csv").write_text(
        csv_text().replace("2019-03", "2018-03"), "utf-8")
    code, findings = validate(base_copy)
    assert code == 1
    assert found(findings) == [("adoption.medway-falls.csv", 4, "period-order"),
                               ("adoption.yaml", 27, "bad-period"),
                               ("adoption.yaml", 47, "bad-value")]  # Kent: csv:
    (base_copy / "adoption.medway-falls.csv").write_text(csv_text(), "utf-8")
    records[0]["measures"][0]["recalculate_at"] = []
    records[2]["measures"][0]["csv"] = "adoption.medway-falls.csv"
    (base_copy / "adoption.yaml").write_text(
        yaml.safe_dump({"adoption": records}, sort_keys=False), "utf-8")
    assert validate(base_copy) == (0, [])


# The charts ---------------------------------------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    render("site", REPO, out)
    return out


def charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart".*?</svg>', html, re.S)]


def point_tips(chart: ET.Element) -> list[str]:
    return [str(c.find(f"{SVG}title").text) for c in chart.iter(f"{SVG}circle")  # type: ignore[union-attr]
            if c.find(f"{SVG}title") is not None]


def test_an_entry_page_shows_its_charts_with_their_signals(site: Path) -> None:
    """falls-huddles: 26 months of falls with the limits recalculated when the huddles
    began, and 13 months of huddles held. By hand, from entries/falls-huddles.falls-rate.csv:
    the 13 months from December 2018 sum to 69.3 (mean 5.33) and their 12 moving ranges to
    16.0 (MR-bar 1.333, 2.66 x MR-bar = 3.547): limits 1.78 and 8.88; no point is special
    cause, and the target 5.6 lies between the limits."""
    html = (site / "entries" / "falls-huddles.html").read_text("utf-8")
    falls, huddles = charts(html)
    assert falls.find(f"{SVG}title").text == "Inpatient falls on Foster Ward"  # type: ignore[union-attr]
    assert len(point_tips(falls)) == 26 and len(point_tips(huddles)) == 13
    assert point_tips(falls)[0] == ("Nov 2017: 12.4 falls per 1,000 occupied bed days; "
                                    "common cause")
    text = words(parse_html(html).text)
    assert "From Dec 2018: mean 5.33, process limits 1.78 to 8.88" in text
    assert "Assurance: The process will inconsistently meet and miss the target" in text
    assert "Assurance: The process will consistently meet the target" in text  # huddles
    assert all(tip.endswith("; common cause") for tip in point_tips(falls) + point_tips(huddles))
    assert text.count("Variation: Common cause variation: no significant change") == 2


def test_special_cause_points_are_coloured_and_named(site: Path) -> None:
    """care-home-falls, after the recalculation point (November 2018): by hand the 13
    values sum to 29.7 (mean 2.285); the last eight, April to November 2019, are all
    below it, a shift: improvement, where lower is better. Before them the run above
    the mean is only five long."""
    html = (site / "entries" / "care-home-falls.html").read_text("utf-8")
    [chart] = charts(html)
    circles = [c for c in chart.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    fills = [c.get("fill") for c in circles]
    assert fills == ["#A6A6A6"] * 18 + ["#00B0F0"] * 8
    assert point_tips(chart)[-1] == ("Nov 2019: 2 falls per 1,000 occupied bed days; special "
                                     "cause improvement (shift)")
    text = words(parse_html(html).text)
    assert "Variation: Special cause variation: improvement, low" in text
    assert html.count("<td>special cause improvement (shift)</td>") == 8  # the data table
    assert "8 points show special cause improvement (shift)." in text  # the description


def test_the_adoption_page_shows_each_adopting_sites_chart(site: Path) -> None:
    html = (site / "adoption" / "falls-huddles.html").read_text("utf-8")
    page = parse_html(html)
    text = words(page.text)
    assert "Dartford and Gravesham NHS Trust" in text
    assert "East Kent Hospitals University NHS Foundation Trust" in text
    assert "No measures recorded yet." in text  # East Kent, only interested
    _, _, dartford = charts(html)  # the winning team's two, then Dartford's
    assert dartford.find(f"{SVG}title").text == (  # type: ignore[union-attr]
        "Inpatient falls on the two pilot wards at Darent Valley Hospital")
    assert len(point_tips(dartford)) == 26
    assert "Jenna Whitmore" not in text  # contacts are not published
    entry = (site / "entries" / "falls-huddles.html").read_text("utf-8")
    assert 'href="../adoption/falls-huddles.html"' in entry


def test_no_adoption_page_for_an_entry_that_did_not_consent(base_copy: Path,
                                                             tmp_path: Path) -> None:
    points = dict(zip(MONTHS[:14], VALUES, strict=True))
    path = base_copy / "entries" / "patient-panel.md"
    path.write_text(path.read_text("utf-8").replace("consent_to_publish: true",
                                                    "consent_to_publish: false"), "utf-8")
    add_measures(base_copy, "patient-panel", [measure(title="Secret panel falls",
                                                      points=dict(points))])
    (base_copy / "adoption.yaml").write_text(yaml.safe_dump({"adoption": [
        {"entry": e, "organisation": f"Adopter of {e}", "stage": "piloting",
         "date": "2020-06-15",
         "measures": [measure(title=f"Falls adopting {e}", points=dict(points))]}
        for e in ("falls-huddles", "patient-panel")]}, sort_keys=False), "utf-8")
    out = tmp_path / "site"
    render("site", base_copy, out)
    assert sorted(p.name for p in (out / "adoption").iterdir()) == ["falls-huddles.html"]
    for page in out.rglob("*.html"):
        text = page.read_text("utf-8")
        for secret in ("Secret panel falls", "Adopter of patient-panel",
                       "Falls adopting patient-panel"):
            assert secret not in text, (page, secret)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Judge packs of the base programme with a measure that names its organisation."""
    root = copy_base(tmp_path_factory.mktemp("packs") / "programme")
    add_measures(root, "falls-huddles", [measure(
        id="mill-practice-falls",
        title="Falls at Mill Practice, reported by priya.shah@example.nhs.uk",
        unit="falls per month at Mill Practice", target=5,
        points=dict(zip(MONTHS[:14], VALUES, strict=True)))])
    out = tmp_path_factory.mktemp("packs-out")
    render("packs", root, out)
    return out


def test_a_pack_shows_the_chart_anonymised(packs: Path) -> None:
    html = (packs / "ajudge.html").read_text("utf-8")
    [chart] = charts(html)
    assert chart.find(f"{SVG}title").text == "Falls at [organisation], reported by [e-mail]"  # type: ignore[union-attr]
    assert "Mill Practice" not in html and "mill-practice" not in html
    assert "priya.shah" not in html
    assert len(point_tips(chart)) == 14
    assert point_tips(chart)[0] == "Jan 2019: 5.1 falls per month at [organisation]; common cause"


def test_a_pack_pdf_draws_the_chart_as_vectors(packs: Path) -> None:
    pdf = packs / "ajudge.pdf"
    text = pdf_text(pdf)
    assert "Falls at [organisation], reported by [e-mail]" in text
    for label in ("falls per month at [organisation]", "Jan 2019", "Jan 2020", "Common cause",
                  "Process limits", "Target", "From Jan 2019: mean"):
        assert label in text, label
    need("pdfimages")
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert images == []  # the chart, its icons and the page are all vectors and text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "Liberation" in fonts or "qsi" in fonts


def test_charts_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    render("site", REPO, first)
    render("site", REPO, second)
    for name in ("entries/falls-huddles.html", "entries/care-home-falls.html",
                 "adoption/falls-huddles.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


# Accessibility and validity ----------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.mark.browser
@pytest.mark.parametrize("name", ["entries/falls-huddles.html", "entries/care-home-falls.html",
                                  "adoption/falls-huddles.html"])
def test_axe_finds_no_violations_on_pages_with_charts(site: Path, browser: Browser,
                                                      name: str) -> None:
    from test_entry_form import axe_violations

    page = browser.page()
    page.goto((site / name).as_uri())
    page.wait_for_load_state("load")
    assert page.locator("svg.spc-chart").count() >= 1
    assert axe_violations(page) == []
    page.click("summary")  # the data table open
    assert page.locator(".measure__table").first.is_visible()
    assert axe_violations(page) == []
    assert browser.problems() == []
    page.close()


@pytest.mark.browser
def test_pages_with_charts_are_valid_html(site: Path, packs: Path) -> None:
    from test_render_html_valid import check

    pages = [site / "entries" / "falls-huddles.html", site / "entries" / "care-home-falls.html",
             *sorted((site / "adoption").glob("*.html")), packs / "ajudge.html"]
    result = check(pages)
    assert result.returncode == 0, result.stdout + result.stderr


# Guard: a CSV is its entry's ---------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = git_init(copy_base(tmp_path_factory.mktemp("guard") / "repo"))
    (repo / "entries" / "patient-panel.md").write_text(
        (repo / "entries" / "patient-panel.md").read_text("utf-8").replace(
            "consent_to_publish:", "submitted_by: other\nconsent_to_publish:"), "utf-8")
    (repo / "entries" / "patient-panel.panel.csv").write_text(csv_text(), "utf-8")
    git_commit_all(repo, "base")
    return repo


def guard(base: Path, tmp_path: Path, author: str, change: Any) -> list[tuple[str, str]]:
    repo = tmp_path / "repo"
    shutil.copytree(base, repo, symlinks=True)
    git(repo, "checkout", "-q", "-b", "pr")
    change(repo)
    git_commit_all(repo, "change")
    result = run_cli(["guard", "-p", repo, "--author", author, "--base", "main",
                      "--format", "json", "--today", "2020-01-20"])
    assert result.exit_code in (0, 1), result.output
    return sorted((f["path"], f["code"]) for f in json.loads(result.stdout)["findings"])


def test_an_entrant_may_add_and_change_the_data_of_their_own_entry(guarded: Path,
                                                                   tmp_path: Path) -> None:
    def add(repo: Path) -> None:
        (repo / "entries" / "falls-huddles.falls.csv").write_text(csv_text(), "utf-8")

    assert guard(guarded, tmp_path / "add", "pshah", add) == []

    def new_entry(repo: Path) -> None:  # a new entry and its data in one pull request
        text = (repo / "entries" / "falls-huddles.md").read_text("utf-8")
        (repo / "entries" / "night-checks.md").write_text(text, "utf-8")
        (repo / "entries" / "night-checks.falls.csv").write_text(csv_text(), "utf-8")

    assert guard(guarded, tmp_path / "new", "pshah", new_entry) == []


def test_nobody_else_may_change_an_entrys_data(guarded: Path, tmp_path: Path) -> None:
    def change(repo: Path) -> None:
        (repo / "entries" / "patient-panel.panel.csv").write_text(csv_text() + "2020-03,1\n",
                                                                  "utf-8")
        (repo / "entries" / "nobody.falls.csv").write_text(csv_text(), "utf-8")

    assert guard(guarded, tmp_path, "pshah", change) == [
        ("entries/nobody.falls.csv", "guard-unreadable"),
        ("entries/patient-panel.panel.csv", "guard-not-allowed")]


def test_the_example_programme_validates_strictly() -> None:
    """The example's measures (two entries, one adoption record) are clean."""
    result = run_cli(["validate", "-p", REPO, "--strict"])
    assert result.exit_code == 0, result.output
    assert os.path.isfile(REPO / "entries" / "falls-huddles.falls-rate.csv")
    assert BASE.is_dir()
