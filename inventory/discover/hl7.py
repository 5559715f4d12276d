"""Reading HL7 v2 message logs and captures: one row per message, from its MSH header.

What is read
------------
Files named are always read; folders are searched recursively (a folder's files first, then
its subfolders, each in name order, hidden ones skipped) for ``.hl7``, ``.txt``, ``.log`` and
``.dat`` files and any other file whose first bytes are ``MSH``, ``FHS``, ``BHS`` or the MLLP
start byte. A file may hold one message or many, with segments ended by
``\\r``, ``\\n`` or ``\\r\\n`` (mixed too), blank lines between messages, UTF-8 byte order
marks, MLLP framing (``\\x0b`` ... ``\\x1c\\r``) and FHS/BHS batch envelopes: FHS, BHS, BTS and
FTS segments wrap messages and are not messages themselves.

How it is read
--------------
Splitting the bytes into messages is transport work done here: a message starts at a segment
that begins ``MSH`` and runs to the next ``MSH`` or envelope segment. The header fields are
parsed by the ``hl7`` package (python-hl7), which takes the field separator and encoding
characters from each message's own MSH-1 and MSH-2 and undoes escape sequences.

Only the MSH segment is parsed, and each distinct header only once. Measured here, python-hl7
parses about 5,000 short ADT messages a second (200 of 24 segments) and a lone MSH segment at
16,000-20,000; cProfile puts the time in the nested containers it builds. That is far short of
a busy engine's log. A trust's feeds repeat a few hundred headers that differ only in MSH-7
(the time) and MSH-10 (the control id), so the header is cut at its field separator (MSH-1)
into MSH-2 to MSH-9, MSH-7 is set aside, and the rest is parsed by the library and cached.
MSH-7 is taken up to its first component separator (from MSH-2), checked against the HL7 TS
format and converted by :func:`hl7.parse_datetime`. ``benchmarks/discover_hl7.py`` measures
the result.

Every problem becomes an :class:`inventory.report.Issue` (file, message number, byte offset,
what is wrong) and reading goes on. Errors are messages that cannot be counted (the header is
cut off, MSH-9 is blank); warnings are messages counted with a doubt (no usable MSH-7, an MLLP
frame not closed, bytes that are not HL7 segments, a header that is not UTF-8), summed up per
file where there could be thousands of them.

Why one module of this size: splitting bytes into messages, reading their headers and
turning them into rows is one pass over the files, kept together so that the framing rules
(MLLP, batches, separators) are in one place.

Examples
--------
>>> messages, report = read_messages("tests/data/hl7/pas_adt_to_engine.hl7")
>>> messages[["sender", "receiver", "message_type"]].head(2)
  sender  receiver message_type
0    PAS  ENSEMBLE      ADT^A01
1    PAS  ENSEMBLE      ADT^A08
>>> report.valid
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import re
import string
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

import hl7
import hl7.util
import pandas as pd

from inventory.errors import MissingFileError
from inventory.output import note_input
from inventory.report import Severity, ValidationReport

__all__ = [
    "HL7_SUFFIXES",
    "MESSAGE_COLUMNS",
    "MessageHeader",
    "iter_messages",
    "read_messages",
]

#: File name endings read from folders (other files are read when they start like HL7).
HL7_SUFFIXES = (".hl7", ".txt", ".log", ".dat")

#: The columns of :func:`read_messages`' table, in order.
MESSAGE_COLUMNS = (
    "source",
    "message",
    "offset",
    "sender",
    "sender_as_written",
    "sender_facility",
    "receiver",
    "receiver_as_written",
    "receiver_facility",
    "message_type",
    "sent_at",
)

#: Bytes read at a time; a longer message is gathered over several reads.
CHUNK_BYTES = 1 << 20
#: A message (or a run of bytes before the first) longer than this ends the reading of its
#: file: no HL7 log holds one, and it keeps a large binary file from filling memory.
MAX_UNIT_BYTES = 64 << 20
#: Errors listed one by one in a file before the rest are summed up in one issue.
MAX_ERRORS_PER_FILE = 50
#: Distinct headers (MSH-2 to MSH-9 without MSH-7) kept parsed.
HEADER_CACHE_SIZE = 1 << 15

_BOM = b"\xef\xbb\xbf"
_MLLP_START, _MLLP_END = b"\x0b", b"\x1c"
#: The segments that start a unit: a message, or an envelope around messages.
_UNIT_NAMES = (b"MSH", b"FHS", b"BHS", b"FTS", b"BTS")
#: Where a unit starts after the start of a file: after a segment end, an MLLP byte or a byte
#: order mark (a character class first, so the regular expression engine scans fast).
_UNIT_START = re.compile(rb"[\r\n\x0b\x1c\xbf](?=MSH|FHS|BHS|FTS|BTS)")
_SEGMENT_END = re.compile(rb"[\r\n\x1c]")
#: Bytes that may surround messages: segment ends, MLLP bytes, blanks, byte order marks.
_FRAMING = b"\r\n\x0b\x1c\t " + _BOM
#: Characters that may separate: ASCII punctuation.
_PUNCTUATION = frozenset(string.punctuation)
#: HL7 TS: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ].
_TS = re.compile(
    r"\d{4}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,4})?)?)?)?)?)?"
    r"(?:[+-](?:0\d|1[0-4])[0-5]\d)?"
)
#: Message times outside these bounds are not used (a clock never set, a typing slip).
_EARLIEST, _LATEST = dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1)


class MessageHeader(NamedTuple):
    """What one message says about itself: where it is, who sent it to whom, what and when.

    ``sender`` and ``receiver`` are application names: the first component of MSH-3 and MSH-5
    (the HD namespace id), or the second (the universal id) when the first is blank; the
    ``*_as_written`` fields hold the whole field as it appears in the message. Facilities
    (MSH-4, MSH-6) follow the same rule. ``message_type`` is MSH-9 as ``TYPE^EVENT``, without
    the message structure (component 3). ``sent_at`` is MSH-7 as the sender's wall-clock time
    (a UTC offset is checked, then dropped), or ``None`` when MSH-7 is blank or not an HL7
    date/time.
    """

    source: str
    message: int
    offset: int
    sender: str
    sender_as_written: str
    sender_facility: str
    receiver: str
    receiver_as_written: str
    receiver_facility: str
    message_type: str
    sent_at: dt.datetime | None


def read_messages(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
) -> tuple[pd.DataFrame, ValidationReport]:
    """Read HL7 v2 messages from files and folders into a table, with every problem found.

    Parameters
    ----------
    paths : path or list of paths
        Files, or folders searched recursively (see the module notes for what is read).

    Returns
    -------
    messages : DataFrame
        One row per message that could be read, with :data:`MESSAGE_COLUMNS`: ``source`` is
        the file, ``message`` the message's number in it (from 1, counting messages that could
        not be read), ``offset`` the byte where its MSH segment starts, ``sent_at`` MSH-7
        (``NaT`` when unusable); see :class:`MessageHeader` for the rest.
    report : ValidationReport
        One issue per problem; messages with an error are not in the table.

    Raises
    ------
    MissingFileError
        When a path does not exist; nothing is read then.

    Examples
    --------
    >>> messages, report = read_messages(["tests/data/hl7/lims_results_mllp.dat"])
    >>> messages[["sender", "receiver", "message_type", "offset"]]
      sender receiver message_type  offset
    0   LIMS      TIE      ORU^R01       1
    1   LIMS      TIE      ORU^R01     258
    """
    report = ValidationReport()
    rows = list(iter_messages(paths, report))
    frame = pd.DataFrame(rows, columns=list(MESSAGE_COLUMNS), dtype="object")
    frame["message"] = frame["message"].astype("int64")
    frame["offset"] = frame["offset"].astype("int64")
    frame["sent_at"] = pd.to_datetime(frame["sent_at"]).astype("datetime64[ns]")
    return frame, report


def iter_messages(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    report: ValidationReport,
) -> Iterator[MessageHeader]:
    """Yield the header of every readable message in file order; add problems to ``report``.

    The streaming form of :func:`read_messages`: files are read a chunk at a time, so a log of
    any length is read in little memory.

    Parameters
    ----------
    paths : path or list of paths
        Files, or folders searched recursively.
    report : ValidationReport
        Where each problem is added as it is found.

    Raises
    ------
    MissingFileError
        When a path does not exist (on the first step of the iteration).

    Examples
    --------
    >>> report = ValidationReport()
    >>> first = next(iter_messages("tests/data/hl7/pas_adt_to_engine.hl7", report))
    >>> first.sender, first.receiver, first.message_type, first.sent_at
    ('PAS', 'ENSEMBLE', 'ADT^A01', datetime.datetime(2026, 3, 2, 8, 15, 2))
    """
    for path in _files(_as_paths(paths), report):
        note_input(path)
        try:
            with path.open("rb") as handle:
                yield from _FileReader(str(path), report).read(handle)
        except OSError as error:
            report.add(
                str(path),
                None,
                None,
                None,
                f"cannot be read ({error.strerror or error}); check that it is a readable file",
            )


# --- finding files ---------------------------------------------------------------------


def _as_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    result = [Path(p) for p in paths]
    for path in result:
        if not path.exists():
            raise MissingFileError(path)
    return result


def _files(paths: list[Path], report: ValidationReport) -> Iterator[Path]:
    """The files to read: each file named, and the HL7 files in each folder (sorted)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found = False
        for folder, folders, names in os.walk(path):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for name in sorted(names):
                candidate = Path(folder, name)
                if not name.startswith(".") and _looks_like_hl7(candidate):
                    found = True
                    yield candidate
        if not found:
            report.add(
                str(path),
                None,
                None,
                None,
                "holds no HL7 files (.hl7, .txt, .log or .dat files, or files that start with "
                "MSH, FHS, BHS or an MLLP start byte); check the folder",
            )


