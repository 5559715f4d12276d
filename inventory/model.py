"""The in-memory inventory: two typed DataFrames, systems and dependencies.

``systems`` is indexed by ``id``; ``dependencies`` has one row per (consumer, provider) pair.
Both have the columns of :mod:`inventory.schema` in its order (a low/likely/high range takes
three columns), then any extra columns the file had. :func:`conform_systems` and
:func:`conform_dependencies` give every source (files, the store, the synthetic generator) the
same dtypes, so frames from different sources compare equal.

Examples
--------
>>> inv = Inventory.from_records(
...     [{"id": "pas", "name": "PAS"}, {"id": "ed", "name": "ED system"}],
...     [{"consumer": "ed", "provider": "pas", "kind": "HL7 v2"}],
... )
>>> inv
<Inventory: 2 systems, 1 dependency>
>>> inv.systems.loc["ed", "criticality"]
'medium'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from inventory.errors import InvalidArgumentError, UnknownSystemError
from inventory.schema import DEPENDENCIES, ORDERED_DTYPES, SYSTEMS, Field

if TYPE_CHECKING:  # networkx and scipy load when a graph is first asked for
    import networkx as nx

    from inventory.graph import ArrayGraph

__all__ = [
    "DEPENDENCY_COLUMNS",
    "DERIVED_COLUMNS",
    "DTYPES",
    "SYSTEM_COLUMNS",
    "Inventory",
    "conform_column",
    "conform_dependencies",
    "conform_systems",
    "empty_dependencies",
    "empty_systems",
]

SYSTEM_COLUMNS: tuple[str, ...] = tuple(c for f in SYSTEMS.values() for c in f.columns)
DEPENDENCY_COLUMNS: tuple[str, ...] = tuple(c for f in DEPENDENCIES.values() for c in f.columns)

#: Columns worked out when an inventory is loaded, never imported or stored.
DERIVED_COLUMNS = frozenset({"id", "end_of_support_source"})

_NULLABLE_INTS = {"users", "daily_volume", "data_to_archive_gb"}


def _dtype(f: Field, column: str) -> str:
    if f.kind == "date":
        return "datetime64[ns]"
    if f.kind in ("money", "money_range", "months_range", "fraction"):
        return "float64"
    if f.kind == "int":
        return "Int64" if column in _NULLABLE_INTS else "int64"
    if f.kind == "bool":
        return "bool"
    return "object"


#: The dtype of every schema column, by table (object for text, lists and team demand).
DTYPES = {
    table: {c: _dtype(f, c) for f in fields.values() for c in f.columns}
    for table, fields in (("systems", SYSTEMS), ("dependencies", DEPENDENCIES))
}


def _fill_default(series: pd.Series, f: Field) -> pd.Series:
    if f.kind in ("ref_list", "text_list", "shares"):
        return series.map(lambda v: tuple(v) if isinstance(v, list | tuple) else ())
    if f.kind == "team_demand":
        return series.map(lambda v: dict(v) if isinstance(v, Mapping) else {})
    if f.default is None:
        return series
    return series.where(series.notna(), f.default)


def conform_column(series: pd.Series, f: Field, column: str, table: str) -> pd.Series:
    """One column with its field's default and the dtype ``table`` gives it.

    >>> conform_column(pd.Series(["high", None]), SYSTEMS["criticality"], "criticality",
    ...                "systems").tolist()
    ['high', 'medium']
    """
    series = _fill_default(series, f)
    dtype = DTYPES[table][column]
    if column in ORDERED_DTYPES[table]:  # ordered by severity, not alphabetically
        return series.astype("object").astype(ORDERED_DTYPES[table][column])
    if dtype == "object":
        series = series.astype("object")
        return series.where(series.notna(), None)
    if dtype == "datetime64[ns]":
        return pd.to_datetime(series, errors="coerce").astype("datetime64[ns]")
    if dtype == "bool":
        series = series.astype("object").map(
            lambda v: bool(v) if v is not None and not pd.isna(v) else False
        )
        return series.astype("bool")
    series = pd.to_numeric(series, errors="coerce")
    return (  # a numeric dtype from _DTYPES: float64, Int64 or int64
        series.astype(dtype)  # type: ignore[call-overload]
        if dtype != "int64"
        else series.fillna(0).astype("int64")
    )


def _conform(frame: pd.DataFrame, fields: Mapping[str, Field], table: str) -> pd.DataFrame:
    out = {}
    for f in fields.values():
        for column in f.columns:
            series = frame[column] if column in frame else pd.Series(None, index=frame.index)
            out[column] = conform_column(series, f, column, table)
    extras = [c for c in frame.columns if c not in out and c != "id"]
    for column in extras:
        series = frame[column].astype("object")
        out[column] = series.where(series.notna(), None)
    return pd.DataFrame(out, index=frame.index)


def conform_systems(frame: pd.DataFrame) -> pd.DataFrame:
    """Return systems with the schema's columns, dtypes and defaults, indexed by ``id``."""
    if "id" in frame.columns:
        frame = frame.set_index("id")
    result = _conform(frame, SYSTEMS, "systems")
    result.index = pd.Index(result.index.astype("object"), name="id", dtype="object")
    return result.drop(columns="id", errors="ignore")


def conform_dependencies(frame: pd.DataFrame) -> pd.DataFrame:
    """Return dependencies with the schema's columns, dtypes and defaults, 0..n-1 index."""
    return _conform(frame.reset_index(drop=True), DEPENDENCIES, "dependencies")


