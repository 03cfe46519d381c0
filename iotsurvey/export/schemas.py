"""Table Schemas (Frictionless) of the CSV files the book publishes beside its figures and chapters.

Each published CSV links its schema; the tests validate every published CSV against the schema it links.
Column names are plain words and every coded value is listed with its meaning, so that a values file read
on its own says what each number is; each schema names the survey, the book, its version and licence.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..model import evidence

_TEXT = {"type": "string"}
_NUMBER = {"type": "number"}


def _field(name: str, description: str, kind: dict = _TEXT, **constraints) -> dict:
    field = {"name": name, **kind, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


_ID = _field(
    "finding_id",
    "The finding's id in data/findings.csv (J, S, F or N series); empty for a row that is not a finding.",
    pattern="([JSFN][0-9]{2})?",
)
_SHARE_OF = _field("share_of", "What the percentage is a share of, in words.")
_STATED = _field(
    "stated",
    "How the value was published. exact: a point, rounded to a whole percent by the release; about: only in "
    "rounded words, such as '9 in 10'; more_than: a lower bound ('more than half'); nearly: an upper bound close "
    "below the value ('nearly a third'); rank: an order of items with no value.",
    enum=["exact", "about", "more_than", "nearly", "rank"],
)
_GRADE = _field(
    "evidence_grade",
    "The book's evidence grade (rubric on the methodology page); empty for a row that is not a finding.",
    enum=[label for label, _ in evidence.GRADES.values()],
)
_FLAGS = _field(
    "evidence_flags",
    "The evidence flags shown with the grade, separated by semicolons: "
    + "; ".join(f"'{words}'" for words in evidence.FLAGS.values())
    + ". Empty when none applies.",
)
_METHOD = _field("interval_method", "How the interval was computed, or why there is none.")
_N = _field(
    "assumed_n",
    "The number of respondents the interval assumes (1,150 for the whole sample; a scenario for a country).",
    {"type": "integer"},
    minimum=1,
)
_DEFF = _field(
    "design_effect", "The design effect the interval assumes (1 = simple random sampling).", _NUMBER, minimum=1
)

SCHEMAS = {
    "figure-values": {
        "description": "The values drawn in one of the book's bar charts, one row per bar, top to bottom.",
        "fields": [
            _ID,
            _field(
                "label", "The row's label as drawn, with a single-source mark and the base where needed.", required=True
            ),
            _field(
                "measure_or_row", "What the finding measures, in the book's words (or the row's label).", required=True
            ),
            _SHARE_OF,
            _STATED,
            _field("value", "The value drawn, in the unit of the unit column; empty for a rank.", _NUMBER),
            _field(
                "unit",
                "The unit of value and of the interval. percent: a share, in percent; percentage points: a "
                "difference between two shares; pages: a count of web pages.",
                required=True,
                enum=["percent", "percentage points", "pages"],
            ),
            _field(
                "interval_low",
                "Lower end of the modelled 95% interval, to the precision the book prints (one decimal; two where "
                "one would hide which side of zero it lies); empty where no interval exists.",
                _NUMBER,
            ),
            _field(
                "interval_high",
                "Upper end of the modelled 95% interval, to the precision the book prints; empty where none exists.",
                _NUMBER,
            ),
            _N,
            _DEFF,
            _METHOD,
            _field("no_interval_because", "Why no interval can be computed; empty where one exists."),
            _GRADE,
            _FLAGS,
            _field("release", "The release (or the other survey) the row comes from."),
            _field(
                "sources", "The addresses of the pages the row's value comes from, separated by spaces.", required=True
            ),
            _field("axis", "The chart's axis label.", required=True),
        ],
    },
    "precision-values": {
        "description": "Maximum modelled margin of error (half-width of the 95% Wilson interval at 50%, under simple "
        "random sampling with n divided by the design effect) by number of respondents.",
        "fields": [
            _field("n", "Number of respondents.", {"type": "integer"}, required=True, minimum=1),
            _field("design_effect", "Design effect (1 = simple random sampling).", _NUMBER, required=True, minimum=1),
            _field(
                "max_modelled_margin_points",
                "Maximum modelled margin, in percentage points (sampling variability only, under the model).",
                _NUMBER,
                required=True,
                minimum=0,
            ),
        ],
    },
    "chapter-findings": {
        "description": "The findings a chapter uses, one row per finding, with their evidence status.",
        "fields": [
            _field("finding_id", "The finding's id in data/findings.csv.", required=True, pattern="[JSFN][0-9]{2}"),
            _field("measure", "What the finding measures, in the book's words.", required=True),
            _field("published_as", "The value as published, in words.", required=True),
            _STATED,
            _field("value", "The published number (the bound for a bound); empty for a ranking.", _NUMBER),
            _field(
                "unit",
                "percent, usd_million, attacks or rank.",
                required=True,
                enum=["percent", "usd_million", "attacks", "rank"],
            ),
            _SHARE_OF,
            _field("base_note", "The base in words, including what was not published about it.", required=True),
            _field("country", "All, or the one country the figure describes.", required=True),
            _field(
                "interval",
                "Whether a modelled interval can be computed, and if not why (the interval column of "
                "data/findings.csv). computable: a share of all respondents (n = 1,150 published); "
                "country_scenarios: a share of one country's respondents, whose number was not published, so "
                "intervals only under assumed sizes; base_size_unknown: a share of a subgroup or of projects whose "
                "number was not published; base_unclear: unclear what it is a share of; bound: published only as a "
                "bound; rank: published only as an order; not_a_share: an amount with no published spread.",
                required=True,
                enum=list(evidence.INTERVAL_METHOD) + list(evidence.NO_INTERVAL_BECAUSE),
            ),
            _field(
                "interval_low", "Lower end of the modelled 95% interval at assumed_n; empty where none exists.", _NUMBER
            ),
            _field(
                "interval_high",
                "Upper end of the modelled 95% interval at assumed_n; empty where none exists.",
                _NUMBER,
            ),
            _N,
            _DEFF,
            _METHOD,
            _GRADE,
            _FLAGS,
            _field("single_source", "true when one page only states the finding.", {"type": "boolean"}, required=True),
            _field(
                "pages",
                "How many pages in the book's source list state it.",
                {"type": "integer"},
                required=True,
                minimum=1,
            ),
            _field(
                "wording",
                "What is known of the question. summary_only: a release's summary of the answers (the question was "
                "not published); coverage_only: known only from outlets' reports, no copy of the release carries "
                "it; published: the question text is known.",
                required=True,
                enum=["summary_only", "coverage_only", "published"],
            ),
            _field("release", "The release the finding comes from.", required=True),
            _field("release_date", "The release's date, in words.", required=True),
            _field("sources", "The addresses of every page that states it, separated by spaces.", required=True),
        ],
    },
}


def columns(name: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[name]["fields"]]


def descriptor(name: str, book: dict) -> dict:
    """The schema ``name`` as a Table Schema that names the survey, the book, its version and licence."""
    schema = SCHEMAS[name]
    return {
        "title": f"{book['title']}, version {book['version']}: {name}",
        "description": f"{schema['description']} Published figures of the 2018 Trend Micro / Vanson Bourne survey of "
        "1,150 IT and security decision-makers, as collected and computed by the book; intervals are modelled "
        "(sampling variability only, under stated assumptions).",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "version": book["version"],
        "fields": schema["fields"],
    }


def write(path: Path, name: str, book: dict) -> None:
    """Write the schema ``name`` as JSON (sorted keys, so two builds write the same bytes)."""
    text = json.dumps(descriptor(name, book), indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
