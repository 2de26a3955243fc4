"""The AutoViz pipeline: a table and a question in, a run folder with a report and full provenance out.

Stages (each recorded in logs/stages.json): load -> profile -> classify intent -> extract requirements ->
select template -> adapt plan -> resolve parameters -> validate and check coverage -> execute -> summarize.

Run folder: report.md, report.html, charts/, plans/ (template, adapted, diff, resolved, coverage),
logs/ (tool_calls.jsonl, execution.log, llm_exchanges.jsonl, stages.json) and run.json.

Determinism (a deviation from the interface text, on purpose): run id, timestamps *and every duration*
(stage, tool call, LLM latency) live only in run.json, so two runs of the same data + question + seed
produce byte-identical folders except run.json. tool_calls.jsonl and stages.json therefore carry no
durations; run.json's `timings` has them by stage and by step id.

Exit codes (RunResult.exit_code; errors carry their own): 0 answered, 6 partial (the question names
columns the data lacks; the report says so and shows a labelled general view), 5 bad data (DataError),
1 plan error, 2 usage/config, 3 model unavailable and 4 no valid model answer (with on_failure=raise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgr.autoviz import coverage
from sgr.autoviz.adapt import Adaptation, AdaptContext, AdaptStep, adapt_by_rules, apply_changes
from sgr.autoviz.errors import DataError, PlanError
from sgr.autoviz.execute import execute_plan
from sgr.autoviz.first_chart import ASKED_STEP_ID, put_asked_first
from sgr.autoviz.models import Plan, Requirements
from sgr.autoviz.report import ReportInput, partial_notice, write_report
from sgr.autoviz.resolve import compute_bindings, resolve_plan
from sgr.autoviz.templates import select_template
from sgr.core import calllog
from sgr.core.config import Settings
from sgr.core.errors import SGRError
from sgr.core.trace import Trace

if TYPE_CHECKING:
    from sgr.autoviz.data import Table

STAGES = ("load", "profile", "classify_intent", "extract_requirements", "select_template", "adapt_plan",
          "resolve_parameters", "check_coverage", "execute", "summarize")
_RUN_PARTS = ("report.md", "report.html", "run.json", "charts", "plans", "logs")
#: called as progress(stage, status, summary) with status in {"start", "running", "ok", "failed"}; "running"
#: repeats during a long stage (a big file's load) with how far it got, e.g. "42% of sales.csv read"
Progress = Callable[[str, str, str], None]


class UsageError(SGRError):
    """The call itself is wrong (empty question, output path is a file)."""

    exit_code = 2


@dataclass
class RunResult:
    """What a run produced; `to_json()` is the CLI's --json object."""

    run_dir: Path
    status: str  # "answered" | "partial" | "failed" (no chart could be drawn; the report says why)
    exit_code: int
    intent: str
    template_id: str
    requirements: Requirements
    charts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The one JSON object `sgr autoviz run --json` prints."""
        return {"run_dir": str(self.run_dir), "status": self.status, "exit_code": self.exit_code,
                "intent": self.intent, "template": self.template_id,
                "requirements": self.requirements.model_dump(mode="json"), "charts": self.charts,
                "failures": self.failures, "notices": self.notices,
                "report": {"html": str(self.run_dir / "report.html"), "md": str(self.run_dir / "report.md")}}


class _Stages:
    """Records each named stage (status, summary; duration goes to run.json) and reports progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.records: list[dict[str, Any]] = []
        self.durations: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def run(self, name: str) -> Iterator[dict[str, Any]]:
        rec: dict[str, Any] = {"stage": name, "status": "ok", "summary": ""}
        if self.progress:
            self.progress(name, "start", "")
        started = time.perf_counter()
        try:
            yield rec
        except BaseException as exc:
            rec["status"], rec["summary"] = "failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise
        finally:
            self.durations[name] = round(time.perf_counter() - started, 6)
            self.records.append(rec)
            if self.progress:
                self.progress(name, rec["status"], rec["summary"])


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "run"


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        h.update(str(path).encode())
    return h.hexdigest()


