"""The board pack: one self-contained HTML page (or PDF) a CIO takes to a trust board.

:func:`build_report` gathers every section of a plan into a :class:`Report`. Each section is
a small function returning plain data (:mod:`.headline`, :mod:`.money`, :mod:`.risk`,
:mod:`.milestones`, :mod:`.constraints`, :mod:`.options`, :mod:`.quality`,
:mod:`.assumptions`, :mod:`.register`, :mod:`.manifest`), reading what the plan itself holds
so that the pack says what every other output says. :mod:`.parts` turns the sections into
words, tables and charts, drawn by the template (``templates/``) or :mod:`.pdf`;
:func:`write_board_pack` writes the roadmap folder with the report, the run manifest and
the register in it.
"""

from planner.report.document import Report, build_report
from planner.report.manifest import run_manifest, store_batch, write_manifest
from planner.report.options import do_minimum, options_appraisal
from planner.report.pack import write_board_pack
from planner.report.register import unsupported_register, write_register

__all__ = [
    "Report",
    "build_report",
    "do_minimum",
    "options_appraisal",
    "run_manifest",
    "store_batch",
    "unsupported_register",
    "write_board_pack",
    "write_manifest",
    "write_register",
]
