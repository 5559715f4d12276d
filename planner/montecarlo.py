"""Monte Carlo forecast: how sure is the roadmap?

Each run draws every planned system's cost and duration from its low / likely / high estimate
(PERT or triangular, as ``uncertainty.distribution`` says; a blank low or high is the likely
value times ``uncertainty.spread``; ``uncertainty.uplift`` raises whole categories, as a
reference class would), then replays the plan: the same processing order, placed by the same
scheduler under the same teams, project cap, freezes and contracts. With ``uncertainty.budget:
hold`` an overrun waits for money under the capital and revenue budgets (dates slip, and a
project too costly for the money left in any year is phased over more months at the same
cost, as far as ``money.max_stretch`` allows); with ``flex`` it is spent (dates hold, the
spend shows the gap). A system with a single value (or no estimate) gets the policy's spread,
and the forecast's ``warnings`` say how many; they also name each financial year whose
capital is more likely than not to slip past 31 March. Draws are vectorised over runs; each replay
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
>>> bool((forecast.systems["p80_go_live"] >= forecast.systems["p50_go_live"]).all())
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

from inventory.errors import InvalidArgumentError
from inventory.schema import tidy_tables
from planner.scoring import estimates

__all__ = ["LABELS", "Forecast", "draw", "forecast_plan", "slips_worth_a_warning"]

PERCENTILES = {"P50": 0.5, "P80": 0.8, "P95": 0.95}

#: Display labels of the forecast's columns, for the command line and the files it writes.
LABELS = {
    "planned_go_live": "planned go-live",
    "p50_go_live": "P50 go-live",
    "p80_go_live": "P80 go-live",
    "p95_go_live": "P95 go-live",
    "p_fits_horizon": "P(fits the horizon)",
    "p_live_by_end_of_support": "P(live by end of support)",
    "go_live": "go-live",
    "p50_gbp": "P50_gbp",
    "p80_gbp": "P80_gbp",
    "p95_gbp": "P95_gbp",
}
#: A year's capital is warned as slipping past 31 March when it is more likely than not to,
#: by a median shortfall of at least this share of the year's planned capital.
SLIP_SHARE = 0.05


def slips_worth_a_warning(spend: pd.DataFrame, planned_capital: pd.Series) -> pd.Series:
    """The years whose capital is more likely than not to slip past 31 March, and by a sum
    that matters (:data:`SLIP_SHARE` of the year's ``planned_capital``): the forecast warns
    of these. ``spend`` has the forecast's ``p_capital_slips_past_31_march`` and
    ``median_capital_shortfall_gbp``."""
    return (
        (spend["p_capital_slips_past_31_march"] >= 0.5)
        & (spend["median_capital_shortfall_gbp"] >= SLIP_SHARE * planned_capital)
        & (planned_capital > 0)
    )


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


def _triples(systems: pd.DataFrame, policy) -> tuple[dict[str, Triple], np.ndarray]:
    """Low / likely / high cost and months for each planned system, after uplift; and which
    systems' ranges came from the policy's spread (a single value, or no estimate)."""
    settings = policy.uncertainty
    spread = settings.spread
    planned = estimates(systems, policy)
    retire = (systems["disposition"] == "retire").to_numpy()
    out: dict[str, Triple] = {}
    spread_applied = np.zeros(len(systems), dtype=bool)
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
            spread_applied |= ~(usable & np.isfinite(bound)) & ~retire
        uplift = systems["category"].map(getattr(settings.uplift, name)).fillna(1.0).to_numpy(float)
        likely = likely * uplift
        low = np.minimum(likely * ratios[0], likely)
        high = np.maximum(likely * ratios[1], likely)
        out[name] = (low, likely, high)
    return out, spread_applied


@dataclass(frozen=True)
class Forecast:
    """What the runs say: per system, for the programme, and per financial year (columns in
    snake_case; :attr:`LABELS` gives their display labels)."""

    LABELS: ClassVar[dict[str, str]] = LABELS

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
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    def __repr__(self) -> str:
        ends = self.programme["go_live"]
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
        deadlines = self.systems["p_live_by_end_of_support"].dropna()
        return {
            "runs": self.runs,
            "distribution": self.distribution,
            "budget": self.budget_mode,
            **{
                f"programme end {k}": (v.date().isoformat() if pd.notna(v) else "after horizon")
                for k, v in self.programme["go_live"].items()
            },
            "systems with an end-of-support deadline": len(deadlines),
            "of them, below 50% likely to make it": int((deadlines < 0.5).sum()),
            "warnings": len(self.warnings),
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
    if systems.empty:
        raise InvalidArgumentError(
            "result",
            "nothing is planned (every system is retained), so there is nothing to forecast",
        )
    unit_of = _unit_positions(problem, result.schedule["unit"])
    triples, spread_applied = _triples(systems, policy)
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
    a = problem.arrays
    hold = settings.budget == "hold"
    capital_budget = a.capital_budget if hold else np.full_like(a.capital_budget, np.inf)
    revenue_budget = a.revenue_budget if hold else np.full_like(a.revenue_budget, np.inf)
    horizon = problem.horizon
    years = len(problem.fy_labels)
    go_live = np.full((runs, count), np.inf)
    spend = np.zeros((runs, years))
    capital = np.zeros((runs, years))
    planned_done = result.units["scheduled"].reindex(problem.names).to_numpy(dtype=bool)
    for r in range(runs):
        placement = problem.place(
            sequence,
            lengths=lengths[r],
            costs=unit_cost[r],
            capital_budget=capital_budget,
            revenue_budget=revenue_budget,
        )
        done = placement.start_at >= 0
        go_live[r, done] = placement.start_at[done] + placement.lengths[done]
        capital[r] = placement.state.capital
        spend[r] = placement.state.capital + placement.state.revenue
    completion = go_live[:, planned_done].max(axis=1) if planned_done.any() else np.zeros(runs)
    calendar = problem.calendar
    system_go_live = go_live[:, unit_of]  # runs x systems, months after the plan start

    def date_of(month_count: float) -> pd.Timestamp | NaTType:
        if not np.isfinite(month_count) or month_count > horizon:
            return pd.NaT
        return calendar.month_end(int(month_count) - 1)

    frame = pd.DataFrame(index=systems.index)
    frame["unit"] = result.schedule["unit"]
    frame["planned_go_live"] = result.schedule["go_live"]
    for label, q in PERCENTILES.items():
        frame[f"{label.lower()}_go_live"] = [
            date_of(m) for m in _quantile_months(system_go_live, q)
        ]
    frame["p_fits_horizon"] = np.isfinite(system_go_live).mean(axis=0)
    eos = systems["end_of_support"]
    deadline = calendar.months_after_start(eos)
    ahead = (eos >= calendar.start).to_numpy()
    live_by = (system_go_live - 1 <= deadline).mean(axis=0)
    frame["end_of_support"] = eos
    frame["p_live_by_end_of_support"] = np.where(ahead, live_by, np.nan)
    planned_end = result.end
    programme = pd.DataFrame(
        {
            "go_live": [planned_end]
            + [
                date_of(np.quantile(completion, q, method="inverted_cdf"))
                for q in PERCENTILES.values()
            ]
        },
        index=["planned", *PERCENTILES],
    )
    plan_spend = result.spend_by_fy
    planned_capital = plan_spend["capital_gbp"].reindex(problem.fy_labels).fillna(0.0).to_numpy()
    spend_frame = pd.DataFrame(
        {
            "capital_budget_gbp": np.where(np.isfinite(a.capital_budget), a.capital_budget, np.nan),
            "revenue_budget_gbp": np.where(np.isfinite(a.revenue_budget), a.revenue_budget, np.nan),
            "planned_gbp": plan_spend["spend_gbp"]
            .reindex(problem.fy_labels)
            .fillna(0.0)
            .to_numpy(),
            "mean_gbp": spend.mean(axis=0),
            **{
                f"{label.lower()}_gbp": np.quantile(spend, q, axis=0, method="inverted_cdf")
                for label, q in PERCENTILES.items()
            },
        },
        index=pd.Index(problem.fy_labels, name="financial_year"),
    )
    spend_frame["planned_capital_gbp"] = planned_capital
    spend_frame["p_capital_slips_past_31_march"] = (capital < planned_capital - 1.0).mean(axis=0)
    spend_frame["median_capital_shortfall_gbp"] = np.quantile(
        np.maximum(planned_capital - capital, 0.0), 0.5, axis=0, method="inverted_cdf"
    )
    spend_frame = spend_frame[(spend_frame[["planned_gbp", "mean_gbp"]] > 0).any(axis=1)]
    warnings = _warnings(systems, spread_applied, spend_frame, policy)
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
        spend_by_fy=spend_frame,
        completion_months=completion,
        risk_remaining=risk_remaining,
        planned_risk=planned_risk,
        month_starts=calendar.month_starts,
        go_live_months=go_live,
        fy_spend=spend,
        warnings=warnings,
    )


def _warnings(systems, spread_applied, spend_frame, policy) -> list[str]:
    """What a reader of the forecast must know: how many ranges are the policy's guess, and
    which years' capital is likely to slip past 31 March."""
    warnings = []
    spread = policy.uncertainty.spread
    count = int(spread_applied.sum())
    if count:
        warnings.append(
            f"{count} of {len(systems)} systems give a single value or no estimate for cost "
            f"or duration: their ranges are the policy's spread (low x{spread.low:g}, high "
            f"x{spread.high:g} of the likely value); give low/likely/high for a truer forecast"
        )
    slipping = spend_frame[slips_worth_a_warning(spend_frame, spend_frame["planned_capital_gbp"])]
    for year, row in slipping.iterrows():
        warnings.append(
            f"{year}: in {row['p_capital_slips_past_31_march']:.0%} of runs less capital "
            "is spent by 31 March than planned (median "
            f"£{row['median_capital_shortfall_gbp']:,.0f} short); unspent NHS capital is not "
            "carried forward, so keep a reserve of schemes ready to draw it"
        )
    return warnings


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
