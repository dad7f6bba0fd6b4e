"""`qsi render entry-form`: the offline entry form, in a real headless Chromium (Debian's,
driven by Playwright) opened from file://, with no server and no network.

An entrant fills it in (once with the keyboard alone), saves, and the downloaded file
passes the installed `qsi validate` in a copy of the programme; an over-limit section
shows its count and blocks saving; the form opens its own file, a `qsi new entry` file
and every example entry again; axe-core finds no accessibility violation; a phone-sized
screen never scrolls sideways. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import RunQsi, copy_example
from qsi_awards.load import split_front_matter, validation, yamlparse
from qsi_awards.model import Category, EntryFile
from qsi_awards.programme import open_programme
from qsi_awards.render.context import eligibility
from qsi_awards.render.entry_form import MARKDOWN_IT, markdown_it
from qsi_awards.writes.new_entry import entry_text
from render_support import REPO, Browser, artifact, chromium, parse_html, render

pytestmark = pytest.mark.browser

AXE = REPO / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
PROGRAMME_FILES = ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                   "adoption.yaml", "entries", "scores", "rounds", "templates")
# 400 words, the example programme's limit for every section
FOUR_HUNDRED = " ".join(f"word{n}" for n in range(400))

ENTRY = {
    "title": "Safer discharge: a \"ticket home\" for frail patients #1",
    "organisation": "Medway NHS Foundation Trust",
    "lead_name": "Chloé O'Brien",
    "lead_role": "Discharge Co-ordinator",
    "lead_email": "chloe.obrien@example.nhs.uk",
    "team": ["Sam Patel", "Aisha Okafor"],
    "submitted_by": "chloe-ob",
    "submitted": "2020-01-20",
    "summary": "We gave every frail patient a ticket home on admission. Delayed "
               "discharges fell by a third in six months.",
    "sections": [
        "Frail patients waited **days** for discharge.\n\n- no plan\n- no date",
        "We co-designed the [ticket home](https://example.org/ticket) with patients.\n\n"
        "### What we did\n\n1. A date on day one\n2. A daily huddle",
        "Delays fell from 31% to 20% &ndash; see the run chart.\n\n"
        "```\nweek  delays\n1     31\n```",
        "Two other wards now use it.",
    ],
}


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("form")
    render("entry-form", REPO, out)
    return out / "entry-form.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def fresh(browser: Browser) -> Browser:
    for log in (browser.console, browser.errors, browser.requests, browser.dialogs):
        log.clear()
    return browser


def open_form(browser: Browser, path: Path) -> Any:
    page = browser.page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def programme_copy(root: Path) -> Path:
    """The example programme's own files (not the package or the tests) in `root`."""
    return copy_example(root, PROGRAMME_FILES)


def fill(page: Any, entry: dict[str, Any], category: str = "safety-secondary") -> None:
    page.check(f"#category-{category}")
    page.fill("#title", entry["title"])
    page.fill("#organisation", entry["organisation"])
    page.fill("#lead-name", entry["lead_name"])
    page.fill("#lead-role", entry["lead_role"])
    page.fill("#lead-email", entry["lead_email"])
    page.fill("#team", "\n".join(entry["team"]))
    page.fill("#submitted-by", entry["submitted_by"])
    page.fill("#submitted", entry["submitted"])
    page.fill("#summary", entry["summary"])
    for number, text in enumerate(entry["sections"], 1):
        page.fill(f"#section-{number}", text)
    page.check("#consent-to-publish")


def save(page: Any, into: Path, press: str | None = None) -> Path:
    with page.expect_download() as info:
        if press:
            page.keyboard.press(press)
        else:
            page.click("#save")
    download = info.value
    path: Path = into / download.suggested_filename
    download.save_as(path)
    return path


def front_of(text: str) -> EntryFile:
    """The front matter as qsi's own loader reads it."""
    split = split_front_matter(text)
    assert not isinstance(split, str), split
    data, problems = yamlparse.parse(split[0])
    assert problems == []
    model, errors = validation.validate(EntryFile, data)
    assert model is not None, errors
    return model


