"""Writers for a plan: CSV, XLSX, JSON, Microsoft Project XML (MSPDI), Mermaid, Markdown.

Every text cell a spreadsheet could run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with an apostrophe in CSV and XLSX; numbers stay
numbers. XML is built with an escaping writer; Mermaid and Markdown text is sanitised.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.io import neutralise

__all__ = [
    "FORMATS",
    "safe_csv",
    "write_csv",
    "write_forecast",
    "write_json",
    "write_markdown",
    "write_mermaid",
    "write_mspdi",
    "write_roadmap",
    "write_xlsx",
]

FORMATS = ("csv", "xlsx", "json", "mspdi", "mermaid", "markdown")

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


def _safe(value: object) -> object:
    """A cell value safe for spreadsheets: formula-like text neutralised, numbers kept."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, tuple | list):
        return neutralise("; ".join(map(str, value)))
    if isinstance(value, dict):
        return neutralise("; ".join(f"{k}: {v:g}" for k, v in value.items()))
    return value


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV with formula injection neutralised and ISO dates, to ``path`` (or
    returned as text when there is none).

    >>> print(safe_csv(pd.DataFrame({"id": ["=cmd()"], "cost": [-5]})), end="")
    id,cost
    '=cmd(),-5
    """
    return _safe_frame(frame).to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe)
    return out


#: Spreadsheets keep at most this many rows a sheet (the full tables go to CSV); project and
#: Mermaid files are written whole only up to these many projects (else per organisation).
XLSX_ROWS = 5_000
PROJECT_FILE_TASKS = 20_000
MERMAID_TASKS = 1_000


def tables(result) -> dict[str, pd.DataFrame]:
    """The plan as named tables: Roadmap, Scores, Spend by FY, Warnings, Dependencies, ..."""
    roadmap = result.schedule[_ROADMAP_COLUMNS].reset_index()
    scores = result.scores[_SCORE_COLUMNS].reset_index()
    spend = result.spend_by_fy.copy()
    per_project = result.unit_spend.loc[:, spend["financial_year"]].copy()
    per_project = per_project[per_project.sum(axis=1) > 0].reset_index()
    deps = result.inventory.dependencies.copy()
    deps["messages"] = deps["messages"].map("; ".join)
    links = result.links.rename(columns={"before": "goes live first", "after": "then starts"})
    burndown = result.burndown.copy()
    named = {
        "Roadmap": roadmap,
        "Scores": scores,
        "Spend by FY": spend,
        "Spend by project": per_project,
        "Warnings": result.warnings[["kind", "system", "message"]].copy(),
        "Dependencies": deps,
        "Order constraints": links,
        "Risk burn-down": burndown,
    }
    if result.inventory.systems["organisation"].nunique() > 1:
        named["By organisation"] = result.by_organisation().reset_index()
    return named


def write_csv(result, folder: str | Path) -> list[Path]:
    """One CSV file per table, formula injection neutralised."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables(result).items():
        path = folder / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".csv")
        safe_csv(table, path)
        written.append(path)
    return written


_MONEY_COLUMNS = re.compile(r"_gbp$|^\d{4}/\d{2}$")


