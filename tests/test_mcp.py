"""`sgr mcp` end to end: the MCP SDK's own stdio client spawns `python -m sgr.cli mcp` and calls every tool.

Offline (embedded default config, no model server); every file goes under tmp_path. Each test starts its
own server; the only bound on time is an upper one (`anyio.fail_after`), nothing waits on a sleep.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp", reason="the MCP tests need the SDK: pip install 'sgr-agents[mcp]'")

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from sgr.mcp_server import (
    TOOLS,
    AutovizProfileInput,
    AutovizRunInput,
    DiscountAuditInput,
    DiscountDecideInput,
)

REPO = Path(__file__).resolve().parents[1]
SALES = REPO / "examples" / "sales.csv"
SECRET = "mcp-test-secret-0123456789abcdef"  # 32 characters, fixed so offer codes are reproducible
#: an upper bound for one whole session (spawn, handshake, calls); a healthy one takes a few seconds
SESSION_TIMEOUT_S = 180


@pytest.fixture
def workspace(tmp_path: Path) -> dict[str, Path]:
    """A root folder holding sales.csv, a store directory outside it, and a separate working directory."""
    from sgr.discount.setup_data import setup_data

    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(SALES, root / "sales.csv")
    stores = tmp_path / "stores"
    setup_data(stores, users=10, seed=0)  # what `sgr discount setup-data --dir stores --users 10` builds
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return {"tmp": tmp_path, "root": root, "stores": stores, "cwd": cwd}


@asynccontextmanager
async def mcp_session(ws: dict[str, Path]) -> AsyncIterator[ClientSession]:
    """A client session with `sgr mcp --root ROOT --dir STORES`, started in its own working directory."""
    env = {"SGR_DISCOUNT_SECRET": SECRET}
    if os.environ.get("PYTHONPATH"):  # lets the suite run against another SDK (PYTHONPATH=<mcp 1.x> pytest ...)
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    params = StdioServerParameters(command=sys.executable, cwd=str(ws["cwd"]), env=env,
                                   args=["-m", "sgr.cli", "mcp", "--root", str(ws["root"]), "--dir", str(ws["stores"])])
    with (ws["tmp"] / "server.log").open("a", encoding="utf-8") as errlog, anyio.fail_after(SESSION_TIMEOUT_S):
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def dump(result: Any) -> dict[str, Any]:
    """A protocol object as the wire spells it (camelCase), the same for SDK 1.x and 2.x."""
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)


async def call(session: ClientSession, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Call a tool that must succeed; its JSON payload (text content, equal to the structured content)."""
    result = dump(await session.call_tool(name, arguments))
    assert not result.get("isError"), result["content"]
    payload = json.loads(result["content"][0]["text"])
    assert result.get("structuredContent") == payload
    result["payload"] = payload
    return result


async def call_error(session: ClientSession, name: str, arguments: dict[str, Any]) -> str:
    """Call a tool that must fail as a tool error; its one readable message."""
    result = dump(await session.call_tool(name, arguments))
    assert result.get("isError") is True, result
    [content] = result["content"]
    text = content["text"]
    assert "Traceback" not in text and "\n" not in text, text
    return text


async def test_lists_the_four_tools_with_schemas_from_the_pydantic_models(workspace: dict[str, Path]) -> None:
    async with mcp_session(workspace) as session:
        listed = {t["name"]: t for t in (dump(t) for t in (await session.list_tools()).tools)}
    models = {"autoviz_profile": AutovizProfileInput, "autoviz_run": AutovizRunInput,
              "discount_decide": DiscountDecideInput, "discount_audit": DiscountAuditInput}
    assert set(listed) == set(models) == {t.name for t in TOOLS}
    for name, model in models.items():
        assert listed[name]["inputSchema"] == model.model_json_schema(), name
        assert listed[name]["inputSchema"]["additionalProperties"] is False
        assert listed[name]["description"]
    assert listed["autoviz_profile"]["annotations"]["readOnlyHint"] is True
    assert listed["discount_decide"]["annotations"]["readOnlyHint"] is False
    assert listed["autoviz_run"]["inputSchema"]["required"] == ["path", "question"]


def test_discount_input_bounds_are_the_agents_own() -> None:
    from sgr.discount.agent import MAX_ID_CHARS, MAX_MESSAGE_CHARS

    props = DiscountDecideInput.model_json_schema()["properties"]
    assert props["customer_id"]["maxLength"] == MAX_ID_CHARS
    assert props["message"]["maxLength"] == MAX_MESSAGE_CHARS


