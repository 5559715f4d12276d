"""The inventory schema: every field, its type, unit, allowed values and default.

This module is the one source for validation (:mod:`inventory.validate`), the store's
columns (:mod:`inventory.store`) and ``docs/inventory-format.md`` (generated from it by
:func:`format_reference`, and a test keeps the two equal).

Why one module of this size: it is the table of every field (the one source for validation,
the store and the format reference); splitting it would split that table.

Examples
--------
>>> SYSTEMS["criticality"].allowed
('low', 'medium', 'high', 'critical')
>>> SYSTEMS["replacement_cost_gbp"].columns
('replacement_cost_gbp_low', 'replacement_cost_gbp_likely', 'replacement_cost_gbp_high')
>>> canonical_column("Annual Run Cost GBP")
'annual_run_cost_gbp'
>>> pd.Series(["high", "low", "critical"], dtype=CRITICALITY_DTYPE).sort_values().tolist()
['low', 'high', 'critical']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import pandas as pd

__all__ = [
    "CATEGORIES",
    "CLINICAL_SAFETY_CLASSES",
    "CRITICALITIES",
    "CRITICALITY_DTYPE",
    "DEPENDENCIES",
    "DEPENDENCY_KINDS",
    "DISPOSITIONS",
    "HOSTINGS",
    "ORDERED_COLUMNS",
    "ORDERED_DTYPES",
    "RISK_RATINGS",
    "RISK_RATING_DTYPE",
    "SCARCITY_DTYPE",
    "SKILLS_SCARCITIES",
    "SPEND_PROFILES",
    "STATUSES",
    "SYSTEMS",
    "TABLES",
    "Field",
    "Reading",
    "SpendProfile",
    "canonical_column",
    "enum_key",
    "format_reference",
    "tidy",
    "tidy_tables",
]

Kind = Literal[
    "id",
    "ref",
    "ref_list",
    "text",
    "ods",
    "enum",
    "date",
    "bool",
    "int",
    "money",
    "money_range",
    "months_range",
    "team_demand",
    "text_list",
    "fraction",
    "shares",
]

CATEGORIES = (
    "PAS",
    "EPR",
    "ED",
    "theatres",
    "maternity",
    "critical care",
    "e-observations",
    "bed management",
    "order comms",
    "pathology LIMS",
    "blood transfusion",
    "digital pathology",
    "radiology RIS",
    "PACS",
    "cardiology",
    "endoscopy",
    "pharmacy",
    "ePMA",
    "chemotherapy",
    "radiotherapy",
    "cancer",
    "EDMS",
    "dictation",
    "clinical portal",
    "discharge",
    "patient portal",
    "clinical coding",
    "data warehouse",
    "outcomes",
    "community",
    "mental health",
    "GP system",
    "finance",
    "procurement",
    "HR",
    "rostering",
    "estates",
    "integration engine",
    "messaging",
    "identity",
    "national service",
    "infrastructure",
    "database",
    "network",
    "end-user computing",
    "medical device",
    "other",
)
CRITICALITIES = ("low", "medium", "high", "critical")
HOSTINGS = ("on-premises", "private cloud", "public cloud", "SaaS")
STATUSES = ("live", "decommissioning", "retired", "planned")
DISPOSITIONS = ("retain", "retire", "rehost", "replatform", "refactor", "replace")
SKILLS_SCARCITIES = ("none", "low", "medium", "high", "critical")
#: Risk ratings from the risk score (likelihood x consequence), least first; the thresholds
#: are in :data:`planner.scoring.RISK_RATINGS`.
RISK_RATINGS = ("low", "moderate", "high", "extreme")

#: Ordered categoricals, defined once: ``criticality`` (systems and dependencies),
#: ``skills_scarcity`` and ``risk_rating`` sort and compare by severity, not alphabetically
#: (``systems.sort_values("criticality")`` puts low first, critical last;
#: ``systems["criticality"] >= "high"`` keeps high and critical).
CRITICALITY_DTYPE = pd.CategoricalDtype(list(CRITICALITIES), ordered=True)
SCARCITY_DTYPE = pd.CategoricalDtype(list(SKILLS_SCARCITIES), ordered=True)
RISK_RATING_DTYPE = pd.CategoricalDtype(list(RISK_RATINGS), ordered=True)
#: The inventory columns held as ordered categoricals, by table.
ORDERED_DTYPES = {
    "systems": {"criticality": CRITICALITY_DTYPE, "skills_scarcity": SCARCITY_DTYPE},
    "dependencies": {"criticality": CRITICALITY_DTYPE},
}
#: Columns of any library table held as ordered categoricals, wherever they appear.
ORDERED_COLUMNS = {
    "criticality": CRITICALITY_DTYPE,
    "skills_scarcity": SCARCITY_DTYPE,
    "risk_rating": RISK_RATING_DTYPE,
}


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A table in the library's conventions: text (columns and index) as ``object``, the one
    text dtype of every table, and the :data:`ORDERED_COLUMNS` as their ordered categoricals.
    Returns ``frame`` itself when it already is.

    >>> frame = tidy(pd.DataFrame({"risk_rating": ["high", "low"], "why": ["a", "b"]}))
    >>> str(frame["why"].dtype), frame["risk_rating"].max()
    ('object', 'high')
    """
    text = [
        c
        for c in frame.columns
        if pd.api.types.is_string_dtype(frame[c].dtype) and frame[c].dtype != object
    ]
    ordered = [
        c for c in frame.columns if c in ORDERED_COLUMNS and frame[c].dtype != ORDERED_COLUMNS[c]
    ]
    index_text = frame.index.dtype != object and pd.api.types.is_string_dtype(frame.index.dtype)
    if not (text or ordered or index_text):
        return frame
    out = frame.copy(deep=False)  # copy-on-write: only the converted columns are new
    for column in text:
        out[column] = out[column].astype(object)
    for column in ordered:
        out[column] = out[column].astype(object).astype(ORDERED_COLUMNS[column])
    if index_text:
        out.index = out.index.astype(object)
    return out


