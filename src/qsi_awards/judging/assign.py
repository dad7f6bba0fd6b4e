"""Assignment of judges to entries (SPEC §4): a min-cost flow. Pure, no I/O.

source ─(needed)─▶ entry ─(1, small seeded cost)─▶ judge ═(k-th extra entry)═▶ sink.
Each judge has one arc to the sink per extra entry they could take; the k-th costs
(load + k)² − (load + k − 1)², so the cost is convex in the load and the cheapest flow
spreads entries as evenly as the constraints allow (never a conflicted judge, never
one outside their categories, never one who already has the entry). The seeded costs
only choose between plans of equal balance: they are scaled so that they can never
outweigh one unit of balance.

The flow is solved by OR-Tools' SimpleMinCostFlow (compiled; networkx's pure-Python
network simplex took 70 s for 1,000 entries and 100 judges), first with each entry's few
cheapest judges only (an eighth of the arcs at national scale); `_solve` says
why that gives the very plan the whole graph gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import QsiError
from ..model import EntryFile, Judge
from ..names import name_key
from .conflicts import ConflictIndex

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

JITTER_BITS = 20
JITTER = 1 << JITTER_BITS
SPARE = 4  # the first graph gives each entry SPARE times as many judges as it needs
_COST_LIMIT = 1 << 62  # OR-Tools multiplies costs by the node count: keep inside int64


def _key(seed: int, kind: str, name: str) -> int:
    digest = hashlib.blake2b(f"{seed}\0{kind}\0{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _mix(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64's finaliser, element-wise and in place (a million pairs are 8 MB a
    copy): every bit of a result depends on every bit of its value."""
    import numpy as np

    values ^= values >> np.uint64(30)
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def jitter(seed: int, entry_ids: list[str], judge_ids: list[str]) -> NDArray[np.int64]:
    """The small seeded cost of giving each entry to each judge (entries × judges, each
    in [0, JITTER)). A cost depends on its pair alone (not on what else is being
    planned), so the remainder of an optimal plan is optimal for what remains: an
    interrupted `qsi assign` finishes, on a re-run, with the very plan an uninterrupted
    run writes."""
    import numpy as np

    entries = np.array([_key(seed, "entry", e) for e in entry_ids], dtype=np.uint64)
    judges = _mix(np.array([_key(seed, "judge", j) for j in judge_ids], dtype=np.uint64))
    mixed = _mix(entries[:, None] ^ judges[None, :])
    mixed >>= np.uint64(64 - JITTER_BITS)
    return mixed.view(np.int64)  # below 2**JITTER_BITS: the same numbers


@dataclass
class Plan:
    added: dict[str, list[str]] = field(default_factory=dict)  # judge -> new entries, sorted
    short: dict[str, str] = field(default_factory=dict)  # entry -> why it cannot be covered
    loads_before: dict[str, int] = field(default_factory=dict)
    loads_after: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.added.values())


