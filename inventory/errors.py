"""One exception hierarchy for the whole tool.

Library code raises these; only the CLI turns them into ``Error: ...`` lines and exit codes.
Data problems found while validating are *collected* into a
:class:`inventory.validate.ValidationReport` instead of being raised one at a time.
"""

from __future__ import annotations

__all__ = [
    "InvalidInventoryError",
    "ModerniseError",
    "StoreBusyError",
    "StoreError",
    "UsageError",
]


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


class InvalidInventoryError(ModerniseError):
    """An inventory (or policy) did not pass validation; ``report`` holds every problem."""

    def __init__(self, report) -> None:  # report: ValidationReport (avoids an import cycle)
        errors = report.errors
        super().__init__(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found in the inventory",
            hint="fix the rows listed and try again; nothing was changed",
        )
        self.report = report


class StoreError(ModerniseError):
    """The SQLite store cannot be opened, is from a newer version, or refused a change."""


class StoreBusyError(StoreError):
    """Another process holds the database lock for longer than the busy timeout."""


class UsageError(ModerniseError):
    """A command was called with arguments that cannot work (a bad option, a missing file)."""
