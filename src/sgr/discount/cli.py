"""`sgr discount ...`: setup-data, ask, audit, verify, policy. Thin: `ask` opens a `Session` and calls
`DiscountAgent.decide` (`sgr.discount.agent`: route -> context -> price, where the cap is computed -> commit);
every policy question is answered in `sgr.discount.policy_check`.

Exit codes (`sgr.error_table`, unique across both agents): 0 ok; 1 other known error; 2 config/usage;
3 model unreachable (and on_failure=raise); 11 customer not found; 12 store missing; 13 store corrupt;
14 customer in one store only; 15 pricing policy refused; 16 offer code not issued (verify).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Optional

import typer

from sgr.core.config import load_settings
from sgr.discount.policy_cli import POLICY_HELP
from sgr.discount.policy_cli import app as policy_app

EXIT_CODES = ("Exit codes: 0 ok, 1 other error, 2 config/usage, 3 model unreachable, 11 unknown customer, "
              "12 store missing (run setup-data), 13 store corrupt, 14 customer in one store only, "
              "15 pricing policy refused (invalid or could exceed a ceiling), 16 offer code not issued (verify).")
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Discount manager.", epilog=EXIT_CODES)
app.add_typer(policy_app, name="policy")

if TYPE_CHECKING:
    from sgr.discount.codes import Secret

DIR_HELP = "Store directory (default: discount.dir from the config)."
DATABASE_HELP = ("PostgreSQL DSN for the hot store (default: $SGR_DISCOUNT_DATABASE, else discount.database; "
                 "none = hot.sqlite in --dir).")
CONFIG_HELP = "Config file (default: $SGR_CONFIG, ./config.yaml, or the embedded offline default)."


class _RowsProgress:
    """Progress of the hot-store build: a live bar on a terminal, a plain line per 10% otherwise (logs, CI),
    nothing with --quiet. Opened on the first report, so a refused argument prints no empty bar."""

    def __init__(self, *, quiet: bool) -> None:
        import sys

        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._bar: object | None = None
        self._task: object | None = None
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        if not self.tty:
            tenth = done * 10 // total
            if tenth > self._shown:
                self._shown = tenth
                typer.echo(f"hot store rows: {done:,}/{total:,} ({tenth * 10}%)", err=True)
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        if self._bar is None:
            bar = Progress(TextColumn("[bold]hot store rows"), BarColumn(), TextColumn("{task.completed:,}/"
                           "{task.total:,}"), TimeElapsedColumn(), console=Console(stderr=True))
            bar.start()
            self._bar, self._task = bar, bar.add_task("rows", total=total)
        self._bar.update(self._task, completed=done)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]


@app.command("setup-data")
def setup_data_cmd(
    users: int = typer.Option(10, "--users", help="How many customers to generate (1M for benchmarks)."),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed builds the same rows."),
    directory: Optional[str] = typer.Option(None, "--dir", help=DIR_HELP),  # noqa: UP045
    config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP),  # noqa: UP045
    database: Optional[str] = typer.Option(None, "--database", help=DATABASE_HELP),  # noqa: UP045
    quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr (the result line still prints)."),
) -> None:
    """Build the hot (SQLite, or PostgreSQL) and cold (DuckDB) stores deterministically; safe to re-run.

    Progress goes to stderr: a live bar on a terminal, a line per 10% when redirected, none with --quiet."""
    from sgr.discount.service import database_dsn, store_dir
    from sgr.discount.setup_data import setup_data

    settings = load_settings(config)
    target = store_dir(settings, directory)
    progress = _RowsProgress(quiet=quiet)
    try:
        result = setup_data(target, users=users, seed=seed, database=database_dsn(settings, database),
                            progress=progress)
    finally:
        progress.close()
    typer.echo(f"built {result.users:,} customers (seed {result.seed}) in {result.dir}: "
               f"hot {result.hot}, cold {result.cold_path.name}")


@app.command("ask", epilog=EXIT_CODES)
def ask_cmd(
    user_id: str = typer.Argument(..., help="Customer id, e.g. C0000001."),
    message: str = typer.Argument(..., help="What the customer wrote."),
    model: Optional[str] = typer.Option(None, "--model", help="Model entry from the config."),  # noqa: UP045
    config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP),  # noqa: UP045
    directory: Optional[str] = typer.Option(None, "--dir", help=DIR_HELP),  # noqa: UP045
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (route, context, cap, decision, "
                                                         "clamps, trace)."),
    policy: Optional[str] = typer.Option(None, "--policy", help=POLICY_HELP),  # noqa: UP045
) -> None:
    """Route the message, look up the customer, and make a policy-safe offer (audited)."""
    from sgr.core.errors import SGRError
    from sgr.core.session import Session
    from sgr.discount.agent import check_request
    from sgr.discount.service import close_agent, open_agent

    try:
        check_request(user_id, message)
    except ValueError as exc:
        raise SGRError(str(exc)) from None
    with Session.open(config, model) as session:
        agent = open_agent(session, directory=directory, policy=policy, on_secret=_say_if_created)
        try:
            # DiscountAgent.decide = route -> context -> price (the cap is computed there) -> commit (audit)
            outcome = agent.decide(user_id, message)
        finally:
            close_agent(agent)
    if as_json:
        typer.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, sort_keys=False))
        return
    _print_outcome(outcome.to_dict())


def _say_if_created(secret: Secret) -> None:
    """Tell the operator once that a secret file now exists and matters."""
    if secret.created:
        typer.echo(f"note: generated the offer-code secret {secret.source} (mode 0600). Keep it: a new secret "
                   "makes every issued code fail `sgr discount verify`. Set $SGR_DISCOUNT_SECRET or "
                   "discount.secret to share one between machines.", err=True)


def _print_outcome(data: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    route = data["route"]
    assert isinstance(route, dict)
    console.print(f"[bold]route[/]: {route['route']} ({route['reason']})")
    cap, ctx, decision = data["cap"], data["context"], data["decision"]
    if isinstance(ctx, dict) and isinstance(cap, dict) and isinstance(decision, dict):
        table = Table(show_header=False, box=None)
        for key in ("cart_value", "profit_margin", "inventory_status", "lifetime_value", "churn_probability",
                    "days_since_last_order"):
            table.add_row(key, str(ctx[key]))
        table.add_row("cap", f"{cap['max_percent']}%  ({'; '.join(cap['rules'])})")
        for key in ("churn_analysis", "financial_analysis", "margin_math", "max_discount_percent", "offer_code"):
            table.add_row(key, str(decision[key]))
        console.print(table)
    clamps = data["clamps"]
    if isinstance(clamps, list):
        for c in clamps:
            console.print(f"[yellow]clamp[/] {c['field']}: {c['rule']}")
    console.print(f"[bold]message[/]: {data['customer_message']}", highlight=False)


@app.command("audit")
def audit_cmd(
    limit: int = typer.Option(20, "--limit", min=1, max=10_000, help="How many records, newest first."),
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer."),  # noqa: UP045
    directory: Optional[str] = typer.Option(None, "--dir", help=DIR_HELP),  # noqa: UP045
    config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP),  # noqa: UP045
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """List audited decisions (inputs, reasoning, decision, cap, clamps, backend, latency)."""
    from sgr.discount.audit import open_audit
    from sgr.discount.service import database_dsn, store_dir

    settings = load_settings(config)
    log = open_audit(store_dir(settings, directory), database=database_dsn(settings), create=False)
    try:
        rows = log.list(limit=limit, customer_id=customer)
    finally:
        log.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "ts", "customer", "route", "cap %", "offer %", "clamps", "backend", "fallback", "ms")
    for r in rows:
        decision = r["decision"]
        table.add_row(str(r["id"]), r["ts"], r["customer_id"], r["route"],
                      "" if r["cap_percent"] is None else str(r["cap_percent"]),
                      str(decision.get("max_discount_percent", "")), str(r["clamp_count"]), r["backend"],
                      "yes" if r["fallback_used"] else "no", f"{r['latency_s'] * 1000:.1f}")
    Console().print(table)


@app.command("verify", epilog=EXIT_CODES)
def verify_cmd(
    code: str = typer.Argument(..., help="An offer code, e.g. SAVE12-7K3M-Q9D2-W4XR-ZP8A (case and O/0, I/1 "
                                         "typos are forgiven)."),
    directory: Optional[str] = typer.Option(None, "--dir", help=DIR_HELP),  # noqa: UP045
    config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP),  # noqa: UP045
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Say whether this service issued the code, to whom, for what percentage and when (exit 16 if not)."""
    from sgr.discount.audit import open_audit
    from sgr.discount.codes import verify
    from sgr.discount.errors import CodeNotIssued
    from sgr.discount.service import database_dsn, offer_secret, store_dir

    settings = load_settings(config)
    target = store_dir(settings, directory)
    log = open_audit(target, database=database_dsn(settings), create=False)
    try:
        verdict = verify(code, key=offer_secret(settings, target).key, audit=log)
    finally:
        log.close()
    if as_json:
        typer.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))
    elif verdict.issued:
        typer.echo(f"{verdict.code}: issued to {verdict.customer_id} for {verdict.percent:g}% at "
                   f"{verdict.issued_at} (audit id {verdict.audit_id})")
    else:
        typer.echo(f"{verdict.code}: NOT issued ({verdict.reason})")
    if not verdict.issued:
        raise typer.Exit(CodeNotIssued.exit_code)
