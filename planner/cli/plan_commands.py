"""Commands that score and plan: score, rank, plan, explain, gantt, chart, export, roadmap,
report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inventory.wording import plural
from planner.cli.base import (
    DEFAULT_DB,
    BudgetOption,
    DbOption,
    FormatOption,
    ImpactOption,
    InventoryArgument,
    LimitOption,
    MappingOption,
    PolicyOption,
    StartOption,
    UsageError,
    charts,
    command,
    console,
    frame_table,
    load_inventory,
    make_plan,
    out_path,
    plain,
    policy_from,
    print_warnings,
    write_frame,
    wrote,
)

if TYPE_CHECKING:
    from planner.plan import PlanResult

__all__: list[str] = []

CHARTS = ("portfolio", "dependencies", "end-of-support", "spend", "burndown", "gantt", "roadmap")


@command("score")
def score_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    output: FormatOption = "table",
    limit: LimitOption = 30,
) -> None:
    """Score every system: risk, cost, impact and priority (0-100) with their parts."""
    from planner.api import score
    from planner.impact import impact_method

    inv = load_inventory(inventory, db, mapping)
    chosen = policy_from(policy, None, start, impact, inventory=inv)
    scored = score(inv, chosen)
    if output == "table":
        method = impact_method(len(inv.systems), chosen.impact.method, chosen.impact.exact_up_to)
        console().print(plain(f"Downstream impact: {method}"))
    scores = inv.systems[["name", "category", "disposition"]].join(scored).reset_index()
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
    write_frame(frame.round(1) if output == "table" else frame, output, "Scores", limit)


@command("rank")
def rank_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
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

    inv = load_inventory(inventory, db, mapping)
    every = rank(
        inv,
        policy_from(policy, None, start, impact, inventory=inv),
        include_retained=True,
    )
    left_out = ~every["planned"]
    frame = (every if everything else every[~left_out]).reset_index()[
        ["rank", "id", "name", "disposition", "priority", "risk", "impact", "cost"]
    ]
    write_frame(frame.round(1), output, "Replacement order", limit)
    if output == "table" and not everything and left_out.any():
        ranks = every.loc[left_out, "rank"]
        console().print(
            plain(
                f"Ranks count every system: {plural(len(ranks), 'system')} kept or already "
                f"retired (rank {', '.join(str(r) for r in ranks.head(8))}"
                f"{', ...' if len(ranks) > 8 else ''}) not listed; --all lists them"
            ),
            soft_wrap=True,
        )


@command("plan")
def plan_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    output: FormatOption = "table",
    limit: LimitOption = 40,
) -> None:
    """Schedule the replacements under budgets, team capacity and freezes; show the roadmap."""
    result = make_plan(inventory, db, policy, budget, start, impact, mapping)
    schedule = result.schedule.reset_index()[
        ["id", "wave", "start", "go_live", "months", "cost_gbp", "critical", "slack_months", "rank"]
    ]
    if output != "table":
        write_frame(schedule, output, "Roadmap", limit)
        return
    shown = schedule.copy()
    shown["start"] = shown["start"].dt.strftime("%b %Y")
    shown["go_live"] = shown["go_live"].dt.strftime("%b %Y")
    shown["cost_gbp"] = shown["cost_gbp"].map(lambda v: f"£{v:,.0f}")
    write_frame(shown, output, repr(result), limit)
    spend = result.spend_by_fy[
        ["capital_budget_gbp", "capital_gbp", "revenue_budget_gbp", "revenue_gbp"]
    ].reset_index()
    for column in spend.columns[1:]:
        spend[column] = spend[column].map(lambda v: "no limit" if v != v else f"£{v / 1e6:,.2f}m")
    spend.columns = ["financial year", "capital budget", "capital", "revenue budget", "revenue"]
    console().print(frame_table(spend, title="Spend per financial year"))
    console().print(result.headline, markup=False, soft_wrap=True)
    print_warnings(result)


@command("explain")
def explain_command(
    system: Annotated[str, typer.Argument(help="System id.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
) -> None:
    """Why a system ranks where it does, factor by factor, and when it is planned."""
    from planner.api import explain

    why = explain(make_plan(inventory, db, policy, budget, start, mapping=mapping), system)
    out = console()
    out.print(frame_table(why.factors, title=f"{why.system}: {why.name}"))
    for number, line in enumerate(why.timing):  # what follows the first line explains it
        out.print(plain(("  " if number else "") + line), soft_wrap=True)


@command("gantt")
def gantt_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", parser=out_path, metavar="<path>", help="PNG, SVG or PDF file."
        ),
    ] = Path("roadmap.png"),
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="category, wave or organisation.")
    ] = None,
    colour_by: Annotated[
        str, typer.Option("--colour-by", help="domain, category or wave.")
    ] = "domain",
) -> None:
    """Draw the roadmap as a Gantt chart with spend per year and the risk burn-down."""
    draw = charts()
    result = make_plan(inventory, db, policy, budget, start, mapping=mapping)
    figure = draw.roadmap_figure(result, colour_by=colour_by, group_by=group_by)
    draw.save(figure, out, tight=False)
    wrote(out)
    console().print(plain(f"Wrote {out}"))
    _small_png_note(draw, figure, out)


def _small_png_note(draw, figure, out: Path) -> None:
    """Say so when a PNG was drawn at a lower dpi than asked (too many pixels otherwise)."""
    dpi = draw.png_dpi(figure)
    if out.suffix.lower() == ".png" and dpi < 150:
        console().print(
            plain(
                f"Drawn at {dpi} dpi rather than 150 to keep the PNG under "
                f"{draw.MAX_PNG_PIXELS / 1e6:,.0f} million pixels: the names may be too small "
                "to read; an SVG or PDF (-o roadmap.svg) or --group-by keeps them legible."
            )
        )


@command("chart")
def chart_command(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(CHARTS)}.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", parser=out_path, metavar="<path>", help="PNG, SVG or PDF file."
        ),
    ] = None,
    system: Annotated[
        list[str] | None, typer.Option("--system", help="dependencies: centre on these ids.")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", help="dependencies: every system in a category (repeatable)."),
    ] = None,
    depth: Annotated[int, typer.Option(help="dependencies: hops from the centre.")] = 1,
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="gantt: category, wave or organisation.")
    ] = None,
) -> None:
    """Draw one chart to PNG, SVG or PDF."""
    import pandas as pd

    from inventory.graph import neighbourhood
    from inventory.names import system_ids

    if kind not in CHARTS:
        raise UsageError(f"chart '{kind}' is not one of: {', '.join(CHARTS)}")
    draw = charts()
    out = out or Path(f"{kind}.png")
    if kind == "dependencies":
        inv = load_inventory(inventory, db, mapping)
        if category:
            figure = draw.plot_category_map(inv, category, depth=depth)
        elif system:
            keys = system_ids(inv.systems, system)
            figure = draw.plot_dependency_map(neighbourhood(inv.graph(), keys, depth), keys)
        else:
            raise UsageError("the dependencies chart needs --system ID or --category NAME")
    else:
        result = make_plan(inventory, db, policy, budget, start, mapping=mapping)
        figure = {
            "portfolio": lambda: draw.plot_portfolio(result.scored),
            "end-of-support": lambda: draw.plot_end_of_support(
                result.inventory.systems,
                result.scores,
                plan_start=result.start,
                today=pd.Timestamp.today().normalize(),
            ),
            "spend": lambda: draw.plot_spend(result),
            "burndown": lambda: draw.plot_burndown(result),
            "gantt": lambda: draw.plot_gantt(result, group_by=group_by),
            "roadmap": lambda: draw.roadmap_figure(result, group_by=group_by),
        }[kind]()
    draw.save(figure, out, tight=kind not in ("gantt", "roadmap"))
    wrote(out)
    console().print(plain(f"Wrote {out}"))
    _small_png_note(draw, figure, out)


#: The export format each file name suffix means (a name without one is a folder of CSVs).
EXPORT_SUFFIXES = {
    ".xlsx": "xlsx",
    ".json": "json",
    ".xml": "mspdi",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "markdown",
}


def export_format(out: Path, given: str | None) -> str:
    """The export format: ``given`` (--format), else the one ``out``'s suffix names.

    >>> export_format(Path("roadmap.xlsx"), None), export_format(Path("tables"), None)
    ('xlsx', 'csv')
    >>> export_format(Path("plan.xml"), "mspdi")
    'mspdi'
    """
    from planner.export import FORMATS

    if given is not None:
        if given not in FORMATS:
            raise UsageError(f"--format '{given}' is not one of: {', '.join(FORMATS)}")
        return given
    suffix = out.suffix.lower()
    if not suffix:
        return "csv"
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(
            f"cannot tell the format of '{out.name}' from its suffix",
            hint=f"name a {', '.join(EXPORT_SUFFIXES)} file or a folder, or give --format",
        )
    return EXPORT_SUFFIXES[suffix]


@command("export")
def export_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            parser=out_path,
            metavar="<path>",
            help="File (or folder for csv) to write.",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, xlsx, json, mspdi, mermaid or markdown (default: from the name: a folder "
            "for csv, or a .xlsx, .json, .xml, .mmd or .md file).",
        ),
    ] = None,
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation's part (ODS).")
    ] = None,
) -> None:
    """Export the roadmap in one format, chosen by --format or by the file's suffix."""
    chosen = export_format(out, output)
    charts()
    from planner import export

    writers = {
        "csv": export.write_csv,
        "xlsx": export.write_xlsx,
        "json": export.write_json,
        "mspdi": export.write_mspdi,
        "mermaid": export.write_mermaid,
        "markdown": export.write_markdown,
    }
    result = make_plan(inventory, db, policy, budget, start, mapping=mapping)
    if organisation:
        result = result.for_organisation(organisation)
    written = writers[chosen](result, out)
    paths = written if isinstance(written, list) else [written]
    wrote(*paths)
    console().print(plain(f"Wrote {', '.join(str(p) for p in paths)}"))


