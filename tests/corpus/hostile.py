"""Hostile and unlucky inputs for the corpus (round 2), made on the fly: control characters
and other text no output can carry, markup of each output language, numbers beyond range,
outputs that cannot be written, foreign and damaged stores, and broken policies.

``INPUTS`` make an input file or folder in a temporary folder and return its path;
``PREPARE`` set up the place a command writes to or reads from (a store, an output folder)
and return the placeholders the case's commands and messages use (``{db}``, ``{out}``,
``{denied}``: the operating system's word for a refused write).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from inventory import import_inventory

# --- inputs ----------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _folder(folder: Path, name: str, systems: list[list[str]], deps=None) -> Path:
    target = folder / name
    target.mkdir()
    (target / "systems.csv").write_text(_csv(systems), encoding="utf-8")
    if deps is not None:
        (target / "dependencies.csv").write_text(_csv(deps), encoding="utf-8")
    return target


def _raw_csv(folder: Path, text: str) -> Path:
    target = folder / "inventory"
    target.mkdir()
    (target / "systems.csv").write_text(text, encoding="utf-8", newline="")
    return target


def _bytes_file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _raw_bytes(folder: Path, data: bytes) -> Path:
    """A folder whose systems.csv holds ``data`` as it is."""
    target = folder / "inventory"
    target.mkdir()
    (target / "systems.csv").write_bytes(data)
    return target


def _one_system(field: str, value: str) -> Callable[[Path], Path]:
    """A folder whose one system ('pas') has ``value`` in ``field``."""

    def make(folder: Path) -> Path:
        return _folder(folder, "inventory", [["id", "name", field], ["pas", "PAS", value]])

    return make


def _named(*names: str) -> Callable[[Path], Path]:
    """A folder of systems to replace, one per name (ids s1, s2, ...)."""

    def make(folder: Path) -> Path:
        rows = [["id", "name", "disposition", "replacement_months", "notes", "supplier"]]
        rows += [[f"s{i}", n, "replace", "6", n, n] for i, n in enumerate(names, 1)]
        return _folder(folder, "inventory", rows)

    return make


def _name_field(value: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _folder(folder, "inventory", [["id", "name"], ["pas", value]])

    return make


def csv_nul_after_the_first_block(folder: Path) -> Path:
    """A NUL character past the first 4 KB (where the binary-file check looks)."""
    target = _folder(folder, "inventory", [["id", "name", "notes"], ["pas", "PAS", "x" * 5000]])
    text = (target / "systems.csv").read_text() + "ed,ED\x00 system,\n"
    (target / "systems.csv").write_text(text)
    return target


def csv_control_character_in_a_dependency(folder: Path) -> Path:
    return _folder(
        folder,
        "inventory",
        [["id", "name"], ["pas", "PAS"], ["tie", "TIE"]],
        [["consumer", "provider", "messages"], ["tie", "pas", "ADT^A01\x1b[2J"]],
    )


def _xlsx_with_cell(text_xml: str, name: str) -> Callable[[Path], Path]:
    """A workbook whose cell B2 holds ``text_xml`` as written in the sheet's XML (Excel
    writes control characters as _xHHHH_ escapes, which openpyxl reads back)."""

    def make(folder: Path) -> Path:
        plain = folder / "plain.xlsx"
        book = openpyxl.Workbook()
        book.active.title = "systems"
        book.active.append(["id", "name"])
        book.active.append(["pas", "PLACEHOLDER"])
        book.save(plain)
        path = folder / name
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.infolist():
                data = source.read(item.filename)
                data = data.replace(b"PLACEHOLDER", text_xml.encode())
                out.writestr(item, data)
        return path

    return make


def _json(document: str, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(document, encoding="utf-8")
        return path

    return make


def register_with_an_escape_character(folder: Path) -> Path:
    """A register in its own layout, read through the mapping proposed for it."""
    from inventory import propose_mapping

    target = folder / "register"
    target.mkdir()
    rows = [
        ["Application", "Supplier", "Clinical criticality"],
        ["PAS", "Acme\x1b[5m", "Tier 1"],
        ["Theatres", "Orbit", "Tier 2"],
    ]
    (target / "Applications.csv").write_text(_csv(rows), encoding="utf-8")
    (folder / "mapping.yaml").write_text(propose_mapping(target).to_yaml(), encoding="utf-8")
    return target


def _policy(text: str | bytes) -> Callable[[Path], Path]:
    """The sample-sized inventory 'inventory' beside a policy file 'policy.yaml'."""

    def make(folder: Path) -> Path:
        policy = folder / "policy.yaml"
        policy.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return _folder(folder, "inventory", [["id", "name"], ["pas", "PAS"]])

    return make


INPUTS: dict[str, Callable[[Path], Path]] = {
    # characters no output can carry, in every importer
    "csv_escape_in_a_name": _name_field("PAS\x1b[31m main"),
    "csv_bell_in_notes": _one_system("notes", "ring\x07ring"),
    "csv_nul_after_the_first_block": csv_nul_after_the_first_block,
    "csv_delete_character": _one_system("supplier", "Acme\x7f"),
    "csv_c1_control_character": _one_system("platform", "Windows\x9b2J"),
    "csv_noncharacter": _one_system("product", "Orbit\uffff"),
    "csv_control_character_in_an_id": lambda folder: _folder(
        folder, "inventory", [["id", "name"], ["pa\x01s", "PAS"]]
    ),
    "csv_control_character_in_a_dependency": csv_control_character_in_a_dependency,
    "csv_vertical_tab_in_a_name": _name_field("PAS\x0bmain"),
    "csv_form_feed_in_notes": _one_system("notes", "page one\x0cpage two"),
    "csv_line_separator_in_a_name": _name_field("PAS\u2028main"),
    "csv_right_to_left_override_in_a_name": _name_field("Payroll \u202etxt.exe"),
    # an output never replaces the command's input, nor a store
    "export_over_its_own_input": _json(
        '{"systems": [{"id": "pas", "name": "PAS"}, {"id": "ed", "name": "ED"}]}', "trust.json"
    ),
    "changes_over_the_store": _json(
        '{"systems": [{"id": "pas", "name": "PAS"}, {"id": "ed", "name": "ED"}]}', "trust.json"
    ),
    "import_into_an_empty_sqlite_file": _name_field("PAS main"),
    # an .xlsx saved with a password is an OLE compound file, not a zip archive
    "xlsx_password_protected": lambda folder: _bytes_file(
        folder / "protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    ),
    # UTF-8 with one cell pasted in from a Windows-1252 file: the rest stays UTF-8
    "csv_utf8_with_a_windows_1252_cell": lambda folder: _raw_bytes(
        folder,
        "id,name,annual_run_cost_gbp\npas,Intégration PAS,£600k\n".encode()
        + b"ed,ED caf\xe9,50k\n",
    ),
    # a decimal comma is never a thousands separator (1,5m read as fifteen million)
    "money_decimal_comma": _one_system("replacement_cost_gbp", "1,5m"),
    "csv_carriage_return_in_a_name": lambda folder: _raw_csv(folder, 'id,name\npas,"PAS\rmain"\n'),
    "xlsx_escape_in_a_cell": _xlsx_with_cell("PAS_x001B_main", "escape.xlsx"),
    "xlsx_vertical_tab_in_a_cell": _xlsx_with_cell("PAS_x000B_main", "vertical_tab.xlsx"),
    "json_lone_surrogate": _json(
        '{"systems": [{"id": "pas", "name": "PAS \\ud83d main"}]}', "lone_surrogate.json"
    ),
    "json_escape_in_a_name": _json(
        '{"systems": [{"id": "pas", "name": "PAS\\u001b[2J"}]}', "escape.json"
    ),
    "json_nul_in_a_name": _json('{"systems": [{"id": "pas", "name": "PAS\\u0000"}]}', "nul.json"),
    "json_vertical_tab_in_a_name": _json(
        '{"systems": [{"id": "pas", "name": "PAS\\u000bmain"}]}', "vertical_tab.json"
    ),
    "yaml_escape_in_a_name": _json('systems:\n  - id: pas\n    name: "PAS\\e[2J"\n', "e.yaml"),
    "yaml_lone_surrogate": _json('systems:\n  - id: pas\n    name: "PAS\\ud800"\n', "s.yaml"),
    "yaml_raw_control_character": _json("systems:\n  - id: pas\n    name: PAS\x1b\n", "raw.yaml"),
    "register_with_an_escape_character": register_with_an_escape_character,
    # numbers beyond range
    "json_whole_number_beyond_64_bits": _json(
        '{"systems": [{"id": "pas", "name": "PAS", "users": 123456789012345678901234567890}]}',
        "users.json",
    ),
    "yaml_whole_number_beyond_64_bits": _json(
        "systems:\n  - id: pas\n    name: PAS\n    known_vulnerabilities: 99999999999999999999\n",
        "vulnerabilities.yaml",
    ),
    "json_whole_number_of_5000_digits": _json(
        '{"systems": [{"id": "pas", "name": "PAS", "users": ' + "9" * 5000 + "}]}", "huge.json"
    ),
    "json_number_overflows_to_infinity": _json(
        '{"systems": [{"id": "pas", "name": "PAS", "users": 1e400}]}', "overflow.json"
    ),
    "json_nan": _json(
        '{"systems": [{"id": "pas", "name": "PAS", "annual_run_cost_gbp": NaN}]}', "nan.json"
    ),
    "json_infinity": _json(
        '{"systems": [{"id": "pas", "name": "PAS", "users": -Infinity}]}', "infinity.json"
    ),
    "csv_users_beyond_range": _one_system("users", "99999999999999999999"),
    "csv_money_beyond_range": _one_system("replacement_cost_gbp", "£2,000bn"),
    "csv_money_of_thirty_digits": _one_system("annual_run_cost_gbp", "9" * 30),
    "csv_months_beyond_range": _one_system("replacement_months", "99999"),
    "csv_excel_serial_past_2100": _one_system("go_live", "99999"),
    "csv_daily_volume_beyond_range": lambda folder: _folder(
        folder,
        "inventory",
        [["id", "name"], ["pas", "PAS"], ["tie", "TIE"]],
        [["consumer", "provider", "daily_volume"], ["tie", "pas", "1" + "0" * 19]],
    ),
    "yaml_duplicate_key": _json(
        "systems:\n  - id: pas\n    name: PAS\n    name: Other PAS\n", "duplicate.yaml"
    ),
    # text each output's reader would take as its own syntax
    "mermaid_keywords_in_names": _named(
        "Click and Collect Pharmacy",
        "Section 136 Suite",
        "Title Deeds Register",
        "5% Sample Audit",
        "Gantt review board",
        "2027-01-01 cohort",
        "excludes weekends",
        "accDescr {x}",
    ),
    "mermaid_directive_and_comment_in_names": _named(
        '%%{init: {"theme": "forest"}}%% Theatres',
        "%% not a comment",
        "Ward #lt; 7; notes",
    ),
    "markdown_links_and_images_in_names": _named(
        "[click here](http://evil.example)",
        "![](http://evil.example/pixel.png)",
        "<img src=x onerror=alert(1)>",
        "*bold* _it_ `code` ~~gone~~ | pipe",
        "www.evil.example and https://evil.example",
    ),
    "markdown_heading_by_carriage_return": lambda folder: _raw_csv(
        folder,
        "id,name,disposition,replacement_months\n"
        's1,"Pathology\r# Injected heading",replace,6\ns2,"Ward\n---",replace,6\n',
    ),
    "mathtext_in_names": _named("$\\frac{1}{0}$ costs", "$x^2$", "Price in $ and $$"),
    "rich_markup_in_names": _named("[/bold] PAS", "[red]LIMS[/red]", ":pill: Pharmacy"),
    "xml_markup_in_names": _named("]]> </Name> & <Task>", "<!-- x -- y -->", "a\u0085b"),
    "scripts_and_emoji_in_names": _named("東京病院 電子カルテ", "전자의무기록", "Ελληνικά 😀"),
    "formulas_in_names": _named('=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "@SUM(1)"),
    "long_names": _named("x" * 9_999, "Pharmacy " * 1_000),
    # policies
    "policy_key_twice": _policy("horizon_months: 60\nhorizon_months: 120\n"),
    "policy_nan_horizon": _policy("horizon_months: .nan\n"),
    "policy_zero_horizon": _policy("horizon_months: 0\n"),
    "policy_number_of_5000_digits": _policy("horizon_months: " + "9" * 5000 + "\n"),
    "policy_huge_horizon": _policy("horizon_months: 1e8\n"),
    "policy_start_in_9999": _policy("plan_start: 9999-01-01\n"),
    "policy_passes_1e9": _policy("schedule:\n  passes: 1e9\n"),
    "policy_runs_1e8": _policy("uncertainty:\n  runs: 1e8\n"),
    "policy_infinite_weight": _policy("priority:\n  weights:\n    risk: .inf\n"),
    "policy_budget_year_twice": _policy(
        "schedule:\n  budget:\n    by_year:\n      2027/28: 1m\n      FY2027-28: 2m\n"
    ),
    "policy_alias": _policy("teams: &t {a: 1}\nother: *t\n"),
    "policy_not_utf8": _policy(b"horizon_months: 60 # \xff\xfe\n"),
    "policy_python_tag": _policy("horizon_months: !!python/object/apply:os.system ['true']\n"),
}


def ok_inventory(folder: Path) -> Path:
    return _folder(folder, "inventory", [["id", "name"], ["pas", "PAS"]])


for _case in (
    "out_is_a_file",
    "out_is_a_folder_of_other_files",
    "out_is_empty",
    "out_in_a_read_only_folder",
    "out_file_is_immutable",
    "out_disk_full",
    "out_stale_file_removed",
    "out_previous_roadmap_immutable",
    "out_folder_for_a_file",
    "csv_export_over_a_file",
    "foreign_sqlite_read",
    "foreign_sqlite_import",
    "foreign_sqlite_init",
    "not_sqlite_read",
    "damaged_store_read",
    "damaged_store_import",
    "store_in_a_read_only_folder",
    "store_in_a_read_only_folder_import",
    "store_file_immutable_import",
    "empty_file_as_store",
    "store_from_a_newer_modernise",
    "store_from_an_older_modernise",
    "store_is_a_folder",
    "policy_is_a_folder",
):
    INPUTS[_case] = ok_inventory


# --- places a command writes to or reads from ----------------------------------------


def deny(path: Path) -> str:
    """Make ``path`` refuse writes (immutable as root, read-only otherwise); return the
    operating system's word for the refusal."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            import pytest

            pytest.skip("needs chattr to make a file immutable (root, ext4)")
        return os.strerror(1)  # EPERM: Operation not permitted
    path.chmod(0o555 if path.is_dir() else 0o444)
    return os.strerror(13)  # EACCES: Permission denied


