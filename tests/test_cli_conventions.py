"""The command line's conventions (docs/cli.md, Conventions), through typer's CliRunner:
-o for --out, formats from file names, the inventory as an argument, checked filters, every
column in CSV, whole numbers and booleans as such, and the policy kept with the inventory."""

from __future__ import annotations

import csv
import io

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from planner.cli import app
from planner.policy import load_policy
from tests.conftest import ROOT

FIVE = str(ROOT / "data" / "examples" / "five-systems")
DEFAULT = f"Policy: policy.yaml (sha256 {load_policy().sha256[:12]})"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="modernise")


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "five.db"
    assert invoke("import", FIVE, "--db", db).exit_code == 0
    return db


def test_every_out_option_has_o_as_its_short_form():
    root = get_command(app)
    commands = [
        command
        for group in root.commands.values()  # type: ignore[attr-defined]
        for command in [group, *getattr(group, "commands", {}).values()]
    ]
    outs = [p for c in commands for p in c.params if "--out" in p.opts]
    assert len(outs) >= 10
    assert all("-o" in p.opts for p in outs), [p.opts for p in outs if "-o" not in p.opts]


def test_o_writes_a_chart(tmp_path):
    png = tmp_path / "portfolio.png"
    done = invoke("chart", "portfolio", FIVE, "-o", png)
    assert done.exit_code == 0 and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("roadmap.xlsx", b"PK"),
        ("roadmap.json", b"{"),
        ("roadmap.md", b"# "),
        ("plan.xml", b"<?xml"),
    ],
)
def test_export_takes_its_format_from_the_file_name(tmp_path, name, start):
    path = tmp_path / name
    done = invoke("export", FIVE, "-o", path)
    assert done.exit_code == 0, done.output
    assert path.read_bytes().startswith(start)


def test_export_to_a_folder_writes_csv(tmp_path):
    done = invoke("export", FIVE, "-o", tmp_path / "tables")
    assert done.exit_code == 0 and (tmp_path / "tables" / "roadmap.csv").is_file()


def test_export_refuses_a_name_that_says_no_format(tmp_path):
    done = invoke("export", FIVE, "-o", tmp_path / "roadmap.docx")
    assert done.exit_code == 2
    assert done.output.splitlines()[-2:] == [
        "Error: cannot tell the format of 'roadmap.docx' from its suffix",
        "  name a .xlsx, .json, .xml, .mmd, .mermaid, .md file or a folder, or give --format",
    ]


def test_export_format_option_still_wins(tmp_path):
    path = tmp_path / "roadmap.txt"
    done = invoke("export", FIVE, "--format", "markdown", "-o", path)
    assert done.exit_code == 0 and path.read_text().startswith("# ")


def test_impact_takes_the_inventory_after_the_system_ids(store):
    positional = invoke("impact", "pas", FIVE)
    stored = invoke("impact", "pas", "--db", store)
    assert positional.exit_code == 0 and stored.exit_code == 0
    # tie, ed and portal fail with the PAS (hand-traced from dependencies.csv)
    assert "1 down -> 3 fail" in positional.output
    assert positional.output == stored.output


def test_graph_takes_several_systems_then_the_inventory(store, tmp_path):
    png = tmp_path / "around.png"
    done = invoke("graph", "pas", "lab-db", FIVE, "-o", png)
    assert done.exit_code == 0, done.output
    # depth 1 around pas and lab-db: pas's neighbours tie, ed and lab-db; the links
    # tie-pas, ed-tie, ed-pas and lab-db-pas (dependencies.csv)
    assert done.output.strip() == f"Wrote {png} (4 systems, 4 links)"
    assert png.read_bytes()[:4] == b"\x89PNG"
    stored = invoke("graph", "pas", "lab-db", "--db", store, "-o", png)
    assert stored.output == done.output


def test_graph_names_the_inventory_a_missing_system_was_looked_for_in(tmp_path):
    done = invoke("graph", "pas", "nope", FIVE, "-o", tmp_path / "g.png")
    assert done.exit_code == 2
    assert done.output.splitlines()[0] == f"Error: no system 'nope' in {FIVE}"
    assert not (tmp_path / "g.png").exists()


