"""How far judging has got (warnings: they do not fail `qsi validate` without --strict).

- too-few-judges: an entry that fewer than judges_per_entry judges have been given
  (a declared recusal or a conflicted judge does not count).
- pending-judgement: an entry in a score sheet that is not fully scored yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..findings import Finding, finding
from ..judging.conflicts import panel_judgements
from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    if ctx.settings is None:
        return
    criteria = ctx.criteria
    needed = ctx.settings.judging.judges_per_entry
    judged: Counter[str] = Counter()
    sheets = {judge_id: sheet.judgements for judge_id, sheet in folder.sheets.items()}
    fronts = {entry_id: entry.front for entry_id, entry in folder.entries.items()}
    for judge_id, entry_id, judgement in panel_judgements(sheets, fronts, ctx.conflicts):
        judged[entry_id] += 1
        scores = judgement.criterion_scores()
        missing = [name for name in criteria if scores.get(name) is None]
        if missing:
            yield folder.sheets[judge_id].doc.finding("pending-judgement", (
                f"'{entry_id}' is not fully scored yet: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} still empty."),
                ("scores", entry_id), at_key=True)
    for entry_id, entry in folder.entries.items():
        count = judged[entry_id]
        if count < needed:
            yield finding(entry.path, 1, None, "too-few-judges", (
                f"'{entry_id}' has {count} judge{'s' if count != 1 else ''} of the {needed} it "
                "needs; run 'qsi assign' to give it more."))
