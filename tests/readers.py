"""Independent readers of what modernise writes: programs we did not write read each output
as its next reader would, and say what they found wrong.

- MS Project XML and SVG: ``xml.etree`` (an XML 1.0 parser);
- Markdown: markdown-it-py (CommonMark with tables): no heading, link, image or HTML but
  the summary's own, and every name shown as written;
- XLSX: openpyxl (no formula cell; no text a spreadsheet would run);
- CSV: the csv module (no cell a spreadsheet would run);
- JSON: the json module, strictly (no NaN or Infinity; text that is UTF-8);
- Mermaid: Mermaid's own parser under Node (:class:`MermaidReader`), installed with npm
  into ``tests/data/mermaid`` the first time it is needed.

Shared by the corpus (``tests/test_corpus.py``), the property tests
(``tests/test_hostile.py``) and ``tools/soak.py``.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from markdown_it import MarkdownIt

from inventory.characters import one_line

MERMAID_DIR = Path(__file__).resolve().parent / "data" / "mermaid"

#: The summary's own headings, in order (a heading ending in "(" is there only when the plan
#: has such rows, and is followed by its count), and its figures.
SUMMARY_HEADINGS = (
    "Headline dates",
    "Spend per financial year",
    "Running cost per financial year",
    "Contracts to extend (",
    "Top risks",
    "Accepted risks (",
    "Warnings",
)
SUMMARY_IMAGES = {"roadmap-by-category.png", "spend-by-year.png", "risk-burndown.png"}

_FORMULA_START = ("=", "+", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d[\d,.]*(e[+-]?\d+)?$", re.I)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def json_problems(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:
        return [f"{path.name}: {error}"]
    problems: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(f"{path.name}: text {item!r} is not UTF-8")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return problems


def xml_problems(path: Path) -> list[str]:
    try:
        ET.parse(path)
    except ET.ParseError as error:
        return [f"{path.name}: not well-formed XML: {error}"]
    return []


def _runs_as_formula(value: str) -> bool:
    return value.startswith(_FORMULA_START) or (value.startswith("-") and not _NUMBER.match(value))


def xlsx_problems(path: Path) -> list[str]:
    problems = []
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{path.name}[{sheet.title}] {cell.coordinate} is a formula")
                elif (  # formula-like text is safe in a cell marked as text (quote prefix)
                    isinstance(cell.value, str)
                    and _runs_as_formula(cell.value)
                    and not cell.quotePrefix
                ):
                    problems.append(f"{path.name}[{sheet.title}] {cell.coordinate} would run")
    return problems


def csv_problems(path: Path) -> list[str]:
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), 1):
            for value in row:
                if _runs_as_formula(value):
                    problems.append(f"{path.name} row {number}: {value[:40]!r} would run")
    return problems


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _plain(inline) -> str:
    return "".join(
        t.content
        for t in inline.children or ()
        if t.type in ("text", "text_special", "code_inline")
    )


def _summary_headings(headings: list[tuple[str, str]]) -> bool:
    """Whether the headings are one title and then the summary's own, in order."""
    if [tag for tag, _ in headings[:1]] != ["h1"] or any(t != "h2" for t, _ in headings[1:]):
        return False
    found = iter(text for _, text in headings[1:])
    current: str | None = next(found, None)
    for heading in SUMMARY_HEADINGS:
        optional = heading.endswith("(")
        if current is not None and (
            current.startswith(heading) if optional else current == heading
        ):
            current = next(found, None)
        elif not optional:
            return False
    return current is None


