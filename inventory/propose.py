"""Proposing a column mapping for a register, from its headers and its values.

:func:`propose_mapping` reads a register (:mod:`inventory.register`), decides which sheet
lists systems and which is an interface catalogue (or a dependency list), and proposes a
:class:`inventory.mapping.Mapping` a person reviews:

- **Headers**: each header is compared with the names and synonyms of every field
  (:data:`HEADERS`), as words: an exact synonym is confidence 0.9 (1.0 for the field's own
  name), a synonym found inside a longer header 0.7.
- **Values**: each guess is checked against a sample of its column's values (dates for a
  date field, money for a cost, tiers for criticality, unique codes for an id); when fewer
  than half read, the confidence is cut by 40% and the reason says so. A column whose values
  are unique codes becomes the id when no header says id; with no such column, ids are made
  from the names (``{slug: <names column>}``). Tier words found in an unmatched column make
  it the criticality.
- **Joins**: several platform columns (``Server OS``, ``Database``) are joined with ``' / '``;
  several notes columns with ``'; '``.
- **Value maps**: for each enumerated field, the distinct values that are not already
  allowed values are listed with the value they are read as (``Tier 1: critical``; with
  ``Platinum`` among them, Platinum/Gold/Silver/Bronze are critical/high/medium/low); values
  not understood are listed in a comment for the person to fill in.
- **Rules**: a free-text decision column gets the rules (:data:`DECISION_RULES`) whose words
  occur in its (first :data:`SAMPLE`) distinct values, keeping only the alternatives seen.
- Every other column is listed under ``unused`` (kept as an extra column), with a note when
  it looked like something (``looks like dates``, ``also matched name``).

Examples
--------
>>> mapping = propose_mapping("data/sample-trust")
>>> mapping.systems.sheet, mapping.dependencies.sheet
('systems.csv', 'dependencies.csv')
>>> mapping.systems.columns["go_live"].column
'go_live'
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from inventory import parse
from inventory.apply_mapping import rule_pattern
from inventory.errors import InventoryFileError
from inventory.mapping import FIELDS, ColumnSpec, Mapping, TableMapping
from inventory.register import SECTION_COLUMN, Register, RegisterTable, read_register
from inventory.schema import DEPENDENCIES, DISPOSITIONS, SYSTEMS, enum_key

__all__ = ["DECISION_RULES", "HEADERS", "propose_mapping"]

#: Header words that name each field, by kind of table (compared as lower-case words).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "systems": {
        "id": ("id", "system id", "app id", "application id", "asset id", "asset ref", "ref",
               "reference", "system ref", "sys id", "cmdb id", "ci id", "system code"),
        "name": ("name", "system", "system name", "application", "application name", "app",
                 "app name", "service", "service name"),
        "organisation": ("organisation", "organization", "ods", "ods code", "org",
                         "org code", "trust code"),
        "category": ("category", "system type", "application type", "type", "function",
                     "service area", "area", "domain", "capability"),
        "supplier": ("supplier", "vendor", "provider", "manufacturer", "company",
                     "supplier name", "third party"),
        "product": ("product", "product name", "software", "package", "solution"),
        "version": ("version", "release", "ver", "current version"),
        "platform": ("platform", "os", "operating system", "server os", "server", "database",
                     "db", "dbms", "technology", "tech stack", "stack", "runtime",
                     "infrastructure", "architecture"),
        "hosting": ("hosting", "hosted", "hosting model", "where hosted", "hosted where",
                    "location", "deployment", "deployment model", "data centre", "cloud"),
        "go_live": ("go live", "go live date", "live date", "date live", "implemented",
                    "implementation date", "date implemented", "installed", "install date",
                    "installation date", "in use since", "live since", "year implemented",
                    "commissioned", "year installed", "go live year"),
        "end_of_support": ("end of support", "support ends", "support end", "eos",
                           "end of life", "eol", "support end date", "supported until",
                           "support expiry", "end of support date", "out of support"),
        "contract_end": ("contract end", "contract expiry", "contract ends", "contract end date",
                         "contract expires", "renewal date", "contract renewal"),
        "criticality": ("criticality", "clinical criticality", "business criticality", "tier",
                        "service tier", "bia tier", "rto tier", "classification",
                        "service level", "criticality tier", "priority"),
        "patient_facing": ("patient facing", "used in patient care", "clinical system",
                           "clinical", "direct patient care"),
        "users": ("users", "number of users", "user count", "no of users", "named users",
                  "user numbers", "num users"),
        "annual_run_cost_gbp": ("annual run cost", "annual cost", "run cost", "running cost",
                                "support cost", "maintenance cost", "revenue cost",
                                "annual support", "annual support cost", "yearly cost",
                                "cost pa", "cost per year", "recurring cost",
                                "annual maintenance", "annual licence", "revenue"),
        "replacement_cost_gbp": ("replacement cost", "capital cost", "capital", "capital estimate",
                                 "cost to replace",
                                 "estimated replacement cost", "reprocurement cost", "capex",
                                 "replacement estimate", "estimated cost"),
        "replacement_months": ("replacement months", "duration", "replacement duration",
                               "time to replace", "implementation time", "timescale",
                               "timescales", "lead time", "project duration",
                               "estimated duration", "implementation duration"),
        "known_vulnerabilities": ("known vulnerabilities", "vulnerabilities", "cves", "kev",
                                  "cve count", "vulns"),
        "skills_scarcity": ("skills scarcity", "skills", "skills risk", "skills availability",
                            "support skills", "knowledge risk", "key person risk"),
        "status": ("status", "lifecycle status", "state", "lifecycle", "system status"),
        "disposition": ("disposition", "decision", "strategy", "plan", "future",
                        "future state", "future plan", "roadmap", "action", "proposed action",
                        "recommendation", "intention", "direction of travel", "outcome",
                        "replace", "to replace", "replace or retain"),
        "replaced_by": ("replaced by", "replacement", "successor", "target system",
                        "to be replaced by", "replacement system", "future system"),
        "after": ("after", "prerequisites"),
        "team_demand": ("team demand",),
        "move_with": ("move with", "moves with", "migrate with", "move group",
                      "shares database with", "same project as"),
        "capital_share": ("capital share", "capital split", "capital percentage",
                          "capital proportion", "percent capital", "capital revenue split"),
        "spend_profile": ("spend profile", "spend pattern", "cost profile", "phasing profile"),
        "spend_by_year": ("spend by year", "phasing", "annual phasing", "cost by year",
                          "spend per year", "phasing by year"),
        "department": ("department", "dept", "directorate", "specialty", "service line",
                       "division", "care group", "clinical area", "clinical service"),
        "clinical_safety_class": ("clinical safety class", "dcb0160 class", "safety class",
                                  "clinical risk class", "clinical risk rating",
                                  "hazard rating"),
        "hazard_log": ("hazard log", "hazard log ref", "hazard log reference",
                       "hazard log id", "safety case ref"),
        "data_to_archive_gb": ("data to archive", "data to archive gb", "data volume",
                               "data size", "database size", "archive size", "data gb",
                               "storage gb", "size gb"),
        "future_run_cost_gbp": ("future run cost", "new run cost", "target run cost",
                                "future annual cost", "future running cost",
                                "run cost after replacement", "to be run cost"),
        "notes": ("notes", "comments", "comment", "remarks", "note"),
    },
    "catalogue": {
        "sender": ("sender", "source", "source system", "from", "from system",
                   "sending system", "origin", "upstream", "sending application",
                   "source application", "producer", "publisher"),
        "receiver": ("receiver", "destination", "target", "to", "to system", "target system",
                     "receiving system", "downstream", "recipient", "receiving application",
                     "destination system", "subscriber"),
        "messages": ("messages", "message", "message type", "message types", "events",
                     "trigger events", "event", "data", "content", "feed", "data flow",
                     "hl7 messages", "data items"),
        "kind": ("type", "kind", "interface type", "protocol", "standard", "format", "method",
                 "transport", "interface method", "integration type", "mechanism"),
        "route": ("route", "via", "routing", "engine", "integration engine", "middleware",
                  "tie", "channel", "routed via", "broker"),
        "direction": ("direction", "flow", "dir", "flow direction"),
        "daily_volume": ("volume", "daily volume", "messages per day", "volume per day",
                         "msgs day", "msgs per day", "throughput", "volumes",
                         "transactions per day"),
        "criticality": ("criticality", "priority", "impact", "business impact"),
        "notes": ("notes", "comments", "comment", "remarks", "description"),
    },
    "dependencies": {
        "consumer": ("consumer", "consumer id", "dependent", "dependent system", "system",
                     "system name", "application"),
        "provider": ("provider", "provider id", "depends on", "dependency"),
        "kind": ("kind", "type", "interface type", "interface kind", "protocol"),
        "criticality": ("criticality", "priority"),
        "messages": ("messages", "message types", "message type"),
        "daily_volume": ("daily volume", "volume"),
        "route": ("route", "via"),
        "notes": ("notes", "comments"),
    },
}  # fmt: skip

#: Free-text decisions: (disposition, alternatives); ``{system}`` captures the replacement.
DECISION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rehost", ("migrate to azure", "migrate to aws", "migrate to cloud", "move to azure",
                "move to aws", "move to the cloud", "move to cloud", "lift and shift",
                "rehost", "re-host")),
    ("replace", ("replace with {system}", "replace by {system}", "replaced by {system}",
                 "replacing with {system}", "migrate to {system}", "move to {system}",
                 "move into {system}", "consolidate into {system}", "absorb into {system}",
                 "merge into {system}", "replace", "reprocure", "re-procure", "retender",
                 "re-tender", "yes", "y")),
    ("retire", ("retire", "decommission", "switch off", "turn off", "sunset", "archive")),
    ("replatform", ("replatform", "re-platform", "upgrade")),
    ("refactor", ("refactor", "rewrite", "redevelop", "rebuild")),
    ("retain", ("keep", "retain", "tolerate", "invest", "no change", "continue", "stay",
                "no", "n")),
)  # fmt: skip

#: Values sampled per column to check a guess, and distinct decisions read for rules.
SAMPLE = 5_000
_JOINS = {"platform": " / ", "notes": "; "}


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", str(text).lower().replace("&", " and ")))


def _header_matches(header: str, kind: str) -> list[tuple[str, float, str]]:
    """(field, confidence, reason) for every field whose name or synonym the header says."""
    words = _words(header)
    found = []
    for field, synonyms in HEADERS[kind].items():
        best = None
        for synonym in (field.replace("_", " "), *synonyms):
            phrase = _words(synonym)
            if words == phrase:
                confidence = 1.0 if synonym == field.replace("_", " ") else 0.9
                best = max(best or (0, ""), (confidence, f"header '{header}' means {field}"))
            elif len(phrase) and any(
                words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1)
            ):
                score = 0.7 + 0.01 * len(phrase)
                best = max(best or (0, ""), (score, f"header '{header}' says '{synonym}'"))
        if best:
            found.append((field, round(best[0], 2), best[1]))
    return sorted(found, key=lambda f: -f[1])


def _field(kind: str, name: str):
    return SYSTEMS.get(name) if kind == "systems" else DEPENDENCIES.get(name)


def _fit(kind: str, name: str, sample: pd.Series) -> float:
    """The share of sampled values a field's parser reads without a problem."""
    if sample.empty:
        return 1.0
    f = _field(kind, name)
    if name in ("sender", "receiver", "route", "direction") or f is None:
        return 1.0
    if name == "disposition":
        return _decision_fit(sample)
    if f.kind == "date":
        parsed = parse.parse_date(sample, partial="start")
    elif f.kind == "money":
        parsed = parse.parse_money(sample, per_year=f.per_year)
    elif f.kind in ("money_range", "months_range"):
        one = parse.parse_money if f.kind == "money_range" else parse.parse_months
        parsed = parse.parse_range(sample, one, name)
    elif f.kind == "enum":
        parsed = parse.parse_enum(sample, f.allowed, synonyms=f.synonyms, readings=f.readings)
    elif f.kind == "int":
        parsed = parse.parse_int(sample)
    elif f.kind == "bool":
        parsed = parse.parse_bool(sample)
    else:
        return 1.0
    return float(parsed.problems.isna().mean())


