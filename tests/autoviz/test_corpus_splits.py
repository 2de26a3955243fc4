"""The phrasing corpus' splits: the older ones stay fixed, the later ones are sized, valid and apart.

`benchmarks/corpus` builds every case from fixed seeds. Adding a split of phrasings nobody tuning the
parser looks at (fresh2 in one round, fresh3 in the next, fresh4 after that, fresh5 in round 6, fresh6 in
round 7, fresh7 in round 8, fresh8 in round 9, fresh9 in round 10, fresh10 in round 11, fresh11 in round 12) must
not move a single older case, or scores measured before and after it would not compare; the digests below pin them.
None of these checks runs AutoViz, and no assertion message quotes a fresh11 question (fresh11 is the clean measure
now; fresh10 became a tuning split in round 12, as fresh9 did in round 11).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from benchmarks.corpus.questions import (
    CATEGORIES,
    FRESH2_TEMPLATES,
    FRESH3_TEMPLATES,
    FRESH4_TEMPLATES,
    FRESH5_TEMPLATES,
    FRESH6_TEMPLATES,
    FRESH7_TEMPLATES,
    FRESH8_TEMPLATES,
    FRESH9_TEMPLATES,
    FRESH10_TEMPLATES,
    FRESH11_TEMPLATES,
    FRESH_TEMPLATES,
    TEMPLATES,
    Case,
    build_cases,
    validate_cases,
)
from benchmarks.corpus.tables import TABLES

pytestmark = pytest.mark.slow

#: sha256 over the tune/heldout/fresh cases (JSON lines, sorted keys, without the temp path) as they were
#: before fresh2 was added; change it only on purpose, knowing every earlier score stops being comparable
OLDER_DIGEST = "148f629a703c97ae745c5a3ad648aa0d89c4f147f260235094e230f96651129c"
OLDER_COUNTS = {"tune": 406, "heldout": 404, "fresh": 223}
#: the same over each later split's own cases, as they were before the next split was added: (count, digest)
SPLIT_DIGESTS = {
    "fresh2": (266, "2faf6ee1acc7cae8ad9fe23e4c5572dccbf32680d50c1502e7286d0138526acb"),
    "fresh3": (277, "b26c8729311de5713e1c69ff35b03069e11dc36ae2e70e0f2b173a72d6e6f926"),
    "fresh4": (441, "22e37129b0f2853a018b0856349cddd8ecf17c7a296909858fa3c16dd37af54b"),
    "fresh5": (499, "ff7d6a465f3fc05ceeeb903189f1b622e5b05480db4d110afbf3258b2978cfa8"),
    "fresh6": (550, "c8fcad26bb505236aee776cdd75d283a32313ba9f0f201232c24dce79a8bbb84"),
    "fresh7": (495, "c5e729eb1f5b3426d06c5dd322d6d3b1744ac5e3c40e3f2c8525ec087d3a8fb5"),
    "fresh8": (488, "47de9a1ee3325b5fdcca10c95438d178276d21887bd708276b9048fc9606f520"),
    "fresh9": (476, "5da174e5dcd1769012beeaf98ecb806c96e3d97847996dd1cbe91bd422fb408e"),
    "fresh10": (483, "0139aa1a8385a2dad6ee6fcee7394e46d17d1ea2aec7928d04586b12c1cfaa1b"),
}
#: the same over every case built before a split was added (all older splits, in build order), computed before
#: that split's tables and pass existed: adding them moved nothing
BEFORE_DIGESTS = {
    "fresh3": "f441d21163df36e0e88efb8d092621e14185e92cd1fac55bf9df79bc482f8c70",
    "fresh4": "8c2760b21893a6dff326fbb2e8c2cc23f28638d9816369fcb43249a091ea3dc3",
    "fresh5": "73a058035781b1c021f31aa164c952f7aa6efe903c9a6d6a7933fc7c37880002",
    "fresh6": "939cd9f83cf649c51b26f38e26bbd08125a75b492d205486728de4eba2f84541",
    "fresh7": "ea5ad12ae82a1996431e977516bed9dc26e1e1dcdc4450c13df2e04bd81d57c5",
    "fresh8": "7b395820d1008fc9727d48c305a80619c65a005a6e48e77e53352057b5980848",
    "fresh9": "1bd112032de78785f5e6cb7fb4e324769d302a05a7e59fb6383b81c0147cdea5",
    "fresh10": "ddea5b6752db92e644bf2027868a47fc693d92ac41f33e449195629e4c21a099",
    "fresh11": "9e35711e3c3418bd3abec2bd16d5b5dd7df59b85e1c61e7fd5133f0b8a5b0808",
}
#: the splits built after the first pass, in build order
LATER = ("fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11")


@dataclass(frozen=True)
class Round:
    """What one later split promises: its size, its ids, its unanswerable shapes, its templates, its tables."""

    split: str
    templates: dict[str, Any]
    #: its ids and rng seeds use k and k + 1
    k: int
    size: tuple[int, int | None]
    min_per_category: int
    min_unanswerable: int
    #: how many different unanswerable templates its cases use (missing measure, dimension and both among them)
    min_unanswerable_templates: int
    #: how many tables its questions cover (0: not checked)
    min_tables: int = 0
    #: templates: at least this many per category and in all
    min_templates_per_category: int = 6
    min_templates: int = 150
    #: every sort template is a whole sentence (full=True)
    sorted_full: bool = False
    #: every template yields at least one case
    uses_every_template: bool = True
    #: how many tables were added for this round (None: none were)
    added_tables: tuple[int, int] | None = None


ROUNDS = {
    r.split: r
    for r in (
        Round("fresh2", FRESH2_TEMPLATES, k=10, size=(200, 280), min_per_category=5, min_unanswerable=10,
              min_unanswerable_templates=8, min_templates_per_category=5, min_templates=120,
              uses_every_template=False),
        Round("fresh3", FRESH3_TEMPLATES, k=12, size=(220, 280), min_per_category=8, min_unanswerable=20,
              min_unanswerable_templates=8),
        Round("fresh4", FRESH4_TEMPLATES, k=14, size=(250, None), min_per_category=8, min_unanswerable=20,
              min_unanswerable_templates=8, min_tables=30, sorted_full=True, added_tables=(6, 6)),
        Round("fresh5", FRESH5_TEMPLATES, k=16, size=(400, None), min_per_category=10, min_unanswerable=30,
              min_unanswerable_templates=10, min_tables=30, sorted_full=True, added_tables=(5, 6)),
        Round("fresh6", FRESH6_TEMPLATES, k=18, size=(450, 560), min_per_category=10, min_unanswerable=30,
              min_unanswerable_templates=10, min_tables=30, sorted_full=True, added_tables=(6, 8)),
        Round("fresh7", FRESH7_TEMPLATES, k=20, size=(450, 620), min_per_category=10, min_unanswerable=30,
              min_unanswerable_templates=10, min_tables=30, sorted_full=True, added_tables=(6, 8)),
        Round("fresh8", FRESH8_TEMPLATES, k=22, size=(450, 620), min_per_category=10, min_unanswerable=30,
              min_unanswerable_templates=10, min_tables=30, sorted_full=True, added_tables=(6, 8)),
        Round("fresh9", FRESH9_TEMPLATES, k=24, size=(450, 620), min_per_category=10, min_unanswerable=30,
              min_unanswerable_templates=10, min_tables=30, sorted_full=True, added_tables=(6, 8)),
        # a mod-11 line meets the unanswerable category on seven older tables (fresh9's mod-7 line on nine),
        # so with two per pair fresh10 has at most 26 unanswerable cases: it asks for 24 of them
        Round("fresh10", FRESH10_TEMPLATES, k=26, size=(450, 620), min_per_category=10, min_unanswerable=24,
              min_unanswerable_templates=12, min_tables=30, sorted_full=True, added_tables=(6, 8)),
        # a mod-13 line meets the unanswerable category on six older tables (fresh10's mod-11 line on seven), so
        # with two per pair on those and on the six tables added for it fresh11 has at most 24 unanswerable cases:
        # it asks for all of them
        Round("fresh11", FRESH11_TEMPLATES, k=28, size=(450, 620), min_per_category=10, min_unanswerable=24,
              min_unanswerable_templates=12, min_tables=30, sorted_full=True, added_tables=(6, 8)),
    )
}
assert tuple(ROUNDS) == LATER
#: every template list in the order it was written, for "a later round repeats no older phrasing"
_WRITTEN = (("tune", TEMPLATES), ("fresh", FRESH_TEMPLATES), *((r.split, r.templates) for r in ROUNDS.values()))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    return build_cases(Path(tmp_path_factory.mktemp("corpus")))


def _line(case: Case) -> str:
    d = case.to_dict()
    d.pop("path")
    return json.dumps(d, sort_keys=True, default=str) + "\n"


def _digest(cases: list[Case]) -> str:
    return hashlib.sha256("".join(_line(c) for c in cases).encode()).hexdigest()


def _norm(text: str) -> str:
    """A template's words, lower-cased, without punctuation: 'Top {K} {DP}, by {Y}.' -> 'top {k} {dp} by {y}'."""
    return " ".join(re.sub(r"[^a-z0-9{}]+", " ", text.lower()).split())


