"""Hot-store lookups at 1M customers: SQLite and PostgreSQL side by side, in one run, on one machine.

    .venv/bin/python benchmarks/discount_lookup.py                 # 1M customers, 20,000 lookups per store
    .venv/bin/python benchmarks/discount_lookup.py --users 100000 --lookups 5000 --json

Why this measures what it does: a decision reads one hot row, through the same store classes the service
uses (`HotStore`, `PostgresHotStore` with its pool), for uniformly random existing customers. The two
stores are sampled in alternating blocks, so a noisy neighbour on a shared machine slows both, not one.
The PostgreSQL server is a throw-away one from the Debian packages on loopback (`sgr.testing.postgres_server`),
loaded by `setup-data`'s own COPY path; the SQLite store is the same rows, cached between runs.
Latency is wall time per call; with `--threads N` each thread does its share at once (on 2 shared cores,
threads measure contention more than the store). Compare the two columns, not absolutes across machines.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

Lookup = Callable[[str], object]
BLOCKS = 20
WARMUP = 1000


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def sqlite_store(cache: Path, users: int, seed: int) -> tuple[Path, float | None]:
    """SQLite stores for `users` customers in `cache`, built only when the manifest does not match."""
    from sgr.discount.setup_data import STORE_FORMAT, read_manifest, setup_data
    from sgr.discount.stores import HOT_FILE

    manifest = read_manifest(cache) or {}
    if (manifest.get("users"), manifest.get("seed"), manifest.get("format"), manifest.get("hot")) == (
            users, seed, STORE_FORMAT, HOT_FILE):
        return cache, None
    t0 = time.perf_counter()
    setup_data(cache, users=users, seed=seed)
    return cache, time.perf_counter() - t0


def timed_block(lookup: Lookup, ids: list[str], threads: int) -> list[float]:
    """Milliseconds per call for `ids`, split across `threads` callers started together."""
    if threads == 1:
        samples = []
        for cid in ids:
            t0 = time.perf_counter()
            lookup(cid)
            samples.append((time.perf_counter() - t0) * 1000)
        return samples
    barrier = threading.Barrier(threads)

    def part(k: int) -> list[float]:
        barrier.wait()
        return timed_block(lookup, ids[k::threads], 1)

    with ThreadPoolExecutor(threads) as pool:
        return [ms for chunk in pool.map(part, range(threads)) for ms in chunk]


def side_by_side(stores: dict[str, Lookup], ids: list[str], threads: int) -> dict[str, dict[str, float]]:
    """Alternate blocks between the stores; per store: p50, p90, p99, max (ms) and lookups per second."""
    samples: dict[str, list[float]] = {name: [] for name in stores}
    elapsed: dict[str, float] = dict.fromkeys(stores, 0.0)
    size = max(1, len(ids) // BLOCKS)
    for start in range(0, len(ids), size):
        block = ids[start:start + size]
        for name, lookup in stores.items():
            t0 = time.perf_counter()
            samples[name] += timed_block(lookup, block, threads)
            elapsed[name] += time.perf_counter() - t0
    return {name: {"p50_ms": statistics.median(s), "p90_ms": pct(s, 0.90), "p99_ms": pct(s, 0.99),
                   "max_ms": max(s), "per_s": len(s) / elapsed[name]} for name, s in samples.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=20_000, help="timed lookups per store and thread count")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4], help="caller threads to measure")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "sgr-agents" / "discount-lookup")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)

    from sgr.discount.postgres.hot import PostgresHotStore
    from sgr.discount.setup_data import setup_data
    from sgr.discount.stores import HOT_FILE, HotStore
    from sgr.testing.postgres_server import PostgresServer, create_database

    lite_dir, lite_build = sqlite_store(args.cache_dir.expanduser(), args.users, args.seed)
    rng = random.Random(args.seed)
    ids = [f"C{rng.randint(1, args.users):07d}" for _ in range(args.lookups)]
    result: dict[str, Any] = {"users": args.users, "lookups": args.lookups, "sqlite_build_s": lite_build}
    with PostgresServer() as server, tempfile.TemporaryDirectory() as tmp:
        dsn = create_database(server.dsn, "bench")
        t0 = time.perf_counter()
        setup_data(tmp, users=args.users, seed=args.seed, database=dsn)
        result["postgres_build_s"] = time.perf_counter() - t0  # cold DuckDB file + CSV + COPY
        result["postgres_version"] = server.version
        lite, pg = HotStore(lite_dir / HOT_FILE), PostgresHotStore(dsn)
        try:
            stores: dict[str, Lookup] = {"sqlite": lite.get, "postgres": pg.get}
            for cid in ids[:WARMUP]:  # page cache, pool connections, psycopg's prepared statement
                for lookup in stores.values():
                    assert lookup(cid) is not None
            assert lite.get(ids[0]) == pg.get(ids[0])  # the same row from both
            result["runs"] = {str(n): side_by_side(stores, ids, n) for n in args.threads}
        finally:
            lite.close()
            pg.close()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
    return result


def table(result: dict[str, Any]) -> str:
    """A Markdown table (paste-ready for the README)."""
    lines = [f"Hot-store lookups, {result['users']:,} customers, {result['lookups']:,} random lookups per cell "
             f"(PostgreSQL {result['postgres_version']} on loopback, pooled; SQLite WAL file)",
             "",
             "| store | threads | p50 ms | p90 ms | p99 ms | max ms | lookups/s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for threads, run in result["runs"].items():
        for name, m in run.items():
            lines.append(f"| {name} | {threads} | {m['p50_ms']:.3f} | {m['p90_ms']:.3f} | {m['p99_ms']:.3f} | "
                         f"{m['max_ms']:.2f} | {m['per_s']:,.0f} |")
    built = "cached" if result["sqlite_build_s"] is None else f"{result['sqlite_build_s']:.1f} s"
    lines += ["", f"build: sqlite {built}; postgres (setup-data with COPY, incl. the cold store) "
                  f"{result['postgres_build_s']:.1f} s"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
