"""Interval functions against independent references.

References: the worked tables in Brown, Cai & DasGupta (2001) style that the
project's methods notes give for this survey (14% of 1,150 and of 230), the
counts consistent with a rounded percentage worked by hand, and SciPy's
binomtest as a second, independent implementation of the Wilson interval.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest

from iotsurvey.model import intervals


@pytest.mark.parametrize(
    "k,n,low,high",
    [
        (161, 1150, 12.1, 16.1),  # 14% of the total sample, reference table
        (32, 230, 10.0, 19.0),  # the nearest whole counts to 14%, 50%, 5%, 2% of 230
        (115, 230, 43.6, 56.4),
        (12, 230, 3.0, 8.9),
        (5, 230, 0.9, 5.0),
    ],
)
def test_wilson_matches_reference_table(k, n, low, high):
    got = intervals.wilson(100 * k / n, n)
    assert got[0] == pytest.approx(low, abs=0.06) and got[1] == pytest.approx(high, abs=0.06)


@pytest.mark.parametrize("k,n", [(161, 1150), (1, 230), (115, 230), (989, 1150), (0, 50), (50, 50)])
def test_wilson_agrees_with_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = intervals.wilson(100 * k / n, n)
    assert low == pytest.approx(100 * ci.low, abs=1e-9) and high == pytest.approx(100 * ci.high, abs=1e-9)


@pytest.mark.parametrize(
    "percent,n,expected",
    [
        (14, 1150, (156, 166)),  # 155/1150 = 13.48% and 167/1150 = 14.52% round away
        (50, 1150, (570, 580)),
        (5, 1150, (52, 63)),
        (2, 1150, (18, 28)),
        (14, 230, (32, 33)),
        (0, 10, (0, 0)),
        (100, 10, (10, 10)),
    ],
)
def test_consistent_counts(percent, n, expected):
    assert intervals.consistent_counts(percent, n) == expected
    k_min, k_max = expected
    # every count in the band rounds (half up) to the percentage, the neighbours do not
    half_up = lambda k: math.floor(100 * k / n + 0.5)
    assert all(half_up(k) == percent for k in range(k_min, k_max + 1))
    if k_min > 0:
        assert half_up(k_min - 1) != percent
    if k_max < n:
        assert half_up(k_max + 1) != percent


@pytest.mark.parametrize("n", [60, 61, 62, 67, 68, 75, 82, 89])
def test_impossible_percentages_are_detected(n):
    k_min, k_max = intervals.consistent_counts(14, n)
    assert k_min > k_max
    with pytest.raises(ValueError, match="cannot be produced"):
        intervals.rounding_envelope(14, n)


def test_rounding_envelope_reference():
    low, high = intervals.rounding_envelope(14, 1150)
    assert (round(low, 1), round(high, 1)) == (11.7, 16.6)


@pytest.mark.parametrize("deff,low,high", [(1.0, 12.1, 16.1), (1.5, 11.7, 16.6), (2.0, 11.4, 17.1), (3.0, 10.9, 17.8)])
def test_design_effect_widens_as_tabulated(deff, low, high):
    got = intervals.wilson(14, 1150, deff)
    assert (round(got[0], 1), round(got[1], 1)) == (low, high)


@pytest.mark.parametrize("n", [100, 150, 230, 500, 1150])
def test_max_margin_is_half_the_wilson_width_at_50(n):
    # n even or odd: compare with scipy at the nearest whole count to n/2 when n is even
    if n % 2 == 0:
        ci = binomtest(n // 2, n).proportion_ci(method="wilson")
        assert intervals.max_margin(n) == pytest.approx(50 * (ci.high - ci.low), abs=1e-9)
    # and within 0.2 point of the textbook 1.96 * sqrt(0.25 / n)
    assert abs(intervals.max_margin(n) - 100 * 1.959964 * math.sqrt(0.25 / n)) < 0.2
    assert intervals.max_margin(n, 2.0) > intervals.max_margin(n, 1.5) > intervals.max_margin(n)


def _newcombe_from_scipy(k1, n1, k2, n2):
    """Newcombe's hybrid score interval (1998, method 10), built from SciPy's Wilson limits."""
    p1, p2 = k1 / n1, k2 / n2
    c1 = binomtest(k1, n1).proportion_ci(method="wilson")
    c2 = binomtest(k2, n2).proportion_ci(method="wilson")
    d = p1 - p2
    return (100 * (d - math.hypot(p1 - c1.low, c2.high - p2)), 100 * (d + math.hypot(c1.high - p1, p2 - c2.low)))


@pytest.mark.parametrize("k1,n1,k2,n2", [(51, 230, 32, 230), (209, 230, 780, 920), (10, 150, 90, 1000)])
def test_difference_matches_newcombe(k1, n1, k2, n2):
    got = intervals.difference(100 * k1 / n1, n1, 100 * k2 / n2, n2)
    want = _newcombe_from_scipy(k1, n1, k2, n2)
    assert got == pytest.approx(want, abs=1e-6)


def test_difference_reference_value():
    # 22% vs 14% of 230 each: +1.2 to +15.2 points in the reference notes
    low, high = intervals.difference(100 * 51 / 230, 230, 100 * 32 / 230, 230)
    assert (round(low, 1), round(high, 1)) == (1.2, 15.2)


def test_smallest_clear_gap_at_230():
    # the half-width of a difference at 50% with n = 230 each is about 9.1 points,
    # so 10 whole points is the first gap that excludes zero
    gap = intervals.smallest_clear_gap(230)
    assert gap == 10
    assert intervals.difference(50 + gap / 2, 230, 50 - gap / 2, 230)[0] > 0
    assert intervals.difference(50 + (gap - 1) / 2, 230, 50 - (gap - 1) / 2, 230)[0] <= 0


def test_country_against_rest_uses_the_rest_of_the_sample():
    gap = intervals.country_against_rest(91, 86, 230)
    assert gap.rest_n == 920
    assert gap.rest_percent == pytest.approx((86 * 1150 - 91 * 230) / 920)
    # widened for rounding: never narrower than the interval at the published values
    plain = intervals.difference(91, 230, gap.rest_percent, 920)
    assert gap.low <= plain[0] and gap.high >= plain[1]
    # a larger design effect can only widen it
    wider = intervals.country_against_rest(91, 86, 230, deff=2)
    assert wider.low < gap.low and wider.high > gap.high


def test_total_n_matches_the_data():
    from iotsurvey.model.survey import load

    assert load().respondents == intervals.TOTAL_N


@pytest.mark.parametrize("bad", [(-1, 100), (101, 100), (50, 0)])
def test_rejects_impossible_inputs(bad):
    with pytest.raises(ValueError):
        intervals.wilson(*bad)
