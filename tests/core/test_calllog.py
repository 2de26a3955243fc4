"""The call log: real steps on the offline backend and on a real HTTP server (repair, fallback, raise),
schemas stored once, many writers at once, named migrations, and a log that can never cost a decision."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from sgr.core import calllog
from sgr.core.config import ModelEntry
from sgr.core.contracts import Contract, enum_of
from sgr.core.errors import BackendUnavailable
from sgr.core.llm.offline import OfflineBackend
from sgr.core.llm.openai_compat import OpenAICompatBackend, clear_negotiation_cache
from sgr.core.step import SGRStep, StepPolicy
from sgr.testing.fake_openai import FakeOpenAIServer, Faults, unused_url


class Offer(Contract):
    reasoning: str = Field(..., max_length=60)
    discount_percent: int = Field(..., ge=0, le=15)
    tier: str = Field(..., max_length=8)
    approve: bool


class OfferStep(SGRStep[dict[str, Any], Offer]):
    name = "offer"

    def prompt(self, ctx: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": f"Offer a discount to customer {ctx['customer']}."}]

    def schema(self, ctx: dict[str, Any]) -> type[Offer]:
        return Offer

    def fallback(self, ctx: dict[str, Any]) -> Offer:
        return Offer(reasoning="policy default", discount_percent=5, tier="silver", approve=True)


class Pick(Contract):
    column: str


class PickStep(SGRStep[list[str], Pick]):
    """A live schema: the enum is the context's columns, so different contexts give different schemas."""

    name = "pick"

    def prompt(self, ctx: list[str]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": f"Pick one of {ctx}"}]

    def schema(self, ctx: list[str]) -> type[Pick]:
        class LivePick(Pick):
            column: enum_of(ctx)  # type: ignore[valid-type]

        return LivePick

    def fallback(self, ctx: list[str]) -> Pick:
        return self.schema(ctx)(column=ctx[0])


CTX = {"customer": 7}


def backend_for(url: str, **overrides: Any) -> OpenAICompatBackend:
    fields: dict[str, Any] = {"name": "fake", "backend": "vllm", "url": url, "timeout": 30.0, "connect_retries": 0,
                              "dialect": "structured_outputs"}
    fields.update(overrides)
    return OpenAICompatBackend.from_entry(ModelEntry(**fields), backoff_s=0.01)


def rows(path: Path, sql: str = "SELECT * FROM calls ORDER BY id", args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


@pytest.fixture(autouse=True)
def _fresh_negotiation() -> Any:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


# --- what one call leaves --------------------------------------------------------------------------------


def test_offline_call_is_logged_with_its_schema_and_value(_call_log_in_tmp: Path) -> None:
    res = OfferStep().run(CTX, OfflineBackend("offline"))
    [row] = calllog.calls(calllog.connect(_call_log_in_tmp))
    assert row["step"] == "offer" and row["outcome"] == "offline" and row["backend"] == "offline"
    assert row["fallback_used"] and row["fallback_reason"] == "offline backend"
    assert row["value"] == res.value.model_dump(mode="json")
    assert row["messages"] is None and row["attempts"] == [] and row["n_attempts"] == 0
    assert row["schema_name"] == "Offer" and len(row["schema_id"]) == 64
    call = calllog.get_call(calllog.connect(_call_log_in_tmp), row["id"])
    assert call is not None and call["schema"]["properties"]["discount_percent"]["maximum"] == 15


def test_repair_on_a_real_server_keeps_every_raw_answer(_call_log_in_tmp: Path) -> None:
    with FakeOpenAIServer("failing", faults=Faults(script=["schema_violation"], then="ok")) as srv:
        backend = backend_for(srv.url)
        res = OfferStep().run(CTX, backend, StepPolicy(max_retries=2))
        backend.close()
    assert not res.trace.fallback_used
    [row] = calllog.calls(calllog.connect(_call_log_in_tmp))
    assert row["outcome"] == "repaired" and row["repairs"] == 1 and row["n_attempts"] == 2
    assert [a["error_kind"] for a in row["attempts"]] == ["schema", None]
    assert all(a["raw"] for a in row["attempts"])
    assert row["messages"] == [{"role": "user", "content": "Offer a discount to customer 7."}]
    assert row["dialect"] == "structured_outputs" and row["model"] == "fake-model" and row["backend"] == "fake"
    assert row["prompt_tokens"] > 0 and row["completion_tokens"] > 0 and row["latency_ms"] > 0
    assert row["value"] == res.value.model_dump(mode="json")
    assert row["budget"]["action"] == "server default"


def test_fallback_after_the_model_failed_keeps_prompt_attempts_and_reason(_call_log_in_tmp: Path) -> None:
    with FakeOpenAIServer("failing", faults=Faults(then="schema_violation")) as srv:
        backend = backend_for(srv.url)
        res = OfferStep().run(CTX, backend, StepPolicy(max_retries=1))
        backend.close()
    assert res.trace.fallback_used
    [row] = calllog.calls(calllog.connect(_call_log_in_tmp), calllog.CallQuery(failed=True))
    assert row["outcome"] == "fallback" and row["fallback_reason"].startswith("RetriesExhausted")
    assert row["n_attempts"] == 2 and all(a["error_kind"] == "schema" for a in row["attempts"])
    assert row["messages"][0]["content"].startswith("Offer a discount")  # the prompt that was sent
    assert row["schema_id"] is not None and row["value"]["reasoning"] == "policy default"


def test_a_raised_failure_is_logged_as_an_error() -> None:
    backend = backend_for(unused_url(), timeout=0.5)
    with pytest.raises(BackendUnavailable):
        OfferStep().run(CTX, backend, StepPolicy(on_failure="raise"))
    backend.close()
    [row] = calllog.calls(calllog.connect(calllog.db_path()))
    assert row["outcome"] == "error" and row["error"].startswith("BackendUnavailable")
    assert row["value"] is None and row["messages"] and row["schema_id"]


def test_async_calls_carry_their_correlation(_call_log_in_tmp: Path) -> None:
    async def decide(i: int) -> None:
        with calllog.correlate(f"decision:{i}"):
            await OfferStep().arun(CTX, backend)

    async def main() -> None:
        await asyncio.gather(*(decide(i) for i in range(6)))

    with FakeOpenAIServer("modern", latency_s=0.05) as srv:
        backend = backend_for(srv.url)
        asyncio.run(main())
        backend.close()
    got = calllog.calls(calllog.connect(_call_log_in_tmp), calllog.CallQuery(limit=None))
    assert sorted(r["correlation"] for r in got) == [f"decision:{i}" for i in range(6)]
    assert {r["outcome"] for r in got} == {"ok"}
    assert calllog.current_correlation() is None


def test_correlated_decorator_gives_each_call_its_own_id(_call_log_in_tmp: Path) -> None:
    @calllog.correlated("job")
    def job() -> str | None:
        OfferStep().run(CTX, OfflineBackend("offline"))
        OfferStep().run(CTX, OfflineBackend("offline"))
        return calllog.current_correlation()

    @calllog.correlated("ajob")
    async def ajob() -> str | None:
        await OfferStep().arun(CTX, OfflineBackend("offline"))
        return calllog.current_correlation()

    first, second, third = job(), job(), asyncio.run(ajob())
    assert first and second and third and len({first, second, third}) == 3
    assert first.startswith("job:") and third.startswith("ajob:")
    got = rows(_call_log_in_tmp)
    assert [r["correlation"] for r in got] == [first, first, second, second, third]
    db = calllog.connect(_call_log_in_tmp)
    assert len(calllog.calls(db, calllog.CallQuery(correlation="job:"))) == 4
    assert len(calllog.calls(db, calllog.CallQuery(correlation=first))) == 2


def test_surface_is_recorded(monkeypatch: pytest.MonkeyPatch, _call_log_in_tmp: Path) -> None:
    monkeypatch.delenv("SGR_LOGS_SURFACE", raising=False)
    OfferStep().run(CTX, OfflineBackend("offline"))
    calllog.set_surface("service")
    calllog.set_surface("cli", replace=False)  # does not replace a surface already set
    OfferStep().run(CTX, OfflineBackend("offline"))
    assert [r["surface"] for r in rows(_call_log_in_tmp)] == ["python", "service"]


# --- schemas, once ---------------------------------------------------------------------------------------


def test_the_same_schema_is_stored_once(_call_log_in_tmp: Path) -> None:
    for _ in range(3):
        PickStep().run(["region", "revenue"], OfflineBackend("offline"))
    PickStep().run(["country", "sales"], OfflineBackend("offline"))
    calls = rows(_call_log_in_tmp)
    schemas = rows(_call_log_in_tmp, "SELECT * FROM schemas")
    assert len(calls) == 4 and len(schemas) == 2
    assert len({c["schema_id"] for c in calls[:3]}) == 1 and calls[3]["schema_id"] != calls[0]["schema_id"]
    sid, canonical = calllog.schema_id({"b": 1, "a": [1, 2]})
    assert canonical == '{"a":[1,2],"b":1}' and calllog.schema_id({"a": [1, 2], "b": 1})[0] == sid


# --- many writers ----------------------------------------------------------------------------------------


def test_threads_and_tasks_recording_at_once_lose_nothing(_call_log_in_tmp: Path) -> None:
    threads, per_thread, tasks = 8, 25, 40
    barrier = threading.Barrier(threads)

    def worker(t: int) -> None:
        barrier.wait()
        with calllog.correlate(f"thread:{t}"):
            for _ in range(per_thread):
                OfferStep().run(CTX, OfflineBackend("offline"))

    async def many() -> None:
        async def one(i: int) -> None:
            with calllog.correlate(f"task:{i}"):
                await OfferStep().arun(CTX, OfflineBackend("offline"))

        await asyncio.gather(*(one(i) for i in range(tasks)))

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    asyncio.run(many())
    for th in pool:
        th.join()
    got = rows(_call_log_in_tmp, "SELECT correlation, count(*) AS n FROM calls GROUP BY correlation")
    counts = {r["correlation"]: r["n"] for r in got}
    assert sum(counts.values()) == threads * per_thread + tasks
    assert all(counts[f"thread:{t}"] == per_thread for t in range(threads))
    assert len(rows(_call_log_in_tmp, "SELECT * FROM schemas")) == 1


def test_a_write_waits_out_another_process_holding_the_lock(_call_log_in_tmp: Path) -> None:
    # another process (a second connection) holds the write lock longer than the 0.25 s that once lost a
    # call in CI; the step's call must wait it out and land, not be dropped
    OfferStep().run(CTX, OfflineBackend("offline"))  # creates and migrates the log
    other = sqlite3.connect(_call_log_in_tmp, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    held = threading.Event()

    def release() -> None:
        held.wait(0.5)  # never set: just hold for half a second
        other.execute("COMMIT")

    holder = threading.Thread(target=release)
    holder.start()
    with calllog.correlate("waited"):
        OfferStep().run(CTX, OfflineBackend("offline"))
    holder.join()
    other.close()
    assert [r["correlation"] for r in rows(_call_log_in_tmp)][-1] == "waited"


def _record_in_a_process(path: str, n: int, tag: str) -> None:
    import os

    os.environ["SGR_LOGS_DB"] = path
    with calllog.correlate(tag):
        for _ in range(n):
            OfferStep().run(CTX, OfflineBackend("offline"))


def test_processes_recording_at_once_lose_nothing(_call_log_in_tmp: Path) -> None:
    ctx = multiprocessing.get_context("spawn")  # as the service's AutoViz workers are started
    procs = [ctx.Process(target=_record_in_a_process, args=(str(_call_log_in_tmp), 30, f"proc:{i}"))
             for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    got = rows(_call_log_in_tmp, "SELECT correlation, count(*) AS n FROM calls GROUP BY correlation")
    assert {r["correlation"]: r["n"] for r in got} == {f"proc:{i}": 30 for i in range(4)}
    assert [r["name"] for r in rows(_call_log_in_tmp, "SELECT name FROM migrations")] == \
        [m.__name__ for m in calllog.MIGRATIONS]


# --- migrations --------------------------------------------------------------------------------------------


def test_opening_an_old_database_migrates_it_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = calllog.connect(path, upto=1)  # a log written by the first version
    old.execute("INSERT INTO calls (datetime_utc, step, outcome, n_attempts, retries, repairs, fallback_used) "
                "VALUES ('2026-01-01T00:00:00.000000', 'old_step', 'ok', 1, 0, 0, 0)")
    old.close()
    assert [r["name"] for r in rows(path, "SELECT name FROM migrations")] == ["m001_initial"]
    assert not rows(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'calls_%'")

    db = calllog.connect(path)
    assert [r["name"] for r in rows(path, "SELECT name FROM migrations")] == ["m001_initial", "m002_indexes"]
    assert {r["name"] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'index' "
                                          "AND name LIKE 'calls_%'")} == {"calls_datetime", "calls_step",
                                                                          "calls_correlation"}
    assert [c["step"] for c in calllog.calls(db)] == ["old_step"]
    assert calllog.migrate(db) == []  # applied once
    assert rows(path, "PRAGMA journal_mode")[0]["journal_mode"] == "wal"


def test_migrations_are_named_functions_in_order() -> None:
    names = [m.__name__ for m in calllog.MIGRATIONS]
    assert names == sorted(names) and all(n.startswith(f"m{i + 1:03d}_") for i, n in enumerate(names))


# --- never in the way --------------------------------------------------------------------------------------


def test_off_switch_writes_nothing(monkeypatch: pytest.MonkeyPatch, _call_log_in_tmp: Path) -> None:
    monkeypatch.setenv("SGR_LOGS", "0")
    res = OfferStep().run(CTX, OfflineBackend("offline"))
    assert res.value.tier == "silver" and not _call_log_in_tmp.exists()


def test_a_log_that_cannot_be_written_costs_the_decision_nothing(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the log's folder should be")
    monkeypatch.setenv("SGR_LOGS_DB", str(blocker / "logs.db"))
    monkeypatch.setattr(calllog, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="sgr.core.calllog"):
        first = OfferStep().run(CTX, OfflineBackend("offline"))
        second = OfferStep().run(CTX, OfflineBackend("offline"))
    assert first.value == second.value
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot be written" in warnings[0].getMessage()  # said once, not per call


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SGR_LOGS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert calllog.db_path() == tmp_path / "xdg" / "sgr-agents" / "logs.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert calllog.db_path() == tmp_path / "home" / ".local" / "share" / "sgr-agents" / "logs.db"


def test_since_accepts_ages_and_iso_dates() -> None:
    now = dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.timezone.utc)
    assert calllog.parse_since("2h", now=now) == "2026-11-03T10:00:00.000000"
    assert calllog.parse_since("3d", now=now) == "2026-10-31T12:00:00.000000"
    assert calllog.parse_since("2026-11-01", now=now) == "2026-11-01T00:00:00.000000"
    assert calllog.parse_since("2026-11-01T10:00+02:00", now=now) == "2026-11-01T08:00:00.000000"
    with pytest.raises(ValueError, match="30m, 2h"):
        calllog.parse_since("yesterday", now=now)
