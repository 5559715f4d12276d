"""The ``modernise`` command line: parse arguments, call one library function, render.

Errors from the library (:class:`inventory.errors.ModerniseError`) become ``Error: ...``
lines and exit code 1; bad arguments exit 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from inventory import Store, import_inventory, read_inventory
from inventory.errors import ModerniseError, UsageError
from inventory.report import ValidationReport

__all__ = ["app", "main"]

app = typer.Typer(
    name="modernise",
    help="Plan the replacement of an NHS organisation's legacy IT: inventory in, roadmap out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state: dict = {"debug": False, "busy_timeout": None}

DbOption = Annotated[
    Path, typer.Option("--db", help="The inventory store (SQLite file).", show_default=True)
]
DEFAULT_DB = Path("modernise.db")


def console(stderr: bool = False) -> Console:
    """Rich output; in logs and pipes, lines are not wrapped (tables fit 120 columns)."""
    tty = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(stderr=stderr, width=None if tty else 120, highlight=False, soft_wrap=not tty)


def command(name: str | None = None, **kwargs):
    """Register a command whose library errors become a clean message and exit code 1."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kw):
            try:
                return function(*args, **kw)
            except ModerniseError as error:
                if _state["debug"]:
                    raise
                report = getattr(error, "report", None)
                if report is not None:
                    _print_report(report)
                err = console(stderr=True)
                err.print(f"[bold red]Error:[/] {error.message}", highlight=False)
                if error.hint:
                    err.print(f"  {error.hint}", highlight=False)
                raise typer.Exit(2 if isinstance(error, UsageError) else 1) from None

        return app.command(name, **kwargs)(run)

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


def _store(db: Path, *, create: bool = True) -> Store:
    timeout = _state["busy_timeout"]
    return Store(db, create=create, **({} if timeout is None else {"busy_timeout": timeout}))


# --- rendering helpers -----------------------------------------------------------------


def _print_report(report: ValidationReport, *, limit: int = 200) -> None:
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


def _blank(value: object) -> bool:
    """True for None, NaN, NaT, NA and empty lists or mappings."""
    if isinstance(value, tuple | list | dict | set):
        return not value
    return value is None or bool(pd.isna(value))


def _frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title)
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if _blank(v) else str(v) for v in row))
    return table


# --- inventory commands ----------------------------------------------------------------


@command("init")
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create an empty inventory store."""
    existed = db.exists()
    with _store(db) as store:
        version = store.version
    verb = "Opened existing" if existed else "Created"
    console().print(f"{verb} {db} (schema version {version})")


@command("validate")
def validate_command(
    path: Annotated[Path, typer.Argument(help="Inventory folder of CSVs, .xlsx, .json or .yaml.")],
    show_all: Annotated[bool, typer.Option("--all", help="List every issue.")] = False,
) -> None:
    """Check an inventory file and list every problem; exit 1 if there are errors."""
    inventory, report = read_inventory(path)
    if report.issues:
        _print_report(report, limit=len(report.issues) if show_all else 200)
    if not report.valid:
        console(stderr=True).print(
            f"[bold red]Error:[/] {path} has {len(report.errors)} error"
            f"{'s' if len(report.errors) != 1 else ''}; fix them and run validate again"
        )
        raise typer.Exit(1)
    console().print(
        f"{path} is valid: {len(inventory.systems):,} systems, "
        f"{len(inventory.dependencies):,} dependencies"
        + (f", {len(report.warnings)} warnings" if report.warnings else "")
    )


@command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="Inventory folder of CSVs, .xlsx, .json or .yaml.")],
    db: DbOption = DEFAULT_DB,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Also remove systems absent from the file (audited)."),
    ] = False,
) -> None:
    """Validate and import an inventory in one transaction (all rows or none)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        tasks: dict[str, int] = {}

        def report_progress(stage: str, done: int, total: int) -> None:
            if total < 50_000:
                return
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)

        result, report = import_inventory(
            path,
            db,
            replace=replace,
            progress=report_progress,
            busy_timeout=_state["busy_timeout"],
        )
    if report.issues:
        _print_report(report)
    if result is None:
        console(stderr=True).print(
            f"[bold red]Error:[/] {path} has {len(report.errors)} error"
            f"{'s' if len(report.errors) != 1 else ''}; nothing was imported"
        )
        raise typer.Exit(1)
    console().print(f"Imported {path} into {db}: {result}")


