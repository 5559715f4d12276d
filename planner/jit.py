"""Just-in-time compilation for the few hot loops, with numba when it is installed.

Numba compiles the scheduler's inner loop to machine code (about a microsecond a project
instead of tens); without it the same functions run as plain Python, only slower.
"""

from __future__ import annotations

__all__ = ["njit"]

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a declared dependency

    def njit(*args, **kwargs):
        """Return the function unchanged (numba is not installed)."""
        if args and callable(args[0]):
            return args[0]
        return lambda function: function
