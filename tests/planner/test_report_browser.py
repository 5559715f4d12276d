"""The board pack in a real browser: Debian's Chromium, driven by Playwright (never a
downloaded browser). The page must show every section, open and close the Gantt's groups,
print to A4 with the chart in place of the interactive Gantt, and ask no other host for
anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import planner
from planner.report import build_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright's Python package is not installed"
)
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="Debian's chromium is not installed (.ci/run installs it with apt-get)",
    ),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> tuple[Path, object]:
    report = build_report(
        planner.plan("data/sample-trust"),
        organisation="Northshire Hospitals NHS FT",
        runs=100,
        levers=False,
    )
    path = tmp_path_factory.mktemp("pack") / "report.html"
    return report.write(path), report


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
        chromium = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield chromium
        chromium.close()


def test_the_page_shows_every_section_and_asks_no_other_host(browser, page_path, tmp_path):
    path, report = page_path
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert requested == [path.as_uri()]  # the page itself, nothing else
    for part in report.parts:
        heading = page.locator(f"#{part.key} > h2")
        assert heading.inner_text() == part.title
    assert page.title() == "Legacy replacement roadmap: Northshire Hospitals NHS FT"
    page.screenshot(path=tmp_path / "report.png", full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 100_000
    page.close()


def test_the_gantt_groups_open_and_close(browser, page_path):
    path, _ = page_path
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    groups = page.locator(".gantt details")
    assert groups.count() >= 30  # the sample trust's categories with projects
    first = groups.nth(0)
    bar = first.locator(".row .bar").first
    assert first.get_attribute("open") is None and not bar.is_visible()
    first.locator("summary").click()
    assert first.get_attribute("open") == "" and bar.is_visible()
    tip = bar.get_attribute("title")
    assert "to go-live" in tip and "£" in tip and "risk" in tip
    box = bar.bounding_box()
    assert box is not None and box["width"] >= 3
    first.locator("summary").click()
    assert first.get_attribute("open") is None and not bar.is_visible()
    page.close()


def test_the_gantt_shows_each_approval_and_sign_off_on_its_bar(browser, page_path):
    path, _ = page_path
    units = planner.plan("data/sample-trust").units  # the same plan, made again
    scheduled = units[units["scheduled"]]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    approvals = page.locator(".gantt .ms-approval")
    sign_offs = page.locator(".gantt .ms-safety")
    assert approvals.count() == int((scheduled["approval"] != "").sum())
    assert sign_offs.count() == int(scheduled["safety_signoff"].notna().sum())
    epr = page.locator(".gantt details", has=page.locator("summary strong", has_text="EPR"))
    epr.locator("summary").click()
    mark = epr.locator(".ms-safety").first
    assert mark.is_visible() and "signed off" in mark.get_attribute("title")
    bar = mark.locator("xpath=..").locator(".bar").bounding_box()
    box = mark.bounding_box()
    assert bar["x"] <= box["x"] <= bar["x"] + bar["width"]  # on its bar, before the go-live
    page.close()


def test_the_page_prints_to_a4_with_the_chart_for_the_gantt(browser, page_path, tmp_path):
    path, report = page_path
    page = browser.new_page()
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    assert not page.locator(".gantt").is_visible()
    assert not page.get_by_text("Open a category to see its projects").is_visible()
    assert page.locator("#chart-gantt").is_visible()
    page.pdf(path=tmp_path / "printed.pdf", format="A4")
    reader = PdfReader(tmp_path / "printed.pdf")
    assert len(reader.pages) > len(report.parts)  # the cover and a page or more a part
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width == pytest.approx(595.3, abs=1) and height == pytest.approx(841.9, abs=1)  # A4
    page.close()
