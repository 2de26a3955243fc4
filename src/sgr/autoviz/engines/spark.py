"""AutoViz on a Spark table (local mode or Spark Connect): step tables as cached temp views.

Why cached temp views: a Spark view is only a plan, so a step's result would be recomputed by every later
statement that reads it; `CACHE TABLE name AS SELECT` computes it once, eagerly, on the executors, and the
view's name is what later SQL refers to. Temp views belong to the whole SparkSession, so their names carry a
per-connection prefix (two runs on one session never see each other's steps).

Session settings this connection needs for DuckDB's semantics: non-ANSI mode (DuckDB gives NULL, not an
error, for a division by zero) and UTC as the session time zone (a date truncated to its month must not move
across midnight).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sgr.autoviz.engines.connection import EngineConnection, EngineQueryError

#: Spark's simple type strings (DataFrame.dtypes) -> DuckDB names
SPARK_TYPES: dict[str, str] = {
    "string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "smallint": "SMALLINT", "tinyint": "TINYINT",
    "double": "DOUBLE", "float": "FLOAT", "date": "DATE", "timestamp": "TIMESTAMP", "timestamp_ntz": "TIMESTAMP",
    "boolean": "BOOLEAN",
}
SESSION_CONF: dict[str, str] = {"spark.sql.ansi.enabled": "false", "spark.sql.session.timeZone": "UTC"}


def spark_type(simple: str) -> str:
    """A Spark type string as DuckDB names it (`decimal(10,2)` -> `DECIMAL(10,2)`, `varchar(5)` -> VARCHAR)."""
    if simple.startswith("decimal"):
        return simple.upper()
    base = re.sub(r"\(.*\)$", "", simple)
    if base in ("varchar", "char"):
        return "VARCHAR"
    return SPARK_TYPES.get(base, simple.upper())


def quote_spark(relation: str) -> str:
    """`db.table` -> `` `db`.`table` ``."""
    return ".".join("`" + part.replace("`", "``") + "`" for part in relation.split("."))


@dataclass
class SparkConnection(EngineConnection):
    """An `EngineConnection` over a SparkSession (not owned: `close` drops only this connection's views)."""

    spark: Any = field(default=None, repr=False)

    @classmethod
    def connect(cls, target: str, relation: str) -> SparkConnection:
        """`spark://local` -> the active (or a new local) session; `sc://host:port` -> Spark Connect."""
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineQueryError("Spark needs pyspark: pip install 'sgr-agents[spark,engines]'") from None
        if target.startswith("sc://"):
            spark = SparkSession.builder.remote(target).getOrCreate()
        else:
            spark = SparkSession.getActiveSession() or local_session()
        for key, value in SESSION_CONF.items():
            spark.conf.set(key, value)
        return cls(dialect="spark", relation=relation, temp_prefix=f"sgr_{uuid.uuid4().hex[:8]}_", spark=spark)

    def _query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        df = self.spark.sql(sql)
        return list(df.columns), [tuple(r) for r in df.collect()]

    def _columns(self, relation: str) -> list[tuple[str, str]]:
        return [(n, spark_type(t)) for n, t in self.spark.table(quote_spark(relation)).dtypes]

    def _create(self, name: str, select_sql: str) -> None:
        self._drop(name)
        self.spark.sql(f"CACHE TABLE {quote_spark(name)} AS {select_sql}")

    def _drop(self, name: str) -> None:
        self.spark.sql(f"UNCACHE TABLE IF EXISTS {quote_spark(name)}")
        self.spark.sql(f"DROP VIEW IF EXISTS {quote_spark(name)}")

    def _sample_sql(self, percent: float) -> str:
        return f"(SELECT * FROM {quote_spark(self.relation)} TABLESAMPLE ({percent:.6f} PERCENT) REPEATABLE (0))"

    def _close(self) -> None:
        """The session is shared (tests, notebooks); only this connection's views were dropped."""


def local_session(*, app_name: str = "sgr-autoviz", cores: int = 2, driver_memory: str = "1g",
                  warehouse: str | None = None) -> Any:
    """A small local SparkSession (no web UI, few shuffle partitions): for `spark://local` and tests.

    `warehouse` is where Spark may write managed tables; by default a temporary folder, so a run never
    leaves a `spark-warehouse/` folder in whatever directory it was started from.
    """
    import tempfile

    from pyspark.sql import SparkSession

    where = warehouse or tempfile.mkdtemp(prefix="sgr-spark-warehouse-")
    return (SparkSession.builder.master(f"local[{cores}]").appName(app_name)
            .config("spark.sql.warehouse.dir", where)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.default.parallelism", str(cores))
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())