def _looks_like_hl7(path: Path) -> bool:
    if path.suffix.lower() in HL7_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            start = handle.read(64)
    except OSError:
        return False
    start = start.removeprefix(_BOM).lstrip(b"\r\n\t ")
    return start.startswith((b"MSH", b"FHS", b"BHS", _MLLP_START))


# --- framing ---------------------------------------------------------------------------


class _Oversized(Exception):
    """More than :data:`MAX_UNIT_BYTES` without the start of a unit, from ``offset``;
    ``message`` says whether those bytes start with a message header."""

    def __init__(self, offset: int, message: bool) -> None:
        super().__init__(offset)
        self.offset = offset
        self.message = message


def _units(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, bytes)``: first what comes before the first unit (often nothing),
    then each unit: a segment starting MSH, FHS, BHS, FTS or BTS and everything up to the
    next one. Reads :data:`CHUNK_BYTES` at a time; raises :class:`_Oversized` when a unit
    grows past :data:`MAX_UNIT_BYTES`."""
    pending, base, searched, started = b"", 0, 0, False
    while True:
        data = handle.read(CHUNK_BYTES)
        pending += data
        if len(pending) > MAX_UNIT_BYTES:
            raise _Oversized(base, started and pending.startswith(b"MSH"))
        starts = [m.end() for m in _UNIT_START.finditer(pending, searched)]
        if not started:
            if pending.startswith(_UNIT_NAMES):
                starts.insert(0, 0)
            if not starts:
                if not data:
                    yield 0, pending
                    return
                searched = max(0, len(pending) - 3)
                continue
            yield 0, pending[: starts[0]]
            started, cut = True, starts[0]
            pending, base = pending[cut:], base + cut
            starts = [s - cut for s in starts]
        else:
            starts = [0, *starts]
        for begin, end in itertools.pairwise(starts):
            yield base + begin, pending[begin:end]
        if not data:
            yield base + starts[-1], pending[starts[-1] :]
            return
        cut = starts[-1]
        pending, base = pending[cut:], base + cut
        searched = max(0, len(pending) - 3)


@lru_cache(maxsize=64)
def _bad_line(separator: str) -> re.Pattern[bytes]:
    """A line in a message body that is neither blank nor a segment (ABC + separator)."""
    sep = re.escape(separator.encode("ascii"))
    return re.compile(rb"[\r\n](?![ \t]*(?:[\r\n]|\Z)|[A-Z][A-Z0-9]{2}(?:" + sep + rb"|[\r\n]|\Z))")


def _preview(data: bytes) -> str:
    """How many bytes, and the first of them as printable text, for a message."""
    shown = "".join(chr(b) if 32 <= b < 127 and b != 0x5C else f"\\x{b:02x}" for b in data[:24])
    return f"{len(data):,} bytes starting '{shown}'"


# --- the MSH header ----------------------------------------------------------------------


class _HeaderError(Exception):
    """The library could not parse a header, or it lacks a message type."""


def _punctuation(text: str) -> bool:
    return set(text) <= _PUNCTUATION


@lru_cache(maxsize=256)
def _valid_encoding(encoding: str, separator: str) -> bool:
    """MSH-2: one to five distinct punctuation characters (normally ^~\\&), not MSH-1."""
    return (
        0 < len(encoding) <= 5
        and _punctuation(encoding)
        and len(set(encoding)) == len(encoding)
        and separator not in encoding
    )


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Silence python-hl7's log lines about malformed escapes (it logs with the deprecated
    ``Logger.warn``, itself a DeprecationWarning); the escape is dropped, the name read."""
    disabled, logger.disabled = logger.disabled, True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logger.disabled = disabled


