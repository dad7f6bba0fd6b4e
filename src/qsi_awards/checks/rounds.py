"""Judging rounds (README "Judging in rounds"): programme.yaml's rounds, each round's
files and ballots, and decisions about a round.

- bad-round: a round's dates out of order (it closes before it opens, or opens before
  the round before it closes), or a ranked round given a rubric, a threshold or a
  shortlist size, which only a rubric round has.
- not-on-panel: a score sheet or ballot file in a round for a judge who is not on that
  round's panel.
- not-a-finalist: a later round's sheet or ballot naming an entry that round does not
  judge (not on the round before's shortlist, or in another category).
- ranked-twice: an entry ranked twice in one ballot (by its ID or its reference).
- conflicted-ranking: a judge ranking an entry they are conflicted with (judges.yaml,
  or the ballot's own `conflicts:`); leave it out, and it has no say on its pairs.
- Also, here: duplicate-id (two rounds with one ID), unknown-judge (a panel or a file
  naming no judge), judge-mismatch, unknown-category and unknown-entry (in ballots),
  stray-file (a round folder the programme has no round for), pending-judgement and
  outside-categories (warnings, in ballots), too-few-judges (a finalist with fewer
  ballots than judges_per_entry), bad-scale (a round's own rubric), bad-decision (a
  decision for no round, a shortlist for the last round, awards before it).

A ballot names a finalist by its entry ID or by its reference (judging/references.py):
the rules work on the entries Programme.ballots reads, and quote what was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..dates import long_date
from ..findings import Finding, finding
from ..judging.rounds import Round
from ..load import DECISIONS, PROGRAMME, Doc, Sheet
from ..model import Ballot
from ..model.ballots import REFERENCE_PATTERN
from .context import Context

if TYPE_CHECKING:
    from ..programme import Programme

_REFERENCE = re.compile(REFERENCE_PATTERN.removesuffix("$") + r"\Z")


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.settings is None:
        return
    yield from _declared(ctx)
    yield from _folders(ctx)
    prog = ctx.programme
    assert prog is not None
    if ctx.settings.rounds is not None:
        for rnd in ctx.rounds:
            if rnd.ranked:
                yield from _ballot_files(ctx, rnd, prog)
            else:
                yield from _sheet_files(ctx, rnd, prog.sheets(rnd))
    if DECISIONS in ctx.folder.docs:
        yield from _decisions(ctx, ctx.folder.docs[DECISIONS])


def _declared(ctx: Context) -> Iterator[Finding]:
    settings = ctx.settings
    if settings is None or settings.rounds is None:
        return
    doc = ctx.folder.docs[PROGRAMME]
    first: dict[str, int] = {}
    previous = None
    for index, declared in enumerate(settings.rounds):
        where = ("rounds", index)
        if declared.id in first:
            line, _ = doc.where(("rounds", first[declared.id], "id"))
            yield doc.finding("duplicate-id", (
                f"The round ID '{declared.id}' is used twice (first on line {line}); give each "
                "round its own ID."), (*where, "id"))
        first.setdefault(declared.id, index)
        if declared.judges != "all":
            for position, judge_id in enumerate(declared.judges):
                if ctx.folder.judge_ids and judge_id not in ctx.folder.judge_ids:
                    yield doc.finding("unknown-judge", (
                        f"The round '{declared.id}' names the judge '{judge_id}', who is not in "
                        "judges.yaml; add the judge or correct the ID."),
                        (*where, "judges", position))
        if declared.opens is not None and declared.opens > declared.closes:
            yield doc.finding("bad-round", (
                f"The round '{declared.id}' opens on {long_date(declared.opens)} but closes on "
                f"{long_date(declared.closes)}; change one so that it opens before it "
                "closes."), (*where, "opens"))
        if previous is not None:
            if declared.opens is not None and declared.opens <= previous.closes:
                yield doc.finding("bad-round", (
                    f"The round '{declared.id}' opens on {long_date(declared.opens)}, but the "
                    f"round before it, '{previous.id}', closes on {long_date(previous.closes)}; "
                    "change opens: to a later day, or remove it (then the round opens the "
                    "day after the one before closes)."), (*where, "opens"))
            elif declared.closes <= previous.closes:
                yield doc.finding("bad-round", (
                    f"The round '{declared.id}' closes on {long_date(declared.closes)}, no later "
                    f"than the round before it, '{previous.id}' ({long_date(previous.closes)}); "
                    "list the rounds in the order they happen, or change the dates."),
                    (*where, "closes"))
        for position, entry_id in enumerate(declared.reference or []):
            if entry_id not in ctx.folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"The reference entry '{entry_id}' does not exist (no "
                    f"entries/{entry_id}.md); check the spelling."),
                    (*where, "reference", position))
        if declared.reference is not None and index == len(settings.rounds) - 1:
            yield doc.finding("bad-round", (
                f"The round '{declared.id}' is a calibration exercise (it has reference "
                "entries), which never counts, so it cannot be the last round: put it before "
                "the rounds that judge the entries."), (*where, "reference"), at_key=True)
        if declared.method == "ranked":
            for key in ("rubric", "threshold", "shortlist_size", "reference"):
                if getattr(declared, key) is not None:
                    yield doc.finding("bad-round", (
                        f"The round '{declared.id}' is ranked, so it has no {key}: judges "
                        "rank its finalists rather than score them. Remove it, or make the "
                        "round method: rubric."), (*where, key), at_key=True)
        elif declared.rubric is not None and declared.rubric.scale.min >= declared.rubric.scale.max:
            scale = declared.rubric.scale
            yield doc.finding("bad-scale", (
                f"The rubric scale of the round '{declared.id}' runs from {scale.min} to "
                f"{scale.max}; min must be below max."), (*where, "rubric", "scale"))
        previous = declared


def _folders(ctx: Context) -> Iterator[Finding]:
    """Round folders the programme has no round for: qsi ignores their files."""
    folders = {rnd.folder for rnd in ctx.rounds}
    found = [f"rounds/{name}/scores" for name in ctx.folder.round_sheets]
    found += [f"rounds/{name}/ballots" for name in ctx.folder.ballots]
    for path in sorted(found):
        if path not in folders:
            yield finding(path, None, None, "stray-file", (
                f"{path} belongs to no round of the programme ({_rounds(ctx)}), so qsi ignores "
                "it; rename or remove it, or add the round to programme.yaml."))
    if "scores" not in folders and ctx.folder.sheets:
        yield finding("scores", None, None, "stray-file", (
            f"scores/ belongs to no round of the programme: its first round is ranked, so "
            f"its ballots are in {ctx.rounds[0].folder}/, and qsi ignores scores/."))


def _rounds(ctx: Context) -> str:
    if ctx.settings is None or ctx.settings.rounds is None:
        return "it has no rounds: in programme.yaml"
    return "rounds: " + ", ".join(f"{r.id} ({r.method})" for r in ctx.rounds)


def _owner(ctx: Context, rnd: Round, judge_id: str, doc: Doc, named: str | None
           ) -> Iterator[Finding]:
    """The judge a round's file belongs to: known, named alike, on the panel."""
    folder = ctx.folder
    if rnd.folder != "scores":  # scores/ is checked with the other references
        if folder.judge_ids and judge_id not in folder.judge_ids:
            yield doc.finding("unknown-judge", (
                f"There is no judge '{judge_id}' in judges.yaml, so this file belongs to "
                "nobody; add the judge or rename the file."), ("judge",), at_key=True)
            return
        if named is not None and named != judge_id:
            yield doc.finding("judge-mismatch", (
                f"This file says judge: {named}, but its file name says {judge_id}; change one "
                "so that they match."), ("judge",))
    if not rnd.on_panel(judge_id) and judge_id in folder.judge_ids:
        yield doc.finding("not-on-panel", (
            f"Judge {judge_id} is not on the panel of the round '{rnd.id}' (programme.yaml "
            f"rounds: judges), so this file does not count; add them to the panel, or remove "
            "the file."), ("judge",), at_key=True)


