"""Interface catalogues: sender -> receiver flows turned into consumer -> provider links.

An integration team keeps its interfaces as flows: a sender, a receiver (by name, as people
say them), the message types, the route through an engine ("via Rhapsody"), a direction, a
volume. The inventory keeps dependencies: the consumer depends on the provider.
:func:`catalogue_to_dependencies` turns one into the other by these rules:

- **A flow is a data link**: data flowing from sender to receiver means the receiver depends
  on the sender for it: ``consumer = receiver``, ``provider = sender``.
- **Engines**: a route naming integration engines ("via Rhapsody", "Ensemble > MESH") adds,
  for each engine, ``sender -> engine`` and ``receiver -> engine``: both depend on the engine
  to pass the data. These links carry the flow's kind and messages (an HL7 feed through an
  engine is still HL7, re-tested when the engine changes): data flows, not hard coupling. A
  blank route, ``direct``, ``point to point`` or ``none`` adds no engine (:func:`split_route`).
- **Direction** (:func:`parse_direction`): ``->``, ``one-way`` or blank is one flow from
  sender to receiver; ``<-`` the other way; ``<->``, ``two-way``, ``bidirectional``,
  ``both`` is one flow each way, so two data links (orders one way, results the other), never
  collapsed into one and never read as one system replacing the other.
- **Kind**: the catalogue's type column read as an interface kind (``HL7 v2.4`` is HL7 v2,
  ``SFTP`` is file transfer), else worked out from the message types
  (:func:`kind_from_messages`: ``ADT^A01`` is HL7 v2, ``MWL`` DICOM, ``EDIFACT`` messaging),
  else ``other``; each worked-out kind is a warning.
- **Messages** are split on ``;``, ``,``, ``/`` and new lines and written as HL7 ``TYPE^EVENT``
  where they are HL7 (``ADT A01/A08`` is ``ADT^A01; ADT^A08``, :func:`normalise_messages`).
- **Names**: senders, receivers and engines are ids or names, matched case- and
  punctuation-insensitively (:class:`inventory.names.SystemNames`); a cell may list several
  systems separated by ``;`` or new lines (or commas, when the whole cell is not a name). A
  name that fits no system is an error on its cell with the closest name as a suggestion.
- **Merging**: one (consumer, provider) pair from several rows or flows is one link: messages
  unioned in order, the highest criticality, the largest daily volume (an engine fans one
  feed out, so volumes are not added), the most common kind, every route and note kept.

Examples
--------
>>> import pandas as pd
>>> from inventory.files import RawTable
>>> systems = pd.DataFrame({"id": ["pas", "lims", "ocs", "tie"], "name": [
...     "Patient Administration", "Pathology LIMS (WinPath)", "Order Comms", "Rhapsody"]})
>>> flows = pd.DataFrame({"sender": ["Patient Administration", "Order Comms"],
...                       "receiver": ["winpath", "WinPath"],
...                       "messages": ["ADT A01/A08", "ORM^O01; ORU^R01"],
...                       "route": ["via Rhapsody", "direct"], "direction": ["->", "<->"]},
...                      index=[3, 4])
>>> links, report = catalogue_to_dependencies(RawTable("catalogue", "Interfaces", flows), systems)
>>> links.cells[["consumer", "provider", "kind", "messages", "route"]]
  consumer provider    kind            messages          route
1     lims      pas  HL7 v2  ADT^A01; ADT^A08  via Rhapsody
2      pas      tie  HL7 v2  ADT^A01; ADT^A08  via Rhapsody
3     lims      tie  HL7 v2  ADT^A01; ADT^A08  via Rhapsody
4     lims      ocs  HL7 v2  ORM^O01; ORU^R01         direct
5      ocs     lims  HL7 v2  ORM^O01; ORU^R01         direct
>>> report.valid
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, cast

import pandas as pd

from inventory import parse
from inventory.files import RawTable
from inventory.names import SystemNames
from inventory.report import MISSING_COLUMN, ValidationReport
from inventory.schema import CRITICALITIES, DEPENDENCIES
from inventory.wording import plural

__all__ = [
    "CATALOGUE_FIELDS",
    "catalogue_to_dependencies",
    "kind_from_messages",
    "normalise_messages",
    "parse_direction",
    "split_route",
]

#: The columns of an interface catalogue, once its headers are mapped.
CATALOGUE_FIELDS = (
    "sender",
    "receiver",
    "messages",
    "kind",
    "route",
    "direction",
    "daily_volume",
    "criticality",
    "notes",
)

Direction = Literal["one-way", "reverse", "two-way"]

_ONE_WAY = r"->|→|=>|>|(one|1)[ -]?way|uni[ -]?directional|outbound|push"
_REVERSE = r"<-|←|<=|<"
_TWO_WAY = r"<->|↔|<=>|both|(two|2)[ -]?way|bi[ -]?directional|bi|duplex"


def parse_direction(text: object) -> Direction | None:
    """Read a catalogue's direction cell; None when it says none of the known forms.

    A remark in brackets is ignored; a blank cell is one way.

    >>> [parse_direction(t) for t in ["->", "<->", "Two-way (orders out, results back)",
    ...                               "bidirectional", None, "<-", "sideways"]]
    ['one-way', 'two-way', 'two-way', 'two-way', 'one-way', 'reverse', None]
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "one-way"
    key = " ".join(re.sub(r"\([^()]*\)", " ", str(text)).lower().split())
    if key in parse.BLANK_TOKENS:
        return "one-way"
    readings: tuple[tuple[str, Direction], ...] = (
        (_TWO_WAY, "two-way"),
        (_REVERSE, "reverse"),
        (_ONE_WAY, "one-way"),
    )
    for pattern, direction in readings:
        if re.fullmatch(pattern, key):
            return direction
    return None


