"""National-scale estates: trust-shaped estates tiled across many organisations, with GP
practices, national hubs (Spine PDS, MESH, e-RS, SUS+, CIS2) that nearly everything depends
on, and cross-organisation feeds. Vectorised, so a million systems take seconds; deterministic
for a given seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.model import Inventory, conform_dependencies, conform_systems
from inventory.synthetic.northshire import NATIONAL_ODS, TRUST_ODS
from inventory.synthetic.trust import sample_trust

__all__ = ["national"]


TRUSTS_PER_ICS = 5
#: Template systems that are the trust's own platform: everything else runs on them.
_PLATFORM_IDS = ("network-core", "ad", "backup")
_NATIONAL_HUBS = ("spine-pds", "spine-cis2", "mesh", "e-rs", "sus-plus", "esr", "gp-connect")


def _platform_edges(template: Inventory) -> pd.DataFrame:
    """In national mode every trust-run system also depends on the trust network, AD and the
    backup service (the sample trust lists only the links its story needs)."""
    systems = template.systems
    local = systems[(systems["organisation"] == TRUST_ODS) & (systems["hosting"] != "SaaS")]
    existing = set(
        zip(template.dependencies["consumer"], template.dependencies["provider"], strict=True)
    )
    rows = [
        {
            "consumer": system,
            "provider": platform,
            "kind": "infrastructure" if platform == "network-core" else "authentication",
            "criticality": "high",
        }
        for system in local.index
        for platform in _PLATFORM_IDS
        if system not in _PLATFORM_IDS
        and system != "hscn"
        and (system, platform) not in existing
        and (platform, system) not in existing
    ]
    return pd.DataFrame(rows)


def national(
    systems: int = 100_000,
    *,
    seed: int = 0,
    gp_share: float = 0.06,
) -> Inventory:
    """A national estate of about ``systems`` systems, built by tiling the sample trust.

    Each trust copies the Northshire template under its own ODS code (``R`` + 4 digits) with
    jittered costs and dates; GP practices (``gp_share`` of the systems, ODS codes like
    ``A00001``) each run a clinical system and a document workflow tool; everything that the
    template links to national services links to the shared national hubs, and trusts send
    results to practices and share a regional record. Vectorised: about a second per 100k
    systems.
    """
    rng = np.random.default_rng(seed)
    template = sample_trust()
    t_sys = template.systems
    local = t_sys[t_sys["organisation"] == TRUST_ODS]
    n_gp_systems = int(systems * gp_share) // 2 * 2
    n_trusts = max(1, (systems - n_gp_systems - len(_NATIONAL_HUBS)) // len(local))
    n_gps = n_gp_systems // 2

    # trusts: repeat the local template n_trusts times
    t = np.repeat(np.arange(n_trusts), len(local))
    base = np.tile(np.arange(len(local)), n_trusts)
    local_ids = local.index.to_numpy(dtype=object)
    trust_codes = np.array([f"R{i:04d}" for i in range(n_trusts)], dtype=object)
    prefix = np.char.lower(trust_codes.astype(str)).astype(object)[t] + "."
    ids = prefix + local_ids[base]
    frame = local.iloc[base].reset_index(drop=True)
    frame.insert(0, "id", ids)
    frame["organisation"] = trust_codes[t]
    scale = rng.lognormal(0.0, 0.25, size=len(frame))
    for column in [c for c in frame.columns if c.startswith(("replacement_cost", "annual_run"))]:
        frame[column] = (frame[column] * scale).round(-3)
    shift = pd.to_timedelta(rng.integers(-900, 900, size=len(frame)), unit="D")
    frame["go_live"] = frame["go_live"] + shift
    frame["replaced_by"] = pd.Series(
        np.where(
            frame["replaced_by"].notna(),
            prefix + frame["replaced_by"].fillna("").to_numpy(dtype=object),
            None,
        ),
        index=frame.index,
    )
    frame["after"] = [
        tuple(p + a for a in after) for p, after in zip(prefix, frame["after"], strict=True)
    ]

    # GP practices: a clinical system and a workflow tool each
    gp_codes = np.array([f"A{i:05d}" for i in range(n_gps)], dtype=object)
    gp_ids = np.char.lower(gp_codes.astype(str)).astype(object)
    gp_frame = pd.DataFrame(
        {
            "id": np.concatenate([gp_ids + ".gp-clinical", gp_ids + ".docman"]),
            "name": np.concatenate(
                [np.full(n_gps, "GP clinical system"), np.full(n_gps, "GP document workflow")]
            ),
            "organisation": np.concatenate([gp_codes, gp_codes]),
            "category": np.concatenate([np.full(n_gps, "GP system"), np.full(n_gps, "EDMS")]),
            "platform": np.concatenate(
                [np.full(n_gps, "SaaS"), np.full(n_gps, "Windows Server 2012 R2")]
            ),
            "hosting": np.concatenate([np.full(n_gps, "SaaS"), np.full(n_gps, "on-premises")]),
            "criticality": np.concatenate([np.full(n_gps, "critical"), np.full(n_gps, "medium")]),
            "patient_facing": np.concatenate([np.ones(n_gps, bool), np.zeros(n_gps, bool)]),
            "disposition": np.concatenate([np.full(n_gps, "retain"), np.full(n_gps, "replace")]),
            "replacement_cost_gbp_low": np.concatenate(
                [np.full(n_gps, np.nan), np.full(n_gps, 4000.0)]
            ),
            "replacement_cost_gbp_likely": np.concatenate(
                [np.full(n_gps, np.nan), np.full(n_gps, 8000.0)]
            ),
            "replacement_cost_gbp_high": np.concatenate(
                [np.full(n_gps, np.nan), np.full(n_gps, 15000.0)]
            ),
            "replacement_months_low": np.concatenate([np.full(n_gps, np.nan), np.full(n_gps, 1.0)]),
            "replacement_months_likely": np.concatenate(
                [np.full(n_gps, np.nan), np.full(n_gps, 2.0)]
            ),
            "replacement_months_high": np.concatenate(
                [np.full(n_gps, np.nan), np.full(n_gps, 3.0)]
            ),
        }
    )
    hub_frame = pd.DataFrame(
        {
            "id": list(_NATIONAL_HUBS),
            "name": [
                "Spine Personal Demographics Service",
                "NHS Care Identity Service 2",
                "MESH",
                "NHS e-Referral Service",
                "Secondary Uses Service (SUS+)",
                "Electronic Staff Record",
                "GP Connect",
            ],
            "organisation": NATIONAL_ODS,
            "category": [
                "national service",
                "identity",
                "messaging",
                "national service",
                "national service",
                "HR",
                "national service",
            ],
            "platform": "SaaS",
            "hosting": "SaaS",
            "criticality": "critical",
            "disposition": "retain",
        }
    )
    all_systems = pd.concat([frame, gp_frame, hub_frame], ignore_index=True)

    # dependencies: template edges per trust, national edges to the shared hubs
    deps = pd.concat([template.dependencies, _platform_edges(template)], ignore_index=True)
    local_set = set(local.index)
    inner = deps[deps["consumer"].isin(local_set) & deps["provider"].isin(local_set)]
    outer = deps[deps["consumer"].isin(local_set) & ~deps["provider"].isin(local_set)]
    te = np.repeat(np.arange(n_trusts), len(inner))
    inner_frame = inner.iloc[np.tile(np.arange(len(inner)), n_trusts)].reset_index(drop=True)
    trust_ids = np.char.lower(trust_codes.astype(str)).astype(object) + "."
    inner_frame["consumer"] = trust_ids[te] + inner_frame["consumer"].to_numpy(object)
    inner_frame["provider"] = trust_ids[te] + inner_frame["provider"].to_numpy(object)
    hub_of = {
        "spine-pds": "spine-pds",
        "spine-cis2": "spine-cis2",
        "mesh": "mesh",
        "e-rs": "e-rs",
        "sus-plus": "sus-plus",
        "esr": "esr",
        "gp-systems": "gp-connect",
        "shcr": "gp-connect",
        "nhs-app": "spine-cis2",
    }
    to = np.repeat(np.arange(n_trusts), len(outer))
    outer_frame = outer.iloc[np.tile(np.arange(len(outer)), n_trusts)].reset_index(drop=True)
    outer_frame["consumer"] = trust_ids[to] + outer_frame["consumer"].to_numpy(object)
    outer_frame["provider"] = outer_frame["provider"].map(hub_of).to_numpy(object)
    outer_frame = outer_frame.drop_duplicates(["consumer", "provider"])
    parts = [inner_frame, outer_frame]
    if n_gps:
        gp_clinical = gp_ids + ".gp-clinical"
        docman = gp_ids + ".docman"
        home = rng.integers(0, n_trusts, size=n_gps)
        home_trust = trust_ids[home]
        parts += [
            pd.DataFrame(
                {
                    "consumer": gp_clinical,
                    "provider": "spine-pds",
                    "kind": "API",
                    "criticality": "critical",
                }
            ),
            pd.DataFrame(
                {
                    "consumer": gp_clinical,
                    "provider": "mesh",
                    "kind": "messaging",
                    "criticality": "high",
                }
            ),
            pd.DataFrame(
                {
                    "consumer": docman,
                    "provider": gp_clinical,
                    "kind": "API",
                    "criticality": "medium",
                }
            ),
            pd.DataFrame(
                {
                    "consumer": docman,
                    "provider": home_trust + "discharge",
                    "kind": "messaging",
                    "criticality": "medium",
                    "messages": [("ITK3 discharge summary",)] * n_gps,
                }
            ),
            pd.DataFrame(
                {
                    "consumer": gp_clinical,
                    "provider": home_trust + "lims",
                    "kind": "messaging",
                    "criticality": "high",
                    "messages": [("EDIFACT NHS003",)] * n_gps,
                }
            ),
        ]
    # regional imaging networks: groups of four trusts read the lead trust's PACS archive
    if n_trusts > 1:
        lead = (np.arange(n_trusts) // 4) * 4
        member = np.arange(n_trusts) != lead
        parts.append(
            pd.DataFrame(
                {
                    "consumer": trust_ids[member] + "pacs",
                    "provider": trust_ids[lead[member]] + "pacs",
                    "kind": "DICOM",
                    "criticality": "medium",
                    "messages": [("DICOM query/retrieve",)] * int(member.sum()),
                }
            )
        )
    # integrated care systems: each shared care record reads from and is read by its trusts'
    # EPRs and its practices' clinical systems, so every ICS forms one large dependency cycle
    n_ics = max(1, n_trusts // TRUSTS_PER_ICS)
    trust_ics = np.arange(n_trusts) * n_ics // n_trusts
    ics_ids = np.array([f"q{i:03d}.shcr" for i in range(n_ics)], dtype=object)
    shcr_frame = pd.DataFrame(
        {
            "id": ics_ids,
            "name": [f"Shared care record, ICS Q{i:03d}" for i in range(n_ics)],
            "organisation": [f"Q{i:03d}" for i in range(n_ics)],
            "category": "clinical portal",
            "platform": "SaaS",
            "hosting": "SaaS",
            "criticality": "high",
            "patient_facing": True,
            "disposition": "retain",
        }
    )
    all_systems = pd.concat([all_systems, shcr_frame], ignore_index=True)
    trust_shcr = ics_ids[trust_ics]
    parts += [
        pd.DataFrame(
            {
                "consumer": trust_ids + "epr",
                "provider": trust_shcr,
                "kind": "API",
                "criticality": "medium",
                "messages": [("shared care record view",)] * n_trusts,
            }
        ),
        pd.DataFrame(
            {
                "consumer": trust_shcr,
                "provider": trust_ids + "epr",
                "kind": "FHIR",
                "criticality": "medium",
                "messages": [("FHIR Encounter",)] * n_trusts,
            }
        ),
        pd.DataFrame(
            {
                "consumer": trust_ids + "portal",
                "provider": trust_shcr,
                "kind": "API",
                "criticality": "medium",
            }
        ),
    ]
    if n_gps:
        gp_shcr = ics_ids[trust_ics[home]]
        parts += [
            pd.DataFrame(
                {
                    "consumer": gp_ids + ".gp-clinical",
                    "provider": gp_shcr,
                    "kind": "API",
                    "criticality": "medium",
                }
            ),
            pd.DataFrame(
                {
                    "consumer": gp_shcr,
                    "provider": gp_ids + ".gp-clinical",
                    "kind": "API",
                    "criticality": "medium",
                    "messages": [("GP Connect access record",)] * n_gps,
                }
            ),
        ]
    hub_edges = pd.DataFrame(
        {
            "consumer": ["gp-connect", "sus-plus"],
            "provider": ["spine-pds", "mesh"],
            "kind": ["API", "messaging"],
            "criticality": ["critical", "high"],
        }
    )
    parts.append(hub_edges)
    all_dependencies = pd.concat(parts, ignore_index=True)
    all_dependencies = all_dependencies[
        all_dependencies["consumer"] != all_dependencies["provider"]
    ]
    all_dependencies = all_dependencies.drop_duplicates(["consumer", "provider"])
    return Inventory(conform_systems(all_systems), conform_dependencies(all_dependencies))