def default_run_dir(data: Path, question: str, seed: int, root: Path = Path("runs")) -> Path:
    """runs/<question slug>-<8 hex of data content + question + seed>: a re-run lands in the same place."""
    digest = hashlib.sha256(f"{_file_digest(data)}\n{question}\n{seed}".encode()).hexdigest()[:8]
    return root / f"{_slug(question)}-{digest}"


def _prepare_dir(run_dir: Path) -> None:
    if run_dir.exists() and not run_dir.is_dir():
        raise UsageError(f"output path {run_dir} exists and is not a folder")
    if run_dir.is_dir() and any(run_dir.iterdir()) and not (run_dir / "run.json").is_file():
        raise UsageError(f"output folder {run_dir} is not empty and holds no earlier run (no run.json); "
                         "choose a new --out folder")
    run_dir.mkdir(parents=True, exist_ok=True)
    for part in _RUN_PARTS:  # only what a previous run wrote; nothing else in the folder is touched
        target = run_dir / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for sub in ("charts", "plans", "logs"):
        (run_dir / sub).mkdir()


def _dump(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def _trace_record(trace: Trace, latencies: dict[str, float]) -> str:
    """One llm_exchanges line; latencies move to run.json so the log is byte-stable."""
    data = trace.to_dict()
    latencies[trace.step] = data.pop("latency_s", 0.0)
    for a in data.get("attempts", []):
        a.pop("latency_s", None)
    return json.dumps(data, sort_keys=True, default=str)


def _diff_markdown(template: Plan, adapted: Plan, adaptation: Adaptation, extra: list[Any]) -> str:
    lines = [f"# Plan changes: {template.template_id}", "",
             f"Adaptation by **{adaptation.source}**: {adaptation.reasoning}", ""]
    for ch in [*adaptation.changes, *extra]:
        target = f"`{ch.step_id}`" + (f" ({ch.tool})" if ch.tool else "")
        lines.append(f"- **{ch.op}** {target}: {ch.rationale}")
    if not adaptation.changes and not extra:
        lines.append("- no changes: the template already serves every requirement")
    lines += ["", f"Steps before: {', '.join(s.id for s in template.steps)}",
              f"Steps after: {', '.join(s.id for s in adapted.steps)}", ""]
    return "\n".join(lines)


def _dropped(adaptation: Adaptation, extra: list[Any], log: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Steps removed because the data cannot feed them (adaptation or resolver), for the report."""
    out = [{"step": c.step_id, "dropped": c.rationale} for c in [*adaptation.changes, *extra]
           if c.op == "remove" and c.rationale.startswith("needs ")]
    out += [{"step": e["step"], "dropped": e["dropped"]} for e in log if "dropped" in e and "param" not in e]
    return out


def _column_notes(profile: Any) -> tuple[list[str], list[str]]:
    """(top-of-report notices, data notes): empty columns are news; identifier columns are housekeeping."""
    empty = [f"Column {c.name!r} has no values (all missing); it is left out." for c in profile.columns
             if c.all_null]
    ids = [f"Column {c.name!r} looks like an identifier ({c.distinct:,} distinct values); it is not charted."
           for c in profile.columns if c.role == "identifier" and not c.all_null]
    return empty, ids


_KEY_WORDS = {"time": "a date/time column", "trend": "a trend over time, which needs a date/time column",
              "correlation": "correlations, which need two numeric measures",
              "compare": "a comparison, which needs a category column and a measure"}


def _uncovered_notes(uncovered: list[str]) -> list[str]:
    """Say at the top when part of the question could not be served, so no chart passes for it silently."""
    out = []
    for key in uncovered:
        kind, _, value = key.partition(":")
        need = _KEY_WORDS.get(value) or _KEY_WORDS.get(kind) or value
        out.append(f"The question asks for {need}, and this data cannot provide it ({key}); "
                   "the charts show what the data does support.")
    return out


def _analysis_record(analysis: Any) -> dict[str, Any]:
    """plans/question.json: how the question was read (mentions and how each matched, the chart asked)."""
    from sgr.autoviz.question import describe_chart

    return {"question": analysis.question, "matcher": analysis.matcher, "entity": analysis.entity,
            "mentions": [m.model_dump() for m in analysis.mentions], "unmatched": analysis.unmatched,
            "aggregation": analysis.aggregation, "aggregation_words": analysis.aggregation_words,
            "filters": [f.text() for f in analysis.filters], "negations": analysis.negations,
            "top_k": analysis.top_k, "bin": analysis.bin, "mark": analysis.mark,
            "chart": describe_chart(analysis.chart) if analysis.chart else None,
            "chart_reasons": analysis.chart.reasons if analysis.chart else []}


def _load_progress(progress: Progress | None, path: Path) -> Callable[[float], None] | None:
    """Turn the loader's percentage into "running" progress of the load stage."""
    if progress is None:
        return None
    return lambda share: progress("load", "running", f"{share:.0f}% of {path.name} read")


def _usable_columns(profile: Any) -> list[str]:
    return [c.name for c in profile.columns
            if not c.all_null and c.role in ("measure", "categorical", "boolean", "temporal")]


def run_autoviz(data: str | Path | Table, question: str, *, settings: Settings, model: str | None = None,
                out_dir: Path | None = None, seed: int = 0, progress: Progress | None = None,
                draw: bool = True) -> RunResult:
    """Run the whole pipeline and write the run folder (`draw=False`: chart specs without images).

    Raises
    ------
    DataError
        The data cannot be read or has nothing to chart (exit 5).
    UsageError, ConfigError
        Empty question, bad output path, unknown model entry (exit 2).
    PlanError
        The plan cannot be executed at all (exit 1).
    BackendUnavailable, RetriesExhausted
        Only when the model entry says on_failure=raise (exit 3 / 4).
    """
    from sgr.autoviz.data import Table, load_table
    from sgr.autoviz.intent import IntentContext, IntentStep
    from sgr.autoviz.profile import category_values, profile_table
    from sgr.autoviz.question import analyze_question
    from sgr.autoviz.requirements import RequirementsContext, RequirementsStep
    from sgr.autoviz.tools import REGISTRY, ExecContext
    from sgr.autoviz.tools.render_worker import shared_renderer
    from sgr.core.llm import get_backend
    from sgr.core.step import policy_from_entry

    question = (question or "").strip()
    if not question:
        raise UsageError("the question is empty; ask something about the data, e.g. \"revenue by region\"")
    entry = settings.entry(model)
    policy = policy_from_entry(entry)
    if entry.seed is not None:
        policy.seed = seed
    started_at = dt.datetime.now(dt.timezone.utc)
    run_id = uuid.uuid4().hex[:12]
    stages = _Stages(progress)
    traces: list[str] = []
    latencies: dict[str, float] = {}
    data_path = data.path if isinstance(data, Table) else Path(data)
    tool_timings: dict[str, float] = {}

    # the chart renderer starts now, so its engine warms up while the data loads (a process of its own)
    renderer = shared_renderer() if draw else None
    with stages.run("load") as rec:
        # a Table: loaded by the Python API
        table = data if isinstance(data, Table) else load_table(data_path, progress=_load_progress(progress,
                                                                                                   data_path))
        rec["summary"] = f"{table.n_rows} rows x {len(table.columns)} columns ({table.format})"
    with stages.run("profile") as rec:
        profile = profile_table(table)
        usable = _usable_columns(profile)
        if not usable:
            raise DataError(f"{data_path.name}: no column can be charted (every column is empty, an identifier "
                            f"or free text): {', '.join(table.columns[:20])}")
        rec["summary"] = f"shape {profile.shape}; " + ", ".join(
            f"{r}: {len(profile.names(r))}" for r in ("measure", "categorical", "temporal"))
    run_dir = Path(out_dir) if out_dir else default_run_dir(data_path, question, seed)
    _prepare_dir(run_dir)
    backend = get_backend(entry)
    # the question is read once; every stage below reads this analysis (and the full value lists)
    values = category_values(table, profile)
    analysis = analyze_question(question, profile, values=values, table_name=data_path.name.split(".")[0])
    _dump(run_dir / "plans" / "question.json", _analysis_record(analysis))
    correlation = calllog.set_correlation(f"autoviz:{run_id}")  # this run's LLM calls, in `sgr logs`
    try:
        with stages.run("classify_intent") as rec:
            res = IntentStep().run(IntentContext(question=question, profile=profile, values=values,
                                                 mapping=analysis.mapping), backend, policy)
            intent = res.value
            traces.append(_trace_record(res.trace, latencies))
            rec["summary"] = f"{intent.intent} (confidence {intent.confidence:.2f})"
        with stages.run("extract_requirements") as rec:
            res_r = RequirementsStep().run(
                RequirementsContext(question=question, profile=profile, intent=intent.intent, values=values,
                                    analysis=analysis), backend, policy)
            req: Requirements = res_r.value
            traces.append(_trace_record(res_r.trace, latencies))
            rec["summary"] = ", ".join(req.requirement_keys()) or "open question"
            if req.unmatched_terms:
                rec["summary"] += f"; unmatched: {', '.join(req.unmatched_terms)}"
        with stages.run("select_template") as rec:
            template, scores = select_template(intent.intent, req, profile)
            template_plan = template.to_plan()
            _dump(run_dir / "plans" / "template.json", {
                "selected": template.id, "intent": intent.intent,
                "scores": [s.model_dump() for s in scores], "plan": template_plan.model_dump()})
            rec["summary"] = f"{template.id} (score {max(s.score for s in scores):g})"
        with stages.run("adapt_plan") as rec:
            actx = AdaptContext(question=question, plan=template_plan, requirements=req, profile=profile,
                                tools=REGISTRY.names())
            res_a = AdaptStep().run(actx, backend, policy)
            adaptation = res_a.value
            traces.append(_trace_record(res_a.trace, latencies))
            adapted = apply_changes(template_plan, adaptation.changes)
            rec["summary"] = f"{len(adaptation.changes)} change(s) by {adaptation.source}"
        with stages.run("resolve_parameters") as rec:
            bindings = compute_bindings(req, profile)
            resolved, log = resolve_plan(adapted, req, profile, bindings=bindings)
            rec["summary"] = f"{len(resolved.steps)} steps, {sum('value' in e for e in log)} values filled"
        with stages.run("check_coverage") as rec:
            report = coverage.check(resolved, req)
            extra: list[Any] = []
            if not report.ok or not coverage.MIN_CHARTS <= report.charts <= coverage.MAX_CHARTS:
                fix = adapt_by_rules(adapted, req, profile, bindings, reasoning="coverage fix after adaptation")
                extra = list(fix.changes)
                adapted = apply_changes(adapted, extra)
                resolved, log = resolve_plan(adapted, req, profile, bindings=bindings)
                report = coverage.check(resolved, req)
            resolved, first_notes = put_asked_first(resolved, req)
            log += [{"step": ASKED_STEP_ID, "note": n} for n in first_notes]
            report = coverage.check(resolved, req)
            if report.charts == 0:
                raise PlanError("no chart can be drawn for this question on this data: " + "; ".join(
                    e["dropped"] for e in log if "dropped" in e))
            _dump(run_dir / "plans" / "adapted.json", adapted.model_dump())
            _dump(run_dir / "plans" / "diff.json", {
                "source": adaptation.source, "reasoning": adaptation.reasoning,
                "changes": [c.model_dump() for c in adaptation.changes],
                "coverage_fix": [c.model_dump() for c in extra],
                "before": [s.id for s in template_plan.steps], "after": [s.id for s in adapted.steps]})
            (run_dir / "plans" / "diff.md").write_text(
                _diff_markdown(template_plan, adapted, adaptation, extra), encoding="utf-8")
            _dump(run_dir / "plans" / "resolved.json", {"plan": resolved.model_dump(), "bindings": bindings.to_dict(),
                                                         "resolution_log": log})
            _dump(run_dir / "plans" / "coverage.json", report.to_dict())
            rec["summary"] = (f"{report.charts} charts; " + ("all requirements served" if report.ok
                              else "; ".join(report.problems())))
        with stages.run("execute") as rec:
            # charts are drawn by the renderer while the next steps query DuckDB; joined inside execute_plan
            ectx = ExecContext(table=table, profile=profile, out_dir=run_dir, seed=seed, renderer=renderer,
                               draw=draw)
            execution = execute_plan(resolved, ectx, log_dir=run_dir / "logs")
            tool_timings = execution.timings
            rec["summary"] = (f"{len(execution.results)} ok, {len(execution.failures)} failed, "
                              f"{len(execution.charts())} charts")
        with stages.run("summarize") as rec:
            partial = bool(req.unmatched_terms)
            notices = [partial_notice(req.unmatched_terms, table.columns)] if partial else []
            empty_cols, id_cols = _column_notes(profile)
            notices += _uncovered_notes(report.uncovered) + empty_cols
            if not execution.charts():
                notices.append("No chart could be drawn; see 'What could not be done'.")
            elif len(execution.charts()) < coverage.MIN_CHARTS:
                notices.append(f"Only {len(execution.charts())} chart(s) could be drawn on this data.")
            write_report(ReportInput(
                question=question, data_name=data_path.name, status="partial" if partial else "answered",
                intent=intent.intent, intent_reasons=intent.reasons, template_id=template.id, requirements=req,
                profile=profile, results=execution.results, failures=[f.to_dict() for f in execution.failures],
                dropped=_dropped(adaptation, extra, log), uncovered=report.uncovered,
                load_notes=[*table.load_notes, *id_cols], notices=notices, columns=list(table.columns),
                step_serves={s.id: s.serves for s in resolved.steps},
                step_reasons={s.id: s.rationale for s in resolved.steps},
                asked_step=ASKED_STEP_ID if req.chart is not None else None), run_dir)
            rec["summary"] = "partial: " + notices[0] if partial else f"{len(execution.charts())} charts"
    finally:
        calllog.reset_correlation(correlation)
        (run_dir / "logs").mkdir(parents=True, exist_ok=True)
        (run_dir / "logs" / "llm_exchanges.jsonl").write_text(
            "".join(t + "\n" for t in traces), encoding="utf-8")
        _dump(run_dir / "logs" / "stages.json", stages.records)
        _dump(run_dir / "run.json", {
            "run_id": run_id, "started_at": started_at.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(), "data": str(data_path),
            "question": question, "seed": seed, "model": entry.name, "backend": entry.backend,
            "timings": {"stages": stages.durations, "llm": latencies,
                        "tools": tool_timings}})
    charts = [{"step_id": r.step_id, "file": r.chart.file, "svg_file": r.chart.svg_file,
               "spec_file": r.chart.spec_file, "kind": r.chart.kind, "x": r.chart.x, "y": r.chart.y,
               "aggregation": r.chart.aggregation, "group": r.chart.group, "sort": r.chart.sort,
               "bin": r.chart.bin, "filters": r.chart.filters, "limit": r.chart.limit, "title": r.chart.title,
               "asked": r.step_id == ASKED_STEP_ID}
              for r in execution.charts()]
    status = "partial" if req.unmatched_terms else "answered" if charts else "failed"
    return RunResult(run_dir=run_dir, status=status, exit_code={"answered": 0, "partial": 6}.get(status, 1),
                     intent=intent.intent, template_id=template.id, requirements=req, charts=charts,
                     failures=[f.to_dict() for f in execution.failures], notices=notices)
