"""The worker pool confines a crash, a kill or a hang to the job it hit; everything else completes."""

from __future__ import annotations

import sys
import time

import pytest

from sgr.autoviz.web.workers import JobFailed, JobTimeout, WorkerDied, WorkerPool

from . import jobs

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="platform: SIGKILL is POSIX")


@pytest.fixture
def pool() -> WorkerPool:
    p = WorkerPool(2, name="test")
    yield p
    p.shutdown()


def test_a_crashing_job_fails_alone_and_the_slot_gets_a_fresh_process(pool: WorkerPool) -> None:
    futures = [pool.submit(jobs.square, i, timeout=60) for i in range(3)]
    dead = pool.submit(jobs.crash, timeout=60)
    futures += [pool.submit(jobs.square, i, timeout=60) for i in range(3, 8)]
    with pytest.raises(WorkerDied, match="died"):
        dead.result(timeout=60)
    assert [f.result(timeout=60) for f in futures] == [i * i for i in range(8)]
    assert pool.pending() == 0


def test_a_job_past_its_deadline_is_killed_and_the_next_one_runs(pool: WorkerPool) -> None:
    slow = pool.submit(jobs.hang, 120, timeout=0.5)
    after = [pool.submit(jobs.square, 7, timeout=60) for _ in range(3)]
    with pytest.raises(JobTimeout, match=r"deadline of 0\.5 s"):
        slow.result(timeout=60)
    assert [f.result(timeout=60) for f in after] == [49, 49, 49]


def test_a_raising_job_is_a_failure_with_its_first_line_and_keeps_the_process(pool: WorkerPool) -> None:
    first = pool.submit(jobs.pid, timeout=60).result(timeout=60)
    with pytest.raises(JobFailed) as err:
        pool.submit(jobs.boom, timeout=60).result(timeout=60)
    assert str(err.value) == "ValueError: bad input"
    pids = {pool.submit(jobs.pid, timeout=60).result(timeout=60) for _ in range(4)}
    assert first in pids  # the process that ran the failing job is still serving


def test_shutdown_cancels_waiting_jobs_and_refuses_new_ones() -> None:
    p = WorkerPool(1, name="test")
    running = p.submit(jobs.hang, 60, timeout=120, label="slow")
    waiting = [p.submit(jobs.square, 2, timeout=60) for _ in range(3)]
    deadline = time.monotonic() + 60
    while "slow" not in p.running() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert p.running()["slow"] is not None
    p.shutdown()
    assert all(f.cancelled() for f in waiting)
    with pytest.raises((WorkerDied, JobTimeout)):
        running.result(timeout=60)  # its process is killed, not left behind
    with pytest.raises(RuntimeError, match="shut down"):
        p.submit(jobs.square, 1)
