"""Writing an inventory back in the import format: a folder of CSV files, a workbook, or a
JSON or YAML document, so that reading it again gives the same inventory.

Examples
--------
>>> format_money(5_500_000), format_money(250_000)
('£5.5m', '£250k')
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from inventory.characters import printable
from inventory.errors import InventoryFileError
from inventory.model import DERIVED_COLUMNS
from inventory.output import atomic_file, atomic_folder
from inventory.schema import DEPENDENCIES, SYSTEMS
from inventory.spreadsheet import safe_cell

__all__ = ["format_money", "inventory_tables", "write_inventory"]


def format_money(value: float) -> str:
    """Write pounds the way people do, exactly: 5500000 -> '£5.5m', 250000 -> '£250k'.

    >>> format_money(5_500_000), format_money(250_000), format_money(1_234_567)
    ('£5.5m', '£250k', '£1,234,567')
    """
    if value != value:  # NaN
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000 and round(value / 10_000) * 10_000 == value:
        return f"{sign}£{value / 1_000_000:g}m"
    if value >= 1_000 and round(value / 100) * 100 == value:
        return f"{sign}£{value / 1_000:g}k"
    return f"{sign}£{value:,.0f}" if float(value).is_integer() else f"{sign}£{value:,.2f}"


def _format_number(value: float) -> str:
    return "" if value != value else f"{value:g}"


def inventory_tables(inventory) -> dict[str, pd.DataFrame]:
    """The inventory as text tables in the import format (one range per column).

    Reading these tables back gives the same inventory: dates are ISO, money uses
    :func:`format_money`, lists are separated by '; ', team demand is 'team: amount'.
    """
    out = {}
    frames = {
        "systems": inventory.systems.reset_index(),
        "dependencies": inventory.dependencies,
    }
    for name, fields in (("systems", SYSTEMS), ("dependencies", DEPENDENCIES)):
        frame = frames[name]
        table = pd.DataFrame(index=frame.index)
        for f in fields.values():
            if f.kind in ("money_range", "months_range"):
                show = format_money if f.kind == "money_range" else _format_number
                parts = [frame[c] for c in f.columns]
                table[f.name] = [_range_text(values, show) for values in zip(*parts, strict=True)]
                continue
            series = frame[f.name]
            if f.kind == "date":
                text = pd.to_datetime(series).dt.strftime("%Y-%m-%d")
                table[f.name] = text.astype("object").where(text.notna(), "")
            elif f.kind == "money":
                table[f.name] = series.map(format_money)
            elif f.kind == "bool":
                table[f.name] = series.map(lambda v: "yes" if v else "no")
            elif f.kind in ("ref_list", "text_list"):
                table[f.name] = series.map(lambda v: "; ".join(v) if v else "")
            elif f.kind == "team_demand":
                table[f.name] = series.map(
                    lambda v: "; ".join(f"{k}: {a:g}" for k, a in v.items()) if v else ""
                )
            elif f.kind == "shares":
                table[f.name] = series.map(
                    lambda v: "; ".join(f"{100 * s:g}%" for s in v) if v else ""
                )
            elif f.kind == "fraction":
                table[f.name] = series.map(lambda v: "" if pd.isna(v) else f"{v:g}")
            elif f.kind == "int":
                table[f.name] = series.map(lambda v: "" if pd.isna(v) else str(int(v)))
            else:
                table[f.name] = series.map(lambda v: "" if v is None or pd.isna(v) else str(v))
        known = {c for f in fields.values() for c in (f.name, *f.columns)} | DERIVED_COLUMNS
        for column in [c for c in frame.columns if c not in known]:
            table[column] = frame[column].map(lambda v: "" if v is None or pd.isna(v) else str(v))
        out[name] = table.astype("object")
    return out


def _range_text(values: tuple, show) -> str:
    low, likely, high = values
    if all(v != v for v in values):
        return ""
    if low != low and high != high:
        return show(likely)  # one value: the likely value, its bounds not given
    return "/".join("" if v != v else show(v) for v in values)


def write_inventory(inventory, path: str | Path) -> list[Path]:
    """Write an inventory as a CSV folder, an .xlsx workbook, or a .json/.yaml document.

    Text that a spreadsheet would run as a formula is neutralised in CSV and XLSX, and
    characters no file can hold are replaced (:func:`inventory.characters.printable`). Each
    file (or the CSV folder) is written whole or not at all (:mod:`inventory.output`).
    Returns the files written.
    """
    path = Path(path)
    tables = inventory_tables(inventory)
    suffix = path.suffix.lower()
    if suffix in (".json", ".yaml", ".yml"):
        document = {
            name: [
                {k: printable(v) if isinstance(v, str) else v for k, v in record.items() if v != ""}
                for record in table.to_dict("records")
            ]
            for name, table in tables.items()
        }
        if suffix == ".json":
            text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        else:
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        with atomic_file(path) as temporary:
            temporary.write_text(text, "utf-8")
        return [path]
    safe = {name: table.map(safe_cell) for name, table in tables.items()}
    if suffix == ".xlsx":
        import openpyxl
        from openpyxl.utils import get_column_letter

        workbook = openpyxl.Workbook()
        workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
        for name, table in safe.items():
            sheet = workbook.create_sheet(name)
            sheet.append(list(table.columns))
            for row in table.itertuples(index=False, name=None):
                sheet.append(list(row))
            sheet.freeze_panes = "A2"
            for position, column in enumerate(table.columns, 1):
                width = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)])
                sheet.column_dimensions[get_column_letter(position)].width = min(60, width + 2)
        with atomic_file(path) as temporary:
            workbook.save(temporary)
        return [path]
    if suffix:
        raise InventoryFileError(
            path, f"cannot write '{suffix}'", hint="use a folder, .xlsx, .json or .yaml"
        )
    names = [f"{name}.csv" for name in safe]
    with atomic_folder(path, names) as temporary:
        for name, table in safe.items():
            table.to_csv(temporary / f"{name}.csv", index=False, lineterminator="\n")
    return [path / name for name in names]
