"""Drawing a chart in each look of the house style (:mod:`iotsurvey.render.style`).

Bars and their interval whiskers are drawn with seaborn's objects interface (``so.Bar`` from the values,
``so.Range`` from the interval columns); matplotlib draws what seaborn does not: bounds (a tick at the bound
and an arrow the way the value lies), ranks (words, never a mark), value labels, the phone layout's labels
above the bars, and the note inside the image (so that a download keeps its source).  The precision chart
is lines, drawn with ``sns.lineplot``.  No pyplot: figures are built and saved directly, and two builds
write the same bytes (no dates, no random ids).
"""

from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass, replace

import matplotlib
from matplotlib.figure import Figure

from .charts import Bar, BarChart, PrecisionChart
from .style import LOOKS, PRINT, Look

PRINT_MAX_HEIGHT = 7.0  # inches: a printed chart and its caption fit the text block (9 in on letter paper)


@dataclass(frozen=True)
class Rendered:
    """A chart in every look: SVG text for the screens, the light wide one also as PNG, and for print one PDF per
    part (a chart too tall for a page is split into parts of whole rows, never shrunk)."""

    svg: dict[str, str]  # look name -> SVG
    png: bytes
    pdf: list[bytes]


def render(chart: BarChart | PrecisionChart) -> Rendered:
    svg, png, pdf = {}, b"", []
    for look in LOOKS:
        if look.medium == "print":
            for part in print_parts(chart):
                fig = draw(part, look)
                with matplotlib.rc_context(look.rc):
                    pdf.append(_save(fig, "pdf", metadata={"CreationDate": None, "Creator": None, "Producer": None}))
            continue
        fig = draw(chart, look)
        with matplotlib.rc_context(look.rc):
            svg[look.name] = _save(fig, "svg", metadata={"Date": None, "Creator": None}).decode("utf-8")
            if look.name == "wide-light":
                png = _save(fig, "png", dpi=150, metadata={"Software": None})
    return Rendered(svg, png, pdf)


