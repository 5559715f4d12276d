"""Replacement order: planning units (move groups) and the precedence between them.

- Only systems whose disposition is not ``retain`` (and that are not already retired) are
  planned.
- **Move groups** are systems that cannot be replaced apart: a cycle of *coupling* links
  (``ordering.coupling_kinds``: a shared database) or systems named in each other's
  ``move_with``. A group is one project: its cost and team demand are its members' sum, its
  duration the longest member's. Data flows between applications (HL7, FHIR, DICOM, files,
  APIs; orders out and results back) never make a move group, however many go both ways.
- Precedence, "A before B" meaning B may not start until A has gone live:
  - ``replaced_by``: the absorbing system goes live before the absorbed one is retired, and
    the absorbed one is decommissioned within ``ordering.retire.window_months`` of that
    go-live (a *tie*: the scheduler places them together);
  - ``after``: each listed system goes live before this one starts;
  - the graph rule from the policy: ``providers-first`` or ``consumers-first`` (or ``none``)
    orders a pair only where the consumer *runs on* the provider (a link of a kind in
    ``ordering.platform_kinds``: infrastructure, a database link) and moves with it or onto
    it: the consumer is rehosted, replatformed or refactored. A replacement product does not
    wait for the old platform's refresh, and a data flow never orders two projects (each
    go-live re-tests its interfaces instead);
  - a system being retired with nothing to absorb it goes after the planned systems that
    depend on it (they are moved off it first), unless they are being retired too.
- Precedence cycles are resolved by dropping the graph-rule links inside them (with a warning);
  a cycle of explicit links is impossible: its units are left unscheduled with a warning that
  names each link and the one to cut.

Examples
--------
>>> from inventory.model import Inventory
>>> from planner.policy import load_policy
>>> inv = Inventory.from_records(
...     [{"id": "pas", "name": "PAS", "disposition": "retire", "replaced_by": "epr"},
...      {"id": "epr", "name": "EPR", "disposition": "replace", "status": "planned"},
...      {"id": "ris", "name": "RIS", "disposition": "replace"},
...      {"id": "pacs", "name": "PACS", "disposition": "replace"}],
...     [{"consumer": "ris", "provider": "pacs", "kind": "database link"},
...      {"consumer": "pacs", "provider": "ris", "kind": "database link"},
...      {"consumer": "ris", "provider": "pas", "kind": "HL7 v2"},
...      {"consumer": "pas", "provider": "ris", "kind": "HL7 v2"}])
>>> ordering = planning_units(inv.systems, inv.dependencies, load_policy())
>>> sorted(ordering.units.index)
['epr', 'pacs+ris', 'pas']
>>> ordering.links[["before", "after", "reason"]].values.tolist()
[['epr', 'pas', 'replaced_by']]
>>> ordering.ties.values.tolist()
[['epr', 'pas']]
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from inventory.graph import ArrayGraph, first_occurrences, sorted_unique
from inventory.schema import CLINICAL_SAFETY_CLASSES
from inventory.wording import plural, verb
from planner.policy import Policy
from planner.scoring import estimates

__all__ = ["EXPLICIT", "Ordering", "planning_units"]

#: Reasons for a precedence link that a person wrote down (the others come from the graph).
EXPLICIT = ("replaced_by", "after")
#: Dispositions that keep a system on its platform (moving with it or onto a new one).
STAYS_ON_PLATFORM = ("rehost", "replatform", "refactor")
#: A move group's unit id names at most this many of its members.
NAMED_MEMBERS = 3
#: The columns of the register a unit is made from (estimates, contracts, clinical safety
#: class, team demand, spend): only these are copied for the planned systems.
UNIT_COLUMNS = (
    "category",
    "hosting",
    "disposition",
    "status",
    "replacement_cost_gbp_likely",
    "replacement_months_likely",
    "data_to_archive_gb",
    "capital_share",
    "annual_run_cost_gbp",
    "team_demand",
    "spend_profile",
    "spend_by_year",
    "end_of_support",
    "contract_end",
    "patient_facing",
    "criticality",
    "clinical_safety_class",
    "department",
    "organisation",
)


@dataclass(frozen=True)
class Ordering:
    """The units to schedule and the precedence between them.

    ``units`` is indexed by unit id; ``links`` has ``before``, ``after``, ``reason`` and
    ``kind`` (the interface kind behind a graph-rule link); ``ties`` has ``absorber`` and
    ``absorbed`` (units decommissioned within the window after the absorber's go-live);
    ``impossible`` lists the units in a cycle of explicit constraints (never scheduled);
    ``warnings`` are dicts (kind, system, message).

    The same joins as positions, for the plan to reuse: ``unit_at[s]`` is the row in
    ``units`` of the unit that system ``s`` (a position in ``systems``) belongs to, -1 when
    it is not planned; tie ``k`` is unit row ``tie_at[0, k]`` absorbing ``tie_at[1, k]``.
    """

    units: pd.DataFrame
    links: pd.DataFrame
    ties: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"absorber": [], "absorbed": []}, dtype="object")
    )
    impossible: tuple[str, ...] = ()
    warnings: list[dict] = field(default_factory=list)
    _: KW_ONLY
    unit_at: np.ndarray
    tie_at: np.ndarray


def _at(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values[positions]``, -1 where a position is -1 (an id not found).

    >>> _at(np.array([5, 6, 7]), np.array([2, -1, 0])).tolist()
    [7, -1, 5]
    """
    return np.where(positions >= 0, values[positions], -1)


def _flatten(lists: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every item of a column of tuples (``after``, ``move_with``) with the row holding it,
    in order: ``explode()`` as positions and an object array.

    >>> owner, items = _flatten(pd.Series([("a", "b"), (), ("c",)]).to_numpy())
    >>> owner.tolist(), items.tolist()
    ([0, 0, 2], ['a', 'b', 'c'])
    """
    rows = [i for i, items in enumerate(lists.tolist()) if items]
    counts = [len(lists[i]) for i in rows]
    owner = np.repeat(np.asarray(rows, dtype=np.int64), counts)
    items = np.fromiter(chain.from_iterable(lists[i] for i in rows), dtype=object, count=len(owner))
    return owner, items


def _group_ids(planned: pd.Index, labels: np.ndarray) -> np.ndarray:
    """Unit id per planned system: its own id, or for a move group its first members joined
    with '+' ('pacs+ris'; 'a+b+c+12-more' for a big group, so no id grows with the group)."""
    ids = planned.to_numpy(dtype=object, copy=True)
    sizes = np.bincount(labels, minlength=int(labels.max(initial=-1)) + 1)[labels]
    grouped = np.flatnonzero(sizes > 1)
    if not len(grouped):
        return ids
    frame = pd.DataFrame({"label": labels[grouped], "id": ids[grouped], "at": grouped})
    frame = frame.sort_values(["label", "id"], kind="stable")
    rank = frame.groupby("label").cumcount()
    first = frame[rank < NAMED_MEMBERS].groupby("label")["id"].agg("+".join)
    names = first.reindex(frame["label"]).to_numpy(dtype=object)
    at = frame["at"].to_numpy()
    extra = sizes[at] - NAMED_MEMBERS
    ids[at] = np.where(extra > 0, names + "+" + extra.astype(str) + "-more", names)
    return ids


def _move_groups(
    systems: pd.DataFrame,
    rank: np.ndarray,
    graph: ArrayGraph,
    kinds: np.ndarray,
    policy: Policy,
) -> np.ndarray:
    """Each planned system's move-group label: strong components of the coupling links
    (a shared database) among planned systems, with move_with pairs joined both ways
    (``rank``: each system's position among the planned, -1 when not planned)."""
    coupling = pd.Series(kinds, dtype=object).isin(policy.ordering.coupling_kinds).to_numpy()
    consumer = rank[graph.consumer[coupling]]
    provider = rank[graph.provider[coupling]]
    keep = (consumer >= 0) & (provider >= 0)
    pairs = [(consumer[keep], provider[keep])]
    planned_at = np.flatnonzero(rank >= 0)
    holder, together = _flatten(systems["move_with"].to_numpy(dtype=object)[planned_at])
    if len(together):
        other = _at(rank, systems.index.get_indexer(pd.Index(together, dtype=object)))
        both = other >= 0
        pairs += [(holder[both], other[both]), (other[both], holder[both])]
    u = np.concatenate([p[0] for p in pairs]).astype(np.int64)
    v = np.concatenate([p[1] for p in pairs]).astype(np.int64)
    n = len(planned_at)
    matrix = sparse.csr_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    return connected_components(matrix, directed=True, connection="strong")[1]


def _clinical_class(systems: pd.DataFrame) -> pd.Series:
    """Each system's DCB0160 class: its own, else derived from patient_facing and criticality;
    none for a retirement (its data and workflows move under the absorbing system's safety
    case, signed off before that go-live)."""
    derived = np.select(
        [
            systems["patient_facing"] & (systems["criticality"] == "critical"),
            systems["patient_facing"] & (systems["criticality"] == "high"),
            systems["patient_facing"],
        ],
        ["high", "medium", "low"],
        default="none",
    )
    classes = systems["clinical_safety_class"].fillna(pd.Series(derived, index=systems.index))
    return classes.where(systems["disposition"] != "retire", "none")


def _engines(systems: pd.DataFrame, rank: np.ndarray, graph: ArrayGraph) -> list[tuple]:
    """The integration engines each planned system exchanges data through (the engines'
    ids, in id order)."""
    engines: list[tuple] = [()] * int((rank >= 0).sum())
    is_engine = (systems["category"] == "integration engine").to_numpy()
    through = is_engine[graph.provider]
    holder, engine = rank[graph.consumer[through]], graph.provider[through]
    mine = holder >= 0
    holder, engine = holder[mine], engine[mine]
    if not len(holder):
        return engines
    engine_at = np.flatnonzero(is_engine)
    by_id = np.zeros(len(systems), dtype=np.int64)
    by_id[engine_at[np.argsort(graph.ids[engine_at].astype(str), kind="stable")]] = np.arange(
        len(engine_at)
    )
    order = np.lexsort((by_id[engine], holder))
    holder, engine = holder[order], engine[order]
    distinct = np.r_[True, (holder[1:] != holder[:-1]) | (engine[1:] != engine[:-1])]
    holder, names = holder[distinct], graph.ids[engine[distinct]]
    starts = np.flatnonzero(np.r_[True, holder[1:] != holder[:-1]])
    ends = np.r_[starts[1:], len(holder)]
    for row, a, b in zip(holder[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
        engines[row] = tuple(names[a:b])
    return engines


def planning_units(
    systems: pd.DataFrame,
    dependencies: pd.DataFrame,
    policy: Policy,
    *,
    graph: ArrayGraph | None = None,
) -> Ordering:
    """Build the units to schedule, the precedence links between them and the ties.

    ``units`` is indexed by unit id with ``members``, ``cost_gbp``, ``capital_share``
    (cost-weighted), ``months`` (whole months), ``team_demand``, ``spend_profile`` and
    ``spend_by_year`` (its largest member's), ``not_before`` (the latest contract end of a
    live system, when the policy respects contracts), ``contract_deadline`` (the earliest,
    when the policy makes contract ends deadlines), ``deadline`` (the earliest end of
    support still ahead), ``clinical_safety_class`` (the highest), ``departments``,
    ``engines``, ``organisation``, ``decommission`` (every member retires: switching off is
    not a go-live), ``major`` (a go-live that needs a stabilisation window),
    ``approval`` and ``approval_months`` (the business case gate) and ``cost_estimated``.

    ``graph`` is the dependencies as positions over ``systems`` (``Inventory.array_graph``,
    built here when not given): ids are looked up once, and every join after that is by
    position (systems, units and links as integer arrays).
    """
    warnings: list[dict] = []
    if graph is None:
        graph = ArrayGraph.from_frames(systems, dependencies)
    kinds = dependencies["kind"].to_numpy(dtype=object)[graph.rows]
    is_planned = (systems["disposition"] != "retain") & (systems["status"] != "retired")
    planned_at = np.flatnonzero(is_planned.to_numpy())
    rank = np.full(len(systems), -1, dtype=np.int64)
    rank[planned_at] = np.arange(len(planned_at))
    labels = _move_groups(systems, rank, graph, kinds, policy)
    # units are numbered in the order their first member is planned
    unit_row = pd.factorize(labels)[0].astype(np.int64)
    names = _group_ids(systems.index[planned_at], labels)[first_occurrences(labels)]
    unit_at = np.full(len(systems), -1, dtype=np.int64)
    unit_at[planned_at] = unit_row
    replaced_by = systems["replaced_by"].to_numpy(dtype=object)[planned_at]
    replacer = _at(unit_at, systems.index.get_indexer(pd.Index(replaced_by, dtype=object)))
    retire = systems["disposition"].to_numpy(dtype=object)[planned_at] == "retire"
    absorbed = retire & (replacer >= 0)
    members = _member_rows(systems, planned_at, rank, graph, retire, absorbed, policy)
    units = _units(members, unit_row, names, policy)
    estimated = members.index[members["cost_estimated"]]
    del members  # the planned systems' rows, as big as the units: not kept for the links
    if len(estimated):
        shown = ", ".join(estimated[:12]) + (" ..." if len(estimated) > 12 else "")
        warnings.append(
            {
                "kind": "estimate",
                "system": None,
                "message": f"{plural(len(estimated), 'planned system')} "
                f"{verb(len(estimated), 'have', 'has')} no cost or duration estimate; "
                f"policy defaults were used ({shown})",
            }
        )
    links, blocked = _links(systems, graph, kinds, unit_at, replacer, names, policy, warnings)
    ties, tie_at = _ties(retire, unit_row, replacer, blocked, names)
    impossible = tuple(sorted(names[blocked]))
    return Ordering(units, links, ties, impossible, warnings, unit_at=unit_at, tie_at=tie_at)


def _member_rows(
    systems: pd.DataFrame,
    planned_at: np.ndarray,
    rank: np.ndarray,
    graph: ArrayGraph,
    retire: np.ndarray,
    absorbed: np.ndarray,
    policy: Policy,
) -> pd.DataFrame:
    """The planned systems' rows (``planned_at``) as units are made of them: estimates,
    deadline, contract dates, team demand, clinical class, department, engines, spend
    (``retire``, ``absorbed``: each planned system is retired, retired into another)."""
    chosen = systems[list(UNIT_COLUMNS)].iloc[planned_at]  # a copy of what units read
    sizes = estimates(chosen, policy)
    # one dict of the policy's default demand, shared (as the inventory's are) by the rows
    # that ask for none: read, never changed in place
    default_demand = dict(policy.defaults.team_demand)
    demand = chosen["team_demand"].map(lambda d: d if d else default_demand)
    start = policy.plan_start
    eos = chosen["end_of_support"]
    # the current contract holds back the go-live of a system being replaced, not of a new
    # one, nor the decommissioning of one absorbed by another (that follows its absorber)
    contract = chosen["contract_end"].where((chosen["status"] != "planned").to_numpy() & ~absorbed)
    classes = _clinical_class(chosen)
    rank_of_class = {c: i for i, c in enumerate(CLINICAL_SAFETY_CLASSES)}
    return pd.DataFrame(
        {
            "cost_gbp": sizes["cost_gbp"],
            "capital_gbp": sizes["cost_gbp"] * sizes["capital_share"],
            "months": sizes["months"],
            "cost_estimated": sizes["cost_estimated"] | sizes["months_estimated"],
            "deadline": eos.where(eos >= start),
            "not_before": contract.where(contract > start)
            if policy.schedule.respect_contract_end
            else pd.NaT,
            "contract_deadline": contract.where(contract > start)
            if policy.schedule.contract_deadline
            else pd.NaT,
            "demand": demand,
            "class_rank": classes.map(rank_of_class),
            "department": chosen["department"],
            "engines": _engines(systems, rank, graph),
            "organisation": chosen["organisation"],
            "retire": retire,
            "run_cost_gbp": chosen["annual_run_cost_gbp"].fillna(0.0),
            "spend_profile": chosen["spend_profile"],
            "spend_by_year": chosen["spend_by_year"],
        },
        index=chosen.index,
    )


def _units(
    frame: pd.DataFrame, unit_row: np.ndarray, names: np.ndarray, policy: Policy
) -> pd.DataFrame:
    """One row per unit from its members' rows (``unit_row``: each member's unit row; ``names``:
    the units' ids): a single-member unit's row is its system's (vectorised); a move group's
    is aggregated (costs summed, the longest duration, the largest member's spend profile,
    the earliest deadline, the highest clinical class...)."""
    shared = (np.bincount(unit_row, minlength=len(names)) > 1)[unit_row]
    single = frame[~shared]
    rows = pd.DataFrame(
        {
            "members": [(s,) for s in single.index.to_numpy(dtype=object)],
            "cost_gbp": single["cost_gbp"].to_numpy(),
            "capital_gbp": single["capital_gbp"].to_numpy(),
            "run_cost_gbp": single["run_cost_gbp"].to_numpy(),
            "months": single["months"].to_numpy(),
            "team_demand": single["demand"].to_numpy(dtype=object),
            "spend_profile": [
                p if isinstance(p, str) else None
                for p in single["spend_profile"].to_numpy(dtype=object)
            ],
            "spend_by_year": single["spend_by_year"].to_numpy(dtype=object),
            "not_before": single["not_before"].to_numpy(),
            "contract_deadline": single["contract_deadline"].to_numpy(),
            "deadline": single["deadline"].to_numpy(),
            "class_rank": single["class_rank"].to_numpy(),
            "departments": [
                (d,) if isinstance(d, str) and d else ()
                for d in single["department"].to_numpy(dtype=object)
            ],
            "engines": single["engines"].to_numpy(dtype=object),
            "organisation": single["organisation"].to_numpy(dtype=object),
            "decommission": single["retire"].to_numpy(dtype=bool),
            "cost_estimated": single["cost_estimated"].to_numpy(dtype=bool),
        },
        index=unit_row[~shared],
    )
    if shared.any():
        rows = pd.concat([rows, _group_rows(frame[shared], unit_row[shared])]).sort_index()
    rows.index = pd.Index(names, dtype=object, name="unit")
    cost, capital = rows["cost_gbp"], rows["capital_gbp"]
    approval_rules = policy.schedule.approval
    whole_life = cost + rows["run_cost_gbp"] * approval_rules.whole_life_years
    national = (capital > approval_rules.national_capital_gbp) | (
        whole_life > approval_rules.national_whole_life_gbp
    )
    board = ~national & (cost >= approval_rules.board_gbp)
    decommission = rows["decommission"].astype(bool)
    return pd.DataFrame(
        {
            "members": rows["members"],
            "cost_gbp": cost,
            "capital_share": (capital / cost.where(cost > 0)).fillna(
                policy.money.capital_share.default
            ),
            "months": np.maximum(1, np.ceil(rows["months"].astype(float) - 1e-9)).astype(np.int64),
            "team_demand": rows["team_demand"],
            "spend_profile": rows["spend_profile"]
            .astype(object)
            .where(rows["spend_profile"].notna(), None),
            "spend_by_year": rows["spend_by_year"],
            "not_before": pd.to_datetime(rows["not_before"]),
            "contract_deadline": pd.to_datetime(rows["contract_deadline"]),
            "deadline": pd.to_datetime(rows["deadline"]),
            "clinical_safety_class": rows["class_rank"].map(
                dict(enumerate(CLINICAL_SAFETY_CLASSES))
            ),
            "departments": rows["departments"],
            "engines": rows["engines"],
            "organisation": rows["organisation"],
            "decommission": decommission,
            "major": ~decommission & (cost >= policy.schedule.go_live.major_cost_gbp),
            "approval": np.where(national, "national", np.where(board, "trust board", "")),
            "approval_months": np.where(
                national,
                approval_rules.national_months,
                np.where(board, approval_rules.board_months, 0),
            ),
            "cost_estimated": rows["cost_estimated"].astype(bool),
        },
        index=rows.index,
    )


def _group_rows(frame: pd.DataFrame, unit_row: np.ndarray) -> pd.DataFrame:
    """The move groups' rows, indexed by unit row, aggregated from their members' (``unit_row``:
    each member's unit row; see :func:`_units`)."""
    frame = frame.assign(unit=unit_row)
    grouped = frame.groupby("unit", sort=False)
    largest = (
        frame.sort_values("cost_gbp", ascending=False, kind="stable")
        .groupby("unit", sort=False)
        .head(1)
        .set_index("unit")
    )
    rows = pd.DataFrame(
        {
            "cost_gbp": grouped["cost_gbp"].sum(),
            "capital_gbp": grouped["capital_gbp"].sum(),
            "run_cost_gbp": grouped["run_cost_gbp"].sum(),
            "months": grouped["months"].max(),
            "spend_profile": largest["spend_profile"],
            "spend_by_year": largest["spend_by_year"],
            "not_before": grouped["not_before"].max(),
            "contract_deadline": grouped["contract_deadline"].min(),
            "deadline": grouped["deadline"].min(),
            "class_rank": grouped["class_rank"].max(),
            "organisation": grouped["organisation"].first(),
            "decommission": grouped["retire"].all(),
            "cost_estimated": grouped["cost_estimated"].any(),
        }
    )
    members: dict[int, tuple] = {}
    demand: dict[int, dict[str, float]] = {}
    departments: dict[int, set] = {}
    engines: dict[int, set] = {}
    for u, system, asks, department, through in zip(
        unit_row.tolist(),
        frame.index.to_numpy(dtype=object),
        frame["demand"].to_numpy(dtype=object),
        frame["department"].to_numpy(dtype=object),
        frame["engines"].to_numpy(dtype=object),
        strict=True,
    ):
        members[u] = (*members.get(u, ()), system)
        total = demand.setdefault(u, {})
        for team, amount in asks.items():
            total[team] = total.get(team, 0.0) + amount
        if isinstance(department, str) and department:
            departments.setdefault(u, set()).add(department)
        engines.setdefault(u, set()).update(through)
    order = rows.index
    rows.insert(0, "members", [members[u] for u in order])
    rows["team_demand"] = pd.Series([demand[u] for u in order], index=order, dtype=object)
    rows["departments"] = pd.Series(
        [tuple(sorted(departments.get(u, ()))) for u in order], index=order, dtype=object
    )
    rows["engines"] = pd.Series(
        [tuple(sorted(engines.get(u, ()))) for u in order], index=order, dtype=object
    )
    return rows


def _ties(
    retire: np.ndarray,
    unit_row: np.ndarray,
    replacer: np.ndarray,
    blocked: np.ndarray,
    names: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    """(absorber, absorbed) units, as ids and as unit rows: a retired system and the planned
    system absorbing it (``unit_row``, ``replacer``: each planned system's unit row and its
    absorber's, -1 for none; ``blocked``: the unit rows in an impossible cycle)."""
    retired = retire & (replacer >= 0)
    absorber, absorbed = replacer[retired], unit_row[retired]
    cycle = np.zeros(len(names), dtype=bool)
    cycle[blocked] = True
    keep = (absorber != absorbed) & ~cycle[absorber] & ~cycle[absorbed]
    absorber, absorbed = absorber[keep], absorbed[keep]
    first = first_occurrences(absorber * len(names) + absorbed)
    at = np.stack([absorber[first], absorbed[first]])
    frame = pd.DataFrame({"absorber": names[at[0]], "absorbed": names[at[1]]}, dtype=object)
    return frame, at


def _links(
    systems: pd.DataFrame,
    graph: ArrayGraph,
    kinds: np.ndarray,
    unit_at: np.ndarray,
    replacer: np.ndarray,
    names: np.ndarray,
    policy: Policy,
    warnings: list[dict],
) -> tuple[pd.DataFrame, np.ndarray]:
    """Precedence links between units and the units (rows) caught in a cycle of explicit
    constraints. Units are rows and systems positions (``unit_at``: each system's unit row,
    ``replacer``: each planned system's absorber's), so a link is a pair of integers, kept
    once per pair on one int64 key; ids come back only in the table returned."""
    planned_at = np.flatnonzero(unit_at >= 0)
    unit_row = unit_at[planned_at]
    absorbed = replacer >= 0
    parts: list[tuple[np.ndarray, np.ndarray, str, np.ndarray | None]] = [
        (replacer[absorbed], unit_row[absorbed], "replaced_by", None)
    ]
    holder, waited = _flatten(systems["after"].to_numpy(dtype=object)[planned_at])
    if len(waited):
        waited_at = systems.index.get_indexer(pd.Index(waited, dtype=object))
        first = _at(unit_at, waited_at)
        inside = first >= 0
        parts.append((first[inside], unit_row[holder[inside]], "after", None))
        status = systems["status"].to_numpy(dtype=object)
        idle = ~inside & (waited_at >= 0) & (status[waited_at] == "planned")
        ids = systems.index.to_numpy(dtype=object)
        for system, other in zip(ids[planned_at[holder[idle]]], waited[idle], strict=True):
            warnings.append(
                {
                    "kind": "constraint",
                    "system": system,
                    "message": f"{system} waits for {other}, which is planned but has "
                    "disposition retain, so it is never scheduled; the wait is ignored",
                }
            )
    rule = policy.ordering.precedence
    if rule != "none":
        consumer_unit, provider_unit = unit_at[graph.consumer], unit_at[graph.provider]
        both = (consumer_unit >= 0) & (provider_unit >= 0)
        consumer_at, provider_at = graph.consumer[both], graph.provider[both]
        consumer_unit, provider_unit, kind = consumer_unit[both], provider_unit[both], kinds[both]
        disposition = systems["disposition"]
        retiring = (disposition == "retire").to_numpy()
        stays_on_platform = disposition.isin(STAYS_ON_PLATFORM).to_numpy()
        provider_retires, consumer_retires = retiring[provider_at], retiring[consumer_at]
        provider_absorbed = systems["replaced_by"].notna().to_numpy()[provider_at]
        distinct = consumer_unit != provider_unit
        # a system retired with nothing to absorb it is switched off after what depends on
        # it has moved off (unless that is being switched off too)
        retire_after = distinct & provider_retires & ~consumer_retires & ~provider_absorbed
        parts.append(
            (
                consumer_unit[retire_after],
                provider_unit[retire_after],
                "retire after dependents",
                kind[retire_after],
            )
        )
        # the graph rule: only where the consumer runs on the provider and stays on it
        runs_on = pd.Series(kind, dtype=object).isin(policy.ordering.platform_kinds).to_numpy()
        stays = stays_on_platform[consumer_at]
        ordered = distinct & ~provider_retires & ~consumer_retires & runs_on & stays
        if rule == "providers-first":
            parts.append((provider_unit[ordered], consumer_unit[ordered], rule, kind[ordered]))
        else:
            parts.append((consumer_unit[ordered], provider_unit[ordered], rule, kind[ordered]))
    counts = [len(p[0]) for p in parts]
    before = np.concatenate([p[0] for p in parts]).astype(np.int64)
    after = np.concatenate([p[1] for p in parts]).astype(np.int64)
    part = np.repeat(np.arange(len(parts)), counts)
    kind = np.concatenate(
        [
            p[3] if p[3] is not None else np.full(n, None, dtype=object)
            for p, n in zip(parts, counts, strict=True)
        ]
    )
    reasons = np.array([p[2] for p in parts], dtype=object)
    explicit = np.array([p[2] in EXPLICIT for p in parts], dtype=bool)[part]
    # keep one link per pair, preferring an explicit reason (rows in that order)
    order = np.flatnonzero(before != after)
    order = order[np.argsort(~explicit[order], kind="stable")]
    order = order[first_occurrences(before[order] * len(names) + after[order])]
    keep, blocked = _break_cycles(
        before[order], after[order], explicit[order], reasons[part[order]], names, warnings
    )
    order = order[keep]
    order = order[_by_name(names, before[order], after[order])]
    links = pd.DataFrame(
        {
            "before": names[before[order]],
            "after": names[after[order]],
            "reason": reasons[part[order]],
            "kind": kind[order],
        },
        dtype=object,
    )
    return links, blocked


def _by_name(names: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The order of the pairs (before, after) of unit rows by their units' ids.

    >>> names = np.array(["b", "a", "c"], dtype=object)
    >>> _by_name(names, np.array([0, 1, 0]), np.array([2, 2, 1])).tolist()
    [1, 2, 0]
    """
    present = sorted_unique(np.concatenate([before, after]))
    rank = np.zeros(len(names), dtype=np.int64)
    rank[present[np.argsort(names[present].astype(str), kind="stable")]] = np.arange(len(present))
    return np.argsort(rank[before] * len(present) + rank[after], kind="stable")


def _cycles(before: np.ndarray, after: np.ndarray) -> list[np.ndarray]:
    """The units (rows) of each cycle of links: the strong components of more than one unit,
    numbered in the order the links first name their units."""
    codes, nodes = pd.factorize(np.concatenate([before, after]))
    if not len(nodes):
        return []
    n, count = len(nodes), len(before)
    matrix = sparse.csr_matrix((np.ones(count), (codes[:count], codes[count:])), shape=(n, n))
    components, labels = connected_components(matrix, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=components)
    return [nodes[labels == k] for k in np.flatnonzero(sizes > 1)]


def _within(cycle: np.ndarray, before: np.ndarray, after: np.ndarray, count: int) -> np.ndarray:
    """Which links (pairs of unit rows) join two units of ``cycle``."""
    inside = np.zeros(count, dtype=bool)
    inside[cycle] = True
    return inside[before] & inside[after]


def _describe(row: pd.Series) -> str:
    """One explicit link in words: 'pas waits for epr (replaced_by)'."""
    return f"{row['after']} waits for {row['before']} ({row['reason']})"


def _break_cycles(
    before: np.ndarray,
    after: np.ndarray,
    explicit: np.ndarray,
    reason: np.ndarray,
    names: np.ndarray,
    warnings: list[dict],
) -> tuple[np.ndarray, np.ndarray]:
    """Drop the graph-rule links inside a cycle that explicit links close (with a warning);
    the links kept (a mask) and the units of the cycles of explicit links left (rows), each
    warned of with the link to cut."""
    keep = np.ones(len(before), dtype=bool)
    for cycle in _cycles(before, after):
        derived = _within(cycle, before, after, len(names)) & ~explicit
        if derived.any():
            warnings.append(
                {
                    "kind": "constraint",
                    "system": None,
                    "message": "dependency-order links among "
                    f"{', '.join(sorted(names[cycle]))} form a cycle with explicit constraints; "
                    f"the {int(derived.sum())} derived from the dependency graph were dropped",
                }
            )
            keep &= ~derived
    kept = np.flatnonzero(keep)
    impossible = _cycles(before[kept], after[kept])
    for cycle in impossible:
        rows = kept[_within(cycle, before[kept], after[kept], len(names))]
        in_cycle = pd.DataFrame(
            {"before": names[before[rows]], "after": names[after[rows]], "reason": reason[rows]}
        ).sort_values(["after", "before"], kind="stable")
        named = "; ".join(_describe(row) for _, row in in_cycle.iterrows())
        # an 'after' is a wish about timing; a 'replaced_by' says what absorbs what: cut the
        # first 'after' if there is one
        cut = in_cycle[in_cycle["reason"] == "after"]
        cut_row = (cut if len(cut) else in_cycle).iloc[0]
        warnings.append(
            {
                "kind": "impossible",
                "system": None,
                "message": "impossible constraint: replaced_by/after links form a cycle "
                f"through {', '.join(sorted(names[cycle]))} ({named}); these are not "
                f"scheduled until one link is removed: cut '{_describe(cut_row)}'",
            }
        )
    blocked = np.concatenate(impossible) if impossible else np.zeros(0, dtype=np.int64)
    return keep, blocked
