"""A district general hospital's register written by hand: Riverside Hospitals NHS Trust.

62 systems and about 200 links, kept the way a trust keeps them rather than the way our own
sample trust is generated:

- an **integration engine hub** (``Rhapsody``): the PAS feeds it ADT and it feeds the PAS
  back (demographics updates), every clinical system sends and receives through it, so
  almost every interface is recorded twice, once each way;
- **two-way clinical flows**: orders out and results back between the EPR and the LIMS,
  RIS and cardiology; the EPR and the PAS exchange ADT both ways while they run side by side;
- **platforms**: Citrix, the virtual server farm, the SQL cluster, the LAN, MESH and the
  HSCN link recorded as providers of many applications that are *replaced* (a new product
  brings its own platform), and of a few that are *rehosted* onto the new farm;
- **one shared database** (the RIS and its reporting module), the only true coupling;
- the EPR absorbing the PAS, order comms, e-observations and a few departmental databases
  (``replaced_by``), a new CTG system, a LAN refresh and a Citrix replatforming;
- single-value estimates (a register rarely holds ranges), money with units and remarks,
  and contract ends written as dates.

Run ``python tests/data/registers/make_hub_register.py DEST`` to write ``systems.csv`` and
``dependencies.csv`` into ``DEST`` (the tests write it to a temporary folder).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ENGINE = "rhapsody"

# id, name, category, criticality, patient_facing, users, run cost, cost, months,
# contract end, end of support, disposition, replaced_by, team demand, department
SYSTEMS = [
    ("pas", "Meridian PAS", "PAS", "critical", "yes", 2400, "£620k", "£5.5m", "24",
     "31/03/2028", "2015", "retire", "epr", "data migration: 1.5; integration: 1",
     ""),
    ("epr", "Riverside EPR (new)", "EPR", "critical", "yes", 6500, "£2.9m pa", "£34m",
     "36", "", "", "replace", "",
     "integration: 2; infrastructure: 1; data migration: 1.5; training: 3", ""),
    ("rhapsody", "Rhapsody integration engine", "integration engine", "critical", "no", 12,
     "£180k", "£1.1m", "12", "31/03/2027", "2026", "replatform", "",
     "integration: 2; infrastructure: 0.5", ""),
    ("order-comms", "ICE order comms", "order comms", "critical", "yes", 3000, "£150k",
     "£400k", "9", "31/03/2027", "2024", "retire", "epr", "", ""),
    ("eobs", "e-Observations", "e-observations", "high", "yes", 2200, "£90k", "£300k", "6",
     "", "", "retire", "epr", "", ""),
    ("ed", "Symphony ED", "ED", "critical", "yes", 400, "£120k", "£900k", "12",
     "31/03/2029", "2027", "replace", "", "integration: 1; training: 1", "Emergency"),
    ("lims", "WinPath LIMS", "pathology LIMS", "critical", "yes", 350, "£400k",
     "£6m", "24", "30/06/2028", "31/12/2020", "replace", "",
     "integration: 1.5; data migration: 1; training: 0.5", "Pathology"),
    ("blood-bank", "Blood bank (transfusion)", "blood transfusion", "critical", "yes", 40,
     "£60k", "£700k", "12", "", "2025", "replace", "", "integration: 0.5", "Pathology"),
    ("ris", "CRIS radiology", "radiology RIS", "high", "yes", 300, "£180k", "£1.3m", "12",
     "30/09/2028", "2026", "replace", "", "integration: 1", "Radiology"),
    ("ris-reporting", "CRIS reporting module", "radiology RIS", "medium", "no", 60,
     "£20k", "£100k", "6", "", "2026", "replace", "", "", "Radiology"),
    ("pacs", "PACS and VNA", "PACS", "critical", "yes", 900, "£750k", "£4.2m", "18",
     "31/03/2029", "2027", "replace", "", "integration: 1; infrastructure: 1.5",
     "Radiology"),
    ("cardiology", "Cardiology reporting", "cardiology", "high", "yes", 80, "£70k",
     "£600k", "9", "", "2025", "replace", "", "integration: 0.5", "Cardiology"),
    ("ctg", "CTG monitoring (new)", "maternity", "critical", "yes", 150, "£80k", "£500k",
     "9", "", "", "replace", "", "integration: 0.5; training: 0.5", "Maternity"),
    ("maternity", "Maternity system", "maternity", "critical", "yes", 300, "£110k", "£1m",
     "12", "31/03/2030", "2028", "replace", "", "integration: 0.5; training: 1",
     "Maternity"),
    ("theatres", "Theatres management", "theatres", "high", "yes", 250, "£90k", "£700k",
     "9", "", "2029", "replace", "", "integration: 0.5", "Theatres"),
    ("critical-care", "ICU charting", "critical care", "critical", "yes", 200, "£140k",
     "£1.2m", "12", "", "2027", "replace", "", "integration: 0.5; training: 0.5",
     "Critical care"),
    ("pharmacy", "Pharmacy stock control", "pharmacy", "high", "no", 60, "£50k", "£400k",
     "9", "", "2028", "replace", "", "integration: 0.5", "Pharmacy"),
    ("epma", "ePMA", "ePMA", "critical", "yes", 2500, "£200k", "£900k", "12", "", "2027",
     "retire", "epr", "", ""),
    ("chemo", "Chemotherapy prescribing", "chemotherapy", "critical", "yes", 70, "£45k",
     "£500k", "9", "", "2026", "replace", "", "integration: 0.5", "Oncology"),
    ("edms", "Scanned records (EDMS)", "EDMS", "high", "yes", 1800, "£160k", "£800k", "12",
     "", "2030", "replace", "", "data migration: 1", ""),
    ("dictation", "Digital dictation", "dictation", "medium", "no", 700, "£60k", "£250k",
     "6", "", "2026", "replace", "", "", ""),
    ("portal", "Clinical portal", "clinical portal", "high", "yes", 3000, "£100k",
     "£300k", "6", "", "2025", "retire", "epr", "", ""),
    ("bed-mgmt", "Bed management", "bed management", "high", "yes", 500, "£70k", "£350k",
     "6", "", "2027", "replace", "", "", ""),
    ("coding", "Clinical coding", "clinical coding", "medium", "no", 30, "£40k", "£200k",
     "6", "", "2028", "replace", "", "", ""),
    ("warehouse", "Data warehouse", "data warehouse", "medium", "no", 40, "£150k",
     "£600k", "12", "", "2026", "refactor", "", "data migration: 0.5", ""),
    ("finance", "Finance ledger", "finance", "medium", "no", 80, "£120k", "£500k", "9",
     "31/03/2028", "2029", "replace", "", "", ""),
    ("rostering", "e-Rostering", "rostering", "medium", "no", 4000, "£90k", "£300k", "6",
     "", "2030", "retain", "", "", ""),
    ("citrix", "Citrix farm", "end-user computing", "critical", "no", 5000, "£250k",
     "£900k", "9", "", "2025", "replatform", "", "infrastructure: 1.5", ""),
    ("vm-farm", "Virtual server farm", "infrastructure", "critical", "no", 0, "£300k",
     "£1.5m", "12", "", "2026", "replace", "", "infrastructure: 2", ""),
    ("sql-cluster", "SQL Server cluster", "database", "critical", "no", 0, "£80k",
     "£400k", "6", "", "2024", "replatform", "", "infrastructure: 1", ""),
    ("lan", "Site LAN", "network", "critical", "no", 0, "£200k", "£2.5m", "18", "",
     "2027", "replace", "", "infrastructure: 2", ""),
    ("hscn", "HSCN connection", "network", "critical", "no", 0, "£60k", "", "", "", "",
     "retain", "", "", ""),
    ("mesh", "MESH client", "messaging", "high", "no", 0, "£5k", "£40k", "3", "", "2026",
     "replace", "", "integration: 0.5", ""),
    ("ad", "Active Directory", "identity", "critical", "no", 0, "£40k", "£250k", "6", "",
     "2026", "rehost", "", "infrastructure: 1", ""),
    ("backup", "Backup", "infrastructure", "high", "no", 0, "£70k", "£350k", "6", "",
     "2027", "replace", "", "infrastructure: 0.5", ""),
    ("file-shares", "File shares", "infrastructure", "medium", "no", 0, "£30k", "£100k",
     "3", "", "2026", "rehost", "", "infrastructure: 0.5", ""),
    ("esr", "ESR (national)", "HR", "medium", "no", 4000, "£0", "", "", "", "", "retain",
     "", "", ""),
    ("spine", "Spine PDS", "national service", "critical", "no", 0, "£0", "", "", "", "",
     "retain", "", "", ""),
    ("gp-links", "GP links (MESH)", "community", "high", "yes", 0, "£20k", "£100k", "3",
     "", "2026", "replace", "", "integration: 0.25", ""),
]
# departmental databases absorbed by the EPR, each read from the PAS through the engine
TAILS = [
    ("diabetes-db", "Diabetes clinic database"),
    ("stroke-db", "Stroke register"),
    ("falls-db", "Falls register"),
    ("endo-db", "Endoscopy bookings"),
    ("fracture-db", "Fracture clinic list"),
    ("ortho-db", "Orthotics orders"),
    ("audiology-db", "Audiology bookings"),
    ("renal-db", "Renal results tracker"),
    ("sleep-db", "Sleep studies"),
    ("pain-db", "Pain team referrals"),
    ("tb-db", "TB register"),
    ("ivf-db", "Fertility database"),
    ("derm-db", "Skin lesion photos"),
    ("onc-db", "Cancer tracking spreadsheet"),
    ("physio-db", "Physiotherapy waiting list"),
    ("dietetics-db", "Dietetics referrals"),
    ("optom-db", "Glaucoma monitoring"),
    ("neuro-db", "Neurology clinic list"),
    ("uro-db", "Urology tracker"),
    ("resus-db", "Resuscitation audit"),
    ("vte-db", "VTE assessments"),
    ("safeguard-db", "Safeguarding log"),
    ("sepsis-db", "Sepsis screening"),
]

# (source, target, kind, messages) as the integration team keeps them; "<->" flows are
# written out both ways below
FLOWS = [
    ("pas", ENGINE, "HL7 v2", "ADT^A01/A02/A03/A08"),
    (ENGINE, "pas", "HL7 v2", "ADT^A31 demographics"),
    ("epr", "pas", "HL7 v2", "ADT^A08"),
    ("pas", "epr", "HL7 v2", "ADT^A01/A03"),
    ("order-comms", "lims", "HL7 v2", "ORM^O01"),
    ("lims", "order-comms", "HL7 v2", "ORU^R01"),
    ("epr", "lims", "HL7 v2", "ORM^O01"),
    ("lims", "epr", "HL7 v2", "ORU^R01"),
    ("epr", "ris", "HL7 v2", "ORM^O01"),
    ("ris", "epr", "HL7 v2", "ORU^R01"),
    ("ris", "pacs", "DICOM", "MWL"),
    ("pacs", "ris", "HL7 v2", "ORU^R01 image available"),
    ("epr", "cardiology", "HL7 v2", "ORM^O01"),
    ("cardiology", "epr", "HL7 v2", "ORU^R01; MDM^T02"),
    ("lims", "blood-bank", "HL7 v2", "ORU^R01"),
    ("blood-bank", "lims", "HL7 v2", "ORM^O01"),
    ("pacs", "epr", "API", "image viewer launch"),
    ("ctg", "maternity", "HL7 v2", "ORU^R01"),
    ("maternity", "ctg", "HL7 v2", "ADT^A01"),
    ("epma", "pharmacy", "HL7 v2", "RDE^O11"),
    ("pharmacy", "epma", "HL7 v2", "RDS^O13"),
    ("chemo", "pharmacy", "HL7 v2", "RDE^O11"),
    ("dictation", "epr", "HL7 v2", "MDM^T02"),
    ("epr", "edms", "API", "document index"),
    ("edms", "epr", "API", "document view"),
    ("epr", "warehouse", "file transfer", "nightly extract"),
    ("pas", "warehouse", "file transfer", "nightly extract"),
    ("warehouse", "coding", "file transfer", "episode extract"),
    ("coding", "warehouse", "file transfer", "coded episodes"),
    ("pas", "gp-links", "HL7 v2", "discharge letters"),
    ("gp-links", "mesh", "file transfer", "MESH mailbox"),
    ("mesh", "gp-links", "file transfer", "MESH mailbox"),
    ("pas", "spine", "API", "PDS trace"),
    ("epr", "spine", "FHIR", "PDS"),
    ("finance", "warehouse", "file transfer", "ledger extract"),
    ("bed-mgmt", "epr", "HL7 v2", "ADT^A02"),
    ("epr", "bed-mgmt", "HL7 v2", "ADT^A01/A03"),
]
# every clinical system that takes the PAS feed through the engine, and sends back through it
HUB_CLIENTS = [
    "epr", "order-comms", "eobs", "ed", "lims", "blood-bank", "ris", "pacs", "cardiology",
    "maternity", "theatres", "critical-care", "epma", "chemo", "portal", "bed-mgmt", "edms",
    "ctg",
]
# what runs where: the platforms
RUNS_ON = [
    *((app, "citrix") for app in (
        "pas", "order-comms", "ed", "lims", "ris", "cardiology", "maternity", "theatres",
        "critical-care", "pharmacy", "epma", "chemo", "coding", "finance", "eobs",
    )),
    *((app, "vm-farm") for app in (
        "pas", "lims", "ris", "pacs", "rhapsody", "ed", "edms", "warehouse", "finance",
        "citrix", "file-shares", "dictation", "bed-mgmt", "ad",
    )),
    *((app, "sql-cluster") for app in ("lims", "ris", "warehouse", "edms", "pharmacy")),
    *((app, "lan") for app in (
        "pas", "epr", "lims", "pacs", "ris", "ctg", "citrix", "rhapsody", "vm-farm", "ed",
        "maternity", "critical-care",
    )),
    *((app, "hscn") for app in ("mesh", "spine", "epr", "gp-links")),
    ("mesh", "vm-farm"),
    ("backup", "vm-farm"),
]


def rows() -> tuple[list[dict], list[dict]]:
    """The register's two tables, as the trust typed them."""
    systems = []
    for (sid, name, category, criticality, patient, users, run, cost, months, contract,
         eos, disposition, replaced_by, demand, department) in SYSTEMS:
        systems.append(
            {
                "id": sid,
                "name": name,
                "organisation": "RRV",
                "category": category,
                "hosting": "SaaS" if sid in ("epr", "ctg") else "on-premises",
                "criticality": criticality,
                "patient_facing": patient,
                "users": users,
                "annual_run_cost_gbp": run,
                "replacement_cost_gbp": cost,
                "replacement_months": months,
                "contract_end": contract,
                "end_of_support": eos,
                "status": "planned" if sid in ("epr", "ctg") else "live",
                "disposition": disposition,
                "replaced_by": replaced_by,
                "team_demand": demand,
                "department": department,
            }
        )
    for sid, name in TAILS:
        systems.append(
            {
                "id": sid,
                "name": name,
                "organisation": "RRV",
                "category": "other",
                "hosting": "on-premises",
                "criticality": "medium",
                "patient_facing": "yes",
                "users": 20,
                "annual_run_cost_gbp": "£2k",
                "replacement_cost_gbp": "£30k",
                "replacement_months": "3",
                "status": "live",
                "disposition": "retire",
                "replaced_by": "epr",
                "team_demand": "data migration: 0.05",
            }
        )
    links: dict[tuple[str, str], dict] = {}

    def add(provider: str, consumer: str, kind: str, messages: str = "") -> None:
        links.setdefault(
            (consumer, provider),
            {"consumer": consumer, "provider": provider, "kind": kind, "messages": messages},
        )

    for source, target, kind, messages in FLOWS:
        add(source, target, kind, messages)
    for client in HUB_CLIENTS:
        add(ENGINE, client, "HL7 v2", "ADT^A01/A02/A03/A08 from the PAS")
        add(client, ENGINE, "HL7 v2", "results and orders out")
    for sid, _ in TAILS:
        add(ENGINE, sid, "HL7 v2", "ADT^A08")
        add(sid, "warehouse", "file transfer", "monthly extract")
    for app, platform in RUNS_ON:
        add(platform, app, "infrastructure")
    # the RIS and its reporting module share one database: the only coupling
    add("ris", "ris-reporting", "database link")
    add("ris-reporting", "ris", "database link")
    for sid in ("pas", "epr", "lims", "ris", "pacs", "citrix", "rhapsody"):
        add("ad", sid, "authentication")
    return systems, list(links.values())


def write(folder: Path) -> Path:
    """Write ``systems.csv`` and ``dependencies.csv`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    systems, links = rows()
    for name, table in (("systems.csv", systems), ("dependencies.csv", links)):
        columns = list(dict.fromkeys(key for row in table for key in row))
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(table)
    return folder


if __name__ == "__main__":  # pragma: no cover
    print(write(Path(sys.argv[1] if len(sys.argv) > 1 else "riverside")))
