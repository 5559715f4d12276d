"""Seeded synthetic inventories: the Northshire sample trust and national-scale estates.

:func:`sample_trust` builds "Northshire Hospitals NHS Foundation Trust", a fictional ~750-bed
acute trust on two sites, following ``nhs-domain.md`` section 6: about 45 core clinical and
corporate systems (a 1990s MUMPS PAS, an OpenVMS LIMS, an Ensemble TIE, RIS/PACS ...), their
infrastructure, the national services they talk to, XP/7-era embedded devices and a long tail
of Access databases, wired together with real HL7 v2 message types, DICOM, MESH and ODBC
links. Supplier and product names are invented; platforms and their lifecycles are real.

:func:`national` tiles trust-shaped estates across many organisations, adds GP practices and
national hubs (Spine PDS, MESH, e-RS, SUS+, CIS2) that nearly everything depends on, and
cross-organisation feeds; it is vectorised, so a million systems take seconds.

Both are deterministic for a given seed.

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

__all__ = ["TRUST_ODS", "national", "sample_trust"]

TRUST_ODS = "RXX"
NATIONAL_ODS = "X26"
ICS_ODS = "QXX"

# fmt: off
# --- the core estate ------------------------------------------------------------------
# (id, name, category, supplier, product, version, platform, hosting, go_live, contract_end,
#  criticality, patient_facing, users, run £k/yr, cost £k low/likely/high, months l/l/h,
#  known vulns, skills scarcity, disposition, extras)
_CORE: list[tuple] = [
    ("pas", "Patient Administration System", "PAS", "Meridian Health Systems", "Meridian PAS",
     "5.2", "InterSystems Cache 2010.2 on IBM AIX 6.1", "on-premises", "1998-04-01",
     "2028-03-31", "critical", True, 2400, 620, (3000, 5500, 10000), (18, 24, 30), 4,
     "critical", "retire",
     {"replaced_by": "epr", "notes": "ADT master since 1998 (ex-NPfIT local service "
      "provider product); MUMPS routines maintained by one contractor; vendor in care and "
      "maintenance", "team_demand": "data migration: 1.5; integration: 1; clinical safety: 0.3"}),
    ("epr", "Northshire EPR (new)", "EPR", "Halcyon Clinical", "Halcyon EPR", "2026",
     "SaaS", "SaaS", "", "2037-03-31", "critical", True, 6500, 2900,
     (26000, 34000, 52000), (24, 30, 42), 0, "none", "replace",
     {"status": "planned", "after": "tie",
      "notes": "Frontline digitisation EPR: absorbs PAS, order comms, e-obs, e-forms, "
      "discharge and the clinical portal; DCB0160 safety case per module",
      "team_demand": "integration: 2; infrastructure: 1; clinical safety: 0.5; "
      "data migration: 1.5; training: 3"}),
    ("tie", "Trust Integration Engine", "integration engine", "Tessellate Integration",
     "InterSystems Ensemble", "2014.1", "InterSystems Ensemble 2014.1 on Windows Server 2012 R2",
     "on-premises", "2012-09-01", "2027-03-31", "critical", False, 12, 180,
     (700, 1100, 1800), (9, 12, 18), 3, "high", "replatform",
     {"notes": "Hub for ~60 HL7 v2 routes, MESH and the first FHIR feeds",
      "team_demand": "integration: 2; infrastructure: 0.5; clinical safety: 0.2"}),
    ("empi", "Spine Mini Service / EMPI", "identity", "Tessellate Integration", "PDS Connect",
     "3.1", "Java 8 on Windows Server 2012 R2", "on-premises", "2014-06-01", "2027-03-31",
     "critical", False, 4, 45, (150, 250, 400), (6, 9, 12), 2, "medium", "replatform",
     {"after": "tie", "team_demand": "integration: 0.5; infrastructure: 0.3"}),
    ("sso", "Single sign-on and smartcard middleware", "identity", "Keystone Identity",
     "Keystone SSO", "7.4", "Windows Server 2019", "on-premises", "2017-05-01", "2028-03-31",
     "critical", False, 7000, 160, (300, 500, 800), (6, 9, 12), 1, "low", "replace",
     {"notes": "CIS1 to CIS2 (NHS Care Identity Service 2) move; Identity Agent retirement",
      "team_demand": "infrastructure: 1; integration: 0.3; training: 0.5"}),
    ("mesh-client", "MESH client", "messaging", "NHS England", "MESH Client", "6.3",
     "Java 8 on Windows Server 2012", "on-premises", "2016-02-01", "", "high", False, 3, 5,
     (20, 50, 100), (2, 3, 4), 1, "low", "replace",
     {"notes": "Legacy MESH client; move to the MESH API via the TIE",
      "team_demand": "integration: 0.5"}),
    ("ed", "Emergency Department system", "ED", "Aldermoor Software", "Aldermoor ED",
     "4.8", ".NET 3.5 / SQL Server 2008 R2 on Windows Server 2008 R2", "on-premises",
     "2009-11-01", "2027-03-31", "critical", True, 450, 190, (700, 1200, 2000), (9, 12, 18),
     6, "medium", "retire",
     {"replaced_by": "epr", "notes": "Sends ECDS; whiteboard screens in majors and resus"}),
    ("bed-mgmt", "Bed management and patient flow", "bed management", "Brightwater Systems",
     "FlowBoard", "2.9", "SQL Server 2012 on Windows Server 2012 R2", "on-premises",
     "2015-10-01", "2027-09-30", "high", True, 900, 110, (300, 600, 1000), (6, 9, 12), 2,
     "low", "replace", {"after": "epr",
                        "team_demand": "integration: 0.5; infrastructure: 0.3; training: 0.5"}),
    ("eobs", "e-Observations (NEWS2)", "e-observations", "Obsidian Medical", "VitalsNow",
     "3.2", "SQL Server 2014 on Windows Server 2012 R2", "on-premises", "2016-03-01",
     "2027-03-31", "critical", True, 3200, 170, (500, 900, 1500), (9, 12, 15), 1, "low",
     "retire", {"replaced_by": "epr"}),
    ("theatres", "Theatres management", "theatres", "Kestrel Healthcare IT", "Kestrel Theatres",
     "6.1", "Delphi 7 / SQL Server 2005 on Windows Server 2003", "on-premises", "2001-06-01",
     "2026-03-31", "high", True, 380, 95, (400, 700, 1100), (9, 12, 15), 9, "critical",
     "replace", {"after": "epr", "notes": "Delphi 7 client; only the original author can "
                 "change the stock interface",
                 "team_demand": "integration: 0.5; infrastructure: 0.5; clinical safety: 0.2; "
                 "training: 0.5"}),
    ("maternity", "Maternity information system", "maternity", "Cradle Systems", "Cradle MIS",
     "8.0", "VB6 / SQL Server 2008 on Windows Server 2008", "on-premises", "2006-09-01",
     "2027-03-31", "critical", True, 420, 140, (600, 1100, 2000), (12, 15, 18), 7, "high",
     "replace", {"after": "epr", "notes": "Baby registration (A28/A04) back to PAS; MSDS",
                 "team_demand": "integration: 0.75; clinical safety: 0.3; "
                 "data migration: 0.5; training: 1"}),
    ("critical-care", "Critical care clinical information system", "critical care",
     "Vantage Medical", "Vantage ICU", "9.3", "Windows 7 / SQL Server 2008 R2",
     "on-premises", "2011-04-01", "2028-03-31", "critical", True, 260, 210,
     (1000, 1800, 3000), (12, 15, 18), 8, "medium", "replace",
     {"after": "epr", "notes": "Bedside PCs on Windows 7; device feeds from monitors",
      "team_demand": "integration: 0.5; infrastructure: 0.5; clinical safety: 0.3; "
      "training: 0.5"}),
    ("order-comms", "Order communications and results", "order comms", "Clarion Clinical",
     "Clarion Requests", "7.1", "InterSystems Cache 2012.1 on Windows Server 2008 R2",
     "on-premises", "2005-03-01", "2027-03-31", "critical", True, 4100, 230,
     (500, 900, 1500), (9, 12, 18), 5, "high", "retire", {"replaced_by": "epr"}),
    ("eforms", "e-Forms and specialty noting", "EPR", "In-house", "Northshire eForms", "2.3",
     "ASP.NET 4.0 / SQL Server 2008 R2 on Windows Server 2008 R2", "on-premises",
     "2008-01-01", "", "high", True, 2100, 60, (300, 500, 900), (9, 12, 15), 4, "critical",
     "retire", {"replaced_by": "epr", "notes": "Built in-house; the developer retired in 2021"}),
    ("discharge", "Discharge summaries and transfers of care", "discharge", "In-house",
     "eDischarge", "4.0", ".NET 4.5 / SQL Server 2012 on Windows Server 2012 R2",
     "on-premises", "2013-05-01", "", "high", True, 1800, 40, (200, 350, 600), (6, 9, 12), 2,
     "high", "retire", {"replaced_by": "epr"}),
    ("edms", "Electronic document management (scanned records)", "EDMS", "Parchment Systems",
     "Parchment EDMS", "5.6", "Windows Server 2008 R2 / SQL Server 2008 R2", "on-premises",
     "2010-08-01", "2026-09-30", "high", True, 3800, 310, (800, 1400, 2200), (12, 18, 24), 5,
     "medium", "replace", {"after": "epr", "notes": "24 TB of scanned notes since 1995",
                           "team_demand": "infrastructure: 1; data migration: 1.5; "
                           "integration: 0.3"}),
    ("dictation", "Digital dictation and speech recognition", "dictation", "Voxwright",
     "Voxwright DD", "11", "Windows Server 2019", "on-premises", "2014-01-01",
     "2027-03-31", "medium", False, 900, 120, (200, 350, 600), (6, 8, 9), 1, "low", "replace",
     {"team_demand": "infrastructure: 0.5; integration: 0.3"}),
    ("portal", "Clinical portal", "clinical portal", "Tessellate Integration",
     "Tessellate Portal", "2015.2", "InterSystems Cache 2015.2 on Windows Server 2012 R2",
     "on-premises", "2016-01-01", "2027-03-31", "high", True, 5200, 150, (500, 900, 1600),
     (9, 12, 18), 2, "medium", "retire", {"replaced_by": "epr"}),
    ("lims", "Pathology LIMS (blood sciences and microbiology)", "pathology LIMS",
     "Sentinel Diagnostics IT", "Sentinel LIMS", "4.6", "MUMPS on OpenVMS 8.3",
     "on-premises", "1989-10-01", "2027-03-31", "critical", True, 350, 540,
     (3500, 6000, 10000), (18, 24, 36), 3, "critical", "replace",
     {"after": "tie", "notes": "1980s MUMPS core on an AlphaServer; EDIFACT NHS003 results "
      "to GPs; part of the pathology network business case",
      "team_demand": "integration: 1.5; infrastructure: 1; clinical safety: 0.4; "
      "data migration: 1; training: 1"}),
    ("transfusion", "Blood tracking and transfusion", "blood transfusion", "Haemotrack",
     "Haemotrack", "3.4", "SQL Server 2019 on Windows Server 2019", "on-premises", "2013-07-01",
     "2027-03-31", "critical", True, 900, 30, (200, 350, 600), (6, 9, 12), 2, "medium",
     "replace", {"after": "lims", "team_demand": "integration: 0.5; clinical safety: 0.3"}),
    ("digital-path", "Digital pathology (whole-slide imaging)", "digital pathology",
     "Lumen Imaging Systems", "Lumen Slides", "2.1", "Windows Server 2019", "on-premises",
     "2021-02-01", "2031-03-31", "medium", False, 45, 260, (1000, 1800, 3000), (12, 18, 24), 0,
     "none", "retain", {}),
    ("ris", "Radiology information system", "radiology RIS", "Lumen Imaging Systems",
     "Lumen RIS", "5.0", "InterSystems Cache 2012.2 on Windows Server 2008 R2",
     "on-premises", "2007-06-01", "2027-06-30", "critical", True, 600, 190,
     (600, 1100, 1800), (12, 15, 18), 4, "medium", "replace",
     {"notes": "ex-NPfIT RIS; procured jointly with PACS", "after": "tie",
      "team_demand": "integration: 1; infrastructure: 0.5; clinical safety: 0.3; "
      "data migration: 0.5"}),
    ("pacs", "PACS and vendor-neutral archive", "PACS", "Lumen Imaging Systems", "Lumen PACS",
     "12", "Windows Server 2012 R2 / Oracle 11g", "on-premises", "2012-11-01",
     "2027-06-30", "critical", True, 1500, 820, (3000, 5000, 8000), (12, 18, 24), 3,
     "medium", "replace", {"notes": "230 TB; consortium procurement with two neighbours",
                           "team_demand": "infrastructure: 1.5; integration: 0.5; "
                           "data migration: 1; clinical safety: 0.2"}),
    ("cardiology", "Cardiology ECG and echo management", "cardiology", "Vantage Medical",
     "Vantage Cardio", "7.2", "Windows 7 / SQL Server 2008 R2", "on-premises", "2012-03-01",
     "2027-03-31", "high", True, 240, 130, (500, 900, 1500), (9, 12, 18), 6, "medium",
     "replace", {"team_demand": "integration: 0.5; infrastructure: 0.3; clinical safety: 0.2"}),
    ("endoscopy", "Endoscopy reporting", "endoscopy", "Scopewise", "Scopewise Reporter", "4.1",
     "Microsoft Access 2010 / SQL Server 2008 on Windows Server 2008", "on-premises",
     "2010-02-01", "2026-03-31", "high", True, 60, 35, (100, 200, 400), (6, 7, 9), 4,
     "medium", "replace", {"team_demand": "integration: 0.3; clinical safety: 0.1"}),
    ("pharmacy", "Pharmacy stock control and dispensing", "pharmacy", "Dispensa",
     "Dispensa Stock", "9.1", "InterSystems Cache 2010.1 on Windows Server 2008",
     "on-premises", "1997-05-01", "2027-03-31", "critical", True, 120, 110,
     (300, 600, 1000), (9, 12, 15), 4, "high", "replace",
     {"after": "epr", "notes": "Character-cell screens; robot interface",
      "team_demand": "integration: 0.5; clinical safety: 0.3; data migration: 0.5"}),
    ("epma", "Electronic prescribing and medicines administration", "ePMA",
     "Dispensa", "Dispensa ePMA", "3.3", "Windows Server 2012 R2 / SQL Server 2014",
     "on-premises", "2017-09-01", "2027-03-31", "critical", True, 4300, 280,
     (1000, 2000, 4000), (12, 18, 24), 2, "low", "retire",
     {"replaced_by": "epr", "notes": "Closed-loop with the EPR's medicines module"}),
    ("chemo", "Chemotherapy e-prescribing", "chemotherapy", "Oncodose", "Oncodose", "5.4",
     "VB6 / SQL Server 2008 on Windows Server 2008", "on-premises", "2008-04-01",
     "2027-03-31", "critical", True, 140, 70, (300, 600, 1000), (9, 12, 15), 5, "high",
     "replace", {"after": "epr", "notes": "SACT data set to NDRS",
                 "team_demand": "integration: 0.3; clinical safety: 0.4; training: 0.3"}),
    ("radiotherapy", "Radiotherapy oncology information system", "radiotherapy",
     "Linacore", "Linacore OIS", "15.6", "Windows Server 2012 R2", "on-premises", "2015-03-01",
     "2029-03-31", "critical", True, 110, 380, (1000, 2000, 3000), (12, 18, 24), 2, "low",
     "retain", {"notes": "Tied to the linac replacement programme"}),
    ("cancer-mdt", "Cancer MDT and registry", "cancer", "Tumourtrack", "Tumourtrack", "3.0",
     "Microsoft Access 2007 front end / SQL Server 2008 R2", "on-premises", "2009-07-01",
     "2027-03-31", "high", False, 90, 30, (100, 300, 500), (6, 9, 12), 3, "medium",
     "replace", {"after": "epr", "notes": "COSD and cancer waiting times returns",
                 "team_demand": "integration: 0.3; data migration: 0.3"}),
    ("patient-portal", "Patient portal and outpatient communications", "patient portal",
     "Bridgeway Digital", "Bridgeway", "2026", "SaaS", "SaaS", "2022-06-01", "2028-05-31",
     "medium", True, 60000, 210, (200, 400, 800), (6, 9, 12), 0, "none", "retain", {}),
    ("coding", "Clinical coding encoder", "clinical coding", "Codex Health", "Codex Encoder",
     "2019", "Windows 10 22H2", "on-premises", "2019-04-01", "2027-03-31", "medium", False,
     45, 40, (50, 100, 200), (3, 6, 9), 1, "low", "replace",
     {"team_demand": "infrastructure: 0.2"}),
    ("data-warehouse", "Data warehouse, PTL and BI", "data warehouse", "In-house",
     "Northshire DW", "2019", "SQL Server 2019 / SSIS on Windows Server 2022",
     "on-premises", "2012-04-01", "", "high", False, 350, 240, (800, 1400, 2200),
     (12, 18, 24), 2, "medium", "refactor",
     {"after": "epr", "notes": "RTT PTL, SUS+ CDS submissions and income reporting depend "
      "on the nightly PAS extract",
      "team_demand": "data migration: 1; integration: 0.5; infrastructure: 0.5"}),
    ("proms", "PROMs and outcomes", "outcomes", "Outcomely", "Outcomely", "2.0", "SaaS",
     "SaaS", "2020-01-01", "2027-12-31", "low", False, 30, 25, (50, 100, 200), (3, 4, 6), 0,
     "none", "retain", {}),
    ("finance", "Finance ledger", "finance", "Shared Business Ledgers", "Oracle E-Business Suite",
     "12.1.3", "Oracle 11g on Oracle Solaris 10", "private cloud", "2008-04-01",
     "2028-03-31", "high", False, 420, 480, (1500, 2500, 4000), (12, 18, 24), 4, "medium",
     "replace", {"notes": "Ledger go-lives avoid March to May (year end)",
                 "team_demand": "integration: 0.5; data migration: 1; training: 1"}),
    ("p2p", "Procurement and materials management", "procurement", "Shared Business Ledgers",
     "P2P Catalogue", "8.4", "Oracle 11g on Oracle Solaris 10", "private cloud",
     "2010-04-01", "2028-03-31", "medium", False, 600, 95, (300, 600, 1000), (9, 12, 15), 3,
     "medium", "replace", {"team_demand": "integration: 0.3; data migration: 0.5"}),
    ("rostering", "e-Rostering and bank staff", "rostering", "Shiftwise", "Shiftwise Roster",
     "2024", "SaaS", "SaaS", "2018-10-01", "2027-09-30", "high", False, 9000, 230,
     (300, 600, 1000), (9, 12, 15), 0, "none", "retain", {}),
    ("cafm", "Estates CAFM and medical device asset register", "estates", "Fabrick",
     "Fabrick CAFM", "6.5", "Microsoft Access 2010 / SQL Server 2008 R2", "on-premises",
     "2011-01-01", "2026-12-31", "medium", False, 140, 25, (100, 200, 400), (6, 9, 12), 2,
     "low", "replace", {"team_demand": "data migration: 0.3; infrastructure: 0.2"}),
    ("ecg-carts", "ECG management gateway", "cardiology", "Vantage Medical", "ECG Gateway",
     "2.4", "Windows XP Embedded", "on-premises", "2008-05-01", "", "high", True, 40, 15,
     (100, 180, 300), (3, 6, 9), 11, "medium", "replace",
     {"after": "cardiology", "team_demand": "infrastructure: 0.3; integration: 0.2"}),
    ("sexual-health", "Sexual health clinic system", "other", "Discreet Clinical",
     "Discreet", "4.2", "SQL Server 2012 on Windows Server 2012", "on-premises",
     "2014-04-01", "2026-03-31", "high", True, 80, 35, (100, 250, 400), (6, 8, 12), 2, "low",
     "replace", {"team_demand": "data migration: 0.3; clinical safety: 0.1"}),
    ("renal", "Renal and dialysis system", "other", "Nephra Systems", "Nephra", "5.5",
     "Oracle 10g on Windows Server 2003", "on-premises", "2004-06-01", "2026-03-31",
     "critical", True, 110, 60, (400, 700, 1200), (9, 12, 15), 8, "high", "replace",
     {"after": "epr", "notes": "UK Renal Registry returns; dialysis unit machines",
      "team_demand": "integration: 0.5; clinical safety: 0.2; data migration: 0.5"}),
    ("community-links", "Community and virtual ward link", "community", "Carelink",
     "Carelink", "2024", "SaaS", "SaaS", "2023-01-01", "2028-03-31", "medium", True, 300, 90,
     (100, 250, 500), (6, 9, 12), 0, "none", "retain", {}),
]

# --- infrastructure -------------------------------------------------------------------
# (id, name, category, platform, go_live, criticality, run £k, cost £k, months, vulns,
#  disposition, team demand)
_INFRA: list[tuple] = [
    ("ad", "Active Directory and DNS", "identity", "Windows Server 2012 R2", "2014-01-01",
     "critical", 60, (150, 250, 400), (6, 9, 12), 3, "rehost", "infrastructure: 1"),
    ("vmware-main", "Main site virtual server farm", "infrastructure", "VMware ESXi 6.7",
     "2018-06-01", "critical", 240, (800, 1200, 1800), (6, 9, 12), 4, "replatform",
     "infrastructure: 1.5"),
    ("vmware-dr", "Disaster recovery server farm", "infrastructure", "VMware ESXi 6.5",
     "2017-03-01", "high", 120, (500, 800, 1200), (6, 9, 12), 4, "replatform",
     "infrastructure: 1"),
    ("san", "Storage area network", "infrastructure", "Dell EMC Unity", "2017-03-01",
     "critical", 180, (600, 900, 1400), (4, 6, 9), 0, "replace", "infrastructure: 1"),
    ("sql-cluster", "Shared SQL Server cluster", "database",
     "SQL Server 2008 R2 on Windows Server 2008 R2", "2011-02-01", "critical", 90,
     (200, 350, 600), (4, 6, 9), 6, "replatform", "infrastructure: 1; integration: 0.3"),
    ("oracle-rac", "Oracle database cluster", "database", "Oracle 11g on RHEL 6",
     "2012-05-01", "high", 140, (300, 500, 800), (4, 6, 9), 3, "replatform",
     "infrastructure: 1"),
    ("aix-host", "IBM Power server for PAS", "infrastructure", "IBM AIX 6.1", "2011-08-01",
     "critical", 85, (150, 250, 400), (3, 4, 6), 2, "retire", "infrastructure: 0.5"),
    ("vms-alpha", "AlphaServer for LIMS", "infrastructure", "OpenVMS 8.3", "2004-02-01",
     "critical", 70, (50, 100, 200), (2, 3, 4), 1, "retire", "infrastructure: 0.3"),
    ("citrix", "Citrix virtual apps farm", "end-user computing", "Citrix XenApp 7.15 on "
     "Windows Server 2012 R2", "2017-11-01", "critical", 150, (300, 500, 800), (6, 8, 12), 5,
     "replatform", "infrastructure: 1"),
    ("file-shares", "Departmental file shares", "infrastructure", "Windows Server 2008 R2",
     "2010-01-01", "medium", 30, (50, 100, 200), (3, 4, 6), 6, "rehost", "infrastructure: 0.3"),
    ("backup", "Backup and recovery", "infrastructure", "Veeam Backup 12 on Windows Server "
     "2019", "2016-04-01", "critical", 70, (150, 250, 400), (3, 4, 6), 2, "replace",
     "infrastructure: 0.5"),
    ("network-core", "Core network and firewalls", "network", "Cisco IOS-XE 16", "2018-02-01",
     "critical", 210, (800, 1300, 2000), (6, 9, 12), 2, "replace", "infrastructure: 1"),
    ("hscn", "HSCN connection", "network", "HSCN", "2018-09-01", "critical", 95,
     (50, 100, 150), (2, 3, 4), 0, "retain", ""),
    ("email-relay", "SMTP relay for letters and alerts", "infrastructure",
     "Windows Server 2008", "2009-06-01", "medium", 5, (10, 30, 60), (1, 2, 3), 4, "retire",
     "infrastructure: 0.2"),
    ("print-server", "Print servers (wristbands and labels)", "end-user computing",
     "Windows Server 2008 R2", "2010-09-01", "high", 15, (30, 60, 100), (2, 3, 4), 5, "rehost",
     "infrastructure: 0.3"),
    ("desktop-win10", "Trust desktop estate (Windows 10)", "end-user computing",
     "Windows 10 22H2", "2019-10-01", "high", 900, (1500, 2500, 4000), (9, 12, 18), 1,
     "replace", "infrastructure: 2; training: 0.5"),
]

# --- national and regional services (not the trust's to replace) -----------------------
_NATIONAL: list[tuple] = [
    ("spine-pds", "Spine Personal Demographics Service", "national service", NATIONAL_ODS),
    ("spine-cis2", "NHS Care Identity Service 2", "identity", NATIONAL_ODS),
    ("mesh", "Message Exchange for Social Care and Health (MESH)", "messaging", NATIONAL_ODS),
    ("e-rs", "NHS e-Referral Service", "national service", NATIONAL_ODS),
    ("sus-plus", "Secondary Uses Service (SUS+)", "national service", NATIONAL_ODS),
    ("esr", "Electronic Staff Record", "HR", NATIONAL_ODS),
    ("gp-systems", "GP practice systems (via GP Connect)", "GP system", NATIONAL_ODS),
    ("shcr", "Northshire shared care record", "clinical portal", ICS_ODS),
    ("nhs-app", "NHS App", "patient portal", NATIONAL_ODS),
]

# --- embedded devices (XP/7-era) -------------------------------------------------------
_DEVICES: list[tuple] = [
    ("CT scanner console", "PACS", "DICOM", "Windows 7 Embedded", 4),
    ("MRI console", "PACS", "DICOM", "Windows 7", 2),
    ("Fluoroscopy workstation", "PACS", "DICOM", "Windows XP Embedded", 2),
    ("Mobile X-ray unit", "PACS", "DICOM", "Windows XP Embedded", 3),
    ("Mammography workstation", "PACS", "DICOM", "Windows 7", 2),
    ("Ultrasound scanner", "PACS", "DICOM", "Windows 7 Embedded", 6),
    ("Bone densitometer", "PACS", "DICOM", "Windows XP", 1),
    ("Cath lab haemodynamic recorder", "cardiology", "HL7 v2", "Windows 7", 2),
    ("Blood gas analyser middleware", "lims", "other", "Windows XP Embedded", 2),
    ("Haematology analyser line", "lims", "other", "Windows 7 Embedded", 2),
    ("Biochemistry analyser middleware", "lims", "other", "Windows 7", 1),
    ("Microbiology incubator controller", "lims", "other", "Windows XP", 1),
    ("Endoscopy stack capture PC", "endoscopy", "DICOM", "Windows 7", 3),
    ("Retinal camera", "PACS", "DICOM", "Windows XP", 2),
    ("Audiology booth PC", "file-shares", "file transfer", "Windows XP", 2),
    ("Dialysis machine gateway", "renal", "HL7 v2", "Windows 7 Embedded", 1),
    ("Patient monitor central station", "critical-care", "HL7 v2", "Windows XP Embedded", 3),
    ("Infusion pump server", "critical-care", "HL7 v2", "Windows Server 2008", 1),
    ("Pharmacy dispensing robot controller", "pharmacy", "other", "Windows XP Embedded", 1),
    ("Pathology specimen tracking kiosk", "lims", "API", "Windows 7 Embedded", 4),
]

# --- the long tail -------------------------------------------------------------------
_TAIL_SUBJECTS = [
    "stroke audit", "diabetes clinic", "falls register", "tissue viability", "pressure ulcer",
    "sepsis audit", "hip fracture", "frailty", "anticoagulation clinic", "warfarin dosing",
    "vascular access", "renal transplant follow-up", "IBD clinic", "rheumatology biologics",
    "ophthalmology injections", "glaucoma monitoring", "hearing aid repairs", "orthotics orders",
    "physiotherapy waiting list", "occupational therapy equipment", "dietetics referrals",
    "speech therapy caseload", "neonatal admissions", "paediatric diabetes", "safeguarding log",
    "mortality review", "incident follow-up", "complaints tracker", "clinical audit register",
    "research recruitment", "consultant job plans", "junior doctor rota", "locum bookings",
    "medical records tracking", "case note requests", "bereavement office", "mortuary register",
    "chaplaincy visits", "volunteer rota", "car parking permits", "porter tasks",
    "bed cleaning requests", "infection control alerts", "MRSA screening", "C. diff cases",
    "antimicrobial stewardship", "blood culture tracking", "day surgery pre-assessment",
    "endoscopy bowel screening", "breast screening call-recall", "colposcopy results",
    "cardiac rehab", "heart failure nurses", "respiratory home oxygen", "sleep studies",
    "pulmonary rehab", "lung cancer pathway", "prostate cancer pathway", "skin lesion photos",
    "plastics dressing clinic", "fracture clinic", "orthopaedic implants", "theatre instruments",
    "sterile services tracking", "medical equipment loans", "catering orders", "linen usage",
    "waste consignments", "fire safety checks", "training compliance", "appraisal tracker",
    "staff health vaccinations", "occupational health referrals", "interpreter bookings",
    "patient transport bookings", "outpatient clinic templates", "cancelled operations",
    "18-week validation", "cancer 62-day tracking", "discharge lounge", "ward staffing census",
    "escalation status", "winter beds", "medical outliers", "virtual fracture clinic",
    "pain team referrals", "palliative care", "learning disability flags", "dementia screening",
    "nutrition screening", "VTE assessments", "blood transfusion audit", "haemophilia register",
    "sickle cell register", "genetics family trees", "fertility treatment", "termination register",
    "early pregnancy unit", "antenatal screening", "newborn hearing", "child protection medicals",
    "paediatric growth charts", "school nurse referrals", "health visitor handover",
    "maternity bookings backlog", "obstetric theatre log", "anaesthetic records",
    "critical care outreach", "resuscitation audit", "major trauma returns",
    "stoma care", "continence service", "lymphoedema clinic", "epilepsy nurses",
    "multiple sclerosis register", "Parkinson's clinic", "neurophysiology bookings",
    "urodynamics", "lithotripsy list", "bariatric surgery", "hand therapy", "podiatry",
    "wheelchair service", "prosthetics", "tracheostomy register", "ventilated patients",
    "ECMO referrals", "organ donation", "clinical photography", "medical illustration",
    "pathology sendaways", "point-of-care testing", "hospital at night", "site manager log",
    "emergency planning", "business continuity contacts", "information governance requests",
    "subject access requests", "FOI requests", "DSPT evidence",
]
_TAIL_KINDS = [
    ("database", "Microsoft Access 2003 on Windows 7", 0.35),
    ("database", "Microsoft Access 2010 on Windows 10", 0.25),
    ("tracker", "Microsoft Access 2007 on Windows 7", 0.15),
    ("register", "Excel macros on Windows 10", 0.1),
    ("tool", "ASP.NET 4.0 / SQL Server 2008 R2 on Windows Server 2008 R2", 0.1),
    ("system", "PHP 5.6 / MySQL 5.5 on Windows Server 2008", 0.05),
]


_TAIL_CATEGORIES = {
    "rota": "rostering", "locum": "rostering", "staffing": "rostering", "volunteer": "rostering",
    "training": "HR", "appraisal": "HR", "job plans": "HR", "occupational health": "HR",
    "staff health": "HR", "parking": "estates", "catering": "estates", "linen": "estates",
    "waste": "estates", "fire": "estates", "porter": "estates", "cleaning": "estates",
    "records tracking": "EDMS", "case note": "EDMS", "18-week": "data warehouse",
    "62-day": "cancer", "cancer": "cancer", "cancelled operations": "data warehouse",
    "mortality": "outcomes", "audit": "outcomes", "returns": "outcomes", "screening": "other",
    "equipment": "estates", "instruments": "theatres", "sterile": "theatres",
    "theatre": "theatres", "anaesthetic": "theatres", "implants": "theatres",
    "maternity": "maternity", "antenatal": "maternity", "pregnancy": "maternity",
    "newborn": "maternity", "neonatal": "maternity", "obstetric": "maternity",
    "transport": "bed management", "beds": "bed management", "discharge lounge": "discharge",
    "outliers": "bed management", "escalation": "bed management", "endoscopy": "endoscopy",
    "blood": "blood transfusion", "haemophilia": "blood transfusion",
    "interpreter": "patient portal", "cardiac": "cardiology", "heart": "cardiology",
}


# fmt: on


def _tail_category(subject: str) -> str:
    for keyword, category in _TAIL_CATEGORIES.items():
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
    ) in _CORE:
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
    ) in _INFRA:
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
    for sid, name, category, ods in _NATIONAL:
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


# fmt: off
# (consumer, provider, kind, criticality, messages, daily volume)
_CORE_DEPENDENCIES: list[tuple] = [
    ("pas", "spine-pds", "API", "critical", "PDS trace; PDS update", 4000),
    ("pas", "empi", "HL7 v2", "critical", "ADT^A28; ADT^A31; QBP^Q21", 3500),
    ("empi", "spine-pds", "API", "critical", "PDS trace", 3500),
    ("pas", "e-rs", "API", "high", "e-RS referral download", 300),
    ("pas", "aix-host", "infrastructure", "critical", "", None),
    ("pas", "ad", "authentication", "high", "", None),
    ("epr", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08; ORU^R01; MDM^T02; SIU^S12", 90000),
    ("epr", "spine-pds", "API", "critical", "PDS trace; PDS update", 6000),
    ("epr", "spine-cis2", "authentication", "critical", "CIS2 OIDC", None),
    ("epr", "e-rs", "API", "high", "e-RS referral download", 300),
    ("epr", "lims", "HL7 v2", "critical", "ORU^R01", 12000),
    ("epr", "ris", "HL7 v2", "critical", "ORU^R01", 1200),
    ("epr", "pharmacy", "HL7 v2", "high", "RDS^O13", 900),
    ("tie", "vmware-main", "infrastructure", "critical", "", None),
    ("tie", "sql-cluster", "database link", "high", "", None),
    ("tie", "mesh-client", "messaging", "high", "MESH", 1500),
    ("mesh-client", "mesh", "messaging", "high", "MESH", 1500),
    ("sso", "ad", "authentication", "critical", "", None),
    ("sso", "spine-cis2", "authentication", "critical", "CIS2", None),
    ("ed", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08; ORU^R01", 3000),
    ("ed", "pas", "HL7 v2", "critical", "ADT^A04; ADT^A08", 450),
    ("ed", "order-comms", "HL7 v2", "high", "ORM^O01; ORU^R01", 1400),
    ("ed", "mesh-client", "messaging", "high", "ECDS", 450),
    ("ed", "sql-cluster", "database link", "critical", "", None),
    ("bed-mgmt", "tie", "HL7 v2", "high", "ADT^A01; ADT^A02; ADT^A03", 2500),
    ("bed-mgmt", "eobs", "API", "medium", "NEWS2 scores", 6000),
    ("eobs", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A02; ADT^A03", 2500),
    ("theatres", "tie", "HL7 v2", "high", "ADT^A01; ADT^A08; SIU^S12", 800),
    ("theatres", "pas", "database link", "high", "waiting list extract", 1),
    ("theatres", "p2p", "file transfer", "medium", "stock usage", 1),
    ("maternity", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08", 300),
    ("maternity", "pas", "HL7 v2", "critical", "ADT^A08", 200),
    ("maternity", "mesh-client", "messaging", "high", "MSDS; NN4B", 20),
    ("critical-care", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A02; ORU^R01", 900),
    ("order-comms", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08", 20000),
    ("order-comms", "lims", "HL7 v2", "critical", "ORU^R01", 12000),
    ("order-comms", "ris", "HL7 v2", "critical", "ORU^R01", 1200),
    ("lims", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08; ADT^A40", 20000),
    ("lims", "vms-alpha", "infrastructure", "critical", "", None),
    ("lims", "mesh-client", "messaging", "high", "EDIFACT NHS003", 2500),
    ("transfusion", "lims", "HL7 v2", "critical", "ORU^R01; BTS^O31", 400),
    ("transfusion", "tie", "HL7 v2", "high", "ADT^A01; ADT^A08", 800),
    ("digital-path", "lims", "HL7 v2", "medium", "ORM^O01", 150),
    ("ris", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A08; ADT^A40", 4000),
    ("ris", "pacs", "DICOM", "high", "DICOM storage commitment; image availability", 1300),
    ("pacs", "ris", "DICOM", "critical", "DICOM MWL; ORM^O01", 1300),
    ("pacs", "san", "infrastructure", "critical", "", None),
    ("cardiology", "tie", "HL7 v2", "high", "ADT^A01; ORM^O01", 400),
    ("ecg-carts", "cardiology", "HL7 v2", "high", "ORU^R01", 350),
    ("endoscopy", "tie", "HL7 v2", "high", "ADT^A08; SIU^S12", 120),
    ("pharmacy", "tie", "HL7 v2", "high", "ADT^A01; ADT^A08", 2000),
    ("pharmacy", "epma", "HL7 v2", "high", "RDE^O11", 1500),
    ("pharmacy", "finance", "file transfer", "medium", "purchase orders", 1),
    ("epma", "tie", "HL7 v2", "critical", "ADT^A01; ADT^A02; ADT^A03", 2500),
    ("epma", "lims", "HL7 v2", "high", "ORU^R01", 3000),
    ("chemo", "tie", "HL7 v2", "high", "ADT^A08; ORU^R01", 200),
    ("chemo", "mesh-client", "messaging", "medium", "SACT", 5),
    ("radiotherapy", "tie", "HL7 v2", "high", "ADT^A08; SIU^S12", 250),
    ("radiotherapy", "ris", "DICOM", "medium", "DICOM-RT images", 40),
    ("cancer-mdt", "tie", "HL7 v2", "medium", "ADT^A08; ORU^R01", 300),
    ("cancer-mdt", "data-warehouse", "database link", "medium", "cancer PTL", 1),
    ("eforms", "tie", "HL7 v2", "high", "ADT^A08", 2000),
    ("discharge", "tie", "HL7 v2", "high", "ADT^A03", 700),
    ("discharge", "mesh-client", "messaging", "high", "ITK3 discharge summary", 650),
    ("edms", "tie", "HL7 v2", "high", "ADT^A08; ADT^A40; MDM^T02", 5000),
    ("edms", "file-shares", "infrastructure", "high", "", None),
    ("dictation", "tie", "HL7 v2", "medium", "SIU^S12; ADT^A08", 900),
    ("portal", "tie", "HL7 v2", "high", "ADT^A08; ORU^R01; MDM^T02", 30000),
    ("portal", "edms", "API", "medium", "document viewer", 4000),
    ("portal", "shcr", "API", "medium", "FHIR shared care record", 2000),
    ("shcr", "tie", "FHIR", "medium", "FHIR Encounter; FHIR DiagnosticReport", 8000),
    ("gp-systems", "mesh", "messaging", "high", "EDIFACT NHS003; ITK3", 5000),
    ("patient-portal", "tie", "HL7 v2", "medium", "SIU^S12; SIU^S15; ADT^A08", 4000),
    ("patient-portal", "nhs-app", "API", "medium", "NHS login", None),
    ("coding", "pas", "database link", "medium", "episode extract", 1),
    ("data-warehouse", "pas", "database link", "high", "nightly extract", 1),
    ("data-warehouse", "ed", "database link", "medium", "nightly extract", 1),
    ("data-warehouse", "theatres", "database link", "medium", "nightly extract", 1),
    ("data-warehouse", "sql-cluster", "database link", "high", "", None),
    ("data-warehouse", "mesh-client", "messaging", "high", "CDS to SUS+", 3),
    ("sus-plus", "mesh", "messaging", "medium", "CDS", None),
    ("proms", "tie", "HL7 v2", "low", "ADT^A03", 50),
    ("finance", "p2p", "database link", "high", "commitments", 1),
    ("p2p", "finance", "database link", "high", "ledger codes; invoices", 1),
    ("finance", "oracle-rac", "database link", "critical", "", None),
    ("p2p", "oracle-rac", "database link", "critical", "", None),
    ("finance", "esr", "file transfer", "high", "payroll journals", 1),
    ("rostering", "esr", "API", "high", "staff records; payroll", 1),
    ("cafm", "sql-cluster", "database link", "medium", "", None),
    ("sexual-health", "pas", "HL7 v2", "high", "ADT^A28", 80),
    ("renal", "tie", "HL7 v2", "high", "ADT^A08; ORU^R01", 300),
    ("community-links", "tie", "FHIR", "medium", "FHIR Encounter", 300),
    ("ad", "vmware-main", "infrastructure", "critical", "", None),
    ("sql-cluster", "san", "infrastructure", "critical", "", None),
    ("vmware-main", "san", "infrastructure", "critical", "", None),
    ("vmware-dr", "san", "infrastructure", "high", "", None),
    ("oracle-rac", "san", "infrastructure", "critical", "", None),
    ("citrix", "vmware-main", "infrastructure", "critical", "", None),
    ("citrix", "ad", "authentication", "critical", "", None),
    ("backup", "san", "infrastructure", "high", "", None),
    ("file-shares", "vmware-main", "infrastructure", "high", "", None),
    ("email-relay", "vmware-main", "infrastructure", "medium", "", None),
    ("print-server", "vmware-main", "infrastructure", "high", "", None),
    ("print-server", "ad", "authentication", "high", "", None),
    ("desktop-win10", "ad", "authentication", "critical", "", None),
    ("vmware-main", "network-core", "infrastructure", "critical", "", None),
    ("vmware-dr", "network-core", "infrastructure", "high", "", None),
    ("network-core", "hscn", "infrastructure", "critical", "", None),
    ("mesh-client", "network-core", "infrastructure", "high", "", None),
    ("discharge", "email-relay", "file transfer", "low", "letters to patients", 200),
    ("patient-portal", "email-relay", "file transfer", "low", "appointment emails", 1500),
    ("pas", "print-server", "infrastructure", "high", "wristbands; labels", None),
    ("lims", "print-server", "infrastructure", "high", "specimen labels", None),
]

_HOSTED_ON_VMWARE = [
    "ed", "bed-mgmt", "eobs", "theatres", "maternity", "order-comms", "eforms", "discharge",
    "edms", "dictation", "portal", "transfusion", "ris", "pacs", "cardiology", "endoscopy",
    "pharmacy", "epma", "chemo", "cancer-mdt", "data-warehouse", "coding", "cafm", "renal",
    "sexual-health", "empi", "sso", "critical-care", "radiotherapy", "digital-path",
]
_LOGS_IN_VIA_AD = [
    "ed", "bed-mgmt", "eobs", "theatres", "maternity", "critical-care", "order-comms", "eforms",
    "discharge", "edms", "dictation", "portal", "ris", "pacs", "cardiology", "pharmacy", "epma",
    "chemo", "cancer-mdt", "data-warehouse", "coding", "finance", "p2p", "cafm", "renal",
    "transfusion", "endoscopy", "sexual-health", "radiotherapy", "lims",
]
_USES_SSO = ["pas", "ed", "eobs", "order-comms", "epma", "portal", "ris", "pacs", "maternity",
             "critical-care", "theatres", "edms"]
#: Systems fed ADT by the PAS (through the TIE): the PAS is their source of truth.
_ADT_FROM_PAS = [
    "bed-mgmt", "eobs", "theatres", "critical-care", "order-comms", "lims", "transfusion",
    "ris", "cardiology", "endoscopy", "pharmacy", "epma", "chemo", "radiotherapy",
    "cancer-mdt", "eforms", "discharge", "edms", "dictation", "portal", "patient-portal",
    "proms", "renal", "community-links", "shcr",
]
_CRITICAL_ADT = {"eobs", "order-comms", "lims", "epma", "ris", "critical-care", "transfusion"}
_VIA_CITRIX = ["pas", "theatres", "maternity", "pharmacy", "cancer-mdt", "renal", "chemo",
               "finance", "lims"]


# fmt: on


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
        for c, p, k, crit, m, v in _CORE_DEPENDENCIES
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

    for system in _HOSTED_ON_VMWARE:
        add(system, "vmware-main", "infrastructure", "critical")
    for system in _LOGS_IN_VIA_AD:
        add(system, "ad", "authentication", "high")
    for system in _USES_SSO:
        add(system, "sso", "authentication", "high")
    for system in _VIA_CITRIX:
        add(system, "citrix", "infrastructure", "high")
    for system in _ADT_FROM_PAS:
        add(
            system,
            "pas",
            "HL7 v2",
            "critical" if system in _CRITICAL_ADT else "high",
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
    for name, provider, kind, platform, count in _DEVICES:
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
    subjects = list(_TAIL_SUBJECTS)
    rng.shuffle(subjects)
    weights = np.array([w for _, _, w in _TAIL_KINDS])
    tail_ids: list[str] = []
    for subject in subjects[:150]:
        kind_index = rng.choice(len(_TAIL_KINDS), p=weights / weights.sum())
        noun, platform, _ = _TAIL_KINDS[kind_index]
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
                    [
                        "Single author; left the trust",
                        "Owned by the department; no IT support agreement",
                        "Holds patient-identifiable data on a shared drive",
                        "Re-keyed from PAS screens every morning",
                        "Linked tables to the PAS reporting database",
                        None,
                    ]
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


def sample_trust(seed: int = 2026) -> Inventory:
    """The Northshire Hospitals NHS FT inventory (about 250 systems, 500+ dependencies)."""
    rng = np.random.default_rng(seed)
    core = _core_systems()
    devices_tail, tail_dependencies = _devices_and_tail(rng)
    systems = _frame(core + devices_tail)
    dependencies = pd.DataFrame(_dependency_rows() + tail_dependencies)
    dependencies["messages"] = dependencies["messages"].map(
        lambda v: tuple(m.strip() for m in v.split(";")) if isinstance(v, str) else ()
    )
    dependencies["daily_volume"] = dependencies.get("daily_volume")
    return Inventory(conform_systems(systems), conform_dependencies(dependencies))


# --- national scale ---------------------------------------------------------------------

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
    frame["replaced_by"] = np.where(
        frame["replaced_by"].notna(),
        prefix + frame["replaced_by"].fillna("").to_numpy(dtype=object),
        None,
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
