"""qsi's YAML builder against an independent reader: PyYAML's C loader.

qsi reads YAML through libyaml's event stream and builds the dicts, lists and scalars
itself (yamlparse). The oracle here composes the same text into PyYAML's node tree
(`CSafeLoader`, a subclass with the timestamp resolver removed) and constructs the
value with PyYAML's own constructors, except where qsi's typing differs from YAML 1.1
by design. Each difference is written out below (`expected`) and in README's words:

1. Dates stay text: the schema decides what a date is ("Dates stay text"). The oracle's
   loader has no timestamp resolver, so PyYAML agrees without help.
2. Numbers only as plain decimals (README "Numbers, in every file, are written as plain
   decimals"): a plain scalar YAML 1.1 reads as an int or float is a number to qsi only
   when written `-?(0|[1-9][0-9]*)(\\.[0-9]+)?`; otherwise it stays its text (`010`,
   `0x1F`, `0o17`, `0b101`, `1_000`, `1e3`, `+5`, `.5`, `5.`, `1:30`, `.inf`, `.nan`).
   A plain decimal Python cannot convert (over 4,300 digits) or whose float is not
   finite stays text too.
3. Mapping keys are always the key's text ("2020:" is the key "2020", `yes:` is "yes",
   `~:` is "~"), so an ID never changes type; PyYAML would construct them (2020, True,
   None).
4. A key written twice: qsi keeps the first value and reports `duplicate-key` at the
   second key's line and column (and any duplicate inside the value it drops); PyYAML
   keeps the last, silently.
5. `<<` and `=` are text: YAML 1.1's merge and value keys have no meaning in qsi's files
   (PyYAML's resolver tags them, and its safe constructor then fails on `=`).
7. true and false only as written so (true, True, TRUE, false, ...): YAML 1.1's yes, no,
   on and off (any case) stay text, so a boolean field written `yes` is a finding that
   says to write true, and an ID or title `no` stays the text.
6. Raw control characters (the C0 controls but tab, line feed and carriage return; DEL;
   the C1 controls; the bidirectional controls U+202A-U+202E and U+2066-U+2069) are
   refused as `control-character` at the first one's line and column, even where YAML
   would take them (a bidi override, U+0085 inside quotes).

Not generated, because qsi refuses them on purpose and other tests pin that: anchors and
aliases, tags, complex keys, nesting over 50 levels, more than one document.

Where both readers refuse a document (a generated document can be invalid YAML), qsi
must say `yaml-syntax` at the line libyaml gave.

Bug caught: any difference in how the builder turns events into values: block scalars
and their chomping, folded and multi-line plain scalars, escapes in double quotes,
null and boolean spellings, nesting of flow collections inside block ones, a duplicate
key keeping the wrong value, a value attached to the wrong key or list, key order.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st


def _yamlparse() -> ModuleType:
    """qsi's YAML reader, wherever the package keeps it (it is being moved)."""
    for name in ("qsi_awards.load.yamlparse", "qsi_awards.yamlparse"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError("qsi_awards' yamlparse module")


yamlparse = _yamlparse()

# The oracle ------------------------------------------------------------------------------

STD = "tag:yaml.org,2002:"


class OracleLoader(yaml.CSafeLoader):
    """PyYAML's C loader without its implicit timestamp resolver (difference 1)."""


OracleLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != STD + "timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()}

PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")  # difference 2
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Refused:
    code: str
    line: int
    column: int | None


def expected(text: str) -> tuple[Any, list[tuple[str, int, int]]] | Refused:
    """What qsi should make of `text`: (data, [(code, line, column) of each problem]),
    or how it should refuse it."""
    control = CONTROL.search(text)
    if control is not None:  # difference 6
        start = text.rfind("\n", 0, control.start()) + 1
        return Refused("control-character", text.count("\n", 0, control.start()) + 1,
                       control.start() - start + 1)
    loader = OracleLoader(text)
    try:
        node = loader.get_single_node()
        problems: list[tuple[str, int, int]] = []
        return (None if node is None else build(loader, node, problems)), problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return Refused("yaml-syntax", mark.line + 1 if mark is not None else 1, None)
    finally:
        loader.dispose()


def build(loader: OracleLoader, node: yaml.Node, problems: list[tuple[str, int, int]]) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return [build(loader, item, problems) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            assert isinstance(key_node, yaml.ScalarNode), "complex keys are not generated"
            key = key_node.value  # difference 3
            if key in mapping:  # difference 4
                mark = key_node.start_mark
                problems.append(("duplicate-key", mark.line + 1, mark.column + 1))
                build(loader, value_node, problems)  # dropped, but its problems count
                continue
            mapping[key] = build(loader, value_node, problems)
        return mapping
    assert isinstance(node, yaml.ScalarNode)
    if node.tag in (STD + "merge", STD + "value"):  # difference 5
        return node.value
    if node.tag == STD + "bool" and node.value.lower() not in ("true", "false"):
        return node.value  # difference 7
    if node.tag in (STD + "int", STD + "float"):  # only plain scalars resolve to these
        if not PLAIN_DECIMAL.match(node.value):  # difference 2
            return node.value
        try:
            number = loader.construct_object(node)
        except ValueError:  # too many digits for int()
            return node.value
        return number if number - number == 0 else node.value  # inf stays text
    return loader.construct_object(node)


def typed(value: Any) -> Any:
    """A value with its types spelt out, so that True, 1 and 1.0 are not equal."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(item) for item in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def qsi_reads(text: str) -> tuple[Any, list[tuple[str, int, int | None]]] | Refused:
    try:
        data, problems = yamlparse.parse(text)
    except yamlparse.YamlError as error:
        problem = error.problem
        return Refused(problem.code, problem.line, problem.column)
    return data, [(p.code, p.line, p.column) for p in problems]


def check(text: str) -> str:
    """Compare qsi with the oracle on `text`; returns what happened, for statistics."""
    want, got = expected(text), qsi_reads(text)
    if isinstance(want, Refused):
        assert isinstance(got, Refused), (text, got)
        assert got.code == want.code and got.line == want.line, (text, got, want)
        if want.column is not None:
            assert got.column == want.column, (text, got, want)
        return f"refused: {want.code}"
    assert not isinstance(got, Refused), (text, got)
    assert typed(got[0]) == typed(want[0]), text
    assert got[1] == want[1], text
    return "read" + (" with duplicate keys" if want[1] else "")


# Generated documents -----------------------------------------------------------------------

# Plain scalars whose type YAML 1.1 and qsi decide: nulls, booleans, numbers, dates, and
# what only looks like them.
TRICKY = [
    "yes", "No", "ON", "off", "True", "FALSE", "true", "null", "Null", "NULL", "~",
    "y", "n", "Y", "N", "7", "-2", "0", "-0", "0.5", "-12.75", "-0.0", "00", "010", "007",
    "0o17", "0x1F", "0b101", "1_000", "1e3", "1.0e+3", "6.02e23", "+5", "+5.5", ".5", "5.",
    "-.5", ".inf", "-.Inf", ".NaN", "1:30", "190:20:30.15", "2020-01-28",
    "2020-01-28 10:00:00", "2001-12-14t21:59:43.10-05:00", "2020-02-30",
    "12345678901234567890", "3.141592653589793238462643", "1" + "0" * 400 + ".5",
    "1.5.3", "<<", "=", "a-b", "x.y", "NaN", "Infinity", "0.", "1__0", "v1.2",
]
KEY_TRICKY = ["yes", "no", "On", "off", "true", "False", "null", "~", "2020", "010", "1e3",
              "1.5", "0x1F", "-1", "2020-01-28", "<<", "=", "y", "n", ".inf", "7"]
KEY_WORDS = ["name", "title", "scores", "impact", "judge", "id", "date", "falls-huddles"]

# text that may stand unquoted: a letter first, words of letters, digits, '.', '-' and
# "'" after it, single spaces between words (never ': ', ' #' or a flow indicator)
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÅßø"
word = st.builds(lambda first, rest: first + rest, st.sampled_from(LETTERS),
                 st.text(LETTERS + "0123456789.'-", max_size=8))
plain_words = st.lists(word, min_size=1, max_size=4).map(" ".join)
plain = st.one_of(st.sampled_from(TRICKY), plain_words)
# any one-line text, for quoted scalars and comments: no control characters, no line
# or paragraph separators (they are line breaks to YAML 1.1), no BOM or non-characters
line_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Zl", "Zp"),
                                  exclude_characters="\ufeff\ufffe\uffff\u202a\u202b\u202c"
                                                     "\u202d\u202e\u2066\u2067\u2068\u2069"),
                    max_size=20)
ESCAPES = {"\\n": "\n", "\\t": "\t", '\\"': '"', "\\\\": "\\", "\\x41": "A", "\\u00e9": "é",
           "\\U0001F600": "\U0001f600", "\\e": "\x1b", "\\0": "\x00", "\\/": "/", "\\ ": " ",
           "\\_": "\xa0", "\\N": "\x85", "\\L": "\u2028", "\\P": "\u2029", "\\a": "\x07"}
RAW_CONTROLS = ["\x1b", "\x00", "\x7f", "\x9b", "\x85", "\u202e", "\u2066", "\x0c"]


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


double_quoted = st.lists(st.one_of(
    line_text.map(lambda text: text.replace("\\", "/").replace('"', "'")),
    st.sampled_from(sorted(ESCAPES))), max_size=5).map(lambda parts: '"' + "".join(parts) + '"')
quoted = st.one_of(line_text.map(single_quoted), double_quoted)
# a raw control character inside quotes: qsi refuses what YAML may accept
with_control = st.tuples(line_text, st.sampled_from(RAW_CONTROLS), line_text).map(
    lambda parts: single_quoted("".join(parts)))
inline_scalar = st.one_of(plain, plain, quoted, st.just(""))
keys = st.one_of(st.sampled_from(KEY_TRICKY), st.sampled_from(KEY_WORDS), word,
                 quoted.filter(lambda text: len(text) <= 60))
comment = st.one_of(st.just(""), st.just(""), line_text.map(lambda text: f"  # {text}"))


@dataclass(frozen=True)
class Inline:
    """A scalar or a flow collection, written on the line of its key or dash."""
    text: str


@dataclass(frozen=True)
class Folded:
    """A plain scalar over several lines (read as its lines joined by spaces)."""
    lines: tuple[str, ...]


@dataclass(frozen=True)
class BlockScalar:
    header: str  # | |- |+ > >- >+
    lines: tuple[tuple[int, str], ...]  # (extra indentation, text); "" is a blank line


@dataclass(frozen=True)
class BlockMap:
    items: tuple[tuple[str, Any, str, str], ...]  # key, value, comment after, comment line
    compact: bool  # as a list item, starts on the dash's line ("- a: 1")


@dataclass(frozen=True)
class BlockSeq:
    items: tuple[tuple[Any, str], ...]  # value, comment after
    compact: bool  # as a list item, on the dash's line ("- - a"); as a mapping's value,
    # at the key's own indentation ("key:\n- a")


def _flow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Flow collections of `inner` values, or a scalar."""
    pair = st.one_of(st.tuples(keys, inner).map(lambda kv: f"{kv[0]}: {kv[1]}"), keys)
    return st.one_of(
        plain, quoted,
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(pair, max_size=3).map(lambda items: "{" + ", ".join(items) + "}"))


flow = _flow(_flow(st.one_of(plain, quoted)))  # two levels deep


block_scalar = st.builds(
    BlockScalar, st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]),
    st.lists(st.tuples(st.sampled_from([0, 0, 0, 2]), st.one_of(line_text, st.just(""))),
             min_size=1, max_size=4).map(
        # the first line sets the indentation: no extra spaces, and no leading space
        lambda lines: ((0, lines[0][1].lstrip() or "x"), *lines[1:])))
