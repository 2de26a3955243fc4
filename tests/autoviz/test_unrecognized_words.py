"""Unknown words where a measure would be: answered with a notice, not refused as "partial".

An unknown word in the measure slot of "X by Y" is as likely chart talk nobody listed as a field the data
lacks; only a known field noun ("profit"), a word after an aggregation ("average X"), a grouping ("by X") or
a compared subject ("whose X is above") is sure to be a field. Sentences, tables and the made-up words
("zorblat", "frimble") were written for these tests; the made-up words are in no lexicon by construction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sgr.autoviz.lexicon import is_vocab, names_a_field
from sgr.autoviz.pipeline import run_autoviz
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question
from sgr.core.config import parse_settings
from tests.autoviz.profiles import column as _col

OFFLINE = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")




SHOP = DataProfile(n_rows=300, n_cols=4, shape="tabular", columns=[
    _col("region", "VARCHAR", "categorical", 3, [("North", 100), ("South", 100), ("East", 100)]),
    _col("channel", "VARCHAR", "categorical", 2, [("Web", 200), ("Store", 100)]),
    _col("revenue", "DOUBLE", "measure", 290),
    _col("units", "BIGINT", "measure", 30),
])


def test_made_up_words_are_in_no_lexicon() -> None:
    for word in ("zorblat", "frimble"):
        assert not is_vocab(word) and not names_a_field(word)


@pytest.mark.parametrize("question", [
    "the zorblat by region",
    "Show me the frimble per channel",
    "zorblat for each region, as a bar chart",
    "a frimble across regions",
])
def test_an_unknown_word_in_the_measure_slot_is_unrecognised_not_missing(question: str) -> None:
    a = analyze_question(question, SHOP, table_name="orders")
    assert a.unmatched == []
    assert a.unrecognized and a.unrecognized[0] in ("zorblat", "frimble")


@pytest.mark.parametrize(("question", "missing"), [
    ("profit by region", "profit"),                        # a known field noun: the table has no profit
    ("the average zorblat by region", "zorblat"),           # an aggregation names a measure
    ("revenue by zorblat", "zorblat"),                      # a grouping the table lacks
    ("revenue by channel where frimble is above 5", "frimble"),  # a compared subject
    ("how much zorblat did each region make", "zorblat"),
])
def test_a_word_sure_to_name_a_field_stays_missing(question: str, missing: str) -> None:
    a = analyze_question(question, SHOP, table_name="orders")
    assert missing in a.unmatched
    assert missing not in a.unrecognized


def test_the_run_answers_says_which_word_it_did_not_know_and_keeps_profit_partial(tmp_path: Path) -> None:
    data = tmp_path / "orders.csv"
    rows = [f"{r},{c},{10 + 3 * i},{1 + i % 4}" for i, (r, c) in enumerate(
        [("North", "Web"), ("South", "Store"), ("East", "Web"), ("North", "Store")] * 10)]
    data.write_text("region,channel,revenue,units\n" + "\n".join(rows) + "\n", encoding="utf-8")

    answered = run_autoviz(data, "the zorblat by region", settings=OFFLINE, out_dir=tmp_path / "a")
    assert answered.exit_code == 0 and answered.status == "answered"
    assert any("Not recognised: 'zorblat'" in n for n in answered.notices)
    assert "Not recognised: 'zorblat'" in (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    read = json.loads((tmp_path / "a" / "plans" / "question.json").read_text(encoding="utf-8"))
    assert read["unrecognized"] == ["zorblat"] and read["unmatched"] == []
    first = answered.charts[0]
    assert first["x"] == "region"  # chart 1 still groups by what the question named

    refused = run_autoviz(data, "profit by region", settings=OFFLINE, out_dir=tmp_path / "p")
    assert refused.exit_code == 6 and refused.status == "partial"
    assert not any(n.startswith("Not recognised") for n in refused.notices)


# -- the rows and the measures of a column are not fields (sentences written for these tests) ---------------

LOGS = DataProfile(n_rows=200, n_cols=4, shape="tabular", columns=[
    _col("Station", "VARCHAR", "categorical", 3, [("Alpha", 80), ("Beta", 70), ("Gamma", 50)]),
    _col("Sensor_Type", "VARCHAR", "categorical", 2, [("optical", 120), ("thermal", 80)]),
    _col("Wind_Speed", "DOUBLE", "measure", 150),
    _col("Logged_On", "DATE", "temporal", 180),
])


@pytest.mark.parametrize("question", [
    "sensors per sensor type",            # the rows, named by the column's own first word
    "each range of wind speed as a histogram",  # "range of <column>": its bins
    "weekly volume of logs",              # "volume of <the rows>": how many
])
def test_measures_of_a_column_or_of_the_rows_are_not_missing(question: str) -> None:
    a = analyze_question(question, LOGS, table_name="logs")
    assert a.unmatched == [] and a.unrecognized == []


def test_after_of_an_unknown_word_is_unrecognised_and_a_known_field_stays_missing() -> None:
    unknown = analyze_question("a pie of the frimbles per station", LOGS, table_name="logs")
    assert unknown.unmatched == [] and unknown.unrecognized == ["frimbles"]
    known = analyze_question("the distribution of humidity per station", LOGS, table_name="logs")
    assert known.unmatched == ["humidity"]
