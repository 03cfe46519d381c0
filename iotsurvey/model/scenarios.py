"""The country scenario grid: assumed numbers of respondents per country, and each country figure against
the respondents of the other countries under every scenario.

The number of respondents in each country was not published.  The book assumes sizes from ``SCENARIO_NS``
(the equal split among them) and design effects from :data:`iotsurvey.model.intervals.DESIGN_EFFECTS`, and
says which everywhere a country figure appears.  A figure the release states for two countries together
("71% in the UK and the US", ``stated_with`` in the data) is one figure for their respondents pooled, at
sizes per country that keep every other country inside the scenario range.
"""

from __future__ import annotations

import functools

from . import intervals
from .survey import Finding, load

SCENARIO_NS = (150, 230, 300, 400, 500)  # assumed respondents per country (the sample chapter explains them)
EQUAL_SPLIT = intervals.TOTAL_N // intervals.COUNTRIES  # the equal-allocation scenario: respondents per country
GAP_CENTRE_LOW = 15  # a share near the end of the scale, to show how the clear gap shrinks there


def stated_together(f: Finding) -> tuple[Finding, ...]:
    """The finding and the one it is stated with, in id order; or the finding alone."""
    if f.stated_with is None:
        return (f,)
    return tuple(sorted((f, load().finding(f.stated_with)), key=lambda x: x.id))


def country_gaps(finding: Finding, weighting: str = "pooled") -> dict[tuple[int, float], intervals.CountryGap]:
    """A country figure against the other countries, for every assumed size and design effect.

    Keyed by (country size, design effect), in the order design effect, then size.  ``weighting`` is how the
    total is assumed to be formed ("pooled": the main assumption; "equal": a total weighted to equal country
    shares).  Cached per process: a chapter glues, draws and tabulates the same gaps.
    """
    return _country_gaps(finding.id, weighting)


@functools.cache
def _country_gaps(finding_id: str, weighting: str) -> dict[tuple[int, float], intervals.CountryGap]:
    survey = load()
    finding = survey.finding(finding_id)
    total = survey.finding(finding.global_id)
    return {
        (size, deff): intervals.country_against_rest(
            int(finding.value), int(total.value), size, deff, weighting=weighting
        )
        for deff in intervals.DESIGN_EFFECTS
        for size in SCENARIO_NS
    }


def group_gaps(*members: Finding) -> dict[tuple[int, float], intervals.CountryGap]:
    """Countries published with one figure together against the others, for every assumed size per member
    country (keeping the other countries inside the scenario range) and design effect."""
    return _group_gaps(tuple(m.id for m in members))


@functools.cache
def _group_gaps(member_ids: tuple[str, ...]) -> dict[tuple[int, float], intervals.CountryGap]:
    survey = load()
    members = [survey.finding(i) for i in member_ids]
    totals, values = {m.global_id for m in members}, {m.value for m in members}
    if len(totals) != 1 or None in totals or len(values) != 1:
        raise ValueError(
            f"expected one published figure for countries of one whole-sample figure, found "
            f"{sorted(map(str, values))} against {sorted(map(str, totals))}"
        )
    total, value = survey.finding(totals.pop()), int(values.pop())
    return {
        (size, deff): intervals.group_against_rest([(value, size * len(members))], int(total.value), deff)
        for deff in intervals.DESIGN_EFFECTS
        for size in intervals.group_sizes(SCENARIO_NS, len(members))
    }


def gaps_of(members: tuple[Finding, ...]) -> dict[tuple[int, float], intervals.CountryGap]:
    """The scenario grid of one country, or of countries stated together."""
    return group_gaps(*members) if len(members) > 1 else country_gaps(members[0])


def compared() -> list[tuple[tuple[Finding, ...], dict[tuple[int, float], intervals.CountryGap]]]:
    """Every country figure that has a whole-sample counterpart, once (countries stated together as one),
    with its scenario grid, in data order."""
    out = []
    for f in load().countries_findings():
        members = stated_together(f)
        if f.global_id and members[0] is f:
            out.append((members, gaps_of(members)))
    return out
