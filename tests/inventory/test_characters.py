"""Characters no output can carry: found and named in input, replaced in output."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory import read_inventory
from inventory.characters import (
    describe,
    find_unprintable,
    normalise_breaks,
    one_line,
    printable,
    shown,
)
from inventory.files import cell_text
from inventory.parse import parse_date, parse_int, parse_money, parse_months
from inventory.report import ValidationReport
from tests.conftest import write_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PAS", None),
        ("Ward 7\tkiosk\nnotes\r", None),
        ("a\x00", (1, "a NUL character (U+0000)")),
        ("\x1b[31m", (0, "an escape character (ESC, U+001B)")),
        ("x\x7f", (1, "a delete character (DEL, U+007F)")),
        ("x\x9b", (1, "a control character (U+009B)")),
        ("\ud83d", (0, "a lone surrogate (U+D83D, half of a character pair)")),
        ("ok\uffff", (2, "the noncharacter U+FFFF")),
        ("soft\x0bbreak", None),  # a soft line break is read, not refused
    ],
)
def test_find_unprintable_names_the_first_character(text, expected):
    assert find_unprintable(text) == expected


def test_describe_names_the_breaks_people_paste():
    assert describe("\x0b") == "a vertical tab (U+000B)"
    assert describe("\u2028") == "a line separator (U+2028)"
    assert describe("\x85") == "a next-line character (NEL, U+0085)"


def test_output_text_keeps_what_it_can_and_replaces_the_rest():
    assert printable("PAS\x0bmain\x1b\ud800") == "PAS\nmain\ufffd\ufffd"
    assert printable("東京 😀 tab\tline\n") == "東京 😀 tab\tline\n"
    assert one_line("a\r\nb\u2029c\td\x0ce") == "a b c d e"
    assert normalise_breaks("a\r\nb\rc\x0bd") == "a\nb\nc\nd"
    assert shown("PAS\x1bmain\n") == "PAS\\x1bmain\\n"


def test_reports_show_unprintable_values_as_escapes():
    report = ValidationReport()
    report.add("systems.csv", 2, "name", "PAS\x1b[2J", "name has an escape character")
    assert report.issues[0].value == "PAS\\x1b[2J"
    assert "\x1b" not in str(report)


def test_excel_escapes_are_read_as_the_characters_excel_shows():
    assert cell_text("PAS_x000B_main") == "PAS\x0bmain"
    assert cell_text("_x005F_x0041_") == "_x0041_"  # an underscore escaped, then text


def test_validation_refuses_and_cleans_in_every_column(tmp_path):
    folder = tmp_path / "inventory"
    folder.mkdir()
    write_csv(
        folder / "systems.csv",
        [
            {"id": "pas", "name": "PAS\x0bmain", "notes": "fine", "owner": "Ann\x07"},
            {"id": "ed", "name": "ED", "notes": "beep\x1b[5m", "owner": ""},
        ],
    )
    inventory, report = read_inventory(folder)
    messages = [str(issue) for issue in report.sorted()]
    assert messages == [
        "systems.csv row 2: owner has a bell character (BEL, U+0007) at character 4; delete "
        "it (it comes from a paste or a damaged file, and no output can carry it)",
        "systems.csv row 2: warning: name has a vertical tab (U+000B), as Word and PowerPoint "
        "paste a soft line break; read as a line break",
        "systems.csv row 3: notes has an escape character (ESC, U+001B) at character 5; "
        "delete it (it comes from a paste or a damaged file, and no output can carry it)",
    ]
    assert inventory.systems.loc["pas", "name"] == "PAS\nmain"


def test_numbers_beyond_their_range_are_refused():
    big = "9" * 30
    assert parse_int(pd.Series([big])).problems[0] == (
        f"'{big}' is too large; a whole number here is at most 9,007,199,254,740,991"
    )
    assert parse_money(pd.Series(["£1,001bn"])).problems[0] == (
        "'£1,001bn' is too large; amounts here are at most £1,000bn"
    )
    assert parse_months(pd.Series(["1201"])).problems[0] == (
        "'1201' is too large; durations here are at most 1,200 months"
    )
    assert parse_date(pd.Series(["99999"])).problems[0] == (
        "'99999' is Excel serial day 99999, which is 2173-10-13; dates must fall between "
        "1900 and 2100"
    )
    assert parse_money(pd.Series(["£1,000bn"])).values[0] == 1e12  # the limit itself is fine
