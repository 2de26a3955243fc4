"""The phrasing corpus' splits: the older ones stay fixed, fresh4 and fresh5 are sized, valid and apart.

`benchmarks/corpus` builds every case from fixed seeds. Adding a split of phrasings nobody tuning the
parser looks at (fresh2 in one round, fresh3 in the next, fresh4 after that, fresh5 in round 6) must not
move a single older case, or scores measured before and after it would not compare; the digests below pin
them. None of these checks runs AutoViz, and no assertion message quotes a fresh5 question (fresh5 is the
clean measure now; fresh4 became a tuning split in round 6).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.corpus.questions import (
    CATEGORIES,
    FRESH2_TEMPLATES,
    FRESH3_TEMPLATES,
    FRESH4_TEMPLATES,
    FRESH5_TEMPLATES,
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
#: the same over the fresh2 cases, as they were before fresh3 was added
FRESH2_DIGEST = "2faf6ee1acc7cae8ad9fe23e4c5572dccbf32680d50c1502e7286d0138526acb"
FRESH2_COUNT = 266
#: the same over every case but fresh3 (tune, heldout, fresh, fresh2 in build order)
BEFORE_FRESH3_DIGEST = "f441d21163df36e0e88efb8d092621e14185e92cd1fac55bf9df79bc482f8c70"
#: the same over the fresh3 cases, as they were before fresh4 was added
FRESH3_DIGEST = "b26c8729311de5713e1c69ff35b03069e11dc36ae2e70e0f2b173a72d6e6f926"
FRESH3_COUNT = 277
#: the same over every case but fresh4 (tune, heldout, fresh, fresh2, fresh3 in build order)
BEFORE_FRESH4_DIGEST = "8c2760b21893a6dff326fbb2e8c2cc23f28638d9816369fcb43249a091ea3dc3"
#: the same over the fresh4 cases, as they were before fresh5 was added
FRESH4_DIGEST = "22e37129b0f2853a018b0856349cddd8ecf17c7a296909858fa3c16dd37af54b"
FRESH4_COUNT = 441
#: the same over every case but fresh5 (tune, heldout, fresh, fresh2, fresh3, fresh4 in build order), computed
#: before fresh5 was added: adding its tables and its pass moved nothing
BEFORE_FRESH5_DIGEST = "73a058035781b1c021f31aa164c952f7aa6efe903c9a6d6a7933fc7c37880002"
#: the splits built after the first pass, in build order
LATER = ("fresh2", "fresh3", "fresh4", "fresh5")


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    return build_cases(Path(tmp_path_factory.mktemp("corpus")))


def _line(case: Case) -> str:
    d = case.to_dict()
    d.pop("path")
    return json.dumps(d, sort_keys=True, default=str) + "\n"


def _digest(cases: list[Case]) -> str:
    return hashlib.sha256("".join(_line(c) for c in cases).encode()).hexdigest()


def test_older_splits_are_byte_identical(cases: list[Case]) -> None:
    older = [c for c in cases if c.split not in LATER]
    assert Counter(c.split for c in older) == OLDER_COUNTS
    assert _digest(older) == OLDER_DIGEST
    fresh2 = [c for c in cases if c.split == "fresh2"]
    assert len(fresh2) == FRESH2_COUNT
    assert _digest(fresh2) == FRESH2_DIGEST
    assert _digest([c for c in cases if c.split not in ("fresh3", "fresh4", "fresh5")]) == BEFORE_FRESH3_DIGEST
    fresh3 = [c for c in cases if c.split == "fresh3"]
    assert len(fresh3) == FRESH3_COUNT
    assert _digest(fresh3) == FRESH3_DIGEST
    assert _digest([c for c in cases if c.split not in ("fresh4", "fresh5")]) == BEFORE_FRESH4_DIGEST
    fresh4 = [c for c in cases if c.split == "fresh4"]
    assert len(fresh4) == FRESH4_COUNT
    assert _digest(fresh4) == FRESH4_DIGEST
    assert _digest([c for c in cases if c.split != "fresh5"]) == BEFORE_FRESH5_DIGEST
    splits = [c.split for c in cases]
    last_older = max(i for i, s in enumerate(splits) if s not in LATER)
    last_fresh2 = max(i for i, s in enumerate(splits) if s == "fresh2")
    last_fresh3 = max(i for i, s in enumerate(splits) if s == "fresh3")
    last_fresh4 = max(i for i, s in enumerate(splits) if s == "fresh4")
    assert all(s == "fresh2" for s in splits[last_older + 1:last_fresh2 + 1]), "fresh2 cases come after older ones"
    assert all(s == "fresh3" for s in splits[last_fresh2 + 1:last_fresh3 + 1]), "fresh3 cases come after fresh2"
    assert all(s == "fresh4" for s in splits[last_fresh3 + 1:last_fresh4 + 1]), "fresh4 cases come after fresh3"
    assert all(s == "fresh5" for s in splits[last_fresh4 + 1:]), "fresh5 cases come after all others"


def test_fresh2_is_sized_and_covers_every_category(cases: list[Case]) -> None:
    fresh2 = [c for c in cases if c.split == "fresh2"]
    assert 200 <= len(fresh2) <= 280, len(fresh2)
    per_category = Counter(c.category for c in fresh2)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= 5, per_category
    unanswerable = [c for c in fresh2 if not c.answerable]
    assert len(unanswerable) >= 10 and all(c.label is None and c.missing for c in unanswerable)


def test_fresh3_is_sized_and_covers_every_category(cases: list[Case]) -> None:
    fresh3 = [c for c in cases if c.split == "fresh3"]
    assert 220 <= len(fresh3) <= 280, len(fresh3)
    per_category = Counter(c.category for c in fresh3)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= 8, per_category
    assert all(c.id.rsplit(".", 1)[1] in ("12", "13") for c in fresh3), "fresh3 ids use k = 12 and 13"
    unanswerable = [c for c in fresh3 if not c.answerable]
    assert len(unanswerable) >= 20 and all(c.label is None and c.missing for c in unanswerable)
    # several shapes: missing measure, missing dimension, both, in a filter, in a colour or second grouping
    used = {int(c.style.rsplit(".", 1)[1]) for c in unanswerable}
    needs = Counter(FRESH3_TEMPLATES["unanswerable"][i].get("need") for i in used)
    assert {"measure", "dim", "both"} <= set(needs) and len(used) >= 8, (needs, len(used))
    assert len({c.id for c in cases}) == len(cases)
    assert len({c.question.lower() for c in cases}) == len(cases), "a question occurs twice"


def test_fresh3_phrasings_are_new() -> None:
    older = {t.text for templates in (TEMPLATES, FRESH_TEMPLATES, FRESH2_TEMPLATES) for ts in templates.values()
             for t in ts}
    assert set(FRESH3_TEMPLATES) == set(CATEGORIES)
    for category, templates in FRESH3_TEMPLATES.items():
        assert len(templates) >= 4, category
        assert len({t.text for t in templates}) == len(templates), category
        assert not [t for t in templates if t.text in older], f"{category}: a fresh3 template repeats an older one"
    for category in ("explicit_bar", "explicit_pie", "explicit_line", "explicit_scatter", "synonym",
                     "filter_value", "filter_threshold"):
        assert len(FRESH3_TEMPLATES[category]) >= 6, category


def test_fresh3_uses_every_template(cases: list[Case]) -> None:
    used = {c.style for c in cases if c.split == "fresh3"}
    unused = [f"{cat}.{i:02d}" for cat, ts in FRESH3_TEMPLATES.items() for i in range(len(ts))
              if f"{cat}.{i:02d}" not in used]
    assert not unused, unused


def test_fresh2_and_fresh3_cases_validate(cases: list[Case]) -> None:
    problems = validate_cases([c for c in cases if c.split in ("fresh2", "fresh3")])
    assert not problems, f"{len(problems)} problem(s), e.g. {problems[0]}"


def _norm(text: str) -> str:
    """A template's words, lower-cased, without punctuation: 'Top {K} {DP}, by {Y}.' -> 'top {k} {dp} by {y}'."""
    return " ".join(re.sub(r"[^a-z0-9{}]+", " ", text.lower()).split())


