"""The planning policy: every weight, threshold, budget and calendar rule, from YAML.

``data/policy.yaml`` is the default and documents each setting. A policy file of your own
only needs the settings it changes; everything else comes from the default. Unknown or
mistyped settings are errors, reported like data errors (file, setting, value, fix).

Examples
--------
>>> policy = load_policy()
>>> policy.plan_start.date().isoformat(), policy.precedence
('2027-04-01', 'providers-first')
>>> policy.budget_for("2027/28")
12000000.0
>>> changed = policy.with_overrides(
...     {"priority.weights.risk": 0.8, "schedule.budget.by_year.2027/28": "4.5m"}
... )
>>> changed.priority["weights"]["risk"], changed.budget_for("2027/28")
(0.8, 4500000.0)
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from inventory.errors import ModerniseError
from inventory.report import ValidationReport
from inventory.schema import CATEGORIES, CRITICALITIES, DEPENDENCY_KINDS, enum_key

__all__ = [
    "DEFAULT_POLICY",
    "InvalidPolicyError",
    "Policy",
    "financial_year",
    "load_policy",
    "parse_budget_option",
]

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "data" / "policy.yaml"
PRECEDENCE_RULES = ("providers-first", "consumers-first", "none")
IMPACT_METHODS = ("exact", "approximate", "auto")
SCHEDULE_METHODS = ("fast", "optimal")
DISTRIBUTIONS = ("triangular", "pert")
#: Settings that take one of a fixed set of words.
_CHOICES = {
    "impact.method": IMPACT_METHODS,
    "ordering.precedence": PRECEDENCE_RULES,
    "schedule.method": SCHEDULE_METHODS,
    "uncertainty.distribution": DISTRIBUTIONS,
    "uncertainty.budget": ("hold", "flex"),
}


#: Settings that are lists of words from the inventory's vocabularies.
_WORD_LISTS = {
    "ordering.platform_categories": CATEGORIES,
    "ordering.platform_kinds": DEPENDENCY_KINDS,
    "blast_radius.hard_kinds": DEPENDENCY_KINDS,
    "blast_radius.hard_criticality": CRITICALITIES,
}
#: Settings that are a fraction from 0 to 1.
_FRACTIONS = {"schedule.makespan_weight"}
#: Mappings whose keys are the user's own (years, teams, categories), not fixed settings.
_OPEN_MAPPINGS = {
    "schedule.budget.by_year",
    "schedule.teams",
    "defaults.categories",
    "defaults.team_demand",
    "uncertainty.uplift.cost",
    "uncertainty.uplift.months",
}


class InvalidPolicyError(ModerniseError):
    """A policy file or override has problems; ``report`` lists each one."""

    def __init__(self, report: ValidationReport) -> None:
        n = len(report.errors)
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in the policy",
            hint="fix the settings listed; see data/policy.yaml for every setting",
        )
        self.report = report


def financial_year(date: pd.Timestamp | dt.date) -> str:
    """The NHS financial year (1 April - 31 March) holding a date, as '2027/28'.

    >>> financial_year(pd.Timestamp("2028-03-31")), financial_year(pd.Timestamp("2028-04-01"))
    ('2027/28', '2028/29')
    """
    start = date.year if date.month >= 4 else date.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _fy_key(label: str) -> str | None:
    """Normalise '2027/28', '2027-28', 'FY2027/28' or '2027/2028' to '2027/28'."""
    text = str(label).strip().upper().removeprefix("FY").strip()
    parts = text.replace("-", "/").split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    start, end = int(parts[0]), int(parts[1])
    if start < 1900 or (end % 100) != (start + 1) % 100:
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def _load_yaml(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ModerniseError(f"no policy file at {path}", hint="check the --policy path") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ModerniseError(f"{path.name} is not valid YAML{where}: {error}") from error
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ModerniseError(f"{path.name} must hold settings (a YAML mapping)")
    return document


def _merge(
    base: dict, changes: Mapping, prefix: str, report: ValidationReport, source: str
) -> dict:
    """Deep-merge ``changes`` into ``base``, reporting settings that do not exist."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        key = str(key)
        path = f"{prefix}{key}"
        if path in _OPEN_MAPPINGS:  # your teams, years and categories replace ours
            merged[key] = copy.deepcopy(value)
            continue
        if key not in base:
            close = difflib.get_close_matches(key, list(base), n=1)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
            report.add(source, None, path, value, f"unknown setting '{path}'{hint}")
            continue
        if isinstance(base[key], dict) and isinstance(value, Mapping):
            merged[key] = _merge(base[key], value, f"{path}.", report, source)
        else:
            merged[key] = value
    return merged


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        from inventory.parse import parse_money

        parsed = parse_money(pd.Series([value]))
        if parsed.problems.isna().all() and not pd.isna(parsed.values.iloc[0]):
            return float(parsed.values.iloc[0])
    return None


