"""One exception hierarchy for the whole tool (library and command line).

Library code raises these; only the command line turns them into ``Error: ...`` lines and
exit codes. Each error subclasses the builtin it refines, so ``except KeyError`` or ``except
ValueError`` in a notebook catches what it would expect, and carries the ids or paths it is
about. Messages speak of arguments, settings and files, never of command-line flags. Data
problems found while validating are *collected* into a
:class:`inventory.report.ValidationReport` and raised together, not one at a time.

::

    ModerniseError
    +-- InvalidInventoryError (ValueError)   an inventory with errors; .report lists them
    +-- InvalidPolicyError (ValueError)      a policy with errors; .report lists them
    +-- InvalidArgumentError (ValueError)    an argument that cannot work; .argument names it
    |   +-- ArgumentTypeError (TypeError)    an argument of the wrong type; .expected
    +-- UnknownSystemError (KeyError)        ids not in the inventory; .ids
    +-- InventoryFileError (ValueError)      a file that cannot be read at all; .path
    |   +-- MissingFileError (FileNotFoundError)
    +-- StoreError                           the SQLite store refused or is not a store
    |   +-- StoreBusyError (TimeoutError)    another process holds the lock too long
    +-- OutputError (OSError)                an output cannot be written; .path names it
    +-- SolverError (RuntimeError)           the optimiser is missing or found no plan

Examples
--------
>>> error = UnknownSystemError(["lims-2"])
>>> isinstance(error, KeyError), str(error), error.ids
(True, "no system 'lims-2'", ('lims-2',))
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report module imports nothing from here; this only types it
    from inventory.report import ValidationReport

__all__ = [
    "ArgumentTypeError",
    "EmptyStoreError",
    "InvalidArgumentError",
    "InvalidInventoryError",
    "InvalidPolicyError",
    "InventoryFileError",
    "MissingFileError",
    "ModerniseError",
    "OutputError",
    "SolverError",
    "StoreBusyError",
    "StoreError",
    "UnknownSystemError",
]

#: How many problems an exception's own text lists before saying how many more there are.
LISTED_PROBLEMS = 10


class ModerniseError(Exception):
    """Base class for every error the tool reports to a user.

    Parameters
    ----------
    message : str
        What went wrong, in the user's terms.
    hint : str, optional
        How to fix it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class _ReportError(ModerniseError, ValueError):
    """An error carrying a validation report; its text lists the first problems."""

    what = "the input"

    def __init__(self, report: ValidationReport, *, hint: str) -> None:
        errors = report.errors
        count = len(errors)
        sources = list(dict.fromkeys(issue.source for issue in errors))
        named = ", ".join(sources[:3]) + (
            f" and {len(sources) - 3} more" if len(sources) > 3 else ""
        )
        origin = f" from {named}" if sources else ""
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in {self.what}{origin}", hint=hint
        )
        self.report = report

    def __str__(self) -> str:
        lines = [str(issue) for issue in self.report.sorted() if issue.severity == "error"]
        shown = "\n".join(f"  {line}" for line in lines[:LISTED_PROBLEMS])
        more = len(lines) - LISTED_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        return f"{super().__str__()}:\n{shown}{tail}" if lines else super().__str__()


class InvalidInventoryError(_ReportError):
    """An inventory did not pass validation; ``report`` holds every problem."""

    what = "the inventory"

    def __init__(self, report: ValidationReport, *, own_layout: bool = False) -> None:
        #: the file lacks the standard columns: most likely a register kept in its own
        #: layout, to be read through a column mapping
        self.own_layout = own_layout
        super().__init__(
            report,
            hint="a register kept in its own layout? inventory.propose_mapping(path) proposes "
            "a column mapping to review; then read it with mapping=; nothing was changed"
            if own_layout
            else "fix the rows listed and try again; nothing was changed",
        )


class InvalidPolicyError(_ReportError):
    """A policy file or override has problems; ``report`` lists each one."""

    what = "the policy"

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(
            report, hint="fix the settings listed; the default policy.yaml documents each one"
        )


class InvalidArgumentError(ModerniseError, ValueError):
    """A function was called with an argument that cannot work; ``argument`` names it."""

    def __init__(self, argument: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.argument = argument


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument of the wrong type: the message names the argument, the type expected and
    the type given.

    >>> str(ArgumentTypeError("source", "a path, an Inventory or None", 42))
    'source must be a path, an Inventory or None, not int (42)'
    """

    def __init__(self, argument: str, expected: str, value: object) -> None:
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        super().__init__(
            argument, f"{argument} must be {expected}, not {type(value).__name__} ({shown})"
        )
        self.expected = expected


class UnknownSystemError(ModerniseError, KeyError):
    """Systems asked for by id are not in the inventory; ``ids`` lists them."""

    def __init__(self, ids: Iterable[str], *, where: str = "", hint: str | None = None) -> None:
        self.ids = tuple(ids)
        names = ", ".join(repr(i) for i in self.ids)
        noun = "system" if len(self.ids) == 1 else "systems"
        super().__init__(f"no {noun} {names}{f' {where}' if where else ''}", hint=hint)


class InventoryFileError(ModerniseError, ValueError):
    """A file could not be read at all (wrong format, unreadable encoding, damaged);
    ``own_layout``: it is most likely a register kept in its own layout (a workbook without
    a 'systems' sheet), to be read through a column mapping."""

    own_layout = False

    def __init__(
        self, path: Path | str, message: str, *, hint: str | None = None, own_layout: bool = False
    ) -> None:
        super().__init__(f"{Path(path).name}: {message}", hint=hint)
        self.path = str(path)
        self.own_layout = own_layout


class MissingFileError(InventoryFileError, FileNotFoundError):
    """A file or folder named as input does not exist; the message gives the full path and
    the working folder, since a relative path is read from there."""

    def __init__(self, path: Path | str, *, what: str = "file or folder") -> None:
        full = Path(path).absolute()
        ModerniseError.__init__(
            self,
            f"{Path(path).name}: no such {what} ({full})",
            hint=f"check the path; relative paths are read from {Path.cwd()}",
        )
        self.path = str(path)


class StoreError(ModerniseError):
    """The SQLite store cannot be opened, is from a newer version, or refused a change."""


class EmptyStoreError(StoreError):
    """There is no store at the path, or it holds no inventory yet."""


class StoreBusyError(StoreError, TimeoutError):
    """Another process holds the database lock for longer than the busy timeout."""


class OutputError(ModerniseError, OSError):
    """An output file or folder cannot be written ("cannot write to PATH: reason"): a
    read-only or full disk, a file where a folder is wanted, a folder holding other files.

    >>> str(OutputError("out/roadmap.xlsx", "No space left on device"))
    'cannot write to out/roadmap.xlsx: No space left on device'
    """

    def __init__(self, path: Path | str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"cannot write to {path}: {reason}", hint=hint)
        self.path = str(path)


class SolverError(ModerniseError, RuntimeError):
    """The optimising scheduler is not installed, or found no plan in its time limit."""
