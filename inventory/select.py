"""Choosing systems by what they are: category, organisation, criticality, platform, support.

Filters on enumerated fields take the words and synonyms the inventory files take (``T1``
is ``critical``, ``lims`` is ``pathology LIMS``); a word that matches nothing is an error
with the closest allowed value, never a silently empty table.

Examples
--------
>>> from inventory.model import Inventory
>>> inv = Inventory.from_records(
...     [{"id": "pas", "name": "PAS", "criticality": "critical", "platform": "Windows 2008"},
...      {"id": "ed", "name": "ED", "criticality": "high", "platform": "RHEL 8"}])
>>> select_systems(inv.systems, criticality="T1").index.tolist()
['pas']
>>> select_systems(inv.systems, platform="rhel").index.tolist()
['ed']
"""

from __future__ import annotations

import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.parse import parse_date, parse_enum, parse_ods
from inventory.schema import SYSTEMS

__all__ = ["ENUM_FILTERS", "select_systems"]

#: The enumerated fields a selection can filter on.
ENUM_FILTERS = ("category", "criticality", "disposition", "status", "hosting")


def select_systems(
    systems: pd.DataFrame,
    *,
    category: str | None = None,
    organisation: str | None = None,
    criticality: str | None = None,
    disposition: str | None = None,
    status: str | None = None,
    hosting: str | None = None,
    platform: str | None = None,
    unsupported_by: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The systems matching every filter given (each ``None`` filter is ignored).

    ``platform`` matches text anywhere in the platform, in any case; ``unsupported_by`` keeps
    systems whose end of support falls on or before that date (ISO or UK day-first).
    """
    keep = pd.Series(True, index=systems.index)
    wanted = {
        "category": category,
        "criticality": criticality,
        "disposition": disposition,
        "status": status,
        "hosting": hosting,
    }
    for column, value in wanted.items():
        if value is not None:
            keep &= systems[column] == _allowed(column, value)
    if organisation is not None:
        code = parse_ods(pd.Series([organisation]))
        if code.problems.notna().any():
            raise InvalidArgumentError("organisation", f"organisation {code.problems.iloc[0]}")
        keep &= systems["organisation"] == code.values.iloc[0]
    if platform is not None:
        keep &= systems["platform"].fillna("").str.contains(platform, case=False, regex=False)
    if unsupported_by is not None:
        keep &= systems["end_of_support"] <= _date("unsupported_by", unsupported_by)
    return systems[keep]


def _allowed(column: str, value: str) -> str:
    """The allowed value a filter word means (synonyms included), or an error saying why not."""
    field = SYSTEMS[column]
    parsed = parse_enum(pd.Series([value]), field.allowed, synonyms=field.synonyms)
    if parsed.problems.notna().any():
        raise InvalidArgumentError(column, f"{column} {parsed.problems.iloc[0]}")
    return str(parsed.values.iloc[0])


def _date(argument: str, value: str | pd.Timestamp) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp):
        return value
    parsed = parse_date(pd.Series([value]))
    if parsed.problems.notna().any():
        raise InvalidArgumentError(argument, f"{argument} {parsed.problems.iloc[0]}")
    return pd.Timestamp(str(parsed.values.iloc[0]))
