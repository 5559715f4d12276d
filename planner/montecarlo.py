"""Monte Carlo forecast: how sure is the roadmap?

Each run draws every planned system's cost and duration from its low / likely / high estimate
(PERT or triangular, as ``uncertainty.distribution`` says; a blank low or high is the likely
value times ``uncertainty.spread``; ``uncertainty.uplift`` raises whole categories, as a
reference class would), then replays the plan: the same processing order, placed by the same
scheduler under the same teams, project cap, freezes and contracts. With ``uncertainty.budget:
hold`` an overrun waits for money (dates slip, and a project too costly for the money left
in any year is re-phased: stretched a quarter at a time at the same cost); with ``flex`` it
is spent (dates hold, the spend shows the gap). Draws are vectorised over runs; each replay
is one call of the compiled placement, so 1000 runs of a trust take well under a second.

Percentiles are "by this date in that share of runs": P80 is the first month by which 80% of
runs are live (``inverted_cdf``). A system that a run cannot fit before the horizon counts as
later than every date.

Examples
--------
>>> import planner
>>> forecast = planner.forecast("data/examples/five-systems", runs=200)
>>> forecast.programme.index.tolist()
['planned', 'P50', 'P80', 'P95']
>>> bool((forecast.systems["P80 go-live"] >= forecast.systems["P50 go-live"]).all())
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

from inventory.errors import InvalidArgumentError
from planner.schedule.kernels import NO_ROOM
from planner.scoring import estimates

__all__ = ["Forecast", "draw", "forecast_plan"]

PERCENTILES = {"P50": 0.5, "P80": 0.8, "P95": 0.95}


def draw(
    low: np.ndarray,
    likely: np.ndarray,
    high: np.ndarray,
    runs: int,
    rng: np.random.Generator,
    distribution: str = "pert",
) -> np.ndarray:
    """``runs`` draws for each (low, likely, high), shape ``(runs, len(likely))``.

    PERT is the beta distribution on [low, high] with mean (low + 4 likely + high) / 6;
    triangular peaks at likely. Where low == high the value is fixed.

    >>> rng = np.random.default_rng(0)
    >>> values = draw(np.array([1.0]), np.array([2.0]), np.array([6.0]), 100_000, rng)
    >>> round(float(values.mean()), 2)  # (1 + 4 x 2 + 6) / 6
    2.5
    """
    low, likely, high = (np.broadcast_to(a, (runs, len(likely))) for a in (low, likely, high))
    width = high - low
    fixed = width <= 0
    safe_width = np.where(fixed, 1.0, width)
    if distribution == "pert":
        alpha = 1 + 4 * (likely - low) / safe_width
        beta = 1 + 4 * (high - likely) / safe_width
        values = low + rng.beta(alpha, beta) * safe_width
    else:
        mode = (likely - low) / safe_width
        u = rng.random((runs, likely.shape[1]))
        left = u < mode
        values = np.where(
            left,
            low + np.sqrt(u * safe_width * (likely - low)),
            high - np.sqrt((1 - u) * safe_width * (high - likely)),
        )
    return np.where(fixed, likely, values)


Triple = tuple[np.ndarray, np.ndarray, np.ndarray]


def _triples(systems: pd.DataFrame, policy) -> dict[str, Triple]:
    """Low / likely / high cost and months for each planned system, after uplift."""
    settings = policy.uncertainty
    spread = settings.spread
    planned = estimates(systems, policy)
    retire = (systems["disposition"] == "retire").to_numpy()
    out: dict[str, Triple] = {}
    for name, column, estimate in (
        ("cost", "replacement_cost_gbp", "cost_gbp"),
        ("months", "replacement_months", "months"),
    ):
        likely = planned[estimate].to_numpy(dtype=float)
        given = systems[f"{column}_likely"].to_numpy(dtype=float)
        usable = np.isfinite(given) & (given > 0)
        if name == "months":
            usable &= ~retire  # a retirement's months are the policy's, not the estimate's
        ratios = []
        for side, default in (("low", spread.low), ("high", spread.high)):
            bound = systems[f"{column}_{side}"].to_numpy(dtype=float)
            ratio = np.where(
                usable & np.isfinite(bound), bound / np.where(usable, given, 1.0), default
            )
            ratios.append(ratio)
        uplift = systems["category"].map(getattr(settings.uplift, name)).fillna(1.0).to_numpy(float)
        likely = likely * uplift
        low = np.minimum(likely * ratios[0], likely)
        high = np.maximum(likely * ratios[1], likely)
        out[name] = (low, likely, high)
    return out


@dataclass(frozen=True)
class Forecast:
    """What the runs say: per system, for the programme, and per financial year."""

    runs: int
    distribution: str
    budget_mode: str
    systems: pd.DataFrame  # per system: planned, P50/P80/P95 go-live, P(live by end of support)
    programme: pd.DataFrame  # planned / P50 / P80 / P95 completion
    spend_by_fy: pd.DataFrame  # per FY: budget, planned, mean, P50, P80, P95
    completion_months: np.ndarray = field(repr=False)  # per run (inf: beyond the horizon)
    risk_remaining: np.ndarray = field(repr=False)  # runs x months: planned systems' risk
    planned_risk: np.ndarray = field(repr=False)  # the plan's line of the same
    month_starts: pd.DatetimeIndex = field(repr=False)
    go_live_months: np.ndarray = field(repr=False)  # runs x units (inf: not placed)
    fy_spend: np.ndarray = field(repr=False)  # runs x financial years of the calendar

    def __repr__(self) -> str:
        ends = self.programme["go-live"]
        text = ", ".join(
            f"{k} {v:%b %Y}" if pd.notna(v) else f"{k} after horizon" for k, v in ends.items()
        )
        return (
            f"<Forecast: {self.runs:,} runs ({self.distribution}, budget {self.budget_mode}); "
            f"programme end {text}>"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.programme.to_html()

    def summary(self) -> dict:
        """Headline figures: the programme's end at P50 / P80 / P95 and the deadline odds."""
        deadlines = self.systems["P(live by end of support)"].dropna()
        return {
            "runs": self.runs,
            "distribution": self.distribution,
            "budget": self.budget_mode,
            **{
                f"programme end {k}": (v.date().isoformat() if pd.notna(v) else "after horizon")
                for k, v in self.programme["go-live"].items()
            },
            "systems with an end-of-support deadline": len(deadlines),
            "of them, below 50% likely to make it": int((deadlines < 0.5).sum()),
        }


