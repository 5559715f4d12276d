"""How far to trust the inputs: the estimates the planner filled in from defaults, the
estimates given as one value (so the forecast spreads them by the policy's rule), and the
systems whose platform or end of support nobody recorded.

Examples
--------
>>> import planner
>>> quality = data_quality(planner.plan("data/examples/five-systems"))
>>> quality.loc["single-value cost estimate", ["systems", "out_of"]].tolist()
[2, 4]
"""

from __future__ import annotations

import pandas as pd

from planner.scoring import estimates

__all__ = ["data_quality"]

_SHOWN = 12


def _listed(ids: pd.Index) -> str:
    shown = ", ".join(ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN:,} more" if len(ids) > _SHOWN else "")


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
            "single-value cost estimate",
            planned[
                (
                    mine["replacement_cost_gbp_likely"].notna()
                    & mine["replacement_cost_gbp_low"].isna()
                    & mine["replacement_cost_gbp_high"].isna()
                ).to_numpy()
            ],
            len(planned),
            "no low or high: the forecast spreads it by the policy's uncertainty.spread",
        ),
        (
            "single-value duration estimate",
            planned[
                (
                    mine["replacement_months_likely"].notna()
                    & mine["replacement_months_low"].isna()
                    & mine["replacement_months_high"].isna()
                ).to_numpy()
            ],
            len(planned),
            "no low or high: the forecast spreads it by the policy's uncertainty.spread",
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
