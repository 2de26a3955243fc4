"""Which of the five analysis intents a question has, decided from the question's words and the data.

Why a scored lexicon over *the question only*: the predecessor matched keywords against its whole prompt
(which always mentioned dates), so every question became a time series. Here each intent has weighted
stems and phrases; only the question's tokens are scored, tokens that name a column are ignored (a column
called `growth_rate` is not a trend request), and the profile breaks ties and vetoes the impossible
(no temporal column, no time series). Every decision carries the words that fired, for the run folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from sgr.autoviz.columns import GENERIC, STOPWORDS, ColumnMapping, Token, ValueIndex, map_terms, stem, tokenize
from sgr.autoviz.models import INTENTS, Intent
from sgr.core.contracts import bounded_str, enum_of, make_contract
from sgr.core.step import SGRStep

if TYPE_CHECKING:
    from sgr.autoviz.profile import DataProfile

TIME: Intent = "time_series_investigation"
ANOMALY: Intent = "anomaly_detection"
COMPARE: Intent = "comparative_analysis"
DRIVERS: Intent = "segmentation_drivers"
EDA: Intent = "general_eda"

#: single words per intent with weights; compared by stem, so plurals and inflections need no entry
_WORDS: dict[Intent, dict[str, float]] = {
    TIME: {"trend": 3, "trending": 3, "evolution": 3, "evolve": 3, "growth": 2.5, "grow": 2.5,
           "seasonality": 3, "seasonal": 3, "season": 2, "monthly": 2.5, "weekly": 2.5, "daily": 2.5,
           "yearly": 2.5, "quarterly": 2.5, "hourly": 2.5, "annually": 2, "timeline": 3, "history": 2,
           "historical": 2, "historically": 2, "forecast": 2, "over": 0, "trajectory": 3, "momentum": 2,
           "cyclical": 2, "cycle": 2, "yoy": 3, "mom": 2, "wow": 2, "increase": 1, "decrease": 1,
           "decline": 1.5, "rise": 1.5, "progress": 1.5, "progression": 2, "lately": 1.5, "recently": 1,
           "development": 1.5, "climb": 1.5, "direction": 1.5, "risen": 1.5, "fallen": 1.5,
           "ytd": 2, "temporal": 2, "chronological": 2, "changed": 1.5, "change": 1, "peak": 2,
           "peaked": 2, "trough": 2},
    ANOMALY: {"outlier": 3, "anomaly": 3, "anomalous": 3, "unusual": 3, "spike": 3, "weird": 3,
              "abnormal": 3, "drop": 2, "dip": 2, "plunge": 2.5, "surge": 2, "odd": 2, "strange": 2.5,
              "suspicious": 2.5, "irregular": 2.5, "irregularity": 2.5, "deviation": 2, "deviate": 2,
              "unexpected": 2.5, "glitch": 2.5, "sudden": 2, "suddenly": 2, "fraud": 2.5, "extreme": 2,
              "jump": 2, "peculiar": 2.5, "atypical": 3, "aberration": 3, "aberrant": 3, "crash": 2,
              "oddity": 3, "rare": 1.5, "exceptional": 1.5, "unexplained": 2, "inconsistency": 2,
              "inconsistent": 2, "erratic": 2.5, "blip": 2.5},
    COMPARE: {"versus": 3, "vs": 3, "compare": 3, "comparison": 3, "comparing": 3, "comparative": 3,
              "across": 2, "between": 2, "difference": 2, "differ": 2, "different": 1, "contrast": 2.5,
              "against": 1.5, "relative": 1, "rank": 1.5, "ranking": 1.5, "best": 1.5, "worst": 1.5,
              "highest": 1.5, "lowest": 1.5, "top": 1.5, "bottom": 1.5, "outperform": 2.5, "underperform": 2.5,
              "benchmark": 2, "gap": 1.5, "breakdown": 1.5, "each": 0.5, "leader": 1, "lead": 1,
              "biggest": 1.5, "largest": 1.5, "smallest": 1.5, "beat": 1.5,
              "better": 1.5, "worse": 1.5, "more": 0.5, "most": 0.5},
    DRIVERS: {"driver": 3, "drive": 3, "segment": 3, "segmentation": 3, "factor": 3, "explain": 2.5,
              "influence": 3, "impact": 3, "affect": 3, "relationship": 3, "relate": 2, "related": 2,
              "depend": 2, "dependency": 2, "cause": 2, "predict": 2, "predictor": 2.5, "why": 2,
              "determine": 2, "determinant": 3, "contribute": 2, "contributor": 2.5, "cluster": 3,
              "associated": 2.5, "association": 2.5, "effect": 2, "linked": 2, "link": 1.5,
              "characteristic": 1.5, "persona": 2.5, "cohort": 2, "explanatory": 2.5, "interplay": 2.5,
              "connection": 2, "connected": 2, "lever": 2, "matter": 2, "attribute": 1.5, "key": 0.5},
    EDA: {"overview": 3, "summarize": 3, "summarise": 3, "summary": 3, "explore": 3, "exploration": 3,
          "exploratory": 3, "describe": 3, "description": 3, "eda": 3, "profile": 2, "understand": 1,
          "insight": 2, "general": 2, "interesting": 1.5, "glance": 2, "walkthrough": 2, "contain": 1.5,
          "content": 1.5, "everything": 1.5, "basic": 1.5, "gist": 2.5, "rundown": 2.5, "recap": 2.5,
          "snapshot": 2, "survey": 2, "introduction": 2, "familiar": 2, "sense": 1, "statistic": 1,
          "stat": 1},
}

#: word sequences (stemmed on the fly) that mean more together than apart
_PHRASES: dict[Intent, dict[str, float]] = {
    TIME: {"over time": 3, "over the years": 3, "over the months": 3, "through time": 3, "time series": 3,
           "month over month": 3, "year over year": 3, "week over week": 3, "day by day": 2,
           "per month": 2, "per week": 2, "per day": 2, "per year": 2, "per quarter": 2,
           "by month": 2, "by week": 2, "by day": 2, "by year": 2, "by quarter": 2, "by hour": 2,
           "each month": 2, "each week": 2, "each year": 2, "every month": 2, "every week": 2,
           "how has": 1.5, "changed over": 2, "going up": 2, "going down": 2, "go up": 2, "go down": 2,
           "up or down": 2.5, "long term": 2, "last year": 1, "this year": 1, "in recent": 1.5,
           "when did": 2.5, "when was": 2, "at what point": 2.5, "which month": 1.5, "which year": 1.5},
    ANOMALY: {"stand out": 2.5, "stands out": 2.5, "out of the ordinary": 3, "does not fit": 2,
              "doesn't fit": 2, "went wrong": 2, "look off": 2.5, "looks off": 2.5,
              "seem off": 2.5, "seems off": 2.5, "off the charts": 2.5, "data quality": 2},
    COMPARE: {"side by side": 2.5, "stack up": 2.5, "stacks up": 2.5, "how do": 0.5, "which one": 1,
              "the most": 1, "the least": 1, "head to head": 2.5, "more than": 1, "less than": 1},
    DRIVERS: {"what drives": 3, "what affects": 3, "which factors": 3, "root cause": 3, "depends on": 2.5,
              "related to": 2.5, "due to": 2, "the reason": 2, "what makes": 2, "what explains": 3,
              "key variables": 2.5, "customer segments": 2, "what kind of": 1.5,
              "what type of": 1.5, "what sort of": 1.5},
    EDA: {"tell me about": 3, "what is in": 2, "what's in": 2, "look at": 1, "big picture": 3,
          "quick look": 2.5, "walk me through": 2.5, "key stats": 2.5, "give me a sense": 2,
          "what does the data": 2, "anything interesting": 2, "what can you": 1.5, "first look": 2.5,
          "high level": 2.5, "high-level": 2.5, "what stands": 0.5},
}
#: patterns on the lowered question; counted once each
_PATTERNS: dict[Intent, list[tuple[re.Pattern[str], float, str]]] = {
    TIME: [(re.compile(r"\b(since|from|after|before|until)\s+(19|20)\d\d\b"), 2.0, "since/from YEAR"),
           # "by region, not over time": the time words are negated
           (re.compile(r"\b(not|without|ignoring|regardless of)\s+(over\s+|across\s+)?time\b"), -6.0,
            "NOT over time"),
           (re.compile(r"\b(19|20)\d\d\s*(-|to|through|until)\s*(19|20)\d\d\b"), 2.5, "YEAR to YEAR"),
           (re.compile(r"\b(during|throughout)\s+(19|20)\d\d\b"), 1.0, "during YEAR"),
           (re.compile(r"\b(since|from|after|until)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"),
            2.0, "since MONTH")],
    DRIVERS: [(re.compile(r"\bcorrelat\w*\b"), 3.0, "correlat*"),
              (re.compile(r"\bwhat\b.{0,30}\b(drive|affect|influence|impact|explain)\w*\b"), 1.0,
               "what ... drives")],
    COMPARE: [(re.compile(r"\btop\s+\d+\b"), 1.0, "top N")],
}

#: tie order when the data has a time column, and when it does not
_PREF_TEMPORAL: Sequence[Intent] = (TIME, ANOMALY, DRIVERS, COMPARE, EDA)
_PREF_PLAIN: Sequence[Intent] = (ANOMALY, DRIVERS, COMPARE, EDA, TIME)


class IntentDecision(BaseModel):
    """The intent, how sure we are, and which words or facts led there."""

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)


@dataclass
class IntentContext:
    """What the intent decision may look at: the question and the profile, nothing else."""

    question: str
    profile: DataProfile
    #: optional full value lists of categorical columns (`columns.categorical_values(table, profile)`)
    values: ValueIndex | None = None
    #: the run's column mapping (`QuestionAnalysis.mapping`), so every stage reads the question alike
    mapping: ColumnMapping | None = None


def _stemmed_words() -> dict[Intent, dict[str, float]]:
    return {i: {stem(w): wt for w, wt in words.items()} for i, words in _WORDS.items()}


_STEMMED = _stemmed_words()
_STEMMED_PHRASES = {i: {tuple(t.stem for t in tokenize(p)): (wt, p) for p, wt in ph.items()}
                    for i, ph in _PHRASES.items()}


def _roles(profile: DataProfile, role: str) -> list[str]:
    return [c.name for c in profile.columns if c.role == role]


def _by_targets(tokens: list[Token], column_roles: dict[int, str]) -> list[str]:
    """Roles of the columns named right after 'by'/'per'/'across'/'each'."""
    return [column_roles[i + 1] for i, t in enumerate(tokens[:-1])
            if t.lower in ("by", "per", "across", "each") and (i + 1) in column_roles]


@dataclass
class _Evidence:
    """Scores per intent, the words that fired for each, and which tokens named columns (by role)."""

    scores: dict[str, float]
    fired: dict[str, list[str]]
    column_roles: dict[int, str]

    def add(self, intent: Intent, weight: float, why: str) -> None:
        if weight > 0:
            self.scores[intent] += weight
            self.fired[intent].append(why)
        elif weight < 0:  # a negation ("not over time") takes back what its words gave, never below zero
            self.scores[intent] = max(0.0, self.scores[intent] + weight)
            self.fired[intent] = []


def _gather(question: str, profile: DataProfile, values: ValueIndex | None,
            mapping: ColumnMapping | None = None) -> _Evidence:
    """Score the question's own words; tokens that name a column or value are not intent words."""
    tokens = tokenize(question)
    mapping = mapping or map_terms(question, profile, values=values)
    roles = {c.name: c.role for c in profile.columns}
    column_roles = {k: roles.get(m.column, "") for m in mapping.matches for k in range(m.start, m.end)}
    column_roles.update({k: "value" for v in mapping.values for k in range(v.start, v.end)})
    ev = _Evidence(scores=dict.fromkeys(INTENTS, 0.0), fired={i: [] for i in INTENTS}, column_roles=column_roles)

    stems = [t.stem if k not in column_roles else "" for k, t in enumerate(tokens)]
    for intent, words in _STEMMED.items():
        for k, s in enumerate(stems):
            if s and s in words:
                ev.add(intent, words[s], repr(tokens[k].lower))
    for intent, phrases in _STEMMED_PHRASES.items():
        for parts, (weight, label) in phrases.items():
            if any(tuple(stems[k:k + len(parts)]) == parts for k in range(len(stems) - len(parts) + 1)):
                ev.add(intent, weight, repr(label))
    lowered = question.lower()
    for intent, patterns in _PATTERNS.items():
        for pattern, weight, label in patterns:
            if pattern.search(lowered):
                ev.add(intent, weight, label)
    _grouping_evidence(tokens, ev)
    if len(mapping.values) >= 2 and len({v.column for v in mapping.values}) < len(mapping.values):
        ev.add(COMPARE, 2.0, "two values of one column named")
    return ev


