"""Helpers for the scoring workbook tests: render a programme's workbooks, change one as
a judge (or a slip) would, with openpyxl as an independent writer, save one with
LibreOffice, and import workbooks through the command line.

The cases in tests/examples/workbooks/<case>/case.yaml are what `qsi import scores` must
refuse, one (at least) per rule code; the README's rule catalogue quotes the first case
of each code (tests/catalogue.py). Keys of case.yaml:

- ``about``: the bad example, in a few words;
- ``judge``: whose workbook is rendered (from tests/examples/base);
- ``file``: the name it is imported under (default ``<judge>.xlsx``); ``copies``: how
  many copies are imported together (default 1);
- ``cells``: ``{"Scores!C2": value}`` cells to set (``null`` empties a cell); a value
  ``{ref: ENTRY}`` is that entry's reference;
- ``delete_rows``: Scores rows to delete; ``remove_sheets``: sheets to remove;
- ``files``: a folder of files copied over the programme after the workbook is rendered
  (a score sheet that changed since, say); ``remove``: files of the programme removed
  then;
- ``expect``: findings that must be there, each ``{position, code}``; ``exit``: the
  exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conftest import EXAMPLES, copy_base, run_cli

CASES = EXAMPLES / "workbooks"
SOFFICE = shutil.which("soffice")


def render_workbooks(root: Path, out: Path, *args: str) -> dict[str, Path]:
    """`qsi render workbooks ARGS` into `out`: judge -> their workbook."""
    result = run_cli(["render", "workbooks", "-p", root, "--out", out, *args])
    assert result.exit_code == 0, result.output
    return {path.stem: path for path in sorted(out.glob("*.xlsx"))}


def reference(entry_id: str, edition: str = "2020") -> str:
    """An entry's reference in a programme whose references do not collide (the base's)."""
    from qsi_awards.judging.references import draw

    return draw(edition, entry_id)


def edit(path: Path, cells: dict[str, Any] | None = None,
         delete_rows: list[int] | None = None, remove_sheets: list[str] | None = None,
         save_as: Path | None = None) -> Path:
    """Change a workbook with openpyxl and save it (as `save_as`, or in place)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    for name in remove_sheets or []:
        del book[name]
    for where, value in (cells or {}).items():
        sheet, cell = where.split("!")
        if isinstance(value, dict):
            value = reference(value["ref"])
        book[sheet][cell].value = value
    for row in sorted(delete_rows or [], reverse=True):
        book["Scores"].delete_rows(row)
    target = save_as or path
    book.save(target)
    return target


def import_scores(root: Path, *args: str | Path, cwd: Path | None = None
                  ) -> tuple[int, dict[str, Any]]:
    """`qsi import scores ARGS --format json` (run in `cwd`): the exit code and the
    document."""
    result = run_cli(["import", "scores", "-p", root, "--format", "json", *args], cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, document


def positions(document: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["position"], f["code"]) for w in document["workbooks"]
                  for f in w["findings"])


@dataclass(frozen=True)
class WorkbookCase:
    name: str
    folder: Path
    raw: dict[str, Any]

    @property
    def about(self) -> str:
        return str(self.raw["about"])

    @property
    def expect(self) -> list[dict[str, str]]:
        return list(self.raw["expect"])


def workbook_cases() -> list[WorkbookCase]:
    cases = []
    for folder in sorted(CASES.iterdir()):
        raw = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
        unknown = set(raw) - {"about", "judge", "file", "copies", "cells", "delete_rows",
                              "remove_sheets", "files", "remove", "expect", "exit"}
        assert not unknown, f"{folder.name}: unknown keys {unknown}"
        cases.append(WorkbookCase(folder.name, folder, raw))
    return cases


def run_case(case: WorkbookCase, tmp: Path) -> tuple[int, dict[str, Any], Path]:
    """Build the case and import its workbook(s): the exit code, the JSON document and
    the programme folder."""
    raw = case.raw
    root = copy_base(tmp / "programme")
    made = render_workbooks(root, tmp / "out")[raw["judge"]]
    returned = tmp / "returned"
    returned.mkdir()
    first = edit(made, raw.get("cells"), raw.get("delete_rows"), raw.get("remove_sheets"),
                 save_as=returned / raw.get("file", f"{raw['judge']}.xlsx"))
    files = [first]
    for copy in range(1, int(raw.get("copies", 1))):
        files.append(Path(shutil.copyfile(first, returned / f"{first.stem} ({copy}).xlsx")))
    overlay = case.folder / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    for rel in raw.get("remove", []):
        (root / rel).unlink()
    exit_code, document = import_scores(root, *[f.name for f in files], cwd=returned)
    return exit_code, document, root


def soffice(*args: str | Path, profile: Path, timeout: float = 120) -> None:
    """Run LibreOffice headless with a profile of its own (so tests in parallel do not
    share one), failing the test if it does not finish in time or fails."""
    assert SOFFICE is not None
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--norestore", "--nologo", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "HOME": str(profile)})
    assert done.returncode == 0, done.stdout + done.stderr


def copy_example(dest: Path) -> Path:
    """The repository's own programme (Kent & Medway 2020), copied to `dest`."""
    from conftest import REPO

    dest.mkdir(parents=True)
    for name in ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
                 "adoption.yaml"):
        shutil.copyfile(REPO / name, dest / name)
    for folder in ("entries", "scores", "rounds", "templates"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def entry_of_reference(root: Path, edition: str = "2020") -> dict[str, str]:
    """Reference -> entry ID for every entry of a programme whose references do not
    collide (checked)."""
    found = {reference(path.stem, edition): path.stem
             for path in (root / "entries").glob("*.md")}
    assert len(found) == len(list((root / "entries").glob("*.md")))
    return found
