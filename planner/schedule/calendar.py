"""The NHS planning calendar: whole months from the plan's start, financial years, freezes.

Examples
--------
>>> cal = Calendar(pd.Timestamp("2027-04-01"), 24)
>>> cal.fy_labels[:2], cal.month_start(12).date().isoformat()
(['2027/28', '2028/29'], '2028-04-01')
>>> cal.month_end(0).date().isoformat()
'2027-04-30'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.policy import financial_year

__all__ = ["Calendar"]


@dataclass(frozen=True)
class Calendar:
    """Months from a start date: month 0 is the plan's first month."""

    start: pd.Timestamp
    months: int

    def month_start(self, index: int) -> pd.Timestamp:
        return self.start + pd.DateOffset(months=int(index))

    def month_end(self, index: int) -> pd.Timestamp:
        return self.month_start(index + 1) - pd.Timedelta(days=1)

    def months_after_start(self, dates: pd.Series) -> np.ndarray:
        """Each date's month counted from the plan's first (0), as floats; NaN where blank.

        >>> Calendar(pd.Timestamp("2027-04-01"), 24).months_after_start(
        ...     pd.Series(pd.to_datetime(["2027-04-30", "2028-01-15", None]))).tolist()
        [0.0, 9.0, nan]
        """
        when = pd.to_datetime(dates)
        months = (when.dt.year - self.start.year) * 12 + when.dt.month - self.start.month
        return months.to_numpy(dtype=float, na_value=np.nan)

    def index_of(self, date: pd.Timestamp) -> int:
        """Month index holding ``date`` (negative before the start)."""
        return (date.year - self.start.year) * 12 + (date.month - self.start.month)

    @functools.cached_property
    def month_starts(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.months, freq="MS")

    @functools.cached_property
    def month_ends(self) -> pd.DatetimeIndex:
        return self.month_starts + pd.offsets.MonthEnd(0)

    @functools.cached_property
    def month_of_year(self) -> np.ndarray:
        return self.month_starts.month.to_numpy()

    @functools.cached_property
    def _years(self) -> tuple[list[str], np.ndarray]:
        labels = [financial_year(d) for d in self.month_starts]
        ordered = list(dict.fromkeys(labels))
        lookup = {label: i for i, label in enumerate(ordered)}
        return ordered, np.array([lookup[label] for label in labels], dtype=np.int64)

    @property
    def fy_labels(self) -> list[str]:
        return list(self._years[0])

    @property
    def fy_index(self) -> np.ndarray:
        return self._years[1]