def _decision_fit(sample: pd.Series) -> float:
    """The share of decisions that are a disposition or start with a rule's words."""
    regex = rule_pattern("|".join(a for _d, alternatives in DECISION_RULES for a in alternatives))
    allowed = {enum_key(d) for d in DISPOSITIONS}
    read = sample.map(lambda v: enum_key(v) in allowed or bool(regex.match(v)))
    return float(read.mean())


def _sample(table: RegisterTable, header: str) -> pd.Series:
    """Up to :data:`SAMPLE` non-blank values of a column, from the top."""
    values = table.cells[header].dropna()
    return parse.blank_out(values.iloc[: 2 * SAMPLE]).dropna().iloc[:SAMPLE].reset_index(drop=True)


def _looks_like(sample: pd.Series) -> str:
    """A note on what an unmapped column's values look like."""
    if sample.empty:
        return "empty"
    checks = (
        ("dates", parse.parse_date(sample, partial="start")),
        ("money", parse.parse_money(sample, per_year=True)),
        ("numbers", parse.parse_int(sample)),
    )
    for what, parsed in checks:
        if parsed.problems.isna().mean() >= 0.8:
            return f"looks like {what}"
    return ""


def _kind_of(table: RegisterTable) -> tuple[str | None, int]:
    """What a table looks like (systems, catalogue, dependencies) and how strongly."""
    fields = {
        kind: {m[0] for h in table.headers for m in _header_matches(h, kind)[:1]}
        for kind in HEADERS
    }
    if {"sender", "receiver"} <= fields["catalogue"]:
        return "catalogue", len(fields["catalogue"])
    if {"consumer", "provider"} <= fields["dependencies"] and len(fields["dependencies"]) >= len(
        fields["systems"]
    ):  # a systems sheet may have a "depends on" column too
        return "dependencies", len(fields["dependencies"])
    if ({"name", "id"} & fields["systems"]) and len(fields["systems"]) >= 3:
        return "systems", len(fields["systems"])
    return None, 0


