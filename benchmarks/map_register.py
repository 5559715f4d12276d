"""Proposing a column mapping for a large register, then reading the register with it.

Usage: python benchmarks/map_register.py [100000 ...]

For each size, a register in a trust's own layout is written as CSV (a title and an export
line above the header, a section heading every 40 rows, own headers, year-only and
month-year dates, money with periods and remarks, month ranges, tiers, cloud providers,
free-text decisions naming the system that replaces each one), and an interface catalogue of
one flow per system, routed through an engine. Then, timed:

1. ``propose_mapping(folder)``: read every table as kept, classify them, guess each field
   from headers and sampled values, propose value maps and decision rules;
2. ``read_inventory(folder, mapping=...)``: read, apply the mapping (ids from names, names
   resolved to ids, the catalogue turned into links) and validate, with every assumed value
   reported as a warning on its cell.

These are measurements to read, not tests: nothing here asserts a time (the aim for
proposing at 100,000 rows is under 10 seconds).
"""

from __future__ import annotations

import csv
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "System", "Supplier", "Server OS", "Database", "Go live", "Support ends", "Contract end",
    "Clinical criticality", "Hosting", "Annual cost", "Replacement estimate", "Timescale",
    "Decision", "Owner", "Comments",
]  # fmt: skip
SECTIONS = ("CLINICAL", "DIAGNOSTICS", "MEDICINES", "CORPORATE", "INFRASTRUCTURE")
OS = ("Windows Server 2008 R2", "Windows Server 2012 R2", "Windows Server 2016", "RHEL 7", "")
DB = ("SQL Server 2008", "SQL Server 2016", "Oracle 11g", "Cache 2010", "")
DATES = ("2011", "2004", "Mar 2015", "03/2017", "1998", "2019", "12/06/2009")
MONEY = ("£45k pa", "£45k p.a.", "£150k (staff+licences)", "45,000 per annum", "£2k pm", "")
COST = ("£1.2m", "£3m-£5m", "£250k", "TBC")
MONTHS = ("9-12 months", "1-2 years", "18 months", "6")
TIERS = ("Tier 1", "Tier 2", "Tier 3", "Tier 4")
HOSTING = ("On-site", "Azure", "AWS", "Supplier hosted", "SaaS")


def write_register(folder: Path, rows: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"System {i:06d}" for i in range(rows)]
    pad = [""] * (len(HEADER) - 1)
    with (folder / "register.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["National application register", *pad])
        writer.writerow(["Exported 01/05/2024", *pad])
        writer.writerow(HEADER)
        for i, name in enumerate(names):
            if i % 40 == 0:
                writer.writerow([SECTIONS[(i // 40) % len(SECTIONS)], *pad])
            decision = rng.choice(
                (f"Replace with {names[rng.randrange(rows)]} (FBC 2027)", "Keep", "Retire")
            )
            writer.writerow(
                [
                    name,
                    f"Supplier {rng.randrange(300)}",
                    rng.choice(OS),
                    rng.choice(DB),
                    rng.choice(DATES),
                    rng.choice(DATES),
                    rng.choice(("2026/27", "Mar 2027", "31/03/2028", "")),
                    rng.choice(TIERS),
                    rng.choice(HOSTING),
                    rng.choice(MONEY),
                    rng.choice(COST),
                    rng.choice(MONTHS),
                    decision,
                    f"Owner {rng.randrange(50)}",
                    "",
                ]
            )
    engine = names[0]
    with (folder / "interfaces.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Source system", "Target system", "Message type", "Route", "Direction"])
        for i in range(1, rows):
            other = rng.randrange(1, rows - 1)
            writer.writerow(
                [
                    names[i],
                    names[other + (other >= i)],  # any system but the sender
                    rng.choice(("ADT^A01/A08", "ORM^O01; ORU^R01", "MDM^T02")),
                    rng.choice((f"via {engine}", "direct")),
                    rng.choice(("->", "<->")),
                ]
            )
    return folder


def main(sizes: list[int]) -> None:
    from inventory import propose_mapping, read_inventory

    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{'rows':>9} {'propose s':>10} {'read+apply+validate s':>22} {'errors':>7} "
          f"{'warnings':>9} {'links':>8}")  # fmt: skip
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_register(Path(tmp) / "register", size)
            start = time.perf_counter()
            mapping = propose_mapping(folder)
            proposed = time.perf_counter() - start
            start = time.perf_counter()
            inventory, report = read_inventory(folder, mapping=mapping)
            read = time.perf_counter() - start
            print(
                f"{size:>9,} {proposed:>10.2f} {read:>22.2f} {len(report.errors):>7,} "
                f"{len(report.warnings):>9,} {len(inventory.dependencies):>8,}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000])
