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

from pathlib import Path
from typing import TYPE_CHECKING

from sgr.autoviz.errors import UsageError
from sgr.autoviz.result import RunResult
from sgr.autoviz.run_folder import default_run_dir
from sgr.autoviz.stages import STAGES, Progress

if TYPE_CHECKING:
    from sgr.autoviz.data import Table
    from sgr.core.config import Settings
    from sgr.core.session import Session

__all__ = ["STAGES", "Progress", "RunResult", "UsageError", "default_run_dir", "run_autoviz"]


def run_autoviz(data: str | Path | Table, question: str, *, settings: Settings, model: str | None = None,
                out_dir: Path | None = None, seed: int = 0, progress: Progress | None = None,
                draw: bool = True, png: bool = False, session: Session | None = None) -> RunResult:
    """Run the whole pipeline and write the run folder (`draw=False`: chart specs without images; charts are
    SVG, and `png=True` writes a PNG of each as well).

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
    if draw:
        # Start the chart engine before the pipeline is imported: Vega's ~0.5 s start then runs on another core
        # while this process imports (a quarter of a second) and loads the data, instead of after them.
        from sgr.autoviz.tools.render_worker import shared_renderer

        shared_renderer()
    from sgr.autoviz.agent import AutoViz, check_question
    from sgr.core.session import Session

    question = check_question(question)
    if session is None:
        with Session.open(settings, model) as own:
            return AutoViz(own, seed=seed, draw=draw, png=png).run(data, question, out_dir=out_dir,
                                                                   progress=progress)
    return AutoViz(session, seed=seed, draw=draw, png=png).run(data, question, out_dir=out_dir, progress=progress)
