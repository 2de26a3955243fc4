"""Rasterise charts in a separate process, so Vega's JavaScript engine never holds this process's GIL.

Why a process and not a thread: vl-convert holds the GIL for the whole of a render (measured: a Python loop
on the main thread got about 1% of its usual speed while a chart rendered on another thread), so a render
thread pool stalled the tools' DuckDB fetches and Python work instead of overlapping them. Its engine also
takes ~0.6 s to start on first use. One worker process, started when a run begins, warms the engine while
the data loads and then renders each chart on another core while later steps query DuckDB. It runs the same
library on the same spec text, so the files are the same bytes as an in-process render. Both drop label
limits no label can reach first (`label_fit`: same drawing, less measuring).

The worker is shared by every run of this process (the CLI has one run; tests and the service have many)
and restarted if it dies. Where no process can be started, `shared_renderer` returns None and charts render
in the calling thread, as before.

Protocol (one JSON object per line): the parent writes {"id", "spec", "dir", "stem", "png"}; the worker writes
the `.svg` file (and the `.png` when "png" is true) and answers {"id", "error"} with error null on success.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

if __package__:
    from sgr.autoviz.tools.label_fit import without_idle_limits
else:  # the worker script, in isolated mode: its sibling file by path, never the sgr package
    import importlib.util

    _spec = importlib.util.spec_from_file_location("label_fit", Path(__file__).resolve().with_name("label_fit.py"))
    assert _spec is not None and _spec.loader is not None
    _label_fit = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_label_fit)
    without_idle_limits = _label_fit.without_idle_limits

#: Vega-Lite is rendered at this PNG scale (2x for sharp images on high-density screens)
PNG_SCALE = 2
_WARM_SPEC = '{"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}'


def draw(spec_text: str, out: Path, stem: str, *, png: bool = False) -> None:
    """Render one Vega-Lite spec to `<stem>.svg` in `out`, and to `<stem>.png` as well when `png` is set.

    Why the PNG is opt-in: rasterising was a third of a chart's render time (measured at 1M rows: the run took
    3.5 s with PNGs and 2.6 s without), and every place a report is read (browsers, the HTML report, GitHub
    Markdown) shows SVG, sharper at any zoom. PNG is for places that need a raster (MCP image content, slides).
    Vega runs once: the PNG is rasterised from the SVG, so the two always agree. vl-convert is imported here,
    so a process that never draws never loads it.
    """
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(without_idle_limits(spec_text))
    (out / f"{stem}.svg").write_text(svg, encoding="utf-8")
    if png:
        (out / f"{stem}.png").write_bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


class RenderWorker:
    """A child process that renders charts on request; `submit` returns a Future that resolves when the
    chart's files are written (or raises the worker's error)."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            # this file as a script in isolated mode: the worker imports the standard library and vl-convert,
            # never the sgr package (half a second of imports it does not need)
            [sys.executable, "-I", str(Path(__file__).resolve())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
        )
        self._lock = threading.Lock()
        self._pending: dict[int, Future[None]] = {}
        self._next = 0
        self._reader = threading.Thread(target=self._read, name="render-worker-reader", daemon=True)
        self._reader.start()

    def alive(self) -> bool:
        """Whether the child still runs (a dead one is replaced by `shared_renderer`)."""
        return self._proc.poll() is None

    def submit(self, spec_text: str, out: Path, stem: str, *, png: bool = False) -> Future[None]:
        """Queue one chart; the Future fails with RuntimeError if the worker reports an error or dies."""
        future: Future[None] = Future()
        with self._lock:
            self._next += 1
            job = self._next
            self._pending[job] = future
            line = json.dumps({"id": job, "spec": spec_text, "dir": str(out), "stem": stem, "png": png})
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.write(line + "\n")
                self._proc.stdin.flush()
            except (OSError, ValueError) as err:
                self._pending.pop(job, None)
                future.set_exception(RuntimeError(f"render worker is gone: {err}"))
        return future

    def _read(self) -> None:
        """Resolve futures from the worker's answers; when it exits, fail whatever is still pending."""
        stdout: IO[str] | None = self._proc.stdout
        for line in stdout or ():
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                future = self._pending.pop(int(answer.get("id", -1)), None)
            if future is None:
                continue
            if answer.get("error"):
                future.set_exception(RuntimeError(str(answer["error"])))
            else:
                future.set_result(None)
        with self._lock:
            left, self._pending = self._pending, {}
        for future in left.values():
            future.set_exception(RuntimeError("render worker exited before the chart was drawn"))

    def close(self) -> None:
        """Ask the worker to finish (end of input) and wait briefly; kill it if it does not.

        A worker that was never given a chart is killed at once: it has nothing to write, and waiting for
        its engine to finish warming up would add half a second to a run that stopped early (a bad path).
        """
        if self._next == 0:
            self._proc.kill()
            self._proc.wait()
            with contextlib.suppress(OSError):
                if self._proc.stdin is not None:
                    self._proc.stdin.close()
            return
        try:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            self._proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()


_shared: RenderWorker | None = None
_shared_lock = threading.Lock()
_unavailable = False


def shared_renderer() -> RenderWorker | None:
    """This process's render worker, started on first use (and again if it died); None if it cannot start."""
    global _shared, _unavailable
    with _shared_lock:
        if _unavailable:
            return None
        if _shared is not None and _shared.alive():
            return _shared
        try:
            _shared = RenderWorker()
        except OSError:
            _unavailable = True
            return None
        return _shared


@atexit.register
def close_shared() -> None:
    """Finish this process's render worker (at exit, or earlier by a caller that wants its usage counted)."""
    global _shared
    with _shared_lock:
        worker, _shared = _shared, None
    if worker is not None:
        worker.close()


def _serve(stdin: IO[str], stdout: IO[str]) -> None:
    """The worker's loop: warm the engine, then render one job per input line until the input ends."""
    try:
        import vl_convert as vlc

        vlc.vegalite_to_svg(_WARM_SPEC)
    except Exception:  # the first real job reports the problem with its own error
        pass
    for line in stdin:
        job: dict[str, Any] = json.loads(line)
        error: str | None = None
        try:
            draw(job["spec"], Path(job["dir"]), job["stem"], png=bool(job.get("png")))
        except Exception as exc:  # every failure goes back to the run as that chart's error
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        stdout.write(json.dumps({"id": job["id"], "error": error}) + "\n")
        stdout.flush()


if __name__ == "__main__":
    _serve(sys.stdin, sys.stdout)
