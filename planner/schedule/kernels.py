"""The compiled inner loops of the scheduler (numba): placing units, processing orders and
the priority-list search, plus the one objective every schedule is judged on.

Every kernel takes the problem's arrays as one :class:`Arrays` structure (a named tuple, which
numba compiles like a C struct), so a rule added to the problem is added in one place.

A unit placed at month ``t`` with length ``L`` runs in months ``t .. t + L - 1`` and goes live
in its last month. For every month it runs, each team's demand (its steady demand, plus its
*tail* demand in the last ``tail_months`` months: the clinical safety case) fits the team's
remaining capacity, and the project cap holds; its cost, split into capital and revenue and
spread by its spend profile, fits each financial year's capital and revenue budgets; its
go-live month is not frozen, holds fewer than ``golive_limit`` go-lives in its organisation
(a decommissioning is not a go-live), and keeps its
spacing groups' gaps (clinical go-lives in one department or through one engine, major
go-lives in one organisation); it starts after its predecessors go live and after its
approval, and goes live no earlier than its contract allows and no later than its deadline.
A unit that fits no start before the horizon for want of money is stretched (same cost over
more months, up to ``max_stretch`` times its length). A unit that absorbs others (``ties``)
is only placed where each of them can be decommissioned within ``tie_window`` months of its
go-live; they are placed with it.

Status codes of a unit after placement: :data:`PLACED`, :data:`NO_ROOM` (fits nowhere
before the horizon), :data:`WAITS` (a prerequisite is not placed), :data:`IMPOSSIBLE` (in a
cycle of explicit constraints), :data:`UNREACHED` (never processed). Reason codes of a
rejected start (the trace): see :data:`HELD_BY`.

Why one module of this size: numba compiles these functions together (each calls the
others), and the rules they enforce must be read side by side to see that placing, checking
and taking back a unit agree.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = [
    "HELD_BY",
    "IMPOSSIBLE",
    "NO_ROOM",
    "PLACED",
    "PROFILES",
    "UNREACHED",
    "WAITS",
    "Arrays",
    "State",
    "month_share",
    "month_spend",
    "new_state",
    "objective",
    "place",
    "processing_order",
    "sampled_order",
    "search",
    "start_needs",
    "year_spend",
]

UNREACHED, PLACED, NO_ROOM, WAITS, IMPOSSIBLE = 0, 1, 2, 3, 4
#: Spend profiles by code; ``custom`` follows the unit's shares by project year.
PROFILES = ("flat", "front-loaded", "back-loaded", "S-curve", "custom")
FLAT, FRONT, BACK, S_CURVE, CUSTOM = 0, 1, 2, 3, 4
#: Why a start was rejected, by code (the trace's ``code``; ``detail`` says which team, year,
#: group or month).
HELD_BY = (
    "",
    "change freeze",
    "team capacity",
    "project cap",
    "capital budget",
    "revenue budget",
    "go-live limit",
    "go-live spacing",
    "decommissioning window",
    "contract deadline",
)
FREEZE, TEAM, CAP, CAPITAL, REVENUE, GOLIVES, SPACING, WINDOW, DEADLINE = range(1, 10)
EPS = 1e-6


class Arrays(NamedTuple):
    """What the kernels read of a problem, over units ``0..n-1``."""

    lengths: np.ndarray  # whole months
    costs: np.ndarray  # total cost
    capital_share: np.ndarray  # of the cost, the rest is revenue
    profile: np.ndarray  # spend profile code (PROFILES)
    year_shares: np.ndarray  # unit x project year: the custom profile's shares
    contract_month: np.ndarray  # go-live no earlier than this month
    deadline: np.ndarray  # go-live no later than this month (large when none)
    approval_month: np.ndarray  # start no earlier than this month
    demands: np.ndarray  # unit x team, FTE a month while it runs
    tail_demands: np.ndarray  # unit x team, FTE a month in its last tail_months months
    tail_months: np.ndarray  # per unit
    capacity: np.ndarray  # per team
    cap_running: int  # projects running at once, -1 for no cap
    capital_budget: np.ndarray  # per financial year (inf: no limit)
    revenue_budget: np.ndarray  # per financial year (inf: no limit)
    fy_index: np.ndarray  # per month: its financial year
    fy_next: np.ndarray  # per month: the first month of the next financial year
    frozen: np.ndarray  # no go-live in these months
    thaw: np.ndarray  # per month: the first month from it that is not frozen (horizon: none)
    is_go_live: np.ndarray  # per unit: its end is a go-live (not a decommissioning)
    org: np.ndarray  # per unit: its organisation (0..), for the go-live limit
    golive_limit: int  # go-lives in one month in one organisation, -1 for no limit
    group_indptr: np.ndarray  # unit -> its spacing groups
    group_indices: np.ndarray
    group_gap: np.ndarray  # per group: months between go-lives
    pred_indptr: np.ndarray
    pred_indices: np.ndarray
    succ_indptr: np.ndarray
    succ_indices: np.ndarray
    tie_indptr: np.ndarray  # unit -> the units it absorbs (decommissioned with it)
    tie_indices: np.ndarray
    tie_window: int  # months after the go-live to decommission them in
    impossible: np.ndarray  # units in a cycle of explicit constraints
    max_stretch: float  # a unit may be stretched to this many times its length for money


class State(NamedTuple):
    """What placing units uses up, month by month (updated in place)."""

    usage: np.ndarray  # team x month
    running: np.ndarray  # projects per month
    capital: np.ndarray  # spent per financial year
    revenue: np.ndarray
    golives: np.ndarray  # organisation x month (int32: counts, half the memory at scale)
    group_golives: np.ndarray  # group x month (int32)


def new_state(arrays: Arrays, groups: int) -> State:
    """Empty profiles for placing the problem's units."""
    teams, horizon = len(arrays.capacity), len(arrays.frozen)
    years = len(arrays.capital_budget)
    organisations = int(arrays.org.max()) + 1 if len(arrays.org) else 1
    return State(
        np.zeros((teams, horizon)),
        np.zeros(horizon, dtype=np.int64),
        np.zeros(years),
        np.zeros(years),
        np.zeros((organisations, horizon), dtype=np.int32),
        np.zeros((max(groups, 1), horizon), dtype=np.int32),
    )


