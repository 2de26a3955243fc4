"""The run folder's layout, written by a subscriber of the run's events.

Run folder: report.md, report.html, charts/, plans/ (question, template, adapted, diff, resolved, coverage),
logs/ (tool_calls.jsonl, execution.log, llm_exchanges.jsonl, stages.json) and run.json. The report and
logs/tool_calls.jsonl, execution.log and charts/ are written by the verbs that make them (report, execute);
everything else here, from the stage and step events of one run (filtered by its correlation id).

Determinism: run id, timestamps *and every duration* (stage, tool call, LLM latency) live only in run.json,
so two runs of the same data + question + seed produce byte-identical folders except run.json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sgr.autoviz.errors import UsageError
from sgr.core.events import Event, EventBus
from sgr.core.trace import Trace

_RUN_PARTS = ("report.md", "report.html", "run.json", "charts", "plans", "logs")


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


def prepare_dir(run_dir: Path) -> None:
    """Empty what an earlier run wrote (nothing else) and create charts/, plans/, logs/.

    Raises UsageError when the path is a file, or a non-empty folder that holds no earlier run.
    """
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


def dump(path: Path, obj: Any) -> None:
    """Stable JSON: sorted keys, two-space indent, a final newline."""
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def trace_line(trace: Trace, latencies: dict[str, float]) -> str:
    """One llm_exchanges line; latencies move to run.json so the log is byte-stable."""
    data = trace.to_dict()
    latencies[trace.step] = data.pop("latency_s", 0.0)
    for a in data.get("attempts", []):
        a.pop("latency_s", None)
    return json.dumps(data, sort_keys=True, default=str)


def diff_markdown(template: Any, adapted: Any, adaptation: Any, extra: list[Any]) -> str:
    """plans/diff.md: each change with its rationale, and the step ids before and after."""
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


def analysis_record(analysis: Any) -> dict[str, Any]:
    """plans/question.json: how the question was read (mentions and how each matched, the chart asked)."""
    from sgr.autoviz.question import describe_chart

    return {"asked": analysis.asked, "question": analysis.question, "matcher": analysis.matcher,
            "entity": analysis.entity,
            "mentions": [m.model_dump() for m in analysis.mentions], "unmatched": analysis.unmatched,
            "unrecognized": analysis.unrecognized,
            "aggregation": analysis.aggregation, "aggregation_words": analysis.aggregation_words,
            "filters": [f.text() for f in analysis.filters], "negations": analysis.negations,
            "top_k": analysis.top_k, "bin": analysis.bin, "mark": analysis.mark,
            "chart": describe_chart(analysis.chart) if analysis.chart else None,
            "chart_reasons": analysis.chart.reasons if analysis.chart else []}


@dataclass
class RunFolder:
    """Subscriber that lays out one run's folder from its events.

    Subscribe it (`attach`) before the first verb so it hears every stage; `open` prepares the folder
    once the data is known to be chartable; `close` writes logs/llm_exchanges.jsonl, logs/stages.json and
    run.json (only if the folder was opened: a run that failed on its data leaves nothing behind).
    """

    correlation: str
    run_id: str
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    run_dir: Path | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)
    traces: list[str] = field(default_factory=list)
    latencies: dict[str, float] = field(default_factory=dict)
    tool_timings: dict[str, float] = field(default_factory=dict)

    def attach(self, bus: EventBus) -> Any:
        """Subscribe to `bus`; returns the unsubscribe function."""
        return bus.subscribe(self, "stage_started", "stage_finished", "llm_response", "fallback")

    def open(self, run_dir: Path) -> None:
        """Prepare `run_dir` (UsageError when it cannot hold a run); later events write into it."""
        prepare_dir(run_dir)
        self.run_dir = run_dir

    def __call__(self, event: Event) -> None:
        if event.correlation != self.correlation:
            return  # another run's event on a shared bus
        if event.kind in ("llm_response", "fallback"):
            if event.data.get("error") is None:  # a step that raised left no answer in the run
                self.traces.append(trace_line(event.data["trace"], self.latencies))
        elif event.kind == "stage_started":
            if "analysis" in event.data and self.run_dir is not None:
                dump(self.run_dir / "plans" / "question.json", analysis_record(event.data["analysis"]))
        elif event.kind == "stage_finished":
            self.stages.append({"stage": event.name, "status": event.data["status"],
                                "summary": event.data["summary"]})
            self.durations[event.name] = event.data["duration_s"]
            writer = getattr(self, f"_on_{event.name}", None)
            if writer is not None and event.data["results"] and self.run_dir is not None:
                writer(self.run_dir, event.data["results"])

    @staticmethod
    def _on_select_template(run_dir: Path, r: dict[str, Any]) -> None:
        dump(run_dir / "plans" / "template.json", {
            "selected": r["template"].id, "intent": r["intent"],
            "scores": [s.model_dump() for s in r["scores"]], "plan": r["template_plan"].model_dump()})

    @staticmethod
    def _on_check_coverage(run_dir: Path, r: dict[str, Any]) -> None:
        adaptation, extra, template_plan, adapted = r["adaptation"], r["extra"], r["template_plan"], r["adapted"]
        dump(run_dir / "plans" / "adapted.json", adapted.model_dump())
        dump(run_dir / "plans" / "diff.json", {
            "source": adaptation.source, "reasoning": adaptation.reasoning,
            "changes": [c.model_dump() for c in adaptation.changes],
            "coverage_fix": [c.model_dump() for c in extra],
            "before": [s.id for s in template_plan.steps], "after": [s.id for s in adapted.steps]})
        (run_dir / "plans" / "diff.md").write_text(diff_markdown(template_plan, adapted, adaptation, extra),
                                                   encoding="utf-8")
        dump(run_dir / "plans" / "resolved.json", {"plan": r["resolved"].model_dump(),
                                                   "bindings": r["bindings"].to_dict(), "resolution_log": r["log"]})
        dump(run_dir / "plans" / "coverage.json", r["coverage"].to_dict())

    def _on_execute(self, run_dir: Path, r: dict[str, Any]) -> None:
        self.tool_timings = dict(r["timings"])

    def close(self, *, data: Path, question: str, seed: int, model: str, backend: str) -> None:
        """Write the logs every run keeps, and run.json (ids, times, durations), if the folder was opened."""
        if self.run_dir is None:
            return
        logs = self.run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        (logs / "llm_exchanges.jsonl").write_text("".join(t + "\n" for t in self.traces), encoding="utf-8")
        dump(logs / "stages.json", self.stages)
        dump(self.run_dir / "run.json", {
            "run_id": self.run_id, "started_at": self.started_at.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(), "data": str(data),
            "question": question, "seed": seed, "model": model, "backend": backend,
            "timings": {"stages": self.durations, "llm": self.latencies, "tools": self.tool_timings}})