_NO_ENGINE = re.compile(r"^(direct|point to point|point 2 point|p2p|none|no engine|n/?a|-)?$")


def split_route(text: object) -> tuple[str, ...]:
    """The engines a route names, in order; none for a direct route.

    ``via``, ``through`` and ``using`` are dropped; engines are separated by ``,``, ``;``,
    ``/``, ``>``, ``->``, ``+``, ``then`` or ``and``.

    >>> split_route("via Rhapsody"), split_route("Ensemble > MESH"), split_route("Direct")
    (('Rhapsody',), ('Ensemble', 'MESH'), ())
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ()
    words = re.sub(r"^\s*(via|through|thru|using|over)\s+", "", str(text).strip(), flags=re.I)
    parts = re.split(r"\s*(?:->|→|[>,;/+]|\bthen\b|\band\b)\s*", words, flags=re.I)
    engines = []
    for part in parts:
        part = re.sub(r"^(via|through|thru|using|over)\s+", "", part.strip(), flags=re.I)
        if part and not _NO_ENGINE.match(part.lower()):
            engines.append(part)
    return tuple(dict.fromkeys(engines))


_HL7_TYPES = frozenset(
    [
        "ACK",
        "ADT",
        "BAR",
        "DFT",
        "MDM",
        "MFN",
        "OMG",
        "OMI",
        "OML",
        "ORL",
        "ORM",
        "ORR",
        "ORU",
        "PPR",
        "QRY",
        "RAS",
        "RDE",
        "RDS",
        "REF",
        "RRI",
        "SIU",
        "VXU",
    ]
)


def normalise_messages(text: object) -> tuple[str, ...]:
    """Split a message-types cell; write HL7 v2 messages as ``TYPE^EVENT``.

    An event written alone takes the type before it (``ADT^A01/A08`` is ADT^A01 and ADT^A08).

    >>> normalise_messages("ADT A01/A03, A08; ORU^R01")
    ('ADT^A01', 'ADT^A03', 'ADT^A08', 'ORU^R01')
    >>> normalise_messages("ADT (A01, A02); Discharge summary")
    ('ADT^A01', 'ADT^A02', 'Discharge summary')
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ()
    text = re.sub(
        r"\b([A-Za-z]{3})\s*\(((?:\s*[A-Za-z]\d{2}\s*[,/;]?)+)\)",
        lambda m: ", ".join(f"{m[1]}^{e}" for e in re.findall(r"[A-Za-z]\d{2}", m[2])),
        str(text),
    )
    out: list[str] = []
    current = None
    for token in re.split(r"[;,/\n|]+", text):
        token = token.strip()
        if not token or token.lower() in parse.BLANK_TOKENS:
            continue
        full = re.fullmatch(r"([A-Za-z]{3})\s*[\^_\-\s]\s*([A-Za-z]\d{2})", token)
        if full and full[1].upper() in _HL7_TYPES:
            current = full[1].upper()
            out.append(f"{current}^{full[2].upper()}")
        elif current and re.fullmatch(r"[A-Za-z]\d{2}", token):
            out.append(f"{current}^{token.upper()}")
        elif token.upper() in _HL7_TYPES:
            current = token.upper()
            out.append(current)
        else:
            current = None
            out.append(token)
    return tuple(dict.fromkeys(out))


