"""The alias table: each application name seen in the traffic, with a suggested inventory id.

Traffic names applications as their senders were configured (``ENSEMBLE``, ``LUMEN_RIS``,
``EPIC^PMGL^ADTOUT``); the inventory names systems by id. :func:`application_aliases` lists
every application name once, with its facilities, the values as written and its message
counts, and suggests an inventory id. A person reviews the table (accepts, corrects or blanks
``inventory_id``); :func:`alias_mapping` turns it into ``{name: id}``, and
:func:`apply_aliases` writes ids instead of names into the message table, so
:func:`inventory.discover.discover_interfaces` gives the interfaces between inventory systems.

Matching
--------
Names and the inventory's ids, names, products and suppliers are compared by their
:func:`inventory.names.name_key`, case- and punctuation-insensitively (``LUMEN_RIS`` is
``Lumen RIS``), as registers and catalogues are (:class:`inventory.names.SystemNames`); unlike
those, which accept only one exact fit, the alias table scores near fits too, for review. A
candidate scores

- 1.0 when the two are the same,
- 0.9 when the name is a whole word of the candidate (``ENSEMBLE`` in ``InterSystems
  Ensemble``) or the candidate a whole word of the name (``pas`` in ``IPM PAS``), words of
  three letters or more,
- the :class:`difflib.SequenceMatcher` ratio when that is 0.8 or more (a near miss:
  ``ORDERCOM`` and ``order-comms``), names of four letters or more,

times a weight for what matched: id and name 1.0, product 0.95, supplier 0.8 (a supplier
names a vendor, who may supply several systems). ``confidence`` is the best score, rounded to
2 decimals; ``inventory_id`` is its system, left blank when nothing is close or when two
systems tie for best (``matched_on`` then says ``ambiguous``). ``candidates`` lists the best
three for the review. A blank name (MSH-3 or MSH-5 not filled in) is listed with its counts
but cannot be aliased: nothing names it. Given the table as reviewed before, the reviewed ids
are kept and only names new to the traffic get suggestions, so the table can be written again
after every new capture without losing the review.

Examples
--------
>>> import pandas as pd
>>> edges = pd.DataFrame({
...     "sender": ["PAS", "ENSEMBLE"], "receiver": ["ENSEMBLE", "LUMEN_RIS"],
...     "sender_facility": ["RXX", "RXX"], "receiver_facility": ["RXX", "RXX"],
...     "sender_as_written": ["PAS", "ENSEMBLE"], "receiver_as_written": ["ENSEMBLE", "LUMEN_RIS"],
...     "message_count": [120, 80],
... })
>>> systems = pd.DataFrame({
...     "name": ["Patient Administration System", "Trust Integration Engine", "Radiology"],
...     "product": ["Meridian PAS", "InterSystems Ensemble", "Lumen RIS"],
...     "supplier": ["Meridian", "Tessellate", "Lumen Imaging"],
... }, index=pd.Index(["pas", "tie", "ris"], name="id"))
>>> aliases = application_aliases(edges, systems)
>>> aliases[["application", "messages_sent", "messages_received", "inventory_id", "confidence"]]
  application  messages_sent  messages_received inventory_id  confidence
0    ENSEMBLE             80                120          tie        0.85
1         PAS            120                  0          pas        1.00
2   LUMEN_RIS              0                 80          ris        0.95
>>> alias_mapping(aliases)
{'ENSEMBLE': 'tie', 'PAS': 'pas', 'LUMEN_RIS': 'ris'}
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from inventory.discover.interfaces import ordered_values
from inventory.errors import InvalidArgumentError
from inventory.names import name_key

__all__ = [
    "ALIAS_COLUMNS",
    "alias_mapping",
    "application_aliases",
    "apply_aliases",
]

#: The columns of :func:`application_aliases`' table, in order.
ALIAS_COLUMNS = (
    "application",
    "facilities",
    "as_written",
    "messages_sent",
    "messages_received",
    "inventory_id",
    "confidence",
    "matched_on",
    "candidates",
    "note",
)

#: How much a match on each inventory field counts.
FIELD_WEIGHTS = {"id": 1.0, "name": 1.0, "product": 0.95, "supplier": 0.8}
WORD_SCORE = 0.9
NEAR_MISS = 0.8
_SHOWN_CANDIDATES = 3
_SHOWN_TIES = 5


def application_aliases(
    edges: pd.DataFrame,
    inventory_systems: pd.DataFrame | None = None,
    *,
    reviewed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return one row per application name in ``edges``, with a suggested inventory id.

    Parameters
    ----------
    edges : DataFrame
        Interfaces as :func:`inventory.discover.discover_interfaces` returns (``sender``,
        ``receiver``, their facilities and values as written, ``message_count``).
    inventory_systems : DataFrame, optional
        The inventory's systems (``Inventory.systems``: indexed by id, or with an ``id``
        column; ``name``, ``product`` and ``supplier`` are used when present). Without it, no
        id is suggested.
    reviewed : DataFrame, optional
        An alias table a person has already reviewed (``application``, ``inventory_id``): its
        names keep their ``inventory_id``, blank or not, and ``matched_on`` says
        ``reviewed``; only new names get suggestions. Reviewed names not in ``edges`` stay in
        the table with no messages, so that a review is never lost.

    Returns
    -------
    DataFrame
        :data:`ALIAS_COLUMNS`, busiest application first (see the module notes).
    """
    sides = []
    for side, role in (("sender", "sent"), ("receiver", "received")):
        part = pd.DataFrame(
            {
                "application": edges[side].astype(str),
                "facility": edges[f"{side}_facility"].astype(str),
                "as_written": edges[f"{side}_as_written"].astype(str),
                "role": role,
                "count": edges["message_count"].astype("int64"),
            }
        )
        sides.append(part)
    both = pd.concat(sides, ignore_index=True)
    by_role = both.groupby(["application", "role"], sort=False)["count"].sum().unstack()
    table = pd.DataFrame(
        {
            f"messages_{role}": by_role.get(role, pd.Series(0, index=by_role.index))
            for role in ("sent", "received")
        }
    )
    table = table.fillna(0).astype("int64")
    for column, name in (("facility", "facilities"), ("as_written", "as_written")):
        listed = both.assign(**{column: both[column].str.split("; ")}).explode(column)
        table[name] = ordered_values(listed, ["application"], column, "count")
    table = table.reset_index()
    candidates = _candidates(inventory_systems)
    matches = pd.DataFrame(
        [_suggest(name, candidates) for name in table["application"]],
        columns=["inventory_id", "confidence", "matched_on", "candidates"],
    )
    table = pd.concat([table, matches], axis=1)
    table["note"] = (
        table["application"]
        .eq("")
        .map({True: "no application named (MSH-3 or MSH-5 blank): nothing to alias", False: ""})
    )
    if reviewed is not None:
        table = _keep_review(table, reviewed)
    total = table["messages_sent"] + table["messages_received"]
    order = pd.DataFrame({"total": -total, "application": table["application"]})
    table = table.loc[order.sort_values(["total", "application"], kind="stable").index]
    result = table[list(ALIAS_COLUMNS)].reset_index(drop=True)
    text = [c for c in ALIAS_COLUMNS if c not in ("messages_sent", "messages_received")]
    return result.astype({**dict.fromkeys(text, "object"), "confidence": "float64"})


