"""The showcase site in a real headless Chromium (Debian's, driven by Playwright), opened
from file:// with no server and no network. Screenshots go to test-artifacts/."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qsi_awards.programme import open_programme
from render_support import REPO, Browser, artifact, chromium, hostile_programme, render

pytestmark = pytest.mark.browser

PRIVATE_TITLE = "Safer medicines at home for people in mental health crisis"  # no consent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    render("site", REPO, out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def fresh(browser: Browser) -> Browser:
    """The shared browser with its logs cleared for this test."""
    for log in (browser.console, browser.errors, browser.requests, browser.dialogs):
        log.clear()
    return browser


def open_page(browser: Browser, path: Path) -> Any:
    page = browser.page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def winners() -> list[str]:
    results = open_programme(REPO).results()
    return [" ".join(r.title.split()) for c in results.categories for r in c.entries
            if r.award == "winner"]


def test_home_page_lists_the_winners_with_no_console_errors(site: Path, fresh: Browser) -> None:
    page = open_page(fresh, site / "index.html")
    assert page.title().startswith("Kent & Medway Quality, Safety & Improvement Awards 2020")
    assert page.locator("h1").count() == 1
    for title in winners():
        card = page.locator(".card--winner", has_text=title)
        assert card.count() == 1 and card.first.is_visible(), title
    assert page.get_by_text(PRIVATE_TITLE).count() == 0
    assert page.locator("#filter-status").inner_text() == "Showing all 38 entries"
    page.screenshot(path=str(artifact("site-home.png")), full_page=False)
    page.screenshot(path=str(artifact("site-home-full.png")), full_page=True)
    assert fresh.problems() == []
    assert all(url.startswith(("file:", "data:")) for url in fresh.requests), fresh.requests
    page.close()


def test_choosing_a_category_hides_the_other_entries(site: Path, fresh: Browser) -> None:
    page = open_page(fresh, site / "index.html")
    page.get_by_label("Category").select_option("safety-secondary")
    cards = page.locator("[data-entry]")
    shown = [cards.nth(i) for i in range(cards.count()) if cards.nth(i).is_visible()]
    assert shown and all(c.get_attribute("data-category") == "safety-secondary" for c in shown)
    assert len(shown) == 6
    assert page.locator("#filter-status").inner_text() == "Showing 6 of 38 entries"
    assert page.get_by_role("heading", name="Best safety initiative in primary care").is_hidden()
    assert page.get_by_text("Reducing inpatient falls with safety huddles").first.is_visible()
    assert page.get_by_text("Spotting sepsis early in general practice").first.is_hidden()
    page.screenshot(path=str(artifact("site-filtered.png")))

    page.get_by_label("Category").select_option("")
    page.get_by_label("Care setting").select_option("community")
    shown = [cards.nth(i) for i in range(cards.count()) if cards.nth(i).is_visible()]
    assert shown and all(c.get_attribute("data-setting") == "community" for c in shown)
    hidden = [cards.nth(i) for i in range(cards.count()) if not cards.nth(i).is_visible()]
    assert all(c.get_attribute("data-setting") != "community" for c in hidden)

    page.get_by_label("Category").select_option("safety-primary")  # nothing is both
    assert page.locator("#filter-empty").is_visible()
    page.get_by_role("button", name="Show everything").click()
    page.wait_for_function("document.querySelectorAll('[data-entry]:not([hidden])').length == 38")
    assert fresh.problems() == []
    page.close()


def test_skip_link_labelled_controls_and_headings(site: Path, fresh: Browser) -> None:
    page = open_page(fresh, site / "index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, "
                            "document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to main content", "#main"]
    assert page.locator(".skip-link").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for label in ("Category", "Care setting"):
        assert page.get_by_label(label).evaluate("e => e.tagName") == "SELECT"
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
                           ".filter(h => h.offsetParent !== null).map(h => +h.tagName[1])")
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert page.locator("html").get_attribute("lang") == "en-GB"
    page.close()


CONTRAST = """
(selectors) => {
  function rgb(text) { return text.match(/[\\d.]+/g).slice(0, 4).map(Number); }
  function lum(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const s = getComputedStyle(el);
      if (s.backgroundImage !== 'none') return null;  // a gradient: checked by eye
      const c = rgb(s.backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  }
  const found = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.offsetParent) continue;
      const bg = background(el);
      if (!bg) continue;
      const fg = rgb(getComputedStyle(el).color);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      found.push([selector, (a + 0.05) / (b + 0.05)]);
    }
  }
  return found;
}
"""

TEXT = ["p", "a", "li", "dt", "dd", "label", "select", "button", "td", "th", ".badge",
        "h1", "h2", "h3", ".card__org", ".category__meta", ".masthead__note", ".brand__edition"]


@pytest.mark.parametrize("name", ["index.html", "entries/falls-huddles.html",
                                  "how-to-enter.html"])
def test_text_has_sufficient_contrast(site: Path, fresh: Browser, name: str) -> None:
    page = open_page(fresh, site / name)
    ratios = page.evaluate(CONTRAST, TEXT)
    assert len(ratios) > 50
    low = [(selector, round(ratio, 2)) for selector, ratio in ratios if ratio < 4.5]
    assert low == [], low  # WCAG 2.2 AA for body text
    page.close()


def test_how_to_enter_from_the_home_page(site: Path, fresh: Browser) -> None:
    """The call for entries (issue 15): linked from the home page, it loads with no
    console error (a CSP violation would be one), and links the privacy notice."""
    page = open_page(fresh, site / "index.html")
    page.locator(".hero__call a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/how-to-enter.html")
    assert page.locator("h1").count() == 1
    assert page.get_by_role("cell", name="30%").is_visible()  # Impact's weight
    page.screenshot(path=str(artifact("site-how-to-enter.png")), full_page=True)
    page.get_by_role("link", name="Read the privacy notice").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/privacy.html")
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert fresh.problems() == []
    assert all(url.startswith(("file:", "data:")) for url in fresh.requests), fresh.requests
    page.close()


def test_entry_page_reads_well_and_links_home(site: Path, fresh: Browser) -> None:
    page = open_page(fresh, site / "entries" / "falls-huddles.html")
    assert page.locator("h1").inner_text() == "Reducing inpatient falls with safety huddles"
    sections = page.locator("article h2").all_inner_texts()
    for heading in ("Challenge", "Approach", "Impact", "Spread and adoption",
                    "Adoption by other organisations"):
        assert heading in sections
    assert page.get_by_role("cell", name="Dartford and Gravesham NHS Trust").is_visible()
    page.screenshot(path=str(artifact("site-entry.png")), full_page=True)
    page.get_by_role("link", name="All entries").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html")
    assert fresh.problems() == []
    page.close()


def test_the_site_reads_without_javascript(site: Path, fresh: Browser) -> None:
    page = fresh.page()
    cdp = fresh.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("1 + 1") == 2  # evaluation still works; the page's script does not
    assert page.locator("#filter-status").inner_text() == ""  # site.js never ran
    assert page.locator("#filters").is_hidden()  # controls that would not work stay hidden
    assert page.locator("[data-entry]:visible").count() == 38
    for title in winners():
        assert page.locator(".card--winner", has_text=title).first.is_visible()
    page.screenshot(path=str(artifact("site-no-javascript.png")))
    assert fresh.problems() == []
    page.close()


def test_hostile_entry_text_does_nothing_in_the_browser(tmp_path: Path, fresh: Browser) -> None:
    programme = hostile_programme(tmp_path / "programme")
    out = tmp_path / "site"
    render("site", programme, out)
    for name in ("index.html", "entries/hostile.html"):
        page = open_page(fresh, out / name)
        page.wait_for_timeout(150)  # time for any injected handler to fire
        assert page.evaluate("document.querySelectorAll('img, iframe, [onerror], [onload], "
                             "[onmouseover], a[href^=\"javascript\" i]').length") == 0
        heading = page.locator(".card h3" if name == "index.html" else "h1").first
        assert "<script>alert(1)</script>" in heading.inner_text()
        page.locator("text=click").first.click()  # the inert javascript: text
        page.screenshot(path=str(artifact(f"site-hostile-{name.replace('/', '-')}.png")))
        page.close()
    assert fresh.dialogs == []
    assert fresh.problems() == []
    assert all(url.startswith(("file:", "data:")) for url in fresh.requests), fresh.requests
