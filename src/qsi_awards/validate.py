"""`qsi validate` as a function: examine the folder, then keep the findings on changed
files when asked."""

from __future__ import annotations

from pathlib import Path

from .findings import Checked


def run(root: Path, changed: bool = False, base: str | None = None) -> Checked:
    from .programme import examine

    examined = examine(root)
    found = examined.findings
    if changed:
        from .gitops import changed_paths

        paths = changed_paths(examined.folder.root, base)
        found = [f for f in found if f.path in paths]
    return Checked(found, examined.folder.files, root)
