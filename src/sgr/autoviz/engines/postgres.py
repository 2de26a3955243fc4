"""AutoViz on a PostgreSQL table: one psycopg 3 connection, step tables as TEMP tables.

Why one autocommit connection: step tables are `CREATE TEMP TABLE`s, which live exactly as long as the
session that made them (so a crashed run leaves nothing behind on the server), and each statement is its
own transaction, so a refused query does not poison the ones after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sgr.autoviz.engines.connection import EngineConnection, EngineQueryError

#: PostgreSQL type names (pg_type.typname) -> the DuckDB names the tools test (`is_numeric`, `is_temporal`)
PG_TYPES: dict[str, str] = {
    "int2": "SMALLINT", "int4": "INTEGER", "int8": "BIGINT", "float4": "FLOAT", "float8": "DOUBLE",
    "text": "VARCHAR", "varchar": "VARCHAR", "bpchar": "VARCHAR", "name": "VARCHAR", "citext": "VARCHAR",
    "date": "DATE", "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMP WITH TIME ZONE", "bool": "BOOLEAN",
    "numeric": "DOUBLE",  # refined to DECIMAL(p,s) when the column declares them
}


def quote_relation(relation: str) -> str:
    """`schema.table` -> `"schema"."table"` (each part quoted; names are plain identifiers, see urls)."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in relation.split("."))


@dataclass
class PostgresConnection(EngineConnection):
    """An `EngineConnection` over a psycopg 3 connection (owned: closed with this one)."""

    conn: Any = field(default=None, repr=False)

    @classmethod
    def connect(cls, dsn: str, relation: str) -> PostgresConnection:
        """Open an autocommit connection to `dsn` for the table `relation` (`name` or `schema.name`)."""
        try:
            import psycopg
        except ImportError:
            raise EngineQueryError("PostgreSQL needs psycopg: pip install 'sgr-agents[postgres,engines]'") from None
        try:
            conn = psycopg.connect(dsn, autocommit=True, application_name="sgr-autoviz")
        except psycopg.Error as err:
            raise EngineQueryError(f"cannot connect to PostgreSQL: {str(err).strip().splitlines()[0]}") from None
        return cls(dialect="postgres", relation=relation, conn=conn)

    def _query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self.conn.cursor() as cur:
            cur.execute(sql.encode(), prepare=False)  # bytes: no %-placeholder parsing of literals like '%Y'
            names = [d.name for d in cur.description or []]
            return names, cur.fetchall() if cur.description else []

    def _columns(self, relation: str) -> list[tuple[str, str]]:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT * FROM {quote_relation(relation)} LIMIT 0".encode())
            out = []
            for d in cur.description or []:
                info = self.conn.adapters.types.get(d.type_code)
                typname = info.name if info is not None else "unknown"
                dtype = PG_TYPES.get(typname, typname.upper())
                if typname == "numeric" and d.precision is not None:
                    dtype = f"DECIMAL({d.precision},{d.scale or 0})"
                out.append((d.name, dtype))
            return out

    def _create(self, name: str, select_sql: str) -> None:
        self._drop(name)
        self._query(f"CREATE TEMP TABLE {quote_relation(name)} AS {select_sql}")

    def _drop(self, name: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS pg_temp.{quote_relation(name)}".encode())

    def _sample_sql(self, percent: float) -> str:
        # BERNOULLI picks rows (SYSTEM would pick whole pages, clustered by load order); REPEATABLE fixes them
        return f"(SELECT * FROM {quote_relation(self.relation)} TABLESAMPLE BERNOULLI ({percent:.6f}) REPEATABLE (0))"

    def _close(self) -> None:
        self.conn.close()
