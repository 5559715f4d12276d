"""Deep estates: trusts built in layers as they really are, for benchmarks where reach is large.

Each trust runs its applications on virtual-machine hosts and database servers, which sit on
storage (SAN) and the core network; everything signs in through directory services; an
integration engine sits in the middle, trading messages both ways with the core clinical
systems. Trusts are grouped into regions: a regional hub reads every trust's engine, a
regional shared EPR reads the hub, and each engine reads the shared EPR, so a region's engines,
core systems, hub and EPR form one dependency cycle of about 300 systems. Downstream reach is
therefore large (the mean is in the thousands at scale), unlike :func:`national`, where most
systems are leaves. Vectorised and deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.model import Inventory, conform_dependencies, conform_systems
from inventory.synthetic.northshire import NATIONAL_ODS, TRUST_ODS
from inventory.synthetic.trust import sample_trust

__all__ = ["deep"]

TRUSTS_PER_REGION = 20
#: Each trust's layout: (role, count, template system), in position order within the trust.
_LAYOUT = (
    ("network-core", 1, "network-core"),
    ("san", 2, "san"),
    ("ad", 1, "ad"),
    ("backup", 1, "backup"),
    ("vm", 16, "vmware-main"),
    ("db", 8, "sql-cluster"),
    ("tie", 1, "tie"),
    ("app", 370, None),
)
#: Applications trading messages both ways with their trust's engine (part of the cycle).
_TWO_WAY = 14
_NATIONAL = ("spine-pds", "mesh")
_NOT_APPS = (
    "infrastructure",
    "network",
    "identity",
    "database",
    "integration engine",
    "messaging",
    "national service",
    "end-user computing",
)
_LINK = ("kind", "criticality")


def _offsets() -> dict[str, np.ndarray]:
    """Each role's positions within one trust."""
    out, start = {}, 0
    for role, count, _ in _LAYOUT:
        out[role] = np.arange(start, start + count)
        start += count
    return out


def _links(consumer, provider, kind: str, criticality: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "consumer": np.asarray(consumer, dtype=np.int64),
            "provider": np.asarray(provider, dtype=np.int64),
            "kind": kind,
            "criticality": criticality,
        }
    )


