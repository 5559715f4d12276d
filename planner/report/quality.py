"""How far to trust the inputs: the estimates the planner filled in from defaults, the
estimates given as one value (so the forecast spreads them by the policy's rule), and the
systems whose platform or end of support nobody recorded.

Examples
--------
>>> import planner
>>> quality = data_quality(planner.plan("data/examples/five-systems"))
>>> quality.loc["no range for the cost", ["systems", "out_of"]].tolist()  # tie, ed, lab-db
[3, 4]
"""

from __future__ import annotations

import pandas as pd

from planner.scoring import estimates

__all__ = ["data_quality"]

_SHOWN = 12
_NO_RANGE = (
    "given as one value: the forecast draws it as certain (or, where low and high are blank, "
    "spreads it by uncertainty.spread), so the P80 dates look surer than they are"
)


def _listed(ids: pd.Index) -> str:
    shown = ", ".join(ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN:,} more" if len(ids) > _SHOWN else "")


def _single(systems: pd.DataFrame, column: str) -> pd.Series:
    """Estimates with no range: low and high blank (a single value, or no estimate at all),
    or both the likely value."""
    low, likely, high = (systems[f"{column}_{part}"] for part in ("low", "likely", "high"))
    same = (low == likely) & (high == likely)
    return (low.isna() & high.isna()) | same


def data_quality(result) -> pd.DataFrame:
    """One row per check: how many systems fail it, out of how many it applies to, which
    (the first twelve ids), and what it means for the plan."""
    systems = result.inventory.systems
    planned = result.scores.index[result.scores["planned"]]
    used = estimates(systems.loc[planned], result.policy)
    mine = systems.loc[planned]
    not_saas = systems["hosting"] != "SaaS"
    checks = [
        (
            "cost estimate defaulted",
            planned[used["cost_estimated"].to_numpy()],
            len(planned),
            "the category or policy default is used; the cost and the schedule are guesses",
        ),
        (
            "duration estimate defaulted",
            planned[used["months_estimated"].to_numpy()],
            len(planned),
            "the category or policy default is used",
        ),
        (
            "no range for the cost",
            planned[_single(mine, "replacement_cost_gbp").to_numpy()],
            len(planned),
            _NO_RANGE,
        ),
        (
            "no range for the duration",
            planned[_single(mine, "replacement_months").to_numpy()],
            len(planned),
            _NO_RANGE,
        ),
        (
            "category 'other'",
            systems.index[(systems["category"] == "other").to_numpy()],
            len(systems),
            "no category, or one the schema does not know: a blank cost or duration takes the "
            "policy's general default, not a category's; grouped under 'other' in the roadmap",
        ),
        (
            "no platform",
            systems.index[systems["platform"].isna().to_numpy()],
            len(systems),
            "its end of support cannot be derived from the platform lifecycles",
        ),
        (
            "no end of support",
            systems.index[(systems["end_of_support"].isna() & not_saas).to_numpy()],
            int(not_saas.sum()),
            "scored as 'support unknown'; it may already be unsupported (SaaS not counted)",
        ),
        (
            "no contract end",
            systems.index[systems["contract_end"].isna().to_numpy()],
            len(systems),
            "contract exposure cannot be judged",
        ),
    ]
    frame = pd.DataFrame(
        {
            "systems": [len(ids) for _, ids, _, _ in checks],
            "out_of": [total for _, _, total, _ in checks],
            "which": [_listed(ids) for _, ids, _, _ in checks],
            "meaning": [meaning for _, _, _, meaning in checks],
        },
        index=pd.Index([name for name, _, _, _ in checks], name="check"),
    )
    return frame
