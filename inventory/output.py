"""Writing outputs whole or not at all, and saying plainly when they cannot be written.

A file is written to a temporary file beside it and moved into place when complete
(:func:`atomic_file`); a folder of outputs is built in a temporary folder beside it, whose name
and ``INCOMPLETE.txt`` say it is unfinished, and swapped into place when complete
(:func:`atomic_folder`). So an error, a full disk or Ctrl-C part way leaves the previous
output as it was, never a mixture of old and new files, and a re-run leaves no stale file
behind. A folder holding files the writer did not write is never replaced (nothing of
yours is deleted), and the working folder itself is refused as an output folder. Nor is a
file replaced that is a SQLite database (a store, or another program's), or, inside
:func:`inputs_kept` (every command), an input the command has read (an inventory exported
over itself).

Every operating-system error on the way becomes :class:`~inventory.errors.OutputError`
("cannot write to PATH: reason").

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with atomic_file(folder / "notes.txt") as temporary:
...     _ = temporary.write_text("written whole")
>>> (folder / "notes.txt").read_text(), sorted(p.name for p in folder.iterdir())
('written whole', ['notes.txt'])
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import secrets
import shutil
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path

from inventory.errors import OutputError

__all__ = [
    "INCOMPLETE_NOTE",
    "atomic_file",
    "atomic_folder",
    "check_output_folder",
    "inputs_kept",
    "note_input",
    "output_path",
]

#: The file a folder holds while it is being written (and after, if the run was stopped).
INCOMPLETE_NOTE = "INCOMPLETE.txt"

_INCOMPLETE_TEXT = (
    "modernise was writing this folder and stopped before it finished, so nothing in it is\n"
    "complete. Run the command again; a finished run replaces this folder with the output.\n"
)


#: The first bytes of every SQLite database file, and of its write-ahead log.
_SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")

#: The input files read inside :func:`inputs_kept` (resolved paths); None outside it.
_INPUTS: contextvars.ContextVar[set[Path] | None] = contextvars.ContextVar("inputs", default=None)


@contextlib.contextmanager
def inputs_kept() -> Iterator[None]:
    """While the block runs, remember every file read (:func:`note_input`) and refuse to
    write an output over one: a command never replaces its own inputs. Outside such a block
    (the Python API) a file may be written back where it was read.

    >>> folder = Path(tempfile.mkdtemp()); (folder / "in.csv").write_text("id")
    2
    >>> with inputs_kept():
    ...     note_input(folder / "in.csv")
    ...     try:
    ...         with atomic_file(folder / "in.csv"):
    ...             pass
    ...     except OutputError as error:
    ...         print(str(error).split(": ", 1)[1].split(";")[0])
    it is an input of this command
    """
    token = _INPUTS.set(set())
    try:
        yield
    finally:
        _INPUTS.reset(token)


def note_input(path: str | Path) -> None:
    """Remember ``path`` as an input, so that no output of the command replaces it (every
    reader calls this for each file it reads; see :func:`inputs_kept`)."""
    inputs = _INPUTS.get()
    if inputs is not None:
        inputs.add(Path(path).resolve())


def _refuse_replacing(path: Path) -> None:
    """Refuse to write over ``path`` when it is an input of the command (:func:`inputs_kept`)
    or a SQLite database."""
    inputs = _INPUTS.get()
    if inputs is not None and path.resolve() in inputs:
        raise OutputError(
            path,
            "it is an input of this command; name another file for the output (nothing "
            "was changed)",
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return  # unreadable: the write itself will say why
    if header == _SQLITE_HEADER or header.startswith(_SQLITE_WAL_HEADERS):
        raise OutputError(
            path,
            "it is a SQLite database (a modernise store?), which no output replaces; "
            "name another file (nothing was changed)",
        )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def output_path(path: str | Path) -> Path:
    """``path`` as an output's path; an empty path or the working folder itself is refused.

    >>> output_path("")
    Traceback (most recent call last):
    ...
    inventory.errors.OutputError: cannot write to '': an empty path names no file or folder
    """
    if str(path).strip() == "":
        raise OutputError("''", "an empty path names no file or folder")
    return Path(path)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Write a file whole or not at all: yield a temporary path beside ``path`` (with the
    same suffix) and, when the block ends, move it into place.

    If the block fails or is interrupted, the temporary file is removed and ``path`` keeps
    what it held. A target that exists but is not a regular file (``/dev/stdout``, a pipe)
    is written directly. Operating-system errors become :class:`OutputError`.
    """
    path = output_path(path)
    if path.is_dir():
        raise OutputError(path, "it is a folder; name a file")
    if path.exists() and not path.is_file():
        try:
            yield path
        except OSError as error:
            raise OutputError(path, _reason(error)) from error
        return
    if path.is_file():
        _refuse_replacing(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{path.stem}.incomplete-", suffix=path.suffix, dir=path.parent
        )
        os.close(handle)
    except OSError as error:
        raise OutputError(path, _reason(error)) from error
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(path, _reason(error)) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


