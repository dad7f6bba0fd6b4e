"""Templates: programme overrides, strict undefined variables, the sandbox, template
files qsi refuses, and the --out rules (SPEC §5 and §7)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from html import unescape
from pathlib import Path

import pytest

from builder import entry_meta, scores, write_programme
from render_support import files_under, parse_html, qsi, render


def small_programme(root: Path, **extra_entries: dict[str, object]) -> Path:
    """Two entries in one category, fully judged: alpha wins, beta is highly commended."""
    entries = {
        "alpha": entry_meta("alpha", title="Alpha safety huddles", team=["Ann Able"]),
        "beta": entry_meta("beta", title="Beta discharge lounge"),
        **extra_entries,
    }
    sheets = {
        "j1": {"alpha": scores(9, 9), "beta": scores(6, 6)},
        "j2": {"alpha": scores(8, 8), "beta": scores(5, 5)},
    }
    return write_programme(root, entries=entries, sheets=sheets,
                           judging={"shortlist_size": 3, "highly_commended": 1})


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return small_programme(tmp_path / "programme")


def override(programme: Path, name: str, text: str) -> Path:
    path = programme / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


# Overrides ------------------------------------------------------------------------------

def test_a_programme_template_overrides_the_default(programme: Path, tmp_path: Path) -> None:
    override(programme, "shortlist.md", "# Our own shortlist for {{ programme.name }}\n"
             "{% for c in categories %}{% for e in c.shortlist %}* {{ e.title }}\n"
             "{% endfor %}{% endfor %}")
    out = tmp_path / "out"
    render("shortlist", programme, out)
    text = (out / "shortlist.md").read_text("utf-8")
    assert text.startswith("# Our own shortlist for Test Awards\n")
    assert "* Alpha safety huddles" in text
    # the HTML shortlist still uses the default
    assert "The shortlist" in (out / "shortlist.html").read_text("utf-8")


def test_an_overridden_partial_is_used_by_the_default_pages(programme: Path,
                                                            tmp_path: Path) -> None:
    override(programme, "style.css", "body { background: #fefefe; } /* our house style */")
    out = tmp_path / "out"
    render("site", programme, out)
    html = (out / "index.html").read_text("utf-8")
    assert "our house style" in html
    # the Content-Security-Policy allows exactly the inline style that was rendered
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in unescape(html)


def test_the_example_programme_overrides_the_certificate() -> None:
    from qsi_awards.render.environment import PACKAGE_TEMPLATES, Templates
    from render_support import REPO

    templates = Templates(REPO)
    assert templates.overridden("certificate.html")
    assert not templates.overridden("site-index.html")
    assert (PACKAGE_TEMPLATES / "certificate.html").is_file()


# Template errors: exit 1, a message naming the template, the line and the problem -----

def test_an_undefined_variable_names_the_template_line_and_variable(programme: Path,
                                                                    tmp_path: Path) -> None:
    override(programme, "shortlist.html", "<h1>{{ programme.name }}</h1>\n\n"
             "<p>{{ nosuch_variable }}</p>\n")
    out = tmp_path / "out"
    run = render("shortlist", programme, out, expect=1)
    assert "templates/shortlist.html, line 3" in run.stderr
    assert "'nosuch_variable' is undefined" in run.stderr
    assert "programme" in run.stderr  # the variables it could have used
    assert not out.exists() or files_under(out) == set()  # nothing written


def test_a_template_error_on_a_later_page_leaves_the_folder_as_it_was(
        programme: Path, tmp_path: Path) -> None:
    """The index and alpha's page are made (and staged) before beta's page fails: none of
    them, nor the staging folder, may be left in --out, and an earlier run's files and
    manifest stay byte for byte."""
    out = tmp_path / "out"
    render("site", programme, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    alpha = programme / "entries" / "alpha.md"
    alpha.write_text(alpha.read_text("utf-8").replace("Alpha safety huddles", "Renamed"),
                     "utf-8")
    override(programme, "site-entry.html",
             '<p>{{ entry.title }}</p>\n{% if entry.id == "beta" %}{{ nosuch }}{% endif %}\n')
    run = render("site", programme, out, expect=1)
    assert "templates/site-entry.html, line 2" in run.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # nothing else either: no staging folder left beside the earlier run's files
    assert sorted(p.name for p in out.iterdir()) == sorted(
        {p.relative_to(out).parts[0] for p in before})
    assert {".qsi-render.json", "entries", "index.html"} <= {p.name for p in out.iterdir()}


def test_an_undefined_attribute_in_a_certificate_is_reported(programme: Path,
                                                             tmp_path: Path) -> None:
    override(programme, "certificate.html", "<p>{{ entry.title }}</p>\n{{ entry.lead.phone }}")
    run = render("certificates", programme, tmp_path / "out", expect=1)
    assert "templates/certificate.html, line 2" in run.stderr
    assert "'phone'" in run.stderr


def test_a_syntax_error_names_the_template_and_line(programme: Path, tmp_path: Path) -> None:
    override(programme, "press-release.md", "# Release\n\n{% for c in categories %}\n{{ c.title }")
    run = render("announcement", programme, tmp_path / "out", expect=1)
    assert "templates/press-release.md, line 4" in run.stderr
    assert "syntax error" in run.stderr


def test_an_error_in_an_included_template_names_that_template(programme: Path,
                                                              tmp_path: Path) -> None:
    override(programme, "mark.svg", "<svg>\n{{ programme.no_such_setting }}</svg>")
    run = render("site", programme, tmp_path / "out", expect=1)
    assert "templates/mark.svg, line 2" in run.stderr
    assert "no_such_setting" in run.stderr


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ programme.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ programme.criteria.append(1) }}",
    "{{ programme.update({'name': 'x'}) }}",
    "{{ 'x' * 100000000 }}",
    "{{ 10 ** 100000 }}",
    "{{ range(100000000)|list }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
])
def test_a_sandbox_escape_fails_cleanly(programme: Path, tmp_path: Path, source: str) -> None:
    override(programme, "shortlist.html", f"<p>safe</p>\n{source}\n")
    out = tmp_path / "out"
    run = render("shortlist", programme, out, expect=1)
    assert run.stderr.startswith("qsi: Template templates/shortlist.html")
    assert "Fix the template" in run.stderr
    assert not out.exists() or files_under(out) == set()


# Templates that would eat memory or run for ever: refused quickly, exit 1 -------------

TOO_BIG = "characters of text, the most a template may"
TOO_LONG = "steps (rounds of its loops, calls and filters), the most a template may"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("source", "cause"), [
    ("{{ 'x'.ljust(10**9) }}", TOO_BIG),
    ("{{ 'x'.encode().center(10**9) }}", TOO_BIG),
    ("{{ 'x'|center(10**9) }}", TOO_BIG),
    ("{{ 'x'|indent(10**9) }}", TOO_BIG),
    ("{{ '%0999999999d' % 1 }}", TOO_BIG),
    ("{{ '%999999999s'|format(1) }}", TOO_BIG),
    ("{{ '{:>999999999}'.format(1) }}", TOO_BIG),
    ("{{ ('{0}' * 300000).format('x' * 1000000) }}", TOO_BIG),
    ("{{ 'x' * 10**9 }}", TOO_BIG),
    ("{{ [1] * 10**9 }}", TOO_BIG),
    ("{{ lipsum(n=10**6) }}", TOO_BIG),
    ("{{ lipsum(5, max=10**9) }}", TOO_BIG),
    ("{{ range(100000)|map('string')|join('x' * 100000) }}", TOO_BIG),
    ("{{ ' '.join(['x' * 1000000] * 1000) }}", TOO_BIG),
    ("{{ (['x' * 1000000] * 1000)|join }}", TOO_BIG),
    ("{{ ['x' * 1000000] * 1000 }}", TOO_BIG),
    ("{{ (['x' * 1000000] * 1000)|string }}", TOO_BIG),
    ("{{ ('x' * 1000000)|replace('x', 'y' * 1000000) }}", TOO_BIG),
    ("{{ ('a' * 1000000).translate({97: 'x' * 1000}) }}", TOO_BIG),
    ("{{ ('x' * 100000)|wordwrap(1, wrapstring='y' * 1000) }}", TOO_BIG),
    ("{{ ('\t' * 1000000).expandtabs(1000) }}", TOO_BIG),
    ("{{ ('www.example.com ' * 300000)|urlize }}", TOO_BIG),
    ("{{ range(10)|batch(10**9, 'x')|list }}", TOO_BIG),
    ("{{ range(10)|slice(10**9)|list }}", TOO_BIG),
    ("{{ ([[1] * 100000] * 100)|sum(start=[]) }}", TOO_BIG),
    ("{{ (1).to_bytes(10**9, 'big') }}", TOO_BIG),
    ("{% set a = 'x' * 30000000 %}{% set a = a ~ a %}{% set a = a ~ a %}{{ a|length }}",
     TOO_BIG),
    ("{% set ns = namespace(s='x' * 1000000) %}{% for i in range(100) %}"
     "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}", TOO_BIG),
    ("{% macro twice(n) %}{% if n %}{% set x = twice(n - 1) %}{{ x }}{{ x }}{% else %}x"
     "{% endif %}{% endmacro %}{{ twice(40) }}", TOO_BIG),
    ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", TOO_BIG),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     TOO_LONG),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     TOO_LONG),
    ("{{ ((10**100)**100)**100 }}", "a number of more than 16,384 bits"),
])
def test_a_template_too_big_or_too_slow_fails_quickly(programme: Path, tmp_path: Path,
                                                     source: str, cause: str) -> None:
    override(programme, "shortlist.html", f"<p>safe</p>\n{source}\n")
    out = tmp_path / "out"
    run = render("shortlist", programme, out, expect=1)
    assert run.stderr.startswith("qsi: Template templates/shortlist.html, line 2: it is too "
                                 "big or too slow: "), run.stderr
    assert cause in run.stderr
    assert not out.exists() or files_under(out) == set()


def test_a_template_that_runs_too_long_is_stopped_at_its_next_step(
        programme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock is the last limit, for work the others let through (a slow filter
    over and over): a render stops at its first step past TIME_LIMIT seconds."""
    from qsi_awards.render import environment

    override(programme, "shortlist.md", "# Shortlist\n{% for i in range(3) %}{{ i }}"
             "{% endfor %}\n")
    render("shortlist", programme, tmp_path / "out")
    monkeypatch.setattr(environment, "TIME_LIMIT", 0.0)
    run = render("shortlist", programme, tmp_path / "out", expect=1)
    assert run.stderr.startswith("qsi: Template templates/shortlist.md, line 2: it is too big "
                                 "or too slow: it ran for more than 0 seconds")


