"""References between files: every ID named must exist, once.

- duplicate-id: two categories, judges, criteria or milestones with one ID.
- duplicate-milestone: a milestone kind (ceremony, ...) used more than once.
- unknown-category: an entry, a judge's categories or a decision naming no category.
- unknown-entry: a judge's conflicts, a score sheet, a decision or an adoption record
  naming an entry with no entries/<id>.md.
- unknown-criterion: a tiebreak criterion the rubric does not define.
- unknown-judge / judge-mismatch: a score sheet for no judge, or whose `judge:` is
  not its file name.
- wrong-category / bad-decision: a decision naming an entry of another category,
  the same entry twice, an entry withdrawn or disqualified, or more highly commended
  entries than there are places.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..findings import Finding
from ..load import ADOPTION, CATEGORIES, DECISIONS, JUDGES, PROGRAMME, Doc
from .context import Context


def duplicates(doc: Doc, key: tuple[str | int, ...], items: Iterable[tuple[int, str]],
                what: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, item_id in items:
        if item_id in first:
            line, _ = doc.where((*key, first[item_id], "id"))
            yield doc.finding("duplicate-id", (
                f"The {what} ID '{item_id}' is used twice (first on line {line}); give each "
                f"{what} its own ID."), (*key, index, "id"))
        else:
            first[item_id] = index


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    docs = folder.docs
    settings = ctx.settings
    if settings is not None:
        doc = docs[PROGRAMME]
        yield from duplicates(doc, ("timeline",), ((i, m.id) for i, m in
                                                    enumerate(settings.timeline)), "milestone")
        yield from duplicates(doc, ("rubric", "criteria"), (
            (i, c.id) for i, c in enumerate(settings.rubric.criteria)), "criterion")
        kinds: set[str] = set()
        for index, milestone in enumerate(settings.timeline):
            if milestone.kind is None:
                continue
            if milestone.kind in kinds:
                yield doc.finding("duplicate-milestone", (
                    f"Two milestones have kind '{milestone.kind}'; each kind may be used once, "
                    "so remove one."), ("timeline", index, "kind"))
            kinds.add(milestone.kind)
        criteria = set(ctx.criteria)
        for index, name in enumerate(settings.judging.tiebreak):
            if name not in criteria:
                yield doc.finding("unknown-criterion", (
                    f"The tiebreak criterion '{name}' is not in the rubric; use one of "
                    f"{', '.join(ctx.criteria)}."), ("judging", "tiebreak", index))
    if CATEGORIES in docs:
        yield from duplicates(docs[CATEGORIES], ("categories",),
                               folder.listed.get((CATEGORIES, "categories"), []), "category")
    if JUDGES in docs:
        yield from _judges(ctx, docs[JUDGES])
    for entry in folder.entries.values():
        category = entry.front.category
        if folder.category_ids and category not in folder.category_ids:
            yield entry.doc.finding("unknown-category", (
                f"The category '{category}' does not exist; use one of "
                f"{', '.join(sorted(folder.category_ids))}."), ("category",))
    yield from _sheets(ctx)
    if DECISIONS in docs:
        yield from _decisions(ctx, docs[DECISIONS])
    if ADOPTION in docs:
        doc = docs[ADOPTION]
        for index, record in folder.adoption:
            if record.entry not in folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"The adoption record names the entry '{record.entry}', but there is no "
                    f"entries/{record.entry}.md."), ("adoption", index, "entry"))


def _judges(ctx: Context, doc: Doc) -> Iterator[Finding]:
    folder = ctx.folder
    yield from duplicates(doc, ("judges",), folder.listed.get((JUDGES, "judges"), []), "judge")
    for judge_id, judge in folder.judges.items():
        index = folder.index[(JUDGES, judge_id)]
        for position, category in enumerate(judge.categories or []):
            if folder.category_ids and category not in folder.category_ids:
                yield doc.finding("unknown-category", (
                    f"Judge '{judge_id}' is given the category '{category}', which does not "
                    "exist."), ("judges", index, "categories", position))
        for position, entry_id in enumerate(judge.conflicts.entries):
            if entry_id not in folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"Judge '{judge_id}' declares a conflict with '{entry_id}', but there is "
                    f"no entries/{entry_id}.md."), ("judges", index, "conflicts", "entries",
                                                     position))


def _sheets(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    for judge_id, sheet in folder.sheets.items():
        doc = sheet.doc
        if folder.judge_ids and judge_id not in folder.judge_ids:
            yield doc.finding("unknown-judge", (
                f"There is no judge '{judge_id}' in judges.yaml, so this score sheet belongs to "
                "nobody; add the judge or rename the file."), ("judge",), at_key=True)
        named = sheet.named
        if named is not None and named != judge_id:
            yield doc.finding("judge-mismatch", (
                f"This sheet says judge: {named}, but its file name says {judge_id}; change one "
                "so that they match."), ("judge",))
        for entry_id in sheet.judgements:
            if entry_id not in folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"The entry '{entry_id}' does not exist (no entries/{entry_id}.md); check "
                    "the spelling."), ("scores", entry_id), at_key=True)


def _decisions(ctx: Context, doc: Doc) -> Iterator[Finding]:
    folder = ctx.folder
    places = ctx.settings.judging.highly_commended if ctx.settings else None
    for index, decision in folder.decisions:
        category = decision.category
        if folder.category_ids and category not in folder.category_ids:
            yield doc.finding("unknown-category", (
                f"The decision is for the category '{category}', which does not exist."),
                ("decisions", index, "category"))
            continue
        named: list[tuple[tuple[str | int, ...], str]] = []
        if decision.winner is not None:
            named.append((("decisions", index, "winner"), decision.winner))
        named.extend((("decisions", index, "highly_commended", position), entry_id)
                     for position, entry_id in enumerate(decision.highly_commended))
        seen: set[str] = set()
        for loc, entry_id in named:
            if entry_id in seen:
                yield doc.finding("bad-decision", (
                    f"The decision names '{entry_id}' twice; an entry gets one award, so "
                    "remove one."), loc)
            seen.add(entry_id)
            if entry_id not in folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"The decision names the entry '{entry_id}', but there is no "
                    f"entries/{entry_id}.md."), loc)
                continue
            entry = folder.entries.get(entry_id)
            if entry is not None and entry.front.category != category:
                yield doc.finding("wrong-category", (
                    f"'{entry_id}' is in the category '{entry.front.category}', not "
                    f"'{category}', so it cannot be awarded here."), loc)
            if entry is not None and entry.front.left is not None:
                how, why = entry.front.left
                yield doc.finding("bad-decision", (
                    f"'{entry_id}' was {how} on {why.date.isoformat()}, so it cannot be "
                    "awarded; name another entry."), loc)
        commended = decision.highly_commended
        if places is not None and len(commended) > places:
            yield doc.finding("bad-decision", (
                f"The decision names {len(commended)} highly commended "
                f"entries, but the programme has {places} place(s); change judging."
                "highly_commended or the decision."), ("decisions", index, "highly_commended"))
    decided: set[str] = set()
    for index, decision in folder.decisions:
        if decision.category in decided:
            yield doc.finding("duplicate-id", (
                f"There is more than one decision for '{decision.category}'; keep one."),
                ("decisions", index, "category"))
        decided.add(decision.category)