def _field(message: hl7.Message, segment: hl7.Segment, number: int) -> tuple[str, list[str]]:
    """The field as written, and its first repetition's components, unescaped and stripped."""
    if number >= len(segment):
        return "", [""]
    field = segment(number)
    first = field(1) if len(field) else ""
    parts = first if isinstance(first, hl7.Repetition) else [first]
    with _quiet(hl7.util.logger):
        components = [message.unescape(str(part)).strip() for part in parts]
    return str(field), [_printable(c) for c in components] or [""]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text).strip()


def _name(components: list[str]) -> str:
    """An HD's name: the namespace id, or the universal id when that is blank."""
    return components[0] or (components[1] if len(components) > 1 else "")


@lru_cache(maxsize=HEADER_CACHE_SIZE)
def _parse_header(text: str) -> tuple[str, str, str, str, str, str, str]:
    """Parse an MSH segment with python-hl7; return the applications, facilities and type."""
    try:
        message = hl7.parse(text)
        msh = message.segment("MSH")
        sender_as_written, sender = _field(message, msh, 3)
        _, sender_facility = _field(message, msh, 4)
        receiver_as_written, receiver = _field(message, msh, 5)
        _, receiver_facility = _field(message, msh, 6)
        _, kind = _field(message, msh, 9)
    except (hl7.HL7Exception, ValueError, IndexError, KeyError, AssertionError) as error:
        raise _HeaderError(f"python-hl7 cannot parse the MSH segment ({error})") from error
    if not kind[0]:
        raise _HeaderError(
            "MSH-9 (message type) is blank, so the message cannot be counted as any type"
        )
    event = kind[1] if len(kind) > 1 else ""
    return (
        _name(sender),
        sender_as_written,
        _name(sender_facility),
        _name(receiver),
        receiver_as_written,
        _name(receiver_facility),
        f"{kind[0]}^{event}" if event else kind[0],
    )


