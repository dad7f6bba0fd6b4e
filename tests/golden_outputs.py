"""Every output of one programme, as text files a test can compare: what `qsi validate`,
`status`, `tally`, `assign`, `adoption`, `codeowners`, `archive` print (in every format)
and every file `qsi render` writes. PDFs become their text (pdftotext) and page count,
workbooks their cells (openpyxl): the bytes of both carry the day they were made.

tests/golden/no-rounds/ holds these outputs for tests/examples/no-rounds/ as qsi made them
before judging in rounds was merged (README there); test_golden_no_rounds.py makes them
again with the installed qsi and compares. To make them with another qsi:

    python tests/golden_outputs.py QSI_EXECUTABLE OUT_FOLDER
"""

from __future__ import annotations

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


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/golden_outputs.py QSI_EXECUTABLE OUT_FOLDER")
    make(str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]))
