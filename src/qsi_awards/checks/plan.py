"""The plan: the timeline's phases, and the registers (registers/*.yaml).

- unknown-milestone: a milestone whose `after:` names a milestone the timeline does not
  have.
- bad-phase: a milestone that ends (`until:`) before it starts (`date:`), follows
  itself, or starts before a milestone it follows (`after:`) has ended; or a milestone
  with a `kind:` that has an `until:` (a kind marks one day, the one qsi acts on: the
  phase leading to it is a milestone of its own).
- Also, here: duplicate-id (two risks, actions, issues, lessons, logged decisions or
  stakeholders with one ID in their register).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..dates import long_date
from ..findings import Finding
from ..load import PROGRAMME
from ..load.registers import LISTS
from .context import Context
from .references import duplicates


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    settings = ctx.settings
    if settings is not None:
        doc = folder.docs[PROGRAMME]
        by_id = {m.id: m for m in settings.timeline}
        for index, milestone in enumerate(settings.timeline):
            end = milestone.until or milestone.date
            if milestone.kind is not None and milestone.until is not None:
                yield doc.finding("bad-phase", (
                    f"'{milestone.id}' is the {milestone.kind.replace('_', ' ')}, one day, "
                    "so it has no until:; remove it, and give the phase that leads up to it "
                    "a milestone of its own, with after: or until:."),
                    ("timeline", index, "until"))
            elif end < milestone.date:
                yield doc.finding("bad-phase", (
                    f"'{milestone.id}' ends on {long_date(end)}, before it starts on "
                    f"{long_date(milestone.date)}; give an until: date on or after its "
                    "date:."), ("timeline", index, "until"))
            for place, other_id in enumerate(milestone.after):
                where = ("timeline", index, "after", place)
                other = by_id.get(other_id)
                if other_id == milestone.id:
                    yield doc.finding("bad-phase", (
                        f"'{milestone.id}' cannot follow itself; remove it from after:."),
                        where)
                elif other is None:
                    yield doc.finding("unknown-milestone", (
                        f"'{milestone.id}' follows '{other_id}', but the timeline has no "
                        f"milestone '{other_id}'; use one of {', '.join(sorted(by_id))}."),
                        where)
                elif milestone.date < (other.until or other.date):
                    yield doc.finding("bad-phase", (
                        f"'{milestone.id}' starts on {long_date(milestone.date)}, before "
                        f"'{other_id}', which it follows, ends on "
                        f"{long_date(other.until or other.date)}; move one of the dates, "
                        "or take it out of after:."), ("timeline", index, "date"))
    for rel, key in LISTS.items():
        if rel in folder.docs:
            yield from duplicates(folder.docs[rel], (key,), folder.listed.get((rel, key), []),
                                  key.removesuffix("s").replace("decision", "logged decision"))