def _quantile_months(values: np.ndarray, q: float) -> np.ndarray:
    """Per column, the first month by which a share ``q`` of runs are done (inf allowed)."""
    return np.quantile(values, q, axis=0, method="inverted_cdf")


def forecast_plan(result, *, runs: int | None = None, seed: int | None = None) -> Forecast:
    """Run the Monte Carlo forecast for a plan (a :class:`~planner.plan.PlanResult`)."""
    policy = result.policy
    settings = policy.uncertainty
    runs = int(settings.runs if runs is None else runs)
    seed = int(settings.seed if seed is None else seed)
    if runs < 1:
        raise InvalidArgumentError("runs", f"runs must be 1 or more, not {runs}")
    problem, sequence = result.problem, result.sequence
    if problem is None or sequence is None:
        raise InvalidArgumentError(
            "result", "this plan carries no schedule to replay; make it with planner.plan"
        )
    systems = result.inventory.systems.loc[result.schedule.index]
    unit_of = _unit_positions(problem, result.schedule["unit"])
    triples = _triples(systems, policy)
    rng = np.random.default_rng(seed)
    distribution = settings.distribution
    cost = draw(*triples["cost"], runs, rng, distribution)
    months = draw(*triples["months"], runs, rng, distribution)
    count = problem.count
    order = np.argsort(unit_of, kind="stable")
    cuts = np.flatnonzero(np.r_[True, np.diff(unit_of[order]) != 0])
    owners = unit_of[order][cuts]
    unit_cost = np.zeros((runs, count))
    unit_months = np.ones((runs, count))
    unit_cost[:, owners] = np.add.reduceat(cost[:, order], cuts, axis=1)
    unit_months[:, owners] = np.maximum.reduceat(months[:, order], cuts, axis=1)
    lengths = np.maximum(1, np.ceil(unit_months - 1e-9)).astype(np.int64)
    budget = problem.budget if settings.budget == "hold" else np.full_like(problem.budget, np.inf)
    horizon = problem.horizon
    go_live = np.full((runs, count), np.inf)
    spend = np.zeros((runs, len(problem.fy_labels)))
    cumulative = problem.fy_cumulative
    planned_done = result.units["scheduled"].reindex(problem.names).to_numpy(dtype=bool)
    rephase = settings.budget == "hold"
    for r in range(runs):
        placement = _replay(
            problem, sequence, lengths[r], unit_cost[r], budget, planned_done, rephase
        )
        done = placement.start_at >= 0
        starts, length = placement.start_at[done], lengths[r][done]
        go_live[r, done] = starts + length
        overlap = cumulative[starts + length] - cumulative[starts]
        spend[r] = (unit_cost[r][done] / length) @ overlap
    completion = go_live[:, planned_done].max(axis=1) if planned_done.any() else np.zeros(runs)
    calendar = problem.calendar
    system_go_live = go_live[:, unit_of]  # runs x systems, months after the plan start

    def date_of(month_count: float) -> pd.Timestamp | NaTType:
        if not np.isfinite(month_count) or month_count > horizon:
            return pd.NaT
        return calendar.month_end(int(month_count) - 1)

    frame = pd.DataFrame(index=systems.index)
    frame["unit"] = result.schedule["unit"]
    frame["planned go-live"] = result.schedule["go_live"]
    for label, q in PERCENTILES.items():
        frame[f"{label} go-live"] = [date_of(m) for m in _quantile_months(system_go_live, q)]
    frame["P(fits the horizon)"] = np.isfinite(system_go_live).mean(axis=0)
    eos = systems["end_of_support"]
    deadline = calendar.months_after_start(eos)
    ahead = (eos >= calendar.start).to_numpy()
    live_by = (system_go_live - 1 <= deadline).mean(axis=0)
    frame["end_of_support"] = eos
    frame["P(live by end of support)"] = np.where(ahead, live_by, np.nan)
    planned_end = result.end
    programme = pd.DataFrame(
        {
            "go-live": [planned_end]
            + [
                date_of(np.quantile(completion, q, method="inverted_cdf"))
                for q in PERCENTILES.values()
            ]
        },
        index=["planned", *PERCENTILES],
    )
    plan_spend = result.spend_by_fy.set_index("financial_year")["spend_gbp"]
    spend_frame = pd.DataFrame(
        {
            "budget_gbp": problem.budget,
            "planned_gbp": plan_spend.reindex(problem.fy_labels).to_numpy(),
            "mean_gbp": spend.mean(axis=0),
            **{
                f"{label}_gbp": np.quantile(spend, q, axis=0, method="inverted_cdf")
                for label, q in PERCENTILES.items()
            },
        },
        index=pd.Index(problem.fy_labels, name="financial_year"),
    )
    spend_frame = spend_frame[(spend_frame.drop(columns="budget_gbp") > 0).any(axis=1)]
    risk = result.scores["risk"].reindex(systems.index).fillna(0.0).to_numpy()
    risk_remaining = _remaining(system_go_live, risk, horizon)
    planned_months = result.schedule["finish_month"].to_numpy(dtype=float) + 1
    planned_risk = _remaining(
        np.where(np.isnan(planned_months), np.inf, planned_months)[None, :], risk, horizon
    )[0]
    return Forecast(
        runs=runs,
        distribution=distribution,
        budget_mode=settings.budget,
        systems=frame,
        programme=programme,
        spend_by_fy=spend_frame.reset_index(),
        completion_months=completion,
        risk_remaining=risk_remaining,
        planned_risk=planned_risk,
        month_starts=calendar.month_starts,
        go_live_months=go_live,
        fy_spend=spend,
    )