def _grouping_evidence(tokens: list[Token], ev: _Evidence) -> None:
    """'by <column>' says what kind of view is wanted: groups compare, dates trend, numbers relate."""
    for role in _by_targets(tokens, ev.column_roles):
        if role in ("categorical", "boolean", "identifier", "value"):
            ev.add(COMPARE, 1.5, "'by <category column>'")
        elif role == "temporal":
            ev.add(TIME, 2.0, "'by <date column>'")
        elif role == "measure":
            ev.add(DRIVERS, 1.0, "'by <numeric column>'")
    for k, t in enumerate(tokens[:-1]):
        nxt = tokens[k + 1]
        if (t.lower in ("by", "per", "across") and (k + 1) not in ev.column_roles
                and nxt.lower not in STOPWORDS and nxt.lower not in GENERIC and not nxt.lower.isdigit()):
            ev.add(COMPARE, 1.0, f"'{t.lower} {nxt.lower}'")


def _profile_rules(ev: _Evidence, profile: DataProfile) -> list[str]:
    """Veto what the data cannot show, moving part of the score to what it can; returns the reasons."""
    reasons: list[str] = []
    if ev.scores[TIME] > 0 and not _roles(profile, "temporal"):
        grouped = ev.scores[COMPARE] > 0 or any(r in ("categorical", "boolean") for r in ev.column_roles.values())
        target = COMPARE if grouped else EDA
        ev.scores[target] += ev.scores[TIME] * 0.5
        reasons.append(f"the question asks about change over time ({', '.join(ev.fired[TIME])}) but the table "
                       f"has no date/time column, so it is treated as {target}")
        ev.scores[TIME] = 0.0
    if ev.scores[ANOMALY] > 0 and not _roles(profile, "temporal") and not _roles(profile, "measure"):
        reasons.append("anomaly words fired but the table has no numeric or time column to search")
        ev.scores[EDA] += ev.scores[ANOMALY] * 0.5
        ev.scores[ANOMALY] = 0.0
    return reasons