_KIND_HINTS = (
    (re.compile(r"\bfhir\b", re.I), "FHIR"),
    (re.compile(r"\b(dicom|mwl|modality worklist|c-store|c-find|images?)\b", re.I), "DICOM"),
    (re.compile(r"\b(edifact|mesh|itk|nhs00\d)\b", re.I), "messaging"),
    (re.compile(r"\b(csv|files?|extracts?|sftp|ftp)\b", re.I), "file transfer"),
    (re.compile(r"\b(api|rest|soap|web ?service)\b", re.I), "API"),
)


def kind_from_messages(messages: Iterable[str]) -> str | None:
    """The interface kind the message types show: the first one that says one, else None.

    >>> kind_from_messages(["ADT^A01"]), kind_from_messages(["MWL"]), kind_from_messages(["x"])
    ('HL7 v2', 'DICOM', None)
    """
    for message in messages:
        if message.split("^", 1)[0].upper() in _HL7_TYPES:
            return "HL7 v2"
        for pattern, kind in _KIND_HINTS:
            if pattern.search(message):
                return kind
    return None


_VOLUME = re.compile(
    r"^(?P<approx>(?:c\.|ca\.|circa|approx\.?|about|around|~|up to)\s*)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<k>k)?\s*(?:msgs?|messages|transactions)?\s*"
    r"(?P<per>(?:per|a|/|each)\s*(?:day|hour|hr|week|wk|month)|daily|hourly|weekly|monthly)?$",
    re.IGNORECASE,
)
#: Per-day factor and what it says, by the first letters of the period.
_PER_DAY = {
    "day": (1.0, ""),
    "dai": (1.0, ""),
    "hou": (24.0, "an hourly figure x 24"),
    "hr": (24.0, "an hourly figure x 24"),
    "wee": (1 / 7, "a weekly figure / 7"),
    "wk": (1 / 7, "a weekly figure / 7"),
    "mon": (12 / 365, "a monthly figure x 12 / 365"),
}


def _volume(text: str) -> tuple[int | None, str | None]:
    """Messages per day from a volume cell, and what was assumed to read it (if anything)."""
    match = _VOLUME.match(text.strip())
    if not match:
        return None, f"'{text}' is not a number of messages per day; it is left blank"
    number = float(match["number"].replace(",", "")) * (1000 if match["k"] else 1)
    per = re.sub(r"^(per|a|/|each)\s*", "", (match["per"] or "day").lower())
    factor, how = next(f for unit, f in _PER_DAY.items() if per.startswith(unit))
    value = round(number * factor)
    notes = [how] if how else []
    if match["approx"]:
        notes.append("an estimate")
    note = f"'{text}' read as {value:,} a day ({'; '.join(notes)})" if notes else None
    return value, note


@dataclass
class _Link:
    kinds: dict[str, int] = field(default_factory=dict)
    messages: dict[str, None] = field(default_factory=dict)
    criticality: str | None = None
    volume: int | None = None
    routes: dict[str, None] = field(default_factory=dict)
    notes: dict[str, None] = field(default_factory=dict)

    def add(self, kind, messages, criticality, volume, route, notes) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.messages.update(dict.fromkeys(messages))
        if criticality and (
            self.criticality is None
            or CRITICALITIES.index(criticality) > CRITICALITIES.index(self.criticality)
        ):
            self.criticality = criticality
        if volume is not None:
            self.volume = max(volume, self.volume or 0)
        if route:
            self.routes[route] = None
        if notes:
            self.notes[notes] = None