def propose_mapping(source: str | Path | Register) -> Mapping:
    """Propose a column mapping for a register: a workbook, a CSV file or a folder of them.

    Raises :class:`inventory.io.InventoryFileError` when no table looks like a list of systems.
    """
    register = source if isinstance(source, Register) else read_register(source)
    kinds = {sheet: _kind_of(table) for sheet, table in register.tables.items()}
    chosen: dict[str, str] = {}
    for kind in ("systems", "catalogue", "dependencies"):
        candidates = [(score, sheet) for sheet, (k, score) in kinds.items() if k == kind]
        if candidates:
            chosen[kind] = max(candidates)[1]
    if "systems" not in chosen:
        headers = "; ".join(f"{s}: {', '.join(t.headers)}" for s, t in register.tables.items())
        raise InventoryFileError(
            register.files[0] if register.files else "register",
            "has no table that looks like a list of systems (a name column and at least two "
            f"more fields); tables found: {headers or 'none'}",
            hint="check that the register's header row names its columns",
        )
    if "catalogue" in chosen and "dependencies" in chosen:
        del chosen["dependencies"]
    tables = {kind: _propose_table(register.tables[sheet], kind) for kind, sheet in chosen.items()}
    if "catalogue" not in tables and "dependencies" not in tables:
        listed = _interfaces_listed(register.tables[chosen["systems"]], tables["systems"])
        if listed is not None:
            tables["catalogue"] = listed
    mapping = Mapping.model_validate(tables)
    mapping._skipped = {
        sheet: f"another sheet looks more like the {kind}"
        if kind
        else "its headers match no inventory table"
        for sheet, (kind, _score) in kinds.items()
        if sheet not in chosen.values()
    }
    return mapping


