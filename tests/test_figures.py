"""The figure style, tested on the drawn matplotlib objects and the saved files."""

from __future__ import annotations

import re

import matplotlib.colors as mcolors
import pytest
from matplotlib.patches import Rectangle

from iotsurvey import figures
from iotsurvey.figures import Bar

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}


def bars_of(fig):
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() < 1]


def chart(bars, **kw):
    return figures.bar_chart(bars, source="Source: test.", **kw)


def test_exact_values_are_bars_from_zero_sorted_largest_first():
    fig = chart([Bar("small", 14, low=12, high=16), Bar("large", 86, low=84, high=88)])
    ax = fig.axes[0]
    rects = bars_of(fig)
    assert sorted(r.get_width() for r in rects) == [14, 86]
    assert all(r.get_x() == 0 for r in rects)
    assert ax.get_xlim()[0] == 0
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["large", "small"]


def test_bounds_are_never_bars():
    fig = chart(
        [Bar("more than", 50, "more_than"), Bar("nearly", 33, "nearly"), Bar("exact", 40, low=37, high=43)],
        ordered=True,
    )
    widths = [r.get_width() for r in bars_of(fig)]
    assert widths == [40], "only the exact value may be drawn as a bar"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "more than 50%" in texts and "nearly 33%" in texts
    # the bound is marked by a tick at the bound itself
    ticks = [line for line in fig.axes[0].lines if list(line.get_xdata()) == [50, 50]]
    assert ticks, "a lower bound needs a tick at its value"


def test_ranks_have_no_mark_and_no_value():
    fig = chart(
        [Bar("first", 59, low=56, high=62), Bar("second", None, "rank", rank=2), Bar("third", None, "rank", rank=3)],
        ordered=True,
    )
    assert [r.get_width() for r in bars_of(fig)] == [59]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "ranked second, no value published" in texts
    assert not any(re.fullmatch(r"\d+%", t) for t in texts if t != "59%")


def test_ranks_cannot_be_sorted_by_value():
    with pytest.raises(ValueError, match="ordered=True"):
        chart([Bar("a", 10), Bar("b", None, "rank", rank=2)])


def test_value_labels_and_whiskers():
    fig = chart([Bar("a", 86, low=84.0, high=87.9)])
    ax = fig.axes[0]
    assert "86%" in [t.get_text() for t in ax.texts]
    segments = [c for c in ax.collections]
    assert segments, "an interval needs a whisker"
    xs = sorted({round(float(x), 1) for c in segments for seg in c.get_segments() for x, _ in seg})
    assert xs[0] == 84.0 and xs[-1] == 87.9


def test_colours_are_okabe_ito_and_background_opaque():
    fig = chart([Bar("all", 50, low=45, high=55), Bar("country", 60, low=54, high=66, role="country")])
    for rect in bars_of(fig):
        assert mcolors.to_hex(rect.get_facecolor()) in OKABE_ITO
    assert mcolors.to_hex(fig.get_facecolor()) == "#ffffff" and fig.get_facecolor()[3] == 1


def _luminance(hex_colour):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in mcolors.to_rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("colour", list(figures.ROLE_COLOURS.values()))
def test_mark_colours_contrast_three_to_one_with_the_background(colour):
    ratio = (1.05) / (_luminance(colour) + 0.05)
    assert ratio >= 3, f"{colour} has {ratio:.2f}:1 against white"


def test_text_colours_contrast_four_and_a_half_to_one():
    for colour in (figures.TEXT, figures.MUTED):
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5


def test_the_source_note_is_inside_the_image():
    fig = figures.bar_chart([Bar("a", 10)], source="Source: a release, 1 January 2018.")
    assert any("Source: a release" in t.get_text() for t in fig.texts)


def test_alt_text_states_every_value_in_order():
    bars = [
        Bar("needs to improve", 86, low=84.0, high=87.9),
        Bar("more than half", 50, "more_than"),
        Bar("second", None, "rank", rank=2),
    ]
    alt = figures.alt_text("Test", bars, "Assumption.")
    assert "needs to improve: 86% (modelled 95% interval 84.0 to 87.9)" in alt
    assert "more than half: more than 50%" in alt
    assert "second: ranked second, no value published" in alt
    assert alt.index("86%") < alt.index("more than 50%")


def test_saved_files_are_byte_identical_and_undated(tmp_path):
    bars = [Bar("a", 86, low=84.0, high=87.9), Bar("b", 14, low=12.1, high=16.1)]
    figures.save(lambda look: chart(bars, look=look), tmp_path / "one")
    figures.save(lambda look: chart(bars, look=look), tmp_path / "two")
    for name in ("svg", "png", "dark.svg", "narrow.svg", "narrow-dark.svg"):
        suffix = "." + name if "." not in name else "-" + name
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes(), name
    svg = (tmp_path / "one.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert b"tIME" not in (tmp_path / "one.png").read_bytes()


def _contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("look", figures.LOOKS, ids=lambda look: look.name or "light")
def test_every_look_keeps_text_and_marks_legible(look):
    """Text at least 4.5:1 against the figure's own background, marks at least 3:1 (WCAG 2.2), in light and dark."""
    assert _contrast(look.text, look.background) >= 4.5
    assert _contrast(look.muted, look.background) >= 4.5
    for role, colour in look.colours.items():
        assert _contrast(colour, look.background) >= 3, (look.name, role, colour)


def test_the_phone_look_puts_labels_above_the_bars_and_keeps_them_whole():
    """At about 375 CSS px wide, a label beside the bar would leave the bar no room: it goes above it."""
    look = next(look for look in figures.LOOKS if look.labels_above)
    fig = chart(
        [
            Bar("Their organisation needs to improve its awareness of IoT threats", 86, low=84, high=88),
            Bar("Complete awareness", 14, low=12, high=16),
        ],
        look=look,
    )
    assert fig.get_figwidth() * 96 <= 390
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("Their organisation needs" in t for t in texts) and not fig.axes[0].get_yticklabels()