def classify_intent(question: str, profile: DataProfile, *, values: ValueIndex | None = None,
                    mapping: ColumnMapping | None = None) -> IntentDecision:
    """The deterministic intent: weighted stems, phrases and patterns of the question, then profile rules.

    Parameters
    ----------
    question:
        The person's question (only its words are scored, never a prompt).
    profile:
        The data profile; a time-series intent needs a temporal column, and ties prefer what the data
        can show.
    values:
        Optional full value lists of categorical columns, so "Malta vs Spain" is seen as two values.
    mapping:
        The run's column mapping (from the question analysis), so intent and requirements agree on which
        words name columns; computed here when not given.

    Returns
    -------
    IntentDecision with per-intent scores and the reasons (words that fired, profile rules applied).
    """
    ev = _gather(question, profile, values, mapping)
    reasons = _profile_rules(ev, profile)
    scores = ev.scores
    temporal = bool(_roles(profile, "temporal"))
    order = _PREF_TEMPORAL if temporal else _PREF_PLAIN
    best: Intent = max(order, key=lambda i: (scores[i], -order.index(i)))
    top, second = sorted(scores.values(), reverse=True)[:2]
    if top <= 0:
        best, confidence = EDA, 0.3
        reasons.append("no intent words in the question: general exploration")
    else:
        # sure when one intent clearly leads AND its evidence is strong (one decisive word weighs 3)
        margin, strength = (top - second) / top, min(1.0, top / 3.0)
        confidence = round(0.3 + 0.65 * margin * strength, 3)
        reasons.insert(0, f"{best} words: {', '.join(ev.fired[best])}")
        if second == top:
            reasons.append(f"tie at {top:g} broken by the data's shape "
                           f"({'has' if temporal else 'no'} temporal column)")
        runner = [i for i in order if i != best and scores[i] > 0]
        if runner:
            reasons.append("also seen: " + "; ".join(f"{i} {scores[i]:g}" for i in runner))
    return IntentDecision(intent=best, confidence=confidence, reasons=reasons,
                          scores={i: round(v, 3) for i, v in scores.items()})


