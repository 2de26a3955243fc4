"""The event bus: delivery order, kinds, unsubscribe, a failing subscriber, the current bus, and the call log
as a subscriber of the bus every session (and the default bus) starts with."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from sgr.core import calllog, events
from sgr.core.config import ModelEntry
from sgr.core.events import Event, EventBus, bind, correlate, emit, stage
from sgr.core.llm import get_backend
from sgr.core.session import Session
from sgr.core.step import SGRStep
from tests.scripted import ScriptedBackend


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=0, le=9)


class PickStep(SGRStep[None, Pick]):
    name = "pick"

    def prompt(self, ctx: None) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "pick a digit"}]

    def schema(self, ctx: None) -> type[Pick]:
        return Pick

    def fallback(self, ctx: None) -> Pick:
        return Pick(n=0)


def test_subscribers_hear_events_in_publish_order_and_subscription_order() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(lambda e: heard.append(("a", e.kind, e.name)))
    bus.subscribe(lambda e: heard.append(("b", e.kind, e.name)))
    bus.emit("stage_started", "load")
    bus.emit("stage_finished", "load", status="ok")
    assert heard == [("a", "stage_started", "load"), ("b", "stage_started", "load"),
                     ("a", "stage_finished", "load"), ("b", "stage_finished", "load")]


def test_kinds_filter_and_unsubscribe() -> None:
    bus, heard = EventBus(), []
    stop = bus.subscribe(lambda e: heard.append(e.kind), "fallback")
    bus.emit("llm_request", "pick")
    bus.emit("fallback", "pick")
    stop()
    stop()  # twice is harmless
    bus.emit("fallback", "pick")
    assert heard == ["fallback"]
    assert not bus.has_subscribers("fallback")
    with pytest.raises(ValueError, match="unknown event kind"):
        bus.subscribe(print, "llm_reply")  # type: ignore[arg-type]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    bus, heard = EventBus(), []

    def broken(event: Event) -> None:
        raise RuntimeError("observer bug")

    bus.subscribe(broken)
    bus.subscribe(lambda e: heard.append(e.name))
    with caplog.at_level(logging.ERROR, logger="sgr.core.events"):
        bus.emit("tool_call", "bar_chart")
    assert heard == ["bar_chart"]
    assert "observer bug" in caplog.text


def test_events_are_frozen_and_carry_the_correlation() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(heard.append)
    with correlate("job:1"):
        bus.emit("repair", "pick", attempt=1)
    assert heard[0].correlation == "job:1" and heard[0].data == {"attempt": 1}
    with pytest.raises(AttributeError):
        heard[0].name = "other"  # type: ignore[misc]


def test_bind_makes_a_bus_current_and_restores_the_default() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(lambda e: heard.append(e.name))
    with bind(bus):
        assert events.current_bus() is bus
        emit("stage_started", "inside")
    emit("stage_started", "outside")  # the default bus: nobody here hears it
    assert heard == ["inside"]
    assert events.current_bus() is events.default_bus()


def test_stage_publishes_start_and_finish_with_status_and_summary() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(heard.append)
    with bind(bus):
        with stage("ok_stage") as rec:
            rec.summary, rec.results = "fine", {"x": 1}
        with pytest.raises(KeyError), stage("bad_stage"):
            raise KeyError("boom")
    assert [(e.kind, e.name) for e in heard] == [("stage_started", "ok_stage"), ("stage_finished", "ok_stage"),
                                                 ("stage_started", "bad_stage"), ("stage_finished", "bad_stage")]
    assert heard[1].data["status"] == "ok" and heard[1].data["results"] == {"x": 1}
    assert heard[3].data["status"] == "failed" and heard[3].data["results"] == {}
    assert "boom" in heard[3].data["summary"]


def test_a_step_publishes_request_parse_error_repair_and_response() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(heard.append)
    with bind(bus):
        res = PickStep().run(None, ScriptedBackend(['{"n": 42}', '{"n": 4}']))
    assert res.value.n == 4
    assert [e.kind for e in heard] == ["llm_request", "parse_error", "repair", "llm_response"]
    assert heard[-1].data["trace"] is res.trace and heard[-1].data["value"] == res.value


def test_a_step_that_falls_back_publishes_one_fallback_event() -> None:
    bus, heard = EventBus(), []
    bus.subscribe(heard.append)
    with bind(bus):
        PickStep().run(None, ScriptedBackend([]))  # the model is unreachable: the rules answer
        PickStep().run(None, get_backend(ModelEntry(name="offline", backend="offline")))
    kinds = [e.kind for e in heard]
    assert kinds == ["llm_request", "fallback", "fallback"]
    assert "BackendUnavailable" in heard[1].data["reason"] and heard[2].data["reason"] == "offline backend"


def test_call_log_is_a_subscriber_of_sessions_and_of_the_default_bus(_call_log_in_tmp: Path) -> None:
    PickStep().run(None, ScriptedBackend(['{"n": 1}']))  # no session: the default bus logs it
    with Session.open(None, "offline") as session, correlate("sess:1"):
        assert events.current_bus() is session.bus
        PickStep().run(None, session.backend)
    rows = calllog.calls(calllog.connect(_call_log_in_tmp), calllog.CallQuery(limit=None))
    assert [(r["step"], r["outcome"], r["correlation"]) for r in reversed(rows)] == [
        ("pick", "ok", None), ("pick", "offline", "sess:1")]


def test_session_builds_its_backend_once_and_closes_it() -> None:
    session = Session.open(None, "offline")
    assert session.built_backend is None  # nothing is started until a decision needs it
    backend = session.backend
    assert session.backend is backend and session.entry.name == "offline"
    assert session.seeded_policy(5).seed == 5
    with session:
        assert events.current_bus() is session.bus
    assert session.built_backend is None