def validated(run: RunQsi, programme: Path, entry: Path) -> list[dict[str, Any]]:
    """The installed `qsi validate` on the programme with `entry` in entries/: exit 0,
    and the findings for that entry."""
    shutil.copy2(entry, programme / "entries" / entry.name)
    done = run("validate", "--format", "json", "-p", programme)
    assert done.returncode == 0, done.stdout + done.stderr
    findings = json.loads(done.stdout)["findings"]
    return [f for f in findings if f["path"] == f"entries/{entry.name}"]


# The page -------------------------------------------------------------------------------

def test_eligibility_in_words() -> None:
    seed = open_programme(REPO).settings
    assert eligibility(seed, Category(id="safety-primary", title="T", theme="safety",
                                      setting="primary")
                       ) == "For safety projects in primary care only."
    assert eligibility(seed, Category(
        id="qi-patients", title="T", theme="qi", requires_patient_involvement=True,
        description="Judged with the patient panel.\n  Any size of project.")) == (
        "For quality improvement projects in any care setting, where patients or the public "
        "helped to shape the work. Judged with the patient panel. Any size of project.")


def test_the_form_is_one_file_with_everything_inline(form: Path) -> None:
    text = form.read_text("utf-8")
    page = parse_html(text)
    assert [attrs.get("type") for tag, attrs in page.tags if tag == "script"] == [
        "application/json", None]
    for tag, attrs in page.tags:  # nothing to fetch: no src, no stylesheet link
        assert "src" not in attrs, (tag, attrs)
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") ==
               "Content-Security-Policy")
    assert csp.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src 'sha256-" in csp and "unsafe" not in csp
    # every category with its eligibility, every section with its guidance and limit
    prog = open_programme(REPO)
    for category in prog.categories:
        assert category.title in page.text
        assert eligibility(prog.settings, category) in page.text
    assert "What problem did you set out to solve, for whom, and how big was it?" in page.text
    assert "At most 400 words." in page.text
    assert "We agree that the programme may publish this entry" in page.text


def test_without_entry_rules_the_form_asks_for_new_entrys_sections(tmp_path: Path) -> None:
    from conftest import copy_base

    root = copy_base(tmp_path / "programme")
    settings = (root / "programme.yaml").read_text("utf-8")
    (root / "programme.yaml").write_text(settings[:settings.index("entry_rules:")], "utf-8")
    render("entry-form", root, tmp_path / "out")
    page = parse_html((tmp_path / "out" / "entry-form.html").read_text("utf-8"))
    data = json.loads(page.scripts[0])
    assert [(s["title"], s["max_words"], s["note"]) for s in data["sections"]] == [
        (title, None, "no word limit")
        for title in ("Challenge", "Approach", "Impact", "Spread and adoption")]
    assert data["summary_max_words"] is None
    assert data["deadline"] == "2020-02-01" and data["deadline_long"] == "1 February 2020"


def test_the_library_is_markdown_it_as_published() -> None:
    import hashlib

    # dist/markdown-it.min.js of the npm package markdown-it 14.1.0
    assert hashlib.sha256(MARKDOWN_IT.read_bytes()).hexdigest() == (
        "38c70a1e7ca91ab40e2d9e6e60129851a717ed1c7d4acbbdd41bf9503791cf68")
    inline = markdown_it()
    assert "<!--" not in inline and "</script" not in inline.lower()
    assert inline.startswith("/*! markdown-it 14.1.0 ")