def _keep_review(table: pd.DataFrame, reviewed: pd.DataFrame) -> pd.DataFrame:
    """Put the reviewed ids in place of suggestions; keep reviewed names no longer seen."""
    ids = reviewed["inventory_id"].fillna("").astype(str).str.strip()
    decided = dict(zip(reviewed["application"].fillna("").astype(str), ids, strict=True))
    known = table["application"].isin(list(decided))
    table.loc[known, "inventory_id"] = table.loc[known, "application"].map(decided)
    table.loc[known, "matched_on"] = "reviewed"
    gone = [name for name in decided if name not in set(table["application"])]
    missing = pd.DataFrame(
        {
            "application": gone,
            "facilities": "",
            "as_written": "",
            "messages_sent": 0,
            "messages_received": 0,
            "inventory_id": [decided[name] for name in gone],
            "confidence": float("nan"),
            "matched_on": "reviewed",
            "candidates": "",
            "note": "not in this traffic",
        }
    )
    return pd.concat([table, missing], ignore_index=True) if gone else table


def alias_mapping(aliases: pd.DataFrame | Mapping[str, str]) -> dict[str, str]:
    """Return ``{application name: inventory id}`` from a reviewed alias table.

    Rows with a blank ``inventory_id`` or a blank application are left out; a mapping is
    returned as it is (blank entries dropped).

    Raises
    ------
    InvalidArgumentError
        When one application is given two different ids.

    Examples
    --------
    >>> table = pd.DataFrame({"application": ["ENSEMBLE", "TIE", "WINPATH"],
    ...                       "inventory_id": ["tie", "tie", ""]})
    >>> alias_mapping(table)
    {'ENSEMBLE': 'tie', 'TIE': 'tie'}
    """
    if isinstance(aliases, Mapping):
        pairs = [(str(k), str(v).strip()) for k, v in aliases.items()]
    else:
        ids = aliases["inventory_id"].fillna("").astype(str).str.strip()
        pairs = list(zip(aliases["application"].fillna("").astype(str), ids, strict=True))
    mapping: dict[str, str] = {}
    for name, system in pairs:
        if not name or not system:
            continue
        if mapping.get(name, system) != system:
            raise InvalidArgumentError(
                "aliases",
                f"application '{name}' is given two inventory ids, '{mapping[name]}' and "
                f"'{system}'",
                hint="keep one row for it",
            )
        mapping[name] = system
    return mapping


