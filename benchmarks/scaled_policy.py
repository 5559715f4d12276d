"""The policy the national-scale benchmarks plan under: the default policy with budgets and
team capacity scaled to the estate (one trust's worth per 250 systems, as a national
programme would fund it), and no cap on projects at once.

It uses only ``load_policy`` and ``with_overrides``, so the benchmarks that import it run
unchanged on older versions of the planner (for before/after figures).
"""

from __future__ import annotations


def scaled_policy(systems: int):
    """The default policy scaled to an estate of ``systems`` systems."""
    from planner.policy import load_policy

    policy = load_policy()
    factor = max(1.0, systems / 250)
    schedule = policy.schedule
    return policy.with_overrides(
        {
            "schedule.teams": {t: c * factor for t, c in dict(schedule.teams).items()},
            "schedule.budget.default_gbp": schedule.budget.default_gbp * factor,
            "schedule.budget.by_year": {
                str(y): b * factor for y, b in dict(schedule.budget.by_year).items()
            },
            "schedule.max_concurrent_projects": None,
        }
    )
