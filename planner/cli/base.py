"""What every command shares: the app, error handling, options and rendering.

Library errors (:mod:`inventory.errors`) become ``Error: ...`` lines: exit code 2 for a
usage problem (a bad option or argument, an unknown system), 1 for a data problem;
``--debug`` shows the traceback instead. Data goes to standard output as text, never as
console markup.

Library modules are imported inside the functions that use them, so that ``modernise
--help`` and the quick commands start without loading the planner's heavy dependencies.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from inventory.errors import (
    InvalidArgumentError,
    ModerniseError,
    UnknownSystemError,
)

if TYPE_CHECKING:
    import pandas as pd

    from inventory.report import ValidationReport
    from inventory.store import Store
    from planner.plan import PlanResult
    from planner.policy import Policy

__all__ = ["UsageError", "app", "command", "console", "main", "run"]

app = typer.Typer(
    name="modernise",
    help="Plan the replacement of an NHS organisation's legacy IT: inventory in, roadmap out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state: dict = {"debug": False, "busy_timeout": None}

DEFAULT_DB = Path("modernise.db")


class UsageError(ModerniseError):
    """A command was called with options that cannot work together (exit code 2)."""


def console(stderr: bool = False) -> Console:
    """Rich output; in logs and pipes, lines are not wrapped (tables fit 120 columns)."""
    tty = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(stderr=stderr, width=None if tty else 120, highlight=False, soft_wrap=not tty)


def _exit_code(error: ModerniseError) -> int:
    return 2 if isinstance(error, UsageError | InvalidArgumentError | UnknownSystemError) else 1


def _hint(error: ModerniseError) -> str | None:
    if isinstance(error, UnknownSystemError) and error.hint is None:
        return "list them with 'modernise systems'"
    return error.hint


def command(
    name: str | None = None, *, group: typer.Typer | None = None, **kwargs: Any
) -> Callable:
    """Register a command (on ``group``, a sub-command group, or on the app) whose library
    errors become a clean message and an exit code."""

    def register(function: Callable) -> Callable:
        @functools.wraps(function)
        def run_command(*args: Any, **kw: Any) -> Any:
            try:
                return function(*args, **kw)
            except ModerniseError as error:
                if _state["debug"]:
                    raise
                report = getattr(error, "report", None)
                if report is not None:
                    print_report(report)
                err = console(stderr=True)
                err.print("[bold red]Error:[/] ", end="")
                err.print(error.message, markup=False)
                hint = _hint(error)
                if hint:
                    err.print(f"  {hint}", markup=False)
                raise typer.Exit(_exit_code(error)) from None

        return (group or app).command(name, **kwargs)(run_command)

    return register


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    busy_timeout: Annotated[
        float | None,
        typer.Option(
            "--busy-timeout",
            envvar="MODERNISE_BUSY_TIMEOUT",
            help="Seconds to wait while another process writes to the store (default 30).",
        ),
    ] = None,
) -> None:
    _state["debug"] = debug
    _state["busy_timeout"] = busy_timeout


# --- options shared by many commands -------------------------------------------------------

DbOption = Annotated[
    Path, typer.Option("--db", help="The inventory store (SQLite file).", show_default=True)
]
InventoryArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Inventory folder, .xlsx, .json or .yaml; without it the store (--db) is used.",
        show_default=False,
    ),
]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy YAML (default: the bundled policy.yaml).")
]
BudgetOption = Annotated[
    list[str] | None,
    typer.Option("--budget", help="Capital budget for a year, e.g. 2027/28=4.5m (repeatable)."),
]
ImpactOption = Annotated[
    str | None,
    typer.Option("--impact", help="Downstream impact: exact, approximate or auto."),
]
StartOption = Annotated[
    str | None, typer.Option("--start", help="Plan start date (the month it falls in).")
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="Column mapping (YAML) for a register kept in its own layout; see 'modernise map'.",
    ),
]
FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json.")]
LimitOption = Annotated[int, typer.Option(help="Show at most this many rows (0 = all).")]


def busy_timeout() -> float | None:
    """Seconds to wait for another writer (``--busy-timeout``), or None for the default."""
    return _state["busy_timeout"]


def store(db: Path, *, create: bool = True) -> Store:
    """The store at ``db``, waiting ``--busy-timeout`` seconds for other writers."""
    from inventory.store import Store

    return Store(db, create=create, busy_timeout=busy_timeout())


def load_inventory(path: Path | None, db: Path, mapping: Path | None = None):
    """The inventory in a file or folder (through a column mapping if given), or in the store
    when no path is given."""
    from planner.api import load

    if mapping is not None and path is None:
        raise UsageError(
            "--mapping reads a register file; give the file as well",
            hint="modernise plan REGISTER.xlsx --mapping mapping.yaml",
        )
    return load(path, db=db, busy_timeout=busy_timeout(), mapping=mapping)


def parse_budget_option(text: str) -> tuple[str, float]:
    """Read a ``--budget 2027/28=4.5m`` option into ('2027/28', 4500000.0).

    >>> parse_budget_option("FY2027-28=£4.5m")
    ('2027/28', 4500000.0)
    """
    from planner.policy import fy_key, parse_amount

    year, _, amount = text.partition("=")
    key = fy_key(year)
    number = parse_amount(amount.strip()) if amount else None
    if key is None or number is None or not 0 <= number < float("inf"):
        raise UsageError(
            f"--budget '{text}' is not a financial year and an amount",
            hint="write it like --budget 2027/28=4.5m",
        )
    return key, number


def policy_from(
    path: Path | None,
    budgets: list[str] | None = None,
    start: str | None = None,
    impact: str | None = None,
    **settings: object,
) -> Policy:
    """The policy file with the command line's changes (``settings`` use ``__`` for ``.``)."""
    from planner.api import policy_changes, resolve_policy

    budget = dict(parse_budget_option(text) for text in budgets or [])
    overrides: dict = {k: v for k, v in settings.items() if v is not None}
    if budget:
        overrides["budget"] = budget
    if start:
        overrides["plan_start"] = start
    if impact:
        overrides["impact"] = impact
    chosen = resolve_policy(path)
    changes = policy_changes(**overrides)
    return chosen.with_overrides(changes, source="the command line") if changes else chosen


