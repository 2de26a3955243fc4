"""`sgr autoviz`: run the pipeline on a table and a question; print a profile.

Why errors are caught here as well as in `sgr.cli.main`: the sub-app is also invoked directly (tests,
`python -m`), and a person must never see a traceback. SGR_RAISE_ERRORS=1 re-raises for debugging.
Progress goes to stderr so `--json` keeps stdout to exactly one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from sgr.autoviz.formats import accepted_extensions
from sgr.core.errors import ConfigError, SGRError

EXIT_CODES = (
    "Exit codes: 0 answered; 1 other error (e.g. a plan that cannot run); 2 usage or config error; "
    "3 model unavailable (on_failure=raise); 4 model gave no valid answer (on_failure=raise); "
    "5 data unreadable (missing, empty, header-only, undecodable, unsupported); "
    "6 partial: the question names columns the data lacks (the report says so)."
)

app = typer.Typer(help="AutoViz: a table and a question in, a report with charts out.\n\n" + EXIT_CODES,
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _fail(exc: BaseException, *, as_json: bool) -> None:
    """Print one line (or one JSON object) and exit with the error's code; never a traceback."""
    if os.environ.get("SGR_RAISE_ERRORS"):
        raise exc
    from sgr.error_table import exit_code

    code = exit_code(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if not isinstance(exc, SGRError):
        text = f"internal error ({type(exc).__name__}): {text}"
    if as_json:
        typer.echo(json.dumps({"status": "error", "exit_code": code, "error": text}))
    typer.secho(f"error: {text}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


class _StageDisplay:
    """Progress on stderr: on a terminal a live spinner names the stage running now (with its elapsed time)
    above the finished ones; piped or redirected, one plain line per finished stage (logs stay readable)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.live = self.console.is_terminal
        self._status: Any = None
        self._started = 0.0

    def __call__(self, stage: str, status: str, summary: str) -> None:
        import time

        label = stage.replace("_", " ")
        if status == "running":  # a long stage says how far it got (e.g. "42% of sales.csv read")
            if self.live and self._status is not None:
                self._status.update(f"[bold]{label}[/bold] … {summary}")
            return
        if status == "start":
            self._started = time.perf_counter()
            if self.live:
                text = f"[bold]{label}[/bold] …"
                if self._status is None:
                    self._status = self.console.status(text, spinner="dots")
                    self._status.start()
                else:
                    self._status.update(text)
            return
        took = time.perf_counter() - self._started
        mark = "[green]✓[/green]" if status == "ok" else "[red]✗[/red]"
        timing = f" [dim]({took:.1f} s)[/dim]" if self.live else ""
        self.console.print(f"{mark} {label}" + (f" [dim]— {summary}[/dim]" if summary else "") + timing)

    def close(self) -> None:
        """Stop the spinner (before the final lines are printed)."""
        if self._status is not None:
            self._status.stop()
            self._status = None


DATA_HELP = ("A table file: CSV/TSV (';' and decimal commas too), Parquet, JSON (array or lines) or Excel; "
             "one of " + ", ".join(accepted_extensions()) + "; or a database table: "
             "postgresql://user@host:5432/db?table=sales, spark://local?table=sales, sc://host:15002?table=sales.")


def _source(data: str) -> Path | Any:
    """A file path, or the loaded Table of a database URL (only aggregated rows will travel)."""
    from sgr.autoviz.engines.urls import is_remote  # no engine imports for a file (the demo install has none)

    if not is_remote(data):
        return Path(data)
    try:
        from sgr.autoviz.engines.remote import load_remote
    except ImportError as exc:
        raise ConfigError(f"reading {data.split('?')[0]} needs the engine extras ({exc.name} is missing): "
                          "pip install 'sgr-agents[postgres,engines]' or 'sgr-agents[spark]'") from None
    return load_remote(data)


@app.command("run", help="Answer QUESTION about DATA with a report of 5-10 charts; chart 1 is the chart the "
                         "question asks for (\"a pie chart of payments by method\", \"average salary by gender, "
                         "sorted high to low\"), the others give context. plans/question.json says how the question "
                         "was read.\n\n" + EXIT_CODES)
def run_cmd(
    data: str = typer.Argument(..., help=DATA_HELP),
    question: str = typer.Argument(..., help='The question, e.g. "compare revenue by region and product".'),
    out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default runs/<slug>-<hash>)."),  # noqa: UP045
    model: Optional[str] = typer.Option(None, "--model", help="Model entry from the config (default: its default_model)."),  # noqa: UP045, E501
    config: Optional[Path] = typer.Option(None, "--config", help="config.yaml path (else $SGR_CONFIG, ./config.yaml)."),  # noqa: UP045
    seed: int = typer.Option(0, "--seed", help="Seed for sampling and model calls."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr."),
    memory_limit: Optional[str] = typer.Option(  # noqa: UP045
        None, "--memory-limit", help="DuckDB memory limit, e.g. 4GB; a bigger table spills to --temp-dir."),
    temp_dir: Optional[Path] = typer.Option(  # noqa: UP045
        None, "--temp-dir", help="Where DuckDB spills and big files are loaded (default: the system temp folder)."),
    png: bool = typer.Option(False, "--png", help="Also write each chart as a PNG (for slides or e-mail); charts "
                                                  "are SVG otherwise, which the reports and browsers show."),
) -> None:
    """Run AutoViz: `AutoViz.run` composes its verbs (profile -> understand, where the intent is decided ->
    plan -> execute -> report; all in `sgr/autoviz/agent.py`) over one Session."""
    from sgr.autoviz.agent import AutoViz
    from sgr.core.session import Session

    display = None if quiet else _StageDisplay()
    try:
        if memory_limit or temp_dir:
            from sgr.autoviz.data import set_engine_limits

            set_engine_limits(memory_limit=memory_limit, temp_directory=temp_dir)
        source = _source(data)
        with Session.open(config, model) as session:
            result = AutoViz(session, seed=seed, png=png).run(source, question, out_dir=out, progress=display)
    except (SGRError, Exception) as exc:
        if display is not None:
            display.close()
        _fail(exc, as_json=as_json)
        return
    if display is not None:
        display.close()
    if as_json:
        typer.echo(json.dumps(result.to_json(), sort_keys=True))
    if not quiet:
        for notice in result.notices:
            typer.secho(f"note: {notice}", fg=typer.colors.YELLOW, err=True)
        typer.echo(f"{result.status}: {len(result.charts)} charts -> {result.run_dir / 'report.html'}", err=True)
    raise typer.Exit(result.exit_code)


@app.command("profile", help="Print the profile of DATA: rows, shape, and each column's role and statistics.\n\n"
                             + EXIT_CODES)
def profile_cmd(
    data: str = typer.Argument(..., help=DATA_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as JSON."),
) -> None:
    """Load and profile a table."""
    try:
        from sgr.autoviz.data import Table, load_table
        from sgr.autoviz.profile import profile_table

        source = _source(data)
        table = source if isinstance(source, Table) else load_table(source)
        prof = profile_table(table)
    except (SGRError, Exception) as exc:
        _fail(exc, as_json=as_json)
        return
    if as_json:
        typer.echo(json.dumps(prof.model_dump(mode="json"), sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    label = data.split("?")[0] if isinstance(source, Table) else source.name
    out = RichTable(title=f"{label}: {prof.n_rows:,} rows x {prof.n_cols} columns ({prof.shape})")
    for head in ("column", "type", "role", "missing", "distinct", "min", "max"):
        out.add_column(head)
    for c in prof.columns:
        out.add_row(c.name, c.dtype, c.role, f"{c.missing_frac:.1%}", str(c.distinct),
                    "" if c.min is None else str(c.min), "" if c.max is None else str(c.max))
    Console(file=sys.stdout).print(out)
    for note in table.load_notes:
        typer.echo(f"note: {note}")
