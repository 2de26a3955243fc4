"""The DuckDB -> PostgreSQL / Spark translation, without servers: each rewrite, placeholders, refusals."""

from __future__ import annotations

import pytest

from sgr.autoviz.engines import UnsupportedSQL, is_remote, parse_remote
from sgr.autoviz.engines.connection import normalise
from sgr.autoviz.engines.translate import Translator, number_placeholders
from sgr.autoviz.errors import DataError


def _sql(dialect: str, sql: str, params: list[object] | None = None) -> str:
    t = Translator(dialect, tables={"data": "public.sales" if dialect == "postgres" else "sales"})  # type: ignore[arg-type]
    return t.render(t.translate(sql), params)


def test_placeholders_inside_quotes_are_text() -> None:
    got = number_placeholders("SELECT '?', \"a?\", ? FROM t WHERE x = ?")
    assert got == "SELECT '?', \"a?\", $1 FROM t WHERE x = $2"


@pytest.mark.parametrize(("dialect", "duck", "expected"), [
    ("postgres", "SELECT quarter(d), isodow(d), dayname(d) FROM data",
     "SELECT EXTRACT(QUARTER FROM d), EXTRACT(ISODOW FROM d), TO_CHAR(d, 'FMDay') FROM public.sales AS \"data\""),
    ("spark", "SELECT isodow(d), dayname(d) FROM data",
     "SELECT ((DAYOFWEEK((d)) + 5) % 7) + 1, DATE_FORMAT(d, 'EEEE') FROM sales AS `data`"),
    ("spark", "SELECT median(v), quantile_cont(v, [0.25, 0.75]) FROM data",
     "SELECT PERCENTILE(v, 0.5), PERCENTILE(v, ARRAY(0.25, 0.75)) FROM sales AS `data`"),
    ("postgres", "SELECT approx_count_distinct(v), contains(s, 'x') FROM data",
     "SELECT COUNT(DISTINCT v), STRPOS(s, 'x') > 0 FROM public.sales AS \"data\""),
    ("spark", "SELECT d + INTERVAL 1 quarter FROM data", "SELECT d + INTERVAL '3' MONTH FROM sales AS `data`"),
])
def test_rewrites(dialect: str, duck: str, expected: str) -> None:
    assert _sql(dialect, duck) == expected


def test_postgres_gets_group_keys_and_subquery_names() -> None:
    got = _sql("postgres", "SELECT g, sum(v) AS s FROM (SELECT g, v FROM data) GROUP BY ALL")
    assert got == 'SELECT g, SUM(v) AS s FROM (SELECT g, v FROM public.sales AS "data") AS _sgr_q0 GROUP BY g'


def test_parameters_become_typed_literals() -> None:
    got = _sql("postgres", "SELECT * FROM data WHERE list_contains(?::VARCHAR[], r::VARCHAR) AND s = ?",
               [["a'b", "c"], "x"])
    assert "CAST(ARRAY['a''b', 'c'] AS TEXT[])" in got and "s = 'x'" in got


def test_unsupported_functions_are_named() -> None:
    with pytest.raises(UnsupportedSQL, match=r"list_aggregate\(\) has no postgres rewrite"):
        _sql("postgres", "SELECT list_aggregate(x, 'sum') FROM data")
    with pytest.raises(UnsupportedSQL, match="rowid"):
        _sql("spark", "SELECT rowid FROM data")


def test_statements_are_translated_once() -> None:
    t = Translator("postgres", tables={"data": "sales"})
    for _ in range(3):
        t.translate("SELECT count(*) FROM data")
    info = t.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_metadata_statements_are_recognised() -> None:
    t = Translator("spark")
    assert t.translate('DESCRIBE "step_a"').kind == "describe" and t.translate('DESCRIBE "step_a"').name == "step_a"
    assert t.translate("SELECT table_name FROM duckdb_tables()").kind == "catalog"
    made = t.translate('CREATE OR REPLACE TABLE "step_a" AS SELECT * FROM data WHERE x > ?')
    assert made.kind == "create_table" and made.name == "step_a"


def test_urls() -> None:
    assert is_remote("postgresql://u@h:5432/db?table=sales") and is_remote("sc://h:15002?table=t")
    assert not is_remote("sales.csv") and not is_remote("/data/x.parquet")
    src = parse_remote("postgresql://u:pw@h:5432/db?table=public.sales&sslmode=disable")
    assert (src.kind, src.table, src.label) == ("postgres", "public.sales", "sales")
    assert src.target == "postgresql://u:pw@h:5432/db?sslmode=disable"
    with pytest.raises(DataError, match="names no table"):
        parse_remote("postgresql://u:secret@h/db")
    with pytest.raises(DataError, match="table name"):
        parse_remote("spark://local?table=x;drop")


def test_engine_numbers_look_like_duckdb_numbers() -> None:
    from decimal import Decimal
    assert normalise(Decimal("12")) == 12 and isinstance(normalise(Decimal("12")), int)
    assert normalise(Decimal("2.50")) == 2.5 and normalise([Decimal("1.5")]) == [1.5]


@pytest.mark.parametrize(("dialect", "sample"), [
    ("spark", "(SELECT * FROM `sales` TABLESAMPLE (5.000000 PERCENT) REPEATABLE (0))"),
    ("postgres", '(SELECT * FROM "sales" TABLESAMPLE BERNOULLI (5.000000) REPEATABLE (0))'),
])
def test_a_sample_subquery_goes_into_the_sql_verbatim(dialect: str, sample: str) -> None:
    # SQLGlot would write Spark's REPEATABLE (0) as Hive's SEED (0), a syntax error on Spark
    t = Translator(dialect, tables={"data": sample})  # type: ignore[arg-type]
    quoted = "`data`" if dialect == "spark" else '"data"'
    assert t.render(t.translate('SELECT count(*) FROM "data"')) == f"SELECT COUNT(*) FROM {sample} AS {quoted}"