def test_impact_dash_i_still_works_and_says_it_is_deprecated():
    old = invoke("impact", "pas", "-i", FIVE)
    new = invoke("impact", "pas", FIVE)
    assert old.exit_code == 0
    assert old.output.splitlines()[0] == (
        "Warning: -i/--inventory is deprecated; give the inventory after the system ids"
    )
    assert old.output.splitlines()[1:] == new.output.splitlines()


def test_an_unknown_criticality_is_an_error_listing_the_allowed_words(store):
    done = invoke("systems", "--db", store, "--criticality", "T9")
    assert done.exit_code == 2
    assert (
        done.output.strip() == "Error: criticality 'T9' is not one of: low, medium, high, critical"
    )


def test_a_criticality_synonym_filters(store):
    done = invoke("systems", "--db", store, "--criticality", "T1", "--format", "csv")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(done.output))]
    assert done.exit_code == 0 and ids == ["pas", "tie", "ed"]  # the three critical ones


def test_systems_csv_writes_every_column_and_takes_the_inventory_as_an_argument(store):
    from inventory import load_inventory

    columns = ["id", *load_inventory(FIVE).systems.columns]
    from_store = invoke("systems", "--db", store, "--format", "csv")
    from_file = invoke("systems", FIVE, "--format", "csv")
    assert next(csv.reader(io.StringIO(from_store.output))) == columns
    assert from_store.output == from_file.output


def test_whole_numbers_and_booleans_print_as_such(store):
    done = invoke("show", "pas", "--db", store)
    rows = {
        cells[1].strip(): cells[2].strip()
        for line in done.output.splitlines()
        if len(cells := line.split("│")) == 4
    }
    assert rows["patient_facing"] == "yes"
    assert rows["annual_run_cost_gbp"] == "600000"  # '£600k' in the file, 600000.0 stored
    planned = invoke("plan", "--db", store, "--format", "csv")
    waves = [row["wave"] for row in csv.DictReader(io.StringIO(planned.output.split("\n", 1)[1]))]
    assert waves and all(w.isdigit() for w in waves)


def test_every_planning_command_says_which_policy_it_used(store):
    for args in (["score"], ["rank"], ["plan"], ["impact", "pas"]):
        done = invoke(*args, "--db", store)
        assert done.exit_code == 0 and DEFAULT in done.output.splitlines(), args


def test_policy_use_keeps_the_policy_with_the_inventory(store, tmp_path):
    board = tmp_path / "board.yaml"
    board.write_text("priority:\n  top_n: 3\n")
    expected = load_policy(board).sha256[:12]
    done = invoke("policy", "use", board, "--db", store)
    assert done.exit_code == 0
    assert done.output.strip() == f"Batch 2: {store} now plans under board.yaml (sha256 {expected})"
    assert invoke("policy", "show", "--db", store).output.strip() == (
        f"Policy: board.yaml (sha256 {expected})"
    )
    ranked = invoke("rank", "--db", store)
    assert f"Policy: board.yaml (sha256 {expected})" in ranked.output.splitlines()
    # a policy file on the command line wins; a file inventory never uses the store's
    assert DEFAULT in invoke("rank", FIVE, "--db", store).output.splitlines()
    history = invoke("history", "--db", store, "--format", "csv").output
    batch = list(csv.DictReader(io.StringIO(history)))[-1]
    assert (batch["id"], batch["source"], batch["mode"]) == ("2", "board.yaml", "policy")
    assert batch["sha256"] == expected  # the hash every output names the policy by
    assert invoke("undo", "2", "--db", store).exit_code == 0
    assert DEFAULT in invoke("rank", "--db", store).output.splitlines()


