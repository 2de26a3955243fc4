"""AutoViz understanding benchmark: is chart 1 exactly the chart the question asked for?

For every question of the labelled phrasing corpus (`benchmarks/corpus`: our own tables and questions,
never nvBench/VisEval), this runs AutoViz offline, reads the first chart's drawn data from its Vega-Lite
spec, and compares it with the labelled chart recomputed from the CSV by plain DuckDB SQL
(`benchmarks/corpus/reference.py`, which imports nothing from `sgr`). Reported, overall, by split and by
category:

- type: chart 1's mark is the labelled mark (bar / stacked / grouped counted apart);
- encoding: x, y, aggregation, colour, bin and sort all equal the label;
- data: chart 1's rows equal the recomputed rows (order too when the label sorts);
- false partial: an answerable question answered "cannot be answered" (exit 6);
- true partial: an unanswerable question answered partial, as it must be.

Usage:
    .venv/bin/python -m benchmarks.autoviz_understanding
        [--split heldout|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|fresh7|fresh8|fresh9|fresh10|fresh11]
        [--limit N] [--json out.json]

Splits: `tune` phrasings were used to improve the parser; `heldout` ones were kept out of that until they
were inspected in a later round; `fresh` phrasings were written after that and never inspected until a
later round tuned on them; `fresh2` phrasings were written from scratch for that round, by someone who had
not read the parser, and stayed uninspected until the next round tuned on them; `fresh3` phrasings were
written from scratch for that next round, again by someone who had not read the parser, and stayed
uninspected until the round after tuned on them; `fresh4` phrasings were written from scratch for that round
by someone who had not read the parser (nor run AutoViz on them), partly on tables added for it, and stayed
uninspected until round 6 tuned on them; `fresh5` phrasings were written from scratch for round 6 the same
way, partly on six more tables added for it, and stayed uninspected until round 7 read them; `fresh6`
phrasings were written from scratch for round 7 the same way, partly on six more tables added for it, and
stayed uninspected until round 8 read them; `fresh7` phrasings were written for round 8 the same way, partly
on six more tables added for it, and stayed uninspected until round 9 read them; `fresh8` phrasings were
written for round 9 the same way, partly on six more tables added for it, and stayed uninspected until round
10 read them; `fresh9` phrasings were written for round 10 the same way, partly on six more tables added for
it, and stayed uninspected until round 11 read them; `fresh10` phrasings were written for round 11 the same way,
partly on six more tables added for it, and stayed uninspected until round 12 read them (fresh2 to fresh10 are
now tuning splits, part of "all"); `fresh11` phrasings were written from scratch for round 12 by someone who had
not read the parser (nor run AutoViz on them), partly on six more tables added for it, and are never inspected
while changing it: read their scores, not their questions ("all" leaves them out, and --failures never lists a
fresh11 question, not even with --split fresh11).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.corpus import build_cases
from benchmarks.corpus.reference import canon_x, compare, expected_rows

_MARK_FAMILY = {"stacked_bar": "bar", "grouped_bar": "bar"}


def _settings() -> Any:
    from sgr.core.config import parse_settings

    return parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")


def _encoding(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec's encoding, or its first layer's (box plots and heatmaps are layered)."""
    own = spec.get("encoding", {})
    if "x" in own or "theta" in own:
        return own
    merged: dict[str, Any] = dict(spec.get("encoding", {}))
    for layer in spec.get("layer", []):
        for k, v in layer.get("encoding", {}).items():
            merged.setdefault(k, v)
    return merged


