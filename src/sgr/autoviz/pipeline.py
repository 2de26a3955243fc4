"""The AutoViz pipeline: a table and a question in, a run folder with a report and full provenance out.

`run_autoviz` composes the verbs of `sgr.autoviz.agent.AutoViz` (profile -> understand -> plan -> execute ->
report) over one `Session`, with the run folder (`sgr.autoviz.run_folder.RunFolder`) and the progress
callback subscribed to the session's events. Stages (each recorded in logs/stages.json): load -> profile ->
classify intent -> extract requirements -> select template -> adapt plan -> resolve parameters -> validate
and check coverage -> execute -> summarize.

Determinism (a deviation from the interface text, on purpose): run id, timestamps *and every duration*
(stage, tool call, LLM latency) live only in run.json, so two runs of the same data + question + seed
produce byte-identical folders except run.json.

Exit codes (RunResult.exit_code; errors carry their own): 0 answered, 6 partial (the question names
columns the data lacks; the report says so and shows a labelled general view), 5 bad data (DataError),
1 plan error, 2 usage/config, 3 model unavailable and 4 no valid model answer (with on_failure=raise).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sgr.autoviz.agent import AutoViz, check_question
from sgr.autoviz.errors import UsageError
from sgr.autoviz.result import RunResult
from sgr.autoviz.run_folder import RunFolder, default_run_dir
from sgr.autoviz.stages import STAGES, Progress, follow
from sgr.core.config import Settings
from sgr.core.events import correlate
from sgr.core.session import Session

if TYPE_CHECKING:
    from sgr.autoviz.data import Table

__all__ = ["STAGES", "Progress", "RunResult", "UsageError", "default_run_dir", "run_autoviz"]


def run_autoviz(data: str | Path | Table, question: str, *, settings: Settings, model: str | None = None,
                out_dir: Path | None = None, seed: int = 0, progress: Progress | None = None,
                draw: bool = True, session: Session | None = None) -> RunResult:
    """Run the whole pipeline and write the run folder (`draw=False`: chart specs without images).

    `session` reuses an open session (its settings and model entry win over `settings`/`model`);
    otherwise one is opened for this run and closed after it.

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
    question = check_question(question)
    if session is None:
        with Session.open(settings, model) as own:
            return run_autoviz(data, question, settings=settings, out_dir=out_dir, seed=seed, progress=progress,
                               draw=draw, session=own)
    agent = AutoViz(session, seed=seed, draw=draw)
    run_id = uuid.uuid4().hex[:12]
    folder = RunFolder(correlation=f"autoviz:{run_id}", run_id=run_id)
    unsubscribe = [folder.attach(session.bus), follow(session.bus, progress)]
    profiled = None
    try:
        with correlate(folder.correlation):  # this run's events and LLM calls, in `sgr logs` too
            profiled = agent.profile(data)
            run_dir = Path(out_dir) if out_dir else default_run_dir(profiled.source, question, seed)
            folder.open(run_dir)
            understood = agent.understand(profiled, question)
            planned = agent.plan(understood)
            executed = agent.execute(planned, run_dir)
            return agent.report(executed)
    finally:
        try:
            if profiled is not None:
                folder.close(data=profiled.source, question=question, seed=seed, model=session.entry.name,
                             backend=session.entry.backend)
        finally:
            for stop in unsubscribe:
                stop()
