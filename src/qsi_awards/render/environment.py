"""The Jinja environment every renderer uses.

- **Sandboxed** (jinja2's ImmutableSandboxedEnvironment), because a template can
  arrive in a pull request: it cannot reach Python internals or change the data it is
  given; and **bounded** (see Sandbox): in one render it may build at most 64 Mi
  characters, take 5,000,000 steps and run 60 seconds, so no template can eat the
  machine's memory or run for ever.
- **Strict**: an undefined variable is an error, never an empty string.
- **Escaping by output kind**: `.html`/`.htm`/`.xml`/`.svg` templates autoescape HTML;
  `.md` templates escape every value for Markdown (see text.md_escape); `.txt`, `.css`
  and `.js` templates get values as they are (they only ever see programme text or
  IDs, or their output is plain text).
- **Loaders**: the programme's `templates/` folder first (plain files only: no symbolic
  links, nothing outside the folder, at most 1 MiB, UTF-8), then the defaults shipped in
  the package (`qsi_awards/templates/`).

Any error while loading or rendering a template (syntax, undefined variable, sandbox
violation, a limit reached, a missing include, ...) becomes a ProblemsFound (exit 1)
whose message names the template file, the line and what went wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import os
import re
import stat
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Macro, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg, generate_lorem_ipsum
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from .. import dates
from ..controls import removed
from ..errors import ProblemsFound
from ..judging.tally import AWARD_LABELS
from ..model.programme import SETTINGS, THEMES, ProgrammeFile
from . import text as textmod

MAX_TEMPLATE_BYTES = 1024 * 1024
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HTML_SUFFIXES = (".html", ".htm", ".xml", ".svg")


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


class TooCostly(jinja2.exceptions.SecurityError):
    """A template that would take too much memory or time (see Sandbox)."""


class _Guards(CodeGenerator):
    """Compiles every `{% for %}` loop to step through Sandbox.each and every `~` to
    go through Sandbox.join_text, so loops and joined text count against the limits."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = self._guard("each", [loop.iter], loop.iter.lineno)
        super().visit_Template(_JoinGuard(self).visit(node), frame)

    def _guard(self, method: str, args: list[Any], lineno: int) -> nodes.Node:
        call = nodes.Call(nodes.EnvironmentAttribute(method), args, [], None, None)
        return call.set_lineno(lineno).set_environment(self.environment)


