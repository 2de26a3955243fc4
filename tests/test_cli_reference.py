"""docs/cli.md is generated from the CLI; this fails when someone changes a command and not the reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 0, res.stderr + "\n(regenerate: .venv/bin/python scripts/cli_reference.py)"


def test_every_command_is_in_the_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in ("sgr autoviz run", "sgr discount ask", "sgr discount policy check", "sgr discount verify",
                    "sgr serve", "sgr logs", "sgr mcp", "sgr doctor"):
        assert f"`{command}`" in text, command
