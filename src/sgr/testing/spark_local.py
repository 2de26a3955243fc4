"""One small local SparkSession per test session, and helpers to put test tables into it.

Why local mode: Spark's SQL dialect, its planner and its type conversions are what the engine tests check,
and local mode runs all of them in one JVM started by pyspark (Java 17), with no cluster. Starting the JVM
costs seconds, so tests share one session (a session-scoped fixture) and each test registers its own temp
views.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any


class SparkUnavailable(RuntimeError):
    """pyspark or a usable Java is missing (tests skip with this message locally; CI must have both)."""


def java_version() -> int:
    """The major version of `java` on PATH (17 for "17.0.15"); raises `SparkUnavailable` without one."""
    if shutil.which("java") is None:
        raise SparkUnavailable("no `java` on PATH; Spark needs Java 17+ (apt-get install -y openjdk-17-jre-headless)")
    out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False, timeout=30)
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        raise SparkUnavailable(f"cannot read the Java version from: {(out.stderr or out.stdout)[:200]!r}")
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def start_local_spark(*, cores: int = 2, driver_memory: str = "1g") -> Any:
    """A local SparkSession with no web UI and `cores` shuffle partitions (Java 17+ checked first)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable("pyspark is not installed: pip install 'sgr-agents[spark]'") from None
    major = java_version()
    if major < 17:
        raise SparkUnavailable(f"Spark 4 needs Java 17+, but `java -version` says {major}")
    from sgr.autoviz.engines.spark import local_session

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only, as the PostgreSQL test server
    return local_session(app_name="sgr-tests", cores=cores, driver_memory=driver_memory)


def register_arrow(spark: Any, name: str, table: Any) -> None:
    """Put a pyarrow Table into `spark` as the temp view `name` (types kept: dates stay dates)."""
    spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(name)