def _propose_table(table: RegisterTable, kind: str) -> TableMapping:
    headers = [h for h in table.headers if not h.startswith(SECTION_COLUMN)]
    samples = {h: _sample(table, h) for h in table.headers}
    guesses: list[tuple[float, str, str, str]] = []  # confidence, field, header, reason
    for header in headers:
        for field, confidence, reason in _header_matches(header, kind):
            fit = _fit(kind, field, samples[header])
            if fit < 0.5:
                confidence = round(confidence * 0.6, 2)
                reason += f", but only {fit:.0%} of its values read as {field}"
            guesses.append((confidence, field, header, reason))
    columns: dict[str, ColumnSpec] = {}
    evidence: dict[str, tuple[float, str]] = {}
    unmapped: dict[str, str] = {}
    used: set[str] = set()
    for confidence, field, header, reason in sorted(guesses, key=lambda g: -g[0]):
        if header in used:
            continue
        if field in columns:
            if field in _JOINS and confidence >= 0.6:
                spec = columns[field]
                parts = [*(spec.join or [str(spec.column)]), header]
                parts.sort(key=table.headers.index)
                columns[field] = ColumnSpec(join=parts, sep=_JOINS[field])
                evidence[field] = (
                    min(evidence[field][0], confidence),
                    f"{len(parts)} columns say {field}: joined",
                )
                used.add(header)
            else:
                unmapped.setdefault(header, f"also looked like {field}")
            continue
        columns[field] = ColumnSpec(column=header)
        evidence[field] = (confidence, reason)
        used.add(header)
    if kind == "systems":
        _propose_id(table, samples, columns, evidence, used)
        _propose_criticality(headers, samples, columns, evidence, used)
    value_notes: dict[str, dict[str, str]] = {}
    not_understood: dict[str, list[str]] = {}
    for field, spec in list(columns.items()):
        f = _field(kind, field)
        if spec.column is None or f is None:
            continue
        if (kind, field) == ("systems", "disposition"):
            rules, notes, unknown = _rules(table.cells[spec.column])
            spec = ColumnSpec(column=spec.column, rules=rules or None)
        elif f.kind == "enum":
            values, notes, unknown = _value_map(f, table.cells[spec.column])
            spec = ColumnSpec(column=spec.column, values=values or None)
        else:
            continue
        columns[field] = spec
        value_notes[field] = notes
        if unknown:
            not_understood[field] = unknown
    order = list(FIELDS[kind])
    columns = dict(sorted(columns.items(), key=lambda c: order.index(c[0])))
    unused = [h for h in table.headers if h not in used]
    for header in unused:
        unmapped.setdefault(header, _looks_like(samples[header]))
    if any(h.startswith(SECTION_COLUMN) for h in unused):
        unmapped[next(h for h in unused if h.startswith(SECTION_COLUMN))] = (
            "the section headings above each row"
        )
    proposed = TableMapping(
        sheet=table.sheet, header_row=table.header_row, columns=columns, unused=unused
    )
    proposed._evidence = evidence
    proposed._unmapped = {h: unmapped.get(h, "") for h in unused}
    proposed._value_notes = value_notes
    proposed._not_understood = not_understood
    return proposed


