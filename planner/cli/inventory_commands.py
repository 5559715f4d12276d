"""Commands on the inventory: samples, validate, import, history, undo, systems, show, graph,
synth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from inventory.wording import plural
from planner.cli.base import (
    DEFAULT_DB,
    DbOption,
    FormatOption,
    InventoryArgument,
    LimitOption,
    MappingOption,
    UsageError,
    blank,
    busy_timeout,
    cell_text,
    charts,
    command,
    console,
    error_line,
    frame_table,
    load_inventory,
    map_hint,
    out_path,
    plain,
    print_report,
    split_inventory,
    store,
    write_frame,
    wrote,
)

__all__: list[str] = []


@command("init")
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create an empty inventory store."""
    existed = db.exists()
    with store(db) as opened:
        version = opened.version
    verb = "Opened existing" if existed else "Created"
    if not existed:
        wrote(db)
    console().print(plain(f"{verb} {db} (schema version {version})"))


@command("sample")
def sample_command(
    out: Annotated[Path, typer.Argument(help="A new folder to copy the sample into.")],
    name: Annotated[
        str, typer.Option("--name", help="sample-trust (252 systems) or five-systems.")
    ] = "sample-trust",
) -> None:
    """Copy a bundled sample inventory, with the default policy, to start from."""
    from inventory.resources import copy_sample

    written = copy_sample(name, out)
    wrote(*written)
    console().print(plain(f"Wrote {len(written)} files to {out}/"))


@command("map")
def map_command(
    path: Annotated[
        Path, typer.Argument(help="Register: an .xlsx workbook, a CSV file or a folder of CSVs.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            parser=out_path,
            metavar="<path>",
            help="Where to write the proposed mapping (YAML).",
        ),
    ] = Path("mapping.yaml"),
) -> None:
    """Propose how a register kept in its own layout maps to the inventory's fields: a
    mapping file to review, with a confidence for each field and the columns not used."""
    from inventory import propose_mapping
    from inventory.output import atomic_file

    if out.exists():
        raise UsageError(
            f"{out} already exists; a proposal never overwrites a mapping you may have edited",
            hint="choose another name with -o, or delete the old one",
        )
    mapping = propose_mapping(path)
    frame = mapping.to_frame()
    frame["confidence"] = frame["confidence"].map(lambda c: "" if c != c else f"{c:.2f}")
    with atomic_file(out) as temporary:
        temporary.write_text(mapping.to_yaml(), encoding="utf-8")
    wrote(out)
    console().print(frame_table(frame.fillna(""), title=f"Proposed mapping for {path}"))
    console().print(
        plain(
            f"Wrote {out}. Review it (a line or two usually), then: modernise validate {path} "
            f"--mapping {out}"
        ),
        soft_wrap=True,
    )


@command("validate")
def validate_command(
    path: Annotated[Path, typer.Argument(help="Inventory folder of CSVs, .xlsx, .json or .yaml.")],
    show_all: Annotated[bool, typer.Option("--all", help="List every issue.")] = False,
    mapping: MappingOption = None,
) -> None:
    """Check an inventory file and list every problem; exit 1 if there are errors."""
    from inventory import read_inventory

    inventory, report = read_inventory(path, mapping=mapping)
    if report.issues:
        print_report(report, limit=len(report.issues) if show_all else 200)
    if not report.valid:
        count = len(report.errors)
        in_mapping = mapping is not None and {i.source for i in report.errors} == {mapping.name}
        where = f"the mapping {mapping}" if in_mapping else str(path)
        error_line(f"{where} has {plural(count, 'error')}; fix them and run validate again")
        _suggest_mapping(report, path, mapping)
        raise typer.Exit(1)
    console().print(
        plain(
            f"{path} is valid: {len(inventory.systems):,} systems, "
            f"{len(inventory.dependencies):,} dependencies"
            + (f", {plural(len(report.warnings), 'warning')}" if report.warnings else "")
        )
    )


def _suggest_mapping(report, path: Path, mapping: Path | None) -> None:
    """A register kept in its own layout lacks the standard columns: point to 'map'."""
    if mapping is None and report.lacks_required_columns:
        console(stderr=True).print(plain(f"  {map_hint(path)}"), soft_wrap=True)


@command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="Inventory folder of CSVs, .xlsx, .json or .yaml.")],
    db: DbOption = DEFAULT_DB,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Also remove systems absent from the file (audited)."),
    ] = False,
    mapping: MappingOption = None,
) -> None:
    """Validate and import an inventory in one transaction (all rows or none)."""
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    from inventory import import_inventory

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

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
            busy_timeout=busy_timeout(),
            mapping=mapping,
        )
    if report.issues:
        print_report(report)
    if result is None:
        count = len(report.errors)
        error_line(f"{path} has {plural(count, 'error')}; nothing was imported")
        _suggest_mapping(report, path, mapping)
        raise typer.Exit(1)
    wrote(db)
    console().print(plain(f"Imported {path} into {db}: {result}"))


