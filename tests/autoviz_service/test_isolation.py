"""Isolation, deadlines, retention and storage over the real service: one bad run never costs another."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from sgr.autoviz.formats import accepted_extensions
from sgr.autoviz.web.service import AutoVizService

from .conftest import AUTH, EXAMPLE, Server, make_settings, wait_done

QUESTION = "revenue by region"


def _big_csv(path: Path, rows: int) -> Path:
    """A table large enough that loading it takes a while on any machine, written by DuckDB itself."""
    duckdb.sql(f"COPY (SELECT range AS order_id, ['North','South','East','West'][1 + range % 4] AS region, "
               f"(range * 7919 % 1000) / 10.0 AS revenue, DATE '2021-01-01' + (range % 900)::INT AS date "
               f"FROM range({rows})) TO '{path}' (HEADER)")
    return path


def _service(srv: Server) -> AutoVizService:
    return srv.app.state.autoviz  # type: ignore[no-any-return]


def _wait(predicate: object, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.skipif(sys.platform == "win32", reason="platform: SIGKILL is POSIX")
def test_killing_the_worker_of_one_run_fails_only_that_run(root: Path) -> None:
    _big_csv(root / "data" / "big.csv", 2_000_000)
    (root / "data" / "sales.csv").write_bytes(EXAMPLE.read_bytes())
    with Server(make_settings(root, workers=2, worker_threads=1)) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        victim = c.post("/v1/autoviz/runs", data={"path": "big.csv", "question": QUESTION}).json()["id"]
        others = [c.post("/v1/autoviz/runs", data={"path": "sales.csv", "question": QUESTION}).json()["id"]
                  for _ in range(5)]
        pool = _service(srv).pool
        assert pool is not None
        _wait(lambda: pool.running().get(victim) is not None, "the big run to start")
        # the big run is still loading two million rows: its status says so before the kill
        assert c.get(f"/v1/autoviz/runs/{victim}").json()["status"] in ("queued", "running")
        os.kill(pool.running()[victim], signal.SIGKILL)  # type: ignore[arg-type]
        killed = wait_done(c, victim)
        assert killed["status"] == "failed" and killed["error"]["kind"] == "WorkerDied"
        assert "other runs are unaffected" in killed["error"]["detail"]
        assert [wait_done(c, r)["status"] for r in others] == ["answered"] * 5
        after = c.post("/v1/autoviz/runs", data={"path": "sales.csv", "question": QUESTION}).json()["id"]
        assert wait_done(c, after)["status"] == "answered"


def test_a_run_past_its_deadline_is_stopped_with_the_reason(root: Path) -> None:
    _big_csv(root / "data" / "big.csv", 2_000_000)
    with Server(make_settings(root, workers=1, worker_threads=1, run_timeout=0.5)) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        run_id = c.post("/v1/autoviz/runs", data={"path": "big.csv", "question": QUESTION}).json()["id"]
        run = wait_done(c, run_id)
        assert run["status"] == "failed" and run["error"]["kind"] == "Timeout"
        assert "serve.run_timeout (0.5 s)" in run["error"]["detail"]
        assert _service(srv).pool.pending() == 0  # type: ignore[union-attr]


def test_delete_a_finished_run_and_refuse_an_active_one(root: Path) -> None:
    _big_csv(root / "data" / "big.csv", 1_000_000)
    (root / "data" / "sales.csv").write_bytes(EXAMPLE.read_bytes())
    with Server(make_settings(root, workers=1, worker_threads=1)) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        done = c.post("/v1/autoviz/runs", data={"path": "sales.csv", "question": QUESTION}).json()["id"]
        assert wait_done(c, done)["status"] == "answered"
        busy = c.post("/v1/autoviz/runs", data={"path": "big.csv", "question": QUESTION}).json()["id"]
        res = c.delete(f"/v1/autoviz/runs/{busy}")
        assert res.status_code == 409 and res.json()["error"] == "Conflict"
        assert c.delete(f"/v1/autoviz/runs/{done}").status_code == 204
        assert c.get(f"/v1/autoviz/runs/{done}").status_code == 404
        assert not (root / "runs" / done).exists()
        assert c.delete(f"/v1/autoviz/runs/{done}").status_code == 404
        wait_done(c, busy)


def test_retention_deletes_old_finished_runs_and_unused_uploads(root: Path) -> None:
    with Server(make_settings(root, retention="1d")) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        upload = c.post("/v1/autoviz/datasets", files={"dataset": ("s.csv", EXAMPLE.read_bytes())}).json()["id"]
        run_id = c.post("/v1/autoviz/runs", data={"dataset_id": upload, "question": QUESTION}).json()["id"]
        assert wait_done(c, run_id)["status"] == "answered"
        sweeper = _service(srv).sweeper
        assert sweeper.sweep().runs == 0  # young: kept
        swept = sweeper.sweep(now=time.time() + 2 * 86400)
        assert (swept.runs, swept.uploads) == (1, 1) and swept.freed_bytes > 0
        assert c.get(f"/v1/autoviz/runs/{run_id}").status_code == 404
        assert not (root / "runs" / run_id).exists() and not (root / "runs" / "uploads" / upload).exists()
        res = c.post("/v1/autoviz/runs", data={"dataset_id": upload, "question": QUESTION})
        assert res.status_code == 404


def test_an_upload_beyond_the_storage_quota_is_507_json(root: Path) -> None:
    quota = 1024 * 1024
    with Server(make_settings(root, max_storage_bytes=quota)) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        body = EXAMPLE.read_bytes()
        big = body + body.split(b"\n", 1)[1] * (quota // len(body) + 2)
        res = c.post("/v1/autoviz/datasets", files={"dataset": ("big.csv", big)})
        assert res.status_code == 507 and res.json()["error"] == "InsufficientStorage"
        assert "serve.max_storage_bytes" in res.json()["detail"]
        assert c.post("/v1/autoviz/datasets", files={"dataset": ("s.csv", body)}).status_code == 201


def test_one_format_table_for_api_page_and_upload(client: httpx.Client) -> None:
    listed = [f["extension"] for f in client.get("/v1/autoviz/formats").json()["formats"]]
    assert listed == list(accepted_extensions()) and {".tsv", ".pq", ".json", ".xlsx", ".csv.gz"} <= set(listed)
    page = client.get("/").text
    assert f'accept="{",".join(listed)}"' in page and "{{" not in page
    tsv = EXAMPLE.read_text().replace(",", "\t").encode()
    assert client.post("/v1/autoviz/datasets", files={"dataset": ("s.tsv", tsv)}).status_code == 201
    refused = client.post("/v1/autoviz/datasets", files={"dataset": ("s.docx", b"x")})
    assert refused.status_code == 415 and all(ext in refused.json()["detail"] for ext in listed)