class _JoinGuard(NodeTransformer):
    def __init__(self, generator: _Guards) -> None:
        self.generator = generator

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        visited = self.generic_visit(node)
        assert isinstance(visited, nodes.Concat)
        return self.generator._guard(
            "join_text", [nodes.ContextReference(), nodes.List(visited.nodes)], node.lineno)


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with limits so that no template, however it is written,
    can exhaust memory or run for ever. In one render a template may

    - build at most BUDGET characters: every string it makes counts by its length,
      every list or mapping 8 per item (what an item costs in memory), the output by
      its length; anything that would go over (`'x'.ljust(10**9)`, `'x' * 10**9`,
      `lipsum(n=10**6)`, a wide `%` format, a `replace` or `join` that multiplies
      text, ...) is refused before it is built;
    - take at most MAX_STEPS steps (rounds of loops, calls, filters and operators),
      so loops inside loops end;
    - run for at most TIME_LIMIT seconds (checked at every step), for anything slow
      that the two limits above let through;
    - make numbers of at most MAX_INT_BITS bits.

    A template that goes over a limit stops with TooCostly, reported as a template
    error (exit 1). The limits count from `start()`, which Templates.render calls for
    every file it renders. No signals or threads are involved, so Ctrl-C stops qsi
    as anywhere else (main.py)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _Guards

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.spent = self.steps = 0
        self.deadline = math.inf

    def start(self) -> None:
        self.spent = self.steps = 0
        self.deadline = time.monotonic() + TIME_LIMIT

    # the limits -------------------------------------------------------------------

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TooCostly(f"it takes more than {MAX_STEPS:,} steps (rounds of its loops, "
                            "calls and filters), the most a template may; look for loops "
                            "inside loops that go over far more than they need")
        if time.monotonic() > self.deadline:
            raise TooCostly(f"it ran for more than {TIME_LIMIT:g} seconds, the longest a "
                            "template may")

    def afford(self, size: int) -> None:
        """Refuse to build `size` more (characters, or 8 per list item)."""
        if self.spent + size > BUDGET:
            raise TooCostly(f"it would build more than {BUDGET:,} characters of text, the "
                            "most a template may; look for a very long string, a big width "
                            "or count, or a loop that repeats text")

    def spend(self, size: int) -> None:
        self.afford(size)
        self.spent += size

    def built(self, value: Any) -> Any:
        """Count what a call, filter or operator returned; an iterator counts each item
        as it yields it."""
        if isinstance(value, Iterator):
            return self._counted(value)
        self.spend(_cost(value))
        return value

    def _counted(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            self.step()
            self.spend(_cost(item))
            yield item

    # what the compiled templates call -----------------------------------------------

    def concat(self, parts: Iterable[str]) -> str:
        """The output of a template, macro or block, counted piece by piece."""
        buffer: list[str] = []
        append = buffer.append
        for part in parts:  # spend(len(part)), written out: it runs for every piece
            self.spent += len(part)
            if self.spent > BUDGET:
                self.afford(0)
            append(part)
        return "".join(buffer)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`x.name`: as the sandbox reads it, sooner for a plain dict (what templates are
        given) and a name no dict has as an attribute: the item, or undefined, without
        trying the attribute first."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except LookupError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def each(self, items: Iterable[Any]) -> Iterator[Any]:
        """What `{% for %}` loops over: one step per round."""
        for item in items:
            self.step()
            yield item

    def join_text(self, context: jinja2.runtime.Context, parts: list[Any]) -> str:
        """`a ~ b`: refused before it is built when the pieces are too long."""
        self.afford(sum(_size(part, BUDGET) for part in parts))
        join = markup_join if context.eval_ctx.autoescape else str_join
        result: str = join(parts)
        self.spend(len(result))
        return result

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any,
             **kwargs: Any) -> Any:
        self.step()
        if type(obj) is Macro or getattr(obj, "__self__", None) is self:
            # a template's own macro (always safe to call, its output counted as it is
            # built), or each and join_text, put in by _Guards
            return context.call(obj, *args, **kwargs)
        args = self._check_call(obj, args, kwargs)
        result = super().call(context, obj, *args, **kwargs)
        # a macro's output was counted as it was built
        return result if isinstance(obj, Macro) else self.built(result)

    def _check_call(self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
                    ) -> tuple[Any, ...]:
        """Refuse a call to a method or function that would build too much; returns the
        arguments to call it with (an iterator given to `join` is read first)."""
        kwargs = {k: v for k, v in kwargs.items() if k not in ("_loop_vars", "_block_vars")}
        method = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
        if obj is generate_lorem_ipsum:
            n, _html, _min, most = _arguments(args, kwargs, ("n", 5), ("html", True),
                                              ("min", 20), ("max", 100))
            self.afford(_number(n) * _number(most) * 12)  # words of at most 12 characters
        elif isinstance(owner, int) and name == "to_bytes":
            self.afford(_number(_arguments(args, kwargs, ("length", 1))[0]))
        elif isinstance(owner, str | bytes):
            if name == "join" and args and not isinstance(args[0], Sized):
                args = (list(args[0]), *args[1:])
            self.afford(_text_method_size(owner, name, args, kwargs))
            if name in ("split", "rsplit", "splitlines"):
                self.afford(ITEM * len(owner))  # a list of up to one piece per character
        return args

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        self.step()
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise jinja2.exceptions.SecurityError("exponents above 100 are not allowed")
            if isinstance(left, int) and isinstance(right, int):
                _check_bits(left.bit_length() * abs(right))
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | bytes | list | tuple) and isinstance(count, int):
                    self.afford(_cost(seq) * count)
            if isinstance(left, int) and isinstance(right, int):
                _check_bits(left.bit_length() + right.bit_length())
        elif operator == "+":
            if isinstance(left, str | bytes | list | tuple):
                self.afford(_cost(left) + _cost(right))
        elif isinstance(left, str):  # %
            self.afford(_percent_size(left, right))
        return self.built(self.binop_table[operator](left, right))

    def guard_filters(self) -> None:
        """Count every filter's work (and check the ones that multiply text first)."""
        self.filters = {name: self._guarded_filter(name, function)
                        for name, function in self.filters.items()}

    def _guarded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        skip = 0 if _PassArg.from_obj(function) is None else 1  # context, environment...
        check = FILTER_CHECKS.get(name)

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if len(args) > skip:
                value = args[skip]
                if isinstance(value, Iterator) and name in ("join", "sum"):
                    value = list(value)
                    args = (*args[:skip], value, *args[skip + 1:])
                if isinstance(value, str):
                    self.afford(TEXT_WORK * len(value))  # room to work on it
                elif isinstance(value, list | tuple | dict | set | frozenset) and (
                        name not in CONTAINER_FILTERS):
                    self.afford(_size(value, BUDGET))  # it is made into text first
                if check is not None:
                    self.afford(check(*args[skip:], **kwargs))
            return self.built(function(*args, **kwargs))

        return guarded


