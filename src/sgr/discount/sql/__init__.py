"""SQL text for the stores, one folder per dialect, read once at import so no request touches the filesystem.

    sqlite/    the hot store and audit log when they are files (the default)
    duckdb/    the cold store, and the generator that makes every store's rows
    postgres/  the hot store and audit log on a shared server; `migrations/mNNN_*.sql` build its tables

Each dialect keeps its own files rather than one text rewritten at run time: the placeholders (`?` vs
`%s`), the id reservation (sqlite_sequence vs a sequence) and the types differ in ways a rewrite would hide.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from types import MappingProxyType
from typing import Literal

Dialect = Literal["sqlite", "duckdb", "postgres"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "duckdb", "postgres")
MIGRATIONS_DIR = "migrations"


def _texts(folder: Traversable) -> dict[str, str]:
    return {entry.name.removesuffix(".sql"): entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".sql")}


Named = MappingProxyType[str, str]
Ordered = tuple[tuple[str, str], ...]


def _load() -> tuple[MappingProxyType[str, Named], MappingProxyType[str, Ordered]]:
    root = resources.files(__name__)
    queries: dict[str, Named] = {}
    migrations: dict[str, Ordered] = {}
    for dialect in DIALECTS:
        queries[dialect] = MappingProxyType(_texts(root / dialect))
        folder = root / dialect / MIGRATIONS_DIR
        migrations[dialect] = tuple(sorted(_texts(folder).items())) if folder.is_dir() else ()
    return MappingProxyType(queries), MappingProxyType(migrations)


#: dialect -> name (file stem) -> SQL text; immutable so nobody edits a query at run time
SQL, _MIGRATIONS = _load()


def queries(dialect: Dialect) -> Named:
    """The named queries of one dialect."""
    return SQL[dialect]


def migrations(dialect: Dialect) -> Ordered:
    """(name, SQL) of every migration of one dialect, in the order they apply (by their mNNN_ prefix)."""
    return _MIGRATIONS[dialect]
