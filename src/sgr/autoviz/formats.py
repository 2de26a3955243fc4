"""The one table of file formats AutoViz reads: the loader, the CLI help, the web page's file picker, the
upload check and `GET /v1/autoviz/formats` all read it, so they cannot disagree (they once did: the page
refused `.tsv` the loader read, and accepted `.json` the loader then failed on).

Its own module, free of DuckDB, so `sgr --help` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sgr.autoviz.errors import DataError

#: file formats, plus "dataframe" for an in-memory table handed to the Python API (no file, no extension)
Format = Literal["csv", "parquet", "jsonl", "json", "xlsx", "dataframe"]
Compression = Literal["gzip", "zstd"]
FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
}
#: outer extensions DuckDB decompresses while reading, allowed after the text formats: `sales.csv.gz`
COMPRESSIONS: dict[str, Compression] = {".gz": "gzip", ".zst": "zstd"}
COMPRESSIBLE: frozenset[Format] = frozenset({"csv", "jsonl", "json"})
#: what each format is, in words a person recognises
LABELS: dict[Format, str] = {
    "csv": "CSV/TSV text (also ';' with decimal commas)",
    "parquet": "Parquet",
    "jsonl": "JSON lines",
    "json": "JSON (an array of objects or lines)",
    "xlsx": "Excel workbook (first sheet)",
    "dataframe": "a pandas/polars DataFrame, pyarrow Table or DuckDB relation (Python API)",
}


def accepted_extensions() -> tuple[str, ...]:
    """Every file name ending the loader reads, plain and compressed."""
    plain = tuple(FORMATS)
    packed = tuple(f"{ext}{c}" for ext, fmt in FORMATS.items() if fmt in COMPRESSIBLE for c in COMPRESSIONS)
    return plain + packed


def describe_formats() -> list[dict[str, object]]:
    """The table as JSON rows: extension, format, compression, label."""
    rows: list[dict[str, object]] = []
    for ext in accepted_extensions():
        fmt, compression = detect_format(Path(f"x{ext}"))
        rows.append({"extension": ext, "format": fmt, "compression": compression, "label": LABELS[fmt]})
    return rows


def detect_format(p: Path) -> tuple[Format, Compression | None]:
    """The format by extension, looking through one compression suffix (`.csv.gz` is CSV, gzip)."""
    suffixes = [s.lower() for s in p.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] in COMPRESSIONS:
        inner = FORMATS.get(suffixes[-2])
        if inner in COMPRESSIBLE:
            return inner, COMPRESSIONS[suffixes[-1]]
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise DataError(f"unsupported file type {p.suffix or '(none)'!r} for {p.name}; use one of "
                        f"{', '.join(accepted_extensions())}")
    return fmt, None
