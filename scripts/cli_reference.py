"""Write docs/cli.md from the typer app itself, so the CLI reference cannot drift from the code.

    .venv/bin/python scripts/cli_reference.py          # rewrite docs/cli.md
    .venv/bin/python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is stale (CI runs this via a test)

Built from click's own objects (names, options, defaults, help), not from rendered `--help` pages, whose
layout depends on the terminal's width.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import typer

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _param(p: Any) -> str:
    if getattr(p, "param_type_name", "") == "argument":
        text = (getattr(p, "help", None) or "").replace("|", "\\|").replace("\n", " ")
        name = (p.metavar or p.name or "").upper()
        return f"| `{name}` | argument{' (required)' if p.required else ''}: {text} | |"
    names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
    default = "" if p.default in (None, False, ()) or callable(p.default) else f"`{p.default}`"
    text = (p.help or "").replace("|", "\\|").replace("\n", " ")
    return f"| {names} | {text} | {default} |"


def _command(cmd: Any, path: list[str], out: list[str]) -> None:
    if getattr(cmd, "hidden", False):
        return
    title = " ".join(path)
    out.append(f"{'#' * min(len(path) + 1, 4)} `{title}`\n")
    text = (cmd.help or cmd.short_help or "").strip()
    if text:
        out.append(text.replace("\b\n", "").replace("\b", "") + "\n")
    params = [p for p in cmd.params if p.name != "help"]
    if params:
        out.append("| name | meaning | default |\n|---|---|---|")
        out.extend(_param(p) for p in params)
        out.append("")
    if hasattr(cmd, "commands"):  # a group (typer ships its own copy of click, so no isinstance)
        for name in sorted(cmd.commands):
            _command(cmd.commands[name], [*path, name], out)


def render() -> str:
    """The whole reference as Markdown."""
    from sgr.cli import app

    out = ["# `sgr` command reference", "",
           "Generated from the CLI itself by `scripts/cli_reference.py`; a test fails when it is stale.", ""]
    _command(typer.main.get_command(app), ["sgr"], out)
    from sgr.error_table import markdown

    out += ["## Exit codes and HTTP statuses", "",
            "One table (`src/sgr/error_table.py`) for every command and the service; codes are unique across agents.",
            "", markdown()]
    return "\n".join(out).rstrip() + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when docs/cli.md differs from the CLI")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET} is stale: run .venv/bin/python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
