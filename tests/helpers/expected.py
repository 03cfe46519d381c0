"""What every glued key should hold, recomputed from data/*.csv without the iotsurvey package.

The Wilson interval here is the textbook closed form (Wilson 1927, as given by
Brown, Cai & DasGupta 2001); counts are found by brute force; dates and
counts are read with the csv module.  Nothing is imported from iotsurvey, so a
bug there cannot hide in the expectation.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
Z = 1.959963984540054  # the 97.5th percentile of the standard normal
TOTAL_N = 1150


@cache
def table(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wilson(p: float, n: float) -> tuple[float, float]:
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return 100 * (centre - half), 100 * (centre + half)


def counts(percent: int, n: int) -> tuple[int, int]:
    ks = [k for k in range(n + 1) if math.floor(100 * k / n + 0.5) == percent]
    return min(ks), max(ks)


def newcombe_low(p1, n1, p2, n2):
    l1, u1 = (x / 100 for x in wilson(p1, n1))
    l2, u2 = (x / 100 for x in wilson(p2, n2))
    return 100 * ((p1 - p2) - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))


def newcombe(p1, n1, p2, n2):
    l1, u1 = (x / 100 for x in wilson(p1, n1))
    l2, u2 = (x / 100 for x in wilson(p2, n2))
    d = p1 - p2
    return 100 * (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)), 100 * (
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    )


def rounds_to(k: int, n: int, percent: float) -> bool:
    return math.floor(100 * k / n + 0.5) == percent


@cache
def vs_rest(country: float, total: float, n: int, deff: float):
    """(low, high, rest%) of country minus the other countries: brute force over every pair of whole
    counts (k_country of n, k_total of 1,150) that round to the two published figures."""
    rest_n = TOTAL_N - n
    spans = [
        newcombe(kc / n, n / deff, (kt - kc) / rest_n, rest_n / deff)
        for kc in range(n + 1)
        if rounds_to(kc, n, country)
        for kt in range(TOTAL_N + 1)
        if rounds_to(kt, TOTAL_N, total) and 0 <= kt - kc <= rest_n
    ]
    return min(a for a, _ in spans), max(b for _, b in spans), (total * TOTAL_N - country * n) / rest_n


@cache
def vs_rest_equal(country: float, total: float, n: int, deff: float, countries: int = 5):
    """The same if the total averages the countries' shares with equal weights: rest = (c x total - country) / (c - 1)."""
    rest_n = TOTAL_N - n
    spans = [
        newcombe(
            kc / n, n / deff, min(max((countries * t - 100 * kc / n) / (countries - 1), 0), 100) / 100, rest_n / deff
        )
        for kc in range(n + 1)
        if rounds_to(kc, n, country)
        for t in (total - 0.5, total + 0.5)
    ]
    return min(a for a, _ in spans), max(b for _, b in spans), (countries * total - country) / (countries - 1)


def group_vs_rest(members: list[float], total: float, n: int, deff: float = 1.0):
    """Countries of n each with one published figure for all of them (pooled), against the rest."""
    assert len(set(members)) == 1, members
    size = n * len(members)
    low, high, rest = vs_rest(members[0], total, size, deff)
    return low, high, rest


def group_sizes(members: int) -> list[int]:
    """Sizes per member country that leave each of the other countries between 150 and 500 respondents, with the
    largest such size added: found by trying every whole size."""
    others = 5 - members
    ok = [n for n in range(1, TOTAL_N) if 150 <= (TOTAL_N - members * n) / others <= 500]
    return sorted({n for n in SCENARIOS if n in ok} | ({max(ok)} if 150 <= max(ok) <= 500 else set()))


def verdict_words(spans) -> str:
    clear = sum(lo > 0 or hi < 0 for lo, hi, _ in spans)
    if clear == len(spans):
        return "clear of zero in every scenario the book considers"
    if clear == 0:
        return "clear of zero in none of the scenarios the book considers"
    return f"clear of zero in {clear} of {len(spans)} scenarios and not in the others, so the published figures cannot settle it"