#: Headers of a column listing each system's interfaces on the systems' own sheet, and the
#: way data flows that each says (``->``: from the row's system to those listed).
_INTERFACE_LISTS = (
    (re.compile(r"^(feeds|sends to|sends data to|outbound|downstream)\b"), "->"),
    (re.compile(r"^(fed by|receives from|inbound|upstream|depends on|dependencies)\b"), "<-"),
    (re.compile(r"^(interfaces?|integrations?|connected|connections|links?)\b"), "<->"),
)


def _interfaces_listed(table: RegisterTable, systems: TableMapping) -> TableMapping | None:
    """A catalogue read from the systems' own sheet, when a column there lists each system's
    interfaces ('Interfaces to: PAS; LIMS'): sender the system's id column, receiver the
    list, the direction its header says (both ways when it says none)."""
    id_spec = systems.columns.get("id")
    if id_spec is None or id_spec.column is None:
        return None
    lists = []
    for header in systems.unused:
        key = " ".join(re.findall(r"[a-z]+", header.casefold()))
        direction = next((d for pattern, d in _INTERFACE_LISTS if pattern.match(key)), None)
        if direction is not None and not parse.blank_out(table.cells[header]).dropna().empty:
            lists.append((header, direction))
    if not lists:
        return None
    (header, direction), others = lists[0], lists[1:]
    systems.unused.remove(header)
    systems._unmapped.pop(header, None)
    for other, _ in others:  # a mapping reads one column of links
        systems._unmapped[other] = (
            f"also lists interfaces; the catalogue reads one such column, '{header}': to read "
            f"both (both ways), give it receiver: {{join: [{header}, {other}], sep: '; '}}"
        )
    listed = TableMapping(
        sheet=table.sheet,
        header_row=table.header_row,
        columns={
            "sender": ColumnSpec(column=id_spec.column),
            "receiver": ColumnSpec(column=header),
            "direction": ColumnSpec(value=direction),
        },
    )
    way = {
        "->": "data flows from each system to those listed",
        "<-": "data flows to each system from those listed",
        "<->": "its header says no direction, so each link is read both ways; write -> "
        "if data flows from the row's system to those listed, <- if the other way",
    }[direction]
    listed._evidence = {
        "sender": (0.8, "each row's system"),
        "receiver": (0.8, f"'{header}' lists each system's interfaces"),
        "direction": (0.6, way),
    }
    return listed


