"""Reporters keyed by --format: one protocol for every command.

A reporter writes one command's result, in one format, to a text stream: standard
output, or a buffer whose text the command line writes to --out. Each command's
reporters live in report/<command>.py as REPORTERS, the --format name -> its reporter,
the default first (as check-jsonschema's REPORTER_BY_NAME, but plain functions, since
no reporter keeps anything between calls). The command line picks one by name with
`choose` and calls it; nothing else in a command decides how its result looks.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from typing import Protocol, TextIO, TypeVar

R = TypeVar("R", contravariant=True)
T = TypeVar("T")


class Reporter(Protocol[R]):
    """Writes `result` to `out`, in one format."""

    def __call__(self, result: R, out: TextIO, /) -> None: ...


def choose(reporters: Mapping[str, Reporter[T]], name: str | None = None) -> Reporter[T]:
    """The reporter for --format `name`. Without a name: `github` under GitHub Actions
    (GITHUB_ACTIONS=true) when the command has one, else the command's default."""
    if name is None:
        github = "github" in reporters and os.environ.get("GITHUB_ACTIONS") == "true"
        name = "github" if github else next(iter(reporters))
    return reporters[name]


def writing(render: Callable[[T], str]) -> Reporter[T]:
    """The reporter that writes the text `render` makes of a result."""

    def reporter(result: T, out: TextIO, /) -> None:
        out.write(render(result))

    return reporter


def text_of(reporter: Reporter[T], result: T) -> str:
    """What `reporter` writes for `result`, as a string (for --out)."""
    buffer = io.StringIO()
    reporter(result, buffer)
    return buffer.getvalue()


def as_is(text: str, out: TextIO, /) -> None:
    """The reporter of a text that is already the whole report (a CODEOWNERS file, the
    audit trail of `tally --explain`)."""
    out.write(text)
