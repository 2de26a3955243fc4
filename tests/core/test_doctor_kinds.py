"""`sgr doctor` against each engine fake: it names the server kind and the verified dialect, and it fails a
server that ignores every constraint parameter (exit 1, as for any unusable entry)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sgr.core.doctor import run_doctor
from sgr.core.llm.openai_compat import clear_negotiation_cache
from sgr.testing.fake_openai import FakeOpenAIServer
from sgr.testing.fake_servers import FakeEngineServer


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


def doctor(tmp_path: Path, capsys: pytest.CaptureFixture[str], *, json_out: bool = False,
           **entry: Any) -> tuple[int, str]:
    fields = {"backend": "openai", "timeout": 30, "connect_retries": 0, **entry}  # generous: a loaded CI machine
    body = ", ".join(f"{k}: {json.dumps(v)}" for k, v in fields.items())
    path = tmp_path / "config.yaml"
    path.write_text(f"default_model: m\nmodels:\n  m: {{{body}}}\n", encoding="utf-8")
    code = run_doctor(model=None, config=str(path), json_out=json_out)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ("kind", "label", "dialect", "launch"),
    [
        ("llamacpp", "llama.cpp server", "llamacpp_json_schema", "llama-server -m fake-model"),
        ("ollama", "Ollama", "response_format", "ollama pull fake-model && ollama serve"),
        ("sglang", "SGLang", "response_format", "python -m sglang.launch_server --model-path fake-model"),
        ("tgi", "TGI (text-generation-inference)", "tgi_json", "text-generation-launcher --model-id fake-model"),
    ],
)
def test_doctor_names_the_kind_and_the_verified_dialect(
    tmp_path: Path, capsys: Any, kind: str, label: str, dialect: str, launch: str
) -> None:
    with FakeEngineServer(kind) as srv:  # type: ignore[arg-type]
        code, out = doctor(tmp_path, capsys, url=srv.url)
    assert code == 0, out
    assert f"server kind: {label} (GET " in out
    assert f"dialect {dialect}: accepted, constraint VERIFIED" in out
    assert f"dialect in use: {dialect} (constraint verified on this server)" in out
    assert "small structured call" in out and "answer valid" in out
    assert launch in out and "vllm serve" not in out
    assert "guided_json" not in out, "only the kind's own dialects are probed"
    assert "usable: yes" in out


def test_doctor_json_carries_kind_evidence_and_probes(tmp_path: Path, capsys: Any) -> None:
    with FakeEngineServer("ollama", ollama_json_schema=False) as srv:
        code, out = doctor(tmp_path, capsys, json_out=True, url=srv.root_url)
    data = json.loads(out)
    assert code == 0 and data["usable"] is True
    assert data["server_kind"] == "ollama" and "/api/version" in data["kind_evidence"]
    assert {d["dialect"]: d["constrained"] for d in data["dialects"]} == {
        "response_format": False, "ollama_format": True}
    assert data["dialect"] == "ollama_format" and data["roundtrip_valid"] is True


def test_an_explicit_backend_is_reported_as_configured(tmp_path: Path, capsys: Any) -> None:
    with FakeEngineServer("tgi") as srv:
        code, out = doctor(tmp_path, capsys, url=srv.url, backend="tgi")
        assert "/info" not in srv.gets
    assert code == 0
    assert "server kind: TGI (text-generation-inference) (set by `backend: tgi` in the config)" in out


@pytest.mark.parametrize("kind", ["llamacpp", "ollama", "sglang", "tgi"])
def test_an_engine_ignoring_every_constraint_is_flagged(tmp_path: Path, capsys: Any, kind: str) -> None:
    with FakeEngineServer(kind, constrain=False) as srv:  # type: ignore[arg-type]
        code, out = doctor(tmp_path, capsys, url=srv.url)
    assert code == 1
    assert "constraint VERIFIED" not in out and "ignored: the server answered HTTP 200" in out
    assert "its output would be unconstrained and this server cannot be used" in out
    assert "usable: NO" in out


def test_an_unknown_server_ignoring_everything_is_flagged_with_json(tmp_path: Path, capsys: Any) -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        code, out = doctor(tmp_path, capsys, json_out=True, url=srv.url)
    data = json.loads(out)
    assert code == 1 and data["usable"] is False and data["dialect"] is None
    assert data["server_kind"] == "openai"
    assert [d["dialect"] for d in data["dialects"]] == [
        "response_format", "structured_outputs", "llamacpp_json_schema", "tgi_json", "guided_json"]
    assert not any(d["constrained"] for d in data["dialects"])
    [problem] = data["problems"]
    assert problem["severity"] == "error"
    assert "ignored: response_format, structured_outputs" in problem["problem"]
    assert "ignores every constraint parameter we know" in problem["fix"]