def write_xlsx(result, path: str | Path) -> Path:
    """A workbook with frozen headers, set widths, £ and date formats, safe cells.

    Written in openpyxl's streaming mode; each sheet keeps at most :data:`XLSX_ROWS` rows
    (an "About" sheet says so, and the CSV tables hold everything).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
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
        formats = []
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
            values = [_xlsx_value(v) for v in row]
            for i in formatted:
                if values[i] is not None:
                    cell = WriteOnlyCell(sheet, value=values[i])
                    cell.number_format = formats[i]
                    values[i] = cell
            sheet.append(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


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
    return _safe(value)


def write_json(result, path: str | Path) -> Path:
    """The plan as one JSON document: summary, roadmap, spend, warnings, burn-down."""
    path = Path(path)
    parts = [f'"summary": {json.dumps(result.summary(), ensure_ascii=False)}']
    for name, table in tables(result).items():
        if name in ("Dependencies",):
            continue
        key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        plain = table.copy()
        for column in plain.columns:
            if pd.api.types.is_datetime64_any_dtype(plain[column]):
                text = plain[column].dt.strftime("%Y-%m-%d")
                plain[column] = text.astype("object").where(text.notna(), None)
            elif plain[column].dtype == object:
                plain[column] = plain[column].map(lambda v: list(v) if isinstance(v, tuple) else v)
        records = plain.to_json(orient="records", force_ascii=False, double_precision=4)
        parts.append(f"{json.dumps(key)}: {records}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{" + ",\n".join(parts) + "}\n", encoding="utf-8")
    return path


# --- Microsoft Project XML -------------------------------------------------------------

MSPDI_NAMESPACE = "http://schemas.microsoft.com/project"


def _working_day(date: pd.Timestamp, forward: bool) -> pd.Timestamp:
    step = pd.Timedelta(days=1 if forward else -1)
    while date.weekday() >= 5:
        date += step
    return date


def _task_dates(
    start: pd.Timestamp, go_live: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    first = _working_day(start, forward=True)
    last = _working_day(go_live, forward=False)
    days = int(np.busday_count(first.date(), (last + pd.Timedelta(days=1)).date()))
    return first, last, days


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = str(value)
    return element


def write_mspdi(result, path: str | Path, *, title: str = "Legacy replacement roadmap") -> Path:
    """Microsoft Project XML (MSPDI): wave summary tasks, one task per project with dates,
    cost and finish-to-start links; opens in MS Project and ProjectLibre.

    Each task carries a start-no-earlier-than constraint at its scheduled start, so Project
    keeps the resource- and budget-levelled dates instead of pulling tasks forward.
    """
    path = Path(path)
    units = result.units[result.units["scheduled"]].sort_values(["start_month", "finish_month"])
    project = ET.Element("Project", xmlns=MSPDI_NAMESPACE)
    start = _working_day(result.start, forward=True)
    finish = units["go_live"].max() if len(units) else result.start
    for tag, value in (
        ("SaveVersion", 14),
        ("Name", title),
        ("Title", title),
        ("ScheduleFromStart", 1),
        ("StartDate", f"{start:%Y-%m-%d}T08:00:00"),
        ("FinishDate", f"{_working_day(finish, False):%Y-%m-%d}T17:00:00"),
        ("CalendarUID", 1),
        ("DefaultStartTime", "08:00:00"),
        ("DefaultFinishTime", "17:00:00"),
        ("MinutesPerDay", 480),
        ("MinutesPerWeek", 2400),
        ("DaysPerMonth", 20),
        ("CurrencySymbol", "£"),
        ("CurrencyCode", "GBP"),
        ("CurrencyDigits", 0),
    ):
        _text(project, tag, value)
    calendars = ET.SubElement(project, "Calendars")
    calendar = ET.SubElement(calendars, "Calendar")
    for tag, value in (("UID", 1), ("Name", "Standard"), ("IsBaseCalendar", 1)):
        _text(calendar, tag, value)
    weekdays = ET.SubElement(calendar, "WeekDays")
    for day in range(1, 8):
        weekday = ET.SubElement(weekdays, "WeekDay")
        _text(weekday, "DayType", day)
        working = day not in (1, 7)
        _text(weekday, "DayWorking", int(working))
        if working:
            times = ET.SubElement(weekday, "WorkingTimes")
            for begin, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                slot = ET.SubElement(times, "WorkingTime")
                _text(slot, "FromTime", begin)
                _text(slot, "ToTime", end)
    tasks = ET.SubElement(project, "Tasks")
    uid_of = {unit: i for i, unit in enumerate(units.index, start=100)}
    waits_for = result.links.groupby("after")["before"].agg(list).to_dict()
    names = result.inventory.systems["name"]
    task_id = 1
    for wave, wave_units in units.groupby("wave", sort=True):
        first, last, days = _task_dates(wave_units["start"].min(), wave_units["go_live"].max())
        summary = ET.SubElement(tasks, "Task")
        for tag, value in (
            ("UID", int(wave)),
            ("ID", task_id),
            ("Name", f"Wave {wave}"),
            ("Type", 1),
            ("IsNull", 0),
            ("WBS", str(wave)),
            ("OutlineNumber", str(wave)),
            ("OutlineLevel", 1),
            ("Start", f"{first:%Y-%m-%d}T08:00:00"),
            ("Finish", f"{last:%Y-%m-%d}T17:00:00"),
            ("Duration", f"PT{days * 8}H0M0S"),
            ("DurationFormat", 7),
            ("Summary", 1),
            ("Milestone", 0),
        ):
            _text(summary, tag, value)
        task_id += 1
        for number, (unit, row) in enumerate(wave_units.iterrows(), start=1):
            first, last, days = _task_dates(row["start"], row["go_live"])
            members = row["members"]
            name = names[members[0]] if len(members) == 1 else "Move group: " + " + ".join(members)
            task = ET.SubElement(tasks, "Task")
            for tag, value in (
                ("UID", uid_of[unit]),
                ("ID", task_id),
                ("Name", name),
                ("Type", 0),
                ("IsNull", 0),
                ("WBS", f"{wave}.{number}"),
                ("OutlineNumber", f"{wave}.{number}"),
                ("OutlineLevel", 2),
                ("Start", f"{first:%Y-%m-%d}T08:00:00"),
                ("Finish", f"{last:%Y-%m-%d}T17:00:00"),
                ("Duration", f"PT{days * 8}H0M0S"),
                ("DurationFormat", 7),
                ("Summary", 0),
                ("Milestone", 0),
                ("Critical", int(bool(row["critical"]))),
                ("ConstraintType", 4),
                ("ConstraintDate", f"{first:%Y-%m-%d}T08:00:00"),
                ("FixedCost", round(row["cost_gbp"] * 100)),
                ("FixedCostAccrual", 3),
                ("Cost", round(row["cost_gbp"] * 100)),
                (
                    "Notes",
                    f"Systems: {', '.join(members)}. Cost £{row['cost_gbp']:,.0f}"
                    + (" (includes policy default estimates)" if row["cost_estimated"] else ""),
                ),
            ):
                _text(task, tag, value)
            for before in waits_for.get(unit, ()):
                if before in uid_of:
                    link = ET.SubElement(task, "PredecessorLink")
                    _text(link, "PredecessorUID", uid_of[before])
                    _text(link, "Type", 1)
                    _text(link, "CrossProject", 0)
                    _text(link, "LinkLag", 0)
                    _text(link, "LagFormat", 7)
            task_id += 1
    ET.indent(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(project).write(path, encoding="utf-8", xml_declaration=True)
    return path


# --- Mermaid and Markdown ---------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Task text Mermaid cannot misread: no ':', '#', ';' or line breaks."""
    return re.sub(r"[:#;\r\n]+", " ", str(text)).strip() or "task"


