"""Finding a system's id from the way people name it.

Registers and interface catalogues name systems as people say them ("Pathology LIMS
(WinPath)", "WinPath", "winpath", "EPMA"), not by id. :class:`SystemNames` resolves such a
name to an id by comparing *name keys* (:func:`name_key`: lower case, letters and digits
only, so case, spaces and punctuation never matter) with each system's id and name, then its
product, then the name's part before and in brackets (in that order of trust: "Meridian PAS"
is the system of that name before it is the part of "Meridian PAS (Community)"). A name that
fits two systems equally is ambiguous; a name that fits none gets the closest as a
suggestion.

Examples
--------
>>> import pandas as pd
>>> systems = pd.DataFrame({"id": ["lims", "ris"],
...                         "name": ["Pathology LIMS (WinPath)", "Radiology RIS"]})
>>> names = SystemNames.from_frame(systems)
>>> names.resolve("winpath"), names.resolve("RIS"), names.resolve("radiology-ris")
(('lims', None), ('ris', None), ('ris', None))
>>> names.resolve("Radiolgy RIS")[1]
"'Radiolgy RIS' is not a system in the register; did you mean 'Radiology RIS' (ris)?"
>>> names.resolve("Radiology")[1]  # the start of one system's name
"'Radiology' is not a system in the register; did you mean 'Radiology RIS' (ris)?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import pandas as pd

from inventory.errors import UnknownSystemError

__all__ = ["SystemNames", "name_key", "system_ids"]

#: Above this many names, unknown names are not matched for a "did you mean".
SUGGESTION_LIMIT = 20_000


def name_key(text: str) -> str:
    """Return the key two spellings of one name share: lower case letters and digits only.

    >>> name_key("Pathology LIMS (Win-Path)")
    'pathologylimswinpath'
    """
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


class SystemNames:
    """Resolve names, ids and products of systems to ids.

    Parameters
    ----------
    ids, names, products : iterables of str
        One entry per system, aligned; a name or product may be None.
    """

    def __init__(
        self,
        ids: Iterable[str],
        names: Iterable[str | None],
        products: Iterable[str | None] | None = None,
    ) -> None:
        ids = [str(i).strip().lower() for i in ids]
        self.ids = set(ids)
        frame = pd.DataFrame(
            {
                "id": ids,
                "name": list(names),
                "product": list(products) if products is not None else None,
            },
            dtype="object",
        )
        frame = frame.where(frame.map(lambda v: isinstance(v, str) and bool(v.strip())), None)
        parts = frame["name"].str.extract(r"^(?P<outer>[^()]*)\((?P<inner>[^()]+)\)\s*$")
        # spellings in order of trust: ids and whole names, products, then a name's parts
        levels = [
            [frame["id"], frame["name"]],
            [frame["product"]],
            [parts["outer"], parts["inner"]],
        ]
        lookup: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for spellings in reversed(levels):  # a more trusted level replaces a less trusted one
            level: dict[str, set[str]] = {}
            for column in spellings:
                keys = column.str.casefold().str.replace(r"[^0-9a-z]+", "", regex=True)
                for key, system, spelling in zip(keys, ids, column, strict=True):
                    if isinstance(key, str) and key:
                        level.setdefault(key, set()).add(system)
                        shown[key] = spelling.strip()
            lookup.update(level)
        self._lookup = lookup
        self._shown = shown
        self._names = {key: next(iter(s)) for key, s in lookup.items() if len(s) == 1}

    def _systems(self, key: str) -> set[str]:
        """The systems the most trusted spelling with this key names."""
        return self._lookup.get(key, set())

    @classmethod
    def from_frame(cls, systems: pd.DataFrame) -> SystemNames:
        """Build from a table with ``id`` and ``name`` columns (and ``product``, if any)."""
        present = systems["id"].notna()
        frame = systems[present]

        def column(name: str) -> list:
            if name not in frame:
                return [None] * len(frame)
            return [v if isinstance(v, str) else None for v in frame[name]]

        return cls(frame["id"].astype(str), column("name"), column("product"))

    def find(self, text: str) -> str | None:
        """The id of the one system a name or id fits; None if it fits none or several.

        Cheaper than :meth:`resolve`: no message, no search for a suggestion.
        """
        text = str(text).strip()
        if text.lower() in self.ids:
            return text.lower()
        systems = self._systems(name_key(text))
        return next(iter(systems)) if len(systems) == 1 else None

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """Return ``(id, None)`` for a name or id that fits one system, else ``(None, why)``."""
        text = str(text).strip()
        found = self.find(text)
        if found is not None:
            return found, None
        key = name_key(text)
        systems = self._systems(key)
        if systems:
            return None, (
                f"'{text}' could be any of the systems {', '.join(sorted(systems))}; use the id"
            )
        message = f"'{text}' is not a system in the register"
        near = self.nearest(text)
        if near is not None:
            return None, f"{message}; did you mean {near}?"
        return None, f"{message}; add it to the systems or use its id or name"

    def nearest(self, text: str) -> str | None:
        """The system a name that fits none was most likely meant to be, as "'Its name'
        (its id)": a close spelling, or the start of exactly one system's name ('SystmOne'
        for 'SystmOne Community'); None when nothing is near (or there are too many names
        to search).

        >>> SystemNames(["ris"], ["Radiology RIS"]).nearest("Radiolgy")
        "'Radiology RIS' (ris)"
        """
        key = name_key(text)
        if len(self._names) > SUGGESTION_LIMIT or not key:
            return None
        close = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.8)
        if not close and len(key) >= 4:
            starting = sorted(k for k in self._names if k.startswith(key))
            if len({self._names[k] for k in starting}) == 1:
                close = starting[:1]
        if not close:
            return None
        system = self._names[close[0]]
        return f"'{self._shown.get(close[0], system)}' ({system})"


def system_ids(systems: pd.DataFrame, given: Iterable[str], *, where: str = "") -> list[str]:
    """The ids of the ``given`` systems of ``systems`` (indexed by id, with a ``name``
    column), each its id in any case or spacing or its name as people say it;
    :class:`UnknownSystemError` names those that fit none (``where``: in which inventory),
    with the nearest spelling (or why: a name several systems share) when there is one.

    >>> frame = pd.DataFrame({"name": ["Radiology RIS"]}, index=pd.Index(["ris"], name="id"))
    >>> system_ids(frame, [" RIS ", "Radiology RIS"])
    ['ris', 'ris']
    >>> system_ids(frame, ["Radiolgy"])
    Traceback (most recent call last):
    ...
    inventory.errors.UnknownSystemError: no system 'Radiolgy' (did you mean 'Radiology RIS' (ris)?)
    """
    found: list[str] = []
    missing: list[str] = []
    hints: list[str | None] = []
    names: SystemNames | None = None
    for text in given:
        key = str(text).strip().lower()
        if key in systems.index:
            found.append(key)
            continue
        names = names or SystemNames.from_frame(systems.reset_index())
        system, why = names.resolve(text)
        if system is not None:
            found.append(system)
            continue
        near = names.nearest(text)
        missing.append(str(text))
        hints.append(f"did you mean {near}?" if near else why)
    if missing:
        raise UnknownSystemError(missing, where=where, hint=hints[0] if len(missing) == 1 else None)
    return found
