"""Views of a large estate: graphs of one organisation or a neighbourhood, and the plan
for one organisation or per organisation."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

import planner
from inventory.errors import InvalidArgumentError, UnknownSystemError
from inventory.synthetic import national
from planner.cli import main

#: a national estate of several thousand systems: the full suite, not the inner loop
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def estate():
    return national(3_000, seed=4)


@pytest.fixture(scope="module")
def result(estate):
    return planner.plan(estate, **{"schedule.budget.default_gbp": 5e9})


def a_trust(estate) -> str:
    counts = estate.systems["organisation"].value_counts()
    return next(code for code in counts.index if code.startswith("R"))


def test_graph_of_one_organisation_is_its_systems_and_their_direct_links(estate):
    code = a_trust(estate)
    whole = estate.graph()
    own = {n for n, data in whole.nodes(data=True) if data["organisation"] == code}
    expected = set(own)
    for node in own:
        expected |= set(whole.predecessors(node)) | set(whole.successors(node))
    part = estate.graph(organisation=code.lower())
    assert set(part.nodes) == expected
    assert set(part.edges) == set(whole.subgraph(expected).edges)


def test_graph_around_systems_is_the_undirected_neighbourhood(estate):
    centre = estate.systems.index[estate.systems["category"] == "PAS"][0]
    whole = estate.graph()
    part = estate.graph(around=centre, depth=2)
    expected = nx.ego_graph(whole.to_undirected(as_view=True), centre, radius=2)
    assert set(part.nodes) == set(expected.nodes)
    assert set(part.edges) == set(whole.subgraph(expected.nodes).edges)


def test_graph_refuses_unknown_centres_and_oversized_requests(estate):
    with pytest.raises(UnknownSystemError, match="no system 'nope' in the inventory"):
        estate.graph(around=["nope"])
    with pytest.raises(InvalidArgumentError, match="too big to build here") as raised:
        estate.graph(limit=100)
    assert "organisation=" in raised.value.hint


def test_plan_for_one_organisation_is_its_share_of_the_whole(estate, result):
    code = a_trust(estate)
    part = result.for_organisation(code)
    mine = set(estate.systems.index[estate.systems["organisation"] == code])
    assert set(part.inventory.systems.index) == mine
    assert set(part.schedule.index) <= mine
    whole_rows = result.schedule.loc[list(part.schedule.index)]
    pd.testing.assert_frame_equal(part.schedule, whole_rows)
    scheduled = part.schedule[part.schedule["scheduled"]]
    assert part.spend_by_fy["spend_gbp"].sum() == pytest.approx(scheduled["cost_gbp"].sum())
    share = scheduled["cost_gbp"] * result.units["capital_share"].reindex(scheduled["unit"]).values
    assert part.spend_by_fy["capital_gbp"].sum() == pytest.approx(share.sum())
    assert (part.spend_by_fy["capital_gbp"] + part.spend_by_fy["revenue_gbp"]).sum() == (
        pytest.approx(scheduled["cost_gbp"].sum())
    )
    budgets = ["capital_budget_gbp", "revenue_budget_gbp", "capital_headroom_gbp"]
    assert part.spend_by_fy[budgets].isna().all().all()  # the programme's, not its share
    with pytest.raises(InvalidArgumentError, match="no systems belong to organisation 'XXXXX'"):
        result.for_organisation("XXXXX")


def test_by_organisation_adds_up_to_the_programme(estate, result):
    table = result.by_organisation()
    assert table["systems"].sum() == len(estate.systems)
    assert table["systems planned"].sum() == len(result.schedule)
    assert table["cost_gbp"].sum() == pytest.approx(result.schedule["cost_gbp"].sum())
    assert table["risk now"].is_monotonic_decreasing
    code = a_trust(estate)
    row = table.loc[code]
    own = result.schedule[estate.systems.loc[result.schedule.index, "organisation"] == code]
    assert row["systems planned"] == len(own)
    assert row["last go-live"] == own["go_live"].max()


def test_export_for_one_organisation(tmp_path, estate, capsys):
    source = tmp_path / "estate.json"
    from inventory.write import write_inventory

    write_inventory(estate, source)
    code = a_trust(estate)
    out = tmp_path / "trust.json"
    assert main(["export", str(source), "--format", "json", "--out", str(out),
                 "--organisation", code]) == 0  # fmt: skip
    exported = json.loads(out.read_text())
    organisations = {estate.systems.loc[row["id"], "organisation"] for row in exported["roadmap"]}
    assert organisations == {code}
    assert exported["summary"]["systems planned"] == len(exported["roadmap"])
    assert main(["export", str(source), "--format", "json", "--out", str(out),
                 "--organisation", "ZZZZZ"]) == 2  # fmt: skip
    assert "no systems belong to organisation 'ZZZZZ'" in capsys.readouterr().err
