"""Bad inputs too big or too binary to commit, made on the fly for the corpus tests."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl


def _workbook(rows, deps=None) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "systems"
    for row in rows:
        sheet.append(row)
    dependencies = book.create_sheet("dependencies")
    for row in deps or [["consumer", "provider"]]:
        dependencies.append(row)
    return book


def xlsx_formula_without_saved_value(folder: Path) -> Path:
    book = _workbook([["id", "name", "annual_run_cost_gbp"], ["pas", "PAS", "=100000*4.5"]])
    path = folder / "formula_without_saved_value.xlsx"
    book.save(path)
    return path


def xlsx_formula_with_saved_value(folder: Path) -> Path:
    """A formula whose result Excel saved: openpyxl cannot write one, so edit the XML."""
    plain = folder / "plain.xlsx"
    _workbook([["id", "name", "annual_run_cost_gbp"], ["pas", "PAS", "=100000*4.5"]]).save(plain)
    path = folder / "formula_with_saved_value.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"<f>100000\*4\.5</f><v>\s*</v>|<f>100000\*4\.5</f>",
                    b"<f>100000*4.5</f><v>450000</v>",
                    data,
                )
            out.writestr(item, data)
    return path


def xlsx_merged_cells(folder: Path) -> Path:
    book = _workbook(
        [
            ["id", "name", "category"],
            ["ris", "RIS", "radiology RIS"],
            ["pacs", "PACS", "PACS"],
            ["pacs-vna", "PACS archive", None],
        ]
    )
    book["systems"].merge_cells("C3:C4")
    path = folder / "merged_cells.xlsx"
    book.save(path)
    return path


def xlsx_dates_as_cells(folder: Path) -> Path:
    book = _workbook([["id", "name", "go_live"], ["pas", "PAS", dt.datetime(1998, 4, 1)]])
    path = folder / "dates_as_cells.xlsx"
    book.save(path)
    return path


def xlsx_no_systems_sheet(folder: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Inventory 2026"
    path = folder / "no_systems_sheet.xlsx"
    book.save(path)
    return path


def xlsx_zip_bomb(folder: Path) -> Path:
    """A 'workbook' whose one entry unpacks to 100 MB of zeros from about 100 KB."""
    path = folder / "zip_bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 100_000_000)
    return path


def xlsx_truncated(folder: Path) -> Path:
    whole = io.BytesIO()
    _workbook([["id", "name"], ["pas", "PAS"]]).save(whole)
    path = folder / "truncated.xlsx"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    return path


def json_nesting_bomb(folder: Path) -> Path:
    path = folder / "nesting_bomb.json"
    path.write_text('{"systems": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return path


def json_too_deep(folder: Path) -> Path:
    path = folder / "too_deep.json"
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    path.write_text(json.dumps({"systems": [{"id": "pas", "name": "PAS", "notes": nested}]}))
    return path


def csv_ten_megabyte_cell(folder: Path) -> Path:
    target = folder / "ten_megabyte_cell"
    target.mkdir()
    (target / "systems.csv").write_text("id,name,notes\npas,PAS," + "x" * 10_485_760 + "\n")
    return target


def csv_one_million_rows(folder: Path) -> Path:
    """1,000,000 systems, the last one with a typo: found, and named by its row."""
    target = folder / "one_million_rows"
    target.mkdir()
    lines = ["id,name,criticality"]
    lines += [f"sys-{i},System {i},high" for i in range(999_999)]
    lines.append("sys-last,Last system,hgh")
    (target / "systems.csv").write_text("\n".join(lines) + "\n")
    return target


GENERATED = {
    "xlsx_formula_without_saved_value": xlsx_formula_without_saved_value,
    "xlsx_formula_with_saved_value": xlsx_formula_with_saved_value,
    "xlsx_merged_cells": xlsx_merged_cells,
    "xlsx_dates_as_cells": xlsx_dates_as_cells,
    "xlsx_no_systems_sheet": xlsx_no_systems_sheet,
    "xlsx_zip_bomb": xlsx_zip_bomb,
    "xlsx_truncated": xlsx_truncated,
    "json_nesting_bomb": json_nesting_bomb,
    "json_too_deep": json_too_deep,
    "csv_ten_megabyte_cell": csv_ten_megabyte_cell,
    "csv_one_million_rows": csv_one_million_rows,
}
