"""Files people actually have: compressed CSVs, JSON arrays, Excel, European CSVs, odd headers, wide tables.

Every file is written at test time; each test checks the loaded types and values, not only that nothing raised.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import duckdb
import pytest

from sgr.autoviz import profile as profile_mod
from sgr.autoviz.data import MAX_COLUMNS, load_table, qi
from sgr.autoviz.errors import DataError
from sgr.autoviz.profile import profile_table

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=3 * i) for i in range(30)]


def _sales_csv() -> str:
    return "day,region,revenue\n" + "".join(f"{d.isoformat()},r{i % 3},{i * 1.5}\n" for i, d in enumerate(DAYS))


def _assert_sales(path: Path, compression: str | None) -> None:
    t = load_table(path)
    assert (t.format, t.compression, t.n_rows) == ("csv", compression, 30)
    assert t.dtypes() == {"day": "DATE", "region": "VARCHAR", "revenue": "DOUBLE"}
    assert t.con.execute("SELECT min(day), max(day), sum(revenue) FROM data").fetchone() == (
        DAYS[0], DAYS[-1], sum(i * 1.5 for i in range(30)))


# -- compressed CSV / JSON -------------------------------------------------------------------------


def test_gzip_csv(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(_sales_csv())
    _assert_sales(path, "gzip")


def test_zstd_csv(tmp_path: Path) -> None:
    """Written with DuckDB's own zstd writer: the project needs no Python zstd package for this."""
    plain = tmp_path / "sales.csv"
    plain.write_text(_sales_csv(), encoding="utf-8")
    path = tmp_path / "sales.csv.zst"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{plain}', all_varchar = true)) TO '{path}' "
                             "(FORMAT csv, HEADER, COMPRESSION zstd)")
    assert path.read_bytes()[:4] == b"\x28\xb5\x2f\xfd"
    _assert_sales(path, "zstd")


def test_gzip_latin1_csv_is_sniffed_after_decompression(tmp_path: Path) -> None:
    path = tmp_path / "cities.tsv.gz"
    path.write_bytes(gzip.compress("city\tamount\nMünchen\t3\nZürich\t4\n".encode("latin-1")))
    t = load_table(path)
    assert any("latin-1" in n for n in t.load_notes)
    assert t.con.execute("SELECT list(city ORDER BY amount) FROM data").fetchone() == (["München", "Zürich"],)


def test_truncated_gzip_is_one_line_data_error(tmp_path: Path) -> None:
    raw = gzip.compress(_sales_csv().encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="corrupt or truncated gzip") as info:
        load_table(path)
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 5


def test_gzip_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps({"kind": f"k{i % 2}", "n": i}) for i in range(10)).encode()))
    t = load_table(path)
    assert (t.format, t.compression) == ("jsonl", "gzip")
    assert t.dtypes() == {"kind": "VARCHAR", "n": "BIGINT"}
    assert t.con.execute("SELECT sum(n) FROM data WHERE kind = 'k1'").fetchone() == (25,)


# -- JSON arrays -----------------------------------------------------------------------------------


def test_json_array_with_dates_and_missing_keys(tmp_path: Path) -> None:
    rows = [{"day": d.isoformat(), "region": f"r{i % 3}", "revenue": i * 2.5} for i, d in enumerate(DAYS)]
    rows[4].pop("revenue")  # a record without a key is a missing value, not an error
    path = tmp_path / "sales.json"
    path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    t = load_table(path)
    assert (t.format, t.n_rows) == ("json", 30)
    assert t.dtypes() == {"day": "DATE", "region": "VARCHAR", "revenue": "DOUBLE"}
    assert t.con.execute("SELECT count(revenue), sum(revenue), max(day) FROM data").fetchone() == (
        29, sum(i * 2.5 for i in range(30)) - 10.0, DAYS[-1])


def test_json_extension_holding_json_lines_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text("\n".join(json.dumps({"a": i, "b": f"x{i}"}) for i in range(5)) + "\n", encoding="utf-8")
    t = load_table(path)
    assert t.dtypes() == {"a": "BIGINT", "b": "VARCHAR"}
    assert t.n_rows == 5


@pytest.mark.parametrize(("text", "expect"), [("[]", "holds no records"), ("  [ ]\n", "holds no records"),
                                               ('{"only": 1}', "single column")])
def test_json_without_a_table_is_one_line_data_error(tmp_path: Path, text: str, expect: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=expect) as info:
        load_table(path)
    assert "\n" not in str(info.value)