def tidy_tables(record: object) -> None:
    """:func:`tidy` every DataFrame field of a (frozen) dataclass in place; its
    ``__post_init__`` calls this, so every result table follows one set of conventions."""
    import dataclasses

    for field_ in dataclasses.fields(record):  # type: ignore[arg-type]  # a dataclass
        value = getattr(record, field_.name)
        if isinstance(value, pd.DataFrame):
            object.__setattr__(record, field_.name, tidy(value))


SpendProfile = Literal["flat", "front-loaded", "back-loaded", "S-curve"]
#: How a project's cost falls over its months (``spend_by_year`` gives it exactly instead).
SPEND_PROFILES: tuple[str, ...] = ("flat", "front-loaded", "back-loaded", "S-curve")
#: DCB0160 clinical-safety class: how much a clinical safety case a go-live needs.
CLINICAL_SAFETY_CLASSES = ("none", "low", "medium", "high")
DEPENDENCY_KINDS = (
    "HL7 v2",
    "FHIR",
    "DICOM",
    "messaging",
    "file transfer",
    "database link",
    "API",
    "authentication",
    "infrastructure",
    "manual",
    "other",
)

#: Spellings people use for the same value; keys are compared by :func:`enum_key`.
SYNONYMS: dict[str, dict[str, str]] = {
    "category": {
        "patient administration": "PAS",
        "electronic patient record": "EPR",
        "emergency department": "ED",
        "a&e": "ED",
        "lims": "pathology LIMS",
        "pathology": "pathology LIMS",
        "ris": "radiology RIS",
        "radiology": "radiology RIS",
        "tie": "integration engine",
        "interface engine": "integration engine",
        "mesh": "messaging",
        "e-prescribing": "ePMA",
        "epr module": "EPR",
        "document management": "EDMS",
    },
    "hosting": {
        "on-prem": "on-premises",
        "on premise": "on-premises",
        "onprem": "on-premises",
        "on-premise": "on-premises",
        "local": "on-premises",
        "hosted": "private cloud",
        "cloud": "public cloud",
    },
    "criticality": {"t1": "critical", "t2": "high", "t3": "medium", "t4": "low"},
    "kind": {
        "hl7": "HL7 v2",
        "hl7v2": "HL7 v2",
        "hl7 2": "HL7 v2",
        "mesh": "messaging",
        "edifact": "messaging",
        "itk": "messaging",
        "sftp": "file transfer",
        "ftp": "file transfer",
        "file": "file transfer",
        "odbc": "database link",
        "jdbc": "database link",
        "database": "database link",
        "rest": "API",
        "web service": "API",
        "soap": "API",
        "sso": "authentication",
        "ldap": "authentication",
        "active directory": "authentication",
        "smartcard": "authentication",
        "hosting": "infrastructure",
        "network": "infrastructure",
        "re-keying": "manual",
        "paper": "manual",
    },
}