def test_the_example_programme_renders_far_inside_the_limits() -> None:
    """Its biggest pages use less than a hundredth of each limit (a programme of 10,000
    entries: about 43,000 steps and 12 million characters for its site's home page)."""
    from qsi_awards.programme import open_programme
    from qsi_awards.render import context
    from qsi_awards.render.environment import BUDGET, MAX_STEPS, Templates
    from qsi_awards.render.pages import assets
    from render_support import REPO

    prog = open_programme(REPO)
    templates = Templates(REPO)
    view = context.full(prog)
    public = context.public(view)
    home = {**assets(templates, view["programme"], ["style.css", "site.css"], "site.js"),
            "root": ""}
    templates.render("site-index.html", {**public, **home})
    assert templates.env.steps < MAX_STEPS / 100 and templates.env.spent < BUDGET / 100
    from qsi_awards.judging.references import of_programme

    page = assets(templates, view["programme"], ["style.css", "pack.css"])
    references = of_programme(prog)
    for judge in prog.judges:
        templates.render("pack.html", {**context.pack(prog, view, judge, references), **page})
        assert templates.env.steps < MAX_STEPS / 100 and templates.env.spent < BUDGET / 100


def test_a_template_cannot_include_a_file_outside_templates(programme: Path,
                                                            tmp_path: Path) -> None:
    override(programme, "shortlist.md", '{% include "../programme.yaml" %}')
    run = render("shortlist", programme, tmp_path / "out", expect=1)
    assert "'../programme.yaml'" in run.stderr
    assert "Test Awards" not in run.output