def print_parts(chart: BarChart | PrecisionChart) -> list[BarChart | PrecisionChart]:
    """The chart as printed: whole, or in parts of whole rows when it would be taller than ``PRINT_MAX_HEIGHT``;
    the note (what the whiskers assume) on the last part, "continued" on the others."""
    if isinstance(chart, PrecisionChart) or draw(chart, PRINT).get_figheight() <= PRINT_MAX_HEIGHT:
        return [chart]
    rows = chart.drawn
    for count in range(2, len(rows) + 1):
        size = -(-len(rows) // count)
        chunks = [rows[k : k + size] for k in range(0, len(rows), size)]
        parts = [
            replace(chart, bars=chunk, ordered=True, assumption=chart.assumption if k == len(chunks) - 1 else "")
            for k, chunk in enumerate(chunks)
        ]
        if all(draw(part, PRINT).get_figheight() <= PRINT_MAX_HEIGHT for part in parts):
            return parts
    return [chart]


def _save(fig: Figure, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def draw(chart: BarChart | PrecisionChart, look: Look) -> Figure:
    if isinstance(chart, PrecisionChart):
        return precision_chart(chart, look)
    return bar_chart(chart, look)


def _layout(look: Look, lines: list[int], note_lines: int) -> tuple[list[float], float, float, float]:
    """Where each row's bar sits, in inches from the top of the plot, with the bar's thickness, the plot's
    depth and the figure's height, from the look's type size: text keeps its size on every page."""
    rc = look.rc
    line = rc["font.size"] * 1.25 / 72  # one line of label text
    bar = max(0.16, line * 1.15)
    centres, y = [], 0.0
    for n in lines:
        if look.labels_above:  # the label's lines, then the bar, then a gap
            y += n * line + 0.04
            centres.append(y + bar / 2)
            y += bar + 0.5 * line
        else:  # the label beside the bar: a row is as deep as the deeper of the two, plus a gap
            depth = max(n * line, bar) + 0.45 * line
            centres.append(y + depth / 2)
            y += depth
    axis = (rc["xtick.labelsize"] + 2 * rc["axes.labelsize"]) * 1.3 / 72 + 0.25  # ticks, a two-line axis label
    note = note_lines * look.note_size * 1.3 / 72 + 0.1
    return centres, bar, y, y + axis + note + 0.15


def bar_chart(chart: BarChart, look: Look) -> Figure:
    """Horizontal bars from zero in the given order, interval whiskers, bounds as arrows, ranks as words.

    On a phone and on paper each row's label sits above its bar, so that the text keeps its size; ``xmin``
    below zero makes room for whiskers of a difference.
    """
    import pandas as pd
    import seaborn.objects as so

    rows = chart.drawn
    labels = ["\n".join(textwrap.wrap(b.label, look.label_width)) for b in rows]
    lines = [max(1, len(label.splitlines())) for label in labels]
    note_lines = len(textwrap.wrap(note_of(chart, look), look.note_width))
    steps, bar, depth, height = _layout(look, lines, note_lines)
    span = chart.xmax - chart.xmin
    spacing = min((b - a for a, b in zip(steps, steps[1:], strict=False)), default=1.0)
    with matplotlib.rc_context(look.rc):
        fig = Figure(figsize=(look.width, height), layout="constrained")
        ax = fig.add_subplot()
        points = pd.DataFrame(
            [
                {"y": y, "value": b.value, "low": b.low, "high": b.high, "role": b.role}
                for y, b in zip(steps, rows, strict=True)
                if b.stated in ("exact", "about")
            ]
        )
        if len(points):
            plot = so.Plot(points, x="value", y="y", color="role").add(
                so.Bar(width=bar / spacing, edgewidth=0, alpha=1), orient="y", legend=False
            )
            ranged = points.dropna(subset=["low", "high"])
            if len(ranged):
                plot = plot.add(
                    so.Range(color=look.text, linewidth=1.3),
                    data=ranged,
                    xmin="low",
                    xmax="high",
                    orient="y",
                    legend=False,
                )
            plot.scale(color=look.colours, y=so.Continuous()).on(ax).plot()
        for y, row, label in zip(steps, rows, labels, strict=True):
            if look.labels_above:
                ax.text(
                    chart.xmin,
                    y - bar / 2 - 0.03,
                    label,
                    va="bottom",
                    ha="left",
                    color=look.text,
                    zorder=4,
                    bbox=dict(facecolor=look.background, edgecolor="none", pad=1),
                )  # over grid and zero lines
            if row.stated == "rank":  # an order without a value: words, never a mark
                ax.text(chart.xmin + span * 0.012, y, row.value_label, va="center", ha="left", style="italic", zorder=4)
            elif row.stated in ("exact", "about"):
                _value_label(ax, y, row, span * 0.012, look)
            else:
                _draw_bound(ax, y, row, look.colours[row.role], chart.xmax, look, bar)
        if look.labels_above:
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
        else:
            ax.set_yticks(steps, labels)
        ax.set_xlim(chart.xmin, chart.xmax + span * (0.16 if look.labels_above else 0.08))
        if chart.xmin < 0:
            ax.axvline(0, color=look.text, linewidth=1, zorder=1)
        ax.set_ylim(depth, 0)
        ax.set_xlabel("\n".join(textwrap.wrap(chart.xlabel, 44 if look.width < 5 else 60)))
        ax.set_ylabel("")
        ax.xaxis.grid(True, color=look.grid, linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        _note(fig, note_of(chart, look), height, look)
    return fig


def _value_label(ax, y: float, bar: Bar, pad: float, look: Look) -> None:
    """The value at the far end of a bar (beyond its whisker), bold."""
    high = bar.high if bar.high is not None else bar.value
    # right of the bar's whisker, or, for a value below zero, right of zero: never over the row's label
    x, ha = max(bar.value, high, 0) + pad, "left"
    ax.text(x, y, bar.value_label, va="center", ha=ha, color=look.text, fontweight="bold", zorder=4)


def _draw_bound(ax, y: float, bar: Bar, colour: str, xmax: float, look: Look, thickness: float) -> None:
    """A bound: a tick at the bound and an arrow pointing where the value lies."""
    direction = 1 if bar.stated == "more_than" else -1
    length = xmax * 0.09
    half = thickness / 2
    ax.plot([bar.value, bar.value], [y - half, y + half], color=colour, linewidth=3, solid_capstyle="butt", zorder=3)
    ax.annotate(
        "",
        xy=(bar.value + direction * length, y),
        xytext=(bar.value, y),
        arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=2.2, mutation_scale=16),
        zorder=3,
    )
    x = bar.value + length + xmax * 0.015 if direction > 0 else bar.value + xmax * 0.015
    ax.text(x, y, bar.value_label, va="center", ha="left", color=look.text, fontweight="bold")


def note_of(chart: BarChart | PrecisionChart, look: Look) -> str:
    """The note inside the image.  On screen (and in a download) the source and what the whiskers assume; on
    paper only the assumption: the printed caption names the sources under the figure, and the chart keeps
    its height for its rows."""
    if look.medium == "print":
        return f"{chart.assumption} Sources: under the figure." if chart.assumption else "Continued on the next page."
    return chart.note


def _note(fig: Figure, note: str, height: float, look: Look) -> None:
    """The source note, inside the image, under the plot (so downloads keep it)."""
    lines = textwrap.wrap(note, look.note_width)
    fig.text(0.005, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=look.note_size, color=look.muted)
    reserve = (look.note_size / 50 * len(lines) + 0.05) / height  # inches of text as a share of the figure
    fig.get_layout_engine().set(rect=(0, reserve, 1, 1 - reserve))


def precision_chart(chart: PrecisionChart, look: Look) -> Figure:
    """Maximum modelled margin against sample size, one line per design effect.

    The ``marked`` sizes get a point, and the design effect 1 points a value label.  Line style and a direct
    label, not colour alone, tell the lines apart.
    """
    import pandas as pd
    import seaborn as sns

    colours = look.colours
    styles = [("-", colours["all"], "o"), ("--", colours["country"], "s"), (":", look.text, "^")]
    narrow = look.labels_above
    height = 5.2 if narrow else (3.8 if look is PRINT else 4.6)
    ns, margins = chart.ns, chart.margins
    with matplotlib.rc_context(look.rc):
        fig = Figure(figsize=(look.width, height), layout="constrained")
        ax = fig.add_subplot()
        if chart.band:
            ax.axvspan(*chart.band, color=look.band, zorder=0)
            ax.text(
                sum(chart.band) / 2,
                0.5,
                "\n".join(textwrap.wrap(chart.band_label, 14 if narrow else 40)),
                ha="center",
                va="bottom",
                color=look.muted,
                fontsize=look.note_size,
            )
        top = 0.0
        for (deff, values), (line, colour, marker) in zip(margins.items(), styles, strict=False):
            frame = pd.DataFrame({"n": ns, "margin": values})
            sns.lineplot(data=frame, x="n", y="margin", ax=ax, color=colour, linestyle=line, linewidth=2, zorder=2)
            marked = frame[frame.n.isin(chart.marked)]
            ax.plot(marked.n, marked.margin, linestyle="none", marker=marker, color=colour, markersize=6, zorder=3)
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
                for n, v in zip(marked.n, marked.margin, strict=True):
                    ax.text(n, v - 0.45, f"±{v:.1f}", ha="center", va="top", color=look.text, fontweight="bold")
            top = max(top, max(values))
        ax.set_xlim(0, ns[-1] * (1.45 if narrow else 1.27))
        ax.set_ylim(0, top * 1.08)
        ax.set_xlabel("Respondents (n)")
        ax.set_ylabel("Maximum modelled margin, ± points")
        ax.grid(True, color=look.grid, linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _note(fig, note_of(chart, look), height, look)
    return fig
