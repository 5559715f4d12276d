"""Reading every format, encodings and delimiters; writing and reading back."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from inventory import load_inventory, read_inventory
from inventory.errors import InventoryFileError
from inventory.io import read_raw
from inventory.synthetic import sample_trust
from inventory.write import write_inventory
from tests.conftest import SAMPLE_TRUST


def test_headers_match_without_case_or_spaces(tmp_path):
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "Systems.CSV").write_text(
        "System ID, NAME ,Annual Run Cost GBP\npas,PAS,£450k\n", encoding="utf-8"
    )
    inventory, report = read_inventory(folder)
    assert report.valid
    assert inventory.systems.loc["pas", "annual_run_cost_gbp"] == 450_000


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe")],
)
def test_unicode_encodings(tmp_path, encoding, bom):
    path = tmp_path / "systems.csv"
    path.write_bytes(bom + "id,name,annual_run_cost_gbp\npas,Café PAS,£1.2m\n".encode(encoding))
    inventory, report = read_inventory(path)
    assert report.valid
    assert inventory.systems.loc["pas", "name"] == "Café PAS"
    assert inventory.systems.loc["pas", "annual_run_cost_gbp"] == 1_200_000


def test_windows_1252_pound_signs_are_read_with_a_warning(tmp_path):
    path = tmp_path / "systems.csv"
    path.write_bytes("id,name,annual_run_cost_gbp\npas,PAS,£450k\n".encode("cp1252"))
    inventory, report = read_inventory(path)
    assert report.valid
    assert inventory.systems.loc["pas", "annual_run_cost_gbp"] == 450_000
    assert [str(w) for w in report.warnings] == [
        "systems.csv: warning: read as Windows-1252 because it is not valid UTF-8; check that "
        "'£' and accented names came through"
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(tmp_path, delimiter):
    path = tmp_path / "systems.csv"
    path.write_text(
        delimiter.join(["id", "name", "criticality"])
        + "\npas"
        + delimiter
        + "PAS, main"
        + delimiter
        + "high\n",
        encoding="utf-8",
    )
    inventory, report = read_inventory(path)
    assert report.valid
    assert inventory.systems.loc["pas", "name"] == "PAS, main"


def test_duplicate_headers_are_reported(tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text("id,name,Name\npas,PAS,Other\n", encoding="utf-8")
    _, report = read_inventory(path)
    assert [str(i) for i in report.errors] == [
        "systems.csv: column 'name' appears twice (column 2 and column 3); delete or rename "
        "one of them"
    ]


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text("id,name,criticality\npas,PAS,high\n,,\ned,ED,hgh\n", encoding="utf-8")
    _, report = read_inventory(path)
    assert [i.row for i in report.errors] == [4]


def test_empty_file(tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text("", encoding="utf-8")
    _, report = read_inventory(path)
    assert [str(i) for i in report.errors] == [
        "systems.csv: the file is empty; it needs a header row",
    ] or "the file is empty" in str(report)


def test_missing_folder_and_unknown_format(tmp_path):
    with pytest.raises(InventoryFileError, match="no such file or folder"):
        read_raw(tmp_path / "nope")
    (tmp_path / "inventory.docx").write_text("x")
    with pytest.raises(InventoryFileError, match=r"'\.docx' is not an inventory format"):
        read_raw(tmp_path / "inventory.docx")


def test_json_and_yaml_documents(tmp_path):
    document = {
        "systems": [
            {
                "id": "pas",
                "name": "PAS",
                "replacement_cost_gbp": {"low": "1m", "likely": "2m", "high": "3m"},
                "team_demand": {"integration": 0.5},
                "after": ["tie"],
                "patient_facing": True,
            },
            {"id": "tie", "name": "TIE"},
        ],
        "dependencies": [{"consumer": "pas", "provider": "tie", "messages": ["ADT^A01"]}],
    }
    (tmp_path / "inv.json").write_text(json.dumps(document), encoding="utf-8")
    inventory = load_inventory(tmp_path / "inv.json")
    pas = inventory.systems.loc["pas"]
    assert pas["replacement_cost_gbp_likely"] == 2e6
    assert pas["team_demand"] == {"integration": 0.5}
    assert pas["after"] == ("tie",) and pas["patient_facing"]
    assert inventory.dependencies.loc[0, "messages"] == ("ADT^A01",)


def test_yaml_scalars_are_read_as_written_not_as_yaml_1_1_numbers(tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text(
        "systems:\n"
        "  - {id: 012, name: 0755, version: 5.20, users: 1200, patient_facing: yes,\n"
        "     replacement_cost_gbp: {low: 1m, likely: 2m, high: ~},\n"
        "     team_demand: {integration: 0.5}, notes: null}\n"
        "  - {id: b, name: B, version: 10.0, users: 0x10}\n",
        encoding="utf-8",
    )
    _, report = read_inventory(path)
    assert [str(i) for i in report.errors] == [
        "inv.yaml[systems] item 2: users '0x10' is not a whole number"
    ]
    path.write_text(path.read_text().replace("0x10", "16"), encoding="utf-8")
    systems = load_inventory(path).systems
    assert systems.index.tolist() == ["012", "b"]
    assert systems["name"].tolist() == ["0755", "B"]
    assert systems["version"].tolist() == ["5.20", "10.0"]
    assert systems["users"].tolist() == [1200, 16]
    assert systems.loc["012", "team_demand"] == {"integration": 0.5}
    assert systems.loc["012", "patient_facing"]
    assert systems.loc["012", "replacement_cost_gbp_likely"] == 2e6
    assert pd.isna(systems.loc["012", "replacement_cost_gbp_high"])
    assert pd.isna(systems.loc["012", "notes"])


def test_yaml_never_runs_code(tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text("systems: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(InventoryFileError, match="uses a YAML tag that is not allowed"):
        read_raw(path)


def test_json_nesting_bomb_is_refused(tmp_path):
    path = tmp_path / "inv.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InventoryFileError, match="nested more than 32 levels"):
        read_raw(path)


def test_xlsx_sheets_and_excel_dates(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Systems"
    sheet.append(["ID", "Name", "Go live", "Users"])
    sheet.append(
        ["PAS", "Patient Administration", pd.Timestamp("1998-04-01").to_pydatetime(), 2400]
    )
    deps = workbook.create_sheet("Dependencies")
    deps.append(["consumer", "provider"])
    path = tmp_path / "inv.xlsx"
    workbook.save(path)
    inventory = load_inventory(path)
    assert inventory.systems.loc["pas", "go_live"] == pd.Timestamp("1998-04-01")
    assert inventory.systems.loc["pas", "users"] == 2400


def test_xlsx_without_systems_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    path = tmp_path / "inv.xlsx"
    workbook.save(path)
    with pytest.raises(InventoryFileError, match=r"has no 'systems' sheet \(sheets: Sheet1\)"):
        read_raw(path)


@pytest.mark.parametrize("target", ["folder", "trust.xlsx", "trust.json", "trust.yaml"])
def test_every_format_round_trips(tmp_path, target):
    inventory = sample_trust()
    path = tmp_path / target
    write_inventory(inventory, path)
    back = load_inventory(path, derive=False)
    pd.testing.assert_frame_equal(back.systems, inventory.systems)
    pd.testing.assert_frame_equal(back.dependencies, inventory.dependencies)


def test_formula_cells_are_neutralised_and_restored(tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text('id,name,notes\npas,PAS,"=HYPERLINK(""http://evil"")"\n', encoding="utf-8")
    inventory = load_inventory(path)
    write_inventory(inventory, tmp_path / "out")
    written = (tmp_path / "out" / "systems.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in written
    assert load_inventory(tmp_path / "out").systems.loc["pas", "notes"].startswith("=HYPERLINK")


def test_committed_sample_files_match_the_generator():
    """data/sample-trust is generated by inventory.synthetic.sample_trust; they cannot drift."""
    committed = load_inventory(SAMPLE_TRUST, derive=False)
    generated = sample_trust()
    pd.testing.assert_frame_equal(committed.systems, generated.systems)
    pd.testing.assert_frame_equal(committed.dependencies, generated.dependencies)
    workbook = load_inventory(SAMPLE_TRUST / "northshire-trust.xlsx", derive=False)
    pd.testing.assert_frame_equal(workbook.systems, generated.systems)


def test_one_files_digest_is_what_sha256sum_prints(tmp_path):
    import hashlib

    from inventory.files import file_digest

    one = tmp_path / "register.csv"
    one.write_bytes(b"id,name\npas,PAS\n")
    assert file_digest([one]) == hashlib.sha256(b"id,name\npas,PAS\n").hexdigest()
    two = tmp_path / "dependencies.csv"
    two.write_bytes(b"consumer,provider\n")
    both = hashlib.sha256(
        b"register.csv" + one.read_bytes() + b"dependencies.csv" + two.read_bytes()
    )
    assert file_digest([one, two]) == both.hexdigest()


def test_json_nulls_are_blanks_in_a_text_column_and_in_a_range(tmp_path):
    # a text column holding only null and missing values, and a range with a null part,
    # once crashed the reader and read as 'None'
    document = {
        "systems": [
            {
                "id": "a",
                "name": "A",
                "notes": None,
                "replacement_cost_gbp": {"low": "1m", "likely": "2m", "high": None},
            },
            {"id": "b", "name": "B"},
        ]
    }
    (tmp_path / "inv.json").write_text(json.dumps(document), encoding="utf-8")
    inventory, report = read_inventory(tmp_path / "inv.json")
    assert report.valid and not report.issues
    assert inventory.systems["notes"].isna().all()
    a = inventory.systems.loc["a"]
    assert (a["replacement_cost_gbp_low"], a["replacement_cost_gbp_likely"]) == (1e6, 2e6)
    assert pd.isna(a["replacement_cost_gbp_high"])


def _workbook_with(tmp_path, far: str, *, value: bool):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "systems"
    sheet.append(["id", "name"])
    sheet.append(["pas", "PAS"])
    if value:
        sheet[far] = "x"
    else:
        sheet[far].font = openpyxl.styles.Font(bold=True)  # styled, empty
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("far", ["XFD1048576", "C1048576", "XFD2000"])
def test_a_stray_value_far_beyond_the_table_is_refused_naming_its_cell(tmp_path, far):
    # a 5 KB workbook once read as 17 billion cells (or a million empty rows)
    path = _workbook_with(tmp_path, far, value=True)
    with pytest.raises(InventoryFileError) as raised:
        read_raw(path)
    assert str(raised.value) == (
        f"far.xlsx: sheet 'systems' has a value at {far}, far beyond the rest of its table "
        "(delete what lies far below or to the right of the table, or save the table alone)"
    )


def test_a_styled_empty_cell_far_below_the_table_is_not_read(tmp_path):
    inventory = load_inventory(_workbook_with(tmp_path, "A1048576", value=False))
    assert inventory.systems.index.tolist() == ["pas"]


def test_a_streamed_workbook_without_a_dimension_is_read_whole(tmp_path, monkeypatch):
    # openpyxl's write-only workbooks (ours among them) declare no dimension; a workbook
    # over the full-check size is streamed, and must still be read to its last row
    from inventory import files, io

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("systems")
    sheet.append(["id", "name"])
    for i in range(30):
        sheet.append([f"s{i}", f"System {i}"])
    path = tmp_path / "streamed.xlsx"
    workbook.save(path)
    monkeypatch.setattr(io, "XLSX_FULL_CHECK_BYTES", 0)
    assert files.XLSX_FULL_CHECK_BYTES > 0  # only the reader is told to stream
    inventory = load_inventory(path)
    assert len(inventory.systems) == 30 and inventory.systems.index[-1] == "s29"