def carried_by_release(row: dict) -> bool:
    """Whether a copy of its release (or Trend Micro's own release page, or the copy the book reads) gives it."""
    kinds = {r["source_id"]: r["kind"] for r in table("sources")}
    copy = next(r["copy_used"] for r in table("releases") if r["release_id"] == row["release_id"])
    pages = [
        r["source_id"]
        for r in table("finding_sources")
        if r["finding_id"] == row["finding_id"] and r["as_released"] == "true"
    ]
    return any(kinds[p] in ("release_copy", "vendor_release") or p == copy for p in pages)


def contested(fid: str) -> bool:
    return any(
        fid in (r["finding_id"], r["related_id"])
        for r in table("discrepancies")
        if r["kind"] in ("unresolved", "meaning_inverted", "contradictory_reading")
    )


def flag_words(row: dict) -> dict[str, str]:
    """The flags a finding must carry, recomputed from the data, with a word each must be shown with."""
    flags = {
        "contested": contested(row["finding_id"]),
        "coverage_only": not carried_by_release(row),
        "wording_differs": row["wording_differs"] == "true",
        "base_presumed": row["base_presumed"] == "true",
    }
    words = {
        "contested": "contested",
        "coverage_only": "coverage only",
        "wording_differs": "worded differently",
        "base_presumed": "base presumed",
    }
    return {flag: words[flag] for flag, on in flags.items() if on}


def rubric(row: dict) -> str:
    """The evidence grade, written again from the rubric in data/README.md."""
    if row["stated"] == "rank":
        return "order_only"
    if row["stated"] != "exact":
        return "bound_only"
    if sum(r["finding_id"] == row["finding_id"] for r in table("finding_sources")) == 1:
        return "single_source"
    if not carried_by_release(row):
        return "coverage_only"
    if row["base"] == "unclear":
        return "base_unclear"
    if row["unit"] != "percent":
        return "amount_no_spread"
    if row["base"] in ("subgroup", "projects"):
        return "base_size_unknown"
    if row["base"] == "country":
        return "country_size_assumed"
    return "base_presumed" if row["base_presumed"] == "true" else "several_sources"


def interval_exists(row: dict) -> bool:
    return row["stated"] == "exact" and row["unit"] == "percent" and row["base"] in ("all_respondents", "country")


SCENARIOS = (150, 230, 300, 400, 500)


def when(value: str) -> str:
    d = dt.date.fromisoformat(value)
    return f"{d.day} {d:%B %Y}"


def finding(fid: str) -> dict:
    return next(r for r in table("findings") if r["finding_id"] == fid)


def label(row: dict) -> str:
    if row["unit"] == "rank":
        items = [r for r in table("rankings") if r["finding_id"] == row["finding_id"]]
        return "; ".join(f"{r['rank']}. {r['item']}" for r in items)
    raw = row["percent"] if row["unit"] == "percent" else row["amount"]
    number = float(raw)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    text = {"percent": f"{text}%", "usd_million": f"{text} million US dollars", "attacks": f"{text} attacks"}[
        row["unit"]
    ]
    return {"exact": "", "more_than": "more than ", "nearly": "nearly "}[row["stated"]] + text


KEY = re.compile(
    r"^(?P<id>[JSFN]\d\d)(?:-n(?P<n>\d+))?(?:-deff(?P<deff>[\d.]+))?-(?P<stat>low|high|kmin|kmax|envlow|envhigh)$"
)


