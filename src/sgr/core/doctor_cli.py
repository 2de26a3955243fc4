"""`sgr doctor`: registered by the root CLI; the checks live in sgr.core.doctor."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `doctor` verb to the root app."""

    @app.command()
    def doctor(
        model: str | None = typer.Option(
            None, "--model", "-m", help="Model entry to check (default: config's default_model)."
        ),
        config: str | None = typer.Option(
            None, "--config", "-c", help="Config file (default: $SGR_CONFIG or ./config.yaml)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Print one JSON object instead of prose."),
    ) -> None:
        """Check what works for a model entry: reachability, models served, dialects, verified constraint,
        compact whitespace, latency; print the recommended `vllm serve` command and a fix for each problem.

        Exit codes: 0 the model is usable; 1 it is not (each problem is listed with its fix); 2 bad config.
        """
        from sgr.core.doctor import run_doctor

        code = run_doctor(model=model, config=config, json_out=json_out)
        raise typer.Exit(code)
