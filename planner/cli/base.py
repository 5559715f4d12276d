"""What every command shares: the app, error handling, options and rendering.

Library errors (:mod:`inventory.errors`) become ``Error: ...`` lines: exit code 2 for a
usage problem (a bad option or argument, an unknown system), 1 for a data problem or an
output that cannot be written (any other operating-system error too); ``--debug`` shows the
traceback instead. Ctrl-C stops with exit code 130 and says what was written. Data goes to
standard output as text, never as console markup (:func:`plain`): a name holding
``[/bold]`` or ``:pill:`` prints as written, and characters a terminal would act on (an
escape sequence) are replaced.

Library modules are imported inside the functions that use them, so that ``modernise
--help`` and the quick commands start without loading the planner's heavy dependencies.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from inventory.characters import printable, shown
from inventory.errors import (
    EmptyStoreError,
    InvalidArgumentError,
    InvalidInventoryError,
    InventoryFileError,
    ModerniseError,
    UnknownSystemError,
)
from inventory.output import inputs_kept
from inventory.wording import plural

if TYPE_CHECKING:
    import pandas as pd

    from inventory.model import Inventory
    from inventory.report import ValidationReport
    from inventory.store import Store
    from planner.plan import PlanResult
    from planner.policy import Policy

__all__ = [
    "UsageError",
    "app",
    "command",
    "console",
    "error_line",
    "main",
    "out_path",
    "plain",
    "run",
    "wrote",
]

app = typer.Typer(
    name="modernise",
    help="Plan the replacement of an NHS organisation's legacy IT: inventory in, roadmap out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state: dict = {"debug": False, "busy_timeout": None, "written": []}

DEFAULT_DB = Path("modernise.db")


class UsageError(ModerniseError):
    """A command was called with options that cannot work together (exit code 2)."""


def console(stderr: bool = False) -> Console:
    """Rich output; in logs and pipes, lines are not wrapped (tables fit 120 columns).
    Emoji codes such as ``:pill:`` are printed as written."""
    tty = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(
        stderr=stderr,
        width=None if tty else 120,
        highlight=False,
        soft_wrap=not tty,
        emoji=False,
    )


def plain(value: object) -> Text:
    """Data as Rich text: never read as markup, characters a terminal acts on replaced.

    >>> plain("[/bold] PAS").plain
    '[/bold] PAS'
    """
    return Text(printable(str(value)))


def wrote(*paths: object) -> None:
    """Record outputs a command has finished writing (what Ctrl-C reports as written)."""
    _state["written"].extend(str(p) for p in paths)


def out_path(text: str | Path) -> Path:
    """An output path option: an empty one is refused (it would mean the working folder)."""
    if not str(text).strip():
        raise typer.BadParameter("an empty path names no file or folder; name one")
    return Path(text)


def _interrupted() -> str:
    """What Ctrl-C leaves: outputs are written whole or not at all, imports roll back."""
    written = _state["written"]
    done = (
        f"{', '.join(written)} {'was' if len(written) == 1 else 'were'} written whole; "
        "nothing else was"
        if written
        else "nothing was written"
    )
    return (
        f"Interrupted: {done} (an output in progress was removed, an import in progress rolled "
        "back, and earlier outputs and the store are as they were)"
    )


#: The exit code of a fault in modernise itself (EX_SOFTWARE in BSD's sysexits.h).
INTERNAL_FAULT = 70


def _exit_code(error: ModerniseError) -> int:
    return 2 if isinstance(error, UsageError | InvalidArgumentError | UnknownSystemError) else 1


def map_hint(path: Path | str) -> str:
    """What to do with a register kept in its own layout (it lacks the standard columns)."""
    return (
        f"a register kept in its own layout? 'modernise map {path}' proposes a column mapping "
        "to review; then give it with --mapping"
    )


def _hint(error: ModerniseError, command: Callable) -> str | None:
    """The fix, in the command line's terms (the library's hints never name flags)."""
    if isinstance(error, UnknownSystemError) and error.hint is None:
        return "list them with 'modernise systems'"
    if isinstance(error, InvalidInventoryError) and error.own_layout:
        return f"{map_hint('FILE')}; nothing was changed"
    if isinstance(error, InventoryFileError) and error.own_layout:
        return f"name the sheets 'systems' and 'dependencies', or: {map_hint(error.path)}"
    if isinstance(error, EmptyStoreError):
        reads_files = {"inventory", "arguments"} & set(inspect.signature(command).parameters)
        return (
            "give the inventory (a folder, .xlsx, .json or .yaml) to the command, import it "
            "first with 'modernise import PATH', or name another store with --db"
            if reads_files
            else "import an inventory first with 'modernise import PATH', or name another "
            "store with --db"
        )
    return error.hint


def command(
    name: str | None = None, *, group: typer.Typer | None = None, **kwargs: Any
) -> Callable:
    """Register a command (on ``group``, a sub-command group, or on the app) whose library
    errors become a clean message and an exit code."""

    def register(function: Callable) -> Callable:
        @functools.wraps(function)
        def run_command(*args: Any, **kw: Any) -> Any:
            _state["written"] = []
            try:
                with inputs_kept():  # no output replaces a file the command read
                    return function(*args, **kw)
            except KeyboardInterrupt:
                if _state["debug"]:
                    raise
                console(stderr=True).print(_interrupted(), markup=False, soft_wrap=True)
                raise typer.Exit(130) from None
            except ModerniseError as error:
                if _state["debug"]:
                    raise
                report = getattr(error, "report", None)
                if report is not None:
                    print_report(report)
                _print_error(error.message, _hint(error, function))
                raise typer.Exit(_exit_code(error)) from None
            except OSError as error:  # a file the library does not name: say which and why
                if _state["debug"]:
                    raise
                where = f"{error.filename}: " if error.filename else ""
                _print_error(f"{where}{error.strerror or error}", None)
                raise typer.Exit(1) from None
            except (typer.Exit, typer.Abort, typer.BadParameter):
                raise  # typer's own ways of ending a command
            except Exception as error:  # a fault in modernise itself: said, not a traceback
                if _state["debug"]:
                    raise
                if _caused_by_ctrl_c(error):  # Ctrl-C inside compiled code comes back wrapped
                    console(stderr=True).print(_interrupted(), markup=False, soft_wrap=True)
                    raise typer.Exit(130) from None
                _print_error(
                    f"modernise failed: {type(error).__name__}: {error}",
                    "this is a fault in modernise: run the command again with --debug to see "
                    "where, and report it",
                )
                raise typer.Exit(INTERNAL_FAULT) from None

        return (group or app).command(name, **kwargs)(run_command)

    return register


def _caused_by_ctrl_c(error: BaseException) -> bool:
    """Whether ``error`` arose from Ctrl-C: numba's compiled code returns a SystemError
    ("returned a result with an exception set") whose context is the KeyboardInterrupt."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _print_error(message: str, hint: str | None) -> None:
    err = console(stderr=True)
    err.print("[bold red]Error:[/] ", end="")
    err.print(shown(message), markup=False)
    if hint:
        err.print(f"  {shown(hint)}", markup=False)


