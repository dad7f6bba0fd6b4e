"""Assignment of judges to entries (SPEC §4): a min-cost flow. Pure, no I/O.

source ─(needed)─▶ entry ─(1, small seeded cost)─▶ judge ─▶ unit k ─(cost of the k-th
extra entry)─▶ sink. A judge's k-th extra entry costs (load + k)² − (load + k − 1)²,
so the cost is convex in the load and the cheapest flow spreads entries as evenly as
the constraints allow (never a conflicted judge, never one outside their categories,
never one who already has the entry). The seeded costs only choose between plans of
equal balance: they are scaled so that they can never outweigh one unit of balance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conflicts import ConflictIndex

JITTER = 1 << 20


def jitter(seed: int, entry_id: str, judge_id: str) -> int:
    """The small seeded cost of giving this entry to this judge. It depends on the pair
    alone (not on what else is being planned), so the remainder of an optimal plan is
    optimal for what remains: an interrupted `qsi assign` finishes, on a re-run, with the
    very plan an uninterrupted run writes."""
    digest = hashlib.blake2b(f"{seed}\0{entry_id}\0{judge_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") % JITTER


@dataclass
class Plan:
    added: dict[str, list[str]] = field(default_factory=dict)  # judge -> new entries, sorted
    short: dict[str, str] = field(default_factory=dict)  # entry -> why it cannot be covered
    loads_before: dict[str, int] = field(default_factory=dict)
    loads_after: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.added.values())


def eligible(judge: Mapping[str, Any], entry: Mapping[str, Any], conflicts: ConflictIndex,
             judge_id: str, entry_id: str) -> str | None:
    """None if the judge may judge the entry, else why not."""
    if conflicts.conflicted(judge_id, entry_id, entry["organisation"]):
        return "conflicted"
    allowed = judge.get("categories")
    if allowed is not None and entry["category"] not in allowed:
        return "other categories"
    return None


def plan(
    entries: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    existing: Mapping[str, Mapping[str, bool]],
    judges_per_entry: int,
    seed: int = 0,
) -> Plan:
    """Plan the stubs to add. `existing` maps judge -> {entry: recused?} as the score
    sheets stand; existing assignments are kept and count towards judges_per_entry
    unless the judge recused or is conflicted."""
    import networkx as nx

    conflicts = ConflictIndex(judges)
    result = Plan()
    judge_ids = sorted(judges)
    for judge_id in judge_ids:
        sheet = existing.get(judge_id, {})
        result.loads_before[judge_id] = sum(1 for recused in sheet.values() if not recused)

    needed: dict[str, int] = {}
    candidates: dict[str, list[str]] = {}
    for entry_id in sorted(entries):
        entry = entries[entry_id]
        have = 0
        options = []
        reasons = {"conflicted": 0, "other categories": 0, "already has it": 0}
        for judge_id in judge_ids:
            sheet = existing.get(judge_id, {})
            why = eligible(judges[judge_id], entry, conflicts, judge_id, entry_id)
            if entry_id in sheet:
                if not sheet[entry_id] and why != "conflicted":
                    have += 1
                reasons["already has it"] += 1
            elif why is None:
                options.append(judge_id)
            else:
                reasons[why] += 1
        missing = max(0, judges_per_entry - have)
        if missing > len(options):
            parts = [f"{count} {text}" for text, count in (
                ("conflicted with it", reasons["conflicted"]),
                ("judging other categories only", reasons["other categories"]),
                ("already holding it or recused", reasons["already has it"])) if count]
            result.short[entry_id] = (
                f"it needs {missing} more judge{'s' if missing != 1 else ''} but only "
                f"{len(options)} of the {len(judge_ids)} can take it"
                + (f" ({'; '.join(parts)})" if parts else "")
                + "; add judges to judges.yaml or widen their categories")
        needed[entry_id] = missing
        candidates[entry_id] = options
    if result.short:
        return result

    demand = sum(needed.values())
    if demand == 0:
        result.loads_after = dict(result.loads_before)
        result.added = {j: [] for j in judge_ids}
        return result

    unit = JITTER * (demand + 1)  # one unit of balance outweighs every jitter together
    graph = nx.DiGraph()
    graph.add_node("source", demand=-demand)
    graph.add_node("sink", demand=demand)
    eligible_count: dict[str, int] = {}
    for entry_id, missing in needed.items():
        if missing == 0:
            continue
        graph.add_edge("source", ("e", entry_id), capacity=missing, weight=0)
        for judge_id in candidates[entry_id]:
            graph.add_edge(("e", entry_id), ("j", judge_id), capacity=1,
                           weight=jitter(seed, entry_id, judge_id))
            eligible_count[judge_id] = eligible_count.get(judge_id, 0) + 1
    for judge_id, count in eligible_count.items():
        load = result.loads_before[judge_id]
        for k in range(1, count + 1):
            node = ("u", judge_id, k)
            graph.add_edge(("j", judge_id), node, capacity=1,
                           weight=unit * ((load + k) ** 2 - (load + k - 1) ** 2))
            graph.add_edge(node, "sink", capacity=1, weight=0)
    flow = nx.min_cost_flow(graph)
    added: dict[str, list[str]] = {j: [] for j in judge_ids}
    for entry_id in needed:
        for target, amount in flow.get(("e", entry_id), {}).items():
            if amount:
                added[target[1]].append(entry_id)
    for judge_id in judge_ids:
        added[judge_id].sort()
        result.loads_after[judge_id] = result.loads_before[judge_id] + len(added[judge_id])
    result.added = added
    return result