def test_programme_text_cannot_break_out_of_the_page(tmp_path: Path, fresh: Browser) -> None:
    root = programme_copy(tmp_path / "programme")
    hostile = "</script><script>alert(1)</script><!-- & \u2028"
    categories = (root / "categories.yaml").read_text("utf-8")
    categories = categories.replace("title: Best safety initiative in primary care",
                                    f"title: {json.dumps(hostile)}")
    (root / "categories.yaml").write_text(categories, "utf-8")
    (root / "programme.yaml").write_text(
        (root / "programme.yaml").read_text("utf-8")
        + 'entry_form:\n  consent_to_publish: "<b onmouseover=alert(2)>We agree</b>"\n',
        "utf-8")
    out = tmp_path / "out"
    render("entry-form", root, out)
    text = (out / "entry-form.html").read_text("utf-8")
    assert "<script>alert" not in text and "<b onmouseover" not in text
    page = open_form(fresh, out / "entry-form.html")
    assert page.locator("label[for='category-safety-primary']").inner_text() == (
        "</script><script>alert(1)</script><!-- &")
    assert page.locator("label[for='consent-to-publish']").inner_text() == (
        "<b onmouseover=alert(2)>We agree</b>")
    data = json.loads(page.locator("#entry-form-data").text_content())
    assert data["categories"][0]["title"] == " ".join(hostile.split())
    page.check("#category-safety-primary")
    page.wait_for_timeout(100)
    assert fresh.dialogs == []
    assert fresh.problems() == []
    page.close()


# Filling it in --------------------------------------------------------------------------

def test_fill_in_save_and_the_file_passes_validate(
        form: Path, fresh: Browser, tmp_path: Path, installed_qsi: RunQsi) -> None:
    page = open_form(fresh, form)
    fill(page, ENTRY)
    saved = save(page, tmp_path)
    page.screenshot(path=str(artifact("entry-form-saved.png")), full_page=True)
    assert saved.name == "safer-discharge-a-ticket-home-for-frail-patients-1.md"
    assert "Saved safer-discharge-a-ticket-home-for-frail-patients-1.md" in page.locator(
        "#save-status").inner_text()
    text = saved.read_text("utf-8")
    front = front_of(text)
    assert front.title == ENTRY["title"]
    assert front.category == "safety-secondary" and front.care_setting == "secondary"
    assert (front.lead.name, front.lead.role, front.lead.email) == (
        ENTRY["lead_name"], ENTRY["lead_role"], ENTRY["lead_email"])
    assert front.team == ENTRY["team"]
    assert front.submitted_by == "chloe-ob" and str(front.submitted) == "2020-01-20"
    assert front.consent_to_publish is True and front.patient_involvement is False
    assert front.summary == ENTRY["summary"]
    for section in ENTRY["sections"]:
        assert section in text
    # the same lines as qsi new entry writes, filled in
    assert text.startswith('---\ntitle: "Safer discharge: a \\"ticket home\\" for frail '
                           'patients #1"\ncategory: safety-secondary  # Best safety initiative '
                           'in secondary care\norganisation: "Medway NHS Foundation Trust"\n'
                           'care_setting: secondary  # primary | secondary | community\nlead:\n'
                           '  name: "Chloé O\'Brien"\n')
    findings = validated(installed_qsi, programme_copy(tmp_path / "programme"), saved)
    assert {f["code"] for f in findings} <= {"too-few-judges"}, findings
    assert fresh.problems() == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in fresh.requests)
    page.close()


def tab_to(page: Any, target: str, limit: int = 80) -> None:
    """Press Tab until the element with id `target` has the focus."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == target:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{target}")


def type_date(page: Any, iso: str) -> None:
    """Type a date into the focused date input, in the order the browser's locale shows."""
    year, month, day = iso.split("-")
    order = page.evaluate("new Intl.DateTimeFormat().formatToParts(new Date(2020, 0, 28))"
                          ".map(p => p.type).filter(t => ['year','month','day'].includes(t))")
    for part in order:
        page.keyboard.type({"year": year, "month": month, "day": day}[part])


