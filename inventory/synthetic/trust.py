"""The Northshire sample trust as an inventory: the hand-written tables of
:mod:`inventory.synthetic.northshire`, wired together, with a seeded long tail of devices and
departmental databases (following ``nhs-domain.md`` section 6).

Examples
--------
>>> trust = sample_trust()
>>> 230 <= len(trust.systems) <= 300 and len(trust.dependencies) >= 500
True
>>> trust.systems.loc["pas", "platform"]
'InterSystems Cache 2010.2 on IBM AIX 6.1'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.model import Inventory, conform_dependencies, conform_systems
from inventory.synthetic.northshire import (
    ADT_FROM_PAS,
    CORE,
    CORE_DEPENDENCIES,
    CRITICAL_ADT,
    DEVICES,
    HOSTED_ON_VMWARE,
    INFRA,
    LOGS_IN_VIA_AD,
    NATIONAL,
    NATIONAL_ODS,
    TAIL_CATEGORIES,
    TAIL_KINDS,
    TAIL_SUBJECTS,
    TRUST_ODS,
    USES_SSO,
    VIA_CITRIX,
)

__all__ = ["sample_trust"]


def _tail_category(subject: str) -> str:
    for keyword, category in TAIL_CATEGORIES.items():
        if keyword in subject.lower():
            return category
    return "other"


def _k(value: float) -> float:
    return float(value) * 1000.0


def _core_systems() -> list[dict]:
    rows = []
    for (
        sid,
        name,
        category,
        supplier,
        product,
        version,
        platform,
        hosting,
        go_live,
        contract,
        criticality,
        patient_facing,
        users,
        run,
        cost,
        months,
        vulns,
        skills,
        disposition,
        extras,
    ) in CORE:
        rows.append(
            {
                "id": sid,
                "name": name,
                "organisation": TRUST_ODS,
                "category": category,
                "supplier": supplier,
                "product": product,
                "version": version,
                "platform": platform,
                "hosting": hosting,
                "go_live": go_live or None,
                "contract_end": contract or None,
                "criticality": criticality,
                "patient_facing": patient_facing,
                "users": users,
                "annual_run_cost_gbp": _k(run),
                "replacement_cost_gbp": tuple(_k(c) for c in cost),
                "replacement_months": months,
                "known_vulnerabilities": vulns,
                "skills_scarcity": skills,
                "status": extras.get("status", "live"),
                "disposition": disposition,
                "replaced_by": extras.get("replaced_by"),
                "after": extras.get("after", ""),
                "team_demand": extras.get("team_demand", ""),
                "notes": extras.get("notes"),
            }
        )
    for (
        sid,
        name,
        category,
        platform,
        go_live,
        criticality,
        run,
        cost,
        months,
        vulns,
        disp,
        td,
    ) in INFRA:
        rows.append(
            {
                "id": sid,
                "name": name,
                "organisation": TRUST_ODS,
                "category": category,
                "supplier": "Trust IT",
                "platform": platform,
                "hosting": "on-premises",
                "go_live": go_live,
                "criticality": criticality,
                "patient_facing": False,
                "annual_run_cost_gbp": _k(run),
                "replacement_cost_gbp": tuple(_k(c) for c in cost),
                "replacement_months": months,
                "known_vulnerabilities": vulns,
                "skills_scarcity": "low",
                "status": "live",
                "disposition": disp,
                "replaced_by": "epr" if sid in ("aix-host",) else None,
                "after": {"aix-host": "pas", "vms-alpha": "lims", "email-relay": "epr"}.get(
                    sid, ""
                ),
                "team_demand": td,
            }
        )
    for sid, name, category, ods in NATIONAL:
        rows.append(
            {
                "id": sid,
                "name": name,
                "organisation": ods,
                "category": category,
                "supplier": "NHS England" if ods == NATIONAL_ODS else "Northshire ICS",
                "platform": "SaaS",
                "hosting": "SaaS",
                "criticality": "critical" if sid in ("spine-pds", "spine-cis2") else "high",
                "patient_facing": sid in ("gp-systems", "nhs-app", "shcr"),
                "status": "live",
                "disposition": "retain",
                "notes": "National or regional service: not the trust's to replace",
            }
        )
    return rows


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for name in ("replacement_cost_gbp", "replacement_months"):
        parts = frame.pop(name)
        for i, part in enumerate(("low", "likely", "high")):
            frame[f"{name}_{part}"] = [p[i] if isinstance(p, tuple) else np.nan for p in parts]
    frame["after"] = frame["after"].map(
        lambda v: tuple(x.strip() for x in v.split(";") if x.strip()) if isinstance(v, str) else ()
    )
    frame["team_demand"] = frame["team_demand"].map(_team_demand)
    for column in ("go_live", "contract_end", "end_of_support"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _team_demand(text: object) -> dict[str, float]:
    if not isinstance(text, str) or not text.strip():
        return {}
    pairs = (item.split(":") for item in text.split(";") if item.strip())
    return {team.strip(): float(amount) for team, amount in pairs}


def _dependency_rows() -> list[dict]:
    rows = [
        {
            "consumer": c,
            "provider": p,
            "kind": k,
            "criticality": crit,
            "messages": m or None,
            "daily_volume": v,
        }
        for c, p, k, crit, m, v in CORE_DEPENDENCIES
    ]
    seen = {(r["consumer"], r["provider"]) for r in rows}

    def add(
        consumer: str, provider: str, kind: str, criticality: str, messages: str | None = None
    ) -> None:
        if (consumer, provider) not in seen and consumer != provider:
            seen.add((consumer, provider))
            rows.append(
                {
                    "consumer": consumer,
                    "provider": provider,
                    "kind": kind,
                    "criticality": criticality,
                    "messages": messages,
                }
            )

    for system in HOSTED_ON_VMWARE:
        add(system, "vmware-main", "infrastructure", "critical")
    for system in LOGS_IN_VIA_AD:
        add(system, "ad", "authentication", "high")
    for system in USES_SSO:
        add(system, "sso", "authentication", "high")
    for system in VIA_CITRIX:
        add(system, "citrix", "infrastructure", "high")
    for system in ADT_FROM_PAS:
        add(
            system,
            "pas",
            "HL7 v2",
            "critical" if system in CRITICAL_ADT else "high",
            "ADT^A01; ADT^A02; ADT^A03; ADT^A08; ADT^A40",
        )
    for system in (
        "ed",
        "eobs",
        "theatres",
        "maternity",
        "order-comms",
        "eforms",
        "discharge",
        "ris",
        "pharmacy",
        "epma",
        "chemo",
        "renal",
        "critical-care",
        "cardiology",
        "endoscopy",
        "portal",
        "lims",
        "transfusion",
    ):
        add(system, "empi", "API", "high", "NHS number trace")
    return rows


def _devices_and_tail(rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    systems: list[dict] = []
    dependencies: list[dict] = []
    for name, provider, kind, platform, count in DEVICES:
        base = "dev-" + name.lower().replace(" ", "-").replace(".", "")
        for n in range(1, count + 1):
            sid = f"{base}-{n}" if count > 1 else base
            site = "Northshire General" if n % 2 else "St Aldhelm's"
            go_live = pd.Timestamp("2004-01-01") + pd.Timedelta(days=int(rng.integers(0, 4000)))
            systems.append(
                {
                    "id": sid,
                    "name": f"{name} {n} ({site})" if count > 1 else f"{name} ({site})",
                    "organisation": TRUST_ODS,
                    "category": "medical device",
                    "supplier": rng.choice(
                        [
                            "Vantage Medical",
                            "Lumen Imaging Systems",
                            "Aurora Diagnostics",
                            "Helix Devices",
                        ]
                    ),
                    "platform": platform,
                    "hosting": "on-premises",
                    "go_live": go_live,
                    "criticality": "critical" if provider in ("critical-care", "lims") else "high",
                    "patient_facing": True,
                    "users": int(rng.integers(5, 60)),
                    "annual_run_cost_gbp": float(rng.integers(3, 25)) * 1000,
                    "replacement_cost_gbp": tuple(
                        float(x) * 1000 for x in sorted(rng.integers(40, 900, size=3))
                    ),
                    "replacement_months": (3, 6, 12),
                    "known_vulnerabilities": int(rng.integers(3, 15))
                    if "XP" in platform
                    else int(rng.integers(1, 8)),
                    "skills_scarcity": "medium",
                    "status": "live",
                    "disposition": "replace",
                    "after": provider if provider in ("cardiology", "lims") and n == 1 else "",
                    "team_demand": "infrastructure: 0.2; clinical safety: 0.1",
                    "notes": "Embedded OS; cannot be patched without the manufacturer; "
                    "isolated on the medical devices VLAN",
                }
            )
            dependencies.append(
                {
                    "consumer": sid,
                    "provider": provider,
                    "kind": kind,
                    "criticality": "high",
                    "messages": {
                        "DICOM": "DICOM C-STORE; DICOM MWL",
                        "HL7 v2": "ORU^R01",
                        "other": "ASTM E1394",
                    }.get(kind),
                }
            )
            if provider == "PACS":
                dependencies[-1]["provider"] = "pacs"
                dependencies.append(
                    {
                        "consumer": sid,
                        "provider": "ris",
                        "kind": "DICOM",
                        "criticality": "high",
                        "messages": "DICOM MWL",
                    }
                )
    subjects = list(TAIL_SUBJECTS)
    rng.shuffle(subjects)
    weights = np.array([w for _, _, w in TAIL_KINDS])
    tail_ids: list[str] = []
    for subject in subjects[:150]:
        kind_index = rng.choice(len(TAIL_KINDS), p=weights / weights.sum())
        noun, platform, _ = TAIL_KINDS[kind_index]
        sid = "tail-" + subject.lower().replace(" ", "-").replace(".", "").replace("'", "")
        tail_ids.append(sid)
        go_live = pd.Timestamp("1999-01-01") + pd.Timedelta(days=int(rng.integers(0, 7300)))
        criticality = rng.choice(["low", "medium", "high"], p=[0.5, 0.38, 0.12])
        absorbed = rng.random() < 0.45
        run = float(rng.integers(0, 6)) * 1000
        systems.append(
            {
                "id": sid,
                "name": f"{subject[0].upper()}{subject[1:]} {noun}",
                "organisation": TRUST_ODS,
                "category": _tail_category(subject),
                "supplier": "In-house",
                "platform": platform,
                "hosting": "on-premises",
                "go_live": go_live,
                "criticality": criticality,
                "patient_facing": bool(rng.random() < 0.3),
                "users": int(rng.integers(2, 80)),
                "annual_run_cost_gbp": run,
                "replacement_cost_gbp": tuple(
                    float(x) * 1000 for x in sorted(rng.integers(5, 60, size=3))
                ),
                "replacement_months": tuple(int(x) for x in sorted(rng.integers(1, 7, size=3))),
                "known_vulnerabilities": int(rng.integers(0, 6)),
                "skills_scarcity": rng.choice(["medium", "high", "critical"], p=[0.4, 0.35, 0.25]),
                "status": "live",
                "disposition": "retire"
                if absorbed
                else rng.choice(["retain", "rehost", "replace"], p=[0.4, 0.35, 0.25]),
                "replaced_by": "epr" if absorbed else None,
                "team_demand": "data migration: 0.1" if absorbed else "infrastructure: 0.1",
                "notes": rng.choice(
                    np.array(
                        [
                            "Single author; left the trust",
                            "Owned by the department; no IT support agreement",
                            "Holds patient-identifiable data on a shared drive",
                            "Re-keyed from PAS screens every morning",
                            "Linked tables to the PAS reporting database",
                            None,
                        ],
                        dtype=object,
                    )
                ),
            }
        )
        source = rng.choice(
            ["pas", "data-warehouse", "file-shares", "manual"], p=[0.35, 0.3, 0.2, 0.15]
        )
        if source == "manual":
            dependencies.append(
                {
                    "consumer": sid,
                    "provider": "pas",
                    "kind": "manual",
                    "criticality": "low",
                    "messages": "re-keying",
                }
            )
        elif source == "file-shares":
            dependencies.append(
                {
                    "consumer": sid,
                    "provider": "file-shares",
                    "kind": "infrastructure",
                    "criticality": "medium",
                }
            )
        else:
            dependencies.append(
                {
                    "consumer": sid,
                    "provider": source,
                    "kind": "database link",
                    "criticality": "medium",
                    "messages": "ODBC linked tables",
                }
            )
        if source != "file-shares":
            dependencies.append(
                {
                    "consumer": sid,
                    "provider": "file-shares",
                    "kind": "infrastructure",
                    "criticality": "medium",
                }
            )
    # a few tail systems feed each other, two of them in a loop
    for a, b in zip(tail_ids[:12:2], tail_ids[1:12:2], strict=True):
        dependencies.append(
            {
                "consumer": a,
                "provider": b,
                "kind": "database link",
                "criticality": "low",
                "messages": "linked tables",
            }
        )
    dependencies.append(
        {
            "consumer": tail_ids[1],
            "provider": tail_ids[0],
            "kind": "database link",
            "criticality": "low",
            "messages": "linked tables",
        }
    )
    return systems, dependencies


#: What the trust's register says about money, departments and clinical safety, for the
#: systems it has worked through (the rest are blank: the policy's defaults apply).
PROGRAMME_FIELDS: dict[str, dict] = {
    "epr": {
        "capital_share": 0.65,  # implementation capitalised; the subscription is revenue
        "spend_profile": "S-curve",
        "hazard_log": "HL-EPR-001",
    },
    "pas": {"data_to_archive_gb": 2400, "hazard_log": "HL-PAS-014"},
    "ed": {"department": "Emergency", "data_to_archive_gb": 300},
    "order-comms": {"data_to_archive_gb": 450},
    "eobs": {"department": "Nursing"},
    "lims": {
        "department": "Pathology",
        "spend_by_year": (0.6, 0.4),
        "hazard_log": "HL-LIMS-003",
        "future_run_cost_gbp": 520_000.0,
    },
    "transfusion": {"department": "Pathology"},
    "ris": {"department": "Radiology"},
    "pacs": {
        "department": "Radiology",
        "capital_share": 0.4,  # a managed service: mostly revenue
        "spend_profile": "front-loaded",
        "future_run_cost_gbp": 900_000.0,
    },
    "cardiology": {"department": "Cardiology"},
    "ecg-carts": {"department": "Cardiology"},
    "endoscopy": {"department": "Endoscopy"},
    "maternity": {"department": "Maternity", "clinical_safety_class": "high"},
    "theatres": {"department": "Theatres"},
    "critical-care": {"department": "Critical care"},
    "pharmacy": {"department": "Pharmacy"},
    "chemo": {"department": "Oncology"},
}
_DEVICE_DEPARTMENTS = (
    ("ct-", "Radiology"),
    ("mri", "Radiology"),
    ("x-ray", "Radiology"),
    ("ultrasound", "Radiology"),
    ("fluoroscopy", "Radiology"),
    ("mammography", "Radiology"),
    ("bone-dens", "Radiology"),
    ("cath-lab", "Cardiology"),
    ("ecg", "Cardiology"),
    ("analyser", "Pathology"),
    ("microbiology", "Pathology"),
    ("pathology", "Pathology"),
    ("endoscopy", "Endoscopy"),
    ("retinal", "Ophthalmology"),
    ("audiology", "Audiology"),
    ("monitor", "Critical care"),
)


def _programme_fields(systems: pd.DataFrame) -> pd.DataFrame:
    """Fill the register's money, department and clinical safety columns."""
    for column in ("capital_share", "future_run_cost_gbp"):
        systems[column] = np.nan
    systems["data_to_archive_gb"] = pd.array([pd.NA] * len(systems), dtype="Int64")
    for column in ("spend_profile", "department", "clinical_safety_class", "hazard_log"):
        systems[column] = None
    for column in ("spend_by_year", "move_with"):
        systems[column] = [() for _ in range(len(systems))]
    for sid, fields in PROGRAMME_FIELDS.items():
        row = systems.index[systems["id"] == sid]
        for column, value in fields.items():
            systems.at[row[0], column] = value
    devices = systems["id"].str.startswith("dev-")
    for marker, department in _DEVICE_DEPARTMENTS:
        match = devices & systems["id"].str.contains(marker, regex=False)
        systems.loc[match & systems["department"].isna(), "department"] = department
    return systems


def sample_trust(seed: int = 2026) -> Inventory:
    """The Northshire Hospitals NHS FT inventory (about 250 systems, 500+ dependencies)."""
    rng = np.random.default_rng(seed)
    core = _core_systems()
    devices_tail, tail_dependencies = _devices_and_tail(rng)
    systems = _programme_fields(_frame(core + devices_tail))
    dependencies = pd.DataFrame(_dependency_rows() + tail_dependencies)
    dependencies["messages"] = dependencies["messages"].map(
        lambda v: tuple(m.strip() for m in v.split(";")) if isinstance(v, str) else ()
    )
    dependencies["daily_volume"] = dependencies.get("daily_volume")
    return Inventory(conform_systems(systems), conform_dependencies(dependencies))
