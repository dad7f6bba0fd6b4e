"""Every output of one programme, as text files a test can compare: what `qsi validate`,
`status`, `tally`, `assign`, `adoption`, `codeowners`, `archive` print (in every format)
and every file `qsi render` writes. PDFs become their text (pdftotext) and page count,
workbooks their cells (openpyxl): the bytes of both carry the day they were made.

tests/golden/no-rounds/ holds these outputs for tests/examples/no-rounds/ as qsi made them
before judging in rounds was merged (README there); test_golden_no_rounds.py makes them
again with the installed qsi and compares. Where an intended later change altered an
output, tests/golden/no-rounds-later/ holds it: as a unified diff against its golden
(`<name>.diff`, which `git apply` reads too), or whole when no golden has it. To make
the outputs with another qsi, then keep some of them as intended changes:

    python tests/golden_outputs.py QSI_EXECUTABLE OUT_FOLDER
    python tests/golden_outputs.py --later OUT_FOLDER RELATIVE_PATH...
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PROGRAMME = TESTS / "examples" / "no-rounds"
GOLDEN = TESTS / "golden" / "no-rounds"
LATER = TESTS / "golden" / "no-rounds-later"  # outputs an intended later change altered
# where the programme and the outputs are, in what qsi prints: the same in every run
HERE, OUT = "<programme>", "<out>"

BEFORE, AFTER = "2020-02-15", "2020-04-02"  # judging; the day after the ceremony
COMMANDS: dict[str, list[str]] = {
    "validate.txt": ["validate", "--format", "text"],
    "validate-strict.txt": ["validate", "--strict"],
    "validate.json": ["validate", "--format", "json"],
    "validate.github": ["validate", "--format", "github"],
    "status.txt": ["status", "--today", BEFORE],
    "status.json": ["status", "--today", BEFORE, "--format", "json"],
    "status.md": ["status", "--today", BEFORE, "--format", "markdown"],
    "status-after.txt": ["status", "--today", AFTER],
    "tally.txt": ["tally", "--format", "table"],
    "tally.json": ["tally", "--format", "json"],
    "tally-zscore.json": ["tally", "--method", "zscore", "--format", "json"],
    "tally.csv": ["tally", "--format", "csv"],
    "tally.md": ["tally", "--format", "markdown"],
    "tally.github": ["tally", "--format", "github"],
    "tally-explain-falls-huddles.txt": ["tally", "--explain", "falls-huddles"],
    "tally-explain-virtual-fracture-clinic.txt": ["tally", "--explain",
                                                  "virtual-fracture-clinic"],
    "assign-dry-run.txt": ["assign", "--dry-run"],
    "adoption.txt": ["adoption"],
    "adoption.json": ["adoption", "--format", "json"],
    "adoption.md": ["adoption", "--format", "markdown"],
    "codeowners.txt": ["codeowners"],
}
# render: (kind, extra options); each into a folder of its own
RENDERS: dict[str, list[str]] = {
    "shortlist": [],
    "shortlist-embargoed": ["--today", BEFORE],
    "certificates": [],
    "announcement": [],
    "announcement-finalists": ["--finalists", "--today", BEFORE],
    "site": [],
    "site-embargoed": ["--today", BEFORE],
    "packs": [],
    "workbooks": [],
    "entry-form": [],
    "results": [],
}
# two judges' sheets taken away: assign has entries to give out, and writes
TAKEN = ("gfinch", "tquigley")


def environment() -> dict[str, str]:
    """No GitHub Actions, a fixed width and locale: the same output on every machine."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_NAME",
                        "NO_COLOR")}
    env.update({"COLUMNS": "120", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"})
    return env


def run(qsi: str, args: list[str], programme: Path, out: Path | None = None) -> str:
    """What the command prints (standard output, then standard error) and its exit code,
    with the programme's and the output folder's paths replaced by placeholders."""
    done = subprocess.run([qsi, *args, "-p", str(programme)], cwd=programme,
                          env=environment(), capture_output=True, text=True, timeout=600,
                          check=False)
    text = f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
    if out is not None:
        text = text.replace(str(out), OUT)
    return text.replace(str(programme), HERE)


def pdf(path: Path) -> str:
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                           check=True).stdout
    count = next(line.split(":", 1)[1].strip() for line in pages.splitlines()
                 if line.startswith("Pages:"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return f"pages: {count}\n{text}"


def workbook(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"== {sheet.title} ({sheet.dimensions}, {sheet.sheet_state}, frozen "
                     f"{sheet.freeze_panes}, protected {sheet.protection.sheet})")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}\t{cell.value!r}\t{cell.number_format}")
        for validation in sheet.data_validations.dataValidation:
            lines.append(f"validation {validation.sqref} {validation.type} "
                         f"{validation.formula1} {validation.formula2}")
    return "\n".join(lines) + "\n"


def keep(source: Path, target: Path) -> None:
    """An output file as its golden: text as it is, a PDF or workbook as text."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".pdf":
        target.with_name(source.name + ".txt").write_text(pdf(source), "utf-8")
    elif source.suffix == ".xlsx":
        target.with_name(source.name + ".txt").write_text(workbook(source), "utf-8")
    else:
        shutil.copyfile(source, target)


def make(qsi: str, out: Path) -> None:
    """Every output of tests/examples/no-rounds/ by the qsi executable `qsi`, into `out`."""
    with tempfile.TemporaryDirectory(prefix="qsi-golden-") as scratch:
        # a copy outside git: only submitted: dates count, whatever the clone
        programme = Path(scratch) / "programme"
        shutil.copytree(PROGRAMME, programme)
        out.mkdir(parents=True, exist_ok=True)
        for name, args in COMMANDS.items():
            (out / name).write_text(run(qsi, args, programme), "utf-8")
        for name, options in RENDERS.items():
            kind = name.split("-embargoed")[0].split("-finalists")[0]
            folder = Path(scratch) / "render" / name
            (out / "render" / f"{name}.out").parent.mkdir(parents=True, exist_ok=True)
            (out / "render" / f"{name}.out").write_text(
                run(qsi, ["render", kind, "--out", str(folder), *options], programme, folder),
                "utf-8")
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.name != ".qsi-render.json":
                    keep(path, out / "render" / name / path.relative_to(folder))
        archive = Path(scratch) / "archive"
        (out / "archive.json").write_text(run(qsi, [
            "archive", "--out", str(archive), "--today", AFTER, "--format", "json"],
            programme, archive), "utf-8")
        for path in sorted(archive.rglob("*")):
            if path.is_file():
                keep(path, out / "archive" / path.relative_to(archive))
        # assign, with two judges' sheets taken away: the plan, then the sheets it writes
        for judge in TAKEN:
            (programme / "scores" / f"{judge}.yaml").unlink()
        (out / "assign-plan.txt").write_text(run(qsi, ["assign", "--dry-run"], programme),
                                             "utf-8")
        (out / "assign.txt").write_text(run(qsi, ["assign"], programme), "utf-8")
        for path in sorted((programme / "scores").iterdir()):
            keep(path, out / "assigned" / path.name)


NO_NEWLINE = "\\ No newline at end of file\n"


def lines(text: str) -> list[str]:
    """`text` as lines, each with its line feed; split at line feeds only (a carriage
    return or a Unicode line separator stays inside its line)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def diff(before: str, after: str, rel: str) -> str:
    """The unified diff that makes `after` of `before`, as `diff -u` and git write it."""
    out = []
    for line in difflib.unified_diff(lines(before), lines(after), f"a/{rel}", f"b/{rel}"):
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)


def patched(before: str, patch: str) -> str:
    """`before` with the unified diff `patch` applied; a ValueError when the diff's
    removed or context lines are not what `before` holds."""
    old, new, at = lines(before), [], 0
    body = lines(patch)
    index = 0
    while index < len(body):
        line = body[index]
        index += 1
        if not line.startswith("@@ "):
            continue  # the --- and +++ lines
        first, _, size = line.split()[1][1:].partition(",")
        # the old lines' first line, counted from 1; a hunk of none names the line before
        start = int(first) if size == "0" else int(first) - 1
        new.extend(old[at:start])
        at = start
        while index < len(body) and body[index][:1] in (" ", "-", "+", "\\"):
            line, index = body[index], index + 1
            if index < len(body) and body[index] == NO_NEWLINE:
                line, index = line[:-1], index + 1
            if line[:1] in (" ", "-"):
                if at >= len(old) or old[at] != line[1:]:
                    raise ValueError(f"the diff does not apply at line {at + 1}")
                at += 1
            if line[:1] in (" ", "+"):
                new.append(line[1:])
    return "".join(new + old[at:])


def later() -> dict[str, bytes]:
    """What tests/golden/no-rounds-later/ says the outputs are now, where an intended
    change altered them: each diff applied to its golden, and each whole file."""
    found: dict[str, bytes] = {}
    for path in sorted(LATER.rglob("*")):
        if not path.is_file() or path.name == "README.md":
            continue
        rel = path.relative_to(LATER).as_posix()
        if rel.endswith(".diff"):
            rel = rel[:-len(".diff")]
            before = (GOLDEN / rel).read_bytes().decode("utf-8")
            found[rel] = patched(before, path.read_bytes().decode("utf-8")).encode("utf-8")
        else:
            found[rel] = path.read_bytes()
    return found


def keep_later(made: Path, rels: list[str]) -> None:
    """Keep the outputs `rels` of the folder `made` as intended later changes: a diff
    against the golden when there is one, the file itself when there is none."""
    for rel in rels:
        now = (made / rel).read_bytes()
        golden = GOLDEN / rel
        for old in (LATER / rel, LATER / f"{rel}.diff"):
            old.unlink(missing_ok=True)
        if golden.is_file():
            target = LATER / f"{rel}.diff"
            text = diff(golden.read_bytes().decode("utf-8"), now.decode("utf-8"), rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        else:
            (LATER / rel).parent.mkdir(parents=True, exist_ok=True)
            (LATER / rel).write_bytes(now)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--later":
        keep_later(Path(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) == 3:
        make(str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]))
    else:
        sys.exit("usage: python tests/golden_outputs.py QSI_EXECUTABLE OUT_FOLDER\n"
                 "       python tests/golden_outputs.py --later OUT_FOLDER RELATIVE_PATH...")