def test_fresh4_is_sized_and_covers_every_category(cases: list[Case]) -> None:
    fresh4 = [c for c in cases if c.split == "fresh4"]
    assert len(fresh4) >= 250, len(fresh4)
    assert len({c.table for c in fresh4}) >= 30, len({c.table for c in fresh4})
    per_category = Counter(c.category for c in fresh4)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= 8, per_category
    assert all(c.id.rsplit(".", 1)[1] in ("14", "15") for c in fresh4), "fresh4 ids use k = 14 and 15"
    unanswerable = [c for c in fresh4 if not c.answerable]
    assert len(unanswerable) >= 20 and all(c.label is None and c.missing for c in unanswerable)
    used = {int(c.style.rsplit(".", 1)[1]) for c in unanswerable}
    needs = Counter(FRESH4_TEMPLATES["unanswerable"][i].get("need") for i in used)
    assert {"measure", "dim", "both"} <= set(needs) and len(used) >= 8, (needs, len(used))
    # the tables added for fresh4 carry no question older than fresh4 (fresh5, written later, asks about them
    # too), and every one of them carries some fresh4 questions
    added = {t.stem for t in TABLES if t.split == "fresh4"}
    assert added and added <= {c.table for c in fresh4}
    assert not [c.id for c in cases if c.table in added and c.split not in ("fresh4", "fresh5")]


def test_fresh4_questions_are_apart_from_every_other_split(cases: list[Case]) -> None:
    others = {c.question.lower() for c in cases if c.split != "fresh4"}
    fresh4 = [c.question.lower() for c in cases if c.split == "fresh4"]
    assert len(set(fresh4)) == len(fresh4), "a fresh4 question occurs twice"
    shared = sum(q in others for q in fresh4)
    assert shared == 0, f"{shared} fresh4 question(s) also occur in another split"