def apply_aliases(
    messages: pd.DataFrame, aliases: pd.DataFrame | Mapping[str, str]
) -> pd.DataFrame:
    """Return ``messages`` with ``sender`` and ``receiver`` replaced by inventory ids.

    Names with no id stay as they are; the names as written stay in ``*_as_written``. Apply
    it to the message table and then call
    :func:`inventory.discover.discover_interfaces`, so that two names for one system (``TIE``
    and ``ENSEMBLE``) become one interface.

    Examples
    --------
    >>> messages = pd.DataFrame({"sender": ["TIE", "ENSEMBLE"], "receiver": ["LIMS", "X"]})
    >>> apply_aliases(messages, {"TIE": "tie", "ENSEMBLE": "tie", "LIMS": "lims"})
      sender receiver
    0    tie     lims
    1    tie        X
    """
    mapping = alias_mapping(aliases)
    result = messages.copy()
    for column in ("sender", "receiver"):
        result[column] = result[column].map(lambda name: mapping.get(name, name))
    return result


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[0-9a-z]+", text.casefold()) if len(w) >= 3)


class _Candidate(NamedTuple):
    system: str
    field: str
    text: str
    key: str
    words: frozenset[str]


def _candidates(systems: pd.DataFrame | None) -> list[_Candidate]:
    """Every id, name, product and supplier of the inventory, ready to compare."""
    if systems is None or systems.empty:
        return []
    frame = systems.reset_index() if "id" not in systems.columns else systems
    found = []
    for field in FIELD_WEIGHTS:
        if field not in frame.columns:
            continue
        for system, text in zip(frame["id"], frame[field], strict=True):
            if isinstance(text, str) and text.strip():
                found.append(_Candidate(str(system), field, text, name_key(text), _words(text)))
    return found


def _score(key: str, words: frozenset[str], candidate: _Candidate) -> tuple[float, str]:
    """How well a name (its key and words) matches a candidate, and how it matched."""
    other = candidate.key
    if not key or not other:
        return 0.0, ""
    if key == other:
        return 1.0, "same name"
    if (len(key) >= 3 and key in candidate.words) or (len(other) >= 3 and other in words):
        return WORD_SCORE, "word"
    if min(len(key), len(other)) >= 4:
        matcher = difflib.SequenceMatcher(None, key, other)
        if matcher.real_quick_ratio() >= NEAR_MISS and matcher.quick_ratio() >= NEAR_MISS:
            ratio = matcher.ratio()
            if ratio >= NEAR_MISS:
                return ratio, f"near miss {ratio:.2f}"
    return 0.0, ""


def _suggest(name: str, candidates: list[_Candidate]) -> tuple[str, float, str, str]:
    """The suggested id, its confidence, what matched and the best candidates for one name."""
    key, words = name_key(name), _words(name)
    best: dict[str, tuple[float, str]] = {}
    for candidate in candidates:
        score, how = _score(key, words, candidate)
        confidence = round(score * FIELD_WEIGHTS[candidate.field], 2)
        if confidence > best.get(candidate.system, (0.0, ""))[0]:
            best[candidate.system] = (confidence, f"{candidate.field} '{candidate.text}' ({how})")
    if not best:
        return "", float("nan"), "", ""
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    shown = "; ".join(f"{system} ({c:.2f})" for system, (c, _) in ranked[:_SHOWN_CANDIDATES])
    (top, (confidence, matched)), rest = ranked[0], ranked[1:]
    if rest and rest[0][1][0] == confidence:
        tied = [system for system, (c, _) in ranked if c == confidence]
        more = f" and {len(tied) - _SHOWN_TIES} more" if len(tied) > _SHOWN_TIES else ""
        names = ", ".join(tied[:_SHOWN_TIES]) + more
        return "", confidence, f"ambiguous: {names} match equally", shown
    return top, confidence, matched, shown
