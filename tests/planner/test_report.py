"""The board pack: each section's rule on small inventories worked by hand, the HTML page
(escaping, no other host), the PDF read back, and the command line."""

from __future__ import annotations

import csv
import hashlib
import html.parser
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

import planner
from inventory.errors import InvalidArgumentError
from planner.cli import main
from planner.plan import make_plan
from planner.report import (
    build_report,
    do_minimum,
    levers,
    options_appraisal,
    run_manifest,
    unsupported_register,
    write_register,
)
from planner.report.assumptions import changes_from_default
from planner.report.figures import inline_svg
from planner.report.headline import headline, major_programmes, not_scheduled
from planner.report.money import contract_exposure, run_cost_trajectory
from planner.report.quality import data_quality
from planner.report.risk import accepted_risks, burndown_by_year, clinical_safety
from tests.planner.conftest import inventory, simple_policy, system

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "title": "</title><h1>taken</h1>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ 7*7 }} {% raw %}",
}


def plan_of(systems, dependencies=(), **policy):
    return make_plan(inventory(systems, dependencies), simple_policy(**policy))


# --- headline -----------------------------------------------------------------------------


def test_headline_and_major_programmes_by_cost_not_priority():
    result = plan_of(
        [
            system("urgent", replacement_cost_gbp_likely=1_000_000.0, platform="Windows XP"),
            system("dear", replacement_cost_gbp_likely=3_000_000.0),
            system("kept", disposition="retain"),
        ]
    )
    head = headline(result)
    assert (head.projects, head.systems, head.retained, head.not_scheduled) == (2, 2, 1, 0)
    assert head.total_cost_gbp == 4_000_000.0
    assert head.months == 12  # Apr 2027 to Mar 2028, both at the start
    programmes = major_programmes(result)
    assert programmes.index.tolist() == ["dear", "urgent"]  # by cost, whatever the rank
    assert programmes["share"].tolist() == [0.75, 0.25]


def test_not_scheduled_gives_the_schedulers_reason():
    result = plan_of(
        [system("big", team_demand={"integration": 5.0})], **{"schedule.teams": {"integration": 2}}
    )
    frame = not_scheduled(result)
    assert frame.index.tolist() == ["big"]
    assert frame.loc["big", "why"].startswith(
        "needs 5 FTE of integration a month but the team has 2"
    )


# --- money --------------------------------------------------------------------------------


def test_run_cost_trajectory_worked_by_hand():
    # replaced Apr 2027 - Mar 2028 (go-live in month 11): 120k a year before, 70% after;
    # a system still to be built (status planned) costs nothing until its go-live, then all;
    # a retired system nothing. The burn-down runs to a year past the last go-live (months
    # 0 to 23): 2027/28 and 2028/29.
    result = plan_of(
        [
            system("old", annual_run_cost_gbp=120_000.0),
            system("new", status="planned", annual_run_cost_gbp=60_000.0),
            system("gone", status="retired", disposition="retain", annual_run_cost_gbp=1e6),
        ]
    )
    frame = run_cost_trajectory(result).set_index("financial_year")
    assert frame.index.tolist() == ["2027/28", "2028/29"]
    assert frame["do_nothing_gbp"].tolist() == pytest.approx([120_000, 120_000])
    assert frame["plan_gbp"].tolist() == pytest.approx([120_000, 84_000 + 60_000])
    assert frame["saving_gbp"].tolist() == pytest.approx([0, -24_000])


def test_contract_exposure_extends_and_renews():
    result = plan_of(
        [
            system("late", contract_end="2027-09-30", annual_run_cost_gbp=120_000.0),
            system("kept", disposition="retain", contract_end="2027-06-30"),
            system("fine", contract_end="2030-03-31"),
        ],
        **{"schedule.respect_contract_end": False},
    )
    frame = contract_exposure(result)
    assert frame.index.tolist() == ["kept", "late"]
    assert frame.loc["late", "months"] == 6  # Sep 2027 to the go-live in Mar 2028
    assert frame.loc["late", "extension_cost_gbp"] == pytest.approx(60_000)
    assert frame.loc["kept", "months"] == 9  # Jun 2027 to the programme's end, Mar 2028
    assert frame.loc["kept", "why"] == "renew: retained or not scheduled"


