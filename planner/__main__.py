"""``python -m planner`` runs the modernise command line."""

from planner.cli import run

run()
