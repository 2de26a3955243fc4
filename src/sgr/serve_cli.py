"""`sgr serve`: run the HTTP service with uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the `serve` verb to the root CLI."""

    @app.command("serve")
    def serve(
        host: Optional[str] = typer.Option(None, "--host", help="Bind address (default serve.host, 127.0.0.1)."),  # noqa: UP045
        port: Optional[int] = typer.Option(None, "--port", help="Port (default serve.port, 8080)."),  # noqa: UP045
        config: Optional[str] = typer.Option(None, "--config", help="Config file."),  # noqa: UP045
        model: Optional[str] = typer.Option(None, "--model", help="Default model entry for requests."),  # noqa: UP045
        directory: Optional[str] = typer.Option(None, "--dir", help="Discount store directory."),  # noqa: UP045
    ) -> None:
        """Serve the web page and both agents over HTTP (OpenAPI docs at /docs).

        \b
        /                                  AutoViz web page: upload a table, ask, read the report
        POST /v1/autoviz/datasets          upload a table, get its profile; GET /v1/autoviz/formats
        POST /v1/autoviz/runs              start a run (202 + id); GET /v1/autoviz/runs, /v1/autoviz/runs/{id}
        GET  /v1/autoviz/runs/{id}/artifacts/{path}; DELETE /v1/autoviz/runs/{id}
        POST /v1/discount/decisions        a routed, policy-safe offer; GET /v1/discount/audit
        GET  /healthz

        \b
        Access: every /v1 route needs 'Authorization: Bearer TOKEN'. The token is $SGR_SERVE_TOKEN, else
        serve.token, else the file serve.token_file; on first start on loopback one is generated there
        (0600) and printed with a page link that logs the browser in. A non-loopback --host is refused
        unless a token is set on purpose. Requests for other Host names (serve.allowed_hosts) and
        cross-site writes (serve.allowed_origins) are refused.

        \b
        Limits: serve.max_request_bytes for JSON bodies, serve.max_upload_bytes for uploads (413 above);
        serve.workers AutoViz runs at once, each stopped after serve.run_timeout seconds; finished runs
        and uploads are deleted after serve.retention or beyond serve.max_storage_bytes (507 when full).
        Exit codes: 0 stopped cleanly, 2 bad configuration or a refused --host, 15 the pricing policy is refused.
        """
        import uvicorn

        from sgr.api import create_app
        from sgr.core import calllog
        from sgr.core.config import load_settings
        from sgr.core.errors import ConfigError, SGRError
        from sgr.serve_security import check_bind, is_loopback, resolve_token

        settings = load_settings(config)
        if model:
            settings.entry(model)  # fail now, with the list of choices, not on the first request
            settings = settings.model_copy(update={"default_model": model})
        try:  # a pricing policy that could break a ceiling stops the start here, with its own exit code
            from sgr.discount.service import pricing_policy

            pricing_policy(settings)
        except SGRError as exc:
            typer.echo(f"error: {exc}", err=True)
            from sgr.error_table import exit_code

            raise typer.Exit(exit_code(exc)) from None
        bind = host or settings.serve.host
        bind_port = port or settings.serve.port
        try:
            token = resolve_token(settings, generate=is_loopback(bind))
            check_bind(bind, token)
        except ConfigError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        assert token is not None  # check_bind refuses None
        shown = f"[{bind}]" if ":" in bind else bind
        if token.source in ("generated", "file"):
            what = "generated and saved to" if token.source == "generated" else "from"
            typer.echo(f"Access token {what} {settings.serve.token_file}.")
            typer.echo(f"Open the page: http://{shown}:{bind_port}/#token={token.value}")
        else:
            typer.echo(f"Access token from {'$SGR_SERVE_TOKEN' if token.source == 'env' else 'serve.token'}; "
                       f"open http://{shown}:{bind_port}/#token=<token>")
        calllog.set_surface("service")  # the call log tags this server's calls, its AutoViz workers' too
        uvicorn.run(create_app(settings, token=token.value, bind_host=bind, discount_dir=directory), host=bind,
                    port=bind_port, log_level="info")