def error_line(text: str) -> None:
    """An ``Error: ...`` line on standard error (``text`` is printed as written)."""
    console(stderr=True).print(f"[bold red]Error:[/] {escape(shown(text))}")


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


def store(db: Path, *, create: bool = True, read_only: bool | None = None) -> Store:
    """The store at ``db``, waiting ``--busy-timeout`` seconds for other writers; read-only
    unless it may be created (or ``read_only`` says otherwise)."""
    from inventory.store import Store

    read_only = not create if read_only is None else read_only
    return Store(db, create=create, read_only=read_only, busy_timeout=busy_timeout())


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


def split_inventory(arguments: list[str]) -> tuple[Path | None, list[str]]:
    """``SYSTEM... [INVENTORY]``: the last argument is the inventory when it names a file or
    folder (it exists, or has a path separator or an inventory suffix); system ids never do.

    >>> split_inventory(["pas", "data/sample-trust"])
    (PosixPath('data/sample-trust'), ['pas'])
    >>> split_inventory(["pas", "lims"])
    (None, ['pas', 'lims'])
    """
    *ids, last = arguments
    path = Path(last)
    looks_like_a_path = (
        path.exists()
        or "/" in last
        or "\\" in last
        or path.suffix.lower() in (".xlsx", ".json", ".yaml", ".yml", ".csv")
    )
    if ids and looks_like_a_path:
        return path, ids
    return None, arguments


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


def stored_policy(db: Path) -> Policy | None:
    """The policy kept in the store at ``db`` ('modernise policy use'), if there is one."""
    if not db.is_file():
        return None
    from planner.policy import policy_from_text

    with store(db, create=False) as opened:
        kept = opened.policy()
    return None if kept is None else policy_from_text(kept[1], kept[0])


def policy_line(policy: Policy, *, changed: bool = False) -> str:
    """Which policy a command used: its name and the first 12 characters of its hash.

    >>> from planner.policy import load_policy
    >>> policy_line(load_policy())[:28]
    'Policy: policy.yaml (sha256 '
    """
    name = policy.source + (" with command-line changes" if changed else "")
    return f"Policy: {name} (sha256 {policy.sha256[:12]})"