def profile_summary(profile: DataProfile, *, max_columns: int = 40) -> str:
    """A compact, deterministic description of the table for prompts (names, roles, ranges, top values)."""
    lines = [f"{profile.n_rows} rows, {profile.n_cols} columns, shape: {profile.shape}"]
    for c in profile.columns[:max_columns]:
        bits = [f"- {c.name} ({c.role}, {c.dtype})"]
        if c.role in ("measure", "temporal") and c.min is not None:
            bits.append(f"range {c.min} .. {c.max}")
        if c.role in ("categorical", "boolean") and c.top_values:
            bits.append("values " + ", ".join(str(v) for v, _n in c.top_values[:5]))
        if c.missing_frac:
            bits.append(f"{c.missing_frac:.0%} missing")
        lines.append("; ".join(bits))
    if len(profile.columns) > max_columns:
        lines.append(f"... and {len(profile.columns) - max_columns} more columns")
    return "\n".join(lines)


_INTENT_HELP = {
    EDA: "a broad overview of the table",
    TIME: "how a measure changes over time (needs a date column)",
    DRIVERS: "what explains or drives a measure; segments, correlations",
    ANOMALY: "outliers, spikes, drops, unusual records",
    COMPARE: "compare groups or categories against each other",
}


class IntentStep(SGRStep[IntentContext, IntentDecision]):
    """The intent decision as an SGR step; offline it is `classify_intent`."""

    name = "classify_intent"

    def prompt(self, ctx: IntentContext) -> list[dict[str, Any]]:
        options = "\n".join(f"- {k}: {v}" for k, v in _INTENT_HELP.items())
        return [
            {"role": "system", "content": "You classify a data question into one analysis intent. "
                                          "Think briefly in `reasoning`, then pick `intent`.\n" + options},
            {"role": "user", "content": f"Table:\n{profile_summary(ctx.profile)}\n\nQuestion: {ctx.question}"},
        ]

    def schema(self, ctx: IntentContext) -> type[Any]:
        return make_contract("IntentContract", {
            "reasoning": (str, bounded_str(160, description="why this intent, in one sentence")),
            "intent": (enum_of(INTENTS), ...),
        }, doc="The analysis intent of the question.")

    def resolve(self, ctx: IntentContext, value: Any) -> tuple[IntentDecision, list[str]]:
        if isinstance(value, IntentDecision):
            return value, []
        det = classify_intent(ctx.question, ctx.profile, values=ctx.values, mapping=ctx.mapping)
        agree = det.intent == value.intent
        reasons = [f"model: {value.reasoning.strip()}" if value.reasoning.strip() else "model gave no reasoning",
                   f"deterministic path {'agrees' if agree else 'says ' + det.intent} ({det.reasons[0]})"]
        confidence = max(det.confidence, 0.8) if agree else 0.6
        return IntentDecision(intent=value.intent, confidence=confidence, reasons=reasons, scores=det.scores), []

    def validate(self, ctx: IntentContext, value: IntentDecision) -> list[str]:
        if value.intent == TIME and not _roles(ctx.profile, "temporal"):
            return ["intent time_series_investigation needs a date/time column, and this table has none "
                    f"(columns: {', '.join(c.name for c in ctx.profile.columns[:20])}); choose another intent"]
        return []

    def fallback(self, ctx: IntentContext) -> IntentDecision:
        return classify_intent(ctx.question, ctx.profile, values=ctx.values, mapping=ctx.mapping)
