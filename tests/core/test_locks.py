"""File locks between real processes: a lease is held while its process lives and free once it dies."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sgr.core.locks import Lease, held

HOLDER = """
import sys, time
from pathlib import Path
from sgr.core.locks import Lease
lease = Lease(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(600)
"""


def test_lease_is_held_until_its_process_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "owners" / "a.lease"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
        assert held(path)
        with pytest.raises(FileExistsError, match="held by another process"):
            Lease(path)
    finally:
        proc.send_signal(signal.SIGKILL)  # no cleanup runs: the kernel must drop the lock
        proc.wait(timeout=30)
    assert path.exists() and not held(path)
    Lease(path).release()


def test_lease_release_frees_and_removes_it(tmp_path: Path) -> None:
    lease = Lease(tmp_path / "b.lease")
    other_handle_sees_it = held(tmp_path / "b.lease")
    lease.release()
    lease.release()
    assert other_handle_sees_it and not held(tmp_path / "b.lease") and not (tmp_path / "b.lease").exists()


def test_exclusive_serialises_processes(tmp_path: Path) -> None:
    """Two processes append a start and an end mark under one lock: the marks never interleave."""
    script = ("import sys, time\nfrom pathlib import Path\nfrom sgr.core.locks import exclusive\n"
              "log = Path(sys.argv[2])\n"
              "for _ in range(5):\n"
              "    with exclusive(Path(sys.argv[1])):\n"
              "        with log.open('a') as f: f.write('<')\n"
              "        time.sleep(0.01)\n"
              "        with log.open('a') as f: f.write('>')\n")
    log = tmp_path / "log.txt"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "x.lock"), str(log)]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert log.read_text() == "<>" * 15