def plan(
    entries: Mapping[str, EntryFile],
    judges: Mapping[str, Judge],
    existing: Mapping[str, Mapping[str, bool]],
    judges_per_entry: int,
    seed: int = 0,
) -> Plan:
    """Plan the stubs to add. `existing` maps judge -> {entry: recused?} as the score
    sheets stand; existing assignments are kept and count towards judges_per_entry
    unless the judge recused or is conflicted.

    Entries × judges are handled as numpy matrices (10,000 × 100 is a million pairs)."""
    import numpy as np

    result = Plan()
    entry_ids = sorted(entries)
    judge_ids = sorted(judges)
    for judge_id in judge_ids:
        result.loads_before[judge_id] = sum(
            1 for recused in existing.get(judge_id, {}).values() if not recused)
    entry_at = {entry_id: e for e, entry_id in enumerate(entry_ids)}
    shape = (len(entry_ids), len(judge_ids))

    # conflicted[e, j]: by organisation (the judge's own and those declared), or by entry
    organisations: dict[str, int] = {}
    entry_org = np.array([organisations.setdefault(
        name_key(entries[e].organisation), len(organisations)) for e in entry_ids],
        dtype=np.int64)
    conflicts = ConflictIndex(judges)
    org_conflict = np.zeros((len(organisations), len(judge_ids)), dtype=bool)
    conflicted = np.zeros(shape, dtype=bool)
    for j, judge_id in enumerate(judge_ids):
        orgs, declared = conflicts.declared(judge_id)
        for org in orgs:
            if org in organisations:
                org_conflict[organisations[org], j] = True
        for entry_id in declared:
            if entry_id in entry_at:
                conflicted[entry_at[entry_id], j] = True
    conflicted |= org_conflict[entry_org]

    # other[e, j]: the judge judges other categories only
    categories: dict[str, int] = {}
    entry_cat = np.array([categories.setdefault(entries[e].category, len(categories))
                          for e in entry_ids], dtype=np.int64)
    cat_ok = np.ones((len(categories), len(judge_ids)), dtype=bool)
    for j, judge_id in enumerate(judge_ids):
        scope = judges[judge_id].categories
        if scope is not None:
            cat_ok[:, j] = False
            for category in scope:
                if category in categories:
                    cat_ok[categories[category], j] = True
    other = ~cat_ok[entry_cat]

    # held[e, j]: already in the judge's sheet; counts[e, j]: held and not recused
    held = np.zeros(shape, dtype=bool)
    counts = np.zeros(shape, dtype=bool)
    for j, judge_id in enumerate(judge_ids):
        for entry_id, recused in existing.get(judge_id, {}).items():
            if entry_id in entry_at:
                held[entry_at[entry_id], j] = True
                counts[entry_at[entry_id], j] = not recused
    counts &= ~conflicted

    candidate = ~held & ~conflicted & ~other
    options = candidate.sum(axis=1)
    missing = np.maximum(0, judges_per_entry - counts.sum(axis=1))
    for e in np.nonzero(missing > options)[0].tolist():
        need, can = int(missing[e]), int(options[e])
        parts = [f"{int(count)} {text}" for text, count in (
            ("conflicted with it", (conflicted[e] & ~held[e]).sum()),
            ("judging other categories only", (other[e] & ~held[e] & ~conflicted[e]).sum()),
            ("already holding it or recused", held[e].sum())) if count]
        result.short[entry_ids[e]] = (
            f"it needs {need} more judge{'s' if need != 1 else ''} but only "
            f"{can} of the {len(judge_ids)} can take it"
            + (f" ({'; '.join(parts)})" if parts else "")
            + "; add judges to judges.yaml or widen their categories")
    if result.short:
        return result

    taken = _solve(missing, candidate, jitter(seed, entry_ids, judge_ids),
                   np.array([result.loads_before[j] for j in judge_ids], dtype=np.int64))
    for j, judge_id in enumerate(judge_ids):
        mine = [entry_ids[e] for e in np.nonzero(taken[:, j])[0].tolist()]
        result.added[judge_id] = mine
        result.loads_after[judge_id] = result.loads_before[judge_id] + len(mine)
    return result


def _unit(demand: int) -> int:
    """The cost of one unit of balance: it outweighs every jitter together."""
    return JITTER * (demand + 1)


def _solve(missing: NDArray[np.int64], candidate: NDArray[np.bool_],
           costs: NDArray[np.int64], before: NDArray[np.int64]) -> NDArray[np.bool_]:
    """The cheapest flow, as taken[e, j]: the one the whole graph (every candidate arc)
    gives, found on a much smaller one where it can be.

    An entry's judges in the cheapest plan are nearly always among its cheapest few, so
    the flow is solved first with each entry's `SPARE` × (judges it needs) cheapest
    candidates only (12 of 100 judges for three: an eighth of the arcs, a quarter of the
    time).
    `_cheapest_cycle` then looks for a cycle of changes in the whole graph that would
    cost less than nothing (the plan is not optimal: solve again with twice as many
    arcs) or exactly nothing (a tie between optimal plans: solve the whole graph, which
    settles it as it always has). With neither, the plan is the only optimum of the
    whole graph, so exactly the plan the whole graph's flow gives. When no entry has
    more candidates than that, the whole graph is solved at once."""

    width = SPARE * int(missing.max(initial=0))
    most = int(candidate[missing > 0].sum(axis=1).max(initial=0))  # an entry's most
    while 0 < width < most:
        taken = _flow(missing, _cheapest(candidate, costs, width), costs, before)
        cycle = _cheapest_cycle(missing, candidate, costs, before, taken)
        if cycle > 0:
            return taken
        if cycle == 0:
            break
        width *= 2
    return _flow(missing, candidate, costs, before)


