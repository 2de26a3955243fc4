"""Map the words of a question onto the dataset's real columns and categorical values.

Why this exists: the predecessor charted a substitute when a question named a column that did not exist.
Here every question term is either tied to a real column (with how sure we are: exact, variant, fuzzy),
tied to a categorical value (which becomes a filter), or reported as *unmatched* so later stages can say
"the table has no 'profit'" instead of silently drawing something else.

The tiny tokenizer and suffix stemmer live here too because the intent classifier needs exactly the same
notion of "the same word" (revenues = revenue, spiking = spike).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:  # the data stage's modules; only their shapes matter here
    from sgr.autoviz.data import Table
    from sgr.autoviz.profile import DataProfile

#: every distinct value of some categorical columns (beyond the profile's top 5), e.g. from `categorical_values`
ValueIndex = Mapping[str, Sequence[str]]

#: how a phrase named its column: its own spelling (exact, variant), the lexicon (synonym), a near spelling
#: (fuzzy), or a word the column's values share ("value-word": "per berth" -> a column of "... Berths")
MatchKind = Literal["exact", "variant", "synonym", "fuzzy", "value-word"]

#: ratio at which two spellings are considered the same column (difflib.SequenceMatcher)
FUZZY_RATIO = 0.85


def _wordset(text: str) -> frozenset[str]:
    """Whitespace-separated words as a set (keeps long vocabularies readable)."""
    return frozenset(text.split())


STOPWORDS: frozenset[str] = _wordset(
    """a an the and or of to in on at for from with without by per across over under into about as is are
    was were be been being do does did how what which who whom whose why when where whether there their
    them they it its this that these those me my i we our us you your he she his her show shows display
    give get tell let see plot chart graph draw visualize visualise please can could would should will
    want need like some any each every all both between than then vs versus v make made has have had
    not no yes most more less least much many very just only also within during since until up down out
    so if but"""
)

#: words that look field-like in "X by Y" patterns but name no column on purpose (never "unmatched")
GENERIC: frozenset[str] = _wordset(
    """data dataset table trend trends time times date dates day days week weeks month months quarter
    quarters year years hour hours daily weekly monthly quarterly yearly annual annually hourly chart charts
    plot plots graph graphs value values number numbers count counts total totals average averages avg mean
    sum median max maximum min minimum overall everything anything thing things stuff row rows record records
    column columns field fields metric metrics variable variables group groups share percentage percent
    proportion distribution distributions outlier outliers anomaly anomalies spike spikes pattern patterns
    overview summary insight insights evolution growth change changes difference differences comparison
    driver drivers factor factors relationship relationships correlation correlations impact influence
    effect effects top bottom best worst highest lowest level levels rate trend period periods unique distinct
    other others type types kind kinds breakdown split performance result results way ways seasonality
    forecast history timeline picture look overview numbers stats statistics compare comparing contrast
    explain explains drive drives driving affect affects influences impacts find detect rank ranked sort
    sorted list january february march april june july august september october november december
    reading readings entry entries observation observations measurement measurements"""
)

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script: "Région" is one word
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_IRREGULAR = {"outlying": "outlier", "series": "series", "analyses": "analysis", "data": "data", "men": "man",
              "women": "woman", "people": "person", "children": "child", "indices": "index"}
_KEEP_S = ("ss", "us", "is")


#: British spellings folded onto American ones before stemming, so "neighbourhood" names `neighborhood`, "metres"
#: `meters`, "analyse" `analyze` and "paediatric" `pediatric` (both sides of a comparison go through it)
_BRITISH = ((re.compile(r"(?<=[a-z]{3})(?<![hfpty])our(?=(?:s|hood|hoods|ite|ites|able|ed|ing|ful|al)?$)"), "or"),
            (re.compile(r"(?<=[a-z]{2}[tb])re(?=s?$)"), "er"),
            (re.compile(r"(?<=[a-z]{3})is(?=(?:e|es|ed|ing|ation|ations|er|ers)$)"), "iz"),
            (re.compile(r"(?<=[a-z]{2})ys(?=(?:e|es|ed|ing)$)"), "yz"),
            (re.compile(r"(?<=[a-z]{2})ogue(?=s?$)"), "og"),
            (re.compile(r"(?<=[a-z])ae(?=[a-z]{2})"), "e"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A tiny suffix stemmer (s/es/ies/ing/ed/ly, then a final 'e'), so inflections compare equal.

    Both sides of every comparison go through it, so it only needs to be consistent, not linguistic:
    "increase", "increases", "increasing", "increased" all become "increas".
    """
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.isdigit():
        return w
    for rx, american in _BRITISH:
        w = rx.sub(american, w)
    # plural first, then -ly, then verb endings, in sequence: "anomalies" -> "anomaly" -> "anoma" lands where
    # "anomaly" lands, and "unexpectedly" -> "unexpected" -> "unexpect" where "unexpected" lands
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and re.search(r"(ss|x|z|ch|sh)es$", w):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(_KEEP_S):
        w = w[:-1]
    if w.endswith("ly") and len(w) > 4:
        w = w[:-2]
    if w.endswith("ing") and len(w) > 5:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) > 4:
        w = _undouble(w[:-2])
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    """'dropp' -> 'drop', 'shipp' -> 'ship', but 'fall' and 'miss' keep their double letter."""
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
        return w[:-1]
    return w


_GENERIC_STEMS = frozenset(stem(g) for g in GENERIC)


#: units written in mixed case that camelCase splitting must keep whole ("Output_kWh" is output + kwh, not k + wh)
_MIXED_CASE_UNITS = re.compile(r"(?<![A-Za-z])(kWh|MWh|GWh|kW|MW|GW|mAh|mL|dL|dB|pH|kB|MB|GB|TB|kPa|hPa|mSv)"
                               r"(?![a-z])")


def split_name(name: str) -> list[str]:
    """Lower-cased word parts of a column name: snake_case, kebab-case, spaces and camelCase."""
    name = _MIXED_CASE_UNITS.sub(lambda m: m.group(1).lower(), name.replace("_", " "))
    return [p.lower() for p in _WORD.findall(_CAMEL.sub(" ", name))]


