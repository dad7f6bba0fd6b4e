"""qsi guard."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import ProgrammeDir, today_date

if TYPE_CHECKING:
    from ..findings import Finding

EXAMPLE = ("Examples: qsi guard --author priya-shah  |  "
           "qsi guard --author hmarsh --base origin/main --format github")


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def guard(
    author: Annotated[str, typer.Option(
        "--author", "-a", help="The GitHub handle of the pull request's author.",
        metavar="HANDLE")],
    programme: ProgrammeDir = Path(),
    base: Annotated[str | None, typer.Option(
        help="The git ref the pull request started from (default origin/main, else HEAD).",
        metavar="REF")] = None,
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="text, json or github (github by default under GitHub Actions)."
    )] = None,
    committer: Annotated[list[str] | None, typer.Option(
        help="The GitHub handle of someone who committed or pushed to the pull request "
        "(repeat for each); guard fails if any is neither the author nor a maintainer.",
        metavar="HANDLE")] = None,
    today: Annotated[str | None, typer.Option(
        help="Pretend today is this date (YYYY-MM-DD): new entries arrive on it.",
        metavar="DATE")] = None,
) -> None:
    """Check that the author of a pull request changes only what they may: maintainers
    anything; a judge their own score sheet's assigned entries; an entrant their own
    entries, not after the deadline and not into another category once judged. Who is
    who is read from the base, never from the pull request; the pull request may hold
    only its author's commits (and the maintainers')."""
    from ..guard import run
    from ..report import findings as report

    result = run(programme, author, base, committer or [], today_date(today))
    chosen = format.value if format else report.default_format()
    if chosen == "json":
        report.as_json(result.findings, result.files)
    elif chosen == "github":
        _github(result.findings, result.files, programme)
    else:
        report.text(result.findings, result.files)
    raise typer.Exit(result.exit_code)


def _github(findings: list[Finding], files: int, programme: Path) -> None:
    """Annotations through the shared reporter; the job summary under its own heading."""
    import os

    from ..gitops import repo_prefix
    from ..report import findings as report

    prefix = repo_prefix(programme)
    summary_file = os.environ.pop("GITHUB_STEP_SUMMARY", None)
    try:
        report.github(findings, files, prefix)
    finally:
        if summary_file is not None:
            os.environ["GITHUB_STEP_SUMMARY"] = summary_file
    if summary_file:
        summary = report.markdown_summary(findings, files, prefix)
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(summary.replace("## qsi validate", "## qsi guard", 1))


def register(app: typer.Typer) -> None:
    app.command(name="guard", epilog=EXAMPLE)(guard)