@lru_cache(maxsize=HEADER_CACHE_SIZE)
def _timestamp(value: str) -> dt.datetime | None:
    """MSH-7's first component as a wall-clock time, or None when it is not HL7 TS."""
    if not _TS.fullmatch(value):
        return None
    try:
        sent_at = hl7.parse_datetime(value)
    except ValueError:  # a month 13, a 30 February
        return None
    if sent_at.tzinfo is not None:
        sent_at = sent_at.replace(tzinfo=None)
    return sent_at if _EARLIEST <= sent_at < _LATEST else None


# --- reading one file ------------------------------------------------------------------


@dataclass
class _Tally:
    """A warning summed up per file: how many messages, and the first one's location."""

    count: int = 0
    first: tuple[int, int, str] | None = None

    def add(self, number: int, offset: int, value: str) -> None:
        self.count += 1
        if self.first is None:
            self.first = (number, offset, value)


@dataclass
class _Batch:
    offset: int
    separator: str
    messages: int = 0


class _FileReader:
    """Split one file into messages and envelope segments; read each message's header."""

    def __init__(self, source: str, report: ValidationReport) -> None:
        self.source = source
        self.report = report
        self.number = 0
        self.errors = 0
        self.undated = _Tally()
        self.not_utf8 = _Tally()
        self.batch: _Batch | None = None

    def read(self, handle: BinaryIO) -> Iterator[MessageHeader]:
        try:
            yield from self._read(_units(handle))
        except _Oversized as error:
            if error.message:
                self.number += 1
            self.issue(
                self.number if error.message else None,
                None,
                error.offset,
                f"more than {MAX_UNIT_BYTES:,} bytes without the start of a message: the file "
                "is not an HL7 log or a message in it is damaged; read no further",
            )
            self._finish()

    def _read(self, units: Iterator[tuple[int, bytes]]) -> Iterator[MessageHeader]:
        _, preamble = next(units)
        first = next(units, None)
        if first is None:
            self._no_messages(preamble)
            return
        if preamble.strip(_FRAMING):
            self.issue(
                None,
                None,
                0,
                f"{_preview(preamble)} come before the first message and are not HL7; skipped them",
                severity="warning",
            )
        opened = preamble.endswith(_MLLP_START)
        for offset, unit in itertools.chain([first], units):
            if unit.startswith(b"MSH"):
                self.number += 1
                header = self._message(unit, offset, opened)
                if header is not None:
                    yield header
            else:
                self._envelope(unit, offset)
            opened = unit.endswith(_MLLP_START)
        self._finish()

    def _no_messages(self, data: bytes) -> None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.issue(
                None,
                None,
                0,
                "is UTF-16 text, which HL7 logs never are: save it as UTF-8 and read it again",
            )
        elif data.strip(_FRAMING):
            self.issue(
                None,
                None,
                0,
                f"holds no HL7 messages: no segment starts with MSH ({_preview(data)})",
                severity="warning",
            )
        else:
            self.issue(None, None, 0, "is empty", severity="warning")

    def _message(self, unit: bytes, offset: int, opened: bool) -> MessageHeader | None:
        if self.batch is not None:
            self.batch.messages += 1
        match = _SEGMENT_END.search(unit)
        end = match.start() if match else len(unit)
        raw = unit[:end]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            self.not_utf8.add(self.number, offset, "")
        header = self._header(text, offset)
        if header is not None:
            self._check_body(unit, end, offset, opened, text[3])
        return header

    def _header(self, text: str, offset: int) -> MessageHeader | None:
        if len(text) < 4:
            self.issue(
                self.number,
                "MSH-1",
                offset,
                "the MSH segment stops before MSH-1 (the field separator): the message is cut off",
                value=text,
            )
            return None
        separator = text[3]
        if not _punctuation(separator):
            self.issue(
                self.number,
                "MSH-1",
                offset,
                f"MSH-1 '{separator}' cannot be a field separator (HL7 uses '|'): the message "
                "is damaged or not HL7",
                value=text[:40],
            )
            return None
        fields = text[4:].split(separator, 8)  # MSH-2 to MSH-9, then the rest
        encoding = fields[0]
        if not _valid_encoding(encoding, separator):
            self.issue(
                self.number,
                "MSH-2",
                offset,
                f"MSH-2 (encoding characters) '{encoding[:10]}' is not valid: it should be four "
                "distinct punctuation characters such as ^~\\&",
                value=text[:40],
            )
            return None
        if len(fields) < 8:
            self.issue(
                self.number,
                "MSH-9",
                offset,
                f"the MSH segment ends at MSH-{len(fields) + 1}, before MSH-9 (the message "
                "type): the message is cut off or damaged",
                value=text[:80],
            )
            return None
        try:
            parsed = _parse_header(
                "MSH" + separator + separator.join((*fields[:5], "", *fields[6:8]))
            )
        except _HeaderError as error:
            self.issue(self.number, "MSH", offset, str(error), value=text[:80])
            return None
        value = fields[5].split(encoding[0], 1)[0].strip()
        sent_at = _timestamp(value)
        if sent_at is None:
            self.undated.add(self.number, offset, value)
        return MessageHeader(self.source, self.number, offset, *parsed, sent_at)

    def _check_body(self, unit: bytes, end: int, offset: int, opened: bool, separator: str) -> None:
        """Warn about an MLLP frame left open and about bytes that are not segments."""
        close = unit.find(_MLLP_END, end)
        if opened and close < 0:
            self.issue(
                self.number,
                None,
                offset,
                "its MLLP frame is not closed (no \\x1c before the next message or the end of "
                "the file), so the capture may have cut it off; counted from its MSH segment",
                severity="warning",
            )
        body = unit[end:close] if close >= 0 else unit[end:]
        after = unit[close + 1 :] if close >= 0 else b""
        bad = _bad_line(separator).search(body.rstrip(_FRAMING))
        if bad is not None:
            where, junk = offset + end + bad.start() + 1, body[bad.start() + 1 :]
        elif after.strip(_FRAMING):
            skipped = len(after) - len(after.lstrip(_FRAMING))
            where, junk = offset + close + 1 + skipped, after
        else:
            return
        self.issue(
            self.number,
            None,
            where,
            f"holds bytes that are not HL7 segments ({_preview(junk.strip(_FRAMING))}); "
            "ignored them and counted the message from its MSH segment",
            severity="warning",
        )

    def _envelope(self, unit: bytes, offset: int) -> None:
        """Follow batches (BHS ... BTS) to check their message count; FHS/FTS need nothing."""
        match = _SEGMENT_END.search(unit)
        end = match.start() if match else len(unit)
        segment = unit[:end].decode("cp1252", errors="replace")
        kind = segment[:3]
        if kind == "BHS":
            self._close_batch()
            self.batch = _Batch(offset, segment[3:4] or "|")
        elif kind == "BTS" and self.batch is not None:
            count = segment[4:].split(self.batch.separator, 1)[0].strip()
            if count.isdigit() and int(count) != self.batch.messages:
                self.issue(
                    None,
                    "BTS-1",
                    offset,
                    f"the batch trailer counts {int(count)} messages but the batch holds "
                    f"{self.batch.messages}: messages are missing or cut off",
                    value=count,
                    severity="warning",
                )
            self.batch = None
        rest = unit[end:].strip(_FRAMING)
        if rest:
            self.issue(
                None,
                None,
                offset + end,
                f"holds bytes that are not HL7 segments after a {kind} segment "
                f"({_preview(rest)}); ignored them",
                severity="warning",
            )

    def _close_batch(self) -> None:
        if self.batch is not None:
            self.issue(
                None,
                "BHS",
                self.batch.offset,
                "the batch that starts here has no BTS trailer: the file may be cut off",
                severity="warning",
            )
        self.batch = None

    def _finish(self) -> None:
        self._close_batch()
        if self.errors > MAX_ERRORS_PER_FILE:
            self.report.add(
                self.source,
                None,
                None,
                None,
                f"{self.errors - MAX_ERRORS_PER_FILE:,} more messages could not be read (only "
                f"the first {MAX_ERRORS_PER_FILE} are listed)",
            )
        if self.undated.first is not None:
            number, offset, value = self.undated.first
            self.issue(
                number,
                "MSH-7",
                offset,
                _tally(
                    self.undated.count, "no usable MSH-7 (date/time of message, YYYYMMDD[HHMM[SS]])"
                )
                + "; such messages are counted but have no date, so they are left out of first "
                "and last seen and of the capture's span",
                value=value or None,
                severity="warning",
            )
        if self.not_utf8.first is not None:
            number, offset, _ = self.not_utf8.first
            self.issue(
                number,
                None,
                offset,
                _tally(self.not_utf8.count, "an MSH segment that is not UTF-8")
                + "; read as Windows-1252: check that the application names came through",
                severity="warning",
            )

    def issue(
        self,
        number: int | None,
        column: str | None,
        offset: int,
        message: str,
        *,
        value: str | None = None,
        severity: Severity = "error",
    ) -> None:
        """Record a problem at byte ``offset`` (in message ``number`` when there is one)."""
        if severity == "error":
            self.errors += 1
            if self.errors > MAX_ERRORS_PER_FILE:
                return
        self.report.add(
            self.source,
            number,
            column,
            value,
            f"at byte {offset:,}: {message}",
            severity=severity,
            row_label="message",
        )


def _tally(count: int, what: str) -> str:
    """'this message has X', or 'N messages in this file have X; this is the first'."""
    if count == 1:
        return f"this message has {what}"
    return f"{count:,} messages in this file have {what}; this is the first"
