"""What every chart shares: colours (criticality, a colour-blind-safe palette, the
domains a board recognises) and :func:`save`.

Nothing here calls ``show()`` or chooses a matplotlib backend; the command line chooses its
own, and a notebook keeps its inline one.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from inventory.errors import InvalidArgumentError

__all__ = [
    "CRITICALITY_COLOURS",
    "DOMAINS",
    "DOMAIN_OF",
    "PALETTE",
    "figure_of",
    "palette_for",
    "save",
]

CRITICALITY_COLOURS = {
    "critical": "#b2182b",
    "high": "#ef8a62",
    "medium": "#fddbc7",
    "low": "#d1e5f0",
    None: "#e0e0e0",
}
SUPPORTED_FORMATS = (".png", ".svg", ".pdf")


def save(figure: Figure, path: str | Path, *, dpi: int = 150, tight: bool = True) -> Path:
    """Write a figure; the format follows the suffix (.png, .svg or .pdf).

    ``tight`` trims the margins to the drawn content (one extra layout pass); figures that
    set their own margins, like :func:`roadmap_figure`, save faster without it.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        raise InvalidArgumentError(
            "path", f"cannot draw to '{path.name}'", hint="use a .png, .svg or .pdf file name"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, bbox_inches="tight" if tight else None, metadata=_metadata(path))
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
