"""The `sgr` command: thin surfaces over the agents and the core.

Known errors (SGRError) become one readable line on stderr and the error's exit code; set
SGR_RAISE_ERRORS=1 to get the traceback instead.
"""

from __future__ import annotations

import os
import sys

import typer

from sgr import __version__
from sgr.core.errors import SGRError

app = typer.Typer(
    name="sgr",
    help=(
        "Schema-guided reasoning agents. Every LLM decision is a bounded JSON schema enforced by a grammar "
        "engine, then checked by deterministic code; with no model, the deterministic path answers.\n\n"
        "Models come from config.yaml (--config PATH or $SGR_CONFIG); --model NAME picks an entry."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_subcommands() -> None:
    """Attach each agent's sub-app; each module keeps its heavy imports inside its commands."""
    from sgr.core.doctor_cli import register as register_doctor

    register_doctor(app)
    for module, name, help_text in (
        ("sgr.autoviz.cli", "autoviz", "AutoViz: a table and a question in, a report with charts out."),
        ("sgr.discount.cli", "discount", "Discount manager: routed, grounded, policy-safe offers."),
    ):
        try:
            mod = __import__(module, fromlist=["app"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        app.add_typer(mod.app, name=name, help=help_text)
    try:
        from sgr.serve_cli import register as register_serve
    except ModuleNotFoundError as exc:
        if exc.name != "sgr.serve_cli":
            raise
    else:
        register_serve(app)
    from sgr.logs_cli import register as register_logs

    register_logs(app)
    try:
        from sgr.mcp_cli import register as register_mcp
    except ModuleNotFoundError as exc:
        if exc.name != "sgr.mcp_cli":
            raise
    else:
        register_mcp(app)


@app.callback(invoke_without_command=True)
def _root(
    version: bool | None = typer.Option(None, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(f"sgr-agents {__version__}")
        raise typer.Exit(0)


_register_subcommands()


def main() -> None:
    """Console-script entry: run the app, turning known errors into clean messages."""
    try:
        rc = app(standalone_mode=False)  # non-standalone click returns a command's typer.Exit code
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except SGRError as exc:
        if os.environ.get("SGR_RAISE_ERRORS"):
            raise
        from sgr.error_table import exit_code

        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(exit_code(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