def _propose_id(table, samples, columns, evidence, used) -> None:
    """An id column: a header that says id, else unique codes, else slugs of the names."""
    if "id" in columns or "name" not in columns:
        return
    for header in table.headers:
        sample = samples[header]
        if header in used or len(sample) < 2 or header.startswith(SECTION_COLUMN):
            continue
        ids = parse.parse_id(sample)
        short = sample.str.len().le(20).all()
        if ids.problems.isna().all() and ids.values.is_unique and short:
            columns["id"] = ColumnSpec(column=header)
            evidence["id"] = (0.6, f"values of '{header}' are unique codes")
            used.add(header)
            return
    name = columns["name"].column
    columns["id"] = ColumnSpec(slug=name)
    evidence["id"] = (0.5, f"no id column: ids made from '{name}'; they change if a name does")


def _propose_criticality(headers, samples, columns, evidence, used) -> None:
    """Tier words in a column no header placed make it the criticality."""
    if "criticality" in columns:
        return
    f = SYSTEMS["criticality"]
    for header in headers:
        sample = samples[header]
        if header in used or sample.empty:
            continue
        parsed = parse.parse_enum(sample, f.allowed, synonyms=f.synonyms, readings=f.readings)
        if parsed.problems.isna().mean() >= 0.8 and sample.str.contains(r"\D").all():
            columns["criticality"] = ColumnSpec(column=header)
            evidence["criticality"] = (0.6, f"values of '{header}' are tiers")
            used.add(header)
            return


def _value_map(f, cells: pd.Series) -> tuple[dict[str, str | None], dict[str, str], list[str]]:
    """Value map entries for the distinct values that are not allowed values as written."""
    text = parse.blank_out(cells).dropna()
    counts = text.value_counts(sort=False)
    if len(counts) > 200:
        return {}, {}, []
    plain = parse.parse_enum(pd.Series(counts.index), f.allowed, synonyms=f.synonyms)
    read = parse.parse_enum(
        pd.Series(counts.index), f.allowed, synonyms=f.synonyms, readings=f.readings
    )
    keys = {enum_key(v) for v in counts.index}
    four_levels = f.name == "criticality" and "platinum" in keys
    # bare tier numbers: read as tiers (1 the most critical), said in the proposal, since a
    # register may count the other way
    tier_numbers = f.name == "criticality" and bool(keys & set(_TIER_NUMBERS))
    values: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    unknown: list[str] = []
    readings = (
        read.assumed if read.assumed is not None else pd.Series(None, index=read.values.index)
    )
    for position, value in enumerate(counts.index):
        if plain.values[position] is not None:
            continue
        target = read.values[position]
        why = readings[position]
        if four_levels and enum_key(value) in _FOUR_LEVELS:
            target = _FOUR_LEVELS[enum_key(value)]
            why = "Platinum, Gold, Silver, Bronze read as critical, high, medium, low"
        if tier_numbers and enum_key(value) in _TIER_NUMBERS:
            target = _TIER_NUMBERS[enum_key(value)]
            why = "tiers, 1 the most critical and 4 the least; if 1 is the least, swap them"
        if target is None:
            rows = counts.iloc[position]
            unknown.append(f"{value!r} ({rows} row{'s' if rows != 1 else ''})")
            continue
        values[value] = str(target)
        notes[value] = str(why).split(" (", 1)[-1].rstrip(")") if "(" in str(why) else str(why)
    return values, notes, unknown


_FOUR_LEVELS = {"platinum": "critical", "gold": "high", "silver": "medium", "bronze": "low"}
_TIER_NUMBERS = {"1": "critical", "2": "high", "3": "medium", "4": "low"}


def _rules(cells: pd.Series) -> tuple[list[dict[str, str]], dict[str, str], list[str]]:
    """Decision rules whose alternatives occur among the column's first distinct values."""
    distinct = list(parse.blank_out(pd.Series(cells.dropna().unique()[:SAMPLE])).dropna())
    plain = {enum_key(d) for d in DISPOSITIONS}
    if all(enum_key(v) in plain for v in distinct):
        return [], {}, []
    rules, notes, matched = [], {}, set()
    for disposition, alternatives in DECISION_RULES:
        seen = []
        for alternative in alternatives:
            hits = [v for v in distinct if v not in matched and rule_pattern(alternative).match(v)]
            if hits:
                seen.append(alternative)
                matched.update(hits)
        if seen:
            pattern = "|".join(seen)
            rules.append({pattern: disposition})
            count = sum(1 for v in distinct if rule_pattern(pattern).match(v))
            notes[pattern] = f"{count} value{'s' if count != 1 else ''} seen"
    left = [repr(v) for v in distinct if v not in matched and enum_key(v) not in plain]
    return rules, notes, left
