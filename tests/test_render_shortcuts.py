"""Shortcuts in rendering that must change nothing: what a template reads and writes
through the sandbox (render/environment.py: `x.name` on a plain dict, plain text in `.md`
and `.html` templates, the output's budget), each exactly as jinja2's own sandbox reads
it; and the render manifest, exactly as json writes it."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from qsi_awards.errors import ProblemsFound
from qsi_awards.render.environment import Templates
from qsi_awards.render.output import FORMAT, Record, manifest_text

DATA = {"entry": {"title": "Falls <halved>", "keys": "a key called keys", "_private": "x",
                  "lead": {"name": "Ann"}},
        "items": [1, 2]}
READS = ["{{ entry.title }}", "{{ entry.lead.name }}", "{{ entry['keys'] }}",
         "{{ entry.keys is callable }}", "{{ entry.items is callable }}",
         "{{ entry.get('title') }}", "{{ entry._private is defined }}",
         "{{ entry.nosuch is defined }}", "{{ entry.lead.nosuch is undefined }}",
         "{{ items.0 }}", "{{ entry.title|length }}"]


def _templates(tmp_path: Path, name: str, source: str) -> Templates:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / name).write_text(source, "utf-8")
    return Templates(tmp_path)


@pytest.mark.parametrize("source", READS)
def test_a_dict_reads_as_jinja2s_sandbox_reads_it(tmp_path: Path, source: str) -> None:
    plain = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    expected = plain.from_string(source).render(DATA)
    assert _templates(tmp_path, "t.html", source).render("t.html", DATA) == expected


def test_an_undefined_key_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound, match="has no attribute 'nosuch'"):
        _templates(tmp_path, "t.html", "{{ entry.nosuch }}").render("t.html", DATA)


def test_a_dicts_own_methods_stay_out_of_reach_as_keys_do_not(tmp_path: Path) -> None:
    """`entry.keys` is the dict's method (as in jinja2), and `entry.update` is refused."""
    assert _templates(tmp_path, "t.html", "{{ entry.keys()|list|length }}").render(
        "t.html", DATA) == "4"
    with pytest.raises(ProblemsFound, match="sandbox refused it"):
        _templates(tmp_path, "u.html", "{{ entry.update({'a': 1}) }}").render("u.html", DATA)


def test_plain_text_is_escaped_for_each_kind_of_template(tmp_path: Path) -> None:
    data = {"text": "Falls *halved* <b>", "safe": Markup("*kept*")}
    for name, expected in [("t.md", "Falls \\*halved\\* \\<b\\> *kept*"),
                           ("t.MD", "Falls \\*halved\\* \\<b\\> *kept*"),
                           ("t.html", "Falls *halved* &lt;b&gt; *kept*"),
                           ("t.txt", "Falls *halved* <b> *kept*")]:
        templates = _templates(tmp_path, name, "{{ text }} {{ safe }}")
        assert templates.render(name, data) == expected, name


def test_the_output_budget_counts_every_piece(tmp_path: Path) -> None:
    from qsi_awards.render import environment

    templates = _templates(tmp_path, "t.txt", "{% for i in range(n) %}{{ text }}{% endfor %}")
    text = "x" * 1024
    fits = environment.BUDGET // len(text) // 2
    assert len(templates.render("t.txt", {"n": fits, "text": text})) == fits * len(text)
    with pytest.raises(ProblemsFound, match="more than 67,108,864 characters"):
        templates.render("t.txt", {"n": 2 * fits + 2, "text": text})


MACROS = ('{% macro badge(award, label="x") %}<b>{{ award }} {{ label }}</b>{% endmacro %}'
          '{{ badge("winner") }} {{ badge(award="a", label="<i>") }} {{ badge is callable }}')


def test_a_macro_is_called_as_jinja2s_sandbox_calls_it(tmp_path: Path) -> None:
    plain = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert _templates(tmp_path, "t.html", MACROS).render("t.html", {}) == (
        plain.from_string(MACROS).render({}))


def test_a_macros_output_counts_against_the_budget(tmp_path: Path) -> None:
    source = ('{% macro big(text) %}{% for i in range(n) %}{{ text }}{% endfor %}{% endmacro %}'
              '{% for i in range(3) %}{{ big(text) }}{% endfor %}')
    text = "x" * 1024
    with pytest.raises(ProblemsFound, match="more than 67,108,864 characters"):
        _templates(tmp_path, "t.txt", source).render("t.txt", {"n": 30_000, "text": text})


# The manifest (render/output.py), written out by hand: what json.dumps(indent=1) writes.

# (built from alphabets: hypothesis's from_regex made this test take 20 s)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
NAME = st.builds(str.__add__, st.sampled_from(_ALNUM),
                 st.text(alphabet=_ALNUM + "_.-", max_size=12))
SHA256 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
RECORDS = st.dictionaries(
    st.lists(NAME, min_size=1, max_size=3).map("/".join),
    st.builds(Record, NAME, st.frozensets(SHA256, min_size=1, max_size=3)),
    max_size=6)


@given(RECORDS)
@settings(max_examples=300, deadline=None)
def test_the_manifest_is_what_json_writes(files: dict[str, Record]) -> None:
    data = {"qsi-render": FORMAT,
            "files": {rel: {"kind": record.kind, "sha256": sorted(record.sha256)}
                      for rel, record in sorted(files.items())}}
    assert manifest_text(files) == json.dumps(data, indent=1) + "\n"
