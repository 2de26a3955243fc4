"""AutoViz as verbs over one session: the stages are published in order, subscribers hear the model events,
and the verbs composed by hand lay out the same run folder as `run_autoviz`."""

from __future__ import annotations

import uuid
from pathlib import Path

from sgr.autoviz.agent import AutoViz
from sgr.autoviz.pipeline import STAGES, run_autoviz
from sgr.autoviz.run_folder import RunFolder
from sgr.core.config import parse_settings
from sgr.core.events import Event, correlate
from sgr.core.session import Session
from tests.scripted import ScriptedBackend

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")
QUESTION = "compare revenue across regions"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "run.json"}


def test_a_run_publishes_every_stage_in_order_and_the_model_events(tmp_path: Path) -> None:
    heard: list[Event] = []
    session = Session(SETTINGS, SETTINGS.entry("offline"), backend=ScriptedBackend([]))  # the model is down
    session.bus.subscribe(heard.append)
    with session:
        res = run_autoviz(EXAMPLES / "sales.csv", QUESTION, settings=SETTINGS, out_dir=tmp_path / "run",
                          draw=False, session=session)
    assert res.status == "answered"
    started = [e.name for e in heard if e.kind == "stage_started"]
    finished = [(e.name, e.data["status"]) for e in heard if e.kind == "stage_finished"]
    assert started == list(STAGES)
    assert finished == [(s, "ok") for s in STAGES]
    model = [(e.kind, e.name) for e in heard if e.kind in ("llm_request", "fallback")]
    assert model == [("llm_request", "classify_intent"), ("fallback", "classify_intent"),
                     ("llm_request", "extract_requirements"), ("fallback", "extract_requirements"),
                     ("llm_request", "adapt_plan"), ("fallback", "adapt_plan")]
    assert {e.correlation for e in heard} == {heard[0].correlation}  # one run, one id
    assert sum(e.kind == "tool_call" for e in heard) >= 5


def test_verbs_composed_by_hand_give_the_run_folder_of_run_autoviz(tmp_path: Path) -> None:
    run_autoviz(EXAMPLES / "sales.csv", QUESTION, settings=SETTINGS, out_dir=tmp_path / "a", draw=False)
    with Session.open(SETTINGS) as session:
        agent = AutoViz(session, draw=False)
        folder = RunFolder(correlation="by-hand:" + uuid.uuid4().hex, run_id="by-hand")
        stop = folder.attach(session.bus)
        with correlate(folder.correlation):
            profiled = agent.profile(EXAMPLES / "sales.csv")
            folder.open(tmp_path / "b")
            understood = agent.understand(profiled, QUESTION)
            assert understood.intent.intent == "comparative_analysis"
            planned = agent.plan(understood)
            result = agent.report(agent.execute(planned, tmp_path / "b"))
        folder.close(data=profiled.source, question=QUESTION, seed=0, model="offline", backend="offline")
        stop()
    assert result.status == "answered" and result.charts
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_each_verb_can_be_called_alone_and_keeps_no_state(tmp_path: Path) -> None:
    with Session.open(SETTINGS) as session:
        agent = AutoViz(session, draw=False)
        profiled = agent.profile(EXAMPLES / "sales.csv")
        first = agent.understand(profiled, "revenue trend over time")
        second = agent.understand(profiled, QUESTION)
        assert agent.understand(profiled, "revenue trend over time") == first  # same input, same answer
        assert first.intent.intent != second.intent.intent