class Token(BaseModel):
    """One word of the question with its position, raw spelling and stem."""

    text: str
    lower: str
    stem: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words of the question with character offsets (underscores split, so 'product_category' is two)."""
    return [Token(text=m.group(0), lower=m.group(0).lower(), stem=stem(m.group(0)), start=m.start(), end=m.end())
            for m in _WORD.finditer(text)]


class TermMatch(BaseModel):
    """A question phrase that names a column."""

    term: str
    column: str
    kind: MatchKind
    start: int = Field(description="index of the first token")
    end: int = Field(description="index after the last token")


class ValueMatch(BaseModel):
    """A question phrase that names a categorical value, e.g. 'EU' -> region == 'EU'."""

    term: str
    column: str
    value: str
    start: int
    end: int


class ColumnMapping(BaseModel):
    """Everything the question says about columns: matches, value mentions, and unknown field names."""

    matches: list[TermMatch] = Field(default_factory=list)
    values: list[ValueMatch] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)
    #: unknown words where a measure would be ("the rundown by region") that no lexicon calls a field: said
    #: in a notice, never a reason for "partial"
    unrecognized: list[str] = Field(default_factory=list)

    def columns(self) -> list[str]:
        """Matched columns in question order, without duplicates."""
        out: list[str] = []
        for m in sorted(self.matches, key=lambda m: m.start):
            if m.column not in out:
                out.append(m.column)
        return out

    def mapped_terms(self) -> dict[str, str]:
        """term -> "column (kind)" for provenance (values read "column = value (value)")."""
        out = {m.term: f"{m.column} ({m.kind})" for m in self.matches}
        out.update({v.term: f"{v.column} = {v.value} (value)" for v in self.values})
        return out

    def consumed(self) -> set[int]:
        """Token indexes already explained by a column or value match."""
        idx: set[int] = set()
        for m in [*self.matches, *self.values]:
            idx.update(range(m.start, m.end))
        return idx


def _column_roles(profile: DataProfile) -> list[tuple[str, str]]:
    return [(c.name, c.role) for c in profile.columns]


def _norm(parts: Sequence[str]) -> str:
    return " ".join(parts)


def _stems(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(stem(p) for p in parts)


def _exact_or_variant(phrase_tokens: Sequence[Token], raw_phrase: str, name: str) -> MatchKind | None:
    if raw_phrase == name:
        return "exact"
    parts = split_name(name)
    if not parts:
        return None
    words = [t.lower for t in phrase_tokens]
    if words == parts or _stems(words) == _stems(parts):
        return "variant"
    if len(words) >= 2 and sorted(_stems(words)) == sorted(_stems(parts)):
        return "variant"  # the name's words in another order: "amount claimed" -> claim_amount
    return None


def _fuzzy_score(phrase_tokens: Sequence[Token], name: str, role: str) -> float:
    """0 when unrelated; difflib ratio on joined spellings, or token containment ('sales' in sales_amount)."""
    words = [t.lower for t in phrase_tokens]
    if any(w in STOPWORDS or w.isdigit() for w in words):
        return 0.0
    if len(words) == 1 and (len(words[0]) < 3 or (words[0] in GENERIC and not _time_word_for(words[0], role))):
        return 0.0
    parts = split_name(name)
    ratio = difflib.SequenceMatcher(None, "".join(_stems(words)), "".join(_stems(parts))).ratio()
    if ratio >= FUZZY_RATIO:
        return ratio
    stems, col_stems = set(_stems(words)), set(_stems(parts))
    if role == "identifier" and len(words) == 1 and parts[-1] in ("id", "key", "code", "number", "no") \
            and stem(parts[0]) == stem(words[0]):
        # "orders" -> order_id: the entity an identifier counts
        return 0.6
    if not (stems and stems <= col_stems and len(parts) > len(words)):
        return 0.0
    # containment is weaker than a near-identical spelling: rank by how much of the name was said
    score = 0.5 + 0.3 * len(stems) / len(col_stems)
    if role != "measure" and stem(parts[-1]) not in stems:
        # a category is best named by its head noun ("channel" -> sales_channel), but people also name it by
        # its modifier ("product" -> product_category); rank that below any measure containing the word, so
        # "sales" still means sales_amount rather than sales_channel
        return score - 0.3
    return score


def _time_word_for(word: str, role: str) -> bool:
    return role == "temporal" and word in {"date", "time", "timestamp", "day", "month", "year"}


def _synonym_score(words: Sequence[str], parts: Sequence[str]) -> float:
    """How well 1-2 question words name a column through the lexicon ("gender" -> Sex, "dept" -> Department).

    The whole name or its head word (last part) scores 1.0; another part of a longer name scores 0.6, so
    "department" finds `Dept_Name` but prefers a `Department` column.
    """
    from sgr.autoviz.lexicon import abbreviates, synonyms

    parts = [p for p in parts if not p.isdigit()]
    if not parts or len(words) > len(parts):
        return 0.0
    if len(words) == len(parts):
        # every word said, in order: a synonym or spelled out from the name's abbreviation ("square footage"
        # -> `Sq Ft`); a single word must be a synonym or spell out an abbreviation of 3+ letters
        return 1.0 if all(synonyms(w, p) or (abbreviates(p, w) and (len(parts) > 1 or len(p) > 2)) or _clipped(w, p)
                          for w, p in zip(words, parts, strict=True)) else 0.0
    if len(words) == 1:
        if synonyms(words[0], parts[-1]) or (len(parts[-1]) > 2 and abbreviates(parts[-1], words[0])) \
                or _clipped(words[0], parts[-1]):
            return 0.9
        return 0.6 if any(synonyms(words[0], p) or _clipped(words[0], p) for p in parts[:-1]) else 0.0
    # "square footage" -> `Floor_Area_SqFt`: each word a synonym of some part or spelled out from it
    return 0.7 if all(any(synonyms(w, p) or abbreviates(p, w) for p in parts) for w in words) else 0.0


def _clipped(word: str, part: str) -> bool:
    """Whether a question word is a clipped form of a column-name word ("pack" for PACKAGE, "admin" for
    administrator): 4+ letters, the start of a word 2+ letters longer, and neither a known field noun nor
    chart vocabulary (so "sale" never becomes `salesperson`)."""
    from sgr.autoviz.lexicon import is_vocab, names_a_field

    w, p = word.lower(), part.lower()
    return (len(w) >= 4 and w.isalpha() and len(p) >= len(w) + 2 and p.startswith(w) and not names_a_field(w)
            and not is_vocab(w) and w not in GENERIC)


def _is_acronym(words: Sequence[str], name_parts: Sequence[str]) -> bool:
    """Whether a one-word column name of 3-6 letters is built from a prefix of each word, in order (not 2:
    "total sales" must not become a `ts` timestamp)."""
    if len(name_parts) != 1:
        return False
    name = name_parts[0].lower()
    if not (3 <= len(name) <= 6 and name.isalpha()) or len(words) < 2 or len(words) > len(name):
        return False

    def build(k: int, rest: str) -> bool:
        if k == len(words):
            return not rest
        word = words[k]
        return any(rest.startswith(word[:cut]) and build(k + 1, rest[cut:])
                   for cut in range(1, min(len(word), len(rest) - (len(words) - k - 1)) + 1))

    # "bitterness units" for IBU (International Bitterness Units): an acronym's qualifying first letter is
    # often left unsaid, so the phrase may build the name without it (one letter, names of 3+ letters only)
    return build(0, name) or (len(name) >= 3 and len(words) >= 2 and build(0, name[1:]))


def _spelled_values(tokens: Sequence[Token], profile: DataProfile, values: ValueIndex | None) -> set[int]:
    """Tokens spelled exactly (case too) like a one-word categorical value: "condition Sunny or Rain"."""
    known: set[str] = set()
    for col in profile.columns:
        if col.role in ("categorical", "boolean") and not col.numeric:
            vals = values.get(col.name) if values else None
            known.update(str(v) for v in (vals if vals is not None else [v for v, _n in col.top_values or []]))
    return {k for k, t in enumerate(tokens) if len(t.text) > 2 and t.text in known}


#: words that follow the subject of a comparison ("duration over 270", "price is below 5")
_COMPARISON_WORDS = frozenset({"over", "under", "above", "below", "between", "beyond", "exceeding", "exceeds",
                               "greater", "less", "more", "higher", "lower", "at", "is", "are", "was", "were",
                               "north", "south", "up", "beneath"})


def _match_columns(tokens: list[Token], question: str, profile: DataProfile,
                   reserved: set[int] | None = None, soft: set[int] | None = None,
                   values_said: set[int] | None = None) -> list[TermMatch]:
    from sgr.autoviz.lexicon import class_members, is_vocab, phrase_word, readings

    roles = _column_roles(profile)
    used: set[int] = set(reserved or ())
    found: list[TermMatch] = []

    def spans(n: int) -> Iterable[tuple[int, int]]:
        for i in range(0, len(tokens) - n + 1):
            if not used.intersection(range(i, i + n)):
                yield i, i + n

    parts_of = {name: split_name(name) for name, _r in roles}  # once per question, not once per phrase
    stems_of = {name: set(_stems(parts)) for name, parts in parts_of.items()}
    # pass 0: a whole phrase the lexicon knows ("class year" -> grade -> grade_level), unless a column is spelled
    # that way (pass 1 names it exactly); before pass 1, so "year" alone cannot take the `Year` column first
    for n in (3, 2):
        for i, j in spans(n):
            word = phrase_word(tuple(t.lower for t in tokens[i:j]))
            raw = question[tokens[i].start:tokens[j - 1].end]
            if word is None or any(_exact_or_variant(tokens[i:j], raw, name) for name, _r in roles):
                continue
            # a column that holds the word itself beats one reached through its synonyms ("grade" is a synonym of
            # `score`, but "class year" means `grade_level`)
            scored = [(stem(word) in {stem(r) for p in parts_of[name] for r in readings(p)},
                       _synonym_score([word], parts_of[name]), -order, name) for order, (name, _r) in enumerate(roles)]
            best = max((x for x in scored if x[1] > 0), default=None)
            if best is not None:
                found.append(TermMatch(term=raw, column=best[3], kind="synonym", start=i, end=j))
                used.update(range(i, j))
    # pass 1: exact and variant spellings, longest phrases first
    for n in (3, 2, 1):
        for i, j in spans(n):
            if used.intersection(range(i, j)):
                continue
            group = tokens[i:j]
            raw = question[group[0].start:group[-1].end]
            if n == 1 and group[0].lower in _PRONOUNS:
                continue
            if n == 1 and group[0].lower in STOPWORDS and not (i > 0 and (
                    tokens[i - 1].lower in ("by", "per", "each", "every", "which", "across", "the", "of")
                    or ((tokens[i - 1].lower.isdigit() or tokens[i - 1].lower in _NUMBER_WORDS) and i > 1
                        and tokens[i - 2].lower in ("the", "top", "bottom", "which", "first", "last", "best", "worst",
                                                    "those", "these", "all"))
                    or any(raw == name for name, _r in roles) or (
                        tokens[i - 1].lower in _WELL_LABELS
                        and re.fullmatch(r"\s*[:=]\s*", question[tokens[i - 1].end:group[0].start])))):
                # "make", "has", "show": a word, unless it stands where a column goes ("per make", "the Show",
                # "kinds of show", "the 4 shows", "x-axis: make") or is spelled mid-sentence exactly as a column is
                # ("where Show mentions")
                continue
            best: tuple[int, str, MatchKind] | None = None
            for order, (name, _role) in enumerate(roles):
                kind = _exact_or_variant(group, raw, name)
                if kind and (best is None or (kind == "exact" and best[2] != "exact")):
                    best = (order, name, kind)
            if best:
                found.append(TermMatch(term=raw, column=best[1], kind=best[2], start=i, end=j))
                used.update(range(i, j))
    # "age of patient", "date of hire": a name's two words said the other way round across "of"
    for i, j in spans(3):
        if tokens[i + 1].lower != "of" or used.intersection(range(i, j)):
            continue
        turned = [tokens[i + 2], tokens[i]]
        hits = [name for name, _r in roles if _exact_or_variant(turned, "", name) == "variant"]
        if len(hits) == 1:
            found.append(TermMatch(term=question[tokens[i].start:tokens[j - 1].end], column=hits[0], kind="variant",
                                   start=i, end=j))
            used.update(range(i, j))
    # soft-reserved words (the entity noun) may name a column only by its exact or variant spelling
    used |= set(soft or ()) - {k for m in found for k in range(m.start, m.end)}
    # pass 2: synonyms and spelled-out abbreviations from the lexicon; chart and order words never take part
    named = {m.column for m in found}
    for n in (2, 1):
        for i, j in spans(n):
            if used.intersection(range(i, j)):
                continue
            words = [t.lower for t in tokens[i:j]]
            if any(w in STOPWORDS or len(w) < 3 for w in words):
                continue
            # a chart word takes part only inside a two-word name that spells it: "customer type" is `client_type`
            # (and not the `rider` column "customer" alone would reach), but "type" alone names no column here
            vocab = {stem(w) for w in words if is_vocab(w)}
            if vocab and (n == 1 or len(vocab) == n):
                continue
            if values_said and values_said.intersection(range(i, j)):
                continue  # "Rain" spelled as a value of `condition` is that value, not the rainfall column
            said = set(_stems(words))
            if any(said <= stems_of[name] for name, _r in roles if name not in named):
                continue  # a column whose name contains the very word ("sales" -> sales_amount) wins, below
            scored = [(_synonym_score(words, parts_of[name]), -order, name) for order, (name, _r) in enumerate(roles)
                      if name not in named and vocab <= stems_of[name]]
            scored = [x for x in scored if x[0] >= (1.0 if vocab else 0) and x[0] > 0]
            if not scored and n == 1:
                # a broader word for a kind of field ("location" -> the one geographic column)
                members = class_members(words[0])
                kin = [name for name, role in roles if members and role in ("categorical", "identifier") and any(
                    stem(p) in {stem(m) for m in members} for p in parts_of[name])]
                if len(kin) == 1 and kin[0] not in named:
                    scored = [(0.5, 0, kin[0])]
            if scored:
                _score, _neg, name = max(scored)
                found.append(TermMatch(term=question[tokens[i].start:tokens[j - 1].end], column=name,
                                       kind="synonym", start=i, end=j))
                used.update(range(i, j))
                named.add(name)
    # pass 2b: a phrase spelled out from a column's acronym ("customer satisfaction" -> CSAT, "net promoter
    # score" -> NPS): each word gives a prefix, in order; only for short one-word names, never for vocabulary
    for n in (3, 2):
        for i, j in spans(n):
            if used.intersection(range(i, j)):
                continue
            words = [t.lower for t in tokens[i:j]]
            if any(w in STOPWORDS or is_vocab(w) or not w.isalpha() for w in words):
                continue
            hits = [name for name, _r in roles if name not in named and _is_acronym(words, parts_of[name])]
            if len(hits) == 1:
                found.append(TermMatch(term=question[tokens[i].start:tokens[j - 1].end], column=hits[0],
                                       kind="synonym", start=i, end=j))
                used.update(range(i, j))
                named.add(hits[0])
    # pass 2c: the entity noun inside a longer column name ("dispense value" -> dispenseValueGBP in a file called
    # pharmacy_dispensing): a phrase of the entity word and other words names a column holding all of them
    soft_only = set(soft or ()) - {k for m in found for k in range(m.start, m.end)}
    hard_used = used - soft_only
    for n in (3, 2):
        for i in range(0, len(tokens) - n + 1):
            span = set(range(i, i + n))
            if span & hard_used or not span & soft_only or span <= soft_only:
                continue
            words = [t.lower for t in tokens[i:i + n]]
            if any(w in STOPWORDS or not w.isalpha() for w in words):
                continue
            said = set(_stems(words))
            kind: MatchKind = "fuzzy"
            hits = [name for name, _r in roles if name not in named and said <= stems_of[name]]
            if not hits:  # "units dispensed" -> `Qty Dispensed`: every word said, one through the lexicon
                kind = "synonym"
                hits = [name for name, _r in roles if name not in named and _synonym_score(words, parts_of[name]) >= 1]
            if len(hits) == 1:
                found.append(TermMatch(term=question[tokens[i].start:tokens[i + n - 1].end], column=hits[0],
                                       kind=kind, start=i, end=i + n))
                used.update(span)
                hard_used.update(span)
                named.add(hits[0])
    # pass 3: fuzzy spellings and containment, for what is left; columns already named are not reused
    for n in (3, 2, 1):
        for i, j in spans(n):
            if used.intersection(range(i, j)):
                continue
            group = tokens[i:j]
            after_cue = i > 0 and tokens[i - 1].lower in ("by", "per", "each", "every", "across")
            # "count", "average", "type" alone name no column unless grouped by ("by type"); a noun that
            # heads an identifier still names what it counts ("orders" -> order_id)
            vocab_only = n == 1 and is_vocab(group[0].lower) and not after_cue
            # a column already named may be named again, by a word its name contains, as the subject of a
            # comparison ("songs with duration over 270 ... mean duration_sec": the filter's "duration" is
            # duration_sec too; but in "donor age" next to a `Donor Type` column, "donor" is no second naming)
            compared = j < len(tokens) and tokens[j].lower in _COMPARISON_WORDS
            # "average duration by genre, only where duration_sec is between ...": a head word of a column named
            # elsewhere names it again when no field word follows it (in "donor age", "donor" qualifies age)
            head = j >= len(tokens) or not (tokens[j].lower.isalpha() and tokens[j].lower not in STOPWORDS
                                             and not is_vocab(tokens[j].lower))
            if n == 1 and group[0].lower in _CHANGE_WORDS:
                continue  # "how does X move against Y": the verb names no `Moves` column
            scored = [(_fuzzy_score(group, name, role), -order, name)
                      for order, (name, role) in enumerate(roles)
                      if (name not in named or ((compared or head)
                                                and set(_stems(t.lower for t in group)) <= stems_of[name]))
                      and (not vocab_only or role == "identifier")]
            scored = [s for s in scored if s[0] > 0]
            if scored:
                _score, _neg, name = max(scored)
                raw = question[group[0].start:group[-1].end]
                found.append(TermMatch(term=raw, column=name, kind="fuzzy", start=i, end=j))
                used.update(range(i, j))
                named.add(name)
    return _compound_heads(sorted(found, key=lambda m: m.start), dict(roles))


def _compound_heads(found: list[TermMatch], roles: dict[str, str]) -> list[TermMatch]:
    """"the energy bill": a word a synonym sent to one measure, right before a word naming another measure, only
    qualifies it; the compound's head (its last word) is the field, so the two are one term for the head's column.
    """
    out: list[TermMatch] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and prev.end == m.start and prev.kind == "synonym" and prev.end - prev.start == 1 \
                and prev.column != m.column and roles.get(prev.column) == roles.get(m.column) == "measure":
            out[-1] = TermMatch(term=f"{prev.term} {m.term}", column=m.column, kind=m.kind, start=prev.start,
                                end=m.end)
            continue
        out.append(m)
    return out


#: number words: a value spelled like one ("ONE", the carrier) must be written in its own case
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
#: pronouns are never a column, even after "of" ("show all of them" is no `Theme` column)
_PRONOUNS = frozenset({"them", "it", "they", "these", "those", "this", "that", "us", "we", "you", "he", "she",
                       "him", "her", "its", "their", "theirs", "ours", "mine"})


def _sentence_start(question: str, token: Token) -> bool:
    """Whether a word opens a sentence or a list item, where any word is capitalised."""
    return re.search(r"(?:^|[.!?:•;—–-])\s*[\"'“‘(]?$", question[:token.start]) is not None


def _match_values(tokens: list[Token], question: str, profile: DataProfile, used: set[int],
                  values: ValueIndex | None, sizes: tuple[int, ...] = (3, 2, 1)) -> list[ValueMatch]:
    """Categorical values named in the question; stopword-like values ('US') must match case exactly."""
    candidates: list[tuple[tuple[str, ...], str, str]] = []
    for col in profile.columns:
        if col.role not in ("categorical", "boolean") or col.numeric:
            continue  # numbers in a question are counts and years ("top 5", "2024"), not category values
        known = values.get(col.name) if values else None
        for value in known if known is not None else [v for v, _n in col.top_values or []]:
            parts = tuple(p.lower() for p in _WORD.findall(str(value)))
            if parts and len(parts) <= 3:
                candidates.append((parts, col.name, str(value)))
    found: list[ValueMatch] = []
    for n in sizes:
        for i in range(0, len(tokens) - n + 1):
            if used.intersection(range(i, i + n)):
                continue
            group = tokens[i:i + n]
            words = tuple(t.lower for t in group)
            for parts, column, value in candidates:
                if parts != words:
                    continue
                raw = question[group[0].start:group[-1].end]
                if len(parts) == 1 and (parts[0] in STOPWORDS or parts[0] in _NUMBER_WORDS or len(parts[0]) < 2) \
                        and (raw != value or _sentence_start(question, group[0])):
                    # "one per carrier" is no carrier called ONE, and "Can you ..." asks nothing of a `Can`
                    # package: a value spelled like a common word counts only in its own case, mid-sentence
                    continue
                found.append(ValueMatch(term=raw, column=column, value=value, start=i, end=i + n))
                used.update(range(i, i + n))
                break
    return sorted(found, key=lambda v: v.start)


# -- unmatched field-like terms ------------------------------------------------------------------------

_AFTER_CUES = frozenset({"by", "per", "across", "vs", "versus", "of", "between", "compare", "and", "which", "what",
                         "every",
                         "average", "avg", "mean", "median", "total", "sum", "max", "maximum", "min",
                         "minimum", "drive", "drives", "driving", "affect", "affects", "explain", "explains",
                         "each", "among", "against", "with"})
_RELATED = frozenset({"related", "relates", "relation", "correlated", "compared", "relative", "linked", "connected",
                      "proportional", "tied"})
_COMPARED = frozenset({"above", "below", "over", "under", "greater", "higher", "lower", "less", "more", "bigger",
                       "smaller", "larger", "exceeding", "at", "fewer"})
_BEFORE_CUES = frozenset({"by", "per", "across", "vs", "versus", "and", "over", "against"})
#: cues that only make the neighbour field-like when the question is a comparison ("compare X and Y")
_WEAK_CUES = frozenset({"and", "with", "over"})
#: head nouns that name no field alone but do with a qualifier: "interest rate", "battery level"
_HEAD_STEMS = frozenset(stem(w) for w in ("rate", "level", "ratio", "index", "score", "value", "amount", "cost",
                                           "price", "size", "count", "total"))


#: counting words: the noun before one is what is counted, i.e. the rows ("patient numbers by ward")
_COUNT_STEMS = frozenset(stem(w) for w in ("count", "number", "tally", "frequency", "occurrence"))

#: words that qualify a field by what its value is ("with an unknown country", "a positive donor age"): after
#: an article, what follows is a field
_VALUE_QUALIFIERS = frozenset({"unknown", "missing", "positive", "negative", "nonzero", "blank", "empty", "null",
                               "undefined", "unrecorded"})
#: what a measure's course is called: the word before "trend" names the measure
_ANALYSIS_NOUNS = frozenset({"trend", "trends"})
#: endings of adjectives ("seasonal", "upward", "complete", "recent"): such a word before a trend qualifies it
_ADJECTIVE_ENDINGS = ("al", "ive", "ous", "ful", "ic", "ward", "wards", "ing", "ed", "ly", "ete", "ent", "ant", "ar")
#: time adjectives: "monthly uv index", "weekly sign-ups": what follows is the measure
_TIME_ADJECTIVES = frozenset({"hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "annual"})
#: general nouns that name no field alone but qualify one after them ("performance rating", "growth target")
_QUALIFYING_NOUNS = frozenset({"performance", "growth", "level", "result"})
#: field nouns the stemmer folds onto a generic word ("rating" and "rate" both stem to "rat")
_NOT_INFLECTIONS = frozenset({"rating", "ratings"})
#: "how much money": the question's own word for an amount, not a field
_AMOUNT_WORDS = frozenset({"money", "cash"})


#: verbs of change after a measure: "how does X change / vary / evolve (over time)"
_CHANGE_VERBS = frozenset({"change", "vary", "evolve", "develop", "move", "trend", "grow", "shift", "fluctuate",
                           "differ", "compare", "look"})

#: the verb forms of change, never a field ("how does X move against Y"); the nouns ("moves", "shifts") may be
_CHANGE_WORDS = frozenset({"move", "moved", "moving", "vary", "varies", "varied", "evolve", "evolves", "fluctuate",
                           "fluctuates", "differ", "differs", "shift", "shifted", "changed", "changing"})

#: heads of "X of Y" that split a whole into parts: Y may be the rows counted ("a breakdown of readings")
_PART_OF_WHOLE = frozenset({"breakdown", "share", "shares", "split", "proportion", "proportions", "percentage",
                            "percentages", "mix", "makeup", "composition", "pie", "fraction", "fractions"})

#: how the chart divides or scales its marks ("wedges sized by", "bars segmented by"): only these exact forms,
#: so "size" and "segment" stay field words
_CHART_PARTICIPLES = frozenset({"sized", "segmented", "sliced", "partitioned", "divided", "subdivided", "keyed",
                                "shaded", "faceted", "dodged", "clustered", "scaled"})


def _is_fieldish(tok: Token, extra_generic: frozenset[str]) -> bool:
    from sgr.autoviz.lexicon import is_vocab

    w = tok.lower
    if w in _CHANGE_WORDS:
        return False  # "how does price move against visitors": a verb, never a field the table lacks
    return (len(w) > 2 and w.isalpha() and w not in STOPWORDS and w not in GENERIC and not is_vocab(w)
            and w not in _CHART_PARTICIPLES
            and tok.stem not in extra_generic and (stem(w) not in _GENERIC_STEMS or w in _NOT_INFLECTIONS))


def _participle_after(tokens: Sequence[Token], k: int, extra_generic: frozenset[str],
                      after_field: bool = False) -> bool:
    """A past participle that follows what it describes ("the highest duration logged", "fees charged", "carved
    up"): a verb, not a field. Before a noun it qualifies a field ("dropped calls", "spoiled ballots"), so it is
    one only when no field-like word comes next. Right after a column's own words (`after_field`: "goals
    scored", "units baked") it is one even when its stem names a field elsewhere ("score")."""
    from sgr.autoviz.lexicon import names_a_field

    w = tokens[k].lower
    if not (w.endswith("ed") and not w.endswith("eed") and len(w) > 5) or (names_a_field(w) and not after_field):
        return False
    return k + 1 >= len(tokens) or not _is_fieldish(tokens[k + 1], extra_generic)


def _unmatched(tokens: list[Token], used: set[int], extra_generic: frozenset[str],
               named: frozenset[int] = frozenset(), soft: frozenset[int] = frozenset(),
               substitutes: frozenset[int] = frozenset()) -> Terms:
    """Field-like words next to a grouping or measuring cue that no column, synonym or value took.

    `named` are tokens of columns named by their own words (a word right before one qualifies it: "relative
    humidity"); `soft` the entity noun's tokens (skipped: "each meter vendor" asks for a vendor);
    `substitutes` tokens a lexicon synonym mapped, which a qualifier before them turns into a field the
    table lacks ("the purchase price for each genre" on a table whose only money column is a late fee).

    Returns (missing, unrecognised, where each was said): a missing term makes the question partial; an
    unrecognised one is an unknown word in the measure slot of "X by Y" that no lexicon calls a field, so the
    run answers and says it did not know the word, rather than refusing a question that is probably answerable.
    """
    from sgr.autoviz.lexicon import KEPT_OUT, is_vocab, names_a_field

    words = [t.lower for t in tokens]
    named_stems = {tokens[k].stem for k in named}

    def sure_field(picked: Sequence[int]) -> bool:
        """A known field noun, a lexicon stand-in, or a head that needs a qualifier ("rate"): surely a field."""
        return any(names_a_field(words[k]) or k in substitutes or tokens[k].stem in _HEAD_STEMS for k in picked)
    comparing = any(w in ("compare", "comparing", "comparison", "vs", "versus") for w in words)
    spans: list[tuple[list[int], bool]] = []  # (tokens, unsure: maybe chart talk rather than a field)

    def run(indexes: Sequence[int], backward: bool = False) -> list[int]:
        picked: list[int] = []
        for n, k in enumerate(indexes):
            if not picked and 0 <= k < len(tokens) and tokens[k].stem in extra_generic and (
                    k not in used or k in soft):
                continue  # "each meter vendor": the entity noun qualifies the field that follows
            if not picked and 0 <= k < len(tokens) - 2 and words[k] in KEPT_OUT \
                    and words[k + 1] in ("of", "does", "do", "did") and k + 2 in used:
                # "each range of Age", "the volume of matches", "what range does BoxOffice fall in": a measure of
                # what follows, not a field
                break
            if backward and n == 0 and 0 <= k < len(tokens) and k not in used and tokens[k].stem in named_stems:
                break  # "candidates per candidate gender": the rows, named by the column's own first word
            if backward and n == 0 and 0 <= k < len(tokens) and (k in substitutes or (
                    k not in used and tokens[k].stem in _HEAD_STEMS)):
                # "the interest rate for each", "the purchase price for each": a head noun that names no
                # field by itself (or only a stand-in) is a field when a field-like word qualifies it
                before = indexes[1] if len(indexes) > 1 else -1
                if before >= 0 and before not in used and _is_fieldish(tokens[before], extra_generic):
                    picked.append(k)
                    continue
            if backward and n == 0 and len(indexes) > 1 and 0 <= k < len(tokens) and k not in used \
                    and is_vocab(tokens[k].lower) and tokens[k].stem not in _COUNT_STEMS and indexes[1] not in used \
                    and names_a_field(tokens[indexes[1]].lower) and _is_fieldish(tokens[indexes[1]], extra_generic):
                continue  # "the profit spread by region": the chart word names no field, the field noun before does
            if not backward and not picked and 0 <= k < len(tokens) - 1 and k not in used and k + 1 not in used \
                    and _is_fieldish(tokens[k + 1], extra_generic) and (
                        tokens[k].lower in _QUALIFYING_NOUNS or (len(tokens[k].lower) == 2 and tokens[k].lower.isalpha()
                                                                 and tokens[k].lower not in STOPWORDS
                                                                 and not is_vocab(tokens[k].lower))):
                return [k, k + 1]  # "how much performance rating", "the monthly uv index": a qualified field
            if backward and n == 0 and len(indexes) > 1 and 0 <= k < len(tokens) and k not in used \
                    and words[k] in _ANALYSIS_NOUNS and 0 <= indexes[1] < len(tokens) and indexes[1] not in used \
                    and _is_fieldish(tokens[indexes[1]], extra_generic):
                continue  # "royalties trend by month": the measure is the word before the trend
            if k < 0 or k >= len(tokens) or k in used or not _is_fieldish(tokens[k], extra_generic) \
                    or _participle_after(tokens, k, extra_generic, after_field=k - 1 in named):
                break
            picked.append(k)
            if len(picked) == 2:
                break
        return sorted(picked)

    for i, w in enumerate(words):
        if w == "many" or (w == "of" and i > 0 and words[i - 1] in ("number", "count")):
            # "how many orders": the counted entity is rows, not a column the table must have
            used = used | {i + 1}
            continue
        weak = w in _WEAK_CUES and not comparing
        if w == "and" and weak and _second_grouping(words, i, used):
            weak = False  # "by circuit and meter vendor": the word after "and" is a second grouping
        # "is RuntimeMin related to streaming views": what a relation points to is a field
        relating = w == "to" and i > 0 and words[i - 1] in _RELATED
        if w in ("does", "do", "did") and i > 0 and words[i - 1] == "how":
            # "how does marketing spend change over time": the subject of the change is the measure
            start = i + 1 + (i + 1 < len(tokens) and words[i + 1] in ("the", "a", "our", "my"))
            picked = run(range(start, len(tokens)))
            if picked and picked[-1] + 1 < len(tokens) and words[picked[-1] + 1] in _CHANGE_VERBS:
                spans.append((picked, False))
        # "only tests with sample volume over 100", "is carbon emissions higher in one site": the subject of a
        # comparison is a field, so an unknown one is missing
        opens_subject = (w == "with" or (w in ("is", "are") and (i == 0 or words[i - 1] in ("?", ",")))) \
            and i + 1 < len(tokens)
        if opens_subject:
            start = i + 1 + (words[i + 1] in ("the", "a", "an"))
            picked = run(range(start, len(tokens)))
            if not picked and start + 1 < len(tokens) and start not in used and words[start].isalpha() \
                    and words[start] not in STOPWORDS and (is_vocab(words[start]) or words[start] in GENERIC):
                inner = run(range(start + 1, len(tokens)))  # "with sample volume over 100": a chart or generic
                picked = [start, *inner] if inner else []   # word qualifying the compared field
            after = picked[-1] + 1 if picked else -1
            while picked and after in substitutes:
                after += 1  # "is inspection fee higher ...": "fee" only stands in for another money column
            if picked and after < len(tokens) and words[after] in _COMPARED and after not in used:
                spans.append((list(range(picked[0], after)), False))
        # "how much deductible", "with an unknown country", "a positive donor age", "monthly uv index"
        qualified = (w == "much" and i > 0 and words[i - 1] == "how") or (
            w in _VALUE_QUALIFIERS and i > 0 and words[i - 1] in ("a", "an", "the", "any", "no", "with", "without")) \
            or w in _TIME_ADJECTIVES
        if (w in _AFTER_CUES and not weak) or relating or qualified:
            picked = run(range(i + 1, len(tokens)))
            if picked and w == "much" and words[picked[0]] in _AMOUNT_WORDS:
                continue
            if picked and w in _TIME_ADJECTIVES and picked[-1] + 1 < len(tokens) \
                    and words[picked[-1] + 1] in ("rate", "rates"):
                continue  # "the quarterly run-rate", "the monthly burn rate": a rate of the measure named next
            if picked and picked[-1] + 1 in named:
                continue  # "by age rating" with a Rating column: a word qualifying a named column, not a field
            if picked:
                # after a part-of-whole "of" ("a breakdown of readings per array") the word may be the rows
                # being counted; after "the trend of" it is the measure
                parts = w == "of" and i > 0 and words[i - 1] in _PART_OF_WHOLE
                spans.append((picked, parts and not sure_field(picked)))
        # "the X for each Y", "the X in every Y": X is what is measured, as in "X by Y"
        each_cue = w in ("for", "in") and i + 1 < len(tokens) and words[i + 1] in ("each", "every")
        # "only where discount is above average", "whose battery level is over 50": the compared subject
        compared = w in ("is", "are", "was", "were") and i + 1 < len(tokens) and words[i + 1] in _COMPARED
        if (w in _BEFORE_CUES and not weak) or each_cue or compared:
            picked = run(range(i - 1, -1, -1), backward=True)
            if picked and (each_cue or w == "per") and picked[0] > 0 and words[picked[0] - 1] in (
                    "a", "an", "one", "separate"):
                continue  # "a segment for each region", "one band per site": a part of the chart, not a field
            if picked:
                # the measure slot of "X by Y" / "X for each Y": an unknown word there may name a missing
                # field ("profit by country") or be chart talk nobody listed ("the rundown by region");
                # only a known field noun, or a head that needs a qualifier, makes it a field for sure
                measure_slot = (w in ("by", "per", "across") or each_cue) and not compared
                # "top 3 inspectors by ...": what is ranked is a grouping, surely a field; so is the subject of
                # "royalties trend by month"
                ranked = picked[0] >= 1 and (words[picked[0] - 1] in ("top", "bottom") or (
                    picked[0] >= 2 and words[picked[0] - 1].isdigit() and words[picked[0] - 2] in ("top", "bottom")))
                analysed = picked[-1] + 1 < i and words[picked[-1] + 1] in _ANALYSIS_NOUNS \
                    and not words[picked[-1]].endswith(_ADJECTIVE_ENDINGS)
                spans.append((picked, measure_slot and not (ranked or analysed) and not sure_field(picked)))
    return _terms(tokens, spans)


#: each term the table lacks, with the token span [start, end) where it was first said
Terms = tuple[list[str], list[str], dict[str, tuple[int, int]]]


def _terms(tokens: list[Token], spans: list[tuple[list[int], bool]]) -> Terms:
    """(missing, unrecognised, where) from (token span, unsure) pairs, each term named whole and once.

    A term is unrecognised only when no sure span shares a token with it: "the average rundown by region"
    names "rundown" after an aggregation word, which makes it a field whatever the measure slot says.
    """
    sure = {k for picked, unsure in spans if not unsure for k in picked}
    missing: list[str] = []
    unknown: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    for picked, unsure in sorted(spans):
        if any(set(picked) < set(other) for other, _ in spans):
            continue  # "energy" inside "energy bill": name the whole term once
        t = " ".join(tokens[k].lower for k in picked)
        into = unknown if unsure and not sure & set(picked) else missing
        if t not in where:
            into.append(t)
            where[t] = (picked[0], picked[-1] + 1)
    return missing, unknown, where


def _second_grouping(words: Sequence[str], i: int, used: set[int]) -> bool:
    """Whether the "and" at `i` follows a grouping cue and a named column: "by A and B", "per A and B"."""
    k = i - 1
    while k >= 0 and k in used and i - k <= 3:
        k -= 1
    return k < i - 1 and k >= 0 and words[k] in ("by", "per", "across")


def map_terms(question: str, profile: DataProfile, *, extra_generic: Iterable[str] = (),
              values: ValueIndex | None = None, reserved: Iterable[int] = (), soft: Iterable[int] = ()
              ) -> ColumnMapping:
    """Match 1-3 word phrases of the question to columns and categorical values; list unknown field terms.

    Parameters
    ----------
    question:
        The person's question, as typed.
    profile:
        The data profile (column names, roles, top values).
    extra_generic:
        More words that must never be reported as unmatched (e.g. the table's entity noun).
    reserved:
        Token indexes already explained by the question's chart grammar ("desc" in "order by y desc"),
        which must not be matched to a column.
    soft:
        Token indexes that may name a column only by its own spelling (the entity noun: "orders" is the
        `Order_Total` column only in "order total", never by fuzzy containment).
    values:
        Every distinct value of some categorical columns (see `categorical_values`); without it only the
        profile's top values can be recognised ("revenue in Malta" needs the full list).

    Returns
    -------
    ColumnMapping with column matches (exact > variant > fuzzy, longest phrase first), value matches,
    and the field-like terms ("profit" in "profit by country") that matched nothing.
    """
    tokens = tokenize(question)
    # a value of two or more words is read before the columns: in "students in Lakeview School" the word
    # "School" is part of a value, not the `school` column; the entity noun may be one of its words ("Ticket
    # Window" in a file of lift tickets), as the whole value is spelled out
    long_values = _match_values(tokens, question, profile, set(reserved), values, sizes=(3, 2))
    in_values = {k for v in long_values for k in range(v.start, v.end)}
    matches = _match_columns(tokens, question, profile, set(reserved) | in_values, set(soft),
                             _spelled_values(tokens, profile, values))
    used = {k for m in matches for k in range(m.start, m.end)} | set(reserved) | set(soft) | in_values
    named = sorted(long_values + _match_values(tokens, question, profile, used, values, sizes=(1,)),
                   key=lambda v: v.start)
    used.update(k for v in named for k in range(v.start, v.end))
    generic = frozenset(stem(w) for w in extra_generic)
    # only a column named by its own words absorbs a qualifier: "age rating" -> Rating, "relative humidity" ->
    # humidity_pct, but "insurance cost" is not the Price column a synonym found for "cost"
    column_tokens = frozenset(k for m in matches if m.kind in ("exact", "variant", "fuzzy")
                              for k in range(m.start, m.end))
    substitutes = frozenset(k for m in matches if m.kind == "synonym" for k in range(m.start, m.end))
    missing, unknown, where = _unmatched(tokens, used, generic, column_tokens, frozenset(soft), substitutes)
    # a term made only of words some column's name holds is no field the table lacks, though the column was
    # taken by another phrase ("Test type split of tests" on a `TestName` column: the tests are its rows)
    part_stems = {stem(p) for c in profile.columns for p in split_name(c.name) if len(p) > 2}
    missing = [t for t in missing if not all(stem(w) in part_stems for w in t.split())]
    for term, column in _named_by_values(missing, matches, profile, values):
        # "by berth" on a `Terminal` column holding "Riverside Berths": the grouping is named by its values' word
        missing.remove(term)
        start, end = where[term]
        matches = sorted([*matches, TermMatch(term=term, column=column, kind="value-word", start=start, end=end)],
                         key=lambda m: m.start)
    for term, column in _asked_among_values(missing, where, tokens, named, matches):
        # "Dun Laoghaire or Kinsale: which harbour had more stays?": the kind of thing both named values are
        missing.remove(term)
        start, end = where[term]
        matches = sorted([*matches, TermMatch(term=term, column=column, kind="value-word", start=start, end=end)],
                         key=lambda m: m.start)
    missing, matches = _qualified_dates(missing, matches, where, tokens, used, profile)
    return ColumnMapping(matches=matches, values=named, unmatched=missing, unrecognized=unknown)


def _asked_among_values(missing: Sequence[str], where: dict[str, tuple[int, int]], tokens: Sequence[Token],
                        named: Sequence[ValueMatch], matches: Sequence[TermMatch]) -> list[tuple[str, str]]:
    """A missing word right after "which" or "what" when the question names two or more values of one column.

    Why: in "A or B: which harbour had more stays?" and "A vs B, which jurisdiction comes out ahead?" the word
    asks which of the named values wins, so it is the kind of thing they are, whatever the column is called;
    without two named values of one column "which harbour" still names a field the table may lack.
    """
    by_column = Counter(v.column for v in named)
    columns = [c for c, n in by_column.items() if n >= 2 and not any(m.column == c for m in matches)]
    if len(columns) != 1:
        return []
    out = []
    for term in missing:
        start, _end = where[term]
        if start > 0 and tokens[start - 1].lower in ("which", "what", "whichever") and len(term.split()) == 1:
            out.append((term, columns[0]))
    return out[:1]


#: field-well labels: what follows "x-axis:" or "group =" is a column, even a word like "make"
_WELL_LABELS = frozenset({"x", "y", "axis", "group", "colour", "color", "series", "stack", "legend", "facet"})

#: the words that end a name for the table's date: "arrival date", "sale timestamp" (not "time": "cycle time" is a
#: duration)
_DATE_HEADS = frozenset({"date", "dates", "timestamp", "datetime"})
#: short date-column names whose kind is known (stems of the word people say for it)
_DATE_ABBREVIATIONS = {"dob": stem("birth"), "eta": stem("arrival"), "ata": stem("arrival"), "etd": stem("departure"),
                       "atd": stem("departure")}
#: kinds of date that are their own column when a table has them: named on a table with one plain `Date`, the
#: question asks for a date the table lacks
_EVENT_DATES = frozenset(stem(w) for w in ("birth", "hire", "start", "end", "expiry", "expiration", "due", "death",
                                           "renewal", "termination", "leaving", "release", "admission", "discharge",
                                           "graduation", "closing", "opening", "return", "delivery"))


def _qualified_dates(missing: list[str], matches: list[TermMatch], where: dict[str, tuple[int, int]],
                     tokens: Sequence[Token], used: set[int], profile: DataProfile
                     ) -> tuple[list[str], list[TermMatch]]:
    """An unknown word before a date word ("per month across arrival date" on a table whose one date column is
    `ATA` or `Date`) names that date column: what kind of date it is cannot be another column when there is no
    other. A date column whose name says what kind it is (`insp_date`) is not "reinspection date": that
    qualifier names a date the table lacks."""
    dates = [c.name for c in profile.columns if c.role == "temporal" and not c.all_null]
    if len(dates) != 1 or any(len(p) > 3 and p.lower() not in _DATE_HEADS for p in split_name(dates[0])):
        return missing, matches
    known = {_DATE_ABBREVIATIONS.get(p.lower()) for p in split_name(dates[0])} - {None}
    for term in list(missing):
        start, end = where[term]
        if end >= len(tokens) or tokens[end].lower not in _DATE_HEADS:
            continue
        if (known and stem(term) not in known) or (not known and stem(term) in _EVENT_DATES):
            continue  # "hire date" on a `DOB` column, "expiry date" on a bare `Date`: a date the table lacks
        if end in used and not any(m.column == dates[0] and m.start <= end < m.end for m in matches):
            continue  # the date word belongs to another column
        missing.remove(term)
        if end not in used:
            matches = sorted([*matches, TermMatch(term=f"{term} {tokens[end].text}", column=dates[0], kind="synonym",
                                                  start=start, end=end + 1)], key=lambda m: m.start)
    return missing, matches


#: groupings named by what their values are, whatever the column is called: a `Division` of "Men" and "Women"
#: is what "per gender" (or a lexicon synonym of it: "sex") means. Only whole-value sets that are all of the
#: concept's kind count.
_VALUE_CONCEPTS: dict[str, frozenset[str]] = {
    "gender": frozenset({"male", "female", "men", "women", "man", "woman", "m", "f", "boys", "girls", "boy", "girl",
                         "other", "non-binary", "nonbinary", "unknown", "x"}),
}


def _named_by_values(missing: Sequence[str], matches: Sequence[TermMatch], profile: DataProfile,
                     values: ValueIndex | None) -> list[tuple[str, str]]:
    """Missing terms whose head word is a word inside the values of exactly one text category not named yet.

    Why: people name a grouping by what its members are called. A `Terminal` column whose values are "North
    Quay" and "Riverside Berths" is what "by quay" and "per berth" mean, and a `clinic` column holding "Meadow
    Lane Practice" is "per practice". A known field noun ("country", "city") is never taken this way: a table
    without a country is told so even when a value happens to hold the word ("Country Club").
    """
    from sgr.autoviz.lexicon import names_a_field, synonyms

    named = {m.column for m in matches}
    words_of: dict[str, set[str]] = {}
    #: the last word of two or more values of two or more words: their shared head noun ("Quarry" in "Hollins
    #: Quarry" and "Black Rock Quarry", not in "Quarry Dust", which is a kind of dust; a surname heads one value)
    heads_of: dict[str, set[str]] = {}
    concept_hits: dict[str, list[str]] = {}
    for col in profile.columns:
        if col.role != "categorical" or col.numeric or col.name in named:
            continue
        vals = values.get(col.name) if values else None
        said = [str(v) for v in (vals if vals is not None else [v for v, _n in col.top_values or []])]
        words_of[col.name] = {stem(w) for v in said for w in _WORD.findall(v) if len(w) > 2 and not w.isdigit()}
        headed = Counter(stem(ws[-1]) for v in said if (ws := _WORD.findall(v)) and len(ws) > 1
                         and not ws[-1].isdigit())
        heads_of[col.name] = {w for w, n in headed.items() if n >= 2}
        lowered = {v.strip().lower() for v in said}
        for concept, members in _VALUE_CONCEPTS.items():
            if len(lowered) >= 2 and lowered <= members:
                concept_hits.setdefault(concept, []).append(col.name)
    out: list[tuple[str, str]] = []
    for term in missing:
        head = term.split()[-1]
        if len(head) < 3:
            continue
        concept = next((c for c in _VALUE_CONCEPTS if synonyms(head, c)), None)
        hits = [c for c in concept_hits.get(concept or "", []) if c in words_of] if concept else []
        if not hits and names_a_field(head):
            continue
        hits = hits or ([c for c, ws in words_of.items() if stem(head) in ws] if len(head) >= 4 else [])
        if len(hits) > 1 and len(head) >= 4:
            # the word heads values of one column and only qualifies another's: "per quarry" is `Site` ("Hollins
            # Quarry", "Black Rock Quarry"), not `Product` ("Quarry Dust")
            hits = [c for c in hits if stem(head) in heads_of.get(c, set())]
        if len(hits) == 1:
            out.append((term, hits[0]))
            words_of.pop(hits[0])
    return out


def categorical_values(table: Table, profile: DataProfile, *, max_distinct: int = 500) -> dict[str, list[str]]:
    """Every distinct value of each text categorical/boolean column with at most `max_distinct` values.

    Why: the profile keeps only the top 5 values, so "revenue in Malta" on a 40-country table would be
    neither a filter nor an unmatched term. One small DuckDB query per column, sorted, so it is deterministic.
    """
    from sgr.autoviz.data import qi

    out: dict[str, list[str]] = {}
    for col in profile.columns:
        if (col.role not in ("categorical", "boolean") or col.all_null or col.distinct > max_distinct
                or col.numeric):
            continue
        rows = table.con.execute(
            f"SELECT DISTINCT CAST({qi(col.name)} AS VARCHAR) AS v FROM {qi(table.name)} "
            f"WHERE {qi(col.name)} IS NOT NULL ORDER BY v LIMIT {int(max_distinct) + 1}").fetchall()
        if len(rows) <= max_distinct:
            out[col.name] = [str(r[0]) for r in rows]
    return out
