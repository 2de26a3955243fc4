"""`sgr mcp`: serve both agents as MCP tools over stdio (the server lives in `sgr.mcp_server`)."""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the `mcp` verb to the root CLI."""

    @app.command("mcp")
    def mcp_cmd(
        root: str = typer.Option(".", "--root", help="The only folder whose files the tools may read and "
                                                      "write (data, run folders); default: the current one."),
        config: Optional[str] = typer.Option(None, "--config", help="Config file."),  # noqa: UP045
        model: Optional[str] = typer.Option(None, "--model", help="Default model entry for the tools."),  # noqa: UP045
        directory: Optional[str] = typer.Option(None, "--dir", help="Discount store directory."),  # noqa: UP045
    ) -> None:
        """Serve AutoViz and the discount manager to an MCP client (a desktop assistant, an IDE) over stdio.

        \b
        autoviz_profile  path -> columns, types, roles, sample rows
        autoviz_run      path, question -> the run's JSON, answer, chart 1 (PNG)
        discount_decide  customer_id, message -> a policy-safe, audited offer
        discount_audit   limit, customer_id -> the newest audited decisions

        \b
        Paths from the client are read relative to --root and refused outside it.
        Runs go to <root>/runs/ unless out_dir says otherwise.
        Known errors come back as tool errors (isError); the server keeps going.
        Stdout carries the protocol; logs go to stderr.

        \b
        Exit codes: 0 the client closed the connection,
        2 bad configuration or --root, or the `mcp` package is missing,
        15 the pricing policy (discount.policy) is unsafe or malformed.
        """
        import importlib.util
        from pathlib import Path

        from sgr.core.config import load_settings

        if importlib.util.find_spec("mcp") is None:
            typer.echo("error: `sgr mcp` needs the MCP SDK: pip install 'sgr-agents[mcp]'", err=True)
            raise typer.Exit(2) from None
        folder = Path(root).expanduser()
        if not folder.is_dir():
            typer.echo(f"error: --root {root} is not a folder", err=True)
            raise typer.Exit(2)
        settings = load_settings(config)
        if model:
            settings.entry(model)  # fail now, with the list of choices, not on the first call
            settings = settings.model_copy(update={"default_model": model})

        # the pricing policy is proven now, like `ask` and `serve` do: an unsafe policy must not wait for the
        # first discount_decide call to be found out
        from sgr.core.errors import SGRError
        from sgr.discount.service import pricing_policy
        from sgr.error_table import exit_code

        try:
            pricing_policy(settings)
        except SGRError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exit_code(exc)) from None

        import anyio

        from sgr.core import calllog
        from sgr.mcp_server import SGRTools, serve_stdio

        calllog.set_surface("mcp")  # `sgr logs` tells these calls from the CLI's and the service's

        anyio.run(serve_stdio, SGRTools(settings, root=folder, discount_dir=directory))