TitleOption = Annotated[str, typer.Option(help="Title for the charts and documents.")]
OrganisationOption = Annotated[
    str | None,
    typer.Option(help="The organisation's name for the report's cover (default: its ODS codes)."),
]


def _unnamed_cover_note(result: PlanResult, organisation: str | None) -> None:
    """A board paper whose cover names nobody: say how to name the organisation."""
    if organisation is None and not result.inventory.systems["organisation"].notna().any():
        console().print(
            plain(
                "The cover names no organisation (the register gives no ODS codes): give "
                "--organisation 'Name of the trust'"
            ),
            soft_wrap=True,
        )


def _manifest_inputs(*paths: Path | None) -> list[Path]:
    """The files a plan was read from, for the run manifest."""
    return [path for path in paths if path is not None]


@command("roadmap")
def roadmap_command(
    inventory: InventoryArgument = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            parser=out_path,
            metavar="<path>",
            help="Folder to write everything into.",
        ),
    ] = Path("roadmap"),
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    title: TitleOption = "Legacy replacement roadmap",
    organisation: OrganisationOption = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Write report.pdf as well.")] = False,
    impact: ImpactOption = None,
    mapping: MappingOption = None,
    chart_format: Annotated[
        list[str] | None,
        typer.Option(
            "--charts",
            metavar="<format>",
            help="Chart files: png (the default), svg, pdf; repeatable or comma-separated.",
        ),
    ] = None,
) -> None:
    """One shot: inventory in, everything a CIO hands on out: the board pack (report.html),
    the run manifest (manifest.json), the unsupported-systems register (CSV, XLSX), charts,
    workbook, MS Project, Mermaid, CSV and a Markdown summary."""
    charts()
    from inventory.errors import InvalidArgumentError
    from planner.export.bundle import chart_formats
    from planner.report import store_batch, write_board_pack

    try:  # before the plan: a misspelt format costs no minutes
        formats = chart_formats(chart_format or ["png"])
    except InvalidArgumentError as error:
        raise UsageError(
            error.message, hint="modernise roadmap INVENTORY --charts png,svg"
        ) from None
    result = make_plan(inventory, db, policy, budget, start, impact, mapping)
    written = write_board_pack(
        result,
        out,
        title=title,
        pdf=pdf,
        charts=formats,
        report_options={
            "organisation": organisation,
            "inputs": _manifest_inputs(inventory, policy, mapping),
            "store": store_batch(db) if inventory is None else None,
        },
    )
    wrote(out)
    summary = result.summary()
    console().print(plain(repr(result)))
    console().print(
        f"Risk {summary['risk now']:,.0f} -> {summary['risk at end']:,.0f}; "
        f"{plural(summary['not scheduled'], 'project')} not scheduled; "
        f"{plural(summary['warnings'], 'warning')}."
    )
    console().print(plain(f"Wrote {len(written)} files to {out}/ (start with {out}/report.html)"))
    _unnamed_cover_note(result, organisation)


