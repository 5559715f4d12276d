"""Commands that question a plan: forecast, levers, stability, compare, impact."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.base import (
    DEFAULT_DB,
    BudgetOption,
    DbOption,
    FormatOption,
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
    months_text,
    out_path,
    plain,
    policy_from,
    split_inventory,
    write_frame,
    wrote,
)

__all__: list[str] = []


@command("forecast")
def forecast_command(
    inventory: Annotated[
        Path | None,
        typer.Argument(
            help="Inventory folder, .xlsx, .json or .yaml; without it the store (--db) is used.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
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
        Path | None,
        typer.Option(
            "--out",
            "-o",
            parser=out_path,
            metavar="<path>",
            help="Folder for the CSV tables and charts.",
        ),
    ] = None,
    limit: LimitOption = 15,
) -> None:
    """How sure is the roadmap? P50 / P80 / P95 go-live per system and for the programme,
    spend per year and the odds of beating each end-of-support date (Monte Carlo)."""
    from planner.api import forecast, plan
    from planner.montecarlo import LABELS

    inv = load_inventory(inventory, db, mapping)
    settings = policy_from(
        policy,
        budget,
        start,
        inventory=inv,
        uncertainty__distribution=distribution,
        uncertainty__budget=budget_mode,
    )
    result = plan(inv, settings)
    outlook = forecast(result, runs=runs, seed=seed)
    out_console = console()
    out_console.print(plain(repr(outlook)))
    programme = months_text(outlook.programme.rename(columns=LABELS).rename_axis("").reset_index())
    out_console.print(frame_table(programme, title="Programme completion"))
    systems = outlook.systems.rename(columns=LABELS)
    deadlines = systems.dropna(subset=["P(live by end of support)"])
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
        write_frame(months_text(table), "table", "End-of-support deadlines still ahead", limit)
    slips = systems.assign(
        slip=(systems["P80 go-live"] - systems["planned go-live"]).dt.days / 30.44
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
    write_frame(months_text(slips), "table", "Most at risk of slipping (P80 against plan)", limit)
    spend = outlook.spend_by_fy.rename(columns=LABELS).reset_index()
    for column in [c for c in spend.columns if c.endswith("_gbp")]:
        spend[column] = spend[column].map(lambda v: "" if v != v else f"£{v / 1e6:,.2f}m")
    out_console.print(frame_table(spend, title="Spend per financial year across the runs"))
    if out is not None:
        charts()
        from planner.export import write_forecast

        written = write_forecast(outlook, out)
        wrote(out)
        out_console.print(plain(f"Wrote {len(written)} files to {out}/"))


@command("levers")
def levers_command(
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: PolicyOption = None,
    budget: BudgetOption = None,
    start: StartOption = None,
    fte: Annotated[
        float, typer.Option(help="People (FTE) added to each team, one lever per team.")
    ] = 1.0,
    capital_uplift: Annotated[
        float,
        typer.Option(
            "--capital-uplift", help="Capital added to each year, as a share (0.1 = 10%)."
        ),
    ] = 0.1,
    output: FormatOption = "table",
    limit: LimitOption = 30,
) -> None:
    """What would it take to go faster? For one more person in each team, more capital in
    each year, each change freeze lifted and each contract that holds a project back: the
    programme's new end and the change in risk exposure, ranked."""
    from planner.api import levers

    result = make_plan(inventory, db, policy, budget, start, mapping=mapping)
    found = levers(result, fte=fte, capital_uplift=capital_uplift)
    table = found.table.reset_index()
    if output != "table":
        write_frame(table, output, "Levers", limit)
        return
    shown = table[["rank", "lever", "change", "programme_end", "months_sooner"]].copy()
    shown["programme_end"] = table["programme_end"].dt.strftime("%b %Y").fillna("nothing scheduled")
    shown["months_sooner"] = table["months_sooner"].map(lambda v: f"{v:+d}" if v else "0")
    shown["risk exposure"] = table["risk_exposure_change"].map(
        lambda v: f"{v:+,.0f}" if round(v) else "0"
    )
    if table[["newly_scheduled", "newly_unscheduled"]].to_numpy().any():
        shown["projects"] = [
            _projects(int(gained), int(lost))
            for gained, lost in zip(
                table["newly_scheduled"], table["newly_unscheduled"], strict=True
            )
        ]
    console().print(found.summary(), markup=False, soft_wrap=True)
    write_frame(
        shown.rename(columns={"programme_end": "programme end", "months_sooner": "months sooner"}),
        "table",
        "Levers, most risk exposure cut first (risk-months; negative is better)",
        limit,
    )


def _projects(gained: int, lost: int) -> str:
    """Projects a lever schedules or leaves out, in words ('' for none)."""
    parts = [f"+{gained} scheduled"] if gained else []
    return ", ".join(parts + ([f"{lost} left out"] if lost else []))