def _replay(problem, sequence, lengths, costs, budget, planned, rephase: bool):
    """Place one run. With ``rephase``, a project the plan fitted but this run's costs do not
    (too costly for the money left in any year) is re-phased as a programme board would:
    stretched by a quarter at a time, at the same total cost, until it fits. ``lengths`` is
    updated in place so the caller sees the stretched durations."""
    while True:
        placement = problem.place(sequence, lengths=lengths, costs=costs, budget=budget)
        stuck = planned & (placement.status == NO_ROOM) & (lengths < problem.horizon)
        if not rephase or not stuck.any():
            return placement
        lengths[stuck] = np.minimum(np.ceil(lengths[stuck] * 1.25), problem.horizon)


def _unit_positions(problem, unit_names: pd.Series) -> np.ndarray:
    """Position of each system's unit in the problem's arrays."""
    positions = pd.Index(problem.names).get_indexer(unit_names)
    if (positions < 0).any():  # pragma: no cover - the plan's units are the problem's
        raise InvalidArgumentError(
            "result", "the plan's schedule does not match its scheduling problem"
        )
    return positions.astype(np.int64)


def _remaining(go_live: np.ndarray, risk: np.ndarray, horizon: int) -> np.ndarray:
    """Risk of the planned systems still not live in each month, per run (runs x months).

    A system's risk leaves the month after it goes live."""
    runs = go_live.shape[0]
    steps = np.zeros((runs, horizon + 1))
    month = np.where(np.isfinite(go_live), np.minimum(go_live, horizon), horizon).astype(np.int64)
    rows = np.repeat(np.arange(runs), go_live.shape[1])
    np.add.at(steps, (rows, month.ravel()), np.tile(risk, runs))
    return risk.sum() - np.cumsum(steps, axis=1)[:, :horizon]