def _sheet_files(ctx: Context, rnd: Round, sheets: dict[str, Sheet]) -> Iterator[Finding]:
    entrants = ctx.entrants(rnd)
    for judge_id, sheet in sheets.items():
        yield from _owner(ctx, rnd, judge_id, sheet.doc, sheet.named)
        if rnd.folder == "scores" and not ctx.references:
            continue  # the first round judges every entry (references checks them)
        for entry_id in sheet.judgements:
            if entry_id not in ctx.folder.entry_ids:
                if rnd.folder != "scores":
                    yield sheet.doc.finding("unknown-entry", (
                        f"The entry '{entry_id}' does not exist (no entries/{entry_id}.md); "
                        "check the spelling."), ("scores", entry_id), at_key=True)
            elif entry_id not in entrants and entry_id in ctx.folder.entries \
                    and ctx.folder.entries[entry_id].front.left is None and ctx.settled(rnd):
                why = ("it is not one of the exercise's reference entries" if rnd.calibration
                       else "it is a reference entry of a calibration exercise"
                       if entry_id in ctx.references else
                       f"it is not on the shortlist of the round before "
                       f"({_shortlist_hint(rnd)})")
                yield sheet.doc.finding("not-a-finalist", (
                    f"'{entry_id}' is not judged in the round '{rnd.id}': {why}; remove it."),
                    ("scores", entry_id), at_key=True)