# --- risk ---------------------------------------------------------------------------------


def test_accepted_risks_are_retained_high_and_extreme_only():
    result = plan_of(
        [
            system(
                "xp",
                disposition="retain",
                criticality="critical",
                platform="Windows XP",
                skills_scarcity="critical",
            ),
            system("calm", disposition="retain", criticality="low"),
            system("planned", criticality="critical", platform="Windows XP"),
        ]
    )
    frame = accepted_risks(result)
    assert frame.index.tolist() == ["xp"]
    assert frame.loc["xp", "risk_rating"] in ("extreme", "high")
    assert "out of support" in frame.loc["xp", "why"] and "scarce skills" in frame.loc["xp", "why"]


def test_clinical_safety_lists_clinical_and_patient_facing_changes():
    result = plan_of(
        [
            system("ed", category="ED"),
            system("old-lab", category="pathology LIMS", disposition="retire"),
            system("ledger", category="finance"),
            system("portal", category="patient portal", patient_facing=True),
        ]
    )
    frame = clinical_safety(result)
    assert sorted(frame.index) == ["ed", "old-lab", "portal"]
    assert frame.loc["old-lab", "change"] == "decommission"
    assert frame.loc["ed", "sign_off_by"] == result.schedule.loc["ed", "go_live"]


def test_burndown_by_year_starts_each_financial_year():
    result = plan_of([system("a", platform="Windows XP", criticality="critical")])
    frame = burndown_by_year(result)
    assert frame["financial_year"].tolist() == ["2027/28", "2028/29"]
    assert frame.loc[1, "plan_risk"] == 0.0  # live in Mar 2028, gone from April
    assert frame.loc[1, "removed"] == 1.0


# --- options and levers -------------------------------------------------------------------


def test_do_minimum_keeps_what_must_go_and_what_it_waits_for():
    result = plan_of(
        [
            system("xp", platform="Windows XP", after=("tie",)),  # out of support: kept
            system("tie", end_of_support="2040-01-01"),  # kept: xp waits for it
            system("fine", end_of_support="2040-01-01"),  # in support, not extreme: retained
            system("kept", disposition="retain"),
        ]
    )
    dispositions = do_minimum(result).systems["disposition"].to_dict()
    assert dispositions == {"xp": "replace", "tie": "replace", "fine": "retain", "kept": "retain"}


def test_options_appraisal_names_every_option():
    result = plan_of([system("a"), system("b", platform="Windows XP")])
    comparison = options_appraisal(result, {"more teams": simple_policy()})
    assert comparison.table.index.tolist() == [
        "plan",
        "do minimum",
        "budget -20%",
        "budget +20%",
        "more teams",
    ]
    assert comparison.table.loc["do minimum", "projects scheduled"] == 1


def test_a_person_more_in_the_binding_team_brings_the_end_forward():
    # two 12-month projects each needing the one integration person: one after the other;
    # a second person lets them run side by side, 12 months sooner
    result = plan_of(
        [system(name, team_demand={"integration": 1.0}) for name in ("a", "b")],
        **{"schedule.teams": {"integration": 1, "training": 1}},
    )
    table = levers(result)
    assert table.index.tolist() == ["+10% capital", "+1 FTE integration", "+1 FTE training"]
    assert table.loc["+1 FTE integration", "months_sooner"] == 12
    assert table.loc["+1 FTE training", "months_sooner"] == 0
    assert table.loc["+1 FTE integration", "exposure_change"] < 0


# --- data quality and assumptions ---------------------------------------------------------


def test_data_quality_counts_defaults_and_single_values():
    result = plan_of(
        [
            system("guessed", replacement_cost_gbp_likely=None, replacement_months_likely=None),
            system(
                "ranged",
                replacement_cost_gbp_low=1e6,
                replacement_cost_gbp_high=2e6,
                platform="Windows XP",
            ),
        ]
    )
    quality = data_quality(result)
    assert quality.loc["cost estimate defaulted", "which"] == "guessed"
    assert quality.loc["duration estimate defaulted", "systems"] == 1
    assert quality.loc["no range for the cost", "which"] == ""  # ranged has one; guessed none
    assert quality.loc["no platform", ["systems", "out_of"]].tolist() == [1, 2]