@command("history")
def history_command(db: DbOption = DEFAULT_DB) -> None:
    """List every import batch: when, from which files, what it changed."""
    with _store(db, create=False) as store:
        batches = store.history().reset_index()
    if batches.empty:
        console().print(f"{db} has no imports yet")
        return
    batches["undoes"] = batches["undoes"].map(lambda v: "" if pd.isna(v) else f"batch {int(v)}")
    batches["sha256"] = batches["sha256"].fillna("").str[:12]
    shown = batches.rename(
        columns={
            "systems_added": "sys +",
            "systems_changed": "sys ~",
            "systems_removed": "sys -",
            "dependencies_added": "dep +",
            "dependencies_changed": "dep ~",
            "dependencies_removed": "dep -",
        }
    )
    console().print(_frame_table(shown, title=f"Import history of {db}"))


@command("undo")
def undo_command(
    batch: Annotated[int, typer.Argument(help="Batch number (see 'modernise history').")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Restore the store to how it was before a batch (the undo is audited as a batch too)."""
    with _store(db, create=False) as store:
        result = store.undo(batch)
    console().print(f"Undid batch {batch} and every later one: {result}")


_FILTERS = ("category", "organisation", "criticality", "disposition", "status", "hosting")


@command("systems")
def systems_command(
    db: DbOption = DEFAULT_DB,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    organisation: Annotated[str | None, typer.Option(help="Only this ODS code.")] = None,
    criticality: Annotated[str | None, typer.Option(help="Only this criticality.")] = None,
    disposition: Annotated[str | None, typer.Option(help="Only this disposition.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    hosting: Annotated[str | None, typer.Option(help="Only this hosting.")] = None,
    platform: Annotated[
        str | None, typer.Option(help="Only platforms containing this text (any case).")
    ] = None,
    unsupported_by: Annotated[
        str | None,
        typer.Option(help="Only systems out of support by this date (e.g. 2027-03-31)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows (0 = all).")] = 50,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List systems, filtered."""
    with _store(db, create=False) as store:
        systems = store.load().systems
    chosen = {
        "category": category,
        "organisation": organisation,
        "criticality": criticality,
        "disposition": disposition,
        "status": status,
        "hosting": hosting,
    }
    from inventory.schema import enum_key

    for column, wanted in chosen.items():
        if wanted:
            systems = systems[systems[column].fillna("").map(enum_key) == enum_key(wanted)]
    if platform:
        systems = systems[
            systems["platform"].fillna("").str.contains(platform, case=False, regex=False)
        ]
    if unsupported_by:
        from inventory.parse import parse_date

        parsed = parse_date(pd.Series([unsupported_by]))
        if parsed.problems.notna().any():
            raise UsageError(f"--unsupported-by {parsed.problems.iloc[0]}")
        systems = systems[systems["end_of_support"] <= parsed.values.iloc[0]]
    shown = systems.reset_index()[
        ["id", "name", "category", "criticality", "platform", "end_of_support", "disposition"]
    ]
    shown["end_of_support"] = shown["end_of_support"].dt.strftime("%Y-%m-%d")
    if output == "csv":
        sys.stdout.write(shown.to_csv(index=False))
        return
    if output == "json":
        sys.stdout.write(shown.to_json(orient="records", indent=1) + "\n")
        return
    if output != "table":
        raise UsageError(f"--format '{output}' is not one of: table, csv, json")
    rows = shown if limit == 0 else shown.head(limit)
    console().print(_frame_table(rows, title=f"{len(shown):,} systems"))
    if limit and len(shown) > limit:
        console().print(f"... {len(shown) - limit:,} more (use --limit 0 to see all)")


@command("show")
def show_command(
    system: Annotated[str, typer.Argument(help="System id.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one system: its details, what it depends on, and what depends on it."""
    from inventory.graph import downstream

    with _store(db, create=False) as store:
        inventory = store.load()
    key = system.strip().lower()
    if key not in inventory.systems.index:
        raise UsageError(f"no system '{system}' in {db}", hint="list them with 'modernise systems'")
    row = inventory.systems.loc[key]
    out = console()
    details = Table(show_header=False, title=f"{key}: {row['name']}")
    details.add_column("field", style="bold")
    details.add_column("value", overflow="fold")
    for field, value in row.items():
        if _blank(value):
            continue
        if isinstance(value, pd.Timestamp):
            value = value.strftime("%Y-%m-%d")
        details.add_row(str(field), str(value))
    out.print(details)
    deps = inventory.dependencies
    for title, frame, other in (
        ("depends on", deps[deps["consumer"] == key], "provider"),
        ("depended on by", deps[deps["provider"] == key], "consumer"),
    ):
        shown = frame[[other, "kind", "criticality", "messages"]].copy()
        shown["messages"] = shown["messages"].map("; ".join)
        out.print(_frame_table(shown, title=f"{title} ({len(shown)})"))
    G = inventory.graph()
    reach = downstream(G, key)
    out.print(f"Downstream impact: {len(reach):,} systems depend on {key} directly or indirectly.")


@command("graph")
def graph_command(
    systems: Annotated[list[str], typer.Argument(help="System id(s) at the centre.")],
    db: DbOption = DEFAULT_DB,
    depth: Annotated[int, typer.Option(help="Hops to include in each direction.")] = 1,
    out: Annotated[Path, typer.Option("--out", help="PNG, SVG or PDF file to write.")] = Path(
        "dependencies.png"
    ),
) -> None:
    """Draw the dependency neighbourhood of systems to PNG, SVG or PDF."""
    from inventory.graph import neighbourhood
    from planner.charts import plot_dependency_map, save

    with _store(db, create=False) as store:
        inventory = store.load()
    G = inventory.graph()
    keys = [s.strip().lower() for s in systems]
    missing = [k for k in keys if k not in G]
    if missing:
        raise UsageError(f"no system {', '.join(repr(m) for m in missing)} in {db}")
    sub = neighbourhood(G, keys, depth=depth)
    save(plot_dependency_map(sub, keys), out)
    console().print(f"Wrote {out} ({sub.number_of_nodes()} systems, {sub.number_of_edges()} links)")


@command("synth")
def synth_command(
    out: Annotated[Path, typer.Argument(help="Folder (CSV), .xlsx, .json or .yaml to write.")],
    systems: Annotated[
        int, typer.Option(help="National mode: about this many systems across many trusts.")
    ] = 0,
    national_mode: Annotated[
        bool, typer.Option("--national", help="Generate a national estate (see --systems).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same inventory).")] = 2026,
) -> None:
    """Write a synthetic inventory: the Northshire sample trust, or a national estate."""
    from inventory.io import write_inventory
    from inventory.synthetic import national, sample_trust

    if national_mode or systems:
        inventory = national(systems or 100_000, seed=seed)
    else:
        inventory = sample_trust(seed)
    written = write_inventory(inventory, out)
    console().print(f"Wrote {inventory!r} to {', '.join(str(p) for p in written)}")


# --- planner commands -------------------------------------------------------------------

InventoryArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Inventory folder, .xlsx, .json or .yaml; without it the store (--db) is used.",
        show_default=False,
    ),
]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy YAML (defaults: data/policy.yaml).")
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


def _inventory(path: Path | None, db: Path):
    from planner.api import load

    return load(path, db=db, busy_timeout=_state["busy_timeout"])


def _policy(
    path: Path | None,
    budgets: list[str] | None,
    start: str | None,
    impact: str | None = None,
    **settings,
):
    """The policy file with the command line's changes (``settings`` use ``__`` for ``.``)."""
    from planner.api import resolve_policy
    from planner.policy import parse_budget_option

    budget = dict(parse_budget_option(text) for text in budgets or [])
    overrides: dict = {k: v for k, v in settings.items() if v is not None}
    if budget:
        overrides["budget"] = budget
    if start:
        overrides["plan_start"] = start
    if impact:
        overrides["impact"] = impact
    return resolve_policy(path, **overrides)


def _plan(path, db, policy_path, budgets, start, impact=None):
    from planner.api import plan

    return plan(_inventory(path, db), _policy(policy_path, budgets, start, impact))


def _write_frame(frame: pd.DataFrame, output: str, title: str, limit: int) -> None:
    if output == "csv":
        from planner.export import safe_csv

        sys.stdout.write(safe_csv(frame))
    elif output == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1, date_format="iso") + "\n")
    elif output == "table":
        rows = frame if limit == 0 else frame.head(limit)
        console().print(_frame_table(rows, title=title))
        if limit and len(frame) > limit:
            console().print(f"... {len(frame) - limit:,} more (use --limit 0 to see all)")
    else:
        raise UsageError(f"--format '{output}' is not one of: table, csv, json")


FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json.")]
LimitOption = Annotated[int, typer.Option(help="Show at most this many rows (0 = all).")]


@command("score")
def score_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    output: FormatOption = "table",
    limit: LimitOption = 30,
) -> None:
    """Score every system: risk, cost, impact and priority (0-100) with their parts."""
    from planner.api import score

    scored = score(_inventory(inventory, db), _policy(policy, None, start, impact))
    if output == "table":
        console().print(f"Downstream impact: {scored.attrs.get('impact_method', 'exact')}")
    scores = scored.reset_index()
    columns = [
        "id",
        "name",
        "risk",
        "risk_rating",
        "likelihood",
        "consequence",
        "impact",
        "downstream",
        "cost",
        "cost_gbp",
        "priority",
        "rank",
    ]
    frame = scores[columns] if output == "table" else scores
    _write_frame(frame.round(1) if output == "table" else frame, output, "Scores", limit)