@command("report")
def report_command(
    inventory: InventoryArgument = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The report: .html (one page) or .pdf.")
    ] = Path("report.html"),
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    impact: ImpactOption = None,
    title: TitleOption = "Legacy replacement roadmap",
    organisation: OrganisationOption = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario", help="A policy file to add to the options appraisal (repeatable)."
        ),
    ] = None,
    runs: Annotated[int | None, typer.Option(help="Monte Carlo runs (policy: 1000).")] = None,
    levers: Annotated[
        bool,
        typer.Option(
            help="What each lever buys: a person more in each team, more capital each year, "
            "each freeze lifted, contracts ended early (as 'modernise levers')."
        ),
    ] = True,
) -> None:
    """The board pack: one self-contained HTML page (or PDF) with the executive
    summary (what is not scheduled first), roadmap, money, risks, what holds the
    programme back, levers, approvals, clinical safety, assumptions and annexes."""
    charts()
    from planner.api import resolve_policy
    from planner.report import build_report, store_batch

    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UsageError(
            f"-o '{out}' is not a .html or .pdf file", hint="modernise report -o report.html"
        )
    result = make_plan(inventory, db, policy, budget, start, impact, mapping)
    scenarios = {path.stem: resolve_policy(path) for path in scenario or []}
    report = build_report(
        result,
        title=title,
        organisation=organisation,
        scenarios=scenarios,
        runs=runs,
        levers=levers,
        inputs=_manifest_inputs(inventory, policy, mapping, *(scenario or [])),
        store=store_batch(db) if inventory is None else None,
    )
    report.write(out)
    wrote(out)
    console().print(plain(repr(report)))
    console().print(plain(f"Wrote {out}"))
    _unnamed_cover_note(result, organisation)
