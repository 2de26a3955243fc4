"""The real `sgr autoviz` CLI in a subprocess: exit codes, one-line errors, the --json shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def sgr(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SGR_RAISE_ERRORS", "SGR_CONFIG")}
    return subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_json_output_is_one_object_with_charts(tmp_path: Path) -> None:
    out = tmp_path / "run"
    p = sgr("run", str(EXAMPLES / "sales.csv"), "compare revenue across regions", "--out", str(out), "--json",
            cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)  # exactly one JSON document on stdout
    assert p.stdout.strip().count("\n") == 0
    assert {"run_dir", "status", "exit_code", "intent", "requirements", "charts"} <= set(doc)
    assert doc["status"] == "answered" and doc["intent"] == "comparative_analysis"
    assert doc["requirements"]["metrics"] == ["revenue"] and "region" in doc["requirements"]["group_by"]
    assert 5 <= len(doc["charts"]) <= 10
    for chart in doc["charts"]:
        assert {"file", "kind", "x", "y", "aggregation", "group"} <= set(chart)
        assert (out / chart["file"]).is_file()
    assert "load" in p.stderr and "execute" in p.stderr  # progress goes to stderr


def test_default_run_folder_is_stable_per_data_and_question(tmp_path: Path) -> None:
    args = ("run", str(EXAMPLES / "customers.csv"), "how does spend differ between segments", "--json", "--quiet")
    first, second = sgr(*args, cwd=tmp_path), sgr(*args, cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr
    a, b = json.loads(first.stdout)["run_dir"], json.loads(second.stdout)["run_dir"]
    assert a == b and a.startswith("runs/how-does-spend-differ")
    assert first.stderr == ""  # --quiet


def test_partial_question_exits_6_and_says_so(tmp_path: Path) -> None:
    p = sgr("run", str(EXAMPLES / "sales.csv"), "profit by country", "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert p.returncode == 6
    assert "'profit'" in p.stderr and "'country'" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize(("content", "needle"), [
    (None, "not found"),
    (b"", "empty"),
    (b"a,b\n", "no data rows"),
    (b"\xff\xfe\x00\x81\x90\x00" * 20, ""),
])
def test_bad_data_exits_5_with_one_line(tmp_path: Path, content: bytes | None, needle: str) -> None:
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_bytes(content)
    p = sgr("run", str(path), "anything", "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert p.returncode == 5, p.stderr
    lines = [x for x in p.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in p.stderr and p.stdout == ""


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    empty_q = sgr("run", str(EXAMPLES / "sales.csv"), " ", "--out", str(tmp_path / "r"), cwd=tmp_path)
    bad_model = sgr("run", str(EXAMPLES / "sales.csv"), "x", "--model", "nope", cwd=tmp_path)
    assert empty_q.returncode == bad_model.returncode == 2
    assert "question is empty" in empty_q.stderr and "nope" in bad_model.stderr
    assert "Traceback" not in empty_q.stderr + bad_model.stderr


def test_json_errors_are_json_too(tmp_path: Path) -> None:
    p = sgr("run", str(tmp_path / "missing.csv"), "x", "--json", cwd=tmp_path)
    assert p.returncode == 5
    doc = json.loads(p.stdout)
    assert doc["status"] == "error" and doc["exit_code"] == 5


def test_help_documents_every_exit_code(tmp_path: Path) -> None:
    p = sgr("run", "--help", cwd=tmp_path)
    assert p.returncode == 0
    text = " ".join(p.stdout.split())
    for code in ("0 answered", "2 usage", "3 model unavailable", "4 model gave no valid answer", "5 data",
                 "6 partial", "1 other"):
        assert code in text, code


def test_profile_command_prints_roles(tmp_path: Path) -> None:
    p = sgr("profile", str(EXAMPLES / "sales.csv"), "--json", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    roles = {c["name"]: c["role"] for c in json.loads(p.stdout)["columns"]}
    assert roles["date"] == "temporal" and roles["revenue"] == "measure" and roles["region"] == "categorical"


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("on_failure", "code"), [("raise", 3), ("fallback", 0)])
def test_unreachable_model_raises_3_or_falls_back(tmp_path: Path, on_failure: str, code: int) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "default_model: down\nmodels:\n"
        f"  down: {{backend: vllm, url: 'http://127.0.0.1:{_closed_port()}/v1', model: tiny, timeout: 2,\n"
        f"         connect_retries: 0, on_failure: {on_failure}}}\n")
    out = tmp_path / "r"
    p = sgr("run", str(EXAMPLES / "sales.csv"), "compare revenue across regions", "--config", str(config),
            "--out", str(out), "--quiet", cwd=tmp_path)
    assert p.returncode == code, p.stderr
    assert "Traceback" not in p.stderr
    if code == 0:
        exchanges = [json.loads(x) for x in (out / "logs/llm_exchanges.jsonl").read_text().splitlines()]
        assert all(e["fallback_used"] and e["backend"] == "down" for e in exchanges)
        assert (out / "report.html").is_file()
    else:
        assert p.stderr.startswith("error:")


def test_progress_is_live_on_a_terminal_plain_when_piped_and_absent_with_quiet(tmp_path: Path) -> None:
    import os
    import re
    import subprocess
    import sys

    def stderr(*extra: str, env: dict[str, str]) -> str:
        res = subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", "run", str(EXAMPLES / "sales.csv"),
                              "revenue by region", "--out", str(tmp_path / f"r{len(env)}{len(extra)}"), *extra],
                             capture_output=True, text=True, timeout=300, env={**os.environ, "SGR_CONFIG": "", **env})
        assert res.returncode == 0, res.stderr
        return res.stderr

    plain = stderr(env={"NO_COLOR": "1", "TERM": "dumb"})
    finished = [line for line in plain.splitlines() if line.startswith("✓")]
    assert len(finished) == 10 and not re.search(r"\(\d+\.\d s\)", plain)  # one line per stage, no spinner
    live = stderr(env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"})
    assert re.search(r"execute.*\(\d+\.\d s\)", live) and "…" in live  # the spinner named the running stage
    assert "✓" not in stderr("--quiet", env={"NO_COLOR": "1"})
