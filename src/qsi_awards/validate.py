"""`qsi validate` as a function: examine the folder, then keep the findings on changed
files when asked."""

from __future__ import annotations

from pathlib import Path

from .findings import Checked


def run(root: Path, changed: bool = False, base: str | None = None,
        round_id: str | None = None) -> Checked:
    from .programme import examine

    examined = examine(root, round_id)
    found = examined.findings
    if changed:
        from .gitops import changed_paths

        paths = with_owners(changed_paths(examined.folder.root, base))
        found = [f for f in found if f.path in paths]
    return Checked(found, examined.folder.files, root)


def with_owners(paths: set[str]) -> set[str]:
    """`paths`, and the file that names each measure's CSV file among them: a finding
    about a measure's data is at the line of the file that lists the measure. The data of
    entries/<entry>.md is entries/<entry>.<measure>.csv; of adoption.yaml,
    adoption.<measure>.csv (load/measures.py)."""
    owners = set()
    for path in paths:
        folder, _, name = path.rpartition("/")
        stem, dot, rest = name.partition(".")
        if not (dot and rest.endswith(".csv") and stem):
            continue
        if folder == "entries":
            owners.add(f"entries/{stem}.md")
        elif not folder and stem == "adoption":
            owners.add("adoption.yaml")
    return paths | owners
