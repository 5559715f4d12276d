"""Planner fixtures: a policy with a simple calendar and small inventories built in code."""

from __future__ import annotations

import pytest

from inventory.model import Inventory
from planner.policy import load_policy


@pytest.fixture
def policy():
    """The default policy starting 1 April 2027."""
    return load_policy()


def simple_policy(**changes):
    """A policy with generous budgets, one team, every cost capital, no freeze, no go-live
    limits or spacing and no approval gates unless changed."""
    base = {
        "schedule.freeze_months": [],
        "schedule.budget.default_gbp": 1e12,
        "schedule.budget.by_year": {},
        "schedule.teams": {"integration": 100},
        "schedule.max_concurrent_projects": None,
        "schedule.respect_contract_end": True,
        "schedule.go_live.per_month": None,
        "schedule.go_live.clinical_gap_months": 0,
        "schedule.go_live.stabilisation_months": 0,
        "schedule.approval.board_gbp": 1e15,
        "schedule.approval.national_capital_gbp": 1e15,
        "schedule.approval.national_whole_life_gbp": 1e15,
        "money.capital_share.default": 1.0,
        "money.capital_share.SaaS": 1.0,
        "defaults.team_demand": {},
        "ordering.precedence": "none",
    }
    base.update(changes)
    return load_policy().with_overrides(base)


def system(id, **fields):
    """A system record that is planned unless told otherwise."""
    record = {
        "id": id,
        "name": id.upper(),
        "disposition": "replace",
        "replacement_cost_gbp_likely": 1_200_000.0,
        "replacement_months_likely": 12.0,
    }
    record.update(fields)
    return record


def inventory(systems, dependencies=()):
    return Inventory.from_records(systems, list(dependencies))
