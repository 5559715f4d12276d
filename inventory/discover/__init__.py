"""Discovering interfaces from what systems actually send: HL7 v2 message logs and captures.

Cloud migration tools see TCP flows; these functions read the messages themselves, so each
interface is named by its applications and message types. Read the messages
(:func:`read_messages`), build the interfaces (:func:`discover_interfaces`), match application
names to inventory ids for a person to review (:func:`application_aliases`), and compare the
traffic with the declared dependencies (:func:`diff_interfaces`). See ``docs/discovery.md``.

Examples
--------
>>> messages, report = read_messages("tests/data/hl7")
>>> len(messages), len(report.errors), len(report.warnings)
(31, 1, 5)
>>> edges = discover_interfaces(messages)
>>> edges[["sender", "receiver", "message_count"]].head(3)
    sender   receiver  message_count
0      PAS   ENSEMBLE              8
1  CLARION   ENSEMBLE              4
2 ENSEMBLE  LUMEN_RIS              3
"""

from __future__ import annotations

from inventory.discover.aliases import (
    ALIAS_COLUMNS,
    alias_mapping,
    application_aliases,
    apply_aliases,
)
from inventory.discover.diff import DIFF_COLUMNS, FINDINGS, diff_interfaces
from inventory.discover.hl7 import MESSAGE_COLUMNS, MessageHeader, iter_messages, read_messages
from inventory.discover.interfaces import INTERFACE_COLUMNS, capture_days, discover_interfaces
from inventory.discover.tables import read_aliases, read_interfaces, write_interfaces

__all__ = [
    "ALIAS_COLUMNS",
    "DIFF_COLUMNS",
    "FINDINGS",
    "INTERFACE_COLUMNS",
    "MESSAGE_COLUMNS",
    "MessageHeader",
    "alias_mapping",
    "application_aliases",
    "apply_aliases",
    "capture_days",
    "diff_interfaces",
    "discover_interfaces",
    "iter_messages",
    "read_aliases",
    "read_interfaces",
    "read_messages",
    "write_interfaces",
]
