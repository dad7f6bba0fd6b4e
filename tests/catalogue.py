"""The README's rule-code catalogue, made from the negative examples.

Every rule code has a negative example folder (tests/examples/negative/<code>/);
its `about` line is the bad example, and running qsi on it gives the message. The
README table is this module's output (a test fails when they drift):

    python tests/catalogue.py        # print the table to paste between the markers
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import NEGATIVE, Case, build_case, run_cli
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
            if not folder.is_dir():
                rows.append(f"| `{code}` | {rule.severity} | {_cell(rule.example)} | "
                            f"{_cell(rule.what)} |")
                continue
            case = Case.load(folder)
            root = build_case(case, Path(tmp) / code)
            result = run_cli(["validate", "-p", root, "--format", "json"])
            findings = json.loads(result.stdout)["findings"]
            message = next(f["message"] for f in findings if f["code"] == code)
            rows.append(f"| `{code}` | {rule.severity} | {_cell(case.about)} | "
                        f"{_cell(message)} |")
    return "\n".join(rows) + "\n"


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
