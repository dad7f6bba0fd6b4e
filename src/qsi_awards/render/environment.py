"""The Jinja environment every renderer uses.

- **Sandboxed** (jinja2's ImmutableSandboxedEnvironment, plus limits on `*` and `**`),
  because a template can arrive in a pull request: it cannot reach Python internals,
  change the data it is given, or build a gigabyte string.
- **Strict**: an undefined variable is an error, never an empty string.
- **Escaping by output kind**: `.html`/`.htm`/`.xml`/`.svg` templates autoescape HTML;
  `.md` templates escape every value for Markdown (see text.md_escape); `.txt`, `.css`
  and `.js` templates get values as they are (they only ever see programme text or
  IDs, or their output is plain text).
- **Loaders**: the programme's `templates/` folder first (plain files only: no symbolic
  links, nothing outside the folder, at most 1 MiB, UTF-8), then the defaults shipped in
  the package (`qsi_awards/templates/`).

Any error while loading or rendering a template (syntax, undefined variable, sandbox
violation, a missing include, ...) becomes a ProblemsFound (exit 1) whose message names
the template file, the line and what went wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..controls import removed
from ..errors import ProblemsFound
from . import text as textmod

MAX_TEMPLATE_BYTES = 1024 * 1024
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HTML_SUFFIXES = (".html", ".htm", ".xml", ".svg")
MAX_SEQUENCE = 1_000_000  # the longest string or list `*` may build in a template


class TemplateRefused(jinja2.TemplateError):
    """A programme template qsi will not read (a symbolic link, too big, not UTF-8...)."""


class ProgrammeTemplates(jinja2.BaseLoader):
    """Templates from `<programme>/templates/`: plain files inside that folder only."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "templates"

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..' and separators
        rel = "templates"
        path = self.folder
        info = _lstat(path, rel, template)
        if info is None or not stat.S_ISDIR(info.st_mode):
            raise jinja2.TemplateNotFound(template)
        for piece in pieces:
            path, rel = path / piece, f"{rel}/{piece}"
            info = _lstat(path, rel, template)
            if info is None:
                raise jinja2.TemplateNotFound(template)
        assert info is not None
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(f"{rel} is not a plain file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(f"{rel} is larger than 1 MiB")
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as error:
            raise TemplateRefused(f"{rel} cannot be read ({error.strerror})") from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateRefused(f"{rel} is not UTF-8 text") from None
        return source, str(path), lambda: True


def _lstat(path: Path, rel: str, template: str) -> os.stat_result | None:
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise TemplateRefused(f"{rel} cannot be read ({error.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise TemplateRefused(f"{rel} is a symbolic link; qsi only reads plain files inside "
                              "the programme folder")
    return info


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with `*` and `**` limited so a template cannot exhaust
    memory or CPU with one expression."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise jinja2.exceptions.SecurityError("exponents above 100 are not allowed")
            return left**right
        for seq, count in ((left, right), (right, left)):
            if (isinstance(seq, str | list | tuple) and isinstance(count, int)
                    and len(seq) * count > MAX_SEQUENCE):
                raise jinja2.exceptions.SecurityError(
                    f"'*' would build a sequence longer than {MAX_SEQUENCE:,} items")
        return left * right


def _autoescape(name: str | None) -> bool:
    return name is not None and name.lower().endswith(HTML_SUFFIXES)


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """In `.md` templates, every value is escaped for Markdown unless marked safe."""
    if (isinstance(value, str) and not isinstance(value, Markup) and context.name
            and context.name.lower().endswith(".md")):
        return textmod.md_escape(value)
    return value


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

AWARD_LABELS = {"winner": "Winner", "highly_commended": "Highly commended",
                "shortlisted": "Shortlisted"}
SETTING_LABELS = {"primary": "Primary care", "secondary": "Secondary care",
                  "community": "Community care"}
THEME_LABELS = {"safety": "Safety", "qi": "Quality improvement"}
STAGE_LABELS = {"interested": "Interested", "planning": "Planning", "piloting": "Piloting",
                "adopted": "Adopted", "declined": "Declined"}


def long_date(value: Any) -> str:
    """'2020-04-01' (or a date) as '1 April 2020'; anything else unchanged."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(value: Any) -> str:
    text = long_date(value)
    return text.split(" ", 1)[1] if text.count(" ") == 2 else text


def _label(table: Mapping[str, str]) -> Callable[[Any], str]:
    def label(value: Any) -> str:
        if value is None:
            return ""
        return table.get(str(value), str(value).replace("_", " ").capitalize())

    return label


def join_names(names: Sequence[Any], last: str = " and ", sep: str = ", ") -> str:
    """['a', 'b', 'c'] as 'a, b and c'."""
    items = [str(n) for n in names]
    if len(items) <= 1:
        return "".join(items)
    return sep.join(items[:-1]) + last + items[-1]


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def markdown_filter(value: Any, top_level: int = 2) -> Markup:
    """Entrant Markdown as safe HTML (raw HTML off, unsafe links inert); its control
    characters go before it is read, or Markdown would show a NUL as a replacement
    character."""
    return Markup(textmod.render_markdown(removed(str(value)), int(top_level)))  # noqa: S704


def md_filter(value: Any) -> Markup:
    """Explicit Markdown escaping (`.md` templates do this for every value anyway)."""
    return Markup(textmod.md_escape(str(value)))  # noqa: S704


FILTERS: dict[str, Callable[..., Any]] = {
    "long_date": long_date,
    "month_year": month_year,
    "award_label": _label(AWARD_LABELS),
    "setting_label": _label(SETTING_LABELS),
    "theme_label": _label(THEME_LABELS),
    "stage_label": _label(STAGE_LABELS),
    "join_names": join_names,
    "plural": plural,
    "markdown": markdown_filter,
    "md": md_filter,
    "one_line": textmod.one_line,
    "shorten_words": textmod.shorten,
}


class Templates:
    """Load and render templates for one programme; errors become ProblemsFound."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.env = Sandbox(
            loader=jinja2.ChoiceLoader([
                ProgrammeTemplates(self.root),
                jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES), followlinks=False),
            ]),
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.env.filters.update(FILTERS)

    def overridden(self, name: str) -> bool:
        """True when the programme's templates/ folder has its own `name`."""
        try:
            ProgrammeTemplates(self.root).get_source(self.env, name)
        except jinja2.TemplateNotFound:
            return False
        except jinja2.TemplateError:
            return True
        return True

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The rendered file, without control characters (see controls.py)."""
        try:
            return removed(self.env.get_template(name).render(context))
        except ProblemsFound:
            raise
        except Exception as error:  # anything a template does wrong, reported with its line
            raise ProblemsFound(self.describe(name, error, context)) from None

    def describe(self, name: str, error: BaseException, context: Mapping[str, Any]) -> str:
        where, line = self._location(name, error)
        at = f"{where}, line {line}" if line else where
        if isinstance(error, jinja2.TemplateSyntaxError):
            what = f"syntax error: {error.message}"
        elif isinstance(error, jinja2.UndefinedError):
            names = ", ".join(sorted(context)) or "none"
            what = (f"{error.message}: an undefined variable or attribute (the variables "
                    f"this template is given: {names})")
        elif isinstance(error, jinja2.exceptions.SecurityError):
            what = f"the sandbox refused it: {error}"
        elif isinstance(error, jinja2.TemplatesNotFound | jinja2.TemplateNotFound):
            missing = getattr(error, "name", None) or str(error)
            what = (f"it uses the template '{missing}', which is neither in the programme's "
                    "templates/ folder nor one of qsi's default templates")
        elif isinstance(error, TemplateRefused):
            what = error.message or "refused"
        elif isinstance(error, RecursionError):
            what = "it calls itself without end (a macro or include that never stops)"
        else:
            what = f"{type(error).__name__}: {error}"
        return f"Template {at}: {what.rstrip('.')}. Fix the template and run the command again."

    def _location(self, name: str, error: BaseException) -> tuple[str, int | None]:
        if isinstance(error, jinja2.TemplateSyntaxError):
            return self.display(error.filename, error.name or name), error.lineno
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if self._is_template_file(frame.filename)]
        if frames:
            return self.display(frames[-1].filename, name), frames[-1].lineno
        return self.display(None, name), None

    def _is_template_file(self, filename: str) -> bool:
        try:
            path = Path(filename).resolve()
        except (OSError, ValueError):
            return False
        return (path.is_relative_to(PACKAGE_TEMPLATES)
                or path.is_relative_to((self.root / "templates").resolve()))

    def display(self, filename: str | None, name: str) -> str:
        """'templates/x.html' for a programme template, else a note that it is a default."""
        if filename:
            path = Path(filename)
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
            try:
                rel = path.relative_to(PACKAGE_TEMPLATES).as_posix()
                return f"{rel} (qsi's default template)"
            except ValueError:
                pass
        if self.overridden(name):
            return f"templates/{name}"
        return f"{name} (qsi's default template)"
