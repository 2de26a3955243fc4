"""Profiling: roles follow the rules on a synthetic table; statistics match pure-Python computations."""

from __future__ import annotations

import csv
import datetime as dt
import random
import statistics
from collections import Counter
from pathlib import Path

import pytest

from sgr.autoviz.data import load_table
from sgr.autoviz.profile import DataProfile, profile_table

N = 600


def _rows(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for i in range(N):
        rows.append({
            "order_date": (dt.date(2023, 1, 1) + dt.timedelta(days=i % 365)).isoformat(),
            "order_id": 1000 + i,
            "customer_id": rng.randint(1, 40),
            "rating": rng.randint(1, 5),
            "revenue": round(rng.uniform(5, 500), 2) if i % 10 else "",
            "region": rng.choice(["EU", "US", "APAC"]),
            "comment": f"customer {i} wrote a fairly long free text comment about order {i * 7}",
            "sku": f"SKU-{i:05d}",
            "is_gift": rng.choice(["true", "false"]),
            "empty": "",
        })
    return rows


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataProfile, list[dict[str, object]]]:
    rows = _rows()
    path = tmp_path_factory.mktemp("profile") / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return profile_table(load_table(path)), rows


def test_roles(profiled: tuple[DataProfile, list[dict[str, object]]]) -> None:
    prof, _ = profiled
    roles = {c.name: c.role for c in prof.columns}
    assert roles == {
        "order_date": "temporal",
        "order_id": "identifier",
        "customer_id": "identifier",
        "rating": "categorical",
        "revenue": "measure",
        "region": "categorical",
        "comment": "text",
        "sku": "identifier",
        "is_gift": "boolean",
        "empty": prof.column("empty").role,
    }
    assert prof.column("empty").all_null
    assert "empty" not in prof.names(prof.column("empty").role)
    assert prof.temporal() == ["order_date"]
    assert prof.measures() == ["revenue"]
    assert prof.categoricals() == ["rating", "region"]
    assert prof.shape == "time_series"


def test_statistics_match_python(profiled: tuple[DataProfile, list[dict[str, object]]]) -> None:
    prof, rows = profiled
    revenue = [float(r["revenue"]) for r in rows if r["revenue"] != ""]  # type: ignore[arg-type]
    col = prof.column("revenue")
    assert col.missing == N - len(revenue)
    assert col.missing_frac == pytest.approx((N - len(revenue)) / N)
    assert col.distinct == len(set(revenue))
    assert col.min == min(revenue) and col.max == max(revenue)
    assert col.mean == pytest.approx(statistics.fmean(revenue))
    assert col.std == pytest.approx(statistics.stdev(revenue))
    region = Counter(str(r["region"]) for r in rows)
    expected = sorted(region.items(), key=lambda kv: (-kv[1], kv[0]))
    assert prof.column("region").top_values == expected
    assert prof.column("order_date").min == "2023-01-01"
    assert prof.n_rows == N and prof.n_cols == 10
    with pytest.raises(KeyError, match="columns are"):
        prof.column("profit")


def _profile_csv(tmp_path: Path, header: list[str], rows: list[list[object]]) -> DataProfile:
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return profile_table(load_table(path))


def test_shapes(tmp_path: Path) -> None:
    rng = random.Random(1)
    wide = _profile_csv(tmp_path, [f"m{i}" for i in range(25)],
                        [[round(rng.random() * 100, 3) for _ in range(25)] for _ in range(50)])
    assert wide.shape == "wide"
    long = _profile_csv(tmp_path, ["country", "metric_value"],
                        [[rng.choice("ABCD"), round(rng.random(), 4)] for _ in range(80)])
    assert long.shape == "long"
    tabular = _profile_csv(tmp_path, ["a", "b", "c", "d", "e"],
                           [[round(rng.random(), 4) for _ in range(5)] for _ in range(80)])
    assert tabular.shape == "tabular"


def test_profile_is_json_safe_and_deterministic(profiled: tuple[DataProfile, list[dict[str, object]]],
                                                tmp_path: Path) -> None:
    prof, rows = profiled
    path = tmp_path / "again.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert profile_table(load_table(path)).model_dump_json() == prof.model_dump_json()


def test_large_table_uses_estimates_but_keeps_roles_exact(tmp_path: Path) -> None:
    """Above 20k rows distinct counts are estimated; near-unique columns are recounted exactly."""
    import duckdb

    path = tmp_path / "big.parquet"
    duckdb.connect().execute(
        "COPY (SELECT i AS seq, (1 + i % 5)::DOUBLE AS stars, (i % 997) * 1.5 + 0.25 AS amount, "
        "'ref-' || i::VARCHAR AS ref, ['a', 'b', 'c'][1 + (i % 3)::INTEGER] AS grp "
        f"FROM range(30000) t(i)) TO '{path}' (FORMAT parquet)"
    )
    prof = profile_table(load_table(path))
    roles = {c.name: c.role for c in prof.columns}
    assert roles == {"seq": "identifier", "stars": "categorical", "amount": "measure", "ref": "identifier",
                     "grp": "categorical"}
    assert prof.column("seq").distinct == 30000 and prof.column("ref").distinct == 30000
    assert prof.column("stars").distinct == 5
    assert prof.column("grp").top_values == [("a", 10000), ("b", 10000), ("c", 10000)]


def test_few_distinct_integers_are_categories_only_when_they_repeat(tmp_path: Path) -> None:
    tiny = _profile_csv(tmp_path, ["city", "amount"], [["Bonn", 3], ["Köln", 4], ["Ulm", 5]])
    assert tiny.column("amount").role == "measure"
    rated = _profile_csv(tmp_path, ["city", "stars"], [[f"c{i % 7}", 1 + i % 5] for i in range(40)])
    assert rated.column("stars").role == "categorical"


def test_all_distinct_integers_named_like_an_amount_stay_a_measure(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("order_no,revenue,region\n" + "".join(f"{1000 + i},{i * 7},r{i % 3}\n" for i in range(40)))
    prof = profile_table(load_table(path))
    assert prof.column("revenue").role == "measure"
    assert prof.column("order_no").role == "identifier"