class Reading(NamedTuple):
    """A spelling that is not an allowed value but says one (``Tier 1`` for ``critical``).

    ``pattern`` is a regular expression searched in the cell's :func:`enum_key`; a matching
    cell is read as ``value`` with a warning that gives ``why``. With ``value`` None the cell
    is refused and ``why`` is the message (``HSCN`` is a network, not a hosting).
    """

    pattern: str
    value: str | None
    why: str


_GOLD_SILVER_BRONZE = "Gold, Silver, Bronze read as critical, high, medium"
_NOT_HOSTING = (
    "is a network, not where the system runs; write on-premises, private cloud, public cloud "
    "or SaaS and put the network in notes"
)

#: Spellings read as an allowed value, each with a warning on its cell (see :class:`Reading`).
READINGS: dict[str, tuple[Reading, ...]] = {
    "criticality": (
        Reading(r"^(tier|t|level|cat|category) ?(1|one|i)$", "critical", "tier 1 of 4, as T1"),
        Reading(r"^(tier|t|level|cat|category) ?(2|two|ii)$", "high", "tier 2 of 4, as T2"),
        Reading(r"^(tier|t|level|cat|category) ?(3|three|iii)$", "medium", "tier 3 of 4, as T3"),
        Reading(r"^(tier|t|level|cat|category) ?(4|four|iv)$", "low", "tier 4 of 4, as T4"),
        Reading(r"^platinum$", "critical", "the top service level"),
        Reading(r"^gold$", "critical", _GOLD_SILVER_BRONZE),
        Reading(r"^silver$", "high", _GOLD_SILVER_BRONZE),
        Reading(r"^bronze$", "medium", _GOLD_SILVER_BRONZE),
        Reading(
            r"^(very high|vh|mission critical|business critical|(patient )?safety critical)$",
            "critical",
            "the highest of four levels",
        ),
        Reading(r"^h$", "high", "H as high"),
        Reading(r"^(m|med)$", "medium", "M as medium"),
        Reading(r"^l$", "low", "L as low"),
    ),
    "hosting": (
        Reading(
            r"\b(azure|aws|amazon web services|gcp|google cloud|oracle cloud|oci|ibm cloud)\b",
            "public cloud",
            "a public cloud provider",
        ),
        Reading(
            r"\b(saas|software as a service|microsoft 365|office 365|m365|o365|salesforce"
            r"|servicenow|google workspace)\b",
            "SaaS",
            "a product sold as a service",
        ),
        Reading(
            r"\b(supplier|vendor|third party|3rd party) (hosted|data cent(re|er)|cloud)\b"
            r"|\bhosted by\b|\bmanaged service\b|\bco ?location\b|\bcolo\b",
            "private cloud",
            "run for the trust by a supplier",
        ),
        Reading(
            r"\b(on ?site|in ?house|server room|local servers?|(trust |our )?data cent(re|er))\b",
            "on-premises",
            "run by the trust on its own servers",
        ),
        Reading(r"^(n3|hscn|psn|janet|nhsnet|nhs net|wan|lan|vpn|internet)$", None, _NOT_HOSTING),
    ),
    "status": (
        Reading(
            r"^(in use|active|production|in production|operational|current|running)$",
            "live",
            "in use today",
        ),
        Reading(
            r"^(being decommissioned|to be decommissioned|retiring|being retired|phasing out)$",
            "decommissioning",
            "being switched off",
        ),
        Reading(
            r"^(decommissioned|switched off|turned off|archived|obsolete|no longer used)$",
            "retired",
            "no longer in use",
        ),
        Reading(
            r"^(in )?(procurement|implementation|build|pilot)$|^(future|proposed|not yet live)$",
            "planned",
            "not live yet",
        ),
    ),
    "kind": (
        Reading(r"^hl7\b|\bhl7 ?v?2\b", "HL7 v2", "HL7 version 2 messages"),
        Reading(r"\bfhir\b", "FHIR", "HL7 FHIR"),
        Reading(r"\b(dicom|mwl|modality worklist)\b", "DICOM", "DICOM imaging"),
        Reading(
            r"\b(csv|flat file|file drop|s?ftps?|batch file|extract)\b",
            "file transfer",
            "files passed between systems",
        ),
        Reading(r"\b(mesh|itk|edifact|dts)\b", "messaging", "a national messaging service"),
        Reading(
            r"\b(rest|restful|soap|web ?services?|api|https?)\b", "API", "calls over a network"
        ),
        Reading(r"\b(odbc|jdbc|sql|linked server|db link)\b", "database link", "database access"),
    ),
}