async def test_autoviz_profile_and_run_on_sales(workspace: dict[str, Path]) -> None:
    root = workspace["root"]
    async with mcp_session(workspace) as session:
        profile = (await call(session, "autoviz_profile", {"path": "sales.csv"}))["payload"]
        run = await call(session, "autoviz_run", {"path": str(root / "sales.csv"),
                                                  "question": "total revenue by region"})
        named = await call(session, "autoviz_run", {"path": "sales.csv", "question": "monthly revenue trend",
                                                    "out_dir": "runs/trend", "image": False})

    assert profile["rows"] == 2923
    columns = {c["name"]: c for c in profile["columns"]}
    assert {"date", "region", "revenue"} <= set(columns)
    assert columns["date"]["type"] == "DATE" and columns["date"]["role"] == "temporal"
    assert columns["region"]["role"] == "categorical"
    assert profile["sample"]["rows"]

    result = run["payload"]
    assert result["status"] == "answered" and result["exit_code"] == 0
    first = result["charts"][0]
    assert first["asked"] is True
    assert (first["kind"], first["x"], first["y"], first["aggregation"]) == ("bar", "region", "revenue", "sum")
    assert any("North" in line and "revenue" in line for line in result["answer"]), result["answer"]
    run_dir = Path(result["run_dir"])
    assert run_dir.parent == root / "runs"  # default run folder: under the root, not the server's cwd
    assert (run_dir / "report.html").is_file() and (run_dir / "report.md").is_file()
    for chart in result["charts"]:
        assert (run_dir / chart["file"]).is_file() and (run_dir / chart["spec_file"]).is_file()
    [image] = [c for c in run["content"] if c["type"] == "image"]
    assert image["mimeType"] == "image/png"
    assert base64.b64decode(image["data"]) == (run_dir / first["file"]).read_bytes()

    trend = named["payload"]
    assert Path(trend["run_dir"]) == root / "runs" / "trend"
    assert trend["charts"][0]["kind"] == "line" and trend["charts"][0]["x"] == "date"
    assert [c["type"] for c in named["content"]] == ["text"]
    assert not any(workspace["cwd"].iterdir())  # nothing written into the server's working directory


async def test_paths_outside_the_root_are_refused_and_the_server_keeps_going(workspace: dict[str, Path]) -> None:
    tmp, root = workspace["tmp"], workspace["root"]
    outside = tmp / "secret.csv"
    shutil.copy(SALES, outside)
    (root / "link.csv").symlink_to(outside)
    async with mcp_session(workspace) as session:
        absolute = await call_error(session, "autoviz_profile", {"path": str(outside)})
        dotdot = await call_error(session, "autoviz_profile", {"path": "../secret.csv"})
        symlink = await call_error(session, "autoviz_profile", {"path": "link.csv"})
        out = await call_error(session, "autoviz_run", {"path": "sales.csv", "question": "revenue by region",
                                                        "out_dir": "../escaped"})
        missing = await call_error(session, "autoviz_profile", {"path": "nope.csv"})
        invalid = await call_error(session, "autoviz_run", {"path": "sales.csv"})
        unknown = await call_error(session, "no_such_tool", {})
        still = await call(session, "autoviz_profile", {"path": "sales.csv"})

    for message in (absolute, dotdot, symlink, out):
        assert "outside the folder this server may use" in message and str(root) in message, message
    assert "'../escaped'" in out
    assert not (tmp / "escaped").exists()
    assert "nope.csv" in missing
    assert invalid == "invalid arguments for autoviz_run: question: Field required"
    assert "no_such_tool" in unknown
    assert still["payload"]["rows"] == 2923


