"""The Gantt chart in `qsi status --format markdown` is real Mermaid: parsed and drawn
by mermaid itself (the npm package .ci/install puts in .tools/) in headless Chromium,
as GitHub would draw it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builder import entry_meta, scores, write_programme
from qsi_awards.cli import app
from render_support import REPO, artifact, chromium

MERMAID = REPO / ".tools" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

DRAW = """async (text) => {
  try {
    await mermaid.parse(text);
    const { svg } = await mermaid.render("gantt", text);
    return { ok: true, svg };
  } catch (error) {
    return { ok: false, error: String(error.message || error) };
  }
}"""


def gantt(root: Path, today: str) -> str:
    result = CliRunner().invoke(app, ["status", "-p", str(root), "--today", today,
                                      "--format", "markdown"], catch_exceptions=False)
    match = re.search(r"```mermaid\n(.*?)```", result.stdout, re.S)
    assert match, result.stdout
    return match.group(1)


@pytest.mark.browser
def test_gantt_charts_parse_and_draw(tmp_path: Path) -> None:
    if not MERMAID.exists():
        pytest.fail(f"{MERMAID} is missing; run .ci/install")
    awkward = write_programme(tmp_path / "awkward", extra_settings={
        "name": "Awards: #1; the \"best\" <b>",
        "timeline": [
            {"id": "open", "title": "Open: entries #1; now", "date": "2020-01-01"},
            {"id": "close", "title": "Close", "date": "2020-01-01",
             "kind": "submission_deadline"},
        ]})
    overdue = write_programme(  # a phase under way, judging overdue (crit)
        tmp_path / "overdue", entries={"e1": entry_meta("e1")},
        sheets={"j1": {"e1": scores(None, None)}}, extra_settings={"timeline": [
            {"id": "judging", "title": "Judging", "date": "2020-02-01",
             "kind": "judging_deadline"},
            {"id": "spread", "title": "Spread", "date": "2020-02-02", "until": "2020-06-30",
             "owner": "AHSN: spread", "after": ["judging"]}]})
    charts = {"example": gantt(REPO, "2020-02-15"), "after": gantt(REPO, "2021-01-01"),
              "awkward": gantt(awkward, "2020-01-01"), "overdue": gantt(overdue, "2020-03-01")}
    assert ":milestone, crit, judging," in charts["overdue"]
    assert ":active, spread," in charts["overdue"]
    with chromium() as browser:
        page = browser.page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID))
        page.evaluate("mermaid.initialize({startOnLoad: false})")
        drawn = {name: page.evaluate(DRAW, text) for name, text in charts.items()}
        broken = page.evaluate(DRAW, charts["example"].replace("dateFormat", "dateFormatt"))
        page.set_content(drawn["example"].get("svg", ""))
        page.screenshot(path=str(artifact("status-gantt.png")))
    assert broken["ok"] is False  # the check can fail
    for name, result in drawn.items():
        assert result["ok"], (name, result.get("error"))
    svg = drawn["example"]["svg"]
    for title in ("Deadline for award submissions", "Hold award ceremony and announce winners",
                  "Today"):
        assert title in svg
