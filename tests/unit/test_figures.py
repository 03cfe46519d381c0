"""The figure style, tested on the drawn matplotlib objects and the saved files."""

from __future__ import annotations

import re

import matplotlib.colors as mcolors
import pytest
from matplotlib.patches import Rectangle

from iotsurvey.render import draw
from iotsurvey.render.charts import ALT_MAX, Bar, BarChart, Page, points
from iotsurvey.render.figures import FIGURES, chart
from iotsurvey.render.style import LOOKS, PRINT

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}
WIDE = next(look for look in LOOKS if look.name == "wide-light")
SOURCE = [Page("A release", "1 January 2018", "https://example.org/release")]


def bars_of(fig):
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() != 0 and p.get_height() < 1]


def a_chart(bars, **kw) -> BarChart:
    return BarChart("fig-test", "A test chart", bars, "An assumption.", SOURCE, **kw)


def drawn(bars, look=WIDE, **kw):
    return draw.draw(a_chart(bars, **kw), look)


def test_exact_values_are_bars_from_zero_sorted_largest_first():
    fig = drawn([Bar("small", 14, low=12, high=16), Bar("large", 86, low=84, high=88)])
    ax = fig.axes[0]
    rects = bars_of(fig)
    assert sorted(round(r.get_width(), 6) for r in rects) == [14, 86]
    assert all(r.get_x() == 0 for r in rects)
    assert ax.get_xlim()[0] == 0
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["large", "small"]


def test_bounds_are_never_bars():
    fig = drawn(
        [Bar("more than", 50, "more_than"), Bar("nearly", 33, "nearly"), Bar("exact", 40, low=37, high=43)],
        ordered=True,
    )
    widths = [round(r.get_width(), 6) for r in bars_of(fig)]
    assert widths == [40], "only the exact value may be drawn as a bar"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "more than 50%" in texts and "nearly 33%" in texts
    ticks = [line for line in fig.axes[0].lines if list(line.get_xdata()) == [50, 50]]
    assert ticks, "a lower bound needs a tick at its value"


def test_ranks_have_no_mark_and_no_value():
    fig = drawn(
        [Bar("first", 59, low=56, high=62), Bar("second", None, "rank", rank=2), Bar("third", None, "rank", rank=3)],
        ordered=True,
    )
    assert [round(r.get_width(), 6) for r in bars_of(fig)] == [59]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "ranked second, no value published" in texts
    assert not any(re.fullmatch(r"\d+%", t) for t in texts if t != "59%")


def test_ranks_cannot_be_sorted_by_value():
    with pytest.raises(ValueError, match="ordered=True"):
        _ = a_chart([Bar("a", 10), Bar("b", None, "rank", rank=2)]).drawn


def test_value_labels_and_whiskers_only_where_an_interval_exists():
    fig = drawn([Bar("a", 86, low=84.0, high=87.9), Bar("b", 40)])
    ax = fig.axes[0]
    assert {"86%", "40%"} <= {t.get_text() for t in ax.texts}
    xs = sorted({round(float(x), 1) for c in ax.collections for seg in c.get_segments() for x, _ in seg})
    assert xs == [84.0, 87.9], "one whisker, from the interval's ends; none for the row without an interval"


def test_no_legend_the_labels_are_direct():
    fig = drawn([Bar("all", 50, low=45, high=55), Bar("country", 60, low=54, high=66, role="country")])
    assert not fig.legends and fig.axes[0].get_legend() is None


@pytest.mark.parametrize("look", LOOKS, ids=lambda look: look.name)
def test_colours_are_okabe_ito_and_the_background_is_the_looks_own(look):
    fig = drawn([Bar("all", 50, low=45, high=55), Bar("country", 60, low=54, high=66, role="country")], look)
    for rect in bars_of(fig):
        assert mcolors.to_hex(rect.get_facecolor()) in OKABE_ITO
    assert mcolors.to_hex(fig.get_facecolor()) == mcolors.to_hex(look.background) and fig.get_facecolor()[3] == 1


def _luminance(hex_colour):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in mcolors.to_rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("look", LOOKS, ids=lambda look: look.name)
def test_every_look_keeps_text_and_marks_legible(look):
    """Text at least 4.5:1 against the figure's own background, marks at least 3:1 (WCAG 2.2), in light and dark."""
    assert _contrast(look.text, look.background) >= 4.5
    assert _contrast(look.muted, look.background) >= 4.5
    for role, colour in look.colours.items():
        assert _contrast(colour, look.background) >= 3, (look.name, role, colour)


def test_the_source_note_is_inside_the_image():
    fig = drawn([Bar("a", 10)])
    assert any("Source: A release, 1 January 2018. An assumption." in t.get_text() for t in fig.texts)


def test_the_alt_text_is_short_and_names_the_extremes():
    bars = [Bar("needs to improve", 86, low=84.0, high=87.9), Bar("complete", 14, low=12.1, high=16.1)]
    alt = a_chart(bars).alt
    assert alt.startswith("A test chart") and "needs to improve at 86%" in alt and "complete at 14%" in alt
    long = a_chart([Bar("a very long label " * 20, 50), Bar("b (Germany) (single source)", 10)]).alt
    assert len(long) <= ALT_MAX and "…" not in long, "too long with the names: the values alone, never a cut label"
    assert "from 50% to 10%" in long
    short = a_chart([Bar("big", 50), Bar("b (Germany) (single source) [base presumed: all respondents]", 10)]).alt
    assert "b (Germany) at 10%" in short, "a country stays in the name; the marks go"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_of_the_book_has_a_short_alt_text(name):
    assert 20 < len(chart(name).alt) <= ALT_MAX


def test_interval_ends_keep_a_small_end_off_zero():
    assert points(0.04) == "0.04" and points(-0.03) == "-0.03" and points(0.0) == "0.0" and points(1.26) == "1.3"
    assert "0.04 to" in Bar("gap", 5.0, low=0.04, high=11.4).describe()


def test_renderings_are_byte_identical_and_undated():
    bars = [Bar("a", 86, low=84.0, high=87.9), Bar("b", 14, low=12.1, high=16.1)]
    one, two = draw.render(a_chart(bars)), draw.render(a_chart(bars))
    assert one == two
    assert set(one.svg) == {look.name for look in LOOKS if look is not PRINT}
    assert all("<dc:date>" not in svg for svg in one.svg.values())
    assert b"tIME" not in one.png and b"CreationDate" not in one.pdf


def test_the_phone_look_puts_labels_above_the_bars_and_keeps_them_whole():
    """At about 375 CSS px wide, a label beside the bar would leave the bar no room: it goes above it."""
    look = next(look for look in LOOKS if look.labels_above and look.medium == "screen")
    fig = drawn(
        [
            Bar("Their organisation needs to improve its awareness of IoT threats", 86, low=84, high=88),
            Bar("Complete awareness", 14, low=12, high=16),
        ],
        look,
    )
    assert fig.get_figwidth() * 96 <= 390
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("Their organisation needs" in t for t in texts) and not fig.axes[0].get_yticklabels()
