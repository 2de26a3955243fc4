"""`sgr logs`: filters, `show`, `--json`, and the calls of a real `sgr autoviz run` and `sgr discount ask`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sgr.cli import app
from sgr.core.llm.offline import OfflineBackend
from sgr.core.step import StepPolicy
from tests.core.test_calllog import CTX, OfferStep, PickStep
from tests.scripted import ScriptedBackend

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = {"reasoning": "loyal", "discount_percent": 10, "tier": "gold", "approve": True}


def logs(*args: str) -> Any:
    result = CliRunner().invoke(app, ["logs", *args], env={"COLUMNS": "200"})
    return result


def json_lines(*args: str) -> list[dict[str, Any]]:
    result = logs(*args, "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _populate() -> None:
    OfferStep().run(CTX, OfflineBackend("offline"))  # 1 offline
    OfferStep().run(CTX, ScriptedBackend([GOOD]))  # 2 ok
    OfferStep().run(CTX, ScriptedBackend(['{"nope": 1}', GOOD]))  # 3 repaired
    OfferStep().run(CTX, ScriptedBackend(["not json"] * 2), StepPolicy(max_retries=1))  # 4 fallback
    PickStep().run(["region", "revenue"], OfflineBackend("offline"))  # 5 another step


def test_list_filters_and_json() -> None:
    _populate()
    everything = json_lines()
    assert [r["id"] for r in everything] == [5, 4, 3, 2, 1]  # newest first
    assert [r["outcome"] for r in everything] == ["offline", "fallback", "repaired", "ok", "offline"]
    assert {r["step"] for r in json_lines("--step", "pick")} == {"pick"}
    assert [r["id"] for r in json_lines("--failed")] == [4, 3]  # offline calls are not failures
    assert [r["id"] for r in json_lines("--limit", "2")] == [5, 4]
    assert len(json_lines("--since", "1h")) == 5 and json_lines("--since", "2999-01-01") == []
    table = logs()
    assert table.exit_code == 0 and "repaired" in table.stdout and "fallback: RetriesExhausted" in table.stdout


def test_show_prints_one_call_in_full() -> None:
    _populate()
    shown = logs("show", "3")
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert "Offer a discount to customer 7." in out  # the prompt
    assert '{"nope": 1}' in out and "rejected" in out  # the first raw answer and why it was refused
    assert '"tier": "gold"' in out and '"maximum": 15' in out  # parsed value, schema
    full = json.loads(logs("show", "3", "--json").stdout)
    assert full["schema"]["title"] == "Offer" and full["n_attempts"] == 2
    assert full["attempts"][0]["raw"] == '{"nope": 1}'
    missing = logs("show", "99")
    assert missing.exit_code == 1 and "no call 99" in missing.output


def test_bad_since_is_a_usage_error() -> None:
    _populate()
    result = logs("--since", "yesterday")
    assert result.exit_code == 2 and "30m, 2h" in result.output


def test_an_empty_log_says_so(_call_log_in_tmp: Path) -> None:
    result = logs()
    assert result.exit_code == 0 and "no calls logged yet" in result.output
    assert logs("path").stdout.strip() == str(_call_log_in_tmp)


def _sgr(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SGR_RAISE_ERRORS", "SGR_CONFIG", "SGR_LOGS_SURFACE")}
    return subprocess.run([sys.executable, "-m", "sgr.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_an_autoviz_run_is_listed_under_its_run_id(tmp_path: Path) -> None:
    run = _sgr("autoviz", "run", str(EXAMPLES / "sales.csv"), "revenue by region", "--out", "r", "--quiet",
               cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    run_id = json.loads((tmp_path / "r" / "run.json").read_text())["run_id"]
    listed = _sgr("logs", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    calls = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [c["step"] for c in calls] == ["adapt_plan", "extract_requirements", "classify_intent"]
    assert {c["correlation"] for c in calls} == {f"autoviz:{run_id}"} and {c["surface"] for c in calls} == {"cli"}
    # the run folder keeps its own copy of the same exchanges
    exchanges = (tmp_path / "r" / "logs" / "llm_exchanges.jsonl").read_text().splitlines()
    assert [json.loads(e)["step"] for e in exchanges] == [c["step"] for c in reversed(calls)]


def test_both_steps_of_a_discount_decision_share_one_id(tmp_path: Path) -> None:
    from sgr.core.config import load_settings
    from sgr.discount.service import close_agent, open_agent
    from sgr.discount.setup_data import setup_data

    setup_data(tmp_path / "stores", users=5, seed=1)
    agent = open_agent(load_settings(None), directory=tmp_path / "stores", model="offline")
    try:
        agent.decide("C0000001", "this is too expensive, any discount?")
        agent.decide("C0000002", "too pricey, can you do better?")
    finally:
        close_agent(agent)
    calls = list(reversed(json_lines()))
    assert [c["step"] for c in calls] == ["discount.route", "discount.price"] * 2
    assert calls[0]["correlation"] == calls[1]["correlation"] != calls[2]["correlation"] == calls[3]["correlation"]
    assert calls[0]["correlation"].startswith("discount:")
    assert len(json_lines("--correlation", "discount:")) == 4