def release(path: Path) -> None:
    """Undo :func:`deny` so that the temporary folder can be removed."""
    if os.geteuid() == 0:
        with contextlib.suppress(FileNotFoundError):
            subprocess.run(["chattr", "-R", "-i", str(path)], capture_output=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(0o755 if path.is_dir() else 0o644)


def _foreign(path: Path) -> Path:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE patients (nhs_number TEXT, name TEXT)")
        conn.execute("INSERT INTO patients VALUES ('9434765919', 'Ann Example')")
        conn.commit()
    return path


def _damaged(store: Path) -> Path:
    data = bytearray(store.read_bytes())
    page = 4096
    for i in range(2 * page, min(len(data), 4 * page)):
        data[i] = 0x55
    store.write_bytes(bytes(data))
    return store


def _previous_roadmap(places: dict, extra: str | None = None) -> Path:
    out = Path(places["out"])
    out.mkdir()
    for name in ("summary.md", "roadmap.xlsx", "roadmap.mmd"):
        (out / name).write_text("from the previous run\n")
    if extra:
        (out / extra).parent.mkdir(exist_ok=True)
        (out / extra).write_text("stale\n")
    return out


def prepare_out_is_a_file(tmp: Path, places: dict) -> dict:
    Path(places["out"]).write_text("a report I wrote myself\n")
    return {}


def prepare_out_is_a_folder_of_other_files(tmp: Path, places: dict) -> dict:
    out = Path(places["out"])
    out.mkdir()
    (out / "board-notes.docx").write_text("mine\n")
    (out / "summary.md").write_text("from an earlier roadmap\n")
    return {}


def prepare_out_in_a_read_only_folder(tmp: Path, places: dict) -> dict:
    parent = tmp / "locked"
    parent.mkdir()
    return {"out": str(parent / "roadmap"), "denied": deny(parent), "locked": str(parent)}


def prepare_out_file_is_immutable(tmp: Path, places: dict) -> dict:
    parent = tmp / "locked"
    parent.mkdir()
    target = parent / "roadmap.json"
    target.write_text("{}\n")
    return {"out": str(target), "denied": deny(parent), "locked": str(parent)}


def prepare_out_stale_file_removed(tmp: Path, places: dict) -> dict:
    _previous_roadmap(places, "csv/by-organisation.csv")
    return {}


def prepare_out_previous_roadmap_immutable(tmp: Path, places: dict) -> dict:
    out = _previous_roadmap(places)
    return {"denied": deny(out), "locked": str(out)}


def prepare_csv_export_over_a_file(tmp: Path, places: dict) -> dict:
    Path(places["out"]).write_text("mine\n")
    return {}


def prepare_foreign_sqlite(tmp: Path, places: dict) -> dict:
    return {"db": str(_foreign(tmp / "clinic.sqlite"))}


def prepare_empty_sqlite(tmp: Path, places: dict) -> dict:
    """A SQLite file with no tables (left by a disk that filled, or made by another tool)."""
    path = tmp / "empty.db"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("DROP TABLE t")
        connection.commit()
    return {"db": str(path)}


def prepare_not_sqlite(tmp: Path, places: dict) -> dict:
    path = tmp / "notes.db"
    path.write_text("id,name\npas,PAS\n")
    return {"db": str(path)}


def prepare_damaged_store(tmp: Path, places: dict) -> dict:
    _damaged(Path(places["db"]))
    return {}


def prepare_store_in_a_read_only_folder(tmp: Path, places: dict) -> dict:
    folder = tmp / "locked"
    folder.mkdir()
    db = folder / "store.db"
    db.write_bytes(Path(places["db"]).read_bytes())
    return {"db": str(db), "denied": deny(folder), "locked": str(folder)}


def prepare_store_file_immutable(tmp: Path, places: dict) -> dict:
    return {"denied": deny(Path(places["db"])), "locked": places["db"]}


def prepare_empty_file_as_store(tmp: Path, places: dict) -> dict:
    path = tmp / "empty.db"
    path.write_bytes(b"")
    return {"db": str(path)}


def _set_version(db: Path, version: int) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("DELETE FROM schema_version WHERE version > ?", (version,))
        conn.execute(
            "INSERT OR IGNORE INTO schema_version VALUES (?, '2030-01-01T00:00:00')", (version,)
        )
        conn.commit()


def prepare_store_from_a_newer_modernise(tmp: Path, places: dict) -> dict:
    _set_version(Path(places["db"]), 99)
    return {}


def prepare_store_from_an_older_modernise(tmp: Path, places: dict) -> dict:
    _set_version(Path(places["db"]), 2)
    return {}


def prepare_imported(tmp: Path, places: dict) -> dict:
    """The case's input imported into the store first (the command then reads it)."""
    result, report = import_inventory(places["input"], places["db"])
    assert result is not None, str(report)
    return {}


PREPARE: dict[str, Callable[[Path, dict], dict]] = {
    "out_is_a_file": prepare_out_is_a_file,
    "empty_sqlite": prepare_empty_sqlite,
    "out_is_a_folder_of_other_files": prepare_out_is_a_folder_of_other_files,
    "out_in_a_read_only_folder": prepare_out_in_a_read_only_folder,
    "out_file_is_immutable": prepare_out_file_is_immutable,
    "out_stale_file_removed": prepare_out_stale_file_removed,
    "out_previous_roadmap_immutable": prepare_out_previous_roadmap_immutable,
    "csv_export_over_a_file": prepare_csv_export_over_a_file,
    "foreign_sqlite": prepare_foreign_sqlite,
    "not_sqlite": prepare_not_sqlite,
    "damaged_store": prepare_damaged_store,
    "store_in_a_read_only_folder": prepare_store_in_a_read_only_folder,
    "store_file_immutable": prepare_store_file_immutable,
    "empty_file_as_store": prepare_empty_file_as_store,
    "store_from_a_newer_modernise": prepare_store_from_a_newer_modernise,
    "store_from_an_older_modernise": prepare_store_from_an_older_modernise,
    "imported": prepare_imported,
}
