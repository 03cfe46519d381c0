"""The book's one figure style.

Horizontal bars from zero, sorted by value unless the categories have an
order, a value label on every bar, 95% interval whiskers, Okabe-Ito colours,
direct labels instead of a legend, an opaque white background and a source
note inside the image.  A value published as a bound ("more than 50%",
"nearly 33%") is never drawn as a bar: it is a tick at the bound with an arrow
pointing the way the value lies.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure  # no pyplot: figures are built and saved directly, never shown inline

# Okabe & Ito (2008), Color Universal Design.  Only colours with at least 3:1
# contrast against the figure's background are used for marks (WCAG 2.2, SC 1.4.11).
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


@dataclass(frozen=True)
class Look:
    """How a figure is rendered: colours (light or dark page) and width (desktop or phone)."""

    name: str  # the file suffix: "" for the light, wide original
    background: str
    text: str
    muted: str
    grid: str
    band: str
    roles: tuple[tuple[str, str], ...]  # role -> colour
    width: float  # inches
    label_width: int  # characters per label line
    note_width: int  # characters per source-note line
    labels_above: bool  # a phone layout: each row's label above its bar, not beside it

    @property
    def colours(self) -> dict[str, str]:
        return dict(self.roles)

    @property
    def style(self) -> dict:
        return {
            **STYLE,
            "figure.facecolor": self.background,
            "axes.facecolor": self.background,
            "savefig.facecolor": self.background,
            "text.color": self.text,
            "axes.labelcolor": self.text,
            "xtick.color": self.text,
            "ytick.color": self.text,
            "axes.edgecolor": self.muted,
        }


_LIGHT = dict(
    background="#ffffff",
    text="#1a1a1a",
    muted="#4d4d4d",
    grid="#d9d9d9",
    band="#eeeeee",
    roles=(("all", OKABE_ITO["blue"]), ("country", OKABE_ITO["vermillion"]), ("other", OKABE_ITO["bluish_green"])),
)
# The dark look sits on the theme's dark page colour; sky blue replaces blue, which is too dark there.
_DARK = dict(
    background="#121212",
    text="#ececec",
    muted="#c4c4c4",
    grid="#3a3f47",
    band="#262b33",
    roles=(("all", OKABE_ITO["sky_blue"]), ("country", OKABE_ITO["orange"]), ("other", OKABE_ITO["bluish_green"])),
)
_WIDE = dict(width=7.6, label_width=30, note_width=100, labels_above=False)
_NARROW = dict(width=3.9, label_width=34, note_width=50, labels_above=True)  # about 375 CSS px: no shrinking on a phone
LOOKS = (
    Look("", **_LIGHT, **_WIDE),
    Look("-dark", **_DARK, **_WIDE),
    Look("-narrow", **_LIGHT, **_NARROW),
    Look("-narrow-dark", **_DARK, **_NARROW),
)
LIGHT = LOOKS[0]
ROLE_COLOURS = LIGHT.colours
TEXT, MUTED, BACKGROUND = LIGHT.text, LIGHT.muted, LIGHT.background

STYLE = {
    "savefig.transparent": False,
    "font.size": 12,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "svg.fonttype": "none",
    "svg.hashsalt": "iot-survey-book",
    "path.simplify": True,
    "text.parse_math": False,  # labels come from data: a "$" is a dollar sign, not TeX
}


@dataclass(frozen=True)
class Bar:
    """One row of a chart."""

    label: str  # the direct label, in words
    value: float | None  # the published value, the bound for a bound, None for a rank
    stated: str = "exact"  # exact | about (published in rounded words) | more_than | nearly | rank
    low: float | None = None  # interval, same unit as value
    high: float | None = None
    role: str = "all"  # all | country | other: picks the colour
    unit: str = "%"

    rank: int | None = None  # for stated == "rank": the published position
    tied: bool = False  # for a rank: shares its position with another item

    # What the row is, for the values CSV and the alt text; set for rows drawn from a finding.
    finding_id: str | None = None
    share_of: str | None = None  # what the percentage is a share of, in words
    no_interval: str | None = None  # why no interval is drawn, when none can be computed
    n: int | None = None  # the number of respondents the interval assumes
    deff: float | None = None
    method: str | None = None  # how the interval was computed
    grade: str | None = None  # the evidence grade, in words
    release: str | None = None
    rests_on: tuple[str, ...] = ()  # other findings the row is computed from (a gap's whole-sample figure)

    @property
    def value_label(self) -> str:
        if self.stated == "rank":
            position = ("joint " if self.tied else "ranked ") + str(_ORDINALS.get(self.rank, self.rank))
            return f"{position}, no value published"
        number = f"{self.value:.0f}" if float(self.value).is_integer() else f"{self.value:.1f}"
        prefix = {"exact": "", "about": "about ", "more_than": "more than ", "nearly": "nearly "}[self.stated]
        return f"{prefix}{number}{self.unit}"

    def describe(self) -> str:
        """The bar in words, for alt text."""
        text = f"{self.label}: {self.value_label}"
        if self.low is not None and self.high is not None:
            text += f" (modelled 95% interval {points(self.low)} to {points(self.high)})"
        elif self.no_interval:
            text += f" (no interval: {self.no_interval})"
        return text


def points(x: float) -> str:
    """A number to one decimal, or to two where one would hide which side of zero it lies ("0.04", not "0.0")."""
    if x != 0 and abs(x) < 0.05:
        return f"{x:.2f}"
    return f"{x:.1f}"


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def drawing_order(bars: list[Bar], ordered: bool) -> list[Bar]:
    """The order rows are drawn, top to bottom: as given, or largest value first."""
    if ordered:
        return list(bars)
    if any(b.stated == "rank" for b in bars):
        raise ValueError("rank rows have no value to sort by: pass ordered=True")
    return sorted(bars, key=lambda b: -b.value)


def bar_chart(
    bars: list[Bar],
    *,
    source: str,
    ordered: bool = False,
    xmax: float = 100,
    xmin: float = 0,
    xlabel: str = "Percent of respondents",
    look: Look = LIGHT,
) -> Figure:
    """Draw ``bars`` in the house style; returns the matplotlib Figure.

    ``ordered=True`` keeps the given order (for categories with an order of
    their own); otherwise the largest value is at the top.  Bars start at
    zero; ``xmin`` below zero makes room for whiskers of a difference.
    ``look`` picks colours and width; on a phone each row's label sits above
    its bar so that the text keeps its size.
    """
    if not bars:
        raise ValueError("a chart needs at least one bar")
    rows = drawing_order(bars, ordered)
    labels = ["\n".join(textwrap.wrap(b.label, look.label_width)) for b in rows]
    lines = [max(1, len(label.splitlines())) for label in labels]
    note_lines = len(textwrap.wrap(source, look.note_width))
    if look.labels_above:
        steps = [0.0]
        for _before, n in zip(lines, lines[1:], strict=False):
            steps.append(steps[-1] + 1.0 + 0.55 * n)  # a bar, then the next row's label lines
        height = 0.9 + 0.5 * len(rows) + 0.2 * sum(lines) + 0.19 * note_lines
    else:
        steps = list(range(len(rows)))
        height = 1.1 + 0.38 * sum(lines) + 0.28 * len(rows)
    with matplotlib.rc_context(look.style):
        fig = Figure(figsize=(look.width, height), layout="constrained")
        ax = fig.add_subplot()
        span = xmax - xmin
        for y, bar, label in zip(steps, rows, labels, strict=False):
            colour = look.colours[bar.role]
            if look.labels_above:
                ax.text(
                    xmin,
                    y - 0.42,
                    label,
                    va="bottom",
                    ha="left",
                    color=look.text,
                    zorder=4,
                    bbox=dict(facecolor=look.background, edgecolor="none", pad=1),
                )  # over grid and zero lines
            if bar.stated == "rank":  # an order without a value: words, never a mark
                ax.text(
                    xmin + span * 0.012,
                    y,
                    bar.value_label,
                    va="center",
                    ha="left",
                    color=look.text,
                    style="italic",
                    zorder=4,
                )
                continue
            if bar.stated in ("exact", "about"):
                _draw_exact(ax, y, bar, colour, span * 0.012, look)
            else:
                _draw_bound(ax, y, bar, colour, xmax, look)
        if look.labels_above:
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            top = -0.5 - 0.5 * lines[0]
        else:
            ax.set_yticks(steps, labels)
            top = -0.5
        ax.set_xlim(xmin, xmax + span * (0.16 if look.labels_above else 0.08))
        if xmin < 0:
            ax.axvline(0, color=look.text, linewidth=1, zorder=1)
        ax.set_ylim(steps[-1] + 0.5, top)
        ax.set_xlabel("\n".join(textwrap.wrap(xlabel, 44 if look.labels_above else 55)))
        ax.xaxis.grid(True, color=look.grid, linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        _source_note(fig, source, height, look)
    return fig


def _source_note(fig: Figure, source: str, height: float, look: Look = LIGHT) -> None:
    """The source note, inside the image, under the plot (so downloads keep it)."""
    lines = textwrap.wrap(source, look.note_width)
    fig.text(0.005, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=9.5, color=look.muted)
    reserve = (0.19 * len(lines) + 0.05) / height  # inches of text as a share of the figure
    fig.get_layout_engine().set(rect=(0, reserve, 1, 1 - reserve))


def _draw_exact(ax, y: float, bar: Bar, colour: str, pad: float, look: Look = LIGHT) -> None:
    """A bar from zero, its interval whisker, and its value at the far end."""
    ax.barh(y, bar.value, height=0.62, color=colour, edgecolor=colour, zorder=2)
    low = bar.low if bar.low is not None else bar.value
    high = bar.high if bar.high is not None else bar.value
    if bar.low is not None and bar.high is not None:
        ax.errorbar(
            bar.value,
            y,
            xerr=[[bar.value - low], [high - bar.value]],
            fmt="none",
            ecolor=look.text,
            elinewidth=1.3,
            capsize=4,
            zorder=3,
        )
    if bar.value >= 0:
        ax.text(
            max(bar.value, high) + pad,
            y,
            bar.value_label,
            va="center",
            ha="left",
            color=look.text,
            fontweight="bold",
            zorder=4,
        )
    else:
        ax.text(
            min(bar.value, low) - pad,
            y,
            bar.value_label,
            va="center",
            ha="right",
            color=look.text,
            fontweight="bold",
            zorder=4,
        )


def _draw_bound(ax, y: float, bar: Bar, colour: str, xmax: float, look: Look = LIGHT) -> None:
    """A bound: a tick at the bound and an arrow pointing where the value lies."""
    direction = 1 if bar.stated == "more_than" else -1
    length = xmax * 0.09
    ax.plot([bar.value, bar.value], [y - 0.3, y + 0.3], color=colour, linewidth=3, solid_capstyle="butt", zorder=3)
    ax.annotate(
        "",
        xy=(bar.value + direction * length, y),
        xytext=(bar.value, y),
        arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=2.2, mutation_scale=16),
        zorder=3,
    )
    x = bar.value + length + xmax * 0.015 if direction > 0 else bar.value + xmax * 0.015
    ax.text(x, y, bar.value_label, va="center", ha="left", color=look.text, fontweight="bold")


def alt_text(title: str, bars: list[Bar], assumption: str) -> str:
    """Alt text that states every value shown, in the order drawn."""
    parts = "; ".join(b.describe() for b in bars)
    return f"{title}. {parts}. {assumption}"


def save(draw, stem) -> dict[str, str]:
    """Write every look of a figure as SVG, and the light, wide one as PNG too.

    ``draw(look)`` returns the Figure for a look.  No dates or random ids, so
    two builds are byte-identical.
    """
    written = {}
    for look in LOOKS:
        fig = draw(look)
        with matplotlib.rc_context(look.style):
            fig.savefig(f"{stem}{look.name}.svg", format="svg", metadata={"Date": None, "Creator": None})
            if look is LIGHT:
                fig.savefig(f"{stem}.png", format="png", dpi=200, metadata={"Software": None})
        written[look.name or "light"] = f"{stem}{look.name}.svg"
    return written


def precision_chart(
    ns: list[int],
    margins: dict[float, list[float]],
    marked: list[int],
    *,
    source: str,
    band: tuple[int, int] | None = None,
    band_label: str = "",
    look: Look = LIGHT,
) -> Figure:
    """Maximum margin of error against sample size, one line per design effect.

    ``margins`` maps each design effect to the margins at ``ns``; the ``marked``
    sizes get a point, and the design effect 1 points a value label.  Line
    style and a direct label, not colour alone, tell the lines apart.
    """
    colours = look.colours
    styles = [("-", colours["all"], "o"), ("--", colours["country"], "s"), (":", look.text, "^")]
    narrow = look.labels_above
    height = 5.2 if narrow else 4.6
    with matplotlib.rc_context(look.style):
        fig = Figure(figsize=(look.width, height), layout="constrained")
        ax = fig.add_subplot()
        if band:
            ax.axvspan(*band, color=look.band, zorder=0)
            ax.text(
                (band[0] + band[1]) / 2,
                0.5,
                "\n".join(textwrap.wrap(band_label, 14 if narrow else 40)),
                ha="center",
                va="bottom",
                color=look.muted,
                fontsize=9.5 if narrow else 9,
            )
        top = 0.0
        for (deff, values), (line, colour, marker) in zip(margins.items(), styles, strict=False):
            ax.plot(ns, values, linestyle=line, color=colour, linewidth=2, zorder=2)
            points_ = [(n, v) for n, v in zip(ns, values, strict=False) if n in marked]
            ax.plot(
                [p[0] for p in points_],
                [p[1] for p in points_],
                linestyle="none",
                marker=marker,
                color=colour,
                markersize=6,
                zorder=3,
            )
            ax.text(
                ns[-1] + 15,
                values[-1],
                f"deff {deff:g}" if narrow else f"design effect {deff:g}",
                va="center",
                ha="left",
                color=colour,
                fontweight="bold",
            )
            if deff == 1 and not narrow:
                for n, v in points_:
                    ax.text(
                        n, v - 0.45, f"±{v:.1f}", ha="center", va="top", color=look.text, fontsize=9, fontweight="bold"
                    )
            top = max(top, max(values))
        ax.set_xlim(0, ns[-1] * (1.45 if narrow else 1.27))
        ax.set_ylim(0, top * 1.08)
        ax.set_xlabel("Respondents (n)")
        ax.set_ylabel("Maximum modelled margin, ± points")
        ax.grid(True, color=look.grid, linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _source_note(fig, source, height, look)
    return fig
