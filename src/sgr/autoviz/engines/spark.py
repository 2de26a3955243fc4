"""AutoViz on a Spark table (local mode or Spark Connect): step tables as cached temp views.

Why cached temp views: a Spark view is only a plan, so a step's result would be recomputed by every later
statement that reads it; `CACHE TABLE name AS SELECT` computes it once, eagerly, on the executors, and the
view's name is what later SQL refers to. Temp views belong to the whole SparkSession, so their names carry a
per-connection prefix (two runs on one session never see each other's steps).

Session settings this connection needs for DuckDB's semantics: non-ANSI mode (DuckDB gives NULL, not an
error, for a division by zero) and UTC as the session time zone (a date truncated to its month must not move
across midnight).

Spark Connect (`sc://host:15002`): each connection opens a server session of its own and releases it at
`close`, so the table must be one the server's catalog knows (a temp view of another session is invisible).
Every call retries an unreachable server for about ten seconds, not for the client's default ten minutes:
a run's queries are short, a server that does not answer is an error to report (exit 5), and a call still
retrying when the process ends (pyspark releases each query's results on a background thread) would hold
the exit for as long.
"""

from __future__ import annotations

import atexit
import re
import uuid
import warnings
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sgr.autoviz.engines.connection import EngineConnection, EngineQueryError

#: Spark's simple type strings (DataFrame.dtypes) -> DuckDB names
SPARK_TYPES: dict[str, str] = {
    "string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "smallint": "SMALLINT", "tinyint": "TINYINT",
    "double": "DOUBLE", "float": "FLOAT", "date": "DATE", "timestamp": "TIMESTAMP", "timestamp_ntz": "TIMESTAMP",
    "boolean": "BOOLEAN",
}
SESSION_CONF: dict[str, str] = {"spark.sql.ansi.enabled": "false", "spark.sql.session.timeZone": "UTC"}
#: a call to a Spark Connect server is retried this often, waiting at most this long between tries: about
#: 10 s in all (50 ms, 200 ms, 0.8 s, 3.2 s, 5 s, plus jitter) before "cannot reach the server"
CONNECT_RETRIES = 5
CONNECT_MAX_BACKOFF_MS = 5000


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
    """An `EngineConnection` over a SparkSession.

    Local mode shares the process's session (tests, notebooks): `close` drops only this connection's views.
    A Spark Connect URL gets a server-side session of its own, stopped (released on the server) at `close`.
    """

    spark: Any = field(default=None, repr=False)
    #: whether `close` stops the session (a Spark Connect session made for this connection)
    owns_session: bool = False

    @classmethod
    def connect(cls, target: str, relation: str) -> SparkConnection:
        """`spark://local` -> the active (or a new local) session; `sc://host:port` -> Spark Connect."""
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineQueryError("Spark needs pyspark: pip install 'sgr-agents[spark,engines]'") from None
        if target.startswith("sc://"):
            spark = connect_session(target)
        else:
            spark = SparkSession.getActiveSession() or local_session()
            for key, value in SESSION_CONF.items():
                spark.conf.set(key, value)
        return cls(dialect="spark", relation=relation, temp_prefix=f"sgr_{uuid.uuid4().hex[:8]}_", spark=spark,
                   owns_session=target.startswith("sc://"))

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

    def close(self) -> None:
        """Drop this connection's views; a Spark Connect session of ours is then released.

        Each of those calls is tried once: closing often runs as the process exits (`load_remote`'s
        finalizer), maybe after the server went away, when each call would wait out its retries. The server
        forgets an abandoned session by itself.
        """
        if not self.owns_session:
            super().close()
            return
        if not self.closed:
            _single_try(self.spark)
        with warnings.catch_warnings():  # "[RETRIES_EXCEEDED]" for each call to a server that is gone
            warnings.simplefilter("ignore")
            super().close()

    def _close(self) -> None:
        """A local session is shared (tests, notebooks) and stays; a Spark Connect session of ours is released."""
        if self.owns_session:
            self.spark.stop()