def test_keyboard_only(form: Path, fresh: Browser, tmp_path: Path,
                       installed_qsi: RunQsi) -> None:
    page = open_form(fresh, form)
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    tab_to(page, "category-safety-primary")
    page.keyboard.press("Space")
    for _ in range(2):  # safety-secondary, then safety-community
        page.keyboard.press("ArrowDown")
    assert page.is_checked("#category-safety-community")
    assert page.is_checked("#care-setting-community")  # the category sets it
    for target, value in (("title", "Community falls team"),
                          ("organisation", "Kent Community Health NHS Foundation Trust"),
                          ("lead-name", "Jo Bloggs"), ("lead-email", "jo.bloggs@example.nhs.uk")):
        tab_to(page, target)
        page.keyboard.type(value)
    tab_to(page, "team")
    page.keyboard.type("Ann Smith")
    page.keyboard.press("Enter")
    page.keyboard.type("Bo Jones")
    tab_to(page, "submitted")
    expect(page.locator("#submitted-warning")).to_have_text(  # today is after the deadline
        "This is after the closing date, 1 February 2020: ask the programme team before you "
        "send a late entry.")
    type_date(page, "2020-01-30")
    assert page.input_value("#submitted") == "2020-01-30"
    expect(page.locator("#submitted-warning")).to_be_hidden()
    tab_to(page, "summary")
    page.keyboard.type("Falls at home fell by half.")
    for number in range(1, 5):
        tab_to(page, f"section-{number}")
        page.keyboard.type(f"Section {number} in a few words.")
    tab_to(page, "consent-to-publish")
    page.keyboard.press("Space")
    tab_to(page, "save")
    saved = save(page, tmp_path, press="Enter")
    assert saved.name == "community-falls-team.md"
    front = front_of(saved.read_text("utf-8"))
    assert front.team == ["Ann Smith", "Bo Jones"] and front.consent_to_publish is True
    findings = validated(installed_qsi, programme_copy(tmp_path / "programme"), saved)
    assert {f["code"] for f in findings} <= {"too-few-judges"}, findings
    assert fresh.problems() == []
    page.close()


def test_an_over_limit_section_shows_its_count_and_blocks_saving(
        form: Path, fresh: Browser, tmp_path: Path) -> None:
    page = open_form(fresh, form)
    fill(page, ENTRY)
    page.fill("#section-3", FOUR_HUNDRED)
    count = page.locator("#section-3-count")
    expect(count).to_have_text("400 of 400 words")
    page.fill("#section-3", FOUR_HUNDRED + " and [one](https://example.org/x) more")
    expect(count).to_have_text("403 of 400 words: 3 too many")
    expect(count).to_have_class(re.compile("count--over"))
    expect(page.locator("#section-3-count-status")).to_have_text(
        "403 of 400 words: 3 too many")  # said to screen readers once typing stops
    downloads: list[Any] = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#save")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("a").all_inner_texts() == [
        "The section ‘Impact’ has 403 words; the limit is 400, so cut 3."]
    assert page.locator("#section-3-error").inner_text() == (
        "The section ‘Impact’ has 403 words; the limit is 400, so cut 3.")
    assert page.locator("#section-3").get_attribute("aria-invalid") == "true"
    assert "section-3-error" in (page.locator("#section-3").get_attribute(
        "aria-describedby") or "")
    assert page.locator("#save-status").inner_text().startswith("Not saved")
    page.screenshot(path=str(artifact("entry-form-over-limit.png")))
    summary.locator("a").click()  # the link takes the focus to the section
    assert page.evaluate("document.activeElement.id") == "section-3"
    page.wait_for_timeout(200)
    assert downloads == []
    # cut three words and it saves
    page.fill("#section-3", FOUR_HUNDRED)
    assert save(page, tmp_path).exists()
    assert page.locator("#error-summary").is_hidden()
    page.close()


def test_a_category_with_a_care_setting_sets_it(form: Path, fresh: Browser) -> None:
    page = open_form(fresh, form)
    page.check("#care-setting-community")
    page.check("#category-qi-primary")
    assert page.is_checked("#care-setting-primary")
    assert page.is_disabled("#care-setting-community") and page.is_disabled(
        "#care-setting-secondary")
    assert page.locator("#care-setting-hint").inner_text() == (
        "‘Best QI initiative in primary care’ is for primary care only, so that is the care "
        "setting.")
    page.check("#category-qi-patients")  # any setting, but patients must be involved
    assert page.is_enabled("#care-setting-community")
    page.check("#care-setting-community")
    page.click("#save")
    assert page.locator("#patient-involvement-error").inner_text().startswith(
        "‘Best QI initiative involving and engaging patients and the public’ is for work that "
        "involved patients or the public")
    page.check("#patient-involvement")
    expect(page.locator("#patient-involvement-error")).to_be_hidden()
    page.close()


