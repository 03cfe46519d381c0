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

# Okabe & Ito (2008), Color Universal Design.  Only the colours with at least
# 3:1 contrast against white are used for marks (WCAG 2.2, SC 1.4.11).
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
ROLE_COLOURS = {
    "all": OKABE_ITO["blue"],  # whole-sample figures
    "country": OKABE_ITO["vermillion"],  # one country's figure
    "other": OKABE_ITO["bluish_green"],
}
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"  # 8.5:1 on white
BACKGROUND = "#ffffff"

STYLE = {
    "figure.facecolor": BACKGROUND, "axes.facecolor": BACKGROUND, "savefig.facecolor": BACKGROUND,
    "savefig.transparent": False, "font.size": 12, "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "text.color": TEXT, "axes.labelcolor": TEXT, "xtick.color": TEXT, "ytick.color": TEXT,
    "axes.edgecolor": MUTED, "svg.fonttype": "none", "svg.hashsalt": "iot-survey-book",
    "path.simplify": True,
    "text.parse_math": False,  # labels come from data: a "$" is a dollar sign, not TeX
}


@dataclass(frozen=True)
class Bar:
    """One row of a chart."""

    label: str  # the direct label, in words
    value: float | None  # the published value, the bound for a bound, None for a rank
    stated: str = "exact"  # exact | more_than | nearly | rank
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

    @property
    def value_label(self) -> str:
        if self.stated == "rank":
            position = ("joint " if self.tied else "ranked ") + str(_ORDINALS.get(self.rank, self.rank))
            return f"{position}, no value published"
        number = f"{self.value:.0f}" if float(self.value).is_integer() else f"{self.value:.1f}"
        prefix = {"exact": "", "more_than": "more than ", "nearly": "nearly "}[self.stated]
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


def bar_chart(bars: list[Bar], *, source: str, ordered: bool = False, xmax: float = 100, xmin: float = 0,
              xlabel: str = "Percent of respondents") -> Figure:
    """Draw ``bars`` in the house style; returns the matplotlib Figure.

    ``ordered=True`` keeps the given order (for categories with an order of
    their own); otherwise the largest value is at the top.  Bars start at
    zero; ``xmin`` below zero makes room for whiskers of a difference.
    """
    if not bars:
        raise ValueError("a chart needs at least one bar")
    rows = drawing_order(bars, ordered)
    label_width = 30
    labels = ["\n".join(textwrap.wrap(b.label, label_width)) for b in rows]
    lines = sum(max(1, len(l.splitlines())) for l in labels)
    height = 1.1 + 0.38 * lines + 0.28 * len(rows)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(7.6, height), layout="constrained")
        ax = fig.add_subplot()
        ys = list(range(len(rows)))
        for y, bar in zip(ys, rows):
            colour = ROLE_COLOURS[bar.role]
            if bar.stated == "rank":  # an order without a value: words, never a mark
                ax.text(xmin + (xmax - xmin) * 0.012, y, bar.value_label, va="center", ha="left", color=TEXT,
                        style="italic", zorder=4)
                continue
            if bar.stated == "exact":
                _draw_exact(ax, y, bar, colour, (xmax - xmin) * 0.012)
            else:
                _draw_bound(ax, y, bar, colour, xmax)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        ax.set_xlim(xmin, xmax + (xmax - xmin) * 0.08)
        if xmin < 0:
            ax.axvline(0, color=TEXT, linewidth=1, zorder=1)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(xlabel)
        ax.xaxis.grid(True, color="#d9d9d9", linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        _source_note(fig, source, height)
    return fig


def _source_note(fig: Figure, source: str, height: float) -> None:
    """The source note, inside the image, under the plot (so downloads keep it)."""
    lines = textwrap.wrap(source, 100)
    fig.text(0.005, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=9.5, color=MUTED)
    reserve = (0.19 * len(lines) + 0.05) / height  # inches of text as a share of the figure
    fig.get_layout_engine().set(rect=(0, reserve, 1, 1 - reserve))


def _draw_exact(ax, y: float, bar: Bar, colour: str, pad: float) -> None:
    """A bar from zero, its interval whisker, and its value at the far end."""
    ax.barh(y, bar.value, height=0.62, color=colour, edgecolor=colour, zorder=2)
    low = bar.low if bar.low is not None else bar.value
    high = bar.high if bar.high is not None else bar.value
    if bar.low is not None and bar.high is not None:
        ax.errorbar(bar.value, y, xerr=[[bar.value - low], [high - bar.value]], fmt="none", ecolor=TEXT,
                    elinewidth=1.3, capsize=4, zorder=3)
    if bar.value >= 0:
        ax.text(max(bar.value, high) + pad, y, bar.value_label, va="center", ha="left", color=TEXT,
                fontweight="bold", zorder=4)
    else:
        ax.text(min(bar.value, low) - pad, y, bar.value_label, va="center", ha="right", color=TEXT,
                fontweight="bold", zorder=4)


def _draw_bound(ax, y: float, bar: Bar, colour: str, xmax: float) -> None:
    """A bound: a tick at the bound and an arrow pointing where the value lies."""
    direction = 1 if bar.stated == "more_than" else -1
    length = xmax * 0.09
    ax.plot([bar.value, bar.value], [y - 0.3, y + 0.3], color=colour, linewidth=3, solid_capstyle="butt", zorder=3)
    ax.annotate("", xy=(bar.value + direction * length, y), xytext=(bar.value, y),
                arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=2.2, mutation_scale=16), zorder=3)
    if direction > 0:
        ax.text(bar.value + length + xmax * 0.015, y, bar.value_label, va="center", ha="left",
                color=TEXT, fontweight="bold")
    else:
        ax.text(bar.value + xmax * 0.015, y, bar.value_label, va="center", ha="left", color=TEXT, fontweight="bold")


