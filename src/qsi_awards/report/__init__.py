"""Reporters keyed by --format: one protocol for every command.

A reporter writes one command's result, in one format, to a text stream: standard
output, or a buffer whose text the command line writes to --out. Each command's
reporters live in report/<command>.py as REPORTERS, the --format name -> its reporter,
the default first (as check-jsonschema's REPORTER_BY_NAME, but plain functions, since
no reporter keeps anything between calls). The command line picks one by name with
`choose` and calls it; nothing else in a command decides how its result looks.

A binary format (an Excel workbook) has the same kind of reporter, a `Binary`: called
with a stream it writes its bytes to the stream's binary buffer (a pipe or a redirect,
never a terminal); `bytes_of` gives what any reporter writes, as bytes, for --out.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TextIO, TypeVar

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


@dataclass(frozen=True)
class Binary(Generic[T]):
    """The reporter of a binary format: `make` gives the bytes of a result. On standard
    output it writes them only to a pipe or a file (`qsi tally --format xlsx > t.xlsx`):
    on a terminal it refuses (QsiError, exit 2) and names --out, with `example`."""

    make: Callable[[T], bytes]
    what: str  # what it makes, in a sentence: 'An Excel workbook'
    example: str  # a file name to suggest: 'tally.xlsx'

    def __call__(self, result: T, out: TextIO, /) -> None:
        if out.isatty():
            from ..errors import QsiError

            raise QsiError(f"{self.what} cannot be shown on the screen; write it to a file "
                           f"with --out {self.example}.")
        out.flush()
        out.buffer.write(self.make(result))
        out.buffer.flush()


def bytes_of(reporter: Reporter[T], result: T) -> bytes:
    """What `reporter` writes for `result`, as bytes (for --out): a Binary's own bytes,
    any other reporter's text in UTF-8."""
    if isinstance(reporter, Binary):
        return reporter.make(result)
    return text_of(reporter, result).encode("utf-8")


def as_is(text: str, out: TextIO, /) -> None:
    """The reporter of a text that is already the whole report (a CODEOWNERS file, the
    audit trail of `tally --explain`)."""
    out.write(text)


def json_text(document: object) -> str:
    """`document` as json.dumps(document, indent=2, ensure_ascii=False) writes it, then
    controls.json_escaped and a final new line: a reporter's JSON. Written without json's
    indenting encoder, which is pure Python (a generator per list and mapping) and took
    longer than the tally it printed; a value of any other type than JSON's own (a
    subclass, a key that is not text) is left to json.dumps, the whole document."""
    import json
    from json.encoder import encode_basestring

    from ..controls import json_escaped

    parts: list[str] = []
    try:
        _json(document, parts, "\n", encode_basestring)
        text = "".join(parts)
    except _NotPlain:
        text = json.dumps(document, indent=2, ensure_ascii=False)
    return json_escaped(text) + "\n"


class _NotPlain(Exception):
    """A value json_text leaves to json.dumps."""


def _json(value: object, out: list[str], newline: str,
          encode_basestring: Callable[[str], str]) -> None:
    """Append `value`'s JSON, indented as json.dumps(indent=2) indents it at `newline`
    (a new line and the indent of the line `value` starts on); `encode_basestring` is
    json's, which writes a string as JSON."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))  # type: ignore[arg-type]
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        number: float = value  # type: ignore[assignment]
        out.append(float.__repr__(number) if number == number and number not in _INFINITE
                   else "NaN" if number != number else
                   "Infinity" if number > 0 else "-Infinity")
    elif kind is dict:
        mapping: dict[object, object] = value  # type: ignore[assignment]
        if not mapping:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in mapping.items():
            if type(key) is not str:
                raise _NotPlain
            out.append(separator + encode_basestring(key) + ": ")
            _json(item, out, inner, encode_basestring)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        items: list[object] = value  # type: ignore[assignment]
        if not items:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in items:
            out.append(separator)
            _json(item, out, inner, encode_basestring)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _NotPlain


_INFINITE = (float("inf"), float("-inf"))
