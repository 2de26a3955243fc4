"""`sgr discount policy ...`: check a pricing policy over its whole input domain, or print the default.

Thin: the proof and the grid live in `sgr.discount.policy_check`.
"""

from __future__ import annotations

import json
from typing import Optional

import typer

from sgr.core.config import load_settings

POLICY_HELP = "Policy YAML (default: discount.policy from the config, else the packaged default)."
CONFIG_HELP = "Config file (default: $SGR_CONFIG, ./config.yaml, or the embedded offline default)."

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="The pricing policy: tiers, ceilings and modifiers as a YAML file.")


@app.command("check", epilog="Exit codes: 0 safe, 2 file not found or config error, 15 refused (invalid, or some "
                             "input could get an offer above a ceiling).")
def check_cmd(
    policy: Optional[str] = typer.Option(None, "--policy", help=POLICY_HELP),  # noqa: UP045
    config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP),  # noqa: UP045
    churn_step: float = typer.Option(0.01, "--churn-step", min=0.0001, max=0.5,
                                     help="Grid step for churn (tier boundaries and points either side are added)."),
    margin_step: float = typer.Option(0.5, "--margin-step", min=0.01, max=50.0,
                                      help="Grid step for the margin in percent (breakpoints and neighbours added)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """Prove that no churn (0-1), margin (0-100%), inventory state or lifetime value gets an offer above its
    tier ceiling, the margin or the brand max: exactly at every breakpoint (which covers the continuum),
    then on a dense grid through the engine itself."""
    from sgr.discount.errors import PolicyRejected
    from sgr.discount.policy_check import check_policy, parse_policy, read_policy_text

    text, source = read_policy_text(policy or load_settings(config).discount.policy)
    spec = parse_policy(text, source=source, prove_it=False)
    report = check_policy(spec, churn_step=churn_step, margin_step=margin_step)
    if as_json:
        typer.echo(json.dumps({"source": source, **report.to_dict()}, ensure_ascii=False))
    else:
        axes = " x ".join(f"{k.replace('_', ' ')} {v}" for k, v in report.grid_axes.items())
        typer.echo(f"policy {report.policy} ({source}): {'safe' if report.ok else 'REFUSED'}")
        typer.echo(f"  analytic: {report.analytic_cells} cells (tier x inventory x lifetime-value region), "
                   f"{report.analytic_points} exact points (every margin breakpoint, every churn bound)")
        typer.echo(f"  grid: {report.grid_points:,} inputs ({axes}) in {report.seconds:.1f} s")
        for note in report.notes:
            typer.echo(f"  note: {note}")
        for v in report.violations[:20]:
            typer.echo(f"  violation: {v}")
        if len(report.violations) > 20:
            typer.echo(f"  ... and {len(report.violations) - 20} more")
    if not report.ok:
        raise typer.Exit(PolicyRejected.exit_code)


@app.command("show")
def show_cmd() -> None:
    """Print the packaged default policy (a commented starting point for your own)."""
    from sgr.discount.policy_check import default_policy_text

    typer.echo(default_policy_text(), nl=False)