def _cheapest(candidate: NDArray[np.bool_], costs: NDArray[np.int64], width: int
              ) -> NDArray[np.bool_]:
    """Each entry's `width` cheapest candidates (all of them, when it has fewer)."""
    import numpy as np

    masked = np.where(candidate, costs, np.iinfo(np.int64).max)
    kept = np.zeros_like(candidate)
    np.put_along_axis(kept, np.argpartition(masked, width - 1, axis=1)[:, :width], True,
                      axis=1)
    return kept & candidate


_NONE = 1 << 61  # no arc; every real cost and sum of costs here is far smaller


def _cheapest_cycle(missing: NDArray[np.int64], candidate: NDArray[np.bool_],
                    costs: NDArray[np.int64], before: NDArray[np.int64],
                    taken: NDArray[np.bool_]) -> int:
    """The sign of the cheapest cycle in the whole graph's residual network of the flow
    `taken` (-1, 0, or 1 when there is none or every one costs more than nothing).

    Every such cycle passes through judges: from judge a to judge b through an entry a
    has and b could take (costs[e, b] - costs[e, a]), or through the sink (a takes one
    entry fewer, b one more, at the prices of the convex arcs to the sink). So the
    judges and the sink make a small dense graph, each arc the cheapest way between its
    two nodes, with a cycle costing less than nothing, or exactly nothing, just when the
    residual network has one. Bellman-Ford finds a negative cycle; without one, its
    distances make every arc's reduced cost >= 0, and a cycle costing nothing is a cycle
    of arcs whose reduced cost is 0."""
    import numpy as np

    n = candidate.shape[1]
    needy = np.nonzero(missing)[0]
    has, costs_of = taken[needy], costs[needy]
    free = candidate[needy] & ~has
    arcs = np.full((n + 1, n + 1), _NONE, dtype=np.int64)  # node n is the sink
    for a in range(n):
        rows = np.nonzero(has[:, a])[0]
        if len(rows):
            through = np.where(free[rows], costs_of[rows] - costs_of[rows, a][:, None], _NONE)
            arcs[a, :n] = through.min(axis=0)
    unit = _unit(int(missing.sum()))
    load = before + has.sum(axis=0)
    arcs[:n, n] = unit * (2 * (load + 1) - 1)  # one entry more
    arcs[n, :n] = np.where(has.any(axis=0), -unit * (2 * load - 1), _NONE)  # one fewer
    np.fill_diagonal(arcs, _NONE)
    real = arcs < _NONE
    if int(np.abs(arcs[real]).max(initial=0)) * (n + 3) >= _NONE:
        return 0  # distances could overflow: let the whole graph decide
    distance = np.zeros(n + 1, dtype=np.int64)  # from a node with an arc of 0 to each
    for _ in range(n + 2):
        via = np.where(real, distance[:, None] + arcs, _NONE).min(axis=0)
        shorter = np.minimum(distance, via)
        if np.array_equal(shorter, distance):
            break
        distance = shorter
    else:
        return -1
    # the arcs of reduced cost 0: peel off nodes no such arc enters; a cycle is what stays
    tight = real & (arcs + distance[:, None] - distance[None, :] == 0)
    alive = np.ones(n + 1, dtype=bool)
    while alive.any():
        entered = (tight & alive[:, None]).any(axis=0)
        sources = alive & ~entered
        if not sources.any():
            return 0
        alive &= ~sources
    return 1


