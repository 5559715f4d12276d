"""What every chart shares: colours (criticality, a colour-blind-safe palette, the
domains a board recognises), text from data drawn as text (:func:`label`), the fonts, and
:func:`save`.

Nothing here calls ``show()`` or chooses a matplotlib backend; the command line chooses its
own, and a notebook keeps its inline one.

Text from the inventory is drawn as written: :func:`label` escapes the ``$`` that would
start matplotlib's mathtext and replaces characters no output can carry, and :func:`save`
draws every text plainly (no mathtext) in :data:`FONTS` (DejaVu Sans, then Noto Sans CJK for
Chinese, Japanese and Korean), with no warning per missing glyph.

Examples
--------
>>> label("Costs in $ and £: $x^2$")
'Costs in \\\\$ and £: \\\\$x^2\\\\$'
"""

from __future__ import annotations

import functools
import logging
import warnings
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
from matplotlib import cbook, font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter

from inventory.characters import one_line, printable
from inventory.errors import InvalidArgumentError
from inventory.output import atomic_file

__all__ = [
    "CRITICALITY_COLOURS",
    "DOMAINS",
    "DOMAIN_OF",
    "FONTS",
    "MAX_PNG_PIXELS",
    "PALETTE",
    "figure_of",
    "fonts",
    "label",
    "month_axis",
    "new_figure",
    "palette_for",
    "png_dpi",
    "save",
]

#: The fonts charts draw in, in order of preference; a character missing from the first is
#: drawn from the next that has it (DejaVu Sans ships with matplotlib; Noto Sans CJK JP with
#: the ``noto-cjk-sans-jp-regular`` package, a dependency).
FONTS = ("DejaVu Sans", "Noto Sans CJK JP")

#: Warnings matplotlib gives per character or script it cannot draw (one per glyph, so a
#: name in an unsupported script printed a dozen); such characters are drawn as boxes.
_GLYPH_WARNINGS = (r"Glyph \d+ .*missing from", r"Matplotlib currently does not support")


def label(text: object) -> str:
    """Text from data for a chart: one line, ``$`` escaped (no mathtext), and characters no
    output can carry replaced."""
    return one_line(str(text)).replace("$", r"\$")


@functools.cache
def fonts() -> list[str]:
    """The families of :data:`FONTS` that are installed (the CJK font is registered with
    matplotlib the first time this is called)."""
    try:
        import noto_cjk_sans_jp_regular as cjk  # type: ignore[import-untyped]

        font_manager.fontManager.addfont(str(cjk.FONT_PATH))
    except (ImportError, OSError, RuntimeError):  # not installed, or unreadable: DejaVu only
        pass
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [family for family in FONTS if family in installed]


def _as_written(text: str) -> str:
    """Text matplotlib would draw without mathtext, for a Text that never parses it: the
    ``\\$`` of :func:`label` back to ``$``, unprintable characters replaced."""
    if not cbook.is_math_text(text):
        text = text.replace(r"\$", "$")
    return printable(text)


def _plain_text(figure: Figure) -> None:
    """Every text in ``figure`` drawn as written (no mathtext, printable characters only)
    in :func:`fonts`, whatever made it."""
    families = fonts()
    for text in figure.findobj(Text):
        current = text.get_text()
        if text.get_parse_math():
            text.set_parse_math(False)
            text.set_text(_as_written(current))
        elif printable(current) != current:
            text.set_text(printable(current))
        text.set_fontfamily(families)
    for ax in figure.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            for formatter in (axis.get_major_formatter(), axis.get_minor_formatter()):
                _labels_as_written(formatter)


def _labels_as_written(formatter: Formatter) -> None:
    """The tick labels a formatter was given, as :func:`_as_written` draws them (they are set
    again from it on every draw): a FixedFormatter's, or the position-to-label dict that
    ``set_ticks(..., labels)`` keeps in a FuncFormatter (matplotlib 3.9 on); any other
    formatter makes its own labels and is left as it is."""
    if isinstance(formatter, FixedFormatter):
        formatter.seq = [_as_written(str(item)) for item in formatter.seq]
    elif isinstance(formatter, FuncFormatter):
        func = formatter.func
        if (
            isinstance(func, functools.partial)
            and len(func.args) == 1
            and isinstance(func.args[0], dict)
        ):
            labels = {at: _as_written(str(text)) for at, text in func.args[0].items()}
            formatter.func = functools.partial(func.func, labels, **func.keywords)


CRITICALITY_COLOURS = {
    "critical": "#b2182b",
    "high": "#ef8a62",
    "medium": "#fddbc7",
    "low": "#d1e5f0",
    None: "#e0e0e0",
}
SUPPORTED_FORMATS = (".png", ".svg", ".pdf")


#: The most pixels a PNG is drawn with (4 bytes each while drawing, and as many again to
#: encode): a figure that needs more at the dpi asked is drawn at a lower dpi. At 150 dpi
#: the Gantt of 10,000 projects would be 2,250 x 234,834 pixels, 2.1 GB to draw, and
#: readable in no image viewer; the sample trust's roadmap is 15.6 million pixels.
MAX_PNG_PIXELS = 2**26


#: zlib's level for PNGs: the fastest of its fast levels' files. The same pixels as the
#: default (6) at about 16% more bytes, written about 0.25 s sooner for the sample trust's
#: roadmap (1.38 MB against 1.19 MB; 15.6 million pixels).
PNG_COMPRESSION = 3