@command("rank")
def rank_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    output: FormatOption = "table",
    limit: LimitOption = 30,
    everything: Annotated[
        bool, typer.Option("--all", help="Include systems marked retain.")
    ] = False,
) -> None:
    """The replacement order: planned systems by priority (deterministic ties)."""
    from planner.api import rank

    ranked = rank(
        _inventory(inventory, db),
        _policy(policy, None, start, impact),
        include_retained=everything,
    )
    frame = ranked.reset_index()[
        ["rank", "id", "name", "disposition", "priority", "risk", "impact", "cost"]
    ]
    _write_frame(frame.round(1), output, "Replacement order", limit)


@command("plan")
def plan_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    output: FormatOption = "table",
    limit: LimitOption = 40,
) -> None:
    """Schedule the replacements under budgets, team capacity and freezes; show the roadmap."""
    result = _plan(inventory, db, policy, budget, start, impact)
    schedule = result.schedule.reset_index()[
        ["id", "wave", "start", "go_live", "months", "cost_gbp", "critical", "slack_months", "rank"]
    ]
    if output != "table":
        _write_frame(schedule, output, "Roadmap", limit)
        return
    shown = schedule.copy()
    shown["start"] = shown["start"].dt.strftime("%b %Y")
    shown["go_live"] = shown["go_live"].dt.strftime("%b %Y")
    shown["cost_gbp"] = shown["cost_gbp"].map(lambda v: f"£{v:,.0f}")
    _write_frame(shown, output, repr(result), limit)
    spend = result.spend_by_fy.copy()
    for column in ("budget_gbp", "spend_gbp", "headroom_gbp"):
        spend[column] = spend[column].map(lambda v: f"£{v / 1e6:,.2f}m")
    console().print(_frame_table(spend, title="Spend per financial year"))
    _print_warnings(result)


