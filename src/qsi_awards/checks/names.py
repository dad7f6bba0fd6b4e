"""Names every system can hold: the repository must check out on Windows too.

- reserved-name (error): an entry or score sheet, or a judge, whose ID is a name Windows
  keeps for a device (con, prn, aux, nul, com0-com9, lpt0-lpt9). Windows cannot hold a
  file of that name with any extension, so git cannot check out a repository holding
  entries/con.md there, and most programme teams work on Windows. A judge's ID is the
  name of their score sheet (`qsi assign` creates scores/<judge>.yaml), so it counts too.

  FAIL: entries/con.md; scores/aux.yaml; judges.yaml with `id: nul`.
  PASS: entries/con-entry.md; a judge `com10`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, finding
from ..load import JUDGES, WINDOWS_NAMES
from .context import Context

_DEVICE = "is a name Windows keeps for a device (like CON, AUX, NUL, COM1 or LPT1)"
_WHY = f"{_DEVICE}, so git cannot check this repository out on Windows"


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    for entry_id in sorted(folder.entry_ids & WINDOWS_NAMES):
        rel = f"entries/{entry_id}.md"
        yield finding(rel, None, None, "reserved-name", (
            f"The file name '{entry_id}' {_WHY}; rename the file, for example to "
            f"entries/{entry_id}-entry.md."))
    for judge_id in sorted(folder.sheets.keys() & WINDOWS_NAMES):
        rel = f"scores/{judge_id}.yaml"
        yield finding(rel, None, None, "reserved-name", (
            f"The file name '{judge_id}' {_WHY}; give the judge another ID in judges.yaml "
            "and rename this score sheet to match."))
    doc = folder.docs.get(JUDGES)
    if doc is None:
        return
    for index, named in folder.listed.get((JUDGES, "judges"), []):
        if named in WINDOWS_NAMES:
            yield doc.finding("reserved-name", (
                f"The judge ID '{named}' {_DEVICE}, and it names their score sheet "
                f"scores/{named}.yaml, which git could not check out on Windows; give the "
                f"judge another ID, such as {named}-judge."), ("judges", index, "id"))
