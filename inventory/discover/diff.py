"""What the traffic shows against what the inventory declares: one tidy table of findings.

A declared dependency says the consumer depends on the provider; for a data flow the receiver
(MSH-5) is the consumer and the sender (MSH-3) the provider. Discovered interfaces are named
by application; the alias mapping turns names into inventory ids
(:mod:`inventory.discover.aliases`). Only declared dependencies of kind ``HL7 v2`` are
compared. Each row of :func:`diff_interfaces` is one ``finding``:

``seen, not declared``
    An interface in the traffic with no HL7 v2 dependency between its two systems, including
    interfaces whose sender or receiver has no inventory id (the ``detail`` says which name
    to alias) or no name at all (a blank MSH-5: the ``detail`` lists the sender's declared
    consumers, which may be its subscribers). When the pair is declared the other way round
    or with another kind, the ``detail`` says so.
``declared, not seen``
    An HL7 v2 dependency between two systems that both appear in the traffic, with no message
    between them. When the provider also sent messages with a blank MSH-5, the ``detail``
    says they may include this interface.
``declared, outside the traffic``
    An HL7 v2 dependency with a system that never appears in the traffic: the capture does
    not cover it, so nothing can be said; the ``detail`` names the system.
``message types differ``
    An interface both seen and declared whose message types differ: ``seen_not_declared``
    and ``declared_not_seen`` list them. A declaration that lists no types is reported too,
    with the types seen, so that it can be filled in.

Message types are compared as ``TYPE^EVENT`` in upper case, so ``ADT_A01``, ``adt^a01`` and
``ADT^A01^ADT_A01`` are the same type.

Examples
--------
>>> import pandas as pd
>>> discovered = pd.DataFrame({
...     "sender": ["PAS", "ENSEMBLE", "ENSEMBLE"], "receiver": ["ENSEMBLE", "LIMS", "RIS"],
...     "messages": ["ADT^A01; ADT^A08", "ADT^A01", "ADT^A08"], "message_count": [50, 20, 9],
... })
>>> declared = pd.DataFrame({
...     "consumer": ["lims", "ris", "ed"], "provider": ["tie", "tie", "tie"],
...     "kind": ["HL7 v2"] * 3,
...     "messages": [("ADT^A01", "ADT^A40"), ("ADT^A08",), ("ADT^A01",)],
... })
>>> aliases = {"PAS": "pas", "ENSEMBLE": "tie", "LIMS": "lims", "RIS": "ris"}
>>> diff = diff_interfaces(discovered, declared, aliases)
>>> diff[["finding", "provider", "consumer", "message_count"]]
                         finding provider consumer  message_count
0             seen, not declared      pas      tie             50
1  declared, outside the traffic      tie       ed              0
2           message types differ      tie     lims             20
>>> diff.loc[2, "declared_not_seen"], diff.loc[1, "detail"]
('ADT^A40', "'ed' never appears in the traffic, so the capture does not cover this interface")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from inventory.discover.aliases import alias_mapping

__all__ = ["DIFF_COLUMNS", "FINDINGS", "diff_interfaces", "message_type_key"]

#: The findings, in the order the table lists them.
FINDINGS = (
    "seen, not declared",
    "declared, not seen",
    "declared, outside the traffic",
    "message types differ",
)

#: The columns of :func:`diff_interfaces`' table, in order.
DIFF_COLUMNS = (
    "finding",
    "provider",
    "consumer",
    "sender",
    "receiver",
    "seen_messages",
    "declared_messages",
    "seen_not_declared",
    "declared_not_seen",
    "message_count",
    "detail",
)

HL7 = "HL7 v2"


def diff_interfaces(
    discovered: pd.DataFrame,
    declared_dependencies: pd.DataFrame,
    aliases: pd.DataFrame | Mapping[str, str],
) -> pd.DataFrame:
    """Compare discovered interfaces with declared dependencies; return one row per finding.

    Parameters
    ----------
    discovered : DataFrame
        Interfaces named by application (``sender``, ``receiver``, ``messages`` as a
        '; '-separated text, ``message_count``), as
        :func:`inventory.discover.discover_interfaces` returns or
        :func:`inventory.discover.read_interfaces` reads back (without ``message_count``,
        counts are 0).
    declared_dependencies : DataFrame
        ``consumer``, ``provider``, ``kind`` and ``messages`` (tuples of message types), as
        ``Inventory.dependencies`` has.
    aliases : DataFrame or mapping
        A reviewed alias table, or ``{application name: inventory id}``.

    Returns
    -------
    DataFrame
        :data:`DIFF_COLUMNS`, ordered by :data:`FINDINGS`, then provider and consumer (see
        the module notes).
    """
    mapping = alias_mapping(aliases)
    seen = discovered.assign(
        provider=discovered["sender"].map(mapping).fillna(""),
        consumer=discovered["receiver"].map(mapping).fillna(""),
        types=discovered["messages"].map(_split),
        message_count=discovered.get("message_count", 0),
    ).astype({"message_count": "int64"})
    declared = declared_dependencies.assign(types=declared_dependencies["messages"].map(_split))
    hl7 = declared[declared["kind"] == HL7]
    declared_pairs: dict[tuple[str, str], tuple[str, ...]] = {
        (p, c): types for p, c, types in hl7[["provider", "consumer", "types"]].itertuples(False)
    }
    other_kinds: dict[tuple[str, str], str] = {
        (p, c): kind for p, c, kind in declared[["provider", "consumer", "kind"]].itertuples(False)
    }
    in_traffic = (set(seen["provider"]) | set(seen["consumer"])) - {""}
    named = seen[(seen["provider"] != "") & (seen["consumer"] != "")]
    broadcasts = seen[(seen["provider"] != "") & (seen["receiver"] == "")]

    rows = []
    for pair, group in named.groupby(["provider", "consumer"], sort=True):
        provider, consumer = str(pair[0]), str(pair[1])
        types = _union(group.sort_values("message_count", ascending=False)["types"])
        row = {
            "provider": provider,
            "consumer": consumer,
            "sender": _names(group["sender"]),
            "receiver": _names(group["receiver"]),
            "seen_messages": types,
            "message_count": int(group["message_count"].sum()),
        }
        if (provider, consumer) in declared_pairs:
            rows += _compare(row, declared_pairs[(provider, consumer)])
        else:
            detail = _undeclared_detail(provider, consumer, other_kinds)
            rows.append(_finding(0, row, seen_not_declared=types, detail=detail))
    for _, edge in seen[(seen["provider"] == "") | (seen["consumer"] == "")].iterrows():
        rows.append(_unmapped(edge, hl7))
    seen_pairs = set(zip(named["provider"], named["consumer"], strict=True))
    for (provider, consumer), types in sorted(declared_pairs.items()):
        if (provider, consumer) in seen_pairs:
            continue
        missing = [s for s in (provider, consumer) if s not in in_traffic]
        row = {
            "provider": provider,
            "consumer": consumer,
            "sender": _names(seen.loc[seen["provider"] == provider, "sender"]),
            "receiver": _names(seen.loc[seen["consumer"] == consumer, "receiver"]),
            "declared_messages": types,
            "message_count": 0,
        }
        if missing:
            detail = " and ".join(f"'{s}'" for s in missing) + (
                " never appears in the traffic, so the capture does not cover this interface"
                if len(missing) == 1
                else " never appear in the traffic, so the capture does not cover this interface"
            )
            rows.append(_finding(2, row, detail=detail))
        else:
            detail = "both systems appear in the traffic, but no message went between them"
            published = broadcasts[broadcasts["provider"] == provider]
            if not published.empty:
                detail += (
                    f"; {provider} also sent {int(published['message_count'].sum()):,} messages "
                    f"with a blank MSH-5 ({'; '.join(_union(published['types']))}), which may "
                    "include this interface"
                )
            rows.append(_finding(1, row, declared_not_seen=types, detail=detail))
    return _table(rows)


def message_type_key(text: str) -> str:
    """Return a message type as ``TYPE^EVENT`` in upper case, for comparison.

    >>> message_type_key("adt_a01"), message_type_key("ORU^R01^ORU_R01"), message_type_key("ACK")
    ('ADT^A01', 'ORU^R01', 'ACK')
    """
    text = text.strip().upper()
    parts = text.split("^") if "^" in text else re.split(r"[_\s]+", text, maxsplit=1)
    return "^".join(p.strip() for p in parts[:2] if p.strip())


def _split(value: object) -> tuple[str, ...]:
    """Message types from a tuple or a '; '-separated text."""
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, Iterable):
        return ()
    return tuple(t.strip() for t in value if isinstance(t, str) and t.strip())


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Distinct message types in first-seen order (one spelling per type)."""
    found: dict[str, str] = {}
    for types in groups:
        for t in types:
            found.setdefault(message_type_key(t), t)
    return tuple(found.values())


