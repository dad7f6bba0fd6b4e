"""report.json_text: every reporter's JSON, byte for byte what json.dumps(indent=2,
ensure_ascii=False) then controls.json_escaped write, without json's pure-Python
indenting encoder."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from qsi_awards.controls import json_escaped
from qsi_awards.report import json_text


def by_json(document: Any) -> str:
    return json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(st.characters(codec="utf-8")))
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=30)


@given(DOCUMENTS)
@settings(max_examples=1000, deadline=None)
@example({"score": 7.25, "flags": [], "decision": {}, "z": -0.0, "big": 1e16})
@example([float("nan"), float("inf"), float("-inf"), "\u202e\x7f\x1b\"\\", 10**30])
def test_json_text_is_what_json_writes(document: Any) -> None:
    assert json_text(document) == by_json(document)


class Award(StrEnum):
    winner = "winner"


def test_what_is_not_json_s_own_type_is_written_by_json_itself() -> None:
    for document in ({1: "a key that is a number"}, {"award": Award.winner},
                     [True, {None: [1, 2]}], {"a": {"b": (1, 2.5)}}):
        assert json_text(document) == by_json(document)
