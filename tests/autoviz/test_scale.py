"""The scale work of issue 11: one-pass CSV loads, a disk-backed table for big files, the single grouped
profile scan, shared group rankings, approximate statistics (labelled) above their thresholds, and the
render worker process. Each checks behaviour against the slower exact path, never a wall-clock time."""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz import data as data_mod
from sgr.autoviz import profile as profile_mod
from sgr.autoviz.columns import categorical_values
from sgr.autoviz.data import load_table, set_engine_limits
from sgr.autoviz.pipeline import run_autoviz
from sgr.autoviz.profile import _top_values, category_values, profile_table
from sgr.autoviz.report import APPROXIMATE_DISTINCT
from sgr.autoviz.tools import ExecContext, run_tool
from sgr.autoviz.tools import charts as charts_mod
from sgr.autoviz.tools.analysis import grouped_label
from sgr.autoviz.tools.render_worker import RenderWorker, draw
from sgr.core.config import parse_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")


def _write_csv(path: Path, n: int, *, seed: int = 5, null_every: int = 0, bad_date_at: int | None = None) -> Path:
    rng = random.Random(seed)
    lines = ["day,region,segment,revenue"]
    for i in range(n):
        region = "" if null_every and i % null_every == 0 else rng.choice(["North", "South", "East", "West"])
        day = "not a date" if i == bad_date_at else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append(f"{day},{region},seg {rng.randint(0, 29):02d},{rng.uniform(1, 1000):.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _default_engine() -> Any:
    yield
    set_engine_limits()


# -- load ------------------------------------------------------------------------------------------


def test_one_pass_csv_load_parses_dates_while_writing(tmp_path: Path) -> None:
    table = load_table(_write_csv(tmp_path / "s.csv", 500))
    assert table.dtypes()["day"] == "DATE"
    assert any("parsed 'day' as DATE" in n for n in table.load_notes)
    first = table.con.execute('SELECT day FROM data LIMIT 1').fetchone()
    assert str(first[0]) == "2024-01-01"


def test_a_value_that_is_not_a_date_becomes_missing_not_an_error(tmp_path: Path) -> None:
    # 1 bad value in 500: the reader's own date parsing refuses the file, the forgiving path takes over
    table = load_table(_write_csv(tmp_path / "s.csv", 500, bad_date_at=250))
    assert table.dtypes()["day"] == "DATE"
    missing = table.con.execute("SELECT count(*) FROM data WHERE day IS NULL").fetchone()[0]
    assert missing == 1 and table.n_rows == 500


def test_big_files_load_into_a_temporary_database_that_goes_with_the_table(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    csv_path = _write_csv(tmp_path / "s.csv", 800, null_every=7)
    in_memory = profile_table(load_table(csv_path))
    scratch_root = tmp_path / "scratch"
    set_engine_limits(temp_directory=scratch_root, memory_limit="1GB")
    monkeypatch.setattr(data_mod, "DISK_BACKED_BYTES", 0)
    table = load_table(csv_path)
    files = list(scratch_root.glob("sgr-autoviz-*/data.duckdb"))
    assert len(files) == 1
    assert profile_table(table) == in_memory  # same table, same profile, wherever it is stored
    del table
    gc.collect()
    assert not list(scratch_root.glob("sgr-autoviz-*"))


# -- profile ---------------------------------------------------------------------------------------


def test_single_grouped_scan_gives_the_per_column_top_values_and_value_lists() -> None:
    table = load_table(EXAMPLES / "sales.csv")
    prof = profile_table(table)
    grouped = [c for c in prof.columns if c.role in ("categorical", "boolean") and not c.all_null]
    assert grouped
    for col in grouped:
        assert col.top_values == _top_values(table, col.name)
    assert category_values(table, prof) == categorical_values(table, prof)


def test_nulls_stay_out_of_the_grouped_counts(tmp_path: Path) -> None:
    table = load_table(_write_csv(tmp_path / "s.csv", 300, null_every=5))
    prof = profile_table(table)
    assert prof.column("region").top_values == _top_values(table, "region")
    assert "None" not in [v for v, _ in table.value_counts["region"]]


def test_distinct_counts_are_labelled_approximate_only_above_the_threshold(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    exact = run_autoviz(EXAMPLES / "sales.csv", "revenue by region", settings=SETTINGS, out_dir=tmp_path / "a",
                        draw=False)
    assert APPROXIMATE_DISTINCT not in (exact.run_dir / "report.md").read_text(encoding="utf-8")
    monkeypatch.setattr(profile_mod, "_EXACT_DISTINCT_MAX_ROWS", 10)
    approx = run_autoviz(EXAMPLES / "sales.csv", "revenue by region", settings=SETTINGS, out_dir=tmp_path / "b",
                         draw=False)
    assert APPROXIMATE_DISTINCT in (approx.run_dir / "report.md").read_text(encoding="utf-8")
    assert APPROXIMATE_DISTINCT in (approx.run_dir / "report.html").read_text(encoding="utf-8")


# -- tools -----------------------------------------------------------------------------------------


def _ctx(table: Any, tmp_path: Path) -> ExecContext:
    return ExecContext(table=table, profile=profile_table(table), out_dir=tmp_path, draw=False)


def _ranked_in_query(column: str, keep: int) -> str:
    """The folding by definition: the top `keep` values by |sum|, re-ranked inside the query itself."""
    g = f'"{column}"::VARCHAR'
    return (f"CASE WHEN {g} IN (SELECT k FROM (SELECT {g} AS k, sum(revenue) AS v FROM data GROUP BY 1 "
            f"ORDER BY abs(v) DESC NULLS LAST, k LIMIT {keep})) THEN {g} ELSE 'Other' END")


@pytest.mark.parametrize("null_every", [0, 9])
def test_shared_group_ranking_labels_rows_like_the_case_expression(tmp_path: Path, null_every: int) -> None:
    table = load_table(_write_csv(tmp_path / "s.csv", 600, null_every=null_every))
    ctx = _ctx(table, tmp_path)
    for column, keep in (("region", 8), ("segment", 8)):  # 4 regions: nothing folds; 30 segments: folds
        fast = grouped_label(ctx, "data", column, "sum(revenue)", keep)
        slow = _ranked_in_query(column, keep)
        got = table.con.execute(f"SELECT {fast} AS k, sum(revenue) FROM data GROUP BY 1 ORDER BY 1").fetchall()
        want = table.con.execute(f"SELECT {slow} AS k, sum(revenue) FROM data GROUP BY 1 ORDER BY 1").fetchall()
        assert got == want
    assert len(ctx.memo) == 2  # one ranking query per column, whatever the caller's keep


def _box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, threshold: int) -> tuple[Any, Any]:
    table = load_table(_write_csv(tmp_path / "s.csv", 20_000))
    monkeypatch.setattr(charts_mod, "APPROX_QUARTILE_ROWS", threshold)
    monkeypatch.setattr(charts_mod, "QUARTILE_SAMPLE_ROWS", 5000)
    result = run_tool("box_chart", {"metric": "revenue", "group": "region"}, _ctx(table, tmp_path), step_id="box")
    exact = {r[0]: r[1:] for r in table.con.execute(
        "SELECT region, quantile_cont(revenue, 0.25), median(revenue), quantile_cont(revenue, 0.75), count(*) "
        "FROM data WHERE region IS NOT NULL GROUP BY 1").fetchall()}
    return result, exact


def test_box_quartiles_are_exact_below_the_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, exact = _box(tmp_path, monkeypatch, threshold=50_000)
    assert "approximate" not in result.chart.caption and "quartiles" not in result.facts
    for r in result.rows:
        assert (r["q1"], r["median"], r["q3"], r["n"]) == pytest.approx(exact[r["grp"]], rel=1e-9)


def test_box_quartiles_above_the_threshold_are_sampled_and_say_so(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    result, exact = _box(tmp_path, monkeypatch, threshold=1000)
    assert "Quartiles are approximate" in result.chart.caption
    assert result.facts["quartiles"] == "approximate (1-in-4 row sample)"
    for r in result.rows:
        q1, med, q3, n = exact[r["grp"]]
        assert r["n"] == n  # counts, whiskers and outliers use every row
        assert r["median"] == pytest.approx(med, rel=0.1)
        assert r["q1"] == pytest.approx(q1, rel=0.15) and r["q3"] == pytest.approx(q3, rel=0.1)
    (tmp_path / "again").mkdir()
    again, _ = _box(tmp_path / "again", monkeypatch, threshold=1000)
    assert again.rows == result.rows  # the same sample on every run


# -- rendering -------------------------------------------------------------------------------------


_SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 200, "height": 100,
         "data": {"values": [{"x": "a", "value": 1}, {"x": "b", "value": 3}]}, "mark": "bar",
         "encoding": {"x": {"field": "x", "type": "nominal"}, "y": {"field": "value", "type": "quantitative"}}}


def test_render_worker_writes_the_same_bytes_as_an_in_process_render(tmp_path: Path) -> None:
    text = json.dumps(_SPEC, sort_keys=True)
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    draw(text, tmp_path / "here", "c", png=True)
    worker = RenderWorker()
    try:
        worker.submit(text, tmp_path / "there", "c", png=True).result(timeout=120)
        bad = worker.submit("{not json", tmp_path / "there", "bad")
        with pytest.raises(RuntimeError):
            bad.result(timeout=120)
    finally:
        worker.close()
    for suffix in (".svg", ".png"):
        assert (tmp_path / "here" / f"c{suffix}").read_bytes() == (tmp_path / "there" / f"c{suffix}").read_bytes()



def test_a_worker_never_given_a_chart_is_ended_at_once_and_a_used_one_finishes_its_work(tmp_path: Path) -> None:
    """A run that stops before its first chart (a bad path) must not wait for the engine to warm up: the idle
    worker is killed. A worker that was given charts is asked to finish, so it exits cleanly (status 0)."""
    idle = RenderWorker()
    idle.close()
    assert idle._proc.returncode is not None and idle._proc.returncode < 0  # ended by a signal, not waited for
    used = RenderWorker()
    used.submit(json.dumps(_SPEC, sort_keys=True), tmp_path, "c").result(timeout=120)
    used.close()
    assert used._proc.returncode == 0
    assert (tmp_path / "c.svg").read_text(encoding="utf-8").startswith("<svg")


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (imports are per process)."""
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, timeout=120)
    return set(out.stdout.split())


def test_the_chart_engine_can_start_before_the_heavy_imports() -> None:
    """The renderer is started first so Vega warms up while the rest imports; that only helps if reaching it
    imports none of the heavy parts (DuckDB, pydantic, the tools), and if the pipeline module defers them."""
    worker = _modules_after("import sgr.autoviz.tools.render_worker")
    assert not {"duckdb", "pydantic", "sgr.autoviz.tools.base", "sgr.autoviz.models"} & worker
    pipeline = _modules_after("import sgr.autoviz.pipeline")
    assert not {"duckdb", "sgr.autoviz.agent", "sgr.autoviz.models"} & pipeline
    # and the names the package exports still resolve, on first use
    tools = _modules_after("from sgr.autoviz.tools import REGISTRY, ExecContext\nassert REGISTRY.names()")
    assert {"sgr.autoviz.tools.registry", "sgr.autoviz.tools.base"} <= tools


@pytest.mark.parametrize(("argv", "starts"), [
    (["sgr", "autoviz", "run", "data.csv", "a question"], True),
    (["sgr", "autoviz", "run", "--help"], False),
    (["sgr", "autoviz", "profile", "data.csv"], False),
    (["sgr", "discount", "offer", "c1", "hello"], False),
    (["sgr"], False),
])
def test_sgr_autoviz_run_starts_the_chart_engine_before_parsing(argv: list[str], starts: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from sgr import cli
    from sgr.autoviz.tools import render_worker

    started: list[bool] = []
    monkeypatch.setattr(render_worker, "shared_renderer", lambda: started.append(True))
    cli._start_chart_engine_early(argv)
    assert bool(started) is starts


# -- folding after aggregation ---------------------------------------------------------------------


def _folded_by_definition(table: Any, x: str, color: str, metric: str, keep: int, where: str = "") -> dict:
    """Per (x, colour label): the metric over the rows, with colours outside the top `keep` by |metric|
    (ranked over the whole table, as the tools rank) labelled Other, computed straight from the rows."""
    g = f'"{color}"::VARCHAR'
    label = (f"CASE WHEN {g} IN (SELECT k FROM (SELECT {g} AS k, {metric} AS v FROM data GROUP BY 1 "
             f"ORDER BY abs(v) DESC NULLS LAST, k LIMIT {keep})) THEN {g} ELSE 'Other' END")
    rows = table.con.execute(f'SELECT "{x}"::VARCHAR, {label}, {metric} FROM data {where} GROUP BY 1, 2').fetchall()
    return {(a, b): c for a, b, c in rows}


@pytest.mark.parametrize("agg", ["sum", "count", "min", "max", "mean"])
def test_folded_colours_aggregate_like_the_rows_do(tmp_path: Path, agg: str) -> None:
    """The spec chart and the stacked bar fold 30 segments into the largest 16/8 and Other; grouping by the
    raw columns first (sum, count, min, max) must give the numbers an aggregation over the rows gives."""
    table = load_table(_write_csv(tmp_path / "s.csv", 3000))
    ctx = _ctx(table, tmp_path)
    sql_agg = {"mean": "avg", "count": "count"}.get(agg, agg)
    metric = "count(revenue)" if agg == "count" else f"{sql_agg}(revenue)"
    spec = run_tool("spec_chart", {"mark": "bar", "x": "region", "y": "revenue", "agg": agg, "color": "segment",
                                   "filters": [{"column": "revenue", "op": ">", "value": 100}]}, ctx, step_id="s")
    want = _folded_by_definition(table, "region", "segment", metric, 16, "WHERE revenue > 100 AND region IS NOT NULL")
    got = {(r["x"], r["grp"]): r["value"] for r in spec.rows}
    assert "Other" in {k[1] for k in got}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-9)
    bars = run_tool("bar_chart", {"x": "region", "y": "revenue", "agg": agg, "group": "segment",
                                  "mode": "stacked"}, ctx, step_id="b")
    want = _folded_by_definition(table, "region", "segment", metric, 8)
    got = {(r["x"], r["grp"]): r["value"] for r in bars.rows}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-9)


def test_text_min_and_max_match_duckdb_for_counted_and_scanned_columns(tmp_path: Path) -> None:
    """Text bounds come from the value counts (categories) or a narrow scan (ids); either way they must be
    what DuckDB's min/max say, accents and case included."""
    words = ["Zoo", "zebra", "Ärzte", "éclair", "apple", "Apple", "ünter", "b"]
    lines = ["kind,code,amount"] + [f"{words[i % len(words)]},C-{i:05d}-é,{i * 1.5}" for i in range(400)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = load_table(path)
    profile = profile_table(table)
    roles = {c.name: c.role for c in profile.columns}
    assert roles["kind"] == "categorical" and roles["code"] != "categorical"  # one counted, one scanned
    for col in ("kind", "code"):
        lo, hi = table.con.execute(f'SELECT min("{col}"), max("{col}") FROM data').fetchone()
        got = next(c for c in profile.columns if c.name == col)
        assert (got.min, got.max) == (lo, hi)


@pytest.mark.parametrize("agg", ["sum", "count", "max"])
def test_line_totals_from_the_step_table_equal_a_rescan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        agg: str) -> None:
    """A multi-series line chart's per-period totals (its caption and facts) come from the step's own rows
    when the aggregation combines; they must be what a fresh scan of the table gives."""
    table = load_table(_write_csv(tmp_path / "s.csv", 2000))
    params = {"x": "day", "y": "revenue", "agg": agg, "group": "segment"}
    fast = run_tool("line_chart", params, _ctx(table, tmp_path), step_id="fast")
    monkeypatch.setattr(charts_mod, "combined", lambda agg, sql: None)
    (tmp_path / "slow").mkdir()
    slow = run_tool("line_chart", params, _ctx(table, tmp_path / "slow"), step_id="slow")
    assert fast.facts == slow.facts and fast.chart.caption == slow.chart.caption
    assert "Other" in {r["grp"] for r in fast.rows}  # 30 segments: folded, so the pre-aggregated path ran