def test_policy_use_refuses_a_policy_with_problems(store, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("priority:\n  weights: {risk: 0.9}\n")
    done = invoke("policy", "use", bad, "--db", store)
    assert done.exit_code == 1
    assert "Error: 1 problem in the policy from bad.yaml" in done.output
    assert "keeps no policy" in invoke("policy", "show", "--db", store).output


def test_a_missing_store_says_how_to_give_the_inventory(tmp_path):
    done = invoke("rank", "--db", tmp_path / "none.db")
    assert done.exit_code == 1
    assert done.output.splitlines()[-2:] == [
        f"Error: no inventory store at {tmp_path / 'none.db'}",
        "  give the inventory (a folder, .xlsx, .json or .yaml) to the command, import it first "
        "with 'modernise import PATH', or name another store with --db",
    ]
    # history reads only the store, so it is not told to take a file
    history = invoke("history", "--db", tmp_path / "none.db")
    assert history.output.splitlines()[-1] == (
        "  import an inventory first with 'modernise import PATH', or name another store with --db"
    )


def test_a_register_in_its_own_layout_is_pointed_to_map(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("System Name,Supplier,Department\nPAS,Cerner,Admin\n")
    for args in (["validate", register], ["import", register, "--db", tmp_path / "r.db"]):
        done = invoke(*args)
        assert done.exit_code == 1
        assert done.output.splitlines()[-1] == (
            f"  a register kept in its own layout? 'modernise map {register}' proposes a column "
            "mapping to review; then give it with --mapping"
        ), args
    assert not (tmp_path / "r.db").exists()


def test_rank_says_which_ranks_it_leaves_out():
    done = invoke("rank", FIVE)
    assert done.exit_code == 0
    # five-systems: the portal is kept (disposition retain) and ranks 5th of 5
    assert done.output.splitlines()[-1] == (
        "Ranks count every system: 1 system kept or already retired (rank 5) not listed; "
        "--all lists them"
    )
    everything = invoke("rank", FIVE, "--all")
    assert "portal" in everything.output and "not listed" not in everything.output


def test_a_pack_for_an_unnamed_organisation_says_how_to_name_it(tmp_path):
    register = tmp_path / "register"
    register.mkdir()
    (register / "systems.csv").write_text(
        "id,name,disposition,platform\npas,PAS,replace,Windows XP\n"
    )
    done = invoke("report", register, "-o", tmp_path / "pack.html", "--runs", "20", "--no-levers")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == (
        "The cover names no organisation (the register gives no ODS codes): give "
        "--organisation 'Name of the trust'"
    )
    named = invoke(
        "report",
        register,
        "-o",
        tmp_path / "named.html",
        "--runs",
        "20",
        "--no-levers",
        "--organisation",
        "Riverside Community NHS Trust",
    )
    assert "The cover names no organisation" not in named.output
    assert "Riverside Community NHS Trust" in (tmp_path / "named.html").read_text()


def test_python_plans_of_the_store_use_the_policy_kept_with_it(store, tmp_path):
    import planner

    board = tmp_path / "board.yaml"
    board.write_text("priority:\n  top_n: 3\n")
    assert invoke("policy", "use", board, "--db", store).exit_code == 0
    kept = planner.plan(planner.load(db=store))
    assert (kept.policy.source, kept.policy.priority.top_n) == ("board.yaml", 3)
    assert kept.policy.sha256 == load_policy(board).sha256
    # a policy given wins; a file inventory never uses the store's
    assert planner.plan(planner.load(db=store), {"priority.top_n": 5}).policy.priority.top_n == 5
    assert planner.plan(FIVE).policy.priority.top_n == load_policy().priority.top_n


@pytest.mark.slow
def test_roadmap_reads_the_store_like_the_other_commands(store, tmp_path):
    done = invoke("roadmap", "--db", store, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "report.html").is_file()
    assert DEFAULT in done.output.splitlines()


def test_planning_a_register_in_its_own_layout_points_to_map(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Application,Supplier\nPAS,Cerner\n")
    done = invoke("plan", register)
    assert done.exit_code == 1
    assert done.output.splitlines()[-1] == (
        "  a register kept in its own layout? 'modernise map FILE' proposes a column mapping "
        "to review; then give it with --mapping; nothing was changed"
    )
