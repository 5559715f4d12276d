"""The unsupported-systems register, in the shape a trust reports for the Data Security and
Protection Toolkit (the unsupported-systems guidance; the CAF outcomes on asset management
and supported components): each component and version past its end of support, the
essential function it serves, the compensating control, the risk owner, and the financial
year the plan remediates it.

The inventory holds no compensating controls or risk owners, so those columns are left
blank for the trust to fill in (:data:`TO_COMPLETE` says so), never guessed.

Examples
--------
>>> import planner
>>> register = unsupported_register(planner.plan("data/examples/five-systems"))
>>> register["System id"].tolist()
['lab-db', 'pas', 'tie']
>>> register.loc[0, "Remediation financial year"]
'2027/28'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.spreadsheet import as_text, cell_text, formula_like, safe_csv
from planner.policy import financial_year

__all__ = ["COLUMNS", "TO_COMPLETE", "unsupported_register", "write_register"]

#: The columns the trust completes: the inventory does not hold them.
TO_COMPLETE = ("Compensating control", "Risk owner")
COLUMNS = (
    "System id",
    "System",
    "Component",
    "Version",
    "Platform",
    "Supplier",
    "End of support",
    "Essential function",
    "Criticality",
    *TO_COMPLETE,
    "Remediation",
    "Remediation go-live",
    "Remediation financial year",
)
#: The note written above the register wherever it goes.
NOTE = (
    "Systems past their end of support at {date}. Compensating control and Risk owner are "
    "not held in the inventory: the trust completes them."
)


def unsupported_register(result, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every system whose end of support is before ``as_of`` (default: the plan's start),
    with how and when the plan remediates it; retained systems say so. Sorted by end of
    support, oldest first."""
    when = pd.Timestamp(as_of) if as_of is not None else result.start
    systems = result.inventory.systems
    out = systems[systems["end_of_support"] < when]
    out = out.sort_values(["end_of_support", "name"], kind="stable")
    schedule = result.schedule.reindex(out.index)
    planned = result.scores["planned"].reindex(out.index).fillna(False).astype(bool)
    go_live = schedule["go_live"]
    remediation = out["disposition"].where(planned, "retain: none planned")
    remediation = remediation.where(
        ~(planned & go_live.isna()), out["disposition"] + ": not scheduled"
    )
    blank = pd.Series("", index=out.index)
    frame = pd.DataFrame(
        {
            "System id": out.index,
            "System": out["name"],
            "Component": out["product"].fillna(out["name"]),
            "Version": out["version"].fillna(""),
            "Platform": out["platform"].fillna(""),
            "Supplier": out["supplier"].fillna(""),
            "End of support": out["end_of_support"],
            "Essential function": out["category"],
            "Criticality": out["criticality"],
            "Compensating control": blank,
            "Risk owner": blank,
            "Remediation": remediation,
            "Remediation go-live": go_live,
            "Remediation financial year": [
                financial_year(d) if pd.notna(d) else "" for d in go_live
            ],
        }
    )
    return frame.reset_index(drop=True)[list(COLUMNS)]


def write_register(register: pd.DataFrame, path: str | Path, *, as_of: pd.Timestamp) -> Path:
    """Write the register as CSV or XLSX (by the suffix). A CSV stays one table (the note
    is the XLSX's first row and the report's); cells a spreadsheet could run as formulas
    are neutralised in both."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        safe_csv(register, path)
        return path
    if suffix != ".xlsx":
        raise InvalidArgumentError(
            "path",
            f"cannot write the register to '{path.name}'",
            hint="use a .csv or .xlsx file name",
        )
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.create_sheet("Unsupported systems", 0)
    workbook.remove(workbook.worksheets[1])  # the empty sheet every new workbook has
    sheet.append([NOTE.format(date=f"{as_of:%-d %B %Y}")])
    sheet.append(list(register.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="005EB8")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for name in TO_COMPLETE:
        sheet.cell(2, list(register.columns).index(name) + 1).fill = PatternFill(
            "solid", fgColor="B2182B"
        )
    for number, row in enumerate(register.itertuples(index=False, name=None), start=3):
        values = [
            v.to_pydatetime()
            if isinstance(v, pd.Timestamp)
            else (None if v is pd.NaT else cell_text(v))
            for v in row
        ]
        sheet.append(values)
        for column, value in enumerate(values, start=1):
            if formula_like(value):
                as_text(sheet.cell(number, column))
    for column, name in enumerate(register.columns, 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 14 if "date" in name or "support" in name else 22
        if name in ("End of support", "Remediation go-live"):
            for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
                cell.number_format = "dd mmm yyyy"
    sheet.freeze_panes = "A3"
    workbook.save(path)
    return path
