"""Load a data file into DuckDB, with dates as dates, and refuse bad input with one readable line.

Why DuckDB and not pandas: the file can hold millions of rows; DuckDB reads CSV/Parquet/JSON
out-of-core and in parallel, and every later stage (profile, tools) queries it in SQL, so the data never
has to enter Python. CSV and JSON are materialised once into an in-memory table (re-parsing text for
every query would dominate run time); Parquet stays a view over the file (its scans are already cheap).
A big text file goes into a temporary database on disk instead, unless it is a CSV whose text columns are all
categories: those are stored dictionary-coded (`sgr.autoviz.text_codes`) and the table stays in memory.
Gzip/zstd-compressed CSV and JSON are decompressed by DuckDB while it reads. Excel is the exception that
passes through Python: DuckDB has no built-in xlsx reader, so the first sheet is read with calamine (Rust,
fast) into an Arrow table with typed columns (dates stay dates), then materialised like CSV.

Files people export are not always tidy: European CSVs (`;` and `1.234,56`) have their decimal-comma
columns converted to numbers, and very wide tables are capped at `MAX_COLUMNS` columns, because every later
stage grows with the column count (and a run cannot chart thousands of columns anyway); the cap is a note.

Dates stored as strings are common and DuckDB's sniffer only knows a few formats, so string columns are
tested against candidate formats with TRY_STRPTIME on a sample; a format is accepted when at least 95%
of the non-null sample parses, and the conversion (and any value that failed) is written to `load_notes`.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import gzip
import math
import re
import shutil
import tempfile
import threading
import weakref
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import duckdb

from sgr.autoviz.errors import DataError
from sgr.autoviz.formats import Compression, Format, detect_format

if TYPE_CHECKING:
    import pyarrow as pa

TABLE_NAME = "data"
#: called with the percentage of the file read so far while a long load runs
LoadProgress = Callable[[float], None]
_MAGIC: dict[Compression, bytes] = {"gzip": b"\x1f\x8b", "zstd": b"\x28\xb5\x2f\xfd"}
#: DuckDB settings every connection the loader opens gets (`set_engine_limits`); empty = DuckDB's defaults
_ENGINE: dict[str, str] = {}


def set_engine_limits(*, memory_limit: str | None = None, threads: int | None = None,
                      temp_directory: str | Path | None = None) -> None:
    """Bound DuckDB in this process: the service's workers each get a share of the machine, so several
    runs at once cannot together take more memory than there is (DuckDB alone would take 80% each).

    `temp_directory` is where a table too big for `memory_limit` spills, and where large files are loaded
    into a temporary database (see `DISK_BACKED_BYTES`); by default the system's temporary folder.
    """
    _ENGINE.clear()
    if memory_limit:
        _ENGINE["memory_limit"] = memory_limit
    if threads:
        _ENGINE["threads"] = str(int(threads))
    if temp_directory:
        _ENGINE["temp_directory"] = str(Path(temp_directory).expanduser())


def engine_limits() -> dict[str, str]:
    """The DuckDB settings every loader connection gets (a copy; `set_engine_limits` changes them)."""
    return dict(_ENGINE)


def _configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The process's engine limits, and no DuckDB progress bar (a CLI prints its own; it would interleave)."""
    for key, value in _ENGINE.items():
        con.execute(f"SET {key} = {ql(value)}")
    con.execute("SET enable_progress_bar = false")
    return con


#: columns a run considers; beyond this the first MAX_COLUMNS are kept and the rest are left out with a note
MAX_COLUMNS = 1000
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
    format: Format
    n_rows: int
    columns: list[str]
    load_notes: list[str] = field(default_factory=list)
    #: how the file was compressed (`sales.csv.gz` -> "gzip"); None for plain files
    compression: Compression | None = None
    #: columns of the file beyond the `MAX_COLUMNS` cap, not in `columns` and not queryable
    columns_left_out: int = 0
    #: the in-memory object a `load_frame` table reads (kept referenced while the table lives)
    source: object = None
    #: column -> every non-null value (as text, sorted) with its row count, for the categorical columns the
    #: profile counted in its one grouped scan; later stages read value lists from here instead of rescanning
    value_counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def n_columns_in_file(self) -> int:
        """How many columns the file has, including those the column cap left out."""
        return len(self.columns) + self.columns_left_out

    def dtypes(self) -> dict[str, str]:
        """Column name -> DuckDB type string, in column order (a coded text column is VARCHAR)."""
        return {name: column_type(dtype) for name, dtype in self.stored_types().items()}

    def stored_types(self) -> dict[str, str]:
        """Column name -> the type DuckDB stores, in column order (a coded text column is an ENUM)."""
        return described_types(self.con, qi(self.name))


