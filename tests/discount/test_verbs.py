"""The discount agent's verbs (route -> context -> price -> commit) composed by hand give the Outcome of
`decide`/`adecide`; the agent is built from a Session in one place."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from sgr.core.config import parse_settings
from sgr.core.events import Event
from sgr.core.session import Session
from sgr.discount.agent import DiscountAgent, Outcome, Routed
from sgr.discount.service import close_agent, open_agent
from sgr.discount.setup_data import setup_data
from tests.discount.conftest import SEED, USERS

SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n"
                          "discount: {secret: 'a fixed test secret, 32 bytes ok'}\n")
PRICE_ASK = "too expensive, any discount? I might cancel"


def _stores(root: Path) -> Path:
    setup_data(root, users=USERS, seed=SEED)
    return root


def _comparable(outcome: Outcome) -> dict[str, Any]:
    data = outcome.to_dict(include_exchange=False)
    data.pop("latency_s")
    for trace in data["trace"].values():
        trace.pop("latency_s")
    return data


def _by_hand(agent: DiscountAgent, customer: str, message: str) -> Outcome:
    routed = agent.route(customer, message)
    if not routed.priced:
        return agent.commit(routed)
    grounded = agent.context(routed)
    priced = agent.price(grounded)
    assert priced.context.cap is not None and priced.decision.max_discount_percent <= priced.context.cap.max_percent
    return agent.commit(priced)


@pytest.mark.parametrize("message", [PRICE_ASK, "where is my parcel?"])
def test_verbs_by_hand_give_the_outcome_of_decide(tmp_path: Path, message: str) -> None:
    outcomes = []
    for name, compose in (("a", lambda ag: ag.decide("C0000003", message)),
                          ("b", lambda ag: _by_hand(ag, "C0000003", message))):
        with Session.open(SETTINGS) as session:
            agent = open_agent(session, directory=_stores(tmp_path / name))
            try:
                outcomes.append(compose(agent))
            finally:
                close_agent(agent)
    assert outcomes[0].audit_id == outcomes[1].audit_id
    assert _comparable(outcomes[0]) == _comparable(outcomes[1])


def test_async_verbs_by_hand_give_the_outcome_of_adecide(tmp_path: Path) -> None:
    async def by_hand(agent: DiscountAgent) -> Outcome:
        routed = await agent.aroute("C0000003", PRICE_ASK)
        assert isinstance(routed, Routed) and routed.priced
        return await agent.acommit(await agent.aprice(await agent.acontext(routed)))

    outcomes = []
    for name, compose in (("a", lambda ag: ag.adecide("C0000003", PRICE_ASK)), ("b", by_hand)):
        with Session.open(SETTINGS) as session:
            agent = open_agent(session, directory=_stores(tmp_path / name))
            try:
                outcomes.append(asyncio.run(compose(agent)))
            finally:
                close_agent(agent)
    assert _comparable(outcomes[0]) == _comparable(outcomes[1])


def test_a_session_subscriber_hears_the_verbs_and_the_steps(tmp_path: Path) -> None:
    heard: list[Event] = []
    with Session.open(SETTINGS) as session:
        session.bus.subscribe(heard.append)
        agent = open_agent(session, directory=_stores(tmp_path / "s"))
        try:
            agent.decide("C0000003", PRICE_ASK)
        finally:
            close_agent(agent)
    assert [(e.kind, e.name) for e in heard if e.kind != "stage_progress"] == [
        ("stage_started", "route"), ("fallback", "discount.route"), ("stage_finished", "route"),
        ("stage_started", "context"), ("stage_finished", "context"),
        ("stage_started", "price"), ("fallback", "discount.price"), ("stage_finished", "price"),
        ("stage_started", "audit"), ("stage_finished", "audit")]
    assert len({e.correlation for e in heard}) == 1 and heard[0].correlation.startswith("discount:")
