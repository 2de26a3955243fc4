"""Dictionary-coded text columns (`sgr.autoviz.text_codes`): a big CSV's categorical text columns are stored as
ENUMs, and nothing downstream can tell. Each test loads the same file coded and uncoded and compares; the
size thresholds are lowered so that a few thousand rows take the big-file path."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz import data as data_mod
from sgr.autoviz import text_codes
from sgr.autoviz.data import load_frame, load_table, set_engine_limits
from sgr.autoviz.pipeline import run_autoviz
from sgr.autoviz.profile import DataProfile, profile_table
from sgr.autoviz.tools import ExecContext, run_tool
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


# -- found in review: each of these differed between the coded and the text table ----------------


def _tool_rows(table: data_mod.Table, out: Path, tool: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    out.mkdir(parents=True)
    ctx = ExecContext(table=table, profile=profile_table(table), out_dir=out, draw=False)
    return run_tool(tool, params, ctx, step_id="s1").rows


def test_seeded_samples_pick_the_same_points_from_coded_columns(tmp_path: Path, big_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`hash()` of an ENUM hashes its code, so a sample over a coded column hashes its text instead."""
    rng = random.Random(1)
    csv_path = tmp_path / "points.csv"
    csv_path.write_text("region,x,y\n" + "".join(f"{rng.choice(['North', 'South', 'East'])},{rng.random():.4f},"
                                                  f"{rng.random():.4f}\n" for _ in range(3000)), encoding="utf-8")
    coded = load_table(csv_path)
    monkeypatch.setattr(data_mod, "DISK_BACKED_BYTES", 1 << 62)
    plain = load_table(csv_path)
    assert _stored(coded)["region"] == "ENUM"
    for tool, params in (("scatter_chart", {"x": "x", "y": "y", "color": "region", "max_points": 100}),
                         ("spec_chart", {"mark": "scatter", "x": "region", "y": "y", "agg": "none"})):
        assert (_tool_rows(coded, tmp_path / f"coded_{tool}", tool, params)
                == _tool_rows(plain, tmp_path / f"plain_{tool}", tool, params)), tool


def test_quoted_numbers_are_not_coded_so_they_still_become_numbers(tmp_path: Path, big_path: Path) -> None:
    rng = random.Random(1)
    csv_path = tmp_path / "scores.csv"
    csv_path.write_text("store,score\n" + "".join(
        f"{rng.choice('ABC')},{'n/a' if i % 50 == 0 else chr(34) * 3 + str(rng.randint(1, 5)) + chr(34) * 3}\n"
        for i in range(3000)), encoding="utf-8")
    table = load_table(csv_path)
    assert _stored(table) == {"store": "ENUM", "score": "DOUBLE"}
    assert any("read 'score' as numbers" in note for note in table.load_notes)


def test_a_coded_column_counts_its_distinct_values_exactly(tmp_path: Path, big_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the exact-count row limit text is estimated; a coded column's few values are counted exactly
    (an estimate over its codes would differ from the estimate over its text)."""
    monkeypatch.setattr(data_mod, "_HEAD_ROWS", 20_000)  # 400 values, each seen 50 times in the head
    csv_path = tmp_path / "cities.csv"
    csv_path.write_text("city,amount\n" + "".join(f"City {i % 400:03d},{i % 97}.5\n" for i in range(60000)),
                        encoding="utf-8")
    table = load_table(csv_path)
    assert _stored(table)["city"] == "ENUM"
    assert profile_table(table).columns[0].distinct == 400


def test_a_pandas_categorical_keeps_ranking_by_text(tmp_path: Path) -> None:
    """Only the loader's codes are in text order; a Categorical's own order must not break ties."""
    pd = pytest.importorskip("pandas")
    names = [f"g{i:02d}" for i in range(12)]
    frame = pd.DataFrame({"grp": names * 10, "v": [1.0] * 120})
    categorical = frame.assign(grp=pd.Categorical(frame["grp"], categories=names[::-1]))
    params = {"x": "grp", "y": "v", "agg": "count", "top_k": 8}
    as_text = _tool_rows(load_frame(frame), tmp_path / "text", "bar_chart", params)
    assert as_text == _tool_rows(load_frame(categorical), tmp_path / "categorical", "bar_chart", params)
    assert sorted(r["x"] for r in as_text if r["x"] != "Other") == names[:8]  # ties broken by text


def test_a_compressed_csv_is_judged_by_its_text_size(tmp_path: Path, big_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A gzip file 20 KB on disk may hold ten times that in text: the in-memory limit applies to a guess at
    the text, so it goes to the database file where the plain CSV of the same size would not."""
    csv_path = _write(tmp_path / "orders.csv", 4000, ids=False)
    gz_path = tmp_path / "orders.csv.gz"
    gz_path.write_bytes(gzip.compress(csv_path.read_bytes()))
    monkeypatch.setattr(data_mod, "CODED_IN_MEMORY_BYTES", gz_path.stat().st_size * 2)
    table = load_table(gz_path)
    assert _stored(table)["region"] == "ENUM"
    assert len(list(big_path.glob("*/data.duckdb"))) == 1


def test_a_file_sorted_by_a_category_keeps_that_column_as_text(tmp_path: Path, big_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The head of a file sorted by region holds one region; its tail shows the others, so region stays text
    (no coded load that fails half-way) while the unsorted columns are still coded."""
    monkeypatch.setattr(data_mod, "_TAIL_BYTES", 20_000)
    rng = random.Random(3)
    rows = sorted(((rng.choice(["East", "North", "South", "West"]), rng.choice(["low", "mid", "high"]),
                    rng.randint(1, 999)) for _ in range(4000)), key=lambda row: row[0])
    csv_path = tmp_path / "sorted.csv"
    csv_path.write_text("region,band,amount\n" + "".join(f"{r},{b},{a}\n" for r, b, a in rows), encoding="utf-8")
    table = load_table(csv_path)
    assert _stored(table) == {"region": "VARCHAR", "band": "ENUM", "amount": "BIGINT"}
    assert table.con.execute("SELECT count(DISTINCT region) FROM data").fetchone() == (4,)
    assert not list(big_path.glob("*/tail.csv"))