def test_older_splits_are_byte_identical(cases: list[Case]) -> None:
    older = [c for c in cases if c.split not in LATER]
    assert Counter(c.split for c in older) == OLDER_COUNTS
    assert _digest(older) == OLDER_DIGEST
    for split, (count, digest) in SPLIT_DIGESTS.items():
        own = [c for c in cases if c.split == split]
        assert len(own) == count, (split, len(own))
        assert _digest(own) == digest, f"a {split} case moved"
    for split, digest in BEFORE_DIGESTS.items():
        before = [c for c in cases if c.split not in LATER[LATER.index(split):]]
        assert _digest(before) == digest, f"a case older than {split} moved"
    splits = [c.split for c in cases]
    last_older = max(i for i, s in enumerate(splits) if s not in LATER)
    tail = splits[last_older + 1:]
    assert set(tail) == set(LATER)
    assert tail == sorted(tail, key=LATER.index), "each later split's cases come after every older split's, in order"


def test_ids_and_questions_are_unique(cases: list[Case]) -> None:
    # counts first, so that even a failing assertion's introspection prints no (fresh11) question
    n, n_ids, n_questions = len(cases), len({c.id for c in cases}), len({c.question.lower() for c in cases})
    assert n_ids == n
    assert n_questions == n, "a question occurs twice"


