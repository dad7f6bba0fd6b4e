"""Print findings as text (editors and CI logs), JSON (the SPEC shape) or GitHub
workflow commands (annotations on the changed lines, plus a job summary)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from ..controls import escaped, json_escaped
from ..findings import Finding
from ..render.text import md_code_cell, md_escape

FORMATS = ("text", "json", "github")


def default_format() -> str:
    """`github` under GitHub Actions, else `text`."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary_counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def summary_line(findings: Sequence[Finding], files: int) -> str:
    errors, warnings = summary_counts(findings)
    if not findings:
        return f"No problems found in {files} file{'s' if files != 1 else ''}."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{' and '.join(parts)} in {files} file{'s' if files != 1 else ''}."


def location(f: Finding, prefix: str = "") -> str:
    where = prefix + f.path
    if f.line is not None:
        where += f":{f.line}"
        if f.column is not None:
            where += f":{f.column}"
    return where


def text(findings: Sequence[Finding], files: int, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if out.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markup import escape

        console = Console(file=out, highlight=False, soft_wrap=True)
        for f in findings:
            colour = "red" if f.severity == "error" else "yellow"
            console.print(f"[bold]{escape(escaped(location(f)))}[/]: [{colour}]{f.code}[/] "
                          f"{escape(escaped(f.message))}")
        errors, _ = summary_counts(findings)
        style = "red" if errors else ("yellow" if findings else "green")
        console.print(f"[{style}]{escape(summary_line(findings, files))}[/]")
        return
    for f in findings:
        out.write(escaped(f"{location(f)}: {f.code} {f.message}") + "\n")
    out.write(summary_line(findings, files) + "\n")


def as_json(findings: Sequence[Finding], files: int, out: TextIO | None = None) -> None:
    import json

    out = out or sys.stdout
    errors, warnings = summary_counts(findings)
    document = {
        "findings": [f.as_dict() for f in findings],
        "summary": {"errors": errors, "warnings": warnings, "files": files},
    }
    out.write(json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding], files: int, prefix: str = "",
           out: TextIO | None = None) -> None:
    """Workflow commands; `prefix` makes paths relative to the git repository root."""
    out = out or sys.stdout
    for f in findings:
        props = [f"file={_escape_property(prefix + f.path)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
            if f.column is not None:
                props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.code)}")
        out.write(escaped(f"::{f.severity} {','.join(props)}::{_escape_data(f.message)}") + "\n")
    out.write(summary_line(findings, files) + "\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(markdown_summary(findings, files, prefix))


def markdown_summary(findings: Sequence[Finding], files: int, prefix: str = "") -> str:
    lines = ["## qsi validate", "", summary_line(findings, files), ""]
    if findings:
        lines += ["| | where | code | problem |", "|---|---|---|---|"]
        for f in findings:
            icon = "❌" if f.severity == "error" else "⚠️"
            lines.append(f"| {icon} | {md_code_cell(location(f, prefix))} | `{f.code}` | "
                         f"{md_escape(f.message)} |")
        lines.append("")
    return escaped("\n".join(lines) + "\n")
