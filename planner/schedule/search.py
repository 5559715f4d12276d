"""The fast mode: priority lists placed by the serial scheme, searched for the best plan.

Pass 1 is the risk priority order; pass 2 the latest-finish order (end-of-support and
critical-path deadlines first); the rest are regret-biased random samples of the two (Drexl
1991; Kolisch 1996), seeded. Each is placed by the same serial scheme, so every constraint
holds in every pass; the best by the objective wins (ties go to the earlier pass). Above
``schedule.search_up_to`` units one pass is made.
"""

from __future__ import annotations

import numpy as np

from planner.policy import Policy
from planner.schedule import kernels
from planner.schedule.problem import Problem

__all__ = ["latest_finish", "priority_sequence", "search"]


def priority_sequence(problem: Problem) -> np.ndarray:
    """The single-pass processing order: highest priority first among the units whose
    prerequisites are placed."""
    a = problem.arrays
    return kernels.processing_order(
        problem.position,
        np.diff(a.pred_indptr).astype(np.int64),
        a.succ_indptr,
        a.succ_indices,
    )


def latest_finish(problem: Problem) -> np.ndarray:
    """Each unit's latest finish month ignoring resources: the end of support (if any), and
    early enough for everything that waits on it (a backward critical-path pass)."""
    a = problem.arrays
    total = int(a.lengths.sum()) + problem.horizon
    latest = np.minimum(np.minimum(problem.deadline_month, a.deadline), total).astype(np.int64)
    for i in priority_sequence(problem)[::-1]:
        for j in a.succ_indices[a.succ_indptr[i] : a.succ_indptr[i + 1]]:
            latest[i] = min(latest[i], latest[j] - a.lengths[j])
    return latest


def search(problem: Problem, policy: Policy) -> tuple[np.ndarray, dict]:
    """Try ``schedule.passes`` priority lists; return the best processing order and how it
    was found (passes, the chosen pass and its rule)."""
    settings = policy.schedule
    passes = settings.passes if problem.count <= settings.search_up_to else 1
    first = priority_sequence(problem)
    if passes <= 1 or problem.count < 2:
        return first, {"passes": 1, "chosen pass": 1, "chosen rule": "priority"}
    latest = latest_finish(problem)
    lft_position = np.empty(problem.count, dtype=np.int64)
    lft_position[np.lexsort((problem.position, latest))] = np.arange(problem.count)
    best, chosen = kernels.search(
        passes,
        settings.seed,
        settings.makespan_weight,
        problem.position,
        lft_position,
        problem.weights,
        problem.arrays,
        kernels.new_state(problem.arrays, len(problem.group_names)),
    )
    rule = (
        "priority"
        if chosen == 0
        else "latest finish"
        if chosen == 1
        else f"sampled ({'priority' if chosen % 2 == 0 else 'latest finish'})"
    )
    return best, {"passes": passes, "chosen pass": int(chosen) + 1, "chosen rule": rule}
