"""Docs that cannot drift: the field reference, the README's commands, CI."""

from __future__ import annotations

import re

import pytest

from inventory.schema import format_reference
from tests.conftest import ROOT


def test_field_reference_is_generated_from_the_schema():
    text = (ROOT / "docs" / "inventory-format.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- fields:start -->\n(.*)<!-- fields:end -->", text, re.S).group(1)
    assert block == format_reference(), "regenerate with: python tools/update_docs.py"


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = re.search(r"## Quick start\n(.*?)\n## ", readme, re.S).group(1)
    commands = re.findall(r"^\s*(make \w+)\s*$", quick, re.M)
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_scoring_worked_example_matches_the_code():
    from inventory import load_inventory
    from planner.plan import make_plan

    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- five-systems:start -->\n(.*)<!-- five-systems:end -->", text, re.S)
    rows = [line.strip("|").split("|") for line in block.group(1).strip().splitlines()[2:]]
    result = make_plan(load_inventory(ROOT / "data" / "examples" / "five-systems"))
    for cells in rows:
        system, *numbers = (c.strip() for c in cells)
        row = result.scores.loc[system]
        computed = [
            row[c] for c in ("likelihood", "consequence", "risk", "cost", "impact", "priority")
        ]
        assert [float(n) for n in numbers[:6]] == [round(v, 2) for v in computed], system
        assert int(numbers[6]) == row["rank"]


@pytest.mark.slow
def test_cli_reference_is_generated_from_the_commands_help():
    from planner.cli.reference import cli_reference

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == cli_reference(), "regenerate with: python tools/update_docs.py"


def test_every_command_is_in_the_cli_reference():
    from typer.main import get_command

    from planner.cli import app

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in get_command(app).commands:
        assert f"## modernise {name}\n" in text, name
