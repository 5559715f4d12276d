"""The planning policy: every weight, threshold, budget and calendar rule, as typed settings.

``policy.yaml`` (bundled; see :func:`inventory.resources.default_policy_path`) is the default
and documents each setting. A policy file of your own only needs the settings it changes;
everything else comes from the default. Each section is a pydantic model, so a setting is read
as ``policy.schedule.budget.default_gbp``, numbers are finite and within their range, and
words are checked against their allowed values. Problems are reported like data errors
(where the setting came from, the setting, its value, how to fix it).

Examples
--------
>>> policy = load_policy()
>>> policy.plan_start.date().isoformat(), policy.ordering.precedence
('2027-04-01', 'providers-first')
>>> policy.budget_for("2027/28")
12000000.0
>>> changed = policy.with_overrides(
...     {"priority.weights.risk": 0.8, "schedule.budget.by_year.2027/28": "4.5m"}
... )
>>> changed.priority.weights.risk, changed.budget_for("2027/28")
(0.8, 4500000.0)
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import html
import math
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from inventory.errors import InvalidPolicyError, MissingFileError
from inventory.parse import parse_money
from inventory.report import ValidationReport
from inventory.resources import default_policy_path
from inventory.schema import CATEGORIES, CRITICALITIES, DEPENDENCY_KINDS, enum_key

__all__ = [
    "IMPACT_METHODS",
    "PRECEDENCE_RULES",
    "Policy",
    "financial_year",
    "fy_key",
    "load_policy",
    "parse_amount",
]

PRECEDENCE_RULES = ("providers-first", "consumers-first", "none")
IMPACT_METHODS = ("exact", "approximate", "auto")
SCHEDULE_METHODS = ("fast", "optimal")
DISTRIBUTIONS = ("triangular", "pert")
BUDGET_MODES = ("hold", "flex")
#: Upper bounds that keep a mistyped number from running for days or exhausting memory.
MAX_HORIZON_MONTHS = 1200
MAX_PASSES = 100_000
MAX_RUNS = 1_000_000
MAX_SAMPLES = 1_000_000


def financial_year(date: pd.Timestamp | dt.date) -> str:
    """The NHS financial year (1 April - 31 March) holding a date, as '2027/28'.

    >>> financial_year(pd.Timestamp("2028-03-31")), financial_year(pd.Timestamp("2028-04-01"))
    ('2027/28', '2028/29')
    """
    start = date.year if date.month >= 4 else date.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def fy_key(label: object) -> str | None:
    """Normalise '2027/28', '2027-28', 'FY2027/28' or '2027/2028' to '2027/28' (else None).

    >>> fy_key("FY2027-28"), fy_key("next year")
    ('2027/28', None)
    """
    text = str(label).strip().upper().removeprefix("FY").strip()
    parts = text.replace("-", "/").split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    start, end = int(parts[0]), int(parts[1])
    if not 1900 <= start <= 2100 or (end % 100) != (start + 1) % 100:
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def parse_amount(value: object) -> float | None:
    """A number, or money written as people write it ('4.5m', '£250k'); None if neither.

    >>> parse_amount("£4.5m"), parse_amount(7), parse_amount("lots"), parse_amount(True)
    (4500000.0, 7.0, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        parsed = parse_money(pd.Series([value]))
        if parsed.problems.isna().all() and not pd.isna(parsed.values.iloc[0]):
            return float(parsed.values.iloc[0])
    return None


# --- value types: each check says what is wrong in the policy's own words ------------------


def _problem(text: str, *, standalone: bool = False) -> PydanticCustomError:
    """A policy problem; its text follows the setting's path unless it reads ``standalone``."""
    # the text is context, not the template, so braces in a user's value are kept as typed
    return PydanticCustomError("policy", "{text}", {"text": text, "standalone": standalone})


def _number_check(low: float, high: float | None, whole: bool, wording: str):
    def check(value: object) -> float | int:
        number = parse_amount(value)
        fits = (
            number is not None
            and math.isfinite(number)
            and number >= low
            and (high is None or number <= high)
            and (not whole or number.is_integer())
        )
        if not fits:
            raise _problem(f"'{value}' is not {wording}")
        assert number is not None
        return int(number) if whole else number

    return check


#: Money or a plain number, zero or more (finite).
Amount = Annotated[
    float, BeforeValidator(_number_check(0, None, False, "a number of zero or more"))
]
#: A number from 0 to 1.
Fraction = Annotated[float, BeforeValidator(_number_check(0, 1, False, "a number from 0 to 1"))]
#: A positive number (a multiplier).
Positive = Annotated[float, BeforeValidator(_number_check(1e-12, None, False, "a number above 0"))]


def _whole(low: int, high: int) -> Any:
    wording = f"a whole number from {low:,} to {high:,}"
    return Annotated[int, BeforeValidator(_number_check(low, high, True, wording))]


def _strict_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _problem(f"'{value}' is not true or false")
    return value


Flag = Annotated[bool, BeforeValidator(_strict_bool)]


def _choice(*allowed: str) -> Any:
    def check(value: object) -> object:
        if value not in allowed:
            raise _problem(f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    return Annotated[Literal[allowed], BeforeValidator(check)]  # type: ignore[valid-type]


def _words(allowed: tuple[str, ...]) -> Any:
    def check(value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or any(v not in allowed for v in value):
            wrong = (
                [v for v in value if v not in allowed] if isinstance(value, list | tuple) else value
            )
            raise _problem(f"has {wrong!r}, not in: {', '.join(allowed)}")
        return tuple(value)

    return Annotated[tuple[str, ...], BeforeValidator(check)]


def _team(value: object) -> str:
    return enum_key(str(value))


def _financial_year(value: object) -> str:
    key = fy_key(value)
    if key is None:
        raise _problem(f"'{value}' is not a financial year; write it like 2027/28", standalone=True)
    return key


def _freeze(value: object) -> tuple[int, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
    ):
        raise _problem("must be a list of month numbers 1-12, like [12, 1, 2]")
    return tuple(value)


def _project_cap(value: object) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise _problem("must be a whole number of 1 or more, or null")
    return value


def _month_start(value: object) -> pd.Timestamp:
    stamp = None
    if isinstance(value, str | dt.date):  # a number is not a date (pandas reads it as ns)
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError, OverflowError):
            stamp = None
    if stamp is None or pd.isna(stamp) or not 1900 <= stamp.year <= 2100:
        raise _problem(f"'{value}' is not a date from 1900 to 2100")
    return stamp.normalize().replace(day=1)


Team = Annotated[str, BeforeValidator(_team)]
FinancialYear = Annotated[str, BeforeValidator(_financial_year)]
MonthStart = Annotated[
    pd.Timestamp,
    BeforeValidator(_month_start),
    PlainSerializer(lambda stamp: stamp.date().isoformat(), return_type=str),
]


class _Section(BaseModel):
    """A group of settings: no unknown keys, no NaN or infinity, immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --- the sections, in the order of policy.yaml ---------------------------------------------


class SupportPoints(_Section):
    past: Amount
    within_12_months: Amount
    within_24_months: Amount
    unknown: Amount


class AgePoints(_Section):
    over_25_years: Amount
    over_15_years: Amount


class SkillsPoints(_Section):
    none: Amount
    low: Amount
    medium: Amount
    high: Amount
    critical: Amount


class Likelihood(_Section):
    support: SupportPoints
    age: AgePoints
    per_known_vulnerability: Amount
    max_vulnerability_points: Amount
    skills_scarcity: SkillsPoints
    unsupported_hosting: Amount


class CriticalityPoints(_Section):
    low: Amount
    medium: Amount
    high: Amount
    critical: Amount


class DownstreamPoints(_Section):
    at_least_50: Amount
    at_least_10: Amount


class Consequence(_Section):
    criticality: CriticalityPoints
    patient_facing: Amount
    downstream: DownstreamPoints


class Risk(_Section):
    likelihood: Likelihood
    consequence: Consequence


class RunCostSaved(_Section):
    replace: Fraction
    replatform: Fraction
    rehost: Fraction
    refactor: Fraction
    retire: Fraction
    retain: Fraction


class CostWeights(_Section):
    money: Amount
    months: Amount


class Cost(_Section):
    appraisal_years: Amount
    run_cost_saved: RunCostSaved
    money_floor_gbp: Positive
    money_reference_gbp: Positive
    months_reference: Positive
    weights: CostWeights


class ImpactParts(_Section):
    downstream: Amount
    downstream_weighted: Amount
    direct_dependents: Amount
    interfaces: Amount
    patient_facing_dependents: Amount


class Impact(_Section):
    method: _choice(*IMPACT_METHODS)  # type: ignore[valid-type]
    exact_up_to: _whole(0, 10**12)  # type: ignore[valid-type]
    criticality_weights: CriticalityPoints
    references: ImpactParts
    weights: ImpactParts


class BlastRadius(_Section):
    hard_kinds: _words(DEPENDENCY_KINDS)  # type: ignore[valid-type]
    hard_criticality: _words(CRITICALITIES)  # type: ignore[valid-type]


class PriorityWeights(_Section):
    risk: Amount
    impact: Amount
    cost: Amount


class Priority(_Section):
    weights: PriorityWeights
    top_n: _whole(1, 10**9)  # type: ignore[valid-type]

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, weights: PriorityWeights) -> PriorityWeights:
        if weights.risk + weights.impact + weights.cost <= 0:
            raise _problem("add up to 0; give at least one weight above 0")
        return weights


class Retire(_Section):
    cost_fraction: Amount
    months: Amount


class Ordering(_Section):
    precedence: _choice(*PRECEDENCE_RULES)  # type: ignore[valid-type]
    platform_categories: _words(CATEGORIES)  # type: ignore[valid-type]
    platform_kinds: _words(DEPENDENCY_KINDS)  # type: ignore[valid-type]
    retire: Retire


class CategoryDefaults(_Section):
    replacement_cost_gbp: Amount | None = None
    replacement_months: Amount | None = None


class Defaults(_Section):
    replacement_cost_gbp: Amount
    replacement_months: Amount
    team_demand: dict[Team, Amount]
    categories: dict[str, CategoryDefaults]


class Budget(_Section):
    default_gbp: Amount
    by_year: dict[FinancialYear, Amount]

    @field_validator("by_year", mode="before")
    @classmethod
    def _years_once(cls, years: object) -> object:
        if isinstance(years, Mapping):
            seen: dict[str, str] = {}
            for label in years:
                key = fy_key(label)
                if key is not None and key in seen:
                    raise _problem(
                        f"gives {key} twice ('{seen[key]}' and '{label}'); keep one of them"
                    )
                if key is not None:
                    seen[key] = str(label)
        return years


class Schedule(_Section):
    budget: Budget
    teams: dict[Team, Amount]
    max_concurrent_projects: Annotated[int | None, BeforeValidator(_project_cap)]
    freeze_months: Annotated[tuple[int, ...], BeforeValidator(_freeze)]
    respect_contract_end: Flag
    makespan_weight: Fraction
    method: _choice(*SCHEDULE_METHODS)  # type: ignore[valid-type]
    passes: _whole(1, MAX_PASSES)  # type: ignore[valid-type]
    search_up_to: _whole(0, 10**12)  # type: ignore[valid-type]
    seed: _whole(0, 2**32 - 1)  # type: ignore[valid-type]
    time_limit_seconds: Annotated[
        float,
        BeforeValidator(
            _number_check(0.1, 86_400, False, "a number of seconds from 0.1 to 86,400")
        ),
    ]
    workers: _whole(1, 64)  # type: ignore[valid-type]


class Spread(_Section):
    low: Amount
    high: Amount


class Uplift(_Section):
    cost: dict[str, Positive]
    months: dict[str, Positive]


class Uncertainty(_Section):
    runs: _whole(1, MAX_RUNS)  # type: ignore[valid-type]
    seed: _whole(0, 2**32 - 1)  # type: ignore[valid-type]
    distribution: _choice(*DISTRIBUTIONS)  # type: ignore[valid-type]
    spread: Spread
    uplift: Uplift
    budget: _choice(*BUDGET_MODES)  # type: ignore[valid-type]


def _shares(value: object) -> tuple[float, float]:
    shares = [parse_amount(v) for v in value] if isinstance(value, list | tuple) else []
    if (
        len(shares) != 2
        or None in shares
        or not all(math.isfinite(s) for s in shares if s is not None)
        or not 0 <= shares[0] < shares[1] <= 1  # type: ignore[operator]
    ):
        raise _problem("must be two shares from 0 to 1, the lower first, like [0.2, 0.8]")
    return (float(shares[0]), float(shares[1]))  # type: ignore[arg-type]


class Stability(_Section):
    samples: _whole(2, MAX_SAMPLES)  # type: ignore[valid-type]
    concentration: Positive
    seed: _whole(0, 2**32 - 1)  # type: ignore[valid-type]
    fragile_share: Annotated[tuple[float, float], BeforeValidator(_shares)]


class Policy(_Section):
    """A validated planning policy (``policy.yaml`` documents every setting).

    Build one with :func:`load_policy`; change it with :meth:`with_overrides`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    plan_start: MonthStart
    horizon_months: _whole(1, MAX_HORIZON_MONTHS)  # type: ignore[valid-type]
    risk: Risk
    cost: Cost
    impact: Impact
    blast_radius: BlastRadius
    priority: Priority
    ordering: Ordering
    defaults: Defaults
    schedule: Schedule
    uncertainty: Uncertainty
    stability: Stability

    _source: str = PrivateAttr(default="policy.yaml")

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_mapping(
        cls, changes: Mapping | None = None, *, source: str = "policy", base: Mapping | None = None
    ) -> Policy:
        """The default policy (or ``base``) with ``changes`` (nested or dotted keys) applied.

        Problems are reported as coming from ``source`` (a file name, or the keywords).
        """
        settings = (
            copy.deepcopy(dict(base)) if base is not None else _read_yaml(default_policy_path())
        )
        merged = _merge(settings, _undot(changes or {}), cls)
        try:
            policy = cls.model_validate(merged)
        except ValidationError as error:
            raise InvalidPolicyError(_report(error, source)) from None
        policy._source = source
        return policy

    def with_overrides(self, changes: Mapping, *, source: str | None = None) -> Policy:
        """A copy with settings changed; keys may be dotted ('priority.weights.risk').

        A whole mapping of teams, budget years, categories or default team demand replaces
        the current one; a dotted key into one ('schedule.budget.by_year.2027/28') changes
        just that entry. Problems are reported as coming from ``source`` (default: the
        words 'the overrides').
        """
        changed = Policy.from_mapping(
            changes, source=source or "the overrides", base=self.model_dump(mode="json")
        )
        changed._source = self._source
        return changed

    def __eq__(self, other: object) -> bool:
        """Two policies are equal when their settings are (wherever each came from)."""
        return isinstance(other, Policy) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # settings hold mappings

    # -- what the planner reads ------------------------------------------------------------

    @property
    def source(self) -> str:
        """Where the policy came from (a file name, or 'policy.yaml' for the default)."""
        return self._source

    def budget_for(self, year: str) -> float:
        """Capital budget for a financial year label such as '2027/28'."""
        budget = self.schedule.budget
        return float(budget.by_year.get(fy_key(year) or year, budget.default_gbp))

    # -- output ----------------------------------------------------------------------------

    def to_yaml(self) -> str:
        """The whole policy as YAML, in the default file's order (comments are not kept)."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)

    def __repr__(self) -> str:
        w = self.priority.weights
        return (
            f"<Policy from {self.source}: start {self.plan_start.date()}, "
            f"{self.ordering.precedence}, priority = {w.risk:g} risk + "
            f"{w.impact:g} impact + {w.cost:g} cost>"
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.to_yaml())}</pre>"


# --- merging and messages ----------------------------------------------------------------


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model class an annotation holds (through Annotated and Optional), if any."""
    if get_origin(annotation) is Annotated:
        return _model_of(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        found = [m for a in get_args(annotation) if (m := _model_of(a)) is not None]
        return found[0] if found else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _entry_model(annotation: Any) -> type[BaseModel] | None:
    """For an open mapping ``dict[K, V]``, the model class of V (if V is a model)."""
    if get_origin(annotation) is Annotated:
        return _entry_model(get_args(annotation)[0])
    if get_origin(annotation) is dict:
        return _model_of(get_args(annotation)[1])
    return None


def _merge(settings: dict, changes: Mapping, model: type[BaseModel] | None) -> dict:
    """Deep-merge ``changes`` into ``settings`` where the setting is a group (a model);
    an open mapping (your teams, years, categories) or a plain value is replaced whole.
    Unknown keys are kept for validation to report."""
    merged = dict(settings)
    fields = model.model_fields if model is not None else {}
    for key, value in changes.items():
        key = str(key)
        inner = _model_of(fields[key].annotation) if key in fields else None
        if inner is not None and isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, inner)
        elif key in fields and isinstance(value, _Dotted) and isinstance(merged.get(key), dict):
            merged[key] = _merge_entries(merged[key], value, _entry_model(fields[key].annotation))
        else:
            merged[key] = value.plain() if isinstance(value, _Dotted) else copy.deepcopy(value)
    return merged


def _merge_entries(entries: dict, changes: _Dotted, entry: type[BaseModel] | None) -> dict:
    """Change single entries of an open mapping (a dotted key reached inside it)."""
    merged = dict(entries)
    for key, value in changes.items():
        current = merged.get(key)
        if entry is not None and isinstance(value, Mapping) and isinstance(current, dict):
            merged[key] = _merge(current, value, entry)
        else:
            merged[key] = value.plain() if isinstance(value, _Dotted) else copy.deepcopy(value)
    return merged


class _Dotted(dict):
    """Settings reached by a dotted key: inside an open mapping they change single entries
    (``schedule.budget.by_year.2027/28``) instead of replacing the whole mapping."""

    def plain(self) -> dict:
        return {k: v.plain() if isinstance(v, _Dotted) else v for k, v in self.items()}


def _undot(changes: Mapping) -> dict:
    """Turn {'a.b.c': 1} into {'a': {'b': {'c': 1}}}; budget years keep their '/'."""
    nested: dict = {}
    for key, value in changes.items():
        parts = str(key).split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, _Dotted())
        last = parts[-1]
        if isinstance(value, Mapping) and isinstance(target.get(last), dict):
            target[last].update(value)
        else:
            target[last] = value
    return nested


def _path(location: tuple) -> str:
    return ".".join(str(part) for part in location if part != "[key]")


def _report(error: ValidationError, source: str) -> ValidationReport:
    """Every problem pydantic found, in the policy's own wording."""
    report = ValidationReport()
    for problem in error.errors(include_url=False):
        location = tuple(problem["loc"])
        path = _path(location)
        value = problem.get("input")
        kind = problem["type"]
        if kind == "extra_forbidden":
            *parents, name = path.split(".")
            prefix = ".".join(parents) + "." if parents else ""
            close = difflib.get_close_matches(str(name), _known(location), n=1)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
            message = f"unknown setting '{path}'{hint}"
        elif kind == "policy":
            context = problem["ctx"]
            message = context["text"] if context["standalone"] else f"{path} {context['text']}"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"{path} must be a group of settings"
        elif kind == "missing":
            message = f"{path} is missing (the default policy.yaml has it)"
        else:  # pragma: no cover - every setting has its own check above
            message = f"{path}: {problem['msg']}"
        report.add(source, None, path, value if not isinstance(value, dict) else None, message)
    return report


def _known(location: tuple) -> list[str]:
    """The names allowed where an unknown setting was found (for 'did you mean')."""
    model: type[BaseModel] | None = Policy
    parts = list(location[:-1])
    while parts and model is not None:
        part = str(parts.pop(0))
        field = model.model_fields.get(part)
        if field is None:
            return []
        entry = _entry_model(field.annotation)
        if entry is not None:
            if not parts:
                return []
            parts.pop(0)  # the user's own key (a category, a team)
            model = entry
        else:
            model = _model_of(field.annotation)
    return list(model.model_fields) if model is not None else []


def _read_yaml(path: Path) -> dict:
    """Settings from a YAML file, read with safe loading."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MissingFileError(path, what="policy file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        report = ValidationReport()
        report.add(
            path.name,
            mark.line + 1 if mark else None,
            None,
            None,
            f"is not valid YAML: {getattr(error, 'problem', None) or error}",
            row_label="line",
        )
        raise InvalidPolicyError(report) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        report = ValidationReport()
        report.add(path.name, None, None, None, "must hold settings (a YAML mapping)")
        raise InvalidPolicyError(report)
    return document


def load_policy(
    path: str | Path | None = None,
    overrides: Mapping | None = None,
    *,
    source: str | None = None,
    **keywords: object,
) -> Policy:
    """Load a policy file (or the default) and apply overrides.

    ``overrides`` takes dotted keys (``{"priority.weights.risk": 0.7}``); keyword arguments
    name top-level settings (``plan_start="2028-04-01"``). Problems in the file are reported
    against the file's name, problems in the overrides against ``source``.
    """
    changes: dict = {}
    name = "policy.yaml"
    if path is not None:
        path = Path(path)
        name = path.name
        changes.update(_read_yaml(path))
    policy = Policy.from_mapping(changes, source=name)
    extra = {**(overrides or {}), **keywords}
    return policy.with_overrides(extra, source=source) if extra else policy