def _shortlist_hint(rnd: Round) -> str:
    return f"see 'qsi tally --round' for the round before '{rnd.id}'"


def _ballot_files(ctx: Context, rnd: Round, prog: Programme) -> Iterator[Finding]:
    folder = ctx.folder
    entrants = ctx.entrants(rnd)
    say: dict[str, int] = dict.fromkeys(entrants, 0)
    progress = ctx.focused(rnd)  # warn about how far judging has got in this round only
    as_written = folder.ballots.get(rnd.id, {})
    for judge_id, sheet in prog.ballots(rnd).items():
        doc = sheet.doc
        yield from _owner(ctx, rnd, judge_id, doc, sheet.named)
        judge = folder.judges.get(judge_id)
        counts = judge is not None and rnd.on_panel(judge_id)
        for category, ballot in sheet.ballots.items():
            where: tuple[str | int, ...] = ("ballots", category)
            if folder.category_ids and category not in folder.category_ids:
                yield doc.finding("unknown-category", (
                    f"The category '{category}' does not exist; use one of "
                    f"{', '.join(sorted(folder.category_ids))}."), where, at_key=True)
                continue
            if judge is not None and judge.categories is not None \
                    and category not in judge.categories:
                yield doc.finding("outside-categories", (
                    f"'{category}' is not one of {judge_id}'s categories "
                    f"({', '.join(judge.categories) or 'none'})."), where, at_key=True)
            written = as_written[judge_id].ballots[category]
            for name in written.conflicts:
                if prog.entry_of(name) not in folder.entry_ids:
                    yield doc.finding("unknown-entry", _no_entry(name),
                                      (*where, "conflicts", name), at_key=True)
            finalists = [e for e, front in entrants.items() if front.category == category]
            if counts:
                for entry_id in finalists:
                    if _conflict(ctx, judge_id, entry_id, ballot.conflicts) is None:
                        say[entry_id] += 1
            if ballot.ranking is None:
                if counts and progress:
                    yield doc.finding("pending-judgement", (
                        f"The ballot for '{category}' is not ranked yet: write its finalists, "
                        f"best first, under ranking ({', '.join(sorted(finalists))})."),
                        (*where, "ranking"), at_key=True)
                continue
            yield from _ranking(ctx, rnd, judge_id, doc, category, written, ballot, entrants)
    in_round = f" in the round '{rnd.id}'"
    for entry_id in sorted(entrants) if progress else ():
        if say[entry_id] < rnd.judges_per_entry and entry_id in folder.entries:
            count = say[entry_id]
            yield finding(folder.entries[entry_id].path, 1, None, "too-few-judges", (
                f"'{entry_id}' has {count} judge{'s' if count != 1 else ''} of the "
                f"{rnd.judges_per_entry} it needs{in_round}; run 'qsi assign --round {rnd.id}' "
                "to give it more."))


def _conflict(ctx: Context, judge_id: str, entry_id: str, declared: dict[str, str]
              ) -> str | None:
    if entry_id in declared:
        return "they declared a conflict with it in this ballot"
    entry = ctx.folder.entries.get(entry_id)
    if entry is None:
        return None
    return ctx.conflicts.reason(judge_id, entry_id, entry.front.organisation)


def _no_entry(name: str) -> str:
    """What to say of a finalist a ballot names that is no entry: `name` as written."""
    if _REFERENCE.match(name):
        return (f"'{name}' is not the reference of any entry; check it against the "
                "finalists' references in your judge pack, and correct it.")
    return f"The entry '{name}' does not exist (no entries/{name}.md); check the spelling."