@command("history")
def history_command(db: DbOption = DEFAULT_DB, output: FormatOption = "table") -> None:
    """List every import batch: when, from which files, what it changed, and the column
    mapping it was read with."""
    import pandas as pd

    with store(db, create=False) as opened:
        batches = opened.history().reset_index()
    if batches.empty and output == "table":
        console().print(plain(f"{db} has no imports yet"))
        return
    batches["undoes"] = batches["undoes"].map(lambda v: "" if pd.isna(v) else f"batch {int(v)}")
    batches["sha256"] = batches["sha256"].fillna("").str[:12]
    batches["mapping_sha256"] = batches["mapping_sha256"].fillna("").str[:12]
    shown = batches.rename(
        columns={
            "systems_added": "sys +",
            "systems_changed": "sys ~",
            "systems_removed": "sys -",
            "dependencies_added": "dep +",
            "dependencies_changed": "dep ~",
            "dependencies_removed": "dep -",
            "mapping_sha256": "mapping",
        }
    )
    write_frame(shown, output, f"Import history of {db}", 0)


@command("undo")
def undo_command(
    batch: Annotated[int, typer.Argument(help="Batch number (see 'modernise history').")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Restore the store to how it was before a batch (the undo is audited as a batch too)."""
    with store(db, create=False, read_only=False) as opened:
        result = opened.undo(batch)
    wrote(db)
    console().print(plain(f"Undid batch {batch} and every later one: {result}"))


@command("systems")
def systems_command(
    inventory: InventoryArgument = None,
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
    limit: LimitOption = 50,
    output: FormatOption = "table",
) -> None:
    """List systems, filtered; --format csv or json writes every column."""
    from inventory.select import select_systems

    systems = _inventory(inventory, db).systems
    chosen = select_systems(
        systems,
        category=category,
        organisation=organisation,
        criticality=criticality,
        disposition=disposition,
        status=status,
        hosting=hosting,
        platform=platform,
        unsupported_by=unsupported_by,
    )
    if output != "table":  # data for another program: every column
        write_frame(chosen.reset_index(), output, "systems", 0)
        return
    shown = chosen.reset_index()[
        ["id", "name", "category", "criticality", "platform", "end_of_support", "disposition"]
    ]
    shown["end_of_support"] = shown["end_of_support"].dt.strftime("%Y-%m-%d")
    write_frame(shown, output, plural(len(shown), "system"), limit)


def _inventory(path: Path | None, db: Path):
    """The inventory in a file or folder, or (without one) in the store at ``db``."""
    if path is not None:
        return load_inventory(path, db)
    with store(db, create=False) as opened:
        return opened.load()


@command("show")
def show_command(
    system: Annotated[str, typer.Argument(help="System id.")],
    inventory: InventoryArgument = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one system: its details, what it depends on, and what depends on it."""
    import pandas as pd

    from inventory.graph import downstream
    from inventory.names import system_ids

    loaded = _inventory(inventory, db)
    (key,) = system_ids(loaded.systems, [system], where=f"in {inventory or db}")
    row = loaded.systems.loc[key]
    out = console()
    details = Table(show_header=False, title=plain(f"{key}: {row['name']}"))
    details.add_column("field", style="bold")
    details.add_column("value", overflow="fold")
    for field, value in row.items():
        if blank(value):
            continue
        if isinstance(value, pd.Timestamp):
            value = value.strftime("%Y-%m-%d")
        details.add_row(plain(field), plain(cell_text(value)))
    out.print(details)
    deps = loaded.dependencies
    for title, frame, other in (
        ("depends on", deps[deps["consumer"] == key], "provider"),
        ("depended on by", deps[deps["provider"] == key], "consumer"),
    ):
        shown = frame[[other, "kind", "criticality", "messages", "route"]].copy()
        shown["messages"] = shown["messages"].map("; ".join)
        out.print(frame_table(shown, title=f"{title} ({len(shown)})"))
    reach = downstream(loaded.graph(), key)
    out.print(
        plain(f"Downstream impact: {len(reach):,} systems depend on {key} directly or indirectly.")
    )


@command("graph")
def graph_command(
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="SYSTEM... [INVENTORY]",
            help="Ids of the systems at the centre, then the inventory folder, .xlsx, .json or "
            ".yaml (without it the store, --db, is used).",
        ),
    ],
    db: DbOption = DEFAULT_DB,
    mapping: MappingOption = None,
    depth: Annotated[int, typer.Option(help="Hops to include in each direction.")] = 1,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", parser=out_path, metavar="<path>", help="PNG, SVG or PDF file to write."
        ),
    ] = Path("dependencies.png"),
) -> None:
    """Draw the dependency neighbourhood of systems to PNG, SVG or PDF."""
    from inventory.graph import neighbourhood
    from inventory.names import system_ids

    path, systems = split_inventory(arguments)
    inventory = load_inventory(path, db, mapping)
    draw = charts()
    G = inventory.graph()
    keys = system_ids(inventory.systems, systems, where=f"in {path if path is not None else db}")
    sub = neighbourhood(G, keys, depth=depth)
    draw.save(draw.plot_dependency_map(sub, keys), out)
    wrote(out)
    console().print(
        plain(
            f"Wrote {out} ({plural(sub.number_of_nodes(), 'system')}, "
            f"{plural(sub.number_of_edges(), 'link')})"
        )
    )


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
    from inventory.synthetic import national, sample_trust
    from inventory.write import write_inventory

    if national_mode or systems:
        inventory = national(systems or 100_000, seed=seed)
    else:
        inventory = sample_trust(seed)
    written = write_inventory(inventory, out)
    wrote(*written)
    console().print(plain(f"Wrote {inventory!r} to {', '.join(str(p) for p in written)}"))
