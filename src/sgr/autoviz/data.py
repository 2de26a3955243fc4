"""Load a data file into DuckDB, with dates as dates, and refuse bad input with one readable line.

Why DuckDB and not pandas: the file can hold millions of rows; DuckDB reads CSV/Parquet/JSON lines
out-of-core and in parallel, and every later stage (profile, tools) queries it in SQL, so the data never
has to enter Python. CSV and JSON lines are materialised once into an in-memory table (re-parsing text for
every query would dominate run time); Parquet stays a view over the file (its scans are already cheap).

Dates stored as strings are common and DuckDB's sniffer only knows a few formats, so string columns are
tested against candidate formats with TRY_STRPTIME on a sample; a format is accepted when at least 95%
of the non-null sample parses, and the conversion (and any value that failed) is written to `load_notes`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from sgr.autoviz.errors import DataError

TABLE_NAME = "data"
_FORMATS: dict[str, Literal["csv", "parquet", "jsonl"]] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_HEAD_BYTES = 1 << 20
_DATE_SAMPLE = 2000
_DATE_ACCEPT = 0.95
# Order matters: on a tie (e.g. every day <= 12) the earlier format wins and the note says so.
_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d %B %Y",
)
_TIMESTAMP_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
)
_FORMAT_LABEL = {"%Y-%m-%d": "Y-m-d", "%d/%m/%Y": "d/m/Y", "%m/%d/%Y": "m/d/Y", "%b %d %Y": "Mon d Y"}
# Numbers and booleans only: date sniffing is ours (see module doc), so DuckDB must leave strings alone.
_TYPE_CANDIDATES = "['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR']"


def qi(name: str) -> str:
    """Quote an identifier for DuckDB SQL; column names may hold spaces, quotes or keywords."""
    return '"' + str(name).replace('"', '""') + '"'


def ql(value: str) -> str:
    """Quote a string literal for places DuckDB cannot bind a parameter (table functions, DDL)."""
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class Table:
    """A loaded dataset: the DuckDB relation every stage queries, plus what loading had to decide."""

    con: duckdb.DuckDBPyConnection
    name: str
    path: Path
    format: Literal["csv", "parquet", "jsonl"]
    n_rows: int
    columns: list[str]
    load_notes: list[str] = field(default_factory=list)

    def dtypes(self) -> dict[str, str]:
        """Column name -> DuckDB type string, in column order."""
        rows = self.con.execute(f"DESCRIBE {qi(self.name)}").fetchall()
        return {str(r[0]): str(r[1]) for r in rows}


def load_table(path: str | Path, *, con: duckdb.DuckDBPyConnection | None = None) -> Table:
    """Load CSV, Parquet or JSON lines into DuckDB as the table/view ``data``.

    Raises
    ------
    DataError
        Missing file, a directory, empty or header-only file, a single column, an unsupported
        extension, undecodable bytes, or a file DuckDB cannot parse; always with a one-line message.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise DataError(f"data file not found: {p}")
    if p.is_dir():
        raise DataError(f"expected a data file but got a directory: {p}")
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise DataError(f"unsupported file type {p.suffix or '(none)'!r} for {p.name}; use one of {known}")
    if p.stat().st_size == 0:
        raise DataError(f"data file is empty: {p}")
    con = con or duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # a CLI prints its own progress; DuckDB's would interleave
    notes: list[str] = []
    if fmt == "csv":
        _load_csv(con, p, notes)
    elif fmt == "jsonl":
        _load_jsonl(con, p, notes)
    else:
        _load_parquet(con, p)
    _convert_string_dates(con, fmt, p, notes)
    if fmt != "parquet":
        _convert_mostly_numeric(con, notes)
    columns = [str(r[0]) for r in con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall()]
    n_rows = int(con.execute(f"SELECT count(*) FROM {qi(TABLE_NAME)}").fetchone()[0])  # type: ignore[index]
    if n_rows == 0:
        raise DataError(f"{p.name} has a header but no data rows")
    if len(columns) < 2 and fmt == "csv" and any(d in columns[0] for d in ",;\t|"):
        raise DataError(f"{p.name}: rows have inconsistent numbers of fields, so columns cannot be split reliably")
    if len(columns) < 2:
        raise DataError(
            f"{p.name} has a single column ({columns[0]!r}); was the delimiter detected? "
            "AutoViz needs at least two columns"
        )
    return Table(con=con, name=TABLE_NAME, path=p, format=fmt, n_rows=n_rows, columns=columns, load_notes=notes)


# -- CSV -------------------------------------------------------------------------------------------


