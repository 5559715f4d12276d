"""The policy itself: the default merged with your file and overrides, checked, and read back.

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
...     {"priority.weights.risk": 0.7, "priority.weights.impact": 0.15,
...      "schedule.budget.by_year.2027/28": "4.5m"}
... )
>>> changed.priority.weights.risk, changed.budget_for("2027/28")
(0.7, 4500000.0)
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import html
import json
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from inventory.errors import InvalidPolicyError, MissingFileError
from inventory.files import PlainLoader, too_many_digits, yaml_problem
from inventory.output import note_input
from inventory.report import ValidationReport
from inventory.resources import default_policy_path
from planner.policy.sections import (
    BlastRadiusSettings,
    Budget,
    ClinicalSafetySettings,
    CostSettings,
    DefaultsSettings,
    ImpactSettings,
    MoneySettings,
    OrderingSettings,
    PrioritySettings,
    RiskSettings,
    ScheduleSettings,
    StabilitySettings,
    UncertaintySettings,
)
from planner.policy.values import MAX_HORIZON_MONTHS, MonthStart, Section, fy_key, whole

__all__ = ["Policy", "load_policy", "policy_from_text"]


class Policy(Section):
    """A validated planning policy (``policy.yaml`` documents every setting).

    Build one with :func:`load_policy`; change it with :meth:`with_overrides`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    plan_start: MonthStart
    horizon_months: whole(1, MAX_HORIZON_MONTHS)  # type: ignore[valid-type]
    risk: RiskSettings
    cost: CostSettings
    impact: ImpactSettings
    blast_radius: BlastRadiusSettings
    priority: PrioritySettings
    ordering: OrderingSettings
    defaults: DefaultsSettings
    money: MoneySettings
    schedule: ScheduleSettings
    clinical_safety: ClinicalSafetySettings
    uncertainty: UncertaintySettings
    stability: StabilitySettings

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

        A whole mapping of teams, budget years or default team demand replaces the current
        one (category defaults are merged entry by entry); a dotted key into one
        ('schedule.budget.by_year.2027/28') changes just that entry. Problems are reported
        as coming from ``source`` (default: the words 'the overrides').
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

    @property
    def sha256(self) -> str:
        """A hash of every setting (the policy's JSON with sorted keys): two policies with the
        same settings have the same hash, however their files were written.

        >>> load_policy().sha256 == load_policy().with_overrides({"priority.top_n": 20}).sha256
        True
        """
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def budget_for(self, year: str) -> float:
        """Capital budget for a financial year label such as '2027/28' (inf: no limit)."""
        return _in_year(self.schedule.budget, year)

    def revenue_budget_for(self, year: str) -> float:
        """Revenue budget for projects in a financial year (inf: no limit)."""
        return _in_year(self.schedule.revenue_budget, year)

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


def _in_year(budget: Budget, year: str) -> float:
    amount = budget.by_year.get(fy_key(year) or year, budget.default_gbp)
    return float("inf") if amount is None else float(amount)


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


#: Open mappings of reference estimates: a policy naming some of their entries keeps the
#: others (a trust's own cost for 'other' must not drop the EPR's default). Other open
#: mappings (your teams, your budget years) are yours, and replaced whole.
_MERGED_BY_ENTRY = ("categories",)


def _merge(settings: dict, changes: Mapping, model: type[BaseModel] | None) -> dict:
    """Deep-merge ``changes`` into ``settings`` where the setting is a group (a model) or
    one of :data:`_MERGED_BY_ENTRY`; another open mapping (your teams, years) or a plain
    value is replaced whole. Unknown keys are kept for validation to report."""
    merged = dict(settings)
    fields = model.model_fields if model is not None else {}
    for key, value in changes.items():
        key = str(key)
        inner = _model_of(fields[key].annotation) if key in fields else None
        by_entry = key in _MERGED_BY_ENTRY and isinstance(value, Mapping)
        if inner is not None and isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, inner)
        elif (
            key in fields
            and (isinstance(value, _Dotted) or by_entry)
            and isinstance(merged.get(key), dict)
        ):
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


def _refuse(name: str, message: str, line: int | None = None) -> InvalidPolicyError:
    report = ValidationReport()
    report.add(name, line, None, None, message, row_label="line")
    return InvalidPolicyError(report)


def _read_yaml(path: Path) -> dict:
    """Settings from a YAML file: safe loading, no aliases, no key given twice."""
    note_input(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFileError(path, what="policy file") from None
    except OSError as error:
        raise _refuse(path.name, f"cannot be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            path.name, f"is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    return _parse_yaml(text, path.name)


def _parse_yaml(text: str, name: str) -> dict:
    """Settings from YAML text read from ``name`` (safe loading, no aliases, no key twice)."""

    def refuse(message: str, line: int | None = None) -> InvalidPolicyError:
        return _refuse(name, message, line)

    try:
        document = yaml.load(text, Loader=PlainLoader)
    except yaml.YAMLError as error:
        problem, line, _ = yaml_problem(error, text)
        raise refuse(f"is not valid YAML: {problem or error}", line) from None
    except ValueError:  # Python refuses to read a whole number of over 4,300 digits
        raise refuse(too_many_digits()) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise refuse("must hold settings (a YAML mapping)")
    return document


def load_policy(
    path: str | Path | None = None,
    overrides: Mapping | None = None,
    *,
    source: str | None = None,
    **keywords: object,
) -> Policy:
    """Load a policy file (or the default) and apply overrides.

    ``overrides`` takes dotted keys (``{"priority.top_n": 10}``); keyword arguments
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


def policy_from_text(text: str, name: str) -> Policy:
    """A policy from the YAML text of a policy file called ``name`` (as a store keeps it).

    >>> policy_from_text("priority: {top_n: 10}", "board.yaml").priority.top_n
    10
    """
    return Policy.from_mapping(_parse_yaml(text, name), source=name)