# a category with entry rules of its own: a summary of at most 12 words, and two sections
# of which one (Impact) has a title the programme's sections have too
OWN_RULES = """  - id: staff-wellbeing
    title: Best staff wellbeing initiative
    theme: qi
    setting: secondary
    entry_rules:
      summary_max_words: 12
      sections:
        - {title: Story, max_words: 20, guidance: Tell the story of the work.}
        - {title: Impact, max_words: 5}
"""


def section_titles(page: Any) -> list[str]:
    return list(page.locator("label.label--section").all_inner_texts())


def test_a_category_with_its_own_entry_rules_asks_for_its_sections_and_limits(
        fresh: Browser, tmp_path: Path, installed_qsi: RunQsi) -> None:
    """Before: the form asked for the programme's four sections and 150-word summary
    whatever the category, so its file failed validate for such a category."""
    root = programme_copy(tmp_path / "programme")
    with (root / "categories.yaml").open("a", encoding="utf-8") as categories:
        categories.write(OWN_RULES)
    render("entry-form", root, tmp_path / "out")
    page = open_form(fresh, tmp_path / "out" / "entry-form.html")
    assert section_titles(page) == ["Challenge", "Approach", "Impact", "Spread and adoption"]
    page.fill("#section-1", "Before we began.")
    page.fill("#section-3", "Fewer falls.")
    page.check("#category-staff-wellbeing")
    assert section_titles(page) == ["Story", "Impact"]
    assert page.locator("#section-1-hint").inner_text() == (
        "Tell the story of the work. At most 20 words.")
    assert page.locator("#section-2-hint").inner_text() == "At most 5 words."
    assert page.locator("#summary-hint").inner_text() == (
        "One paragraph about the whole project, for the shortlist and the certificates, at "
        "most 12 words.")
    # Impact keeps what was written under it; Challenge's text is set aside, and said so
    assert (page.input_value("#section-1"), page.input_value("#section-2")) == (
        "", "Fewer falls.")
    expect(page.locator("#section-2-count")).to_have_text("2 of 5 words")
    assert "‘Challenge’ is kept while this page is open" in page.locator(
        "#sections-note").inner_text()
    assert axe_violations(page) == []  # the fields made for the category, too
    for field in ("title", "organisation", "lead_name", "lead_email", "submitted"):
        page.fill(f"#{field.replace('_', '-')}", ENTRY[field])
    page.fill("#summary", ENTRY["summary"])  # 19 words, by hand
    page.fill("#section-1", " ".join(f"word{n}" for n in range(21)))
    expect(page.locator("#summary-count")).to_have_text("19 of 12 words: 7 too many")
    expect(page.locator("#section-1-count")).to_have_text("21 of 20 words: 1 too many")
    page.click("#save")
    assert page.locator("#error-summary a").all_inner_texts() == [
        "The summary has 19 words; the limit is 12, so cut 7.",
        "The section ‘Story’ has 21 words; the limit is 20, so cut 1."]
    page.fill("#summary", "Every frail patient had a ticket home.")
    page.fill("#section-1", " ".join(f"word{n}" for n in range(20)))
    saved = save(page, tmp_path)
    text = saved.read_text("utf-8")
    assert "\n## Story\n" in text and "\n## Impact\n\nFewer falls.\n" in text
    assert "## Challenge" not in text
    assert front_of(text).category == "staff-wellbeing"
    findings = validated(installed_qsi, root, saved)
    assert {f["code"] for f in findings} <= {"too-few-judges"}, findings
    # back to a category with the programme's sections: Challenge's text comes back
    page.check("#category-safety-secondary")
    assert section_titles(page) == ["Challenge", "Approach", "Impact", "Spread and adoption"]
    assert page.input_value("#section-1") == "Before we began."
    assert page.input_value("#section-3") == "Fewer falls."
    expect(page.locator("#summary-count")).to_have_text("7 of 150 words")
    page.close()
    # the saved file opens again with its category's sections
    page = open_form(fresh, tmp_path / "out" / "entry-form.html")
    assert open_file(page, saved).startswith(f"Opened {saved.name}. Make your changes")
    assert section_titles(page) == ["Story", "Impact"]
    assert page.input_value("#section-2") == "Fewer falls."
    # with only what qsi new entry knows, the form writes what qsi new entry writes
    programme = open_programme(root)
    category = next(c for c in programme.categories if c.id == "staff-wellbeing")
    blank = {"title": "Calm rooms", "category": "staff-wellbeing", "organisation": "",
             "care_setting": "secondary", "lead": {"name": "", "role": "", "email": ""},
             "team": [], "submitted_by": "", "submitted": "2020-01-20",
             "patient_involvement": False, "consent_to_publish": False, "summary": "",
             "sections": ["", ""]}
    assert page.evaluate("v => qsiEntryForm.entryFile(v)", blank) == entry_text(
        "Calm rooms", category, programme.settings, dt.date(2020, 1, 20))
    assert fresh.problems() == []
    page.close()


