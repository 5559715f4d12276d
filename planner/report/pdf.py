"""The report as a PDF, drawn with fpdf2 from the same parts as the HTML page: a cover,
then each part with its text, notes, facts, tables (headings repeated on every page) and
charts (vector, from the same SVG). The interactive Gantt has no place on paper; the
chart by category stands for it, as in the printed page.

fpdf2 is pure Python (with Pillow and fontTools): it needs no system library and no
browser, so ``pip install`` alone sets it up. Text is set in DejaVu Sans, which
matplotlib ships, so any character a system name holds can be drawn.

Examples
--------
>>> import planner
>>> from planner.report import build_report
>>> report = build_report(planner.plan("data/examples/five-systems"), runs=50, levers=False)
>>> report_pdf(report)[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from planner.report.blocks import Alert, Facts, Note, Part, Table, Text
from planner.report.figures import Chart, svg_document

__all__ = ["report_pdf"]

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_BLUE = (0, 94, 184)
_GREY = (76, 98, 114)
_PALE = (240, 244, 245)
_DARK = (33, 43, 50)
_RED = (178, 24, 43)
_PINK = (251, 234, 236)


class _Paper(FPDF):
    """A4 pages with the report's title and the page number at the foot."""

    def __init__(self, footer: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(_FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_font("DejaVu", size=9.5)
        self.set_text_color(*_DARK)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-11)
        self.set_font("DejaVu", size=7.5)
        self.set_text_color(*_GREY)
        self.cell(0, 5, f"{self.footer_text} · page {self.page_no()}", align="C")
        self.set_text_color(*_DARK)


def _cover(pdf: _Paper, report) -> None:
    pdf.add_page()
    pdf.set_y(60)
    pdf.set_font("DejaVu", "B", 14)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(0, 7, report.organisation, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 26)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(0, 12, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(
        0, 8, f"Board paper · {report.date:%-d %B %Y}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if report.headline:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_text_color(*(_RED if report.unscheduled else _DARK))
        pdf.multi_cell(0, 6, report.headline, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*_DARK)
    pdf.ln(6)
    _facts(
        pdf,
        [
            ("Plan version", report.version),
            ("Plan period", report.period),
            ("Prepared with", f"modernise {report.manifest['tool']['version']}"),
        ],
    )
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 12)
    pdf.set_text_color(*_BLUE)
    pdf.cell(0, 8, "Contents", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(*_DARK)
    number = 0
    for part in report.parts:
        number += not part.annex
        label = part.title if part.annex else f"{number}. {part.title}"
        pdf.cell(0, 5.5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _Paper, title: str) -> None:
    pdf.set_font("DejaVu", "B", 15)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*_BLUE)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    _thin_rules(pdf)
    pdf.set_text_color(*_DARK)
    pdf.set_font("DejaVu", "", 9.5)


def _thin_rules(pdf: _Paper) -> None:
    """The lines between table rows: thin and grey (a heading's rule is thick and blue)."""
    pdf.set_draw_color(216, 221, 224)
    pdf.set_line_width(0.2)


def _text(pdf: _Paper, block: Text) -> None:
    pdf.set_font("DejaVu", "", 9.5)
    pdf.multi_cell(0, 5, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _note(pdf: _Paper, block: Note) -> None:
    pdf.set_font("DejaVu", "I", 9)
    pdf.set_fill_color(*_PALE)
    pdf.multi_cell(
        0, 5, block.text, fill=True, padding=2, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(2)


def _alert(pdf: _Paper, block: Alert) -> None:
    """Set apart in red: a red rule on the left of a pale red box, bold dark red text."""
    pdf.set_font("DejaVu", "B", 9.5)
    pdf.set_fill_color(*_PINK)
    pdf.set_text_color(122, 15, 29)
    top = pdf.get_y()
    pdf.multi_cell(
        0, 5, block.text, fill=True, padding=(2, 2, 2, 4), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if pdf.get_y() > top:  # on the same page: draw the rule beside it
        pdf.set_fill_color(*_RED)
        pdf.rect(pdf.l_margin, top, 1.4, pdf.get_y() - top, style="F")
    pdf.set_fill_color(*_PALE)  # tables fill their rows with the current colour
    pdf.set_text_color(*_DARK)
    pdf.ln(2)


def _facts(pdf: _Paper, items: list[tuple[str, str]]) -> None:
    pdf.set_font("DejaVu", "", 9)
    _thin_rules(pdf)
    with pdf.table(
        col_widths=(35, 65),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        text_align="LEFT",
        line_height=5,
        padding=1.2,
    ) as table:
        for label, value in items:
            row = table.row()
            row.cell(label, style=FontFace(color=_GREY))
            row.cell(value, style=FontFace(emphasis="BOLD"))
    pdf.ln(3)


_CELL_PADDING = 1.0


def _widths(pdf: _Paper, block: Table) -> list[float]:
    """Column widths in mm: each column as wide as its longest value (and its heading's
    longest word); when that is wider than the page, every column keeps room for its
    longest word and the rest of the page is shared by how much more each would take."""
    size = pdf.font_size_pt
    extra = 2 * _CELL_PADDING + 1.0

    def longest_word(texts: list[str]) -> float:
        return max((pdf.get_string_width(w) for t in texts for w in t.split()), default=3.0)

    pdf.set_font("DejaVu", "B", size)  # headings are bold
    headings = [longest_word([h]) for h in block.columns]
    pdf.set_font("DejaVu", "", size)
    natural, least = [], []
    for i, heading in enumerate(headings):
        cells = [row[i] for row in block.rows[:300]]
        widest = max((pdf.get_string_width(c) for c in cells), default=0.0)
        natural.append(max(heading, widest, 3.0) + extra)
        least.append(max(heading, longest_word(cells)) + extra)
    page = pdf.epw - 0.01
    if sum(natural) <= page:
        return natural
    room = page - sum(least)
    if room <= 0:  # not even one word a column fits: shrink every column alike
        return [w * page / sum(least) for w in least]
    more = [n - m for n, m in zip(natural, least, strict=True)]
    return [m + room * x / sum(more) for m, x in zip(least, more, strict=True)]


def _table(pdf: _Paper, block: Table) -> None:
    if block.caption:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(0, 6, block.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    columns = len(block.columns)
    pdf.set_font("DejaVu", "", 7 if columns > 8 else 8)
    widths = _widths(pdf, block)
    aligns = tuple("RIGHT" if n else "LEFT" for n in block.numeric)
    _thin_rules(pdf)
    with pdf.table(
        width=min(sum(widths), pdf.epw),
        align="LEFT",
        col_widths=widths,
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=_BLUE),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=4,
        padding=_CELL_PADDING,
        repeat_headings=1,
    ) as table:
        table.row(block.columns)
        for cells in block.rows:
            table.row(cells)
    pdf.ln(3)


def _aspect(svg: str) -> float:
    """Height over width of an SVG, from its viewBox."""
    found = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return float(found.group(2)) / float(found.group(1)) if found else 0.6


def _chart(pdf: _Paper, chart: Chart) -> None:
    """A chart the page's width (or less, to fit a page), with its caption: shrunk a little
    to fit the rest of this page, or else on a new page of the same orientation."""
    aspect = _aspect(chart.svg)

    def size(room: float) -> tuple[float, float]:
        width = pdf.epw
        height = width * aspect
        return (width * room / height, room) if height > room else (width, height)

    caption = 12  # mm: the caption and the space after it
    width, height = size(pdf.h - pdf.t_margin - pdf.b_margin - caption)
    room = pdf.h - pdf.b_margin - pdf.get_y() - caption
    if height > room:
        if room >= 0.8 * height:
            width, height = size(room)
        else:
            pdf.add_page(orientation=pdf.cur_orientation.value)
    svg = svg_document(chart.svg).encode("utf-8")
    # fpdf2 draws a glyph (<use>) in the current fill colour, not its group's: set it to
    # the charts' text colour, or a table's white heading text would leave labels blank
    pdf.set_fill_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.image(io.BytesIO(svg), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
    pdf.set_font("DejaVu", "I", 8)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(0, 4.5, chart.caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_DARK)
    pdf.ln(2)


#: A part with a table this wide (or a wide chart) is set on landscape pages.
_LANDSCAPE_COLUMNS = 10


def _part(pdf: _Paper, part: Part) -> None:
    wide = any(
        (isinstance(b, Table) and len(b.columns) >= _LANDSCAPE_COLUMNS)
        or (isinstance(b, Chart) and b.wide)
        for b in part.blocks
    )
    pdf.add_page(orientation="L" if wide else "P")
    _heading(pdf, part.title)
    for block in part.blocks:
        if isinstance(block, Text):
            _text(pdf, block)
        elif isinstance(block, Note):
            _note(pdf, block)
        elif isinstance(block, Alert):
            _alert(pdf, block)
        elif isinstance(block, Facts):
            _facts(pdf, block.items)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Chart):
            _chart(pdf, block)


def report_pdf(report) -> bytes:
    """The report (a :class:`~planner.report.document.Report`) as PDF bytes."""
    pdf = _Paper(f"{report.title} · {report.organisation} · plan {report.version}")
    pdf.set_title(report.title)
    pdf.set_author(report.organisation)
    pdf.set_creator("modernise")
    pdf.set_creation_date(report.date.to_pydatetime())
    _cover(pdf, report)
    for part in report.parts:
        _part(pdf, part)
    return bytes(pdf.output())