@command("stability")
def stability_command(
    inventory: Annotated[
        Path | None,
        typer.Argument(
            help="Inventory folder, .xlsx, .json or .yaml; without it the store (--db) is used.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
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
        Path | None,
        typer.Option(
            "--chart",
            parser=out_path,
            metavar="<path>",
            help="Also draw the rank ranges (PNG/SVG/PDF).",
        ),
    ] = None,
) -> None:
    """How much the ranking depends on the priority weights: rank range, how often each
    system is in the top N, the fragile ones and the weight that moves each."""
    from planner.api import rank_stability

    inv = load_inventory(inventory, db, mapping)
    stability = rank_stability(
        inv,
        policy_from(policy, None, start, inventory=inv),
        samples=samples,
        concentration=concentration,
        top=top,
        seed=seed,
    )
    from planner.stability import LABELS as STABILITY_LABELS

    table = stability.table.rename(columns=STABILITY_LABELS)
    if output != "table":
        write_frame(table.reset_index(), output, "Rank stability", limit)
    else:
        console().print(plain(stability.describe()))
        shown = table.reset_index()[
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
        ].copy()
        shown["P(top N)"] = shown["P(top N)"].map("{:.0%}".format)
        shown["fragile"] = shown["fragile"].map({True: "FRAGILE", False: ""})
        write_frame(shown, "table", "Rank stability", limit)
    if chart is not None:
        draw = charts()
        draw.save(draw.plot_rank_stability(stability, limit=limit or len(table)), chart)
        wrote(chart)
        console(stderr=output != "table").print(plain(f"Wrote {chart}"))


@command("compare")
def compare_command(
    inventory: Annotated[
        Path | None,
        typer.Argument(
            help="Inventory folder, .xlsx, .json or .yaml; without it the store (--db) is used.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy",
            help="A scenario's policy YAML (repeatable); the first is "
            "the baseline unless --base is given.",
        ),
    ] = None,
    base: Annotated[
        Path | None,
        typer.Option("--base", help="Baseline policy (default: the bundled policy.yaml)."),
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
        Path | None,
        typer.Option(
            "--chart",
            parser=out_path,
            metavar="<path>",
            help="Draw burn-downs and spend (PNG/SVG/PDF).",
        ),
    ] = None,
    changes: Annotated[
        Path | None,
        typer.Option(
            "--changes",
            parser=out_path,
            metavar="<path>",
            help="Write every system that moves (CSV).",
        ),
    ] = None,
) -> None:
    """Plan the inventory under two or more policies or budgets and compare them: end
    dates, cost, spend per year, risk exposure and the systems that change wave."""
    from planner.api import compare
    from planner.scenarios import labelled, scenario_set

    scenarios, baseline = scenario_set(policy or [], base=base, budget_scales=budget_scale or [])
    inv = load_inventory(inventory, db, mapping)
    comparison = compare(inv, scenarios, policy_from(baseline, inventory=inv))
    table = labelled(comparison.table, comparison.baseline).reset_index()
    if output != "table":
        write_frame(table, output, "Scenarios", limit)
    else:
        shown = months_text(table)
        shown["cost (GBP)"] = shown["cost (GBP)"].map(lambda v: f"£{v / 1e6:,.1f}m")
        for column in ("risk now", "risk at end", "risk exposure (risk-months)"):
            shown[column] = shown[column].map(lambda v: f"{v:,.0f}")
        shown["exposure vs baseline"] = shown["exposure vs baseline"].map("{:+.1%}".format)
        console().print(
            frame_table(
                shown.set_index("scenario").T.reset_index().rename(columns={"index": ""}),
                title=repr(comparison),
            )
        )
        spend = comparison.spend.map(lambda v: f"£{v / 1e6:,.2f}m").reset_index()
        console().print(frame_table(spend, title="Spend per financial year"))
        moved = labelled(comparison.changes, comparison.baseline)
        if len(moved):
            write_frame(months_text(moved), "table", "Highest-priority systems that move", limit)
    if changes is not None:
        from inventory.spreadsheet import safe_csv

        safe_csv(labelled(comparison.changes, comparison.baseline), changes)
        wrote(changes)
        console(stderr=output != "table").print(plain(f"Wrote {changes}"))
    if chart is not None:
        draw = charts()
        draw.save(draw.plot_comparison(comparison), chart)
        wrote(chart)
        console(stderr=output != "table").print(plain(f"Wrote {chart}"))


@command("impact")
def impact_command(
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="SYSTEM... [INVENTORY]",
            help="Ids of the systems that are down, then the inventory folder, .xlsx, .json or "
            ".yaml (without it the store, --db, is used).",
        ),
    ],
    old_inventory: Annotated[
        Path | None,
        typer.Option(
            "--inventory",
            "-i",
            hidden=True,
            help="Deprecated: give the inventory after the system ids instead.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
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

    inventory, systems = split_inventory(arguments)
    if old_inventory is not None:
        if inventory is not None:
            raise UsageError(
                "the inventory is given twice (after the system ids and with -i)",
                hint="give it once, after the system ids",
            )
        inventory = old_inventory
        console(stderr=True).print(
            plain("Warning: -i/--inventory is deprecated; give the inventory after the system ids")
        )
    inv = load_inventory(inventory, db, mapping)
    if window:
        chosen = policy_from(policy, budget, start, inventory=inv)
        radius = blast_radius(plan(inv, chosen), systems, window=True)
    else:
        radius = blast_radius(inv, systems, policy_from(policy, None, start, inventory=inv))
    frame = radius.table.reset_index()
    if output != "table":
        write_frame(frame, output, "Blast radius", limit)
        return
    out = console()
    if radius.windows is not None:
        for _, row in radius.windows.iterrows():
            switching = row["switching to them"]
            out.print(
                f"Cut-over {row['go-live']:%b %Y}: {', '.join(row['cut over'])} go live"
                + (f"; {len(switching)} legacy systems switch over to them" if switching else "")
                + ".",
                markup=False,
                soft_wrap=True,
            )
    out.print(radius.summary() + ".", markup=False, soft_wrap=True)
    shown = frame[["id", "effect", "hops", "criticality", "patient_facing", "via", "path"]].copy()
    shown["patient_facing"] = shown["patient_facing"].map({True: "yes", False: ""})
    write_frame(shown, "table", "Blast radius", limit)
