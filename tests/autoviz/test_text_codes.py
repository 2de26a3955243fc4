"""Dictionary-coded text columns (`sgr.autoviz.text_codes`): a big CSV's categorical text columns are stored as
ENUMs, and nothing downstream can tell. Each test loads the same file coded and uncoded and compares; the
size thresholds are lowered so that a few thousand rows take the big-file path."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz import data as data_mod
from sgr.autoviz import text_codes
from sgr.autoviz.data import load_table, set_engine_limits
from sgr.autoviz.pipeline import run_autoviz
from sgr.autoviz.profile import DataProfile, profile_table
from sgr.core.config import parse_settings

SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")
HEAD = 1000


def _write(path: Path, n: int, *, late_region: str | None = None, rating: bool = False, ids: bool = True) -> Path:
    rng = random.Random(11)
    lines = ["order_id,day,region,segment,rating,revenue"]
    for i in range(n):
        region = rng.choice(["North", "South", "East", "West", "Centre-Ouest", "O'Hara"])
        if late_region and i == n - 3:
            region = late_region
        if i % 17 == 0:
            region = ""
        score = rng.choice(["1,5", "2,5", "4"]) if rating else rng.choice(["low", "mid", "high"])
        key = f"A{i:06d}" if ids else str(i + 1)
        lines.append(f"{key},2024-{1 + i % 12:02d}-{1 + i % 28:02d},{region},seg {rng.randint(0, 29):02d},"
                     f"\"{score}\",{rng.uniform(1, 1000):.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def big_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Make every file 'big' (coded, loaded next to a scratch folder) and the head copy 1,000 rows."""
    monkeypatch.setattr(data_mod, "DISK_BACKED_BYTES", 0)
    monkeypatch.setattr(data_mod, "_HEAD_ROWS", HEAD)
    set_engine_limits(temp_directory=tmp_path / "scratch")
    yield tmp_path / "scratch"
    set_engine_limits()


def _rounded(profile: DataProfile) -> Any:
    """The profile with floats to 12 significant digits: DuckDB's parallel avg/stddev add in a thread-dependent
    order, so the last bits differ between any two loads (the artifacts round the same way, `tools.common.clean`)."""
    return json.loads(json.dumps(profile.model_dump()), parse_float=lambda text: float(f"{float(text):.12g}"))


def _stored(table: data_mod.Table) -> dict[str, str]:
    return {name: dtype.split("(")[0] for name, dtype in table.stored_types().items()}


def test_categories_are_coded_in_memory_and_read_as_text(tmp_path: Path, big_path: Path) -> None:
    csv_path = _write(tmp_path / "orders.csv", 4000, ids=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data_mod, "DISK_BACKED_BYTES", 1 << 62)  # a small file: text, in memory
        plain = load_table(csv_path)
    coded = load_table(csv_path)
    assert _stored(plain)["region"] == "VARCHAR"
    assert _stored(coded) == {"order_id": "BIGINT", "day": "DATE", "region": "ENUM", "segment": "ENUM",
                              "rating": "ENUM", "revenue": "DOUBLE"}
    assert coded.dtypes() == plain.dtypes()
    assert not list(big_path.glob("*/data.duckdb"))  # every text column is coded: the table stays in memory
    for sql in ("SELECT region, count(*), sum(revenue) FROM data GROUP BY ALL ORDER BY ALL",
                "SELECT * FROM data WHERE region IN ('North', 'Nowhere') ORDER BY order_id",
                "SELECT max(segment), min(region), count(*) FILTER (WHERE region > 'N') FROM data",
                "SELECT coalesce(region, 'Other') AS r, lower(region) FROM data ORDER BY r, order_id LIMIT 40"):
        assert coded.con.execute(sql).fetchall() == plain.con.execute(sql).fetchall(), sql
    assert _rounded(profile_table(coded)) == _rounded(profile_table(plain))