def _print_warnings(result) -> None:
    out = console()
    if result.warnings.empty:
        out.print("No warnings.")
        return
    out.print(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}:")
    for _, warning in result.warnings.iterrows():
        out.print(f"  {warning['kind']}: {warning['message']}", markup=False, soft_wrap=True)


@command("gantt")
def gantt_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    out: Annotated[Path, typer.Option("--out", help="PNG, SVG or PDF file.")] = Path("roadmap.png"),
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="category, wave or organisation.")
    ] = None,
    colour_by: Annotated[
        str, typer.Option("--colour-by", help="domain, category or wave.")
    ] = "domain",
) -> None:
    """Draw the roadmap as a Gantt chart with spend per year and the risk burn-down."""
    from planner.charts import roadmap_figure, save

    result = _plan(inventory, db, policy, budget, start)
    figure = roadmap_figure(result, colour_by=colour_by, group_by=group_by)
    save(figure, out, tight=False)
    console().print(f"Wrote {out}")


@command("export")
def export_command(
    output: Annotated[
        str, typer.Option("--format", help="csv, xlsx, json, mspdi, mermaid or markdown.")
    ],
    out: Annotated[Path, typer.Option("--out", help="File (or folder for csv) to write.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation's part (ODS).")
    ] = None,
) -> None:
    """Export the roadmap in one format."""
    from planner import export

    writers = {
        "csv": export.write_csv,
        "xlsx": export.write_xlsx,
        "json": export.write_json,
        "mspdi": export.write_mspdi,
        "mermaid": export.write_mermaid,
        "markdown": export.write_markdown,
    }
    if output not in writers:
        raise UsageError(f"--format '{output}' is not one of: {', '.join(export.FORMATS)}")
    result = _plan(inventory, db, policy, budget, start)
    if organisation:
        result = result.for_organisation(organisation)
    written = writers[output](result, out)
    paths = written if isinstance(written, list) else [written]
    console().print(f"Wrote {', '.join(str(p) for p in paths)}")


