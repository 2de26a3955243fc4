"""The phrasing corpus' splits: the older ones stay fixed, fresh2 is sized, valid and apart from the others.

`benchmarks/corpus` builds every case from fixed seeds. Adding the fresh2 split (phrasings nobody tuning
the parser looks at) must not move a single older case, or scores measured before and after it would not
compare; the digest below pins them. None of these checks runs AutoViz, and no assertion message quotes a
fresh2 question.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.corpus.questions import (
    CATEGORIES,
    FRESH2_TEMPLATES,
    FRESH_TEMPLATES,
    TEMPLATES,
    Case,
    build_cases,
    validate_cases,
)

pytestmark = pytest.mark.slow

#: sha256 over the tune/heldout/fresh cases (JSON lines, sorted keys, without the temp path) as they were
#: before fresh2 was added; change it only on purpose, knowing every earlier score stops being comparable
OLDER_DIGEST = "148f629a703c97ae745c5a3ad648aa0d89c4f147f260235094e230f96651129c"
OLDER_COUNTS = {"tune": 406, "heldout": 404, "fresh": 223}


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    return build_cases(Path(tmp_path_factory.mktemp("corpus")))


def _line(case: Case) -> str:
    d = case.to_dict()
    d.pop("path")
    return json.dumps(d, sort_keys=True, default=str) + "\n"


def test_older_splits_are_byte_identical(cases: list[Case]) -> None:
    older = [c for c in cases if c.split != "fresh2"]
    assert Counter(c.split for c in older) == OLDER_COUNTS
    digest = hashlib.sha256("".join(_line(c) for c in older).encode()).hexdigest()
    assert digest == OLDER_DIGEST
    last_older = max(i for i, c in enumerate(cases) if c.split != "fresh2")
    assert all(c.split == "fresh2" for c in cases[last_older + 1:]), "fresh2 cases come after all others"


def test_fresh2_is_sized_and_covers_every_category(cases: list[Case]) -> None:
    fresh2 = [c for c in cases if c.split == "fresh2"]
    assert 200 <= len(fresh2) <= 280, len(fresh2)
    per_category = Counter(c.category for c in fresh2)
    assert set(per_category) == set(CATEGORIES), set(CATEGORIES) - set(per_category)
    assert min(per_category.values()) >= 5, per_category
    unanswerable = [c for c in fresh2 if not c.answerable]
    assert len(unanswerable) >= 10 and all(c.label is None and c.missing for c in unanswerable)
    assert len({c.id for c in cases}) == len(cases)
    assert len({c.question.lower() for c in cases}) == len(cases), "a question occurs twice"


def test_fresh2_phrasings_are_new() -> None:
    older = {t.text for templates in (TEMPLATES, FRESH_TEMPLATES) for ts in templates.values() for t in ts}
    assert set(FRESH2_TEMPLATES) == set(CATEGORIES)
    for category, templates in FRESH2_TEMPLATES.items():
        assert len(templates) >= 3, category
        assert len({t.text for t in templates}) == len(templates), category
        assert not [t for t in templates if t.text in older], f"{category}: a fresh2 template repeats an older one"


def test_fresh2_cases_validate(cases: list[Case]) -> None:
    problems = validate_cases([c for c in cases if c.split == "fresh2"])
    assert not problems, f"{len(problems)} problem(s), e.g. {problems[0]}"
