"""Registers as kept: header rows below titles, section headings, totals, several sheets."""

from __future__ import annotations

import openpyxl
import pytest

from inventory import read_inventory
from inventory.register import find_header_row, find_section_rows, read_register


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["id", "name"], ["pas", "PAS"]], 0),
        ([["Trust register"], [], ["System", "Supplier", "Go live"], ["PAS", "M", "2011"]], 2),
        # a title spread over cells is still narrower than the table below it
        ([["Register", "v3", "2024"], ["A", "B", "C", "D", "E", "F", "G"], list("1234567")], 1),
        # a merged title filled across the row repeats one value: not a header
        ([["Register"] * 4, ["System", "Supplier", "Tier", "Owner"], ["PAS", "M", "T1", "J"]], 1),
        # numbers and dates are data, not headers
        ([["2024", "2025", "2026"], ["System", "Cost", "Tier"], ["PAS", "1", "T1"]], 1),
        # a header wider than the data below it (blank columns)
        ([["id", "name", "category", "notes"], ["pas", "PAS"]], 0),
        ([], 0),
        ([["only one column"], ["pas"]], 0),
    ],
)
def test_header_row(rows, expected):
    assert find_header_row(rows) == expected


def test_section_rows_need_wide_rows_around_them():
    rows = [
        ["CORE SYSTEMS", None, None, None],
        ["PAS", "Meridian", "2011", "T1"],
        ["ED", "Symphony", None, "T1"],
        [None, None, "DIAGNOSTICS", None],  # a heading need not be in the first column
        ["LIMS", "WinPath", "2004", "T1"],
        ["n/a", None, None, None] and ["1234", None, None, None],  # no letter: not a heading
    ]
    assert find_section_rows(rows) == [0, 3]
    assert find_section_rows([["Clinical", None], ["PAS", "T1"]]) == []
    assert find_section_rows([["Clinical", None], ["PAS", "T1"]], merged=frozenset({0})) == [0]