# -- Excel -----------------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (dev extra) writes the test workbooks")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_xlsx_first_sheet_with_typed_columns(tmp_path: Path) -> None:
    header = ["day", "stamp", "region", "revenue", "units", "gift", "text day", "mixed", None, "region"]
    body = [[d, dt.datetime(2024, 1, 1, 8) + dt.timedelta(hours=5 * i), f"r{i % 3}", i * 1.25, i, i % 2 == 0,
             d.strftime("%d/%m/%Y"), "n/a" if i == 3 else i * 2, None, f"second {i}"]
            for i, d in enumerate(DAYS)]
    body.insert(10, [None] * len(header))  # a blank row carries nothing
    path = _workbook(tmp_path / "book.xlsx", {"Sales": [header, *body], "Notes": [["ignored", "sheet"]]})
    t = load_table(path)
    assert (t.format, t.n_rows) == ("xlsx", 30)
    assert t.dtypes() == {"day": "DATE", "stamp": "TIMESTAMP", "region": "VARCHAR", "revenue": "DOUBLE",
                          "units": "BIGINT", "gift": "BOOLEAN", "text day": "DATE", "mixed": "VARCHAR",
                          "region_1": "VARCHAR"}
    got = t.con.execute('SELECT min(day), max(stamp), sum(revenue), sum(units), count(*) FILTER (gift), '
                        'max("text day") FROM data').fetchone()
    assert got == (DAYS[0], dt.datetime(2024, 1, 1, 8) + dt.timedelta(hours=5 * 29), sum(i * 1.25 for i in range(30)),
                   sum(range(30)), 15, DAYS[-1])
    assert t.con.execute("SELECT mixed FROM data WHERE units = 4").fetchone() == ("8",)  # "8", not "8.0"
    assert any("first sheet 'Sales'" in n and "1 other sheet" in n for n in t.load_notes)
    assert load_table(path).dtypes() == t.dtypes()  # same file, same table
    prof = profile_table(t)
    assert prof.column("revenue").role == "measure"
    assert prof.column("day").role == "temporal"


def test_xlsx_mostly_numbers_with_a_stray_text_cell_becomes_numbers(tmp_path: Path) -> None:
    rows = [["region", "revenue"]] + [[f"r{i % 4}", i * 3.5] for i in range(40)] + [["r1", "n/a"]]
    t = load_table(_workbook(tmp_path / "stray.xlsx", {"s": rows}))
    assert t.dtypes()["revenue"] == "DOUBLE"
    assert t.con.execute("SELECT sum(revenue), count(*) - count(revenue) FROM data").fetchone() == (
        sum(i * 3.5 for i in range(40)), 1)


@pytest.mark.parametrize(("rows", "expect"), [([], "is empty"), ([["a", "b"]], "no data rows")])
def test_xlsx_without_data_is_one_line_data_error(tmp_path: Path, rows: list[list[object]], expect: str) -> None:
    path = _workbook(tmp_path / "empty.xlsx", {"s": rows})
    with pytest.raises(DataError, match=expect) as info:
        load_table(path)
    assert "\n" not in str(info.value)