def test_changes_from_default_lists_each_changed_setting():
    policy = planner.load_policy().with_overrides({"schedule.budget.by_year.2027/28": "4.5m"})
    frame = changes_from_default(policy)
    assert frame.to_dict("records") == [
        {
            "setting": "schedule.budget.by_year.2027/28",
            "default": "12000000.0",
            "this plan": "4500000.0",
        }
    ]


# --- the register -------------------------------------------------------------------------


def test_unsupported_register_in_the_dspt_shape(tmp_path):
    result = plan_of(
        [
            system("xp", platform="Windows XP", product="Scan", version="2.1"),
            system("kept", disposition="retain", platform="Windows Server 2003"),
            system("fine", end_of_support="2040-01-01"),
        ]
    )
    register = unsupported_register(result)
    assert register["System id"].tolist() == ["xp", "kept"]  # XP Apr 2014, 2003 Jul 2015
    xp = register.set_index("System id").loc["xp"]
    assert (xp["Component"], xp["Version"], xp["Remediation financial year"]) == (
        "Scan",
        "2.1",
        "2027/28",
    )
    kept = register.set_index("System id").loc["kept"]
    assert kept["Remediation"] == "retain: none planned" and kept["Remediation go-live"] is pd.NaT
    assert (register["Compensating control"] == "").all() and (register["Risk owner"] == "").all()
    with (write_register(register, tmp_path / "r.csv", as_of=result.start)).open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["Compensating control"] == "" and rows[0]["System id"] == "xp"
    book = openpyxl.load_workbook(write_register(register, tmp_path / "r.xlsx", as_of=result.start))
    sheet = book["Unsupported systems"]
    assert "the trust completes them" in sheet["A1"].value
    assert [c.value for c in sheet[2]][9:11] == ["Compensating control", "Risk owner"]
    with pytest.raises(InvalidArgumentError, match=r"cannot write the register to 'r\.txt'"):
        write_register(register, tmp_path / "r.txt", as_of=result.start)


# --- the manifest -------------------------------------------------------------------------


def test_manifest_is_the_same_for_the_same_inputs_but_for_the_time(make_inventory):
    folder = make_inventory()
    result = planner.plan(folder)
    first = run_manifest(result, inputs=[folder])
    second = run_manifest(planner.plan(folder), inputs=[folder])
    assert {k for k in first if first[k] != second[k]} <= {"created"}
    systems = folder / "systems.csv"
    listed = {item["path"]: item["sha256"] for item in first["inputs"]}
    assert listed[systems.as_posix()] == hashlib.sha256(systems.read_bytes()).hexdigest()
    changed = run_manifest(planner.plan(folder, budget={"2027/28": 1e6}), inputs=[folder])
    assert changed["policy"]["sha256"] != first["policy"]["sha256"]
    assert changed["plan_id"] != first["plan_id"]
    assert changed["policy"]["differs_from_default"] == {
        "schedule.budget.by_year.2027/28": "1000000.0"
    }
    assert first["method"]["impact"] == "exact" and first["method"]["schedule"] == "fast"


# --- the page -----------------------------------------------------------------------------


