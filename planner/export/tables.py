"""The plan as tables, and the writers that keep them tables: CSV, XLSX and JSON.

Every text cell a spreadsheet could run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with an apostrophe in CSV, and in XLSX kept as
written in a cell marked as text (Excel's quote prefix); numbers stay numbers. Characters
no file format can hold (control characters, lone surrogates) are replaced, an XLSX cell
longer than Excel's 32,767 characters is cut (and says so), JSON is strict (no NaN), and
every file is written whole or not at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from inventory.characters import printable
from inventory.output import atomic_file, atomic_folder
from inventory.spreadsheet import as_text, cell_text, formula_like, safe_csv
from planner.plan import ORGANISATION_LABELS
from planner.scoring import beside_register

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "CSV_FILES",
    "XLSX_CELL_CHARACTERS",
    "XLSX_ROWS",
    "csv_name",
    "safe_csv",
    "tables",
    "write_csv",
    "write_json",
    "write_xlsx",
]

_ROADMAP_COLUMNS = [
    "name",
    "category",
    "disposition",
    "unit",
    "wave",
    "start",
    "go_live",
    "months",
    "cost_gbp",
    "cost_estimated",
    "critical",
    "slack_months",
    "end_of_support",
    "months_unsupported_in_plan",
    "rank",
    "priority",
    "risk",
    "risk_rating",
    "impact",
    "cost",
    "scheduled",
    "not_scheduled_because",
    "approval",
    "approved_by",
    "safety_signoff",
    "stop_month",
]
_SCORE_COLUMNS = [
    "name",
    "category",
    "disposition",
    "rank",
    "priority",
    "risk",
    "risk_rating",
    "likelihood",
    "likelihood_support",
    "likelihood_age",
    "likelihood_vulnerabilities",
    "likelihood_skills",
    "likelihood_hosting",
    "consequence",
    "consequence_criticality",
    "consequence_patient_facing",
    "consequence_downstream",
    "impact",
    "downstream",
    "downstream_weighted",
    "direct_dependents",
    "interfaces",
    "patient_facing_dependents",
    "cost",
    "cost_gbp",
    "months",
    "net_cost_gbp",
    "run_cost_saved_gbp",
    "cost_money",
    "cost_months",
    "months_to_end_of_support",
    "age_years",
    "priority_risk",
    "priority_impact",
    "priority_cost",
    "planned",
]


#: Spreadsheets keep at most this many rows a sheet (the full tables go to CSV).
XLSX_ROWS = 5_000

#: The most characters Excel holds in one cell.
XLSX_CELL_CHARACTERS = 32_767

#: Every table :func:`tables` can return, in order.
TABLE_NAMES = (
    "Roadmap",
    "Scores",
    "Spend by FY",
    "Spend by project",
    "Run cost by FY",
    "Contracts to extend",
    "Accepted risks",
    "What held each project",
    "Warnings",
    "Dependencies",
    "Order constraints",
    "Risk burn-down",
    "By organisation",
)


def csv_name(table: str) -> str:
    """The file a table is written to: ``Spend by FY`` -> ``spend-by-fy.csv``."""
    return re.sub(r"[^a-z0-9]+", "-", table.lower()).strip("-") + ".csv"


#: The files :func:`write_csv` may write.
CSV_FILES = tuple(csv_name(name) for name in TABLE_NAMES)


def tables(result) -> dict[str, pd.DataFrame]:
    """The plan as named tables: Roadmap, Scores, Spend by FY (capital and revenue), Run cost
    by FY, Contracts to extend, Accepted risks, What held each project, Warnings, ..."""
    roadmap = result.schedule[_ROADMAP_COLUMNS].reset_index()
    register = result.inventory.systems[["name", "category", "disposition"]]  # all it shows
    scores = beside_register(register, result.scores)[_SCORE_COLUMNS].reset_index()
    spend = result.spend_by_fy.reset_index()
    per_project = result.unit_spend.loc[:, spend["financial_year"]].copy()
    per_project = per_project[per_project.sum(axis=1) > 0].reset_index()
    deps = result.inventory.dependencies.copy(deep=False)  # copy-on-write: one column new
    deps["messages"] = deps["messages"].map("; ".join)
    links = result.links.rename(columns={"before": "goes live first", "after": "then starts"})
    burndown = result.burndown.reset_index()
    stop = roadmap.pop("stop_month")
    shown = stop.notna() & (stop < result.calendar.months)
    starts = {m: result.calendar.month_start(int(m)) for m in pd.unique(stop[shown])}
    stops_running = pd.Series(pd.NaT, index=roadmap.index, dtype="datetime64[ns]")
    stops_running[shown] = stop[shown].map(starts).astype("datetime64[ns]")
    roadmap["stops_running"] = stops_running
    named = {
        "Roadmap": roadmap,
        "Scores": scores,
        "Spend by FY": spend,
        "Spend by project": per_project,
        "Run cost by FY": result.run_costs.reset_index(),
        "Contracts to extend": result.contract_extensions.rename_axis("id").reset_index(),
        "Accepted risks": result.accepted_risks.rename_axis("id").reset_index(),
        "What held each project": result.held,
        "Warnings": result.warnings[["kind", "system", "message"]],
        "Dependencies": deps,
        "Order constraints": links,
        "Risk burn-down": burndown,
    }
    if result.inventory.systems["organisation"].nunique() > 1:
        named["By organisation"] = (
            result.by_organisation().rename(columns=ORGANISATION_LABELS).reset_index()
        )
    return named


def write_csv(result, folder: str | Path) -> list[Path]:
    """One CSV file per table, formula injection neutralised; the folder is written whole
    or not at all (:func:`inventory.output.atomic_folder`)."""
    folder = Path(folder)
    names = []
    with atomic_folder(folder, CSV_FILES) as temporary:
        for name, table in tables(result).items():
            safe_csv(table, temporary / csv_name(name))
            names.append(csv_name(name))
    return [folder / name for name in names]


_MONEY_COLUMNS = re.compile(r"_gbp$|^\d{4}/\d{2}$")


def write_xlsx(result, path: str | Path) -> Path:
    """A workbook with frozen headers, set widths, £ and date formats, safe cells.

    Written in openpyxl's streaming mode; each sheet keeps at most :data:`XLSX_ROWS` rows
    (an "About" sheet says so, and the CSV tables hold everything).
    """

    path = Path(path)
    with atomic_file(path) as temporary:  # the target is checked before the work is done
        _workbook(result).save(temporary)
    return path


def _workbook(result) -> Workbook:
    """The plan's tables as a streamed workbook (see :func:`write_xlsx`)."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="005EB8")  # NHS blue
    header_alignment = Alignment(wrap_text=True, vertical="top")
    named = tables(result)
    cut = [
        f"{name}: first {XLSX_ROWS:,} of {len(table):,} rows"
        for name, table in named.items()
        if len(table) > XLSX_ROWS
    ]
    if cut:
        about = workbook.create_sheet("About")
        about.column_dimensions["A"].width = 90
        about.append(["This workbook is a summary: the full tables are in the csv/ folder."])
        for line in cut:
            about.append([line])
    for name, table in named.items():
        table = table.head(XLSX_ROWS)
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "B2"
        formats: list[str | None] = []
        for position, column in enumerate(table.columns, 1):
            values = table[column].head(300).map(lambda v: len(str(v)) if v is not None else 0)
            width = max(len(str(column)), int(values.max()) if len(values) else 0)
            sheet.column_dimensions[get_column_letter(position)].width = min(70, max(9, width + 2))
            if pd.api.types.is_datetime64_any_dtype(table[column]):
                formats.append("dd mmm yyyy")
            elif _MONEY_COLUMNS.search(str(column)):
                formats.append('"£"#,##0')
            elif pd.api.types.is_float_dtype(table[column]):
                formats.append("0.0")
            else:
                formats.append(None)
        if len(table.columns):
            sheet.auto_filter.ref = (
                f"A1:{get_column_letter(len(table.columns))}{max(1, len(table) + 1)}"
            )
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_alignment
            header.append(cell)
        sheet.append(header)
        formatted = [i for i, fmt in enumerate(formats) if fmt]
        for row in table.itertuples(index=False, name=None):
            cells: list[object] = [_xlsx_value(v) for v in row]
            for i, value in enumerate(cells):
                if formula_like(value):
                    cells[i] = as_text(WriteOnlyCell(sheet, value=str(value)))
            for i in formatted:
                if cells[i] is not None and not isinstance(cells[i], Cell):
                    cell = WriteOnlyCell(sheet, value=cells[i])  # type: ignore[arg-type]
                    cell.number_format = str(formats[i])
                    cells[i] = cell
            sheet.append(cells)
    return workbook