def empty_systems() -> pd.DataFrame:
    return conform_systems(pd.DataFrame({"id": pd.Series([], dtype="object")}))


def empty_dependencies() -> pd.DataFrame:
    return conform_dependencies(pd.DataFrame())


@dataclass(frozen=True, repr=False)
class Inventory:
    """Systems and the dependencies between them.

    The downstream impact of a system X is everything that transitively depends on X: walk
    the dependencies from provider to consumer.
    """

    systems: pd.DataFrame
    dependencies: pd.DataFrame
    #: the policy kept with it in the store ('modernise policy use'): file name and YAML
    #: text, which plans of it use when given no other
    kept_policy: tuple[str, str] | None = field(default=None, compare=False)

    @classmethod
    def from_records(
        cls,
        systems: Iterable[Mapping[str, object]],
        dependencies: Iterable[Mapping[str, object]] = (),
    ) -> Inventory:
        """Build an inventory from already-typed records (no parsing or validation)."""
        system_frame = pd.DataFrame(list(systems))
        if "id" not in system_frame:
            system_frame["id"] = pd.Series([], dtype="object")
        return cls(
            conform_systems(system_frame),
            conform_dependencies(pd.DataFrame(list(dependencies))),
        )

    @classmethod
    def from_graph(cls, G: nx.DiGraph) -> Inventory:
        """The inventory a dependency graph holds (the inverse of :meth:`graph`).

        >>> inv = Inventory.from_records([{"id": "pas", "name": "PAS"}])
        >>> Inventory.from_graph(inv.graph()).systems.index.tolist()
        ['pas']
        """
        systems = pd.DataFrame([{**data, "id": node} for node, data in G.nodes(data=True)])
        if "id" not in systems:
            systems["id"] = pd.Series([], dtype="object")
        dependencies = pd.DataFrame(
            [{"consumer": u, "provider": v, **data} for u, v, data in G.edges(data=True)]
        )
        return cls(conform_systems(systems), conform_dependencies(dependencies))

    @cached_property
    def array_graph(self) -> ArrayGraph:
        """The dependencies as integer positions over the systems, built once and kept.

        Ids are looked up once here; impact and planning reuse the positions. The frames are
        treated as immutable: build a new ``Inventory`` after changing them.

        >>> inv = Inventory.from_records(
        ...     [{"id": "pas"}, {"id": "ed"}], [{"consumer": "ed", "provider": "pas"}]
        ... )
        >>> inv.array_graph.consumer.tolist(), inv.array_graph.provider.tolist()
        ([1], [0])
        """
        from inventory.graph import ArrayGraph  # loads scipy: only when asked for

        return ArrayGraph.from_frames(self.systems, self.dependencies)

    def graph(
        self,
        *,
        organisation: str | None = None,
        around: str | list[str] | None = None,
        depth: int = 1,
        limit: int = 250_000,
    ):
        """The dependency graph (:func:`inventory.graph.to_graph`), whole or in part.

        ``organisation`` keeps one ODS code's systems and everything they link to directly;
        ``around`` keeps the systems within ``depth`` links of the given ids. Asking for more
        than ``limit`` systems at once raises, since a networkx graph of a national estate
        takes minutes and gigabytes: use the parts, or :class:`inventory.graph.ArrayGraph`.
        """
        systems, dependencies = self.systems, self.dependencies
        if organisation is not None or around is not None:
            keep = pd.Series(False, index=systems.index)
            if organisation is not None:
                keep |= systems["organisation"] == organisation.strip().upper()
            if around is not None:
                centres = [around] if isinstance(around, str) else list(around)
                missing = [c for c in centres if c not in systems.index]
                if missing:
                    raise UnknownSystemError(missing, where="in the inventory")
                from inventory.graph import ArrayGraph

                graph = ArrayGraph.from_frames(systems, dependencies)
                positions = systems.index.get_indexer(pd.Index(centres))
                keep.iloc[graph.within(positions, depth)] = True
            else:
                linked = dependencies["consumer"].isin(systems.index[keep]) | dependencies[
                    "provider"
                ].isin(systems.index[keep])
                keep |= systems.index.isin(
                    pd.concat(
                        [dependencies.loc[linked, "consumer"], dependencies.loc[linked, "provider"]]
                    )
                )
            systems = systems[keep]
            dependencies = dependencies[
                dependencies["consumer"].isin(systems.index)
                & dependencies["provider"].isin(systems.index)
            ]
        if len(systems) > limit:
            raise InvalidArgumentError(
                "limit",
                f"a networkx graph of {len(systems):,} systems is too big to build here",
                hint="ask for organisation=... or around=..., or raise limit=",
            )
        from inventory.graph import to_graph

        return to_graph(systems, dependencies)

    def __repr__(self) -> str:
        n, m = len(self.systems), len(self.dependencies)
        organisations = self.systems["organisation"].nunique()
        orgs = f", {organisations} organisations" if organisations > 1 else ""
        return (
            f"<Inventory: {n:,} system{'s' if n != 1 else ''}, "
            f"{m:,} dependenc{'ies' if m != 1 else 'y'}{orgs}>"
        )

    def _repr_html_(self) -> str:
        head = self.systems[["name", "category", "criticality", "platform", "disposition"]].head(10)
        return f"<p>{html.escape(repr(self))}</p>{head.to_html(escape=True)}"
