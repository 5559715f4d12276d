"""Property tests over the importers and validators (a bounded run; tools/soak.py runs long)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_targets import SUFFIXES, check_random_bytes, check_random_table, random_tables


@pytest.mark.slow
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_random_tables_give_a_report_never_a_crash(table):
    check_random_table(table)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000), st.sampled_from(SUFFIXES))
def test_random_bytes_in_every_format_give_a_clear_error(data, suffix):
    check_random_bytes(data, suffix)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400), st.sampled_from(("folder", ".json", ".yaml")))
def test_random_text_in_every_format_gives_a_clear_error(text, suffix):
    check_random_bytes(text.encode("utf-8"), suffix)