def test_the_ids_alone_send_the_table_to_disk_and_numbers_stay_text_for_their_conversion(
        tmp_path: Path, big_path: Path) -> None:
    csv_path = _write(tmp_path / "orders.csv", 4000, rating=True)
    table = load_table(csv_path)
    stored = _stored(table)
    # "1,5" is a number with a decimal comma, never a category code; the ids are too many to code, and a text
    # column left as text keeps the table in the database file
    assert stored["rating"] == "VARCHAR" and stored["order_id"] == "VARCHAR" and stored["region"] == "ENUM"
    assert len(list(big_path.glob("*/data.duckdb"))) == 1


def test_a_value_the_head_did_not_show_loads_the_table_again_uncoded(tmp_path: Path, big_path: Path) -> None:
    csv_path = _write(tmp_path / "orders.csv", 4000, late_region="Far North")
    table = load_table(csv_path)
    assert _stored(table)["region"] == "VARCHAR"
    assert table.n_rows == 4000
    late = table.con.execute("SELECT count(*) FROM data WHERE region = 'Far North'").fetchone()
    assert late == (1,)
    assert len(list(big_path.glob("*/data.duckdb"))) == 1


def test_a_column_still_meeting_new_values_in_the_head_stays_text(tmp_path: Path, big_path: Path) -> None:
    """Batches of 50 rows: 20 values in the head, each seen 50 times, but the head's second half is all new."""
    rows = [f"batch {i // 50:03d},{'ab'[i % 2]},{i * 0.5}" for i in range(3000)]
    csv_path = tmp_path / "batches.csv"
    csv_path.write_text("batch,side,weight\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = load_table(csv_path)
    assert _stored(table) == {"batch": "VARCHAR", "side": "ENUM", "weight": "DOUBLE"}
    assert table.con.execute("SELECT count(DISTINCT batch) FROM data").fetchone() == (60,)


QUESTIONS = [
    "Compare revenue by region and segment",
    "a pie chart of the number of orders by region",
    "box plot of revenue by segment",
    "average revenue by segment for region North, sorted descending",
    "how many orders per rating and region as a heatmap",
    "total revenue by month, one line per region",
]


@pytest.mark.parametrize(("question", "ids"), [(q, i % 2 == 0) for i, q in enumerate(QUESTIONS)])
def test_a_run_draws_the_same_charts_from_a_coded_table(tmp_path: Path, question: str, ids: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With ids the coded table lives on disk, without them in memory: both draw what the text table draws."""
    csv_path = _write(tmp_path / "orders.csv", 4000, ids=ids)
    plain = run_autoviz(csv_path, question, settings=SETTINGS, out_dir=tmp_path / "plain", draw=False)
    monkeypatch.setattr(data_mod, "DISK_BACKED_BYTES", 0)
    monkeypatch.setattr(data_mod, "_HEAD_ROWS", HEAD)
    coded_sets: list[dict[str, str]] = []
    real = text_codes.coded_columns
    monkeypatch.setattr(text_codes, "coded_columns", lambda *a: coded_sets.append(real(*a)) or coded_sets[-1])
    set_engine_limits(temp_directory=tmp_path / "scratch")
    try:
        coded = run_autoviz(csv_path, question, settings=SETTINGS, out_dir=tmp_path / "coded", draw=False)
    finally:
        set_engine_limits()
    assert [sorted(c) for c in coded_sets] == [["rating", "region", "segment"]]  # the run did read codes
    assert coded.exit_code == plain.exit_code
    specs = sorted(p.name for p in (tmp_path / "plain" / "charts").glob("*.vl.json"))
    assert specs and specs == sorted(p.name for p in (tmp_path / "coded" / "charts").glob("*.vl.json"))
    for name in specs:
        assert (tmp_path / "coded" / "charts" / name).read_bytes() == (tmp_path / "plain" / "charts" / name
                                                                       ).read_bytes(), name
    assert (tmp_path / "coded" / "report.md").read_text() == (tmp_path / "plain" / "report.md").read_text()
