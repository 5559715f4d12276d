"""Platform lifecycles: when the things NHS systems run on stop getting security fixes.

The reference table ``data/lifecycles.csv`` has one row per product release (a *cycle*):

- ``names``: the spellings that identify it in a platform string, separated by ``|``;
- ``end_of_mainstream_support``: no more features or non-security fixes;
- ``end_of_security_support``: the last security fix under the vendor's standard lifecycle
  (Microsoft's "extended support", Oracle's "premier support", Red Hat's "maintenance
  support"). A system's ``end_of_support`` is derived from this date;
- ``end_of_extended_support``: the end of paid extensions (Microsoft ESU, Oracle Extended
  Support, Red Hat ELS);
- ``basis``: ``published`` (a vendor's or endoflife.date's date) or ``estimated`` (ours,
  explained in ``notes``); ``source_url`` says where each date comes from.

A platform string may name several layers (``"InterSystems Cache 2010.2 on IBM AIX 6.1"``):
each layer is matched on its own and the stack is as supported as its weakest layer, so the
earliest date wins.

Examples
--------
>>> table = load_lifecycles()
>>> rows = match_platform("Win2008 R2 SP1 / SQL Server 2008", table)
>>> [row.product + " " + row.cycle for row in rows]
['Windows Server 2008 R2', 'SQL Server 2008']
>>> end_of_security_support("Windows Server 2008 R2 SP1 / SQL Server 2008", table)
(Timestamp('2019-07-09 00:00:00'), 'SQL Server 2008 (published)')
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd

from inventory.errors import InventoryFileError
from inventory.resources import default_lifecycles_path

__all__ = [
    "derive_end_of_support",
    "end_of_security_support",
    "load_lifecycles",
    "match_platform",
    "read_endoflife_json",
]

DATE_COLUMNS = (
    "release_date",
    "end_of_mainstream_support",
    "end_of_security_support",
    "end_of_extended_support",
)
_LAYER_SEPARATORS = re.compile(r"\s+on\s+|\s+and\s+|\s*[/+,;&]\s*|\s+with\s+|\s+over\s+", re.I)


def _tokens(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(re.findall(r"[a-z0-9]+", plain))


def load_lifecycles(path: str | Path | None = None) -> pd.DataFrame:
    """Read a lifecycle table (CSV in our format, or endoflife.date API JSON).

    >>> load_lifecycles().loc[0, ["product", "cycle"]].tolist()
    ['Windows', 'XP']
    """
    path = Path(path) if path else default_lifecycles_path()
    if path.suffix.lower() == ".json":
        return read_endoflife_json(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"product", "cycle", "names", *DATE_COLUMNS} - set(table.columns)
    if missing:
        raise InventoryFileError(
            path,
            f"missing column(s) {', '.join(sorted(missing))}",
            hint="see docs/inventory-format.md, section Platform lifecycles",
        )
    return _typed(table)


def _default_lifecycles() -> pd.DataFrame:
    """The shipped lifecycle table, read once per change of the file (read-only: the plan
    derives end-of-support dates from it for every estate it is given)."""
    path = default_lifecycles_path()
    stat = path.stat()
    return _cached_lifecycles(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def _cached_lifecycles(path: str, mtime: int, size: int) -> pd.DataFrame:
    return load_lifecycles(path)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for column in DATE_COLUMNS:
        table[column] = pd.to_datetime(table[column].replace("", None), errors="coerce")
    if "basis" not in table:
        table["basis"] = "published"
    return table.reset_index(drop=True)


def read_endoflife_json(
    source: str | Path | dict | list, *, title: str | None = None
) -> pd.DataFrame:
    """Convert an endoflife.date API answer into a lifecycle table.

    Accepts API v1 (``{"result": {"name": ..., "releases": [...]}}``, as from
    ``/api/v1/products/<product>``) and v0 (a list of ``{"cycle", "eol", "support", ...}``,
    as from ``/api/<product>.json``). ``true``/``false`` dates mean "ended, date unknown" and
    "no date announced"; both are kept blank.

    >>> v1 = {"result": {"name": "windows-server", "label": "Windows Server", "releases": [
    ...     {"name": "2012-r2", "label": "2012 R2", "releaseDate": "2013-11-25",
    ...      "eoasFrom": "2018-10-09", "eolFrom": "2023-10-10", "eoesFrom": "2026-10-13"}]}}
    >>> row = read_endoflife_json(v1).iloc[0]
    >>> row["names"], str(row["end_of_security_support"].date())
    ('windows server 2012 r2', '2023-10-10')
    """
    name = "endoflife.date JSON"
    if isinstance(source, str | Path):
        name = str(source)
        source = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = []
    if isinstance(source, dict):
        result = source.get("result", source)
        product = title or result.get("label") or result.get("name", "")
        slug = result.get("name", "")
        for release in result.get("releases", []):
            cycle = str(release.get("label") or release.get("name"))
            rows.append(
                _row(
                    product,
                    cycle,
                    slug,
                    str(release.get("name")),
                    release.get("releaseDate"),
                    release.get("eoasFrom"),
                    release.get("eolFrom"),
                    release.get("eoesFrom"),
                )
            )
    elif isinstance(source, list):
        product = title or "product"
        for release in source:
            cycle = str(release.get("cycle"))
            rows.append(
                _row(
                    product,
                    cycle,
                    "",
                    cycle,
                    release.get("releaseDate"),
                    release.get("support"),
                    release.get("eol"),
                    release.get("extendedSupport"),
                )
            )
    else:
        raise InventoryFileError(name, "must be an object (API v1) or a list (API v0)")
    return _typed(pd.DataFrame(rows))


def _row(product, cycle, slug, slug_cycle, released, mainstream, security, extended) -> dict:
    def date(value: object) -> str:
        return value if isinstance(value, str) and value[:1].isdigit() else ""

    return {
        "product": product,
        "cycle": cycle,
        "names": " ".join(_tokens(f"{product} {cycle}")),
        "release_date": date(released),
        "end_of_mainstream_support": date(mainstream),
        "end_of_security_support": date(security),
        "end_of_extended_support": date(extended),
        "basis": "published",
        "endoflife_product": slug,
        "endoflife_cycle": slug_cycle,
        "source_url": f"https://endoflife.date/{slug}" if slug else "",
        "notes": "",
    }


class _Matcher:
    """Alias index: first token -> [(alias tokens, row position)], longest aliases first."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self.ends = list(table["end_of_security_support"])
        self.labels = [
            f"{product} {cycle} ({basis})"
            for product, cycle, basis in zip(
                table["product"], table["cycle"], table["basis"], strict=True
            )
        ]
        self.index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for position, names in enumerate(table["names"]):
            for name in str(names).split("|"):
                tokens = _tokens(name)
                if tokens:
                    self.index.setdefault(tokens[0], []).append((tokens, position))
        for aliases in self.index.values():
            aliases.sort(key=lambda a: -len(a[0]))

    def match_layer(self, layer: str) -> int | None:
        tokens = _tokens(layer)
        best: tuple[int, int] | None = None  # (alias length, row position)
        for start, token in enumerate(tokens):
            for alias, position in self.index.get(token, ()):
                if tokens[start : start + len(alias)] == alias:
                    if best is None or len(alias) > best[0]:
                        best = (len(alias), position)
                    break
        return None if best is None else best[1]

    def match(self, platform: str) -> list[int]:
        found: list[int] = []
        for layer in _LAYER_SEPARATORS.split(platform):
            position = self.match_layer(layer)
            if position is not None and position not in found:
                found.append(position)
        return found


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(table: pd.DataFrame) -> _Matcher:
    matcher = _MATCHERS.get(id(table))
    if matcher is None or matcher.table is not table:
        matcher = _Matcher(table)
        _MATCHERS.clear()
        _MATCHERS[id(table)] = matcher
    return matcher


