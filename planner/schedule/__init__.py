"""The resource-constrained scheduler and the NHS calendar (see :mod:`.scheduler`).

- :mod:`.calendar`: months, financial years, freezes;
- :mod:`.problem`: the problem as arrays, one objective, placement;
- :mod:`.kernels`: the compiled loops (placement, processing orders, search);
- :mod:`.search`: the fast mode; :mod:`.optimise`: CP-SAT;
- :mod:`.diagnose`: the unit table and why each unit waits or is left out;
- :mod:`.scheduler`: :func:`schedule_units`, the one entry point;
- :mod:`.psplib`: the PSPLIB benchmark reader.
"""

from planner.schedule.calendar import Calendar
from planner.schedule.diagnose import ScheduleResult
from planner.schedule.problem import Placement, Problem, build_problem, effective_priority
from planner.schedule.scheduler import schedule_units

__all__ = [
    "Calendar",
    "Placement",
    "Problem",
    "ScheduleResult",
    "build_problem",
    "effective_priority",
    "schedule_units",
]