folded = st.lists(plain_words, min_size=2, max_size=3).map(lambda lines: Folded(tuple(lines)))


@st.composite
def block(draw: st.DrawFn, depth: int) -> Any:
    """A value in block context."""
    choices = ["inline", "inline", "flow", "block scalar", "folded"]
    if depth > 0:
        choices += ["map", "map", "seq", "seq"]
    kind = draw(st.sampled_from(choices))
    if kind == "inline":
        rare = draw(st.integers(0, 80)) == 0
        return Inline(draw(with_control if rare else inline_scalar))
    if kind == "flow":
        return Inline(draw(flow))
    if kind == "block scalar":
        return draw(block_scalar)
    if kind == "folded":
        return draw(folded)
    if kind == "map":
        items = draw(st.lists(st.tuples(keys, block(depth - 1), comment,
                                        st.one_of(st.just(""), comment)),
                              min_size=1, max_size=4))
        return BlockMap(tuple(items), draw(st.booleans()))
    items = draw(st.lists(st.tuples(block(depth - 1), comment), min_size=1, max_size=4))
    return BlockSeq(tuple(items), draw(st.booleans()))


def after(prefix: str, value: Any, indent: int, note: str) -> list[str]:
    """The lines of `value` written after `prefix` (a key and colon, or a dash) at
    column `indent`."""
    pad = " " * indent
    if isinstance(value, Inline):
        head = f"{pad}{prefix} {value.text}" if value.text else f"{pad}{prefix}"
        return [head + note]
    if isinstance(value, Folded):
        return [f"{pad}{prefix} {value.lines[0]}",
                *(f"{pad}  {line}" for line in value.lines[1:])]
    if isinstance(value, BlockScalar):
        return [f"{pad}{prefix} {value.header}",
                *(f"{pad}  {' ' * extra}{text}" if text else "" for extra, text in value.lines)]
    assert isinstance(value, BlockSeq | BlockMap)
    if prefix == "-" and value.compact:
        lines = lines_of(value, indent + 2)
        return [f"{pad}- {lines[0][indent + 2:]}", *lines[1:]]
    if isinstance(value, BlockSeq) and value.compact:
        return [f"{pad}{prefix}{note}", *lines_of(value, indent)]
    return [f"{pad}{prefix}{note}", *lines_of(value, indent + 2)]