def test_a_bad_email_address_shows_an_error(form: Path, fresh: Browser) -> None:
    page = open_form(fresh, form)
    email = page.locator("#lead-email")
    email.press_sequentially("priya.shah")
    assert page.locator("#lead-email-error").is_hidden()  # not while typing
    page.keyboard.press("Tab")
    error = page.locator("#lead-email-error")
    assert error.inner_text() == ("Enter an e-mail address such as name@example.nhs.uk (this "
                                  "one is not: ‘priya.shah’).")
    assert email.get_attribute("aria-invalid") == "true"
    assert email.get_attribute("aria-describedby") == "lead-email-hint lead-email-error"
    email.fill("priya.shah@example.nhs.uk")
    page.keyboard.press("Tab")
    assert error.is_hidden() and email.get_attribute("aria-invalid") is None
    assert email.get_attribute("aria-describedby") == "lead-email-hint"
    page.close()


@pytest.mark.parametrize(("text", "problem"), [
    ("Intro.\n\n## Background\n\nMore.", "Line 3 (‘## Background’) would start a new section: "
                                         "write ‘### Background’ for a heading inside this one."),
    ("Results\n---\nwere good.", "The line of dashes on line 2 makes the line above it a "
                                 "section heading (‘Results’): leave a blank line above the "
                                 "dashes, or remove them."),
    ("Code:\n\n```python\nprint(1)", "The code block that starts on line 3 with ``` is never "
                                     "closed: add a line ``` after it."),
])
def test_text_that_would_break_the_sections_is_caught(
        form: Path, fresh: Browser, text: str, problem: str) -> None:
    page = open_form(fresh, form)
    fill(page, ENTRY)
    page.fill("#section-1", text)
    downloads: list[Any] = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#save")
    assert page.locator("#error-summary a").all_inner_texts() == [
        f"In ‘Challenge’: {problem}"]
    page.wait_for_timeout(200)
    assert downloads == []
    page.close()


# Opening a file again ---------------------------------------------------------------------

def open_file(page: Any, path: Path) -> str:
    page.set_input_files("#open-file", str(path))
    status = page.locator("#open-status")
    status.filter(has_text=re.compile("Opened|line|could not")).wait_for()
    return str(status.inner_text())


def test_the_form_opens_its_own_file_and_saves_it_unchanged(
        form: Path, fresh: Browser, tmp_path: Path) -> None:
    page = open_form(fresh, form)
    fill(page, ENTRY)
    (tmp_path / "first").mkdir()
    first = save(page, tmp_path / "first")
    page.close()
    page = open_form(fresh, form)
    status = open_file(page, first)
    assert status == f"Opened {first.name}. Make your changes, then save the entry file again."
    assert page.input_value("#title") == ENTRY["title"]
    assert page.is_checked("#category-safety-secondary") and page.is_checked(
        "#care-setting-secondary")
    assert page.input_value("#lead-name") == ENTRY["lead_name"]
    assert page.input_value("#team") == "\n".join(ENTRY["team"])
    assert page.input_value("#submitted") == "2020-01-20"
    assert page.is_checked("#consent-to-publish")
    assert [page.input_value(f"#section-{n}") for n in range(1, 5)] == ENTRY["sections"]
    (tmp_path / "second").mkdir()
    second = save(page, tmp_path / "second")
    assert second.name == first.name
    assert second.read_bytes() == first.read_bytes()
    page.close()


