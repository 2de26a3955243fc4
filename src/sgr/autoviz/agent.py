"""AutoViz as a facade of verbs over one session: profile -> understand -> plan -> execute -> report.

Each verb takes the previous verb's typed result and returns its own; the facade keeps no state between
verbs (it holds the session and the run's options only), so any verb can be re-run, tested or replaced on
its own. Where each decision is made:

- `profile`: load the table, profile it, refuse data with nothing to chart (DataError);
- `understand`: read the question once, **decide the intent** (IntentStep) and extract the requirements;
- `plan`: select the template, adapt it (AdaptStep), resolve parameters, enforce coverage (PlanError);
- `execute`: run the plan's tools into a folder (charts/, logs/tool_calls.jsonl, logs/execution.log);
- `report`: write report.md/.html with the notices, and pick the status and exit code.

Every stage publishes `stage_started`/`stage_finished` on the session's bus (see `sgr.autoviz.stages`); the
run folder (`sgr.autoviz.run_folder.RunFolder`) and progress displays subscribe. `run_autoviz` composes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgr.autoviz import coverage
from sgr.autoviz.adapt import Adaptation, AdaptContext, AdaptStep, adapt_by_rules, apply_changes
from sgr.autoviz.errors import DataError, PlanError, UsageError
from sgr.autoviz.execute import Execution, execute_plan
from sgr.autoviz.first_chart import ASKED_STEP_ID, put_asked_first
from sgr.autoviz.models import Plan, PlanChange, Requirements
from sgr.autoviz.report import ReportInput, partial_notice, unrecognized_notice, write_report
from sgr.autoviz.resolve import Bindings, resolve_plan
from sgr.autoviz.result import RunResult
from sgr.autoviz.stages import Progress, follow, stage, stage_progress
from sgr.autoviz.templates import Template, TemplateScore, select_template

if TYPE_CHECKING:
    from sgr.autoviz.data import Table
    from sgr.autoviz.intent import IntentDecision
    from sgr.autoviz.profile import DataProfile
    from sgr.autoviz.question import QuestionAnalysis
    from sgr.core.session import Session


@dataclass(frozen=True)
class Profiled:
    """A loaded, profiled table that has something to chart."""

    table: Table
    source: Path  # the file (for an in-memory table: the name it is reported under)
    profile: DataProfile


@dataclass(frozen=True)
class Understood:
    """The question read once against the data: its analysis, the intent and the requirements."""

    profiled: Profiled
    question: str
    values: dict[str, list[str]]  # each categorical column's values, for value mentions ("only Online")
    analysis: QuestionAnalysis
    intent: IntentDecision
    requirements: Requirements


@dataclass(frozen=True)
class Planned:
    """The executable plan and how it came to be (template, adaptation, coverage fix, resolution)."""

    understood: Understood
    template: Template
    scores: list[TemplateScore]
    template_plan: Plan
    adaptation: Adaptation
    extra: list[PlanChange]  # the coverage fix's changes after the adaptation (empty when none was needed)
    adapted: Plan
    bindings: Bindings
    resolved: Plan
    log: list[dict[str, Any]]
    coverage: coverage.CoverageReport


@dataclass(frozen=True)
class Executed:
    """What running the plan produced, and where."""

    planned: Planned
    run_dir: Path
    execution: Execution


def check_question(question: str | None) -> str:
    """The question stripped; UsageError (exit 2) when there is nothing to ask."""
    text = (question or "").strip()
    if not text:
        raise UsageError("the question is empty; ask something about the data, e.g. \"revenue by region\"")
    return text


def _usable_columns(profile: Any) -> list[str]:
    return [c.name for c in profile.columns
            if not c.all_null and c.role in ("measure", "categorical", "boolean", "temporal")]


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


def _dropped(planned: Planned) -> list[dict[str, str]]:
    """Steps removed because the data cannot feed them (adaptation or resolver), for the report."""
    out = [{"step": c.step_id, "dropped": c.rationale} for c in [*planned.adaptation.changes, *planned.extra]
           if c.op == "remove" and c.rationale.startswith("needs ")]
    out += [{"step": e["step"], "dropped": e["dropped"]} for e in planned.log if "dropped" in e and "param" not in e]
    return out


def _chart_fields(execution: Execution) -> list[dict[str, Any]]:
    return [{"step_id": r.step_id, "file": r.chart.file, "svg_file": r.chart.svg_file,
             "spec_file": r.chart.spec_file, "kind": r.chart.kind, "x": r.chart.x, "y": r.chart.y,
             "aggregation": r.chart.aggregation, "group": r.chart.group, "sort": r.chart.sort,
             "bin": r.chart.bin, "filters": r.chart.filters, "limit": r.chart.limit, "title": r.chart.title,
             "asked": r.step_id == ASKED_STEP_ID}
            for r in execution.charts()]


class AutoViz:
    """The AutoViz agent over one session; `seed`, `draw` and `png` are the run's options, not state.

    Verbs run with the session's bus bound, so their stage and step events reach its subscribers
    whether or not the caller entered the session.
    """

    def __init__(self, session: Session, *, seed: int = 0, draw: bool = True, png: bool = False) -> None:
        self.session = session
        self.seed = seed
        self.draw = draw
        self.png = png

    def run(self, data: str | Path | Table, question: str, *, out_dir: Path | None = None,
            progress: Progress | None = None) -> RunResult:
        """The whole run: profile -> understand (the intent is decided there) -> plan -> execute -> report,
        with the run folder and `progress` subscribed to the session's events for this run only."""
        from sgr.autoviz.run_folder import RunFolder, default_run_dir
        from sgr.core.events import correlate

        question = check_question(question)
        run_id = uuid.uuid4().hex[:12]
        folder = RunFolder(correlation=f"autoviz:{run_id}", run_id=run_id)
        unsubscribe = [folder.attach(self.session.bus), follow(self.session.bus, progress)]
        profiled = None
        try:
            with correlate(folder.correlation):  # this run's events and LLM calls, in `sgr logs` too
                profiled = self.profile(data)
                run_dir = Path(out_dir) if out_dir else default_run_dir(profiled.source, question, self.seed)
                folder.open(run_dir)
                understood = self.understand(profiled, question)
                planned = self.plan(understood)
                executed = self.execute(planned, run_dir)
                return self.report(executed)
        finally:
            try:
                if profiled is not None:
                    folder.close(data=profiled.source, question=question, seed=self.seed,
                                 model=self.session.entry.name, backend=self.session.entry.backend)
            finally:
                for stop in unsubscribe:
                    stop()

    def profile(self, data: str | Path | Table) -> Profiled:
        """Load (unless `data` is a loaded Table) and profile; DataError when nothing can be charted."""
        from sgr.autoviz.data import Table, load_table
        from sgr.autoviz.profile import profile_table
        from sgr.autoviz.tools.render_worker import shared_renderer

        source = data.path if isinstance(data, Table) else Path(data)
        with self.session.bound():
            if self.draw:  # the chart renderer starts now, so its engine warms up while the data loads
                shared_renderer()
            with stage("load") as rec:
                if isinstance(data, Table):  # loaded by the Python API
                    table = data
                else:
                    report = stage_progress("load")
                    table = load_table(source, progress=None if report is None else
                                       lambda share: report(f"{share:.0f}% of {source.name} read"))
                rec.summary = f"{table.n_rows} rows x {len(table.columns)} columns ({table.format})"
            with stage("profile") as rec:
                profile = profile_table(table)
                if not _usable_columns(profile):
                    raise DataError(f"{source.name}: no column can be charted (every column is empty, an "
                                    f"identifier or free text): {', '.join(table.columns[:20])}")
                rec.summary = f"shape {profile.shape}; " + ", ".join(
                    f"{r}: {len(profile.names(r))}" for r in ("measure", "categorical", "temporal"))
        return Profiled(table=table, source=source, profile=profile)

    def understand(self, profiled: Profiled, question: str) -> Understood:
        """Read the question once, then decide the intent and extract the requirements (model or rules)."""
        from sgr.autoviz.intent import IntentContext, IntentStep
        from sgr.autoviz.profile import category_values
        from sgr.autoviz.question import analyze_question
        from sgr.autoviz.requirements import RequirementsContext, RequirementsStep

        question = check_question(question)
        profile, backend, policy = profiled.profile, self.session.backend, self.session.seeded_policy(self.seed)
        with self.session.bound():
            # the question is read once; every stage below reads this analysis (and the full value lists)
            values = category_values(profiled.table, profile)
            analysis = analyze_question(question, profile, values=values,
                                        table_name=profiled.source.name.split(".")[0])
            with stage("classify_intent", analysis=analysis) as rec:
                intent = IntentStep().run(IntentContext(question=question, profile=profile, values=values,
                                                        mapping=analysis.mapping), backend, policy).value
                rec.summary = f"{intent.intent} (confidence {intent.confidence:.2f})"
            with stage("extract_requirements") as rec:
                req: Requirements = RequirementsStep().run(
                    RequirementsContext(question=question, profile=profile, intent=intent.intent, values=values,
                                        analysis=analysis), backend, policy).value
                rec.summary = ", ".join(req.requirement_keys()) or "open question"
                if req.unmatched_terms:
                    rec.summary += f"; unmatched: {', '.join(req.unmatched_terms)}"
                if req.unrecognized_terms:
                    rec.summary += f"; not recognised: {', '.join(req.unrecognized_terms)}"
        return Understood(profiled=profiled, question=question, values=values, analysis=analysis, intent=intent,
                          requirements=req)

    def plan(self, understood: Understood) -> Planned:
        """Template -> adaptation -> resolved parameters -> coverage; PlanError when no chart can be drawn."""
        from sgr.autoviz.tools import REGISTRY

        req, profile = understood.requirements, understood.profiled.profile
        intent = understood.intent.intent
        with self.session.bound():
            with stage("select_template") as rec:
                template, scores = select_template(intent, req, profile)
                template_plan = template.to_plan()
                rec.results = {"template": template, "scores": scores, "template_plan": template_plan,
                               "intent": intent}
                rec.summary = f"{template.id} (score {max(s.score for s in scores):g})"
            with stage("adapt_plan") as rec:
                actx = AdaptContext(question=understood.question, plan=template_plan, requirements=req,
                                    profile=profile, tools=REGISTRY.names())
                adaptation = AdaptStep().run(actx, self.session.backend, self.session.seeded_policy(self.seed)).value
                adapted = apply_changes(template_plan, adaptation.changes)
                rec.summary = f"{len(adaptation.changes)} change(s) by {adaptation.source}"
            with stage("resolve_parameters") as rec:
                bindings = actx.bindings  # compute_bindings(req, profile), computed once by the adaptation
                resolved, log = resolve_plan(adapted, req, profile, bindings=bindings)
                rec.summary = f"{len(resolved.steps)} steps, {sum('value' in e for e in log)} values filled"
            with stage("check_coverage") as rec:
                report = coverage.check(resolved, req)
                extra: list[PlanChange] = []
                if not report.ok or not coverage.MIN_CHARTS <= report.charts <= coverage.MAX_CHARTS:
                    fix = adapt_by_rules(adapted, req, profile, bindings, reasoning="coverage fix after adaptation")
                    extra = list(fix.changes)
                    adapted = apply_changes(adapted, extra)
                    resolved, log = resolve_plan(adapted, req, profile, bindings=bindings)
                resolved, first_notes = put_asked_first(resolved, req)
                log += [{"step": ASKED_STEP_ID, "note": n} for n in first_notes]
                report = coverage.check(resolved, req)
                if report.charts == 0:
                    raise PlanError("no chart can be drawn for this question on this data: " + "; ".join(
                        e["dropped"] for e in log if "dropped" in e))
                rec.results = {"template_plan": template_plan, "adaptation": adaptation, "extra": extra,
                               "adapted": adapted, "resolved": resolved, "bindings": bindings, "log": log,
                               "coverage": report}
                rec.summary = (f"{report.charts} charts; " + ("all requirements served" if report.ok
                               else "; ".join(report.problems())))
        return Planned(understood=understood, template=template, scores=scores, template_plan=template_plan,
                       adaptation=adaptation, extra=extra, adapted=adapted, bindings=bindings, resolved=resolved,
                       log=log, coverage=report)

    def execute(self, planned: Planned, out_dir: Path) -> Executed:
        """Run the plan's tools; charts go to `out_dir`/charts, the tool log to `out_dir`/logs."""
        from sgr.autoviz.tools import ExecContext
        from sgr.autoviz.tools.render_worker import shared_renderer

        profiled = planned.understood.profiled
        with self.session.bound(), stage("execute") as rec:
            # charts are drawn by the renderer while the next steps query DuckDB; joined inside execute_plan
            ectx = ExecContext(table=profiled.table, profile=profiled.profile, out_dir=out_dir, seed=self.seed,
                               renderer=shared_renderer() if self.draw else None, draw=self.draw, png=self.png)
            execution = execute_plan(planned.resolved, ectx, log_dir=out_dir / "logs")
            rec.results = {"timings": execution.timings}
            rec.summary = (f"{len(execution.results)} ok, {len(execution.failures)} failed, "
                           f"{len(execution.charts())} charts")
        return Executed(planned=planned, run_dir=out_dir, execution=execution)

    def report(self, executed: Executed) -> RunResult:
        """Write report.md/.html (notices first) and say how the question was answered, with its exit code."""
        planned, execution = executed.planned, executed.execution
        understood = planned.understood
        req, table, profile = understood.requirements, understood.profiled.table, understood.profiled.profile
        with self.session.bound(), stage("summarize") as rec:
            partial = bool(req.unmatched_terms)
            notices = [partial_notice(req.unmatched_terms, table.columns)] if partial else []
            if req.unrecognized_terms and not partial:
                notices.append(unrecognized_notice(req.unrecognized_terms))
            empty_cols, id_cols = _column_notes(profile)
            notices += _uncovered_notes(planned.coverage.uncovered) + empty_cols
            if not execution.charts():
                notices.append("No chart could be drawn; see 'What could not be done'.")
            elif len(execution.charts()) < coverage.MIN_CHARTS:
                notices.append(f"Only {len(execution.charts())} chart(s) could be drawn on this data.")
            write_report(ReportInput(
                question=understood.question, data_name=understood.profiled.source.name,
                status="partial" if partial else "answered", intent=understood.intent.intent,
                intent_reasons=understood.intent.reasons, template_id=planned.template.id, requirements=req,
                profile=profile, results=execution.results, failures=[f.to_dict() for f in execution.failures],
                dropped=_dropped(planned), uncovered=planned.coverage.uncovered,
                load_notes=[*table.load_notes, *id_cols], notices=notices, columns=list(table.columns),
                step_serves={s.id: s.serves for s in planned.resolved.steps},
                step_reasons={s.id: s.rationale for s in planned.resolved.steps},
                asked_step=ASKED_STEP_ID if req.chart is not None else None), executed.run_dir)
            rec.summary = "partial: " + notices[0] if partial else f"{len(execution.charts())} charts"
        charts = _chart_fields(execution)
        status = "partial" if req.unmatched_terms else "answered" if charts else "failed"
        return RunResult(run_dir=executed.run_dir, status=status,
                         exit_code={"answered": 0, "partial": 6}.get(status, 1), intent=understood.intent.intent,
                         template_id=planned.template.id, requirements=req, charts=charts,
                         failures=[f.to_dict() for f in execution.failures], notices=notices)
