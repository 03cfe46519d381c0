"""How sure anyone can be of a published percentage, under stated assumptions.

Every interval here is *modelled*: it assumes the respondents behave like a
simple random sample of the target population (optionally inflated by a design
effect).  The survey was an online, almost certainly opt-in sample, so these
ranges cover sampling variability only, not coverage, self-selection or
measurement error.  The arithmetic is done by statsmodels; nothing here
re-implements an interval formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

LEVEL = 0.95
TOTAL_N = 1150  # checked against data/design.csv (M01) by the tests
DESIGN_EFFECTS = (1.0, 1.5, 2.0)
COUNTRIES = 5  # checked against data/design.csv (M02) by the tests


def wilson(percent: float, n: float, deff: float = 1.0, level: float = LEVEL) -> tuple[float, float]:
    """95% Wilson score interval, in percent, for a share published as ``percent`` of ``n``.

    With a design effect, the interval is that of the effective sample size
    n / deff (Kish).  Returns (low, high) in percentage points.
    """
    from statsmodels.stats.proportion import proportion_confint  # imported on first use: it takes a second

    _check(percent, n, deff)
    n_eff = n / deff
    low, high = proportion_confint(percent / 100 * n_eff, n_eff, alpha=1 - level, method="wilson")
    return 100 * float(low), 100 * float(high)


def consistent_counts(percent: int, n: int) -> tuple[int, int]:
    """Whole numbers of respondents k that round (half up) to ``percent`` of ``n``.

    k qualifies when percent - 0.5 <= 100 k / n < percent + 0.5; exact
    fractions, so no floating-point edge can move a boundary.  Returns
    (k_min, k_max); k_min > k_max means the percentage cannot arise from n.
    """
    if int(percent) != percent or not 0 <= percent <= 100:
        raise ValueError(f"expected a whole percentage from 0 to 100, got {percent}")
    if int(n) != n or n < 1:
        raise ValueError(f"expected a whole number of respondents, got {n}")
    low = Fraction(n) * (Fraction(int(percent)) - Fraction(1, 2)) / 100
    high = Fraction(n) * (Fraction(int(percent)) + Fraction(1, 2)) / 100
    k_min = max(0, math.ceil(low))
    k_max = min(int(n), math.ceil(high) - 1)
    return k_min, k_max


def rounding_envelope(percent: int, n: int, deff: float = 1.0, level: float = LEVEL) -> tuple[float, float]:
    """The union of Wilson intervals over every count consistent with ``percent``.

    Accounts for the published figure being rounded to a whole percent: the
    lowest lower limit and the highest upper limit over k_min..k_max.
    """
    k_min, k_max = consistent_counts(percent, n)
    if k_min > k_max:
        raise ValueError(f"{percent}% cannot be produced by any whole count out of {n}")
    return wilson(100 * k_min / n, n, deff, level)[0], wilson(100 * k_max / n, n, deff, level)[1]


def max_margin(n: float, deff: float = 1.0, level: float = LEVEL) -> float:
    """Half-width, in points, of the Wilson interval at 50%: the widest any share can have."""
    low, high = wilson(50, n, deff, level)
    return (high - low) / 2


def difference(percent_a: float, n_a: float, percent_b: float, n_b: float, level: float = LEVEL) -> tuple[float, float]:
    """Newcombe hybrid-score interval, in points, for (a - b) between two independent groups."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        percent_a / 100 * n_a, n_a, percent_b / 100 * n_b, n_b, method="newcomb", compare="diff", alpha=1 - level
    )
    return 100 * float(low), 100 * float(high)


def smallest_clear_gap(n: float, percent: float = 50, level: float = LEVEL) -> int:
    """Smallest whole-point gap between two groups of ``n`` each that the interval separates.

    The two groups sit symmetrically around ``percent``; the gap is clear when
    the Newcombe interval of the difference excludes zero.
    """
    for gap in range(1, 101):
        a, b = percent + gap / 2, percent - gap / 2
        if b < 0 or a > 100:
            break
        if difference(a, n, b, n, level)[0] > 0:
            return gap
    raise ValueError(f"no gap up to 100 points is clear at n = {n}")


@dataclass(frozen=True)
class CountryGap:
    """A country figure against the rest of the sample, under one scenario."""

    country_n: int
    rest_n: int
    deff: float
    rest_percent: float  # implied share among the other countries' respondents
    low: float  # interval of (country - rest), in points, widened for rounding
    high: float

    @property
    def clear(self) -> bool:
        """True when the interval of the gap excludes zero."""
        return self.low > 0 or self.high < 0


def country_against_rest(
    country_percent: int,
    total_percent: int,
    country_n: int,
    deff: float = 1.0,
    total_n: int = TOTAL_N,
    weighting: str = "pooled",
) -> CountryGap:
    """Compare a country with the respondents from the other countries.

    A country's respondents are part of the total, so the fair comparison is
    with the rest.  ``weighting`` says how the published total was formed:

    - ``"pooled"`` (the book's main assumption): the total is the unweighted
      share of all respondents, so the rest's count is the total's count minus
      the country's, k_rest = k_total - k_country, out of N - n.
    - ``"equal"``: the total is the average of the five countries' shares
      (weighted to equal country sizes), so the rest's share is
      (5 x total - country) / 4, whatever the country sizes.

    Both published figures are rounded to a whole percent.  The interval is the
    Newcombe hybrid score interval of the difference, taken for every pair of
    whole counts consistent with both rounded figures (see :func:`paired_counts`),
    and the widest span over those pairs is returned.  Both groups are shrunk by
    the design effect.
    """
    return group_against_rest([(country_percent, country_n)], total_percent, deff, total_n, weighting)