def make_plan(path, db, policy_path, budgets, start, impact=None, mapping=None) -> PlanResult:
    """Plan the inventory (a file, or the store) under the policy and the options given."""
    from planner.api import plan

    inventory = load_inventory(path, db, mapping)
    return plan(inventory, policy_from(policy_path, budgets, start, impact))


# --- rendering -----------------------------------------------------------------------------


def print_report(report: ValidationReport, *, limit: int = 200) -> None:
    """Validation issues: a table on a terminal, one plain line each in logs and pipes."""
    out = console()
    issues = report.sorted()
    if not out.is_terminal:  # logs and pipes: one plain line per issue, easy to grep
        for issue in issues[:limit]:
            out.print(str(issue), markup=False, highlight=False, soft_wrap=True)
        if len(issues) > limit:
            out.print(f"... and {len(issues) - limit:,} more (use --all)")
        return
    table = Table(title=f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    for column in ("where", "column", "value", "problem"):
        table.add_column(column, overflow="fold")
    for issue in issues[:limit]:
        style = "yellow" if issue.severity == "warning" else None
        table.add_row(
            issue.location,
            issue.column or "",
            issue.value or "",
            ("warning: " if issue.severity == "warning" else "") + issue.message,
            style=style,
        )
    out.print(table)
    if len(issues) > limit:
        out.print(
            f"... and {len(issues) - limit:,} more; run 'modernise validate' with "
            "--all to see every one"
        )


def blank(value: object) -> bool:
    """True for None, NaN, NaT, NA and empty lists or mappings."""
    import pandas as pd

    if isinstance(value, tuple | list | dict | set):
        return not value
    return value is None or bool(pd.isna(value))  # type: ignore[call-overload]  # any scalar


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A Rich table of a frame, numbers right-aligned."""
    import pandas as pd

    table = Table(title=title)
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if blank(v) else str(v) for v in row))
    return table


def write_frame(frame: pd.DataFrame, output: str, title: str, limit: int) -> None:
    """A table to standard output as a Rich table, CSV or JSON."""
    if output == "csv":
        from inventory.spreadsheet import safe_csv

        sys.stdout.write(safe_csv(frame) or "")
    elif output == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1, date_format="iso") + "\n")
    elif output == "table":
        rows = frame if limit == 0 else frame.head(limit)
        console().print(frame_table(rows, title=title))
        if limit and len(frame) > limit:
            console().print(f"... {len(frame) - limit:,} more (use --limit 0 to see all)")
    else:
        raise UsageError(f"--format '{output}' is not one of: table, csv, json")


def months_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as 'Mon YYYY' (blank dates read 'after horizon') for tables."""
    import pandas as pd

    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%b %Y").fillna("after horizon")
    return shown


def print_warnings(result: PlanResult) -> None:
    """The plan's warnings, one line each."""
    out = console()
    if result.warnings.empty:
        out.print("No warnings.")
        return
    out.print(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}:")
    for _, warning in result.warnings.iterrows():
        out.print(f"  {warning['kind']}: {warning['message']}", markup=False, soft_wrap=True)


def charts():
    """The chart module, with matplotlib drawing to files only (no window)."""
    import matplotlib

    matplotlib.use("Agg")
    from planner import charts as module

    return module


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (0 ok, 1 data problem, 2 usage)."""
    try:
        app(args=argv, prog_name="modernise", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.exit(main())
