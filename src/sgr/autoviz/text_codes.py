"""Dictionary-coded text columns: a big CSV's repetitive text columns are stored as DuckDB ENUMs.

Why: a text column of a loaded table costs 16 bytes a row in memory (DuckDB's string header) however short
its values, and grouping by it hashes strings. Most text columns people chart are categories with a few
dozen values ("region", "product category"), which an ENUM stores in one or two bytes and groups by a
small integer. Measured on 10M rows x 4 (two such columns, 341 MB of CSV): loading into an in-memory table
with both columns coded took 0.83 s against 1.43 s for the compressed on-disk table the loader used before,
six typical chart queries 0.37 s against 0.61 s, and the process peaked at about the same memory (450 MB
against 490 MB); the same table in memory with the columns as text peaked at 810 MB.

The values of a coded column must be known before the table is written, and the file is read once, so they
come from the head copy the loader already makes for date sniffing: a column qualifies when its first rows
hold few distinct values, each seen many times, none of them numbers (a number-like column may still be
converted later, which works on text only). A value the head did not show makes the cast fail while the
table is written; the loader then writes the table again with the columns as text (`data._load_csv`), so a
wrong guess costs time, never a value.

Every reader sees a coded column as text: `data.column_type` names an ENUM as VARCHAR, DuckDB compares, sorts
(the members are declared in DuckDB's own text order) and applies string functions to ENUMs as text.
"""

from __future__ import annotations

import duckdb

from sgr.autoviz.data import qi, ql

#: at most this many distinct values in the head for a column to be coded
MAX_CODED_VALUES = 1000
#: and each value seen at least this often there on average (a column of names or ids is not a category)
MIN_REPEATS = 20
_NUMBER_LIKE = r"\s*[-+]?[0-9][0-9.,\s]*%?\s*"
_STATS_CHUNK = 200


def coded_columns(con: duckdb.DuckDBPyConnection, head: str, columns: list[str]) -> dict[str, str]:
    """Column -> its ENUM type (`ENUM('a', 'b')`) for the text columns of `head` that look categorical.

    Besides few values seen often, the second half of the head must show no value the first half did not: a
    column still meeting new values there (a long tail of cities or products) would likely meet more later,
    and each such miss costs a second load.
    """
    rows = con.execute(f"SELECT count(*) FROM {qi(head)}").fetchone()
    half = f"WHERE rowid < {int(rows[0] if rows else 0) // 2}"  # the head is a copy in file order
    out: dict[str, str] = {}
    for start in range(0, len(columns), _STATS_CHUNK):
        chunk = columns[start:start + _STATS_CHUNK]
        stats = ", ".join(f"count(DISTINCT {qi(c)}), count({qi(c)}), count(DISTINCT {qi(c)}) FILTER ({half})"
                          for c in chunk)
        row = con.execute(f"SELECT {stats} FROM {qi(head)}").fetchone()
        assert row is not None
        for i, name in enumerate(chunk):
            distinct, present, early = (int(v) for v in row[3 * i:3 * i + 3])
            if 0 < distinct <= MAX_CODED_VALUES and present >= distinct * MIN_REPEATS and early == distinct:
                members = _members(con, head, name)
                if members is not None:
                    out[name] = "ENUM(" + ", ".join(ql(v) for v in members) + ")"
    return out


def _members(con: duckdb.DuckDBPyConnection, head: str, name: str) -> list[str] | None:
    """The column's distinct values in DuckDB's text order, or None when one of them looks like a number (read
    as `data._convert_mostly_numeric` reads it, quotes and spaces trimmed: such a column may become numbers)."""
    col = qi(name)
    values = con.execute(
        f"SELECT v, TRY_CAST(trim(v, ' \"') AS DOUBLE) IS NOT NULL OR regexp_full_match(trim(v, ' \"'), "
        f"{ql(_NUMBER_LIKE)}) "
        f"FROM (SELECT DISTINCT {col} AS v FROM {qi(head)} WHERE {col} IS NOT NULL) ORDER BY v").fetchall()
    if any(numeric for _, numeric in values):
        return None
    return [str(v) for v, _ in values]


def confirmed(con: duckdb.DuckDBPyConnection, codes: dict[str, str], relation: str) -> dict[str, str]:
    """The `codes` whose every non-null value in `relation` (rows from elsewhere in the file) is a member."""
    names = list(codes)
    missing = ", ".join(f"count(*) FILTER (WHERE {qi(n)} IS NOT NULL AND TRY_CAST({qi(n)} AS {codes[n]}) IS NULL)"
                        for n in names)
    row = con.execute(f"SELECT {missing} FROM {relation}").fetchone()
    return {n: codes[n] for n, unseen in zip(names, row or (), strict=True) if unseen == 0}