@command("explain")
def explain_command(
    system: Annotated[str, typer.Argument(help="System id.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
) -> None:
    """Why a system ranks where it does, factor by factor, and when it is planned."""
    from planner.api import explain

    result = _plan(inventory, db, policy, budget, start)
    key = system.strip().lower()
    table = explain(result, key)
    console().print(_frame_table(table, title=f"{key}: {result.scores.at[key, 'name']}"))
    if key in result.schedule.index:
        row = result.schedule.loc[key]
        if row["scheduled"]:
            slack = (
                "on the critical path"
                if row["critical"]
                else f"slack {row['slack_months']:.0f} months"
            )
            console().print(
                f"Planned: starts {row['start']:%b %Y}, goes live {row['go_live']:%b %Y} "
                f"(wave {row['wave']}, {slack})."
            )
            unit = result.units.loc[row["unit"]]
            if unit["earliest_start"] < row["start"]:
                console().print(
                    f"  It could start {unit['earliest_start']:%b %Y} "
                    f"({unit['earliest_because']}); until {row['start']:%b %Y} the teams, "
                    "budget or project cap go to projects placed before it (the schedule "
                    "search judges the whole plan's risk-weighted go-live, not one system's)."
                )
        else:
            console().print(f"Not scheduled: {row['not_scheduled_because']}")
        waits = result.links[result.links["after"] == row["unit"]]
        for _, link in waits.iterrows():
            console().print(f"  waits for {link['before']} ({link['reason']})")
    else:
        console().print("Not planned: its disposition is retain (or it is retired).")


CHARTS = ("portfolio", "dependencies", "end-of-support", "spend", "burndown", "gantt", "roadmap")


@command("chart")
def chart_command(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(CHARTS)}.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="PNG, SVG or PDF file.")] = None,
    system: Annotated[
        list[str] | None, typer.Option("--system", help="dependencies: centre on these ids.")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="dependencies: every system in a category.")
    ] = None,
    depth: Annotated[int, typer.Option(help="dependencies: hops from the centre.")] = 1,
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="gantt: category, wave or organisation.")
    ] = None,
) -> None:
    """Draw one chart to PNG, SVG or PDF."""
    from planner import charts

    if kind not in CHARTS:
        raise UsageError(f"chart '{kind}' is not one of: {', '.join(CHARTS)}")
    out = out or Path(f"{kind}.png")
    if kind == "dependencies":
        from inventory.graph import neighbourhood

        inv = _inventory(inventory, db)
        if category:
            figure = charts.plot_category_map(inv, category)
        elif system:
            keys = [s.strip().lower() for s in system]
            missing = [k for k in keys if k not in inv.systems.index]
            if missing:
                raise UsageError(f"no system {', '.join(repr(m) for m in missing)}")
            figure = charts.plot_dependency_map(neighbourhood(inv.graph(), keys, depth), keys)
        else:
            raise UsageError("the dependencies chart needs --system ID or --category NAME")
    else:
        result = _plan(inventory, db, policy, budget, start)
        figure = {
            "portfolio": lambda: charts.plot_portfolio(result.scores),
            "end-of-support": lambda: charts.plot_end_of_support(
                result.inventory.systems,
                result.scores,
                plan_start=result.start,
                today=pd.Timestamp.today().normalize(),
            ),
            "spend": lambda: charts.plot_spend(result),
            "burndown": lambda: charts.plot_burndown(result),
            "gantt": lambda: charts.plot_gantt(result, group_by=group_by),
            "roadmap": lambda: charts.roadmap_figure(result, group_by=group_by),
        }[kind]()
    charts.save(figure, out, tight=kind not in ("gantt", "roadmap"))
    console().print(f"Wrote {out}")


