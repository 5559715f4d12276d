"""Interfaces seen in HL7 v2 traffic: one row per (sender, receiver) application pair.

The table is in the *interface catalogue form* that catalogue imports read: ``sender``,
``receiver``, ``sender_facility``, ``receiver_facility``, ``messages``, ``kind``,
``message_count``, ``messages_per_day``, ``first_seen``, ``last_seen`` and ``route``, then
three columns only discovery has: ``sender_as_written``, ``receiver_as_written`` and
``undated``, and a ``note``.

Rules
-----
- Applications are named as in MSH-3 and MSH-5: the first component (namespace id), or the
  second (universal id) when the first is blank, so ``EPIC`` and ``EPIC^PMGL^ADTOUT`` are one
  application; ``*_as_written`` lists every full value seen. Names keep their case: ``EPIC``
  and ``Epic`` are told apart here and joined by the alias table
  (:func:`inventory.discover.aliases.application_aliases`).
- A blank MSH-5 is common: an engine publishes and whoever subscribes receives. Such messages
  are kept as an interface with a blank ``receiver`` and a ``note`` saying so, never dropped
  or guessed; the same for a blank MSH-3.
- ``messages`` lists the distinct message types (``TYPE^EVENT``), most frequent first, ties in
  alphabetical order, separated by ``'; '`` as in the inventory's dependencies; the sender
  and receiver facilities and the values as written are listed the same way.
- ``messages_per_day`` divides ``message_count`` by the days the whole capture spans: from its
  first to its last dated message, not the interface's own, so an interface that sent 10
  messages in a 30-day log shows 0.33 a day, not 10 on the day it was seen. A capture
  shorter than a day counts as one day, so a short capture gives the messages seen, a floor
  rather than a guess at a full day. Rounded to 2 decimals; blank when no message is dated.
- ``first_seen`` and ``last_seen`` come from MSH-7; ``undated`` counts the interface's messages
  without a usable MSH-7 (they are in ``message_count`` and in the reader's report).
- ``route`` is left blank: routes come from the engine's catalogue, not from the traffic.

Examples
--------
>>> import pandas as pd
>>> messages = pd.DataFrame({
...     "sender": ["PAS", "PAS", "PAS", "ENSEMBLE"],
...     "sender_as_written": ["PAS", "PAS", "PAS", "ENSEMBLE"],
...     "sender_facility": ["RXX", "RXX", "RXX", "RXX"],
...     "receiver": ["ENSEMBLE", "ENSEMBLE", "ENSEMBLE", ""],
...     "receiver_as_written": ["ENSEMBLE", "ENSEMBLE", "ENSEMBLE", ""],
...     "receiver_facility": ["RXX", "RXX", "RXX", ""],
...     "message_type": ["ADT^A01", "ADT^A08", "ADT^A08", "ADT^A02"],
...     "sent_at": pd.to_datetime(["2026-03-02 08:00", "2026-03-02 09:00",
...                                "2026-03-04 08:00", "2026-03-04 08:00"]),
... })
>>> edges = discover_interfaces(messages)
>>> edges[["sender", "receiver", "messages", "message_count", "messages_per_day"]]
     sender  receiver           messages  message_count  messages_per_day
0       PAS  ENSEMBLE  ADT^A08; ADT^A01              3               1.5
1  ENSEMBLE                      ADT^A02              1               0.5
"""

from __future__ import annotations

import pandas as pd

from inventory.errors import InvalidArgumentError

__all__ = ["INTERFACE_COLUMNS", "capture_days", "discover_interfaces", "ordered_values"]

#: The columns of :func:`discover_interfaces`' table, in order.
INTERFACE_COLUMNS = (
    "sender",
    "receiver",
    "sender_facility",
    "receiver_facility",
    "messages",
    "kind",
    "message_count",
    "messages_per_day",
    "first_seen",
    "last_seen",
    "route",
    "sender_as_written",
    "receiver_as_written",
    "undated",
    "note",
)

_KEY = ["sender", "receiver"]
#: Message columns listed per interface, and the interface column each becomes.
_LISTED = {
    "sender_facility": "sender_facility",
    "receiver_facility": "receiver_facility",
    "message_type": "messages",
    "sender_as_written": "sender_as_written",
    "receiver_as_written": "receiver_as_written",
}
_DAY = pd.Timedelta(days=1)
BLANK_SENDER = "MSH-3 is blank: the sending application is not named"
BLANK_RECEIVER = (
    "MSH-5 is blank: the receiving application is not named (an engine publishing to whoever "
    "subscribes?); find the subscribers in its configuration"
)
_NOT_TEXT = ("message_count", "undated", "messages_per_day", "first_seen", "last_seen")


