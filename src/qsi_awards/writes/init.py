"""`qsi init DIR` (Part 3): scaffold a complete programme another region can run.

What it writes: the static files in the package's writes/scaffold/ folder (programme.yaml
with a timeline to fill in, the eight seed categories, an empty panel, one example
entry, the registers with the proposal's risks, the CI workflow, a README for the
programme team, .gitignore), with the
options filled in; .github/CODEOWNERS generated as `qsi codeowners` would; the entry
form's questions (in the README) and its map, forms/entry-map.yaml, made from the
programme's rules (writes/questionnaire.py); the
package's default templates (templates/, whatever the package holds when it runs)
and JSON Schemas (schemas/). File names starting 'dot-' in scaffold/ become '.'
names (package data globs skip dot files).

It never overwrites: if any file it would write exists (or a folder on the way is
a link), it writes nothing and says which. A write that fails part way is undone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from .. import __version__
from ..errors import QsiError
from ..fileio import write_bytes_atomic
from ..load import ID_RE, yamlparse
from ..load.validation import validate
from ..model import CategoriesFile, ProgrammeFile
from ..model.programme import CONSENT_TO_PUBLISH, PRIVACY, SETTINGS, THEMES, Term
from ..render.text import in_sentence
from . import questionnaire
from .codeowners import HANDLE_RE, codeowners
from .yaml_scalars import flow_list, quoted

DEFAULT_ACTION = f"kmqsi/qsi@v{__version__}"
_ACTION_RE = re.compile(r"([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)@([A-Za-z0-9_./-]+)\Z")
_TOKEN = re.compile(r"@@([A-Z_]+)@@")
_HASHTAG = re.compile(r"#[A-Za-z0-9_]+\Z")  # as HASHTAG_PATTERN in model.py
MODEL = "Quality, Safety & Improvement Awards"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Options:
    name: str | None = None
    edition: str | None = None
    region: str | None = None
    hashtag: str | None = None
    maintainers: list[str] = field(default_factory=list)
    action: str | None = None
    # the taxonomy, as ID=Label (default: the seed's themes and care settings)
    themes: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)


def _terms(given: list[str], option: str, seed: tuple[Term, ...]) -> list[Term]:
    """--theme / --setting values (ID=Label, repeated) as terms; the seed's when none."""
    if not given:
        return list(seed)
    terms: list[Term] = []
    for value in given:
        term_id, sep, label = value.partition("=")
        term_id, label = term_id.strip(), " ".join(label.split())
        if not sep or not ID_RE.match(term_id) or not label or not label.isprintable():
            raise QsiError(f"Give {option} as ID=Label, like {option} mental-health='Mental "
                           "health services': the ID in lower-case letters, digits and "
                           f"dashes; '{value}' is not.")
        if any(term.id == term_id for term in terms):
            raise QsiError(f"{option} {term_id} is given twice; give each ID once.")
        terms.append(Term(id=term_id, label=label))
    return terms


def _taxonomy_yaml(themes: list[Term], settings: list[Term]) -> str:
    lines = []
    for key, terms in (("themes", themes), ("settings", settings)):
        lines.append(f"{key}:")
        lines += [f"  - {{id: {term.id}, label: {quoted(term.label)}}}" for term in terms]
    return "\n".join(lines)


def _categories_yaml(themes: list[Term], settings: list[Term]) -> str:
    """One category per theme and care setting, and one per theme for work involving
    patients and the public, titled from the labels (the seed's eight, for its own
    themes and settings, are scaffold/categories.yaml as written)."""
    public = "involving and engaging patients and the public"
    made = [(f"{theme.id}-{setting.id}", _title(theme, f"in {in_sentence(setting.label)}"),
             theme.id, f"setting: {setting.id}") for theme in themes for setting in settings]
    made += [(f"{theme.id}-patients", _title(theme, public), theme.id,
              "requires_patient_involvement: true") for theme in themes]
    ids = [category_id for category_id, *_ in made]
    bad = [i for i in ids if not ID_RE.match(i)] + sorted({i for i in ids if ids.count(i) > 1})
    if bad:
        raise QsiError(f"The category IDs made from the themes and settings ({bad[0]}) would "
                       "be too long or the same twice; give shorter or different IDs.")
    lines = ["categories:"]
    for category_id, title, theme_id, rule in made:
        lines += [f"  - id: {category_id}", f"    title: {quoted(title)}",
                  f"    theme: {theme_id}", f"    {rule}"]
    return "\n".join(lines) + "\n"