def _months_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as 'Mon YYYY' (blank dates read 'after horizon') for tables."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%b %Y").fillna("after horizon")
    return shown


@command("forecast")
def forecast_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    runs: Annotated[int | None, typer.Option(help="Monte Carlo runs (policy: 1000).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (policy: 0).")] = None,
    distribution: Annotated[
        str | None, typer.Option(help="pert or triangular (policy: pert).")
    ] = None,
    budget_mode: Annotated[
        str | None,
        typer.Option("--budget-mode", help="hold (overruns wait for money) or flex."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the CSV tables and charts.")
    ] = None,
    limit: LimitOption = 15,
) -> None:
    """How sure is the roadmap? P50 / P80 / P95 go-live per system and for the programme,
    spend per year and the odds of beating each end-of-support date (Monte Carlo)."""
    from planner.api import forecast, plan

    settings = _policy(
        policy,
        budget,
        start,
        uncertainty__distribution=distribution,
        uncertainty__budget=budget_mode,
    )
    result = plan(_inventory(inventory, db), settings)
    outlook = forecast(result, runs=runs, seed=seed)
    out_console = console()
    out_console.print(repr(outlook))
    programme = _months_text(outlook.programme.rename_axis("").reset_index())
    out_console.print(_frame_table(programme, title="Programme completion"))
    deadlines = outlook.systems.dropna(subset=["P(live by end of support)"])
    if not deadlines.empty:
        table = deadlines.sort_values("P(live by end of support)").reset_index()[
            [
                "id",
                "end_of_support",
                "planned go-live",
                "P50 go-live",
                "P80 go-live",
                "P(live by end of support)",
            ]
        ]
        table["P(live by end of support)"] = table["P(live by end of support)"].map("{:.0%}".format)
        _write_frame(_months_text(table), "table", "End-of-support deadlines still ahead", limit)
    slips = outlook.systems.assign(
        slip=(outlook.systems["P80 go-live"] - outlook.systems["planned go-live"]).dt.days / 30.44
    ).sort_values("slip", ascending=False, na_position="first")
    slips = slips.reset_index()[
        [
            "id",
            "planned go-live",
            "P50 go-live",
            "P80 go-live",
            "P95 go-live",
            "P(fits the horizon)",
        ]
    ]
    _write_frame(_months_text(slips), "table", "Most at risk of slipping (P80 against plan)", limit)
    spend = outlook.spend_by_fy.copy()
    for column in [c for c in spend.columns if c.endswith("_gbp")]:
        spend[column] = spend[column].map(lambda v: "" if pd.isna(v) else f"£{v / 1e6:,.2f}m")
    out_console.print(_frame_table(spend, title="Spend per financial year across the runs"))
    if out is not None:
        from planner.export import write_forecast

        written = write_forecast(outlook, out)
        out_console.print(f"Wrote {len(written)} files to {out}/")