def test_a_symlinked_template_is_refused(programme: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    (programme / "templates").mkdir()
    (programme / "templates" / "shortlist.md").symlink_to(secret)
    run = render("shortlist", programme, tmp_path / "out", expect=1)
    assert "symbolic link" in run.stderr
    assert "TOP SECRET" not in run.output


def test_a_symlinked_templates_folder_is_refused(programme: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "shortlist.md").write_text("TOP SECRET", "utf-8")
    (programme / "templates").symlink_to(elsewhere)
    run = render("shortlist", programme, tmp_path / "out", expect=1)
    assert "templates is a symbolic link" in run.stderr
    assert not (tmp_path / "out" / "shortlist.md").exists()


def test_a_template_that_is_not_utf8_is_refused(programme: Path, tmp_path: Path) -> None:
    (programme / "templates").mkdir()
    (programme / "templates" / "shortlist.md").write_bytes(b"\xff\xfe caf\xe9")
    run = render("shortlist", programme, tmp_path / "out", expect=1)
    assert "not UTF-8" in run.stderr


def test_a_certificate_template_cannot_load_files_or_urls(programme: Path,
                                                          tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'TOP SECRET' }", "utf-8")
    override(programme, "certificate.html",
             f'<link rel="stylesheet" href="{secret.as_uri()}">'
             '<link rel="stylesheet" href="http://192.0.2.1/x.css">'
             "<p>{{ entry.title }}</p>")
    out = tmp_path / "out"
    run = render("certificates", programme, out)
    assert "qsi does not let templates load" in run.stderr
    from render_support import pdf_text

    text = pdf_text(out / "cat-a" / "alpha-winner.pdf")
    assert "Alpha safety huddles" in text
    assert "TOP SECRET" not in text


def test_a_social_post_template_too_long_to_fit_is_an_error(programme: Path,
                                                            tmp_path: Path) -> None:
    override(programme, "social-post.txt", "{{ title }} " + "word " * 80)
    run = render("announcement", programme, tmp_path / "out", expect=1)
    assert "social-post.txt" in run.stderr and "280" in run.stderr


# --out ----------------------------------------------------------------------------------

def test_out_that_is_a_file_is_refused_with_exit_2(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me", "utf-8")
    run = render("site", programme, target, expect=2)
    assert "is a file" in run.stderr
    assert target.read_text("utf-8") == "keep me"


@pytest.mark.parametrize("inside", [".", "entries", "scores", "templates/x"])
def test_out_in_the_programme_inputs_is_refused(programme: Path, inside: str) -> None:
    before = sorted(p.relative_to(programme) for p in programme.rglob("*"))
    run = render("site", programme, programme / inside, expect=2)
    assert "programme folder" in run.stderr
    assert sorted(p.relative_to(programme) for p in programme.rglob("*")) == before


def test_a_symlink_in_out_pointing_outside_is_refused(programme: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "entries").symlink_to(outside)
    run = render("site", programme, out, expect=2)
    assert "entries is a symbolic link" in run.stderr
    assert list(outside.iterdir()) == []
    assert not (out / "index.html").exists()  # refused before anything was written


def test_an_unknown_kind_is_a_usage_error(programme: Path, tmp_path: Path) -> None:
    run = qsi("render", "posters", "-p", programme, "--out", tmp_path / "out")
    assert run.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_an_invalid_programme_exits_1_and_writes_nothing(programme: Path,
                                                         tmp_path: Path) -> None:
    (programme / "entries" / "alpha.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    out = tmp_path / "out"
    run = render("site", programme, out, expect=1)
    assert "alpha.md" in run.stderr
    assert not out.exists()


def test_a_rerun_replaces_its_outputs_and_removes_what_it_no_longer_makes(
        programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    render("site", programme, out)
    render("shortlist", programme, out)
    assert {"index.html", "entries/alpha.html", "entries/beta.html",
            "shortlist.html"} <= files_under(out)
    # beta withdraws consent: its page must go, and nothing else of the folder
    beta = programme / "entries" / "beta.md"
    beta.write_text(beta.read_text("utf-8").replace("consent_to_publish: true",
                                                    "consent_to_publish: false"), "utf-8")
    render("site", programme, out)
    assert not (out / "entries" / "beta.html").exists()
    assert (out / "entries" / "alpha.html").exists()
    assert "Beta discharge lounge" not in (out / "index.html").read_text("utf-8")
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    assert (out / "shortlist.html").exists()  # another kind's output is left alone


def test_a_rerun_removes_a_certificate_whose_award_changed(programme: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("certificates", programme, out)
    assert files_under(out) == {"cat-a/alpha-winner.pdf", "cat-a/beta-highly-commended.pdf"}
    (programme / "decisions.yaml").write_text(
        "decisions:\n  - category: cat-a\n    winner: beta\n    highly_commended: [alpha]\n"
        "    reason: Steering group.\n", "utf-8")
    run = render("certificates", programme, out)
    assert files_under(out) == {"cat-a/beta-winner.pdf", "cat-a/alpha-highly-commended.pdf"}
    assert "Removed 2 file(s)" in run.stdout


def test_outputs_are_written_atomically_with_no_temporary_files_left(
        programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render("announcement", programme, out)
    render("announcement", programme, out)
    names = [p.name for p in out.rglob("*")]
    assert sorted(names) == [".qsi-render.json", "press-release.md", "social-posts.csv"]
    assert not any(name.endswith(".tmp") for name in os.listdir(out))


def test_the_same_inputs_give_the_same_html(programme: Path, tmp_path: Path) -> None:
    render("site", programme, tmp_path / "a")
    render("site", programme, tmp_path / "b")
    for rel in files_under(tmp_path / "a"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_site_without_a_hashtag_or_ceremony_still_renders(tmp_path: Path) -> None:
    programme = write_programme(
        tmp_path / "p", entries={"alpha": entry_meta("alpha")},
        sheets={"j1": {"alpha": scores(7, 7)}, "j2": {"alpha": scores(7, 8)}},
        extra_settings={"hashtag": None, "timeline": [
            {"id": "deadline", "title": "Deadline", "date": "2020-02-01"}]})
    out = tmp_path / "out"
    for kind in ("site", "shortlist"):
        render(kind, programme, out)
    page = parse_html((out / "index.html").read_text("utf-8"))
    assert "Project alpha" in page.text
    # without a ceremony, the results are released only when decisions.yaml says so:
    # until then the winners' announcement is refused, and the finalists' is made
    refused = render("announcement", programme, out, expect=1)
    assert "once a date is set (the timeline has no ceremony milestone" in refused.stderr
    assert qsi("render", "announcement", "--finalists", "-p", programme, "--out",
               out).exit_code == 0
    assert "finalists announced" in (out / "press-release.md").read_text("utf-8")
    (programme / "decisions.yaml").write_text(
        "results_released: {date: 2020-03-02, by: Steering group, reason: No ceremony.}\n",
        "utf-8")
    render("announcement", programme, out)
    assert "winners announced" in (out / "press-release.md").read_text("utf-8")


# Awards that are not simple --------------------------------------------------------------

def test_a_non_consenting_winner_is_not_named_in_public_outputs(tmp_path: Path) -> None:
    programme = small_programme(tmp_path / "p")
    alpha = programme / "entries" / "alpha.md"
    alpha.write_text(alpha.read_text("utf-8").replace("consent_to_publish: true",
                                                      "consent_to_publish: false"), "utf-8")
    out = tmp_path / "out"
    for kind in ("announcement", "site", "certificates"):
        render(kind, programme, out)
    release = (out / "press-release.md").read_text("utf-8")
    posts = (out / "social-posts.csv").read_text("utf-8")
    for text in (release, posts, (out / "index.html").read_text("utf-8")):
        assert "Alpha safety huddles" not in text and "Org of alpha" not in text
    assert "the winning team has asked us not to publish details" in release
    assert "Congratulations to the winner of Category A" in posts
    assert "not shown here at the entrant’s request" in (out / "index.html").read_text("utf-8")
    assert (out / "cat-a" / "alpha-winner.pdf").is_file()  # the team still gets its certificate


def test_a_tie_for_first_leaves_the_winner_place_open(tmp_path: Path) -> None:
    programme = write_programme(
        tmp_path / "p",
        entries={"alpha": entry_meta("alpha", title="Alpha"),
                 "beta": entry_meta("beta", title="Beta")},
        sheets={"j1": {"alpha": scores(8, 8), "beta": scores(8, 8)},
                "j2": {"alpha": scores(7, 7), "beta": scores(7, 7)}},
        judging={"shortlist_size": 3, "highly_commended": 1})
    out = tmp_path / "out"
    run = render("certificates", programme, out)
    assert files_under(out) == {"cat-a/alpha-highly-commended.pdf",
                                "cat-a/beta-highly-commended.pdf"}
    assert "winner place open" in run.stderr and "decisions.yaml" in run.stderr
    render("announcement", programme, out)
    release = (out / "press-release.md").read_text("utf-8")
    assert "The winner place is still to be decided after a tie between Alpha and Beta" in release
    assert "The winner is still to be announced" in (out / "social-posts.csv").read_text("utf-8")
    render("shortlist", programme, out)
    assert "Still to decide:" in (out / "shortlist.md").read_text("utf-8")


def test_unfinished_judging_makes_the_outputs_provisional(tmp_path: Path) -> None:
    programme = write_programme(
        tmp_path / "p",
        entries={"alpha": entry_meta("alpha", title="Alpha"),
                 "beta": entry_meta("beta", title="Beta"),
                 "gamma": entry_meta("gamma", title="Gamma")},
        sheets={"j1": {"alpha": scores(8, 8), "beta": scores(6, 6), "gamma": scores(None, None)},
                "j2": {"alpha": scores(7, 7), "beta": scores(5, 5), "gamma": scores(9, 9)}})
    out = tmp_path / "out"
    run = render("shortlist", programme, out)
    assert "provisional" in run.stderr
    markdown = (out / "shortlist.md").read_text("utf-8")
    assert "**Provisional.**" in markdown
    assert "(Winner)" not in markdown  # not marked until every entry is judged
    assert "Alpha**, Org of alpha (Shortlisted)" in markdown
    render("site", programme, out)
    assert "Provisional results" in (out / "index.html").read_text("utf-8")