def enum_key(value: str) -> str:
    """Return the comparison key for an enumerated value: lower case, single spaces.

    Hyphens, underscores and repeated spaces all count as one space, so ``On-Premises``,
    ``on premises`` and ``ON_PREMISES`` are the same value.

    >>> enum_key("  On-Premises ")
    'on premises'
    """
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


def canonical_column(header: str) -> str:
    """Return the canonical column name for a header cell (case- and space-insensitive).

    >>> canonical_column(" Replacement Cost (GBP) Low ")
    'replacement_cost_gbp_low'
    """
    text = re.sub(r"[^0-9a-z]+", "_", str(header).strip().lower()).strip("_")
    return COLUMN_ALIASES.get(text, text)


@dataclass(frozen=True)
class Field:
    """One inventory field.

    ``columns`` lists the columns the field occupies once parsed: a low/likely/high range
    occupies three (``<name>_low``, ``<name>_likely``, ``<name>_high``). ``partial_date``
    says which day a date field takes when a cell gives only a year or a month (see
    :func:`inventory.parse.parse_date`); ``per_year`` marks money counted per year, where
    ``pa`` is the field's own unit and ``pm`` is multiplied by 12; ``readings`` are the
    spellings an enumeration reads with a warning.
    """

    name: str
    kind: Kind
    description: str
    example: str
    required: bool = False
    default: object = None
    allowed: tuple[str, ...] = ()
    unit: str = ""
    synonyms: dict[str, str] = field(default_factory=dict)
    readings: tuple[Reading, ...] = ()
    partial_date: Literal["start", "middle", "end"] | None = None
    per_year: bool = False

    @property
    def default_text(self) -> str:
        """The default as the reference and messages write it: '' when there is none,
        ``false`` for False."""
        return "" if self.default in (None, (), {}) else str(self.default).lower()

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind in ("money_range", "months_range"):
            return tuple(f"{self.name}_{part}" for part in ("low", "likely", "high"))
        return (self.name,)

    @property
    def type_name(self) -> str:
        return {
            "id": "slug (unique)",
            "ref": "system id",
            "ref_list": "list of system ids",
            "text": "text",
            "ods": "ODS code",
            "enum": "one of a list",
            "date": "date",
            "bool": "yes/no",
            "int": "whole number",
            "money": "money",
            "money_range": "money range (low/likely/high)",
            "months_range": "months range (low/likely/high)",
            "team_demand": "team: amount list",
            "text_list": "list of text",
            "fraction": "share (0-1 or %)",
            "shares": "shares or amounts by year",
        }[self.kind]


def _enum(name: str, allowed: tuple[str, ...], **kwargs) -> Field:
    return Field(
        name,
        "enum",
        allowed=allowed,
        synonyms=SYNONYMS.get(name, {}),
        readings=READINGS.get(name, ()),
        **kwargs,
    )