def _title(theme: Term, where: str) -> str:
    return f"Best {in_sentence(theme.label)} initiative {where}"


def _one_line(label: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or not value.isprintable():
        raise QsiError(f"Give {label} as text on one line.")
    return value


def _default_hashtag(region: str | None) -> str:
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", region or "")
                       if word[0].isupper() or word[0].isdigit())
    return f"#{initials}QSIAwards"


def _maintainers(options: Options) -> list[str]:
    handles = []
    for handle in options.maintainers:
        bare = handle.strip().removeprefix("@")
        if not HANDLE_RE.match(bare):
            raise QsiError(f"'{handle}' is not a GitHub handle (letters, digits and dashes).")
        handles.append(bare)
    return handles


def settings_tokens(options: Options, today: dt.date) -> dict[str, str]:
    """The values the scaffold's @@TOKENS@@ stand for. QsiError for bad options."""
    region = _one_line("--region", options.region)
    edition = _one_line("--edition", options.edition) or str(today.year)
    name = _one_line("--name", options.name) or (f"{region} {MODEL}" if region else MODEL)
    hashtag = _one_line("--hashtag", options.hashtag) or _default_hashtag(region)
    if not hashtag.startswith("#"):
        hashtag = "#" + hashtag
    if not _HASHTAG.match(hashtag):
        raise QsiError(f"'{hashtag}' is not a hashtag: use # then letters, digits or _ only, "
                       "like #KMQSIAwards.")
    maintainers = _maintainers(options)
    action = (options.action or DEFAULT_ACTION).strip()
    match = _ACTION_RE.match(action)
    if match is None:
        raise QsiError(f"'{action}' is not a GitHub Action reference like OWNER/REPO@REF.")
    owner, repo, ref = match.groups()
    themes = _terms(options.themes, "--theme", THEMES)
    settings = _terms(options.settings, "--setting", SETTINGS)
    example = f"{themes[0].id}-{settings[0].id}"  # the example entry's category
    found = re.match(r"(\d{4})", edition)
    year = int(found.group(1)) if found else today.year
    return {
        "TITLE": f"{name} {edition}",
        "NAME": quoted(name),
        "EDITION": quoted(edition),
        "REGION_LINE": (f"region: {quoted(region)}" if region else
                        "# region: Your region          # optional"),
        "HASHTAG_LINE": f"hashtag: {quoted(hashtag)}  # used in social posts",
        "MAINTAINERS": flow_list(maintainers),
        "MARKETING": f"{year - 1}-09-01",
        "STEERING": f"{year - 1}-10-01",
        "OPEN": f"{year - 1}-11-01",
        "DEADLINE": f"{year}-02-01",
        "JUDGING": f"{year}-03-01",
        "CEREMONY": f"{year}-04-01",
        "SPREAD": f"{year}-05-01",
        "EXAMPLE_DATE": f"{year}-01-15",
        "ACTION": action,
        "QSI_HOME": f"https://github.com/{owner}/{repo}",
        "QSI_PIP": f"git+https://github.com/{owner}/{repo}@{ref}",
        "CONSENT_WORDING": _folded(CONSENT_TO_PUBLISH),
        "PRIVACY_WORDING": _folded(PRIVACY),
        "TAXONOMY": _taxonomy_yaml(themes, settings),
        "EXAMPLE_CATEGORY": example,
        "EXAMPLE_SETTING": settings[0].id,
        "EXAMPLE_JUDGE_CATEGORIES": flow_list([f"{theme.id}-{settings[0].id}"
                                               for theme in themes[:2]]),
    }


def _folded(text: str, indent: int = 4, width: int = 84) -> str:
    """The lines of a `>-` block scalar that reads back as `text` (one paragraph)."""
    return "\n".join(textwrap.wrap(text, width, initial_indent=" " * indent,
                                   subsequent_indent=" " * indent, break_long_words=False,
                                   break_on_hyphens=False))


def _walk(node: Traversable, rel: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda item: item.name):
        if child.name.startswith(".") or child.name == "__pycache__" or \
                child.name.endswith((".pyc", ".pyo")):
            continue
        path = f"{rel}{child.name}"
        if child.is_dir():
            yield from _walk(child, path + "/")
        elif child.is_file():
            yield path, child


