"""The README's rule-code catalogue, made from the negative examples.

Every validate rule has a negative example folder (tests/examples/negative/<code>/),
every guard rule a case in tests/examples/guard/, every workbook rule (qsi import
scores) one in tests/examples/workbooks/ and every forms-* rule (qsi import entries) one
in tests/examples/import/; a case's `about` line is the bad example, and
running qsi on it gives the message. The README table is this module's
output (a test fails when they drift):

    python tests/catalogue.py            # print the table
    python tests/catalogue.py --write    # write it into README.md between the markers
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import NEGATIVE, Case, build_case, copy_base, git, git_commit_all, git_init, run_cli
from qsi_awards.findings import RULES

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    rows = ["| code | severity | a bad example | what qsi says |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for code, rule in RULES.items():
            folder = NEGATIVE / code
            if code.startswith("workbook-"):
                about, message = _workbook_example(code, Path(tmp))
                rows.append(f"| `{code}` | {rule.severity} | {_cell(about)} | "
                            f"{_cell(message)} |")
                continue
            if not folder.is_dir():
                example = _import_example if code.startswith("forms-") else _guard_example
                about, message = example(code, Path(tmp))
                rows.append(f"| `{code}` | {rule.severity} | {_cell(about)} | "
                            f"{_cell(message)} |")
                continue
            case = Case.load(folder)
            root = build_case(case, Path(tmp) / code)
            result = run_cli(["validate", "-p", root, "--format", "json"])
            findings = json.loads(result.stdout)["findings"]
            message = next(f["message"] for f in findings if f["code"] == code)
            rows.append(f"| `{code}` | {rule.severity} | {_cell(case.about)} | "
                        f"{_cell(message)} |")
    return "\n".join(rows) + "\n"


def _guard_example(code: str, tmp: Path) -> tuple[str, str]:
    """The first guard case (tests/examples/guard/) that gives `code`: what it does, and
    what `qsi guard` says, run on a real git repository."""
    from test_guard import apply, guard_cases

    for case in guard_cases():
        if not any(e["code"] == code for e in case.expect):
            continue
        repo = git_init(copy_base(tmp / f"guard-{code}"))
        git_commit_all(repo, "base")
        git(repo, "checkout", "-q", "-b", "pr")
        apply(case, repo)
        result = run_cli(["guard", "-p", repo, "--author", case.author, "--base", "main",
                          "--format", "json", *case.options()])
        findings = json.loads(result.stdout)["findings"]
        about = str(yaml.safe_load((case.folder / "case.yaml").read_text("utf-8"))["about"])
        return about, next(f["message"] for f in findings if f["code"] == code)
    raise AssertionError(f"no negative example for {code}")


def _workbook_example(code: str, tmp: Path) -> tuple[str, str]:
    """The first workbook case (tests/examples/workbooks/) that is about `code` (it
    expects that code first): what it does, and what `qsi import scores` says."""
    from workbook_support import run_case, workbook_cases

    for case in workbook_cases():
        if case.expect[0]["code"] == code:
            _, document, _ = run_case(case, tmp / f"workbook-{code}")
            return case.about, next(f["message"] for w in document["workbooks"]
                                    for f in w["findings"] if f["code"] == code)
    raise AssertionError(f"no workbook case for {code}")


def _import_example(code: str, tmp: Path) -> tuple[str, str]:
    """The case tests/examples/import/<code>/: what it holds, and what `qsi import
    entries` says about it."""
    from test_import_entries import IMPORT_CASES, run_import_case

    _, report, case = run_import_case(IMPORT_CASES / code, tmp / f"import-{code}")
    return str(case["about"]), next(f["message"] for f in report["findings"]
                                    if f["code"] == code)


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(START) + len(START):text.index(END)].strip("\n") + "\n"


def write_readme() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{table()}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_readme()
    else:
        sys.stdout.write(table())
