"""What a chapter shows: the names its cells import, each from the module that makes it.

A chapter opens with ``chapter = start_chapter("<name>")`` (its findings, from :mod:`.chapters`), glues the
numbers its prose pastes (:mod:`.glue`), guards every sentence whose reasoning rests on them with
:func:`claim`, and shows figures (:func:`show_figure`, by name, from :mod:`.figures`), tables and lists as
cell outputs.  Chapters import these names explicitly, for example::

    from iotsurvey.render import claim, show_figure, start_chapter
"""

from ..model import intervals
from ..model.scenarios import EQUAL_SPLIT, SCENARIO_NS
from .chapters import Chapter, start_chapter
from .figures import charted
from .glue import (
    claim,
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
    glue_overview,
    glue_precision,
    glue_scenarios,
    glue_sources,
    glue_sum,
    survey,
)
from .outputs import show_figure
from .peers import (
    detect_conflict,
    glue_peers,
    show_conflicts,
    show_design_comparison,
    show_other_figures,
    whole_sample_improvement,
)
from .sources import show_all_sources, show_discrepancies, show_discrepancy_table, show_source_table, show_sources
from .tables import (
    country_verdict_words,
    show_chapter_data,
    show_country_table,
    show_design_table,
    show_disclosure_table,
    show_evidence_rubric,
    show_glance_table,
    show_key_findings,
    show_scenario_table,
    show_spending_table,
)

__all__ = [
    "EQUAL_SPLIT",
    "SCENARIO_NS",
    "Chapter",
    "charted",
    "claim",
    "country_verdict_words",
    "detect_conflict",
    "glue",
    "glue_attack_bounds",
    "glue_bound",
    "glue_countries",
    "glue_country_gap",
    "glue_design",
    "glue_disclosure",
    "glue_discrepancy_counts",
    "glue_discrepancy_pages",
    "glue_evidence",
    "glue_finding",
    "glue_overview",
    "glue_peers",
    "glue_precision",
    "glue_scenarios",
    "glue_sources",
    "glue_sum",
    "intervals",
    "show_all_sources",
    "show_chapter_data",
    "show_conflicts",
    "show_country_table",
    "show_design_comparison",
    "show_design_table",
    "show_disclosure_table",
    "show_discrepancies",
    "show_discrepancy_table",
    "show_evidence_rubric",
    "show_figure",
    "show_glance_table",
    "show_key_findings",
    "show_other_figures",
    "show_scenario_table",
    "show_source_table",
    "show_sources",
    "show_spending_table",
    "start_chapter",
    "survey",
    "whole_sample_improvement",
]