def _scaffold_name(rel: str) -> str:
    return "/".join("." + part[4:] if part.startswith("dot-") else part
                    for part in rel.split("/"))


def plan(options: Options, today: dt.date | None = None) -> dict[str, bytes]:
    """Every file `qsi init` writes: programme-relative path -> content."""
    tokens = settings_tokens(options, today or dt.date.today())
    package = resources.files("qsi_awards")
    files: dict[str, bytes] = {}
    for rel, item in _walk(package / "schemas"):
        if rel.endswith(".json"):
            files[f"schemas/{rel}"] = item.read_bytes()
    templates = package / "templates"
    if templates.is_dir():
        for rel, item in _walk(templates):
            files[f"templates/{rel}"] = item.read_bytes()
    texts = {_scaffold_name(rel): item.read_text(encoding="utf-8")
             for rel, item in _walk(package / "writes" / "scaffold")}
    if options.themes or options.settings:  # categories from the programme's taxonomy
        seed = texts["categories.yaml"]
        texts["categories.yaml"] = seed[:seed.index("categories:\n")] + _categories_yaml(
            _terms(options.themes, "--theme", THEMES),
            _terms(options.settings, "--setting", SETTINGS))

    def filled(rel: str) -> str:
        return _TOKEN.sub(lambda m: tokens[m.group(1)], texts[rel])

    # what is made from the programme's rules, as qsi reads the files it writes: the
    # CODEOWNERS `qsi codeowners` prints, and the entry form (README) with its map
    settings = _read(ProgrammeFile, filled("programme.yaml"))
    categories = {category.id: category
                  for category in _read(CategoriesFile, filled("categories.yaml")).categories}
    tokens["QUESTIONNAIRE"] = questionnaire.markdown(settings, categories)
    for rel in texts:
        files[rel] = filled(rel).encode("utf-8")
    files[".github/CODEOWNERS"] = codeowners(settings, [], {}).text.encode("utf-8")
    files[questionnaire.MAP] = questionnaire.map_text(settings, categories).encode("utf-8")
    return dict(sorted(files.items()))


def _read(model: type[M], text: str) -> M:
    data, _ = yamlparse.parse(text)
    value, problems = validate(model, data)
    if value is None:  # the scaffold and the options are checked above: a bug in qsi
        raise QsiError(f"qsi made a file it cannot read ({problems[0].message}); please "
                       "report this to the qsi maintainers.")
    return value


def _obstacles(target: Path, files: dict[str, bytes]) -> list[str]:
    """What is in the way: existing files, and links or files where a folder must go."""
    found: list[str] = []
    checked: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in checked:
                continue
            checked.add(folder)
            path = target / folder
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                found.append(folder)
        if (target / rel).is_symlink() or (target / rel).exists():
            found.append(rel)
    return found


def create(target: Path, options: Options, today: dt.date | None = None) -> list[str]:
    """Write the scaffold into `target`; return the files written (relative paths)."""
    files = plan(options, today)  # bad options fail before anything is looked at
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise QsiError(f"{target} exists and is not a folder; give a new or empty folder.")
    if (target / "programme.yaml").exists():
        raise QsiError(f"{target} already holds a programme (programme.yaml); qsi init never "
                       "overwrites anything. Give a new or empty folder.")
    in_the_way = _obstacles(target, files)
    if in_the_way:
        shown = ", ".join(in_the_way[:5]) + (" and more" if len(in_the_way) > 5 else "")
        raise QsiError(f"qsi init never overwrites anything, and {target} already has "
                       f"{shown}; give a new or empty folder.")
    created: list[Path] = []
    missing = target
    while not missing.exists() and missing.parent != missing:
        created.append(missing)
        missing = missing.parent
    written: list[Path] = []
    try:
        for rel, data in files.items():
            path = target / rel
            parent = path.parent
            new_dirs = []
            while not parent.exists():
                new_dirs.append(parent)
                parent = parent.parent
            created.extend(new_dirs)
            write_bytes_atomic(path, data)
            written.append(path)
    except OSError as error:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise QsiError(f"Cannot write the programme into {target} ({error.strerror}); "
                       "nothing was written.") from None
    return list(files)