def _names(names: pd.Series) -> str:
    return "; ".join(dict.fromkeys(n for n in names if n))


def _compare(row: dict, declared: tuple[str, ...]) -> list[dict]:
    seen = row["seen_messages"]
    seen_keys = {message_type_key(t) for t in seen}
    declared_keys = {message_type_key(t) for t in declared}
    extra = tuple(t for t in seen if message_type_key(t) not in declared_keys)
    missing = tuple(t for t in declared if message_type_key(t) not in seen_keys)
    row = {**row, "declared_messages": declared}
    if not declared:
        detail = "the declaration lists no message types; the traffic shows these"
        return [_finding(3, row, seen_not_declared=extra, detail=detail)]
    if not extra and not missing:
        return []
    return [_finding(3, row, seen_not_declared=extra, declared_not_seen=missing)]


def _undeclared_detail(provider: str, consumer: str, kinds: dict) -> str:
    if provider == consumer:
        return f"sender and receiver are both '{provider}' in the aliases"
    if (provider, consumer) in kinds:
        return f"declared as '{kinds[(provider, consumer)]}', not '{HL7}'"
    if (consumer, provider) in kinds:
        return (
            f"declared the other way round ({provider} depends on {consumer}); for a data flow "
            "the receiver is the consumer"
        )
    return ""