def _sniff_encoding(p: Path, notes: list[str]) -> str:
    """UTF-8 when the head decodes as UTF-8; UTF-16 by BOM; otherwise latin-1 with a note.

    Binary content (NUL bytes without a UTF-16 BOM) is refused: DuckDB would read garbage columns.
    """
    with p.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append("decoded as utf-16 (byte-order mark found)")
        return "utf-16"
    if b"\x00" in head:
        raise DataError(f"{p.name} looks like a binary file, not text CSV")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _HEAD_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        notes.append("decoded as latin-1 (file is not valid UTF-8)")
        return "latin-1"


def _read_csv_sql(p: Path, encoding: str, *, full_sample: bool) -> str:
    sample = ", sample_size = -1" if full_sample else ""
    return (
        f"SELECT * FROM read_csv({ql(str(p))}, auto_detect = true, encoding = {ql(encoding)}, "
        f"auto_type_candidates = {_TYPE_CANDIDATES}{sample})"
    )


def _load_csv(con: duckdb.DuckDBPyConnection, p: Path, notes: list[str]) -> None:
    encoding = _sniff_encoding(p, notes)
    attempts: list[tuple[str, bool]] = [(encoding, False), (encoding, True)]
    if encoding == "utf-8":
        attempts.append(("latin-1", True))
    last: Exception | None = None
    for enc, full in attempts:
        try:
            con.execute(f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS {_read_csv_sql(p, enc, full_sample=full)}")
        except duckdb.Error as err:
            last = err
            continue
        if enc != encoding:
            notes.append("decoded as latin-1 (invalid UTF-8 found after the first megabyte)")
        if full:
            notes.append("column types sniffed from the whole file (the first rows were not representative)")
        _note_csv_dialect(con, p, enc, notes)
        return
    raise DataError(f"cannot parse {p.name} as CSV: {_first_line(last)}")


def _note_csv_dialect(con: duckdb.DuckDBPyConnection, p: Path, encoding: str, notes: list[str]) -> None:
    """Record the sniffed delimiter and header so a surprising parse is visible in the run folder."""
    try:
        row = con.execute(
            f"SELECT Delimiter, HasHeader, SkipRows FROM sniff_csv({ql(str(p))}, encoding = {ql(encoding)})"
        ).fetchone()
    except duckdb.Error:
        return
    if row is None:
        return
    delim, has_header, skip_rows = row
    if skip_rows:
        # the sniffer found a consistent shape only after skipping lines: loading would silently drop them
        raise DataError(f"{p.name}: rows have inconsistent numbers of fields (the first {skip_rows} line(s) do not "
                        "match the rest); fix the file or remove the stray rows")
    if delim and delim != ",":
        notes.append(f"delimiter detected as {delim!r}")
    if not has_header:
        notes.append("no header row detected; columns were named column0, column1, ...")


# -- JSON lines / Parquet --------------------------------------------------------------------------


def _load_jsonl(con: duckdb.DuckDBPyConnection, p: Path, notes: list[str]) -> None:
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT * FROM read_json({ql(str(p))}, "
            "format = 'newline_delimited', date_format = 'NONE', timestamp_format = 'NONE')"
        )
    except duckdb.Error as err:
        raise DataError(f"cannot parse {p.name} as JSON lines: {_first_line(err)}") from None


def _load_parquet(con: duckdb.DuckDBPyConnection, p: Path) -> None:
    try:
        con.execute(f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS SELECT * FROM read_parquet({ql(str(p))})")
        con.execute(f"SELECT * FROM {qi(TABLE_NAME)} LIMIT 0").fetchall()
    except duckdb.Error as err:
        raise DataError(f"cannot read {p.name} as Parquet: {_first_line(err)}") from None


# -- dates ------------------------------------------------------------------------------------------


def detect_date_format(
    con: duckdb.DuckDBPyConnection, relation: str, column: str
) -> tuple[str, Literal["DATE", "TIMESTAMP"], float, bool] | None:
    """Best date format for a string column on a sample: (format, type, parsed share, ambiguous).

    None when no candidate parses >= 95% of the non-null sample. `ambiguous` is True when a rival
    format (e.g. m/d/Y against d/m/Y) parses the sample equally well.
    """
    formats = [(f, "TIMESTAMP") for f in _TIMESTAMP_FORMATS] + [(f, "DATE") for f in _DATE_FORMATS]
    counts = ", ".join(f"count(try_strptime(v, {ql(f)}))" for f, _ in formats)
    sql = (
        f"SELECT count(v), {counts} FROM (SELECT trim({qi(column)}) AS v FROM {qi(relation)} "
        f"WHERE {qi(column)} IS NOT NULL LIMIT {_DATE_SAMPLE})"
    )
    row = con.execute(sql).fetchone()
    if row is None or not row[0]:
        return None
    total = int(row[0])
    best = max(range(len(formats)), key=lambda i: (row[i + 1], -i))
    share = row[best + 1] / total
    if share < _DATE_ACCEPT:
        return None
    ties = sum(1 for i in range(len(formats)) if row[i + 1] == row[best + 1])
    fmt, kind = formats[best]
    return fmt, kind, share, ties > 1  # type: ignore[return-value]


def _convert_string_dates(con: duckdb.DuckDBPyConnection, fmt: str, p: Path, notes: list[str]) -> None:
    """Turn string columns that hold dates into DATE/TIMESTAMP (in place for tables, in the view for Parquet)."""
    described = con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall()
    replaces: list[str] = []
    for name, dtype, *_ in described:
        if str(dtype) != "VARCHAR" or not _looks_date_like(con, str(name)):
            continue
        found = detect_date_format(con, TABLE_NAME, str(name))
        if found is None:
            continue
        date_fmt, kind, _share, ambiguous = found
        expr = f"try_strptime(trim({qi(name)}), {ql(date_fmt)})::{kind}"
        label = _FORMAT_LABEL.get(date_fmt, date_fmt.replace("%", ""))
        note = f"parsed {name!r} as {kind} from format {label}"
        if ambiguous:
            note += " (other formats fit the sample equally well; the first candidate was used)"
        if fmt == "parquet":
            replaces.append(f"{expr} AS {qi(name)}")
        else:
            con.execute(f"ALTER TABLE {qi(TABLE_NAME)} ALTER {qi(name)} SET DATA TYPE {kind} USING {expr}")
        notes.append(note)
    if replaces:
        con.execute(
            f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS SELECT * REPLACE ({', '.join(replaces)}) "
            f"FROM read_parquet({ql(str(p))})"
        )


#: a text column whose values are numbers this often is a numeric column with a few stray entries
NUMERIC_SHARE = 0.95


def _convert_mostly_numeric(con: duckdb.DuckDBPyConnection, notes: list[str]) -> None:
    """Read a text column of numbers with a few stray entries ("n/a", "abc") as DOUBLE, the strays as missing.

    One bad value would otherwise make a whole measure a string, and the question about it unanswerable. A
    sample decides cheaply; the whole column confirms before anything changes, and the note says what was lost.
    """
    for name, dtype, *_ in con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall():
        if str(dtype) not in ("VARCHAR", "JSON"):
            continue
        col = qi(str(name))
        text = f"trim(CAST({col} AS VARCHAR), ' \"')"
        share_sql = (f"SELECT count(*), count(TRY_CAST({text} AS DOUBLE)) FROM (SELECT {col} FROM {qi(TABLE_NAME)} "
                     f"WHERE {col} IS NOT NULL AND {text} <> '' {{limit}})")
        total, numeric = con.execute(share_sql.format(limit="LIMIT 1000")).fetchone()  # type: ignore[misc]
        if total < 20 or numeric < NUMERIC_SHARE * total:
            continue
        total, numeric = con.execute(share_sql.format(limit="")).fetchone()  # type: ignore[misc]
        if numeric < NUMERIC_SHARE * total or numeric == total:
            continue
        distinct, integral = con.execute(
            f"SELECT count(DISTINCT v), bool_and(v = round(v)) FROM (SELECT TRY_CAST({text} AS DOUBLE) AS v "
            f"FROM {qi(TABLE_NAME)}) WHERE v IS NOT NULL").fetchone()  # type: ignore[misc]
        if integral and distinct == numeric:
            continue  # all-distinct whole numbers plus a stray like "X-1": a code or key, kept as text
        strays = [str(r[0]) for r in con.execute(
            f"SELECT DISTINCT CAST({col} AS VARCHAR) FROM {qi(TABLE_NAME)} WHERE {col} IS NOT NULL "
            f"AND TRY_CAST({text} AS DOUBLE) IS NULL ORDER BY 1 LIMIT 3").fetchall()]
        con.execute(f"ALTER TABLE {qi(TABLE_NAME)} ALTER {col} SET DATA TYPE DOUBLE "
                    f"USING TRY_CAST({text} AS DOUBLE)")
        notes.append(f"read {name!r} as numbers: {total - numeric} value(s) that are not numbers "
                     f"({', '.join(repr(s) for s in strays)}) count as missing")


_DATE_CHARS = re.compile(r"^[0-9A-Za-z ,./:T-]{6,32}$")


def _looks_date_like(con: duckdb.DuckDBPyConnection, column: str) -> bool:
    """Cheap pre-check on a few values so free-text columns skip the format trial."""
    rows = con.execute(
        f"SELECT {qi(column)} FROM {qi(TABLE_NAME)} WHERE {qi(column)} IS NOT NULL LIMIT 20"
    ).fetchall()
    vals = [str(r[0]).strip() for r in rows]
    return bool(vals) and all(_DATE_CHARS.match(v) and any(c.isdigit() for c in v) for v in vals)


def _first_line(err: BaseException | None) -> str:
    text = str(err or "unknown error").strip()
    return text.splitlines()[0] if text else "unknown error"
