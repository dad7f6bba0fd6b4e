"""Hypothesis strategies for hostile input: YAML-shaped values, whole documents, and
mutations of the valid files of tests/examples/base (keys dropped, renamed or added,
values' types swapped, unicode, long text, huge numbers). Shared by the loader fuzz test
and the schema agreement property."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from qsi_awards.load import yamlparse

# Words qsi's files use, so that generated keys and values often mean something.
FIELD_NAMES = [
    "name", "edition", "region", "hashtag", "maintainers", "timeline", "rubric", "judging",
    "entry_rules", "id", "title", "date", "kind", "scale", "min", "max", "criteria", "weight",
    "guidance", "judges_per_entry", "method", "shortlist_size", "highly_commended",
    "tiebreak", "disagreement", "summary_max_words", "sections", "max_words", "categories",
    "theme", "setting", "requires_patient_involvement", "description", "judges",
    "organisation", "github", "conflicts", "organisations", "entries", "category",
    "care_setting", "lead", "role", "email", "team", "submitted_by", "submitted",
    "patient_involvement", "consent_to_publish", "summary", "judge", "scores", "comment",
    "conflict", "ambition", "impact", "decisions", "winner", "reason", "adoption", "entry",
    "stage", "contact", "notes", "falls-huddles", "patient-panel", "ajudge", "safety-primary",
    "qi-patients", "ceremony", "submission_deadline", "primary", "secondary", "mean",
]

# IDs as ID_PATTERN has them, up to 13 characters (built from alphabets: hypothesis's
# from_regex is several times slower to draw from)
_ID_START = "abcdefghijklmnopqrstuvwxyz0123456789"
ids = st.builds(str.__add__, st.sampled_from(_ID_START),
                st.text(alphabet=_ID_START + "-", max_size=12))
keys = st.one_of(st.sampled_from(FIELD_NAMES), ids, st.text(max_size=12))
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "\n", "yes", "no", "null", "~", "2020-02-30", "31/01/2020",
                     "a@b", "x@example.nhs.uk", "#Tag", "9", "7.0", "0x10", "-", "---",
                     "falls-huddles\n", "Safety-Primary", "é" * 3, "\u202e", "\ufeff"]),
)
long_texts = st.text(min_size=200, max_size=3000)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 11, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.dates(),
                    st.dates().map(dt.date.isoformat))
values = st.recursive(
    st.one_of(scalars, long_texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


def dump(data: Any) -> str:
    """YAML text for any value the strategies make (never raises for them)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80)


documents = values.map(dump)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def swap_type(value: Any) -> Any:
    """The same content in another type: 9 -> "9", "x" -> ["x"], true -> "true", ..."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 1e18 else str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """A copy of a parsed document with one to three random changes."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths(data)))
        operation = draw(st.sampled_from(
            ["drop", "swap", "replace", "rename", "add", "unicode", "long", "wrap"]))
        if not path:
            if operation in ("replace", "wrap"):
                data = draw(values) if operation == "replace" else [data]
            continue
        parent = get(data, path[:-1])
        last = path[-1]
        current = parent[last]
        if operation == "drop":
            del parent[last]
        elif operation == "swap":
            parent[last] = swap_type(current)
        elif operation == "replace":
            parent[last] = draw(values)
        elif operation == "rename" and isinstance(parent, dict):
            del parent[last]
            parent[draw(keys)] = current
        elif operation == "add" and isinstance(current, dict):
            current[draw(keys)] = draw(values)
        elif operation == "add" and isinstance(current, list):
            current.append(draw(values))
        elif operation == "unicode":
            parent[last] = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
        elif operation == "long":
            parent[last] = draw(long_texts)
        elif operation == "wrap":
            parent[last] = {"value": current} if draw(st.booleans()) else [current]
    return data


def parse_file(path: Path) -> Any:
    """A base YAML file, or an entry's front matter, as qsi parses it (dates stay text)."""
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    data, problems = yamlparse.parse(text)
    assert not problems
    return data


@st.composite
def byte_edits(draw: st.DrawFn, original: bytes) -> bytes:
    """The bytes of a file with a few random insertions, deletions and replacements."""
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        chunk = draw(st.one_of(
            st.binary(max_size=8),
            st.sampled_from([b"\n", b"---\n", b": ", b"- ", b"&a ", b"*a", b"!!int ", b"{", b"[",
                             b"\t", b"'", b'"', b"\xff", b"\xc3", b"\r", b"#", b"\x00"]),
        ))
        remove = draw(st.integers(min_value=0, max_value=6))
        data[position:position + remove] = chunk
    return bytes(data)