def write_mermaid(result, path: str | Path, *, title: str = "Legacy replacement roadmap") -> Path:
    """A Mermaid ``gantt`` diagram: one section per wave, critical projects marked."""
    path = Path(path)
    units = result.units[result.units["scheduled"]].sort_values(["start_month", "finish_month"])
    names = result.inventory.systems["name"]
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
    ]
    calendar = result.calendar
    for wave, wave_units in units.groupby("wave", sort=True):
        year = calendar.fy_labels[int(wave) - 1] if int(wave) - 1 < len(calendar.fy_labels) else ""
        lines.append(f"    section Wave {wave} {year}")
        for number, (_unit, row) in enumerate(wave_units.iterrows()):
            members = row["members"]
            name = names[members[0]] if len(members) == 1 else " + ".join(members)
            tags = "crit, " if row["critical"] else ""
            lines.append(
                f"    {_mermaid_text(name)} :{tags}w{wave}t{number}, "
                f"{row['start']:%Y-%m-%d}, {row['go_live']:%Y-%m-%d}"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _md(text: object) -> str:
    """Text for a Markdown table cell: pipes and angle brackets escaped, no line breaks."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return value.replace(">", "&gt;").replace("\n", " ")


def write_markdown(
    result,
    path: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    figures: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> Path:
    """A short board summary: headline dates, spend per year, top risks, warnings."""
    path = Path(path)
    s = result.summary()
    schedule = result.scheduled
    by_rank = result.scores[result.scores["planned"]].sort_values("rank")
    key_dates = schedule.sort_values("rank").drop_duplicates("unit").head(10)
    lines = [
        f"# {_md(title)}",
        "",
        f"Plan from **{result.start:%d %B %Y}** to **{result.end:%d %B %Y}**: "
        f"{s['scheduled']} projects replacing {len(schedule)} systems for "
        f"**£{result.total_cost / 1e6:,.1f}m**. Estate risk falls from {s['risk now']:,.0f} to "
        f"{s['risk at end']:,.0f} ({100 * (1 - s['risk at end'] / s['risk now']):.0f}% lower)."
        if result.end is not None and s["risk now"]
        else "Nothing could be scheduled; see the warnings.",
        "",
        f"Downstream impact: {_md(s['impact method'])}.",
        "",
    ]
    for label, file in (figures or {}).items():
        lines += [f"![{_md(label)}]({file})", ""]
    for note in notes or []:
        lines += [f"> {_md(note)}", ""]
    lines += ["## Headline dates", "", "| system | goes live | cost | risk |", "|---|---|---:|---|"]
    for system, row in key_dates.iterrows():
        lines.append(
            f"| {_md(row['name'])} (`{_md(system)}`) | {row['go_live']:%b %Y} | "
            f"£{row['cost_gbp'] / 1e6:,.2f}m | {row['risk_rating']} |"
        )
    lines += [
        "",
        "## Spend per financial year",
        "",
        "| year | budget | planned spend | headroom |",
        "|---|---:|---:|---:|",
    ]
    for _, row in result.spend_by_fy.iterrows():
        lines.append(
            f"| {row['financial_year']} | £{row['budget_gbp'] / 1e6:,.1f}m | "
            f"£{row['spend_gbp'] / 1e6:,.1f}m | £{row['headroom_gbp'] / 1e6:,.1f}m |"
        )
    lines += ["", "## Top risks", "", "| rank | system | risk | why |", "|---:|---|---:|---|"]
    for system, row in by_rank.head(10).iterrows():
        why = []
        if row["likelihood_support"] >= result.policy.risk.likelihood.support.past:
            why.append("out of support")
        if row["likelihood_skills"] >= 0.5:
            why.append("scarce skills")
        if row["downstream"] >= 50:
            why.append(f"{row['downstream']:.0f} systems depend on it")
        if row["likelihood_vulnerabilities"] > 0:
            why.append("known vulnerabilities")
        lines.append(
            f"| {row['rank']} | {_md(row['name'])} (`{_md(system)}`) | {row['risk']:.0f} | "
            f"{_md(', '.join(why) or row['risk_rating'])} |"
        )
    lines += ["", "## Warnings", ""]
    if result.warnings.empty:
        lines.append("None.")
    for _, warning in result.warnings.iterrows():
        lines.append(f"- **{_md(warning['kind'])}**: {_md(warning['message'])}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_LAID_OUT = {"roadmap", "roadmap-by-category"}


def write_roadmap(
    result,
    folder: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    today: pd.Timestamp | None = None,
) -> list[Path]:
    """Everything a CIO hands on, into one folder: charts (PNG and SVG), the workbook, the
    MS Project file, the Mermaid file, the CSV tables and a Markdown summary."""
    from planner.charts import plot_burndown, plot_spend, roadmap_figure, save

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    import matplotlib.pyplot as plt

    projects = int(result.units["scheduled"].sum())
    organisations = result.inventory.systems["organisation"].nunique()
    overview = None
    if projects > 300:  # a bar per project is unreadable: one per organisation, or wave
        overview = "organisation" if organisations <= 300 else "wave"
    figures = {
        "roadmap": roadmap_figure(result, group_by=overview, today=today),
        "roadmap-by-category": roadmap_figure(result, group_by="category", today=today),
        "spend-by-year": plot_spend(result),
        "risk-burndown": plot_burndown(result),
    }
    for name, figure in figures.items():
        for suffix in (".png", ".svg"):
            written.append(save(figure, folder / f"{name}{suffix}", tight=name not in _LAID_OUT))
        plt.close(figure)
    written.append(write_xlsx(result, folder / "roadmap.xlsx"))
    notes = []
    if projects <= PROJECT_FILE_TASKS:
        written.append(write_mspdi(result, folder / "roadmap.xml", title=title))
    else:
        notes.append(
            f"{projects:,} projects are too many for one MS Project file: write one per "
            "organisation with 'modernise export --format mspdi --organisation CODE'."
        )
    if projects <= MERMAID_TASKS:
        written.append(write_mermaid(result, folder / "roadmap.mmd", title=title))
    else:
        notes.append(
            f"{projects:,} projects are too many for one Mermaid chart: use "
            "'modernise export --format mermaid --organisation CODE'."
        )
    written.append(write_json(result, folder / "roadmap.json"))
    written += write_csv(result, folder / "csv")
    written.append(
        write_markdown(
            result,
            folder / "summary.md",
            title=title,
            figures={
                "Roadmap by category": "roadmap-by-category.png",
                "Spend per year": "spend-by-year.png",
                "Risk burn-down": "risk-burndown.png",
            },
        )
    )
    return written


def write_forecast(forecast, folder: str | Path) -> list[Path]:
    """A Monte Carlo forecast into a folder: per-system and per-year CSV tables (safe cells),
    the fan chart and the completion histogram (PNG and SVG)."""
    import matplotlib.pyplot as plt

    from planner.charts import plot_completion_histogram, plot_forecast_fan, save

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (
        ("forecast-systems", forecast.systems.reset_index()),
        ("forecast-programme", forecast.programme.rename_axis("percentile").reset_index()),
        ("forecast-spend-by-year", forecast.spend_by_fy),
    ):
        path = folder / f"{name}.csv"
        safe_csv(table, path)
        written.append(path)
    for name, draw in (
        ("forecast-risk-fan", plot_forecast_fan),
        ("forecast-completion", plot_completion_histogram),
    ):
        figure = draw(forecast)
        written += [save(figure, folder / f"{name}{suffix}") for suffix in (".png", ".svg")]
        plt.close(figure)
    return written