def described_types(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Column name -> stored type of `relation` (quoted, or a parenthesised query), in column order."""
    return {str(r[0]): str(r[1]) for r in con.execute(f"DESCRIBE {relation}").fetchall()}


def is_enum(dtype: str) -> bool:
    """Whether a stored type is an ENUM: a loader's coded text column (`sgr.autoviz.text_codes`), or a pandas
    Categorical."""
    return dtype.startswith("ENUM(")


def column_type(dtype: str) -> str:
    """The type every stage reasons about: a dictionary-coded text column (an ENUM, `sgr.autoviz.text_codes`)
    is text, and DuckDB compares, sorts and applies string functions to it as text."""
    return "VARCHAR" if is_enum(dtype) else dtype


def load_table(
    path: str | Path, *, con: duckdb.DuckDBPyConnection | None = None, max_columns: int = MAX_COLUMNS,
    progress: LoadProgress | None = None,
) -> Table:
    """Load CSV, Parquet, JSON (lines or an array), or the first sheet of an .xlsx into DuckDB as ``data``.

    CSV and JSON may be gzip- or zstd-compressed (`.csv.gz`, `.jsonl.zst`). Only the first `max_columns`
    columns are kept; `Table.columns_left_out` and a load note say how many were not. Large text files go
    into a temporary on-disk database (`DISK_BACKED_BYTES`) that is deleted with the table. While a CSV is
    read, `progress` is called about twice a second with the share read so far (0-100).

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
    fmt, compression = detect_format(p)
    if p.stat().st_size == 0:
        raise DataError(f"data file is empty: {p}")
    own = con is None
    scratch = _scratch_folder(p, fmt) if own else None
    con = _configure(con or _connect(scratch))
    try:
        table = _load_into(con, p, fmt, compression, max_columns, progress, scratch)
    except BaseException:
        if own:
            _close(con, scratch)
        raise
    if own:
        # the connection (and its temporary database, if any) goes when the last reference to the table does
        weakref.finalize(table, _close, con, scratch)
    return table


def _load_into(con: duckdb.DuckDBPyConnection, p: Path, fmt: Format, compression: Compression | None,
               max_columns: int, progress: LoadProgress | None, scratch: Path | None) -> Table:
    notes: list[str] = []
    view_sql: str | None = None  # the SELECT behind the view `data`; None when `data` is a table
    delimiter: str | None = None
    if fmt == "csv":
        # one pass over the file: the column cap and date parsing happen while the table is written
        delimiter, left_out, date_notes = _load_csv(con, p, compression, notes, max_columns, progress, scratch)
    else:
        if scratch is not None:
            _use_store(con, scratch)
        if fmt in ("jsonl", "json"):
            _load_json(con, p, fmt, compression)
        elif fmt == "xlsx":
            _load_xlsx(con, p, notes)
        else:
            view_sql = _load_parquet(con, p)
        left_out, view_sql = _cap_columns(con, p, view_sql, max_columns, notes)
    if delimiter == ";":
        _convert_decimal_commas(con, notes)
    if fmt == "csv":
        notes += date_notes
    else:
        _convert_string_dates(con, view_sql, notes)
    if fmt != "parquet":
        _convert_mostly_numeric(con, notes)
    return _finish(con, p, fmt, notes, compression=compression, left_out=left_out)


#: a CSV/JSON/Excel file at least this big is loaded into a temporary database on disk rather than into
#: memory. Measured on 10M rows x 4 (341 MB of CSV): the on-disk table is stored compressed (59 MB), its
#: queries ran 1.5-2.5x faster than on the uncompressed in-memory table and the process peaked at half the
#: memory; and a table larger than `memory_limit` can then live on disk (100M rows under a 4 GB limit).
DISK_BACKED_BYTES = 64 << 20
#: ... except a CSV up to this size whose text columns are all dictionary-coded (`sgr.autoviz.text_codes`):
#: that table is small in memory and loads in about half the time of the on-disk one
CODED_IN_MEMORY_BYTES = 512 << 20
#: how many times bigger than its file a compressed CSV is assumed to be when deciding where its table goes
_COMPRESSION_GUESS = 8
#: the name the temporary on-disk database is attached under
_STORE = "autoviz_store"


def _scratch_folder(p: Path, fmt: Format) -> Path | None:
    """A private folder for the temporary database of a big text file (None: load into memory)."""
    if fmt in ("parquet", "dataframe") or p.stat().st_size < DISK_BACKED_BYTES:
        return None
    root = _ENGINE.get("temp_directory")
    if root:
        Path(root).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="sgr-autoviz-", dir=root))


