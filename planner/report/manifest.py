"""The run manifest: what a roadmap was made from and how, for audit and Freedom of
Information answers. Two runs on the same inputs give the same manifest but for ``created``.

It records each input file with its SHA-256, the inventory's own content hash (the same
whether it came from a file, the store or Python), the store batch when planned from the
store, the policy with its hash and the settings that differ from the default, the tool's
version, the seeds, the methods (exact or approximate impact, fast or optimal schedule),
and ``plan_id``: a hash of everything but the time, the plan's version on the cover.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> first = run_manifest(result, inputs=["data/examples/five-systems"])
>>> second = run_manifest(result, inputs=["data/examples/five-systems"])
>>> {k for k in first if first[k] != second[k]} <= {"created"}
True
>>> [item["path"] for item in first["inputs"]]
['data/examples/five-systems/dependencies.csv', 'data/examples/five-systems/systems.csv']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from inventory.errors import MissingFileError
from inventory.files import file_sha256
from inventory.store import Store
from planner.report.assumptions import changes_from_default

__all__ = [
    "file_sha256",
    "inventory_sha256",
    "policy_sha256",
    "run_manifest",
    "store_batch",
    "write_manifest",
]


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.is_file():
        return [path]
    raise MissingFileError(path, what="input")


def inventory_sha256(inventory) -> str:
    """A hash of the inventory's content (systems and dependencies as CSV text), the same
    wherever the inventory came from."""
    digest = hashlib.sha256()
    for frame in (inventory.systems, inventory.dependencies):
        digest.update(frame.to_csv(date_format="%Y-%m-%d", lineterminator="\n").encode("utf-8"))
    return digest.hexdigest()


def policy_sha256(policy) -> str:
    """A hash of every setting of a policy (its JSON with sorted keys; :attr:`Policy.sha256`)."""
    return policy.sha256


def store_batch(db: str | Path) -> dict:
    """The store's latest import batch: its number, when, from which file and that file's
    SHA-256 as the store recorded them."""
    with Store(db, create=False) as store:
        batches = store.batches()
    if batches.empty:
        return {"path": str(db), "batch": None}
    last = batches.iloc[-1]
    return {
        "path": str(db),
        "batch": int(batches.index[-1]),
        "imported": str(last["started_at"]),
        "source": last["source"],
        "sha256": last["sha256"],
    }


def _version() -> str:
    try:
        return version("modernise")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def run_manifest(
    result,
    *,
    inputs: Sequence[str | Path] = (),
    store: dict | None = None,
    forecast=None,
    created: datetime | None = None,
) -> dict:
    """The manifest of a plan (and of its forecast, if given) as plain JSON-ready data.

    ``inputs`` are the files or folders the inventory and policy were read from (each
    file in a folder is listed); ``store`` is :func:`store_batch` when the inventory came
    from the store; ``created`` defaults to now (UTC, to the second)."""
    policy = result.policy
    files = [
        {"path": file.as_posix(), "sha256": file_sha256(file), "bytes": file.stat().st_size}
        for item in inputs
        for file in _files(Path(item))
    ]
    changes = changes_from_default(policy)
    search = result.search
    uncertainty = policy.uncertainty
    body = {
        "tool": {"name": "modernise", "version": _version()},
        "inputs": files,
        "inventory": {
            "systems": len(result.inventory.systems),
            "dependencies": len(result.inventory.dependencies),
            "sha256": inventory_sha256(result.inventory),
        },
        "store": store,
        "policy": {
            "source": policy.source,
            "sha256": policy_sha256(policy),
            "differs_from_default": dict(
                zip(changes["setting"], changes["this plan"], strict=True)
            ),
        },
        "method": {
            "impact": result.impact_method,
            "schedule": search.get("method", policy.schedule.method),
            "passes": search.get("passes"),
            "chosen": search.get("chosen rule"),
        },
        "seeds": {
            "schedule": policy.schedule.seed,
            "forecast": uncertainty.seed if forecast is not None else None,
            "forecast_runs": forecast.runs if forecast is not None else None,
            "stability": policy.stability.seed,
        },
        "plan": {
            "start": f"{result.start:%Y-%m-%d}",
            "end": f"{result.end:%Y-%m-%d}" if result.end is not None else None,
            "cost_gbp": round(result.total_cost, 2),
        },
    }
    plan_id = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    when = created or datetime.now(UTC).replace(microsecond=0)
    return {"plan_id": plan_id[:12], "created": when.isoformat(), **body}


def write_manifest(manifest: dict, path: str | Path) -> Path:
    """Write a manifest as indented JSON."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    return path