def discover_interfaces(messages: pd.DataFrame, *, days: float | None = None) -> pd.DataFrame:
    """Return one row per (sender, receiver) pair seen in ``messages``, busiest first.

    Parameters
    ----------
    messages : DataFrame
        One row per message, as :func:`inventory.discover.hl7.read_messages` returns.
    days : float, optional
        How many days the capture covers, when known better than from the messages' dates
        (a log rotated daily for a week is 7 days even if the first message came at 00:03).

    Returns
    -------
    DataFrame
        :data:`INTERFACE_COLUMNS`, with the rules in the module notes.

    Raises
    ------
    InvalidArgumentError
        When ``days`` is not a positive number.
    """
    if days is not None and not days > 0:
        raise InvalidArgumentError(
            "days", f"the capture must cover a positive number of days, not {days}"
        )
    span = capture_days(messages["sent_at"]) if days is None else float(days)
    if messages.empty:
        return _empty()
    counts = (
        messages.groupby(_KEY + list(_LISTED), sort=False, dropna=False)["sent_at"]
        .agg(["size", "count", "min", "max"])
        .reset_index()
    )
    edges = counts.groupby(_KEY, sort=False).agg(
        message_count=("size", "sum"),
        dated=("count", "sum"),
        first_seen=("min", "min"),
        last_seen=("max", "max"),
    )
    for column, name in _LISTED.items():
        edges[name] = ordered_values(counts, _KEY, column, "size")
    edges = edges.reset_index()
    edges["kind"] = "HL7 v2"
    edges["messages_per_day"] = (edges["message_count"] / span).round(2)
    edges["route"] = ""
    edges["undated"] = edges["message_count"] - edges["dated"]
    edges["note"] = _notes(edges)
    edges = edges.sort_values(
        ["message_count", "sender", "receiver"], ascending=[False, True, True], kind="stable"
    )
    return _typed(edges[list(INTERFACE_COLUMNS)].reset_index(drop=True))


def capture_days(sent_at: pd.Series) -> float:
    """Return the days from the first to the last dated message, at least one; NaN if none.

    >>> capture_days(pd.Series(pd.to_datetime(["2026-03-02 06:00", "2026-03-05 18:00"])))
    3.5
    >>> capture_days(pd.Series(pd.to_datetime(["2026-03-02 06:00", "2026-03-02 07:00"])))
    1.0
    """
    dated = sent_at.dropna()
    if dated.empty:
        return float("nan")
    return max((dated.max() - dated.min()) / _DAY, 1.0)


def ordered_values(counts: pd.DataFrame, keys: list[str], column: str, weight: str) -> pd.Series:
    """Join each group's distinct non-blank ``column`` values, heaviest first, with '; '.

    Ties are broken alphabetically, so the order is stable from run to run.

    >>> counts = pd.DataFrame({"pair": ["a", "a", "a"], "type": ["ADT^A08", "ADT^A01", "ORU^R01"],
    ...                        "n": [1, 1, 5]})
    >>> ordered_values(counts, ["pair"], "type", "n")["a"]
    'ORU^R01; ADT^A01; ADT^A08'
    """
    totals = counts.groupby([*keys, column], sort=False)[weight].sum().reset_index()
    totals = totals[totals[column].astype(str).str.strip() != ""]
    order = [True] * len(keys) + [False, True]
    totals = totals.sort_values([*keys, weight, column], ascending=order)
    joined = totals.groupby(keys, sort=False)[column].agg("; ".join)
    index = counts.set_index(keys).index.unique()
    return joined.reindex(index, fill_value="")


def _notes(edges: pd.DataFrame) -> list[str]:
    notes = []
    for sender, receiver in zip(edges["sender"], edges["receiver"], strict=True):
        said = [BLANK_SENDER] if sender == "" else []
        said += [BLANK_RECEIVER] if receiver == "" else []
        notes.append("; ".join(said))
    return notes


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: pd.Series(dtype="object") for c in INTERFACE_COLUMNS}))


def _typed(edges: pd.DataFrame) -> pd.DataFrame:
    """The table's dtypes, the same whether it is empty or not and whatever pandas infers."""
    text = [c for c in INTERFACE_COLUMNS if c not in _NOT_TEXT]
    return edges.astype(
        {
            **dict.fromkeys(text, "object"),
            "message_count": "int64",
            "undated": "int64",
            "messages_per_day": "float64",
            "first_seen": "datetime64[ns]",
            "last_seen": "datetime64[ns]",
        }
    )
