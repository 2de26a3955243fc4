"""A floor under AutoViz understanding, on held-out questions of our own phrasing corpus.

The corpus (`benchmarks/corpus`) is generated from fixed seeds; its held-out split (tables and phrasing
templates never used for tuning) is what this measures. Each sampled question runs the whole pipeline
offline (chart specs only, no images) and chart 1 is compared with the labelled chart recomputed by plain
DuckDB SQL. The floors sit below what the README reports, so a change that makes AutoViz misread
questions fails here instead of passing silently; raise them when the benchmark improves.
"""

from __future__ import annotations

from typing import Any

import pytest
from benchmarks.autoviz_understanding import run

pytestmark = pytest.mark.slow

#: measured on the full held-out split (404 questions): type 97.9%, data 83.5%, false partial 5.1%, true 100%
FLOORS = {"type": 0.90, "data": 0.72}
CEILINGS = {"false_partial": 0.12}


@pytest.fixture(scope="module")
def measured() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return run(split="heldout", limit=100, progress=False)


def test_first_chart_is_the_asked_chart_on_held_out_questions(measured: tuple[dict[str, Any], Any]) -> None:
    overall = measured[0]["overall"]
    assert overall["answerable"] >= 80 and overall["errors"] == 0, overall
    for key, floor in FLOORS.items():
        assert overall[key] >= floor, f"{key}: {overall[key]:.1%} < floor {floor:.0%} ({overall})"
    for key, ceiling in CEILINGS.items():
        assert overall[key] <= ceiling, f"{key}: {overall[key]:.1%} > {ceiling:.0%} ({overall})"


def test_unanswerable_questions_stay_partial(measured: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    missing = [r for r in measured[1] if not r["answerable"]]
    assert missing, "the sample holds no unanswerable question"
    wrong = [r["question"] for r in missing if not r.get("partial")]
    assert not wrong, f"answered as if the data had it: {wrong}"