def connect_session(url: str) -> Any:
    """A new Spark Connect session on the server of `url` (`sc://host:15002`, Spark's own URL syntax).

    A session of its own, not `SparkSession.builder.remote(url).getOrCreate()`: that returns whatever
    session the process made first (another server's, for a second URL) and refuses to run next to a local
    SparkContext. Its calls retry for about 10 s (`CONNECT_RETRIES`), not the client's default ten minutes.

    Raises
    ------
    EngineQueryError
        The Connect client is not installed, the URL is malformed, or the server does not answer.
    """
    where = _server(url)
    try:
        with warnings.catch_warnings():
            # pyspark 4 warns on import that pandas 3 is not fully supported; AutoViz collects rows through
            # Arrow, never pandas, so the warning would only be noise on the command line
            warnings.filterwarnings("ignore", message=".*does not yet fully support pandas", category=FutureWarning)
            from pyspark.sql.connect.client.retries import DefaultPolicy
            from pyspark.sql.connect.session import SparkSession as ConnectSession
    except ImportError as err:
        raise EngineQueryError(f"Spark Connect needs its client ({_first_line(err)}): "
                               "pip install 'sgr-agents[spark,engines]'") from None
    try:
        spark = ConnectSession(url)
    except Exception as err:
        raise EngineQueryError(f"not a usable Spark Connect URL ({where}): {_first_line(err)}") from None
    client = spark.client
    client.set_retry_policies([DefaultPolicy(max_retries=CONNECT_RETRIES, max_backoff=CONNECT_MAX_BACKOFF_MS)])
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*RETRIES_EXCEEDED", category=UserWarning)
            for key, value in SESSION_CONF.items():
                spark.conf.set(key, value)
    except Exception as err:
        _single_try(spark)  # releasing a session nobody reached
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spark.stop()
        raise EngineQueryError(f"cannot reach the Spark Connect server at {where}: {_rpc_error(err)}") from None
    _single_try_at_exit(spark)
    return spark


def _single_try_at_exit(spark: Any) -> None:
    """At exit pyspark sends a cleanup call for each Connect session still open, with the session's retries
    if the server went away first. This hook, registered after pyspark's and so run before it, makes that
    one try. It holds the session weakly: a closed connection's session can go."""
    ref = weakref.ref(spark)

    def hook() -> None:
        session = ref()
        if session is not None and not getattr(session, "is_stopped", False):
            _single_try(session)

    atexit.register(hook)


def _single_try(spark: Any) -> None:
    """From now on each call of this Spark Connect session is tried once (no retries, no backoff)."""
    from pyspark.sql.connect.client.retries import DefaultPolicy

    spark.client.set_retry_policies([DefaultPolicy(max_retries=0)])


def _server(url: str) -> str:
    """`host:port` of a Spark Connect URL (port 15002 when none is given), without tokens or options."""
    parts = urlsplit(url)
    try:
        port = parts.port or 15002
    except ValueError:
        return parts.netloc.rsplit("@", 1)[-1] or url
    return f"{parts.hostname or ''}:{port}"


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _rpc_error(err: BaseException) -> str:
    """A gRPC failure as one line (`UNAVAILABLE: failed to connect to all addresses; ...`), found in the
    exception's chain (pyspark wraps it; its own first line is only `<_InactiveRpcError of RPC ...`)."""
    seen: BaseException | None = err
    for _ in range(5):
        if seen is None:
            break
        code, details = getattr(seen, "code", None), getattr(seen, "details", None)
        if callable(code) and callable(details):
            try:
                status = code()
                return f"{getattr(status, 'name', status)}: {details()}"
            except Exception:  # not a grpc.RpcError after all
                break
        seen = seen.__cause__ or seen.__context__
    return _first_line(err)


def local_session(*, app_name: str = "sgr-autoviz", cores: int = 2, driver_memory: str = "1g",
                  warehouse: str | None = None) -> Any:
    """A small local SparkSession (no web UI, few shuffle partitions): for `spark://local` and tests.

    `warehouse` is where Spark may write managed tables; by default a temporary folder, removed at exit, so
    a run never leaves a `spark-warehouse/` folder in whatever directory it was started from.
    """
    import shutil
    import tempfile

    from pyspark.sql import SparkSession

    where = warehouse
    if where is None:
        where = tempfile.mkdtemp(prefix="sgr-spark-warehouse-")
        atexit.register(shutil.rmtree, where, ignore_errors=True)
    return (SparkSession.builder.master(f"local[{cores}]").appName(app_name)
            .config("spark.sql.warehouse.dir", where)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.default.parallelism", str(cores))
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())
