"""Score sheets against the rubric and the panel's conflicts. Each entry's scores are
checked against the rubric it is scored on: the round's own, its category's own
(categories.yaml rubric:), or programme.yaml's.

- bad-scale: the rubric scale's min is not below its max (programme.yaml's or a
  category's).
- duplicate-id: two criteria of a category's own rubric with one ID.
- unknown-criterion: a score for a criterion the rubric does not define.
- score-out-of-range: a score outside the rubric scale.
- recusal-with-scores: `conflict: reason` together with scores.
- conflicted-score: a judge scoring an entry they are conflicted with (their own
  organisation, a declared organisation or a declared entry). A declared recusal
  (`conflict:` and no scores) is the right way to record it.
- outside-categories (warning): a judgement of an entry outside the judge's categories.
- scores-for-left-entry (warning): scores for an entry that was withdrawn or disqualified;
  the tally leaves them out, and says nothing else of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..judging.rounds import Round
from ..load import CATEGORIES, PROGRAMME, Sheet
from ..model import Rubric
from .context import Context
from .references import duplicates


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    if ctx.settings is None:
        return
    scale = ctx.settings.rubric.scale
    low, high = scale.min, scale.max
    if low >= high:
        yield folder.docs[PROGRAMME].finding("bad-scale", (
            f"The rubric scale runs from {low} to {high}; min must be below max."),
            ("rubric", "scale"))
        return
    for index, category_id in folder.listed.get((CATEGORIES, "categories"), []):
        own = folder.categories.get(category_id)
        if own is not None and own.rubric is not None:
            yield from duplicates(folder.docs[CATEGORIES], ("categories", index, "rubric",
                                                             "criteria"),
                                   enumerate(c.id for c in own.rubric.criteria), "criterion")
        if own is not None and own.rubric is not None and \
                own.rubric.scale.min >= own.rubric.scale.max:
            yield folder.docs[CATEGORIES].finding("bad-scale", (
                f"The rubric scale of the category '{category_id}' runs from "
                f"{own.rubric.scale.min} to {own.rubric.scale.max}; min must be below max."),
                ("categories", index, "rubric", "scale"))
    for rnd, sheets in ctx.rubric_sheets():
        if rnd.rubric.scale.min < rnd.rubric.scale.max:  # else checks/rounds.py says so
            yield from _sheets(ctx, rnd, sheets)


def _sheets(ctx: Context, rnd: Round, sheets: dict[str, Sheet]) -> Iterator[Finding]:
    folder = ctx.folder
    # each rubric's criterion IDs, in order and as a set, by the rubric's identity (the
    # rubric kept with them, so that no other object takes its id): a few rubrics serve
    # 30,000 judgements
    shapes: dict[int, tuple[Rubric, list[str], set[str]]] = {}
    for judge_id, sheet in sheets.items():
        doc = sheet.doc
        judge = folder.judges.get(judge_id)
        allowed = judge.categories if judge else None
        for entry_id, judgement in sheet.judgements.items():
            rubric = ctx.rubric_for(rnd, entry_id)  # the entry's category's, or the round's
            low, high = rubric.scale.min, rubric.scale.max
            if low >= high:
                continue  # the rubric's own finding says so
            shape = shapes.get(id(rubric))
            if shape is None:
                listed = [criterion.id for criterion in rubric.criteria]
                shape = shapes[id(rubric)] = (rubric, listed, set(listed))
            _, names, criteria = shape
            scored = False
            for name, value in judgement.criterion_scores().items():
                if name not in criteria:
                    yield doc.finding("unknown-criterion", (
                        f"'{name}' is not a criterion of the rubric; the criteria are "
                        f"{', '.join(names)}."), ("scores", entry_id, name), at_key=True)
                    continue
                if value is None:
                    continue
                scored = True
                if not low <= value <= high:
                    yield doc.finding("score-out-of-range", (
                        f"The {name} score {value} is outside the scale {low} to {high}."),
                        ("scores", entry_id, name))
            if judgement.conflict is not None:
                if scored:
                    yield doc.finding("recusal-with-scores", (
                        f"'{entry_id}' has a declared conflict and scores; a judge who recuses "
                        "gives no scores, so remove either the scores or the conflict."),
                        ("scores", entry_id, "conflict"), at_key=True)
                continue
            entry = folder.entries.get(entry_id)
            if entry is None:
                continue
            reason = ctx.conflicts.reason(judge_id, entry_id, entry.front.organisation)
            if reason is not None and scored:
                yield doc.finding("conflicted-score", (
                    f"Judge {judge_id} may not score '{entry_id}': {reason}. Remove the scores "
                    "and write `conflict: <reason>` instead."), ("scores", entry_id), at_key=True)
            if entry.front.left is not None and scored:
                how, why = entry.front.left
                yield doc.finding("scores-for-left-entry", (
                    f"'{entry_id}' was {how} on {why.date.isoformat()}, so these scores are "
                    "not counted. Keep them as a record, or remove them."),
                    ("scores", entry_id), at_key=True)
            if allowed is not None and entry.front.category not in allowed:
                yield doc.finding("outside-categories", (
                    f"'{entry_id}' is in '{entry.front.category}', which is not one of "
                    f"{judge_id}'s categories ({', '.join(allowed) or 'none'})."),
                    ("scores", entry_id), at_key=True)
