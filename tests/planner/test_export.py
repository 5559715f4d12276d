"""Exports: sheets, safe cells, JSON, Mermaid, Markdown, and MSPDI read back by MPXJ."""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from inventory import load_inventory
from planner import export
from planner.export import mspdi
from planner.export.mspdi import MSPDI_NAMESPACE
from planner.plan import make_plan
from tests.conftest import SAMPLE_TRUST
from tests.planner.conftest import inventory, simple_policy, system


@pytest.fixture(scope="module")
def result():
    return make_plan(load_inventory(SAMPLE_TRUST))


@pytest.fixture
def hostile():
    """A plan whose names try formula injection and markup."""
    records = [
        system(
            "a",
            name='=HYPERLINK("http://evil","click")',
            notes="@SUM(1)",
            replacement_months_likely=3,
        ),
        system(
            "b",
            name="+cmd|' /C calc'!A0 <script>alert(1)</script>",
            after=("a",),
            replacement_months_likely=2,
        ),
    ]
    return make_plan(inventory(records), simple_policy())


def test_xlsx_sheets_frozen_headers_and_numbers(result, tmp_path):
    path = export.write_xlsx(result, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet in ("Roadmap", "Scores", "Spend by FY", "Warnings", "Dependencies"):
        assert sheet in book.sheetnames
        assert book[sheet].freeze_panes == "B2"
    roadmap = book["Roadmap"]
    header = [c.value for c in roadmap[1]]
    cost = header.index("cost_gbp") + 1
    assert isinstance(roadmap.cell(2, cost).value, int | float)
    assert roadmap.cell(2, cost).number_format == '"£"#,##0'
    assert roadmap.column_dimensions["B"].width > 10


def test_formula_injection_is_neutralised_everywhere(hostile, tmp_path):
    book = openpyxl.load_workbook(export.write_xlsx(hostile, tmp_path / "h.xlsx"))
    # in XLSX the text stays as written, in a cell marked as text (Excel's quote prefix)
    cells = [row[1] for row in book["Roadmap"].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://evil","click")',
        "+cmd|' /C calc'!A0 <script>alert(1)</script>",
    ]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert all(cell.data_type != "f" for row in book["Roadmap"].iter_rows() for cell in row)
    assert not any(
        cell.quotePrefix for row in book["Roadmap"].iter_rows(min_row=2) for cell in row[2:]
    )
    text = (export.write_csv(hostile, tmp_path / "csv")[0]).read_text()
    assert "'=HYPERLINK" in text and "'+cmd" in text
    markdown = export.write_markdown(hostile, tmp_path / "s.md").read_text()
    assert "<script>" not in markdown and r"\<script\>" in markdown


def test_json_document(result, tmp_path):
    data = json.loads(export.write_json(result, tmp_path / "r.json").read_text())
    assert data["summary"]["systems planned"] == len(result.schedule)
    assert {"roadmap", "scores", "spend_by_fy", "warnings", "risk_burn_down"} <= set(data)
    assert data["roadmap"][0]["start"][:4] == "2027"


def test_mermaid_gantt(hostile, tmp_path):
    text = export.write_mermaid(hostile, tmp_path / "r.mmd").read_text()
    lines = text.splitlines()
    assert lines[:3] == [
        "gantt",
        "    title Legacy replacement roadmap",
        "    dateFormat YYYY-MM-DD",
    ]
    tasks = [line for line in lines if ", 20" in line]
    assert len(tasks) == 2
    for task in tasks:  # Mermaid's syntax in a name is written as its entity codes
        name = task.partition(" :")[0]
        assert ":" not in name and "<" not in name
        assert re.sub(r"#\w+;", "", name).count("#") == 0


def test_markdown_summary(result, tmp_path):
    text = export.write_markdown(result, tmp_path / "s.md").read_text()
    assert text.startswith("# Legacy replacement roadmap")
    for heading in (
        "## Headline dates",
        "## Spend per financial year",
        "## Top risks",
        "## Warnings",
    ):
        assert heading in text


def test_mspdi_is_well_formed_with_links_and_costs(result, tmp_path):
    import xml.etree.ElementTree as ET

    path = export.write_mspdi(result, tmp_path / "r.xml")
    ns = {"p": MSPDI_NAMESPACE}
    root = ET.parse(path).getroot()
    tasks = root.findall("p:Tasks/p:Task", ns)
    leaves = [t for t in tasks if t.find("p:Summary", ns).text == "0"]
    projects = [t for t in leaves if t.find("p:Milestone", ns).text == "0"]
    milestones = [t for t in leaves if t.find("p:Milestone", ns).text == "1"]
    done = result.units[result.units["scheduled"]]
    assert len(projects) == len(done)
    assert (
        len(milestones) == done["safety_signoff"].notna().sum() + done["approved_by"].notna().sum()
    )
    signoffs = {
        t.find("p:Name", ns).text.split(": ", 1)[1]: t.find("p:Start", ns).text[:7]
        for t in milestones
        if t.find("p:Name", ns).text.startswith("Clinical safety case signed off")
    }
    epr = done.loc["epr"]
    assert signoffs[result.inventory.systems.at["epr", "name"]] == f"{epr['safety_signoff']:%Y-%m}"
    links = root.findall("p:Tasks/p:Task/p:PredecessorLink", ns)
    assert len(links) == len(result.links)  # every constraint, all scheduled here


MPXJ_MISSING = None
try:  # an independent reader: MPXJ, the Java library behind ProjectLibre's importers
    import jpype
    import mpxj  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the machine
    MPXJ_MISSING = f"mpxj is not installed ({error})"
if MPXJ_MISSING is None and shutil.which("java") is None:  # pragma: no cover
    MPXJ_MISSING = "no Java runtime for MPXJ"


@pytest.mark.skipif(MPXJ_MISSING is not None, reason=MPXJ_MISSING or "")
@pytest.mark.slow
def test_mspdi_reads_back_in_mpxj_with_the_same_tasks_dates_and_links(result, tmp_path):
    path = export.write_mspdi(result, tmp_path / "roadmap.xml")
    if not jpype.isJVMStarted():
        jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(str(path))
    read = {}
    for task in project.getTasks():
        if task.getSummary() or task.getUniqueID() is None or task.getMilestone():
            continue
        if int(task.getUniqueID()) < mspdi.MILESTONE_UIDS:
            continue
        read[str(task.getName())] = (
            str(task.getStart())[:10],
            str(task.getFinish())[:10],
            round(float(task.getCost())),
            sorted(str(r.getPredecessorTask().getName()) for r in task.getPredecessors()),
        )
    units = result.units[result.units["scheduled"]]
    names = result.inventory.systems["name"]

    def label(members):
        return names[members[0]] if len(members) == 1 else "Move group: " + " + ".join(members)

    expected = {}
    for unit, row in units.iterrows():
        first = mspdi._working_day(row["start"], forward=True)
        last = mspdi._working_day(row["go_live"], forward=False)
        before = result.links.loc[result.links["after"] == unit, "before"]
        expected[label(row["members"])] = (
            f"{first:%Y-%m-%d}",
            f"{last:%Y-%m-%d}",
            round(row["cost_gbp"]),
            sorted(label(units.at[b, "members"]) for b in before),
        )
    assert read == expected


def test_every_table_is_one_the_folder_may_hold_and_a_rerun_replaces_it(result, tmp_path):
    from planner.export.tables import CSV_FILES, csv_name, tables

    written = {csv_name(name) for name in tables(result)}
    assert written <= set(CSV_FILES)  # else a second run refuses its own folder
    folder = tmp_path / "csv"
    first = export.write_csv(result, folder)
    again = export.write_csv(result, folder)  # over the previous run's files
    assert sorted(p.name for p in again) == sorted(p.name for p in first)
    assert {p.name for p in folder.iterdir()} == {p.name for p in first}


def test_roadmap_folder_writes_only_the_chart_formats_asked(hostile, tmp_path):
    from inventory.errors import InvalidArgumentError

    figures = {"roadmap", "roadmap-by-category", "spend-by-year", "risk-burndown"}
    out = tmp_path / "roadmap"
    written = export.write_roadmap(hostile, out, today=pd.Timestamp("2026-11-25"))
    charts = {p.name for p in written if p.suffix in (".png", ".svg", ".pdf")}
    assert charts == {f"{name}.png" for name in figures}  # PNG unless asked
    assert "](spend-by-year.png)" in (out / "summary.md").read_text(encoding="utf-8")
    # asked for SVG and PDF, over the folder the first run wrote (it holds a roadmap's files)
    written = export.write_roadmap(hostile, out, charts=["SVG", ".pdf,svg"])
    charts = {p.name for p in out.iterdir() if p.suffix in (".png", ".svg", ".pdf")}
    assert charts == {f"{name}.{suffix}" for name in figures for suffix in ("svg", "pdf")}
    assert "](spend-by-year.svg)" in (out / "summary.md").read_text(encoding="utf-8")
    written = export.write_roadmap(hostile, out, charts=[])
    assert not [p for p in out.iterdir() if p.suffix in (".png", ".svg", ".pdf")]
    assert "![" not in (out / "summary.md").read_text(encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="chart format 'gif' is not one of"):
        export.write_roadmap(hostile, out, charts=["png", "gif"])


def test_mspdi_task_names_are_one_line_and_at_most_255_characters(tmp_path):
    long_name = "Community " + "very " * 60 + "long system"
    records = [
        system("a", name="Line one\nLine two", replacement_months_likely=3),
        system("b", name=long_name, replacement_months_likely=2),
    ]
    result = make_plan(inventory(records), simple_policy())
    import xml.etree.ElementTree as ET

    root = ET.parse(export.write_mspdi(result, tmp_path / "p.xml")).getroot()
    names = [
        t.findtext(f"{{{MSPDI_NAMESPACE}}}Name") for t in root.iter(f"{{{MSPDI_NAMESPACE}}}Task")
    ]
    assert "Line one Line two" in names
    cut = [n for n in names if n.startswith("Community very")]
    assert cut == [long_name[:254] + "…"] and len(cut[0]) == 255
    assert all("\n" not in n and len(n) <= 255 for n in names)