@njit(cache=True)
def month_share(profile, shares, k, length):  # pragma: no cover - jit
    """The share of a unit's cost spent in its project month ``k`` of ``length``.

    Flat spends evenly; front-loaded falls linearly; back-loaded rises linearly; S-curve
    follows a half sine (slow, fast, slow); custom spreads each project year's share over its
    months (years the project no longer reaches pass their share to the ones it does).
    """
    if profile == FLAT:
        return 1.0 / length
    if profile == FRONT:
        return (length - k) / (length * (length + 1) / 2.0)
    if profile == BACK:
        return (k + 1) / (length * (length + 1) / 2.0)
    if profile == S_CURVE:
        return np.sin(np.pi * (k + 0.5) / length) * np.sin(np.pi / (2.0 * length))
    years = len(shares)
    last = years - 1
    while last > 0 and shares[last] <= 0.0:
        last -= 1
    covered = 0.0
    for y in range(last + 1):
        if 12 * y < length:
            covered += shares[y]
    if covered <= 0.0:
        return 1.0 / length
    year = min(k // 12, last)
    months = min(12, length - 12 * year) if year < last else length - 12 * last
    return shares[year] / months / covered


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
def chunk_share(profile, shares, lo, hi, length):  # pragma: no cover - jit
    """The share of a unit's cost spent in its project months ``lo .. hi - 1`` of
    ``length``: :func:`month_share` summed, in closed form but for a custom profile.

    Front-loaded and back-loaded are arithmetic series; the S-curve's half-sine terms
    telescope to ``(cos(pi lo / L) - cos(pi hi / L)) / 2``.
    """
    if profile == FLAT:
        return (hi - lo) / length
    triangle = length * (length + 1) / 2.0
    if profile == FRONT:
        return ((hi - lo) * length - (lo + hi - 1) * (hi - lo) / 2.0) / triangle
    if profile == BACK:
        return (hi - lo) * (lo + hi + 1) / 2.0 / triangle
    if profile == S_CURVE:
        return (np.cos(np.pi * lo / length) - np.cos(np.pi * hi / length)) / 2.0
    total = 0.0
    for k in range(lo, hi):
        total += month_share(profile, shares, k, length)
    return total


@njit(cache=True, inline="always")
def _quick(i, t, length, a, s):  # pragma: no cover - jit
    """The rules on the go-live month alone (deadline, freeze, go-live limit, spacing):
    ``(next t to try, code, detail)``, ``next`` being ``t`` when none holds it and -1 when no
    later start can fit. Each skips straight to the first start that could satisfy it."""
    horizon = len(a.frozen)
    last = t + length - 1
    if last > a.deadline[i]:
        return -1, DEADLINE, a.deadline[i]
    if a.frozen[last]:  # the next start whose go-live month is not frozen
        return a.thaw[last] - length + 1, FREEZE, last
    if a.golive_limit >= 0 and a.is_go_live[i] and s.golives[a.org[i], last] >= a.golive_limit:
        month = last + 1  # the next month with room for a go-live
        while month < horizon and s.golives[a.org[i], month] >= a.golive_limit:
            month += 1
        return month - length + 1, GOLIVES, last
    for k in range(a.group_indptr[i], a.group_indptr[i + 1]):
        group = a.group_indices[k]
        gap = a.group_gap[group]
        lo, hi = max(0, last - gap + 1), min(horizon - 1, last + gap - 1)
        for month in range(hi, lo - 1, -1):  # the latest go-live too close: go past it
            if s.group_golives[group, month] > 0:
                return month + gap - length + 1, SPACING, group
    return t, 0, 0


@njit(cache=True)
def _check(i, t, length, a, s):  # pragma: no cover - jit
    """Whether unit ``i``, its go-live month clear (:func:`_quick`), fits at start ``t``
    with ``length``: teams, the project cap, capital and revenue. Returns ``(next t to try,
    code, detail, need, free)``; ``next`` is ``t`` when it fits."""
    end = t + length
    last = end - 1
    # teams: a clash in month m rules out every start up to m (or, for the tail's extra
    # demand alone, every start that keeps m in the tail)
    jump = t
    code, detail, need_at, free_at = 0, 0, 0.0, 0.0
    tail_from = end - a.tail_months[i]
    for team in range(a.demands.shape[1]):
        base = a.demands[i, team]
        extra = a.tail_demands[i, team]
        if base <= 0.0 and extra <= 0.0:
            continue
        for month in range(last, t - 1, -1):
            need = base + (extra if month >= tail_from else 0.0)
            free = a.capacity[team] - s.usage[team, month]
            if need > free + EPS:
                # the steady demand alone clashes: no start keeping this month; the tail's
                # extra alone: no start keeping it in the tail
                target = month + 1 if base > free + EPS else month - length + a.tail_months[i] + 1
                if target > jump:
                    jump, code, detail, need_at, free_at = target, TEAM, team, need, free
                break
    if a.cap_running >= 0:
        for month in range(last, t - 1, -1):
            if s.running[month] >= a.cap_running:
                if month + 1 > jump:
                    jump, code, detail = month + 1, CAP, month
                    need_at, free_at = 1.0, 0.0
                break
    if jump > t:
        return jump, code, detail, need_at, free_at
    cost = a.costs[i]
    if cost > 0.0:
        share = a.capital_share[i]
        month = t
        while month < end:  # one financial year at a time
            year = a.fy_index[month]
            upto = min(end, a.fy_next[month])
            part = cost * chunk_share(a.profile[i], a.year_shares[i], month - t, upto - t, length)
            need = part * share
            if need > 0.0:
                free = a.capital_budget[year] - s.capital[year]
                if need > free + EPS:
                    return t + 1, CAPITAL, year, need, free
            need = part - need
            if need > 0.0:
                free = a.revenue_budget[year] - s.revenue[year]
                if need > free + EPS:
                    return t + 1, REVENUE, year, need, free
            month = upto
    return t, 0, 0, 0.0, 0.0


@njit(cache=True)
def _commit(i, t, length, a, s, sign):  # pragma: no cover - jit
    """Add (``sign`` 1) or take back (-1) unit ``i`` placed at ``t`` from the profiles."""
    end = t + length
    tail_from = end - a.tail_months[i]
    for team in range(a.demands.shape[1]):
        base = a.demands[i, team]
        extra = a.tail_demands[i, team]
        if base <= 0.0 and extra <= 0.0:
            continue
        for month in range(t, end):
            s.usage[team, month] += sign * (base + (extra if month >= tail_from else 0.0))
    for month in range(t, end):
        s.running[month] += sign
    cost = a.costs[i]
    share = a.capital_share[i]
    if cost > 0.0:
        month = t
        while month < end:  # one financial year at a time
            upto = min(end, a.fy_next[month])
            part = (
                sign
                * cost
                * chunk_share(a.profile[i], a.year_shares[i], month - t, upto - t, length)
            )
            s.capital[a.fy_index[month]] += part * share
            s.revenue[a.fy_index[month]] += part * (1.0 - share)
            month = upto
    if a.is_go_live[i]:
        s.golives[a.org[i], end - 1] += sign
    for k in range(a.group_indptr[i], a.group_indptr[i + 1]):
        s.group_golives[a.group_indices[k], end - 1] += sign


@njit(cache=True)
def _ready(i, a, status, start_at, lengths, ignore):  # pragma: no cover - jit
    """When unit ``i``'s prerequisites allow it to start: ``(earliest, source, blocked)``;
    ``blocked`` is the first unplaced prerequisite (other than ``ignore``), -1 if none."""
    earliest = 0
    source = -1
    for k in range(a.pred_indptr[i], a.pred_indptr[i + 1]):
        p = a.pred_indices[k]
        if p == ignore:
            continue
        if status[p] != PLACED:
            return 0, -1, p
        ready = start_at[p] + lengths[p]
        if ready > earliest:
            earliest = ready
            source = p
    return earliest, source, -1


@njit(cache=True)
def _first_fit(i, lo, hi, length, a, s, trace, log):  # pragma: no cover - jit
    """The first start in ``lo .. hi`` where unit ``i`` fits (-1 if none), and whether money
    (a budget) was among what held it. With ``trace``, each rejected range is logged."""
    t = lo
    for_money = False
    horizon = len(a.frozen)
    while t <= hi and t + length <= horizon:
        nxt, code, detail = _quick(i, t, length, a, s)
        need, free = 0.0, 0.0
        if nxt == t:
            nxt, code, detail, need, free = _check(i, t, length, a, s)
        if nxt == t:
            return t, for_money
        if code == CAPITAL or code == REVENUE:  # noqa: SIM109 - numba compiles this form
            for_money = True
        if trace and code > 0:
            _log(log, i, t, (nxt if nxt > 0 else hi + 1) - 1, code, detail, need, free)
        if nxt < 0:
            break
        t = nxt
    return -1, for_money


@njit(cache=True)
def _log(log, unit, first, last, code, detail, need, free):  # pragma: no cover - jit
    count = int(log[0, 0])
    if count + 1 >= log.shape[0]:
        return  # full: the trace keeps what it has
    log[count + 1, 0] = unit
    log[count + 1, 1] = first
    log[count + 1, 2] = last
    log[count + 1, 3] = code
    log[count + 1, 4] = detail
    log[count + 1, 5] = need
    log[count + 1, 6] = free
    log[0, 0] = count + 1


@njit(cache=True)
def place(sequence, a, floor, s, trace, log):  # pragma: no cover - jit
    """Give each unit, in processing order, its earliest feasible start (next-fit search),
    stretching it for money when it fits nowhere, and placing the units it absorbs with it.

    ``s`` (a :class:`State`) is updated in place; with ``trace``, ``log`` (rows of unit, first
    month, last month, code, detail, need, free; row 0 holds the count) records what held
    each unit between its earliest start and its start. Returns ``(start_at, lengths,
    status, root, earliest_at, earliest_from)``: ``root`` is the unplaced unit a waiting unit
    waits on; ``earliest_from`` is what set the earliest start (a prerequisite's position, -2
    a contract, -3 the floor, -4 its approval, -1 the plan start).
    """
    n = len(a.lengths)
    horizon = len(a.frozen)
    start_at = np.full(n, -1, dtype=np.int64)
    lengths = a.lengths.copy()
    status = np.zeros(n, dtype=np.int64)
    root = np.full(n, -1, dtype=np.int64)
    early = np.zeros((2, n), dtype=np.int64)  # earliest start, and what set it
    early[1, :] = -1
    for i in sequence:
        if status[i] == PLACED:
            continue  # placed with the unit that absorbs it
        if a.impossible[i]:
            status[i] = IMPOSSIBLE
            root[i] = i
            continue
        earliest, source, blocked = _ready(i, a, status, start_at, lengths, -1)
        if blocked >= 0:
            status[i] = WAITS
            root[i] = root[blocked] if root[blocked] >= 0 else blocked
            continue
        length = lengths[i]
        contract_start = a.contract_month[i] - length + 1
        if contract_start > earliest:
            earliest = contract_start
            source = -2
        if a.approval_month[i] > earliest:
            earliest = a.approval_month[i]
            source = -4
        if floor[i] > earliest:
            earliest = floor[i]
            source = -3
        early[0, i] = earliest
        early[1, i] = source
        # its own length first; if money held it everywhere, phased: the same cost over a
        # quarter more months at a time, up to max_stretch times its length
        limit = min(int(length * a.max_stretch), horizon)
        trying, start_from = length, earliest
        while True:
            found, for_money = _place_with_ties(
                i,
                start_from,
                trying,
                a,
                s,
                status,
                start_at,
                lengths,
                trace and trying == length,
                log,
                early,
            )
            if found >= 0 or not for_money or a.costs[i] <= 0.0 or trying >= limit:
                break
            trying = min(limit, int(np.ceil(trying * 1.25)))
            start_from = max(earliest, a.contract_month[i] - trying + 1)
        if found < 0:
            status[i] = NO_ROOM
            root[i] = i
    return start_at, lengths, status, root, early[0], early[1]


@njit(cache=True)
def _place_ties(
    i,
    found,
    length,
    a,
    s,
    status,
    start_at,
    lengths,
    placed,
    all_needed,
    trace,
    log,
    early,
):  # pragma: no cover - jit
    """Place the units unit ``i`` (placed at ``found``) absorbs, each at its first start
    that is decommissioned within the window after ``i``'s go-live, in priority order.

    With ``all_needed``, stop at the first that does not fit, take back those placed and
    return -1; otherwise skip it (it is placed later, in its own turn). Returns how many
    were placed (listed in ``placed``). ``early`` (earliest start, and what set it, per
    unit) is filled in for each placed unit."""
    go_live = found + length - 1
    count = 0
    for k in range(a.tie_indptr[i], a.tie_indptr[i + 1]):
        f = a.tie_indices[k]
        if status[f] == PLACED or a.impossible[f]:
            continue
        ready, source, blocked = _ready(f, a, status, start_at, lengths, -1)
        if blocked >= 0:
            continue  # it waits for something else: placed later, in its turn
        lf = lengths[f]
        if found + length >= ready:
            ready, source = found + length, i
        if a.approval_month[f] > ready:
            ready, source = a.approval_month[f], -4
        lo = ready
        hi = go_live + a.tie_window - lf + 1
        spot, _ = _first_fit(f, lo, hi, lf, a, s, trace, log)
        if spot < 0:
            if all_needed:
                for j in range(count):
                    g = placed[j]
                    _commit(g, start_at[g], lengths[g], a, s, -1)
                    start_at[g] = -1
                    status[g] = UNREACHED
                return -1
            continue
        _commit(f, spot, lf, a, s, 1)
        start_at[f] = spot
        status[f] = PLACED
        early[0, f] = lo
        early[1, f] = source
        placed[count] = f
        count += 1
    return count


@njit(cache=True)
def _take_back(i, a, s, status, start_at, lengths):  # pragma: no cover - jit
    """Undo placing unit ``i``."""
    _commit(i, start_at[i], lengths[i], a, s, -1)
    start_at[i] = -1
    status[i] = UNREACHED


@njit(cache=True)
def _place_with_ties(
    i,
    earliest,
    length,
    a,
    s,
    status,
    start_at,
    lengths,
    trace,
    log,
    early,
):  # pragma: no cover - jit
    """Place unit ``i`` at its first feasible start from ``earliest``; if it absorbs other
    units, at the first start up to ``tie_window`` months later where each of them can be
    decommissioned within the window after its go-live (they are placed with it). Where no
    such start exists it keeps its first start, and the absorbed units that fit the window
    are placed, in priority order; the rest follow in their own turn (the plan warns).
    Returns ``(start, for_money)``."""
    horizon = len(a.frozen)
    ties = a.tie_indptr[i + 1] - a.tie_indptr[i]
    placed = np.empty(max(ties, 1), dtype=np.int64)
    lo, hi = earliest, horizon - length
    first = -1
    for_money = False
    all_needed = ties > 0
    while True:
        t, money = _first_fit(i, lo, hi, length, a, s, trace and first < 0, log)
        if first < 0:
            for_money = money
            if t < 0:
                return -1, for_money
            first = t
            lengths[i] = length
        if t < 0:  # no start within reach keeps every window: its first, and what fits
            t, all_needed = first, False
        _commit(i, t, length, a, s, 1)
        start_at[i] = t
        status[i] = PLACED
        if ties == 0:
            return t, for_money
        mark = log[0, 0]
        count = _place_ties(
            i, t, length, a, s, status, start_at, lengths, placed, all_needed, trace, log, early
        )
        if count >= 0:
            return t, for_money
        # an absorbed unit does not fit: take it back (and what the trace said of them), and
        # try a later start of i, up to the window's length after its first
        log[0, 0] = mark
        _take_back(i, a, s, status, start_at, lengths)
        if trace:
            _log(log, i, t, t, WINDOW, 0, 0.0, 0.0)
        lo, hi = t + 1, min(first + a.tie_window, horizon - length)


@njit(cache=True)
def year_spend(a, start_at, lengths):  # pragma: no cover - jit
    """Capital and revenue each placed unit spends in each financial year (units x years)."""
    n, years = len(a.lengths), len(a.capital_budget)
    capital = np.zeros((n, years))
    revenue = np.zeros((n, years))
    for i in range(n):
        if start_at[i] < 0:
            continue
        share = a.capital_share[i]
        for k in range(lengths[i]):
            year = a.fy_index[start_at[i] + k]
            part = a.costs[i] * month_share(a.profile[i], a.year_shares[i], k, lengths[i])
            capital[i, year] += part * share
            revenue[i, year] += part * (1.0 - share)
    return capital, revenue


@njit(cache=True)
def month_spend(a, start_at, lengths):  # pragma: no cover - jit
    """Capital and revenue the placed units spend in each month (two arrays over months)."""
    horizon = len(a.frozen)
    capital = np.zeros(horizon)
    revenue = np.zeros(horizon)
    for i in range(len(a.lengths)):
        if start_at[i] < 0 or a.costs[i] <= 0.0:
            continue
        share = a.capital_share[i]
        for k in range(lengths[i]):
            part = a.costs[i] * month_share(a.profile[i], a.year_shares[i], k, lengths[i])
            capital[start_at[i] + k] += part * share
            revenue[start_at[i] + k] += part * (1.0 - share)
    return capital, revenue


@njit(cache=True)
def start_needs(a, i, length):  # pragma: no cover - jit
    """What unit ``i`` would spend in each financial year from each start month, alone:
    capital and revenue, starts x years (a start that runs past the horizon spends nothing)."""
    horizon, years = len(a.frozen), len(a.capital_budget)
    starts = max(horizon - length + 1, 0)
    capital = np.zeros((starts, years))
    revenue = np.zeros((starts, years))
    share = a.capital_share[i]
    for t in range(starts):
        for k in range(length):
            year = a.fy_index[t + k]
            part = a.costs[i] * month_share(a.profile[i], a.year_shares[i], k, length)
            capital[t, year] += part * share
            revenue[t, year] += part * (1.0 - share)
    return capital, revenue


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
def _reset(s):  # pragma: no cover - jit
    s.usage[:] = 0.0
    s.running[:] = 0
    s.capital[:] = 0.0
    s.revenue[:] = 0.0
    s.golives[:] = 0
    s.group_golives[:] = 0


@njit(cache=True)
def search(
    passes, seed, makespan_weight, position, lft_position, weights, a, s
):  # pragma: no cover
    """Place ``passes`` processing orders and return the best one and its pass number.

    Pass 0 follows ``position`` (priority), pass 1 ``lft_position`` (latest finish); the
    rest are regret-biased samples of the two, alternately. ``s`` is scratch space.
    """
    np.random.seed(seed)
    n = len(a.lengths)
    horizon = len(a.frozen)
    waiting = np.zeros(n, dtype=np.int64)
    for i in range(n):
        waiting[i] = a.pred_indptr[i + 1] - a.pred_indptr[i]
    floor = np.full(n, -1, dtype=np.int64)
    log = np.zeros((1, 7))
    succ_indptr, succ_indices = a.succ_indptr, a.succ_indices
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
        _reset(s)
        start_at, lengths, status, _, _, _ = place(sequence, a, floor, s, False, log)
        missing, _, _, _, value = objective(
            weights, start_at, status, lengths, horizon, makespan_weight
        )
        if missing < best_missing or (missing == best_missing and value < best_value - 1e-9):
            best, best_pass, best_missing, best_value = sequence, p, missing, value
    return best, best_pass
