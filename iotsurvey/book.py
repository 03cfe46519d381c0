"""What a chapter imports: ``from iotsurvey.book import *``, then ``start_chapter(...)``.

The work lives in four modules, each one thing:

- :mod:`iotsurvey.glue`: every number a chapter pastes into its prose, and the grammar of glue keys
  the tests recompute from ``data/`` (documented there);
- :mod:`iotsurvey.charts`: a finding as a bar with its conditions, and the charts built from them;
- :mod:`iotsurvey.tables`: the tables chapters share, and each chapter's data download;
- :mod:`iotsurvey.outlets`: where the figures were published and how outlets reported them;
- :mod:`iotsurvey.publish`: build paths, escaping, spreadsheet-safe CSV, the numbered figure's files.

This module only gathers what chapters use, and opens a chapter in one call.
"""

from __future__ import annotations

from . import intervals  # noqa: F401 (chapters use intervals.TOTAL_N and friends)
from .charts import (  # noqa: F401
    Bar,
    axis_label,
    finding_bar,
    finding_bars,
    finding_label,
    gap_bars,
    interval_note,
    rank_bars,
    show_chart,
    show_country_chart,
    show_country_gap_chart,
    show_precision_chart,
    show_travel_chart,
)
from .glue import (  # noqa: F401
    EQUAL_SPLIT,
    SCENARIO_NS,
    claim,
    country_gaps,
    glue,
    glue_attack_bounds,
    glue_bound,
    glue_countries,
    glue_country_gap,
    glue_design,
    glue_disclosure,
    glue_discrepancy_counts,
    glue_discrepancy_pages,
    glue_evidence,
    glue_finding,
    glue_findings,
    glue_group_gap,
    glue_overview,
    glue_precision,
    glue_scenarios,
    glue_sources,
    glue_sum,
    survey,
    verdict,
    zero_words,
)
from .outlets import (  # noqa: F401
    show_all_sources,
    show_discrepancies,
    show_discrepancy_table,
    show_source_table,
    show_sources,
)
from .publish import (  # noqa: F401
    md_escape,
    show_table,
)
from .tables import (  # noqa: F401
    country_verdict_words,
    show_chapter_data,
    show_country_table,
    show_design_table,
    show_disclosure_table,
    show_evidence_rubric,
    show_glance,
    show_key_findings,
    show_scenario_table,
    show_spending_table,
)


def start_chapter(*finding_ids: str, sources: bool = False, design: bool = True, overview: bool = True):
    """Open a chapter: glue its findings (and where they appeared, with ``sources``), the design facts and the
    book-wide counts; return the findings, in the order given, for the chapter's own cells."""
    findings = [survey().finding(i) for i in finding_ids]
    glue_findings(*findings, sources=sources)
    if design:
        glue_design()
    if overview:
        glue_overview()
    return findings[0] if len(findings) == 1 else findings


__all__ = [
    "survey",
    "glue",
    "glue_finding",
    "glue_findings",
    "country_gaps",
    "glue_precision",
    "glue_design",
    "glue_scenarios",
    "glue_overview",
    "glue_disclosure",
    "show_chart",
    "show_precision_chart",
    "show_table",
    "show_design_table",
    "show_disclosure_table",
    "show_scenario_table",
    "finding_bars",
    "md_escape",
    "Bar",
    "intervals",
    "SCENARIO_NS",
    "glue_country_gap",
    "gap_bars",
    "glue_sum",
    "glue_bound",
    "rank_bars",
    "show_sources",
    "show_glance",
    "interval_note",
    "EQUAL_SPLIT",
    "glue_attack_bounds",
    "glue_sources",
    "show_spending_table",
    "show_country_chart",
    "glue_countries",
    "show_country_gap_chart",
    "show_country_table",
    "show_all_sources",
    "show_source_table",
    "show_discrepancy_table",
    "glue_discrepancy_counts",
    "show_travel_chart",
    "glue_discrepancy_pages",
    "show_chapter_data",
    "finding_bar",
    "finding_label",
    "axis_label",
    "show_discrepancies",
    "claim",
    "verdict",
    "zero_words",
    "glue_group_gap",
    "glue_evidence",
    "show_evidence_rubric",
    "show_key_findings",
    "start_chapter",
    "country_verdict_words",
]
