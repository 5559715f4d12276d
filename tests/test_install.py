"""The package as a user installs it: a wheel, a fresh environment, a folder far from the
checkout. The bundled policy, lifecycles and sample trust must travel inside the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args: object, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    # as a user's shell would have it: no PYTHONPATH pointing back into a checkout
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new virtual environment with the wheel installed; its dependencies come from the
    test environment's site-packages (read through a .pth line, so the checkout's own
    editable install is not seen)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy, so that building leaves the checkout untouched
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "out",
            "build",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
            "node_modules",
        ),
    )
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--quiet",
        "--wheel-dir",
        work / "dist",
        source,
        cwd=work,
    )
    (wheel,) = (work / "dist").glob("modernise-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in (
        "inventory/data/policy.yaml",
        "inventory/data/lifecycles.csv",
        "inventory/data/sample-trust/systems.csv",
        "inventory/data/sample-trust/northshire-trust.xlsx",
        "inventory/data/examples/five-systems/systems.csv",
        "planner/report/templates/report.html.j2",
        "planner/report/templates/report.css",
    ):
        assert bundled in names, bundled
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    python = venv / "bin" / "python"
    purelib = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=work)
    return venv


def test_the_installed_tool_plans_the_bundled_sample_trust_outside_the_checkout(
    installed, tmp_path
):
    elsewhere = tmp_path / "board"
    elsewhere.mkdir()
    where = run(
        installed / "bin" / "python",
        "-c",
        "import planner; print(planner.__file__); print(planner.load_policy().plan_start.date())",
        cwd=elsewhere,
    ).stdout.split()
    assert str(installed) in where[0] and where[1] == "2027-04-01"
    modernise = installed / "bin" / "modernise"
    run(modernise, "sample", "northshire", cwd=elsewhere)
    assert (elsewhere / "northshire" / "policy.yaml").exists()
    done = run(modernise, "roadmap", "northshire", "--out", "roadmap", cwd=elsewhere)
    assert "Wrote" in done.stdout
    written = {p.name for p in (elsewhere / "roadmap").iterdir()}
    assert {"summary.md", "roadmap.xlsx", "roadmap.xml", "roadmap.png"} <= written
    assert {"report.html", "manifest.json", "unsupported-systems.csv"} <= written
    page = (elsewhere / "roadmap" / "report.html").read_text()
    assert 'id="summary"' in page and "http" not in page  # the template travelled
    summary = (elsewhere / "roadmap" / "summary.md").read_text()
    assert "projects planned" in summary and ", Apr 2027 to " in summary