def expected(key: str):
    """The value a glue key must hold, or raise KeyError for a key outside the grammar."""
    if re.fullmatch(r"[JSFN]\d\d", key):
        return label(finding(key))
    if m := re.fullmatch(r"([JSFN]\d\d)-value", key):
        row = finding(m.group(1))
        return float(row["percent"] or row["amount"])
    if m := KEY.match(key):
        row = finding(m["id"])
        n = int(m["n"] or TOTAL_N)
        n_eff = n / float(m["deff"] or 1)
        pct = int(float(row["percent"]))
        k_min, k_max = counts(pct, n)
        return {
            "low": lambda: wilson(pct / 100, n_eff)[0],
            "high": lambda: wilson(pct / 100, n_eff)[1],
            "kmin": lambda: k_min,
            "kmax": lambda: k_max,
            "envlow": lambda: wilson(k_min / n, n_eff)[0],
            "envhigh": lambda: wilson(k_max / n, n_eff)[1],
        }[m["stat"]]()
    if m := re.fullmatch(r"moe-n(\d+)(?:-deff([\d.]+))?", key):
        n_eff = int(m.group(1)) / float(m.group(2) or 1)
        low, high = wilson(0.5, n_eff)
        return (high - low) / 2
    if m := re.fullmatch(r"gap-n(\d+)(?:-p(\d+))?", key):
        n, centre = int(m.group(1)), int(m.group(2) or 50)
        return next(g for g in range(1, 101) if newcombe_low((centre + g / 2) / 100, n, (centre - g / 2) / 100, n) > 0)
    if key == "gap-centre-low":
        return "15%"
    if re.fullmatch(r"M\d\d", key):
        row = next(r for r in table("design") if r["design_id"] == key)
        if row["unit"] in ("respondents", "countries", "employees"):
            return f"{int(row['value']):,}"
        if row["unit"] == "date":
            return when(row["value"])
        return row["value"]
    if m := re.fullmatch(r"([JSFN]\d\d)-vs-rest-n(\d+)(?:-deff([\d.]+))?-(low|high|rest)", key):
        row = finding(m.group(1))
        total = finding(row["global_id"])
        low, high, rest = vs_rest(
            float(row["percent"]), float(total["percent"]), int(m.group(2)), float(m.group(3) or 1)
        )
        return {"low": low, "high": high, "rest": rest}[m.group(4)]
    if m := re.fullmatch(r"([JSFN]\d\d)-vs-rest-(equal-)?(clear|scenarios|verdict)", key):
        row = finding(m.group(1))
        total = finding(row["global_id"])
        method = vs_rest_equal if m.group(2) else vs_rest
        spans = [method(float(row["percent"]), float(total["percent"]), n, d) for d in (1, 1.5, 2) for n in SCENARIOS]
        if m.group(3) == "verdict":
            return verdict_words(spans)
        return len(spans) if m.group(3) == "scenarios" else sum(lo > 0 or hi < 0 for lo, hi, _ in spans)
    if m := re.fullmatch(r"([JSFN]\d\d)-vs-rest-n(\d+)-zero", key):
        row = finding(m.group(1))
        low, high, _ = vs_rest(float(row["percent"]), float(finding(row["global_id"])["percent"]), int(m.group(2)), 1.0)
        return "lies wholly above zero" if low > 0 else "lies wholly below zero" if high < 0 else "includes zero"
    if m := re.fullmatch(r"([JSFN]\d\d)-vs-rest-equal-n(\d+)-rest", key):
        row = finding(m.group(1))
        return vs_rest_equal(float(row["percent"]), float(finding(row["global_id"])["percent"]), int(m.group(2)), 1.0)[
            2
        ]
    if m := re.fullmatch(r"((?:[JSFN]\d\d-){2,})vs-rest-n(\d+)(?:-deff([\d.]+))?-(low|high|rest)", key):
        rows = [finding(fid) for fid in m.group(1).strip("-").split("-")]
        total = finding(rows[0]["global_id"])
        low, high, rest = group_vs_rest(
            [float(r["percent"]) for r in rows], float(total["percent"]), int(m.group(2)), float(m.group(3) or 1)
        )
        return {"low": low, "high": high, "rest": rest}[m.group(4)]
    if m := re.fullmatch(r"((?:[JSFN]\d\d-){2,})(vs-rest-(clear|scenarios|verdict)|sizes-(low|high))", key):
        rows = [finding(fid) for fid in m.group(1).strip("-").split("-")]
        sizes = group_sizes(len(rows))
        if m.group(4):
            return sizes[0] if m.group(4) == "low" else sizes[-1]
        total = float(finding(rows[0]["global_id"])["percent"])
        spans = [group_vs_rest([float(r["percent"]) for r in rows], total, n, d) for d in (1, 1.5, 2) for n in sizes]
        if m.group(3) == "verdict":
            return verdict_words(spans)
        return len(spans) if m.group(3) == "scenarios" else sum(lo > 0 or hi < 0 for lo, hi, _ in spans)
    if m := re.fullmatch(r"([JSFN]\d\d)-pairs-n(\d+)", key):
        row = finding(m.group(1))
        n, total = int(m.group(2)), float(finding(row["global_id"])["percent"])
        return sum(
            1
            for kc in range(n + 1)
            if rounds_to(kc, n, float(row["percent"]))
            for kt in range(TOTAL_N + 1)
            if rounds_to(kt, TOTAL_N, total) and 0 <= kt - kc <= TOTAL_N - n
        )
    if m := re.fullmatch(r"evidence-([a-z_]+)", key):
        return sum(rubric(r) == m.group(1) for r in table("findings"))
    if key == "count-coverage-only":
        return sum(not carried_by_release(r) for r in table("findings"))
    if m := re.fullmatch(r"count-flag-(contested|coverage_only|wording_differs|base_presumed)", key):
        if m.group(1) == "contested":
            return sum(contested(r["finding_id"]) for r in table("findings"))
        if m.group(1) == "coverage_only":
            return sum(not carried_by_release(r) for r in table("findings"))
        return sum(r[m.group(1)] == "true" for r in table("findings"))
    if key == "count-single-source":
        return sum(
            sum(x["finding_id"] == r["finding_id"] for x in table("finding_sources")) == 1 for r in table("findings")
        )
    if key in ("count-releases", "publications"):
        kinds = {r["source_id"]: r["kind"] for r in table("sources")}
        blogs = sum(kinds[r["copy_used"]] == "vendor_blog" for r in table("releases"))
        releases = len(table("releases")) - blogs
        if key == "count-releases":
            return releases
        return f"{releases} press releases" + (
            " and a blog post" if blogs == 1 else f" and {blogs} blog posts" if blogs else ""
        )
    if m := re.fullmatch(r"sum((?:-[JSFN]\d\d)+)", key):
        return sum(float(finding(fid)["percent"] or finding(fid)["amount"]) for fid in m.group(1)[1:].split("-"))
    if m := re.fullmatch(r"([JSFN]\d\d)-bound-(low|high)", key):
        row = finding(m.group(1))
        want = {"low": "more_than", "high": "nearly"}[m.group(2)]
        assert row["stated"] == want, key
        return wilson(float(row["percent"]) / 100, TOTAL_N)[0 if m.group(2) == "low" else 1]
    if m := re.fullmatch(r"([JSFN]\d\d)-(others|third)-max", key):
        rest = 100 - (float(finding(m.group(1))["percent"]) - 0.5)  # the published lead, rounded to a whole percent
        return rest if m.group(2) == "others" else rest / 2
    if m := re.fullmatch(r"([JSFN]\d\d)-(first|second|third)", key):
        items = [r["item"] for r in table("rankings") if r["finding_id"] == m.group(1)]
        return items[["first", "second", "third"].index(m.group(2))]
    if m := re.fullmatch(r"([JSFN]\d\d)-(sources|languages|as-released)", key):
        codes = {src["source_id"]: src["language"] for src in table("sources")}
        links = [r for r in table("finding_sources") if r["finding_id"] == m.group(1)]
        mine = [codes[r["source_id"]] for r in links]
        if m.group(2) == "sources":
            return len(mine)
        if m.group(2) == "as-released":
            return sum(r["as_released"] == "true" for r in links)
        names = [
            name
            for code, name in (
                ("en", "English"),
                ("de", "German"),
                ("fr", "French"),
                ("es", "Spanish"),
                ("pt", "Portuguese"),
                ("ja", "Japanese"),
                ("fa", "Persian"),
            )
            if code in mine
        ]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if m := re.fullmatch(r"(D\d\d)-pages", key):
        return sum(r["discrepancy_id"] == m.group(1) for r in table("discrepancy_sources"))
    if m := re.fullmatch(r"count-kind-([a-z_]+)", key):
        return sum(r["kind"] == m.group(1) for r in table("discrepancies"))
    if key == "level":
        return "95%"
    if m := re.fullmatch(r"count-(findings|sources|discrepancies)", key):
        return len(table(m.group(1)))
    if key == "count-country-findings":
        return sum(r["country"] != "All" for r in table("findings"))
    if key == "count-languages":
        return len({r["language"] for r in table("sources")})
    if m := re.fullmatch(r"release-(.+)", key):
        row = next(r for r in table("releases") if r["release_id"] == m.group(1))
        return when(row["date"]) if row["date"] else (row["date_note"] or "undated")
    if m := re.fullmatch(r"disclosure-(AAPOR|BPC)-(disclosed|partly|not_disclosed|items)", key):
        rows = [r for r in table("disclosure") if r["standard"] == m.group(1)]
        return len(rows) if m.group(2) == "items" else sum(r["status"] == m.group(2) for r in rows)
    if key == "smallest-n-every-percent":

        def every(n):
            return all(any(math.floor(100 * k / n + 0.5) == p for k in range(n + 1)) for p in range(101))

        return next(n for n in range(1, 1001) if all(every(m) for m in range(n, n + 120)))
    if key == "equal-split":
        return TOTAL_N // 5
    if key in ("scenario-low", "scenario-high"):
        return min(SCENARIOS) if key == "scenario-low" else max(SCENARIOS)
    if key.startswith("peers-"):
        return peers(key[len("peers-") :])
    raise KeyError(key)


