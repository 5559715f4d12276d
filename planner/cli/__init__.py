"""The ``modernise`` command line: each command parses its options, calls the library and
renders the answer (see :mod:`planner.cli.base` for errors and exit codes).

- :mod:`.inventory_commands`: sample, init, validate, import, history, undo, systems, show,
  graph, synth;
- :mod:`.plan_commands`: score, rank, plan, explain, gantt, chart, export, roadmap;
- :mod:`.analysis_commands`: forecast, stability, compare, impact;
- :mod:`.discover_commands`: discover hl7, discover diff;
- :mod:`.policy_commands`: policy use, policy show;
- :mod:`.reference`: the command-line reference page, from the commands' own help.
"""

from planner.cli.base import app, main, run

# isort: off
# importing a command module registers its commands, in the order --help lists them
from planner.cli import inventory_commands, plan_commands, analysis_commands, discover_commands
from planner.cli import policy_commands

# isort: on

__all__ = [
    "analysis_commands",
    "app",
    "discover_commands",
    "inventory_commands",
    "main",
    "plan_commands",
    "policy_commands",
    "run",
]
