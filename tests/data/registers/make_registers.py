"""Two registers kept the way trust IT teams keep them, in two trusts' own layouts.

- ``westmoor-register.xlsx`` (Westmoor University Hospitals NHS Trust): a cover sheet; an
  ``Applications`` sheet with a merged title, a subtitle, merged section headings, the
  team's own headers (``System``, ``Server OS``, ``Middleware``, ``Database``, ``Support
  ends``, ``Clinical criticality``, ``Decision``, ``Interfaces``), year-only and month-year
  dates, money with periods and remarks, month ranges, cloud providers as hosting, free-text
  decisions and a total row; an ``Interfaces`` sheet kept by the integration team (source ->
  target by system names, routed via Rhapsody or direct, two-way and reversed flows, a
  duplicate); a ``Lookups`` sheet.
- ``eastbrook/`` (Eastbrook and Vale NHS Foundation Trust): ``applications.csv`` exported
  from Excel with a title, an export line and blank padding above the header, single-cell
  section rows, ``Ref`` codes, Gold/Silver/Bronze service levels, financial-year contract
  ends; ``interfaces.csv`` (From/To/Via/Flow/Type) routed through Ensemble.

With ``mistakes`` (the default) each holds the genuine mistakes a person makes, which must
be the only errors left once the proposed mapping is reviewed: Westmoor a 31 February and a
misspelt system name in its catalogue; Eastbrook a month 13, a network (HSCN) given as
hosting and a misspelt name in its catalogue.

Run ``python tests/data/registers/make_registers.py`` to write them beside this file.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

WESTMOOR_HEADER = [
    "System",
    "Supplier",
    "Product",
    "Server OS",
    "Middleware",
    "Database",
    "Go live",
    "Support ends",
    "Contract end",
    "Clinical criticality",
    "Hosting",
    "Annual cost",
    "Replacement estimate",
    "Timescale",
    "Decision",
    "Interfaces",
    "Owner",
    "Comments",
]

#: (section heading, rows); a row lists the cells in WESTMOOR_HEADER's order.
WESTMOOR_SYSTEMS = [
    ("CORE PATIENT ADMINISTRATION & EPR", [
        ["Meridian PAS", "Meridian Health", "Meridian PAS 5", "Windows Server 2008 R2", None,
         "SQL Server 2008 R2", "2011", "2020", "31/03/2027", "Tier 1", "On-site", "£450k pa",
         "£3m-£5m", "18-24 months", "Replace with EPR (FBC 2027)", "Rhapsody", "J. Patel",
         "Single SME"],
        ["Electronic Patient Record (EPR)", "TBC", None, None, None, None, "2027", None, None,
         "Tier 1", "Supplier hosted", None, None, None, "Keep", None, "CCIO",
         "In procurement"],
        ["Symphony ED", "EMIS Health", "Symphony", "Windows Server 2012 R2", "IIS 8",
         "SQL Server 2012", "Mar 2015", "Oct 2023", "2026/27", "Tier 1", "On-site",
         "£120k (staff+licences)", "£1.2m", "9-12 months", "Replace by EPR", "Rhapsody",
         None, None],
    ]),
    ("DIAGNOSTICS", [
        ["Pathology LIMS (WinPath)", "Clinisys", "WinPath Enterprise", "Windows Server 2012 R2",
         None, "Oracle 11g", "2004", "2025", "31/02/2026", "Tier 1", "On-site",
         "45,000 per annum", "£2m", "1-2 years", "Replace", "Rhapsody; ICE", None, None],
        ["Radiology RIS (CRIS)", "Wellbeing", "CRIS", "Windows Server 2008 R2", None,
         "Cache 2010", "03/2009", "2020", "Mar 2026", "Tier 1", "On-site", "£60k pa", "£800k",
         "12 months", "Replace", None, None, None],
        ["PACS", "Sectra", "Sectra PACS", "Windows Server 2016", None, "SQL Server 2016",
         "2016", None, "2028", "Tier 1", "Azure", "£250k pa", None, None, "Keep", None, None,
         None],
        ["ICE Order Comms", "Clinisys", "ICE", "Windows Server 2012 R2", None,
         "SQL Server 2012", "2010", None, None, "Tier 2", "On-site", "£35k pa", None, None,
         "Retain", None, None, None],
    ]),
    ("MEDICINES", [
        ["Pharmacy Stock (JAC)", "JAC", "JAC Pharmacy", "Windows Server 2008", None,
         "Cache 2012", "1998", "2020", "2025", "Tier 2", "On-site", "£2k pm", "£400k",
         "6-9 months", "Replace with ePMA", None, None, None],
        ["ePMA", "JAC", "JAC ePMA", None, None, None, "2019", None, None, "Tier 1",
         "Supplier hosted", "£90k pa", None, None, "Keep", None, None, None],
    ]),
    ("CORPORATE & INFRASTRUCTURE", [
        ["Integration Engine (Rhapsody)", "Rovi", "Rhapsody", "Red Hat Enterprise Linux 7",
         None, None, "2012", "2024", None, "Tier 1", "On-site", "£80k pa", "£600k",
         "9-12 months", "Upgrade to v7", None, None, None],
        ["Finance Ledger", "Oracle", "Oracle E-Business Suite", "Oracle Linux 7", None,
         "Oracle 19c", "2008", None, "31/03/2029", "Tier 3", "Oracle Cloud", "£300k pa",
         None, None, "Keep", None, None, None],
        ["Staff Intranet", "Microsoft", "SharePoint Online", None, None, None, "2014", None,
         None, "Tier 4", "Microsoft 365", None, None, None, "Decommission 2026", None, None,
         None],
    ]),
]  # fmt: skip

WESTMOOR_INTERFACES = [
    ["Int ID", "Source system", "Target system", "Message type", "Route", "Direction",
     "Volume/day", "Status"],
    ["INT-001", "Meridian PAS", "Symphony ED", "ADT^A01/A03/A08", "via Rhapsody", "->",
     "12,000", "Live"],
    ["INT-002", "Meridian PAS", "WinPath", "ADT A01, A08", "via Rhapsody", "->", "c. 4,000",
     "Live"],
    ["INT-003", "ICE", "WinPath", "ORM^O01; ORU^R01", "via Rhapsody",
     "Two-way (orders out, results back)", "3,000", "Live"],
    ["INT-004", "ICE", "Radiolgy RIS", "ORM^O01; ORU^R01", "via Rhapsody", "<->", "800",
     "Live"],
    ["INT-005", "CRIS", "PACS", "DICOM MWL", "direct", "->", "500 per hour", "Live"],
    ["INT-006", "Meridian PAS", "ePMA", "ADT^A01; ADT^A02", "Rhapsody", "->", None, "Live"],
    ["INT-007", "Meridian PAS", "Symphony ED", "ADT^A04", "via Rhapsody", "->", "2,000",
     "Live"],
    ["INT-008", "Pharmacy Stock (JAC)", "Finance Ledger", "CSV extract", "direct", "->", "1",
     "Live"],
    ["INT-009", "ePMA", "Pharmacy Stock", "RDE^O11", "via Rhapsody", "->", "600", "Live"],
    ["INT-010", "Symphony ED", "Meridian PAS", "ADT^A08", "via Rhapsody", "<-", None, "Live"],
]  # fmt: skip


def make_westmoor(path: Path, *, mistakes: bool = True) -> Path:
    """Write Westmoor's workbook; without ``mistakes`` its two planted mistakes are fixed."""
    workbook = openpyxl.Workbook()
    workbook.properties.created = dt.datetime(2024, 3, 1)
    cover = workbook.active
    cover.title = "Cover"
    cover.append(["IT Application Register"])
    cover.append(["Owner:", "Head of Digital Services"])
    cover.append(["Version:", "3.2"])

    sheet = workbook.create_sheet("Applications")
    width = len(WESTMOOR_HEADER)
    sheet.append(["Westmoor University Hospitals NHS Trust - Application Register"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["Maintained by Digital Services; last reviewed March 2024"])
    sheet.append([])
    sheet.append(WESTMOOR_HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for heading, rows in WESTMOOR_SYSTEMS:
        sheet.append([heading])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        for row in rows:
            row = list(row)
            if not mistakes and row[8] == "31/02/2026":
                row[8] = "28/02/2026"
            sheet.append(row)
    sheet.append(["Total", *[None] * 10, "£1,447,000", None, None, None, None, None, None])

    interfaces = workbook.create_sheet("Interfaces")
    interfaces.append(["Interface catalogue - maintained by the Integration Team"])
    for row in WESTMOOR_INTERFACES:
        row = list(row)
        if not mistakes and row[2] == "Radiolgy RIS":
            row[2] = "Radiology RIS"
        interfaces.append(row)

    lookups = workbook.create_sheet("Lookups")
    lookups.append(["Tier", "Meaning"])
    for tier, meaning in [
        ("Tier 1", "Patient-safety critical, 24x7"),
        ("Tier 2", "Operationally critical"),
        ("Tier 3", "Business important"),
        ("Tier 4", "Deferrable"),
    ]:
        lookups.append([tier, meaning])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


EASTBROOK_HEADER = [
    "Ref",
    "Application",
    "Vendor",
    "Version",
    "OS",
    "DB",
    "Hosted",
    "Implemented",
    "EOL",
    "Contract expiry",
    "Service level",
    "Users",
    "Run cost",
    "Capital estimate",
    "Duration",
    "Strategy",
    "Lead",
    "Notes",
]

EASTBROOK_SYSTEMS = [
    ("CLINICAL", [
        ["APP-001", "Lorenzo PAS", "DXC", "4.14", "Windows Server 2012 R2", "Oracle 12c",
         "On-premise", "2009", "2025", "2026/27", "Gold", "2400", "£380k p.a.", "£4m-£6m",
         "2-3 years", "Replace by Nervecentre EPR", "J Smith", ""],
        ["APP-002", "Nervecentre EPR", "Nervecentre", "1", "", "", "SaaS", "2026", "",
         "31/03/2036", "Gold", "", "", "", "", "Invest", "CCIO", "Go-live planned 2026"],
        ["APP-003", "ED Tracker (Symphony)", "EMIS", "2.3", "Windows Server 2008 R2",
         "SQL Server 2008", "On-premise", "Sept 2012", "2020", "Mar 2025", "Gold", "600",
         "£95k pa", "£900k", "9-12 months", "Consolidate into Nervecentre EPR", "", ""],
    ]),
    ("DIAGNOSTICS", [
        ["APP-004", "Pathology LIMS", "Clinisys", "WinPath 5.3", "Windows Server 2012 R2",
         "Oracle 11g", "On-premise", "13/2019", "2025", "2027", "Gold", "300", "c. £80k",
         "£1.5m", "18 months", "Replace", "", ""],
        ["APP-005", "Radiology RIS", "Soliton", "4", "Windows Server 2016", "SQL Server 2016",
         "AWS", "2018", "", "31/03/2027", "Silver", "150", "£3k pm", "£250k-£400k",
         "6-9 months", "Tolerate", "", ""],
        ["APP-006", "Digital Dictation", "Nuance", "10", "Windows Server 2012",
         "SQL Server 2012", "HSCN", "2014", "2023", "2025", "Bronze", "800", "£25k pa", "TBC",
         "6 months", "Retire", "", "Replaced by speech recognition in the EPR"],
    ]),
    ("CORPORATE", [
        ["APP-007", "Integration Engine (Ensemble)", "InterSystems", "2018.1",
         "Red Hat Enterprise Linux 7", "Cache 2018", "On-premise", "2015", "2024",
         "31/03/2026", "Gold", "5", "£110k pa", "£700k", "1-2 years", "Migrate to Azure", "",
         ""],
        ["APP-008", "Rostering (HealthRoster)", "Allocate", "10.2", "", "", "Supplier hosted",
         "2016", "", "2026/27", "Silver", "5000", "£60k p.a.", "", "", "Tolerate", "", ""],
        ["APP-009", "Payroll (ESR)", "NHS ESR", "", "", "", "", "2006", "2033", "", "Silver",
         "9000", "", "", "", "No change", "", ""],
    ]),
]  # fmt: skip

EASTBROOK_INTERFACES = [
    ["From", "To", "Messages", "Via", "Flow", "Type", "Msgs/day", "Comments"],
    ["Lorenzo PAS", "ED Tracker", "ADT A01/A02/A03/A08", "Ensemble", "one-way", "HL7 v2.4",
     "8000", ""],
    ["Lorenzo PAS", "Pathology LIMS", "ADT A01/A08", "Ensemble", "one-way", "HL7 v2.4", "3000",
     ""],
    ["Pathology LIMS", "Nervecentre EPR", "ORU^R01", "via Ensemble", "one-way", "HL7 v2.3",
     "5000", ""],
    ["Nervecentre EPR", "Pathology LIMS", "ORM^O01; ORU^R01", "via Ensemble", "bidirectional",
     "HL7 v2.4", "c. 5,000", "Order comms in the EPR"],
    ["Nervecentre EPR", "Radiology RIS", "ORM/ORU", "Ensemble", "two-way", "HL7", "1200", ""],
    ["Lorenzo PAS", "Symphny", "ADT^A08", "Ensemble", "one-way", "HL7 v2.4", "500", ""],
    ["Rostering", "Payroll (ESR)", "CSV file", "direct", "one-way", "SFTP", "1", "Nightly"],
    ["Digital Dictation", "Lorenzo PAS", "MDM^T02", "Ensemble", "->", "HL7", "300", ""],
    ["Lorenzo PAS", "Nervecentre EPR", "Patient, Encounter", "direct", "one-way", "FHIR R4",
     "20k", ""],
]  # fmt: skip


def make_eastbrook(folder: Path, *, mistakes: bool = True) -> Path:
    """Write Eastbrook's CSV folder; without ``mistakes`` its three planted ones are fixed."""
    folder.mkdir(parents=True, exist_ok=True)
    width = len(EASTBROOK_HEADER)
    pad = [""] * (width - 1)
    rows = [
        ["Eastbrook & Vale NHS Foundation Trust - Clinical Systems Inventory", *pad],
        ["Exported from SharePoint 01/05/2024", *pad],
        [""] * width,
        EASTBROOK_HEADER,
    ]
    fixes = {"13/2019": "03/2019", "HSCN": "On-premise"}
    for heading, systems in EASTBROOK_SYSTEMS:
        rows.append([heading, *pad])
        for row in systems:
            rows.append([c if mistakes else fixes.get(c, c) for c in row])
    with (folder / "applications.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    interfaces = [
        [c if mistakes or c != "Symphny" else "Symphony" for c in row]
        for row in EASTBROOK_INTERFACES
    ]
    with (folder / "interfaces.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(interfaces)
    return folder


if __name__ == "__main__":
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    print(make_westmoor(here / "westmoor-register.xlsx"))
    print(make_eastbrook(here / "eastbrook"))
