"""Suite-wide test settings: the doctests that build a whole board pack, a PDF or a plan of
the sample trust several times are slow, so the inner loop (``pytest -m "not slow"``)
leaves them to the full suite (``make test``), which runs everything."""

from __future__ import annotations

import pytest

#: Doctests (by node id: a file, or a file and the object) the inner loop skips.
SLOW_DOCTESTS = (
    "docs/python-api.md",
    "planner/api.py::planner.api.board_pack",
    "planner/report/document.py",
    "planner/report/pack.py",
    "planner/report/pdf.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_DOCTESTS):
            item.add_marker(pytest.mark.slow)