def test_unreadable_xlsx_is_one_line_data_error(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")  # a CSV saved with the wrong extension
    with pytest.raises(DataError, match=r"cannot read renamed\.xlsx as an Excel workbook") as info:
        load_table(path)
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 5


# -- European CSV ----------------------------------------------------------------------------------


def test_european_csv_decimal_commas_become_numbers(tmp_path: Path) -> None:
    lines = ["Region;Umsatz;Menge;PLZ;Datum;Anteil"]
    values = []
    for i in range(1, 41):
        value = i * 1234.5 + i / 100  # 1.234,51 ... 49.380,40: thousands dots and decimal commas
        text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        values.append(float(text.replace(".", "").replace(",", ".")))
        lines.append(f"R{i % 3};{text};{i};0{1000 + i};{i % 28 + 1:02d}.03.2024;{i % 10},{i % 7}")
    lines.append("R9;k.A.;1;01999;01.04.2024;0,5")  # "keine Angabe": a stray that must become missing
    path = tmp_path / "umsatz.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t = load_table(path)
    assert t.dtypes() == {"Region": "VARCHAR", "Umsatz": "DOUBLE", "Menge": "BIGINT", "PLZ": "VARCHAR",
                          "Datum": "DATE", "Anteil": "DOUBLE"}
    got = t.con.execute("SELECT list(Umsatz ORDER BY Menge) FROM data WHERE Region <> 'R9'").fetchone()[0]
    assert got == pytest.approx(values)
    assert t.con.execute("SELECT Umsatz FROM data WHERE Menge = 1 AND Region = 'R1'").fetchone() == (1234.51,)
    assert t.con.execute("SELECT sum(Umsatz), count(*) - count(Umsatz) FROM data").fetchone() == (
        pytest.approx(sum(values)), 1)
    assert t.con.execute("SELECT Anteil FROM data WHERE Menge = 10").fetchone() == (0.3,)
    assert t.con.execute("SELECT PLZ FROM data WHERE Menge = 1 AND Region = 'R1'").fetchone() == ("01001",)
    assert any("'Umsatz'" in n and "decimal commas" in n and "'k.A.'" in n for n in t.load_notes)
    assert any("';'" in n for n in t.load_notes)
    assert profile_table(t).column("Umsatz").role == "measure"


def test_comma_decimal_text_in_a_comma_csv_is_left_alone(tmp_path: Path) -> None:
    """Only `;` files use decimal commas by convention; in a `,` file "1,5" (quoted) is text we do not guess at."""
    path = tmp_path / "c.csv"
    path.write_text("k,v\n" + "".join(f'k{i},"{i},5"\n' for i in range(30)), encoding="utf-8")
    assert load_table(path).dtypes()["v"] == "VARCHAR"


# -- odd column names ------------------------------------------------------------------------------


def test_header_names_with_quotes_and_newlines_load_and_profile(tmp_path: Path) -> None:
    quoted, multiline = 'the "best" day', "net\nrevenue"
    lines = ['"the ""best"" day","net\nrevenue","region; ""EU"""']
    lines += [f"{d.strftime('%d/%m/%Y')},{i % 10 * 2.5 if i != 7 else 'n/a'},{'EU' if i % 2 else 'US'}" for i, d in
              enumerate(DAYS)]
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t = load_table(path)
    assert t.columns == [quoted, multiline, 'region; "EU"']
    # the date and stray-number conversions ALTER the table by these names: both must have worked
    assert t.dtypes() == {quoted: "DATE", multiline: "DOUBLE", 'region; "EU"': "VARCHAR"}
    assert t.con.execute(f"SELECT max({qi(quoted)}), sum({qi(multiline)}) FROM data").fetchone() == (
        DAYS[-1], sum(i % 10 * 2.5 for i in range(30) if i != 7))
    prof = profile_table(t)
    assert [c.role for c in prof.columns] == ["temporal", "measure", "categorical"]
    assert prof.column('region; "EU"').top_values == [("EU", 15), ("US", 15)]


# -- wide tables -----------------------------------------------------------------------------------


def test_three_thousand_columns_are_capped_and_profiled(tmp_path: Path) -> None:
    """Profiling 3,000 columns in one aggregate query crashed the process (segfault); now it is capped
    at MAX_COLUMNS and profiled in column chunks, in this process."""
    n_cols, n_rows = 3000, 30
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("key," + ",".join(f"m{i}" for i in range(1, n_cols)) + "\n")
        for r in range(n_rows):
            fh.write(f"k{r}," + ",".join(str(r * i % 97) for i in range(1, n_cols)) + "\n")
    t = load_table(path)
    assert len(t.columns) == MAX_COLUMNS == 1000
    assert t.columns[-1] == "m999"
    assert (t.columns_left_out, t.n_columns_in_file) == (2000, 3000)
    assert any("3,000 columns" in n and "first 1,000" in n and "2,000 left out" in n and "'m1000'" in n
               for n in t.load_notes)
    assert len(t.dtypes()) == 1000
    prof = profile_table(t)
    assert prof.n_cols == 1000
    last = prof.column("m999")
    assert (last.dtype, last.min, last.max) == ("BIGINT", min(r * 999 % 97 for r in range(n_rows)),
                                                max(r * 999 % 97 for r in range(n_rows)))


def test_column_cap_on_a_parquet_view_keeps_date_conversion(tmp_path: Path) -> None:
    path = tmp_path / "w.parquet"
    extra = ", ".join(f"i * {k} AS c{k}" for k in range(1, 8))
    duckdb.connect().execute(f"COPY (SELECT strftime(DATE '2024-01-01' + i::INTEGER, '%d/%m/%Y') AS day, {extra} "
                             f"FROM range(40) t(i)) TO '{path}' (FORMAT parquet)")
    t = load_table(path, max_columns=4)
    assert t.columns == ["day", "c1", "c2", "c3"]
    assert t.dtypes()["day"] == "DATE"
    assert (t.columns_left_out, t.n_columns_in_file) == (4, 8)
    assert t.con.execute("SELECT max(day), sum(c3) FROM data").fetchone() == (dt.date(2024, 2, 9), 3 * sum(range(40)))


def test_chunked_profile_equals_a_single_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunk boundaries must not shift any column's statistics."""
    path = tmp_path / "t.csv"
    cols = [f"c{i}" for i in range(23)]
    path.write_text(",".join(["label", *cols]) + "\n" + "".join(
        f"l{r % 5}," + ",".join(str((r * (i + 3)) % 11 + (0.5 if i % 4 == 0 else 0)) for i in range(23)) + "\n"
        for r in range(60)), encoding="utf-8")
    t = load_table(path)
    whole = profile_table(t)
    monkeypatch.setattr(profile_mod, "_CHUNK_EXACT", 7)
    monkeypatch.setattr(profile_mod, "_CHUNK_APPROX", 7)
    assert profile_table(t) == whole
