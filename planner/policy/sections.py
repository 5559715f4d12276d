"""The policy's sections as typed models, in the order of ``policy.yaml`` (which documents
every setting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationInfo, field_validator

from inventory.schema import (
    CLINICAL_SAFETY_CLASSES,
    CRITICALITIES,
    DEPENDENCY_KINDS,
    SPEND_PROFILES,
    SpendProfile,
)
from planner.policy.values import (
    BUDGET_MODES,
    DISTRIBUTIONS,
    IMPACT_METHODS,
    MAX_PASSES,
    MAX_RUNS,
    MAX_SAMPLES,
    PRECEDENCE_RULES,
    SCHEDULE_METHODS,
    Amount,
    BudgetMode,
    Distribution,
    FinancialYear,
    Flag,
    Fraction,
    ImpactMethod,
    Positive,
    PrecedenceRule,
    ScheduleMethod,
    Section,
    Team,
    freeze_months,
    fy_key,
    number_check,
    one_of,
    problem,
    project_cap,
    shares,
    whole,
    words,
)

__all__ = [
    "AgePoints",
    "BlastRadiusSettings",
    "Budget",
    "CategoryDefaults",
    "Consequence",
    "CostSettings",
    "CostWeights",
    "CriticalityPoints",
    "DefaultsSettings",
    "DownstreamPoints",
    "ImpactParts",
    "ImpactSettings",
    "Likelihood",
    "OrderingSettings",
    "PrioritySettings",
    "PriorityWeights",
    "Retire",
    "RiskSettings",
    "RunCostSaved",
    "ScheduleSettings",
    "SkillsPoints",
    "Spread",
    "StabilitySettings",
    "SupportPoints",
    "UncertaintySettings",
    "Uplift",
]

# --- the sections, in the order of policy.yaml ---------------------------------------------


class SupportPoints(Section):
    past: Amount
    within_12_months: Amount
    within_24_months: Amount
    unknown: Amount


class AgePoints(Section):
    over_25_years: Amount
    over_15_years: Amount


class SkillsPoints(Section):
    none: Amount
    low: Amount
    medium: Amount
    high: Amount
    critical: Amount


class Likelihood(Section):
    support: SupportPoints
    age: AgePoints
    per_known_vulnerability: Amount
    max_vulnerability_points: Amount
    skills_scarcity: SkillsPoints
    unsupported_hosting: Amount


class CriticalityPoints(Section):
    low: Amount
    medium: Amount
    high: Amount
    critical: Amount


class DownstreamPoints(Section):
    at_least_50: Amount
    at_least_10: Amount


class Consequence(Section):
    criticality: CriticalityPoints
    patient_facing: Amount
    downstream: DownstreamPoints


class RiskSettings(Section):
    likelihood: Likelihood
    consequence: Consequence


class RunCostSaved(Section):
    replace: Fraction
    replatform: Fraction
    rehost: Fraction
    refactor: Fraction
    retire: Fraction
    retain: Fraction


_SectionT = TypeVar("_SectionT", bound=BaseModel)


def complete_shares(weights: _SectionT) -> _SectionT:
    """Weights are shares that add up to 1: a partial set (one weight changed, the others
    left as they were) is refused rather than silently rescaled.

    A problem reads like 'add up to 1.15, not 1 (risk 0.7, impact 0.3, cost 0.15); give
    every weight, as shares adding up to 1'.
    """
    values = weights.model_dump()
    total = sum(values.values())
    if total > 0 and abs(total - 1) > 1e-6:
        listed = ", ".join(f"{name} {value:g}" for name, value in values.items())
        raise problem(
            f"add up to {total:g}, not 1 ({listed}); give every weight, as shares adding up to 1"
        )
    return weights


class CostWeights(Section):
    money: Amount
    months: Amount


class CostSettings(Section):
    appraisal_years: Amount
    run_cost_saved: RunCostSaved
    money_floor_gbp: Positive
    money_reference_gbp: Positive
    months_reference: Positive
    weights: CostWeights

    @field_validator("money_reference_gbp")
    @classmethod
    def _above_the_floor(cls, reference: float, info: ValidationInfo) -> float:
        floor = info.data.get("money_floor_gbp")
        if floor is not None and reference <= floor:
            raise problem(
                f"'{reference:,.0f}' is not above money_floor_gbp ({floor:,.0f}); the money score "
                "runs from the floor (0) to the reference (100)"
            )
        return reference

    @field_validator("weights")
    @classmethod
    def _complete(cls, weights: CostWeights) -> CostWeights:
        return complete_shares(weights)


class ImpactParts(Section):
    downstream: Amount
    downstream_weighted: Amount
    direct_dependents: Amount
    interfaces: Amount
    patient_facing_dependents: Amount


class ImpactReferences(Section):
    """What scores 100 on each part of impact: above 0, as each score is a share of it."""

    downstream: Positive
    downstream_weighted: Positive
    direct_dependents: Positive
    interfaces: Positive
    patient_facing_dependents: Positive


class ImpactSettings(Section):
    method: Annotated[ImpactMethod, one_of(IMPACT_METHODS)]
    exact_up_to: whole(0, 10**12)  # type: ignore[valid-type]
    criticality_weights: CriticalityPoints
    references: ImpactReferences
    weights: ImpactParts

    @field_validator("weights")
    @classmethod
    def _complete(cls, weights: ImpactParts) -> ImpactParts:
        return complete_shares(weights)


class BlastRadiusSettings(Section):
    hard_kinds: words(DEPENDENCY_KINDS)  # type: ignore[valid-type]
    hard_criticality: words(CRITICALITIES)  # type: ignore[valid-type]
    headcount: whole(1, 10**8) | None = None  # type: ignore[valid-type]


class PriorityWeights(Section):
    risk: Amount
    impact: Amount
    cost: Amount


class PrioritySettings(Section):
    weights: PriorityWeights
    top_n: whole(1, 10**9)  # type: ignore[valid-type]

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, weights: PriorityWeights) -> PriorityWeights:
        if weights.risk + weights.impact + weights.cost <= 0:
            raise problem("add up to 0; give at least one weight above 0")
        return complete_shares(weights)


class Retire(Section):
    cost_fraction: Amount
    months: Amount
    window_months: whole(0, 120)  # type: ignore[valid-type]
    base_gbp: Amount
    archive_gbp_per_gb: Amount


class OrderingSettings(Section):
    precedence: Annotated[PrecedenceRule, one_of(PRECEDENCE_RULES)]
    platform_kinds: words(DEPENDENCY_KINDS)  # type: ignore[valid-type]
    coupling_kinds: words(DEPENDENCY_KINDS)  # type: ignore[valid-type]
    retire: Retire


class CategoryDefaults(Section):
    replacement_cost_gbp: Amount | None = None
    replacement_months: Amount | None = None


class DefaultsSettings(Section):
    replacement_cost_gbp: Amount
    replacement_months: Amount
    team_demand: dict[Team, Amount]
    categories: dict[str, CategoryDefaults]


class Budget(Section):
    default_gbp: Amount | None  # None: no limit
    by_year: dict[FinancialYear, Amount]

    @field_validator("by_year", mode="before")
    @classmethod
    def _years_once(cls, years: object) -> object:
        if isinstance(years, Mapping):
            seen: dict[str, str] = {}
            for label in years:
                key = fy_key(label)
                if key is not None and key in seen:
                    raise problem(
                        f"gives {key} twice ('{seen[key]}' and '{label}'); keep one of them"
                    )
                if key is not None:
                    seen[key] = str(label)
        return years


class GoLiveSettings(Section):
    per_month: whole(1, 1000) | None  # type: ignore[valid-type]
    clinical_gap_months: whole(0, 24)  # type: ignore[valid-type]
    spaced_classes: words(CLINICAL_SAFETY_CLASSES)  # type: ignore[valid-type]
    stabilisation_months: whole(0, 24)  # type: ignore[valid-type]
    major_cost_gbp: Amount


class ApprovalSettings(Section):
    board_gbp: Amount
    board_months: whole(0, 60)  # type: ignore[valid-type]
    national_capital_gbp: Amount
    national_whole_life_gbp: Amount
    national_months: whole(0, 60)  # type: ignore[valid-type]
    whole_life_years: whole(1, 50)  # type: ignore[valid-type]


class ScheduleSettings(Section):
    budget: Budget
    revenue_budget: Budget
    teams: dict[Team, Amount]
    go_live: GoLiveSettings
    approval: ApprovalSettings
    contract_deadline: Flag
    max_concurrent_projects: Annotated[int | None, BeforeValidator(project_cap)]
    freeze_months: Annotated[tuple[int, ...], BeforeValidator(freeze_months)]
    respect_contract_end: Flag
    makespan_weight: Fraction
    method: Annotated[ScheduleMethod, one_of(SCHEDULE_METHODS)]
    passes: whole(1, MAX_PASSES)  # type: ignore[valid-type]
    search_up_to: whole(0, 10**12)  # type: ignore[valid-type]
    seed: whole(0, 2**32 - 1)  # type: ignore[valid-type]
    time_limit_seconds: Annotated[
        float,
        BeforeValidator(number_check(0.1, 86_400, False, "a number of seconds from 0.1 to 86,400")),
    ]
    workers: whole(1, 64)  # type: ignore[valid-type]


class CapitalShare(Section):
    default: Fraction
    SaaS: Fraction
    categories: dict[str, Fraction]


class MoneySettings(Section):
    capital_share: CapitalShare
    spend_profile: Annotated[SpendProfile, one_of(SPEND_PROFILES)]
    max_stretch: Annotated[
        float, BeforeValidator(number_check(1, 10, False, "a number from 1 to 10"))
    ]
    parallel_running_months: whole(0, 60)  # type: ignore[valid-type]


class SafetyEffort(Section):
    """FTE of the clinical-safety team on a safety case, by clinical-safety class."""

    low: Amount
    medium: Amount
    high: Amount


class ClinicalSafetySettings(Section):
    team: Team
    lead_months: whole(0, 24)  # type: ignore[valid-type]
    fte: SafetyEffort


class Spread(Section):
    """A blank low or high estimate as a multiple of the likely one: low at most 1, high at
    least 1 (a low above the likely value would turn the range around)."""

    low: Fraction
    high: Amount

    @field_validator("high")
    @classmethod
    def _at_least_one(cls, high: float) -> float:
        if high < 1:
            raise problem(f"'{high:g}' is below 1; the high estimate is at least the likely one")
        return high


class Uplift(Section):
    cost: dict[str, Positive]
    months: dict[str, Positive]


class UncertaintySettings(Section):
    runs: whole(1, MAX_RUNS)  # type: ignore[valid-type]
    seed: whole(0, 2**32 - 1)  # type: ignore[valid-type]
    distribution: Annotated[Distribution, one_of(DISTRIBUTIONS)]
    spread: Spread
    uplift: Uplift
    budget: Annotated[BudgetMode, one_of(BUDGET_MODES)]


class StabilitySettings(Section):
    samples: whole(2, MAX_SAMPLES)  # type: ignore[valid-type]
    concentration: Positive
    seed: whole(0, 2**32 - 1)  # type: ignore[valid-type]
    fragile_share: Annotated[tuple[float, float], BeforeValidator(shares)]