def _check(settings: dict, default: dict, prefix: str, report: ValidationReport, source: str):
    """Type-check settings against the default policy's shapes; convert money strings."""
    for key, value in list(settings.items()):
        path = f"{prefix}{key}"
        reference = default.get(key) if isinstance(default, dict) else None
        if path.rstrip(".") in ("plan_start",):
            continue
        if path in _OPEN_MAPPINGS:
            if not isinstance(value, Mapping):
                report.add(source, None, path, value, f"{path} must be a mapping of name: value")
                continue
            for inner_key, inner in list(value.items()):
                inner_path = f"{path}.{inner_key}"
                if path == "defaults.categories":
                    if not isinstance(inner, Mapping):
                        report.add(
                            source, None, inner_path, inner, f"{inner_path} must be a mapping"
                        )
                        continue
                    for field, amount in list(inner.items()):
                        if field not in ("replacement_cost_gbp", "replacement_months"):
                            report.add(
                                source,
                                None,
                                f"{inner_path}.{field}",
                                amount,
                                f"unknown setting '{inner_path}.{field}'; use "
                                "replacement_cost_gbp or replacement_months",
                            )
                            continue
                        number = _number(amount)
                        if number is None or number < 0:
                            report.add(
                                source,
                                None,
                                f"{inner_path}.{field}",
                                amount,
                                f"{inner_path}.{field} '{amount}' is not a positive number",
                            )
                        else:
                            inner[field] = number
                    continue
                if path == "schedule.budget.by_year" and _fy_key(inner_key) is None:
                    report.add(
                        source,
                        None,
                        inner_path,
                        inner_key,
                        f"'{inner_key}' is not a financial year; write it like 2027/28",
                    )
                    continue
                number = _number(inner)
                if number is None or number < 0:
                    report.add(
                        source,
                        None,
                        inner_path,
                        inner,
                        f"{inner_path} '{inner}' is not a number of zero or more",
                    )
                else:
                    value[inner_key] = number
            if path == "schedule.budget.by_year":
                settings[key] = {_fy_key(k) or k: v for k, v in value.items()}
            if path in ("schedule.teams", "defaults.team_demand"):
                settings[key] = {enum_key(str(k)): v for k, v in value.items()}
            continue
        if isinstance(reference, dict):
            if not isinstance(value, Mapping):
                report.add(source, None, path, value, f"{path} must be a group of settings")
                continue
            _check(value, reference, f"{path}.", report, source)
        elif path in _CHOICES:
            if value not in _CHOICES[path]:
                report.add(
                    source,
                    None,
                    path,
                    value,
                    f"{path} '{value}' is not one of: {', '.join(_CHOICES[path])}",
                )
        elif path in _FRACTIONS:
            number = _number(value)
            if number is None or not 0 <= number <= 1:
                report.add(
                    source, None, path, value, f"{path} '{value}' is not a number from 0 to 1"
                )
            else:
                settings[key] = number
        elif path in _WORD_LISTS:
            allowed = _WORD_LISTS[path]
            if not isinstance(value, list) or any(v not in allowed for v in value):
                wrong = [v for v in value if v not in allowed] if isinstance(value, list) else value
                report.add(
                    source,
                    None,
                    path,
                    value,
                    f"{path} has {wrong!r}, not in: {', '.join(allowed)}",
                )
        elif path == "stability.fragile_share":
            shares = [_number(v) for v in value] if isinstance(value, list) else []
            if len(shares) != 2 or None in shares or not 0 <= shares[0] < shares[1] <= 1:
                report.add(
                    source,
                    None,
                    path,
                    value,
                    f"{path} must be two shares from 0 to 1, the lower first, like [0.2, 0.8]",
                )
        elif path == "schedule.freeze_months":
            if not isinstance(value, list) or not all(
                isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
            ):
                report.add(
                    source,
                    None,
                    path,
                    value,
                    f"{path} must be a list of month numbers 1-12, like [12, 1, 2]",
                )
        elif path == "schedule.max_concurrent_projects":
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1
            ):
                report.add(
                    source,
                    None,
                    path,
                    value,
                    f"{path} must be a whole number of 1 or more, or null",
                )
        elif isinstance(reference, bool):
            if not isinstance(value, bool):
                report.add(source, None, path, value, f"{path} '{value}' is not true or false")
        elif isinstance(reference, int | float):
            number = _number(value)
            if number is None or number < 0:
                report.add(
                    source, None, path, value, f"{path} '{value}' is not a number of zero or more"
                )
            else:
                settings[key] = (
                    int(number) if isinstance(reference, int) and number.is_integer() else number
                )


