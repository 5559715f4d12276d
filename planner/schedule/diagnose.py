"""Diagnostics of a placed schedule: the unit table (dates, waves, slack, critical path),
why each unit left out was left out, what set each unit's earliest start, spend per year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.schedule.calendar import Calendar
from planner.schedule.kernels import IMPOSSIBLE, NO_ROOM, PLACED, WAITS
from planner.schedule.problem import Placement, Problem

__all__ = ["ScheduleResult", "schedule_result"]

EPS = 1e-6


@dataclass(frozen=True)
class ScheduleResult:
    """Per-unit timing plus the monthly resource profiles it produced."""

    units: pd.DataFrame
    calendar: Calendar
    spend: np.ndarray  # per month, all units
    team_usage: pd.DataFrame  # month x team
    running: np.ndarray  # projects running per month
    unit_spend: pd.DataFrame  # unit x financial year
    warnings: list[dict]
    problem: Problem | None = None
    sequence: np.ndarray | None = None  # the processing order that produced it
    search: dict = field(default_factory=dict)  # how it was chosen, and its objective


def schedule_result(
    problem: Problem, placement: Placement, units: pd.DataFrame, sequence: np.ndarray, info: dict
) -> ScheduleResult:
    """Assemble the result of a placement: the unit table with dates, waves, slack and the
    reason for every unit left out; team usage and spend profiles; warnings."""
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
    for i in np.flatnonzero(
        start_at < 0
    ).tolist():  # a safety net: nothing is left without a reason
        if names[i] not in failed_names:
            failed_names[names[i]] = "never reached: it waits in a cycle of constraints"
    warnings: list[dict] = []
    for team in sorted(problem.unknown_teams):
        warnings.append(
            {
                "kind": "capacity",
                "system": None,
                "message": f"team '{team}' has no capacity in the policy; its demand was not "
                "limited (add it under schedule.teams)",
            }
        )
    frame = _unit_frame(units, problem, start_at, failed_names, root_names, warnings)
    placed = placement.start_at >= 0
    starts = calendar.month_starts[np.where(placed, placement.earliest_at, 0)]
    frame["earliest_start"] = pd.Series(starts, index=frame.index).where(placed)
    frame["earliest_because"] = pd.Series(reasons, index=frame.index).where(placed, None)
    team_usage = pd.DataFrame(
        placement.usage.T, index=calendar.month_starts, columns=problem.team_names
    )
    unit_spend = _unit_spend(frame, calendar, problem.fy_labels)
    return ScheduleResult(
        frame,
        calendar,
        placement.spend,
        team_usage,
        placement.running,
        unit_spend,
        warnings,
        problem=problem,
        sequence=sequence,
        search=info,
    )


def _why_not(problem: Problem, i: int, earliest: int) -> str:
    """The constraint that stops unit ``i`` from being scheduled, in words."""
    length, horizon = int(problem.lengths[i]), problem.horizon
    demand, capacity, budget = problem.demands[i], problem.capacity, problem.budget
    per_month = problem.costs[i] / problem.lengths[i]
    fy_cumulative = problem.fy_cumulative
    if length > horizon - earliest:
        return f"needs {length} months but only {max(0, horizon - earliest)} remain in the horizon"
    for k in np.flatnonzero(demand > capacity + EPS):
        return (
            f"needs {demand[k]:g} FTE of {problem.team_names[k]} a month but the team has "
            f"{capacity[k]:g}"
        )
    if per_month > 0:
        overlap = fy_cumulative[length:] - fy_cumulative[:-length]
        alone = (per_month * overlap <= budget + EPS).all(axis=1)
        if not alone[earliest:].any():
            # even the best-timed start overspends some year: report that start's worst year
            need = per_month * overlap[earliest:]
            excess = need - budget
            best = int(np.argmin(excess.max(axis=1)))
            year = int(np.argmax(excess[best]))
            return (
                f"budget too small: even at its best timing it needs £{need[best, year]:,.0f} "
                f"in {problem.fy_labels[year]} alone and the budget is £{budget[year]:,.0f}"
            )
    if problem.frozen.all():
        return "every month is a change-freeze month"
    return (
        "no start before the horizon fits the budget and team capacity left by "
        "higher-priority projects"
    )


def _earliest_reasons(problem: Problem, placement: Placement) -> np.ndarray:
    """What sets each unit's earliest start: a prerequisite's go-live, its contract, the
    optimiser, or the plan start (one text per unit, vectorised)."""
    names = np.asarray(problem.names, dtype=object)
    source = placement.earliest_from
    reason = np.full(len(names), "from the plan start", dtype=object)
    waits = source >= 0
    reason[waits] = "when " + names[source[waits]] + " goes live"
    contract = source == -2
    ends = problem.not_before.dt.strftime("%b %Y").to_numpy(dtype=object)
    reason[contract] = "so as not to go live before its contract ends (" + ends[contract] + ")"
    reason[source == -3] = "where the optimiser placed it"
    return reason


def _unit_frame(units, problem, start_at, failed, root_cause, warnings) -> pd.DataFrame:
    """The per-unit table: dates, wave, lateness, slack and critical path (units are in the
    problem's order, so ``start_at`` lines up with them)."""
    calendar = problem.calendar
    frame = units.copy()
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
    fy_index = calendar.fy_index
    first_fy = fy_index[0] if calendar.months else 0
    frame["wave"] = pd.array(np.where(done, fy_index[starts] - first_fy + 1, 0), dtype="Int64")
    frame.loc[~done, "wave"] = pd.NA
    deadline_month = calendar.months_after_start(frame["deadline"])
    frame["months_late"] = (frame["finish_month"] - deadline_month).clip(lower=0)
    frame["not_scheduled_because"] = pd.Series(failed, dtype="object").reindex(frame.index)
    # slack: months a unit could slip before delaying a successor or the programme's end
    finish = frame["finish_month"].to_numpy(dtype=float)
    latest = np.full(len(frame), np.nanmax(finish) if done.any() else np.nan)
    source = np.repeat(np.arange(len(frame)), np.diff(problem.succ_indptr))
    target = problem.succ_indices
    placed = start_at[target] >= 0
    np.minimum.at(latest, source[placed], start_at[target[placed]] - 1.0)
    frame["slack_months"] = np.where(done, latest - finish, np.nan)
    frame["critical"] = frame["slack_months"] == 0
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
            if reason.startswith("budget")
            else ("capacity" if "FTE" in reason else "unscheduled")
        )
        warnings.append(
            {"kind": kind, "system": unit, "message": f"{unit} is not scheduled: {reason}{also}"}
        )
    late = frame[frame["months_late"] > 0]
    for unit, row in late.iterrows():
        warnings.append(
            {
                "kind": "deadline",
                "system": unit,
                "message": f"{unit} goes live {row['go_live']:%b %Y}, {int(row['months_late'])} "
                f"months after its end of support ({row['deadline']:%d %b %Y})",
                "months": int(row["months_late"]),
            }
        )
    return frame


def _unit_spend(frame: pd.DataFrame, calendar: Calendar, fy_labels: list[str]) -> pd.DataFrame:
    """Spend of each unit in each financial year (vectorised: cumulative months per year)."""
    months_in_year = np.zeros((calendar.months + 1, len(fy_labels)))
    months_in_year[1:] = np.cumsum(np.eye(len(fy_labels))[calendar.fy_index], axis=0)
    done = frame["scheduled"].to_numpy()
    starts = frame["start_month"].fillna(0).to_numpy(dtype=np.int64)
    lengths = frame["months"].to_numpy(dtype=np.int64)
    ends = np.minimum(starts + lengths, calendar.months)
    per_month = frame["cost_gbp"].to_numpy(dtype=float) / lengths
    overlap = months_in_year[ends] - months_in_year[starts]
    table = overlap * (per_month * done)[:, None]
    return pd.DataFrame(table, index=frame.index, columns=fy_labels)
