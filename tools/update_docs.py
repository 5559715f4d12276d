"""Regenerate the generated parts of the docs: the field reference and the CLI reference."""

import re
from pathlib import Path

from inventory.schema import format_reference
from planner.cli.reference import cli_reference

ROOT = Path(__file__).resolve().parent.parent
path = ROOT / "docs" / "inventory-format.md"
text = path.read_text(encoding="utf-8")
text = re.sub(
    r"(<!-- fields:start -->\n).*(<!-- fields:end -->)",
    lambda m: m.group(1) + format_reference() + m.group(2),
    text,
    flags=re.S,
)
path.write_text(text, encoding="utf-8")
print(f"updated {path}")
cli = ROOT / "docs" / "cli.md"
cli.write_text(cli_reference(), encoding="utf-8")
print(f"updated {cli}")