def paired_counts(members: list[tuple[int, int]], total_percent: int, total_n: int = TOTAL_N) -> list[tuple[int, int]]:
    """Every (group count, total count) pair consistent with the rounded figures.

    ``members`` are (percent, n) of the countries in the group, each rounded
    separately; the group's count is the sum of one consistent count per
    member.  A pair is kept only if the rest's count k_total - k_group lies
    between 0 and the rest's size.
    """
    group_counts = {0}
    for percent, n in members:
        lo, hi = consistent_counts(percent, n)
        group_counts = {g + k for g in group_counts for k in range(lo, hi + 1)}
    rest_n = total_n - sum(n for _, n in members)
    t_lo, t_hi = consistent_counts(total_percent, total_n)
    return [(g, t) for g in sorted(group_counts) for t in range(t_lo, t_hi + 1) if 0 <= t - g <= rest_n]


def group_against_rest(
    members: list[tuple[int, int]],
    total_percent: int,
    deff: float = 1.0,
    total_n: int = TOTAL_N,
    weighting: str = "pooled",
) -> CountryGap:
    """One or more countries (``members``: (percent, n) each) against the respondents of the others.

    See :func:`country_against_rest`; with several members and ``"pooled"``,
    the group's share is their pooled share.  ``"equal"`` takes one member only.
    """
    import numpy as np
    from statsmodels.stats.proportion import confint_proportions_2indep

    group_n = sum(n for _, n in members)
    if not 0 < group_n < total_n:
        raise ValueError(f"expected a group size between 0 and {total_n}, got {group_n}")
    rest_n = total_n - group_n
    if weighting == "pooled":
        pairs = paired_counts(members, total_percent, total_n)
        if not pairs:
            raise ValueError(f"no counts of {members} are consistent with {total_percent}% of {total_n}")
        group = np.array([g for g, _ in pairs], dtype=float)
        rest = np.array([t - g for g, t in pairs], dtype=float)
        published = sum(p * n for p, n in members)
        rest_percent = (total_percent * total_n - published) / rest_n
    elif weighting == "equal" and len(members) == 1:
        ((percent, n),) = members
        lo, hi = consistent_counts(percent, n)
        ks = np.arange(lo, hi + 1, dtype=float)
        countries = COUNTRIES
        # the rest's mean share over the total's rounding band, for each country count
        grid = [
            (k, (countries * t - 100 * k / n) / (countries - 1))
            for k in ks
            for t in (total_percent - 0.5, total_percent + 0.5)
        ]
        group = np.array([k for k, _ in grid])
        rest = np.clip(np.array([r for _, r in grid]), 0, 100) / 100 * rest_n
        rest_percent = (countries * total_percent - percent) / (countries - 1)
    else:
        raise ValueError(f"unknown weighting {weighting!r} for {len(members)} member(s)")
    if not 0 <= rest_percent <= 100:
        raise ValueError(f"{members} is inconsistent with {total_percent}% of {total_n}")
    low, high = confint_proportions_2indep(
        group / deff, group_n / deff, rest / deff, rest_n / deff, method="newcomb", compare="diff", alpha=1 - LEVEL
    )
    return CountryGap(group_n, rest_n, deff, float(rest_percent), 100 * float(np.min(low)), 100 * float(np.max(high)))


def group_sizes(scenario_ns: tuple[int, ...], members: int = 1, total_n: int = TOTAL_N) -> tuple[int, ...]:
    """The assumed respondents per member country that keep every other country inside the scenario range.

    With ``members`` countries at n each, the other ``COUNTRIES - members`` share the rest equally; a size is
    kept when they get between the smallest and the largest scenario size each.  The largest size that does so
    is added when it lies inside the range (350 each for two countries: 150 each for the other three).
    """
    low, high = min(scenario_ns), max(scenario_ns)
    others = COUNTRIES - members

    def feasible(n):
        return low <= (total_n - members * n) / others <= high

    largest = math.floor((total_n - others * low) / members)
    sizes = {n for n in scenario_ns if feasible(n)}
    if low <= largest <= high and feasible(largest):
        sizes.add(largest)
    return tuple(sorted(sizes))


def smallest_n_for_every_percent() -> int:
    """The smallest n from which every whole percentage 0..100 can arise from some count.

    Below it, some published percentages would rule some sample sizes out;
    from it on, a published whole percentage says nothing about n.
    """

    def every_percent(n):
        return all(k_min <= k_max for k_min, k_max in (consistent_counts(p, n) for p in range(101)))

    # From n = 100 on, one respondent moves the share by at most one point, so
    # every half-open interval [P - 0.5, P + 0.5) holds some k/n: search below.
    for n in range(100, 0, -1):
        if not every_percent(n):
            return n + 1
    return 1


def _check(percent: float, n: float, deff: float) -> None:
    if not 0 <= percent <= 100:
        raise ValueError(f"expected a percentage from 0 to 100, got {percent}")
    if n <= 0:
        raise ValueError(f"expected a positive number of respondents, got {n}")
    if deff < 1:
        raise ValueError(f"expected a design effect of at least 1, got {deff}")
