"""Diagnostics of a placed schedule: the unit table (dates, waves, slack, critical path,
stretching, the clinical safety sign-off, the business case approval), why each unit left out
was left out, what set each unit's earliest start and what held it between then and its start
(the binding constraints), and spend per financial year, capital and revenue.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from inventory.wording import plural
from planner.schedule import kernels
from planner.schedule.calendar import Calendar
from planner.schedule.kernels import HELD_BY, IMPOSSIBLE, NO_ROOM, PLACED, WAITS
from planner.schedule.problem import Placement, Problem

__all__ = ["ScheduleResult", "held_by", "schedule_result"]

EPS = 1e-6


@dataclass(frozen=True)
class ScheduleResult:
    """Per-unit timing plus the monthly resource profiles it produced."""

    units: pd.DataFrame
    calendar: Calendar
    spend: np.ndarray  # per month, all units (capital and revenue)
    team_usage: pd.DataFrame  # month x team
    running: np.ndarray  # projects running per month
    unit_spend: pd.DataFrame  # unit x financial year, capital and revenue
    held: pd.DataFrame  # what held each unit between its earliest start and its start
    warnings: list[dict]
    problem: Problem | None = None
    sequence: np.ndarray | None = None  # the processing order that produced it
    placement: Placement | None = None  # without its trace (digested into ``held``)
    search: dict = field(default_factory=dict)  # how it was chosen, and its objective


def schedule_result(
    problem: Problem, placement: Placement, units: pd.DataFrame, sequence: np.ndarray, info: dict
) -> ScheduleResult:
    """Assemble the result of a placement: the unit table with dates, waves, slack and the
    reason for every unit left out; team usage and spend profiles; what held each unit;
    warnings."""
    names, calendar = problem.names, problem.calendar
    status, root = placement.status, placement.root
    failed: dict[int, str] = {}
    root_cause: dict[int, int] = {}
    reasons = _earliest_reasons(problem, placement)
    for i in np.flatnonzero(status != PLACED).tolist():
        if status[i] == IMPOSSIBLE:
            failed[i] = "impossible constraint (see the cycle warning)"
        elif status[i] == WAITS:
            root_cause[i] = int(root[i])
            failed[i] = f"waits for {names[root[i]]}, which is not scheduled"
        elif status[i] == NO_ROOM:
            earliest = int(placement.earliest_at[i])
            failed[i] = _why_not(problem, i, earliest)
            if earliest > 0:
                failed[i] += (
                    f" (it cannot start before {calendar.month_start(earliest):%b %Y}, "
                    f"{reasons[i]})"
                )
    start_at = placement.start_at
    failed_names = {names[i]: reason for i, reason in failed.items()}
    root_names = {names[i]: names[r] for i, r in root_cause.items()}
    # a safety net: nothing is left without a reason
    for i in np.flatnonzero(start_at < 0).tolist():
        if names[i] not in failed_names:
            failed_names[names[i]] = "never reached: it waits in a cycle of constraints"
    warnings: list[dict] = []
    for team in sorted(problem.unknown_teams):
        close = difflib.get_close_matches(team, list(problem.team_names), n=1, cutoff=0.75)
        warnings.append(
            {
                "kind": "capacity",
                "system": None,
                "message": f"team '{team}' has no capacity in the policy; its demand was not "
                "limited ("
                + (
                    f"the policy names a team '{close[0]}': a misspelling of '{team}'? "
                    if close
                    else ""
                )
                + "add it under schedule.teams)",
            }
        )
    frame = _unit_frame(units, problem, placement, failed_names, root_names, warnings)
    placed = start_at >= 0
    starts = calendar.month_starts[np.where(placed, placement.earliest_at, 0)]
    frame["earliest_start"] = pd.Series(starts, index=frame.index).where(placed)
    frame["earliest_because"] = pd.Series(reasons, index=frame.index).where(placed, None)
    team_usage = pd.DataFrame(
        placement.usage.T, index=calendar.month_starts, columns=problem.team_names
    )
    return ScheduleResult(
        frame,
        calendar,
        placement.spend,
        team_usage,
        placement.running,
        _unit_spend(problem, placement, frame.index),
        held_by(problem, placement),
        warnings,
        problem=problem,
        sequence=sequence,
        # the trace (rows per rejected start, as many as units or more) is not kept
        placement=replace(placement, trace=np.empty((0, placement.trace.shape[1]))),
        search=info,
    )


def _unit_spend(problem: Problem, placement: Placement, index: pd.Index) -> pd.DataFrame:
    """What each unit spends in each financial year, capital and revenue (units x years)."""
    spend, revenue = kernels.year_spend(problem.arrays, placement.start_at, placement.lengths)
    spend += revenue
    return pd.DataFrame(spend, index=index, columns=problem.fy_labels, copy=False)


def held_by(problem: Problem, placement: Placement) -> pd.DataFrame:
    """What held each unit between its earliest start and its start, month range by range:
    ``unit``, ``from``, ``to`` (month starts), ``held_by`` (change freeze, team capacity,
    project cap, capital or revenue budget, go-live limit, go-live spacing, decommissioning
    window, contract deadline), ``what`` (the team, financial year or group), and for a team
    or a budget the largest ``need`` against the least ``free`` over the range. Back-to-back
    months held by the same thing are one range."""
    trace = placement.trace
    columns = ["unit", "from", "to", "held_by", "what", "need", "free"]
    if not len(trace):
        return pd.DataFrame(columns=columns)
    start_at = placement.start_at
    unit = trace[:, 0].astype(np.int64)
    first = trace[:, 1].astype(np.int64)
    last = np.minimum(trace[:, 2].astype(np.int64), start_at[unit] - 1)
    # the rows kept, in unit and month order, taken once from each column
    rows = np.flatnonzero((start_at[unit] >= 0) & (last >= first))
    rows = rows[np.lexsort((first[rows], unit[rows]))]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    unit, first, last = unit[rows], first[rows], last[rows]
    code = trace[rows, 3].astype(np.int64)
    detail = np.where(np.isin(code, _NAMED), trace[rows, 4].astype(np.int64), 0)
    need, free = trace[rows, 5], trace[rows, 6]
    # a new range wherever the unit, the constraint or its subject changes, or months skip
    starts = np.flatnonzero(
        np.r_[
            True,
            (unit[1:] != unit[:-1])
            | (code[1:] != code[:-1])
            | (detail[1:] != detail[:-1])
            | (first[1:] != last[:-1] + 1),
        ]
    )
    measured = np.isin(code[starts], _MEASURED)
    calendar = problem.calendar
    return pd.DataFrame(
        {
            "unit": _text(np.asarray(problem.names, dtype=object)[unit[starts]]),
            "from": calendar.month_starts[first[starts]],
            "to": calendar.month_ends[np.maximum.reduceat(last, starts)],
            "held_by": _text(np.asarray(HELD_BY, dtype=object)[code[starts]]),
            "what": _text(_what(problem, code[starts], detail[starts])),
            "need": np.where(measured, np.maximum.reduceat(need, starts), np.nan),
            "free": np.where(
                measured, np.maximum(np.minimum.reduceat(free, starts), 0.0).round(6), np.nan
            ),
        },
        copy=False,
    )


def _text(values: np.ndarray) -> pd.Series:
    """An object array of text as a column as it is (not inferred, and so copied, as ``str``
    and back: object is the tables' text dtype, see :func:`inventory.schema.tidy`)."""
    return pd.Series(values, dtype=object, copy=False)


#: Constraints with a subject (a team, a year, a group, a month), and with a need and room.
_NAMED = (kernels.TEAM, kernels.CAPITAL, kernels.REVENUE, kernels.SPACING, kernels.DEADLINE)
_MEASURED = (kernels.TEAM, kernels.CAPITAL, kernels.REVENUE)


def _what(problem: Problem, code: np.ndarray, detail: np.ndarray) -> np.ndarray:
    """The subject of each constraint: the team, the financial year, the spacing group, the
    deadline's month; blank for a freeze, the go-live limit, the project cap or a window."""
    what = np.full(len(code), "", dtype=object)
    for codes, names in (
        ((kernels.TEAM,), problem.team_names),
        ((kernels.CAPITAL, kernels.REVENUE), problem.fy_labels),
        ((kernels.SPACING,), problem.group_names),
    ):
        rows = np.isin(code, codes)
        what[rows] = np.asarray(names, dtype=object)[detail[rows]]
    rows = code == kernels.DEADLINE
    if rows.any():
        months = np.clip(detail[rows], 0, problem.horizon - 1)
        what[rows] = problem.calendar.month_ends[months].strftime("%b %Y").to_numpy(dtype=object)
    return what


def _why_not(problem: Problem, i: int, earliest: int) -> str:
    """The constraint that stops unit ``i`` from being scheduled, in words."""
    a = problem.arrays
    length, horizon = int(a.lengths[i]), problem.horizon
    demand = a.demands[i] + a.tail_demands[i]
    if length > horizon - earliest:
        return f"needs {length} months but only {max(0, horizon - earliest)} remain in the horizon"
    for k in np.flatnonzero(demand > a.capacity + EPS):
        return (
            f"needs {demand[k]:g} FTE of {problem.team_names[k]} a month but the team has "
            f"{a.capacity[k]:g}"
        )
    if a.deadline[i] < earliest + length - 1:
        return (
            "cannot go live by its contract's end "
            f"({problem.calendar.month_end(int(a.deadline[i])):%b %Y})"
        )
    if a.costs[i] > 0:
        stretched = min(int(length * a.max_stretch), horizon - earliest)
        for budget_name, budget, needs in _money(problem, i, stretched):
            spare = needs[earliest:] - budget
            if len(spare) and (spare > EPS).any(axis=1).all():
                # even the best-timed start overspends some year: report that start's worst
                best = int(np.argmin(spare.max(axis=1)))
                year = int(np.argmax(spare[best]))
                phased = f", phased over {stretched} months" if stretched > length else ""
                return (
                    f"{budget_name} budget too small: even at its best timing{phased} it needs "
                    f"£{needs[earliest + best, year]:,.0f} of {budget_name} in "
                    f"{problem.fy_labels[year]} alone and the {budget_name} budget is "
                    f"£{budget[year]:,.0f}"
                )
    if a.frozen.all():
        return "every month is a change-freeze month"
    return (
        "no start before the horizon fits the budgets and team capacity left by "
        "higher-priority projects"
    )


def _money(problem: Problem, i: int, length: int):
    """(name, budget per year, need per start and year) for capital and revenue."""
    a = problem.arrays
    capital, revenue = kernels.start_needs(a, i, length)
    return (("capital", a.capital_budget, capital), ("revenue", a.revenue_budget, revenue))


def _earliest_reasons(problem: Problem, placement: Placement) -> np.ndarray:
    """What sets each unit's earliest start: a prerequisite's go-live, its contract, its
    business case approval, the optimiser, or the plan start (one text per unit)."""
    names = np.asarray(problem.names, dtype=object)
    source = placement.earliest_from
    reason = np.full(len(names), "from the plan start", dtype=object)
    # each text is made once and shared by the units it applies to
    waits = source >= 0
    waited, which = np.unique(source[waits], return_inverse=True)
    reason[waits] = ("when " + names[waited] + " goes live")[which]
    contract = source == -2
    ends, which = np.unique(problem.not_before.to_numpy()[contract], return_inverse=True)
    text = pd.DatetimeIndex(ends).strftime("%b %Y").to_numpy(dtype=object)
    reason[contract] = ("so as not to go live before its contract ends (" + text + ")")[which]
    reason[source == -3] = "where the optimiser placed it"
    reason[source == -4] = "once its business case is approved"
    return reason


def _unit_frame(units, problem, placement, failed, root_cause, warnings) -> pd.DataFrame:
    """The per-unit table: dates, wave, lateness, slack and critical path (units are in the
    problem's order, so the placement lines up with them)."""
    calendar = problem.calendar
    start_at = placement.start_at
    frame = units.copy(deep=False)  # copy-on-write: the units' own columns are shared
    frame["planned_months"] = frame["months"]
    frame["months"] = placement.lengths
    frame["start_month"] = np.where(start_at >= 0, start_at, np.nan)
    frame["finish_month"] = frame["start_month"] + frame["months"] - 1
    frame["scheduled"] = frame["start_month"].notna()
    done = frame["scheduled"].to_numpy()
    starts = frame["start_month"].fillna(0).to_numpy(dtype=np.int64)
    finishes = frame["finish_month"].fillna(0).to_numpy(dtype=np.int64)
    frame["start"] = pd.Series(calendar.month_starts[starts], index=frame.index).where(done)
    frame["go_live"] = pd.Series(calendar.month_ends[finishes], index=frame.index).where(done)
    frame["start"] = frame["start"].astype("datetime64[ns]")
    frame["go_live"] = frame["go_live"].astype("datetime64[ns]")
    lead = problem.arrays.tail_months
    signoff = np.where(lead > 0, np.maximum(finishes - lead + 1, starts), starts)
    frame["safety_signoff"] = (
        pd.Series(calendar.month_starts[signoff], index=frame.index)
        .where(done & (lead > 0))
        .astype("datetime64[ns]")
    )
    frame["approved_by"] = (
        pd.Series(calendar.month_starts[starts], index=frame.index)
        .where(done & (frame["approval"] != ""))
        .astype("datetime64[ns]")
    )
    fy_index = calendar.fy_index
    first_fy = fy_index[0] if calendar.months else 0
    frame["wave"] = pd.array(np.where(done, fy_index[starts] - first_fy + 1, 0), dtype="Int64")
    frame.loc[~done, "wave"] = pd.NA
    deadline_month = calendar.months_after_start(frame["deadline"])
    frame["months_late"] = (frame["finish_month"] - deadline_month).clip(lower=0)
    frame["not_scheduled_because"] = pd.Series(failed, dtype="object").reindex(frame.index)
    # slack: months a unit could slip before delaying a successor or the programme's end
    a = problem.arrays
    finish = frame["finish_month"].to_numpy(dtype=float)
    latest = np.full(len(frame), np.nanmax(finish) if done.any() else np.nan)
    source = np.repeat(np.arange(len(frame)), np.diff(a.succ_indptr))
    target = a.succ_indices
    placed = start_at[target] >= 0
    np.minimum.at(latest, source[placed], start_at[target[placed]] - 1.0)
    frame["slack_months"] = np.where(done, latest - finish, np.nan)
    frame["critical"] = frame["slack_months"] == 0
    _not_scheduled_warnings(failed, root_cause, warnings)
    _stretch_warnings(frame, warnings)
    late = frame[frame["months_late"] > 0]
    for unit, row in late.iterrows():
        warnings.append(
            {
                "kind": "deadline",
                "system": unit,
                "message": f"{unit} goes live {row['go_live']:%b %Y}, "
                f"{plural(int(row['months_late']), 'month')} after its end of support "
                f"({row['deadline']:%b %Y})",
                "months": int(row["months_late"]),
            }
        )
    return frame


def _not_scheduled_warnings(failed: dict, root_cause: dict, warnings: list[dict]) -> None:
    waiting: dict[str, list[str]] = {}
    for unit, root in root_cause.items():
        waiting.setdefault(root, []).append(unit)
    for unit, reason in failed.items():
        if unit in root_cause:
            continue
        followers = sorted(waiting.get(unit, []))
        also = ""
        if followers:
            shown = ", ".join(followers[:10]) + (" ..." if len(followers) > 10 else "")
            also = f"; {len(followers)} more wait for it and are not scheduled either: {shown}"
        kind = (
            "budget"
            if "budget too small" in reason
            else ("capacity" if "FTE" in reason else "unscheduled")
        )
        warnings.append(
            {"kind": kind, "system": unit, "message": f"{unit} is not scheduled: {reason}{also}"}
        )


def _stretch_warnings(frame: pd.DataFrame, warnings: list[dict]) -> None:
    stretched = frame[frame["scheduled"] & (frame["months"] > frame["planned_months"])]
    for unit, row in stretched.iterrows():
        warnings.append(
            {
                "kind": "budget",
                "system": unit,
                "message": f"{unit} is phased over {int(row['months'])} months instead of "
                f"{int(row['planned_months'])} to fit the yearly budgets (same cost, spread "
                "thinner)",
                "months": int(row["months"] - row["planned_months"]),
            }
        )