_DICT_ATTRIBUTES = frozenset(dir(dict))
BUDGET = 64 * 1024 * 1024  # characters built in one render (a list item counts ITEM)
ITEM = 8
TEXT_WORK = 32  # what a filter may need per character of text while it works on it
MAX_STEPS = 5_000_000
TIME_LIMIT = 60.0  # seconds
MAX_INT_BITS = 16_384  # about 4,900 digits


def _cost(value: Any) -> int:
    """What a new value counts against BUDGET: a string its length, a list or
    mapping ITEM per item (its items were counted when they were made)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        return ITEM * len(value)
    return 0


def _size(value: Any, limit: int, seen: dict[int, int] | None = None) -> int:
    """About how long `str(value)` is: a string its length, a list or mapping ITEM
    per item plus the length of the text in it, anything else 1. Stops counting once
    past `limit`; a list that appears many times is looked through once."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, Mapping):
        items: Iterable[Any] = itertools.chain.from_iterable(value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return 1
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    total = ITEM * len(value)
    for item in items:
        if total > limit:
            break
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, Mapping | list | tuple | set | frozenset):
            total += _size(item, limit - total, seen)
    seen[id(value)] = total
    return total


def _number(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _arguments(args: Sequence[Any], kwargs: Mapping[str, Any],
               *parameters: tuple[str, Any]) -> list[Any]:
    """The values of `parameters` (name, default) given these arguments."""
    return [args[i] if i < len(args) else kwargs.get(name, default)
            for i, (name, default) in enumerate(parameters)]


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TooCostly(f"it would make a number of more than {MAX_INT_BITS:,} bits "
                        "(about 4,900 digits), the largest a template may")


def _text_method_size(text: str | bytes, name: str, args: Sequence[Any],
                      kwargs: Mapping[str, Any]) -> int:
    """The most characters a method of a string can return, for the methods that can
    return more than a few times the string itself."""
    if isinstance(text, bytes):  # the same methods, counted the same way
        text = text.decode("latin-1")
        args = [a.decode("latin-1") if isinstance(a, bytes) else a for a in args]
    if name in ("ljust", "rjust", "center", "zfill"):
        return max(len(text), _number(_arguments(args, kwargs, ("width", 0))[0]))
    if name == "expandtabs":
        tabsize = _number(_arguments(args, kwargs, ("tabsize", 8))[0])
        return len(text) + text.count("\t") * tabsize
    if name == "replace":
        old, new = _arguments(args, kwargs, ("old", ""), ("new", ""))
        if not isinstance(old, str) or not isinstance(new, str | bytes):
            return len(text)
        found = text.count(old) if old else len(text) + 1
        return len(text) + found * len(new)
    if name == "join":
        items = args[0] if args else ()
        return _size(items, BUDGET) + len(text) * (len(items) if isinstance(items, Sized) else 0)
    if name == "translate":
        table = args[0] if args else {}
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1) \
            if isinstance(table, Mapping) else 1
        return len(text) * longest
    if name in ("format", "format_map"):
        values = [*args, *kwargs.values()]
        if name == "format_map" and args and isinstance(args[0], Mapping):
            values = list(args[0].values())
        return _format_size(text, text.count("{"), values)
    return 0


