"""The reporters of findings, for validate and guard (report/validate.py,
report/guard.py): text (editors and CI logs), JSON (the SPEC shape) or GitHub workflow
commands (annotations on the changed lines, plus a job summary under the command's
heading)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from ..controls import escaped
from ..errors import QsiError
from ..findings import Checked, Finding
from . import json_text


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


def text(result: Checked, out: TextIO, /) -> None:
    """One `path:line:column: CODE message` line per finding, then a summary line;
    coloured on a terminal (unless NO_COLOR is set)."""
    findings, files = result.findings, result.files
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


def as_json(result: Checked, out: TextIO, /) -> None:
    errors, warnings = summary_counts(result.findings)
    document = {
        "findings": [f.as_dict() for f in result.findings],
        "summary": {"errors": errors, "warnings": warnings, "files": result.files},
    }
    out.write(json_text(document))


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class GitHub:
    """Workflow commands, with paths relative to the git repository root (so annotations
    land on the right file wherever the programme folder sits), and, when
    GITHUB_STEP_SUMMARY names a file, a Markdown job summary under `heading` appended
    to it."""

    heading: str  # the command, such as "qsi validate"

    def __call__(self, result: Checked, out: TextIO, /) -> None:
        from ..gitops import repo_prefix

        prefix = repo_prefix(result.root)
        for f in result.findings:
            props = [f"file={_escape_property(prefix + f.path)}"]
            if f.line is not None:
                props.append(f"line={f.line}")
                if f.column is not None:
                    props.append(f"col={f.column}")
            props.append(f"title={_escape_property(f.code)}")
            out.write(escaped(f"::{f.severity} {','.join(props)}::{_escape_data(f.message)}")
                      + "\n")
        out.write(summary_line(result.findings, result.files) + "\n")
        append_summary(markdown_summary(self.heading, result.findings, result.files, prefix))


def append_summary(text: str) -> bool:
    """Append `text` to the job summary, the file GITHUB_STEP_SUMMARY names; False when
    it names none."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return False
    try:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise QsiError(f"Cannot add the job summary to {summary_file} (named by "
                       f"GITHUB_STEP_SUMMARY): {error.strerror}. Unset it, or name a "
                       "file qsi may append to.") from None
    return True


def markdown_summary(heading: str, findings: Sequence[Finding], files: int,
                     prefix: str = "") -> str:
    from ..render.text import md_code_cell, md_escape  # only for a Markdown summary

    lines = [f"## {heading}", "", summary_line(findings, files), ""]
    if findings:
        lines += ["| | where | code | problem |", "|---|---|---|---|"]
        for f in findings:
            icon = "❌" if f.severity == "error" else "⚠️"
            lines.append(f"| {icon} | {md_code_cell(location(f, prefix))} | `{f.code}` | "
                         f"{md_escape(f.message)} |")
        lines.append("")
    return escaped("\n".join(lines) + "\n")
