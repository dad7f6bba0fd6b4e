"""Every Markdown output shows entrant (and programme) text as literal text: shortlist.md,
press-release.md, `tally --format markdown`, `status --format markdown`, `adoption
--format markdown` and the GitHub job summary of `validate`. Each is rendered by an
independent GitHub-like renderer (render_support.github_markdown): no link, image, raw
tag or emphasis comes from the text, and the text reads exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder import entry_meta, scores, write_programme
from conftest import run_cli
from render_support import MARKDOWN_TAGS, Page, github_markdown, render

# Markup GitHub would act on: an image (a tracking pixel), a link, a raw tag, bare
# addresses it autolinks, an @mention and an issue reference, emphasis, code, a table
# break, a character reference.
MARKUP = ("![pixel](https://t.example/p.png) <img src=x> [link](https://evil.example) "
          "https://bare.example www.bare.example ask@evil.example @someone #123 "
          "**bold** `code` ~~gone~~ a|b &amp;")
TITLE = f"1. {MARKUP} title"
ORGANISATION = f"- {MARKUP} organisation"
SUMMARY = f"# {MARKUP} summary"


def hostile(root: Path) -> Path:
    write_programme(
        root,
        categories=[{"id": "cat-a", "title": f"{MARKUP} category", "theme": "safety"}],
        judges=[{"id": "j1", "name": f"{MARKUP} judge", "organisation": "Panel Org 1"},
                {"id": "j2", "name": "Judge 2", "organisation": "Panel Org 2"}],
        entries={"hostile": entry_meta("hostile", title=TITLE, organisation=ORGANISATION,
                                       summary=SUMMARY),
                 "calm": entry_meta("calm")},
        sheets={"j1": {"hostile": scores(9, 9), "calm": scores(5, 5)},
                "j2": {"hostile": scores(9, 8), "calm": scores(5, 6)}},
        judging={"shortlist_size": 2, "highly_commended": 1},
        decisions=[{"category": "cat-a", "winner": "calm", "highly_commended": ["hostile"],
                    "reason": f"{MARKUP} reason"}],
        adoption=[{"entry": "calm", "organisation": f"{MARKUP} adopter",
                   "stage": "piloting", "date": "2020-06-01"}],
        extra_settings={"name": f"{MARKUP} awards", "timeline": [
            {"id": "deadline", "title": f"{MARKUP} deadline", "date": "2020-02-01",
             "kind": "submission_deadline"},
            {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"}]},
    )
    return root


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = hostile(tmp_path_factory.mktemp("md") / "programme")
    assert run_cli(["validate", "-p", root]).exit_code == 0
    out = tmp_path_factory.mktemp("md-out")
    render("shortlist", root, out)
    render("announcement", root, out)
    made = {name: (out / name).read_text("utf-8") for name in ("shortlist.md",
                                                               "press-release.md")}
    for command in ("tally", "status", "adoption"):
        result = run_cli([command, "-p", root, "--format", "markdown"])
        assert result.exit_code == 0, result.output
        made[command] = result.stdout
    return made


def assert_literal(page: Page, *values: str) -> None:
    tags = {tag for tag, _ in page.tags}
    assert tags <= MARKDOWN_TAGS and "a" not in tags and "img" not in tags, tags
    for value in values:
        assert " ".join(value.split()) in page.flat


@pytest.mark.parametrize("name, values", [
    ("shortlist.md", [TITLE, ORGANISATION, SUMMARY, f"{MARKUP} awards", f"{MARKUP} category"]),
    ("press-release.md", [TITLE, ORGANISATION, f"{MARKUP} awards", f"{MARKUP} category"]),
    ("tally", [TITLE, ORGANISATION, f"{MARKUP} reason", f"{MARKUP} category"]),
    ("status", [f"{MARKUP} deadline", f"{MARKUP} judge", f"{MARKUP} category"]),
    ("adoption", [f"{MARKUP} adopter"]),
])
def test_markdown_outputs_show_text_literally(outputs: dict[str, str], name: str,
                                              values: list[str]) -> None:
    source = outputs[name]
    assert_literal(github_markdown(source), *values)
    # GitHub would link these after parsing (outside code, such as status's Mermaid
    # chart): an empty comment splits them
    text = re.sub(r"```mermaid\n.*?```", "", source, flags=re.DOTALL)
    assert "@someone" not in text and "#123" not in text


def test_validate_job_summary_shows_values_literally(tmp_path: Path) -> None:
    value = "![p](https://t.example) @someone #123"  # short: messages quote 40 characters
    root = write_programme(tmp_path / "p", entries={"e1": entry_meta("e1", category=value)})
    summary = tmp_path / "summary.md"
    result = run_cli(["validate", "-p", root],
                     env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    source = summary.read_text("utf-8")
    page = github_markdown(source)
    assert_literal(page, f"'{value}'", "entries/e1.md:")
    assert "@someone" not in source and "#123" not in source