def _systems_in(cell: str, names: SystemNames) -> list[tuple[str, str | None, str | None]]:
    """(spelling, id, problem) for each system a sender or receiver cell names."""
    system = names.find(cell)
    if system is not None:
        return [(cell, system, None)]
    parts = [p.strip() for p in re.split(r"[;\n]|,(?!\d)", cell) if p.strip()]
    if len(parts) < 2:
        return [(cell, *names.resolve(cell))]
    return [(part, *names.resolve(part)) for part in parts]


def catalogue_to_dependencies(
    catalogue: RawTable, systems: pd.DataFrame | SystemNames, *, known_ids: Iterable[str] = ()
) -> tuple[RawTable, ValidationReport]:
    """Turn an interface catalogue into dependency rows, reporting every problem on its cell.

    Parameters
    ----------
    catalogue : RawTable
        Text cells with the columns of :data:`CATALOGUE_FIELDS` (``sender`` and ``receiver``
        required); its index holds the row numbers messages show.
    systems : DataFrame or SystemNames
        The register's systems: ``id`` and ``name`` columns, ``product`` if there is one (or
        their names, already gathered).
    known_ids : iterable of str
        Ids of systems already in the store, which the catalogue may name by id (with a
        DataFrame of systems).

    Returns
    -------
    (RawTable, ValidationReport)
        One row per (consumer, provider) link, as text in the dependency columns, numbered
        ``link 1..n``; and the errors and warnings found in the catalogue's cells. Rows with
        an error give no link.
    """
    report = ValidationReport()
    cells = catalogue.cells
    source, label = catalogue.source, catalogue.row_label
    broken: set[int] = set()

    def add(row, column, value, message, severity="error") -> None:
        report.add(source, int(row), column, value, message, severity=severity, row_label=label)
        if severity == "error":
            broken.add(row)

    missing = [name for name in ("sender", "receiver") if name not in cells]
    for name in missing:
        report.add(source, None, name, None, f"{MISSING_COLUMN} '{name}'", row_label=label)
    if missing:
        return RawTable("dependencies", source, pd.DataFrame()), report
    names = systems if isinstance(systems, SystemNames) else _names(systems, known_ids)
    blank = pd.Series(None, index=cells.index, dtype="object")
    column = {name: cells.get(name, blank) for name in CATALOGUE_FIELDS}
    enums: dict[str, pd.Series] = {}
    for name in ("kind", "criticality"):
        f = DEPENDENCIES[name]
        parsed = parse.parse_enum(column[name], f.allowed, synonyms=f.synonyms, readings=f.readings)
        for row in cells.index[parsed.problems.notna().to_numpy()]:
            add(row, name, column[name][row], f"{name} {parsed.problems[row]}")
        assumed = parsed.assumed
        if assumed is not None:
            for row in cells.index[assumed.notna().to_numpy()]:
                add(row, name, column[name][row], f"{name} {assumed[row]}", "warning")
        enums[name] = cast(pd.Series, parsed.values)  # one value per cell
    links: dict[tuple[str, str], _Link] = {}
    unrecognised = 0
    texts = {
        name: [v if isinstance(v, str) else None for v in parse.blank_out(column[name]).tolist()]
        for name in CATALOGUE_FIELDS
    }
    kinds, criticalities = enums["kind"].tolist(), enums["criticality"].tolist()
    has_kind = "kind" in cells
    # catalogues repeat their names, routes and message lists: each is read once
    systems_in = functools.cache(lambda cell: _systems_in(cell, names))
    engines_in = functools.cache(
        lambda route: [(spelling, *names.resolve(spelling)) for spelling in split_route(route)]
    )
    messages_in = functools.cache(normalise_messages)
    direction_of = functools.cache(parse_direction)
    kind_of = functools.cache(kind_from_messages)
    for position, row in enumerate(cells.index):
        values = {name: texts[name][position] for name in CATALOGUE_FIELDS}
        ends: dict[str, list[str]] = {"sender": [], "receiver": []}
        for end in ends:
            if values[end] is None:
                add(row, end, None, f"{end} is blank; every interface needs one")
                continue
            for spelling, system, problem in systems_in(values[end]):
                if problem:
                    add(row, end, spelling, f"{end} {problem}")
                elif system is not None:
                    ends[end].append(system)
        engines: list[str] = []
        for _spelling, system, problem in engines_in(values["route"]):
            if problem:
                add(row, "route", values["route"], f"route engine {problem}")
            elif system is not None:
                engines.append(system)
        direction = direction_of(values["direction"])
        if direction is None:
            add(
                row,
                "direction",
                values["direction"],
                f"direction '{values['direction']}' is not one of: ->, <-, <->, one-way, "
                "two-way, bidirectional",
            )
        messages = messages_in(values["messages"])
        kind = kinds[position]
        if kind is None and values["kind"] is None:
            kind = kind_of(messages)
            unrecognised += kind is None
            if kind is not None and has_kind:
                add(
                    row, "kind", None, f"kind is blank; read as {kind} from its messages", "warning"
                )
        volume = None
        if values["daily_volume"] is not None:
            volume, note = _volume(values["daily_volume"])
            if note:
                add(row, "daily_volume", values["daily_volume"], f"daily_volume {note}", "warning")
        for sender in ends["sender"]:
            if sender in ends["receiver"]:
                add(
                    row,
                    "receiver",
                    values["receiver"],
                    f"sender and receiver are both '{sender}'; an interface joins two systems",
                )
        if row in broken or direction is None:  # a direction that cannot be read is broken
            continue
        for origin, destination in _flows(ends["sender"], ends["receiver"], direction):
            pairs: list[tuple[str, str]] = [(destination, origin)] + [
                (end, engine)
                for engine in engines
                for end in (origin, destination)
                if engine not in (origin, destination)
            ]
            for pair in pairs:
                links.setdefault(pair, _Link()).add(
                    kind or "other",
                    messages,
                    criticalities[position],
                    volume,
                    values["route"],
                    values["notes"],
                )
    if "kind" not in cells and len(cells):
        report.add(
            source,
            None,
            "kind",
            None,
            "the catalogue has no interface type column, so each link's kind is worked out from "
            "its message types (ADT^A01 is HL7 v2, MWL is DICOM)"
            + (
                f"; {plural(unrecognised, 'row')} "
                f"{'shows' if unrecognised == 1 else 'show'} none and "
                f"{'is' if unrecognised == 1 else 'are'} 'other'"
                if unrecognised
                else ""
            ),
            severity="warning",
            row_label=label,
        )
    return RawTable(
        "dependencies", f"{source} (links)", _link_table(links), row_label="link"
    ), report