@command("stability")
def stability_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    start: StartOption = None,
    samples: Annotated[int | None, typer.Option(help="Weight draws (policy: 500).")] = None,
    concentration: Annotated[
        float | None,
        typer.Option(help="How sure of the weights: higher draws them closer (policy: 30)."),
    ] = None,
    top: Annotated[int | None, typer.Option(help="Size of the top N (policy: 20).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (policy: 0).")] = None,
    output: FormatOption = "table",
    limit: LimitOption = 30,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also draw the rank ranges (PNG/SVG/PDF).")
    ] = None,
) -> None:
    """How much the ranking depends on the priority weights: rank range, how often each
    system is in the top N, the fragile ones and the weight that moves each."""
    from planner.api import rank_stability

    table = rank_stability(
        _inventory(inventory, db),
        _policy(policy, None, start),
        samples=samples,
        concentration=concentration,
        top=top,
        seed=seed,
    )
    summary = table.attrs["summary"]
    frame = table.reset_index()[
        [
            "rank",
            "id",
            "median rank",
            "best rank (P5)",
            "worst rank (P95)",
            "P(top N)",
            "fragile",
            "driven by",
            "when it weighs more",
        ]
    ]
    if output != "table":
        _write_frame(table.reset_index(), output, "Rank stability", limit)
    else:
        weights = ", ".join(f"{k} {v:g}" for k, v in summary["weights"].items())
        console().print(
            f"{summary['draws']:,} draws of the weights around {weights} "
            f"(concentration {summary['concentration']:g}). The top {summary['top N']} is "
            f"unchanged in {summary['top N unchanged in']:.0%} of draws; mean rank correlation "
            f"with the chosen order {summary['mean rank correlation with the chosen order']:.3f}; "
            f"{summary['fragile systems']} fragile."
        )
        shown = frame.copy()
        shown["P(top N)"] = shown["P(top N)"].map("{:.0%}".format)
        shown["fragile"] = shown["fragile"].map({True: "FRAGILE", False: ""})
        _write_frame(shown, "table", "Rank stability", limit)
    if chart is not None:
        from planner.charts import plot_rank_stability, save

        save(plot_rank_stability(table, limit=limit or len(table)), chart)
        console(stderr=output != "table").print(f"Wrote {chart}")


@command("compare")
def compare_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy",
            help="A scenario's policy YAML (repeatable); the first is "
            "the baseline unless --base is given.",
        ),
    ] = None,
    base: Annotated[
        Path | None, typer.Option("--base", help="Baseline policy (default: data/policy.yaml).")
    ] = None,
    budget_scale: Annotated[
        list[float] | None,
        typer.Option(
            "--budget-scale", help="A scenario with every budget times this, e.g. 0.8 (repeatable)."
        ),
    ] = None,
    output: FormatOption = "table",
    limit: LimitOption = 20,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Draw burn-downs and spend (PNG/SVG/PDF).")
    ] = None,
    changes: Annotated[
        Path | None, typer.Option("--changes", help="Write every system that moves (CSV).")
    ] = None,
) -> None:
    """Plan the inventory under two or more policies or budgets and compare them: end
    dates, cost, spend per year, risk exposure and the systems that change wave."""
    from planner.api import compare

    policies = list(policy or [])
    scenarios: dict = {}
    if base is not None or not policies:
        scenarios["baseline" if base is None else base.stem] = base
    for path in policies:
        scenarios[path.stem if path.stem not in scenarios else str(path)] = path
    for factor in budget_scale or []:
        scenarios[f"budget x{factor:g}"] = factor
    if len(scenarios) < 2:
        raise UsageError(
            "compare needs two or more scenarios",
            hint="add --policy FILE or --budget-scale 0.8 (each repeatable)",
        )
    baseline_policy = base if base is not None else (policies[0] if policies else None)
    comparison = compare(_inventory(inventory, db), scenarios, baseline_policy)
    table = comparison.table.reset_index()
    if output != "table":
        _write_frame(table, output, "Scenarios", limit)
    else:
        shown = _months_text(table)
        shown["cost (GBP)"] = shown["cost (GBP)"].map(lambda v: f"£{v / 1e6:,.1f}m")
        for column in ("risk now", "risk at end", "risk exposure (risk-months)"):
            shown[column] = shown[column].map(lambda v: f"{v:,.0f}")
        shown["exposure vs baseline"] = shown["exposure vs baseline"].map("{:+.1%}".format)
        console().print(
            _frame_table(
                shown.set_index("scenario").T.reset_index().rename(columns={"index": ""}),
                title=repr(comparison),
            )
        )
        spend = comparison.spend.map(lambda v: f"£{v / 1e6:,.2f}m").reset_index()
        console().print(_frame_table(spend, title="Spend per financial year"))
        moved = comparison.changes
        if len(moved):
            _write_frame(_months_text(moved), "table", "Highest-priority systems that move", limit)
    if changes is not None:
        from planner.export import safe_csv

        safe_csv(comparison.changes, changes)
        console(stderr=output != "table").print(f"Wrote {changes}")
    if chart is not None:
        from planner.charts import plot_comparison, save

        save(plot_comparison(comparison), chart)
        console(stderr=output != "table").print(f"Wrote {chart}")