def match_platform(platform: str, table: pd.DataFrame) -> list:
    """Return the lifecycle rows (as named tuples) that a platform string names, in order."""
    matcher = _matcher(table)
    rows = table.iloc[matcher.match(platform)]
    return list(rows.itertuples(index=False))


def end_of_security_support(
    platform: str, table: pd.DataFrame
) -> tuple[pd.Timestamp | None, str | None]:
    """Earliest end of security support over the layers a platform string names.

    Returns the date and a description of the layer it came from, or ``(None, None)`` when
    no layer with a known date matches.
    """
    matcher = _matcher(table)
    best: tuple[pd.Timestamp, str] | None = None
    for position in matcher.match(platform):
        date = matcher.ends[position]
        if pd.isna(date):
            continue
        if best is None or date < best[0]:
            best = (date, matcher.labels[position])
    return best if best else (None, None)


def derive_end_of_support(
    systems: pd.DataFrame, lifecycles: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Fill blank ``end_of_support`` from the platform; say where each date came from.

    Returns a new frame with ``end_of_support`` filled where the platform is known and an
    ``end_of_support_source`` column: ``given`` (from the inventory), ``lifecycle: <product
    cycle> (<basis>)`` or NA when unknown. Work is done once per distinct platform string.
    """
    table = _default_lifecycles() if lifecycles is None else lifecycles
    result = systems.copy()
    given = result["end_of_support"].notna()
    source = pd.Series(None, index=result.index, dtype="object")
    source[given] = "given"
    need = ~given & result["platform"].notna()
    if need.any():
        platforms = result.loc[need, "platform"]
        derived = {p: end_of_security_support(p, table) for p in platforms.unique()}
        dates = platforms.map({p: date for p, (date, _label) in derived.items()})
        result.loc[need, "end_of_support"] = pd.to_datetime(dates).astype("datetime64[ns]")
        # one label per distinct platform, shared by its rows
        labels = {
            p: None if label is None else f"lifecycle: {label}" for p, (_, label) in derived.items()
        }
        source[need] = platforms.map(labels)
    source = source.astype("object")
    result["end_of_support_source"] = source.where(source.notna(), None)
    return result