def _format_size(template: str, fields: int, values: Sequence[Any]) -> int:
    """The most a format with `fields` fields can build: each field as wide as the
    widest number in it or the values, holding the longest value."""
    widths = [int(n) for n in re.findall(r"\d+", template)]
    widths += [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    longest = max((_size(v, BUDGET) for v in values), default=0)
    return len(template) + fields * (longest + max(widths, default=0))


def _percent_size(template: str, values: Any) -> int:
    """`template % values`: as _format_size, one field per `%` conversion."""
    if isinstance(values, Mapping):
        given = list(values.values())
    elif isinstance(values, tuple):
        given = list(values)
    else:
        given = [values]
    return _format_size(template, template.count("%"), given)


def _filter_center(value: Any, width: Any = 80) -> int:
    return len(str(value)) + _number(width)


def _filter_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> int:
    text = str(value)
    indent = len(width) if isinstance(width, str) else _number(width)
    return len(text) + indent * (text.count("\n") + 1)


def _filter_format(value: Any, *args: Any, **kwargs: Any) -> int:
    return _percent_size(str(value), kwargs or args)


def _filter_join(value: Any, d: Any = "", *args: Any, **kwargs: Any) -> int:
    items = len(value) if isinstance(value, Sized) else 0
    return _size(value, BUDGET) + items * len(str(d))


def _filter_replace(value: Any, old: Any = "", new: Any = "", *args: Any, **kwargs: Any
                    ) -> int:
    return _text_method_size(str(value), "replace", (str(old), str(new)), {})


def _filter_wordwrap(value: Any, width: Any = 79, break_long_words: Any = True,
                     wrapstring: Any = None, *args: Any, **kwargs: Any) -> int:
    text = str(value)
    lines = len(text) // max(1, _number(width)) + text.count("\n") + 1
    return len(text) + lines * len(str(wrapstring or "\n"))


def _filter_batch(value: Any, linecount: Any = 1, *args: Any, **kwargs: Any) -> int:
    return ITEM * _number(linecount)


def _filter_slice(value: Any, slices: Any = 1, *args: Any, **kwargs: Any) -> int:
    return ITEM * _number(slices)


def _filter_sum(value: Any, attribute: Any = None, start: Any = 0) -> int:
    # adding lists (or strings) copies the total so far each time
    if isinstance(start, int | float):
        return 0
    return len(value) * _size(value, BUDGET) if isinstance(value, Sized) else 0


def _filter_join_names(names: Any, last: Any = " and ", sep: Any = ", ") -> int:
    return _filter_join(names, sep) + len(str(last))


FILTER_CHECKS: dict[str, Callable[..., int]] = {
    "center": _filter_center, "indent": _filter_indent, "format": _filter_format,
    "join": _filter_join, "replace": _filter_replace, "wordwrap": _filter_wordwrap,
    "batch": _filter_batch, "slice": _filter_slice, "sum": _filter_sum,
    "join_names": _filter_join_names,
}
# filters that take a list or mapping without making it into text
CONTAINER_FILTERS = frozenset({
    "attr", "batch", "count", "d", "default", "dictsort", "first", "groupby", "items",
    "join", "join_names", "last", "length", "list", "map", "max", "min", "random",
    "reject", "rejectattr", "reverse", "select", "selectattr", "slice", "sort", "sum",
    "unique"})


def _autoescape(name: str | None) -> bool:
    return name is not None and name.lower().endswith(HTML_SUFFIXES)


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """In `.md` templates, every value is escaped for Markdown unless marked safe. A
    list or mapping written out whole must not be too long as text."""
    if type(value) is str:  # the most common value, at once
        return textmod.md_escape(value) if _markdown_template(context.name) else value
    if isinstance(value, list | tuple | dict | set | frozenset) and isinstance(
            context.environment, Sandbox):
        context.environment.afford(_size(value, BUDGET))
    if isinstance(value, str) and not isinstance(value, Markup) and _markdown_template(
            context.name):
        return textmod.md_escape(value)
    return value


@functools.lru_cache(maxsize=64)
def _markdown_template(name: str | None) -> bool:
    return name is not None and name.lower().endswith(".md")


STAGE_LABELS = {"interested": "Interested", "planning": "Planning", "piloting": "Piloting",
                "adopted": "Adopted", "declined": "Declined"}


def long_date(value: Any) -> str:
    """'2020-04-01' (or a date) as '1 April 2020'; anything else unchanged."""
    if isinstance(value, dt.date):
        return dates.long_date(value)
    try:
        return dates.long_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


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


def spc_chart(measure: Mapping[str, Any], prefix: Any = "chart") -> Markup:
    """A measure's Making Data Count chart as inline SVG (render/chart.py: every text in
    it escaped); `prefix` makes its IDs unique on the page."""
    from .chart import chart_svg

    return Markup(chart_svg(measure, str(prefix)))  # noqa: S704


def spc_icon(measure: Mapping[str, Any], which: Any = "variation") -> Markup:
    """A measure's variation or assurance icon as inline SVG ('' when it has none)."""
    from .chart import icon_svg

    return Markup(icon_svg(measure, str(which)))  # noqa: S704


def score_chart(rows: Sequence[Mapping[str, Any]], scale: Mapping[str, int],
                prefix: Any = "scores") -> Markup:
    """A feedback report's scores against the category as inline SVG
    (render/scorechart.py: every text in it escaped)."""
    from .scorechart import score_chart_svg

    return Markup(score_chart_svg(rows, scale, str(prefix)))  # noqa: S704


FILTERS: dict[str, Callable[..., Any]] = {
    "long_date": long_date,
    "month_year": month_year,
    "award_label": _label(AWARD_LABELS),
    "stage_label": _label(STAGE_LABELS),
    "join_names": join_names,
    "plural": plural,
    "markdown": markdown_filter,
    "md": md_filter,
    "one_line": textmod.one_line,
    "shorten_words": textmod.shorten,
    "spc_chart": spc_chart,
    "spc_icon": spc_icon,
    "score_chart": score_chart,
}


class Templates:
    """Load and render templates for one programme; errors become ProblemsFound."""

    def __init__(self, root: Path, taxonomy: ProgrammeFile | None = None) -> None:
        """`taxonomy`: the programme whose themes and care settings the `theme_label` and
        `setting_label` filters show (default: the seed's)."""
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
        themes, settings = (THEMES, SETTINGS) if taxonomy is None else (
            taxonomy.themes, taxonomy.settings)
        self.env.filters["theme_label"] = _label({t.id: t.label for t in themes})
        self.env.filters["setting_label"] = _label({s.id: s.label for s in settings})
        self.env.guard_filters()

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
        self.env.start()
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
        elif isinstance(error, TooCostly):
            what = f"it is too big or too slow: {error}"
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
