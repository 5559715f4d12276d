"""Microsoft Project XML (MSPDI): the plan as a project file that opens in MS Project and
ProjectLibre, built with an escaping XML writer. Task names are on one line and at most
MS Project's 255 characters (:func:`task_name`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.characters import one_line, printable
from inventory.output import atomic_file

__all__ = ["MSPDI_NAMESPACE", "write_mspdi"]

MSPDI_NAMESPACE = "http://schemas.microsoft.com/project"
#: The longest task name MS Project holds.
TASK_NAME_CHARACTERS = 255
#: Task UIDs from here on are projects then milestones (below it: wave summaries).
MILESTONE_UIDS = 10_000


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


def task_name(text: str) -> str:
    """A task name as MS Project holds one: on one line, cut to 255 characters with '…'.

    >>> task_name("Line one\\nLine two"), len(task_name("x" * 300)), task_name("x" * 300)[-2:]
    ('Line one Line two', 255, 'x…')
    """
    text = one_line(text)
    if len(text) <= TASK_NAME_CHARACTERS:
        return text
    return text[: TASK_NAME_CHARACTERS - 1] + "…"


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    """A child element holding ``value`` as text XML 1.0 allows (the writer escapes markup;
    control characters and lone surrogates, which XML cannot hold at all, are replaced)."""
    element = ET.SubElement(parent, tag)
    element.text = printable(str(value))
    return element


def _milestone(
    tasks: ET.Element, uid: int, task_id: int, name: str, date: pd.Timestamp, wbs: str
) -> None:
    """A zero-length milestone task at the start of the working day on or after ``date``."""
    day = _working_day(date, forward=True)
    task = ET.SubElement(tasks, "Task")
    for tag, value in (
        ("UID", uid),
        ("ID", task_id),
        ("Name", task_name(name)),
        ("Type", 0),
        ("IsNull", 0),
        ("WBS", wbs),
        ("OutlineNumber", wbs),
        ("OutlineLevel", 2),
        ("Start", f"{day:%Y-%m-%d}T08:00:00"),
        ("Finish", f"{day:%Y-%m-%d}T08:00:00"),
        ("Duration", "PT0H0M0S"),
        ("DurationFormat", 7),
        ("Summary", 0),
        ("Milestone", 1),
        ("ConstraintType", 4),
        ("ConstraintDate", f"{day:%Y-%m-%d}T08:00:00"),
    ):
        _text(task, tag, value)


def write_mspdi(result, path: str | Path, *, title: str = "Legacy replacement roadmap") -> Path:
    """Microsoft Project XML (MSPDI): wave summary tasks, one task per project with dates,
    cost and finish-to-start links, and milestones for each business case approval and each
    clinical safety case sign-off; opens in MS Project and ProjectLibre.

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
    uid_of = {unit: i for i, unit in enumerate(units.index, start=MILESTONE_UIDS)}
    next_uid = MILESTONE_UIDS + len(units)
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
        number = 0  # the outline position in the wave: projects and their milestones
        for unit, row in wave_units.iterrows():
            number += 1
            first, last, days = _task_dates(row["start"], row["go_live"])
            members = row["members"]
            name = names[members[0]] if len(members) == 1 else "Move group: " + " + ".join(members)
            task = ET.SubElement(tasks, "Task")
            for tag, value in (
                ("UID", uid_of[unit]),
                ("ID", task_id),
                ("Name", task_name(name)),
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
            for label, column in (
                ("Business case approved", "approved_by"),
                ("Clinical safety case signed off (DCB0160)", "safety_signoff"),
            ):
                if pd.notna(row[column]):
                    number += 1
                    _milestone(
                        tasks,
                        next_uid,
                        task_id,
                        f"{label}: {name}",
                        row[column],
                        f"{wave}.{number}",
                    )
                    next_uid += 1
                    task_id += 1
    ET.indent(project)
    with atomic_file(path) as temporary:
        ET.ElementTree(project).write(temporary, encoding="utf-8", xml_declaration=True)
    return path
