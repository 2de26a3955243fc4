"""Loading: every bad input is a one-line DataError (exit 5); good files load with dates as dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from sgr.autoviz.data import load_table, qi
from sgr.autoviz.errors import DataError


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("empty.csv", b"", "empty"),
        ("header_only.csv", b"date,region,revenue\n", "no data rows"),
        ("one_col.csv", b"revenue\n1\n2\n3\n", "single column"),
        ("data.xlsx", b"PK\x03\x04 not really", "cannot read data.xlsx as an Excel workbook"),
        ("data.xls", b"\xd0\xcf\x11\xe0 old excel", "unsupported file type"),
        ("data.gz", b"\x1f\x8b\x08\x00", "unsupported file type"),
        ("bad.csv.gz", b"\x1f\x8b\x08\x00garbage garbage", "corrupt or truncated gzip"),
        ("plain.csv.gz", b"a,b\n1,2\n", "not a gzip file"),
        ("bad.csv.zst", b"\x28\xb5\x2f\xfd garbage", "cannot parse bad.csv.zst as CSV"),
        ("empty.json", b"[]", "holds no records"),
        ("broken.json", b'[{"a": 1, "b": 2}, {"a": ', "cannot parse broken.json as JSON"),
        ("noext", b"a,b\n1,2\n", "unsupported file type"),
        ("binary.csv", b"\x00\x01\x02\x03garbage\x00\xff", "binary"),
        ("ragged.csv", b'a,b,c\n1,2,3\n4,5\n6,7,8,9\n"unterminated,1,2\n', "inconsistent numbers of fields"),
        ("ragged_tail.csv", ("region,revenue\n" + "".join(f"r{i % 3},{i}\n" for i in range(31))
                             + "a,b,c,d\ne,f,g,h\n").encode(), "inconsistent numbers of fields"),  # not 2 rows
        ("broken.jsonl", b'{"a": 1, "b": 2}\n{"a": 2, "b":\n', "JSON lines"),
        ("broken.parquet", b"PAR1 this is not parquet", "Parquet"),
    ],
)
def test_bad_inputs_raise_one_line_data_error(tmp_path: Path, name: str, content: bytes, expect: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        load_table(path)
    message = str(info.value)
    assert expect in message
    assert "\n" not in message
    assert info.value.exit_code == 5


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        load_table(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="directory"):
        load_table(tmp_path)


def test_latin1_file_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_bytes("city,amount\nMünchen,3\nZürich,4\nSão Paulo,5\n".encode("latin-1"))
    t = load_table(path)
    assert any("latin-1" in n for n in t.load_notes)
    cities = [r[0] for r in t.con.execute("SELECT city FROM data ORDER BY amount").fetchall()]
    assert cities == ["München", "Zürich", "São Paulo"]


def test_invalid_utf8_after_first_megabyte_falls_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"row{i},{i}\n" for i in range(120_000)).encode("ascii")  # > 1 MiB of clean UTF-8
    path.write_bytes(b"name,value\n" + body + b"Gr\xfcn,7\n")
    t = load_table(path)
    assert t.n_rows == 120_001
    assert any("latin-1" in n for n in t.load_notes)
    assert t.con.execute("SELECT name FROM data WHERE value = 7 AND name LIKE 'Gr%'").fetchone() == ("Grün",)


def test_semicolon_csv_with_day_first_dates(tmp_path: Path) -> None:
    path = _write(tmp_path / "semi.csv", "order date;region;revenue\n05/01/2024;EU;10,5\n17/02/2024;US;3\n"
                                         "01/03/2024;EU;4\n")
    t = load_table(path)
    assert t.columns == ["order date", "region", "revenue"]
    assert t.dtypes()["order date"] == "DATE"
    assert any("';'" in n for n in t.load_notes)
    dates = [r[0] for r in t.con.execute('SELECT "order date" FROM data ORDER BY 1').fetchall()]
    assert dates == [dt.date(2024, 1, 5), dt.date(2024, 2, 17), dt.date(2024, 3, 1)]


@pytest.mark.parametrize(
    ("fmt", "py_fmt"),
    [("%Y-%m-%d", "%Y-%m-%d"), ("%d/%m/%Y", "%d/%m/%Y"), ("%m/%d/%Y", "%m/%d/%Y"), ("%b %d %Y", "%b %d %Y")],
)
def test_string_dates_in_several_formats_become_dates(tmp_path: Path, fmt: str, py_fmt: str) -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=17 * i) for i in range(40)]  # days > 12 disambiguate
    lines = ["when,qty"] + [f'"{d.strftime(py_fmt)}",{i}' for i, d in enumerate(days)]
    t = load_table(_write(tmp_path / "d.csv", "\n".join(lines) + "\n"))
    assert t.dtypes()["when"] == "DATE"
    got = [r[0] for r in t.con.execute('SELECT "when" FROM data ORDER BY qty').fetchall()]
    assert got == days
    assert any("'when'" in n and "DATE" in n for n in t.load_notes)


def test_mostly_dates_with_a_few_bad_values_still_convert(tmp_path: Path) -> None:
    rows = [f"2024-01-{(i % 28) + 1:02d},{i}" for i in range(99)] + ["not a date,99"]
    t = load_table(_write(tmp_path / "d.csv", "day,n\n" + "\n".join(rows) + "\n"))
    assert t.dtypes()["day"] == "DATE"
    assert t.con.execute("SELECT count(*) FROM data WHERE day IS NULL").fetchone() == (1,)


def test_free_text_is_not_taken_for_dates(tmp_path: Path) -> None:
    t = load_table(_write(tmp_path / "t.csv", "label,n\nalpha 1,1\nbeta 2,2\ngamma 3,3\n"))
    assert t.dtypes()["label"] == "VARCHAR"


def test_type_change_late_in_file_keeps_every_row(tmp_path: Path) -> None:
    lines = ["code,value"] + [f"{i},{i}" for i in range(30_000)] + ["X-1,5"]
    t = load_table(_write(tmp_path / "late_type.csv", "\n".join(lines) + "\n"))
    assert t.n_rows == 30_001
    assert t.dtypes()["code"] == "VARCHAR"


def test_jsonl_with_dates(tmp_path: Path) -> None:
    rows = [{"day": f"2024-02-{i + 1:02d}", "region": "EU" if i % 2 else "US", "v": i} for i in range(20)]
    path = _write(tmp_path / "e.ndjson", "\n".join(json.dumps(r) for r in rows) + "\n")
    t = load_table(path)
    assert t.format == "jsonl"
    assert t.n_rows == 20
    assert t.dtypes()["day"] == "DATE"
    assert t.con.execute("SELECT sum(v) FROM data").fetchone() == (sum(range(20)),)


def test_parquet_with_string_dates_and_odd_column_names(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    odd = qi('order "date"')
    duckdb.connect().execute(
        f"COPY (SELECT strftime(DATE '2024-01-01' + i::INTEGER, '%d/%m/%Y') AS {odd}, "
        f"i * 2 AS \"net revenue\" FROM range(50) t(i)) TO '{path}' (FORMAT parquet)"
    )
    t = load_table(path)
    assert t.format == "parquet"
    assert t.columns == ['order "date"', "net revenue"]
    assert t.dtypes()['order "date"'] == "DATE"
    assert t.con.execute(f'SELECT max({odd}), sum("net revenue") FROM data').fetchone() == (
        dt.date(2024, 2, 19), sum(i * 2 for i in range(50)))


def test_a_few_stray_entries_do_not_turn_a_measure_into_text(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text("region,revenue\n" + "".join(f"r{i % 4},{i % 50 * 3}\n" for i in range(300)) + "r1,abc\nr2,n/a\n")
    table = load_table(path)
    assert table.dtypes()["revenue"] == "DOUBLE"
    total, missing = table.con.execute("SELECT sum(revenue), count(*) - count(revenue) FROM data").fetchone()
    assert (total, missing) == (sum(i % 50 * 3 for i in range(300)), 2)
    assert any("2 value(s) that are not numbers ('abc', 'n/a')" in n for n in table.load_notes)


def test_a_mostly_text_column_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,n\n" + "".join(f"{'A' if i % 3 else ''}{i},{i}\n" for i in range(300)))
    assert load_table(path).dtypes()["code"] == "VARCHAR"
