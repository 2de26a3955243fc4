"""Typed parameter proposals through a real HTTP model server that attacks the adaptation step.

The server (a `FakeOpenAIServer` on 127.0.0.1) honours every contract except the adaptation's, where it
answers, attempt after attempt, with what a grammar would never let through (it ignores the grammar, as a
misconfigured server does): a `k` far past its bound, a column the table lacks, then a histogram of a text
column. The run must finish with a valid report, the trace must show each attack refused with its reason,
and — when the last answer is sound — its proposal (`k=3`) must reach the executed tool.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from sgr.autoviz.pipeline import run_autoviz
from sgr.core.config import parse_settings
from sgr.testing.fake_openai import FakeOpenAIServer, instance_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
QUESTION = "compare revenue across regions"


def _schema(body: dict[str, Any]) -> tuple[str, Any]:
    so = body.get("structured_outputs") or {}
    if "choice" in so:
        return "choice", so["choice"]
    if "json" in so:
        return "json", json.loads(so["json"]) if isinstance(so["json"], str) else so["json"]
    rf = (body.get("response_format") or {}).get("json_schema") or {}
    return "json", rf.get("schema") or {}


def _change(tool: str, params: dict[str, Any], step_id: str) -> dict[str, Any]:
    return {"rationale": "attack", "op": "add", "step_id": step_id, "tool": tool, "params": params}


ATTACKS = [
    _change("top_k", {"group_by": "region", "metric": "revenue", "k": 500, "agg": "auto"}, "top_way_too_many"),
    _change("top_k", {"group_by": "no_such_column", "metric": "revenue", "k": 3, "agg": "auto"}, "top_ghost"),
    _change("histogram_chart", {"column": "region", "bins": 12}, "hist_of_text"),
]
SOUND = _change("top_k", {"group_by": "product_category", "metric": "revenue", "k": 3, "agg": "auto"}, "top3")


class Attacker:
    """Answers the adaptation contract with `answers` in turn; everything else with a valid instance."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.sent = 0
        self.rng = random.Random(0)

    def __call__(self, body: dict[str, Any]) -> str:
        kind, spec = _schema(body)
        if kind == "choice":
            return str(spec[0])
        if "changes" in (spec.get("properties") or {}):
            answer = self.answers[min(self.sent, len(self.answers) - 1)]
            self.sent += 1
            return json.dumps({"reasoning": "attack", "changes": [answer]})
        return json.dumps(instance_of(spec, self.rng))


def _run(tmp_path: Path, attacker: Attacker) -> tuple[Any, list[dict[str, Any]]]:
    with FakeOpenAIServer("modern", responder=attacker) as srv:
        settings = parse_settings("default_model: fake\nmodels:\n"
                                  f"  fake: {{backend: vllm, url: '{srv.url}', model: fake-model, max_retries: 2}}\n")
        res = run_autoviz(EXAMPLES / "sales.csv", QUESTION, settings=settings, out_dir=tmp_path / "run")
    exchanges = [json.loads(x) for x in (res.run_dir / "logs/llm_exchanges.jsonl").read_text().splitlines()]
    return res, exchanges


def test_every_attack_is_refused_with_its_reason_and_the_rules_answer(tmp_path: Path) -> None:
    attacker = Attacker(ATTACKS)
    res, exchanges = _run(tmp_path, attacker)
    assert res.exit_code in (0, 6) and 5 <= len(res.charts) <= 10
    adapt = next(e for e in exchanges if e["step"] == "adapt_plan")
    assert attacker.sent == 3 and adapt["fallback_used"]
    errors = " | ".join(str(a.get("error")) for a in adapt["attempts"])
    assert "less than or equal to 100" in errors  # k=500 breaks the contract's bound
    assert "group_by: Input should be 'date', 'region'" in errors  # not one of the real columns
    assert "not numeric" in errors and "'region'" in errors  # a histogram of text: a meaning check
    plan = json.loads((res.run_dir / "plans/resolved.json").read_text())["plan"]
    assert not any(s["id"] in ("top_way_too_many", "top_ghost", "hist_of_text") for s in plan["steps"])


def test_a_sound_proposal_after_attacks_reaches_the_tool(tmp_path: Path) -> None:
    attacker = Attacker([ATTACKS[0], SOUND])
    res, exchanges = _run(tmp_path, attacker)
    adapt = next(e for e in exchanges if e["step"] == "adapt_plan")
    assert not adapt["fallback_used"] and adapt["repairs"] == 1
    calls = [json.loads(x) for x in (res.run_dir / "logs/tool_calls.jsonl").read_text().splitlines()]
    top3 = next(c for c in calls if c["step_id"] == "top3")
    assert top3["params"]["k"] == 3 and top3["params"]["group_by"] == "product_category"
    assert top3["row_count"] == 3
