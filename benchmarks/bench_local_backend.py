"""Measure the in-process backend: grammar compile (first vs cached), mask cost per token, tokens/s.

Why: the local backend's promise is "same guarantee as vLLM, no server"; these numbers say what the
guarantee costs on this CPU. Absolute numbers vary between machines and runs (shared 2-core boxes vary
a lot); compare the ratios within one run.

    python benchmarks/bench_local_backend.py [MODEL_DIR] [--runs N]

Without MODEL_DIR it builds (or reuses) the cached tiny model. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from sgr.core.contracts import Contract, bounded_str, enum_of, make_contract, number_between, schema_for
from sgr.core.errors import SchemaViolation
from sgr.core.llm.base import GenerationRequest
from sgr.core.llm.local import LocalBackend
from sgr.core.port import validate_answer
from sgr.testing.tiny_model import build_tiny_model

COLUMNS = [f"col_{i}" for i in range(40)]


class Route(Contract):
    reasoning: str = bounded_str(24)
    route: Literal["fetch_user_features", "respond"]
    confidence: float = number_between(0.0, 1.0)


class Filter(Contract):
    column: enum_of(COLUMNS)  # type: ignore[valid-type]
    op: Literal["=", "<", ">"]
    value: str = bounded_str(12)


class Plan(Contract):
    rationale: str = bounded_str(60)
    metrics: list[enum_of(COLUMNS)] = Field(..., max_length=4)  # type: ignore[valid-type]
    filters: list[Filter] = Field(..., max_length=3)
    top_k: int = Field(..., ge=1, le=100)


def _targets() -> dict[str, type[Contract]]:
    pricing = make_contract("Pricing", {
        "churn_analysis": (str, bounded_str(40)),
        "margin_math": (str, bounded_str(40)),
        "tier": (enum_of(["low", "medium", "high"]), ...),
        "max_discount_percent": (float, number_between(0.0, 17.5)),
        "approved": (bool, ...),
    })
    return {"route": Route, "plan": Plan, "pricing": pricing}


def _schemas() -> dict[str, dict[str, Any]]:
    return {name: schema_for(target) for name, target in _targets().items()}


def _strict_json(text: str) -> bool:
    """Whether strict json.loads accepts the text (xgrammar#800 lets raw control characters through)."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 4)


def _unconstrained_forward_s(backend: LocalBackend, tokens: int) -> float:
    """Per-token forward time without any grammar work, to show what the mask adds."""
    loaded = backend._ensure_loaded()
    torch = loaded.torch
    previous = torch.get_num_threads()
    torch.set_num_threads(loaded.threads or previous)  # same threads as the constrained loop uses
    try:
        return _timed_forwards(loaded.model, torch, tokens)
    finally:
        torch.set_num_threads(previous)


def _timed_forwards(model: Any, torch: Any, tokens: int) -> float:
    with torch.inference_mode():
        ids = torch.tensor([[1, 2, 3, 4]], dtype=torch.long)
        out = model(input_ids=ids, use_cache=True)
        past, t0 = out.past_key_values, time.perf_counter()
        for _ in range(tokens):
            out = model(input_ids=ids[:, :1], past_key_values=past, use_cache=True)
            past = out.past_key_values
        return (time.perf_counter() - t0) / tokens


def run(model_dir: Path, runs: int) -> dict[str, Any]:
    """Every measurement, as plain data."""
    backend = LocalBackend("bench", model_dir, max_tokens=256)
    t0 = time.perf_counter()
    backend.load()
    result: dict[str, Any] = {"model_dir": str(model_dir), "load_s": round(time.perf_counter() - t0, 3)}
    compile_ms: dict[str, dict[str, float]] = {}
    for name, schema in _schemas().items():
        t0 = time.perf_counter()
        backend.compiled_grammar(schema)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        backend.compiled_grammar(schema)
        cached = time.perf_counter() - t0
        compile_ms[name] = {"first_ms": _ms(first), "cached_ms": _ms(cached)}
    result["compile"] = compile_ms
    result["cache_info"] = backend.cache_info()

    messages = [{"role": "user", "content": "Decide, answering in JSON."}]
    per_schema: dict[str, Any] = {}
    all_tokens = all_seconds = 0.0
    mask_us: list[float] = []
    forward_ms: list[float] = []
    for name, target in _targets().items():
        schema = schema_for(target)
        tokens = seconds = 0.0
        stops = valid = strict = 0
        for seed in range(runs):
            raw = backend.generate(GenerationRequest(messages=messages, schema=schema, seed=seed, temperature=1.0))
            stats = backend.last_stats
            tokens += stats["tokens"]
            seconds += stats["seconds"]
            stops += raw.finish_reason == "stop"
            strict += _strict_json(raw.text)
            try:
                validate_answer(raw, target)
                valid += 1
            except SchemaViolation:
                pass
            mask_us.append(stats["mask_s_per_token"] * 1e6)
            forward_ms.append(stats["forward_s_per_token"] * 1e3)
        per_schema[name] = {"runs": runs, "stopped": stops, "valid": valid, "strict_json": strict,
                            "mean_tokens": round(tokens / runs, 1),
                            "tokens_per_s": round(tokens / seconds, 1)}
        all_tokens += tokens
        all_seconds += seconds
    result["generation"] = per_schema
    result["tokens_per_s_overall"] = round(all_tokens / all_seconds, 1)
    result["mask_us_per_token_median"] = round(statistics.median(mask_us), 2)
    result["forward_ms_per_token_median"] = round(statistics.median(forward_ms), 3)
    result["unconstrained_forward_ms_per_token"] = round(_unconstrained_forward_s(backend, 100) * 1e3, 3)
    backend.close()
    return result


def main() -> None:
    """Command-line entry: build or reuse the tiny model, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    model_dir = args.model_dir or build_tiny_model(Path.home() / ".cache" / "sgr-agents" / "tiny-model")
    print(json.dumps(run(model_dir, args.runs), indent=2))


if __name__ == "__main__":
    main()