class _Elements(html.parser.HTMLParser):
    """The elements and the text of a page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_report():
    """The five-system example with markup and template syntax in names, notes and
    suppliers."""
    trust = planner.load("data/examples/five-systems")
    systems = trust.systems.copy()
    for (key, text), system_id in zip(HOSTILE.items(), ["pas", "tie", "ed", "lab-db"], strict=True):
        systems.loc[system_id, "name"] = f"{text} {key}"
        systems.loc[system_id, "supplier"] = text
        systems.loc[system_id, "notes"] = text
    result = make_plan(type(trust)(systems, trust.dependencies))
    return build_report(result, organisation="<b>Trust</b>", runs=50, levers=False)


def test_markup_in_names_comes_out_as_text(hostile_report):
    page = hostile_report.to_html()
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attributes)
    text = "".join(parsed.text)
    for value in HOSTILE.values():
        assert value in text
    assert "49 {% raw %}" not in text  # {{ 7*7 }} was never evaluated
    assert page.count("<title>") == 1 and "<b>Trust</b>" in text
    assert "http" not in page


def test_every_section_and_the_gantt_are_in_the_page(hostile_report):
    page = hostile_report.to_html()
    for part in hostile_report.parts:
        assert f'id="{part.key}"' in page
    (roadmap,) = [p for p in hostile_report.parts if p.key == "roadmap"]
    (gantt,) = [b for b in roadmap.blocks if b.kind == "gantt"]
    assert page.count("<details") == len(gantt.view.groups) == 4
    assert page.count('<span class="bar d-') == gantt.view.projects


def test_charts_are_inline_svg_without_namespaces_or_comments():
    figure = planner.charts.plot_spend(planner.plan("data/examples/five-systems"))
    svg = inline_svg(figure, "spend")
    assert svg.startswith('<svg role="img"') and svg.rstrip().endswith("</svg>")
    assert "xmlns" not in svg and "<!--" not in svg and "http" not in svg
    assert 'id="spend_' in svg and "url(#spend_" in svg


def test_the_pdf_has_every_part_as_text(hostile_report, tmp_path):
    path = hostile_report.write(tmp_path / "report.pdf")
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= len(hostile_report.parts) + 1  # a cover, a page a part or more
    for part in hostile_report.parts:
        assert part.title in text
    assert HOSTILE["script"] in text
    assert reader.metadata.title == "Legacy replacement roadmap"


def test_a_report_is_written_as_html_or_pdf_only(hostile_report, tmp_path):
    with pytest.raises(InvalidArgumentError, match=r"cannot write a report to 'report\.docx'"):
        hostile_report.write(tmp_path / "report.docx")


# --- the command line ---------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_command_writes_html_or_pdf(capsys, make_inventory, tmp_path):
    folder = make_inventory()
    code, out, _ = run(
        capsys, "report", folder, "-o", tmp_path / "r.html", "--runs", "20", "--no-levers"
    )
    assert code == 0 and f"Wrote {tmp_path / 'r.html'}" in out
    page = (tmp_path / "r.html").read_text()
    assert 'id="options"' in page and "Levers were not computed" in page
    assert "Nothing is planned, so there are no dates to forecast" in page  # all retained
    code, _, _ = run(capsys, "report", folder, "-o", tmp_path / "r.pdf", "--runs", "20")
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    code, _, err = run(capsys, "report", folder, "-o", tmp_path / "r.docx")
    assert code == 2 and "is not a .html or .pdf file" in err


def test_report_from_the_store_names_its_batch(capsys, make_inventory, tmp_path):
    db = tmp_path / "store.db"
    assert run(capsys, "import", make_inventory(), "--db", db)[0] == 0
    out = tmp_path / "r.html"
    code, _, _ = run(capsys, "report", "--db", db, "-o", out, "--runs", "20", "--no-levers")
    assert code == 0
    assert "&#34;batch&#34;: 1" in out.read_text() or "&quot;batch&quot;: 1" in out.read_text()


def test_roadmap_writes_the_pack_and_a_manifest_that_repeats(capsys, make_inventory, tmp_path):
    folder = make_inventory()
    manifests = []
    for name in ("first", "second"):
        code, out, _ = run(capsys, "roadmap", folder, "--out", tmp_path / name)
        assert code == 0 and "start with" in out and "report.html" in out
        manifests.append(json.loads((tmp_path / name / "manifest.json").read_text()))
        written = {p.name for p in (tmp_path / name).iterdir()}
        assert {"report.html", "unsupported-systems.csv", "unsupported-systems.xlsx"} <= written
    first, second = manifests
    assert {k for k in first if first[k] != second[k]} == {"created"}
    assert [Path(i["path"]).name for i in first["inputs"]] == ["dependencies.csv", "systems.csv"]