def test_the_form_opens_a_new_entry_file(form: Path, fresh: Browser, tmp_path: Path) -> None:
    root = programme_copy(tmp_path / "programme")
    from conftest import run_cli

    made = run_cli(["new", "entry", "-p", root, "--category", "qi-community", "--title",
                    "Wound care at home", "--organisation", "Medway Community Healthcare"])
    assert made.exit_code == 0, made.output
    page = open_form(fresh, form)
    status = open_file(page, root / "entries" / "wound-care-at-home.md")
    assert status.startswith("Opened wound-care-at-home.md.")
    assert page.input_value("#title") == "Wound care at home"
    assert page.input_value("#organisation") == "Medway Community Healthcare"
    assert page.is_checked("#category-qi-community") and page.is_checked(
        "#care-setting-community")
    assert page.input_value("#lead-name") == "" and page.input_value("#summary") == ""
    assert [page.input_value(f"#section-{n}") for n in range(1, 5)] == ["", "", "", ""]
    page.close()


def test_the_form_reads_every_example_entry_as_qsi_does(form: Path, fresh: Browser) -> None:
    """Each example entry (hand-written YAML: `summary: >`, the lead as a block) read by
    the form and saved again has the same fields for qsi, and the same sections."""
    from qsi_awards.checks.content import outline

    page = open_form(fresh, form)
    programme = open_programme(REPO)
    for entry_id, entry in programme.entries.items():
        source = (REPO / "entries" / f"{entry_id}.md").read_text("utf-8")
        read = page.evaluate("s => qsiEntryForm.readEntryFile(s)", source)
        assert "problem" not in read, (entry_id, read)
        again = page.evaluate("v => qsiEntryForm.entryFile(v)", read["values"])
        assert front_of(again) == entry.front, entry_id
        split = split_front_matter(again)
        assert not isinstance(split, str)
        before = outline(entry.body, 1)
        after = outline(split[1], 1)
        assert [(s.title, s.words) for s in after.sections] == [
            (s.title, s.words) for s in before.sections], entry_id
    page.close()


HAND_WRITTEN = [
    # the README's example: the lead in braces, a folded summary, notes after the values
    r"""title: Reducing inpatient falls with safety huddles
category: safety-secondary
organisation: Maidstone and Tunbridge Wells NHS Trust
care_setting: secondary                   # primary | secondary | community
lead: {name: Priya Shah, role: Ward Manager, email: priya.shah@example.nhs.uk}
team: [Tom Clarke, Aisha Okafor]
submitted_by: priya-shah                  # the entrant's GitHub handle
submitted: 2020-01-28
patient_involvement: true
consent_to_publish: true
summary: >
  One paragraph,
  at most 150 words.

  And a second.
""",
    # literal blocks, kept and stripped; more-indented lines; lists as blocks; quotes
    r"""title: 'It''s "quoted"'
category: qi-patients
organisation: "Caf\u00e9 \x41nd\tTrust \N\\"
care_setting: community
lead:
  name: Jo Bloggs   # the lead
  role: ~
  email: 'jo@example.nhs.uk'
team:
- Ann Smith
- "Bo: Jones"
submitted: "2020-01-30"
patient_involvement: True
consent_to_publish: FALSE
summary: |-
  Line one
    indented more
  line three

""",
    r"""title: A title that goes on
  over a second line
category: safety-primary
organisation: Some Practice
care_setting: primary
lead:
    name: Al Jones
    email: al@example.nhs.uk
team:
  - One
  - Two
submitted: 2020-01-02
consent_to_publish: false
summary: |+
  Kept

""",
    r"""title:
  "On the next line"
category: qi-primary
organisation:
  Some Practice
care_setting: primary
lead:
  name: Al Jones
  email: al@example.nhs.uk
submitted: 2020-01-02
consent_to_publish: false
summary:
  A summary on the lines below,
  over two of them.
""",
]


