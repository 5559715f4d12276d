"""The compiled inner loops of the scheduler (numba): placing units, processing orders and
the priority-list search, plus the one objective every schedule is judged on.

Every kernel takes the problem's arrays as one :class:`Arrays` structure (a named tuple, which
numba compiles like a C struct), so a rule added to the problem is added in one place.
Status codes of a unit after placement: :data:`PLACED`, :data:`NO_ROOM` (fits nowhere
before the horizon), :data:`WAITS` (a prerequisite is not placed), :data:`IMPOSSIBLE` (in a
cycle of explicit constraints), :data:`UNREACHED` (never processed).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = [
    "IMPOSSIBLE",
    "NO_ROOM",
    "PLACED",
    "UNREACHED",
    "WAITS",
    "Arrays",
    "objective",
    "place",
    "processing_order",
    "sampled_order",
    "search",
]

UNREACHED, PLACED, NO_ROOM, WAITS, IMPOSSIBLE = 0, 1, 2, 3, 4


class Arrays(NamedTuple):
    """What the kernels read of a problem, over units ``0..n-1``."""

    lengths: np.ndarray  # whole months
    per_month: np.ndarray  # cost spent each month a unit runs
    contract_month: np.ndarray  # go-live no earlier than this month
    demands: np.ndarray  # unit x team, FTE a month
    capacity: np.ndarray  # per team
    cap_running: int  # projects running at once, -1 for no cap
    budget: np.ndarray  # per financial year
    fy_cumulative: np.ndarray  # (months + 1) x years: months of each year before month t
    frozen: np.ndarray  # no go-live in these months
    pred_indptr: np.ndarray
    pred_indices: np.ndarray
    succ_indptr: np.ndarray
    succ_indices: np.ndarray
    impossible: np.ndarray  # units in a cycle of explicit constraints


@njit(cache=True)
def objective(weights, start_at, status, lengths, horizon, makespan_weight):  # pragma: no cover
    """What a schedule is judged on, in months: ``(1 - w) * risk-weighted mean go-live +
    w * programme length``; an unplaced unit counts as going live after the horizon.

    Returns ``(unscheduled, mean go-live, programme length, risk exposure, objective)``; a
    plan with fewer unscheduled units is better whatever its objective.
    """
    n = len(lengths)
    missing = 0
    weighted = 0.0
    plain = 0.0
    total_weight = 0.0
    makespan = 0
    for i in range(n):
        if status[i] == PLACED:
            go_live = start_at[i] + lengths[i]
            if go_live > makespan:
                makespan = go_live
        else:
            missing += 1
            go_live = horizon + lengths[i]
        weighted += weights[i] * go_live
        plain += go_live
        total_weight += weights[i]
    mean = weighted / total_weight if total_weight > 0 else plain / max(n, 1)
    value = (1.0 - makespan_weight) * mean + makespan_weight * makespan
    return missing, mean, float(makespan), weighted, value


@njit(cache=True)
def place(sequence, arrays, floor, usage, running, spent, spend):  # pragma: no cover - jit
    """Give each unit, in processing order, its earliest feasible start (next-fit search).

    A month in the window where a team (or the project cap) would be over capacity rules out
    every start up to and including that month, so the search jumps past it; a budget or
    freeze clash moves it on by one month. ``usage``, ``running``, ``spent`` and ``spend``
    are updated in place. Returns ``(start_at, status, root, earliest_at, earliest_from)``:
    ``root`` is the unplaced unit a waiting unit waits on; ``earliest_from`` is what set the
    earliest start (a prerequisite's position, -2 a contract, -3 the floor, -1 the start).
    """
    lengths, per_month, demands, capacity = (
        arrays.lengths,
        arrays.per_month,
        arrays.demands,
        arrays.capacity,
    )
    budget, fy_cumulative, frozen = arrays.budget, arrays.fy_cumulative, arrays.frozen
    cap_running = arrays.cap_running
    n = len(lengths)
    teams, horizon = usage.shape
    years = budget.shape[0]
    start_at = np.full(n, -1, dtype=np.int64)
    status = np.zeros(n, dtype=np.int64)
    root = np.full(n, -1, dtype=np.int64)
    earliest_at = np.zeros(n, dtype=np.int64)
    earliest_from = np.full(n, -1, dtype=np.int64)
    for i in sequence:
        if arrays.impossible[i]:
            status[i] = IMPOSSIBLE
            root[i] = i
            continue
        blocked = -1
        earliest = 0
        source = -1
        for k in range(arrays.pred_indptr[i], arrays.pred_indptr[i + 1]):
            p = arrays.pred_indices[k]
            if status[p] != PLACED:
                blocked = p
                break
            ready = start_at[p] + lengths[p]
            if ready > earliest:
                earliest = ready
                source = p
        if blocked >= 0:
            status[i] = WAITS
            root[i] = root[blocked] if root[blocked] >= 0 else blocked
            continue
        length = lengths[i]
        contract_start = arrays.contract_month[i] - length + 1
        if contract_start > earliest:
            earliest = contract_start
            source = -2
        if floor[i] > earliest:
            earliest = floor[i]
            source = -3
        earliest_at[i] = earliest
        earliest_from[i] = source
        cost = per_month[i]
        t = earliest
        found = -1
        while t + length <= horizon:
            end = t + length
            if frozen[end - 1]:
                t += 1
                continue
            clash = -1
            for team in range(teams):
                need = demands[i, team]
                if need > 0.0:
                    limit = capacity[team] - need + 1e-6
                    for month in range(end - 1, t - 1, -1):
                        if usage[team, month] > limit:
                            if month > clash:
                                clash = month
                            break
            if cap_running >= 0:
                for month in range(end - 1, t - 1, -1):
                    if running[month] >= cap_running:
                        if month > clash:
                            clash = month
                        break
            if clash >= 0:
                t = clash + 1
                continue
            over = False
            if cost > 0.0:
                for year in range(years):
                    extra = cost * (fy_cumulative[end, year] - fy_cumulative[t, year])
                    if spent[year] + extra > budget[year] + 1e-6:
                        over = True
                        break
            if over:
                t += 1
                continue
            found = t
            break
        if found < 0:
            status[i] = NO_ROOM
            root[i] = i
            continue
        start_at[i] = found
        status[i] = PLACED
        end = found + length
        for team in range(teams):
            need = demands[i, team]
            if need > 0.0:
                for month in range(found, end):
                    usage[team, month] += need
        for month in range(found, end):
            running[month] += 1
            spend[month] += cost
        for year in range(years):
            spent[year] += cost * (fy_cumulative[end, year] - fy_cumulative[found, year])
    return start_at, status, root, earliest_at, earliest_from


@njit(cache=True)
def _heap_push(heap, size, value):  # pragma: no cover - jit
    """Add ``value`` to the binary min-heap ``heap[:size]``; returns the new size."""
    heap[size] = value
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if heap[parent] <= heap[child]:
            break
        heap[parent], heap[child] = heap[child], heap[parent]
        child = parent
    return size + 1


@njit(cache=True)
def _heap_pop(heap, size):  # pragma: no cover - jit
    """Remove the smallest value of ``heap[:size]``; returns it (the new size is size - 1)."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    parent = 0
    while True:
        left = 2 * parent + 1
        if left >= size:
            break
        smallest = left
        if left + 1 < size and heap[left + 1] < heap[left]:
            smallest = left + 1
        if heap[parent] <= heap[smallest]:
            break
        heap[parent], heap[smallest] = heap[smallest], heap[parent]
        parent = smallest
    return top


@njit(cache=True)
def processing_order(position, waiting, succ_indptr, succ_indices):  # pragma: no cover - jit
    """The order of the serial scheme: always the highest-priority unit whose prerequisites
    have all been processed (a binary heap keyed on priority position)."""
    n = len(position)
    unit_at = np.empty(n, dtype=np.int64)
    for i in range(n):
        unit_at[position[i]] = i
    heap = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        if waiting[i] == 0:
            size = _heap_push(heap, size, position[i])
    sequence = np.empty(n, dtype=np.int64)
    done = 0
    while size > 0:
        unit = unit_at[_heap_pop(heap, size)]
        size -= 1
        sequence[done] = unit
        done += 1
        for k in range(succ_indptr[unit], succ_indptr[unit + 1]):
            nxt = succ_indices[k]
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                size = _heap_push(heap, size, position[nxt])
    return sequence[:done]


@njit(cache=True)
def sampled_order(key, waiting, succ_indptr, succ_indices):  # pragma: no cover - jit
    """A processing order drawn by regret-biased random sampling: among the units whose
    prerequisites are processed, pick one with probability proportional to
    ``max(key) - key + 1`` (smaller key = more urgent)."""
    n = len(key)
    eligible = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        if waiting[i] == 0:
            eligible[size] = i
            size += 1
    sequence = np.empty(n, dtype=np.int64)
    done = 0
    while size > 0:
        top = key[eligible[0]]
        for e in range(1, size):
            if key[eligible[e]] > top:
                top = key[eligible[e]]
        total = 0.0
        for e in range(size):
            total += top - key[eligible[e]] + 1.0
        r = np.random.random() * total
        pick = size - 1
        for e in range(size):
            r -= top - key[eligible[e]] + 1.0
            if r < 0.0:
                pick = e
                break
        unit = eligible[pick]
        size -= 1
        eligible[pick] = eligible[size]
        sequence[done] = unit
        done += 1
        for k in range(succ_indptr[unit], succ_indptr[unit + 1]):
            nxt = succ_indices[k]
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                eligible[size] = nxt
                size += 1
    return sequence[:done]


@njit(cache=True)
def search(
    passes, seed, makespan_weight, position, lft_position, weights, arrays
):  # pragma: no cover
    """Place ``passes`` processing orders and return the best one and its pass number.

    Pass 0 follows ``position`` (priority), pass 1 ``lft_position`` (latest finish); the
    rest are regret-biased samples of the two, alternately.
    """
    np.random.seed(seed)
    n = len(arrays.lengths)
    teams = arrays.demands.shape[1]
    horizon = len(arrays.frozen)
    years = len(arrays.budget)
    waiting = np.zeros(n, dtype=np.int64)
    for i in range(n):
        waiting[i] = arrays.pred_indptr[i + 1] - arrays.pred_indptr[i]
    floor = np.full(n, -1, dtype=np.int64)
    succ_indptr, succ_indices = arrays.succ_indptr, arrays.succ_indices
    best = np.empty(0, dtype=np.int64)
    best_pass = -1
    best_missing = n + 1
    best_value = np.inf
    for p in range(passes):
        if p == 0:
            sequence = processing_order(position, waiting.copy(), succ_indptr, succ_indices)
        elif p == 1:
            sequence = processing_order(lft_position, waiting.copy(), succ_indptr, succ_indices)
        elif p % 2 == 0:
            sequence = sampled_order(position, waiting.copy(), succ_indptr, succ_indices)
        else:
            sequence = sampled_order(lft_position, waiting.copy(), succ_indptr, succ_indices)
        start_at, status, _, _, _ = place(
            sequence,
            arrays,
            floor,
            np.zeros((teams, horizon)),
            np.zeros(horizon, dtype=np.int64),
            np.zeros(years),
            np.zeros(horizon),
        )
        missing, _, _, _, value = objective(
            weights, start_at, status, arrays.lengths, horizon, makespan_weight
        )
        if missing < best_missing or (missing == best_missing and value < best_value - 1e-9):
            best, best_pass, best_missing, best_value = sequence, p, missing, value
    return best, best_pass