# ---------------------------------------------------------------------------
# The chapter on other surveys (data/context_*.csv)

TM_COUNTRIES = ("US", "UK", "France", "Germany", "Japan")
NAMED_KINDS = ("needs_improvement", "improvement_degree", "top_box", "concern", "preparedness", "incidence")
DESIGN_FIELDS = ("agency", "countries", "mode", "fieldwork", "n")  # AAPOR items 2, 4, 6, 7, 8


def peer_name(survey_id: str) -> str:
    row = next(r for r in table("context_surveys") if r["survey_id"] == survey_id)
    return f"{row['sponsor']} {survey_id[-4:]}"


def names(ids) -> str:
    found = [peer_name(i) for i in ids]
    return "none" if not found else found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]


def pages_of(figure_id: str) -> int:
    """Pages linked to a figure, a repost of another linked page counting once."""
    copy_of = {r["source_id"]: r["copy_of"] for r in table("context_sources")}
    pages = {r["source_id"] for r in table("context_figure_sources") if r["figure_id"] == figure_id}
    return sum(1 for p in pages if copy_of[p] not in pages)


def mirror_only(figure_id: str) -> bool:
    mirrors = {r["source_id"] for r in table("context_sources") if r["mirror"] == "true"}
    return all(r["source_id"] in mirrors for r in table("context_figure_sources") if r["figure_id"] == figure_id)


