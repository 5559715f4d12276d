"""Interface discovery from HL7 v2 traffic: reading, interfaces, aliases, diff and files.

The fixtures in tests/data/hl7 are a small fictional trust's feeds, written for these tests:
a PAS sending ADT to the engine (``\\r``), the engine fanning out to the LIMS, RIS and EPR
with two subscriber broadcasts (``\\n`` and blank lines), order comms ORM through the engine
(``\\r\\n``), ORU back from the LIMS as an MLLP capture and from the RIS as a cut-off MLLP
capture, a nightly FHS/BHS batch from the EDMS, mixed separators behind a byte order mark, a
message cut off inside its MSH, and garbage bytes. Every expectation here was worked out by
hand from those files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory import load_inventory, propose_mapping, read_inventory
from inventory.discover import (
    ALIAS_COLUMNS,
    DIFF_COLUMNS,
    FINDINGS,
    INTERFACE_COLUMNS,
    MESSAGE_COLUMNS,
    alias_mapping,
    application_aliases,
    apply_aliases,
    capture_days,
    diff_interfaces,
    discover_interfaces,
    read_aliases,
    read_interfaces,
    read_messages,
    write_interfaces,
)
from inventory.discover import hl7 as hl7_reader
from inventory.errors import InvalidArgumentError, InventoryFileError, MissingFileError
from tests.conftest import ROOT, SAMPLE_TRUST, SHARED_DATA

HL7_DATA = ROOT / "tests" / "data" / "hl7"
SHARED_HL7 = SHARED_DATA / "hl7"


def msh(sender="PAS", receiver="ENSEMBLE", when="20260302081502", kind="ADT^A01^ADT_A01"):
    """An MSH segment with the usual separators."""
    return f"MSH|^~\\&|{sender}|RXX|{receiver}|RXX|{when}||{kind}|C1|P|2.4"


def message(header: str, sep: str = "\r") -> str:
    return f"{header}{sep}PID|1||9990000001^^^NHS^NH||SMITH^JANE{sep}"


@pytest.fixture
def read_bytes(tmp_path):
    """Factory: write bytes to a file and read it; return (messages, report)."""

    def read(data: bytes | str, name: str = "capture.hl7"):
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return read_messages(path)

    return read


def issues(report) -> list[tuple]:
    """The report as (file name, message number, column, severity, message) tuples."""
    return [(Path(i.source).name, i.row, i.column, i.severity, i.message) for i in report]


# --- reading: framing and separators --------------------------------------------------


def test_pas_feed_with_carriage_returns():
    messages, report = read_messages(HL7_DATA / "pas_adt_to_engine.hl7")
    assert list(messages.columns) == list(MESSAGE_COLUMNS)
    assert messages["message"].tolist() == [1, 2, 3, 4, 5, 6]
    assert messages["offset"].tolist() == [0, 261, 522, 783, 1041, 1307]
    assert set(messages["sender"]) == {"PAS"} and set(messages["receiver"]) == {"ENSEMBLE"}
    assert messages["message_type"].tolist() == [
        "ADT^A01",
        "ADT^A08",
        "ADT^A02",
        "ADT^A08",
        "ADT^A03",
        "ADT^A28",
    ]
    # 20260303160000+0000: the offset is checked then dropped; 202603041200: minutes only
    assert (
        messages["sent_at"].tolist()
        == pd.to_datetime(
            [
                "2026-03-02 08:15:02",
                "2026-03-02 09:10:00",
                "2026-03-02 10:15:00",
                "2026-03-03 11:00:00",
                "2026-03-03 16:00:00",
                "2026-03-04 12:00:00",
            ]
        ).tolist()
    )
    assert messages["sent_at"].dtype == "datetime64[ns]"
    assert len(report) == 0


def test_engine_log_with_newlines_blank_lines_components_and_blank_receivers():
    messages, report = read_messages(HL7_DATA / "engine_fanout.log")
    assert messages["receiver"].tolist() == [
        "SENTINEL",
        "LUMEN_RIS",
        "HALCYON",
        "SENTINEL",
        "HALCYON",
        "LUMEN_RIS",
        "",
        "",
    ]
    assert messages["receiver_as_written"].tolist()[:2] == ["SENTINEL^LAB", "LUMEN_RIS"]
    assert messages["sender"].unique().tolist() == ["ENSEMBLE"]
    assert messages["sender_as_written"].tolist()[:2] == [
        "ENSEMBLE^2.16.840.1.113883.2.1.4.1^ISO",
        "ENSEMBLE",
    ]
    assert messages["receiver_facility"].tolist()[-2:] == ["", ""]
    assert len(report) == 0


def test_crlf_separators():
    messages, report = read_messages(HL7_DATA / "order_comms_orm.hl7")
    assert list(zip(messages["sender"], messages["receiver"], strict=True)) == [
        ("CLARION", "ENSEMBLE"),
        ("CLARION", "ENSEMBLE"),
        ("ENSEMBLE", "SENTINEL"),
        ("ENSEMBLE", "LUMEN_RIS"),
    ]
    assert set(messages["message_type"]) == {"ORM^O01"}
    assert messages["offset"].tolist() == [0, 228, 456, 689]
    assert len(report) == 0


def test_mllp_capture():
    messages, report = read_messages(HL7_DATA / "lims_results_mllp.dat")
    assert messages["offset"].tolist() == [1, 258]  # just after each \x0b
    assert messages["message_type"].tolist() == ["ORU^R01", "ORU^R01"]
    assert len(report) == 0


def test_mllp_frame_cut_off_is_counted_with_a_warning():
    messages, report = read_messages(HL7_DATA / "ris_results_mllp_cut.dat")
    assert messages["message"].tolist() == [1, 2]
    assert issues(report) == [
        (
            "ris_results_mllp_cut.dat",
            2,
            None,
            "warning",
            "at byte 213: its MLLP frame is not closed (no \\x1c before the next message or "
            "the end of the file), so the capture may have cut it off; counted from its MSH "
            "segment",
        )
    ]


def test_batch_envelope_segments_are_not_messages():
    messages, report = read_messages(HL7_DATA / "edms_nightly_batch.hl7")
    assert messages["message"].tolist() == [1, 2]
    assert messages["offset"].tolist() == [102, 358]
    assert set(messages["message_type"]) == {"MDM^T02"}
    assert len(report) == 0


def test_batch_trailer_that_miscounts_and_a_batch_never_closed(read_bytes):
    batch = "BHS|^~\\&|PARCHMENT\r" + message(msh()) + message(msh()) + "BTS|3\r"
    unclosed = "BHS|^~\\&|PARCHMENT\r" + message(msh())
    messages, report = read_bytes(batch + unclosed)
    assert len(messages) == 3
    assert issues(report) == [
        (
            "capture.hl7",
            None,
            "BTS-1",
            "warning",
            "at byte 239: the batch trailer counts 3 messages but the batch holds 2: messages "
            "are missing or cut off",
        ),
        (
            "capture.hl7",
            None,
            "BHS",
            "warning",
            "at byte 245: the batch that starts here has no BTS trailer: the file may be cut off",
        ),
    ]


def test_mixed_separators_blank_lines_and_byte_order_mark():
    messages, report = read_messages(HL7_DATA / "mixed_separators.txt")
    assert messages["offset"].tolist() == [3, 267, 424]
    assert messages["message_type"].tolist() == ["ORU^R01", "SIU^S12", "ORU^R01"]
    assert len(report) == 0


def test_byte_order_marks_between_concatenated_files(read_bytes):
    one = message(msh(kind="ADT^A01"), "\n")
    two = message(msh(kind="ADT^A08"), "\n")
    messages, report = read_bytes("\ufeff" + one + "\ufeff" + two)
    assert messages["message_type"].tolist() == ["ADT^A01", "ADT^A08"]
    assert len(report) == 0


def test_a_message_cut_off_inside_its_msh_is_an_error_and_reading_goes_on():
    messages, report = read_messages(HL7_DATA / "truncated.hl7")
    assert messages["message"].tolist() == [1, 3]
    assert issues(report) == [
        (
            "truncated.hl7",
            2,
            "MSH-9",
            "error",
            "at byte 246: the MSH segment ends at MSH-7, before MSH-9 (the message type): the "
            "message is cut off or damaged",
        )
    ]
    assert report.issues[0].value == "MSH|^~\\&|PAS|RXX|ENSEMBLE|RXX|2026030"


def test_garbage_bytes_windows_1252_and_an_unusable_date():
    messages, report = read_messages(HL7_DATA / "garbage.dat")
    assert messages["sender_facility"].tolist() == ["RXX", "ST MARY’S"]
    assert messages["sent_at"].isna().tolist() == [False, True]
    assert issues(report) == [
        (
            "garbage.dat",
            None,
            None,
            "warning",
            "at byte 0: 8 bytes starting '\\x00\\x01\\xffJUNK\\x0a' come before the first "
            "message and are not HL7; skipped them",
        ),
        (
            "garbage.dat",
            1,
            None,
            "warning",
            "at byte 157: holds bytes that are not HL7 segments (5 bytes starting "
            "'\\x00\\x00\\x00\\xfe\\xfd'); ignored them and counted the message from its MSH "
            "segment",
        ),
        (
            "garbage.dat",
            2,
            "MSH-7",
            "warning",
            "at byte 163: this message has no usable MSH-7 (date/time of message, "
            "YYYYMMDD[HHMM[SS]]); such messages are counted but have no date, so they are left "
            "out of first and last seen and of the capture's span",
        ),
        (
            "garbage.dat",
            2,
            None,
            "warning",
            "at byte 163: this message has an MSH segment that is not UTF-8; read as "
            "Windows-1252: check that the application names came through",
        ),
    ]
    assert report.issues[2].value == "2026-03-05 10:05"


def test_bytes_after_an_mllp_frame(read_bytes):
    data = "\x0b" + message(msh()) + "\x1c\rNOISE\r\x0b" + message(msh()) + "\x1c\r"
    messages, report = read_bytes(data)
    assert len(messages) == 2
    assert issues(report) == [
        (
            "capture.hl7",
            1,
            None,
            "warning",
            "at byte 113: holds bytes that are not HL7 segments (5 bytes starting 'NOISE'); "
            "ignored them and counted the message from its MSH segment",
        )
    ]


def test_framing_does_not_depend_on_where_reads_split_the_file(monkeypatch):
    whole, _ = read_messages(HL7_DATA)
    monkeypatch.setattr(hl7_reader, "CHUNK_BYTES", 7)
    pieces, report = read_messages(HL7_DATA)
    pd.testing.assert_frame_equal(whole, pieces)
    assert len(report.errors) == 1


def test_a_huge_run_without_a_message_start_stops_the_file(read_bytes, monkeypatch):
    monkeypatch.setattr(hl7_reader, "CHUNK_BYTES", 100)
    monkeypatch.setattr(hl7_reader, "MAX_UNIT_BYTES", 1_000)
    stop = (
        "more than 1,000 bytes without the start of a message: the file is not an HL7 log or a "
        "message in it is damaged; read no further"
    )
    messages, report = read_bytes(message(msh()) + message(msh()) + "x" * 2_000)
    assert messages["message"].tolist() == [1]
    assert issues(report) == [("capture.hl7", 2, None, "error", f"at byte 110: {stop}")]
    messages, report = read_bytes(b"\x00" * 2_000 + message(msh()).encode())
    assert messages.empty
    assert issues(report) == [("capture.hl7", None, None, "error", f"at byte 0: {stop}")]


# --- reading: the MSH segment --------------------------------------------------------------


def test_separators_come_from_msh_1_and_msh_2(read_bytes):
    data = "MSH#*@!$#PAS*1.2.3#RXX#LIMS#RXX#20260302#$#ORU*R01*ORU_R01#C1#P#2.5\rPID#1\r"
    messages, report = read_bytes(data)
    row = messages.iloc[0]
    assert (row["sender"], row["sender_as_written"], row["receiver"]) == (
        "PAS",
        "PAS*1.2.3",
        "LIMS",
    )
    assert row["message_type"] == "ORU^R01"
    assert len(report) == 0


@pytest.mark.parametrize(
    ("field", "name", "as_written"),
    [
        ("EPIC^PMGL^ADTOUT", "EPIC", "EPIC^PMGL^ADTOUT"),
        ("^2.16.840.1.113883.2.1^ISO", "2.16.840.1.113883.2.1", "^2.16.840.1.113883.2.1^ISO"),
        ("WARDS\\T\\THEATRES", "WARDS&THEATRES", "WARDS\\T\\THEATRES"),
        ("\\AS\\PAS", "PAS", "\\AS\\PAS"),  # a malformed escape is dropped
        ("DNACPR & CPR", "DNACPR & CPR", "DNACPR & CPR"),
        (" PAS ", "PAS", " PAS "),
        ("", "", ""),
    ],
)
def test_application_is_the_namespace_id_else_the_universal_id(read_bytes, field, name, as_written):
    messages, _ = read_bytes(message(msh(sender=field)))
    assert (messages.loc[0, "sender"], messages.loc[0, "sender_as_written"]) == (name, as_written)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("ADT^A01^ADT_A01", "ADT^A01"),
        ("ORU^R01", "ORU^R01"),
        ("ACK", "ACK"),
        (" ADT ^ A08 ", "ADT^A08"),
    ],
)
def test_message_type_is_type_and_event(read_bytes, kind, expected):
    messages, _ = read_bytes(message(msh(kind=kind)))
    assert messages.loc[0, "message_type"] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", dt.datetime(2026, 1, 1)),
        ("202603", dt.datetime(2026, 3, 1)),
        ("20260302", dt.datetime(2026, 3, 2)),
        ("2026030208", dt.datetime(2026, 3, 2, 8)),
        ("202603020815", dt.datetime(2026, 3, 2, 8, 15)),
        ("20260302081502", dt.datetime(2026, 3, 2, 8, 15, 2)),
        ("20260302081502.1234", dt.datetime(2026, 3, 2, 8, 15, 2, 123400)),
        ("20260302081502+0100", dt.datetime(2026, 3, 2, 8, 15, 2)),
        ("202603020815-0500", dt.datetime(2026, 3, 2, 8, 15)),
        ("20260302081502^S", dt.datetime(2026, 3, 2, 8, 15, 2)),  # degree of precision
        ("2026-03-02", None),
        ("20261302", None),
        ("20260230", None),
        ("2026030", None),
        ("20260302081502+2500", None),
        ("18991231", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_msh_7_timestamps(read_bytes, value, expected):
    messages, report = read_bytes(message(msh(when=value)))
    result = messages.loc[0, "sent_at"]
    assert (None if pd.isna(result) else result.to_pydatetime()) == expected
    assert [i.column for i in report] == ([] if expected else ["MSH-7"])


def test_unusable_dates_are_summed_up_per_file(read_bytes):
    data = message(msh(when="")) + message(msh()) + message(msh(when="x")) + message(msh(when=""))
    messages, report = read_bytes(data)
    assert messages["sent_at"].isna().sum() == 3
    (issue,) = report.issues
    assert (issue.row, issue.value) == (1, None)
    assert issue.message.startswith(
        "at byte 0: 3 messages in this file have no usable MSH-7 (date/time of message, "
        "YYYYMMDD[HHMM[SS]]); this is the first;"
    )


CUT = "the message is cut off"
NOT_HL7 = "the message is damaged or not HL7"
ENCODING = "it should be four distinct punctuation characters such as ^~\\&"


@pytest.mark.parametrize(
    ("header", "column", "message"),
    [
        ("MSH", "MSH-1", f"the MSH segment stops before MSH-1 (the field separator): {CUT}"),
        (
            "MSHX^~\\&XPAS",
            "MSH-1",
            f"MSH-1 'X' cannot be a field separator (HL7 uses '|'): {NOT_HL7}",
        ),
        (
            "MSH|^^\\&|PAS|RXX|TIE|RXX|2026||ADT^A01",
            "MSH-2",
            f"MSH-2 (encoding characters) '^^\\&' is not valid: {ENCODING}",
        ),
        (
            "MSH|^~\\&|PAS|RXX|TIE|RXX|2026||",
            "MSH",
            "MSH-9 (message type) is blank, so the message cannot be counted as any type",
        ),
        (
            "MSH|^~\\&|PAS",
            "MSH-9",
            f"the MSH segment ends at MSH-3, before MSH-9 (the message type): {CUT} or damaged",
        ),
    ],
)
def test_headers_that_cannot_be_read(read_bytes, header, column, message):
    messages, report = read_bytes(header + "\rPID|1\r" + msh() + "\r")
    assert messages["message"].tolist() == [2]
    assert [(i.row, i.column, i.severity, i.message) for i in report] == [
        (1, column, "error", f"at byte 0: {message}")
    ]


def test_errors_beyond_fifty_in_a_file_are_summed_up(read_bytes):
    messages, report = read_bytes("MSH|^~\\&|PAS\r" * 60 + msh() + "\r")
    assert messages["message"].tolist() == [61]
    assert len(report.errors) == 51
    assert report.errors[-1].message == (
        "10 more messages could not be read (only the first 50 are listed)"
    )


# --- reading: files and folders ----------------------------------------------------------------


def test_folders_are_searched_recursively_for_hl7_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    body = message(msh())
    for name in ("one.hl7", "a/two.TXT", "a/b/three.log", "a/b/four.dat", "a/b/noextension"):
        (tmp_path / name).write_text(body)
    (tmp_path / "a" / "mllp.bin").write_bytes(b"\x0b" + body.encode() + b"\x1c\r")
    for name in ("README.md", "notes.csv", ".hidden.hl7", ".git/x.hl7"):
        (tmp_path / name).write_text(body if name.endswith("hl7") else "not HL7")
    messages, report = read_messages(tmp_path)
    names = [Path(s).relative_to(tmp_path).as_posix() for s in messages["source"]]
    # a folder's files first, then its subfolders, each in name order
    assert names == [
        "one.hl7",
        "a/mllp.bin",
        "a/two.TXT",
        "a/b/four.dat",
        "a/b/noextension",
        "a/b/three.log",
    ]
    assert len(report) == 0


def test_files_without_messages(read_bytes, tmp_path):
    assert issues(read_bytes(b"", "empty.hl7")[1]) == [
        ("empty.hl7", None, None, "warning", "at byte 0: is empty")
    ]
    assert issues(read_bytes(b"\x00\xffhello", "binary.dat")[1]) == [
        (
            "binary.dat",
            None,
            None,
            "warning",
            "at byte 0: holds no HL7 messages: no segment starts with MSH (7 bytes starting "
            "'\\x00\\xffhello')",
        )
    ]
    utf16 = message(msh()).encode("utf-16")
    assert issues(read_bytes(utf16, "unicode.txt")[1]) == [
        (
            "unicode.txt",
            None,
            None,
            "error",
            "at byte 0: is UTF-16 text, which HL7 logs never are: save it as UTF-8 and read it "
            "again",
        )
    ]
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "README.md").write_text("x")
    _, report = read_messages(tmp_path / "nothing")
    assert [i.message for i in report] == [
        "holds no HL7 files (.hl7, .txt, .log or .dat files, or files that start with MSH, FHS, "
        "BHS or an MLLP start byte); check the folder"
    ]


def test_a_missing_path_is_an_error_naming_it(tmp_path):
    with pytest.raises(MissingFileError) as raised:
        read_messages([HL7_DATA, tmp_path / "nope"])
    assert isinstance(raised.value, FileNotFoundError)
    assert str(raised.value) == (
        f"nope: no such file or folder ({tmp_path / 'nope'}) (check the path; relative paths "
        f"are read from {Path.cwd()})"
    )


# --- the shared corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared():
    if not (SHARED_HL7 / "manifest.csv").is_file():
        pytest.skip(f"the shared HL7 corpus is not at {SHARED_HL7}")
    manifest = pd.read_csv(SHARED_HL7 / "manifest.csv", dtype=str, keep_default_na=False)
    messages, report = read_messages(SHARED_HL7)  # read in place: uclh-emap is GPL-3.0
    messages["file"] = [Path(s).relative_to(SHARED_HL7).as_posix() for s in messages["source"]]
    return manifest, messages, report


def _hd_name(value: str) -> str:
    parts = value.split("^")
    return parts[0] or (parts[1] if len(parts) > 1 else "")


def test_shared_corpus_matches_its_manifest_message_by_message(shared):
    manifest, messages, report = shared
    assert len(report) == 0
    derived = "derived/all_messages_concatenated_cr.hl7"
    files = messages[messages["file"] != derived]
    joined = manifest.merge(
        files.assign(message_index=files["message"].astype(str)),
        on=["file", "message_index"],
        how="outer",
        validate="one_to_one",
        indicator=True,
    )
    assert len(manifest) == 203 and (joined["_merge"] == "both").all()
    assert (joined["sender_as_written"] == joined["msh3_sending_app"]).all()
    assert (joined["receiver_as_written"] == joined["msh5_receiving_app"]).all()
    for column, raw in (
        ("sender", "msh3_sending_app"),
        ("sender_facility", "msh4_sending_facility"),
        ("receiver", "msh5_receiving_app"),
        ("receiver_facility", "msh6_receiving_facility"),
    ):
        assert (joined[column] == joined[raw].map(_hd_name)).all(), column
    types = joined["msh9_message_type"].str.split("^").str[:2].str.join("^")
    assert (joined["message_type"] == types).all()
    assert joined["sent_at"].notna().all()


def test_shared_concatenated_file_holds_the_manifest_in_order(shared):
    manifest, messages, _ = shared
    derived = messages[messages["file"] == "derived/all_messages_concatenated_cr.hl7"]
    assert derived["message"].tolist() == list(range(1, 204))
    assert derived["sender_as_written"].tolist() == manifest["msh3_sending_app"].tolist()
    assert derived["receiver_as_written"].tolist() == manifest["msh5_receiving_app"].tolist()
    types = manifest["msh9_message_type"].str.split("^").str[:2].str.join("^")
    assert derived["message_type"].tolist() == types.tolist()


def test_shared_corpus_blank_receivers_are_kept(shared):
    manifest, messages, _ = shared
    edges = discover_interfaces(messages)
    blank = edges[edges["receiver"] == ""]
    assert blank["message_count"].sum() == 2 * (manifest["msh5_receiving_app"] == "").sum() == 160
    assert blank["note"].str.contains("MSH-5 is blank: the receiving application").all()


# --- interfaces ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_messages():
    messages, _ = read_messages(HL7_DATA)
    return messages


@pytest.fixture(scope="module")
def fixture_edges(fixture_messages):
    return discover_interfaces(fixture_messages)


def test_interfaces_of_the_fixture_trust(fixture_edges):
    assert list(fixture_edges.columns) == list(INTERFACE_COLUMNS)
    assert list(INTERFACE_COLUMNS[:11]) == [
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
    ]
    pairs = list(
        zip(
            fixture_edges["sender"],
            fixture_edges["receiver"],
            fixture_edges["message_count"],
            strict=True,
        )
    )
    assert pairs == [
        ("PAS", "ENSEMBLE", 8),
        ("CLARION", "ENSEMBLE", 4),
        ("ENSEMBLE", "LUMEN_RIS", 3),
        ("ENSEMBLE", "SENTINEL", 3),
        ("HALCYON", "ENSEMBLE", 3),
        ("ENSEMBLE", "", 2),
        ("ENSEMBLE", "HALCYON", 2),
        ("LIMS", "TIE", 2),
        ("LUMEN_RIS", "TIE", 2),
        ("PARCHMENT", "ENSEMBLE", 2),
    ]
    # the capture runs from 2026-03-02 08:15:02 to 2026-03-05 10:00:00: 3.072905 days
    days = (
        pd.Timestamp("2026-03-05 10:00:00") - pd.Timestamp("2026-03-02 08:15:02")
    ) / pd.Timedelta(days=1)
    assert fixture_edges["messages_per_day"].tolist() == [round(n / days, 2) for _, _, n in pairs]
    assert fixture_edges.iloc[0].to_dict() == {
        "sender": "PAS",
        "receiver": "ENSEMBLE",
        "sender_facility": "RXX",
        "receiver_facility": "RXX",
        "messages": "ADT^A08; ADT^A01; ADT^A02; ADT^A03; ADT^A04; ADT^A28",
        "kind": "HL7 v2",
        "message_count": 8,
        "messages_per_day": 2.6,
        "first_seen": pd.Timestamp("2026-03-02 08:15:02"),
        "last_seen": pd.Timestamp("2026-03-05 08:10:00"),
        "route": "",
        "sender_as_written": "PAS",
        "receiver_as_written": "ENSEMBLE",
        "undated": 0,
        "note": "",
    }


def test_interface_lists_facilities_values_as_written_and_undated(fixture_edges):
    edges = fixture_edges.set_index(["sender", "receiver"])
    clarion = edges.loc[("CLARION", "ENSEMBLE")]
    assert (clarion["sender_facility"], clarion["undated"]) == ("RXX; ST MARY’S", 1)
    assert clarion["last_seen"] == pd.Timestamp("2026-03-05 10:00:00")
    sentinel = edges.loc[("ENSEMBLE", "SENTINEL")]
    assert sentinel["sender_as_written"] == "ENSEMBLE^2.16.840.1.113883.2.1.4.1^ISO; ENSEMBLE"
    assert sentinel["receiver_as_written"] == "SENTINEL^LAB"
    assert sentinel["messages"] == "ADT^A01; ADT^A08; ORM^O01"


def test_a_blank_receiver_is_kept_and_said(fixture_edges):
    broadcast = fixture_edges[fixture_edges["receiver"] == ""].iloc[0]
    assert (broadcast["sender"], broadcast["messages"]) == ("ENSEMBLE", "ADT^A02; ADT^A03")
    assert (broadcast["receiver_facility"], broadcast["message_count"]) == ("", 2)
    assert broadcast["note"] == (
        "MSH-5 is blank: the receiving application is not named (an engine publishing to "
        "whoever subscribes?); find the subscribers in its configuration"
    )


def _messages(rows: list[tuple]) -> pd.DataFrame:
    """A message table from (sender, receiver, type, sent_at) rows."""
    frame = pd.DataFrame(rows, columns=["sender", "receiver", "message_type", "sent_at"])
    return frame.assign(
        sender_as_written=frame["sender"],
        receiver_as_written=frame["receiver"],
        sender_facility="RXX",
        receiver_facility="RXX",
        sent_at=pd.to_datetime(frame["sent_at"]),
    )


def test_message_types_most_frequent_first_then_alphabetical():
    types = ["ADT^A08", "ADT^A03", "ADT^A08", "ADT^A01", "ADT^A03", "ADT^A08", "ADT^A02", "ADT^A02"]
    edges = discover_interfaces(_messages([("PAS", "TIE", t, "2026-03-02") for t in types]))
    assert edges.loc[0, "messages"] == "ADT^A08; ADT^A02; ADT^A03; ADT^A01"


def test_volume_is_count_over_the_capture_span():
    rows = [
        ("PAS", "TIE", "ADT^A01", "2026-03-02 06:00"),
        ("PAS", "TIE", "ADT^A01", "2026-03-02 07:00"),
        ("LIMS", "TIE", "ORU^R01", "2026-03-05 18:00"),
        ("LIMS", "TIE", "ORU^R01", None),
    ]
    edges = discover_interfaces(_messages(rows)).set_index("sender")
    # 3.5 days from the first dated message to the last, for every interface
    assert edges.loc["PAS", "messages_per_day"] == round(2 / 3.5, 2) == 0.57
    assert edges.loc["LIMS", "messages_per_day"] == round(2 / 3.5, 2)
    assert edges.loc["LIMS", "undated"] == 1
    assert edges.loc["LIMS", "first_seen"] == edges.loc["LIMS", "last_seen"]


def test_a_capture_shorter_than_a_day_counts_as_a_day():
    rows = [("PAS", "TIE", "ADT^A01", f"2026-03-02 0{h}:00") for h in range(6)]
    edges = discover_interfaces(_messages(rows))
    assert edges.loc[0, "messages_per_day"] == 6.0
    assert capture_days(_messages(rows)["sent_at"]) == 1.0


def test_capture_days_can_be_given_and_must_be_positive():
    rows = [("PAS", "TIE", "ADT^A01", "2026-03-02 06:00")] * 14
    assert discover_interfaces(_messages(rows), days=7).loc[0, "messages_per_day"] == 2.0
    with pytest.raises(InvalidArgumentError, match="positive number of days, not 0"):
        discover_interfaces(_messages(rows), days=0)


def test_no_dated_message_leaves_volume_blank():
    edges = discover_interfaces(_messages([("PAS", "TIE", "ADT^A01", None)]))
    assert math.isnan(edges.loc[0, "messages_per_day"]) and edges.loc[0, "undated"] == 1
    assert pd.isna(edges.loc[0, "first_seen"])


def test_a_blank_sender_is_kept_and_said():
    edges = discover_interfaces(_messages([("", "", "ORU^R01", "2026-03-02")]))
    assert edges.loc[0, "note"] == (
        "MSH-3 is blank: the sending application is not named; MSH-5 is blank: the receiving "
        "application is not named (an engine publishing to whoever subscribes?); find the "
        "subscribers in its configuration"
    )


def test_no_messages_give_an_empty_table():
    messages, _ = read_messages(HL7_DATA / "truncated.hl7")
    edges = discover_interfaces(messages.iloc[0:0])
    assert list(edges.columns) == list(INTERFACE_COLUMNS) and edges.empty
    assert edges["message_count"].dtype == "int64"


# --- aliases -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_systems():
    return load_inventory(SAMPLE_TRUST).systems


def test_aliases_of_the_fixture_trust_against_the_sample_inventory(fixture_edges, sample_systems):
    aliases = application_aliases(fixture_edges, sample_systems)
    assert list(aliases.columns) == list(ALIAS_COLUMNS)
    rows = aliases[
        [
            "application",
            "messages_sent",
            "messages_received",
            "inventory_id",
            "confidence",
            "matched_on",
        ]
    ]
    expected = [
        ("ENSEMBLE", 10, 17, "tie", 0.85, "product 'InterSystems Ensemble' (word)"),
        ("PAS", 8, 0, "pas", 1.0, "id 'pas' (same name)"),
        ("HALCYON", 3, 2, "epr", 0.85, "product 'Halcyon EPR' (word)"),
        ("LUMEN_RIS", 2, 3, "ris", 0.95, "product 'Lumen RIS' (same name)"),
        ("CLARION", 4, 0, "order-comms", 0.85, "product 'Clarion Requests' (word)"),
        ("TIE", 0, 4, "tie", 1.0, "id 'tie' (same name)"),
        ("SENTINEL", 0, 3, "lims", 0.85, "product 'Sentinel LIMS' (word)"),
        ("", 0, 2, "", math.nan, ""),
        ("LIMS", 2, 0, "lims", 1.0, "id 'lims' (same name)"),
        ("PARCHMENT", 2, 0, "edms", 0.85, "product 'Parchment EDMS' (word)"),
    ]
    assert len(rows) == len(expected)
    for row, want in zip(rows.itertuples(index=False), expected, strict=True):
        assert row[:4] == want[:4] and row[5] == want[5]
        assert row[4] == pytest.approx(want[4], nan_ok=True)
    by_name = aliases.set_index("application")
    assert by_name.loc["PAS", "candidates"] == "pas (1.00); aix-host (0.90)"
    assert by_name.loc["CLARION", "facilities"] == "RXX; ST MARY’S"
    assert (
        by_name.loc["ENSEMBLE", "as_written"] == "ENSEMBLE; ENSEMBLE^2.16.840.1.113883.2.1.4.1^ISO"
    )
    assert (
        by_name.loc["", "note"] == "no application named (MSH-3 or MSH-5 blank): nothing to alias"
    )


def _edges(*names: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sender": list(names),
            "receiver": ["TIE"] * len(names),
            "sender_facility": "RXX",
            "receiver_facility": "RXX",
            "sender_as_written": list(names),
            "receiver_as_written": "TIE",
            "message_count": 1,
        }
    )


def test_near_misses_ties_and_nothing_close(sample_systems):
    aliases = application_aliases(_edges("ORDERCOM", "LUMEN", "QWERTY"), sample_systems)
    by_name = aliases.set_index("application")
    # 'ordercom' against 'ordercomms': 2 * 8 / 18 = 0.888...
    assert by_name.loc["ORDERCOM", ["inventory_id", "confidence", "matched_on"]].tolist() == [
        "order-comms",
        0.89,
        "id 'order-comms' (near miss 0.89)",
    ]
    # a word of both 'Lumen RIS' and 'Lumen PACS' (products): 0.9 * 0.95 each
    assert by_name.loc["LUMEN", ["inventory_id", "confidence", "matched_on"]].tolist() == [
        "",
        0.85,
        "ambiguous: digital-path, pacs, ris match equally",
    ]
    assert by_name.loc["LUMEN", "candidates"] == "digital-path (0.85); pacs (0.85); ris (0.85)"
    assert by_name.loc["QWERTY", "inventory_id"] == ""
    assert math.isnan(by_name.loc["QWERTY", "confidence"])


def test_aliases_without_an_inventory_suggest_nothing(fixture_edges):
    aliases = application_aliases(fixture_edges)
    assert (aliases["inventory_id"] == "").all() and aliases["confidence"].isna().all()


def test_a_review_is_kept_when_the_table_is_made_again(fixture_edges, sample_systems):
    reviewed = pd.DataFrame(
        {
            "application": ["ENSEMBLE", "PARCHMENT", "OLDAPP"],
            "inventory_id": ["portal", "", "cafm"],
        }
    )
    aliases = application_aliases(fixture_edges, sample_systems, reviewed=reviewed)
    by_name = aliases.set_index("application")
    assert by_name.loc["ENSEMBLE", ["inventory_id", "matched_on"]].tolist() == [
        "portal",
        "reviewed",
    ]
    assert by_name.loc["PARCHMENT", ["inventory_id", "matched_on"]].tolist() == ["", "reviewed"]
    assert by_name.loc["PAS", ["inventory_id", "matched_on"]].tolist() == [
        "pas",
        "id 'pas' (same name)",
    ]
    assert aliases.iloc[-1][["application", "messages_sent", "inventory_id", "note"]].tolist() == [
        "OLDAPP",
        0,
        "cafm",
        "not in this traffic",
    ]
    assert len(aliases) == 11


def test_alias_mapping_skips_blanks_and_refuses_two_ids_for_one_name():
    table = pd.DataFrame(
        {"application": ["TIE", "", "X", "TIE"], "inventory_id": ["tie", "pas", " ", "tie"]}
    )
    assert alias_mapping(table) == {"TIE": "tie"}
    assert alias_mapping({"TIE": "tie", "X": ""}) == {"TIE": "tie"}
    with pytest.raises(InvalidArgumentError) as raised:
        alias_mapping(
            pd.DataFrame({"application": ["EPIC", "EPIC"], "inventory_id": ["epr", "portal"]})
        )
    assert str(raised.value) == (
        "application 'EPIC' is given two inventory ids, 'epr' and 'portal' (keep one row for it)"
    )


def test_edges_with_ids_merge_two_names_for_one_system(fixture_messages):
    aliases = {"ENSEMBLE": "tie", "TIE": "tie", "LIMS": "lims", "SENTINEL": "lims"}
    edges = discover_interfaces(apply_aliases(fixture_messages, aliases))
    pairs = edges.set_index(["sender", "receiver"])
    assert pairs.loc[("lims", "tie"), "message_count"] == 2
    assert pairs.loc[("tie", "lims"), "messages"] == "ADT^A01; ADT^A08; ORM^O01"
    assert pairs.loc[("LUMEN_RIS", "tie"), "message_count"] == 2
    assert pairs.loc[("LUMEN_RIS", "tie"), "receiver_as_written"] == "TIE"
    assert pairs.loc[("PAS", "tie"), "receiver_as_written"] == "ENSEMBLE"


# --- diff --------------------------------------------------------------------------------------

ALIASES = {
    "PAS": "pas",
    "ENSEMBLE": "tie",
    "TIE": "tie",
    "SENTINEL": "lims",
    "LIMS": "lims",
    "LUMEN_RIS": "ris",
    "HALCYON": "epr",
    "CLARION": "order-comms",
}
DECLARED = pd.DataFrame(
    [
        ("lims", "tie", "HL7 v2", ("ADT^A01", "ADT^A08", "ADT^A40")),
        ("ris", "tie", "HL7 v2", ("ADT^A01", "ADT_A08", "orm^o01")),
        ("epr", "tie", "HL7 v2", ("ADT^A01", "ADT^A08")),
        ("tie", "lims", "HL7 v2", ("ORU^R01",)),
        ("tie", "ris", "HL7 v2", ()),
        ("ed", "tie", "HL7 v2", ("ADT^A01",)),
        ("tie", "epr", "HL7 v2", ("ORU^R01",)),
        ("lims", "order-comms", "HL7 v2", ("ORM^O01",)),
        ("tie", "order-comms", "messaging", ()),
        ("pas", "tie", "HL7 v2", ("ADT^A01",)),
        ("pacs", "ris", "DICOM", ()),
    ],
    columns=["consumer", "provider", "kind", "messages"],
)


def test_diff_of_the_fixture_trust_against_declared_dependencies(fixture_edges):
    diff = diff_interfaces(fixture_edges, DECLARED, ALIASES)
    assert list(diff.columns) == list(DIFF_COLUMNS)
    broadcast = "ADT^A02; ADT^A03"
    pas = "ADT^A08; ADT^A01; ADT^A02; ADT^A03; ADT^A04; ADT^A28"
    both_seen = "both systems appear in the traffic, but no message went between them"
    expected = [
        ("seen, not declared", "", "tie", "PARCHMENT", "ENSEMBLE", "MDM^T02", "", "MDM^T02", "",
         2, "sender 'PARCHMENT' has no inventory id: add it to the aliases"),
        ("seen, not declared", "order-comms", "tie", "CLARION", "ENSEMBLE", "ORM^O01", "",
         "ORM^O01", "", 4, "declared as 'messaging', not 'HL7 v2'"),
        ("seen, not declared", "pas", "tie", "PAS", "ENSEMBLE", pas, "", pas, "", 8,
         "declared the other way round (pas depends on tie); for a data flow the receiver is "
         "the consumer"),
        ("seen, not declared", "tie", "", "ENSEMBLE", "", broadcast, "", broadcast, "", 2,
         "MSH-5 is blank, so the receiver is not known; tie declares HL7 v2 consumers ed, epr, "
         "lims, pas, ris, which may be its subscribers"),
        ("declared, not seen", "order-comms", "lims", "CLARION", "SENTINEL", "", "ORM^O01",
         "", "ORM^O01", 0, both_seen),
        ("declared, not seen", "tie", "pas", "ENSEMBLE", "", "", "ADT^A01", "", "ADT^A01", 0,
         f"{both_seen}; tie also sent 2 messages with a blank MSH-5 ({broadcast}), which may "
         "include this interface"),
        ("declared, outside the traffic", "tie", "ed", "ENSEMBLE", "", "", "ADT^A01", "", "", 0,
         "'ed' never appears in the traffic, so the capture does not cover this interface"),
        ("message types differ", "epr", "tie", "HALCYON", "ENSEMBLE", "ORU^R01; SIU^S12",
         "ORU^R01", "SIU^S12", "", 3, ""),
        ("message types differ", "ris", "tie", "LUMEN_RIS", "TIE", "ORU^R01", "", "ORU^R01", "",
         2, "the declaration lists no message types; the traffic shows these"),
        ("message types differ", "tie", "lims", "ENSEMBLE", "SENTINEL",
         "ADT^A01; ADT^A08; ORM^O01", "ADT^A01; ADT^A08; ADT^A40", "ORM^O01", "ADT^A40", 3, ""),
    ]  # fmt: skip
    assert [tuple(row) for row in diff.itertuples(index=False)] == expected


def test_diff_when_everything_matches():
    discovered = pd.DataFrame(
        {
            "sender": ["PAS"],
            "receiver": ["TIE"],
            "messages": ["ADT^A01^ADT_A01"],
            "message_count": [3],
        }
    )
    declared = pd.DataFrame(
        {"consumer": ["tie"], "provider": ["pas"], "kind": ["HL7 v2"], "messages": [("adt_a01",)]}
    )
    diff = diff_interfaces(discovered, declared, {"PAS": "pas", "TIE": "tie"})
    assert diff.empty and list(diff.columns) == list(DIFF_COLUMNS)


def test_diff_of_an_interface_table_read_back_without_counts(tmp_path):
    path = tmp_path / "interfaces.csv"
    path.write_text("Sender,Receiver,Messages\nPAS,TIE,ADT^A01; ADT^A08\n", encoding="utf-8")
    declared = pd.DataFrame(
        {"consumer": ["tie"], "provider": ["pas"], "kind": ["HL7 v2"], "messages": [("ADT^A01",)]}
    )
    diff = diff_interfaces(read_interfaces(path), declared, {"PAS": "pas", "TIE": "tie"})
    assert diff[["finding", "seen_not_declared", "message_count"]].values.tolist() == [
        ["message types differ", "ADT^A08", 0]
    ]


def test_diff_with_a_reviewed_alias_table_and_the_sample_trust(fixture_edges, sample_systems):
    aliases = application_aliases(fixture_edges, sample_systems)
    inventory = load_inventory(SAMPLE_TRUST)
    diff = diff_interfaces(fixture_edges, inventory.dependencies, aliases)
    findings = diff.set_index(["finding", "provider", "consumer"])
    # the sample trust declares no interface from the PAS to the engine
    assert ("seen, not declared", "pas", "tie") in findings.index
    assert findings.loc[("message types differ", "tie", "lims"), "declared_not_seen"] == "ADT^A40"
    outside = diff[diff["finding"] == "declared, outside the traffic"]
    assert ("tie", "ed") in set(zip(outside["provider"], outside["consumer"], strict=True))


# --- files -------------------------------------------------------------------------------------


def test_interfaces_round_trip_through_csv_with_iso_dates_and_safe_cells(tmp_path, fixture_edges):
    edges = fixture_edges.copy()
    edges.loc[0, "sender"] = "=HYPERLINK(1)"
    path = write_interfaces(edges, tmp_path / "out" / "interfaces.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith(
        "'=HYPERLINK(1),ENSEMBLE,RXX,RXX,ADT^A08; ADT^A01; ADT^A02; ADT^A03; ADT^A04; ADT^A28,"
        "HL7 v2,8,2.6,2026-03-02,2026-03-05,,PAS,ENSEMBLE,0,"
    )
    again = read_interfaces(path)
    assert again.loc[0, "sender"] == "=HYPERLINK(1)"
    assert again["message_count"].tolist() == edges["message_count"].tolist()
    assert again["first_seen"].tolist() == edges["first_seen"].dt.normalize().tolist()
    assert again["messages_per_day"].tolist() == edges["messages_per_day"].tolist()


def test_a_reviewed_alias_table_is_read_back(tmp_path, fixture_edges, sample_systems):
    aliases = application_aliases(fixture_edges, sample_systems)
    path = write_interfaces(aliases, tmp_path / "aliases.csv")
    edited = path.read_text(encoding="utf-8").replace(
        "PARCHMENT,RXX,PARCHMENT,2,0,edms", "PARCHMENT,RXX,PARCHMENT,2,0,"
    )
    path.write_text(edited.replace("inventory_id", "Inventory ID"), encoding="utf-8")
    mapping = alias_mapping(read_aliases(path))
    assert mapping["ENSEMBLE"] == "tie" and "PARCHMENT" not in mapping


HEADER = "sender,receiver,messages"
FIX = "(correct the cell or leave it blank)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "sender,receiver\nPAS,TIE\n",
            "has no messages column (the table needs the columns sender, receiver, messages)",
        ),
        (
            f"{HEADER},message_count\nPAS,TIE,ADT^A01,many\n",
            f"row 2: message_count 'many' is not a whole number {FIX}",
        ),
        (
            f"{HEADER},message_count\nPAS,TIE,ADT^A01,2.5\n",
            f"row 2: message_count '2.5' is not a whole number {FIX}",
        ),
        (
            f"{HEADER},first_seen\nPAS,TIE,ADT^A01,\nPAS,X,ADT^A01,02/13/2026\n",
            f"row 3: first_seen '02/13/2026' is not a date (YYYY-MM-DD) {FIX}",
        ),
        (
            f'{HEADER}\n"PAS,TIE\n',
            "cannot be read as CSV (Error tokenizing data. C error: EOF inside string starting "
            "at row 1) (save it as CSV)",
        ),
    ],
)
def test_unreadable_interface_tables_name_the_file_and_the_fix(tmp_path, text, message):
    path = tmp_path / "interfaces.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InventoryFileError) as raised:
        read_interfaces(path)
    assert str(raised.value) == f"interfaces.csv: {message}"


def test_alias_tables_that_cannot_be_used(tmp_path):
    path = tmp_path / "aliases.csv"
    with pytest.raises(MissingFileError) as raised:
        read_aliases(path)
    assert str(raised.value).startswith(f"aliases.csv: no such file ({path})")
    path.write_text("application,inventory_id\nEPIC,epr\nEPIC,portal\n", encoding="utf-8")
    with pytest.raises(InventoryFileError) as raised:
        read_aliases(path)
    assert str(raised.value) == (
        "aliases.csv: application 'EPIC' is given two inventory ids, 'epr' and 'portal' (keep "
        "one row for it)"
    )


def test_interfaces_with_ids_read_back_as_an_interface_catalogue(
    tmp_path, fixture_messages, sample_systems
):
    aliases = application_aliases(discover_interfaces(fixture_messages), sample_systems)
    edges = discover_interfaces(apply_aliases(fixture_messages, aliases))
    shutil.copy(SAMPLE_TRUST / "systems.csv", tmp_path / "systems.csv")
    write_interfaces(edges[edges["receiver"] != ""], tmp_path / "interfaces.csv")
    inventory, report = read_inventory(tmp_path, mapping=propose_mapping(tmp_path))
    assert report.valid
    links = inventory.dependencies.set_index(["consumer", "provider"])
    assert len(links) == 9
    assert links.loc[("tie", "pas"), "kind"] == "HL7 v2"
    assert links.loc[("tie", "pas"), "messages"] == (
        "ADT^A08",
        "ADT^A01",
        "ADT^A02",
        "ADT^A03",
        "ADT^A04",
        "ADT^A28",
    )
    # a blank receiver must be decided before the import: the catalogue needs one
    write_interfaces(edges, tmp_path / "interfaces.csv")
    _, report = read_inventory(tmp_path, mapping=propose_mapping(tmp_path))
    assert [(i.column, i.row) for i in report.errors] == [("receiver", 10)]


# --- fuzzing: no input escapes as an exception ----------------------------------------------------

VALID = [
    (HL7_DATA / name).read_bytes()
    for name in (
        "pas_adt_to_engine.hl7",
        "lims_results_mllp.dat",
        "edms_nightly_batch.hl7",
        "mixed_separators.txt",
    )
]


def _read_anything(data: bytes) -> tuple[pd.DataFrame, object]:
    """Read ``data`` as a file; check the table and that every issue names the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.hl7"
        path.write_bytes(data)
        messages, report = read_messages(path)
    assert list(messages.columns) == list(MESSAGE_COLUMNS)
    assert all(i.source.endswith("fuzz.hl7") and i.message for i in report)
    return messages, report


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(
            st.sampled_from([0, 0x0B, 0x1C, 0x0D, 0x0A, 0x7C, 0x5E, 0x5C, 0x26, 0xFF, 0x92, 0x41])
        )
        if action == "replace":
            data[at] = byte
        elif action == "insert":
            data.insert(at, byte)
        else:
            del data[at]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1_500))
def test_random_bytes_never_raise(data):
    _read_anything(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_messages_never_raise(data):
    _read_anything(data)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_messages_go_through_every_step(data):
    messages, _ = _read_anything(data)
    edges = discover_interfaces(messages)
    aliases = application_aliases(edges)
    lower = aliases.assign(inventory_id=aliases["application"].str.lower())
    diff = diff_interfaces(edges, DECLARED, lower)
    assert edges["message_count"].sum() == len(messages)
    assert set(diff["finding"]) <= set(FINDINGS)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(VALID), st.integers(0, 2_000))
def test_truncated_messages_are_read_or_reported(data, cut):
    messages, report = _read_anything(data[:cut])
    # a message starts with MSH at the start of the file or after a segment end, an MLLP
    # byte or a byte order mark
    starts = len(re.findall(rb"(?:^|[\r\n\x0b\x1c\xbf])MSH", data[:cut]))
    assert len(messages) + len(report.errors) == starts