#: How many entries that are not ours a refused output folder lists (the walk stops there:
#: ``--out /`` would otherwise walk the whole file system first).
_FOREIGN_SHOWN = 100


def _foreign(folder: Path, ours: Collection[str]) -> list[str]:
    """Entries of ``folder`` (relative POSIX paths, in name order folder by folder) that are
    not among ``ours``; at most :data:`_FOREIGN_SHOWN` + 1 (more than that: 'and more')."""
    found: list[str] = []
    for top, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted([*folders, *files]):
            relative = (Path(top) / name).relative_to(folder).as_posix()
            if relative not in ours:
                found.append(relative)
                if len(found) > _FOREIGN_SHOWN:
                    return found
    return found


def check_output_folder(path: str | Path, ours: Collection[str]) -> Path:
    """``path`` as an output folder :func:`atomic_folder` may write, or :class:`OutputError`
    (a file, the working folder, or a folder holding what is not ``ours``): a writer that
    works long before it writes asks first."""
    path = output_path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(path, "it is a file; name a folder")
    if path.exists() and path.resolve() == Path.cwd().resolve():
        raise OutputError(path, "it is the working folder; name a new folder for the output")
    if path.is_dir():
        foreign = _foreign(path, {*ours, INCOMPLETE_NOTE})
        if foreign:
            more = (
                " and more"
                if len(foreign) > _FOREIGN_SHOWN
                else f" and {len(foreign) - 1} more"
                if len(foreign) > 1
                else ""
            )
            raise OutputError(
                path,
                f"it holds {foreign[0]}{more}, which this did not write; name a new or empty "
                "folder (nothing was changed)",
            )
    return path


@contextlib.contextmanager
def atomic_folder(path: str | Path, ours: Collection[str]) -> Iterator[Path]:
    """Write a folder of outputs whole or not at all: yield a temporary folder beside
    ``path`` and, when the block ends, swap it into place.

    ``ours`` lists the relative paths (files and folders) the writer may write; an existing
    folder holding anything else is refused (nothing of yours is deleted), as are a file
    and the working folder. While it is written the temporary folder is named
    ``.NAME.incomplete-...`` and holds ``INCOMPLETE.txt``; if the block fails or is
    interrupted it is removed and ``path`` keeps its previous contents.
    """
    path = check_output_folder(path, ours)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.incomplete-", dir=path.parent))
        (temporary / INCOMPLETE_NOTE).write_text(_INCOMPLETE_TEXT, encoding="utf-8")
    except OSError as error:
        raise OutputError(path, _reason(error)) from error
    try:
        yield temporary
        (temporary / INCOMPLETE_NOTE).unlink()
        temporary.chmod(0o777 & ~_UMASK)
        _swap(temporary, path)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise OutputError(path, _reason(error)) from error
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _swap(new: Path, path: Path) -> None:
    """Move ``new`` to ``path``; a previous folder there is moved aside first and removed
    after (or put back if the move fails)."""
    if not path.exists():
        os.rename(new, path)
        return
    old = path.with_name(f".{path.name}.previous-{secrets.token_hex(4)}")
    os.rename(path, old)
    try:
        os.rename(new, path)
    except BaseException:  # an error or Ctrl-C between the two moves: put the old one back
        os.rename(old, path)
        raise
    shutil.rmtree(old, ignore_errors=True)