def peer_interval(row: dict) -> bool:
    survey = next(r for r in table("context_surveys") if r["survey_id"] == row["survey_id"])
    return bool(
        row["value"]
        and survey["n"]
        and survey["n_status"] == "stated"
        and row["share_of"] == "all_respondents"
        and row["stated"] == "exact"
        and not row["conflict"]
        and not mirror_only(row["figure_id"])
    )


def peer_words(row: dict) -> str:
    prefix = {"exact": "", "about": "about ", "more_than": "more than "}[row["stated"]]
    return f"{prefix}{float(row['value']):g}%"


def peers(key: str):
    surveys, figures = table("context_surveys"), table("context_figures")
    pct = lambda x: f"{x:g}%"  # noqa: E731
    valued = lambda kind: [r for r in figures if r["question_kind"] == kind and r["value"]]  # noqa: E731
    if m := re.fullmatch(r"(needs_improvement|top_box|concern|preparedness|incidence)-(low|high|count|range)", key):
        rows = valued(m.group(1))
        low = min(rows, key=lambda r: float(r["value"]))
        high = max(rows, key=lambda r: float(r["value"]))
        words = peer_words(low) if low["value"] == high["value"] else f"{peer_words(low)} to {peer_words(high)}"
        return {"low": peer_words(low), "high": peer_words(high), "count": len(rows), "range": words}[m.group(2)]
    improve = min(float(r["value"]) for r in valued("needs_improvement"))
    whole = next(
        r for r in valued("needs_improvement") if r["answer_form"] == "any_level" and r["share_of"] == "all_respondents"
    )
    items = {r["survey_id"]: sum(r[f"{f}_status"] != "not_found" for f in DESIGN_FIELDS) for r in surveys}
    conflict = next(r for r in figures if "unable to detect" in r["conflict"])
    concern = valued("concern")
    others = max(float(r["value"]) for r in concern if r["answer_form"] != "any_level")
    top = [float(r["value"]) for r in concern if float(r["value"]) > others]
    poll = next(r for r in surveys if "convenience sample" in r["respondents"])
    simple = {
        "surveys": lambda: len(surveys),
        "figures": lambda: len(figures),
        "charted": lambda: sum(bool(r["value"]) and r["question_kind"] in NAMED_KINDS for r in figures),
        "single-page": lambda: sum(pages_of(r["figure_id"]) == 1 for r in figures),
        "mirror-only": lambda: sum(mirror_only(r["figure_id"]) for r in figures),
        "conflicts": lambda: sum(bool(r["conflict"]) for r in figures) + sum(bool(r["conflict"]) for r in surveys),
        "conflicts-design": lambda: sum(bool(r["conflict"]) for r in surveys),
        "with-interval": lambda: sum(peer_interval(r) for r in figures if r["question_kind"] in NAMED_KINDS),
        "not-security": lambda: names(r["survey_id"] for r in surveys if r["scope"] == "not_security"),
        "peripheral": lambda: names(r["survey_id"] for r in surveys if r["scope"] == "peripheral"),
        "methods-not-found": lambda: sum(r["methods"] == "not_found" for r in surveys),
        "methods-unread": lambda: names(r["survey_id"] for r in surveys if r["methods"] == "report_unread"),
        "methods-unread-count": lambda: sum(r["methods"] == "report_unread" for r in surveys),
        "tm-improve": lambda: pct(float(finding("N01")["percent"])),
        "no-improvement": lambda: pct(100 - float(whole["value"])),
        "no-improvement-survey": lambda: peer_name(whole["survey_id"]),
        "improve-above-tm": lambda: f"{improve - float(finding('N01')['percent']):g}",
        "concern-any-level-top": lambda: len(top),
        "concern-any-level-from": lambda: pct(min(top)) if top else "none",
        "concern-other-max": lambda: pct(others),
        "same-agency": lambda: names(r["survey_id"] for r in surveys if "Vanson Bourne" in r["agency"]),
        "same-countries": lambda: names(
            r["survey_id"] for r in surveys if all(c in r["countries"] for c in TM_COUNTRIES)
        ),
        "no-n": lambda: names(r["survey_id"] for r in surveys if r["n_status"] == "not_found"),
        "n-conflict": lambda: names(r["survey_id"] for r in surveys if "ample" in r["conflict"]),
        "top-box-surveys": lambda: names(dict.fromkeys(r["survey_id"] for r in valued("top_box"))),
        "disclosed-low": lambda: min(items.values()),
        "disclosed-high": lambda: max(items.values()),
        "items": lambda: len(DESIGN_FIELDS),
        "poll-items": lambda: items[poll["survey_id"]],
        "detect-value": lambda: pct(float(conflict["value"])),
        "detect-survey": lambda: peer_name(conflict["survey_id"]),
        "detect-pages": lambda: pages_of(conflict["figure_id"]),
    }
    if key not in simple:
        raise KeyError("peers-" + key)
    return simple[key]()
