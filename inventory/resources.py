"""Reference data shipped with the package: the default policy, platform lifecycles and the
sample inventories.

In the repository the files live in ``data/`` (``inventory/data`` points there); a wheel
carries them inside the package, so an installed tool finds them wherever it runs. They are
read with :mod:`importlib.resources`, never by a path relative to the source tree.

Examples
--------
>>> default_policy_path().name
'policy.yaml'
>>> sorted(p.name for p in sample_path("sample-trust").iterdir() if p.suffix == ".csv")
['dependencies.csv', 'systems.csv']
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from inventory.errors import InvalidArgumentError, OutputError

__all__ = [
    "SAMPLES",
    "copy_sample",
    "default_lifecycles_path",
    "default_policy_path",
    "sample_path",
]

#: The sample inventories bundled with the package, by name.
SAMPLES = {
    "sample-trust": "sample-trust",
    "five-systems": "examples/five-systems",
}


def _data() -> Path:
    # the package is installed as files (a wheel or the source tree), never zipped, so the
    # traversable is a real folder that pandas, openpyxl and the CLI can open by path
    return Path(str(resources.files("inventory") / "data"))


def default_policy_path() -> Path:
    """The bundled default policy, ``policy.yaml``, which documents every setting."""
    return _data() / "policy.yaml"


def default_lifecycles_path() -> Path:
    """The bundled platform lifecycle table, ``lifecycles.csv``."""
    return _data() / "lifecycles.csv"


def sample_path(name: str = "sample-trust") -> Path:
    """The folder of a bundled sample inventory: ``sample-trust`` (Northshire Hospitals, 252
    systems) or ``five-systems``."""
    if name not in SAMPLES:
        raise InvalidArgumentError(
            "name", f"no sample called '{name}'", hint=f"use one of: {', '.join(SAMPLES)}"
        )
    return _data() / SAMPLES[name]


def copy_sample(name: str, destination: str | Path) -> list[Path]:
    """Copy a bundled sample inventory, with the default policy, into ``destination`` (a new
    or empty folder) to start from; returns the files written."""
    source = sample_path(name)
    target = Path(destination)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidArgumentError(
            "destination",
            f"{target} already exists and is not an empty folder",
            hint="choose a new folder so that nothing is overwritten",
        )
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for file in sorted(source.iterdir()):
            if file.is_file():
                written.append(Path(shutil.copy2(file, target / file.name)))
        written.append(Path(shutil.copy2(default_policy_path(), target / "policy.yaml")))
    except OSError as error:
        raise OutputError(target, error.strerror or str(error)) from error
    return written