def policy_from(
    path: Path | None,
    budgets: list[str] | None = None,
    start: str | None = None,
    impact: str | None = None,
    *,
    inventory: Inventory | None = None,
    **settings: object,
) -> Policy:
    """The policy file with the command line's changes (``settings`` use ``__`` for ``.``).

    Without a file, the policy kept with ``inventory`` in its store (set by 'modernise
    policy use') is used when there is one, else the default. Which policy was used is said
    on standard error (:func:`policy_line`).
    """
    from planner.api import kept_policy, policy_changes, resolve_policy

    budget = dict(parse_budget_option(text) for text in budgets or [])
    overrides: dict = {k: v for k, v in settings.items() if v is not None}
    if budget:
        overrides["budget"] = budget
    if start:
        overrides["plan_start"] = start
    if impact:
        overrides["impact"] = impact
    kept = kept_policy(inventory) if path is None and inventory is not None else None
    chosen = kept if kept is not None else resolve_policy(path)
    changes = policy_changes(**overrides)
    if changes:
        chosen = chosen.with_overrides(changes, source="the command line")
    console(stderr=True).print(plain(policy_line(chosen, changed=bool(changes))))
    return chosen


def make_plan(path, db, policy_path, budgets, start, impact=None, mapping=None) -> PlanResult:
    """Plan the inventory (a file, or the store) under the policy and the options given."""
    from planner.api import plan

    inventory = load_inventory(path, db, mapping)
    chosen = policy_from(policy_path, budgets, start, impact, inventory=inventory)
    return plan(inventory, chosen)


# --- rendering -----------------------------------------------------------------------------


def print_report(report: ValidationReport, *, limit: int = 200) -> None:
    """Validation issues: a table on a terminal, one plain line each in logs and pipes."""
    out = console()
    issues = report.sorted()
    if not out.is_terminal:  # logs and pipes: one plain line per issue, easy to grep
        for issue in issues[:limit]:
            out.print(plain(issue), highlight=False, soft_wrap=True)
        if len(issues) > limit:
            out.print(f"... and {len(issues) - limit:,} more (use --all)")
        return
    table = Table(
        title=f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
    )
    for column in ("where", "column", "value", "problem"):
        table.add_column(column, overflow="fold")
    for issue in issues[:limit]:
        style = "yellow" if issue.severity == "warning" else None
        table.add_row(
            plain(shown(issue.location)),
            plain(issue.column or ""),
            plain(issue.value or ""),
            plain(shown(("warning: " if issue.severity == "warning" else "") + issue.message)),
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


def cell_text(value: object) -> str:
    """A value as a table shows it: whole numbers without a decimal point, yes/no for
    booleans, blanks empty.

    >>> [cell_text(v) for v in (3.0, 540000.0, 2.5, True, False, None, "PAS")]
    ['3', '540000', '2.5', 'yes', 'no', '', 'PAS']
    """
    import numbers

    import numpy as np

    if blank(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        number = float(value)
        if number.is_integer():
            return str(int(number))
    return str(value)


def shown_values(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's cells as text (:func:`cell_text`): a column of whole numbers held as floats
    (a blank made it float) prints as integers, booleans as yes/no."""
    import pandas as pd

    text = pd.DataFrame(index=frame.index)
    for number in range(frame.shape[1]):
        text[number] = [cell_text(v) for v in frame.iloc[:, number]]
    text.columns = frame.columns
    return text


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A Rich table of a frame, numbers right-aligned, whole numbers and booleans printed as
    such (:func:`cell_text`)."""
    import pandas as pd

    table = Table(title=None if title is None else plain(title))
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(plain(column), justify="right" if numeric else "left", overflow="fold")
    for row in shown_values(frame).itertuples(index=False):
        table.add_row(*(plain(v) for v in row))
    return table


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold only whole numbers (a blank made them float) as integers.

    >>> import pandas as pd
    >>> whole_numbers(pd.DataFrame({"wave": [3.0, None], "cost": [1.5, 2.0]})).dtypes.tolist()
    [Int64Dtype(), dtype('float64')]
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if len(known) and (known == known.round()).all() and known.abs().max() < 2**53:
                out[column] = values.astype("Int64")
    return out


def write_frame(frame: pd.DataFrame, output: str, title: str, limit: int) -> None:
    """A table to standard output as a Rich table, CSV or JSON; whole numbers are written
    as integers (no 'wave 3.0')."""
    if output in ("csv", "json"):
        frame = whole_numbers(frame)
    if output == "csv":
        from inventory.spreadsheet import safe_csv

        sys.stdout.write(safe_csv(frame) or "")
    elif output == "json":
        text = frame.copy()
        for column in text.columns:  # no character JSON readers refuse (lone surrogates)
            if text[column].dtype == object:
                text[column] = text[column].map(lambda v: printable(v) if isinstance(v, str) else v)
        sys.stdout.write(text.to_json(orient="records", indent=1, date_format="iso") + "\n")
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
    out.print(f"{plural(len(result.warnings), 'warning')}:")
    for _, warning in result.warnings.iterrows():
        out.print(plain(f"  {warning['kind']}: {warning['message']}"), soft_wrap=True)


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


def _unraisable(event) -> None:
    """Errors in clean-up code Python cannot raise (a half-written workbook's zip file closed
    after the disk filled): shown with ``--debug`` only, since the command has already said
    what went wrong."""
    if _state["debug"]:
        sys.__unraisablehook__(event)


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.unraisablehook = _unraisable
    sys.exit(main())