def _unmapped(edge: pd.Series, hl7: pd.DataFrame) -> dict:
    """A seen interface with a side that has no inventory id (or no name)."""
    problems = []
    for side, column in (("sender", "provider"), ("receiver", "consumer")):
        if edge[column]:
            continue
        if edge[side]:
            problems.append(f"{side} '{edge[side]}' has no inventory id: add it to the aliases")
        else:
            header = "MSH-3" if side == "sender" else "MSH-5"
            problems.append(f"{header} is blank, so the {side} is not known")
    if edge["provider"] and not edge["receiver"]:
        consumers = sorted(hl7.loc[hl7["provider"] == edge["provider"], "consumer"])
        if consumers:
            problems.append(
                f"{edge['provider']} declares HL7 v2 consumers {', '.join(consumers)}, which "
                "may be its subscribers"
            )
    row = {
        "provider": edge["provider"],
        "consumer": edge["consumer"],
        "sender": edge["sender"],
        "receiver": edge["receiver"],
        "seen_messages": edge["types"],
        "message_count": int(edge["message_count"]),
    }
    return _finding(0, row, seen_not_declared=edge["types"], detail="; ".join(problems))


def _finding(
    number: int,
    row: dict,
    *,
    seen_not_declared: tuple[str, ...] = (),
    declared_not_seen: tuple[str, ...] = (),
    detail: str = "",
) -> dict:
    return {
        **row,
        "finding": FINDINGS[number],
        "seen_not_declared": seen_not_declared,
        "declared_not_seen": declared_not_seen,
        "detail": detail,
    }


def _table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(DIFF_COLUMNS))
    for column in ("seen_messages", "declared_messages", "seen_not_declared", "declared_not_seen"):
        table[column] = table[column].map(lambda v: "; ".join(v) if isinstance(v, tuple) else "")
    table = table.fillna({c: "" for c in DIFF_COLUMNS if c != "message_count"})
    table["message_count"] = table["message_count"].fillna(0)
    order = table["finding"].map({f: i for i, f in enumerate(FINDINGS)})
    table = table.assign(_order=order).sort_values(
        ["_order", "provider", "consumer", "sender", "receiver"], kind="stable"
    )
    table = table.drop(columns="_order").reset_index(drop=True)
    text = [c for c in DIFF_COLUMNS if c != "message_count"]
    return table.astype({**dict.fromkeys(text, "object"), "message_count": "int64"})
