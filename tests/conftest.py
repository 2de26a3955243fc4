"""Fixtures shared across test areas. Keep this file small: area fixtures live beside their tests."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The real-vLLM tier's hooks and its one-per-session server (`vllm_url`), shared by every area's `vllm` tests.
pytest_plugins = ["tests.vllm_tier"]

if os.environ.get("CI"):
    # CI checks what was committed: property tests replay the same examples there (a new random draw on each
    # landing would make a rare counterexample a one-off red run); locally they keep exploring.
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, database=None)
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """A tiny random-weight model + trained tokenizer, built once and cached for the local and vLLM tiers.

    The cache (`~/.cache/sgr-agents/tiny-model`, or $SGR_TINY_MODEL_DIR) is reused across sessions; the
    builder rebuilds only when its parameters or recipe changed.
    """
    missing = [m for m in ("torch", "transformers", "tokenizers") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the tiny model needs {', '.join(missing)}: pip install 'sgr-agents[local]'")
    from sgr.testing.tiny_model import build_tiny_model

    default = Path.home() / ".cache" / "sgr-agents" / "tiny-model"
    return build_tiny_model(Path(os.environ.get("SGR_TINY_MODEL_DIR", default)))


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL (Debian packages, loopback, temp dir) for the whole session; its superuser DSN.

    Tests marked `postgres` use it, usually through a fresh database each (`create_database`). Without the
    binaries the tests skip locally with the install hint, and fail under CI, which installs them.
    """
    from sgr.testing.postgres_server import PostgresNotFound, PostgresServer

    if importlib.util.find_spec("psycopg") is None or importlib.util.find_spec("psycopg_pool") is None:
        pytest.skip("psycopg is not installed: pip install 'sgr-agents[postgres]'")
    try:
        server = PostgresServer(settings={"max_connections": "200"})
    except PostgresNotFound as exc:
        pytest.skip(str(exc))
    with server:
        yield server.dsn


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local SparkSession (no UI, 2 shuffle partitions, 1 GB driver) for every `spark` test of the session.

    Without pyspark or Java 17 the tests skip locally with the reason, and fail under CI, which has both.
    """
    from sgr.testing.spark_local import SparkUnavailable, start_local_spark

    try:
        spark = start_local_spark()
    except SparkUnavailable as exc:
        pytest.skip(str(exc))
    yield spark
    spark.stop()


@pytest.fixture(scope="session")
def spark_connect_url() -> Iterator[str]:
    """A real Spark Connect server (pyspark's own jars, local mode, 127.0.0.1, temp dir) for the whole session;
    its URL, `sc://127.0.0.1:PORT`. Started only when a test asks for it (about 20 s, 1 GB of heap).

    Without pyspark's Connect client or Java 17 the tests skip locally with the reason, and fail under CI,
    which has both. A server that does not start is an error (its log tail in the message), never a skip.
    """
    from sgr.testing.spark_connect import SparkConnectServer
    from sgr.testing.spark_local import SparkUnavailable

    try:
        server = SparkConnectServer()
    except SparkUnavailable as exc:
        pytest.skip(str(exc))
    with server:
        yield server.url


@pytest.fixture(scope="session", autouse=True)
def _call_log_for_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Calls made by session- and module-scoped fixtures go to a log under tmp too (never the home dir)."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("calllog-session") / "logs.db"
        mp.setenv("SGR_LOGS_DB", str(path))
        yield path


@pytest.fixture(autouse=True)
def _call_log_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every subprocess it starts) logs its SGR calls to its own database under tmp, never
    to the home directory; tests that read the log use this path (also $SGR_LOGS_DB)."""
    path = tmp_path_factory.mktemp("calllog") / "logs.db"
    monkeypatch.setenv("SGR_LOGS_DB", str(path))
    monkeypatch.delenv("SGR_LOGS", raising=False)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--skip-vllm`: skip the real-vLLM tier (tests/vllm), which installs and starts a ~3 GB server."""
    parser.addoption(
        "--skip-vllm",
        action="store_true",
        default=False,
        help="skip tests marked `vllm` (also: SGR_SKIP_VLLM=1); under CI the skip is reported, never silent",
    )


#: skip reasons that are not "something is missing": a platform the test cannot mean anything on, an
#: explicit request to skip the vLLM tier, or a server that is not ours to inspect
ALLOWED_CI_SKIPS = ("platform:", "vllm tier skipped:", "external:")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under CI (`CI` set), a test that skips because something is unavailable fails instead: CI installs
    everything the suite needs, so such a skip means a test silently stopped running."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and os.environ.get("CI")) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    if reason.startswith(ALLOWED_CI_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped under CI, where everything the suite needs is installed: {reason}"
