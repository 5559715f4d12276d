"""Commands that discover interfaces from traffic: ``modernise discover hl7`` and ``discover
diff`` (see ``docs/discovery.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.base import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    LimitOption,
    app,
    command,
    console,
    load_inventory,
    print_report,
    write_frame,
)

__all__ = ["discover"]

discover = typer.Typer(
    help="Discover interfaces from what systems send: HL7 v2 message logs and captures.",
    no_args_is_help=True,
)
app.add_typer(discover, name="discover")


@command("hl7", group=discover)
def hl7_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Message logs, captures or folders (read recursively).")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The interfaces found, as a catalogue (CSV).")
    ] = Path("interfaces.csv"),
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases",
            help="Application names and the inventory ids they match (CSV, kept as reviewed).",
        ),
    ] = None,
    inventory: Annotated[
        Path | None,
        typer.Option("--inventory", "-i", help="Inventory to match names to (default: --db)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    days: Annotated[
        float | None, typer.Option(help="Days the capture covers (default: first to last).")
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List every problem read.")] = False,
) -> None:
    """Read HL7 v2 traffic and write the interfaces it shows: sender, receiver, message
    types, volume per day, first and last seen; with --aliases, the application names to
    review against the inventory's ids."""
    from inventory.discover import (
        application_aliases,
        discover_interfaces,
        read_aliases,
        read_messages,
        write_interfaces,
    )

    messages, report = read_messages(paths)
    if report.issues:
        print_report(report, limit=len(report.issues) if show_all else 200)
    edges = discover_interfaces(messages, days=days)
    write_interfaces(edges, out)
    out_console = console()
    out_console.print(
        f"Wrote {len(edges):,} interfaces from {len(messages):,} messages to {out}"
        + (f"; {len(report.errors):,} could not be read" if report.errors else ""),
        markup=False,
    )
    if aliases is not None:
        stored = inventory is not None or db.exists()
        systems = load_inventory(inventory, db).systems if stored else None
        reviewed = read_aliases(aliases) if aliases.exists() else None
        table = application_aliases(edges, systems, reviewed=reviewed)
        write_interfaces(table, aliases)
        ids = table["inventory_id"]
        matched = int((ids.notna() & (ids.astype("string").str.strip() != "")).sum())
        out_console.print(
            f"Wrote {aliases}: {len(table):,} applications, {matched:,} with an inventory id; "
            "review the inventory_id column",
            markup=False,
        )
    if not report.valid:
        raise typer.Exit(1)


@command("diff", group=discover)
def diff_command(
    interfaces: Annotated[Path, typer.Argument(help="Interfaces found (from 'discover hl7').")],
    inventory: Annotated[
        Path | None,
        typer.Argument(help="Inventory file or folder; without it the store (--db) is used."),
    ] = None,
    aliases: Annotated[
        Path, typer.Option("--aliases", help="The reviewed application names (CSV).")
    ] = Path("aliases.csv"),
    db: DbOption = DEFAULT_DB,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write every finding (CSV).")
    ] = None,
    output: FormatOption = "table",
    limit: LimitOption = 40,
) -> None:
    """Compare the interfaces seen in traffic with the declared dependencies: seen but not
    declared, declared but never seen, and message types that differ."""
    from inventory.discover import (
        alias_mapping,
        diff_interfaces,
        read_aliases,
        read_interfaces,
        write_interfaces,
    )

    edges = read_interfaces(interfaces)
    declared = load_inventory(inventory, db)
    names = read_aliases(aliases)
    unknown = sorted(set(alias_mapping(names).values()) - set(declared.systems.index))
    if unknown:
        console(stderr=True).print(
            f"warning: {aliases} names ids the inventory does not have: {', '.join(unknown)}",
            markup=False,
        )
    diff = diff_interfaces(edges, declared.dependencies, names)
    if out is not None:
        write_interfaces(diff, out)
        console(stderr=output != "table").print(f"Wrote {out}", markup=False)
    counts = diff["finding"].value_counts()
    if output == "table":
        console().print(
            "; ".join(f"{finding}: {count:,}" for finding, count in counts.items())
            or "traffic and declared dependencies agree",
            markup=False,
        )
    shown = (
        diff[["finding", "provider", "consumer", "seen_not_declared", "declared_not_seen"]]
        if output == "table"
        else diff
    )
    write_frame(shown, output, "Interfaces: seen against declared", limit)
