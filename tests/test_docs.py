"""Docs that cannot drift: the field reference, the README's commands, CI."""

from __future__ import annotations

import re

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
