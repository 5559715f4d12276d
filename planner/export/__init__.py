"""Writers for a plan: CSV, XLSX, JSON (:mod:`.tables`), Microsoft Project XML
(:mod:`.mspdi`), Mermaid and Markdown (:mod:`.text`), and whole folders (:mod:`.bundle`).
"""

from planner.export.bundle import write_forecast, write_roadmap
from planner.export.mspdi import write_mspdi
from planner.export.tables import safe_csv, tables, write_csv, write_json, write_xlsx
from planner.export.text import write_markdown, write_mermaid

#: The formats ``modernise export`` writes.
FORMATS = ("csv", "xlsx", "json", "mspdi", "mermaid", "markdown")

__all__ = [
    "FORMATS",
    "safe_csv",
    "tables",
    "write_csv",
    "write_forecast",
    "write_json",
    "write_markdown",
    "write_mermaid",
    "write_mspdi",
    "write_roadmap",
    "write_xlsx",
]