async def test_discount_decide_then_audit(workspace: dict[str, Path]) -> None:
    async with mcp_session(workspace) as session:
        decided = (await call(session, "discount_decide", {"customer_id": "3",
                                                            "message": "this is too expensive, any discount?"}))
        audit = (await call(session, "discount_audit", {}))["payload"]
        mine = (await call(session, "discount_audit", {"customer_id": "C0000003", "limit": 5}))["payload"]
        others = (await call(session, "discount_audit", {"customer_id": "C0000004"}))["payload"]

    outcome = decided["payload"]
    assert outcome["customer_id"] == "C0000003"
    assert outcome["route"]["route"] == "fetch_user_features"  # a price question: priced with the customer's data
    cap, decision = outcome["cap"], outcome["decision"]
    assert 0 <= decision["max_discount_percent"] <= cap["max_percent"]
    assert outcome["backend"] == "offline"
    assert outcome["customer_message"]

    assert audit["count"] == 1 == len(audit["rows"])
    [row] = audit["rows"]
    assert row["customer_id"] == "C0000003" and row["route"] == outcome["route"]["route"]
    assert row["decision"]["max_discount_percent"] == decision["max_discount_percent"]
    assert row["decision"]["offer_code"] == decision["offer_code"]
    assert mine["rows"] == audit["rows"]
    assert others == {"count": 0, "rows": []}


async def test_discount_errors_are_tool_errors(workspace: dict[str, Path]) -> None:
    async with mcp_session(workspace) as session:
        unknown = await call_error(session, "discount_decide", {"customer_id": "C0999999",
                                                                 "message": "too expensive, I might cancel"})
        blank = await call_error(session, "discount_decide", {"customer_id": "C0000001", "message": "   "})
        bad_model = await call_error(session, "discount_decide", {"customer_id": "C0000001", "message": "hi",
                                                                   "model": "no-such-model"})
        limit = await call_error(session, "discount_audit", {"limit": 0})
        audit = (await call(session, "discount_audit", {}))["payload"]
    assert "C0999999" in unknown
    assert blank.startswith("invalid arguments for discount_decide: message:")
    assert "no-such-model" in bad_model
    assert limit.startswith("invalid arguments for discount_audit: limit:")
    assert audit["count"] == 0  # the unknown customer got no decision


def test_refuses_a_root_that_is_not_a_folder(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "sgr.cli", "mcp", "--root", str(tmp_path / "missing")],
                          cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "is not a folder" in proc.stderr and not proc.stdout


def test_refuses_to_start_with_an_unsafe_policy(tmp_path: Path) -> None:
    import yaml

    from sgr.discount.policy_check import default_policy_text

    data = yaml.safe_load(default_policy_text())
    data["tiers"][2]["offer"] = {"share_of_margin": 0.6}  # above the high tier's own ceiling
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "config.yaml").write_text("discount:\n  policy: policy.yaml\n")
    proc = subprocess.run([sys.executable, "-m", "sgr.cli", "mcp", "--root", str(tmp_path), "--config",
                           str(tmp_path / "config.yaml")],
                          cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 15, proc.stderr
    assert "can exceed a ceiling" in proc.stderr and not proc.stdout


#: a server whose tools misbehave: one writes to stdout three ways (print, fd 1, a child process), one crashes
MISBEHAVING_SERVER = """
import os, subprocess, sys
from sgr import mcp_server

def noisy(self, args):
    print("stray print")
    os.write(1, b"stray fd write\\n")
    subprocess.run([sys.executable, "-c", "print('stray child output')"], check=True)
    return mcp_server.Reply({"noisy": True})

def broken(self, args):
    raise RuntimeError("boom\\nsecond line")

mcp_server.SGRTools.autoviz_profile = noisy
mcp_server.SGRTools.discount_audit = broken
sys.argv = ["sgr", "mcp", "--root", sys.argv[1]]
from sgr.cli import main
main()
"""


async def test_stray_output_and_a_crashing_tool_leave_the_session_intact(workspace: dict[str, Path]) -> None:
    env = {"SGR_DISCOUNT_SECRET": SECRET}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    params = StdioServerParameters(command=sys.executable, cwd=str(workspace["cwd"]), env=env,
                                   args=["-c", MISBEHAVING_SERVER, str(workspace["root"])])
    log = workspace["tmp"] / "server.log"
    with log.open("w", encoding="utf-8") as errlog, anyio.fail_after(SESSION_TIMEOUT_S):
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            noisy = await call(session, "autoviz_profile", {"path": "sales.csv"})
            crashed = await call_error(session, "discount_audit", {})
            again = await call(session, "autoviz_profile", {"path": "sales.csv"})
    assert noisy["payload"] == again["payload"] == {"noisy": True}
    assert crashed == "internal error (RuntimeError): boom"
    stderr = log.read_text(encoding="utf-8")
    for stray in ("stray print", "stray fd write", "stray child output"):
        assert stray in stderr  # diverted to stderr, not lost and not on the protocol stream
    assert "tool discount_audit crashed" in stderr and "Traceback" in stderr