def test_fresh4_phrasings_are_new() -> None:
    older = [t.text for templates in (TEMPLATES, FRESH_TEMPLATES, FRESH2_TEMPLATES, FRESH3_TEMPLATES)
             for ts in templates.values() for t in ts]
    older_norm = {_norm(t) for t in older}
    assert set(FRESH4_TEMPLATES) == set(CATEGORIES)
    assert sum(len(ts) for ts in FRESH4_TEMPLATES.values()) >= 150
    for category, templates in FRESH4_TEMPLATES.items():
        assert len(templates) >= 6, category
        assert len({_norm(t.text) for t in templates}) == len(templates), category
        repeats = sum(_norm(t.text) in older_norm for t in templates)
        assert repeats == 0, f"{category}: {repeats} fresh4 template(s) repeat an older one"
    assert all(t.get("full") for t in FRESH4_TEMPLATES["sorted"]), "fresh4 sort templates are whole sentences"


def test_fresh4_uses_every_template(cases: list[Case]) -> None:
    used = {c.style for c in cases if c.split == "fresh4"}
    unused = [f"{cat}.{i:02d}" for cat, ts in FRESH4_TEMPLATES.items() for i in range(len(ts))
              if f"{cat}.{i:02d}" not in used]
    assert not unused, unused


def test_fresh4_cases_validate(cases: list[Case]) -> None:
    problems = validate_cases([c for c in cases if c.split == "fresh4"])
    assert not problems, f"{len(problems)} problem(s), e.g. {problems[0]}"


def test_fresh5_is_sized_and_covers_every_category(cases: list[Case]) -> None:
    fresh5 = [c for c in cases if c.split == "fresh5"]
    assert len(fresh5) >= 400, len(fresh5)
    assert len({c.table for c in fresh5}) >= 30, len({c.table for c in fresh5})
    per_category = Counter(c.category for c in fresh5)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= 10, per_category
    assert all(c.id.rsplit(".", 1)[1] in ("16", "17") for c in fresh5), "fresh5 ids use k = 16 and 17"
    unanswerable = [c for c in fresh5 if not c.answerable]
    assert len(unanswerable) >= 30 and all(c.label is None and c.missing for c in unanswerable)
    used = {int(c.style.rsplit(".", 1)[1]) for c in unanswerable}
    needs = Counter(FRESH5_TEMPLATES["unanswerable"][i].get("need") for i in used)
    assert {"measure", "dim", "both"} <= set(needs) and len(used) >= 10, (needs, len(used))
    # the tables added for fresh5 carry fresh5 questions only, on every category
    added = {t.stem for t in TABLES if t.split == "fresh5"}
    assert 5 <= len(added) <= 6, added
    assert not [c.id for c in cases if c.table in added and c.split != "fresh5"]
    for stem in added:
        on_table = {c.category for c in fresh5 if c.table == stem}
        assert on_table == set(CATEGORIES), (stem, set(CATEGORIES) - on_table)


def test_fresh5_names_columns_by_synonyms_on_its_tables(cases: list[Case]) -> None:
    """On the tables added for fresh5, questions outside the synonym category also use people's words."""
    by_stem = {t.stem: t for t in TABLES if t.split == "fresh5"}
    hits = 0
    for case in cases:
        if case.split != "fresh5" or case.table not in by_stem or case.category == "synonym" or case.label is None:
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


def test_fresh5_questions_are_apart_from_every_other_split(cases: list[Case]) -> None:
    others = {c.question.lower() for c in cases if c.split != "fresh5"}
    fresh5 = [c.question.lower() for c in cases if c.split == "fresh5"]
    assert len(set(fresh5)) == len(fresh5), "a fresh5 question occurs twice"
    shared = sum(q in others for q in fresh5)
    assert shared == 0, f"{shared} fresh5 question(s) also occur in another split"


def test_fresh5_phrasings_are_new() -> None:
    older = [t.text for templates in (TEMPLATES, FRESH_TEMPLATES, FRESH2_TEMPLATES, FRESH3_TEMPLATES,
                                      FRESH4_TEMPLATES) for ts in templates.values() for t in ts]
    older_norm = {_norm(t) for t in older}
    assert set(FRESH5_TEMPLATES) == set(CATEGORIES)
    assert sum(len(ts) for ts in FRESH5_TEMPLATES.values()) >= 150
    for category, templates in FRESH5_TEMPLATES.items():
        assert len(templates) >= 6, category
        assert len({_norm(t.text) for t in templates}) == len(templates), category
        repeats = sum(_norm(t.text) in older_norm for t in templates)
        assert repeats == 0, f"{category}: {repeats} fresh5 template(s) repeat an older one"
    assert all(t.get("full") for t in FRESH5_TEMPLATES["sorted"]), "fresh5 sort templates are whole sentences"


def test_fresh5_uses_every_template(cases: list[Case]) -> None:
    used = {c.style for c in cases if c.split == "fresh5"}
    unused = [f"{cat}.{i:02d}" for cat, ts in FRESH5_TEMPLATES.items() for i in range(len(ts))
              if f"{cat}.{i:02d}" not in used]
    assert not unused, unused


def test_fresh5_cases_validate(cases: list[Case]) -> None:
    problems = validate_cases([c for c in cases if c.split == "fresh5"])
    assert not problems, f"{len(problems)} problem(s), e.g. {problems[0]}"