_SYSTEM_FIELDS = (
    Field(
        "id",
        "id",
        "Unique identifier of the system: lower-case letters, digits, '-', '_' or '.'. "
        "Case and surrounding spaces are ignored, so 'PAS ' and 'pas' are the same id.",
        "pas",
        required=True,
    ),
    Field(
        "name",
        "text",
        "The name people in the trust use for it.",
        "Patient Administration System",
        required=True,
    ),
    Field(
        "organisation",
        "ods",
        "ODS code of the organisation that runs it (3 to 6 letters and digits, upper case).",
        "RXX",
    ),
    _enum(
        "category", CATEGORIES, description="What the system does.", example="PAS", default="other"
    ),
    Field("supplier", "text", "Who supplies and supports it.", "Meridian Health Systems"),
    Field("product", "text", "Product name as sold.", "Meridian PAS"),
    Field("version", "text", "Version running.", "5.2"),
    Field(
        "platform",
        "text",
        "What it runs on: operating system, runtime and database; several parts joined by "
        "' on ', ' / ', '+' or ','. Used to derive end_of_support from data/lifecycles.csv.",
        "InterSystems Cache 2010.2 on IBM AIX 6.1",
    ),
    _enum(
        "hosting",
        HOSTINGS,
        description="Where it runs.",
        example="on-premises",
        default="on-premises",
    ),
    Field(
        "go_live",
        "date",
        "When it went live (ISO 2026-11-25 or UK 25/11/2026). A year alone is read as 1 July, "
        "a month as its 15th (the middle: as likely early as late), with a warning.",
        "01/04/1998",
        partial_date="middle",
    ),
    Field(
        "end_of_support",
        "date",
        "When the supplier or platform stops security support. Derived from the platform when "
        "blank. A year or month alone is read as its first day, with a warning: support may end "
        "at any time in it, so the earliest day is the cautious deadline.",
        "2020-01-14",
        partial_date="start",
    ),
    Field(
        "contract_end",
        "date",
        "When the current contract ends. A year, month or financial year (2026/27) alone is read "
        "as its last day, with a warning: a contract runs to the end of the period it names, and "
        "a replacement that waits for it then never breaks it.",
        "31/03/2028",
        partial_date="end",
    ),
    _enum(
        "criticality",
        CRITICALITIES,
        description="Business-continuity tier: critical = patient-safety critical 24x7 (T1), "
        "high = operationally critical (T2), medium = business-important (T3), low = deferrable "
        "(T4).",
        example="critical",
        default="medium",
    ),
    Field(
        "patient_facing", "bool", "Used directly in patient care (yes/no).", "yes", default=False
    ),
    Field("users", "int", "Number of named users.", "2400", unit="people"),
    Field(
        "annual_run_cost_gbp",
        "money",
        "Running cost per year: licences, support, hosting.",
        "£450k",
        unit="GBP per year",
        default=0.0,
        per_year=True,
    ),
    Field(
        "replacement_cost_gbp",
        "money_range",
        "Cost to replace: one value, or low/likely/high separated by '/'; or three columns "
        "replacement_cost_gbp_low, _likely, _high. Blank means not yet estimated.",
        "£3m/£5m/£9m",
        unit="GBP",
    ),
    Field(
        "replacement_months",
        "months_range",
        "Duration of the replacement project: one value or low/likely/high, as for the cost.",
        "18/24/36",
        unit="months",
    ),
    Field(
        "known_vulnerabilities",
        "int",
        "Known exploitable vulnerabilities in the deployed stack (e.g. CISA KEV entries).",
        "3",
        default=0,
    ),
    _enum(
        "skills_scarcity",
        SKILLS_SCARCITIES,
        description="How hard it is to find people who can support it: critical = one person "
        "or nobody left (MUMPS, COBOL, Delphi, OpenVMS).",
        example="high",
        default="none",
    ),
    _enum("status", STATUSES, description="Lifecycle status.", example="live", default="live"),
    _enum(
        "disposition",
        DISPOSITIONS,
        description="What the trust has decided to do with it (Gartner TIME / the 6 Rs). Only "
        "systems not marked retain are planned.",
        example="replace",
        default="retain",
    ),
    Field(
        "replaced_by",
        "ref",
        "Id of the system that absorbs this one; that system goes live first.",
        "epr",
    ),
    Field(
        "after",
        "ref_list",
        "Ids of systems that must go live before this one's replacement starts; separated by "
        "';' or ','.",
        "tie; pas",
        default=(),
    ),
    Field(
        "team_demand",
        "team_demand",
        "What the replacement needs of each delivery team per month while it runs, in "
        "full-time people: 'team: amount' pairs separated by ';'.",
        "integration: 0.5; infrastructure: 1; clinical safety: 0.2",
        unit="FTE per month",
        default={},
    ),
    Field(
        "move_with",
        "ref_list",
        "Ids of systems replaced in the same project as this one, because they share a database "
        "or a host and cannot run apart; separated by ';' or ','.",
        "ris-db",
        default=(),
    ),
    Field(
        "capital_share",
        "fraction",
        "Share of the replacement cost that is capital (the rest is revenue): a number from 0 "
        "to 1 or a percentage. Blank: the policy's default for its hosting and category.",
        "80%",
        unit="share",
    ),
    _enum(
        "spend_profile",
        SPEND_PROFILES,
        description="How the replacement's cost falls over its months. Blank: the policy's "
        "default.",
        example="front-loaded",
    ),
    Field(
        "spend_by_year",
        "shares",
        "The replacement cost by project year, as percentages or amounts separated by ';' "
        "(overrides spend_profile).",
        "40%; 40%; 20%",
    ),
    Field(
        "department",
        "text",
        "The clinical department or service it serves; clinical go-lives in one department "
        "are spaced apart.",
        "Radiology",
    ),
    _enum(
        "clinical_safety_class",
        CLINICAL_SAFETY_CLASSES,
        description="DCB0160 clinical-safety class of its replacement's go-live. Blank: high "
        "for a patient-facing critical system, medium for patient-facing high, low for other "
        "patient-facing systems, none otherwise.",
        example="high",
    ),
    Field("hazard_log", "text", "Reference of its DCB0160 hazard log.", "HL-0042"),
    Field(
        "data_to_archive_gb",
        "int",
        "Data to archive when it is decommissioned; its decommissioning cost scales with it.",
        "1200",
        unit="GB",
    ),
    Field(
        "future_run_cost_gbp",
        "money",
        "Running cost per year of what replaces it (the new product's licences, hosting and "
        "support). Blank: the same as today's.",
        "£300k",
        unit="GBP per year",
        per_year=True,
    ),
    Field("notes", "text", "Anything else.", "Single SME; vendor in care and maintenance"),
)