def deep(systems: int = 100_000, *, seed: int = 0) -> Inventory:
    """A layered national estate of about ``systems`` systems with regional cycles.

    Trusts of 400 systems (core network, two SANs, directory services, backup, 16 VM hosts,
    8 database servers, an integration engine, 370 applications drawn from the sample trust's)
    are grouped 20 to a region; each region adds a hub and a shared EPR that close a cycle
    through every engine and each trust's 14 two-way core systems (302 systems a full region).

    Examples
    --------
    >>> estate = deep(2_000, seed=1)
    >>> len(estate.systems), estate.systems.loc["r0000.vm-00", "category"]
    (2004, 'infrastructure')
    >>> sorted(estate.dependencies.query("consumer == 'r0000.vm-00'")["provider"])
    ['r0000.ad-00', 'r0000.network-core-00', 'r0000.san-00', 'r0000.san-01']
    """
    rng = np.random.default_rng(seed)
    template = sample_trust().systems
    per_trust = sum(count for _, count, _ in _LAYOUT)
    n_trusts = max(1, round(systems / per_trust))
    n_regions = -(-n_trusts // TRUSTS_PER_REGION)
    region_of = np.arange(n_trusts) * n_regions // n_trusts
    offsets = _offsets()

    # systems: one row per trust position, copied from the template row its role names
    apps = template[
        (template["organisation"] == TRUST_ODS)
        & (template["status"] == "live")
        & ~template["category"].isin(_NOT_APPS)
    ]
    role_rows = np.empty(per_trust, dtype=np.int64)
    suffix = np.empty(per_trust, dtype=object)
    for role, count, source in _LAYOUT:
        where = offsets[role]
        suffix[where] = [
            f"{role}-{k:02d}" if role != "app" else f"app-{k:03d}" for k in range(count)
        ]
        if source is not None:
            role_rows[where] = template.index.get_indexer(pd.Index([source]))[0]
    is_app = np.tile(np.isin(np.arange(per_trust), offsets["app"]), n_trusts)
    rows = np.tile(role_rows, n_trusts)
    rows[is_app] = template.index.get_indexer(apps.index)[
        rng.integers(0, len(apps), size=int(is_app.sum()))
    ]
    trust = np.repeat(np.arange(n_trusts), per_trust)
    codes = np.array([f"R{i:04d}" for i in range(n_trusts)], dtype=object)
    ids = np.char.lower(codes.astype(str)).astype(object)[trust] + "." + np.tile(suffix, n_trusts)
    frame = template.iloc[rows].reset_index(drop=True)
    frame.insert(0, "id", ids)
    frame["organisation"] = codes[trust]
    frame["replaced_by"] = None
    frame["after"] = [()] * len(frame)
    frame["move_with"] = [()] * len(frame)
    scale = rng.lognormal(0.0, 0.25, size=len(frame))
    for column in [c for c in frame.columns if c.startswith(("replacement_cost", "annual_run"))]:
        frame[column] = (frame[column] * scale).round(-3)
    frame["go_live"] = frame["go_live"] + pd.to_timedelta(
        rng.integers(-900, 900, size=len(frame)), unit="D"
    )

    # regions: a hub (an integration engine run regionally) and a shared EPR, both retained
    region_codes = np.array([f"Y{r:02d}" for r in range(n_regions)], dtype=object)
    regional = template.loc[["tie"] * n_regions + ["epr"] * n_regions].reset_index(drop=True)
    regional.insert(
        0,
        "id",
        np.concatenate(
            [
                [f"y{r:02d}.hub" for r in range(n_regions)],
                [f"y{r:02d}.shared-epr" for r in range(n_regions)],
            ]
        ),
    )
    regional["organisation"] = np.concatenate([region_codes, region_codes])
    regional["name"] = [f"Regional integration hub {c}" for c in region_codes] + [
        f"Regional shared EPR {c}" for c in region_codes
    ]
    regional["hosting"] = "private cloud"
    regional["status"] = "live"
    regional["disposition"] = "retain"
    regional["after"] = [()] * len(regional)
    national = template.loc[list(_NATIONAL)].reset_index(names="id")
    national["organisation"] = NATIONAL_ODS
    all_systems = pd.concat([frame, regional, national], ignore_index=True)

    # dependencies, by position: first within each trust (the same shape, random choices)
    base = np.arange(n_trusts) * per_trust

    def at(role: str, k: int | np.ndarray = 0) -> np.ndarray:
        """Global positions of the k-th ``role`` of every trust (k may vary per trust)."""
        return base + offsets[role][k]

    def each(role: str) -> np.ndarray:
        """Global positions of every ``role`` of every trust, trust by trust."""
        return (base[:, None] + offsets[role][None, :]).ravel()

    def pick(role: str, consumers: np.ndarray) -> np.ndarray:
        """A random ``role`` in each consumer's own trust."""
        trust_of = consumers // per_trust
        return (
            trust_of * per_trust
            + offsets[role][rng.integers(0, len(offsets[role]), len(consumers))]
        )

    vm, db, app = each("vm"), each("db"), each("app")
    servers = np.concatenate([each("san"), at("ad"), each("backup")])
    parts = [
        _links(
            servers,
            servers // per_trust * per_trust + offsets["network-core"][0],
            "infrastructure",
            "critical",
        ),
        _links(at("backup"), at("san", 0), "infrastructure", "high"),
        _links(
            np.repeat(vm, 2),
            np.repeat(vm // per_trust * per_trust, 2) + np.tile(offsets["san"], len(vm)),
            "infrastructure",
            "critical",
        ),
        _links(
            vm,
            vm // per_trust * per_trust + offsets["network-core"][0],
            "infrastructure",
            "critical",
        ),
    ]
    hosted = np.concatenate([db, at("tie"), app])  # everything that runs on a VM host
    parts += [
        _links(hosted, pick("vm", hosted), "infrastructure", "critical"),
        _links(
            np.concatenate([vm, hosted]),
            np.concatenate([vm, hosted]) // per_trust * per_trust + offsets["ad"][0],
            "authentication",
            "high",
        ),
        _links(at("tie"), pick("db", at("tie")), "database link", "critical"),
    ]
    with_db = app[rng.random(len(app)) < 0.7]
    parts.append(_links(with_db, pick("db", with_db), "database link", "high"))
    messaging = app[rng.random(len(app)) < 0.6]
    two_way = (base[:, None] + offsets["app"][None, :_TWO_WAY]).ravel()
    tie_of = lambda p: p // per_trust * per_trust + offsets["tie"][0]  # noqa: E731
    parts += [
        _links(
            np.concatenate([messaging, two_way]),
            tie_of(np.concatenate([messaging, two_way])),
            "HL7 v2",
            "high",
        ),
        _links(tie_of(two_way), two_way, "HL7 v2", "critical"),
    ]
    # applications reading an earlier application of their trust (no new cycles)
    reader = app[(rng.random(len(app)) < 0.5) & (app % per_trust > offsets["app"][0])]
    earlier = (
        reader // per_trust * per_trust
        + offsets["app"][0]
        + (rng.random(len(reader)) * (reader % per_trust - offsets["app"][0])).astype(np.int64)
    )
    parts.append(_links(reader, earlier, "API", "medium"))

    # regions and national services, by position after the trusts
    hub = n_trusts * per_trust + region_of
    shared_epr = hub + n_regions
    pds, mesh = n_trusts * per_trust + 2 * n_regions + np.arange(len(_NATIONAL))
    viewers = app[rng.random(len(app)) < 0.05]
    parts += [
        _links(hub, at("tie"), "HL7 v2", "high"),
        _links(at("tie"), shared_epr, "HL7 v2", "high"),
        _links(
            np.arange(n_regions) + n_trusts * per_trust + n_regions,
            np.arange(n_regions) + n_trusts * per_trust,
            "FHIR",
            "critical",
        ),
        _links(viewers, shared_epr[viewers // per_trust], "API", "medium"),
        _links(at("tie"), np.full(n_trusts, mesh), "messaging", "high"),
        _links(
            np.arange(n_regions) + n_trusts * per_trust + n_regions,
            np.full(n_regions, pds),
            "API",
            "critical",
        ),
    ]
    links = pd.concat(parts, ignore_index=True)
    links = links[links["consumer"] != links["provider"]].drop_duplicates(["consumer", "provider"])
    id_of = all_systems["id"].to_numpy(dtype=object)
    dependencies = pd.DataFrame(
        {
            "consumer": id_of[links["consumer"].to_numpy()],
            "provider": id_of[links["provider"].to_numpy()],
            **{c: links[c].to_numpy() for c in _LINK},
        }
    )
    return Inventory(conform_systems(all_systems), conform_dependencies(dependencies))
