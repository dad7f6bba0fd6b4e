"""What qsi writes into YAML reads back as what it meant.

`qsi assign` (score-sheet stubs), `qsi new entry` and `qsi init` write IDs, handles and
text into YAML. Written plain, an ID `007` would come back as the number 7, `no` as false,
`null` as nothing, and a maintainer `1234` as a number that fails validation. Property:
whatever valid ID, handle or one-line text goes in, qsi's own loader (and PyYAML, an
independent YAML 1.1 reader) gives back exactly that string.

The programmes these tests start from are written with every string double-quoted, so
the inputs mean the same to any YAML reader and only qsi's writing is under test.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import builder
from builder import entry_meta, write_programme
from conftest import run_cli
from qsi_awards.errors import QsiError
from qsi_awards.load import WINDOWS_NAMES, split_front_matter, validation, yamlparse
from qsi_awards.writes import init
from qsi_awards.writes.yaml_scalars import flow_list, quoted, scalar

# IDs that a plain YAML scalar would turn into something else, in one YAML version or other
TRICKY_IDS = ["007", "1234", "0", "no", "on", "off", "yes", "y", "n", "true", "false",
              "null", "1e3", "1e-3", "0x1f", "0o17", "0b101", "2020-01-28", "nan", "inf"]
ids = st.one_of(st.sampled_from(TRICKY_IDS),
                st.from_regex(r"[a-z0-9][a-z0-9-]{0,63}", fullmatch=True)
                ).filter(lambda value: value not in WINDOWS_NAMES)
handles = st.one_of(st.sampled_from(["1234", "007", "no", "On", "NULL", "0x1F", "1e3"]),
                    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}(/[A-Za-z0-9._-]{1,20})?",
                                  fullmatch=True))
# text on one line, as the commands take it: no control, format or separator characters
# other than the space (str.isprintable)
one_line = st.text(st.characters(exclude_categories=("C", "Z"), include_characters=" "),
                   min_size=1, max_size=60).filter(lambda text: text.strip() != "")


class _QuotingDumper(yaml.SafeDumper):
    pass


_QuotingDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                                       style='"'))


def _dump_quoted(data: Any) -> str:
    return yaml.dump(data, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True)


def quoted_programme(root: Path, **parts: Any) -> Path:
    """builder.write_programme, with every string in the files double-quoted."""
    with mock.patch.object(builder, "dump", _dump_quoted):
        return write_programme(root, **parts)


def load_yaml(text: str) -> Any:
    data, problems = yamlparse.parse(text)
    assert problems == []
    return data


# The writer itself ---------------------------------------------------------------------


@settings(max_examples=500)
@given(st.one_of(st.text(), st.sampled_from(
    ["1:30", "~", "null", "Null", "NO", "0x1f", "1_000", ".5", "+1", "-1", ".inf", ".NaN",
     "2020-01-28 10:00", " lead", "trail ", "a: b", "a #b", "- x", "[x]", "{x}", "&a", "*a",
     "!tag", "%x", "@x", "`x", "|", ">", "'", '"', "\\", "\t", "\u2028", "\x85", "\ufeff",
     "\x7f", "\x00", "é\U0001f600"])))
def test_scalar_reads_back_as_the_same_text(value: str) -> None:
    for text in (f"k: {scalar(value)}\n", f"k: {quoted(value)}\n"):
        assert load_yaml(text) == {"k": value}
        assert yaml.safe_load(text) == {"k": value}
    assert load_yaml(f"k: {flow_list([value, 'x', value])}\n") == {"k": [value, "x", value]}
    if len(value) <= 200:  # YAML limits an implicit key to 1024 characters
        assert load_yaml(f"{scalar(value)}: 1\n") == {value: 1}
        assert yaml.safe_load(f"{scalar(value)}: 1\n") == {value: 1}


@given(ids)
def test_ids_are_plain_only_when_every_reader_agrees(value: str) -> None:
    written = scalar(value)
    assert yaml.safe_load(f"k: {written}") == {"k": value}
    if written == value:  # plain: a lower-case word starting with a letter
        assert value[0].isalpha() and value not in ("y", "n", "yes", "no", "on", "off",
                                                    "true", "false", "null")


# Through the real writers ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(ids, min_size=2, max_size=2, unique=True),
       st.lists(ids, min_size=1, max_size=2, unique=True),
       st.lists(ids, min_size=1, max_size=2, unique=True), ids)
def test_assign_stubs_read_back_as_the_ids(judges: list[str], entries: list[str],
                                           criteria: list[str], category: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = quoted_programme(
            Path(tmp) / "p",
            criteria=[{"id": c, "title": f"Criterion {c}", "weight": 10} for c in criteria],
            categories=[{"id": category, "title": "A category", "theme": "safety"}],
            judges=[{"id": j, "name": f"Judge {j}", "organisation": "Panel"} for j in judges],
            entries={e: entry_meta(e, category, "Entrant") for e in entries},
            extra_settings={"judging": {"judges_per_entry": 2, "tiebreak": []}})
        result = run_cli(["assign", "-p", root])
        assert result.exit_code == 0, result.output
        for judge_id in judges:
            sheet = load_yaml((root / "scores" / f"{judge_id}.yaml").read_text("utf-8"))
            assert sheet == {"judge": judge_id,
                             "scores": {e: dict.fromkeys(criteria) for e in sorted(entries)}}
        validate = run_cli(["validate", "-p", root])
        assert validate.exit_code == 0, validate.output


@settings(max_examples=25, deadline=None)
@given(ids, one_line, one_line, handles)
def test_new_entry_fields_read_back(category: str, title: str, organisation: str,
                                    handle: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = quoted_programme(
            Path(tmp) / "p",
            categories=[{"id": category, "title": "A category", "theme": "qi"}])
        result = run_cli(["new", "entry", "-p", root, "--category", category, "--title", title,
                          "--organisation", organisation, "--submitted-by", handle])
        assert result.exit_code == 0, result.output
        rel = result.stdout.split()[1].rstrip(".")
        split = split_front_matter((root / rel).read_text("utf-8"))
        assert not isinstance(split, str)
        meta = load_yaml(split[0])
        assert meta["category"] == category
        assert meta["title"] == title.strip()
        assert meta["organisation"] == organisation.strip()
        assert meta["submitted_by"] == handle


@settings(max_examples=100, deadline=None)
@given(one_line, one_line, one_line, st.lists(handles, max_size=3),
       st.from_regex(r"#?\w{1,20}", fullmatch=True))
def test_init_settings_read_back(name: str, edition: str, region: str, maintainers: list[str],
                                 hashtag: str) -> None:
    """Whatever init accepts, it writes so that it reads back and validates."""
    options = init.Options(
        name=name, edition=edition, region=region, hashtag=hashtag,
        maintainers=["@" + m for m in maintainers[:1]] + maintainers[1:])
    try:
        files = init.plan(options)
    except QsiError as error:  # refused: only ever for a hashtag that is not one
        assert "is not a hashtag" in error.message
        return
    programme = load_yaml(files["programme.yaml"].decode("utf-8"))
    assert programme["name"] == name.strip()
    assert programme["edition"] == edition.strip()
    assert programme["region"] == region.strip()
    assert programme["hashtag"] == "#" + hashtag.removeprefix("#")
    assert programme["maintainers"] == maintainers
    assert validation.check("programme", programme) == []