def _names(category: str, index: int, place: str | list[str]
           ) -> list[tuple[tuple[str | int, ...], str]]:
    """The finalists at one place of a ranking, each with its location in the file."""
    if isinstance(place, str):
        return [(("ballots", category, "ranking", index), place)]
    return [(("ballots", category, "ranking", index, inner), name)
            for inner, name in enumerate(place)]


def _ranking(ctx: Context, rnd: Round, judge_id: str, doc: Doc, category: str,
             written: Ballot, ballot: Ballot, entrants: dict[str, Any]) -> Iterator[Finding]:
    """The ranking of one ballot: `written` as the file has it, `ballot` as read (each
    finalist by entry ID, place for place)."""
    folder = ctx.folder
    seen: dict[str, str] = {}  # entry ID -> how the ranking first named it
    for index, (place, read) in enumerate(zip(written.ranking or [], ballot.ranking or [],
                                              strict=True)):
        for (loc, name), (_, entry_id) in zip(_names(category, index, place),
                                              _names(category, index, read), strict=True):
            if entry_id in seen:
                also = f" (as '{seen[entry_id]}' too: the same finalist)" \
                    if seen[entry_id] != name else ""
                yield doc.finding("ranked-twice", (
                    f"'{name}' is ranked twice in the ballot for '{category}'{also}; an entry "
                    "has one place, so remove one (equal places are written as a list, "
                    "[a, b])."), loc)
                continue
            seen[entry_id] = name
            if entry_id not in folder.entry_ids:
                yield doc.finding("unknown-entry", _no_entry(name), loc)
                continue
            entry = folder.entries.get(entry_id)
            why = None
            if entry is not None and entry.front.category != category:
                why = f"it is in '{entry.front.category}'"
            elif entry_id not in entrants and ctx.settled(rnd):
                why = "it is not on the shortlist of the round before"
            if why is not None:
                todo = ("check it against your judge pack" if name != entry_id
                        else "remove it")
                yield doc.finding("not-a-finalist", (
                    f"'{name}' is not a finalist of '{category}' in the round '{rnd.id}' "
                    f"({why}); {todo}: a ballot ranks only its category's finalists."), loc)
                continue
            reason = _conflict(ctx, judge_id, entry_id, ballot.conflicts)
            if reason is not None:
                yield doc.finding("conflicted-ranking", (
                    f"Judge {judge_id} may not rank '{name}': {reason}. Remove it from "
                    "the ranking: a conflicted judge has no say on its pairs."), loc)


def _decisions(ctx: Context, doc: Doc) -> Iterator[Finding]:
    if not ctx.rounds:
        return
    by_id = {rnd.id: rnd for rnd in ctx.rounds}
    last = ctx.rounds[-1]
    folder = ctx.folder
    for index, decision in folder.decisions:
        rnd = by_id.get(decision.round or last.id)
        if rnd is None:
            yield doc.finding("bad-decision", (
                f"The decision is for the round '{decision.round}', which the programme does "
                f"not have ({_rounds(ctx)})."), ("decisions", index, "round"))
            continue
        if decision.shortlist is not None and rnd.last:
            yield doc.finding("bad-decision", (
                f"The round '{rnd.id}' is the last, which makes the awards, so a decision for "
                "it names a winner and highly commended entries, not a shortlist."),
                ("decisions", index, "shortlist"), at_key=True)
        if not rnd.last and (decision.winner is not None or decision.highly_commended):
            yield doc.finding("bad-decision", (
                f"The round '{rnd.id}' is not the last, so it makes no awards: a decision for "
                "it gives its shortlist (shortlist: [...])."), ("decisions", index, "round"))
        for position, entry_id in enumerate(decision.shortlist or []):
            loc = ("decisions", index, "shortlist", position)
            if entry_id not in folder.entry_ids:
                yield doc.finding("unknown-entry", (
                    f"The decision names the entry '{entry_id}', but there is no "
                    f"entries/{entry_id}.md."), loc)
                continue
            entry = folder.entries.get(entry_id)
            if entry is not None and entry.front.category != decision.category:
                yield doc.finding("wrong-category", (
                    f"'{entry_id}' is in the category '{entry.front.category}', not "
                    f"'{decision.category}', so it cannot be shortlisted here."), loc)
