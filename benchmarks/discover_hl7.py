"""Interface discovery from HL7 v2 logs at engine scale: messages read per second, peak memory.

Usage: python benchmarks/discover_hl7.py [MESSAGES] [--files N]

Writes a realistic trust log of MESSAGES messages (default 1,000,000) into a temporary folder:
a PAS sending ADT to the engine, the engine fanning ADT out to the LIMS, RIS, EPR, ED and a
subscriber-published feed with a blank MSH-5, order comms sending ORM through the engine and
ORU coming back from the LIMS and RIS, documents from the EDMS; segments ended by ``\\r`` in
half the files and MLLP-framed in the other half, spread over N daily files (default 10).
Then, in a fresh process so peak memory (RSS) is the reader's own, it times
:func:`inventory.discover.read_messages` and :func:`inventory.discover.discover_interfaces`
and prints messages per second for the two together, and the peak RSS.

This is a measurement to read, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from inventory.discover import discover_interfaces, read_messages

#: (sender, receiver, message types with weights): the channels of one trust's engine.
CHANNELS = [
    ("MERIDIAN_PAS", "ENSEMBLE", {"ADT^A01": 3, "ADT^A02": 2, "ADT^A03": 3, "ADT^A08": 10}),
    ("ENSEMBLE", "SENTINEL^LAB", {"ADT^A01": 3, "ADT^A08": 10, "ORM^O01": 6}),
    ("ENSEMBLE", "LUMEN_RIS", {"ADT^A01": 3, "ADT^A08": 10, "ORM^O01": 2}),
    ("ENSEMBLE", "HALCYON", {"ADT^A01": 3, "ADT^A08": 10, "ORU^R01": 12, "MDM^T02": 2}),
    ("ENSEMBLE", "ALDERMOOR_ED", {"ADT^A04": 2, "ADT^A08": 4}),
    ("ENSEMBLE", "", {"ADT^A08": 6, "ADT^A28": 1}),
    ("CLARION", "ENSEMBLE", {"ORM^O01": 8}),
    ("SENTINEL^LAB", "ENSEMBLE", {"ORU^R01": 12}),
    ("LUMEN_RIS", "ENSEMBLE", {"ORU^R01": 2}),
    ("PARCHMENT", "ENSEMBLE", {"MDM^T02": 2}),
]

BODY = {
    "ADT": "EVN|{event}|{when}\rPID|1||{nhs}^^^NHS^NH~RXX{n}^^^RXX^MR||SMITH^JANE^^^MRS||19700101|F"
    "\rPV1|1|I|WARD7^BED3^^RXX||||C1234567^JONES^ALED^^^DR|||||||||||INP{n}\r",
    "ORM": "PID|1||{nhs}^^^NHS^NH||PATEL^ARJUN||19651212|M\rORC|NW|ORD{n}\r"
    "OBR|1|ORD{n}||FBC^Full blood count^WinPath|||{when}\r",
    "ORU": "PID|1||{nhs}^^^NHS^NH||PATEL^ARJUN||19651212|M\rOBR|1|ORD{n}|LAB{n}|FBC^Full blood "
    "count|||{when}\rOBX|1|NM|HB^Haemoglobin^WinPath||131|g/L|115-165||||F\r"
    "OBX|2|NM|WBC^White cells^WinPath||6.1|10*9/L|4.0-11.0||||F\r",
    "MDM": "EVN|T02|{when}\rPID|1||{nhs}^^^NHS^NH||SMITH^JANE\rTXA|1|DS|TX|{when}||||||||DOC{n}\r"
    "OBX|1|TX|DOC||Discharge summary||||||F\r",
}


def write_log(folder: Path, messages: int, files: int, seed: int = 1) -> int:
    """Write ``messages`` messages over ``files`` daily files; return the bytes written."""
    rng = random.Random(seed)
    choices = [(s, r, kind) for s, r, kinds in CHANNELS for kind in kinds]
    weights = [kinds[kind] for s, r, kinds in CHANNELS for kind in kinds]
    per_file, written = messages // files, 0
    start = 1_772_400_000  # 2026-03-01 21:20 UTC, in seconds
    for day in range(files):
        count = per_file if day < files - 1 else messages - per_file * (files - 1)
        mllp = day % 2 == 1
        picks = rng.choices(choices, weights=weights, k=count)
        seconds = sorted(rng.randrange(86_400) for _ in range(count))
        path = folder / f"engine-{day + 1:02d}.{'dat' if mllp else 'hl7'}"
        with path.open("wb") as handle:
            for n, ((sender, receiver, kind), second) in enumerate(
                zip(picks, seconds, strict=True)
            ):
                when = time.strftime("%Y%m%d%H%M%S", time.gmtime(start + day * 86_400 + second))
                event = kind.split("^")[1]
                header = (
                    f"MSH|^~\\&|{sender}|RXX|{receiver}|{'RXX' if receiver else ''}|{when}||"
                    f"{kind}^{kind.replace('^', '_')}|C{day:02d}{n:07d}|P|2.4|||AL|NE|GBR\r"
                )
                body = BODY[kind[:3]].format(event=event, when=when, nhs=9990000000 + n, n=n)
                text = f"\x0b{header}{body}\x1c\r" if mllp else header + body
                written += handle.write(text.encode())
    return written


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM counts only since the process began
    this program; ``ru_maxrss`` would also count the parent's memory at the fork."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: str) -> dict:
    """Read the folder and build the edges; return the timings (run in a fresh process)."""
    start = time.perf_counter()
    messages, report = read_messages(folder)
    read = time.perf_counter() - start
    edges = discover_interfaces(messages)
    total = time.perf_counter() - start
    return {
        "messages": len(messages),
        "issues": len(report),
        "edges": len(edges),
        "read_seconds": read,
        "total_seconds": total,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(argv[1])))
        return
    files = int(argv[argv.index("--files") + 1]) if "--files" in argv else 10
    numbers = [a for i, a in enumerate(argv) if a.isdigit() and argv[i - 1 : i] != ["--files"]]
    messages = int(numbers[0]) if numbers else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        size = write_log(Path(folder), messages, files)
        print(
            f"wrote {messages:,} messages ({size / 1e6:,.0f} MB in {files} files) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        run = subprocess.run(
            [sys.executable, __file__, "--measure", folder],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(run.stdout)
    rate = result["messages"] / result["total_seconds"]
    print(
        f"read {result['messages']:,} messages in {result['read_seconds']:.1f} s; with the "
        f"{result['edges']} interfaces built, {result['total_seconds']:.1f} s: "
        f"{rate:,.0f} messages/s; {result['issues']} issues; "
        f"peak memory {result['peak_rss_mb']:,.0f} MB (RSS)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