def png_dpi(figure: Figure, dpi: float = 150) -> int:
    """The dpi a PNG of ``figure`` is drawn at: ``dpi``, or less to stay within
    :data:`MAX_PNG_PIXELS`.

    >>> png_dpi(new_figure(figsize=(15, 40))), png_dpi(new_figure(figsize=(15, 1500)))
    (150, 54)
    """
    width, height = figure.get_size_inches()
    pixels = width * height * dpi * dpi
    if pixels <= MAX_PNG_PIXELS:
        return int(dpi)
    return int(dpi * (MAX_PNG_PIXELS / pixels) ** 0.5)


def save(figure: Figure, path: str | Path, *, dpi: int = 150, tight: bool = True) -> Path:
    """Write a figure; the format follows the suffix (.png, .svg or .pdf).

    ``tight`` trims the margins to the drawn content (one extra layout pass); figures that
    set their own margins, like :func:`roadmap_figure`, save faster without it. A PNG too
    big for :data:`MAX_PNG_PIXELS` at ``dpi`` is drawn at :func:`png_dpi`.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        raise InvalidArgumentError(
            "path", f"cannot draw to '{path.name}'", hint="use a .png, .svg or .pdf file name"
        )
    extra: dict[str, Any] = {}
    if path.suffix.lower() == ".png":
        dpi = png_dpi(figure, dpi)
        extra["pil_kwargs"] = {"compress_level": PNG_COMPRESSION}
    _plain_text(figure)
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)  # no "failed to find font weight bold" per text
    try:
        with (
            warnings.catch_warnings(),
            matplotlib.rc_context({"text.parse_math": False, "font.family": fonts()}),
            atomic_file(path) as temporary,
        ):
            for message in _GLYPH_WARNINGS:
                warnings.filterwarnings("ignore", message=message)
            figure.savefig(
                temporary,
                dpi=dpi,
                bbox_inches="tight" if tight else None,
                metadata=_metadata(path),
                format=path.suffix.lower().lstrip("."),
                **extra,
            )
    finally:
        font_log.setLevel(level)
    return path


def _metadata(path: Path) -> dict:
    return {"Creator": "modernise"} if path.suffix.lower() in (".png", ".pdf", ".svg") else {}


#: A qualitative palette that stays distinguishable for common colour-vision deficiencies.
PALETTE = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#bbbbbb",
    "#332288",
    "#117733",
    "#882255",
    "#44aa99",
    "#999933",
    "#cc6677",
    "#ddcc77",
)


class ChartFigure(Figure):
    """A chart's figure: drawn off screen, kept by no one but its caller (pyplot never sees
    it, so nothing piles up and no backend is chosen), shown as a PNG when it is the value
    of a Jupyter cell."""

    def __repr__(self) -> str:
        return super().__repr__().replace(type(self).__name__, "Figure", 1)

    def _repr_png_(self) -> bytes:
        import io

        buffer = io.BytesIO()
        with matplotlib.rc_context({"text.parse_math": False, "font.family": fonts()}):
            self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()


def new_figure(**kwargs: object) -> Figure:
    """A new figure for a chart (``kwargs`` as for :class:`matplotlib.figure.Figure`).

    It belongs to no pyplot window and so never needs closing; in a notebook it displays
    inline as the cell's value (``figure`` on the last line), whatever the backend.

    >>> import matplotlib.pyplot as plt
    >>> figure = new_figure(figsize=(2, 1))
    >>> figure.get_size_inches().tolist(), plt.get_fignums()
    ([2.0, 1.0], [])
    """
    figure = ChartFigure(**kwargs)  # type: ignore[arg-type]  # Figure's own keywords
    FigureCanvasAgg(figure)  # draws and measures text off screen, like the Agg backend
    return figure


def figure_of(ax: Axes) -> Figure:
    """The figure an Axes is drawn in (the root figure, for axes in a subfigure)."""
    figure = ax.get_figure(root=True)
    if figure is None:
        raise InvalidArgumentError("ax", "these axes belong to no figure")
    return figure


def palette_for(keys: list[str]) -> dict[str, str]:
    """A colour for each key, in order, from :data:`PALETTE` (repeating after 14)."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


#: Categories grouped into the domains a board recognises, for colouring.
DOMAINS = {
    "clinical": (
        "PAS",
        "EPR",
        "ED",
        "theatres",
        "maternity",
        "critical care",
        "e-observations",
        "bed management",
        "order comms",
        "discharge",
        "cancer",
        "community",
        "mental health",
        "GP system",
        "other clinical",
    ),
    "diagnostics": (
        "pathology LIMS",
        "blood transfusion",
        "digital pathology",
        "radiology RIS",
        "PACS",
        "cardiology",
        "endoscopy",
    ),
    "medicines": ("pharmacy", "ePMA", "chemotherapy", "radiotherapy"),
    "records and information": (
        "EDMS",
        "dictation",
        "clinical portal",
        "patient portal",
        "clinical coding",
        "data warehouse",
        "outcomes",
    ),
    "corporate": ("finance", "procurement", "HR", "rostering", "estates"),
    "platform": (
        "integration engine",
        "messaging",
        "identity",
        "national service",
        "infrastructure",
        "database",
        "network",
        "end-user computing",
    ),
    "medical devices": ("medical device",),
    "other": ("other",),
}
DOMAIN_OF = {category: domain for domain, categories in DOMAINS.items() for category in categories}


def month_axis(ax: Axes) -> None:
    """A date x axis that never crowds, whatever the plan's length: about eight ticks at
    most, labelled concisely (years, with months between them only for a short plan)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
