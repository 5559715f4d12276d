"""Validation issues collected as data: where, what, and how to fix it.

Examples
--------
>>> report = ValidationReport()
>>> report.add("systems.csv", 14, "criticality", "hgh",
...            "criticality 'hgh' is not one of: low, medium, high, critical")
>>> report.valid
False
>>> print(report)
systems.csv row 14: criticality 'hgh' is not one of: low, medium, high, critical
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from inventory.characters import shown as escaped

__all__ = ["MISSING_COLUMN", "Issue", "ValidationReport"]

#: How an error about a missing required column begins (see
#: :attr:`ValidationReport.lacks_required_columns`).
MISSING_COLUMN = "missing required column"

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as the input allows.

    ``row`` is the row number a person sees: the spreadsheet row for CSV and XLSX (the header
    is row 1), the record number (from 1) for JSON and YAML. It is ``None`` for problems with a
    whole file or column.
    """

    source: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"
    row_label: str = "row"

    @property
    def location(self) -> str:
        return self.source if self.row is None else f"{self.source} {self.row_label} {self.row}"

    def __str__(self) -> str:
        """One line a terminal shows as written: characters it would act on (an escape, a
        line break) appear as escapes such as ``\\x1b``."""
        prefix = "warning: " if self.severity == "warning" else ""
        return escaped(f"{self.location}: {prefix}{self.message}")


@dataclass
class ValidationReport:
    """Every issue found; ``valid`` is true when none of them is an error."""

    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        source: str,
        row: int | None,
        column: str | None,
        value: object,
        message: str,
        *,
        severity: Severity = "error",
        row_label: str = "row",
    ) -> None:
        """Record one issue; ``value`` is shown as text, shortened when very long, with
        unprintable characters and line breaks as escapes (``\\x1b``)."""
        shown = (
            None
            if value is None or (isinstance(value, float) and pd.isna(value))
            else escaped(str(value))
        )
        if shown is not None and len(shown) > 200:
            shown = shown[:197] + "..."
        self.issues.append(Issue(source, row, column, shown, message, severity, row_label))

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def lacks_required_columns(self) -> bool:
        """A file lacks a required column: most likely a register kept in its own layout,
        to be read through a column mapping."""
        return any(issue.message.startswith(MISSING_COLUMN) for issue in self.errors)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def sorted(self) -> list[Issue]:
        """Issues in reading order: by file, then row, errors before warnings."""
        return sorted(
            self.issues,
            key=lambda i: (i.source, i.row or 0, i.severity != "error", i.column or ""),
        )

    def to_frame(self) -> pd.DataFrame:
        """Return the issues as a table: severity, source, row, column, value, message."""
        columns = ["severity", "source", "row", "column", "value", "message"]
        rows = [(i.severity, i.source, i.row, i.column, i.value, i.message) for i in self.sorted()]
        frame = pd.DataFrame(rows, columns=columns)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.sorted())

    def __repr__(self) -> str:
        return f"<ValidationReport {len(self.errors)} errors, {len(self.warnings)} warnings>"
