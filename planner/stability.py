"""Rank stability: how much does the replacement order depend on the weights someone chose?

The priority is a weighted mean of risk, impact and cheapness (``priority.weights``). Nobody
should be sure that risk is worth exactly 0.55, so the weights are redrawn many times from a
Dirichlet distribution centred on the chosen ones (``stability.concentration`` says how sure:
the spread of a weight w is about sqrt(w (1 - w) / (concentration + 1))), and every planned
system is re-ranked under each draw. For each system: its rank under the chosen weights, the
median and the 5th-95th percentile range of its rank, how often it is in the top N, whether
that is in doubt (*fragile*), and the weight that moves it most (the one its rank correlates
with most strongly, and in which direction).

Ranks use the same tie-breaks as :func:`planner.scoring.rank` (risk, impact, id).

Examples
--------
>>> import planner
>>> stability = planner.rank_stability("data/examples/five-systems", samples=200)
>>> stability.table.columns.tolist()[:5]
['rank', 'median_rank', 'best_rank_p5', 'worst_rank_p95', 'p_top_n']
>>> bool((stability.table["best_rank_p5"] <= stability.table["worst_rank_p95"]).all())
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.schema import tidy_tables

__all__ = ["COMPONENTS", "LABELS", "RankStability", "rank_stability"]

#: What each weight multiplies: priority = sum(weight x component) / sum(weights).
COMPONENTS = {"risk": "risk", "impact": "impact", "cost": "cheapness (100 - cost)"}
#: Memory per batch of draws: draws x systems floats.
_BATCH_CELLS = 20_000_000

#: Display labels of the table's columns, for the command line.
LABELS = {
    "median_rank": "median rank",
    "best_rank_p5": "best rank (P5)",
    "worst_rank_p95": "worst rank (P95)",
    "p_top_n": "P(top N)",
    "driven_by": "driven by",
    "when_it_weighs_more": "when it weighs more",
}


def _components(scores: pd.DataFrame) -> np.ndarray:
    """systems x 3: risk, impact and 100 - cost, the parts the weights combine."""
    return np.column_stack(
        [
            scores["risk"].to_numpy(float),
            scores["impact"].to_numpy(float),
            100.0 - scores["cost"].to_numpy(float),
        ]
    )


def _ranks(priority: np.ndarray, tie_order: np.ndarray) -> np.ndarray:
    """draws x systems priorities -> ranks (1 best); ties broken by ``tie_order``."""
    draws, count = priority.shape
    ranks = np.empty((draws, count), dtype=np.int32)
    # sort by priority (rounded as the ranking rounds it), then the fixed tie order
    keys = -np.round(priority, 9)
    positions = np.arange(1, count + 1, dtype=np.int32)
    for d in range(draws):
        order = np.lexsort((tie_order, keys[d]))
        ranks[d, order] = positions
    return ranks


@dataclass(frozen=True)
class RankStability:
    """How the ranking moves when the weights are redrawn: ``table`` (one row per planned
    system, in rank order) and ``summary`` (the draws, the top N, how often it is unchanged,
    the mean rank correlation, the fragile count)."""

    table: pd.DataFrame
    summary: dict

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    def describe(self) -> str:
        """The summary in one sentence."""
        s = self.summary
        weights = ", ".join(f"{k} {v:g}" for k, v in s["weights"].items())
        return (
            f"{s['draws']:,} draws of the weights around {weights} (concentration "
            f"{s['concentration']:g}). The top {s['top N']} is unchanged in "
            f"{s['top N unchanged in']:.0%} of draws; mean rank correlation with the chosen "
            f"order {s['mean rank correlation with the chosen order']:.3f}; "
            f"{s['fragile systems']} fragile."
        )

    def __repr__(self) -> str:
        return f"<RankStability: {self.describe()}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.describe())}</p>" + self.table.head(30).to_html(escape=True)


def rank_stability(
    scores: pd.DataFrame,
    policy,
    *,
    samples: int | None = None,
    concentration: float | None = None,
    top: int | None = None,
    seed: int | None = None,
) -> RankStability:
    """Rank range, top-N frequency and the driving weight of each planned system.

    ``scores`` is the register beside its scores (``systems.join(planner.score(...))`` or
    ``PlanResult.scored``; the table names each system); the other arguments default to the policy's
    ``stability`` settings and ``priority.top_n``.
    """
    settings = policy.stability
    samples = int(settings.samples if samples is None else samples)
    concentration = float(settings.concentration if concentration is None else concentration)
    top = int(policy.priority.top_n if top is None else top)
    seed = int(settings.seed if seed is None else seed)
    if samples < 2:
        raise InvalidArgumentError("samples", f"samples must be 2 or more, not {samples}")
    if concentration <= 0:
        raise InvalidArgumentError(
            "concentration", f"concentration must be above 0, not {concentration}"
        )
    chosen = policy.priority.weights.model_dump()
    names = list(COMPONENTS)
    weights = np.array([float(chosen.get(k, 0.0)) for k in names])
    weights = weights / weights.sum()  # the policy refuses weights adding up to 0
    planned = scores[scores["planned"]].sort_values("rank")
    count = len(planned)
    if count == 0:
        raise InvalidArgumentError("scores", "no planned systems to rank")
    top = min(top, count)
    parts = _components(planned)
    # a weight of zero stays zero: nobody chose it, so it is not drawn
    live = weights > 0
    rng = np.random.default_rng(seed)
    drawn = np.zeros((samples, len(names)))
    drawn[:, live] = rng.dirichlet(concentration * weights[live], size=samples)
    tie_order = np.arange(count)  # the chosen ranking already breaks ties by risk, impact, id
    ranks = np.empty((samples, count), dtype=np.int32)
    batch = max(1, _BATCH_CELLS // max(count, 1))
    for lo in range(0, samples, batch):
        hi = min(samples, lo + batch)
        ranks[lo:hi] = _ranks(drawn[lo:hi] @ parts.T, tie_order)
    base_rank = np.arange(1, count + 1)
    table = pd.DataFrame(index=planned.index)
    table["rank"] = base_rank
    table["median_rank"] = np.median(ranks, axis=0)
    table["best_rank_p5"] = np.quantile(ranks, 0.05, axis=0, method="inverted_cdf")
    table["worst_rank_p95"] = np.quantile(ranks, 0.95, axis=0, method="inverted_cdf")
    in_top = (ranks <= top).mean(axis=0)
    table["p_top_n"] = in_top
    low, high = settings.fragile_share
    table["fragile"] = (in_top > low) & (in_top < high)
    driver, direction, strength = _drivers(drawn[:, live], ranks, np.array(names)[live])
    table["driven_by"] = driver
    table["when_it_weighs_more"] = direction
    table["correlation"] = strength
    table["name"] = planned["name"]
    table["priority"] = planned["priority"]
    summary = {
        "draws": samples,
        "concentration": concentration,
        "weights": dict(zip(names, weights.round(4).tolist(), strict=True)),
        "top N": top,
        "top N unchanged in": float((ranks[:, :top] <= top).all(axis=1).mean()),
        "fragile systems": int(table["fragile"].sum()),
        "mean rank correlation with the chosen order": _spearman(ranks),
    }
    return RankStability(table, summary)


def _spearman(ranks: np.ndarray) -> float:
    """Mean Spearman correlation of each draw's ranks with 1..n (the chosen order)."""
    count = ranks.shape[1]
    if count < 2:
        return 1.0
    d2 = ((ranks - np.arange(1, count + 1)) ** 2).sum(axis=1, dtype=np.float64)
    return float((1 - 6 * d2 / (count * (count**2 - 1))).mean())


def _drivers(
    weights: np.ndarray, ranks: np.ndarray, names: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per system, the weight its rank correlates with most, which way, and how strongly."""
    count = ranks.shape[1]
    w = weights - weights.mean(axis=0)
    r = ranks - ranks.mean(axis=0)
    w_sd, r_sd = w.std(axis=0), r.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = (w.T @ r) / len(ranks) / np.outer(w_sd, r_sd)  # weights x systems
    corr = np.nan_to_num(corr)
    if corr.shape[0] == 0:
        return np.full(count, ""), np.full(count, ""), np.zeros(count)
    best = np.abs(corr).argmax(axis=0)
    strength = corr[best, np.arange(count)]
    moved = np.abs(strength) > 0
    driver = np.where(moved, names[best], "")
    # a rank number falling as a weight grows means the system moves up the order
    direction = np.where(~moved, "", np.where(strength < 0, "earlier", "later"))
    return driver, direction, strength.round(3)
