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
        POST /v1/autoviz/datasets          upload a table, get its profile
        POST /v1/autoviz/runs              start a run (202 + id); GET /v1/autoviz/runs, /v1/autoviz/runs/{id}
        GET  /v1/autoviz/runs/{id}/artifacts/{path}
        POST /v1/discount/decisions        a routed, policy-safe offer; GET /v1/discount/audit
        GET  /healthz

        Binds to 127.0.0.1 unless --host says otherwise. Limits: serve.max_request_bytes for JSON bodies,
        serve.max_upload_bytes for uploads (413 above them); serve.workers AutoViz runs at once.
        """
        import uvicorn

        from sgr.api import create_app
        from sgr.core.config import load_settings

        settings = load_settings(config)
        if model:
            settings.entry(model)  # fail now, with the list of choices, not on the first request
            settings = settings.model_copy(update={"default_model": model})
        uvicorn.run(create_app(settings, discount_dir=directory), host=host or settings.serve.host,
                    port=port or settings.serve.port, log_level="info")