def _xlsx_value(value: object) -> object:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    cell = cell_text(value)
    if isinstance(cell, str) and len(cell) > XLSX_CELL_CHARACTERS:
        note = " ... (cut: the CSV holds it all)"
        return cell[: XLSX_CELL_CHARACTERS - len(note)] + note
    return cell


def _json_value(value: object) -> object:
    """A value for strict JSON: text with printable characters only, tuples as lists."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {printable(str(k)): _json_value(v) for k, v in value.items()}
    return value


def write_json(result, path: str | Path) -> Path:
    """The plan as one JSON document: summary, roadmap, spend, warnings, burn-down."""
    path = Path(path)
    summary = _json_value(result.summary())
    parts = [f'"summary": {json.dumps(summary, ensure_ascii=False, allow_nan=False)}']
    for name, table in tables(result).items():
        if name in ("Dependencies",):
            continue
        key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        plain = table.copy()
        for column in plain.columns:
            if pd.api.types.is_datetime64_any_dtype(plain[column]):
                text = plain[column].dt.strftime("%Y-%m-%d")
                plain[column] = text.astype("object").where(text.notna(), None)
            elif plain[column].dtype == object or pd.api.types.is_string_dtype(plain[column]):
                plain[column] = plain[column].map(_json_value)
        records = plain.to_json(orient="records", force_ascii=False, double_precision=4)
        parts.append(f"{json.dumps(key)}: {records}")
    with atomic_file(path) as temporary:
        temporary.write_text("{" + ",\n".join(parts) + "}\n", encoding="utf-8")
    return path
