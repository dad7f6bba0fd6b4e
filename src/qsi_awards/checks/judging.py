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
from ..judging.rounds import Round
from ..load import Sheet
from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    for rnd, sheets in ctx.rubric_sheets():
        if ctx.focused(rnd):
            yield from _round(ctx, rnd, sheets)


def _round(ctx: Context, rnd: Round, sheets: dict[str, Sheet]) -> Iterator[Finding]:
    folder = ctx.folder
    needed = rnd.judges_per_entry
    judged: Counter[str] = Counter()
    panel = {judge_id: sheet.judgements for judge_id, sheet in sheets.items()
             if rnd.on_panel(judge_id)}
    fronts = ctx.entrants(rnd)
    for judge_id, entry_id, judgement in panel_judgements(panel, fronts, ctx.conflicts):
        judged[entry_id] += 1
        scores = judgement.criterion_scores()
        missing = [criterion.id for criterion in ctx.rubric_for(rnd, entry_id).criteria
                   if scores.get(criterion.id) is None]
        if missing:
            yield sheets[judge_id].doc.finding("pending-judgement", (
                f"'{entry_id}' is not fully scored yet: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} still empty."),
                ("scores", entry_id), at_key=True)
    in_round = f" in the round '{rnd.id}'" if rnd.index else ""
    # a calibration exercise: every judge scores every reference entry (pending shows it)
    for entry_id in () if rnd.calibration else fronts:
        count = judged[entry_id]
        if count < needed:
            yield finding(folder.entries[entry_id].path, 1, None, "too-few-judges", (
                f"'{entry_id}' has {count} judge{'s' if count != 1 else ''} of the {needed} it "
                f"needs{in_round}; run 'qsi assign{' --round ' + rnd.id if rnd.index else ''}' "
                "to give it more."))