@pytest.mark.parametrize("front", HAND_WRITTEN)
def test_the_form_reads_entries_written_by_hand(form: Path, fresh: Browser, front: str) -> None:
    source = f"---\n{front}---\n## Challenge\n\nText.\n"
    page = open_form(fresh, form)
    read = page.evaluate("s => qsiEntryForm.readEntryFile(s)", source)
    assert "problem" not in read, read
    assert read["values"]["sections"][0] == "Text."
    again = page.evaluate("v => qsiEntryForm.entryFile(v)", read["values"])
    assert front_of(again) == front_of(source)
    page.close()


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("# My entry\n\nSome text.\n", 1, "This is not an entry file"),
    ("---\ntitle: x\n", 1, "The fields at the top are never closed"),
    ("---\ntitle: x\ncolour: blue\n---\n", 3, "The field ‘colour’ is not one the form knows"),
    ("---\ntitle: Falls: a story\n---\n", 2, "The form cannot read ‘Falls: a story’ without "
                                             "quotes"),
    ("---\nconsent_to_publish: yes\n---\n", 2, "‘consent_to_publish’ should be true or false, "
                                              "but it is ‘yes’."),
    ('---\ntitle: "never closed\n---\n', 2, "This quoted value does not end on its line"),
    ("---\ntitle: &a x\n---\n", 2, "The form cannot read a value that starts with ‘&’"),
    ('---\ntitle: "\\U00110000"\n---\n', 2, "The escape ‘\\U’ in this quoted value is not one"),
])
def test_a_file_the_form_cannot_read_gets_a_clear_message(
        form: Path, fresh: Browser, tmp_path: Path, text: str, line: int, problem: str) -> None:
    page = open_form(fresh, form)
    read = page.evaluate("s => qsiEntryForm.readEntryFile(s)", text)
    assert read["line"] == line and read["problem"].startswith(problem), read
    page.fill("#title", "Kept")
    path = tmp_path / "bad.md"
    path.write_text(text, "utf-8")
    status = open_file(page, path)
    assert status.startswith(f"bad.md, line {line}: {problem}")
    assert status.endswith("Nothing in the form was changed.")
    assert page.input_value("#title") == "Kept"
    page.close()


# Accessibility ----------------------------------------------------------------------------

def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing; run .ci/install (axe-core from .ci/tools/package.json)")
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]


def test_axe_finds_no_violations(form: Path, fresh: Browser) -> None:
    page = open_form(fresh, form)
    assert axe_violations(page) == []
    page.fill("#lead-email", "not an address")
    page.fill("#section-1", FOUR_HUNDRED + " more")
    page.click("#save")  # the error summary and every error message showing
    assert page.locator("#error-summary").is_visible()
    assert axe_violations(page) == []
    page.evaluate("document.getElementById('main').append(document.createElement('input'))")
    assert "label" in {v["id"] for v in axe_violations(page)}  # axe really checks
    page.close()


def test_on_a_phone_nothing_scrolls_sideways(form: Path, fresh: Browser) -> None:
    page = fresh.page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(form.as_uri())
    page.wait_for_load_state("load")
    page.fill("#section-1", "x" * 300)  # a long word
    page.click("#save")
    assert page.locator("#error-summary").is_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    for selector in ("#title", "#section-1", "#save", "#lead-email"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
    page.screenshot(path=str(artifact("entry-form-phone.png")), full_page=True)
    page.close()


def test_without_javascript_the_page_says_so(form: Path, fresh: Browser) -> None:
    noscript = form.read_text("utf-8").split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "This form needs JavaScript." in noscript
    page = fresh.page()
    cdp = fresh.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(form.as_uri())
    assert page.locator("#entry-form").is_hidden()  # a form that could not save stays hidden
    page.close()