def csv_register(tmp_path, text, name="register.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_register_with_title_sections_and_total(tmp_path):
    path = csv_register(
        tmp_path,
        "Eastbrook inventory,,,\n"
        "Exported 01/05/2024,,,\n"
        ",,,\n"
        "Ref,Application,Vendor,Tier\n"
        "CLINICAL,,,\n"
        "APP-1,Lorenzo PAS,DXC,Gold\n"
        "APP-2,ED Tracker,EMIS,Gold\n"
        "CORPORATE,,,\n"
        "APP-3,Payroll,ESR,Silver\n"
        "Total,,,\n",
    )
    register = read_register(path)
    table = register.tables["register.csv"]
    assert table.header_row == 4
    assert table.headers == ["Ref", "Application", "Vendor", "Tier", "Section"]
    assert table.cells.index.tolist() == [6, 7, 9]
    assert table.cells["Section"].tolist() == ["CLINICAL", "CLINICAL", "CORPORATE"]
    assert [str(i) for i in register.issues] == [
        "register.csv row 4: warning: the header is on row 4; rows 1-2 were read as a title "
        "above it",
        "register.csv row 10: warning: 'Total' is a total row; it is left out",
        "register.csv row 5: warning: 'CLINICAL' is a section heading; it is kept as the "
        "section of the rows below it, not read as data",
        "register.csv row 8: warning: 'CORPORATE' is a section heading; it is kept as the "
        "section of the rows below it, not read as data",
    ]


def test_csv_register_semicolons_blank_and_repeated_headers(tmp_path):
    path = csv_register(
        tmp_path,
        "Register;;;\nSystem;Notes;;Notes\nPAS;a;x;b\nED;c;;\n",
    )
    register = read_register(path)
    table = register.tables["register.csv"]
    assert table.headers == ["System", "Notes", "column 3", "Notes (2)"]
    assert table.cells.loc[3].tolist() == ["PAS", "a", "x", "b"]
    assert "the column at position 3 has no header but holds 1 value(s); it is read as " in (
        str(register.issues[1])
    )


def test_workbook_register_merged_title_and_headings(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Applications"
    sheet.append(["Westmoor register"])
    sheet.merge_cells("A1:D1")
    sheet.append(["System", "Supplier", "Go live", "Tier"])
    sheet.append(["CORE PATIENT ADMINISTRATION & EPR"])
    sheet.merge_cells("A3:D3")
    sheet.append(["PAS", "Meridian", 2011, "Tier 1"])
    sheet.append(["EPR", None, 2027, "Tier 1"])
    sheet.merge_cells("B4:B5")  # a supplier merged down two rows fills both
    cover = workbook.create_sheet("Cover")
    cover.append(["Prepared for the board"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register = read_register(path)
    assert list(register.tables) == ["Applications"]
    table = register.tables["Applications"]
    assert table.header_row == 2
    assert table.cells.loc[4].tolist() == [
        "PAS",
        "Meridian",
        "2011",
        "Tier 1",
        "CORE PATIENT ADMINISTRATION & EPR",
    ]
    assert table.cells.loc[5, "Supplier"] == "Meridian"
    assert [str(i) for i in register.issues] == [
        "register.xlsx[Applications] row 2: warning: the header is on row 2; row 1 was read as "
        "a title above it",
        "register.xlsx[Applications] row 3: warning: 'CORE PATIENT ADMINISTRATION & EPR' is a "
        "section heading; it is kept as the section of the rows below it, not read as data",
        "register.xlsx[Applications] row 4: warning: merged cells B4:B5: the value was applied "
        "to every row of the range",
        "register.xlsx[Cover]: warning: holds no table (no header row with data below it); not "
        "read",
    ]


def test_given_header_row_and_sections_off(tmp_path):
    """A lone value in a table of wider rows reads as a heading (and says so); a mapping can
    turn headings off for a sheet, and give its header row."""
    path = csv_register(tmp_path, "Systems\nSystem,Supplier,Tier\nPAS,M,T1\nDictation,,\n")
    register = read_register(path)
    assert register.tables["register.csv"].cells["System"].tolist() == ["PAS"]
    assert "'Dictation' is a section heading" in str(register.issues[-1])
    register = read_register(
        path, header_rows={"REGISTER.CSV": 2}, sections={"register.csv": False}
    )
    table = register.tables["register.csv"]
    assert table.cells["System"].tolist() == ["PAS", "Dictation"]
    assert "Section" not in table.cells
    assert not register.issues  # a given header row needs no warning


def test_read_raw_finds_the_header_below_a_title(tmp_path):
    """A file in the inventory format with a title above it: header found, said, rows kept."""
    path = csv_register(
        tmp_path, "Our systems;;\n;;\nid;name;criticality\npas;PAS;high\ned;ED;hgh\n", "systems.csv"
    )
    _, report = read_inventory(path)
    assert [str(i) for i in report.sorted()] == [
        "systems.csv row 3: warning: the header is on row 3; the rows above it were read as a "
        "title",
        "systems.csv row 5: criticality 'hgh' is not one of: low, medium, high, critical; did "
        "you mean 'high'?",
    ]


def test_read_raw_workbook_with_a_title_row(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "systems"
    sheet.append(["Northshire systems, March 2024"])
    sheet.append(["id", "name", "criticality"])
    sheet.append(["pas", "PAS", "critical"])
    path = tmp_path / "inv.xlsx"
    workbook.save(path)
    inventory, report = read_inventory(path)
    assert report.valid and list(inventory.systems.index) == ["pas"]
    assert [str(w) for w in report.warnings] == [
        "inv.xlsx[systems] row 2: warning: the header is on row 2; the rows above it were read "
        "as a title"
    ]


def test_registers_are_csv_or_workbooks(tmp_path):
    from inventory.errors import InventoryFileError

    (tmp_path / "inv.json").write_text("{}")
    with pytest.raises(InventoryFileError, match=r"'\.json' is not a register format"):
        read_register(tmp_path / "inv.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InventoryFileError, match="holds no CSV files"):
        read_register(tmp_path / "empty")


def test_a_total_rows_formula_without_a_saved_value_is_no_error(tmp_path):
    # openpyxl writes formulas with no cached value, as a workbook generated by a script is
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Applications"
    sheet.append(["System", "Supplier", "Annual cost"])
    sheet.append(["PAS", "Meridian", 45000])
    sheet.append(["ED", "Symphony", 30000])
    sheet.append(["Total", None, "=SUM(C2:C3)"])
    sheet.append(["Lab", "WinPath", "=C2/2"])  # a formula in a data row still is one
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register = read_register(path)
    messages = [str(issue) for issue in register.issues]
    assert [m for m in messages if "Total" in m] == [
        "register.xlsx[Applications] row 4: warning: 'Total' is a total row; it is left out"
    ]
    errors = [m for m in messages if "formula with no saved value" in m]
    assert len(errors) == 1 and "row 5" in errors[0]