def lines_of(value: BlockMap | BlockSeq, indent: int) -> list[str]:
    lines: list[str] = []
    if isinstance(value, BlockMap):
        for key, item, note, line_comment in value.items:
            if line_comment:
                lines.append(" " * indent + line_comment.strip())
            lines += after(f"{key}:", item, indent, note)
    else:
        for item, note in value.items:
            lines += after("-", item, indent, note)
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    root = draw(st.one_of(st.builds(BlockMap, st.lists(
        st.tuples(keys, block(2), comment, st.one_of(st.just(""), comment)),
        min_size=1, max_size=5).map(tuple), st.just(False)),
        st.builds(BlockSeq, st.lists(st.tuples(block(2), comment), min_size=1, max_size=4)
                  .map(tuple), st.booleans()),
        st.one_of(inline_scalar, flow).map(Inline)))
    lines = lines_of(root, 0) if not isinstance(root, Inline) else [root.text] * bool(root.text)
    start = draw(st.sampled_from(["", "", "---\n", "# a note\n"]))
    end = draw(st.sampled_from(["\n", "\n", "", "\n...\n", "\n\n# the end\n"]))
    return start + "\n".join(lines) + end


@settings(max_examples=400, deadline=None)
@given(documents())
@example("a: 1\nb:\n  - x\n  - {c: 010, d: [yes, '2020-01-28']}\na: 2\n")
@example("2020: |+\n  kept\n\n~: >-\n  folded\n  text\n")
@example('"\\e[2K": "\\N"\n')
@example("key: 'x\u202ey'\n")
@example("a:\n  b: 1\n c: 2\n")
def test_qsi_reads_yaml_as_pyyaml_does_but_for_its_documented_typing(text: str) -> None:
    event(check(text))