def _names(systems: pd.DataFrame, known_ids: Iterable[str]) -> SystemNames:
    known = [str(i) for i in known_ids]
    present = systems[systems["id"].notna()] if "id" in systems else systems.iloc[0:0]

    def column(name: str) -> list:
        if name not in present:
            return [None] * len(present)
        return [v if isinstance(v, str) else None for v in present[name]]

    return SystemNames(
        [*present["id"].astype(str), *known] if "id" in present else known,
        [*column("name"), *[None] * len(known)],
        [*column("product"), *[None] * len(known)],
    )


def _flows(senders: list[str], receivers: list[str], direction: Direction) -> list[tuple[str, str]]:
    """(origin, destination) of every flow a row describes."""
    flows = []
    for sender in senders:
        for receiver in receivers:
            if sender == receiver:
                continue
            if direction in ("one-way", "two-way"):
                flows.append((sender, receiver))
            if direction in ("reverse", "two-way"):
                flows.append((receiver, sender))
    return flows


def _link_table(links: dict[tuple[str, str], _Link]) -> pd.DataFrame:
    columns = [
        "consumer",
        "provider",
        "kind",
        "criticality",
        "messages",
        "daily_volume",
        "route",
        "notes",
    ]
    table = pd.DataFrame(
        [
            (
                consumer,
                provider,
                max(link.kinds, key=link.kinds.__getitem__),  # the most common, first on a tie
                link.criticality,
                "; ".join(link.messages) or None,
                None if link.volume is None else str(link.volume),
                "; ".join(link.routes) or None,
                "; ".join(link.notes) or None,
            )
            for (consumer, provider), link in links.items()
        ],
        columns=columns,
        dtype="object",
    )
    table.index = pd.RangeIndex(1, 1 + len(table))
    return table