@pytest.mark.parametrize("split", LATER)
def test_split_is_sized_and_covers_every_category(cases: list[Case], split: str) -> None:
    r = ROUNDS[split]
    own = [c for c in cases if c.split == split]
    lo, hi = r.size
    n_own, n_tables = len(own), len({c.table for c in own})  # counts: a failure prints no question
    assert lo <= n_own and (hi is None or n_own <= hi), n_own
    assert n_tables >= r.min_tables, n_tables
    per_category = Counter(c.category for c in own)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= r.min_per_category, per_category
    ks = (str(r.k), str(r.k + 1))
    assert all(c.id.rsplit(".", 1)[1] in ks for c in own), f"{split} ids use k = {ks[0]} and {ks[1]}"
    unanswerable = [c for c in own if not c.answerable]
    n_unanswerable, labelled = len(unanswerable), all(c.label is None and c.missing for c in unanswerable)
    assert n_unanswerable >= r.min_unanswerable and labelled, n_unanswerable
    # several shapes: missing measure, missing dimension, both, in a filter, in a colour or second grouping
    used = {int(c.style.rsplit(".", 1)[1]) for c in unanswerable}
    needs = Counter(r.templates["unanswerable"][i].get("need") for i in used)
    assert {"measure", "dim", "both"} <= set(needs) and len(used) >= r.min_unanswerable_templates, (needs, len(used))


@pytest.mark.parametrize("split", [s for s in LATER if ROUNDS[s].added_tables])
def test_split_tables_carry_no_older_question(cases: list[Case], split: str) -> None:
    """The tables added for a round carry questions of that round (every category) and later rounds only."""
    added = {t.stem for t in TABLES if t.split == split}
    lo, hi = ROUNDS[split].added_tables or (0, 0)
    assert lo <= len(added) <= hi, added
    allowed = LATER[LATER.index(split):]
    assert not [c.id for c in cases if c.table in added and c.split not in allowed]
    for stem in added:
        on_table = {c.category for c in cases if c.split == split and c.table == stem}
        assert on_table == set(CATEGORIES), (stem, set(CATEGORIES) - on_table)


