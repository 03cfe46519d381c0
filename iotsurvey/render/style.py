"""The house style, in one place: fonts, palette and sizes for every rendering of a chart.

Every chart is drawn in five *looks*: light and dark for a wide screen, light and dark for a phone (about
375 CSS px wide, each row's label above its bar so that the text keeps its size), and one for print, sized
to the PDF's text block.  Each look is a seaborn theme (``axes_style`` and ``plotting_context``: the
"notebook" context on screens, "paper" in print) with the book's colours on top.  The marks use the
Okabe-Ito palette (Okabe & Ito 2008), and only colours with at least 3:1 contrast against the look's
background (WCAG 2.2, SC 1.4.11).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Okabe & Ito (2008), Color Universal Design.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
FONTS = ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"]


@dataclass(frozen=True)
class Look:
    """How a chart is rendered: colours (light or dark page), width (desktop, phone or the printed page)."""

    name: str  # "wide-light", "wide-dark", "narrow-light", "narrow-dark", "print"
    scheme: str  # light | dark
    medium: str  # screen | print
    background: str
    text: str
    muted: str
    grid: str
    band: str
    roles: tuple[tuple[str, str], ...]  # row role (all | country | other) -> mark colour
    width: float  # inches
    context: str  # seaborn plotting context
    font_scale: float  # on top of the context
    label_width: int  # characters per label line
    note_width: int  # characters per source-note line
    labels_above: bool  # each row's label above its bar, not beside it
    note_size: float  # points

    @property
    def colours(self) -> dict[str, str]:
        return dict(self.roles)

    @property
    def rc(self) -> dict:
        """The matplotlib settings of this look: a seaborn theme with the book's colours and fonts."""
        return _rc(self)


@cache
def _rc(look: Look) -> dict:
    import seaborn as sns
    from cycler import cycler

    rc = {**sns.axes_style("ticks"), **sns.plotting_context(look.context, font_scale=look.font_scale)}
    rc.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FONTS,
            "figure.facecolor": look.background,
            "axes.facecolor": look.background,
            "savefig.facecolor": look.background,
            "savefig.transparent": False,
            "text.color": look.text,
            "axes.labelcolor": look.text,
            "xtick.color": look.text,
            "ytick.color": look.text,
            "axes.edgecolor": look.muted,
            "grid.color": look.grid,
            "svg.fonttype": "none",  # text stays text: selectable, searchable, legible when zoomed
            "svg.hashsalt": "iot-survey-book",  # no random ids: two builds write the same bytes
            "pdf.fonttype": 42,  # fonts embedded as TrueType in the print rendering
            "path.simplify": True,
            "text.parse_math": False,  # labels come from data: a "$" is a dollar sign, not TeX
            "axes.prop_cycle": cycler(color=sns.color_palette(list(OKABE_ITO.values())).as_hex()),
        }
    )
    return rc


_LIGHT = dict(
    scheme="light",
    background="#ffffff",
    text="#1a1a1a",
    muted="#4d4d4d",
    grid="#d9d9d9",
    band="#eeeeee",
    roles=(("all", OKABE_ITO["blue"]), ("country", OKABE_ITO["vermillion"]), ("other", OKABE_ITO["bluish_green"])),
)
# The dark look sits on the theme's dark page colour; sky blue and orange replace blue and vermillion, too dark there.
_DARK = dict(
    scheme="dark",
    background="#121212",
    text="#ececec",
    muted="#c4c4c4",
    grid="#3a3f47",
    band="#262b33",
    roles=(("all", OKABE_ITO["sky_blue"]), ("country", OKABE_ITO["orange"]), ("other", OKABE_ITO["bluish_green"])),
)
_WIDE = dict(
    medium="screen",
    width=7.6,
    context="notebook",
    font_scale=1.0,
    label_width=30,
    note_width=100,
    labels_above=False,
    note_size=9.5,
)
_NARROW = dict(
    medium="screen",
    width=3.9,
    context="notebook",
    font_scale=1.0,
    label_width=34,
    note_width=50,
    labels_above=True,
    note_size=9.5,
)
# The PDF's text block is 16.5 cm (6.5 in) wide: the "paper" context, scaled to 8.2 pt text and 7.5 pt ticks, each
# row's label above its bar across the full width, so that a chart of many rows fits one page without shrinking.
_PRINT = dict(
    medium="print",
    width=6.5,
    context="paper",
    font_scale=0.85,
    label_width=104,
    note_width=120,
    labels_above=True,
    note_size=7.5,
)

LOOKS = (
    Look("wide-light", **_LIGHT, **_WIDE),
    Look("wide-dark", **_DARK, **_WIDE),
    Look("narrow-light", **_LIGHT, **_NARROW),
    Look("narrow-dark", **_DARK, **_NARROW),
    Look("print", **_LIGHT, **_PRINT),
)
LOOK = {look.name: look for look in LOOKS}
PRINT = LOOK["print"]