def markdown_problems(text: str, names: Iterable[str] = (), title: str | None = None) -> list[str]:
    """What a Markdown reader finds wrong in a summary: a heading, link, image or HTML
    the summary did not write itself, or a name (or the title) not shown as written."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    problems = []
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((token.tag, _plain(tokens[index + 1])))
    if not _summary_headings(headings):
        problems.append(f"summary.md: headings {headings} are not the summary's own")
    if title is not None and headings and headings[0][1] != one_line(title).strip():
        problems.append(f"summary.md: the title reads {headings[0][1]!r}, not {title!r}")
    for token in _walk(tokens):
        if token.type in ("link_open", "html_inline", "html_block", "autolink"):
            problems.append(f"summary.md: a {token.type} appeared: {token.content or token.attrs}")
        if token.type == "image" and token.attrs.get("src") not in SUMMARY_IMAGES:
            problems.append(f"summary.md: an image of {token.attrs.get('src')!r} appeared")
    shown = "\n".join(_plain(t) for t in tokens if t.type == "inline")
    for name in names:
        if one_line(name).strip() not in shown:
            problems.append(f"summary.md: {one_line(name)[:60]!r} is not shown as written")
    return problems


def folder_problems(folder: Path) -> list[str]:
    """Every output in a folder read by its independent reader (Mermaid apart)."""
    problems: list[str] = []
    for path in sorted(Path(folder).rglob("*")):
        suffix = path.suffix.lower()
        if suffix in (".xml", ".svg"):
            problems += xml_problems(path)
        elif suffix == ".json":
            problems += json_problems(path)
        elif suffix == ".xlsx":
            problems += xlsx_problems(path)
        elif suffix == ".csv":
            problems += csv_problems(path)
        elif suffix == ".md":
            problems += markdown_problems(path.read_text(encoding="utf-8"))
    return problems


# --- Mermaid ---------------------------------------------------------------------------


def mermaid_unavailable() -> str | None:
    """Why Mermaid's parser cannot run here (None when it can), installing it if needed."""
    if shutil.which("node") is None:
        return "node is not installed"
    if (MERMAID_DIR / "node_modules" / "mermaid").exists():
        return None
    if shutil.which("npm") is None:
        return "npm is not installed, so Mermaid's parser cannot be fetched"
    with (MERMAID_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one install when test workers start together
        if not (MERMAID_DIR / "node_modules" / "mermaid").exists():
            done = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--silent"],
                cwd=MERMAID_DIR,
                capture_output=True,
                text=True,
                timeout=900,
            )
            if done.returncode != 0:
                return f"npm could not install Mermaid: {done.stderr.strip()[-300:]}"
    return None


class MermaidReader:
    """Mermaid's parser in one Node process: :meth:`read` a diagram's text, get what
    Mermaid understood (title, sections, tasks) or its error."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(MERMAID_DIR / "read.mjs")],
            cwd=MERMAID_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def read(self, text: str) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(text) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        self.process.wait(timeout=30)
        if self.process.stdout:
            self.process.stdout.close()

    def problems(self, text: str, names: list[str], title: str) -> list[str]:
        """What Mermaid read differently from what was written: a parse error, a task lost
        or renamed (a keyword, comment or directive taking over), another title. A name is
        compared as Mermaid draws it (its entity codes decoded, as its renderer does) with
        the name on one line."""
        found = self.read(text)
        if not found["ok"]:
            return [f"roadmap.mmd: Mermaid cannot parse it: {found['error'][:300]}"]
        problems = []
        tasks = sorted(drawn(t["task"]) for t in found["tasks"])
        expected = sorted(written(name) for name in names)
        if tasks != expected:
            problems.append(f"roadmap.mmd: Mermaid read the tasks {tasks}, not {expected}")
        if drawn(found["title"]) != written(title):
            problems.append(f"roadmap.mmd: Mermaid read the title {found['title']!r}")
        return problems


def drawn(text: str) -> str:
    """Text as Mermaid draws it: its entity placeholders decoded (``decodeEntities``, then
    the HTML entity), without the zero-width space that keeps a keyword a word."""
    text = re.sub("\ufb02\xb0\xb0(\\d+)\xb6\xdf", lambda m: chr(int(m[1])), text)
    text = re.sub("\ufb02\xb0(\\w+)\xb6\xdf", lambda m: html.unescape(f"&{m[1]};"), text)
    return text.removeprefix("\u200b").strip()


#: What JavaScript's regular expressions (and so Mermaid's lexer) read as white space.
_JS_SPACE = re.compile("[\\s\ufeff]+")


def written(text: str, empty: str = "task") -> str:
    """A name as it should be drawn: on one line, runs of white space as one."""
    return _JS_SPACE.sub(" ", one_line(text)).strip() or empty