@pytest.mark.parametrize("split", LATER)
def test_split_questions_are_apart_from_every_other_split(cases: list[Case], split: str) -> None:
    others = {c.question.lower() for c in cases if c.split != split}
    own = [c.question.lower() for c in cases if c.split == split]
    n_distinct, n_own = len(set(own)), len(own)  # counts: a failure prints no question
    assert n_distinct == n_own, f"a {split} question occurs twice"
    shared = sum(q in others for q in own)
    assert shared == 0, f"{shared} {split} question(s) also occur in another split"


@pytest.mark.parametrize("split", LATER)
def test_split_phrasings_are_new(split: str) -> None:
    r = ROUNDS[split]
    written = [name for name, _ in _WRITTEN]
    older_norm = {_norm(t.text) for _, templates in _WRITTEN[:written.index(split)] for ts in templates.values()
                  for t in ts}
    assert set(r.templates) == set(CATEGORIES)
    assert sum(len(ts) for ts in r.templates.values()) >= r.min_templates
    for category, templates in r.templates.items():
        assert len(templates) >= r.min_templates_per_category, category
        assert len({_norm(t.text) for t in templates}) == len(templates), category
        repeats = sum(_norm(t.text) in older_norm for t in templates)
        assert repeats == 0, f"{category}: {repeats} {split} template(s) repeat an older one"
    if r.sorted_full:
        assert all(t.get("full") for t in r.templates["sorted"]), f"{split} sort templates are whole sentences"


@pytest.mark.parametrize("split", [s for s in LATER if ROUNDS[s].uses_every_template])
def test_split_uses_every_template(cases: list[Case], split: str) -> None:
    used = {c.style for c in cases if c.split == split}
    unused = [f"{cat}.{i:02d}" for cat, ts in ROUNDS[split].templates.items() for i in range(len(ts))
              if f"{cat}.{i:02d}" not in used]
    assert not unused, unused


@pytest.mark.parametrize("split", LATER)
def test_split_cases_validate(cases: list[Case], split: str) -> None:
    problems = validate_cases([c for c in cases if c.split == split])
    assert not problems, f"{len(problems)} problem(s), e.g. {problems[0]}"


@pytest.mark.parametrize("split", ["fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11"])
def test_split_names_columns_by_synonyms_on_its_tables(cases: list[Case], split: str) -> None:
    """On the tables added for the round, questions outside the synonym category also use people's words."""
    by_stem = {t.stem: t for t in TABLES if t.split == split}
    hits = 0
    for case in cases:
        if case.split != split or case.table not in by_stem or case.category == "synonym" or case.label is None:
            continue
        text = case.question.lower()
        for key in ("x", "y", "color"):
            name = case.label[key]
            if name is None:
                continue
            col = by_stem[case.table].column(name)
            if any(re.search(rf"\b{re.escape(s.lower())}\b", text) for s in col.synonyms):
                hits += 1
                break
    assert hits >= 20, hits


def test_fresh6_names_columns_by_their_headers(cases: list[Case]) -> None:
    """fresh6's raw=True templates name each column they mention exactly as its header is typed ('Gear_Type')."""
    raw = {f"{cat}.{i:02d}" for cat, ts in FRESH6_TEMPLATES.items() for i, t in enumerate(ts) if t.get("raw")}
    by_stem = {t.stem: t for t in TABLES}
    checked = 0
    for case in cases:
        if case.split != "fresh6" or case.style not in raw or case.label is None:
            continue
        names = [case.label[key] for key in ("x", "y", "color")] + [f["column"] for f in case.label["filters"]]
        spec = by_stem[case.table]
        # a date column may go unnamed ("... by month"), every other one is named by its header
        for name in names:
            if name is not None and spec.column(name).kind != "date":
                assert name in case.question, (case.id, name)
        checked += 1
    assert checked >= 60, checked


def test_stats_show_no_fresh11_question(cases: list[Case], capsys: pytest.CaptureFixture[str]) -> None:
    """`--stats` prints examples from every split but fresh11, the clean measure of round 12."""
    from benchmarks.corpus.questions import _print_stats

    _print_stats(cases, examples=len(cases), seed=0)
    out = capsys.readouterr().out.lower()
    shown = sum(c.question.lower() in out for c in cases if c.split == "fresh11")
    assert shown == 0, f"{shown} fresh11 question(s) printed"
    assert any(c.question.lower() in out for c in cases if c.split == "fresh10"), "fresh10 examples may be shown now"
