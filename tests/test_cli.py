"""The command line: exit codes, messages, and no tracebacks for data mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.store import SCHEMA_VERSION
from planner.cli import main
from planner.policy import load_policy
from tests.conftest import BASIC_SYSTEMS, SAMPLE_TRUST


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_creates_a_store(capsys, db_path):
    code, out, _ = run(capsys, "init", "--db", db_path)
    assert code == 0 and f"Created {db_path} (schema version {SCHEMA_VERSION})" in out


def test_validate_lists_every_problem_and_exits_1(capsys, make_inventory):
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0]["criticality"] = "hgh"
    rows[1]["go_live"] = "31/02/2027"
    code, out, err = run(capsys, "validate", make_inventory(rows))
    assert code == 1
    assert "systems.csv row 2" in out and "did you mean 'high'?" in out
    assert "systems.csv row 3" in out and "no day 31 in month 2" in out
    assert "has 2 errors" in err
    assert "Traceback" not in out + err


def test_validate_ok(capsys, make_inventory):
    code, out, _ = run(capsys, "validate", make_inventory())
    assert code == 0 and "is valid: 3 systems, 2 dependencies" in out


def test_import_refuses_bad_data_without_touching_the_store(capsys, make_inventory, db_path):
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0]["criticality"] = "hgh"
    code, _, err = run(capsys, "import", make_inventory(rows), "--db", db_path)
    assert code == 1 and "nothing was imported" in err
    assert not db_path.exists()


@pytest.mark.slow
def test_import_show_systems_graph(capsys, db_path, tmp_path):
    code, out, _ = run(capsys, "import", SAMPLE_TRUST, "--db", db_path)
    assert code == 0 and "252 systems added" in out
    code, out, _ = run(capsys, "systems", "--db", db_path, "--category", "pathology lims")
    assert code == 0 and "lims" in out and "1 system" in out and "1 systems" not in out
    code, out, _ = run(
        capsys,
        "systems",
        "--db",
        db_path,
        "--unsupported-by",
        "2015-12-31",
        "--format",
        "csv",
        "--limit",
        "0",
    )
    assert code == 0 and out.startswith("id,name,organisation,category,supplier")
    code, out, _ = run(capsys, "show", "PAS", "--db", db_path)
    assert code == 0 and "depended on by" in out and "Downstream impact:" in out
    png = tmp_path / "pas.png"
    code, out, _ = run(capsys, "graph", "pas", "--db", db_path, "--out", png)
    assert code == 0 and png.stat().st_size > 10_000


def test_unknown_system_and_missing_store(capsys, db_path, tmp_path):
    run(capsys, "import", SAMPLE_TRUST, "--db", db_path)
    code, _, err = run(capsys, "show", "nope", "--db", db_path)
    assert code == 2 and "Error: no system 'nope'" in err
    code, _, err = run(capsys, "systems", "--db", tmp_path / "missing.db")
    assert code == 1 and "Error: no inventory store at" in err
    code, _, err = run(capsys, "validate", tmp_path / "nowhere")
    assert code == 1 and "Error: nowhere: no such file or folder" in err


def test_bad_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "systems", "--bogus")
    assert code == 2 and "No such option" in err


@pytest.mark.parametrize("target", ["trust.json", "folder"])
def test_synth_writes_a_valid_inventory(capsys, tmp_path, target):
    code, out, _ = run(capsys, "synth", tmp_path / target)
    assert code == 0 and "252 systems" in out
    code, _, _ = run(capsys, "validate", tmp_path / target)
    assert code == 0


@pytest.mark.slow
def test_python_dash_m_planner(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "planner", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "Usage" in done.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_one_error_line_without_clean_up_tracebacks():
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "export",
            str(SAMPLE_TRUST),
            "-o",
            "/dev/full",
            "--format",
            "xlsx",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        "Error: cannot write to /dev/full: No space left on device"
    ]


# --- planner commands ---------------------------------------------------------------------


@pytest.mark.slow
def test_roadmap_writes_everything_a_cio_hands_on(capsys, tmp_path):
    out = tmp_path / "roadmap"
    code, text, _ = run(
        capsys,
        "roadmap",
        SAMPLE_TRUST,
        "--out",
        out,
        "--title",
        "Northshire",
        "--charts",
        "png,svg",
    )
    assert code == 0 and "Wrote" in text
    for name in (
        "roadmap.png",
        "roadmap.svg",
        "roadmap.xlsx",
        "roadmap.xml",
        "roadmap.mmd",
        "summary.md",
        "spend-by-year.png",
        "risk-burndown.png",
    ):
        assert (out / name).exists(), name
    assert (out / "summary.md").read_text().startswith("# Northshire")
    assert "<script" not in (out / "roadmap.svg").read_text()


def test_roadmap_refuses_a_chart_format_before_planning(capsys, tmp_path):
    out = tmp_path / "roadmap"
    code, _, err = run(
        capsys, "roadmap", SAMPLE_TRUST, "-o", out, "--charts", "png", "--charts", "gif"
    )
    assert code == 2 and "chart format 'gif' is not one of: png, svg, pdf" in err
    assert "Policy:" not in err and not out.exists()  # refused before the plan


def test_rank_plan_and_explain(capsys, db_path):
    run(capsys, "import", SAMPLE_TRUST, "--db", db_path)
    code, out, _ = run(capsys, "rank", "--db", db_path, "--format", "csv", "--limit", "0")
    assert code == 0 and out.splitlines()[1].startswith("1,pas,")
    code, out, _ = run(capsys, "plan", "--db", db_path, "--budget", "2027/28=5m")
    assert code == 0 and "2027/28" in out and "£5.00m" in out
    code, out, _ = run(capsys, "explain", "pas", "--db", db_path)
    assert (
        code == 0
        and "support status" in out
        and "Waits for epr: epr absorbs it (replaced_by)" in out
    )


def test_score_reads_a_file_directly(capsys):
    code, out, _ = run(capsys, "score", SAMPLE_TRUST, "--format", "json", "--limit", "0")
    assert code == 0 and '"likelihood_support"' in out


@pytest.mark.slow
def test_export_formats(capsys, tmp_path):
    for fmt, name in (
        ("mspdi", "r.xml"),
        ("mermaid", "r.mmd"),
        ("xlsx", "r.xlsx"),
        ("json", "r.json"),
        ("markdown", "r.md"),
    ):
        code, _, _ = run(capsys, "export", SAMPLE_TRUST, "--format", fmt, "--out", tmp_path / name)
        assert code == 0 and (tmp_path / name).exists(), fmt
    code, _, err = run(capsys, "export", SAMPLE_TRUST, "--format", "pdf", "--out", tmp_path / "x")
    assert code == 2 and "--format 'pdf' is not one of" in err


def test_policy_errors_are_reported_like_data_errors(capsys, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("priority:\n  weights: {risk: high}\n")
    code, out, err = run(capsys, "plan", SAMPLE_TRUST, "--policy", policy)
    assert code == 1
    assert "policy.yaml: priority.weights.risk 'high' is not a number of zero or more" in out
    assert "Error: 1 problem in the policy" in err and "Traceback" not in out + err


def test_bad_budget_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "plan", SAMPLE_TRUST, "--budget", "soon=lots")
    assert code == 2 and "write it like --budget 2027/28=4.5m" in err


def test_invalid_inventory_is_reported_by_planner_commands(capsys, make_inventory):
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0]["criticality"] = "hgh"
    code, out, err = run(capsys, "plan", make_inventory(rows))
    assert code == 1 and "did you mean 'high'?" in out and "problem" in err


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("portfolio", []),
        ("end-of-support", []),
        ("spend", []),
        ("burndown", []),
        ("dependencies", ["--system", "lims"]),
        ("dependencies", ["--category", "PACS"]),
        ("gantt", ["--group-by", "wave"]),
    ],
)
def test_chart_kinds(capsys, tmp_path, kind, extra):
    out = tmp_path / f"{kind}.svg"
    code, _, _ = run(capsys, "chart", kind, SAMPLE_TRUST, "--out", out, *extra)
    assert code == 0 and out.stat().st_size > 2_000


def test_gantt_says_when_a_png_is_drawn_at_a_lower_dpi(capsys, tmp_path, monkeypatch):
    import planner.charts.style as style

    out = tmp_path / "g.png"
    code, text, _ = run(capsys, "gantt", SAMPLE_TRUST, "-o", out, "--group-by", "wave")
    assert code == 0 and "dpi" not in text  # 15 x 8.5 inches at 150 dpi: 2.87 million pixels
    monkeypatch.setattr(style, "MAX_PNG_PIXELS", 500_000)
    code, text, _ = run(capsys, "gantt", SAMPLE_TRUST, "-o", out, "--group-by", "wave")
    # 150 * (500,000 / 2,868,750) ** 0.5 = 62.6
    assert code == 0 and "Drawn at 62 dpi rather than 150" in text
    from PIL import Image

    with Image.open(out) as image:
        assert image.size == (15 * 62, int(8.5 * 62))


def test_chart_errors(capsys, tmp_path):
    code, _, err = run(capsys, "chart", "pie", SAMPLE_TRUST)
    assert code == 2 and "chart 'pie' is not one of" in err
    code, _, err = run(capsys, "chart", "dependencies", SAMPLE_TRUST)
    assert code == 2 and "needs --system ID or --category NAME" in err


@pytest.mark.slow
def test_forecast_prints_percentiles_and_writes_tables_and_charts(capsys, tmp_path):
    code, out, err = run(
        capsys, "forecast", SAMPLE_TRUST, "--runs", 60, "--seed", 3, "--out", tmp_path / "f"
    )
    assert code == 0, err
    assert out.startswith("<Forecast: 60 runs (pert, budget hold); programme end planned ")
    assert "End-of-support deadlines still ahead" in out and "dictation" in out
    written = sorted(p.name for p in (tmp_path / "f").iterdir())
    assert written == [
        "forecast-completion.png",
        "forecast-completion.svg",
        "forecast-programme.csv",
        "forecast-risk-fan.png",
        "forecast-risk-fan.svg",
        "forecast-spend-by-year.csv",
        "forecast-systems.csv",
    ]
    code, out, err = run(capsys, "forecast", SAMPLE_TRUST, "--distribution", "normal")
    assert code == 1 and "1 problem in the policy" in err
    assert "uncertainty.distribution 'normal' is not one of: triangular, pert" in out


def test_stability_reports_fragile_rankings(capsys, tmp_path):
    chart = tmp_path / "stability.png"
    code, out, err = run(
        capsys, "stability", SAMPLE_TRUST, "--samples", 200, "--limit", 25, "--chart", chart
    )
    assert code == 0, err
    assert out.startswith("200 draws of the weights around risk 0.55, impact 0.3, cost 0.15")
    assert "FRAGILE" in out and "pas" in out and chart.stat().st_size > 10_000
    code, out, _ = run(capsys, "stability", SAMPLE_TRUST, "--samples", 50, "--format", "csv")
    assert code == 0 and out.startswith("id,rank,median rank,best rank (P5)")


@pytest.mark.slow
def test_compare_budgets_and_policies(capsys, tmp_path):
    policy = tmp_path / "consumers.yaml"
    policy.write_text("ordering:\n  precedence: consumers-first\n")
    chart, changes = tmp_path / "compare.png", tmp_path / "changes.csv"
    code, out, err = run(
        capsys,
        "compare",
        SAMPLE_TRUST,
        "--budget-scale",
        0.8,
        "--policy",
        policy,
        "--chart",
        chart,
        "--changes",
        changes,
        "--base",
        "data/policy.yaml",
    )
    assert code == 0, err
    assert "<Comparison of 3 scenarios: policy, consumers, budget x0.8>" in out
    assert "risk exposure (risk-months)" in out and "Highest-priority systems that move" in out
    assert chart.stat().st_size > 10_000
    assert changes.read_text().startswith("scenario,system,rank,policy wave,wave")
    code, _, err = run(capsys, "compare", SAMPLE_TRUST)
    assert code == 2 and "two or more scenarios" in err


@pytest.mark.slow
def test_impact_lists_the_blast_radius_and_the_cutover(capsys):
    code, out, err = run(capsys, "impact", "pas", "-i", SAMPLE_TRUST, "--limit", 5)
    assert code == 0, err
    assert out.startswith("1 down -> ") and "patient-facing" in out
    assert "pas >(HL7 v2) ed" in out
    code, out, err = run(capsys, "impact", "lims", "-i", SAMPLE_TRUST, "--window")
    assert code == 0, err
    assert out.startswith("Cut-over ") and "lims" in out
    code, out, _ = run(capsys, "impact", "tie", "-i", SAMPLE_TRUST, "--format", "csv")
    assert code == 0 and out.startswith("id,name,category,criticality,patient_facing,users,effect")
    code, _, err = run(capsys, "impact", "nope", "-i", SAMPLE_TRUST)
    assert code == 2 and "no system 'nope'" in err


def test_sample_copies_the_bundled_trust_and_refuses_to_overwrite(capsys, tmp_path):
    target = tmp_path / "start"
    code, out, _ = run(capsys, "sample", target)
    assert code == 0 and out.startswith("Wrote 4 files to")
    assert sorted(p.name for p in target.iterdir()) == [
        "dependencies.csv",
        "northshire-trust.xlsx",
        "policy.yaml",
        "systems.csv",
    ]
    code, _, err = run(capsys, "sample", target)
    assert code == 2 and "already exists and is not an empty folder" in err
    code, _, err = run(capsys, "sample", tmp_path / "other", "--name", "nope")
    assert code == 2 and "no sample called 'nope'" in err and "sample-trust, five-systems" in err


def test_systems_filters_take_the_files_words_and_refuse_the_unknown(capsys, db_path):
    run(capsys, "import", SAMPLE_TRUST, "--db", db_path)
    code, out, _ = run(capsys, "systems", "--db", db_path, "--criticality", "T1", "--format", "csv")
    rows = out.splitlines()
    assert code == 0 and len(rows) > 10 and all(",critical," in row for row in rows[1:])
    code, _, err = run(capsys, "systems", "--db", db_path, "--criticality", "tier one")
    assert code == 2
    assert "Error: criticality 'tier one' is not one of: low, medium, high, critical" in err


def test_map_proposes_a_mapping_and_every_command_reads_a_register_through_it(capsys, tmp_path):
    from tests.conftest import ROOT, load_module

    make = load_module(ROOT / "tests" / "data" / "registers" / "make_registers.py")
    register = make.make_eastbrook(tmp_path / "eastbrook")
    mapping = tmp_path / "mapping.yaml"
    code, out, _ = run(capsys, "map", register, "-o", mapping)
    assert code == 0 and "Proposed mapping for" in out and mapping.exists()
    assert f"Wrote {mapping}." in out
    code, _, err = run(capsys, "map", register, "-o", mapping)
    assert code == 2 and "already exists; a proposal never overwrites" in err
    code, out, err = run(capsys, "validate", register, "--mapping", mapping)
    assert "Error:" in err and "did you mean" in out  # only the planted mistakes remain
    code, _, err = run(capsys, "plan", "--mapping", mapping)
    assert code == 2 and "--mapping reads a register file; give the file as well" in err


def test_history_shows_the_mapping_of_each_batch(capsys, tmp_path, db_path):
    import io

    import pandas as pd

    from inventory import Store
    from tests.conftest import ROOT, load_module
    from tests.test_onboarding import EASTBROOK_EDITS, edit

    make = load_module(ROOT / "tests" / "data" / "registers" / "make_registers.py")
    register = make.make_eastbrook(tmp_path / "eastbrook", mistakes=False)
    mapping = tmp_path / "mapping.yaml"
    run(capsys, "map", register, "-o", mapping)
    mapping.write_text(edit(mapping.read_text(), *EASTBROOK_EDITS))
    code, out, err = run(capsys, "import", register, "--db", db_path, "--mapping", mapping)
    assert code == 0, out + err
    code, out, _ = run(capsys, "history", "--db", db_path, "--format", "csv")
    shown = pd.read_csv(io.StringIO(out), dtype=str)
    with Store(db_path) as store:
        recorded = store.history().iloc[0]["mapping_sha256"]
    assert code == 0 and shown.loc[0, "mapping"] == recorded[:12]


@pytest.mark.slow
def test_a_register_kept_its_own_way_goes_to_a_roadmap_as_the_onboarding_guide_says(
    capsys, tmp_path
):
    from tests.conftest import ROOT, load_module
    from tests.test_onboarding import WESTMOOR_EDITS, edit

    make = load_module(ROOT / "tests" / "data" / "registers" / "make_registers.py")
    register = make.make_westmoor(tmp_path / "westmoor.xlsx", mistakes=False)
    mapping = tmp_path / "mapping.yaml"
    assert run(capsys, "map", register, "-o", mapping)[0] == 0
    mapping.write_text(edit(mapping.read_text(), *WESTMOOR_EDITS))
    code, out, err = run(capsys, "validate", register, "--mapping", mapping)
    assert code == 0 and "is valid:" in out, out + err
    out_folder = tmp_path / "roadmap"
    code, out, err = run(capsys, "roadmap", register, "--mapping", mapping, "--out", out_folder)
    assert code == 0, out + err
    assert (out_folder / "summary.md").exists() and (out_folder / "roadmap.xlsx").exists()


def test_discover_hl7_writes_interfaces_and_aliases_and_diff_compares_them(capsys, tmp_path):
    from tests.conftest import ROOT

    interfaces, aliases = tmp_path / "interfaces.csv", tmp_path / "aliases.csv"
    code, out, _ = run(
        capsys,
        "discover",
        "hl7",
        ROOT / "tests" / "data" / "hl7",
        "-o",
        interfaces,
        "--aliases",
        aliases,
        "-i",
        SAMPLE_TRUST,
    )
    assert code == 1  # one message in the fixtures is cut off: reported, and the rest kept
    assert f"Wrote 10 interfaces from 31 messages to {interfaces}; 1 could not be read" in out
    # the tenth 'application' is the messages naming none (MSH-3 blank): no id to give it
    assert f"Wrote {aliases}: 10 applications, 9 with an inventory id" in out
    assert interfaces.read_text().startswith("sender,receiver,")
    code, out, _ = run(
        capsys, "discover", "diff", interfaces, SAMPLE_TRUST, "--aliases", aliases, "--limit", 0
    )
    assert code == 0 and out.startswith("declared, outside the traffic: 59; ")
    assert "seen, not declared" in out and "message types differ: 3" in out


def test_discover_aliases_count_only_the_applications_matched(capsys, tmp_path):
    from tests.conftest import ROOT

    aliases = tmp_path / "aliases.csv"
    five = ROOT / "data" / "examples" / "five-systems"
    hl7 = ROOT / "tests" / "data" / "hl7"
    code, out, _ = run(
        capsys, "discover", "hl7", hl7, "-o", tmp_path / "i.csv", "--aliases", aliases, "-i", five
    )
    assert code == 1  # one message in the fixtures is cut off
    # PAS and TIE are in five-systems; the other eight applications are not (it said 10)
    assert f"Wrote {aliases}: 10 applications, 2 with an inventory id" in out


def test_validate_says_when_the_errors_are_in_the_mapping(capsys, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Ref,System,Supplier\nA1,PAS,Meridian\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "version: 1\nsystems:\n  sheet: register.csv\n  columns:\n    id: Ref\n"
        "    name: System\n    supplier: {join: []}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "validate", register, "--mapping", mapping)
    assert code == 1
    assert out.splitlines() == [
        "mapping.yaml line 7: systems.columns.supplier: join needs at least one column: join: "
        "[Column A, Column B]"
    ]
    assert err.splitlines()[0] == (
        f"Error: the mapping {mapping} has 1 error; fix them and run validate again"
    )


def test_a_workbook_without_a_systems_sheet_is_pointed_to_map(capsys, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "App Register"
    workbook.active.append(["App ID", "System / Application"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    code, _, err = run(capsys, "validate", path)
    assert code == 1
    assert err.splitlines() == [
        "Error: register.xlsx: has no 'systems' sheet (sheets: App Register)",
        "  name the sheets 'systems' and 'dependencies', or: a register kept in its own "
        f"layout? 'modernise map {path}' proposes a column mapping to review; then give it "
        "with --mapping",
    ]


# --- hostile and unlucky use ---------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_says_what_was_written_and_leaves_no_half_output(capsys, tmp_path, monkeypatch):
    from planner.export import bundle

    out = tmp_path / "roadmap"
    code, _, _ = run(capsys, "roadmap", str(SAMPLE_TRUST), "--out", str(out))
    assert code == 0
    before = sorted(p.name for p in out.iterdir())
    summary = (out / "summary.md").read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(bundle, "write_mspdi", interrupted)  # part way through the folder
    code, stdout, stderr = run(capsys, "roadmap", str(SAMPLE_TRUST), "--out", str(out))
    assert code == 130 and "Traceback" not in stdout + stderr
    assert stderr.strip() == (
        f"Policy: policy.yaml (sha256 {load_policy().sha256[:12]})\n"
        "Interrupted: nothing was written (an output in progress was removed, an import in "
        "progress rolled back, and earlier outputs and the store are as they were)"
    )
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "summary.md").read_bytes() == summary
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roadmap"]


def test_ctrl_c_inside_compiled_code_is_an_interruption_not_a_fault(capsys, monkeypatch):
    from planner.schedule import search

    def compiled_kernel_interrupted(*args, **kwargs):
        # what numba returns when Ctrl-C arrives inside a compiled kernel
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise SystemError(
                "CPUDispatcher(<function search>) returned a result with an exception set"
            ) from None

    monkeypatch.setattr(search.kernels, "search", compiled_kernel_interrupted)
    code, stdout, stderr = run(capsys, "plan", str(SAMPLE_TRUST))
    assert code == 130 and "Traceback" not in stdout + stderr
    assert stderr.splitlines()[-1].startswith("Interrupted: nothing was written")


def test_ctrl_c_after_an_output_names_it(capsys, tmp_path, monkeypatch):
    from planner import charts

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    chart = tmp_path / "ranks.png"
    monkeypatch.setattr(charts, "plot_rank_stability", interrupted)
    code, _, stderr = run(
        capsys, "stability", str(SAMPLE_TRUST), "--samples", "20", "--chart", str(chart)
    )
    assert code == 130 and stderr.startswith("Policy: policy.yaml (sha256 ")
    assert stderr.splitlines()[1].startswith("Interrupted: nothing was written")
    monkeypatch.undo()
    changes = tmp_path / "changes.csv"
    monkeypatch.setattr(charts, "plot_comparison", interrupted)
    code, _, stderr = run(
        capsys,
        "compare",
        str(SAMPLE_TRUST),
        "--budget-scale",
        "0.5",
        "--changes",
        str(changes),
        "--chart",
        str(tmp_path / "c.png"),
    )
    assert code == 130 and stderr.startswith("Policy: policy.yaml (sha256 ")
    assert stderr.splitlines()[1].startswith(
        f"Interrupted: {changes} was written whole; nothing else was"
    )


def test_an_operating_system_error_is_a_message_not_a_traceback(capsys, monkeypatch):
    import planner.api

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/shares/it/systems.csv")

    monkeypatch.setattr(planner.api, "load", unreadable)
    code, stdout, stderr = run(capsys, "rank", "/shares/it")
    assert code == 1 and "Traceback" not in stdout + stderr
    assert stderr.strip() == "Error: /shares/it/systems.csv: Permission denied"


def test_data_prints_as_text_never_as_console_markup(capsys, tmp_path, db_path):
    from tests.conftest import write_csv

    folder = tmp_path / "inventory"
    folder.mkdir()
    names = ["[/bold] PAS", "[red]LIMS", ":pill: store", "ESC\x1b[2J"]
    write_csv(folder / "systems.csv", [{"id": f"s{i}", "name": n} for i, n in enumerate(names[:3])])
    assert run(capsys, "import", str(folder), "--db", str(db_path))[0] == 0
    for args in (["systems"], ["show", "s0"], ["history"]):
        code, stdout, stderr = run(capsys, *args, "--db", str(db_path))
        assert code == 0 and "Traceback" not in stdout + stderr
    code, stdout, _ = run(capsys, "systems", "--db", str(db_path))
    assert all(name in stdout for name in names[:3])
    code, _, stderr = run(capsys, "show", "[/bold]", "--db", str(db_path))
    assert code == 2 and "no system '[/bold]'" in stderr


def test_a_store_emptied_by_an_undo_is_said_to_be_empty(capsys, make_inventory, db_path):
    assert run(capsys, "import", make_inventory(), "--db", db_path)[0] == 0
    assert run(capsys, "undo", "1", "--db", db_path)[0] == 0
    before = db_path.read_bytes()
    code, out, err = run(capsys, "rank", "--db", db_path)
    assert code == 1
    assert err.startswith(
        f"Error: {db_path} holds no systems: a change in its history removed them all\n"
    )
    assert db_path.read_bytes() == before
    assert "Traceback" not in out + err


def test_a_fault_in_modernise_is_one_line_and_exit_code_70(capsys, monkeypatch):
    import planner.api

    def broken(*args, **kwargs):
        raise RuntimeError("an invariant did not hold")

    monkeypatch.setattr(planner.api, "load", broken)
    code, out, err = run(capsys, "rank", SAMPLE_TRUST)
    assert code == 70
    assert "modernise failed: RuntimeError: an invariant did not hold" in err
    assert "run the command again with --debug" in err
    assert "Traceback" not in out + err