@command("impact")
def impact_command(
    systems: Annotated[list[str], typer.Argument(help="Ids of the systems that are down.")],
    inventory: Annotated[
        Path | None,
        typer.Option("--inventory", "-i", help="Inventory file or folder (default: the store)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    window: Annotated[
        bool,
        typer.Option(
            "--window", help="Their planned cut-over instead: all going live that month are down."
        ),
    ] = False,
    output: FormatOption = "table",
    limit: LimitOption = 40,
) -> None:
    """Blast radius: everything that fails or degrades while these systems are down (or
    during their planned cut-over), with the path, the interfaces and the patient-facing
    services among them."""
    from planner.api import blast_radius, plan

    inv = _inventory(inventory, db)
    if window:
        source = plan(inv, _policy(policy, budget, start))
        radius = blast_radius(source, systems, window=True)
    else:
        radius = blast_radius(inv, systems, _policy(policy, None, start))
    frame = radius.reset_index()
    if output != "table":
        _write_frame(frame, output, "Blast radius", limit)
        return
    out = console()
    if window:
        for _, row in radius.attrs["windows"].iterrows():
            switching = row["switching to them"]
            out.print(
                f"Cut-over {row['go-live']:%b %Y}: {', '.join(row['cut over'])} go live"
                + (f"; {len(switching)} legacy systems switch over to them" if switching else "")
                + ".",
                markup=False,
                soft_wrap=True,
            )
    down = radius.attrs["down"]
    fails = int((radius["effect"] == "fails").sum())
    patient = radius[radius["patient_facing"]]
    out.print(
        f"{len(down)} down -> {fails} fail, {len(radius) - fails} degrade; "
        f"{len(patient)} patient-facing "
        f"({int((patient['effect'] == 'fails').sum())} fail)"
        + (f"; users affected: {int(radius['users'].fillna(0).sum()):,}" if len(radius) else "")
        + "."
    )
    shown = frame[["id", "effect", "hops", "criticality", "patient_facing", "via", "path"]].copy()
    shown["patient_facing"] = shown["patient_facing"].map({True: "yes", False: ""})
    _write_frame(shown, "table", "Blast radius", limit)


@command("roadmap")
def roadmap_command(
    inventory: Annotated[Path, typer.Argument(help="Inventory folder, .xlsx, .json or .yaml.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write everything into.")] = Path(
        "roadmap"
    ),
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    title: Annotated[str, typer.Option(help="Title for the charts and documents.")] = (
        "Legacy replacement roadmap"
    ),
    impact: ImpactOption = None,
) -> None:
    """One shot: inventory in, everything a CIO hands on out (charts, workbook, MS Project,
    Mermaid, CSV, Markdown summary)."""
    from planner.export import write_roadmap

    result = _plan(inventory, DEFAULT_DB, policy, budget, start, impact)
    written = write_roadmap(result, out, title=title)
    summary = result.summary()
    console().print(repr(result))
    console().print(
        f"Risk {summary['risk now']:,.0f} -> {summary['risk at end']:,.0f}; "
        f"{summary['not scheduled']} projects not scheduled; {summary['warnings']} warnings."
    )
    console().print(f"Wrote {len(written)} files to {out}/ (start with {out}/summary.md)")


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