def alt_text(title: str, bars: list[Bar], assumption: str) -> str:
    """Alt text that states every value shown, in the order drawn."""
    parts = "; ".join(b.describe() for b in bars)
    return f"{title}. {parts}. {assumption}"


def save(fig: Figure, stem) -> dict[str, str]:
    """Write SVG and PNG with no dates or random ids, so two builds are byte-identical."""
    with matplotlib.rc_context(STYLE):
        fig.savefig(f"{stem}.svg", format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(f"{stem}.png", format="png", dpi=200, metadata={"Software": None})
    return {"svg": f"{stem}.svg", "png": f"{stem}.png"}


def precision_chart(ns: list[int], margins: dict[float, list[float]], marked: list[int], *, source: str,
                    band: tuple[int, int] | None = None, band_label: str = "") -> Figure:
    """Maximum margin of error against sample size, one line per design effect.

    ``margins`` maps each design effect to the margins at ``ns``; the ``marked``
    sizes get a point, and the design effect 1 points a value label.  Line
    style and a direct label, not colour alone, tell the lines apart.
    """
    styles = [("-", ROLE_COLOURS["all"], "o"), ("--", ROLE_COLOURS["country"], "s"), (":", TEXT, "^")]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(7.6, 4.6), layout="constrained")
        ax = fig.add_subplot()
        if band:
            ax.axvspan(*band, color="#eeeeee", zorder=0)
            ax.text((band[0] + band[1]) / 2, 0.5, band_label, ha="center", va="bottom", color=MUTED, fontsize=9)
        top = 0.0
        for (deff, values), (line, colour, marker) in zip(margins.items(), styles):
            ax.plot(ns, values, linestyle=line, color=colour, linewidth=2, zorder=2)
            points = [(n, v) for n, v in zip(ns, values) if n in marked]
            ax.plot([p[0] for p in points], [p[1] for p in points], linestyle="none", marker=marker,
                    color=colour, markersize=6, zorder=3)
            ax.text(ns[-1] + 15, values[-1], f"design effect {deff:g}", va="center", ha="left", color=colour
                    if colour != TEXT else TEXT, fontweight="bold")
            if deff == 1:
                for n, v in points:
                    ax.text(n, v - 0.45, f"±{v:.1f}", ha="center", va="top", color=TEXT, fontsize=9,
                            fontweight="bold")
            top = max(top, max(values))
        ax.set_xlim(0, ns[-1] * 1.27)
        ax.set_ylim(0, top * 1.08)
        ax.set_xlabel("Respondents (n)")
        ax.set_ylabel("Maximum margin, ± points")
        ax.grid(True, color="#d9d9d9", linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _source_note(fig, source, 4.6)
    return fig
