"""`qsi validate` as a function: examine the folder, then keep the findings on changed
files when asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding


@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.findings):
            return 1
        return 0


def run(root: Path, changed: bool = False, base: str | None = None) -> Result:
    from .programme import examine

    examined = examine(root)
    found = examined.findings
    if changed:
        from .gitops import changed_paths

        paths = changed_paths(examined.folder.root, base)
        found = [f for f in found if f.path in paths]
    return Result(found, examined.folder.files)
