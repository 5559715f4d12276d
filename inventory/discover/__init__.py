"""Discovering interfaces from what systems actually send: HL7 v2 message logs and captures.

Cloud migration tools see TCP flows; these functions read the messages themselves, so an
interface is named by its applications and message types. See ``docs/discovery.md``.

Examples
--------
>>> messages, report = read_messages("tests/data/hl7")
>>> edges = discover_interfaces(messages)
>>> edges.loc[0, ["sender", "receiver", "messages", "message_count"]].tolist()
['PAS', 'ENSEMBLE', 'ADT^A08; ADT^A01; ADT^A02; ADT^A03; ADT^A04; ADT^A28', 8]
"""

from __future__ import annotations

from inventory.discover.hl7 import (
    MESSAGE_COLUMNS,
    HL7FileError,
    MessageHeader,
    iter_messages,
    read_messages,
)
from inventory.discover.interfaces import INTERFACE_COLUMNS, discover_interfaces

__all__ = [
    "INTERFACE_COLUMNS",
    "MESSAGE_COLUMNS",
    "HL7FileError",
    "MessageHeader",
    "discover_interfaces",
    "iter_messages",
    "read_messages",
]
