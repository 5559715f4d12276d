"""The kinds of value a policy setting takes, each with its own check and wording: money,
fractions, whole numbers in range, words from a list, financial years, month starts.

A check raises :func:`problem` with text that follows the setting's path in the message
(``schedule.passes '0' is not a whole number from 1 to 100,000``).

Examples
--------
>>> fy_key("FY2027-28"), parse_amount("£4.5m")
('2027/28', 4500000.0)
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal, get_args

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from pydantic_core import PydanticCustomError

from inventory.parse import parse_date, parse_money
from inventory.schema import enum_key

__all__ = [
    "BUDGET_MODES",
    "DISTRIBUTIONS",
    "IMPACT_METHODS",
    "MAX_HORIZON_MONTHS",
    "MAX_PASSES",
    "MAX_RUNS",
    "MAX_SAMPLES",
    "PRECEDENCE_RULES",
    "SCHEDULE_METHODS",
    "Amount",
    "BudgetMode",
    "Distribution",
    "FinancialYear",
    "Flag",
    "Fraction",
    "ImpactMethod",
    "MonthStart",
    "Positive",
    "PrecedenceRule",
    "ScheduleMethod",
    "Section",
    "Team",
    "financial_year",
    "financial_year_label",
    "freeze_months",
    "fy_key",
    "month_start",
    "number_check",
    "one_of",
    "parse_amount",
    "problem",
    "project_cap",
    "shares",
    "strict_bool",
    "team",
    "whole",
    "words",
]

PrecedenceRule = Literal["providers-first", "consumers-first", "none"]
ImpactMethod = Literal["exact", "approximate", "auto"]
ScheduleMethod = Literal["fast", "optimal"]
Distribution = Literal["triangular", "pert"]
BudgetMode = Literal["hold", "flex"]
PRECEDENCE_RULES: tuple[str, ...] = get_args(PrecedenceRule)
IMPACT_METHODS: tuple[str, ...] = get_args(ImpactMethod)
SCHEDULE_METHODS: tuple[str, ...] = get_args(ScheduleMethod)
DISTRIBUTIONS: tuple[str, ...] = get_args(Distribution)
BUDGET_MODES: tuple[str, ...] = get_args(BudgetMode)
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


def problem(text: str, *, standalone: bool = False) -> PydanticCustomError:
    """A policy problem; its text follows the setting's path unless it reads ``standalone``."""
    # the text is context, not the template, so braces in a user's value are kept as typed
    return PydanticCustomError("policy", "{text}", {"text": text, "standalone": standalone})


def number_check(low: float, high: float | None, whole: bool, wording: str):
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
            raise problem(f"'{value}' is not {wording}")
        assert number is not None
        return int(number) if whole else number

    return check


#: Money or a plain number, zero or more (finite).
Amount = Annotated[float, BeforeValidator(number_check(0, None, False, "a number of zero or more"))]
#: A number from 0 to 1.
Fraction = Annotated[float, BeforeValidator(number_check(0, 1, False, "a number from 0 to 1"))]
#: A positive number (a multiplier).
Positive = Annotated[float, BeforeValidator(number_check(1e-12, None, False, "a number above 0"))]


def whole(low: int, high: int) -> Any:
    wording = f"a whole number from {low:,} to {high:,}"
    return Annotated[int, BeforeValidator(number_check(low, high, True, wording))]


def strict_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise problem(f"'{value}' is not true or false")
    return value


Flag = Annotated[bool, BeforeValidator(strict_bool)]


def one_of(allowed: tuple[str, ...]) -> BeforeValidator:
    """A check that a word is one of ``allowed`` (for an ``Annotated[Literal[...], ...]``)."""

    def check(value: object) -> object:
        if value not in allowed:
            raise problem(f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    return BeforeValidator(check)


def words(allowed: tuple[str, ...]) -> Any:
    def check(value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or any(v not in allowed for v in value):
            wrong = (
                [v for v in value if v not in allowed] if isinstance(value, list | tuple) else value
            )
            raise problem(f"has {wrong!r}, not in: {', '.join(allowed)}")
        return tuple(value)

    return Annotated[tuple[str, ...], BeforeValidator(check)]


def team(value: object) -> str:
    return enum_key(str(value))


def financial_year_label(value: object) -> str:
    key = fy_key(value)
    if key is None:
        raise problem(f"'{value}' is not a financial year; write it like 2027/28", standalone=True)
    return key


def freeze_months(value: object) -> tuple[int, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
    ):
        raise problem("must be a list of month numbers 1-12, like [12, 1, 2]")
    return tuple(value)


def project_cap(value: object) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise problem("must be a whole number of 1 or more, or null")
    return value


def month_start(value: object) -> pd.Timestamp:
    """The first of the month ``value`` falls in: a date, or text read as the inventory's
    dates are (day first, as in the UK: 01/04/2028 is 1 April; a month alone, Apr 2028).
    A number is not a date (pandas would read it as nanoseconds)."""
    stamp = None
    if isinstance(value, dt.date):
        stamp = pd.Timestamp(value)
    elif isinstance(value, str):
        parsed = parse_date(pd.Series([value], dtype="object"), partial="start")
        said = parsed.problems.iloc[0]
        if isinstance(said, str):  # 31/02/2028: 'there is no day 31 in month 2 of 2028'
            raise problem(said)
        stamp = pd.Timestamp(parsed.values.to_numpy()[0])
    if stamp is None or pd.isna(stamp) or not 1900 <= stamp.year <= 2100:
        raise problem(f"'{value}' is not a date from 1900 to 2100")
    return stamp.normalize().replace(day=1)


Team = Annotated[str, BeforeValidator(team)]
FinancialYear = Annotated[str, BeforeValidator(financial_year_label)]
MonthStart = Annotated[
    pd.Timestamp,
    BeforeValidator(month_start),
    PlainSerializer(lambda stamp: stamp.date().isoformat(), return_type=str),
]


class Section(BaseModel):
    """A group of settings: no unknown keys, no NaN or infinity, immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def shares(value: object) -> tuple[float, float]:
    shares = [parse_amount(v) for v in value] if isinstance(value, list | tuple) else []
    if (
        len(shares) != 2
        or None in shares
        or not all(math.isfinite(s) for s in shares if s is not None)
        or not 0 <= shares[0] < shares[1] <= 1  # type: ignore[operator]
    ):
        raise problem("must be two shares from 0 to 1, the lower first, like [0.2, 0.8]")
    return (float(shares[0]), float(shares[1]))  # type: ignore[arg-type]