_DEPENDENCY_FIELDS = (
    Field("consumer", "ref", "Id of the system that depends on the provider.", "ed", required=True),
    Field("provider", "ref", "Id of the system it depends on.", "pas", required=True),
    _enum(
        "kind", DEPENDENCY_KINDS, description="Interface type.", example="HL7 v2", default="other"
    ),
    _enum(
        "criticality",
        CRITICALITIES,
        description="How badly the consumer suffers when the provider is down.",
        example="high",
        default="medium",
    ),
    Field(
        "messages",
        "text_list",
        "Message types carried, separated by ';' (HL7 v2 as TYPE^EVENT).",
        "ADT^A01; ADT^A08; ORU^R01",
        default=(),
    ),
    Field("daily_volume", "int", "Messages or transactions per day.", "12000", unit="per day"),
    Field(
        "route",
        "text",
        "How the data travels, as the interface catalogue says: the integration engine(s) it "
        "passes through, or 'direct'.",
        "via Rhapsody",
    ),
    Field("notes", "text", "Anything else.", "Via the TIE; re-test on PAS change"),
)

SYSTEMS: dict[str, Field] = {f.name: f for f in _SYSTEM_FIELDS}
DEPENDENCIES: dict[str, Field] = {f.name: f for f in _DEPENDENCY_FIELDS}
TABLES: dict[str, dict[str, Field]] = {"systems": SYSTEMS, "dependencies": DEPENDENCIES}

#: Header spellings that mean a canonical column (after lower-casing and underscoring).
COLUMN_ALIASES = {
    "system_id": "id",
    "system": "name",
    "system_name": "name",
    "ods_code": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "vendor": "supplier",
    "hosted": "hosting",
    "eos": "end_of_support",
    "end_of_life": "end_of_support",
    "consumer_id": "consumer",
    "provider_id": "provider",
    "depends_on": "provider",
    "interface_kind": "kind",
    "type": "kind",
    "replacement_cost": "replacement_cost_gbp",
    "annual_run_cost": "annual_run_cost_gbp",
    "run_cost_gbp": "annual_run_cost_gbp",
}


def format_reference() -> str:
    """Return ``docs/inventory-format.md``'s field reference, generated from the schema."""
    lines: list[str] = []
    for table, fields in TABLES.items():
        lines += [
            f"### {table}",
            "",
            "| field | type | unit | required | default | allowed values | example | meaning |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for f in fields.values():
            default = f.default_text
            allowed = ", ".join(f.allowed)
            lines.append(
                f"| `{f.name}` | {f.type_name} | {f.unit} | {'yes' if f.required else 'no'} | "
                f"{default} | {allowed} | `{f.example}` | {f.description} |"
            )
        lines.append("")
    return "\n".join(lines)
