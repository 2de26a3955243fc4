"""`sgr logs`: list, filter and show the calls in the call log (`sgr.core.calllog`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from sgr.core import calllog

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
DB_HELP = "Log database (default: $SGR_LOGS_DB, else $XDG_DATA_HOME/sgr-agents/logs.db)."


def register(root: typer.Typer) -> None:
    """Add the `logs` verb to the root CLI; calls made by any `sgr` command are tagged surface "cli"."""
    calllog.set_surface("cli", replace=False)  # `sgr serve` says "service" itself
    root.add_typer(app, name="logs", help="The call log: every SGR call (prompt, raw answers, parsed value, "
                                          "repairs, fallback, tokens, latency), newest first.")


def _open(db: str | None) -> Any:
    """A connection to the log, or None (and a message) when nothing has been logged there yet."""
    path = Path(db).expanduser() if db else calllog.db_path()
    if not path.exists():
        typer.echo(f"no calls logged yet ({path} does not exist)", err=True)
        return None
    return calllog.connect(path)


@app.callback(invoke_without_command=True)
def logs(
    ctx: typer.Context,
    step: Optional[str] = typer.Option(None, "--step", "-s", help="Only this step (e.g. classify_intent)."),  # noqa: UP045
    since: Optional[str] = typer.Option(None, "--since", help="Only calls since an ISO date/datetime (UTC) or an "  # noqa: UP045
                                                               "age: 30m, 2h, 3d, 1w."),
    failed: bool = typer.Option(False, "--failed", help="Only calls where the model needed a repair, failed "
                                                         "(fallback) or raised; offline calls are not failures."),
    correlation: Optional[str] = typer.Option(None, "--correlation", "-c", help="Only one run or decision, e.g. "  # noqa: UP045
                                              "autoviz:3f2a9c1b0d4e; a trailing ':' or '*' matches a prefix "
                                              "(autoviz: = every AutoViz run)."),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="How many calls, newest first (0: all)."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per line, every field."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),  # noqa: UP045
) -> None:
    """List logged calls, newest first (`sgr logs show ID` for one in full; `sgr logs path` for the file).

    Logging is on by default; SGR_LOGS=0 turns it off, SGR_LOGS_DB moves it.
    """
    if ctx.invoked_subcommand:
        return
    try:
        since_at = calllog.parse_since(since) if since else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
    conn = _open(db)
    if conn is None:
        return
    try:
        rows = calllog.calls(conn, calllog.CallQuery(step=step, since=since_at, failed=failed,
                                                     correlation=correlation, limit=limit or None))
    finally:
        conn.close()
    if json_out:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # piped or redirected: a wide table rather than wrapped cells
        console.width = max(console.width, 180)
    table = Table("id", "when (UTC)", "step", "outcome", "backend / model", "tries", "tokens in/out", "ms",
                  "correlation")
    for r in rows:
        outcome = r["outcome"] + (f": {r['fallback_reason'] or r['error']}" if r["outcome"] in ("fallback", "error")
                                  else "")
        table.add_row(str(r["id"]), r["datetime_utc"][:19].replace("T", " "), r["step"], _clip(outcome, 48),
                      f"{r['backend']}" + (f" / {r['model']}" if r["model"] else ""), str(r["n_attempts"]),
                      f"{r['prompt_tokens']}/{r['completion_tokens']}", f"{r['latency_ms']:.1f}",
                      r["correlation"] or "")
    console.print(table)
    if not rows:
        typer.echo("no calls match", err=True)


@app.command("show")
def show(
    call_id: int = typer.Argument(..., help="The call's id (first column of `sgr logs`)."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object, the schema included."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),  # noqa: UP045
) -> None:
    """One call in full: prompt, each attempt's raw output and error, parsed value, schema. Exit 1 if unknown."""
    conn = _open(db)
    call = calllog.get_call(conn, call_id) if conn is not None else None
    if conn is not None:
        conn.close()
    if call is None:
        typer.echo(f"error: no call {call_id} in the log", err=True)
        raise typer.Exit(1)
    if json_out:
        typer.echo(json.dumps(call, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.rule import Rule

    console = Console()
    head = {k: call[k] for k in ("datetime_utc", "step", "outcome", "backend", "model", "dialect", "schema_name",
                                 "schema_id", "retries", "repairs", "fallback_reason", "error", "prompt_tokens",
                                 "completion_tokens", "latency_ms", "correlation", "surface") if call[k] is not None}
    console.print(Rule(f"call {call['id']}"))
    for k, v in head.items():
        console.print(f"[bold]{k}[/bold]: {escape(str(v))}")
    console.print(Rule("prompt"))
    for m in call["messages"] or []:
        console.print(f"[bold]{escape(str(m.get('role')))}[/bold]")
        console.print(str(m.get("content")), markup=False, highlight=False)
    if not call["messages"]:
        console.print("(none: no model was asked)")
    for a in call["attempts"] or []:
        console.print(Rule(f"attempt {a['index']}  finish={a.get('finish_reason')}"))
        console.print(str(a.get("raw")), markup=False, highlight=False)
        if a.get("error"):
            console.print(f"[red]rejected ({escape(str(a.get('error_kind')))}):[/red] {escape(a['error'])}")
    console.print(Rule("value"))
    console.print(json.dumps(call["value"], indent=2, ensure_ascii=False), markup=False, highlight=False)
    console.print(Rule("schema"))
    console.print(json.dumps(call["schema"], indent=2, ensure_ascii=False) if call["schema"] else "(none)",
                  markup=False, highlight=False)


@app.command("path")
def path() -> None:
    """Print where the log is (whether or not it exists yet)."""
    typer.echo(str(calllog.db_path()))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
