"""What the estate costs to run, financial year by financial year, as the plan unfolds.

A system's running cost (``annual_run_cost_gbp``) is paid until it stops: a retirement at
its decommissioning, a replacement ``money.parallel_running_months`` after its replacement
goes live (kept read-only for reconciliation and archive access). What replaces it runs
from its go-live at ``future_run_cost_gbp`` (blank: today's cost), unless it is replaced by
another system of the register (``replaced_by``) with no future cost of its own: then what
replaces it is that system, whose running cost is counted once, on it; a rehosted, replatformed
or refactored system changes cost at its go-live the same way; a retired system's work is
absorbed by another and adds nothing. A system not yet built (status ``planned``, such as a
new EPR) costs nothing until its go-live and then its own running cost; doing nothing, it
never runs. *Double running* is what legacy systems cost in the
months after their replacement (or the system that absorbs them) went live.

Each system adds at most four steps to difference arrays, so the trajectory costs
O(systems + months).

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> result.run_costs.index.name, list(result.run_costs.columns)  # doctest: +NORMALIZE_WHITESPACE
('financial_year', ['do_nothing_gbp', 'planned_gbp', 'legacy_gbp', 'replacement_gbp',
 'double_running_gbp'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.schedule import Calendar

__all__ = ["run_costs_by_fy"]

#: Dispositions whose go-live brings in a new product beside the legacy system.
_NEW_PRODUCT = "replace"
#: Dispositions that change the same system (its cost changes at go-live, nothing runs twice).
_CHANGED = ("rehost", "replatform", "refactor")


def run_costs_by_fy(
    systems: pd.DataFrame,
    schedule: pd.DataFrame,
    calendar: Calendar,
) -> pd.DataFrame:
    """The running cost of the estate per financial year, with the plan and with nothing
    replaced: ``do_nothing_gbp``, ``planned_gbp`` = ``legacy_gbp`` (systems still running
    as they are) + ``replacement_gbp`` (what replaced or changed them), and
    ``double_running_gbp`` (the part of ``legacy_gbp`` paid after the replacement is live).

    ``schedule`` is the plan's per-system schedule: ``disposition``, ``finish_month`` (its
    go-live), ``stop_month`` (the month the legacy system stops running) and
    ``replaced_month`` (the month its replacement, or the system absorbing it, goes live).
    """
    months = calendar.months
    given = systems["annual_run_cost_gbp"].fillna(0.0).to_numpy(dtype=float) / 12.0
    future = systems["future_run_cost_gbp"].to_numpy(dtype=float) / 12.0
    no_future = np.isnan(future)  # no future cost given: today's goes on
    future = np.where(no_future, given, future)
    new = (systems["status"] == "planned").to_numpy()
    rate = np.where(new, 0.0, given)  # what runs today
    planned = schedule[["stop_month", "replaced_month", "finish_month", "disposition"]].reindex(
        systems.index
    )

    def month(column: str, missing: int) -> np.ndarray:
        values = planned[column].to_numpy(dtype=float)
        return np.where(np.isnan(values), missing, values).astype(np.int64)

    stop = month("stop_month", months)
    double_from = np.minimum(month("replaced_month", months) + 1, stop)
    live = month("finish_month", months) + 1
    disposition = planned["disposition"].to_numpy(dtype=object)
    # replaced by a system of the register: that system's own cost is what replaced it
    # (counted on it), unless this one names a future cost of its own
    by_register = (
        systems["replaced_by"].isin(systems.index).to_numpy()
        & no_future
        & (disposition == _NEW_PRODUCT)
    )
    brought_in = (
        (np.isin(disposition, (_NEW_PRODUCT, *_CHANGED)) | new) & ~by_register & (live <= months)
    )
    zero = np.zeros(len(rate), dtype=np.int64)
    by_month = pd.DataFrame(
        {
            "do_nothing_gbp": np.full(months, rate.sum()),
            "legacy_gbp": _steps(rate, zero, stop, months),
            "replacement_gbp": _steps(np.where(brought_in, future, 0.0), live, months, months),
            "double_running_gbp": _steps(rate, double_from, stop, months),
        }
    )
    by_year = by_month.groupby(calendar.fy_index).sum()
    by_year.insert(1, "planned_gbp", by_year["legacy_gbp"] + by_year["replacement_gbp"])
    by_year.index = pd.Index([calendar.fy_labels[i] for i in by_year.index], name="financial_year")
    return by_year


def _steps(rate: np.ndarray, begin: np.ndarray, end, months: int) -> np.ndarray:
    """Per month, the sum of ``rate`` over the systems running in months ``begin .. end-1``.

    >>> _steps(np.array([1.0, 2.0]), np.array([0, 1]), np.array([2, 3]), 4).tolist()
    [1.0, 3.0, 2.0, 0.0]
    """
    begin = np.clip(begin, 0, months)
    end = np.broadcast_to(np.clip(end, 0, months), begin.shape)
    keep = end > begin
    difference = np.zeros(months + 1)
    np.add.at(difference, begin[keep], rate[keep])
    np.add.at(difference, end[keep], -rate[keep])
    return np.cumsum(difference)[:months]
