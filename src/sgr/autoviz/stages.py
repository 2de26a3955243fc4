"""AutoViz's named stages as events: each stage publishes `stage_started` and `stage_finished` on the bus
(`sgr.core.events.stage`).

Why events: the run folder (logs/stages.json), the CLI's progress display and the web service's job
state all follow the same stages; they subscribe instead of being passed into the pipeline. Durations ride
on `stage_finished` (`duration_s`) and end up in run.json only, so stages.json stays byte-stable.
"""

from __future__ import annotations

from collections.abc import Callable

from sgr.core.events import Event, EventBus, StageRecord, Subscriber, stage, stage_progress

__all__ = ["STAGES", "Progress", "StageRecord", "follow", "progress_subscriber", "stage", "stage_progress"]

STAGES = ("load", "profile", "classify_intent", "extract_requirements", "select_template", "adapt_plan",
          "resolve_parameters", "check_coverage", "execute", "summarize")
#: called as progress(stage, status, summary) with status in {"start", "running", "ok", "failed"}; "running"
#: repeats during a long stage (a big file's load) with how far it got, e.g. "42% of sales.csv read"
Progress = Callable[[str, str, str], None]


def progress_subscriber(progress: Progress) -> Subscriber:
    """Adapt a `Progress` callback (CLI display, web job state) to stage events."""

    def on_event(event: Event) -> None:
        if event.kind == "stage_started":
            progress(event.name, "start", "")
        elif event.kind == "stage_progress":
            progress(event.name, "running", str(event.data.get("summary", "")))
        elif event.kind == "stage_finished":
            progress(event.name, str(event.data["status"]), str(event.data["summary"]))

    return on_event


def follow(bus: EventBus, progress: Progress | None) -> Callable[[], None]:
    """Subscribe `progress` to the stage events of `bus`; returns the unsubscribe (a no-op for None)."""
    if progress is None:
        return lambda: None
    return bus.subscribe(progress_subscriber(progress), "stage_started", "stage_progress", "stage_finished")