def _flow(missing: NDArray[np.int64], candidate: NDArray[np.bool_],
          costs: NDArray[np.int64], before: NDArray[np.int64]) -> NDArray[np.bool_]:
    """The cheapest flow with the arcs of `candidate`, as taken[e, j].

    Nodes: 0 the source, 1 the sink, then the entries that need judges, then the judges.
    A judge's arcs to the sink start capped a little above an even share; a judge who
    fills every arc of their cap (and could take more) gets twice the cap and the flow
    is solved again. A judge with a spare arc would never use a dearer one, so once no
    judge fills their cap the capped optimum is the optimum, and the graph stays small
    (30,000 judgements among 100 judges need about 30,000 sink arcs, not a million)."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    n_judges = candidate.shape[1]
    taken = np.zeros(candidate.shape, dtype=bool)
    demand = int(missing.sum())
    if demand == 0:
        return taken
    unit = _unit(demand)
    needy = np.nonzero(missing)[0]
    pair_e, pair_j = np.nonzero(candidate[needy])  # entry-major: a fixed arc order
    source, sink, first_judge = 0, 1, 2 + len(needy)
    tails = np.concatenate([np.zeros(len(needy), dtype=np.int64), 2 + pair_e])
    heads = np.concatenate([2 + np.arange(len(needy)), first_judge + pair_j])
    capacities = np.concatenate([missing[needy], np.ones(len(pair_e), dtype=np.int64)])
    unit_costs = np.concatenate([np.zeros(len(needy), dtype=np.int64),
                                 costs[needy[pair_e], pair_j]])
    eligible = np.minimum(np.bincount(pair_j, minlength=n_judges), demand)
    share = -(-(int(before.sum()) + demand) // n_judges)  # ceiling of an even share
    caps = np.minimum(eligible, np.maximum(0, share - before) + 2)
    nodes = first_judge + n_judges
    while True:
        # a judge's arcs to the sink: one per extra entry up to the cap, then one
        # overflow arc for the rest at the price of the next one (so the capped flow is
        # always feasible; a judge who needs the overflow gets a wider cap next time)
        judge_of = np.repeat(np.arange(n_judges), caps)
        k = np.arange(len(judge_of)) - np.repeat(np.cumsum(caps) - caps, caps) + 1
        marginal = unit * (2 * (before[judge_of] + k) - 1)
        over = np.nonzero(caps < eligible)[0]
        over_cost = unit * (2 * (before[over] + caps[over] + 1) - 1)
        highest = max(int(marginal.max(initial=0)), int(over_cost.max(initial=0)))
        if highest * (nodes + 1) >= _COST_LIMIT:
            raise QsiError(f"This programme is too large to plan in one go ({demand} "
                           f"judgements to add among {n_judges} judges); assign one category "
                           "at a time, or ask the qsi maintainers to raise the limit.")
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate([tails, first_judge + judge_of, first_judge + over]),
            np.concatenate([heads, np.full(len(judge_of) + len(over), sink)]),
            np.concatenate([capacities, np.ones(len(judge_of), dtype=np.int64),
                            eligible[over] - caps[over]]),
            np.concatenate([unit_costs, marginal, over_cost]))
        flow.set_node_supply(source, demand)
        flow.set_node_supply(sink, -demand)
        status = flow.solve()
        if status != flow.OPTIMAL:  # plan() left every entry enough candidates
            raise QsiError(f"The assignment could not be solved (OR-Tools status {status}); "
                           "please report this to the qsi maintainers.")
        used = flow.flows(np.arange(len(needy), len(needy) + len(pair_e))) > 0
        load = np.bincount(pair_j[used], minlength=n_judges)
        full = (load >= caps) & (caps < eligible)
        if not full.any():
            break
        caps = np.where(full, np.minimum(eligible, 2 * caps), caps)
    taken[needy[pair_e[used]], pair_j[used]] = True
    return taken