@pytest.mark.parametrize(("text", "data"), [
    # each difference by design, once, so that the oracle itself is pinned
    ("a: 2020-01-28\n", {"a": "2020-01-28"}),
    ("[010, 0x1F, 1_000, 1e3, +5, .5, 5., '1:30', 1:30, .inf, .nan, 7, -2, 0.5]\n",
     ["010", "0x1F", "1_000", "1e3", "+5", ".5", "5.", "1:30", "1:30", ".inf", ".nan",
      7, -2, 0.5]),
    ("2020: a\nyes: b\n~: c\n", {"2020": "a", "yes": "b", "~": "c"}),
    ("a: <<\n<<: =\n", {"a": "<<", "<<": "="}),
    ("a: [yes, No, on, OFF, y, n, ~, null, '', true, False, TRUE]\n",
     {"a": ["yes", "No", "on", "OFF", "y", "n", None, None, "", True, False, True]}),
])
def test_the_differences_by_design(text: str, data: Any) -> None:
    assert typed(qsi_reads(text)) == typed((data, []))
    check(text)


def test_a_duplicate_key_keeps_the_first_value() -> None:
    assert qsi_reads("a: 1\nb: 2\na: 3\n") == ({"a": 1, "b": 2}, [("duplicate-key", 3, 1)])
    assert yaml.load("a: 1\nb: 2\na: 3\n", Loader=OracleLoader) == {"a": 3, "b": 2}