@dataclass(frozen=True)
class Policy:
    """A validated planning policy (see ``data/policy.yaml`` for every setting)."""

    settings: dict
    source: str = "policy.yaml"

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_mapping(
        cls, changes: Mapping | None = None, *, source: str = "policy", base: Mapping | None = None
    ) -> Policy:
        """Build a policy from the default with ``changes`` (nested or dotted keys) applied."""
        default = dict(base) if base is not None else _load_yaml(DEFAULT_POLICY)
        report = ValidationReport()
        nested = _undot(changes or {})
        merged = _merge(default, nested, "", report, source)
        _check(merged, default, "", report, source)
        start = merged.get("plan_start")
        try:
            merged["plan_start"] = pd.Timestamp(start).normalize().replace(day=1)
        except (ValueError, TypeError):
            report.add(source, None, "plan_start", start, f"plan_start '{start}' is not a date")
        weights = merged.get("priority", {}).get("weights", {})
        if isinstance(weights, dict) and not sum(
            w for w in weights.values() if isinstance(w, int | float)
        ):
            report.add(source, None, "priority.weights", weights, "priority weights add up to 0")
        if not report.valid:
            raise InvalidPolicyError(report)
        return cls(merged, source)

    def with_overrides(self, changes: Mapping) -> Policy:
        """A copy with settings changed; keys may be dotted ('priority.weights.risk').

        A whole mapping of teams, budget years, categories or default team demand replaces
        the current one; a dotted key into one ('schedule.budget.by_year.2027/28') changes
        just that entry.
        """
        base = copy.deepcopy(self.settings)
        base["plan_start"] = self.plan_start.date().isoformat()
        expanded: dict = {}
        for key, value in changes.items():
            key = str(key)
            inside = next((m for m in _OPEN_MAPPINGS if key.startswith(m + ".")), None)
            if inside is None:
                expanded[key] = value
                continue
            current = expanded.get(inside)
            if current is None:
                current = copy.deepcopy(_lookup(base, inside))
            current[key[len(inside) + 1 :]] = value
            expanded[inside] = current
        return Policy.from_mapping(expanded, source=self.source, base=base)

    # -- the parts the planner reads -----------------------------------------------------

    @property
    def plan_start(self) -> pd.Timestamp:
        return self.settings["plan_start"]

    @property
    def horizon_months(self) -> int:
        return int(self.settings["horizon_months"])

    @property
    def risk(self) -> dict:
        return self.settings["risk"]

    @property
    def cost(self) -> dict:
        return self.settings["cost"]

    @property
    def impact(self) -> dict:
        return self.settings["impact"]

    @property
    def priority(self) -> dict:
        return self.settings["priority"]

    @property
    def precedence(self) -> str:
        return self.settings["ordering"]["precedence"]

    @property
    def retire(self) -> dict:
        return self.settings["ordering"]["retire"]

    @property
    def defaults(self) -> dict:
        return self.settings["defaults"]

    @property
    def schedule(self) -> dict:
        return self.settings["schedule"]

    @property
    def teams(self) -> dict[str, float]:
        return dict(self.schedule["teams"])

    @property
    def freeze_months(self) -> tuple[int, ...]:
        return tuple(self.schedule["freeze_months"])

    def budget_for(self, year: str) -> float:
        """Capital budget for a financial year label such as '2027/28'."""
        budget = self.schedule["budget"]
        return float(budget["by_year"].get(_fy_key(year) or year, budget["default_gbp"]))

    # -- output ----------------------------------------------------------------------------

    def to_yaml(self) -> str:
        settings = copy.deepcopy(self.settings)
        settings["plan_start"] = self.plan_start.date().isoformat()
        return yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)

    def __repr__(self) -> str:
        w = self.priority["weights"]
        return (
            f"<Policy from {self.source}: start {self.plan_start.date()}, "
            f"{self.precedence}, priority = {w.get('risk', 0):g} risk + "
            f"{w.get('impact', 0):g} impact + {w.get('cost', 0):g} cost>"
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.to_yaml())}</pre>"


def _lookup(settings: Mapping, dotted: str) -> dict:
    value = settings
    for part in dotted.split("."):
        value = value[part]
    return dict(value)


def _undot(changes: Mapping) -> dict:
    """Turn {'a.b.c': 1} into {'a': {'b': {'c': 1}}}; budget years keep their '/'."""
    nested: dict = {}
    for key, value in changes.items():
        parts = str(key).split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if isinstance(value, Mapping) and isinstance(target.get(parts[-1]), dict):
            target[parts[-1]].update(value)
        else:
            target[parts[-1]] = value
    return nested


def load_policy(
    path: str | Path | None = None, overrides: Mapping | None = None, **keywords: object
) -> Policy:
    """Load a policy file (or the default) and apply overrides.

    ``overrides`` takes dotted keys (``{"priority.weights.risk": 0.7}``); keyword arguments
    name top-level settings (``plan_start="2028-04-01"``).
    """
    changes: dict = {}
    source = "policy.yaml"
    if path is not None:
        path = Path(path)
        source = path.name
        changes.update(_load_yaml(path))
    policy = Policy.from_mapping(changes, source=source)
    extra = {**(overrides or {}), **keywords}
    return policy.with_overrides(extra) if extra else policy


def parse_budget_option(text: str) -> tuple[str, float]:
    """Read a ``--budget 2027/28=4.5m`` option into ('2027/28', 4500000.0).

    >>> parse_budget_option("2027/28=4.5m")
    ('2027/28', 4500000.0)
    """
    from inventory.errors import UsageError

    year, _, amount = text.partition("=")
    key = _fy_key(year)
    number = _number(amount.strip()) if amount else None
    if key is None or number is None or number < 0:
        raise UsageError(
            f"--budget '{text}' is not a financial year and an amount",
            hint="write it like --budget 2027/28=4.5m",
        )
    return key, number
