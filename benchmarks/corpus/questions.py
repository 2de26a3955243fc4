"""Labelled questions for the AutoViz phrasing corpus.

Why: AutoViz is scored on whether its FIRST chart is exactly the chart a question asks for. That needs
many phrasings per intent (imperative, question, trailing sort clauses, synonyms, no chart named), each
with a hand-checked label, on tables the system was not tuned on. Every case is built from fixed seeds
and checked against the data (`reference.expected_rows` must draw something, sorts must not tie), so a
label never describes an empty or ambiguous chart.

Splits: `tune` phrasings were used to improve the parser; `heldout` ones (about 30% of TEMPLATES, plus
every question on a held-out table) were kept out of that until a later round inspected them; `fresh`
phrasings (FRESH_TEMPLATES) were written after that round and never inspected while changing the parser,
until the round that tuned on them; `fresh2` phrasings (FRESH2_TEMPLATES) were written from scratch for
that round by someone who had not read the parser, and stayed uninspected until the next round tuned on
them; `fresh3` phrasings (FRESH3_TEMPLATES) were written from scratch for that next round, again by
someone who had not read the parser, and stayed uninspected until the round after tuned on them; `fresh4`
phrasings (FRESH4_TEMPLATES) were written from scratch for that round by someone who had not read the
parser nor run AutoViz on them, partly on six tables added for it (new domains, so new words), and stayed
uninspected until round 6 tuned on them; `fresh5` phrasings (FRESH5_TEMPLATES) were written from scratch
for round 6 by someone who had not read the parser nor run AutoViz on them, partly on six more tables added
for it (where questions may name a column by the word people use for it, "fare" for ticket_price), and
stayed uninspected until round 7 read them, which made fresh5 a tuning split; `fresh6` phrasings
(FRESH6_TEMPLATES) were written from scratch for round 7 by someone who had not read the parser nor run
AutoViz on them, partly on six more tables added for it (headers typed as they are, "PriceUSD",
"Gear_Type", and people's words for them), were the clean measure of round 7, and were read in round 8,
which made fresh6 a tuning split; `fresh7` phrasings (FRESH7_TEMPLATES) were written from scratch for
round 8 by someone who had not read the parser nor run AutoViz, partly on six more tables added for it
(trades no older table covers, with headers and trade words as people type them), were the clean measure
of round 8, and were read in round 9, which made fresh7 a tuning split; `fresh8` phrasings
(FRESH8_TEMPLATES) were written from scratch for round 9 by someone who had not read the parser nor run
AutoViz, partly on six more tables added for it (six more trades, with their own headers and words), were
the clean measure of round 9, and were read in round 10, which made fresh8 a tuning split; `fresh9`
phrasings (FRESH9_TEMPLATES) were written from scratch for round 10 by someone who had not read the parser
nor run AutoViz, partly on six more tables added for it (six more trades, with their own headers and
words), were the clean measure of round 10, and were read in round 11, which made fresh9 a tuning split;
`fresh10` phrasings (FRESH10_TEMPLATES) were written from scratch for round 11 by someone who had not read the
parser nor run AutoViz, partly on six more tables added for it (six more trades, with their own headers and
words), were the clean measure of round 11, and were read in round 12, which made fresh10 a tuning split;
`fresh11` phrasings (FRESH11_TEMPLATES) were written from scratch for round 12 by someone who had not read the
parser nor run AutoViz, partly on six more tables added for it (six more trades, with their own headers and
words), and are the clean measure of round 12: never inspected while changing the parser (--stats shows no
fresh11 example). fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, fresh10 and then fresh11 cases
are each built in a pass after all older ones, with their own ids and seeds, and the tables added for a round
are skipped by every older pass, so adding them left every older case byte-identical.

    python -m benchmarks.corpus.questions --stats           # counts and 15 examples
    python -m benchmarks.corpus.questions --check           # also validate every case
    python -m benchmarks.corpus.questions --jsonl out.jsonl --out tables/
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from .reference import expected_rows, source_sql, where_sql
from .tables import TABLES, ColumnSpec, TableSpec, pluralize, write_tables

__all__ = ["CATEGORIES", "FRESH2_TEMPLATES", "FRESH3_TEMPLATES", "FRESH4_TEMPLATES", "FRESH5_TEMPLATES",
           "FRESH6_TEMPLATES", "FRESH7_TEMPLATES", "FRESH8_TEMPLATES", "FRESH9_TEMPLATES", "FRESH10_TEMPLATES",
           "FRESH11_TEMPLATES", "FRESH_TEMPLATES", "TEMPLATES", "Case", "build_cases", "main", "template_split",
           "validate_cases"]

CATEGORIES: tuple[str, ...] = (
    "explicit_bar",
    "explicit_pie",
    "explicit_line",
    "explicit_area",
    "explicit_scatter",
    "explicit_histogram",
    "explicit_stacked",
    "explicit_grouped",
    "explicit_box",
    "count_by",
    "agg_by",
    "count_distinct",
    "sorted",
    "time_bin",
    "filter_value",
    "filter_threshold",
    "filter_relative",
    "top_k",
    "synonym",
    "plain_analytical",
    "unanswerable",
)
HELDOUT_SHARE = 0.3
#: fresh cases: one per table and category on every third (table, category) pair; their ids use k = 9
FRESH_EVERY = 3
FRESH_K = 9
#: fresh2 cases: built in a pass after all others, on the (table, category) pairs with (ti + ci) % 3 == 1,
#: two per pair for the categories in FRESH2_QUOTA; their ids and rng seeds use k = 10 (and 11), so nothing
#: about the older cases depends on them
FRESH2_EVERY = 3
FRESH2_K = 10
FRESH2_QUOTA = {"unanswerable": 2, "filter_value": 2, "filter_threshold": 2, "explicit_line": 2, "explicit_area": 2}
#: fresh3 cases: built in a pass after fresh2, on the (table, category) pairs with (ti + ci) % 3 == 2 (the
#: pairs neither fresh nor fresh2 used), two per pair for the categories in FRESH3_QUOTA; their ids and rng
#: seeds use k = 12 (and 13), so nothing about the older cases depends on them
FRESH3_EVERY = 3
FRESH3_K = 12
FRESH3_QUOTA = {"unanswerable": 2, "filter_value": 2, "filter_threshold": 2, "explicit_line": 2, "explicit_area": 2,
                "time_bin": 2}
#: fresh4 cases: built in a pass after fresh3. On the older tables they take the (table, category) pairs with
#: (ti + 2 * ci) % 3 == 0, a diagonal that cuts across the pairs fresh, fresh2 and fresh3 took; on the tables
#: added for fresh4 (split "fresh4" in tables.py) they take every pair. Two per pair for the categories in
#: FRESH4_QUOTA; their ids and rng seeds use k = 14 (and 15), so nothing about the older cases depends on them
FRESH4_EVERY = 3
FRESH4_K = 14
FRESH4_QUOTA = {"unanswerable": 2, "filter_value": 2, "filter_threshold": 2, "explicit_line": 2, "time_bin": 2,
                "plain_analytical": 2}
#: fresh5 cases: built in a pass after fresh4. On the tables older than fresh5 (the fresh4 ones included) they
#: take the pairs with (ti + 2 * ci) % 3 == 1, a diagonal that is not fresh4's, so the two rounds ask about
#: different (table, category) pairs; on the tables added for fresh5 (split "fresh5") they take every pair.
#: Two per pair for the categories in FRESH5_QUOTA (the same as fresh4's, so the two rounds weigh categories
#: alike); ids and rng seeds use k = 16 (and 17), so nothing about the older cases depends on them
FRESH5_EVERY = 3
FRESH5_K = 16
FRESH5_QUOTA = dict(FRESH4_QUOTA)
#: on a table added for fresh5, the chance that a question names a column by one of its synonyms instead of
#: its name: people write "fare", not "ticket_price", and those tables' words were never seen while tuning
FRESH5_SYN_RATE = 0.35
#: fresh6 cases: built in a pass after fresh5. On the tables older than fresh6 (the fresh4 and fresh5 ones
#: included) they take the pairs with (ti + 2 * ci) % 3 == 2, the diagonal neither fresh4 nor fresh5 took; on
#: the tables added for fresh6 (split "fresh6") they take every pair. Two per pair for the categories in
#: FRESH6_QUOTA (the same as fresh5's); ids and rng seeds use k = 18 (and 19), so nothing about the older cases
#: depends on them
FRESH6_EVERY = 3
FRESH6_K = 18
FRESH6_QUOTA = dict(FRESH5_QUOTA)
#: on a table added for fresh6, the chance that a question names a column by one of its synonyms (as fresh5's)
FRESH6_SYN_RATE = 0.35
#: fresh7 cases: built in a pass after fresh6. The earlier diagonals are all mod-3 lines in (ti, ci): fresh,
#: fresh2 and fresh3 took (ti + ci) % 3, fresh4, fresh5 and fresh6 took (ti + 2 * ci) % 3 (and (2 * ti + ci) % 3
#: is the same family again). On the tables older than fresh7 (the fresh4 to fresh6 ones included) fresh7 takes
#: the pairs with (ti + 3 * ci) % 4 == 1, a mod-4 line that meets every earlier diagonal in about a twelfth of
#: the pairs and visits every table and every category; on the tables added for fresh7 (split "fresh7") it
#: takes every pair. Two per pair for the categories in FRESH7_QUOTA (the same as fresh6's); ids and rng seeds
#: use k = 20 (and 21), so nothing about the older cases depends on them
FRESH7_EVERY = 4
FRESH7_K = 20
FRESH7_QUOTA = dict(FRESH6_QUOTA)
#: on a table added for fresh7, the chance that a question names a column by one of its synonyms (as fresh6's)
FRESH7_SYN_RATE = 0.35
#: fresh8 cases: built in a pass after fresh7. The earlier lines in (ti, ci) are mod 3 (fresh to fresh6) and
#: mod 4 (fresh7's (ti + 3 * ci) % 4 == 1); fresh8 takes a mod-5 line, (2 * ti + ci) % 5 == 3, on the tables
#: older than fresh8 (the fresh4 to fresh7 ones included). A mod-5 line meets each mod-3 diagonal in a fifteenth
#: of the pairs and fresh7's line in a twentieth, so fresh8 asks mostly about (table, category) pairs no recent
#: round asked about; for a fixed table ci runs through every fifth category and for a fixed category ti through
#: every fifth table, so it still visits every table and every category. On the tables added for fresh8 (split
#: "fresh8") it takes every pair. Two per pair for the categories in FRESH8_QUOTA: fresh7's, plus sorted and
#: top_k, since a mod-5 line takes a fifth of the older pairs where fresh7's took a quarter, and the two order
#: categories (whose sort words are the most varied) make up the difference; ids and rng seeds use k = 22 (and
#: 23), so nothing about the older cases depends on them
FRESH8_EVERY = 5
FRESH8_K = 22
FRESH8_QUOTA = {**FRESH7_QUOTA, "sorted": 2, "top_k": 2}
#: on a table added for fresh8, the chance that a question names a column by one of its synonyms (as fresh7's)
FRESH8_SYN_RATE = 0.35
#: fresh9 cases: built in a pass after fresh8. The earlier lines in (ti, ci) are mod 3 (fresh to fresh6), mod 4
#: (fresh7's (ti + 3 * ci) % 4 == 1) and mod 5 (fresh8's (2 * ti + ci) % 5 == 3); fresh9 takes a mod-7 line,
#: (3 * ti + ci) % 7 == 2, on the tables older than fresh9 (the fresh4 to fresh8 ones included). A mod-7 line
#: meets each mod-3 diagonal in a twenty-first of the pairs, fresh7's line in a twenty-eighth and fresh8's in a
#: thirty-fifth, so fresh9 asks mostly about (table, category) pairs no recent round asked about; for a fixed
#: table ci runs through every seventh category (three of the 21) and for a fixed category ti through every
#: seventh table, so it still visits every table and every category. On the tables added for fresh9 (split
#: "fresh9") it takes every pair. Two per pair for the categories in FRESH9_QUOTA: fresh8's, plus count_by,
#: agg_by and filter_relative, since a mod-7 line takes a seventh of the older pairs where fresh8's took a fifth,
#: and those three (whose questions carry no chart word) make up the difference; ids and rng seeds use k = 24
#: (and 25), so nothing about the older cases depends on them
FRESH9_EVERY = 7
FRESH9_K = 24
FRESH9_QUOTA = {**FRESH8_QUOTA, "count_by": 2, "agg_by": 2, "filter_relative": 2}
#: on a table added for fresh9, the chance that a question names a column by one of its synonyms (as fresh8's)
FRESH9_SYN_RATE = 0.35
#: fresh10 cases: built in a pass after fresh9. The earlier lines in (ti, ci) are mod 3 (fresh to fresh6), mod 4
#: (fresh7's (ti + 3 * ci) % 4 == 1), mod 5 (fresh8's (2 * ti + ci) % 5 == 3) and mod 7 (fresh9's
#: (3 * ti + ci) % 7 == 2); fresh10 takes a mod-11 line, (5 * ti + ci) % 11 == FRESH10_LINE, on the tables older
#: than fresh10 (the fresh4 to fresh9 ones included). 11 is prime to 3, 4, 5 and 7, so a mod-11 line meets each
#: mod-3 diagonal in a thirty-third of the pairs, fresh7's line in a forty-fourth, fresh8's in a fifty-fifth and
#: fresh9's in a seventy-seventh: fresh10 asks mostly about (table, category) pairs no recent round asked about.
#: For a fixed table ci runs through every eleventh category (one or two of the 21) and for a fixed category ti
#: through every eleventh table (six or seven of the 70 older ones), so it still visits every table and every
#: category; the residue 3 gives the unanswerable column (ci = 20) seven older tables rather than six. On the
#: tables added for fresh10 (split "fresh10") it takes every pair. Two per pair for the categories in
#: FRESH10_QUOTA: fresh9's, plus every named chart but the scatter and the histogram (whose questions vary least),
#: count_distinct and synonym, since a mod-11 line takes an eleventh of the older pairs where fresh9's took a
#: seventh, and those eight make up the difference; ids and rng seeds use k = 26 (and 27), so nothing about the
#: older cases depends on them
FRESH10_EVERY = 11
FRESH10_LINE = 3
FRESH10_K = 26
FRESH10_QUOTA = {**FRESH9_QUOTA, "explicit_bar": 2, "explicit_pie": 2, "explicit_area": 2, "explicit_stacked": 2,
                 "explicit_grouped": 2, "explicit_box": 2, "count_distinct": 2, "synonym": 2}
#: on a table added for fresh10, the chance that a question names a column by one of its synonyms (as fresh9's)
FRESH10_SYN_RATE = 0.35
#: fresh11 cases: built in a pass after fresh10. The earlier lines in (ti, ci) are mod 3 (fresh to fresh6), mod 4
#: (fresh7's (ti + 3 * ci) % 4 == 1), mod 5 (fresh8's (2 * ti + ci) % 5 == 3), mod 7 (fresh9's
#: (3 * ti + ci) % 7 == 2) and mod 11 (fresh10's (5 * ti + ci) % 11 == 3); fresh11 takes a mod-13 line,
#: (7 * ti + ci) % 13 == FRESH11_LINE, on the tables older than fresh11 (the fresh4 to fresh10 ones included). 13
#: is prime to 3, 4, 5, 7 and 11, so a mod-13 line meets each mod-3 diagonal in a thirty-ninth of the pairs,
#: fresh7's line in a fifty-second, fresh8's in a sixty-fifth, fresh9's in a ninety-first and fresh10's in a
#: hundred-and-forty-third: fresh11 asks mostly about (table, category) pairs no recent round asked about. For a
#: fixed table ci runs through every thirteenth category (one or two of the 21) and for a fixed category ti
#: through every thirteenth table (five or six of the 76 older ones), so it still visits every table and every
#: category; 7 * 2 = 14 = 1 (mod 13), so the unanswerable column (ci = 20) takes the tables with
#: ti = 2 * (FRESH11_LINE - 20) (mod 13), and the residue 5 makes that ti = 9 (mod 13): six older tables (9, 22,
#: 35, 48, 61, 74) rather than five. On the tables added for fresh11 (split "fresh11") it takes every pair. Two per
#: pair for every category (FRESH11_QUOTA: fresh10's, plus the scatter and the histogram), since a mod-13 line
#: takes a thirteenth of the older pairs where fresh10's took an eleventh, and those two make up the difference;
#: ids and rng seeds use k = 28 (and 29), so nothing about the older cases depends on them
FRESH11_EVERY = 13
FRESH11_LINE = 5
FRESH11_K = 28
FRESH11_QUOTA = {**FRESH10_QUOTA, "explicit_scatter": 2, "explicit_histogram": 2}
#: on a table added for fresh11, the chance that a question names a column by one of its synonyms (as fresh10's)
FRESH11_SYN_RATE = 0.35
#: the splits a case takes from its template list rather than from its table
_FRESH_SPLITS = ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9",
                 "fresh10", "fresh11")
#: the rounds that appended tables, in order: a table of one of them is skipped by every pass older than it
_TABLE_ROUNDS = ("fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
Label = dict[str, Any]
Draft = tuple[str, Label | None, list[str]]


@dataclass
class Case:
    """One labelled question. `label` is None exactly when the question is unanswerable."""

    id: str
    table: str
    path: str
    question: str
    category: str
    style: str
    split: str
    answerable: bool
    missing: list[str] = field(default_factory=list)
    label: Label | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Tpl:
    """A phrasing template: text with {placeholders} plus options the category's generator reads."""

    text: str
    opts: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.opts.get(key, default)


def T(text: str, **opts: Any) -> Tpl:
    """Shorthand for a template."""
    return Tpl(text, opts)


class _NotApplicable(Exception):
    """The template cannot be used on this table at all (no date column, no flag, ...)."""


class _Retry(Exception):
    """This random draw did not work out; another draw may."""


# ---------------------------------------------------------------------------------------------------------------
# Facts about the generated data, used to pick real values and thresholds.


@dataclass
class Facts:
    """What the generated CSV actually holds: category values by frequency, quantiles, date range."""

    rows: int
    values: dict[str, list[Any]]
    counts: dict[str, dict[Any, int]]
    quantiles: dict[str, list[float]]
    integral: dict[str, bool]
    low: dict[str, float]
    high: dict[str, float]
    date_min: date | None
    date_max: date | None


def _facts(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> Facts:
    src = source_sql(spec.stem)
    rows = int(con.execute(f"SELECT count(*) FROM {src}").fetchone()[0])  # type: ignore[index]
    values: dict[str, list[Any]] = {}
    counts: dict[str, dict[Any, int]] = {}
    quantiles: dict[str, list[float]] = {}
    integral: dict[str, bool] = {}
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    date_min = date_max = None
    qs = [i / 20 for i in range(1, 20)]
    for col in spec.columns:
        q = '"' + col.name + '"'
        if col.kind in ("category", "flag"):
            pairs = con.execute(f"SELECT {q}, count(*) AS n FROM {src} GROUP BY {q} ORDER BY n DESC, {q}").fetchall()
            values[col.name] = [p[0] for p in pairs]
            counts[col.name] = {p[0]: int(p[1]) for p in pairs}
        elif col.kind == "measure":
            lo, hi, qv = con.execute(f"SELECT min({q}), max({q}), quantile_cont({q}, {qs}) FROM {src}").fetchone()  # type: ignore[misc]
            quantiles[col.name] = [float(v) for v in qv]
            integral[col.name] = col.decimals == 0
            low[col.name], high[col.name] = float(lo), float(hi)
        elif col.kind == "date":
            date_min, date_max = con.execute(f"SELECT min({q}), max({q}) FROM {src}").fetchone()  # type: ignore[misc]
    return Facts(rows, values, counts, quantiles, integral, low, high, date_min, date_max)


# ---------------------------------------------------------------------------------------------------------------
# Wording helpers.

_AGG_ADJ: dict[str, tuple[str, ...]] = {
    "sum": ("total",),
    "mean": ("average", "mean"),
    "median": ("median",),
    "min": ("minimum", "minimal", "lowest", "smallest"),
    "max": ("maximum", "highest", "largest"),
}
_AGG_NOUN: dict[str, tuple[str, ...]] = {
    "sum": ("sum", "total"),
    "mean": ("average", "mean"),
    "median": ("median",),
    "min": ("minimum",),
    "max": ("maximum",),
}
_BIN_WORD: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "quarter": ("quarter",),
    "month": ("month",),
    "week": ("week",),
    "weekday": ("weekday", "day of the week"),
}
_BIN_ADJ: dict[str, tuple[str, ...]] = {
    "year": ("yearly", "annual"),
    "quarter": ("quarterly",),
    "month": ("monthly",),
    "week": ("weekly",),
}


def _lab(
    mark: str,
    x: str,
    *,
    explicit: bool,
    y: str | None = None,
    agg: str = "count",
    color: str | None = None,
    sort: dict[str, str] | None = None,
    bin_: str | None = None,
    filters: Sequence[dict[str, Any]] = (),
    top_k: int | None = None,
) -> Label:
    """A label with exactly the schema's keys."""
    return {
        "mark": mark,
        "explicit": explicit,
        "x": x,
        "y": y,
        "aggregation": agg,
        "color": color,
        "sort": sort,
        "bin": bin_,
        "filters": list(filters),
        "top_k": top_k,
    }


def _sort(channel: str, order: str) -> dict[str, str]:
    return {"channel": channel, "order": order}


def _nice(value: float, integral: bool) -> float | int:
    """Round to two significant figures, as a person would type a threshold."""
    if value == 0:
        return 0
    mag = 10 ** (math.floor(math.log10(abs(value))) - 1)
    out = round(value / mag) * mag
    if integral or float(out).is_integer():
        return round(out)
    return float(f"{out:.6g}")


def _num_text(value: float | int, rng: random.Random) -> str:
    if float(value).is_integer():
        n = int(value)
        return f"{n:,}" if n >= 10000 and rng.random() < 0.5 else str(n)
    return f"{value:g}"


def _finish(text: str, verbatim: bool = False) -> str:
    """Whitespace tidied and, unless the template is kept as typed (verbatim=True), a capital first letter."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if verbatim else text[0].upper() + text[1:]


class Ctx:
    """Per-draw state: the table, its facts, the seeded rng, and which words the question used."""

    def __init__(
        self,
        spec: TableSpec,
        facts: Facts,
        rng: random.Random,
        *,
        force_syn: bool = False,
        syn_rate: float = 0.0,
        raw: bool = False,
    ) -> None:
        self.spec = spec
        self.facts = facts
        self.rng = rng
        self.force_syn = force_syn
        #: chance that `ref` names a column by a synonym outside synonym mode; 0 (no extra draw) for every split
        #: before fresh5, so their questions are what they were
        self.syn_rate = syn_rate
        #: name every column exactly as its header is typed ("Gear_Type", "Sale Date"), with no draw; only fresh6,
        #: fresh8, fresh9, fresh10 and fresh11 templates ask for it (raw=True), so no older question moves
        self.raw = raw
        self.syn_used = False

    # -- columns -------------------------------------------------------------------------------------------------
    def dims(self, exclude: Sequence[str] = ()) -> list[ColumnSpec]:
        return [
            c for c in self.spec.of_kind("category") if c.name not in exclude and len(self.facts.values[c.name]) >= 2
        ]

    def dim(self, exclude: Sequence[str] = (), min_values: int = 2, prefer_syn: bool = False) -> ColumnSpec:
        pool = [c for c in self.dims(exclude) if len(self.facts.values[c.name]) >= min_values]
        if prefer_syn and any(c.synonyms for c in pool) and self.rng.random() < 0.8:
            pool = [c for c in pool if c.synonyms]
        if not pool:
            raise _NotApplicable("no suitable dimension")
        return self.rng.choice(pool)

    def measures(self, exclude: Sequence[str] = (), additive: bool | None = None) -> list[ColumnSpec]:
        return [
            c
            for c in self.spec.of_kind("measure")
            if c.name not in exclude and (additive is None or c.additive == additive)
        ]

    def measure(
        self, exclude: Sequence[str] = (), additive: bool | None = None, prefer_syn: bool = False
    ) -> ColumnSpec:
        pool = self.measures(exclude, additive)
        if prefer_syn and any(c.synonyms for c in pool) and self.rng.random() < 0.8:
            pool = [c for c in pool if c.synonyms]
        if not pool:
            raise _NotApplicable("no suitable measure")
        return self.rng.choice(pool)

    def date_col(self) -> ColumnSpec:
        col = self.spec.date
        if col is None:
            raise _NotApplicable("no date column")
        return col

    def flag_col(self) -> ColumnSpec:
        flags = self.spec.of_kind("flag")
        if not flags:
            raise _NotApplicable("no boolean column")
        return self.rng.choice(flags)

    # -- words -------------------------------------------------------------------------------------------------
    def ref(self, col: ColumnSpec) -> str:
        """How the question names a column: raw name, its spaced lower-case form, or (synonym mode) a synonym.

        A raw context (a fresh6, fresh8, fresh9, fresh10 or fresh11 template with raw=True) always gives the header
        itself.
        """
        if self.force_syn and col.synonyms:
            self.syn_used = True
            return self.rng.choice(col.synonyms)
        if self.raw:
            return col.name
        if self.syn_rate and col.synonyms and self.rng.random() < self.syn_rate:
            return self.rng.choice(col.synonyms)
        return col.name if self.rng.random() < 0.45 else col.words

    def ref_plural(self, col: ColumnSpec) -> str:
        if self.force_syn and col.synonyms:
            self.syn_used = True
            return pluralize(self.rng.choice(col.synonyms))
        return col.words_plural

    @property
    def n(self) -> str:
        return self.spec.plural

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(list(options))

    def agg_for(self, m: ColumnSpec, allowed: Sequence[str]) -> str:
        weights = {"sum": 4.0, "mean": 3.0, "max": 1.2, "min": 1.0, "median": 0.8}
        pool = [a for a in allowed if a in weights and (a != "sum" or m.additive)]
        if not pool:
            raise _Retry("no aggregation fits")
        return self.rng.choices(pool, weights=[weights[a] for a in pool])[0]

    def measure_agg(
        self, allowed: Sequence[str], p_count: float = 0.35, additive: bool | None = None
    ) -> tuple[str, ColumnSpec | None]:
        """Either ('count', None) or (aggregation, measure), drawn from `allowed`."""
        if "count" in allowed and (self.rng.random() < p_count or len(allowed) == 1):
            return "count", None
        needs_sum_only = set(allowed) - {"count"} == {"sum"}
        m = self.measure(additive=True if needs_sum_only else additive, prefer_syn=self.force_syn)
        return self.agg_for(m, [a for a in allowed if a != "count"]), m

    def y_text(self, agg: str, m: ColumnSpec | None) -> str:
        if agg == "count" or m is None:
            return self.pick((f"number of {self.n}", f"count of {self.n}"))
        return f"{self.pick(_AGG_ADJ[agg])} {self.ref(m)}"

    def bins(self, allowed: Sequence[str]) -> list[str]:
        """Bins that make sense for this table's date span."""
        if self.facts.date_min is None or self.facts.date_max is None:
            raise _NotApplicable("no date column")
        years = self.facts.date_max.year - self.facts.date_min.year + 1
        out = []
        for b in allowed:
            if (b == "year" and years < 2) or (b == "week" and years > 2):
                continue
            out.append(b)
        if not out:
            raise _NotApplicable("no bin fits the date span")
        return out

    def bin_pick(self, allowed: Sequence[str]) -> str:
        pool = self.bins(allowed)
        weights = [3.0 if b == "month" else 1.0 for b in pool]
        return self.rng.choices(pool, weights=weights)[0]

    # -- values ------------------------------------------------------------------------------------------------
    def value(self, col: ColumnSpec, min_rows: int = 3) -> Any:
        counts = self.facts.counts[col.name]
        pool = [v for v, n in counts.items() if n >= min_rows]
        if not pool:
            raise _Retry("no frequent value")
        return self.rng.choice(pool)

    def value_text(self, value: Any) -> str:
        return f"'{value}'" if self.rng.random() < 0.35 else str(value)

    def threshold(self, m: ColumnSpec, lo_q: float = 0.25, hi_q: float = 0.75) -> float | int:
        qs = self.facts.quantiles[m.name]
        i = self.rng.randint(int(lo_q * 20) - 1, int(hi_q * 20) - 1)
        return _nice(qs[i], self.facts.integral[m.name])


# ---------------------------------------------------------------------------------------------------------------
# Templates and generators, one pair per category.

TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Return a bar chart of the {Y} for each {D}."),
        T("Plot the {Y} per {D} as bars."),
        T("Show me a bar graph with {D} on the x-axis and the {Y} on the y-axis."),
        T("Can you make a bar chart comparing the {Y} for every {D}?"),
        T("Draw a bar chart: {Y} by {D}."),
        T("Bar chart of the {Y} broken down by {D}, please."),
        T("Visualize the {Y} of each {D} using a bar chart."),
    ],
    "explicit_pie": [
        T("Show me the share of {N} by {D} with a pie.", count=True),
        T("Give me a pie chart of the {Y} by {D}."),
        T("Draw a pie chart showing how the {Y} splits across {D}."),
        T("What proportion of {N} falls in each {D}? Use a pie chart.", count=True),
        T("Plot the {Y} for each {D} as a pie chart."),
        T("Visualize the breakdown of the {Y} by {D} in a pie."),
    ],
    "explicit_line": [
        T("Give me a line graph of the {Y} by {BIN}.", bin=True),
        T("Plot a line chart of the {Y} over {T}, binned by {BIN}.", bin=True),
        T("Draw a line showing the {Y} per {BIN} of {T}.", bin=True),
        T("Line chart of the {Y} over time."),
        T("Show the {ADJ} {Y} as a line chart.", bin=True, adj=True),
        T("Can you make a line plot of how the {Y} changed over {T}? Bin {T} by {BIN}.", bin=True),
        T("Visualize the trend of the {Y} across {T} with a line chart."),
    ],
    "explicit_area": [
        T("Draw an area chart of the {Y} by {BIN}.", bin=True),
        T("Show the {ADJ} {Y} as an area chart.", bin=True, adj=True),
        T("Area chart of the {Y} over {T}, binned by {BIN}.", bin=True),
        T("Plot the {Y} over time as a filled area chart."),
        T("Give me an area chart of the {Y} per {BIN}, split by {D}.", bin=True, color=True),
        T("Can you make an area graph of the {Y} across {T}?"),
    ],
    "explicit_scatter": [
        T("Scatter plot of {MY} against {MX}."),
        T("Draw a scatter chart with {MX} on the x-axis and {MY} on the y-axis."),
        T("Plot {MY} versus {MX} as a scatter plot."),
        T("Show me a scatter of {MY} vs {MX}, colored by {D}.", color=True),
        T("Can you make a scatterplot to see how {MY} depends on {MX}?"),
        T("Visualize the relationship between {MX} and {MY} with a scatter plot, {MX} on the horizontal axis."),
        T("Make an XY scatter with one dot per {n}: {MX} along x and {MY} along y."),
    ],
    "explicit_histogram": [
        T("Show a histogram of {M}."),
        T("Plot the distribution of {M} as a histogram."),
        T("Draw a histogram for the {RAW} column."),
        T("Give me a histogram showing how {M} is distributed across {N}."),
        T("Can you make a histogram of {M} values?"),
        T("Visualize {M} with a histogram."),
    ],
    "explicit_stacked": [
        T("Draw a stacked bar chart of the {Y} per {D}, stacked by {D2}."),
        T("Stacked bar chart: {Y} by {D}, with each bar split by {D2}."),
        T("Show the {Y} for each {D} as stacked bars colored by {D2}."),
        T("Can you make a stacked bar chart of the {Y} per {D} broken down by {D2}?"),
        T("Plot {n} counts by {D} and {D2} as a stacked bar chart, with {D} on the x-axis.", count=True),
        T("Give me a stacked column chart with {D} along the bottom and a segment for each {D2}, showing the {Y}."),
    ],
    "explicit_grouped": [
        T("Draw a grouped bar chart of the {Y} per {D}, with one bar for each {D2}."),
        T("Show side-by-side bars of the {Y} for each {D}, split by {D2}."),
        T("Plot the {Y} by {D} as a grouped bar chart colored by {D2}."),
        T("Can you make a clustered bar chart comparing the {Y} across {D}, one series per {D2}?"),
        T("Give me a grouped bar chart with {D} on the x axis, {D2} as the color and the {Y} as the bar height."),
        T("Grouped bars please: the {Y} for every {D}, with a separate bar per {D2} inside each group."),
    ],
    "explicit_box": [
        T("Box plot of {M} for each {D}."),
        T("Draw a boxplot showing the distribution of {M} by {D}."),
        T("Show me box-and-whisker plots of {M} across {D}."),
        T("Can you make a box plot comparing {M} between {D} groups?"),
        T("Visualize the spread of {M} per {D} with a box plot."),
        T("Give me a box chart of {M}, one box per {D}."),
    ],
    "count_by": [
        T("How many {N} are there in each {D}?"),
        T("How many {N} for each {D}?"),
        T("Count the {N} by {D}."),
        T("Number of {N} per {D}."),
        T("Show the count of {N} per {D}."),
        T("What is the number of {N} in every {D}?"),
        T("Break down the {N} by {D}."),
    ],
    "agg_by": [
        T("What is the {AGG} {M} per {D}?"),
        T("Show the {AGG} {M} for each {D}."),
        T("Compute the {AGGN} of {M} by {D}.", noun=True),
        T("{AGG} {M} by {D}."),
        T("Give me the {AGG} {M} across each {D}."),
        T("For each {D}, what's the {AGG} {M}?"),
        T("I want to see the {AGG} {M} of each {D}."),
    ],
    "count_distinct": [
        T("How many distinct {D2} values are there per {D}?"),
        T("Number of unique {D2P} for each {D}."),
        T("Count the different {D2P} in every {D}."),
        T("For each {D}, how many different {D2P} appear?"),
        T("Show the count of distinct {D2} by {D} as a bar chart.", explicit=True),
        T("Plot the number of unique {D2} values per {D}."),
    ],
    "sorted": [
        T(", and sort by the y-axis in descending order please.", channel="y", order="descending"),
        T(", sorted from high to low.", channel="y", order="descending"),
        T(", in ascending order of the y axis.", channel="y", order="ascending"),
        T(". List the {D} from Z to A.", channel="x", order="descending"),
        T(", ordered by {D} in asc.", channel="x", order="ascending"),
        T(", sorted alphabetically by {D}.", channel="x", order="ascending"),
        T(", ranked from lowest to highest.", channel="y", order="ascending"),
        T(", with the biggest bars first.", channel="y", order="descending", explicit=True),
        T(", and list {D} in descending order.", channel="x", order="descending"),
        T(". Order the bars by value, smallest first.", channel="y", order="ascending", explicit=True),
    ],
    "time_bin": [
        T(
            "Return a bar chart of the {Y} per {T}, and bin {T} by weekday.",
            bins=("weekday",),
            mark="bar",
            explicit=True,
        ),
        T("How many {N} were there each {BIN}?", bins=("month", "quarter", "week"), mark="line", count=True),
        T("Show the {Y} by {BIN} of {T}.", bins=("month", "quarter", "weekday"), mark="auto"),
        T(
            "Plot the {Y} over {T} as a line chart, with {T} binned by {BIN}.",
            bins=("year", "quarter", "month", "week"),
            mark="line",
            explicit=True,
        ),
        T(
            "Give me a bar chart of the {Y} per {BIN} using {T}.",
            bins=("year", "quarter", "month", "weekday"),
            mark="bar",
            explicit=True,
        ),
        T(
            "Bin {T} by {BIN} and show the {Y} in each bin as a bar chart.",
            bins=("year", "quarter", "weekday"),
            mark="bar",
            explicit=True,
        ),
        T("What is the {Y} on each day of the week?", bins=("weekday",), mark="bar"),
        T(
            "Show me the {ADJ} {Y} as a line.",
            bins=("year", "quarter", "month", "week"),
            mark="line",
            explicit=True,
            adj=True,
        ),
    ],
    "filter_value": [
        T("Show the {Y} per {D} with {F} {V}.", op="=="),
        T("How many {N} are there in each {D} for the {V} {F} only?", op="==", count=True),
        T("Plot the {Y} by {D}, only for {N} where {F} is '{V}'.", op="=="),
        T("Bar chart of the {Y} per {D} for {N} whose {F} is not {V}.", op="!=", explicit=True),
        T("What is the {Y} per {D} among {N} with {F} {V1} or {V2}?", op="in"),
        T("Count {N} by {D}, leaving out those with {F} {V}.", op="!=", count=True),
        T("Show the {Y} for each {D}, {ADJ} {N} only.", op="flag_true"),
        T("Give me a bar chart of the {Y} per {D} excluding {ADJ} {N}.", op="flag_false", explicit=True),
        T("Show the number of {N} per {D} where {F} contains '{S}'.", op="contains", count=True),
        T("Plot the {Y} per {D} for {N} in {V1}, {V2} or {V3}.", op="in3"),
    ],
    "filter_threshold": [
        T("Show the {Y} per {D} for {N} whose {F} is above {V}.", op=">"),
        T("How many {N} per {D} have {F} of at least {V}?", op=">=", count=True),
        T("Plot the {Y} by {D}, only {N} with {F} below {V}.", op="<"),
        T("Bar chart of the {Y} for each {D} where {F} is at most {V}.", op="<=", explicit=True),
        T("What is the {Y} per {D} for {N} with {F} between {A} and {B}?", op="between"),
        T("How many {N} per {D} with {T} between {P1} and {P2}?", op="date_between", count=True),
        T("Show the {Y} by {D} for {N} since {P1}.", op="date_since"),
        T("Plot the {Y} per {D} for {N} before {P1}.", op="date_before"),
        T("Count the {N} in each {D} whose {F} is more than {V}.", op=">", count=True),
        T("Give me the {Y} for each {D}, considering only {N} with {F} under {V}.", op="<"),
    ],
    "filter_relative": [
        T("Show the number of {N} per {D} whose {F} is above the average.", op="above_mean", count=True),
        T("Plot the {Y} by {D} for {N} with a below-average {F}.", op="below_mean"),
        T("Count {N} with above-average {F} in each {D}.", op="above_mean", count=True),
        T("For {N} whose {F} is less than the mean, show the {Y} per {D}.", op="below_mean"),
        T("Bar chart of the {Y} per {D}, only {N} with {F} higher than average.", op="above_mean", explicit=True),
        T("How many {N} with {F} above the mean are there in each {D}?", op="above_mean", count=True),
    ],
    "top_k": [
        T("Top {K} {DP} by {Y}.", order="descending"),
        T("Show the {K} {DP} with the highest {Y}.", order="descending"),
        T("Which {K} {DP} have the most {N}?", order="descending", count=True),
        T("Bar chart of the {K} lowest {DP} by {Y}.", order="ascending", explicit=True),
        T("List the bottom {K} {DP} by {Y}.", order="ascending"),
        T("Give me the {K} {DP} with the fewest {N}.", order="ascending", count=True),
        T("Plot the top {K} {DP} ranked by {Y} as a bar chart.", order="descending", explicit=True),
        T("What are the {K} {DP} with the largest {Y}?", order="descending"),
    ],
    "synonym": [
        T("What is the average {M} per {D}?", kind="agg", agg="mean"),
        T("How many {N} are there for each {D}?", kind="count"),
        T("Show the total {M} by {D}.", kind="agg", agg="sum"),
        T("Bar chart of the {Y} per {D}.", kind="bar"),
        T("Pie chart of the number of {N} by {D}.", kind="pie"),
        T("Histogram of {M}.", kind="hist"),
        T("Give me a line chart of the {Y} per month.", kind="line"),
        T("Draw a scatter plot with {MX} on the x-axis and {MY} on the y-axis.", kind="scatter"),
        T("Which {D} has the highest average {M}?", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Which {D} has the highest total {M}?", kind="top_sum"),
        T("Which {D} has the most {N}?", kind="top_count"),
        T("How did {MT} change over the months?", kind="trend_month"),
        T("How is {M} distributed?", kind="dist"),
        T("Does {MY} tend to go up as {MX} increases?", kind="rel"),
        T("What share of {N} does each {D} account for?", kind="share"),
        T("Which {D} has the highest average {M}?", kind="top_mean"),
        T("What does the {ADJ} trend in the {Y} look like?", kind="trend_adj"),
        T("Which day of the week has the most {N}?", kind="top_weekday"),
    ],
    "unanswerable": [
        T("Show the total {MM} by {D}.", need="measure"),
        T("Plot the average {MM} per {D} as a bar chart.", need="measure"),
        T("How many {N} are there for each {MD}?", need="dim"),
        T("Which {MD} has the highest {Y}?", need="dim"),
        T("Give me a pie chart of {N} by {MD}.", need="dim"),
        T("What is the trend of {MM} over time?", need="measure"),
        T("Compare the {MM} across each {MD}.", need="both"),
        T("Draw a scatter plot of {MM} against {M}.", need="measure"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh phrasings: written after the tune/held-out templates had been used to improve the parser, and never
# looked at while changing it. They are the clean held-out measure for that round ("fresh" split); the older
# held-out templates had been inspected by then, so they no longer are one.

FRESH_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("I'd like bars showing the {Y} in each {D}."),
        T("Could you chart the {Y} by {D} using vertical bars?"),
    ],
    "explicit_pie": [
        T("Pie of the {Y}, one slice per {D}."),
        T("Make a pie chart that breaks the {N} down by {D}.", count=True),
    ],
    "explicit_line": [
        T("Line plot: {Y} per {BIN}.", bin=True),
        T("I need a line chart tracking the {Y} across {T}, one point per {BIN}.", bin=True),
    ],
    "explicit_area": [
        T("Area plot of the {Y} per {BIN}.", bin=True),
        T("Shade the {Y} over {T} as an area chart, by {BIN}, one layer per {D}.", bin=True, color=True),
    ],
    "explicit_scatter": [
        T("Put {MX} on the horizontal axis and {MY} on the vertical one in a scatter plot."),
        T("Scatter {MY} (y) against {MX} (x), coloring the dots by {D}.", color=True),
    ],
    "explicit_histogram": [
        T("Histogram please: {M}."),
        T("How are the values of {M} spread? Show me a histogram."),
    ],
    "explicit_stacked": [
        T("Stack the {Y} by {D2} in a bar chart with one bar per {D}."),
        T("I want a stacked bar chart: x is {D}, the stacks are {D2}, the height is the {Y}."),
    ],
    "explicit_grouped": [
        T("Grouped bar chart of the {Y} by {D}, bars colored by {D2}."),
        T("For every {D}, put one bar per {D2} side by side showing the {Y}."),
    ],
    "explicit_box": [
        T("Boxplots of {M}, grouped by {D}."),
        T("Compare the distribution of {M} across {D} using box plots."),
    ],
    "count_by": [
        T("Tally the {N} per {D}."),
        T("What's the {N} count for each {D}?"),
    ],
    "agg_by": [
        T("By {D}, what is the {AGG} {M}?"),
        T("Break down the {AGG} {M} per {D}."),
    ],
    "count_distinct": [
        T("In each {D}, how many unique {D2P} are there?"),
        T("Distinct count of {D2} per {D}."),
    ],
    "sorted": [
        T(", highest first.", channel="y", order="descending"),
        T(", lowest value first.", channel="y", order="ascending"),
        T(", with {D} sorted A to Z.", channel="x", order="ascending"),
    ],
    "time_bin": [
        T("Show the {Y} for each {BIN} in {T}.", bins=("year", "quarter", "month"), mark="auto"),
        T("Group {T} by {BIN} and plot the {Y} as a line.", bins=("year", "quarter", "month", "week"),
          mark="line", explicit=True),
    ],
    "filter_value": [
        T("Only looking at {N} with {F} = {V}, show the {Y} per {D}.", op="=="),
        T("Show the {Y} per {D}, but skip {N} whose {F} is {V}.", op="!="),
        T("For {F} {V1} and {V2} only, what is the {Y} per {D}?", op="in"),
    ],
    "filter_threshold": [
        T("Show the {Y} per {D}, restricted to {N} with {F} greater than {V}.", op=">"),
        T("Among {N} with {F} no more than {V}, plot the {Y} per {D}.", op="<="),
        T("Show the {Y} by {D} for {N} from {P1} on.", op="date_since"),
    ],
    "filter_relative": [
        T("Show the {Y} per {D} for {N} whose {F} exceeds the average {F}.", op="above_mean"),
        T("Among {N} with {F} under the average, count them by {D}.", op="below_mean", count=True),
    ],
    "top_k": [
        T("The {K} {DP} with the smallest {Y}, please.", order="ascending"),
        T("Rank the {DP} by {Y} and keep the top {K}.", order="descending"),
    ],
    "synonym": [
        T("Average {M} for each {D}?", kind="agg", agg="mean"),
        T("Count of {N} in each {D}.", kind="count"),
    ],
    "plain_analytical": [
        T("Where is the total {M} highest, by {D}?", kind="top_sum"),
        T("What does the distribution of {M} look like?", kind="dist"),
        T("How is the {N} split between the different {D} values?", kind="share"),
    ],
    "unanswerable": [
        T("Chart the {MM} for each {D}.", need="measure"),
        T("Break the {N} down by {MD}.", need="dim"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh2 phrasings: written from scratch in a later round, by someone who had not read the parser, when the
# "fresh" split was about to be used for tuning. Nobody changing the parser looks at them (nor at their
# results question by question); they are the clean held-out measure for that round ("fresh2" split).

FRESH2_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Can you put the {Y} for every {D} in a column chart?"),
        T("Need a bar plot: {Y}, broken out by {D}."),
        T("Using bars, show how the {Y} differs from one {D} to the next."),
        T("bars for {Y} by {D}"),
        T("I'd love a simple bar graph of the {Y} across the {D} values."),
    ],
    "explicit_pie": [
        T("Slice up the {N} by {D} in a pie chart.", count=True),
        T("Can I get a pie showing each {D}'s share of the {Y}?"),
        T("What fraction of the {Y} comes from each {D}? A pie chart, please."),
        T("{D} breakdown of the {Y} as a pie"),
        T("Pie chart please, with one wedge for every {D}, sized by the {Y}."),
    ],
    "explicit_line": [
        T("Trend line of the {Y}, {BIN} by {BIN}.", bin=True),
        T("I'd like to see how the {Y} moves from {BIN} to {BIN}; a line chart works.", bin=True),
        T("{ADJ} line chart of the {Y}", bin=True, adj=True),
        T("Line chart of the {Y}, month over month, please."),
        T("Could you draw a line graph with {T} along the bottom, grouped per {BIN}, and the {Y} up the side?",
          bin=True),
    ],
    "explicit_area": [
        T("Filled area graph, {Y} per {BIN}.", bin=True),
        T("Could you show the {Y} over {T} as an area plot, one band per {D}, grouped by {BIN}?", bin=True,
          color=True),
        T("Make an area chart of the {Y} month by month."),
        T("{ADJ} {Y} as an area chart, please", bin=True, adj=True),
        T("I want the {Y} for each {BIN} drawn as a shaded area.", bin=True),
    ],
    "explicit_scatter": [
        T("Plot each {n} as a point: {MX} on x, {MY} on y."),
        T("Is there a link between {MX} and {MY}? Show a scatter with {MX} across the bottom."),
        T("scatter: {MX} (horizontal) vs {MY} (vertical), color = {D}", color=True),
        T("{MY} as a function of {MX}, as a scatter graph please."),
        T("Could I see every {n} plotted by {MX} and {MY} in a scatterplot, {MY} on the vertical axis?"),
    ],
    "explicit_histogram": [
        T("Bin the {M} values and show the counts as a histogram."),
        T("I'd like to see a frequency histogram of {M}."),
        T("Could you draw the {RAW} histogram?"),
        T("Distribution of {M} across all {N}, histogram style."),
        T("hist of {M} please"),
    ],
    "explicit_stacked": [
        T("Bars per {D} with the {Y} stacked by {D2}, please."),
        T("Can you do a stacked bar of {n} counts, {D} on the x-axis and colored segments for {D2}?", count=True),
        T("Stacked bars: the {Y} per {D}, segmented by {D2}."),
        T("I'd like the {Y} for every {D} as one bar each, with the {D2} pieces stacked on top of each other."),
        T("Split each {D} bar into {D2} layers, stacked, showing the {Y}."),
    ],
    "explicit_grouped": [
        T("Side-by-side bars comparing {D2} within each {D}, height = the {Y}."),
        T("Clustered columns: the {Y} per {D}, one column for each {D2}."),
        T("Can you chart the {Y} by {D} and {D2} as a grouped bar chart, with {D} on the x-axis?"),
        T("Make a multi-series bar chart of the {Y}: {D} on x, a series per {D2}."),
        T("I'd like grouped bars, {D} along the x axis and a differently coloured bar for every {D2}, for the {Y}."),
    ],
    "explicit_box": [
        T("Box-and-whisker chart of {M} for every {D}."),
        T("How does {M} vary within each {D}? Box plot it."),
        T("I'd like boxes for {M}, one for each {D}."),
        T("Show the quartiles of {M} by {D} in a box plot."),
        T("boxplot {M} split by {D}"),
    ],
    "count_by": [
        T("How many {N} does each {D} have?"),
        T("{N} per {D}, counts please."),
        T("Can you count up the {N} for every {D}?"),
        T("I'd like the number of {N} broken out by {D}."),
        T("Per {D}, how many {N} do we have?"),
    ],
    "agg_by": [
        T("I'd like the {AGG} {M} broken out by {D}."),
        T("Can you work out the {AGGN} of {M} for every {D}?", noun=True),
        T("{AGGN} of {M} split by {D}", noun=True),
        T("Add up the {M} for each {D}; what are the totals?", agg="sum"),
        T("Sum up {M} per {D}.", agg="sum"),
        T("What's the mean {M} across the different {D} values?", agg="mean"),
        T("Looking at each {D} separately, what's the {AGG} {M}?"),
    ],
    "count_distinct": [
        T("Unique {D2} count by {D}."),
        T("Per {D}, count how many distinct {D2P} show up."),
        T("Can you chart the number of distinct {D2P} in each {D}?"),
        T("Bar chart with the count of unique {D2P} for every {D}.", explicit=True),
        T("In how many distinct {D2P} does each {D} appear?"),
    ],
    "sorted": [
        T(", descending.", channel="y", order="descending"),
        T(". Order it from largest to smallest.", channel="y", order="descending"),
        T(", smallest values on the left.", channel="y", order="ascending"),
        T(", with {D} in reverse alphabetical order.", channel="x", order="descending"),
        T(", and please sort the bars so the tallest one comes first.", channel="y", order="descending",
          explicit=True),
        T(". Can you sort it by {D}, A-Z?", channel="x", order="ascending"),
        T(", ascending by value.", channel="y", order="ascending"),
        T(". Put the {D} names in alphabetical order, reversed.", channel="x", order="descending"),
    ],
    "time_bin": [
        T("{N} per {BIN}?", bins=("month", "quarter", "week"), mark="auto", count=True),
        T("What does the {Y} look like by {BIN}?", bins=("year", "quarter", "month"), mark="auto"),
        T("Break the {Y} down by {BIN} of {T}.", bins=("month", "quarter", "weekday"), mark="auto"),
        T("Bars of the {Y} for each {BIN}, based on {T}.", bins=("year", "quarter", "month", "weekday"), mark="bar",
          explicit=True),
        T("{ADJ} {Y}, as a line graph please.", bins=("year", "quarter", "month", "week"), mark="line",
          explicit=True, adj=True),
        T("Compare the {Y} across the days of the week.", bins=("weekday",), mark="bar"),
    ],
    "filter_value": [
        T("{Y} per {D}, {F} = {V} only.", op="=="),
        T("I'd like the {Y} per {D}, limited to {F} {V}.", op="=="),
        T("Everything except {F} {V}: {Y} by {D}.", op="!="),
        T("Show the {Y} per {D} for all {N} other than those with {F} {V}.", op="!="),
        T("{Y} by {D} where {F} is either {V1} or {V2}", op="in"),
        T("Restrict to {F} in ({V1}, {V2}, {V3}) and plot the {Y} per {D}.", op="in3"),
        T("Only {ADJ} {N}: show me the {Y} by {D}.", op="flag_true"),
        T("What's the {Y} for each {D} if we drop the {ADJ} {N}?", op="flag_false"),
        T("Among {N} whose {F} includes the word '{S}', count them per {D}.", op="contains", count=True),
        T("Bar graph of the {Y} by {D}, just for {N} with {F} {V}.", op="==", explicit=True),
    ],
    "filter_threshold": [
        T("{Y} by {D}, {F} > {V}", op=">"),
        T("Only count {N} whose {F} is {V} or more, per {D}.", op=">=", count=True),
        T("I'd like the {Y} for each {D}, but just {N} with {F} less than {V}.", op="<"),
        T("Show the {Y} per {D} where {F} doesn't exceed {V}.", op="<="),
        T("Keep {N} with {F} from {A} to {B} and show the {Y} per {D}.", op="between"),
        T("{Y} per {D} for {N} starting in {P1}", op="date_since"),
        T("Can you show the {Y} by {D}, counting only {N} prior to {P1}?", op="date_before"),
        T("Number of {N} by {D} from {P1} through {P2}.", op="date_between", count=True),
        T("How many {N} per {D} had {F} over {V}?", op=">", count=True),
        T("Bar chart of the {Y} across {D} for {N} with {F} of {V} or less.", op="<=", explicit=True),
    ],
    "filter_relative": [
        T("Considering only the {N} where {F} is higher than the mean {F}, what's the {Y} by {D}?",
          op="above_mean"),
        T("Count the {N} per {D} that have a lower-than-average {F}.", op="below_mean", count=True),
        T("I'd like the {Y} per {D} for the {N} with {F} below the overall average.", op="below_mean"),
        T("Bar chart: {Y} by {D}, restricted to {N} with {F} greater than the average.", op="above_mean",
          explicit=True),
        T("Of the {N} whose {F} is above the mean, how many fall in each {D}?", op="above_mean", count=True),
    ],
    "top_k": [
        T("Which {K} {DP} lead on {Y}?", order="descending"),
        T("Highest {K} {DP} in terms of {Y}.", order="descending"),
        T("Which {K} {DP} come last on {Y}?", order="ascending"),
        T("I need a bar chart of the {K} {DP} with the highest {Y}.", order="descending", explicit=True),
        T("Name the {K} {DP} that have the greatest number of {N}.", order="descending", count=True),
        T("Top-{K} {DP} by {Y}, as a bar chart please", order="descending", explicit=True),
        T("Least {N}: which {K} {DP}?", order="ascending", count=True),
    ],
    "synonym": [
        T("Mean {M} by {D}.", kind="agg", agg="mean"),
        T("{M} in total for every {D}?", kind="agg", agg="sum"),
        T("Sum up {M} per {D}.", kind="agg", agg="sum"),
        T("Number of {N} broken out by {D}.", kind="count"),
        T("Bars of the {Y} for every {D}.", kind="bar"),
        T("Pie of {N} split by {D}.", kind="pie"),
        T("Distribution of {M} as a histogram.", kind="hist"),
        T("Month-by-month line chart of the {Y}.", kind="line"),
        T("{MY} vs. {MX} scatter, please.", kind="scatter"),
        T("Rank each {D} by average {M}, highest first.", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Which {D} is most common among the {N}?", kind="top_count"),
        T("Which {D} accounts for the most {M} overall?", kind="top_sum"),
        T("On average, which {D} has the highest {M}?", kind="top_mean"),
        T("Is {MT} going up or down month to month?", kind="trend_month"),
        T("Has the {ADJ} {Y} been rising or falling?", kind="trend_adj"),
        T("What values does {M} usually take?", kind="dist"),
        T("When {MX} is higher, is {MY} usually higher too?", kind="rel"),
        T("What percentage of the {N} belongs to each {D}?", kind="share"),
        T("On which weekday do we see the most {N}?", kind="top_weekday"),
    ],
    "unanswerable": [
        T("What's the average {MM} for each {D}?", need="measure"),
        T("Plot {N} grouped by {MD}.", need="dim"),
        T("For each {MD}, what is the {Y}?", need="dim"),
        T("Is {M} related to {MM}? Scatter them.", need="measure"),
        T("Show the {Y} by {D}, only where {MM} is above average.", need="measure"),
        T("Rank every {MD} by the {Y}.", need="dim"),
        T("Break the {MM} out by {MD} as stacked bars.", need="both"),
        T("I'd like to see the {Y} per {D} for each {MD}.", need="dim"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh3 phrasings: written from scratch in a later round, by someone who had not read the parser, when the
# "fresh2" split was about to be used for tuning. They were the clean held-out measure for that round
# ("fresh3" split), uninspected until the next round (when fresh4 was written) made them a tuning split.
# Some set agg= (the template words its own aggregation: "combined", "peak", "typical") and name the measure
# with {M}; sorted templates with full=True are whole sentences rather than a clause after _SORT_BASES.

FRESH3_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Give me bars: {Y} for every {D}."),
        T("Column chart, {Y} by {D}, please."),
        T("What's the {Y} in each {D}? Bars would be great."),
        T("Could you sum up {M} per {D} and show it as columns?", agg="sum"),
        T("Horizontal bars of the {Y}, one per {D}."),
        T("Typical {M} by {D}, as a bar chart.", agg="mean"),
        T("bar chart - peak {M} within each {D}", agg="max"),
        T("How much {M} in total for each {D}? Show it with bars.", agg="sum"),
    ],
    "explicit_pie": [
        T("Donut chart of the {Y} across {D}."),
        T("How is the {Y} divided among the {D} values? Pie, please."),
        T("Can you do a pie of the {N} mix by {D}?", count=True),
        T("{D} split of the {Y}, pie chart"),
        T("I'd like to see each {D}'s slice of the combined {M} in a pie.", agg="sum"),
        T("Pie: how many {N} per {D}", count=True),
    ],
    "explicit_line": [
        T("Trend the {Y} over {T} by {BIN} with a line.", bin=True),
        T("Line graph please, {Y}, one point for every {BIN}.", bin=True),
        T("Can you chart the {ADJ} {Y} as a line?", bin=True, adj=True),
        T("What's our {ADJ} run-rate on {M}? Line chart.", bin=True, adj=True, agg="sum"),
        T("{Y} over {T}, plotted as a line per {BIN}", bin=True),
        T("Please draw the peak {M} for each {BIN} as a line chart.", bin=True, agg="max"),
        T("Line chart: lowest {M} each {BIN}.", bin=True, agg="min"),
        T("Can I see a monthly trend line for the {Y}?"),
    ],
    "explicit_area": [
        T("Area chart showing the {Y} for each {BIN} of {T}.", bin=True),
        T("Shaded area of the {Y} by {BIN}, stacked by {D}.", bin=True, color=True),
        T("Can you give me the {ADJ} {Y} as a filled area?", bin=True, adj=True),
        T("How much {M} was there in total each {BIN}? Use an area chart.", bin=True, agg="sum"),
        T("area graph: {Y} over {T} in {BIN} buckets, one colour band for every {D}", bin=True, color=True),
        T("I'd like an area plot of the count of {N} per {BIN}.", bin=True, count=True),
    ],
    "explicit_scatter": [
        T("Dot plot of {MY} against {MX}, one dot per {n}."),
        T("Scatter chart, x = {MX}, y = {MY}."),
        T("I'd like to see whether {MY} tracks {MX}: scatter them, {MX} on the x axis."),
        T("Points for every {n}, {MX} across and {MY} up, coloured by {D}.", color=True),
        T("XY plot of {MY} against {MX}, split by {D} in colour.", color=True),
        T("scatterplot {MY} ~ {MX}"),
    ],
    "explicit_histogram": [
        T("Histogram showing how many {N} fall in each {M} range."),
        T("{M} histogram"),
        T("I'd like the spread of {M} as a histogram."),
        T("Give me a distribution chart (histogram) for {RAW}."),
        T("Histogram: how are the {N} spread over {M}?"),
        T("Can you bucket {M} into bins and draw the histogram?"),
    ],
    "explicit_stacked": [
        T("Stacked columns of the {Y} by {D}, split by {D2}."),
        T("Could you show the {D2} mix inside each {D} as stacked bars of the {Y}?"),
        T("stacked bar - x: {D}, stack: {D2}, value: {Y}"),
        T("How many {N} per {D}, broken out by {D2}? Stack the bars.", count=True),
        T("I'd like the combined {M} per {D} in stacked bars, layered by {D2}.", agg="sum"),
        T("Give me one stacked column per {D}, with {D2} as the colours and the {Y} as the height."),
    ],
    "explicit_grouped": [
        T("Grouped columns: {Y} for each {D}, with a column per {D2}."),
        T("Can you compare the {Y} of every {D2} within each {D}, bars side by side?"),
        T("Side by side bars: {D} on x, {D2} as separate bars, showing the {Y}"),
        T("Mean {M} by {D} and {D2}, as a grouped (not stacked) bar chart with {D} along the x-axis.", agg="mean"),
        T("Highest {M} per {D}, split by {D2}, as dodged bars.", agg="max"),
        T("I want a clustered bar graph: one cluster per {D}, one bar per {D2}, height is the {Y}."),
    ],
    "explicit_box": [
        T("Box-and-whiskers of {M} for each {D}, please."),
        T("Can you show the median and quartiles of {M} per {D} with whiskers?"),
        T("{M} by {D}: box plot"),
        T("I'd like to compare how spread out {M} is across {D}, as boxes with whiskers."),
        T("Box plot please: one box per {D} for {M}."),
        T("What's the range of {M} within each {D}? Show box plots."),
    ],
    "count_by": [
        T("Give me a count of {N} split by {D}."),
        T("How many {N} fall into each {D}?"),
        T("{N} by {D}, just the counts"),
        T("Could you tell me the number of {N} grouped by {D}?"),
        T("What's the {N} tally across {D}?"),
        T("Number of {N}, broken out by each {D}, please."),
    ],
    "agg_by": [
        T("What's the typical {M} for each {D}?", agg="mean"),
        T("How much {M} in total per {D}?", agg="sum"),
        T("Combined {M} for every {D}.", agg="sum"),
        T("Give me the {AGG} {M} grouped by {D}."),
        T("Highest {M} recorded in each {D}?", agg="max"),
        T("What's the lowest {M} within each {D}?", agg="min"),
        T("Can I get the {AGGN} of {M} for each {D}?", noun=True),
        T("All told, how much {M} does each {D} have?", agg="sum"),
    ],
    "count_distinct": [
        T("How many different {D2P} does each {D} have?"),
        T("Count of unique {D2} values per {D}."),
        T("For every {D}, the number of distinct {D2P}, please."),
        T("How many separate {D2P} show up within each {D}?"),
        T("distinct {D2P} per {D} (count)"),
        T("Column chart of how many unique {D2P} each {D} covers.", explicit=True),
    ],
    "sorted": [
        T(", biggest to smallest.", channel="y", order="descending"),
        T(", please sort low to high.", channel="y", order="ascending"),
        T(", ordered Z-A by {D}.", channel="x", order="descending"),
        T(", {D} alphabetically.", channel="x", order="ascending"),
        T(". Sort descending by the value.", channel="y", order="descending"),
        T(" - smallest first.", channel="y", order="ascending"),
        T(", bars in decreasing order of height.", channel="y", order="descending", explicit=True),
        T(", in A-to-Z order of {D}.", channel="x", order="ascending"),
        T("Rank the {D} values by {Y}, top to bottom, in a bar chart.", full=True, channel="y",
          order="descending", explicit=True),
        T("Can you list the {Y} for every {D}, ordered from least to most?", full=True, channel="y",
          order="ascending"),
    ],
    "time_bin": [
        T("How many {N} did we get per {BIN}?", bins=("month", "quarter", "week"), mark="auto", count=True),
        T("{ADJ} breakdown of the {Y}", bins=("year", "quarter", "month", "week"), mark="auto", adj=True),
        T("{Y} split by {BIN}", bins=("weekday",), mark="auto"),
        T("Give me the {Y} for every {BIN} of {T} as columns.", bins=("year", "quarter", "month", "weekday"),
          mark="bar", explicit=True),
        T("Plot the {Y} by {BIN}, trend line please.", bins=("year", "quarter", "month"), mark="line",
          explicit=True),
        T("What's the {Y} per calendar {BIN}?", bins=("year", "quarter", "month"), mark="auto"),
        T("Peak {M} in each {BIN} of {T}?", bins=("quarter", "month", "weekday"), mark="auto", agg="max"),
    ],
    "filter_value": [
        T("Just {F} {V}: what's the {Y} per {D}?", op="=="),
        T("Can you show the {Y} by {D}, filtered to {F} = '{V}'?", op="=="),
        T("{Y} per {D}, excluding {F} {V}.", op="!="),
        T("I'd like the {Y} across {D} for everything but {F} {V}.", op="!="),
        T("For {F} {V1}/{V2}, give me the {Y} per {D}.", op="in"),
        T("How many {N} per {D} when {F} is one of {V1}, {V2}, {V3}?", op="in3", count=True),
        T("{Y} for each {D}, {ADJ} {N} only, as columns", op="flag_true", explicit=True),
        T("Leave the {ADJ} {N} out and show the {Y} per {D}.", op="flag_false"),
        T("Number of {N} per {D} for any {F} with '{S}' in the name.", op="contains", count=True),
        T("Within {F} {V}, break the {Y} out by {D}.", op="=="),
        T("Bars of the {Y} by {D}, {F} not equal to {V}.", op="!=", explicit=True),
        T("Only where {F} is {V}: count the {N} in each {D}.", op="==", count=True),
    ],
    "filter_threshold": [
        T("{Y} per {D}, only {N} with {F} over {V}.", op=">"),
        T("Can you show the {Y} by {D} for {N} with {F} of {V} and up?", op=">="),
        T("Filter to {F} < {V}, then show the {Y} for each {D}.", op="<"),
        T("What's the {Y} for each {D} when {F} is no higher than {V}?", op="<="),
        T("Only {N} with {F} in the {A} to {B} range: {Y} by {D}.", op="between"),
        T("{Y} per {D} for {N} from {P1} onwards", op="date_since"),
        T("Show me the {Y} per {D} for {N} dated earlier than {P1}.", op="date_before"),
        T("From {P1} to {P2}, what's the {Y} per {D}?", op="date_between"),
        T("Count the {N} per {D} where {F} tops {V}.", op=">", count=True),
        T("Bar chart, {Y} for each {D}, {F} >= {V}", op=">=", explicit=True),
        T("{Y} by {D} among {N} with {F} lower than {V}", op="<"),
    ],
    "filter_relative": [
        T("{Y} per {D}, only {N} with an above-average {F}", op="above_mean"),
        T("Among the {N} with below-average {F}, what's the {Y} by {D}?", op="below_mean"),
        T("How many {N} in each {D} beat the average {F}?", op="above_mean", count=True),
        T("For {N} with {F} under the mean, what's the {Y} split by {D}?", op="below_mean"),
        T("Bars of the {Y} per {D}, keeping only {N} whose {F} beats the average.", op="above_mean",
          explicit=True),
        T("Number of {N} per {D} with {F} below the average", op="below_mean", count=True),
    ],
    "top_k": [
        T("Top {K} {DP} on {Y}, please.", order="descending"),
        T("What are the bottom {K} {DP} in {Y}?", order="ascending"),
        T("Give me the {K} biggest {DP} by {Y}.", order="descending"),
        T("Which {K} {DP} have the lowest {Y}? Bar chart.", order="ascending", explicit=True),
        T("Show only the top {K} {DP} by number of {N}.", order="descending", count=True),
        T("The {K} {DP} with the smallest count of {N}?", order="ascending", count=True),
        T("{K} highest-ranked {DP} by {Y}, as columns", order="descending", explicit=True),
        T("List the top {K} {DP} for combined {M}.", order="descending", agg="sum"),
    ],
    "synonym": [
        T("Typical {M} for every {D}?", kind="agg", agg="mean"),
        T("How much {M} all told, per {D}?", kind="agg", agg="sum"),
        T("Tally of {N} per {D}", kind="count"),
        T("Columns showing the {Y} per {D}", kind="bar"),
        T("Donut of the {N} by {D}", kind="pie"),
        T("{M} distribution, histogram", kind="hist"),
        T("Line of the {Y}, one point a month", kind="line"),
        T("Scatter: {MX} on x, {MY} on y", kind="scatter"),
        T("Which {D} averages the highest {M}?", kind="top_mean"),
        T("What is the mean {M} broken out by {D}?", kind="agg", agg="mean"),
    ],
    "plain_analytical": [
        T("Which {D} contributes the most {M} in total?", kind="top_sum"),
        T("Is the {ADJ} {Y} trending up?", kind="trend_adj"),
        T("Which {D} do most {N} belong to?", kind="top_count"),
        T("How has {MT} moved from month to month?", kind="trend_month"),
        T("Which {D} tends to have the biggest {M}?", kind="top_mean"),
        T("How are the {M} values spread out?", kind="dist"),
        T("Do higher {MX} values come with higher {MY}?", kind="rel"),
        T("Which weekday is the busiest for {N}?", kind="top_weekday"),
        T("How big a slice of the {N} does each {D} take?", kind="share"),
    ],
    "unanswerable": [
        T("How much {MM} did we have in total per {D}?", need="measure"),
        T("Histogram of {MM}, please.", need="measure"),
        T("{MM} by {D} as a box plot", need="measure"),
        T("Donut of the {N} by {MD}", need="dim"),
        T("Stacked bars of the {Y} per {D}, coloured by {MD}.", need="dim"),
        T("Show the {Y} per {D}, just for {N} with a positive {MM}.", need="measure"),
        T("{Y} by {D}, leaving out anything with an unknown {MD}", need="dim"),
        T("Top three {MD} values by the {Y}?", need="dim"),
        T("Monthly {MM} as a trend line", need="measure"),
        T("Can you plot {M} against {MM} as a scatter?", need="measure"),
        T("Average {MM} for each {MD}, grouped bars", need="both"),
        T("Break the {Y} out by {D} and {MD}, side by side.", need="dim"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh4 phrasings: written from scratch in a later round, by someone who had not read the parser (nor run
# AutoViz on any of them), when the "fresh3" split was about to be used for tuning. Nobody changing the
# parser looked at them (nor at their results question by question); they were the clean held-out measure
# for that round ("fresh4" split), until round 6 (when fresh5 was written) made them a tuning split. They aim
# at how people actually type: terse fragments, chatty requests, analyst questions with no chart named,
# informal words ("pls", "north of", "{V}+", "-wise"). Every sorted template is a whole sentence (full=True),
# so no older sort base is reused.

FRESH4_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("{Y} by {D}, bar chart pls"),
        T("could you pls throw together a bar chart of the {Y} per {D}?"),
        T("Quick bar graph: {Y} across every {D}."),
        T("I'm after a bar chart that lines up each {D} against its {Y}."),
        T("Vertical bars, one for each {D}, height = {Y}."),
        T("Bar it out for me: {Y} per {D}."),
        T("Can we get the median {M} per {D} on a bar chart?", agg="median"),
        T("Grand total of {M} for every {D}, shown as bars.", agg="sum"),
        T("bar graph - smallest {M} seen in each {D}", agg="min"),
    ],
    "explicit_pie": [
        T("{M} by {D} pie", agg="sum"),
        T("Could you pls do me a pie chart splitting the {N} across {D}?", count=True),
        T("Pie chart: what slice of the {Y} each {D} has"),
        T("Show the {D} makeup of the {N} as a pie.", count=True),
        T("Pie graph please - {D} on the slices, {Y} as the size of each."),
        T("Share of total {M} per {D}, pie it.", agg="sum"),
        T("pie chart breakdown of {N} per {D}", count=True),
        T("What chunk of the {Y} does each {D} make up? Draw it as a pie."),
    ],
    "explicit_line": [
        T("{Y} over time, line, by {BIN}", bin=True),
        T("Can you show me a line that follows the {Y} through {T}, one dot per {BIN}?", bin=True),
        T("I need the {ADJ} figures for the {Y} on a line chart.", bin=True, adj=True),
        T("Line chart of {M} summed per {BIN} over {T}.", bin=True, agg="sum"),
        T("Track the average {M} per {BIN} with a line.", bin=True, agg="mean"),
        T("How has the {Y} evolved over time? Line chart per month please."),
        T("line chart with one line per {D}: {Y} by {BIN}", bin=True, color=True),
        T("Draw the {Y} across {T} as a line, bucketed by {BIN}.", bin=True),
        T("Plot the highest {M} per {BIN} over time as a line graph.", bin=True, agg="max"),
    ],
    "explicit_area": [
        T("Area chart - {Y} per {BIN}", bin=True),
        T("Could you fill in an area chart of {N} over time, by {BIN}?", bin=True, count=True),
        T("Stacked area, {Y} by {BIN}, a layer for each {D}", bin=True, color=True),
        T("Show me the {ADJ} total of {M} as an area graph.", bin=True, adj=True, agg="sum"),
        T("Area plot of {M} added up per month.", agg="sum"),
        T("I want an area chart of the {Y} through {T}, grouped into {BIN}s.", bin=True),
        T("Area version please: {Y} for each {BIN}, split into {D} bands", bin=True, color=True),
    ],
    "explicit_scatter": [
        T("{MY} vs {MX} scatter"),
        T("could you pls make a scatter with {MX} along the bottom and {MY} up the side?"),
        T("Every {n} as a dot, x = {MX}, y = {MY}, colour by {D}", color=True),
        T("I want to check whether {MY} rises with {MX}. Scatter plot please, {MX} horizontal."),
        T("Plot {MY} against {MX}, dots only, one per {n}."),
        T("Correlation check: {MX} on the x axis, {MY} on the y axis, as a scatter."),
        T("x: {MX}, y: {MY}, scatter, dots coloured by {D}", color=True),
    ],
    "explicit_histogram": [
        T("{M} distribution - histogram pls"),
        T("How often does each range of {M} come up? Histogram."),
        T("Throw the {RAW} field into a histogram."),
        T("Histogram of {M} across the whole set of {N}."),
        T("What's the shape of the {M} distribution? A histogram would help."),
        T("Show a histogram: how many {N} land in each {M} bucket."),
    ],
    "explicit_stacked": [
        T("{Y} per {D} stacked by {D2}"),
        T("Could you pls do stacked bars - {D} along x, each bar split into {D2} chunks, showing the {Y}?"),
        T("Stacked chart of how many {N} each {D} has, broken down by {D2}.", count=True),
        T("Total {M} per {D} with {D2} stacked inside each bar.", agg="sum"),
        T("I'd like stacked columns: {D} vs {Y}, coloured by {D2}."),
        T("For each {D}, stack the {Y} of every {D2} into one bar."),
        T("stacked bar breakdown: {N} by {D} and {D2}, {D} on x", count=True),
    ],
    "explicit_grouped": [
        T("{Y} by {D}, grouped bars per {D2}"),
        T("Could you line up the {D2} bars next to each other inside each {D}, for the {Y}?"),
        T("Grouped bar chart comparing average {M} across {D}, one bar per {D2}.", agg="mean"),
        T("Dodged bar chart: x = {D}, colour = {D2}, height = {Y}."),
        T("Side by side columns of the {Y} per {D}, a separate column for each {D2}, not stacked."),
        T("I want to compare {D2} within every {D}: {Y}, bars next to each other."),
        T("grouped bars: number of {N} per {D} split by {D2}", count=True),
    ],
    "explicit_box": [
        T("{M} spread by {D} as box plots"),
        T("Could you pls box-plot {M}, split up by {D}?"),
        T("Whisker plot of {M} per {D}."),
        T("I'd like to see the median, quartiles and outliers of {M} in each {D}, box plot style."),
        T("How spread out is {M} in each {D}? Boxplot please."),
        T("box plot - {D} on x, {M} on y"),
        T("Give each {D} its own box for {M}."),
    ],
    "count_by": [
        T("{N} per {D}?"),
        T("How are the {N} distributed across {D}?"),
        T("could you pls tell me how many {N} each {D} has got?"),
        T("Volume of {N} by {D}."),
        T("Breakdown of {N} per {D}, just the numbers."),
        T("{D}-wise count of {N}"),
        T("How many {N} came from each {D}?"),
        T("I need to know the number of {N} in every single {D}."),
    ],
    "agg_by": [
        T("{D} vs {AGG} {M}"),
        T("what's the avg {M} for each {D}?", agg="mean"),
        T("How much {M} does each {D} account for overall?", agg="sum"),
        T("could you pls work out the {AGG} {M} broken down by {D}?"),
        T("For every {D}, give me the {AGGN} of {M}.", noun=True),
        T("Per-{D} {AGG} {M}, please."),
        T("Biggest {M} in each {D}?", agg="max"),
        T("Smallest {M} per {D}?", agg="min"),
        T("Sum of {M}, split by {D}", agg="sum"),
    ],
    "count_distinct": [
        T("{D} by number of distinct {D2P}"),
        T("For each {D}, how many {D2P} are represented?"),
        T("variety of {D2P} per {D} (distinct count)"),
        T("How many different kinds of {D2} turn up in each {D}?"),
        T("Bars showing the distinct {D2} count for every {D}.", explicit=True),
        T("Distinct {D2P}, counted per {D}."),
    ],
    "sorted": [
        T("{Y} by {D}, sorted desc", full=True, channel="y", order="descending"),
        T("could you pls show the {Y} per {D}, biggest at the top?", full=True, channel="y", order="descending"),
        T("{Y} for each {D}, ascending", full=True, channel="y", order="ascending"),
        T("{Y} per {D}, with {D} in alphabetical order", full=True, channel="x", order="ascending"),
        T("Rank every {D} by {Y}, lowest first.", full=True, channel="y", order="ascending"),
        T("Bar chart of {Y} per {D}, sorted by {D} from Z down to A.", full=True, channel="x", order="descending",
          explicit=True),
        T("Show {Y} by {D}, arranged from largest to smallest.", full=True, channel="y", order="descending"),
        T("What's the {Y} per {D}? Sort it smallest to largest.", full=True, channel="y", order="ascending"),
        T("sorted bar chart, {Y} by {D}, high to low", full=True, channel="y", order="descending", explicit=True),
        T("{Y} for every {D}, reverse-alphabetical by {D}", full=True, channel="x", order="descending"),
    ],
    "time_bin": [
        T("{Y} by {BIN}?", bins=("month", "quarter", "week"), mark="auto"),
        T("could you pls show the {Y} for each {BIN} over time?", bins=("year", "quarter", "month"), mark="auto"),
        T("{N} per day of the week", bins=("weekday",), mark="auto", count=True),
        T("Average {M} by {BIN} of {T}", bins=("month", "quarter", "weekday"), mark="auto", agg="mean"),
        T("Bar chart of {Y} per {BIN}, using the {T} column", bins=("year", "quarter", "month", "weekday"),
          mark="bar", explicit=True),
        T("{ADJ} volume of {N}", bins=("year", "quarter", "month", "week"), mark="auto", adj=True, count=True),
        T("How does the {Y} vary from one {BIN} to the next?", bins=("quarter", "month", "week"), mark="auto"),
        T("Line of total {M} per {BIN}", bins=("year", "quarter", "month", "week"), mark="line", explicit=True,
          agg="sum"),
        T("Give me the {Y} for Monday through Sunday.", bins=("weekday",), mark="auto"),
    ],
    "filter_value": [
        T("{Y} per {D} but only {F} {V}", op="=="),
        T("could you pls show the {Y} by {D} for {F} '{V}' only?", op="=="),
        T("{Y} by {D} without {F} {V}", op="!="),
        T("Drop {F} {V} and give me a bar chart of the {Y} per {D}.", op="!=", explicit=True),
        T("{Y} per {D}, {F} {V1} + {V2}", op="in"),
        T("{F} is {V1}, {V2} or {V3}: how many {N} per {D}?", op="in3", count=True),
        T("Only the {ADJ} {N} please, {Y} by {D}.", op="flag_true"),
        T("{Y} by {D} with {ADJ} {N} filtered out", op="flag_false"),
        T("{N} per {D} where the {F} mentions '{S}'", op="contains", count=True),
        T("Filter {F} = {V}, then count {N} by {D}", op="==", count=True),
        T("What does the {Y} look like per {D} if we ignore {F} {V}?", op="!="),
        T("bar chart of {Y} per {D} for {ADJ} {N}", op="flag_true", explicit=True),
    ],
    "filter_threshold": [
        T("{Y} per {D} for {N} with {F} north of {V}", op=">"),
        T("could you pls show {Y} by {D}, but only {N} where {F} is {V}+?", op=">="),
        T("{Y} per {D} where {F} stays under {V}", op="<"),
        T("{Y} by {D} for {N} with {F} up to {V}", op="<="),
        T("{Y} per {D} for {F} somewhere between {A} and {B}", op="between"),
        T("{N} per {D} in {P1} and later", op="date_since", count=True),
        T("{Y} by {D} for anything before {P1}", op="date_before"),
        T("{Y} per {D} covering {P1} through {P2}", op="date_between"),
        T("How many {N} in each {D} had {F} above {V}? bar chart", op=">", count=True, explicit=True),
        T("Bars: {Y} per {D}, {F} of {V} or higher", op=">=", explicit=True),
        T("Excluding {N} with {F} over {V}, what's the {Y} per {D}?", op="<="),
    ],
    "filter_relative": [
        T("{Y} per {D} for {N} whose {F} is over the average", op="above_mean"),
        T("could you pls count {N} per {D} where {F} is lower than average?", op="below_mean", count=True),
        T("{N} with {F} higher than the mean: how many per {D}?", op="above_mean", count=True),
        T("{Y} by {D}, leaving out {N} with {F} at or above the mean", op="below_mean"),
        T("Bar chart of the {Y} per {D} for the {N} whose {F} is beneath the average", op="below_mean",
          explicit=True),
        T("Above-average {F} only: {Y} by {D}", op="above_mean"),
    ],
    "top_k": [
        T("{K} leading {DP} by {Y}", order="descending"),
        T("could you pls show me the {K} {DP} with the biggest {Y}?", order="descending"),
        T("bottom-{K} {DP} ranked by {Y}", order="ascending"),
        T("Which {K} {DP} account for the most {M} overall?", order="descending", agg="sum"),
        T("Leaderboard: top {K} {DP} for average {M}", order="descending", agg="mean"),
        T("{K} busiest {DP} (by number of {N})", order="descending", count=True),
        T("The {K} quietest {DP} by count of {N}", order="ascending", count=True),
        T("Just the bottom {K} {DP} by {Y}, as bars.", order="ascending", explicit=True),
        T("Highest {K} {DP} on mean {M}, bar chart please", order="descending", explicit=True, agg="mean"),
    ],
    "synonym": [
        T("avg {M} per {D}", kind="agg", agg="mean"),
        T("how much {M} altogether for each {D}?", kind="agg", agg="sum"),
        T("{D}: how many {N}?", kind="count"),
        T("bar graph, {Y} vs {D}", kind="bar"),
        T("{N} by {D}, in a pie", kind="pie"),
        T("Histogram showing the {M} values", kind="hist"),
        T("Monthly line for the {Y}", kind="line"),
        T("{MY} against {MX}, scatter plot", kind="scatter"),
        T("Which {D} has the greatest mean {M}?", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Where does most of the {M} come from, {D}-wise?", kind="top_sum"),
        T("Which {D} shows up most often in the {N}?", kind="top_count"),
        T("Which {D} comes out on top for mean {M}?", kind="top_mean"),
        T("What's been happening with {MT} over time?", kind="trend_month"),
        T("How has the {Y} moved on a {ADJ} basis?", kind="trend_adj"),
        T("Tell me about the spread of {M}.", kind="dist"),
        T("Is there any correlation between {MX} and {MY}?", kind="rel"),
        T("What portion of all {N} sits in each {D}?", kind="share"),
        T("On what day of the week do {N} peak?", kind="top_weekday"),
    ],
    "unanswerable": [
        T("{MM} by {D}?", need="measure"),
        T("could you pls chart the average {MM} for every {D}?", need="measure"),
        T("{N} per {MD}, pie", need="dim"),
        T("How does {MM} change over time?", need="measure"),
        T("breakdown of {Y} by {MD}", need="dim"),
        T("{MM} vs {M} scatter", need="measure"),
        T("Show the {Y} per {D}, with a separate bar for every {MD}.", need="dim"),
        T("Total {MM} per {MD} as a stacked bar", need="both"),
        T("Distribution of {MM} across the {N}", need="measure"),
        T("Top 5 {D} values by {MM}", need="measure"),
        T("Which {MD} has the most {N}?", need="dim"),
        T("What's the {MM} spread like within each {MD}?", need="both"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh5 phrasings: written from scratch for round 6, by someone who had not read the parser nor run AutoViz on
# any of them, when the "fresh4" split was about to be used for tuning; the older templates were read only to
# avoid repeating them. Nobody changing the parser looks at them (nor at their results question by question);
# they are the clean held-out measure for that round ("fresh5" split). They lean on how people type to a chart
# tool: bare fragments ("{Y} by {D} pie"), chatty requests, role words for axes, stacks and groups ("put {MX} on
# the x axis", "stacked by {D2}"), sorts and time bins said in words ("largest to smallest", "month over
# month"), and questions that name no chart at all, including "which has more, A or B?" (kind="pair"). Every
# sorted template is a whole sentence (full=True).

FRESH5_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("{Y} per {D} bars"),
        T("hi! could you make me a bar chart of the {Y} for each {D}? thanks"),
        T("Bar chart with {D} along the x axis and {Y} as the bar height"),
        T("I'm putting a slide together - can I get bars comparing the {Y} across {D}?"),
        T("one bar per {D} showing the {Y}, please"),
        T("Mean {M} for each {D}, drawn as bars", agg="mean"),
        T("show {M} summed by {D} in a bar graph", agg="sum"),
        T("Lowest {M} recorded per {D} - bar chart", agg="min"),
        T("median {M} per {D}, bars please", agg="median"),
        T("bar graph: how many {N} in each {D}", count=True),
    ],
    "explicit_pie": [
        T("{Y} by {D} pie"),
        T("{N} split by {D} as a pie chart, please", count=True),
        T("Hey, can you show me how the {Y} is shared out between the {D} values in a pie?"),
        T("Pie: {D} slices sized by {Y}"),
        T("what % of {N} comes from each {D}? show it as a pie", count=True),
        T("Share of the {M} per {D} - pie chart", agg="sum"),
        T("I'd like a pie where each wedge is a {D} and its size is the {Y}"),
        T("pie of total {M} across {D}", agg="sum"),
    ],
    "explicit_line": [
        T("{Y} per {BIN} line chart", bin=True),
        T("line graph of the {Y} month over month"),
        T("could you plot the {Y} as a line, {BIN} after {BIN}, across {T}?", bin=True),
        T("I want to see the {ADJ} {Y} trend as a line graph", bin=True, adj=True),
        T("line chart, x = {T} by {BIN}, y = {Y}", bin=True),
        T("Please chart the average {M} per {BIN} as a line", bin=True, agg="mean"),
        T("{Y} over time, one line for each {D}, grouped by {BIN}", bin=True, color=True),
        T("Line: total {M} by {BIN} of {T}", bin=True, agg="sum"),
        T("how did the {Y} move per {BIN}? a line chart please", bin=True),
        T("peak {M} per {BIN} on a line", bin=True, agg="max"),
        T("line plot of the minimum {M} every {BIN}", bin=True, agg="min"),
    ],
    "explicit_area": [
        T("area graph showing the {Y} for every {BIN}", bin=True),
        T("stacked area of the {Y} by {BIN}, coloured by {D}", bin=True, color=True),
        T("month over month {Y} as an area chart"),
        T("area chart of how many {N} there were each {BIN}", bin=True, count=True),
        T("{ADJ} {M} totals, area", bin=True, adj=True, agg="sum"),
        T("I'd like the {Y} through {T} as a filled area, one band per {D}, per {BIN}", bin=True, color=True),
        T("could you do an area chart with {T} (by {BIN}) on x and the {Y} on y?", bin=True),
    ],
    "explicit_scatter": [
        T("{MY} versus {MX} as points"),
        T("put {MX} on the x axis and {MY} on the y, as dots"),
        T("scatter {MY} against {MX} please"),
        T("hey, could you plot each {n} with {MX} horizontally and {MY} vertically? a scatter is fine"),
        T("{MY} vs {MX} points coloured by {D}", color=True),
        T("dot chart: {MX} (x axis) and {MY} (y axis)"),
        T("Make a scatter where x is {MX}, y is {MY} and the colour is {D}", color=True),
        T("I'm curious whether {MX} drives {MY} - scatter please, {MX} on x"),
    ],
    "explicit_histogram": [
        T("histogram {M}"),
        T("could I get a histogram for {M}, please?"),
        T("Bucket the {N} by {M} and show it as a histogram"),
        T("freq distribution of {M} (histogram)"),
        T("how many {N} fall into each band of {M}? histogram"),
        T("Histogram on {RAW} pls"),
        T("I need to see how {M} is spread over the {N} - a histogram works"),
    ],
    "explicit_stacked": [
        T("bars for each {D} stacked by {D2}, showing the {Y}"),
        T("stacked bars of the {Y}: {D} on x, colour by {D2}"),
        T("Can you stack the {D2} segments on top of each other inside each {D} bar? I'm looking at the {Y}."),
        T("{N} per {D} with {D2} stacked", count=True),
        T("stacked column chart: sum of {M} for each {D}, segments = {D2}", agg="sum"),
        T("{D} along the bottom, {Y} stacked up by {D2}"),
        T("hi, I'd like a stacked bar chart of how many {N} there are per {D}, split into {D2}", count=True),
    ],
    "explicit_grouped": [
        T("bars for each {D} split by {D2}, side by side, for the {Y}"),
        T("{Y}: {D} on the x axis with a bar for every {D2} next to each other"),
        T("grouped bar, {D} x {D2}, {Y}"),
        T("Could you compare the {D2} values side by side within each {D}? Grouped bars of the {Y}, please."),
        T("clustered bars of average {M} by {D}, one per {D2}", agg="mean"),
        T("number of {N} per {D}, grouped by {D2} (bars next to each other, not stacked)", count=True),
        T("max {M} per {D} and {D2}, in a grouped bar chart with {D} along the bottom", agg="max"),
    ],
    "explicit_box": [
        T("box and whiskers for {M}, grouped into {D}"),
        T("can you show {M} as boxplots, one per {D}? thanks"),
        T("distribution of {M} per {D} - box chart"),
        T("compare the {M} spread across {D} with a box-whisker plot"),
        T("Box plot, x = {D}, y = {M}"),
        T("I'd like to spot outliers in {M} for each {D} - box plots please"),
        T("boxes of {M} by {D}"),
    ],
    "count_by": [
        T("count {N} per {D}"),
        T("how many {N} have we got in each {D}?"),
        T("{N} count by {D}"),
        T("quick one: number of {N} for every {D}"),
        T("hey, can you count the {N} grouped by {D}?"),
        T("{D} breakdown of {N}"),
        T("I'd like a count of {N} for every {D}, please"),
    ],
    "agg_by": [
        T("{AGG} {M} per {D}?"),
        T("how much {M} does each {D} add up to?", agg="sum"),
        T("{M} per {D}, averaged", agg="mean"),
        T("could you give me the {AGGN} of {M} for each {D}, please?", noun=True),
        T("{D}: {AGG} {M}"),
        T("per {D}, what's the highest {M}?", agg="max"),
        T("lowest {M} for each {D} please", agg="min"),
        T("what's the median {M} in each {D}?", agg="median"),
        T("how much {M} in each {D}, on average?", agg="mean"),
    ],
    "count_distinct": [
        T("how many unique {D2P} per {D}?"),
        T("distinct {D2P} by {D}"),
        T("for every {D}, count the distinct {D2} values"),
        T("How many {D2P} does each {D} cover?"),
        T("# of different {D2P} in each {D}"),
        T("bar chart of distinct {D2} counts per {D}", explicit=True),
        T("Number of distinct {D2P} seen in each {D}, please"),
    ],
    "sorted": [
        T("{Y} per {D}, largest to smallest", full=True, channel="y", order="descending"),
        T("{Y} by {D} from lowest to highest", full=True, channel="y", order="ascending"),
        T("Show me the {Y} for each {D} and put the biggest one first", full=True, channel="y", order="descending"),
        T("{Y} for each {D}, {D} listed A to Z", full=True, channel="x", order="ascending"),
        T("bar chart of {Y} per {D} with {D} running Z to A", full=True, channel="x", order="descending",
          explicit=True),
        T("{Y} per {D} in increasing order", full=True, channel="y", order="ascending"),
        T("could you list the {Y} for every {D}, top value first?", full=True, channel="y", order="descending"),
        T("{Y} by {D}, sort by {D} descending", full=True, channel="x", order="descending"),
        T("{Y} for each {D} - smallest bar on the left", full=True, channel="y", order="ascending", explicit=True),
        T("{Y} per {D}, bars sorted by height, tallest first", full=True, channel="y", order="descending",
          explicit=True),
    ],
    "time_bin": [
        T("{Y} per quarter", bins=("quarter",), mark="auto"),
        T("{Y} by weekday", bins=("weekday",), mark="auto"),
        T("{Y} month over month", bins=("month",), mark="auto"),
        T("number of {N} each {BIN} over {T}", bins=("month", "quarter", "week"), mark="auto", count=True),
        T("{ADJ} {M} totals", bins=("year", "quarter", "month", "week"), mark="auto", adj=True, agg="sum"),
        T("break {T} into {BIN}s and give me the {Y} as bars", bins=("year", "quarter", "month"), mark="bar",
          explicit=True),
        T("{Y} per {BIN}, as a line please", bins=("quarter", "month", "week"), mark="line", explicit=True),
        T("avg {M} by day of week", bins=("weekday",), mark="auto", agg="mean"),
        T("how does the {Y} look week to week?", bins=("week",), mark="auto"),
        T("{N} by weekday, bar chart", bins=("weekday",), mark="bar", explicit=True, count=True),
        T("year by year, what's the {Y}?", bins=("year",), mark="auto"),
    ],
    "filter_value": [
        T("{Y} per {D}, only where {F} is {V}", op="=="),
        T("{Y} by {D}, just the {F} {V} ones", op="=="),
        T("hey, can you filter to {F} {V} and show me the {Y} for each {D}?", op="=="),
        T("{Y} per {D} for all {N} except {F} {V}", op="!="),
        T("{Y} per {D} where {F} isn't {V}", op="!="),
        T("{Y} by {D}, {F} in {V1}/{V2} only", op="in"),
        T("only {F} {V1}, {V2} and {V3}: {Y} per {D}", op="in3"),
        T("{ADJ} {N} only - {Y} by {D}", op="flag_true"),
        T("{Y} per {D}, not counting {ADJ} {N}", op="flag_false"),
        T("{Y} per {D} for {F} values containing '{S}'", op="contains"),
        T("count of {N} per {D} with {F} {V}", op="==", count=True),
        T("I only care about {F} {V} - chart the {Y} by {D} as bars", op="==", explicit=True),
        T("leave out {F} {V}, then bar chart the {N} per {D}", op="!=", count=True, explicit=True),
    ],
    "filter_threshold": [
        T("{Y} by {D} for {N} with {F} greater than or equal to {V}", op=">="),
        T("{Y} per {D}, {F} at least {V}", op=">="),
        T("{Y} per {D} where {F} exceeds {V}", op=">"),
        T("{Y} per {D}, {F} under {V} only", op="<"),
        T("{Y} per {D} for {N} whose {F} is {V} or lower", op="<="),
        T("{Y} by {D}, {F} between {A} and {B} inclusive", op="between"),
        T("{F} from {A} up to {B}: {Y} per {D}", op="between"),
        T("{Y} per {D} since the start of {P1}", op="date_since"),
        T("{Y} per {D}, {T} before {P1}", op="date_before"),
        T("{Y} by {D} for {N} between {P1} and {P2}", op="date_between"),
        T("count {N} by {D} where {F} > {V}", op=">", count=True),
        T("How many {N} per {D} had {F} below {V}? bars please", op="<", count=True, explicit=True),
    ],
    "filter_relative": [
        T("{Y} by {D}, only {N} whose {F} beats the mean", op="above_mean"),
        T("{Y} per {D} where {F} is higher than its average", op="above_mean"),
        T("{N} with below-average {F}, counted per {D}", op="below_mean", count=True),
        T("what's the {Y} per {D} if I only keep {N} with {F} above the overall mean?", op="above_mean"),
        T("bars: {Y} per {D} among {N} that are below the mean {F}", op="below_mean", explicit=True),
        T("{Y} by {D}, {F} > average", op="above_mean"),
        T("how many {N} in each {D} fall short of the average {F}?", op="below_mean", count=True),
    ],
    "top_k": [
        T("{K} {DP} where the {Y} is highest", order="descending"),
        T("which are the {K} {DP} with the most {N}?", order="descending", count=True),
        T("bottom {K} {DP}, {Y}", order="ascending"),
        T("{DP} with the {K} lowest {Y}", order="ascending"),
        T("show me the {K} {DP} that bring in the most {M}", order="descending", agg="sum"),
        T("bar chart of the {K} {DP} with the fewest {N}", order="ascending", count=True, explicit=True),
        T("lowest average {M}: which {K} {DP}?", order="ascending", agg="mean"),
        T("hi - could you show the top {K} {DP} ranked by {Y} as bars?", order="descending", explicit=True),
        T("top {K} {DP} by count of {N} please", order="descending", count=True),
    ],
    "synonym": [
        T("avg {M} for every {D}", kind="agg", agg="mean"),
        T("{M} summed per {D}", kind="agg", agg="sum"),
        T("count of {N} per {D}", kind="count"),
        T("{Y} by {D} as bars", kind="bar"),
        T("{D} split of {N}, pie", kind="pie"),
        T("histogram: {M}", kind="hist"),
        T("{Y} per month, line", kind="line"),
        T("dots of {MY} against {MX}", kind="scatter"),
        T("which {D} has the top average {M}?", kind="top_mean"),
        T("what's the {M} in total for each {D}?", kind="agg", agg="sum"),
    ],
    "plain_analytical": [
        T("which {D} racks up the most {M} overall?", kind="top_sum"),
        T("which {D} has the largest number of {N}?", kind="top_count"),
        T("which {D} scores highest on average {M}?", kind="top_mean"),
        T("what's the trend in {MT} month by month?", kind="trend_month"),
        T("is the {ADJ} {Y} going up or down?", kind="trend_adj"),
        T("what range does {M} typically fall in?", kind="dist"),
        T("are {MX} and {MY} related?", kind="rel"),
        T("how are the {N} divided up among the {D} values?", kind="share"),
        T("which weekday sees the most {N}?", kind="top_weekday"),
        T("comparing {D} {V1} and {V2}, which has the higher average {M}?", kind="pair", agg="mean"),
        T("which {D} has more {M} in total: {V1} or {V2}?", kind="pair", agg="sum"),
        T("are there more {N} for {V1} or for {V2} ({D})?", kind="pair", agg="count"),
    ],
    "unanswerable": [
        T("{MM} per {D}, bar chart", need="measure"),
        T("avg {MM} by {D}?", need="measure"),
        T("{N} by {MD}", need="dim"),
        T("which {MD} has the highest {MM}?", need="both"),
        T("{MM} trend by month", need="measure"),
        T("plot {M} against {MM} as points", need="measure"),
        T("hey, could you show me the {Y} split by {MD}?", need="dim"),
        T("{Y} per {D}, stacked by {MD}", need="dim"),
        T("only {N} with {MM} over 100 - {Y} by {D}", need="measure"),
        T("top 3 {MD} by number of {N}", need="dim"),
        T("histogram of {MM} for every {MD}", need="both"),
        T("is {MM} higher in one {D} than another?", need="measure"),
        T("box plot of {M} per {MD}", need="dim"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh6 phrasings: written from scratch for round 7, by someone who had not read the parser nor run AutoViz on
# any of them, when the "fresh5" split was about to be used for tuning; the older templates were read only to
# avoid repeating them. Nobody changing the parser looked at them (nor at their results question by question);
# they were the clean held-out measure for that round ("fresh6" split), until round 8 (when fresh7 was written)
# made them a tuning split. They lean on ways the earlier rounds used little: column names typed exactly as in
# the header (raw=True: every column is named by its header, "PriceUSD", "Gear_Type", "Sale Date"), terse
# SQL-ish requests ("... group by {D} order by count(*) desc"), lower-case text kept as typed (verbatim=True: no
# capital letter added), run-on requests with two clauses, "vs"/"versus", questions opening with "Which", "What"
# or "How does", sorts and time bins said in words, polite chatty requests, questions that name no chart, and
# unanswerable ones naming something the table lacks. Every sorted template is a whole sentence (full=True);
# those that fix their own aggregation say so with count= or agg=.

FRESH6_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("bar chart of {Y} vs {D}"),
        T("select {D}, count(*) group by {D} - as a bar chart", count=True, raw=True, verbatim=True),
        T("Good morning! Would you be able to draw a bar chart of the {Y} for each {D}? Much appreciated."),
        T("bar chart, x={D}, y=mean({M})", agg="mean", raw=True, verbatim=True),
        T("sum of {M} grouped by {D} as a bar chart", agg="sum", raw=True),
        T("i need a bar graph that shows {Y} for every single {D} please", verbatim=True),
        T("What does the {Y} look like across {D}? Show it as bars."),
        T("bars comparing {D} on max {M}", agg="max", raw=True, verbatim=True),
        T("Plot {M} by {D} as a bar chart, taking the median of each group", agg="median"),
        T("pull up the {Y} for each {D} and put it in a bar chart"),
        T("How does the minimum {M} differ between {D} values? Use a bar chart.", agg="min"),
    ],
    "explicit_pie": [
        T("pie chart where each slice is one {D} value, sized by {Y}", raw=True),
        T("what fraction of all {N} belongs to each {D}? i'd like that as a pie", count=True, verbatim=True),
        T("Could you kindly put together a pie chart of the {Y} by {D}? Thanks a lot!"),
        T("select {D}, sum({M}) group by {D}, pie chart", agg="sum", raw=True, verbatim=True),
        T("How does the {Y} divide up among the {D} values? Draw a pie."),
        T("pie of count by {D}", count=True, raw=True, verbatim=True),
        T("Percentage of the total {M} for each {D}, shown as pie slices", agg="sum"),
        T("show {D} vs {Y} in a pie chart"),
    ],
    "explicit_line": [
        T("line chart of {Y} by {T}, aggregated per {BIN}", bin=True, raw=True),
        T("{Y} over {T} line chart grouped by {BIN}", bin=True, raw=True, verbatim=True),
        T("how does the {Y} change from {BIN} to {BIN}? draw it as a line", bin=True, verbatim=True),
        T("Please could you draw a line graph of the {ADJ} {Y}? Thank you!", bin=True, adj=True),
        T("line chart of sum({M}) per {BIN} of {T}", bin=True, agg="sum", raw=True, verbatim=True),
        T("What was the average {M} each {BIN}? Show it as a line.", bin=True, agg="mean"),
        T("trend of {Y} per calendar month as a line chart"),
        T("line graph, {Y} per {BIN}, a separate line for every {D}", bin=True, color=True),
        T("i want the max {M} per {BIN} on a line chart", bin=True, agg="max", verbatim=True),
        T("Line chart of {Y} versus {T}, by {BIN}", bin=True),
        T("min {M} by {BIN} line", bin=True, agg="min", raw=True, verbatim=True),
    ],
    "explicit_area": [
        T("area chart of {Y} over {T} by {BIN}", bin=True, raw=True),
        T("Could you please shade the {Y} under a curve, {BIN} by {BIN}? An area chart is ideal.", bin=True),
        T("stacked area chart of count by {BIN} and {D}", bin=True, count=True, color=True, raw=True, verbatim=True),
        T("{ADJ} total {M} as a filled area graph", bin=True, adj=True, agg="sum"),
        T("What does the {Y} look like per {BIN}? Show it as an area.", bin=True),
        T("area chart showing the {Y} per month broken down by {D}", color=True),
        T("sum({M}) per {BIN} area chart", bin=True, agg="sum", raw=True, verbatim=True),
    ],
    "explicit_scatter": [
        T("scatter plot {MY} vs {MX}", raw=True, verbatim=True),
        T("How does {MY} relate to {MX}? Show each {n} as a point in a scatter, {MX} on the x axis."),
        T("x={MX} y={MY} scatter colour={D}", color=True, raw=True, verbatim=True),
        T("Would you mind making a scatter chart of {MY} against {MX}? One dot per {n} is perfect."),
        T("scatter of {MX} versus {MY} with {MY} on the vertical axis"),
        T("scatter: one point per {n}, {MX} on the x axis, {MY} on the y axis and a colour for each {D}",
          color=True),
        T("i'm trying to see whether {MX} and {MY} move together, could you scatter them with {MX} on the "
          "horizontal axis", verbatim=True),
        T("scatter chart of {MX} (x) by {MY} (y)", raw=True),
    ],
    "explicit_histogram": [
        T("histogram for column {RAW}"),
        T("What does the distribution of {M} look like? Plot a histogram."),
        T("histogram of {M} with sensible bins please"),
        T("Could you be so kind as to draw a histogram of {M} for all the {N}?"),
        T("show me {M} as a histogram so i can see where most {N} fall", verbatim=True),
        T("{RAW} histogram, default bins", verbatim=True),
        T("frequency chart of {M} values (histogram)"),
    ],
    "explicit_stacked": [
        T("stacked bar chart of count grouped by {D} and {D2}", count=True, raw=True),
        T("stacked bars: x={D}, color={D2}, y=sum({M})", agg="sum", raw=True, verbatim=True),
        T("Could you please make a stacked bar chart showing the {Y} for each {D}, with the bars split up by {D2}? "
          "Thanks!"),
        T("how many {N} are there per {D} and {D2}? show it as stacked bars with {D} on the x axis", count=True,
          verbatim=True),
        T("{D} on x and {D2} as the stack colours, stacked bar of {Y}", raw=True, verbatim=True),
        T("stacked column chart of total {M} by {D} broken out into {D2}", agg="sum"),
        T("What's the {D2} mix of the {Y} within each {D}? Stacked bars please."),
    ],
    "explicit_grouped": [
        T("grouped bar chart of {Y} by {D} and {D2}", raw=True),
        T("side-by-side bars, x={D}, color={D2}, y=avg({M})", agg="mean", raw=True, verbatim=True),
        T("Would you please show the {Y} for every {D} with a separate bar for each {D2}, next to one another?"),
        T("compare {D2} side by side inside each {D} using grouped bars of the max {M}", agg="max"),
        T("grouped column chart: how many {N} per {D} and {D2}, {D} along the x axis", count=True),
        T("What is the total {M} for each {D} and {D2}? Put it in a grouped bar chart with {D} on x.", agg="sum"),
        T("i want bars grouped by {D} with one bar per {D2} showing {Y}", verbatim=True),
    ],
    "explicit_box": [
        T("box plot of {M} for every {D} value", raw=True),
        T("How does the spread of {M} differ between {D} groups? A box and whisker chart, please."),
        T("Could you please draw box plots of {M}, one for each {D}? Thank you."),
        T("box chart with {D} along the bottom and {M} up the side"),
        T("i want to compare the median and spread of {M} between {D} using box plots", verbatim=True),
        T("whiskers and boxes: {M} vs {D}"),
        T("show the outliers of {M} per {D} as a box plot, {D} on the x axis", raw=True),
    ],
    "count_by": [
        T("select {D}, count(*) from {N} group by {D}", raw=True, verbatim=True),
        T("How many {N} does each {D} account for?"),
        T("count of {N} grouped by {D}", raw=True, verbatim=True),
        T("what is the number of {N} for each value of {D}", raw=True, verbatim=True),
        T("Could you tell me how many {N} there are per {D}, please?"),
        T("{N} per {D} - how many in each?"),
        T("number of rows per {D}", raw=True),
    ],
    "agg_by": [
        T("select {D}, avg({M}) group by {D}", agg="mean", raw=True, verbatim=True),
        T("sum({M}) by {D}", agg="sum", raw=True, verbatim=True),
        T("What's the {AGG} {M} across the {D} groups?"),
        T("How does the average {M} compare across {D}?", agg="mean"),
        T("total {M} for every {D} please, i need the numbers for a report", agg="sum", verbatim=True),
        T("max({M}) group by {D}", agg="max", raw=True, verbatim=True),
        T("{M} per {D}: give me the {AGGN}", noun=True),
        T("Could you work out the median {M} in each {D} for me? Thanks!", agg="median"),
        T("lowest {M} by {D}", agg="min", raw=True),
    ],
    "count_distinct": [
        T("count(distinct {D2}) group by {D}", raw=True, verbatim=True),
        T("How many unique values of {D2} appear for each {D}?", raw=True),
        T("number of distinct {D2} by {D}", raw=True),
        T("What's the count of different {D2P} within every {D}?"),
        T("for each {D} how many different {D2} values are there", verbatim=True),
        T("bar chart: unique {D2} count per {D}", explicit=True, raw=True),
        T("How varied are the {D2P} in each {D}? Count the distinct ones."),
    ],
    "sorted": [
        T("{Y} by {D} order by {Y} desc", full=True, channel="y", order="descending", raw=True, verbatim=True),
        T("select {D}, count(*) group by {D} order by count(*) desc", full=True, channel="y", order="descending",
          count=True, raw=True, verbatim=True),
        T("{Y} per {D} sorted by {D} asc", full=True, channel="x", order="ascending", raw=True, verbatim=True),
        T("Which {D} has the highest {Y} and which the lowest? Show all of them ranked from most to least.",
          full=True, channel="y", order="descending"),
        T("could you please show the {Y} for each {D}, ordered from the smallest to the largest? thanks",
          full=True, channel="y", order="ascending", verbatim=True),
        T("bar chart of {Y} by {D} with the {D} names in reverse alphabetical order", full=True, channel="x",
          order="descending", explicit=True),
        T("show {Y} for every {D} and sort it so the lowest comes first", full=True, channel="y",
          order="ascending"),
        T("{Y} vs {D}, ranked descending", full=True, channel="y", order="descending"),
        T("What is the {Y} for each {D}, going from A to Z by {D}?", full=True, channel="x", order="ascending"),
        T("rank {D} by {Y} ascending, as bars", full=True, channel="y", order="ascending", explicit=True),
        T("sort {D} by avg({M}) descending", full=True, channel="y", order="descending", agg="mean", raw=True,
          verbatim=True),
    ],
    "time_bin": [
        T("count of {N} by {BIN} of {T}", bins=("month", "quarter", "week"), mark="auto", count=True, raw=True,
          verbatim=True),
        T("How does the {Y} change from one year to the next?", bins=("year",), mark="auto"),
        T("{Y} grouped by month of {T}", bins=("month",), mark="auto", raw=True),
        T("{Y} by day of the week (from {T})", bins=("weekday",), mark="auto", raw=True),
        T("could you please show me the {Y} for each {BIN}? a line is fine", bins=("quarter", "month", "week"),
          mark="line", explicit=True, verbatim=True),
        T("date_trunc('{BIN}', {T}) vs {Y}, bar chart", bins=("year", "quarter", "month"), mark="bar",
          explicit=True, raw=True, verbatim=True),
        T("quarter by quarter {Y}", bins=("quarter",), mark="auto"),
        T("{ADJ} {Y} please", bins=("year", "quarter", "month", "week"), mark="auto", adj=True),
        T("what's the average {M} in each {BIN}", bins=("quarter", "month"), mark="auto", agg="mean",
          verbatim=True),
        T("how many {N} were there per week", bins=("week",), mark="auto", count=True, verbatim=True),
        T("max {M} per month over time as a line chart", bins=("month",), mark="line", explicit=True, agg="max"),
    ],
    "filter_value": [
        T("{Y} by {D} where {F} = '{V}'", op="==", raw=True, verbatim=True),
        T("{Y} per {D} where {F} != '{V}'", op="!=", raw=True, verbatim=True),
        T("{Y} by {D} where {F} in ('{V1}', '{V2}')", op="in", raw=True, verbatim=True),
        T("What is the {Y} for each {D} when we only look at {F} {V}?", op="=="),
        T("Could you please show the {Y} per {D}, but only for the {N} where {F} is {V}? Thanks!", op="=="),
        T("how many {N} per {D} excluding any with {F} equal to {V}", op="!=", count=True, verbatim=True),
        T("{Y} by {D} for {F} {V1}, {V2} or {V3} only, as a bar chart", op="in3", explicit=True),
        T("How does the {Y} compare across {D} for {ADJ} {N}?", op="flag_true"),
        T("{Y} per {D} for the non-{ADJ} {N}", op="flag_false"),
        T("filter {F} ilike '%{S}%' and count {N} by {D}", op="contains", count=True, raw=True, verbatim=True),
        T("show me {Y} by {D} and leave out {F} {V}", op="!="),
        T("only the {ADJ} ones: {Y} per {D}", op="flag_true"),
        T("I'm only interested in {F} {V1} and {V2}, can you give me the {Y} for each {D}?", op="in"),
    ],
    "filter_threshold": [
        T("{Y} by {D} where {F} > {V}", op=">", raw=True, verbatim=True),
        T("{Y} per {D} where {F} >= {V}", op=">=", raw=True, verbatim=True),
        T("{Y} by {D} where {F} between {A} and {B}", op="between", raw=True, verbatim=True),
        T("What is the {Y} per {D} for {N} with {F} greater than {V}?", op=">"),
        T("Could you please show the {Y} for each {D}, counting only {N} whose {F} is below {V}? Thank you.",
          op="<"),
        T("how many {N} in each {D} have {F} less than or equal to {V}", op="<=", count=True, verbatim=True),
        T("{Y} per {D} for {N} on or after {P1}", op="date_since"),
        T("{Y} by {D} where {T} < {P1}", op="date_before", raw=True, verbatim=True),
        T("What was the {Y} per {D} between {P1} and {P2}?", op="date_between"),
        T("bar chart of {Y} by {D} for {N} with {F} over {V}", op=">", explicit=True),
        T("show {Y} by {D} but only where {F} is {V} or more and make it a bar chart", op=">=", explicit=True),
        T("{N} per {D} with {F} under {V}, how many?", op="<", count=True),
    ],
    "filter_relative": [
        T("{Y} by {D} where {F} > avg({F})", op="above_mean", raw=True, verbatim=True),
        T("{Y} per {D} where {F} < avg({F})", op="below_mean", raw=True, verbatim=True),
        T("What is the {Y} for each {D} among {N} with {F} greater than the average?", op="above_mean"),
        T("how many {N} per {D} have a {F} below the mean", op="below_mean", count=True, verbatim=True),
        T("Could you please count the {N} in each {D} whose {F} is above average? Thanks!", op="above_mean",
          count=True),
        T("bar chart of {Y} by {D} for {N} with below average {F}", op="below_mean", explicit=True),
        T("only keep {N} where {F} is higher than the overall average and then show {Y} per {D}",
          op="above_mean"),
    ],
    "top_k": [
        T("select {D}, count(*) group by {D} order by count(*) desc limit {K}", order="descending", count=True,
          raw=True, verbatim=True),
        T("Which {K} {DP} have the highest {Y}?", order="descending"),
        T("What are the {K} {DP} with the least {Y}?", order="ascending"),
        T("{Y} for the top {K} {D} values only", order="descending", raw=True),
        T("could you please show me just the {K} {DP} with the most {N}? thanks", order="descending", count=True,
          verbatim=True),
        T("bottom {K} {D} by sum({M})", order="ascending", agg="sum", raw=True, verbatim=True),
        T("bar chart with only the {K} {DP} that have the highest average {M}", order="descending", agg="mean",
          explicit=True),
        T("i need the {K} {DP} with the smallest {Y} as a bar chart", order="ascending", explicit=True,
          verbatim=True),
        T("Which {K} {DP} have the fewest {N}?", order="ascending", count=True),
    ],
    "synonym": [
        T("How does the average {M} differ between {D} groups?", kind="agg", agg="mean"),
        T("{M} total by {D}", kind="agg", agg="sum"),
        T("how many {N} per {D} are there", kind="count", verbatim=True),
        T("Could you please make a bar chart of the {Y} for each {D}?", kind="bar"),
        T("pie chart of {N} per {D}", kind="pie"),
        T("Show me a histogram of the {M}", kind="hist"),
        T("{Y} by month as a line chart", kind="line"),
        T("scatter of {MY} vs {MX}", kind="scatter"),
        T("On average, which {D} leads on {M}?", kind="top_mean"),
        T("What is the {M} added up for each {D}?", kind="agg", agg="sum"),
    ],
    "plain_analytical": [
        T("Which {D} brings in the biggest total {M}?", kind="top_sum"),
        T("What {D} has the most {N}?", kind="top_count"),
        T("Which {D} has the highest mean {M}?", kind="top_mean"),
        T("How does {MT} change month over month?", kind="trend_month"),
        T("How does the {ADJ} {Y} look over time?", kind="trend_adj"),
        T("what are typical values of {M} and how much do they vary", kind="dist", verbatim=True),
        T("How does {MY} vary with {MX}?", kind="rel"),
        T("What proportion of the {N} is in each {D}?", kind="share"),
        T("What weekday has the most {N}?", kind="top_weekday"),
        T("{V1} vs {V2}: which {D} has more {N}?", kind="pair", agg="count"),
        T("Which {D} has the higher average {M}, {V1} or {V2}?", kind="pair", agg="mean"),
        T("is total {M} bigger for {V1} or {V2} in {D}", kind="pair", agg="sum", verbatim=True),
        T("which {D} has the max sum of {M}", kind="top_sum", raw=True, verbatim=True),
    ],
    "unanswerable": [
        T("avg({MM}) group by {D}", need="measure", verbatim=True),
        T("What is the total {MM} for each {D}?", need="measure"),
        T("count of {N} grouped by {MD}", need="dim"),
        T("Which {MD} comes out on top for {Y}?", need="dim"),
        T("How does {MM} compare across {D}?", need="measure"),
        T("could you please chart the {MM} over time by month? thanks", need="measure", verbatim=True),
        T("{Y} by {D} where {MM} > 0", need="measure", verbatim=True),
        T("scatter plot of {MM} vs {M}", need="measure"),
        T("{MM} vs {MD} bar chart", need="both"),
        T("pie chart of {Y} by {MD}", need="dim"),
        T("What's the median {MM} per {MD}?", need="both"),
        T("show {Y} per {D} and colour the bars by {MD}", need="dim"),
        T("How is {MM} distributed among the {N}?", need="measure"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh7 phrasings: written from scratch for round 8, by someone who had not read the parser nor run AutoViz on
# any of them, when the "fresh6" split was about to be used for tuning; the older templates were read only to
# avoid repeating them. Nobody changing the parser looked at them (nor at their results question by question);
# they were the clean held-out measure for that round ("fresh7" split), until round 9 (when fresh8 was written)
# made them a tuning split. They lean on how requests reach an analyst: asks pasted from a manager's email,
# dashboard-tile titles with dashes, arrows and brackets, bullet fragments, hedged asks, casual typing kept as
# typed (verbatim=True), the chart type said last, analysts' and trades' words, and unanswerable asks whose
# missing thing sits in the measure, the grouping, a filter or the colour. Every sorted template is a whole
# sentence (full=True); those that fix their own aggregation say so with count= or agg=. (This note names the
# styles only, so reading it shows no fresh7 question.)

FRESH7_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Can you pull together a bar chart showing the {Y} for each {D}? Need it for Monday's review."),
        T("{Y} — by {D} (bar)"),
        T("I think a bar chart would work best here: the {Y} per {D}."),
        T("whats the avg {M} per {D}, as a bar chart", agg="mean", verbatim=True),
        T("Bar chart please — {D} across the bottom, {M} summed up the side.", agg="sum"),
        T("For the ops deck: bars of the {Y}, one per {D}."),
        T("• {Y} • per {D} • bar chart"),
        T("Bars of the single largest {M} each {D} has seen", agg="max"),
        T("Could we see the median {M} for every {D} as bars rather than a table?", agg="median"),
    ],
    "explicit_pie": [
        T("Can you put together a pie of the {N} by {D} for the team update?", count=True),
        T("{D} mix — share of {N} (pie)", count=True),
        T("{M} share by {D}, pie please", agg="sum"),
        T("I think a pie would work best for the {Y} split across {D}."),
        T("Pie chart (one slice per {D}) of the {Y}"),
        T("Donut or pie, either is fine: total {M} split across {D}.", agg="sum"),
        T("• {N} • by {D} • pie", count=True),
        T("How is the {Y} carved up between the {D} groups? Pie chart."),
    ],
    "explicit_line": [
        T("Can you pull together a line chart of the {Y} by {BIN}? It's for the board pack.", bin=True),
        T("{Y} — {BIN} by {BIN} trend (line)", bin=True),
        T("I think a line would work best for the {Y} over {T}, grouped by {BIN}.", bin=True),
        T("How has the {Y} changed over the {BIN}s? Line chart, please.", bin=True),
        T("{ADJ} {M} (summed), plotted as a line", bin=True, adj=True, agg="sum"),
        T("avg {M} per {BIN}, line pls", bin=True, agg="mean", verbatim=True),
        T("Plot the {Y} by {BIN} as lines, broken down by {D} (one colour each).", bin=True, color=True),
        T("Line chart — {Y}, month on month"),
        T("What was the minimum {M} in each {BIN}? A line graph would be ideal.", bin=True, agg="min"),
        T("Highest single {M} in every {BIN} across {T} — line chart", bin=True, agg="max"),
    ],
    "explicit_area": [
        T("Can you pull together an area chart of the {Y} per {BIN}?", bin=True),
        T("{Y}, {BIN} by {BIN} — filled area", bin=True),
        T("I think an area chart would work best for the {Y} by {BIN}, stacked by {D}.", bin=True, color=True),
        T("How many {N} per {BIN}? Show the volume as a shaded area.", bin=True, count=True),
        T("{ADJ} {M} totals stacked by {D} — area", bin=True, adj=True, agg="sum", color=True),
        T("Area graph, x axis {T} grouped into {BIN}s, y axis the total {M}", bin=True, agg="sum"),
        T("Month-on-month {Y} as a filled area, broken down by {D}", color=True),
    ],
    "explicit_scatter": [
        T("Can you pull together a scatter of {MY} against {MX}? One dot per {n}."),
        T("{MY} vs. {MX} — scatter, dots tinted by {D}", color=True),
        T("I think a scatter would work best for {MX} versus {MY}, with {MX} on the x axis."),
        T("Is there a link between {MX} and {MY}? Scatter it, {MX} along x, {MY} along y, each {D} its own colour.",
          color=True),
        T("scatter for the appendix: {MX} (x) against {MY} (y), each {n} a point", verbatim=True),
        T("Plot every {n} by {MX} (horizontal) and {MY} (vertical) — no aggregation, just points."),
        T("How does {MY} move against {MX}? Dots please, {MX} horizontally."),
        T("Scatterplot w/ {MX} on x & {MY} on y, colour-coded by {D}", color=True),
    ],
    "explicit_histogram": [
        T("Can you pull together a histogram of {M}?"),
        T("{M} — distribution of values (histogram)"),
        T("I think a histogram would work best for seeing the spread of {M}."),
        T("Histogram of the {RAW} field across all {N}, please"),
        T("What's the distribution of {M}? Bin it and show a histogram."),
        T("• {M} • histogram • all {N}"),
        T("Where do most {N} sit on {M}? A histogram would answer it."),
    ],
    "explicit_stacked": [
        T("Can you pull together stacked bars of the {Y} per {D}, split by {D2}?"),
        T("{Y} — by {D}, stacked by {D2}"),
        T("I think a stacked bar would work best: {D} on x, {D2} as the layers, {Y} as the height."),
        T("Total {M} per {D}, each bar broken down by {D2} (stacked)", agg="sum"),
        T("• {N} • per {D} • stacked by {D2}", count=True),
        T("How many {N} does each {D} have, and what's the {D2} mix? Stacked columns please.", count=True),
        T("Stack {D2} inside each {D} bar — {M} summed", agg="sum"),
        T("Stacked column, {D} along x, coloured by {D2}, height = how many {N}", count=True),
    ],
    "explicit_grouped": [
        T("Can you pull together a grouped bar chart of the {Y} by {D}, with a bar for each {D2}?"),
        T("{Y} — {D} × {D2}, grouped bars"),
        T("I think grouped bars would work best: the {Y} for every {D}, one bar per {D2}, side by side (not stacked)."),
        T("avg {M} per {D} broken down by {D2}, bars next to each other", agg="mean", verbatim=True),
        T("Highest {M} for each {D}, {D2} bars side by side", agg="max"),
        T("Compare {D2} within each {D} on the {Y} — clustered columns, please."),
        T("• {N} • {D} on x • one bar per {D2} • grouped", count=True),
        T("Total {M} for each {D}, with {D2} as side-by-side bars", agg="sum"),
    ],
    "explicit_box": [
        T("Can you pull together box plots of {M} by {D}?"),
        T("{M} — spread by {D} (box plot)"),
        T("I think a box plot would work best for comparing {M} across the {D} groups."),
        T("Box-and-whisker, {M} per {D} (outliers shown)"),
        T("What's the spread of {M} like in each {D}? Boxes and whiskers please."),
        T("• {M} • split by {D} • box plot"),
        T("Show the IQR and median of {M} for every {D} as a box plot."),
        T("boxplot of {M} vs {D}", verbatim=True),
    ],
    "count_by": [
        T("Can you pull together the number of {N} by {D}?"),
        T("{N} — headcount by {D}"),
        T("How many {N} have we had per {D}?"),
        T("{D}: # of {N}"),
        T("Count of {N}, broken down by {D}"),
        T("whats the {N} count per {D}", verbatim=True),
        T("For each {D}, how many {N} are on file?"),
        T("Can I get {N} counts split out by {D}?"),
    ],
    "agg_by": [
        T("Can you pull together the {AGG} {M} for each {D}?"),
        T("KPI: {AGG} {M}, sliced by {D}"),
        T("Mean {M} per {D} (simple average, not weighted)", agg="mean"),
        T("How much {M} did each {D} do in total?", agg="sum"),
        T("Per {D}: what's the {AGGN} of {M}?", noun=True),
        T("Top-line {M} by {D} — summed", agg="sum"),
        T("What's the lowest {M} we've seen in each {D}?", agg="min"),
        T("Median {M} for every {D}, please — the mean gets skewed.", agg="median"),
        T("Record {M} per {D}? i.e. the max", agg="max"),
    ],
    "count_distinct": [
        T("Can you pull together how many distinct {D2P} each {D} has?"),
        T("Unique {D2P} — per {D}"),
        T("For every {D}, count the {D2P} without double-counting repeats."),
        T("{D} → number of distinct {D2}"),
        T("Bar chart: how many different {D2P} per {D} (distinct count)", explicit=True),
        T("What's the distinct count of {D2} for every {D}?"),
        T("Coverage: number of unique {D2P} each {D} has touched"),
    ],
    "sorted": [
        T("Can you pull together the {Y} by {D}, sorted by value high→low?", full=True, channel="y",
          order="descending"),
        T("{Y} — by {D} (sorted by value, high→low)", full=True, channel="y", order="descending"),
        T("Leaderboard of {D} by {Y}", full=True, channel="y", order="descending"),
        T("{Y} per {D} (smallest → largest)", full=True, channel="y", order="ascending"),
        T("I think sorting the bars alphabetically by {D} works best — {Y} per {D}.", full=True, channel="x",
          order="ascending", explicit=True),
        T("{Y} by {D}, {D} in Z→A order", full=True, channel="x", order="descending"),
        T("Which {D} sits at the bottom on {Y}? Show all of them, lowest first.", full=True, channel="y",
          order="ascending"),
        T("Ranked bar chart of the {Y} by {D}, biggest at the left", full=True, channel="y", order="descending",
          explicit=True),
        T("avg {M} per {D}, ranked from the top down", full=True, channel="y", order="descending", agg="mean",
          verbatim=True),
        T("{N} per {D}, sorted by count ascending", full=True, channel="y", order="ascending", count=True),
    ],
    "time_bin": [
        T("{Y}, Q-over-Q", bins=("quarter",), mark="auto"),
        T("How has the {Y} changed over the years?", bins=("year",), mark="auto"),
        T("Can you pull together the {Y} for each {BIN}?", bins=("month", "quarter", "week"), mark="auto"),
        T("{Y} by weekday — is there a Monday effect?", bins=("weekday",), mark="auto"),
        T("Week-by-week {Y}", bins=("week",), mark="auto"),
        T("{N} per {BIN}, columns please", bins=("year", "quarter", "month"), mark="bar", explicit=True, count=True),
        T("Total {M} year on year", bins=("year",), mark="auto", agg="sum"),
        T("I think a line would work best for the {Y} per {BIN}.", bins=("quarter", "month", "week"), mark="line",
          explicit=True),
        T("Month by month, how does each month's {Y} compare with the last?", bins=("month",), mark="auto"),
        T("Highest {M} logged in any given {BIN}", bins=("quarter", "month"), mark="auto", agg="max"),
        T("{ADJ} {Y} (dashboard tile)", bins=("year", "quarter", "month", "week"), mark="auto", adj=True),
    ],
    "filter_value": [
        T("Can you pull together the {Y} per {D} for {F} {V} only?", op="=="),
        T("{Y} — by {D} (filter: {F} = {V})", op="=="),
        T("{Y} per {D}, excl. {F} {V}", op="!="),
        T("I think we should leave {F} {V} out — what's the {Y} by {D} then?", op="!="),
        T("{Y} per {D}, keeping only {F} {V1} and {F} {V2}", op="in"),
        T("Just the {F} values {V1}, {V2} and {V3} — {Y} by {D}, please", op="in3"),
        T("{ADJ} {N} only (bar chart): {Y} per {D}", op="flag_true", explicit=True),
        T("Leaving the {ADJ} {N} aside, what's the {Y} per {D}?", op="flag_false"),
        T("{N} per {D} where {F} has '{S}' in it", op="contains", count=True),
        T("Of the {N} tagged {F} {V}, how many sit in each {D}?", op="==", count=True),
        T("Bar chart — {Y} by {D}, everything except {F} {V}", op="!=", explicit=True),
        T("For {F} {V}, how does the {Y} break down by {D}?", op="=="),
    ],
    "filter_threshold": [
        T("Can you pull together the {Y} per {D} for {N} with {F} over {V}?", op=">"),
        T("{Y} — by {D} (only rows with {F} ≥ {V})", op=">="),
        T("{Y} per {D} [filter {F} ≤ {V}]", op="<="),
        T("I think we should only look at {N} where {F} is below {V} — {Y} per {D}?", op="<"),
        T("{Y} by {D} for the {A}–{B} {F} band", op="between"),
        T("Since {P1}: {Y} by {D}", op="date_since"),
        T("{Y} per {D}, pre-{P1}", op="date_before"),
        T("{Y} by {D}, {P1}–{P2}", op="date_between"),
        T("Count of {N} per {D} where {F} came in above {V}", op=">", count=True),
        T("Bar chart: {Y} by {D}, only where {F} sits between {A} and {B}", op="between", explicit=True),
        T("{Y} per {D} — anything with {F} under {V} excluded", op=">="),
        T("{Y} per {D} for {N} from {P1} to date", op="date_since"),
    ],
    "filter_relative": [
        T("Can you pull together the {Y} per {D} for {N} with above-average {F}?", op="above_mean"),
        T("{Y} — by {D} ({F} below avg)", op="below_mean"),
        T("I think we should only count {N} whose {F} beats the average — how many per {D}?", op="above_mean",
          count=True),
        T("{N} per {D} where {F} is under the mean, as a bar chart", op="below_mean", count=True, explicit=True),
        T("{Y} by {D}, restricted to the above-mean {F} group", op="above_mean"),
        T("Below-average {F} only — {Y} per {D}, bars", op="below_mean", explicit=True),
        T("{Y} per {D} among {N} whose {F} tops the overall average", op="above_mean"),
    ],
    "top_k": [
        T("Can you pull together the top {K} {DP} by {Y}?", order="descending"),
        T("Top {K} {DP} — {Y} leaderboard", order="descending"),
        T("Bottom {K} {DP} on {Y} (lowest first)", order="ascending"),
        T("I think just the {K} biggest {DP} by {Y} would do — bars.", order="descending", explicit=True),
        T("{K} {DP} with the highest total {M}", order="descending", agg="sum"),
        T("Top {K} {DP} by volume of {N}", order="descending", count=True),
        T("The {K} {DP} with the lowest average {M}, ranked", order="ascending", agg="mean"),
        T("Of all the {DP}, which {K} are out in front on {Y}?", order="descending"),
        T("{K} smallest {DP} by count of {N}", order="ascending", count=True),
    ],
    "synonym": [
        T("Can you pull together the average {M} for each {D}?", kind="agg", agg="mean"),
        T("{M} — summed across each {D}", kind="agg", agg="sum"),
        T("How many {N} does every {D} have on the books?", kind="count"),
        T("I think a bar chart would work best for the {Y} by {D}.", kind="bar"),
        T("{N} share by {D} (pie)", kind="pie"),
        T("{M} — histogram, default binning", kind="hist"),
        T("{Y}, month on month, as a line", kind="line"),
        T("{MX} vs {MY} as a scatter — {MX} across, {MY} up", kind="scatter"),
        T("Leaderboard of {D} by average {M}", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Can you find out which {D} generates the most {M} overall?", kind="top_sum"),
        T("Which {D} has had the most {N} so far?", kind="top_count"),
        T("Where is the mean {M} highest — which {D}?", kind="top_mean"),
        T("Walk me through {MT} month by month — any pattern?", kind="trend_month"),
        T("On {ADJ} figures, which way is the {Y} heading?", kind="trend_adj"),
        T("Is {M} skewed, or roughly bell-shaped?", kind="dist"),
        T("Is there a link between {MX} and {MY} at all?", kind="rel"),
        T("What's each {D}'s share of the {N}?", kind="share"),
        T("Which day of the week is peak for {N}?", kind="top_weekday"),
        T("Between the {D} values {V1} and {V2}, which has the bigger total {M}?", kind="pair", agg="sum"),
        T("Which is more common among the {N}, {D} {V1} or {D} {V2}?", kind="pair", agg="count"),
    ],
    "unanswerable": [
        T("Can you pull together the total {MM} by {D}?", need="measure"),
        T("{MM} — broken down by {D}", need="measure"),
        T("{Y} — by {MD}", need="dim"),
        T("I think a line would work best for {MM} over time.", need="measure"),
        T("Which {MD} tops the {Y} leaderboard?", need="dim"),
        T("{Y} per {D}, coloured by {MD}", need="dim"),
        T("{Y} per {D} — excluding anything with zero {MM}", need="measure"),
        T("Is there a link between {MM} and {M}?", need="measure"),
        T("Distribution of {MM} by {MD} (box plot)", need="both"),
        T("{MD} share of {N} — pie", need="dim"),
        T("How has {MM} changed over the years?", need="measure"),
        T("Leaderboard: {MD} by average {MM}", need="both"),
        T("Just the {N} with a {MD} on file — {Y} per {D}", need="dim"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh8 phrasings: written from scratch for round 9, by someone who had not read the parser nor run AutoViz on
# any of them, when the "fresh7" split was about to be used for tuning; the older templates were read only to
# avoid repeating them. Nobody changing the parser looked at them (nor at their results question by question);
# they were the clean held-out measure for that round ("fresh8" split), until round 10 (when fresh9 was written)
# made them a tuning split. They lean on how people brief a charting assistant: imperative openers ("return",
# "visualize", "generate", "render"), field-well and pivot talk with pipes and equals signs, spreadsheet and
# dplyr-ish shorthand, the condition said before the chart, "which ... most" questions, quick typing with the odd
# typo or dropped word kept as typed (verbatim=True), headers typed as they are (raw=True) in the code-like ones,
# and unanswerable asks whose missing thing is the measure, the grouping, the sort key, a filter or the stack.
# Every sorted template is a whole sentence (full=True); those that fix their own aggregation say so with count=
# or agg=. (This note names the styles only, so reading it shows no fresh8 question.)

FRESH8_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Return a bar chart that compares the {Y} across every {D}."),
        T("Visualize {Y} per {D} with vertical bars."),
        T("x-axis: {D} | y-axis: {Y} | chart: bar", verbatim=True),
        T("can u do a barchart w/ the {Y} for each {D}", verbatim=True),
        T("Render the median {M} of each {D} as bars.", agg="median"),
        T("For the ops huddle I need the total {M} per {D} in a bar graph.", agg="sum"),
        T("Bar graph please: the minimum {M} recorded for each {D}", agg="min"),
        T("Generate a column chart with one column per {D}, its height being the {Y}."),
        T("I'd like to eyeball the {Y} by {D} on a bar chart before the meeting."),
        T("bar plot of peak {M} per {D}", agg="max", verbatim=True),
    ],
    "explicit_pie": [
        T("Return a pie chart of the {Y} split by {D}."),
        T("Visualize the {D} split of the {N} with a pie.", count=True),
        T("slices = {D}, size = {Y}, type = pie", verbatim=True),
        T("pie chrt of total {M} by {D} pls", agg="sum", verbatim=True),
        T("Can we see the {D} breakdown of the {N} as a pie? Percentages on the slices would be nice.", count=True),
        T("Make a pie that shows what part of all the {M} each {D} contributes.", agg="sum"),
        T("Generate a pie graph of the {Y} with {D} as the categories"),
        T("How big is each {D}'s piece of the {N}? Draw a pie.", count=True),
    ],
    "explicit_line": [
        T("Return a line chart of the {Y} per {BIN} across {T}.", bin=True),
        T("Visualize the {Y} as a line over time, aggregated by {BIN}.", bin=True),
        T("x-axis: {T} ({BIN}) | y-axis: {Y} | chart: line", bin=True, verbatim=True),
        T("linechart of the {Y} for every month", verbatim=True),
        T("Plot the total {M} {BIN} by {BIN} as lines, one line per {D}.", bin=True, agg="sum", color=True),
        T("Trace the {ADJ} {Y} with a line", bin=True, adj=True),
        T("Can you chart the lowest {M} in each {BIN} as a line graph?", bin=True, agg="min"),
        T("I need to see if the {Y} has been climbing. Line chart by {BIN}, please.", bin=True),
        T("Line graph: number of {N} every {BIN} over the whole {T} range", bin=True, count=True),
        T("show me how the max {M} moved over time in a line plot, monthly", agg="max", verbatim=True),
    ],
    "explicit_area": [
        T("Return an area chart of the {Y} for each {BIN}.", bin=True),
        T("Visualize the {Y} over {T} as a stacked area, a band for every {D}, by {BIN}.", bin=True, color=True),
        T("x-axis: {T} by {BIN} | y-axis: {Y} | chart: area", bin=True, verbatim=True),
        T("area chrt of total {M} per month", agg="sum", verbatim=True),
        T("Shade in the number of {N} per {BIN} as an area plot, split into {D} layers.", bin=True, count=True,
          color=True),
        T("Could the {ADJ} {Y} go in an area chart instead of a line?", bin=True, adj=True),
        T("Generate a filled area graph of {M} summed by {BIN}", bin=True, agg="sum"),
        T("How many {N} came in each {BIN}? Area chart, please.", bin=True, count=True),
    ],
    "explicit_scatter": [
        T("Return a scatter plot of {MY} (vertical) against {MX} (horizontal)."),
        T("Visualize each {n} as a dot: {MX} horizontally, {MY} vertically, coloured by {D}.", color=True),
        T("x-axis: {MX} | y-axis: {MY} | chart: scatter", verbatim=True),
        T("scater plz, does {MY} climb with {MX}? {MX} on x", verbatim=True),
        T("Does a bigger {MX} go with a bigger {MY}? Plot every {n} as a point to check, {MX} on x."),
        T("Scatter: {MY} against {MX}, with a different colour for each {D}", color=True),
        T("Generate an XY plot where {MX} is the x variable and {MY} the y variable, one marker per {n}."),
        T("I want to spot outliers: scatter {MY} versus {MX}, {MX} along the bottom."),
    ],
    "explicit_histogram": [
        T("Return a histogram of {M}."),
        T("Visualize the distribution of {M} over all {N} as a histogram."),
        T("quick histgram on {M}", verbatim=True),
        T("chart: histogram | field: {RAW}", verbatim=True),
        T("How spread out is {M}? Bin it into a histogram so I can see the shape."),
        T("Generate a frequency histogram for the {RAW} column, please."),
        T("Are most {N} clustered at low {M}? Show me a histogram."),
    ],
    "explicit_stacked": [
        T("Return a stacked bar chart of the {Y} by {D}, with {D2} as the stacks."),
        T("Visualize the {D2} make-up of each {D} in stacked bars sized by the {Y}."),
        T("x-axis: {D} | y-axis: {Y} | stack: {D2} | chart: stacked bar", verbatim=True),
        T("stacked barchart, total {M} per {D}, broken into {D2}", agg="sum", verbatim=True),
        T("Count the {N} in each {D} and stack the bars by {D2}.", count=True),
        T("Generate stacked columns showing the {Y} per {D}; each column made of {D2} segments."),
        T("I'd like one bar per {D}, stacked by {D2}, for the {Y}."),
        T("Make a stacked bar where each {D} bar shows its {D2} composition by {Y}"),
    ],
    "explicit_grouped": [
        T("Return a grouped bar chart of the {Y} by {D} and {D2}, {D} on the x-axis."),
        T("Visualize the {Y} for each {D} with {D2} bars next to one another (grouped, not stacked)."),
        T("x-axis: {D} | y-axis: {Y} | group: {D2} | chart: grouped bar", verbatim=True),
        T("grouped bars pls, avg {M} per {D} with a bar for each {D2}", agg="mean", verbatim=True),
        T("Compare the maximum {M} across {D}, split by {D2}, as clustered bars.", agg="max"),
        T("Generate a multi-bar chart: for every {D}, one bar per {D2}, showing the number of {N}.", count=True),
        T("I want the {D2} values side by side inside each {D} group, {Y} as bars."),
        T("Plot the total {M} by {D} and {D2} with the bars dodged, {D} along the bottom.", agg="sum"),
    ],
    "explicit_box": [
        T("Return a box plot for {M} with {D} along the x-axis."),
        T("Visualize {M} for every {D} as a box-and-whisker chart."),
        T("x-axis: {D} | y-axis: {M} | chart: box", verbatim=True),
        T("boxplots of {M} by {D} pls, want to see outliers", verbatim=True),
        T("Is {M} more variable in some {D} groups than others? Box plots would show it."),
        T("Generate a whisker chart for {M}, one box for every {D}."),
        T("Median, IQR and whiskers of {M} per {D} please, as a box chart"),
        T("Can you compare the {M} distributions of each {D} side by side in a boxplot?"),
    ],
    "count_by": [
        T("Return the number of {N} for each {D}."),
        T("How many {N} are logged under each {D}?"),
        T("rows = {D}, values = count of {N}", verbatim=True),
        T("Number of {N} in each {D}, please, just the totals."),
        T("What does the volume of {N} look like across the {D} values?"),
        T("Split the {N} out by {D} and give me how many are in each."),
        T("give me counts of {N}, grouped on {D}", verbatim=True),
        T("Pivot the {N} by {D} and count them."),
    ],
    "agg_by": [
        T("Return the {AGG} {M}, one figure per {D}."),
        T("rows = {D}, values = sum of {M}", agg="sum", verbatim=True),
        T("I need an averge {M} figure for each {D}.", agg="mean"),
        T("Compute {M}'s {AGGN} within each {D}.", noun=True),
        T("Total up the {M} by {D}.", agg="sum"),
        T("I need the median {M} in each {D}, not the mean.", agg="median"),
        T("Max {M} seen per {D}?", agg="max"),
        T("how low does {M} go in each {D}", agg="min", verbatim=True),
        T("Give me {D}-level {AGG} {M}."),
    ],
    "count_distinct": [
        T("Return, for each {D}, the number of distinct {D2P}."),
        T("How many unique {D2} values has each {D} got?"),
        T("{D}, n_distinct({D2})", raw=True, verbatim=True),
        T("Visualize how many different {D2P} each {D} has, as a bar chart.", explicit=True),
        T("In each {D}, count every {D2} once: how many are there?"),
        T("What's the tally of unique {D2} values for each {D}?"),
        T("diff {D2P} per {D}, how many (distinct)", verbatim=True),
    ],
    "sorted": [
        T("Return a bar chart of the {Y} per {D}, sorted from highest to lowest.", full=True, channel="y",
          order="descending", explicit=True),
        T("Visualize {Y} by {D} with the bars in ascending order of value.", full=True, channel="y",
          order="ascending", explicit=True),
        T("{Y} by {D} | sort: {D} A→Z", full=True, channel="x", order="ascending"),
        T("Which {D} has the most {N}? List every {D} by count, most first.", full=True, channel="y",
          order="descending", count=True),
        T("rank the {D} values by total {M}, biggest first", full=True, channel="y", order="descending", agg="sum",
          verbatim=True),
        T("Show the {Y} for each {D}, {D} sorted in descending alphabetical order.", full=True, channel="x",
          order="descending"),
        T("Order the {D} by their average {M}, lowest to highest.", full=True, channel="y", order="ascending",
          agg="mean"),
        T("sort by {D} DESC, then give me {Y} per {D}", full=True, channel="x", order="descending", verbatim=True),
        T("Can you sort the {D} by {Y} so the smallest is on top?", full=True, channel="y", order="ascending"),
        T("Plot the maximum {M} per {D}, descending.", full=True, channel="y", order="descending", agg="max"),
    ],
    "time_bin": [
        T("Return the {Y} by {BIN}.", bins=("year", "quarter", "month"), mark="auto"),
        T("Visualize the number of {N} per weekday.", bins=("weekday",), mark="auto", count=True),
        T("{Y} each {BIN} (x = {T})", bins=("month", "week"), mark="auto"),
        T("quarterly count of {N}?", bins=("quarter",), mark="auto", count=True, verbatim=True),
        T("Return a column chart of the {Y} per {BIN}.", bins=("year", "quarter", "month", "weekday"), mark="bar",
          explicit=True),
        T("Is there a day-of-week pattern in the {Y}?", bins=("weekday",), mark="auto"),
        T("Year over year, how has the total {M} moved?", bins=("year",), mark="auto", agg="sum"),
        T("Average {M}, one point per {BIN}, joined up as a line.", bins=("quarter", "month", "week"), mark="line",
          explicit=True, agg="mean"),
        T("{ADJ} {Y} for the whole period", bins=("year", "quarter", "month", "week"), mark="auto", adj=True),
        T("In every {BIN}, what was the highest {M} on record?", bins=("year", "quarter", "month"), mark="auto",
          agg="max"),
        T("{BIN}-by-{BIN} bars of the {Y}", bins=("year", "quarter", "month"), mark="bar", explicit=True),
    ],
    "filter_value": [
        T("Return a bar chart of the {Y} per {D}, only where {F} is {V}.", op="==", explicit=True),
        T("Visualize the {Y} by {D} for the {F} {V} subset.", op="=="),
        T("filter out {F} {V} | group by {D} | show {Y}", op="!=", verbatim=True),
        T("{Y} per {D}, after taking out the {F} {V} rows", op="!="),
        T("Limit it to {F} {V1} or {V2}, then give me the {Y} for each {D}.", op="in"),
        T("{Y} per {D} where {F} is any of {V1}, {V2}, {V3}", op="in3"),
        T("Just the {ADJ} {N}: how many are in each {D}?", op="flag_true", count=True),
        T("Ignoring {ADJ} {N}, what's the {Y} by {D}?", op="flag_false"),
        T("Only {F} values containing '{S}': count {N} per {D}", op="contains", count=True),
        T("For the {V} {F}, what's the {Y} in each {D}?", op="=="),
        T("Bar chart, {Y} for each {D}, but with {F} {V} taken out", op="!=", explicit=True),
        T("{F} = {V} only; SUM({M}) by {D}", op="==", agg="sum", raw=True, verbatim=True),
    ],
    "filter_threshold": [
        T("Return the {Y} per {D} for {N} whose {F} exceeds {V}.", op=">"),
        T("Visualize the {Y} by {D}, restricted to {F} ≥ {V}.", op=">="),
        T("where {F} < {V} | group by {D} | show {Y}", op="<", verbatim=True),
        T("{Y} by {D}, capped at {F} {V} (anything above left out)", op="<="),
        T("Only {N} with {F} from {A} up to {B}: what's the {Y} by {D}?", op="between"),
        T("{Y} per {D} for {N} dated {P1} or later", op="date_since"),
        T("Everything before {P1}: {Y} by {D}", op="date_before"),
        T("Return a bar chart of the {Y} per {D} for {T} between {P1} and {P2}.", op="date_between",
          explicit=True),
        T("How many {N} in each {D} clear {V} on {F}?", op=">", count=True),
        T("{F} at least {V}: count of {N} by {D}", op=">=", count=True),
        T("WHERE {F} <= {V}: {Y} by {D}", op="<=", raw=True, verbatim=True),
        T("{Y} by {D} for {N} with {F} under {V}, as a bar chart", op="<", explicit=True),
    ],
    "filter_relative": [
        T("Return the {Y} per {D} for {N} with {F} above the mean.", op="above_mean"),
        T("Visualize how many {N} per {D} have a below-average {F}.", op="below_mean", count=True),
        T("keep {F} > mean | group by {D} | show {Y}", op="above_mean", verbatim=True),
        T("Only the {N} that come in over the average {F}: {Y} per {D}, as bars", op="above_mean", explicit=True),
        T("Of the {N} under the average {F}, what's the {Y} in each {D}?", op="below_mean"),
        T("{N} per {D}, counting only those whose {F} is higher than the mean", op="above_mean", count=True),
        T("where {F} is below avg, show {Y} by {D}", op="below_mean", verbatim=True),
    ],
    "top_k": [
        T("Return the {K} {DP} that rank highest on {Y}.", order="descending"),
        T("Visualize the {K} {DP} with the lowest {Y} as bars.", order="ascending", explicit=True),
        T("{Y} by {D} | top {K}", order="descending"),
        T("gimme the {K} {DP} that handle the most {N}", order="descending", count=True, verbatim=True),
        T("Lowest {K} {DP} when you add up {M}", order="ascending", agg="sum"),
        T("Best {K} {DP} by mean {M}, please.", order="descending", agg="mean"),
        T("Which {K} {DP} trail everyone else on number of {N}?", order="ascending", count=True),
        T("Give me a bar chart with just the {K} biggest {DP} in {Y}.", order="descending", explicit=True),
        T("top {K} {D} values, ordered by {Y}", order="descending", verbatim=True),
    ],
    "synonym": [
        T("Return the average {M} by {D}.", kind="agg", agg="mean"),
        T("Total {M} per {D}, please.", kind="agg", agg="sum"),
        T("How many {N} sit under each {D}?", kind="count"),
        T("Render the {Y} by {D} as a bar graph.", kind="bar"),
        T("Return a pie of the {N} by {D}.", kind="pie"),
        T("I'd like {M} binned and drawn as a histogram.", kind="hist"),
        T("Monthly trend line of the {Y}, please.", kind="line"),
        T("Return a scatter plot: {MX} on the horizontal axis, {MY} on the vertical.", kind="scatter"),
        T("Top {D} on average {M}, with the rest ranked below it", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Which {D} racks up the largest total {M}?", kind="top_sum"),
        T("Busiest {D} in terms of {N}? Which one is it?", kind="top_count"),
        T("In which {D} is {M} highest on average?", kind="top_mean"),
        T("Month on month, is there any seasonality in {MT}?", kind="trend_month"),
        T("Looking at {ADJ} numbers, is the {Y} growing?", kind="trend_adj"),
        T("Where's the bulk of the {M} values: low, middle or high?", kind="dist"),
        T("If {MX} goes up, does {MY} follow?", kind="rel"),
        T("How are the {N} divided between the {D} values, percentage-wise?", kind="share"),
        T("Do {N} bunch up on a particular day of the week? Which one has the most?", kind="top_weekday"),
        T("Do {V1} {N} outnumber {V2} ones? ({D})", kind="pair", agg="count"),
        T("Is the average {M} higher for {V1} or for {V2} ({D})?", kind="pair", agg="mean"),
        T("{V1} or {V2}: which {D} has the larger total {M}?", kind="pair", agg="sum"),
    ],
    "unanswerable": [
        T("Return a bar chart of the total {MM} per {D}.", need="measure"),
        T("Visualize the {Y} by {MD}.", need="dim"),
        T("x-axis: {MD} | y-axis: {Y} | chart: bar", need="dim", verbatim=True),
        T("any chance of the average {MM} broken down per {MD}?", need="both", verbatim=True),
        T("which {MD} accounts for the bulk of the {N}", need="dim", verbatim=True),
        T("Plot {MM} over time as a line.", need="measure"),
        T("How is {MM} spread? Histogram, please.", need="measure"),
        T("{Y} per {D}, only for {N} where {MM} was recorded above zero", need="measure"),
        T("Stack the {Y} per {D} by {MD}.", need="dim"),
        T("Does {M} go up when {MM} does? Scatter it.", need="measure"),
        T("Rank the {D} values by {MM}, highest first.", need="measure"),
        T("Pie of {MM} by {MD}", need="both"),
        T("Which {MD} lags behind on {Y}?", need="dim"),
        T("Compare the {MM} of each {MD} with box plots.", need="both"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh9 phrasings: written from scratch for round 10, by someone who had not read the parser nor run AutoViz on any of
# them, when the "fresh8" split was about to be used for tuning; the older templates were read only to avoid repeating
# them. Nobody changing the parser looked at them (nor at their results question by question); they were the clean
# held-out measure for that round ("fresh9" split), until round 11 (when fresh10 was written) made them a tuning split.
# They lean on how asks reach an analyst in a small business: a manager's or owner's request for a review or a board
# pack, chatty messages with greetings, thanks and hedges, notebook shorthand (pandas and ggplot calls with the headers
# typed as they are, raw=True), terse mobile typing kept as typed (verbatim=True), the chart type said at the end,
# passive voice, parenthetical asides, British and Australian spellings and idioms, and unanswerable asks whose missing
# thing is the measure, the grouping, the sort key, a filter or the stack. Every sorted template is a whole sentence
# (full=True); those that fix their own aggregation say so with count= or agg=. (This note names the styles only, so
# reading it shows no fresh9 question.)

FRESH9_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Hiya! When you get a sec, could you pop the {Y} for each {D} into a bar chart? Cheers."),
        T("The owners want the {Y} by {D}, bar chart please (nothing fancy)."),
        T("df.groupby('{D}')['{M}'].median().plot.bar()", agg="median", raw=True, verbatim=True),
        T("bar chrt {Y} each {D} ta", verbatim=True),
        T("The mean {M} for every {D} is to be shown as a bar chart.", agg="mean"),
        T("Reckon you could whack the total {M} per {D} in a bar graph?", agg="sum"),
        T("For each {D} (every one, even the small ones), the highest {M} logged, as a bar chart.", agg="max"),
        T("Per {D}, the smallest {M} we've had, shown as vertical bars", agg="min"),
        T("Quick one for the board pack: {Y} split out by {D}, in bar form."),
        T("so um can you do the {Y} for each {D} as a bar chart", verbatim=True),
    ],
    "explicit_pie": [
        T("Morning! Any chance of a pie showing the {D} split of our {N}? No rush.", count=True),
        T("df['{D}'].value_counts().plot.pie()", count=True, raw=True, verbatim=True),
        T("The total {M} is to be broken down by {D} in a pie chart.", agg="sum"),
        T("pie: {Y} by {D} pls", verbatim=True),
        T("What slice of the {N} does each {D} account for (roughly)? Pie chart.", count=True),
        T("Management want the {Y} carved up by {D}, shown as a pie."),
        T("How's the total {M} shared out between the {D} values? Bung it in a pie.", agg="sum"),
        T("Proportion of all {N} that falls under each {D}, in pie form", count=True),
    ],
    "explicit_line": [
        T("G'day, could you plot the {Y} per {BIN} as a line? Keen to see where it's heading.", bin=True),
        T("df.set_index('{T}').resample('M')['{M}'].sum().plot.line()", agg="sum", raw=True, verbatim=True),
        T("{ADJ} {Y}, line chart", bin=True, adj=True),
        T("The {Y} should be drawn as a line across {T}, one point per {BIN}.", bin=True),
        T("line of avg {M} by {BIN} pls", bin=True, agg="mean", verbatim=True),
        T("For the owners' review (the one on Friday), a line of the total {M} each {BIN}, a separate line per {D}.",
          bin=True, agg="sum", color=True),
        T("Has the lowest {M} in each {BIN} drifted at all? Line graph, if you would.", bin=True, agg="min"),
        T("Could the number of {N} per {BIN} be shown on a line chart? Ta.", bin=True, count=True),
        T("peak {M} by {BIN}, as a line", bin=True, agg="max", verbatim=True),
        T("Over {T}, one line for every {D}: the {Y} per {BIN}.", bin=True, color=True),
    ],
    "explicit_area": [
        T("Hi there, would an area chart of the {Y} by {BIN} be doable? Thanks heaps.", bin=True),
        T("df.resample('M', on='{T}')['{M}'].sum().plot.area()", agg="sum", raw=True, verbatim=True),
        T("The {ADJ} number of {N} is to be shown as a filled area.", bin=True, adj=True, count=True),
        T("area chrt {Y} by {BIN}, layered by {D}", bin=True, color=True, verbatim=True),
        T("Total {M} per {BIN} (stacked by {D}, please), as an area chart", bin=True, agg="sum", color=True),
        T("Can we get the {Y} over {T} shaded in as an area, grouped by {BIN}?", bin=True),
        T("For the newsletter: how many {N} there were each {BIN}, drawn as an area graph.", bin=True, count=True),
        T("Across {T}, the {Y} per {BIN} as a shaded area plot, thanks", bin=True),
    ],
    "explicit_scatter": [
        T("Hey! Could you scatter {MY} against {MX} for me? One dot per {n}."),
        T("df.plot.scatter(x='{MX}', y='{MY}')", raw=True, verbatim=True),
        T("{MY} (up the side) vs {MX} (along the bottom), scatter plot"),
        T("Each {n} should be plotted as a point, with {MX} on the x-axis and {MY} on the y-axis."),
        T("scatter {MY} v {MX}, colour by {D}", color=True, verbatim=True),
        T("The boss reckons more {MX} means more {MY}. Can you check with a scatter, {MX} horizontal?"),
        T("Is there any link between {MX} and {MY}? A scatter would do, {MX} on x, points coloured by {D}.",
          color=True),
        T("ggplot(df, aes(x = `{MX}`, y = `{MY}`)) + geom_point()", raw=True, verbatim=True),
    ],
    "explicit_histogram": [
        T("Hiya, could I get a histogram of {M}? Just want a feel for the spread."),
        T("df['{RAW}'].hist(bins=20)", verbatim=True),
        T("How is {M} distributed across all our {N}? A histogram would be grand."),
        T("{M}, histogram please (all {N}, no filters)"),
        T("histo of {M} pls", verbatim=True),
        T("A histogram of {M} is needed for the audit."),
        T("The {RAW} column, binned and counted: a histogram, in other words."),
    ],
    "explicit_stacked": [
        T("Hi! Could you do stacked bars of the {Y} per {D}, coloured in by {D2}? Much appreciated."),
        T("pd.crosstab(df['{D}'], df['{D2}']).plot.bar(stacked=True)", count=True, raw=True, verbatim=True),
        T("The {Y} for each {D} should be shown as stacked bars, with the segments being {D2}."),
        T("stacked bars: {D} along the bottom, {D2} stacked, total {M}", agg="sum", verbatim=True),
        T("For the area managers, the number of {N} per {D} with the {D2} mix stacked inside each bar.", count=True),
        T("Each {D}'s {Y}, split into its {D2} parts (stacked, not side by side), as a bar chart"),
        T("stack {D2} on top of each other in bars per {D}, {Y} pls", verbatim=True),
        T("Whack the total {M} for every {D} into stacked columns, one colour per {D2}.", agg="sum"),
    ],
    "explicit_grouped": [
        T("Hello! Could the {Y} per {D} be shown as grouped bars, a bar for each {D2} within each {D}?"),
        T("df.pivot_table(index='{D}', columns='{D2}', values='{M}', aggfunc='mean').plot.bar()", agg="mean",
          raw=True, verbatim=True),
        T("Side-by-side bars (not stacked, mind) of the {Y}: {D} on the x-axis, {D2} as the colour."),
        T("grouped bar, {D} on x, one bar per {D2}, total {M}", agg="sum", verbatim=True),
        T("The highest {M} for each {D} is to be shown in clustered bars, broken out by {D2}.", agg="max"),
        T("How many {N} does each {D} have, per {D2}? Bars next to each other, grouped by {D}.", count=True),
        T("For the ops meeting: {Y} by {D}, {D2} bars side by side within each group."),
        T("Could you put the {D2} bars beside one another for every {D}? It's the {Y} I'm after."),
    ],
    "explicit_box": [
        T("Hi, could you knock up box plots of {M}, one per {D}? Thanks!"),
        T("df.boxplot(column='{M}', by='{D}')", raw=True, verbatim=True),
        T("ggplot(df, aes(`{D}`, `{M}`)) + geom_boxplot()", raw=True, verbatim=True),
        T("The spread of {M} within each {D} is to be compared using box plots."),
        T("{M} by {D} (medians and outliers, mainly), box and whisker"),
        T("boxplot {M} each {D} pls", verbatim=True),
        T("Keen to see how consistent {M} is from one {D} to the next; a box plot per {D} would be ideal."),
    ],
    "count_by": [
        T("Hi! Quick one: how many {N} have we got for each {D}?"),
        T("df['{D}'].value_counts()", raw=True, verbatim=True),
        T("{N} per {D}, just the count, ta"),
        T("The owners would like a tally of {N} by {D}."),
        T("How many {N} were logged against each {D} (a rough idea is fine)?"),
        T("no. of {N} per {D}?", verbatim=True),
        T("Could the {N} be counted up by {D}, please?"),
        T("um so how many {N} do we have per {D}", verbatim=True),
    ],
    "agg_by": [
        T("Hi there, what's the {AGG} {M} looking like for each {D}?"),
        T("df.groupby('{D}')['{M}'].mean()", agg="mean", raw=True, verbatim=True),
        T("The {AGG} {M} is to be worked out for every {D}."),
        T("Can I get the {AGGN} of {M} by {D} for Monday's review?", noun=True),
        T("How much {M} in total has each {D} clocked up?", agg="sum"),
        T("median {M} / {D}", agg="median", verbatim=True),
        T("For every {D}, what's the biggest single {M} we've recorded?", agg="max"),
        T("lowest {M} per {D} pls", agg="min", verbatim=True),
        T("Summarise {M} by {D} using the {AGGN} (not a count).", noun=True),
    ],
    "count_distinct": [
        T("Hiya, how many different {D2P} turn up under each {D}?"),
        T("df.groupby('{D}')['{D2}'].nunique()", raw=True, verbatim=True),
        T("The number of distinct {D2P} per {D} should be shown as a bar chart.", explicit=True),
        T("unique {D2} count per {D}", verbatim=True),
        T("For each {D}, how many separate {D2P} show up (each counted once)?"),
        T("Keen to know how many distinct {D2} values each {D} has had."),
        T("# of distinct {D2P} by {D}, as bars", explicit=True, verbatim=True),
    ],
    "sorted": [
        T("Hi! Could you rank every {D} by {Y}, highest at the top?", full=True, channel="y", order="descending"),
        T("df.groupby('{D}')['{M}'].sum().sort_values(ascending=False)", full=True, channel="y", order="descending",
          agg="sum", raw=True, verbatim=True),
        T("df.groupby('{D}').size().sort_index()", full=True, channel="x", order="ascending", count=True, raw=True,
          verbatim=True),
        T("The {Y} per {D} is to be shown with the {D} names in reverse alphabetical order.", full=True, channel="x",
          order="descending"),
        T("For the board pack: average {M} by {D}, lowest first.", full=True, channel="y", order="ascending",
          agg="mean"),
        T("{Y} for each {D}, {D} A to Z, bar chart", full=True, channel="x", order="ascending", explicit=True),
        T("count of {N} per {D} smallest to largest pls", full=True, channel="y", order="ascending", count=True,
          verbatim=True),
        T("Could the bars of {Y} per {D} go from biggest to smallest? Ta.", full=True, channel="y",
          order="descending", explicit=True),
        T("Which {D} had the highest peak {M}? Put them all in order, top one first.", full=True, channel="y",
          order="descending", agg="max"),
        T("Lowest {M} recorded per {D}, sorted ascending (smallest on the left)", full=True, channel="y",
          order="ascending", agg="min"),
    ],
    "time_bin": [
        T("Hi! What's the {Y} been doing {BIN} by {BIN}?", bins=("quarter", "month", "week"), mark="auto"),
        T("df.groupby(df['{T}'].dt.year)['{M}'].sum()", bins=("year",), mark="auto", agg="sum", raw=True,
          verbatim=True),
        T("df.groupby(df['{T}'].dt.day_name()).size()", bins=("weekday",), mark="auto", count=True, raw=True,
          verbatim=True),
        T("The {Y} per {BIN} should be shown as bars.", bins=("year", "quarter", "month"), mark="bar", explicit=True),
        T("{ADJ} {Y} pls", bins=("quarter", "month", "week"), mark="auto", verbatim=True),
        T("How does the number of {N} vary across the days of the week?", bins=("weekday",), mark="auto",
          count=True),
        T("Average {M} for each {BIN} (the whole date range), joined up as a line",
          bins=("year", "quarter", "month", "week"), mark="line", explicit=True, agg="mean"),
        T("For the owners: has the total {M} gone up {BIN} on {BIN}?", bins=("year", "quarter", "month"),
          mark="auto", agg="sum"),
        T("Highest single {M} in each {BIN}, as columns", bins=("quarter", "month"), mark="bar", explicit=True,
          agg="max"),
        T("Is {T} by weekday telling us anything about the {Y}? Bar chart please.", bins=("weekday",), mark="bar",
          explicit=True),
        T("How did the {Y} move each {BIN}?", bins=("month", "quarter"), mark="auto"),
    ],
    "filter_value": [
        T("Hi, could you show the {Y} per {D}, but just for {F} {V}?", op="=="),
        T("df[df['{F}'] == '{V}'].groupby('{D}').size()", op="==", count=True, raw=True, verbatim=True),
        T("The {Y} by {D} is wanted for everything except {F} {V}.", op="!="),
        T("{Y} per {D}, {F} in ({V1}, {V2}) only", op="in", verbatim=True),
        T("Only the {ADJ} {N}, please: {Y} for each {D} (bar chart).", op="flag_true", explicit=True),
        T("Leaving aside the {ADJ} ones, how many {N} per {D}?", op="flag_false", count=True),
        T("For {F} {V1}, {V2} and {V3} together, what's the {Y} by {D}?", op="in3"),
        T("Anything with '{S}' in the {F}: {Y} per {D}", op="contains"),
        T("{Y} per {D} where {F} isn't {V}, as a bar chart", op="!=", explicit=True),
        T("just {V} ({F}), {Y} split by {D} pls", op="==", verbatim=True),
        T("Could you filter to {F} = '{V}' and then total the {M} by {D}?", op="==", agg="sum"),
        T("Looking only at {ADJ} {N} (yes, just those), what's the {Y} for each {D}?", op="flag_true"),
    ],
    "filter_threshold": [
        T("Hiya, what's the {Y} per {D} for {N} with {F} over {V}?", op=">"),
        T("df[df['{F}'] >= {V}].groupby('{D}').size()", op=">=", count=True, raw=True, verbatim=True),
        T("The {Y} by {D} is needed for {N} where {F} was no more than {V}.", op="<="),
        T("{Y} per {D} (only {N} with {F} under {V})", op="<"),
        T("For {N} with {F} somewhere between {A} and {B}, {Y} by {D}, bar chart", op="between", explicit=True),
        T("From {P1} onwards (inclusive), what's the {Y} per {D}?", op="date_since"),
        T("{Y} by {D} for everything before {P1}", op="date_before"),
        T("Between {P1} and {P2} only, {Y} for each {D}", op="date_between"),
        T("How many {N} per {D} came in above {V} on {F}?", op=">", count=True),
        T("filter {F} at or above {V}, then {Y} per {D}", op=">=", verbatim=True),
        T("Leaving out anything with {F} over {V}, what's the {Y} by {D}?", op="<="),
        T("Total {M} per {D}, counting only {N} where {F} tops {V}", op=">", agg="sum"),
    ],
    "filter_relative": [
        T("Hi! For the {N} with above-average {F}, what's the {Y} per {D}?", op="above_mean"),
        T("df[df['{F}'] < df['{F}'].mean()].groupby('{D}').size()", op="below_mean", count=True, raw=True,
          verbatim=True),
        T("The {Y} by {D} is wanted for {N} whose {F} beats the average.", op="above_mean"),
        T("{Y} per {D}, {N} with below-average {F} only", op="below_mean"),
        T("How many {N} in each {D} sit under the mean {F}? Bar chart, please.", op="below_mean", count=True,
          explicit=True),
        T("Among {N} with more {F} than usual (i.e. above the overall mean), {Y} by {D}", op="above_mean"),
        T("avg {M} per {D}, but only where {F} is lower than average", op="below_mean", agg="mean", verbatim=True),
        T("Could the {N} with a higher-than-average {F} be counted up by {D}?", op="above_mean", count=True),
    ],
    "top_k": [
        T("Hi! Which {K} {DP} come out on top for {Y}?", order="descending"),
        T("df.groupby('{D}')['{M}'].sum().nlargest({K})", order="descending", agg="sum", raw=True, verbatim=True),
        T("df['{D}'].value_counts().nsmallest({K})", order="ascending", count=True, raw=True, verbatim=True),
        T("The bottom {K} {DP} by {Y} are to be shown as bars.", order="ascending", explicit=True),
        T("For the owners: the {K} {DP} with the highest average {M}, please.", order="descending", agg="mean"),
        T("top {K} {DP} by no. of {N}", order="descending", count=True, verbatim=True),
        T("Which {K} {DP} sit right at the bottom on {Y}?", order="ascending"),
        T("{K} highest {DP} for total {M}, as a bar chart", order="descending", agg="sum", explicit=True),
        T("Just the top {K} {DP} (ranked by {Y}), please", order="descending"),
    ],
    "synonym": [
        T("Hi! What's the typical {M} per {D}, on average?", kind="agg", agg="mean"),
        T("How much {M} all up for each {D}?", kind="agg", agg="sum"),
        T("How many {N} has each {D} had, roughly?", kind="count"),
        T("Bar chart, if you don't mind: {Y} for each {D}.", kind="bar"),
        T("Pie of how the {N} split across {D}, ta", kind="pie"),
        T("The {M} figures should be shown as a histogram.", kind="hist"),
        T("Month by month, the {Y} as a line, please.", kind="line"),
        T("Scatter with {MX} along the bottom and {MY} up the side, please", kind="scatter"),
        T("Rank the {D} by average {M}, highest at the top (all of them)", kind="top_mean"),
    ],
    "plain_analytical": [
        T("Hi! Which {D} pulls in the most {M} overall?", kind="top_sum"),
        T("Which {D} is kept busiest, going by the number of {N}?", kind="top_count"),
        T("On average, which {D} has the highest {M}? Keen to know for the review.", kind="top_mean"),
        T("Has {MT} been creeping up month on month, or is that just me?", kind="trend_month"),
        T("On a {ADJ} basis, is the {Y} heading up or down?", kind="trend_adj"),
        T("How is {M} spread out: mostly bunched together or all over the place?", kind="dist"),
        T("When {MX} goes up, is {MY} usually up as well, or is there no real pattern?", kind="rel"),
        T("What share of the {N} goes to each {D}?", kind="share"),
        T("Which weekday sees the most {N}, and how do the others compare?", kind="top_weekday"),
        T("{V1} vs {V2} ({D}): which has had more {N}?", kind="pair", agg="count"),
        T("Between {V1} and {V2}, which {D} brings in the bigger total {M}?", kind="pair", agg="sum"),
        T("Reckon {V1} or {V2} comes out ahead on average {M}? ({D})", kind="pair", agg="mean"),
    ],
    "unanswerable": [
        T("Hi! Could you chart the total {MM} for each {D}?", need="measure"),
        T("df.groupby('{MD}')['{M}'].mean()", need="dim", raw=True, verbatim=True),
        T("The {Y} by {MD} is to be shown as bars.", need="dim"),
        T("Sort the {D} bars by {MM}, top to bottom.", need="measure"),
        T("Only the {N} with {MM} recorded: {Y} by {D}, please", need="measure"),
        T("Stacked bars of the {Y} per {D}, stacked by {MD}", need="dim"),
        T("Any chance of a line of average {MM} over time? Cheers.", need="measure"),
        T("For the owners: which {MD} brings in the most {N}?", need="dim"),
        T("{MM} by {MD}, pie pls", need="both", verbatim=True),
        T("Box plots of {MM}, one per {MD}", need="both"),
        T("histo of {MM} across all {N}", need="measure", verbatim=True),
        T("Is there a link between {M} and {MM}? Scatter, {M} on x.", need="measure"),
        T("Grouped bars of the {Y} by {D}, with a bar for each {MD}", need="dim"),
        T("Just for our top {MD}, what's the {Y} by {D}?", need="dim"),
        T("hi, how's the median {MM} looking per {MD}? no rush", need="both", verbatim=True),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh10 phrasings: written from scratch for round 11, by someone who had not read the parser nor run AutoViz on any
# of them, when the "fresh9" split was about to be used for tuning; the older templates were read only to avoid
# repeating them. Nobody changing the parser looked at them (nor at their results question by question); they were the
# clean held-out measure for that round ("fresh10" split), until round 12 (when fresh11 was written) made them a
# tuning split. They lean on where asks are pasted from and how they are typed: requests copied out of a ticketing
# system (a reference, a subject line, a body) or out of an email thread with the quoted message above the reply,
# SQL-ish queries and spreadsheet-formula or pivot-table shorthand (COUNTIFS, SUMIF, AVERAGEIFS, field wells) with the
# headers typed as they are (raw=True), voice-dictation run-ons without punctuation and quick typing with a typo or
# two, both kept as typed (verbatim=True), Indian, South African, Irish and Canadian English idioms, analysts' jargon
# (cut by, roll up, bucket, YoY, breakdown, excl.), requests phrased as the chart's title, and unanswerable asks whose
# missing thing varies: the measure, the grouping, the sort key, a filter or the colour. Every sorted template is a
# whole sentence (full=True); those that fix their own aggregation say so with count= or agg=. (This note names the
# styles only, so reading it shows no fresh10 question.)

FRESH10_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("[REQ-4471] Subject: bar chart of the {Y} per {D} | Body: as per subject, thanks"),
        T("> Could we see how the {D} values compare? Reply: sure, I'll want a bar chart of the {Y} for each {D}."),
        T('SELECT "{D}", AVG("{M}") FROM tbl GROUP BY "{D}" -- show it as bars', agg="mean", raw=True,
          verbatim=True),
        T("ok so what i need is a bar chart showing the {Y} for each {D} thanks", verbatim=True),
        T("pls make a bar grpah of the {Y} per {D}", verbatim=True),
        T("Kindly prepare a bar chart of the {Y} {D}-wise and share."),
        T("Would you ever stick the total {M} for each {D} into a bar chart when you get a minute?", agg="sum"),
        T("Slide title: Median {M} by {D} (bars)", agg="median"),
        T("Bar chart, {Y} cut by {D}."),
        T("Could you bang out a bar graph of the max {M} per {D}, eh?", agg="max"),
        T("Sharp, just now can you do me a bar chart of the lowest {M} per {D}?", agg="min"),
    ],
    "explicit_pie": [
        T("[REQ-5531] Subject: pie chart, share of {N} by {D}", count=True),
        T('SELECT "{D}", SUM("{M}") FROM tbl GROUP BY 1 -- as a pie', agg="sum", raw=True, verbatim=True),
        T("Pivot: Rows = {D}, Values = Count of {N}, chart = pie", count=True, raw=True, verbatim=True),
        T("can you do a pie chart of the {Y} by {D} with each {D} as its own slice", verbatim=True),
        T("pie chart of {Y} per {D} pleaes", verbatim=True),
        T("Please share the {D}-wise split of the total {M} in a pie chart.", agg="sum"),
        T("Chart title: Share of {N} by {D} (pie)", count=True),
        T("> who makes up the bulk of it? Reply: let's find out, a pie of the {Y} with one wedge per {D}."),
        T("Give us a pie of the {N} per {D} there, grand job.", count=True),
    ],
    "explicit_line": [
        T("[REQ-3112] Subject: line chart of {Y} by {BIN} | Acceptance: one point per {BIN}", bin=True),
        T("SELECT date_trunc('{BIN}', \"{T}\"), SUM(\"{M}\") FROM tbl GROUP BY 1 -- draw as a line", bin=True,
          agg="sum", raw=True, verbatim=True),
        T("show me a line chart of the {Y} for every {BIN} from start to finish", bin=True, verbatim=True),
        T("line graph of the {Y} over time by {BIN} pleease", bin=True, verbatim=True),
        T("Line chart: {Y} per {BIN}, one line for each {D} (legend on the right)", bin=True, color=True),
        T("Chart title: {ADJ} {Y} (line)", bin=True, adj=True),
        T("Kindly plot a line of the average {M} {BIN}-wise.", bin=True, agg="mean"),
        T("> how are we tracking? Reply: good question, could you draw the {Y} as a line over {T}, {BIN} by {BIN}?",
          bin=True),
        T("Trend line, max {M} rolled up by {BIN}", bin=True, agg="max"),
        T("Could you throw the number of {N} per {BIN} on a line graph, eh?", bin=True, count=True),
        T("Lowest {M} each {BIN}, drawn as a line", bin=True, agg="min"),
    ],
    "explicit_area": [
        T("[REQ-8841] Subject: area chart needed, {Y} by {BIN}", bin=True),
        T("SELECT date_trunc('{BIN}', \"{T}\") AS period, COUNT(*) FROM tbl GROUP BY period -- render as an area",
          bin=True, count=True, raw=True, verbatim=True),
        T("do an area chart of the total {M} per {BIN} stacked by {D} so we can see each one", bin=True, agg="sum",
          color=True, verbatim=True),
        T("shaded aera chart of {Y} over {T} by {BIN}", bin=True, verbatim=True),
        T("Please prepare a {BIN}-wise area graph of the {Y}.", bin=True),
        T("Chart title: {ADJ} {Y} (filled area)", bin=True, adj=True),
        T("Area chart, {Y} bucketed by {BIN}, layered by {D}", bin=True, color=True),
        T("> as discussed on the call... Reply: yes, an area chart of the number of {N} per {BIN} would help.",
          bin=True, count=True),
        T("Any chance of the {Y} month on month as an area chart, so?"),
    ],
    "explicit_scatter": [
        T("[REQ-1207] Subject: scatter of {MY} (y) vs {MX} (x), one point per {n}"),
        T('SELECT "{MX}", "{MY}" FROM tbl -- scatter it, first column on x', raw=True, verbatim=True),
        T("Insert > Chart > Scatter, with {MX} as the X values and {MY} as the Y values", raw=True),
        T("scatter plot with {MX} along the bottom and {MY} going up the side colour coded by {D}", color=True,
          verbatim=True),
        T("scater of {MY} against {MX} pls", verbatim=True),
        T("Kindly do a scatter of {MY} versus {MX} and colour the points {D}-wise.", color=True),
        T("Chart title: {MY} vs {MX} (scatter)"),
        T("> is {MY} driven by {MX}? Reply: not sure, can you scatter them with {MX} on the horizontal?"),
        T("XY plot, {MX} on the x, {MY} on the y, cut by {D} via colour", color=True),
    ],
    "explicit_histogram": [
        T("[REQ-3391] Subject: histogram of {M}, all {N}"),
        T("=FREQUENCY({RAW}, bins), then chart the counts as a histogram", verbatim=True),
        T('SELECT "{RAW}" FROM tbl -- histogram, default bins', verbatim=True),
        T("can i get a histogram of {M} across all the {N} please", verbatim=True),
        T("histogarm of {M}", verbatim=True),
        T("Kindly share the histogram of {M}, bins as you see fit."),
        T("Title: Distribution of {M} (histogram)"),
        T("Bucket {M} into bins and show the frequencies as a histogram."),
    ],
    "explicit_stacked": [
        T("[REQ-6610] Subject: stacked bar, {D} on x-axis, stack = {D2}, height = {Y}"),
        T('SELECT "{D}", "{D2}", COUNT(*) FROM tbl GROUP BY 1, 2 -- stacked bars, "{D2}" as the stack', count=True,
          raw=True, verbatim=True),
        T("Pivot: Rows = {D}, Columns = {D2}, Values = Sum of {M}; chart as stacked columns", agg="sum", raw=True,
          verbatim=True),
        T("stacked bar chart with one bar for every {D} and the {D2} stacked inside it showing the {Y}",
          verbatim=True),
        T("stakced bars of {Y} per {D} by {D2}", verbatim=True),
        T("Kindly make {D}-wise stacked bars of the {Y}, with {D2} as the stack."),
        T("Chart title: {Y} by {D}, stacked by {D2}"),
        T("Stacked column, {Y} cut by {D}, segmented on {D2}"),
        T("Stacked bars eh: total {M} per {D}, coloured by {D2}", agg="sum"),
    ],
    "explicit_grouped": [
        T("[REQ-7004] Subject: clustered bar chart, {D} on x, a bar for each {D2}, {Y}"),
        T('SELECT "{D}", "{D2}", AVG("{M}") FROM tbl GROUP BY 1, 2 -- grouped bars, not stacked', agg="mean",
          raw=True, verbatim=True),
        T("Pivot: Rows = {D}, Columns = {D2}, Values = Max of {M} -> clustered column chart", agg="max", raw=True,
          verbatim=True),
        T("grouped bar chart of the {Y} for each {D} with the {D2} bars sitting next to each other", verbatim=True),
        T("gruoped bars, {Y} by {D} and {D2}", verbatim=True),
        T("Please show {D}-wise {Y} with separate bars for each {D2} side by side."),
        T("Caption: {Y} by {D} and {D2} (clustered bars)"),
        T("Side-by-side columns, {Y} cut by {D}, broken out on {D2}"),
        T("Put the {D2} bars beside each other within each {D} for the {Y}, so."),
    ],
    "explicit_box": [
        T("[REQ-2250] Subject: box plots of {M} by {D} (whiskers at 1.5 IQR)"),
        T('SELECT "{D}", "{M}" FROM tbl -- box plot per "{D}"', raw=True, verbatim=True),
        T("give me box plots of {M} one for each {D} so i can see the spread", verbatim=True),
        T("boxplto of {M} by {D}", verbatim=True),
        T("Kindly share {D}-wise box plots of {M}."),
        T("Chart title: Spread of {M} by {D} (box-and-whisker)"),
        T("Box plot, {M} cut by {D}, show the quartiles and outliers"),
        T("> some of them look all over the place. Reply: agreed, box plots of {M} per {D} would settle it."),
    ],
    "count_by": [
        T("[REQ-4120] Subject: count of {N} per {D}, numbers only"),
        T('SELECT "{D}", COUNT(*) FROM tbl GROUP BY "{D}"', raw=True, verbatim=True),
        T("=COUNTIFS({D}, each {D}) down the sheet", raw=True, verbatim=True),
        T("how many {N} have we got in each {D} roughly", verbatim=True),
        T("how many {N} per {D} do we hvae", verbatim=True),
        T("Kindly share the {D}-wise count of {N}."),
        T("Roll up the {N} by {D} and give me the counts"),
        T("Howzit, how many {N} does each {D} have?"),
        T("What's the tally of {N} for every {D}, eh?"),
        T("{D} breakdown, count of {N}"),
    ],
    "agg_by": [
        T("[REQ-5582] Subject: {AGG} {M} per {D}, figures only"),
        T('SELECT "{D}", MEDIAN("{M}") FROM tbl GROUP BY 1', agg="median", raw=True, verbatim=True),
        T("=SUMIF({D}, each {D}, {M})", agg="sum", raw=True, verbatim=True),
        T("AVERAGEIFS({M}, {D}, each value of {D})", agg="mean", raw=True, verbatim=True),
        T("whats the {AGG} {M} for each {D} i need it for the meeting", verbatim=True),
        T("{AGG} {M} by {D} plz, teh whole lot", verbatim=True),
        T("Kindly share the {D}-wise {AGG} {M}."),
        T("Roll {M} up to {D} level using the {AGGN}.", noun=True),
        T("Table title: {AGGN} of {M}, by {D}", noun=True),
        T("Per {D}, what's the highest {M} we've ever logged, would you say?", agg="max"),
    ],
    "count_distinct": [
        T("[REQ-9033] Subject: number of unique {D2P} per {D}"),
        T('SELECT "{D}", COUNT(DISTINCT "{D2}") FROM tbl GROUP BY 1', raw=True, verbatim=True),
        T("Pivot: Rows = {D}, Values = Distinct Count of {D2}", raw=True, verbatim=True),
        T("for every {D} how many different {D2P} are there", verbatim=True),
        T("how many distinct {D2P} does each {D} hav", verbatim=True),
        T("Kindly share the {D}-wise count of distinct {D2P} as a bar chart.", explicit=True),
        T("Distinct {D2} count, cut by {D}"),
        T("Chart title: Unique {D2P} per {D} (bars)", explicit=True),
        T("Please do the needful: {D}-wise count of distinct {D2P}."),
    ],
    "sorted": [
        T("[REQ-6128] Subject: bar chart of {Y} per {D}, sorted descending by value", full=True, channel="y",
          order="descending", explicit=True),
        T('SELECT "{D}", SUM("{M}") FROM tbl GROUP BY 1 ORDER BY 2 DESC', full=True, channel="y", order="descending",
          agg="sum", raw=True, verbatim=True),
        T('SELECT "{D}", COUNT(*) FROM tbl GROUP BY 1 ORDER BY 1 DESC', full=True, channel="x", order="descending",
          count=True, raw=True, verbatim=True),
        T("Pivot: Rows = {D}, Values = Average of {M}, sort Rows A to Z", full=True, channel="x", order="ascending",
          agg="mean", raw=True, verbatim=True),
        T("give me the {Y} for every {D} and sort it so the smallest one is first", full=True, channel="y",
          order="ascending", verbatim=True),
        T("{Y} per {D} sorted hihgest to lowest", full=True, channel="y", order="descending", verbatim=True),
        T("Kindly arrange the {D}-wise {Y} in descending order.", full=True, channel="y", order="descending"),
        T("Title: {Y} by {D}, ranked high to low", full=True, channel="y", order="descending"),
        T("Max {M} cut by {D}, sorted ascending on the metric", full=True, channel="y", order="ascending",
          agg="max"),
        T("> could they go in alphabetical order? Reply: sure, the {Y} for each {D}, {D} from A to Z.", full=True,
          channel="x", order="ascending"),
        T("Lowest {M} for each {D}, eh, with the {D} names Z to A", full=True, channel="x", order="descending",
          agg="min"),
    ],
    "time_bin": [
        T("{Y}, YoY view", bins=("year",), mark="auto"),
        T("SELECT date_trunc('quarter', \"{T}\"), COUNT(*) FROM tbl GROUP BY 1", bins=("quarter",), mark="auto",
          count=True, raw=True, verbatim=True),
        T("Pivot: Rows = {T} grouped by Years and Months, Values = Sum of {M}", bins=("month",), mark="auto", agg="sum",
          raw=True, verbatim=True),
        T('SELECT dayname("{T}"), AVG("{M}") FROM tbl GROUP BY 1', bins=("weekday",), mark="auto", agg="mean",
          raw=True, verbatim=True),
        T("how has the {Y} been going {BIN} by {BIN} over the whole period", bins=("month", "quarter", "week"),
          mark="auto", verbatim=True),
        T("{Y} per {BIN} as colums", bins=("year", "quarter", "month"), mark="bar", explicit=True, verbatim=True),
        T("Please share the {BIN}-wise {Y}.", bins=("month", "quarter", "year"), mark="auto"),
        T("Bucket {T} by {BIN} and show the {Y}", bins=("quarter", "month", "week"), mark="auto"),
        T("Slide title: {ADJ} {Y}, as a line", bins=("year", "quarter", "month", "week"), mark="line", explicit=True),
        T("Count of {N} for each weekday, Monday through Sunday", bins=("weekday",), mark="auto", count=True),
        T("> are some quarters quieter than others? Reply: let's check, the {Y} per quarter as bars.",
          bins=("quarter",), mark="bar", explicit=True),
        T("Top single {M} each {BIN}, line chart", bins=("month", "quarter"), mark="line", explicit=True,
          agg="max"),
        T("How's the {Y} going week on week, would you say?", bins=("week",), mark="auto"),
    ],
    "filter_value": [
        T("[REQ-3015] Subject: {Y} by {D}, filter {F} = {V}", op="=="),
        T("SELECT \"{D}\", COUNT(*) FROM tbl WHERE \"{F}\" = '{V}' GROUP BY 1", op="==", count=True, raw=True,
          verbatim=True),
        T("=COUNTIFS({F}, {V}, {D}, each {D})", op="==", count=True, raw=True, verbatim=True),
        T("SUMIFS({M}, {F}, {V}) for each {D}", op="==", agg="sum", raw=True, verbatim=True),
        T("{Y} cut by {D}, excl. {F} = {V}", op="!="),
        T("show the {Y} for each {D} but only where {F} is {V1} or {V2}", op="in", verbatim=True),
        T("Kindly share the {D}-wise {Y} for {F} {V1}, {V2} and {V3} only.", op="in3"),
        T("[REQ-7740] Subject: {ADJ} {N} only, {Y} by {D}", op="flag_true"),
        T("{Y} by {D} exluding the {ADJ} {N}", op="flag_false", verbatim=True),
        T("Filter to rows where {F} has '{S}' in it, then {Y} cut by {D}", op="contains"),
        T("Chart title: {Y} by {D} ({F}: {V})", op="=="),
        T("> only {V} matters to us. Reply: noted, so a bar chart of the {Y} per {D} where {F} is {V}.", op="==",
          explicit=True),
        T("Just the {ADJ} ones, hey: how many {N} per {D}?", op="flag_true", count=True),
    ],
    "filter_threshold": [
        T("[REQ-2231] Subject: {Y} by {D} where {F} > {V}", op=">"),
        T('SELECT "{D}", COUNT(*) FROM tbl WHERE "{F}" >= {V} GROUP BY 1', op=">=", count=True, raw=True,
          verbatim=True),
        T('=COUNTIFS({F}, "<{V}", {D}, each {D})', op="<", count=True, raw=True, verbatim=True),
        T('AVERAGEIFS({M}, {F}, "<={V}") for every {D}', op="<=", agg="mean", raw=True, verbatim=True),
        T("{Y} for each {D} only including {N} where {F} is between {A} and {B}", op="between", verbatim=True),
        T("Kindly share the {D}-wise {Y} from {P1} onwards.", op="date_since"),
        T("Chart title: {Y} by {D}, pre-{P1}", op="date_before"),
        T("> can we limit it to {P1} to {P2}? Reply: yes, the {Y} per {D} with {T} from {P1} to {P2}.",
          op="date_between"),
        T("how many {N} per {D} with {F} abvoe {V}", op=">", count=True, verbatim=True),
        T("{Y} cut by {D}, thresholded at {F} > {V}", op=">"),
        T("{Y} per {D}, but only {N} with {F} of {V} or under, eh", op="<="),
        T("Sum of {M} where {F} > {V}, by {D}", op=">", agg="sum"),
        T("Max {M} per {D} among {N} with {F} below {V}", op="<", agg="max"),
    ],
    "filter_relative": [
        T("[REQ-8810] Subject: {Y} by {D}, {F} above mean only", op="above_mean"),
        T('SELECT "{D}", COUNT(*) FROM tbl WHERE "{F}" > (SELECT AVG("{F}") FROM tbl) GROUP BY 1', op="above_mean",
          count=True, raw=True, verbatim=True),
        T('=COUNTIFS({F}, "<"&AVERAGE({F}), {D}, each {D})', op="below_mean", count=True, raw=True, verbatim=True),
        T("{Y} for each {D} but only the {N} where {F} is under the average", op="below_mean", verbatim=True),
        T("{Y} per {D} for {N} with {F} higher then average", op="above_mean", verbatim=True),
        T("Kindly share the {D}-wise {Y} for {N} having above-average {F}.", op="above_mean"),
        T("{Y} cut by {D}, {N} with sub-average {F} only", op="below_mean"),
        T("Chart title: {Y} by {D} ({F} above the mean)", op="above_mean"),
        T("Average {M} per {D} for {N} where {F} beats the overall mean, as a bar chart", op="above_mean",
          agg="mean", explicit=True),
    ],
    "top_k": [
        T("[REQ-1450] Subject: top {K} {DP} by {Y}", order="descending"),
        T('SELECT "{D}", SUM("{M}") FROM tbl GROUP BY 1 ORDER BY 2 DESC LIMIT {K}', order="descending", agg="sum",
          raw=True, verbatim=True),
        T('SELECT "{D}", COUNT(*) FROM tbl GROUP BY 1 ORDER BY 2 LIMIT {K}', order="ascending", count=True,
          raw=True, verbatim=True),
        T("so which {K} {DP} have had the most {N} then", order="descending", count=True, verbatim=True),
        T("bottom {K} {DP} by {Y} plase", order="ascending", verbatim=True),
        T("Kindly share the top {K} {DP} as per {Y}.", order="descending"),
        T("Top {K} {DP} on average {M}, bar chart", order="descending", agg="mean", explicit=True),
        T("Slide title: Bottom {K} {DP} by total {M}", order="ascending", agg="sum"),
        T("> who's lagging behind? Reply: good q, the {K} {DP} with the lowest {Y}, please.", order="ascending"),
        T("Give us the {K} {DP} with the fewest {N} there", order="ascending", count=True),
    ],
    "synonym": [
        T("[REQ-6021] Subject: avg {M} by {D}", kind="agg", agg="mean"),
        T("Kindly share the {D}-wise total {M}.", kind="agg", agg="sum"),
        T("How many {N} in each {D}, all told?", kind="count"),
        T("Bars please: {Y} against each {D}", kind="bar"),
        T("Pie: {N} split by {D}", kind="pie"),
        T("Histogram of the {M} column, default bins", kind="hist"),
        T("Line chart of the {Y}, month-wise", kind="line"),
        T("Scatter: {MX} on x, {MY} on y, no colour", kind="scatter"),
        T("Rank each {D} by its mean {M}, highest first", kind="top_mean"),
        T("Howzit, what's the count of {N} per {D}?", kind="count"),
    ],
    "plain_analytical": [
        T("[REQ-3340] Subject: which {D} has the biggest total {M}?", kind="top_sum"),
        T("which {D} gets the most {N}", kind="top_count", verbatim=True),
        T("Kindly tell which {D} has the highest average {M}.", kind="top_mean"),
        T("How has {MT} moved month-wise?", kind="trend_month"),
        T("{ADJ} {Y}: up, down or flat?", kind="trend_adj"),
        T("What's the shape of the {M} distribution, skewed or not?", kind="dist"),
        T("Does higher {MX} go with higher {MY}, or not really?", kind="rel"),
        T("What % of the {N} does each {D} make up?", kind="share"),
        T("On which day of the week are we busiest for {N}?", kind="top_weekday"),
        T("{V1} or {V2}: which {D} had more {N}?", kind="pair", agg="count"),
        T("[REQ-4472] Subject: {V1} vs {V2} on total {M}, which {D} comes out ahead?", kind="pair", agg="sum"),
        T("is the average {M} higher for {V1} or {V2} ({D})", kind="pair", agg="mean", verbatim=True),
        T("Which {D} contributes the most {M} when it's all rolled up?", kind="top_sum"),
    ],
    "unanswerable": [
        T("[REQ-5120] Subject: total {MM} by {D}", need="measure"),
        T('SELECT "{MD}", COUNT(*) FROM tbl GROUP BY 1', need="dim", raw=True, verbatim=True),
        T("=SUMIF({D}, each {D}, {MM})", need="measure", raw=True, verbatim=True),
        T("{Y} per {D}, sorted by {MM}", need="measure"),
        T("{Y} by {D} for the {N} with {MM} above target", need="measure"),
        T("Only {N} from our biggest {MD}: {Y} per {D}", need="dim"),
        T("Bar chart of the {Y} per {D}, coloured by {MD}", need="dim"),
        T("Kindly share the {MD}-wise {Y}.", need="dim"),
        T("whats the average {MM} for each {MD}", need="both", verbatim=True),
        T("histogrm of {MM}", need="measure", verbatim=True),
        T("Chart title: {MM} by {MD} (line)", need="both"),
        T("XY plot, {M} on x, {MM} on y", need="measure"),
        T("> can we see it by {MD}? Reply: yes please, the {Y} per {MD}.", need="dim"),
        T("{Y} by {D} as stacked columns, segments = {MD}", need="dim"),
        T("{MM}, YoY view", need="measure"),
        T("Top five by {MM}, one bar per {D}", need="measure"),
        T("Pie of the {MM}, split by {MD}", need="both"),
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# Fresh11 phrasings: written from scratch for round 12, by someone who had not read the parser nor run AutoViz on any
# of them, when the "fresh10" split was about to be used for tuning; the older templates were read only to avoid
# repeating them. Nobody changing the parser looks at them (nor at their results question by question); they are the
# clean held-out measure for that round ("fresh11" split). They lean on the setting an ask is written in and the voice
# it is written in: meeting-agenda items and to-do checklist lines, chatbot-style task prompts with an output line,
# team-chat messages with @mentions, emoji shortcodes and headers in backticks (raw=True), requirements-document
# sentences, the reason for the ask given before the ask, New Zealand, Scottish, Nigerian (Pidgin) and Singaporean
# (Singlish) English idioms, a non-native speaker's word order, a statistics student's vocabulary, the chart type said
# first with the measure at the very end, maths symbols for sums and comparisons, negative framing where it keeps the
# label, and unanswerable asks whose missing thing varies: the measure, the grouping, the sort key, a filter, the
# colour or a second grouping. Every sorted template is a whole sentence (full=True); those that fix their own
# aggregation say so with count= or agg=. (This note names the styles only, so reading it shows no fresh11 question.)

FRESH11_TEMPLATES: dict[str, list[Tpl]] = {
    "explicit_bar": [
        T("Agenda item B: bar chart of the {Y} for each {D}."),
        T("Task: compare the {D} values. Output: a bar chart of the {Y} per {D}."),
        T("@data-team :wave: could someone put together a bar chart of the {Y} per {D}? :pray:", verbatim=True),
        T("The system shall display the {Y} for each {D} as a bar chart."),
        T("Because the trustees are deciding where next year's money goes, I need the total {M} for every {D} as "
          "bars.", agg="sum"),
        T("Chur bro, can you whip up a bar graph of the {Y} by {D}? Sweet as."),
        T("Abeg, help me do bar chart of the average {M} for each {D}.", agg="mean"),
        T("Bar chart of the {Y} per {D} can or not? Need it today lah."),
        T("The median {M} for each {D}, in a bar chart I would like to see it.", agg="median"),
        T("Bar chart — one bar per {D} — height: the lowest {M}", agg="min"),
        T("- [ ] bar chart: max {M} by {D} (for the ops review)", agg="max", verbatim=True),
        T("For my stats assignment: a bar chart of the {Y} across the levels of the categorical variable {D}."),
        T("@sam can you bar-chart `{M}` summed per `{D}`? :bar_chart:", agg="sum", raw=True, verbatim=True),
        T("Gonnae make us a wee bar chart of the {Y} for each {D}, pal?"),
    ],
    "explicit_pie": [
        T("Agenda item C: pie chart of the {Y} by {D}."),
        T("Task: show how the {N} divide up by {D}. Output format: pie chart.", count=True),
        T("@channel :pie: need a pie of the total {M} per {D} before standup", agg="sum", verbatim=True),
        T("The report shall include a pie chart showing the {Y} for each {D}."),
        T("So the committee can see who carries the load, put the number of {N} per {D} in a pie chart.",
          count=True),
        T("Pie chart of the {Y} split by {D}, chur."),
        T("Oga wants pie chart of total {M} by {D}, abeg do am quick.", agg="sum"),
        T("Can do a pie of the {Y} by {D} or not ah?"),
        T("The share of {N} for every {D}, as a pie please make.", count=True),
        T("Pie chart — slices: {D} — size: {Y}"),
        T("Relative frequency of each {D} among the {N}, drawn as a pie chart", count=True),
        T("@ops `{D}` breakdown as a pie, `{M}` summed per slice :pray:", agg="sum", raw=True, verbatim=True),
        T("What % of the {N} does each {D} take up? Pie chart please, in %.", count=True),
    ],
    "explicit_line": [
        T("Agenda item D: line chart of the {Y} per {BIN}, to check the trend.", bin=True),
        T("Task: plot the {Y} over {T}. Aggregation level: {BIN}. Output: line chart.", bin=True),
        T("@analytics :chart_with_upwards_trend: line of the {Y} by {BIN} please, for the retro", bin=True,
          verbatim=True),
        T("The dashboard shall present the {Y} per {BIN} as a line chart.", bin=True),
        T("We're setting next season's targets, so I need the total {M} per {BIN} as a line chart.", bin=True,
          agg="sum"),
        T("Aye, a wee line chart of the {Y} each {BIN} would be braw.", bin=True),
        T("Abeg plot the average {M} per {BIN} as line, make I see am.", bin=True, agg="mean"),
        T("Line chart of the {Y} every {BIN} can? One line only lah.", bin=True),
        T("The highest {M} of each {BIN}, as a line I want to see.", bin=True, agg="max"),
        T("Line chart — x: {T} by {BIN} — y: lowest {M}", bin=True, agg="min"),
        T("Time series of the {Y}, aggregated to {BIN} level, plotted as a line", bin=True),
        T("@team line chart of the {Y} per {BIN} with one line per {D} :eyes:", bin=True, color=True,
          verbatim=True),
        T("- [ ] {ADJ} {Y} line chart, one line for every {D}", bin=True, color=True, verbatim=True),
        T("Line chart, # of {N} per {BIN}", bin=True, count=True),
    ],
    "explicit_area": [
        T("Agenda item E: area chart of the {Y} by {BIN}.", bin=True),
        T("Task: show the {Y} over {T} by {BIN}. Chart type: area.", bin=True),
        T("@here area chart of the {Y} per {BIN}, stacked by {D} please :pray:", bin=True, color=True,
          verbatim=True),
        T("The report shall contain an area chart of the {Y} per month."),
        T("To see when the busy spells are, do an area chart of the number of {N} per {BIN}.", bin=True,
          count=True),
        T("Could ye make a wee area chart of the total {M} each {BIN}?", bin=True, agg="sum"),
        T("Abeg show the {Y} per {BIN} as area chart, with {D} stacked.", bin=True, color=True),
        T("Area chart of the {Y} by {BIN} pls, can?", bin=True),
        T("The {Y} for every {BIN}, as an area chart please to draw.", bin=True),
        T("Area chart — {BIN} along the bottom — filled up to the {Y}", bin=True),
        T("Area chart of Σ {M} per {BIN}", bin=True, agg="sum"),
        T("- [ ] area chart: {ADJ} {Y}", bin=True, verbatim=True),
    ],
    "explicit_scatter": [
        T("Agenda item F: scatter plot, {MX} on the x-axis, {MY} on the y-axis."),
        T("Task: check whether {MY} moves with {MX}. Output: scatter plot (x = {MX}, y = {MY})."),
        T("@stats-help scatter of `{MY}` (y) against `{MX}` (x)? :thinking_face:", raw=True, verbatim=True),
        T("The tool shall plot each {n} as a point with {MX} on the horizontal axis and {MY} on the vertical axis."),
        T("Before we set prices we want to know if {MX} drives {MY}, so scatter them, {MX} across and {MY} up."),
        T("Chuck a scatter together, {MX} along the bottom and {MY} up the side, dots coloured by {D}, chur.",
          color=True),
        T("Abeg scatter {MY} against {MX}, make {MX} dey for the x-axis."),
        T("Scatter plot can? x-axis {MX}, y-axis {MY}, colour by {D} lah.", color=True),
        T("With {MX} on x and {MY} on y, a scatter plot I need, one dot each {n}."),
        T("Scatter plot — x: {MX} — y: {MY} — colour: {D}", color=True),
        T("Bivariate scatter plot: explanatory variable {MX} on x, response variable {MY} on y."),
        T("- [ ] scatter {MY} vs {MX} ({MX} horizontal)", verbatim=True),
    ],
    "explicit_histogram": [
        T("Agenda item G: histogram of {M} across all {N}."),
        T("Task: describe the distribution of {M}. Output: histogram."),
        T("@data :bar_chart: quick histogram of `{RAW}` pls", verbatim=True),
        T("The system shall provide a histogram of {M}."),
        T("We're setting a standard, so first I want a histogram of {M} to see what's normal."),
        T("Aye, could ye dae a histogram of {M}? Just tae see the spread."),
        T("Abeg plot histogram for {M}, I wan see how e spread."),
        T("Histogram of {M} can or not?"),
        T("Of {M} the histogram, please to show me."),
        T("Histogram — variable: {M} — all {N}"),
        T("Frequency distribution of {M} (univariate), shown as a histogram"),
        T("- [ ] histogram of {M} (whole table)", verbatim=True),
    ],
    "explicit_stacked": [
        T("Agenda item H: stacked bar chart of the {Y} per {D}, stacked by {D2}."),
        T("Task: break each {D} down by {D2}. Output: stacked bar chart of the {Y}."),
        T("@finance stacked bars pls: `{D}` on x, `{D2}` stacked, sum of `{M}` :moneybag:", agg="sum", raw=True,
          verbatim=True),
        T("The report shall show the {Y} per {D} as stacked bars, segmented by {D2}."),
        T("To see the mix inside each {D}, stack the number of {N} by {D2} in one bar per {D}.", count=True),
        T("Stacked bars of the {Y} for each {D}, {D2} stacked on top, sweet as."),
        T("Abeg do stacked bar: {D} for x-axis, {D2} as the stacks, showing {Y}."),
        T("Stacked bar chart of total {M} per {D}, stack by {D2} can?", agg="sum"),
        T("For each {D} one bar, stacked by {D2}, showing the {Y}: this chart I need."),
        T("Stacked bar chart — bars: {D} — stacks: {D2} — height: {Y}"),
        T("Joint frequencies of {D} and {D2} as a stacked bar chart, {D} on the x-axis", count=True),
        T("- [ ] stacked bars, {Y} per {D}, split by {D2}", verbatim=True),
    ],
    "explicit_grouped": [
        T("Agenda item J: grouped bar chart of the {Y} per {D}, one bar for each {D2}."),
        T("Task: compare {D2} within each {D}. Output: grouped (side-by-side) bar chart of the {Y}."),
        T("@ops can I get clustered bars: `{D}` on x, a bar per `{D2}`, mean `{M}`? :raised_hands:", agg="mean",
          raw=True, verbatim=True),
        T("The dashboard shall display the {Y} for each {D} as grouped bars, one bar per {D2}."),
        T("So we can compare like with like, put the {Y} for each {D} in side-by-side bars split by {D2}."),
        T("Grouped bars of the {Y} by {D}, a wee bar for each {D2} side by side, aye?"),
        T("Abeg do grouped bar chart, the highest {M} by {D}, each {D2} get im own bar.", agg="max"),
        T("Side-by-side bars of the {Y} per {D}, split by {D2}, not stacked ah."),
        T("The total {M} for each {D}, with for every {D2} a separate bar next to each other, please.", agg="sum"),
        T("Grouped bar chart — groups: {D} — bars: {D2} — height: {Y}"),
        T("Clustered bars of the number of {N} per {D} by {D2} (a two-way frequency table, drawn)", count=True),
        T("- [ ] grouped bars of the {Y}: {D} groups, a bar per {D2}", verbatim=True),
    ],
    "explicit_box": [
        T("Agenda item K: box plots of {M} for each {D}."),
        T("Task: compare the spread of {M} between {D} groups. Output: box plot."),
        T("@qa box plot of `{M}` by `{D}` please :mag:", raw=True, verbatim=True),
        T("The system shall render a box plot of {M} for every {D}."),
        T("Some {D} values look inconsistent, so show {M} as box plots, one per {D}."),
        T("Could ye dae us box plots of {M}, one for each {D}, pal?"),
        T("Abeg draw box plot of {M} for each {D}, make I see the spread."),
        T("Box plot of {M} per {D} can? Want to see the outliers lor."),
        T("Of {M}, box plots for each {D} please to draw."),
        T("Box plot — groups: {D} — values: {M}"),
        T("Compare the median, IQR and dispersion of {M} across {D} with box plots"),
        T("- [ ] box-and-whisker, {M} by {D}", verbatim=True),
    ],
    "count_by": [
        T("Agenda item L: how many {N} per {D}?"),
        T("Task: count the {N} in each {D}. Output: one count per {D}."),
        T("@ana how many {N} do we have for each {D}? :thinking_face:", verbatim=True),
        T("The system shall report the number of {N} for each {D}."),
        T("Before we reassign staff, I need to know how many {N} each {D} has."),
        T("How many {N} we got for each {D}, bro? Sweet as."),
        T("Abeg, how many {N} dey for each {D}?"),
        T("Each {D} got how many {N} ah?"),
        T("The {N}, how many in each {D} are there?"),
        T("Frequency of each {D} (number of {N})"),
        T("# of {N} by {D}"),
        T("- [ ] count up the {N} per {D}", verbatim=True),
    ],
    "agg_by": [
        T("Agenda item M: the {AGG} {M} for each {D}."),
        T("Task: compute the {AGGN} of {M} grouped by {D}.", noun=True),
        T("@sam what's the `{M}` {AGGN} per `{D}`? :eyes:", noun=True, raw=True, verbatim=True),
        T("The system shall calculate the {AGG} {M} for every {D}."),
        T("For the funding bid we need to know the total {M} of each {D}.", agg="sum"),
        T("Whit's the {AGG} {M} for each {D}, pal?"),
        T("Abeg, wetin be the average {M} for each {D}?", agg="mean"),
        T("Each {D} the {AGG} {M} is how much ah?"),
        T("The {AGG} {M}, for each {D} I want to know it."),
        T("Central tendency of {M} by {D}: use the median", agg="median"),
        T("Σ {M} by {D}", agg="sum"),
        T("Per {D}: max {M}, i.e. the single biggest value in each", agg="max"),
        T("- [ ] min {M} per {D}", agg="min", verbatim=True),
    ],
    "count_distinct": [
        T("Agenda item N: number of distinct {D2P} in each {D}."),
        T("Task: for every {D}, count the unique values of {D2}. Output: one number per {D}."),
        T("@team how many unique `{D2}` values per `{D}`? :thinking_face:", raw=True, verbatim=True),
        T("The system shall show, for each {D}, how many different {D2P} occur."),
        T("To check coverage, I need to know how many different {D2P} each {D} has dealt with."),
        T("How many different {D2P} has each {D} had, aye?"),
        T("Abeg, how many different {D2P} dey for each {D}?"),
        T("Each {D} got how many different {D2P}?"),
        T("The different {D2P}, in each {D} how many are there?"),
        T("Number of distinct levels of {D2} observed within each {D}"),
        T("Bar chart — one bar per {D} — height: count of distinct {D2P}", explicit=True),
        T("- [ ] # distinct {D2P} per {D}", verbatim=True),
    ],
    "sorted": [
        T("Agenda item P: the {Y} per {D}, sorted from highest to lowest.", full=True, channel="y",
          order="descending"),
        T("Task: rank every {D} by {Y}. Output: bars, smallest value first.", full=True, channel="y",
          order="ascending", explicit=True),
        T("@ops can you sort the `{D}` rows A→Z and show the count of {N}? :abc:", full=True, channel="x",
          order="ascending", count=True, raw=True, verbatim=True),
        T("The system shall list the {Y} for each {D} in descending order of value.", full=True, channel="y",
          order="descending"),
        T("So the small ones stand out, show the {Y} per {D} from lowest to highest.", full=True, channel="y",
          order="ascending"),
        T("Sort the {D} names Z to A and give us the {Y} for each, sweet as.", full=True, channel="x",
          order="descending"),
        T("Abeg arrange the total {M} per {D} from biggest to smallest.", full=True, channel="y",
          order="descending", agg="sum"),
        T("{Y} for each {D}, sort from small to big can?", full=True, channel="y", order="ascending"),
        T("The average {M} per {D}, in order from the highest to the lowest please to sort.", full=True,
          channel="y", order="descending", agg="mean"),
        T("Bar chart — {D} in alphabetical order — height: {Y}", full=True, channel="x", order="ascending",
          explicit=True),
        T("Sort the {D} categories in ascending order of their minimum {M}.", full=True, channel="y",
          order="ascending", agg="min"),
        T("- [ ] count of {N} by {D}, {D} names reverse-alphabetical", full=True, channel="x", order="descending",
          count=True, verbatim=True),
        T("{Y} per {D}, and don't leave it in any old order: biggest first.", full=True, channel="y",
          order="descending"),
    ],
    "time_bin": [
        T("Agenda item Q: the {Y} per {BIN}.", bins=("month", "quarter", "year"), mark="auto"),
        T("Task: aggregate the {Y} by {BIN} of {T}. Output: one value per {BIN}.", bins=("quarter", "month", "week"),
          mark="auto"),
        T("@team what's the {Y} looking like by day of week? :calendar:", bins=("weekday",), mark="auto",
          verbatim=True),
        T("The dashboard shall show the {Y} per {BIN} as columns.", bins=("year", "quarter", "month"), mark="bar",
          explicit=True),
        T("We're planning the roster, so how many {N} do we get on each day of the week?", bins=("weekday",),
          mark="auto", count=True),
        T("How's the total {M} been going each {BIN}, aye?", bins=("month", "quarter"), mark="auto", agg="sum"),
        T("Abeg, show me the average {M} every {BIN} make I see the movement.", bins=("month", "quarter", "week"),
          mark="auto", agg="mean"),
        T("The {Y} every {BIN} how ah? Show as line can.", bins=("month", "quarter"), mark="line", explicit=True),
        T("Per {BIN} the highest {M}, as bars please to show.", bins=("quarter", "month", "year"), mark="bar",
          explicit=True, agg="max"),
        T("Line chart — x: {BIN} — y: {Y}", bins=("year", "quarter", "month", "week"), mark="line", explicit=True),
        T("Time series of the {Y}, one observation per {BIN}", bins=("month", "quarter", "week"), mark="auto"),
        T("- [ ] {ADJ} {Y}", bins=("year", "quarter", "month"), mark="auto", verbatim=True),
        T("# of {N} by weekday (Mon–Sun)", bins=("weekday",), mark="auto", count=True),
    ],
    "filter_value": [
        T("Agenda item R: the {Y} per {D}, {F} {V} only.", op="=="),
        T("Task: filter to {F} = {V}, then count the {N} per {D}.", op="==", count=True),
        T("@team can you do {Y} by {D} but drop anything where `{F}` is {V}? :no_entry:", op="!=", raw=True,
          verbatim=True),
        T("The system shall display the {Y} per {D} for {ADJ} {N} only.", op="flag_true"),
        T("Since the audit only covers {V1} and {V2}, give me the {Y} per {D} for {F} {V1} or {V2}.", op="in"),
        T("{Y} per {D} for {F} {V1}, {V2} and {V3}, sweet as.", op="in3"),
        T("Abeg, the {Y} for each {D} but no {ADJ} {N} at all.", op="flag_false"),
        T("Only {F} '{V}' one, the {Y} per {D} how much ah?", op="=="),
        T("The {N} which are not {ADJ}, of them the {Y} by {D} please.", op="flag_false"),
        T("Bar chart — filter: {F} ≠ {V} — bars: {D} — height: {Y}", op="!=", explicit=True),
        T("Conditional on {F} containing '{S}', the {Y} for each level of {D}", op="contains"),
        T("- [ ] {Y} by {D}, {F} = {V} only", op="==", verbatim=True),
        T("How many {N} per {D}, NOT counting any with {F} {V}?", op="!=", count=True),
        T("Aye, just the {ADJ} {N}: total {M} for each {D}?", op="flag_true", agg="sum"),
    ],
    "filter_threshold": [
        T("Agenda item S: the {Y} per {D} for {N} with {F} over {V}.", op=">"),
        T("Task: keep the rows where {F} ≥ {V}; count {N} per {D}.", op=">=", count=True),
        T("@ops {Y} by {D} but only where `{F}` < {V} pls :pray:", op="<", raw=True, verbatim=True),
        T("The system shall show the {Y} per {D} for {N} whose {F} is not above {V}.", op="<="),
        T("Because the new rule kicks in above {V}, show the {Y} per {D} for {N} with {F} above {V}.", op=">"),
        T("{Y} per {D} for {N} with {F} between {A} and {B}, sweet as.", op="between"),
        T("Abeg, from {P1} go reach now, wetin be the {Y} per {D}?", op="date_since"),
        T("Before {P1} one, the {Y} per {D} show me can?", op="date_before"),
        T("The {N} where {F} is not below {V}, of them the {Y} per {D} I need.", op=">="),
        T("Bar chart — filter: {F} ≤ {V} — bars: {D} — height: {Y}", op="<=", explicit=True),
        T("Restricting the sample to {T} between {P1} and {P2}, the {Y} for each {D}", op="date_between"),
        T("- [ ] {Y} per {D}, {F} > {V}", op=">", verbatim=True),
        T("Aye, the total {M} per {D} for {N} wi' {F} under {V}?", op="<", agg="sum"),
        T("Mean {M} per {D}, for {N} with {F} strictly greater than {V}", op=">", agg="mean"),
    ],
    "filter_relative": [
        T("Agenda item T: the {Y} per {D} for {N} with above-average {F}.", op="above_mean"),
        T("Task: keep the {N} whose {F} is below the mean {F}; count them per {D}.", op="below_mean", count=True),
        T("@team {Y} by {D}, only rows where `{F}` beats the average :rocket:", op="above_mean", raw=True,
          verbatim=True),
        T("The system shall show the {Y} per {D} for {N} whose {F} is below the overall average.", op="below_mean"),
        T("We want to focus on the heavy end, so give the {Y} per {D} for {N} with {F} over the average.",
          op="above_mean"),
        T("Abeg, for {N} wey {F} pass average, wetin be the {Y} per {D}?", op="above_mean"),
        T("{F} below average one, the {Y} per {D} how much?", op="below_mean"),
        T("The {N} with {F} more than the average, for them the {Y} per {D} please.", op="above_mean"),
        T("Bar chart — filter: {F} > mean — bars: {D} — height: {Y}", op="above_mean", explicit=True),
        T("Conditioning on {F} being below its sample mean, the {Y} for each {D}", op="below_mean"),
        T("- [ ] # of {N} per {D} with {F} < avg", op="below_mean", count=True, verbatim=True),
        T("Aye, the average {M} per {D}, just for the {N} wi' {F} above the average?", op="above_mean",
          agg="mean"),
    ],
    "top_k": [
        T("Agenda item U: top {K} {DP} by {Y}.", order="descending"),
        T("Task: return the {K} {DP} with the lowest {Y}.", order="ascending"),
        T("@team who are our top {K} `{D}` by number of {N}? :trophy:", order="descending", count=True, raw=True,
          verbatim=True),
        T("The system shall display the {K} {DP} with the highest total {M}.", order="descending", agg="sum"),
        T("For the awards night, which {K} {DP} have the highest average {M}?", order="descending", agg="mean"),
        T("Which {K} {DP} are at the bottom for {Y}, aye?", order="ascending"),
        T("Abeg, show me the {K} {DP} wey get the most {N}.", order="descending", count=True),
        T("Top {K} {DP} by {Y} can? Need for slides.", order="descending"),
        T("The {K} {DP} with the fewest {N}, please to show them.", order="ascending", count=True),
        T("Bar chart — only the {K} highest {DP} — height: {Y}", order="descending", explicit=True),
        T("The {K} lowest-ranked {DP} on mean {M}", order="ascending", agg="mean"),
        T("- [ ] bottom {K} {DP} by total {M}", order="ascending", agg="sum", verbatim=True),
        T("Which {K} {DP} did NOT do much for {Y}? The bottom {K}, I mean.", order="ascending"),
    ],
    "synonym": [
        T("Agenda item V: average {M} for each {D}.", kind="agg", agg="mean"),
        T("Task: total {M} per {D}.", kind="agg", agg="sum"),
        T("@team how many {N} per {D}? :thinking_face:", kind="count", verbatim=True),
        T("The system shall provide a bar chart of the {Y} for each {D}.", kind="bar"),
        T("For the newsletter, a pie chart of the {N} by {D}.", kind="pie"),
        T("Aye, a histogram of the {M}, please.", kind="hist"),
        T("Abeg, line chart of the {Y} month by month.", kind="line"),
        T("Scatter plot can? {MX} on x-axis, {MY} on y-axis.", kind="scatter"),
        T("Which {D} the average {M} is highest? Please sort them all.", kind="top_mean"),
        T("Bar chart — one bar per {D} — height: {Y}", kind="bar"),
        T("Mean {M} conditional on {D}", kind="agg", agg="mean"),
        T("- [ ] max {M} per {D}", kind="agg", agg="max", verbatim=True),
    ],
    "plain_analytical": [
        T("Agenda item W: which {D} brings in the most {M} in total?", kind="top_sum"),
        T("Task: identify the {D} with the most {N}. Output: the ranking.", kind="top_count"),
        T("@team which {D} comes top on average {M}? :thinking_face:", kind="top_mean", verbatim=True),
        T("The system shall show how {MT} has changed month by month.", kind="trend_month"),
        T("We're deciding whether to hire, so is the {Y} rising or falling on a {ADJ} view?", kind="trend_adj"),
        T("How's {M} spread out, aye? Mostly the same or all over?", kind="dist"),
        T("Abeg, when {MX} high, {MY} dey high too?", kind="rel"),
        T("Each {D} take how many percent of the {N}?", kind="share"),
        T("On which weekday the most {N} we have?", kind="top_weekday"),
        T("Central tendency and dispersion of {M}: what does its distribution look like?", kind="dist"),
        T("Is there a positive correlation between {MX} and {MY}?", kind="rel"),
        T("{V1} versus {V2}: which {D} has more {N}?", kind="pair", agg="count"),
        T("Who's ahead on total {M}, {V1} or {V2}? ({D})", kind="pair", agg="sum"),
        T("Abeg, between {V1} and {V2}, which {D} get higher average {M}?", kind="pair", agg="mean"),
        T("- [ ] which {D} leads on total {M}", kind="top_sum", verbatim=True),
    ],
    "unanswerable": [
        T("Agenda item X: total {MM} for each {D}.", need="measure"),
        T("Task: count the {N} per {MD}. Output: bar chart.", need="dim"),
        T("@team can you sort the {D} bars by {MM}? :pray:", need="measure", verbatim=True),
        T("The system shall display the {Y} per {D}, coloured by {MD}.", need="dim"),
        T("Because of a complaint, I need the {Y} per {D} for {N} with {MM} over the limit.", need="measure"),
        T("Aye, whit's the average {MM} by {MD}?", need="both"),
        T("Abeg show me the {Y} for each {MD}.", need="dim"),
        T("Just our biggest {MD} only, the {Y} by {D} can?", need="dim"),
        T("The {MM} over time, as a line please to draw.", need="measure"),
        T("Scatter plot — x: {M} — y: {MM}", need="measure"),
        T("Histogram of {MM}, to check its skewness", need="measure"),
        T("- [ ] box plots of {MM} by {MD}", need="both", verbatim=True),
        T("Grouped bars of the {Y} per {D}, one bar for each {MD}, sweet as.", need="dim"),
        T("Pie of the {N} by {MD}, in %", need="dim"),
        T("@ops `{MM}` per `{MD}` as a pie? :pie:", need="both", verbatim=True),
    ],
}


def _y_agg(c: Ctx, t: Tpl, allowed: Sequence[str], p_count: float = 0.35) -> tuple[str, ColumnSpec | None]:
    """The aggregation and measure a template asks for: count= or agg= fixes it, else a draw from `allowed`.

    agg= lets a template word its aggregation itself ("combined", "peak", "typical") and name the measure
    with {M}; no template before fresh3 sets it on these categories, and without it this draws exactly what
    the older generators drew, so their cases do not move.
    """
    if t.get("count"):
        return "count", None
    fixed = t.get("agg")
    if fixed is None:
        return c.measure_agg(allowed, p_count)
    if fixed not in allowed:
        raise ValueError(f"agg={fixed!r} is not one of {tuple(allowed)}")
    if fixed == "count":
        return "count", None
    return fixed, c.measure(additive=True if fixed == "sum" else None)


def _m_text(c: Ctx, t: Tpl, m: ColumnSpec | None) -> str:
    """How the question names the aggregated measure, for a template that says {M} next to its own agg word."""
    if "{M}" not in t.text:
        return ""  # no draw: older templates never say {M} here
    if m is None:
        raise ValueError(f"{t.text!r} says {{M}} but counts")
    return c.ref(m)


def _agg_bar(c: Ctx, t: Tpl, mark: str, allowed: Sequence[str], explicit: bool = True) -> Draft:
    d = c.dim()
    agg, m = _y_agg(c, t, allowed)
    q = t.text.format(Y=c.y_text(agg, m), D=c.ref(d), N=c.n, M=_m_text(c, t, m))
    return q, _lab(mark, d.name, explicit=explicit, y=m.name if m else None, agg=agg), []


def g_explicit_bar(c: Ctx, t: Tpl) -> Draft:
    return _agg_bar(c, t, "bar", ("count", "sum", "mean", "max", "min", "median"))


def g_explicit_pie(c: Ctx, t: Tpl) -> Draft:
    return _agg_bar(c, t, "pie", ("count", "sum"))


def _time_chart(c: Ctx, t: Tpl, mark: str) -> Draft:
    tcol = c.date_col()
    allowed = ("count", "sum") if mark == "area" else ("count", "sum", "mean", "max", "min")
    agg, m = _y_agg(c, t, allowed)
    bin_ = c.bin_pick(("year", "quarter", "month", "week")) if t.get("bin") else "month"
    color = c.dim() if t.get("color") else None
    if color is not None and agg not in ("count", "sum"):
        raise _Retry("stacked area needs an additive y")
    q = t.text.format(
        Y=c.y_text(agg, m),
        T=c.ref(tcol),
        BIN=c.pick(_BIN_WORD[bin_]),
        ADJ=c.pick(_BIN_ADJ.get(bin_, ("",))),
        D=c.ref(color) if color else "",
        M=_m_text(c, t, m),
        N=c.n,
    )
    label = _lab(
        mark, tcol.name, explicit=True, y=m.name if m else None, agg=agg, bin_=bin_, color=color.name if color else None
    )
    return q, label, []


def g_explicit_line(c: Ctx, t: Tpl) -> Draft:
    return _time_chart(c, t, "line")


def g_explicit_area(c: Ctx, t: Tpl) -> Draft:
    return _time_chart(c, t, "area")


def _two_measures(c: Ctx) -> tuple[ColumnSpec, ColumnSpec]:
    ms = c.measures()
    if len(ms) < 2:
        raise _NotApplicable("needs two measures")
    if c.force_syn:
        with_syn = [m for m in ms if m.synonyms]
        if not with_syn:
            raise _NotApplicable("no measure synonyms")
        mx = c.rng.choice(with_syn)
        my = c.rng.choice([m for m in ms if m is not mx])
        if c.rng.random() < 0.5:
            mx, my = my, mx
        return mx, my
    mx, my = c.rng.sample(ms, 2)
    return mx, my


def g_explicit_scatter(c: Ctx, t: Tpl) -> Draft:
    mx, my = _two_measures(c)
    d = c.dim() if t.get("color") else None
    q = t.text.format(MX=c.ref(mx), MY=c.ref(my), D=c.ref(d) if d else "", n=c.spec.noun)
    return q, _lab("scatter", mx.name, explicit=True, y=my.name, agg="none", color=d.name if d else None), []


def g_explicit_histogram(c: Ctx, t: Tpl) -> Draft:
    m = c.measure()
    q = t.text.format(M=c.ref(m), RAW=m.name, N=c.n)
    return q, _lab("histogram", m.name, explicit=True, agg="count"), []


def _two_dims(c: Ctx, t: Tpl, mark: str, allowed: Sequence[str]) -> Draft:
    d = c.dim()
    d2 = c.dim(exclude=[d.name], min_values=2)
    if len(c.facts.values[d2.name]) > 6:
        raise _Retry("too many colors")
    agg, m = _y_agg(c, t, allowed)
    q = t.text.format(Y=c.y_text(agg, m), D=c.ref(d), D2=c.ref(d2), n=c.spec.noun, N=c.n, M=_m_text(c, t, m))
    return q, _lab(mark, d.name, explicit=True, y=m.name if m else None, agg=agg, color=d2.name), []


def g_explicit_stacked(c: Ctx, t: Tpl) -> Draft:
    return _two_dims(c, t, "stacked_bar", ("count", "sum"))


def g_explicit_grouped(c: Ctx, t: Tpl) -> Draft:
    return _two_dims(c, t, "grouped_bar", ("count", "sum", "mean", "max"))


def g_explicit_box(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    m = c.measure()
    q = t.text.format(M=c.ref(m), D=c.ref(d))
    return q, _lab("box", d.name, explicit=True, y=m.name, agg="none"), []


def g_count_by(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    return t.text.format(N=c.n, D=c.ref(d)), _lab("bar", d.name, explicit=False), []


def g_agg_by(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    fixed = t.get("agg")  # a template that words its aggregation itself ("in total", "sum up")
    m = c.measure(additive=True if fixed == "sum" else None)
    agg = fixed or c.agg_for(m, ("sum", "mean", "median", "min", "max"))
    words = _AGG_NOUN[agg] if t.get("noun") else _AGG_ADJ[agg]
    q = t.text.format(AGG=c.pick(words), AGGN=c.pick(words), M=c.ref(m), D=c.ref(d))
    return q, _lab("bar", d.name, explicit=False, y=m.name, agg=agg), []


def g_count_distinct(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    d2 = c.dim(exclude=[d.name], min_values=3)
    q = t.text.format(D=c.ref(d), D2=c.ref(d2), D2P=d2.words_plural)
    return q, _lab("bar", d.name, explicit=bool(t.get("explicit")), y=d2.name, agg="count_distinct"), []


_SORT_BASES: tuple[tuple[str, bool], ...] = (
    ("Return a bar chart of the {Y} for each {D}", True),
    ("Show the {Y} per {D}", False),
    ("Plot the {Y} by {D} as bars", True),
    ("Give me the {Y} for every {D}", False),
    ("Draw a bar graph of the {Y} by {D}", True),
)


def g_sorted(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    if t.get("channel") == "x" and d.ordinal:
        raise _Retry("alphabetical order of an ordinal column (Low/Medium/High) is not what people mean")
    # count= / agg= fix the aggregation (fresh6 to fresh11 only); without them _y_agg draws what measure_agg drew
    agg, m = _y_agg(c, t, ("count", "sum", "mean", "max", "min"))
    if t.get("full"):  # a whole sentence with its own sort wording, not a clause after one of _SORT_BASES
        base, explicit = "", False
    else:
        base, explicit = c.rng.choice(_SORT_BASES)
    d_text = c.ref(d)
    q = (base + t.text).format(Y=c.y_text(agg, m), D=d_text, M=_m_text(c, t, m), N=c.n)
    label = _lab(
        "bar",
        d.name,
        explicit=explicit or bool(t.get("explicit")),
        y=m.name if m else None,
        agg=agg,
        sort=_sort(t.get("channel"), t.get("order")),
    )
    return q, label, []


def g_time_bin(c: Ctx, t: Tpl) -> Draft:
    tcol = c.date_col()
    bin_ = c.bin_pick(t.get("bins"))
    agg, m = _y_agg(c, t, ("count", "sum", "mean", "max"))
    mark = t.get("mark")
    if mark == "auto":
        mark = "bar" if bin_ == "weekday" else "line"
    q = t.text.format(
        Y=c.y_text(agg, m), T=c.ref(tcol), BIN=c.pick(_BIN_WORD[bin_]), ADJ=c.pick(_BIN_ADJ.get(bin_, ("",))), N=c.n,
        M=_m_text(c, t, m),
    )
    return q, _lab(mark, tcol.name, explicit=bool(t.get("explicit")), y=m.name if m else None, agg=agg, bin_=bin_), []


def g_filter_value(c: Ctx, t: Tpl) -> Draft:
    op = t.get("op")
    d = c.dim()
    agg, m = _y_agg(c, t, ("count", "sum", "mean", "max"))
    fields: dict[str, Any] = {"Y": c.y_text(agg, m), "D": c.ref(d), "N": c.n, "M": _m_text(c, t, m)}
    if op in ("flag_true", "flag_false"):
        f = c.flag_col()
        fields["ADJ"] = f.adjective
        flt = {"column": f.name, "op": "==", "value": op == "flag_true"}
    else:
        f = c.dim(exclude=[d.name])
        fields["F"] = c.ref(f)
        values = c.facts.values[f.name]
        if op in ("==", "!="):
            v = c.value(f)
            fields["V"] = v if "'{V}'" in t.text else c.value_text(v)
            flt = {"column": f.name, "op": op, "value": v}
        elif op in ("in", "in3"):
            k = 2 if op == "in" else 3
            if len(values) <= k:
                raise _Retry("too few values for an in-list")
            chosen = c.rng.sample(values, k)
            for i, v in enumerate(chosen, 1):
                fields[f"V{i}"] = v
            flt = {"column": f.name, "op": "in", "value": chosen}
        elif op == "contains":
            # A word shared by two or more values (but not all), so 'contains' is not just '=='.
            words = sorted({w for v in values for w in str(v).split() if len(w) >= 3})
            good = [w for w in words if 2 <= sum(w.lower() in str(v).lower() for v in values) < len(values)]
            if not good:
                raise _Retry("no shared word in this column's values")
            fields["S"] = c.rng.choice(good)
            flt = {"column": f.name, "op": "contains", "value": fields["S"]}
        else:
            raise ValueError(op)
    return (
        t.text.format(**fields),
        _lab("bar", d.name, explicit=bool(t.get("explicit")), y=m.name if m else None, agg=agg, filters=[flt]),
        [],
    )


def _year_or_month(c: Ctx, kind: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Words and filter for a date threshold: years on multi-year tables, months on one-year tables."""
    tcol = c.date_col()
    assert c.facts.date_min is not None and c.facts.date_max is not None
    y0, y1 = c.facts.date_min.year, c.facts.date_max.year
    rng = c.rng
    if y1 > y0:
        if kind == "date_between":
            if y1 - y0 < 2:
                raise _Retry("span too short for a between on years")
            a = rng.randint(y0, y1 - 1)
            b = rng.randint(a + 1, y1)
            if (a, b) == (y0, y1):
                raise _Retry("between would keep everything")
            return {"P1": str(a), "P2": str(b)}, {
                "column": tcol.name,
                "op": "between",
                "value": [f"{a}-01-01", f"{b}-12-31"],
            }
        year = rng.randint(y0 + 1, y1)
        op = ">=" if kind == "date_since" else "<"
        return {"P1": str(year)}, {"column": tcol.name, "op": op, "value": f"{year}-01-01"}
    if kind == "date_between":
        a = rng.randint(2, 7)
        b = rng.randint(a + 2, 11)
        last = (date(y0, b + 1, 1) - date(y0, b, 1)).days
        return (
            {"P1": _MONTHS[a - 1], "P2": f"{_MONTHS[b - 1]} {y0}"},
            {"column": tcol.name, "op": "between", "value": [f"{y0}-{a:02d}-01", f"{y0}-{b:02d}-{last:02d}"]},
        )
    month = rng.randint(3, 11)
    op = ">=" if kind == "date_since" else "<"
    return {"P1": f"{_MONTHS[month - 1]} {y0}"}, {"column": tcol.name, "op": op, "value": f"{y0}-{month:02d}-01"}


def g_filter_threshold(c: Ctx, t: Tpl) -> Draft:
    op = t.get("op")
    d = c.dim()
    agg, m = _y_agg(c, t, ("count", "sum", "mean", "max"))
    fields: dict[str, Any] = {"Y": c.y_text(agg, m), "D": c.ref(d), "N": c.n, "M": _m_text(c, t, m)}
    if op.startswith("date_"):
        words, flt = _year_or_month(c, op)
        fields.update(words)
        fields["T"] = c.ref(c.date_col())
    else:
        f = c.measure()
        fields["F"] = c.ref(f)
        if op == "between":
            a = c.threshold(f, 0.1, 0.4)
            b = c.threshold(f, 0.6, 0.9)
            if not a < b:
                raise _Retry("empty range")
            fields["A"], fields["B"] = _num_text(a, c.rng), _num_text(b, c.rng)
            flt = {"column": f.name, "op": "between", "value": [a, b]}
        else:
            v = c.threshold(f)
            fields["V"] = _num_text(v, c.rng)
            flt = {"column": f.name, "op": op, "value": v}
    return (
        t.text.format(**fields),
        _lab("bar", d.name, explicit=bool(t.get("explicit")), y=m.name if m else None, agg=agg, filters=[flt]),
        [],
    )


def g_filter_relative(c: Ctx, t: Tpl) -> Draft:
    d = c.dim()
    f = c.measure()
    agg, m = _y_agg(c, t, ("count", "sum", "mean", "max"))
    q = t.text.format(Y=c.y_text(agg, m), D=c.ref(d), N=c.n, F=c.ref(f), M=_m_text(c, t, m))
    flt = {"column": f.name, "op": t.get("op"), "value": None}
    return q, _lab("bar", d.name, explicit=bool(t.get("explicit")), y=m.name if m else None, agg=agg, filters=[flt]), []


def g_top_k(c: Ctx, t: Tpl) -> Draft:
    d = c.dim(min_values=4)
    n_values = len(c.facts.values[d.name])
    k = c.rng.randint(2, min(5, n_values - 1))
    agg, m = _y_agg(c, t, ("count", "sum", "mean"), p_count=0.25)
    # {D} (the column itself rather than its plural words) only in fresh6, fresh8, fresh9, fresh10 and fresh11
    # templates: no draw for older ones
    d_text = c.ref(d) if "{D}" in t.text else ""
    q = t.text.format(K=k, DP=d.words_plural, D=d_text, Y=c.y_text(agg, m), N=c.n, M=_m_text(c, t, m))
    label = _lab(
        "bar",
        d.name,
        explicit=bool(t.get("explicit")),
        y=m.name if m else None,
        agg=agg,
        sort=_sort("y", t.get("order")),
        top_k=k,
    )
    return q, label, []


def g_synonym(c: Ctx, t: Tpl) -> Draft:
    c.force_syn = True
    kind = t.get("kind")
    if kind in ("agg", "top_mean"):
        agg = t.get("agg", "mean")
        d = c.dim(prefer_syn=True)
        m = c.measure(additive=True if agg == "sum" else None, prefer_syn=True)
        q = t.text.format(M=c.ref(m), D=c.ref(d))
        sort = _sort("y", "descending") if kind == "top_mean" else None
        return q, _lab("bar", d.name, explicit=False, y=m.name, agg=agg, sort=sort), []
    if kind in ("count", "pie"):
        d = c.dim(prefer_syn=True)
        q = t.text.format(N=c.n, D=c.ref(d))
        return q, _lab("pie" if kind == "pie" else "bar", d.name, explicit=kind == "pie"), []
    if kind == "bar":
        d = c.dim(prefer_syn=True)
        agg, m = c.measure_agg(("count", "sum", "mean", "max"), p_count=0.2)
        q = t.text.format(Y=c.y_text(agg, m), D=c.ref(d))
        return q, _lab("bar", d.name, explicit=True, y=m.name if m else None, agg=agg), []
    if kind == "hist":
        m = c.measure(prefer_syn=True)
        return t.text.format(M=c.ref(m)), _lab("histogram", m.name, explicit=True, agg="count"), []
    if kind == "line":
        tcol = c.date_col()
        m = c.measure(prefer_syn=True)
        agg = c.agg_for(m, ("sum", "mean", "max"))
        q = t.text.format(Y=c.y_text(agg, m))
        return q, _lab("line", tcol.name, explicit=True, y=m.name, agg=agg, bin_="month"), []
    if kind == "scatter":
        mx, my = _two_measures(c)
        q = t.text.format(MX=c.ref(mx), MY=c.ref(my))
        return q, _lab("scatter", mx.name, explicit=True, y=my.name, agg="none"), []
    raise ValueError(kind)


def g_plain_analytical(c: Ctx, t: Tpl) -> Draft:
    kind = t.get("kind")
    desc = _sort("y", "descending")
    if kind == "top_sum":
        d, m = c.dim(), c.measure(additive=True)
        return (
            t.text.format(D=c.ref(d), M=c.ref(m)),
            _lab("bar", d.name, explicit=False, y=m.name, agg="sum", sort=desc),
            [],
        )
    if kind == "top_count":
        d = c.dim()
        return t.text.format(D=c.ref(d), N=c.n), _lab("bar", d.name, explicit=False, sort=desc), []
    if kind == "top_mean":
        d, m = c.dim(), c.measure()
        return (
            t.text.format(D=c.ref(d), M=c.ref(m)),
            _lab("bar", d.name, explicit=False, y=m.name, agg="mean", sort=desc),
            [],
        )
    if kind == "trend_month":
        tcol = c.date_col()
        m = c.measure()
        agg = "sum" if m.additive else "mean"
        mt = c.ref(m) if m.additive else f"the average {c.ref(m)}"
        return (t.text.format(MT=mt), _lab("line", tcol.name, explicit=False, y=m.name, agg=agg, bin_="month"), [])
    if kind == "trend_adj":
        tcol = c.date_col()
        bin_ = c.bin_pick(("year", "quarter", "month", "week"))
        agg, m = c.measure_agg(("count", "sum", "mean"))
        q = t.text.format(ADJ=c.pick(_BIN_ADJ[bin_]), Y=c.y_text(agg, m))
        return q, _lab("line", tcol.name, explicit=False, y=m.name if m else None, agg=agg, bin_=bin_), []
    if kind == "dist":
        m = c.measure()
        return t.text.format(M=c.ref(m)), _lab("histogram", m.name, explicit=False, agg="count"), []
    if kind == "rel":
        mx, my = _two_measures(c)
        return (
            t.text.format(MX=c.ref(mx), MY=c.ref(my)),
            _lab("scatter", mx.name, explicit=False, y=my.name, agg="none"),
            [],
        )
    if kind == "share":
        d = c.dim(min_values=2)
        if len(c.facts.values[d.name]) > 8:
            raise _Retry("too many slices")
        return t.text.format(N=c.n, D=c.ref(d)), _lab("pie", d.name, explicit=False), []
    if kind == "top_weekday":
        tcol = c.date_col()
        return t.text.format(N=c.n), _lab("bar", tcol.name, explicit=False, sort=desc, bin_="weekday"), []
    if kind == "pair":
        return _pair(c, t, desc)
    raise ValueError(kind)


def _pair(c: Ctx, t: Tpl, desc: dict[str, str]) -> Draft:
    """'Which has more Y, A or B?': the two named values of one dimension, ranked like the top_* kinds.

    Only fresh5 templates use kind="pair" (agg= says count, sum or mean). The label keeps the two values with
    an `in` filter on x itself, since the question is about those two and no other, and sorts y descending
    because it asks which one is larger, as "Which {D} has the highest ..." does.
    """
    agg = t.get("agg", "count")
    d = c.dim(min_values=3)
    frequent = [v for v, n in c.facts.counts[d.name].items() if n >= 3]
    if len(frequent) < 2:
        raise _Retry("too few frequent values")
    v1, v2 = c.rng.sample(frequent, 2)
    m = None if agg == "count" else c.measure(additive=True if agg == "sum" else None)
    q = t.text.format(D=c.ref(d), V1=v1, V2=v2, N=c.n, M=c.ref(m) if m else "")
    flt = {"column": d.name, "op": "in", "value": [v1, v2]}
    return q, _lab("bar", d.name, explicit=False, y=m.name if m else None, agg=agg, sort=desc, filters=[flt]), []


def _vocab(spec: TableSpec) -> list[str]:
    """Every word a question could use to name something in this table (lower-cased)."""
    out = [spec.noun, spec.plural]
    for col in spec.columns:
        out += [col.name.lower(), col.words, col.words_plural, *[s.lower() for s in col.synonyms]]
        out += [str(v).lower() for v in col.values]
    return out


def _covered(term: str, spec: TableSpec) -> bool:
    """Whether a 'missing' term is, in fact, something the table has a word for."""
    low = term.lower()
    for word in _vocab(spec):
        if not word:
            continue
        if re.search(rf"\b{re.escape(word)}\b", low) or re.search(rf"\b{re.escape(low)}\b", word):
            return True
    return False


def g_unanswerable(c: Ctx, t: Tpl) -> Draft:
    need = t.get("need")
    fields: dict[str, Any] = {"N": c.n}
    missing: list[str] = []
    if need in ("measure", "both"):
        if not c.spec.missing_measures:
            raise _NotApplicable("no missing measures listed")
        fields["MM"] = c.rng.choice(c.spec.missing_measures)
        missing.append(fields["MM"])
    if need in ("dim", "both"):
        if not c.spec.missing_dims:
            raise _NotApplicable("no missing dimensions listed")
        fields["MD"] = c.rng.choice(c.spec.missing_dims)
        missing.append(fields["MD"])
    if "{D}" in t.text:
        fields["D"] = c.ref(c.dim())
    if "{M}" in t.text:
        fields["M"] = c.ref(c.measure())
    if "{Y}" in t.text:
        agg, m = c.measure_agg(("count", "sum", "mean"))
        fields["Y"] = c.y_text(agg, m)
    return t.text.format(**fields), None, missing


GENERATORS: dict[str, Callable[[Ctx, Tpl], Draft]] = {
    "explicit_bar": g_explicit_bar,
    "explicit_pie": g_explicit_pie,
    "explicit_line": g_explicit_line,
    "explicit_area": g_explicit_area,
    "explicit_scatter": g_explicit_scatter,
    "explicit_histogram": g_explicit_histogram,
    "explicit_stacked": g_explicit_stacked,
    "explicit_grouped": g_explicit_grouped,
    "explicit_box": g_explicit_box,
    "count_by": g_count_by,
    "agg_by": g_agg_by,
    "count_distinct": g_count_distinct,
    "sorted": g_sorted,
    "time_bin": g_time_bin,
    "filter_value": g_filter_value,
    "filter_threshold": g_filter_threshold,
    "filter_relative": g_filter_relative,
    "top_k": g_top_k,
    "synonym": g_synonym,
    "plain_analytical": g_plain_analytical,
    "unanswerable": g_unanswerable,
}


def template_split(category: str) -> list[str]:
    """'tune' or 'heldout' for each template of a category; about 30% held out, fixed by a seed."""
    n = len(TEMPLATES[category])
    k = max(1, round(HELDOUT_SHARE * n))
    held = set(random.Random(f"heldout/{category}").sample(range(n), k))
    return ["heldout" if i in held else "tune" for i in range(n)]


# ---------------------------------------------------------------------------------------------------------------
# Checking a draft against the data.


def _count_where(con: duckdb.DuckDBPyConnection, table: str, filters: Sequence[dict[str, Any]]) -> int:
    src = source_sql(table)
    types = {str(r[0]): str(r[1]).upper() for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    where, params = where_sql(filters, src, types)
    sql = f"SELECT count(*) FROM {src}" + (f" WHERE {where}" if where else "")
    return int(con.execute(sql, params).fetchone()[0])  # type: ignore[index]


def _distinct(values: Sequence[Any]) -> bool:
    keys = [round(float(v), 9) if isinstance(v, (int, float)) else v for v in values]
    return len(set(keys)) == len(keys)


def _acceptable(con: duckdb.DuckDBPyConnection, spec: TableSpec, facts: Facts, label: Label) -> bool:
    """A label is kept only when its chart is non-trivial and its order (if any) is unambiguous."""
    if label["filters"]:
        kept = _count_where(con, spec.stem, label["filters"])
        if kept < max(3, facts.rows // 25) or kept >= facts.rows:
            return False
    rows = expected_rows(con, spec.stem, label)
    mark, agg = label["mark"], label["aggregation"]
    if mark in ("histogram", "box", "scatter") or agg == "none":
        return len(rows) >= 8
    if len(rows) < 2:
        return False
    if label["color"] and len({r[1] for r in rows}) < 2:
        return False
    if agg == "count_distinct" and max(r[-1] for r in rows) < 2:
        return False
    if label["top_k"]:
        return len(rows) == label["top_k"] and _distinct(
            [r[-1] for r in expected_rows(con, spec.stem, {**label, "top_k": label["top_k"] + 1})]
        )
    sort = label["sort"]
    return not (sort and sort["channel"] == "y" and not _distinct([r[-1] for r in rows]))


# ---------------------------------------------------------------------------------------------------------------
# Building the corpus.


def _quota(spec: TableSpec, category: str, index: int) -> int:
    """How many cases of a category a table gets; tables without dates get more of the others."""
    if category in ("synonym", "plain_analytical"):
        return 2
    if category == "unanswerable":
        return 1 if index % 8 == 0 else 2
    if spec.date is None and category in ("sorted", "filter_value", "top_k"):
        return 2
    return 1


def _register(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
    """Load each CSV once into the in-memory database (re-reading the file per query is slow)."""
    for stem, path in paths.items():
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f'CREATE OR REPLACE TABLE "{stem}" AS SELECT * FROM read_csv_auto({literal})')


def build_cases(tables_dir: Path) -> list[Case]:
    """Write the tables under tables_dir (deterministic) and build every labelled case for them."""
    paths = write_tables(Path(tables_dir))
    con = duckdb.connect()
    try:
        _register(con, paths)
        cases: list[Case] = []
        seen: set[str] = set()
        all_facts: dict[str, Facts] = {}
        for ti, spec in enumerate(TABLES):
            if spec.split in _TABLE_ROUNDS:  # a table added for a later round: no older split asks about it
                continue
            facts = _facts(con, spec)
            for ci, category in enumerate(CATEGORIES):
                templates = TEMPLATES[category]
                splits = template_split(category)
                for k in range(_quota(spec, category, ti)):
                    start = (ti + 2 * ci + 3 * k) % len(templates)
                    case = _one_case(con, spec, facts, paths[spec.stem], category, k, templates, splits, start, seen)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                fresh = FRESH_TEMPLATES.get(category, [])
                if fresh and (ti + ci) % FRESH_EVERY == 0:
                    case = _one_case(con, spec, facts, paths[spec.stem], category, FRESH_K, fresh,
                                     ["fresh"] * len(fresh), ti % len(fresh), seen)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
            all_facts[spec.stem] = facts
        # fresh2: a separate pass after every older case, so their ids, seeds and dedup are untouched. Each
        # case tries its category's least-used templates first, so templates that only fit some tables (a
        # date, a boolean column) still get their turn.
        uses: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            for ci, category in enumerate(CATEGORIES):
                fresh2 = FRESH2_TEMPLATES.get(category, [])
                if not fresh2 or spec.split in _TABLE_ROUNDS or (ti + ci) % FRESH2_EVERY != 1:
                    continue
                n = len(fresh2)
                for j in range(FRESH2_QUOTA.get(category, 1)):
                    start = (ti // FRESH2_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH2_K + j,
                                     fresh2, ["fresh2"] * n, start, seen, order=order)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh3: the same way, in its own pass after fresh2, on the pairs neither fresh nor fresh2 took, with
        # its own ids, seeds (k = FRESH3_K + j) and template-use counts, so every older case stays as it was.
        uses3: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            for ci, category in enumerate(CATEGORIES):
                fresh3 = FRESH3_TEMPLATES.get(category, [])
                if not fresh3 or spec.split in _TABLE_ROUNDS or (ti + ci) % FRESH3_EVERY != 2:
                    continue
                n = len(fresh3)
                for j in range(FRESH3_QUOTA.get(category, 1)):
                    start = (ti // FRESH3_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses3[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH3_K + j,
                                     fresh3, ["fresh3"] * n, start, seen, order=order)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses3[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh4: its own pass after fresh3, with its own ids, seeds (k = FRESH4_K + j) and template-use counts.
        # The tables added for fresh4 come last in TABLES and were skipped above, so their facts are read here.
        uses4: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            # added after fresh4 was written: fresh4 never asks about them
            if spec.split in ("fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11"):
                continue
            new_table = spec.split == "fresh4"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            for ci, category in enumerate(CATEGORIES):
                fresh4 = FRESH4_TEMPLATES.get(category, [])
                if not fresh4 or not (new_table or (ti + 2 * ci) % FRESH4_EVERY == 0):
                    continue
                n = len(fresh4)
                for j in range(FRESH4_QUOTA.get(category, 1)):
                    start = (ti // FRESH4_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses4[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH4_K + j,
                                     fresh4, ["fresh4"] * n, start, seen, order=order)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses4[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh5: its own pass after fresh4, with its own ids, seeds (k = FRESH5_K + j) and template-use counts.
        # It asks about the fresh4 tables too (on its diagonal), and about every pair of the tables added for
        # it, which come last in TABLES and were skipped above, so their facts are read here.
        uses5: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split in ("fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11"):  # added after fresh5
                continue
            new_table = spec.split == "fresh5"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH5_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh5 = FRESH5_TEMPLATES.get(category, [])
                if not fresh5 or not (new_table or (ti + 2 * ci) % FRESH5_EVERY == 1):
                    continue
                n = len(fresh5)
                for j in range(FRESH5_QUOTA.get(category, 1)):
                    start = (ti // FRESH5_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses5[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH5_K + j,
                                     fresh5, ["fresh5"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses5[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh6: its own pass after fresh5, with its own ids, seeds (k = FRESH6_K + j) and template-use counts.
        # On the older tables (fresh4's and fresh5's included) it takes the diagonal neither fresh4 nor fresh5
        # took; on the tables added for it, which come last in TABLES and were skipped above, every pair.
        uses6: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split in ("fresh7", "fresh8", "fresh9", "fresh10", "fresh11"):  # added after fresh6 was written
                continue
            new_table = spec.split == "fresh6"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH6_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh6 = FRESH6_TEMPLATES.get(category, [])
                if not fresh6 or not (new_table or (ti + 2 * ci) % FRESH6_EVERY == 2):
                    continue
                n = len(fresh6)
                for j in range(FRESH6_QUOTA.get(category, 1)):
                    start = (ti // FRESH6_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses6[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH6_K + j,
                                     fresh6, ["fresh6"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses6[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh7: its own pass after fresh6, with its own ids, seeds (k = FRESH7_K + j) and template-use counts.
        # On the older tables (fresh4's to fresh6's included) it takes its mod-4 line, which cuts across every
        # earlier diagonal; on the tables added for it, which come last in TABLES and were skipped above, every
        # pair.
        uses7: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split in ("fresh8", "fresh9", "fresh10", "fresh11"):  # added after fresh7: fresh7 never asks
                continue
            new_table = spec.split == "fresh7"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH7_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh7 = FRESH7_TEMPLATES.get(category, [])
                if not fresh7 or not (new_table or (ti + 3 * ci) % FRESH7_EVERY == 1):
                    continue
                n = len(fresh7)
                for j in range(FRESH7_QUOTA.get(category, 1)):
                    start = (ti // FRESH7_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses7[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH7_K + j,
                                     fresh7, ["fresh7"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses7[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh8: its own pass after fresh7, with its own ids, seeds (k = FRESH8_K + j) and template-use counts.
        # On the older tables (fresh4's to fresh7's included) it takes its mod-5 line, which cuts across every
        # earlier line; on the tables added for it, which come last in TABLES and were skipped above, every pair.
        uses8: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split in ("fresh9", "fresh10", "fresh11"):  # added after fresh8 was written: fresh8 never asks
                continue
            new_table = spec.split == "fresh8"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH8_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh8 = FRESH8_TEMPLATES.get(category, [])
                if not fresh8 or not (new_table or (2 * ti + ci) % FRESH8_EVERY == 3):
                    continue
                n = len(fresh8)
                for j in range(FRESH8_QUOTA.get(category, 1)):
                    start = (ti // FRESH8_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses8[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH8_K + j,
                                     fresh8, ["fresh8"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses8[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh9: its own pass after fresh8, with its own ids, seeds (k = FRESH9_K + j) and template-use counts.
        # On the older tables (fresh4's to fresh8's included) it takes its mod-7 line, which cuts across every
        # earlier line; on the tables added for it, which come last in TABLES and were skipped above, every pair.
        uses9: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split in ("fresh10", "fresh11"):  # added after fresh9 was written: fresh9 never asks about it
                continue
            new_table = spec.split == "fresh9"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH9_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh9 = FRESH9_TEMPLATES.get(category, [])
                if not fresh9 or not (new_table or (3 * ti + ci) % FRESH9_EVERY == 2):
                    continue
                n = len(fresh9)
                for j in range(FRESH9_QUOTA.get(category, 1)):
                    start = (ti // FRESH9_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses9[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH9_K + j,
                                     fresh9, ["fresh9"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses9[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh10: its own pass after fresh9, with its own ids, seeds (k = FRESH10_K + j) and template-use counts.
        # On the older tables (fresh4's to fresh9's included) it takes its mod-11 line, which cuts across every
        # earlier line; on the tables added for it, which come last in TABLES and were skipped above, every pair.
        uses10: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            if spec.split == "fresh11":  # added for fresh11, after fresh10 was written: fresh10 never asks about it
                continue
            new_table = spec.split == "fresh10"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH10_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh10 = FRESH10_TEMPLATES.get(category, [])
                if not fresh10 or not (new_table or (5 * ti + ci) % FRESH10_EVERY == FRESH10_LINE):
                    continue
                n = len(fresh10)
                for j in range(FRESH10_QUOTA.get(category, 1)):
                    start = (ti // FRESH10_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses10[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH10_K + j,
                                     fresh10, ["fresh10"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses10[category][int(case.style.rsplit(".", 1)[1])] += 1
        # fresh11: its own pass after fresh10, with its own ids, seeds (k = FRESH11_K + j) and template-use counts.
        # On the older tables (fresh4's to fresh10's included) it takes its mod-13 line, which cuts across every
        # earlier line; on the tables added for it, which come last in TABLES and were skipped above, every pair.
        uses11: dict[str, Counter[int]] = {category: Counter() for category in CATEGORIES}
        for ti, spec in enumerate(TABLES):
            new_table = spec.split == "fresh11"
            if new_table:
                all_facts[spec.stem] = _facts(con, spec)
            syn_rate = FRESH11_SYN_RATE if new_table else 0.0
            for ci, category in enumerate(CATEGORIES):
                fresh11 = FRESH11_TEMPLATES.get(category, [])
                if not fresh11 or not (new_table or (7 * ti + ci) % FRESH11_EVERY == FRESH11_LINE):
                    continue
                n = len(fresh11)
                for j in range(FRESH11_QUOTA.get(category, 1)):
                    start = (ti // FRESH11_EVERY + j * n // 2) % n
                    order = sorted(range(n), key=lambda i, c=category, s=start: (uses11[c][i], (i - s) % n))
                    case = _one_case(con, spec, all_facts[spec.stem], paths[spec.stem], category, FRESH11_K + j,
                                     fresh11, ["fresh11"] * n, start, seen, order=order, syn_rate=syn_rate)
                    if case is not None:
                        cases.append(case)
                        seen.add(case.question.lower())
                        uses11[category][int(case.style.rsplit(".", 1)[1])] += 1
        return cases
    finally:
        con.close()


def _one_case(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    facts: Facts,
    path: Path,
    category: str,
    k: int,
    templates: list[Tpl],
    splits: list[str],
    start: int,
    seen: set[str],
    order: Sequence[int] | None = None,
    syn_rate: float = 0.0,
) -> Case | None:
    """The first template (from `start` on, or in `order`) that yields an acceptable, unseen question.

    `syn_rate` > 0 lets questions name columns by synonyms (see FRESH5_SYN_RATE); the default draws nothing
    extra, so older cases are unchanged. A template with raw=True names columns by their headers, and one with
    verbatim=True keeps its text's case as typed (raw: fresh6, fresh8, fresh9, fresh10 and fresh11; verbatim:
    fresh6 to fresh11).
    """
    gen = GENERATORS[category]
    if order is None:
        order = [(start + offset) % len(templates) for offset in range(len(templates))]
    for ti in order:
        tpl = templates[ti]
        for attempt in range(12):
            rng = random.Random(f"{spec.stem}/{category}/{k}/{ti}/{attempt}")
            ctx = Ctx(spec, facts, rng, syn_rate=syn_rate, raw=bool(tpl.get("raw")))
            try:
                text, label, missing = gen(ctx, tpl)
            except _NotApplicable:
                break
            except _Retry:
                continue
            question = _finish(text, verbatim=bool(tpl.get("verbatim")))
            if question.lower() in seen:
                continue
            if category == "synonym" and not ctx.syn_used:
                continue
            if label is not None and not _acceptable(con, spec, facts, label):
                continue
            if label is None and any(_covered(term, spec) for term in missing):
                continue  # the table has a word for it after all (no older case ever drew one, so none moved)
            style = f"{category}.{ti:02d}"
            split = splits[ti] if splits[ti] in _FRESH_SPLITS else (
                "heldout" if spec.split == "heldout" or splits[ti] == "heldout" else "tune")
            return Case(
                id=f"{spec.stem}.{category}.{k}",
                table=spec.stem,
                path=str(path),
                question=question,
                category=category,
                style=style,
                split=split,
                answerable=label is not None,
                missing=missing,
                label=label,
            )
    return None


# ---------------------------------------------------------------------------------------------------------------
# Validation and the command line.


def validate_cases(cases: Sequence[Case]) -> list[str]:
    """Problems found in the cases (empty when all is well): columns, filter values, non-empty answers."""
    problems: list[str] = []
    by_stem = {t.stem: t for t in TABLES}
    con = duckdb.connect()
    try:
        _register(con, {c.table: Path(c.path) for c in cases})
        facts = {stem: _facts(con, by_stem[stem]) for stem in {c.table for c in cases}}
        ids = Counter(c.id for c in cases)
        problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
        for case in cases:
            spec, f = by_stem[case.table], facts[case.table]
            names = {col.name for col in spec.columns}
            if not case.answerable:
                if case.label is not None or not case.missing:
                    problems.append(f"{case.id}: unanswerable needs label None and missing terms")
                problems += [f"{case.id}: missing term {t!r} is covered" for t in case.missing if _covered(t, spec)]
                continue
            label = case.label or {}
            keys = ["mark", "explicit", "x", "y", "aggregation", "color", "sort", "bin", "filters", "top_k"]
            if list(label) != keys:
                problems.append(f"{case.id}: label keys {list(label)}")
                continue
            for key in ("x", "y", "color"):
                if label[key] is not None and label[key] not in names:
                    problems.append(f"{case.id}: {key} column {label[key]!r} not in table")
            if label["bin"] is not None and spec.column(label["x"]).kind != "date":
                problems.append(f"{case.id}: bin on a non-date x")
            for flt in label["filters"]:
                problems += _filter_problems(case.id, spec, f, flt)
            try:
                rows = expected_rows(con, case.table, label)
            except duckdb.Error as exc:
                problems.append(f"{case.id}: expected_rows failed: {exc}")
                continue
            if not rows:
                problems.append(f"{case.id}: expected_rows is empty")
    finally:
        con.close()
    return problems


def _filter_problems(case_id: str, spec: TableSpec, facts: Facts, flt: dict[str, Any]) -> list[str]:
    col_name, op, value = flt["column"], flt["op"], flt["value"]
    try:
        col = spec.column(col_name)
    except KeyError:
        return [f"{case_id}: filter column {col_name!r} not in table"]
    if col.kind in ("category", "flag"):
        present = set(facts.values[col_name])
        if op in ("==", "!=") and value not in present:
            return [f"{case_id}: filter value {value!r} not in {col_name}"]
        if op in ("in", "not_in") and not set(value) <= present:
            return [f"{case_id}: filter values {value!r} not all in {col_name}"]
        if op == "contains" and not any(str(value).lower() in str(v).lower() for v in present):
            return [f"{case_id}: no {col_name} value contains {value!r}"]
    elif col.kind == "measure" and op not in ("above_mean", "below_mean"):
        lo, hi = facts.low[col_name], facts.high[col_name]
        for v in value if op == "between" else [value]:
            if not lo <= float(v) <= hi:
                return [f"{case_id}: threshold {v} outside [{lo}, {hi}] of {col_name}"]
    elif col.kind == "date":
        for v in value if op == "between" else [value]:
            date.fromisoformat(v)
    return []


def _print_stats(cases: Sequence[Case], examples: int, seed: int) -> None:
    print(
        f"cases: {len(cases)}  answerable: {sum(c.answerable for c in cases)}  tables: {len({c.table for c in cases})}"
    )
    by_split = Counter(c.split for c in cases)
    print("by split: " + ", ".join(f"{k}={v}" for k, v in sorted(by_split.items())))
    splits = ("tune", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
              "fresh9", "fresh10", "fresh11")
    print(f"{'category':<20} {'total':>5} " + " ".join(f"{s:>7}" for s in splits))
    for category in CATEGORIES:
        sub = Counter(c.split for c in cases if c.category == category)
        print(f"{category:<20} {sum(sub.values()):>5} " + " ".join(f"{sub[s]:>7}" for s in splits))
    per_table = Counter(c.table for c in cases)
    print(f"per table: min {min(per_table.values())}, max {max(per_table.values())}")
    print()
    shown = [c for c in cases if c.split != "fresh11"]  # fresh11 questions are never shown while tuning
    for case in random.Random(seed).sample(shown, min(examples, len(shown))):
        print(f"[{case.id}] ({case.style}, {case.split}) {case.question}")
        if case.label is None:
            print(f"    unanswerable, missing={case.missing}")
        else:
            print(f"    {json.dumps(case.label, default=str)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the corpus into a folder (or a temp one), print stats, optionally check and dump."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stats", action="store_true", help="print counts and examples (default)")
    parser.add_argument("--check", action="store_true", help="validate every case against the data")
    parser.add_argument("--out", type=Path, help="folder for the CSV tables (default: a temp folder)")
    parser.add_argument("--jsonl", type=Path, help="write the cases here, one JSON object a line")
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0, help="seed for picking the examples shown")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="autoviz-corpus-") as tmp:
        out = args.out or Path(tmp)
        cases = build_cases(out)
        _print_stats(cases, args.examples, args.seed)
        if args.jsonl:
            with args.jsonl.open("w", encoding="utf-8") as fh:
                for case in cases:
                    fh.write(json.dumps(case.to_dict(), default=str) + "\n")
        if args.check:
            problems = validate_cases(cases)
            print(f"\ncheck: {len(problems)} problem(s)")
            for p in problems[:50]:
                print("  " + p)
            if problems:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
