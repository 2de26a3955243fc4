"""`sgr doctor` against real fake servers on 127.0.0.1: what it says, what it recommends, its exit codes."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sgr.cli import app
from sgr.core.config import ModelEntry
from sgr.core.doctor import diagnose, launch_command, run_doctor
from sgr.core.llm.openai_compat import clear_negotiation_cache
from sgr.testing.fake_openai import FakeOpenAIServer, unused_url

SO_CONFIG = """'{"backend":"xgrammar","disable_any_whitespace":true}'"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


def write_config(tmp_path: Path, **entry: Any) -> str:
    fields = {"backend": "vllm", "timeout": 30, "connect_retries": 0, **entry}  # generous: a loaded CI machine
    body = ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items())
    path = tmp_path / "config.yaml"
    path.write_text(f"default_model: m\nmodels:\n  m: {{{body}}}\n", encoding="utf-8")
    return str(path)


def doctor(tmp_path: Path, capsys: pytest.CaptureFixture[str], *, json_out: bool = False, **entry: Any) -> tuple[
    int, str
]:
    code = run_doctor(model=None, config=write_config(tmp_path, **entry), json_out=json_out)
    return code, capsys.readouterr().out


def test_modern_server_is_usable_and_guided_json_is_called_out(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("modern") as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url)
    assert code == 0
    assert "dialect structured_outputs: accepted, constraint VERIFIED" in out
    assert "dialect guided_json: accepted, constraint NOT verified" in out
    assert "this server ignores guided_json" in out and "we use structured_outputs" in out
    assert "dialect in use: structured_outputs" in out
    assert "output whitespace: compact" in out
    assert "models served: fake-model" in out
    assert "small structured call" in out and "answer valid" in out
    assert "--structured-outputs-config" in out
    assert "usable: yes" in out


def test_legacy_server_uses_response_format_and_flags_whitespace(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("legacy", compact=False) as srv:
        code, out = doctor(tmp_path, capsys, url=srv.root_url)
    assert code == 0
    assert "dialect structured_outputs: accepted, constraint NOT verified" in out
    assert "dialect in use: response_format" in out
    assert "output whitespace: NOT compact" in out
    assert f"fix: restart with --structured-outputs-config {SO_CONFIG}" in out


def test_whitespace_padding_until_max_tokens_is_an_error(tmp_path: Path, capsys: Any) -> None:
    """What real vLLM 0.32 did with a random model and `disable_any_whitespace` off: every answer cut off."""

    def pads(body: dict[str, Any]) -> dict[str, Any]:
        return {"content": '{"answer"' + "\n   " * 30, "finish_reason": "length"}

    with FakeOpenAIServer("modern", responder=pads) as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url)
    assert code == 1
    assert "verified, but the answer was padded with whitespace" in out
    assert "output whitespace: NOT compact" in out
    assert "pads constrained answers with whitespace until max_tokens" in out
    assert f"fix: restart with --structured-outputs-config {SO_CONFIG}" in out


def test_ignore_all_server_is_unusable(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url)
    assert code == 1
    assert out.count("constraint NOT verified") == 3
    assert "cannot be used" in out and "start vLLM with a structured-outputs backend" in out
    assert "usable: NO" in out


def test_server_down_prints_the_serve_command(tmp_path: Path, capsys: Any) -> None:
    url = unused_url()
    code, out = doctor(tmp_path, capsys, url=url, model="Qwen/Qwen2.5-0.5B-Instruct", quantization="awq",
                       max_model_len=2048)
    port = url.split(":")[2].split("/")[0]
    assert code == 1
    assert "server not reachable" in out and "connection refused" in out
    expected = (f"vllm serve Qwen/Qwen2.5-0.5B-Instruct --host 127.0.0.1 --port {port} --max-model-len 2048 "
                f"--structured-outputs-config {SO_CONFIG} --quantization awq")
    assert f"fix: start the server: {expected}" in out


def test_model_not_served_lists_the_served_names(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("modern", models=("tiny", "tiny-lora")) as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url, model="phi-4-mini")
        assert srv.counts["chat"] == 0, "no probes for a model that is not there"
    assert code == 1
    assert "'phi-4-mini' is not served" in out and "['tiny', 'tiny-lora']" in out


def test_forced_dialect_that_the_server_ignores_is_an_error(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("modern") as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url, dialect="guided_json")
    assert code == 1
    assert "forces dialect 'guided_json'" in out and "dialect: auto" in out


def test_json_mode_prints_one_parsable_object(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("legacy") as srv:
        code, out = doctor(tmp_path, capsys, json_out=True, url=srv.url, quantization="bitsandbytes")
    data = json.loads(out)
    assert code == 0 and data["usable"] is True
    assert data["dialect"] == "response_format"
    verified = {d["dialect"]: d["constrained"] for d in data["dialects"]}
    assert verified == {"structured_outputs": False, "response_format": True, "guided_json": True}
    assert data["models_served"] == ["fake-model"] and data["model"] == "fake-model"
    assert "--structured-outputs-config" in data["launch_command"]
    assert data["launch_command"].endswith("--quantization bitsandbytes")
    assert data["reach_latency_s"] >= 0 and data["roundtrip_valid"] is True


def test_json_mode_for_an_unusable_server(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        code, out = doctor(tmp_path, capsys, json_out=True, url=srv.url)
    data = json.loads(out)
    assert code == 1 and data["usable"] is False and data["dialect"] is None
    assert [p["severity"] for p in data["problems"]] == ["error"]


def test_doctor_probes_live_even_when_the_dialect_is_cached(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("modern") as srv:
        doctor(tmp_path, capsys, url=srv.url)
        before = srv.counts["chat"]
        doctor(tmp_path, capsys, url=srv.url)
        assert srv.counts["chat"] == 2 * before


def test_offline_entry_exits_zero(capsys: Any) -> None:
    code = run_doctor(model="offline", config=None, json_out=False)
    out = capsys.readouterr().out
    assert code == 0 and "offline" in out and "deterministic path" in out


def test_local_entry_with_missing_directory(tmp_path: Path) -> None:
    report = diagnose(ModelEntry(name="loc", backend="local", path=str(tmp_path / "absent")))
    assert not report.usable
    assert any("model directory not found" in p.problem for p in report.problems)


def test_local_entry_with_directory_checks_imports(tmp_path: Path) -> None:
    report = diagnose(ModelEntry(name="loc", backend="local", path=str(tmp_path)))
    installed = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "xgrammar"))
    assert report.usable is installed
    assert any(str(tmp_path) in line for line in report.checks)


def test_bad_config_exits_two(tmp_path: Path, capsys: Any) -> None:
    code = run_doctor(model="nope", config=write_config(tmp_path, url="http://127.0.0.1:9"), json_out=True)
    data = json.loads(capsys.readouterr().out)
    assert code == 2 and "no model entry named 'nope'" in data["error"]


def test_cli_verb_runs_doctor_and_returns_its_exit_code(tmp_path: Path) -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        result = CliRunner().invoke(app, ["doctor", "--config", write_config(tmp_path, url=srv.url), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["usable"] is False


def test_launch_command_defaults() -> None:
    entry = ModelEntry(name="x", backend="vllm", url="http://localhost/v1", model="org/m")
    assert launch_command(entry) == (
        f"vllm serve org/m --host 127.0.0.1 --port 8000 --max-model-len 4096 --structured-outputs-config {SO_CONFIG}"
    )