def _connect(scratch: Path | None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection; with a `scratch` folder, one that spills there (unless `temp_directory` says
    elsewhere) when a query needs more than `memory_limit`, and may keep its table in a database file there
    (`_use_store`, decided while loading)."""
    con = duckdb.connect()
    if scratch is not None:
        con.execute(f"SET temp_directory = {ql(str(scratch / 'spill'))}")
    return con


def _use_store(con: duckdb.DuckDBPyConnection, scratch: Path) -> None:
    """Make the database file in `scratch` where new tables go (attached once; later calls do nothing)."""
    attached = con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [_STORE]).fetchone()
    if not (attached and attached[0]):
        con.execute(f"ATTACH {ql(str(scratch / 'data.duckdb'))} AS {qi(_STORE)}")
    con.execute(f"USE {qi(_STORE)}")


def _close(con: duckdb.DuckDBPyConnection, scratch: Path | None) -> None:
    """Close the connection and delete its temporary database (a no-op for in-memory ones)."""
    with contextlib.suppress(duckdb.Error):
        con.close()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def _finish(con: duckdb.DuckDBPyConnection, p: Path, fmt: Format, notes: list[str], *,
            compression: Compression | None, left_out: int) -> Table:
    """Count and name what was loaded, refusing tables with no rows or a single column."""
    columns = [str(r[0]) for r in con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall()]
    n_rows = int(con.execute(f"SELECT count(*) FROM {qi(TABLE_NAME)}").fetchone()[0])  # type: ignore[index]
    if n_rows == 0:
        raise DataError(f"{p.name} has a header but no data rows")
    if len(columns) < 2 and fmt == "csv" and any(d in columns[0] for d in ",;\t|"):
        raise DataError(f"{p.name}: rows have inconsistent numbers of fields, so columns cannot be split reliably")
    if len(columns) < 2:
        hint = "was the delimiter detected? " if fmt == "csv" else ""
        raise DataError(f"{p.name} has a single column ({columns[0]!r}); {hint}AutoViz needs at least two columns")
    return Table(con=con, name=TABLE_NAME, path=p, format=fmt, n_rows=n_rows, columns=columns, load_notes=notes,
                 compression=compression, columns_left_out=left_out)


#: the name a DataFrame is registered under in its own connection (the table `data` is a view over it)
_FRAME = "input_frame"


def load_frame(frame: object, *, name: str = "dataframe", max_columns: int = MAX_COLUMNS) -> Table:
    """A pandas or polars DataFrame, a pyarrow Table or a DuckDB relation as the table ``data``.

    DuckDB scans pandas, polars and Arrow data in place (the view `data` reads the object, no copy); a
    relation belongs to its own connection, so it is fetched once as Arrow. Typed columns stay typed; string
    dates are converted as for files. `name` stands in for the file name in notes and the run folder.

    Raises
    ------
    DataError
        An object DuckDB cannot scan, no rows, or a single column.
    """
    con = _configure(duckdb.connect())
    if isinstance(frame, duckdb.DuckDBPyRelation):  # `to_arrow_table` since DuckDB 1.4; older ones fetch_
        fetch = getattr(frame, "to_arrow_table", None) or frame.fetch_arrow_table
        frame = fetch()
    try:
        con.register(_FRAME, frame)
        view_sql = f"SELECT * FROM {qi(_FRAME)}"
        con.execute(f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS {view_sql}")
        con.execute(f"SELECT * FROM {qi(TABLE_NAME)} LIMIT 0").fetchall()
    except (duckdb.Error, TypeError, ValueError) as err:
        raise DataError(f"cannot read a {type(frame).__name__} as a table (use a pandas or polars DataFrame, a "
                        f"pyarrow Table, a DuckDB relation or a file path): {_first_line(err)}") from None
    p = Path(name)
    notes: list[str] = []
    left_out, view_sql = _cap_columns(con, p, view_sql, max_columns, notes)
    _convert_string_dates(con, view_sql, notes)
    table = _finish(con, p, "dataframe", notes, compression=None, left_out=left_out)
    table.source = frame  # the view reads it: keep it alive as long as the table
    return table


def _cap_columns(
    con: duckdb.DuckDBPyConnection, p: Path, view_sql: str | None, max_columns: int, notes: list[str]
) -> tuple[int, str | None]:
    """Keep the first `max_columns` columns; return how many were left out and the view's new SELECT.

    Why cap: profiling, date sniffing and every prompt grow with the column count, and thousands of columns
    once crashed the profile query; a run cannot chart them all anyway. The first columns are kept (not a
    sample) so the same file always gives the same table.
    """
    names = [str(r[0]) for r in con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall()]
    if len(names) <= max_columns:
        return 0, view_sql
    keep = ", ".join(qi(n) for n in names[:max_columns])
    if view_sql is None:
        con.execute(f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT {keep} FROM {qi(TABLE_NAME)}")
    else:
        view_sql = f"SELECT {keep} FROM ({view_sql})"
        con.execute(f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS {view_sql}")
    return _cap_note(p, names, max_columns, notes), view_sql


def _cap_note(p: Path, names: list[str], max_columns: int, notes: list[str]) -> int:
    """Note the columns beyond the cap (if any) and return how many there are."""
    if len(names) <= max_columns:
        return 0
    left_out = len(names) - max_columns
    notes.append(f"{p.name} has {len(names):,} columns; only the first {max_columns:,} are used "
                 f"({left_out:,} left out, from {names[max_columns]!r} to {names[-1]!r})")
    return left_out


# -- CSV -------------------------------------------------------------------------------------------


def _read_head(p: Path, compression: Compression | None) -> bytes | None:
    """The first megabyte of the file's content, decompressed; None where Python cannot decompress (zstd).

    A file whose magic bytes do not match its compression suffix, or a gzip stream that is corrupt, is
    refused here with one line rather than as DuckDB's error from deep inside the reader.
    """
    with p.open("rb") as fh:
        raw = fh.read(_HEAD_BYTES)
    if compression is None:
        return raw
    if not raw.startswith(_MAGIC[compression]):
        raise DataError(f"{p.name} is not a {compression} file (its first bytes do not match the extension)")
    if compression == "zstd":
        return None  # no zstd in the standard library before Python 3.14; DuckDB decodes it and errors itself
    try:
        with gzip.open(p, "rb") as fh:
            return fh.read(_HEAD_BYTES)
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{p.name} is a corrupt or truncated gzip file: {_first_line(err)}") from None


def _sniff_encoding(p: Path, compression: Compression | None, notes: list[str]) -> str:
    """UTF-8 when the head decodes as UTF-8; UTF-16 by BOM; otherwise latin-1 with a note.

    Binary content (NUL bytes without a UTF-16 BOM) is refused: DuckDB would read garbage columns.
    A zstd file's head cannot be read here, so it is tried as UTF-8 and falls back to latin-1 on failure.
    """
    head = _read_head(p, compression)
    if head is None:
        return "utf-8"
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


def _compression_arg(compression: Compression | None) -> str:
    return f", compression = {ql(compression)}" if compression else ""


@dataclass(frozen=True)
class _CsvDialect:
    """What DuckDB's sniffer found in a CSV, sniffed once and then spelled out in every read of the file.

    Why: `read_csv(auto_detect = true)` sniffs again each time it is bound, and a load binds the file four
    or five times (the view, DESCRIBE, the head copy for dates, the table, the dialect note); measured at 1M
    rows, the repeated sniffing was about a third of the load beyond the one read that matters.
    """

    delimiter: str | None
    has_header: bool
    skip_rows: int
    columns: tuple[tuple[str, str], ...]
    #: read_csv options that pin the dialect (no sniffing); the columns are added per read
    options: str


def _sniff_csv(con: duckdb.DuckDBPyConnection, p: Path, encoding: str, compression: Compression | None, *,
               full_sample: bool) -> _CsvDialect:
    """Sniff the CSV's dialect and column types once (on the whole file when `full_sample`)."""
    sample = ", sample_size = -1" if full_sample else ""
    row = con.execute(
        f"SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, HasHeader, Columns "
        f"FROM sniff_csv({ql(str(p))}, encoding = {ql(encoding)}, auto_type_candidates = {_TYPE_CANDIDATES}"
        f"{sample}{_compression_arg(compression)})"
    ).fetchone()
    if row is None:
        raise duckdb.InvalidInputException("the CSV sniffer found no dialect")
    delim, quote, escape, new_line, comment, skip_rows, has_header, columns = row

    def given(value: object) -> str:  # the sniffer writes an empty setting as "(empty)"
        return "" if value in (None, "(empty)") else str(value)

    options = (f", auto_detect = false, delim = {ql(given(delim))}, quote = {ql(given(quote))}, "
               f"escape = {ql(given(escape))}, comment = {ql(given(comment))}, skip = {int(skip_rows or 0)}, "
               f"header = {'true' if has_header else 'false'}, encoding = {ql(encoding)}"
               f"{_compression_arg(compression)}")
    if given(new_line):
        options += f", new_line = {ql(given(new_line))}"
    return _CsvDialect(delimiter=given(delim) or None, has_header=bool(has_header), skip_rows=int(skip_rows or 0),
                       columns=tuple((str(c["name"]), str(c["type"])) for c in columns), options=options)


def _read_csv_sql(p: Path, dialect: _CsvDialect, types: dict[str, str] | None = None, formats: str = "") -> str:
    """SELECT over the CSV with its sniffed dialect pinned; `types` overrides some columns' types (dates
    parsed by the reader, with `formats` giving dateformat/timestampformat)."""
    columns = ", ".join(f"{ql(n)}: {ql((types or {}).get(n, t))}" for n, t in dialect.columns)
    return f"SELECT * FROM read_csv({ql(str(p))}{dialect.options}, columns = {{{columns}}}{formats})"


def _native_dates(dates: dict[str, _DateColumn]) -> tuple[dict[str, str], str] | None:
    """Column types and read_csv format options that parse the date columns in the reader itself (faster
    than try_strptime on text), or None when they cannot: DuckDB takes one date and one timestamp format
    per file."""
    kinds: dict[str, set[str]] = {"DATE": set(), "TIMESTAMP": set()}
    for d in dates.values():
        kinds[d.kind].add(d.fmt)
    if not dates or any(len(f) > 1 for f in kinds.values()):
        return None
    formats = ""
    if kinds["DATE"]:
        formats += f", dateformat = {ql(next(iter(kinds['DATE'])))}"
    if kinds["TIMESTAMP"]:
        formats += f", timestampformat = {ql(next(iter(kinds['TIMESTAMP'])))}"
    return {n: d.kind for n, d in dates.items()}, formats


#: the name of the temporary view over a CSV file while it is loaded
_CSV_VIEW = "__autoviz_csv"


def _load_csv(con: duckdb.DuckDBPyConnection, p: Path, compression: Compression | None, notes: list[str],
              max_columns: int, progress: LoadProgress | None, scratch: Path | None
              ) -> tuple[str | None, int, list[str]]:
    """Materialise the CSV as the table `data` in one pass over the file.

    Why one pass: the file is the slow part. String dates are recognised on the first rows of a view over
    the file, and the table is written with those columns already parsed, a big file's categorical text
    columns already coded (`sgr.autoviz.text_codes`) and only the first `max_columns` columns kept;
    converting afterwards rewrote whole columns (measured: 40% of the load of 10M rows). A big file (one with
    a `scratch` folder) goes into the database file there, unless coding made its table small enough for
    memory. Returns the sniffed delimiter (None if the sniffer failed), how many columns the cap left out,
    and the notes of the parsed date columns (the caller files them after the other conversions' notes).
    """
    encoding = _sniff_encoding(p, compression, notes)
    attempts: list[tuple[str, bool]] = [(encoding, False), (encoding, True)]
    if encoding == "utf-8":
        attempts.append(("latin-1", True))
    last: Exception | None = None
    for enc, full in attempts:
        try:
            dialect = _sniff_csv(con, p, enc, compression, full_sample=full)
            _refuse_skipped_rows(p, dialect)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {qi(_CSV_VIEW)} AS {_read_csv_sql(p, dialect)}")
            described = list(dialect.columns)
            kept = described[:max_columns]
            dates, codes = _csv_conversions(con, kept, coding=scratch is not None)
            if codes and scratch is not None:
                codes = _confirm_on_tail(con, p, dialect, codes, scratch, compressed=bool(compression))
            _write_csv_stored(con, p, dialect, kept, dates, codes, progress, scratch, compressed=bool(compression))
        except duckdb.Error as err:
            last = err
            continue
        finally:
            con.execute(f"DROP VIEW IF EXISTS {qi(_CSV_VIEW)}")
        if enc != encoding:
            notes.append("decoded as latin-1 (invalid UTF-8 found after the first megabyte)")
        if full:
            notes.append("column types sniffed from the whole file (the first rows were not representative)")
        _note_csv_dialect(dialect, notes)
        left_out = _cap_note(p, [n for n, _ in described], max_columns, notes)
        return dialect.delimiter, left_out, [d.note for d in dates.values()]
    raise DataError(f"cannot parse {p.name} as CSV: {_first_line(last)}")


def _csv_conversions(con: duckdb.DuckDBPyConnection, kept: list[tuple[str, str]], *, coding: bool
                     ) -> tuple[dict[str, _DateColumn], dict[str, str]]:
    """The CSV's text columns that hold dates, and (when `coding`) the other text columns' ENUM types, both
    read from one head copy of the file."""
    from sgr.autoviz.text_codes import coded_columns

    text = [name for name, dtype in kept if dtype == "VARCHAR"]
    if not text:
        return {}, {}
    with _head_copy(con, _CSV_VIEW, text) as head:
        dates = _dates_in(con, _CSV_VIEW, text, head)
        rest = [n for n in text if n not in dates]
        codes = coded_columns(con, _HEAD_TABLE, rest) if coding and rest and not head.whole else {}
    return dates, codes


#: bytes at the end of a big CSV read to confirm the codes its head suggested (about 30,000 rows of 4 columns)
_TAIL_BYTES = 1 << 20


def _confirm_on_tail(con: duckdb.DuckDBPyConnection, p: Path, dialect: _CsvDialect, codes: dict[str, str],
                     scratch: Path, *, compressed: bool) -> dict[str, str]:
    """The codes whose values cover the file's last rows too.

    Why: the head alone cannot see a file sorted by a category (its first rows hold one value) or a value
    that only appears late, and each such column would fail the coded load and cost a second one. The tail
    is read into a small CSV of its own (the file's first lines, then its last `_TAIL_BYTES` from the first
    line break on). A compressed file cannot be read from its end: its codes rest on the head alone. A tail
    that does not parse confirms nothing, and the columns stay text.
    """
    from sgr.autoviz.text_codes import confirmed

    if compressed:
        return codes
    tail = scratch / "tail.csv"
    try:
        with p.open("rb") as f:
            start = b"".join(f.readline() for _ in range(dialect.skip_rows + int(dialect.has_header)))
            f.seek(max(f.tell(), p.stat().st_size - _TAIL_BYTES))
            rows = f.read()
        cut = rows.find(b"\n")
        tail.write_bytes(start + (rows[cut + 1:] if cut >= 0 else b""))
        return confirmed(con, codes, f"({_read_csv_sql(tail, dialect)})")
    except (OSError, duckdb.Error):
        return {}
    finally:
        tail.unlink(missing_ok=True)


def _write_csv_stored(con: duckdb.DuckDBPyConnection, p: Path, dialect: _CsvDialect,
                      kept: list[tuple[str, str]], dates: dict[str, _DateColumn], codes: dict[str, str],
                      progress: LoadProgress | None, scratch: Path | None, *, compressed: bool) -> None:
    """Write the table where it belongs: memory for a small file or a big one whose every text column is
    coded (and not too big), else the database file in `scratch`. When a coded column meets a value its
    head did not show, the cast fails and the table is written again uncoded, on disk."""
    text = sum(1 for n, dtype in kept if dtype == "VARCHAR" and n not in dates)
    # a compressed file is judged by a generous guess at its text size (CSV typically compresses 3-10x)
    small = p.stat().st_size * (_COMPRESSION_GUESS if compressed else 1) <= CODED_IN_MEMORY_BYTES
    if scratch is not None and not (codes and len(codes) == text and small):
        _use_store(con, scratch)
    elif scratch is not None:
        con.execute("USE memory")  # (an earlier attempt at this file, in another encoding, may have left the store)
    if not codes:
        _write_csv_table(con, p, dialect, kept, dates, {}, progress)
        return
    try:
        _write_csv_table(con, p, dialect, kept, dates, codes, progress)
    except duckdb.Error:
        assert scratch is not None  # only big files are coded
        _use_store(con, scratch)
        _write_csv_table(con, p, dialect, kept, dates, {}, progress)


def _write_csv_table(con: duckdb.DuckDBPyConnection, p: Path, dialect: _CsvDialect, kept: list[tuple[str, str]],
                     dates: dict[str, _DateColumn], codes: dict[str, str], progress: LoadProgress | None) -> None:
    """CREATE the table `data` from the CSV: date columns parsed by the reader when every value parses
    (measured: 25% faster than try_strptime over text on 10M rows), else by try_strptime, where a value
    that does not parse becomes missing; `codes` columns cast to their ENUM types (a value outside one
    fails the statement, and with codes the reader's date parsing is not retried: the caller writes again)."""

    def column(name: str, parsed: str) -> str:
        return f"CAST({parsed} AS {codes[name]}) AS {qi(name)}" if name in codes else f"{parsed} AS {qi(name)}"

    native = _native_dates(dates)
    if native is not None:
        names = ", ".join(column(n, qi(n)) for n, _ in kept)
        try:
            _execute_with_progress(con, f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT {names} FROM "
                                        f"({_read_csv_sql(p, dialect, *native)})", progress)
            return
        except duckdb.Error:
            if codes:
                raise
            # some value is not a date in that format: the forgiving conversion below
    select = ", ".join(column(n, dates[n].expr() if n in dates else qi(n)) for n, _ in kept)
    _execute_with_progress(
        con, f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT {select} FROM {qi(_CSV_VIEW)}", progress)


def _execute_with_progress(con: duckdb.DuckDBPyConnection, sql: str, progress: LoadProgress | None) -> None:
    """Run `sql`; meanwhile, if asked, report DuckDB's progress (0-100) about twice a second from a thread."""
    if progress is None:
        con.execute(sql)
        return
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.5):
            try:
                share = float(con.query_progress())
            except duckdb.Error:
                continue
            if share >= 0:
                progress(share)

    # progress tracking on, DuckDB's own bar off (the CLI draws one; it would interleave)
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    watcher = threading.Thread(target=poll, name="load-progress", daemon=True)
    watcher.start()
    try:
        con.execute(sql)
    finally:
        done.set()
        watcher.join()
        con.execute("SET enable_progress_bar = false")


def _refuse_skipped_rows(p: Path, dialect: _CsvDialect) -> None:
    """The sniffer found a consistent shape only after skipping lines: loading would silently drop them."""
    if dialect.skip_rows:
        raise DataError(f"{p.name}: rows have inconsistent numbers of fields (the first {dialect.skip_rows} line(s) "
                        "do not match the rest); fix the file or remove the stray rows")


def _note_csv_dialect(dialect: _CsvDialect, notes: list[str]) -> None:
    """Record the sniffed delimiter and header so a surprising parse is visible in the run folder."""
    if dialect.delimiter and dialect.delimiter != ",":
        notes.append(f"delimiter detected as {dialect.delimiter!r}")
    if not dialect.has_header:
        notes.append("no header row detected; columns were named column0, column1, ...")


#: a European number: optional sign, digits with optional `.` thousands groups, optional `,` decimals
_DECIMAL_COMMA = r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$"


def _convert_decimal_commas(con: duckdb.DuckDBPyConnection, notes: list[str]) -> None:
    """In a `;`-delimited CSV, read text columns of `1.234,56`-style numbers as DOUBLE.

    Why: `;` is the delimiter where `,` is the decimal mark (most of Europe), and DuckDB's sniffer types such
    columns as text, so every measure of the file would be unusable. A column converts only when (nearly) all
    its non-null values match the pattern and at least one has a separator: a text column of plain digits
    (zip codes with leading zeros) stays text. Values that do not match become missing, and the note says so.
    """
    pattern = ql(_DECIMAL_COMMA)
    for name, dtype, *_ in con.execute(f"DESCRIBE {qi(TABLE_NAME)}").fetchall():
        if str(dtype) != "VARCHAR":
            continue
        col = qi(str(name))
        text = f"trim({col})"
        total, matching, separated = con.execute(
            f"SELECT count(*), count(*) FILTER (regexp_full_match({text}, {pattern})), "
            f"count(*) FILTER (regexp_full_match({text}, {pattern}) AND regexp_matches({text}, '[.,]')) "
            f"FROM {qi(TABLE_NAME)} WHERE {col} IS NOT NULL AND {text} <> ''").fetchone()  # type: ignore[misc]
        if not total or matching < NUMERIC_SHARE * total or not separated:
            continue
        strays = [str(r[0]) for r in con.execute(
            f"SELECT DISTINCT {col} FROM {qi(TABLE_NAME)} WHERE {col} IS NOT NULL AND {text} <> '' "
            f"AND NOT regexp_full_match({text}, {pattern}) ORDER BY 1 LIMIT 3").fetchall()]
        con.execute(
            f"ALTER TABLE {qi(TABLE_NAME)} ALTER {col} SET DATA TYPE DOUBLE USING CASE WHEN "
            f"regexp_full_match({text}, {pattern}) THEN replace(replace({text}, '.', ''), ',', '.')::DOUBLE END")
        note = f"read {name!r} as numbers with decimal commas (1.234,56 = 1234.56)"
        if strays:
            note += (f"; {total - matching} value(s) that are not numbers "
                     f"({', '.join(repr(s) for s in strays)}) count as missing")
        notes.append(note)


# -- JSON / Parquet --------------------------------------------------------------------------------


def _load_json(con: duckdb.DuckDBPyConnection, p: Path, fmt: Format, compression: Compression | None) -> None:
    """JSON lines, or for `.json` either a top-level array of objects or JSON lines (DuckDB tells which)."""
    layout = "'newline_delimited'" if fmt == "jsonl" else "'auto'"
    what = "JSON lines" if fmt == "jsonl" else "JSON"
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT * FROM read_json({ql(str(p))}, "
            f"format = {layout}, date_format = 'NONE', timestamp_format = 'NONE'{_compression_arg(compression)})"
        )
        n = con.execute(f"SELECT count(*) FROM {qi(TABLE_NAME)}").fetchone()[0]  # type: ignore[index]
    except duckdb.Error as err:
        raise DataError(f"cannot parse {p.name} as {what}: {_first_line(err)}") from None
    if n == 0:
        raise DataError(f"{p.name} holds no records (an empty JSON array or no objects)")


def _load_parquet(con: duckdb.DuckDBPyConnection, p: Path) -> str:
    """Create the view `data` over the file and return its SELECT (later steps rebuild the view from it)."""
    view_sql = f"SELECT * FROM read_parquet({ql(str(p))})"
    try:
        con.execute(f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS {view_sql}")
        con.execute(f"SELECT * FROM {qi(TABLE_NAME)} LIMIT 0").fetchall()
    except duckdb.Error as err:
        raise DataError(f"cannot read {p.name} as Parquet: {_first_line(err)}") from None
    return view_sql


# -- Excel -----------------------------------------------------------------------------------------


def _load_xlsx(con: duckdb.DuckDBPyConnection, p: Path, notes: list[str]) -> None:
    """The first sheet, first row as header, into the table `data` through a typed Arrow table.

    calamine is imported here so the other formats never pay for it; it is Rust, so a malformed workbook
    can surface as pyo3's PanicException (a BaseException), which is caught too: bad input is a DataError.
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise DataError("reading .xlsx needs the python-calamine package (pip install python-calamine)") from None
    try:
        workbook = CalamineWorkbook.from_path(str(p))
        try:
            sheets = list(workbook.sheet_names)
            rows = workbook.get_sheet_by_index(0).to_python() if sheets else []
        finally:
            close = getattr(workbook, "close", None)
            if close is not None:
                close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:
        raise DataError(f"cannot read {p.name} as an Excel workbook: {_first_line(err)}") from None
    if not sheets:
        raise DataError(f"{p.name} has no worksheets")
    rows = [list(r) for r in rows if any(v is not None and v != "" for v in r)]  # blank rows carry nothing
    if not rows:
        raise DataError(f"the first sheet ({sheets[0]!r}) of {p.name} is empty")
    if len(sheets) > 1:
        notes.append(f"read the first sheet {sheets[0]!r}; {len(sheets) - 1} other sheet(s) were ignored")
    arrow = _xlsx_to_arrow(rows)
    con.register("__autoviz_xlsx", arrow)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {qi(TABLE_NAME)} AS SELECT * FROM __autoviz_xlsx")
    finally:
        con.unregister("__autoviz_xlsx")


def _xlsx_to_arrow(rows: list[list[object]]) -> pa.Table:
    """Header row -> unique column names; each column typed from its cells (see `_xlsx_column`)."""
    import pyarrow as pa  # only Excel needs Arrow here; CSV/JSON/Parquet never import it
    width = max(len(r) for r in rows)
    grid = [r + [None] * (width - len(r)) for r in rows]
    header, body = grid[0], grid[1:]
    names: list[str] = []
    arrays: list[pa.Array] = []
    seen: set[str] = set()
    for i in range(width):
        cells = [None if r[i] == "" else r[i] for r in body]
        if header[i] in (None, "") and all(v is None for v in cells):
            continue  # an unused column inside the sheet's used range
        name = _xlsx_text(header[i]).strip() or f"column{i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        names.append(name)
        arrays.append(_xlsx_column(cells))
    return pa.Table.from_arrays(arrays, names=names)


def _xlsx_column(cells: list[object]) -> pa.Array:
    """Type a column from its cells: booleans, whole numbers, numbers, dates, timestamps, else text.

    Excel stores every number as a double, so a column of whole numbers becomes BIGINT. A column that mixes
    kinds becomes text and goes through the same numeric and date sniffing as a CSV column.
    """
    import pyarrow as pa
    values = [v for v in cells if v is not None]
    if values and all(isinstance(v, bool) for v in values):
        return pa.array(cells, pa.bool_())
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        floats = [float(v) for v in values]  # type: ignore[arg-type]
        if all(math.isfinite(f) and f.is_integer() and abs(f) < 2**53 for f in floats):
            return pa.array([None if v is None else int(v) for v in cells], pa.int64())  # type: ignore[call-overload]
        return pa.array([None if v is None else float(v) for v in cells], pa.float64())  # type: ignore[arg-type]
    if values and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return pa.array(cells, pa.date32())
    if values and all(isinstance(v, dt.date) for v in values):
        stamps = [v if v is None or isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())  # type: ignore[arg-type]
                  for v in cells]
        return pa.array(stamps, pa.timestamp("us"))
    return pa.array([None if v is None else _xlsx_text(v) for v in cells], pa.string())


def _xlsx_text(value: object) -> str:
    """A cell as text: whole-number doubles without `.0`, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


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


@dataclass(frozen=True)
class _DateColumn:
    """A text column recognised as dates: its format, the type it becomes, and the load note saying so."""

    name: str
    fmt: str
    kind: Literal["DATE", "TIMESTAMP"]
    note: str

    def expr(self) -> str:
        """SQL that parses the column; a value that does not parse becomes missing."""
        return f"try_strptime(trim({qi(self.name)}), {ql(self.fmt)})::{self.kind}"


#: rows at the head of a relation copied once for date sniffing (see `_date_conversions`)
_HEAD_ROWS = 20_000
_HEAD_TABLE = "__autoviz_head"


def _date_conversions(con: duckdb.DuckDBPyConnection, relation: str, described: list[tuple[str, str]]
                      ) -> dict[str, _DateColumn]:
    """String columns of `relation` that hold dates, by name (see `_head_copy` for how they are read)."""
    text = [name for name, dtype in described if dtype == "VARCHAR"]
    if not text:
        return {}
    with _head_copy(con, relation, text) as head:
        return _dates_in(con, relation, text, head)


@dataclass(frozen=True)
class _Head:
    """The head copy of a relation's text columns (`_HEAD_TABLE`): whether it is the whole relation, and
    each column's non-null count in it."""

    whole: bool
    non_null: dict[str, int]


@contextlib.contextmanager
def _head_copy(con: duckdb.DuckDBPyConnection, relation: str, text: list[str]) -> Iterator[_Head]:
    """Copy the first `_HEAD_ROWS` rows of `relation`'s `text` columns into `_HEAD_TABLE` while the block runs.

    Why a head copy: `relation` is often a view over the CSV file, and every query on it re-sniffs and
    re-reads the file (measured: ~0.15 s a query at 1M rows, five queries for three text columns). The
    checks read the first non-null values in file order, so the first `_HEAD_ROWS` rows answer them exactly
    whenever they hold enough non-null values of the column; a sparser column is checked on `relation`.
    """
    columns = ", ".join(qi(n) for n in text)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {qi(_HEAD_TABLE)} AS SELECT {columns} FROM {qi(relation)} "
                f"LIMIT {_HEAD_ROWS}")
    try:
        row = con.execute(f"SELECT count(*), {', '.join(f'count({qi(n)})' for n in text)} "
                          f"FROM {qi(_HEAD_TABLE)}").fetchone()
        assert row is not None
        yield _Head(whole=int(row[0]) < _HEAD_ROWS, non_null={n: int(c) for n, c in zip(text, row[1:], strict=True)})
    finally:
        con.execute(f"DROP TABLE IF EXISTS {qi(_HEAD_TABLE)}")


def _dates_in(con: duckdb.DuckDBPyConnection, relation: str, text: list[str], head: _Head
              ) -> dict[str, _DateColumn]:
    """The `text` columns that hold dates, read on the head copy where it has enough values."""
    out: dict[str, _DateColumn] = {}
    for name in text:
        source = _HEAD_TABLE if head.whole or head.non_null[name] >= _DATE_SAMPLE else relation
        found = _date_column(con, source, name)
        if found is not None:
            out[name] = found
    return out


def _date_column(con: duckdb.DuckDBPyConnection, relation: str, name: str) -> _DateColumn | None:
    """The text column `name` as a date column of `relation`, or None when its values are not dates."""
    if not _looks_date_like(con, name, relation):
        return None
    found = detect_date_format(con, relation, name)
    if found is None:
        return None
    date_fmt, kind, _share, ambiguous = found
    label = _FORMAT_LABEL.get(date_fmt, date_fmt.replace("%", ""))
    note = f"parsed {name!r} as {kind} from format {label}"
    if ambiguous:
        note += " (other formats fit the sample equally well; the first candidate was used)"
    return _DateColumn(name, date_fmt, kind, note)


def _convert_string_dates(con: duckdb.DuckDBPyConnection, view_sql: str | None, notes: list[str]) -> None:
    """Turn string columns that hold dates into DATE/TIMESTAMP (in place for tables; for a view, by
    rebuilding it over `view_sql`, the SELECT behind it)."""
    described = list(described_types(con, qi(TABLE_NAME)).items())
    dates = _date_conversions(con, TABLE_NAME, described)
    for name, d in dates.items():
        if view_sql is None:
            con.execute(f"ALTER TABLE {qi(TABLE_NAME)} ALTER {qi(name)} SET DATA TYPE {d.kind} USING {d.expr()}")
        notes.append(d.note)
    if dates and view_sql is not None:
        replaces = ", ".join(f"{d.expr()} AS {qi(name)}" for name, d in dates.items())
        con.execute(f"CREATE OR REPLACE VIEW {qi(TABLE_NAME)} AS SELECT * REPLACE ({replaces}) FROM ({view_sql})")


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
_DIGIT_RUN = re.compile(r"[0-9]+")


def _looks_date_like(con: duckdb.DuckDBPyConnection, column: str, relation: str = TABLE_NAME) -> bool:
    """Cheap pre-check on a few values so free-text columns skip the format trial."""
    rows = con.execute(
        f"SELECT {qi(column)} FROM {qi(relation)} WHERE {qi(column)} IS NOT NULL LIMIT 20"
    ).fetchall()
    vals = [str(r[0]).strip() for r in rows]
    # every candidate format has at least two numeric fields (day and year), so "store 12" is not a date
    return bool(vals) and all(_DATE_CHARS.match(v) and len(_DIGIT_RUN.findall(v)) >= 2 for v in vals)


def _first_line(err: BaseException | None) -> str:
    text = str(err or "unknown error").strip()
    return text.splitlines()[0] if text else "unknown error"