def drawn_rows(spec: dict[str, Any], label: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Chart 1's data as (x, y) or (x, colour, y) tuples, read through the spec's own encoding."""
    enc = _encoding(spec)
    values = spec.get("data", {}).get("values", [])
    if "theta" in enc:  # pie: slices are the colour field, sizes the theta field
        xf, yf, cf = enc["color"]["field"], enc["theta"]["field"], None
    else:
        xf = enc.get("x", {}).get("field")
        yf = enc.get("y", {}).get("field")
        cf = enc.get("color", {}).get("field") if isinstance(enc.get("color"), dict) else None
        if cf in (xf, yf, "value"):
            cf = None
    rows: list[tuple[Any, ...]] = []
    for v in values:
        x = canon_x(v.get(xf), label.get("bin"))
        y = v.get(yf)
        if label.get("aggregation") == "none":
            rows.append((x, y, v.get(cf)) if label.get("color") and cf else (x, y))
        else:
            rows.append((x, v.get(cf), y) if label.get("color") and cf else (x, y))
    return rows


def _expected(con: duckdb.DuckDBPyConnection, label: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = expected_rows(con, "t", label)
    if label["mark"] in ("histogram", "box"):
        return rows
    return [(canon_x(r[0], label.get("bin")), *r[1:]) for r in rows]


def _sort_said(label: dict[str, Any]) -> str | None:
    s = label.get("sort")
    return f"{s['channel']} {s['order']}" if s else None


def score_case(case: Any, out_root: Path, settings: Any) -> dict[str, Any]:
    """Run one question and score its first chart against the label."""
    from sgr.autoviz.pipeline import run_autoviz
    from sgr.core.errors import SGRError

    rec: dict[str, Any] = {"id": case.id, "category": case.category, "split": case.split, "table": case.table,
                           "question": case.question, "answerable": case.answerable}
    started = time.perf_counter()
    try:
        try:
            res = run_autoviz(Path(case.path), case.question, settings=settings, out_dir=out_root / case.id,
                              draw=False)
        except TypeError:  # an older pipeline without draw=: same run, with images
            res = run_autoviz(Path(case.path), case.question, settings=settings, out_dir=out_root / case.id)
    except SGRError as err:
        rec.update(status="error", error=str(err).splitlines()[0][:200])
        return rec
    finally:
        rec["seconds"] = round(time.perf_counter() - started, 3)
    rec["status"] = res.status
    rec["partial"] = res.status == "partial"
    rec["unmatched"] = list(res.requirements.unmatched_terms)
    label = case.label
    if not case.answerable or label is None:
        return rec
    if not res.charts:
        rec.update(type_ok=False, encoding_ok=False, data_ok=False)
        return rec
    first = res.charts[0]
    rec["first"] = {k: first.get(k) for k in ("kind", "x", "y", "aggregation", "group", "sort", "bin", "filters",
                                              "limit")}
    mark = first.get("kind")
    rec["type_ok"] = mark == label["mark"]
    rec["type_family_ok"] = _MARK_FAMILY.get(mark, mark) == _MARK_FAMILY.get(label["mark"], label["mark"])
    y_first = first.get("y")
    agg_first = first.get("aggregation") or ("none" if mark == "scatter" else None)
    if label["mark"] in ("box", "histogram"):
        agg_first = label["aggregation"]  # a box draws quartiles of raw values, a histogram counts: no choice
    rec["encoding_ok"] = (rec["type_family_ok"] and first.get("x") == label["x"]
                          and (y_first == label["y"] or label["mark"] == "histogram")
                          and agg_first == label["aggregation"] and first.get("group") == label.get("color")
                          and (first.get("bin") == label.get("bin") or label.get("bin") is None)
                          and (first.get("sort") == _sort_said(label) or label.get("sort") is None))
    spec = json.loads((res.run_dir / first["spec_file"]).read_text(encoding="utf-8"))
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{case.path}', auto_detect=true)")
        expected = _expected(con, label)
    finally:
        con.close()
    if label["mark"] == "histogram":
        total = sum(int(v.get("count", 0)) for v in spec.get("data", {}).get("values", []))
        rec["data_ok"] = first.get("x") == label["x"] and total == len(expected)
    elif label["mark"] == "box":
        groups = {str(v.get("grp")) for v in spec.get("data", {}).get("values", [])}
        rec["data_ok"] = first.get("x") == label["x"] and first.get("y") == label["y"] and groups == {
            str(r[0]) for r in expected}
    else:
        got = drawn_rows(spec, label)
        rec["data_ok"] = compare(expected, got, ordered=label.get("sort") is not None)
        if not rec["data_ok"]:
            rec["expected_head"] = [list(map(str, r)) for r in expected[:4]]
            rec["got_head"] = [list(map(str, r)) for r in got[:4]]
    return rec


def summarize(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Rates overall and per group; each rate says how many cases it is over."""
    recs = list(records)

    def rates(rs: list[dict[str, Any]]) -> dict[str, Any]:
        ans = [r for r in rs if r["answerable"]]
        una = [r for r in rs if not r["answerable"]]
        def share(key: str) -> float:
            return round(sum(1 for r in ans if r.get(key)) / len(ans), 4) if ans else 0.0
        return {"n": len(rs), "answerable": len(ans), "type": share("type_ok"), "type_family": share("type_family_ok"),
                "encoding": share("encoding_ok"), "data": share("data_ok"),
                "false_partial": round(sum(1 for r in ans if r.get("partial")) / len(ans), 4) if ans else 0.0,
                "errors": sum(1 for r in rs if r.get("status") == "error"),
                "true_partial": round(sum(1 for r in una if r.get("partial")) / len(una), 4) if una else None}

    out: dict[str, Any] = {"overall": rates(recs), "by_split": {}, "by_category": {}}
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {"by_split": defaultdict(list),
                                                          "by_category": defaultdict(list)}
    for r in recs:
        groups["by_split"][r["split"]].append(r)
        groups["by_category"][r["category"]].append(r)
    for key, g in groups.items():
        out[key] = {k: rates(v) for k, v in sorted(g.items())}
    return out


def run(split: str = "all", limit: int | None = None, category: str | None = None,
        progress: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Build the corpus in a temp folder, run every selected case, and return (summary, records)."""
    settings = _settings()
    with tempfile.TemporaryDirectory(prefix="sgr-understanding-") as tmp:
        root = Path(tmp)
        # "all" leaves out fresh11: the clean measure of this round runs only when asked for by name
        cases = [c for c in build_cases(root / "tables")
                 if (split == c.split or (split == "all" and c.split != "fresh11"))
                 and (category is None or c.category == category)]
        if limit:
            step = max(1, len(cases) // limit)
            cases = cases[::step][:limit]
        records = []
        for i, case in enumerate(cases, 1):
            records.append(score_case(case, root / "runs", settings))
            if progress and (i % 25 == 0 or i == len(cases)):
                print(f"  {i}/{len(cases)} questions", file=sys.stderr, flush=True)
    return summarize(records), records


def _table(summary: dict[str, Any]) -> str:
    head = "| group | n | type | type (bar family) | encoding | data | false partial | true partial | errors |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]

    def row(name: str, r: dict[str, Any]) -> str:
        tp = "-" if r["true_partial"] is None else f"{r['true_partial']:.0%}"
        return (f"| {name} | {r['n']} | {r['type']:.1%} | {r['type_family']:.1%} | {r['encoding']:.1%} | "
                f"{r['data']:.1%} | {r['false_partial']:.1%} | {tp} | {r['errors']} |")

    lines.append(row("**all**", summary["overall"]))
    for k, r in summary["by_split"].items():
        lines.append(row(f"split: {k}", r))
    for k, r in summary["by_category"].items():
        lines.append(row(k, r))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split",
                    choices=("all", "tune", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6",
                             "fresh7", "fresh8", "fresh9", "fresh10", "fresh11"),
                    default="all",
                    help="which questions; 'all' is every split except fresh11, the clean measure of this round "
                         "(fresh2 to fresh10 are tuning splits now and are included)")
    ap.add_argument("--limit", type=int, default=None, help="an evenly spaced sample of N questions")
    ap.add_argument("--category", default=None, help="only this category")
    ap.add_argument("--json", type=Path, default=None, help="write summary and per-question records here")
    ap.add_argument("--failures", type=int, default=0,
                    help="print up to N failed questions (never a fresh11 one, whatever --split says)")
    args = ap.parse_args(argv)
    summary, records = run(args.split, args.limit, args.category)
    print(_table(summary))
    if args.failures:
        bad = [r for r in records if ((r["answerable"] and not r.get("data_ok")) or
               (not r["answerable"] and not r.get("partial"))) and r["split"] != "fresh11"]
        for r in bad[:args.failures]:
            print(json.dumps({k: r.get(k) for k in ("id", "category", "question", "status", "unmatched", "first",
                                                     "expected_head", "got_head", "error")}, default=str))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "records": records}, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
