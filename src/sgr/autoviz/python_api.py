"""AutoViz from Python: `sgr.autoviz.analyze(data, question)` for notebooks and scripts.

Why a function and not "shell out to the CLI": a notebook already holds its table in memory (pandas,
polars, Arrow, a DuckDB relation), wants the charts as objects it can restyle (Altair) and a result that
renders in place (`_repr_html_`). The run is the same as `sgr autoviz run`: the same stages, the same run
folder with its provenance, the same deterministic path when no model is configured.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sgr.autoviz.pipeline import RunResult
    from sgr.core.config import Settings


@dataclass(frozen=True)
class Chart:
    """One chart of the report: its Vega-Lite spec, its image, and what it shows (kind, x, y, ...)."""

    title: str
    kind: str
    spec: dict[str, Any]
    #: the chart's SVG (None when the run drew no images) and its PNG (only when the run asked for PNGs)
    svg: Path | None
    png: Path | None
    fields: dict[str, Any] = field(repr=False)

    @property
    def image(self) -> Path | None:
        """The chart's image file: its PNG when the run wrote one, else its SVG."""
        return self.png or self.svg

    @property
    def asked(self) -> bool:
        """Whether this is the chart the question asked for (always chart 1 when the question names one)."""
        return bool(self.fields.get("asked"))

    def altair(self) -> Any:
        """The chart as an Altair object, to restyle or save (`.save("chart.html")`)."""
        import altair as alt

        return alt.Chart.from_dict(self.spec)


@dataclass(frozen=True)
class Analysis:
    """What `analyze` returns: the answer, the charts, and the run folder with the full provenance."""

    question: str
    status: str  # "answered" | "partial" | "failed"
    answer: list[str]
    charts: list[Chart]
    run_dir: Path
    result: RunResult = field(repr=False)

    @property
    def provenance(self) -> dict[str, Any]:
        """`run.json`: model, seed, stages, timings, every step's trace summary."""
        return json.loads((self.run_dir / "run.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    @property
    def report_html(self) -> Path:
        """The full report, as written by the run."""
        return self.run_dir / "report.html"

    def to_json(self) -> dict[str, Any]:
        """The same object `sgr autoviz run --json` prints, plus the answer lines."""
        return {**self.result.to_json(), "answer": self.answer}

    def save(self, directory: str | Path) -> Path:
        """Copy the whole run folder (report, charts, plans, logs) to `directory`; returns it."""
        target = Path(directory).expanduser()
        if target.resolve() == self.run_dir.resolve():
            return target
        shutil.copytree(self.run_dir, target, dirs_exist_ok=True)
        return target

    def _repr_html_(self) -> str:
        """Jupyter: the answer, then every chart inline, then where the report is."""
        parts = [f"<h3>{html.escape(self.question)}</h3>", f"<p><b>{html.escape(self.status)}</b></p><ul>"]
        parts += [f"<li>{html.escape(line)}</li>" for line in self.answer]
        parts.append("</ul>")
        from sgr.autoviz.report import image_tag

        for chart in self.charts:
            if chart.image is not None and chart.image.is_file():
                parts.append(f"<figure>{image_tag(chart.image, chart.title)}"
                             f"<figcaption>{html.escape(chart.title)}</figcaption></figure>")
        parts.append(f"<p>Report: <code>{html.escape(str(self.report_html))}</code></p>")
        return "\n".join(parts)


def analyze(data: Any, question: str, *, model: str | None = None, config: str | Path | None = None,
            settings: Settings | None = None, out_dir: str | Path | None = None, seed: int = 0,
            draw: bool = True, png: bool = False, name: str = "dataframe") -> Analysis:
    """Answer `question` about `data` with a report of 5-10 charts; chart 1 is the chart the question asks for.

    Parameters
    ----------
    data:
        A file path (every format `sgr autoviz run` reads), or a pandas/polars DataFrame, a pyarrow Table or
        a DuckDB relation (scanned in place; a relation is fetched once as Arrow).
    question:
        What to ask, e.g. "a pie chart of revenue by region".
    model, config, settings:
        A model entry of `config.yaml` (default: the config's `default_model`, offline in the embedded
        default); `settings` instead of loading a config.
    out_dir:
        The run folder (default: `.sgr/runs/<name>-<hash>` like the CLI).
    draw:
        False: chart specs without images (faster).
    png:
        Also write each chart as a PNG (`Chart.png`); charts are SVG otherwise (`Chart.svg`).
    name:
        What an in-memory table is called in the report and the run folder.

    Raises
    ------
    DataError, UsageError, ConfigError
        The same errors, with the same messages, as the CLI.
    """
    from sgr.autoviz.data import load_frame
    from sgr.autoviz.pipeline import run_autoviz
    from sgr.autoviz.report import answer_lines
    from sgr.core.config import load_settings

    settings = settings or load_settings(str(config) if config else None)
    source = data if isinstance(data, (str, Path)) else load_frame(data, name=name)
    result = run_autoviz(source, question, settings=settings, model=model,
                         out_dir=Path(out_dir).expanduser() if out_dir else None, seed=seed, draw=draw,
                         png=png)
    charts = [_chart(result.run_dir, c) for c in result.charts]
    return Analysis(question=question, status=result.status, answer=answer_lines(result.run_dir / "report.md"),
                    charts=charts, run_dir=result.run_dir, result=result)


def _chart(run_dir: Path, fields: dict[str, Any]) -> Chart:
    spec_file = fields.get("spec_file")
    spec = json.loads((run_dir / spec_file).read_text(encoding="utf-8")) if spec_file else {}
    svg, png = (run_dir / fields[k] if fields.get(k) else None for k in ("svg_file", "file"))
    return Chart(title=str(fields.get("title", "")), kind=str(fields.get("kind", "")), spec=spec,
                 svg=svg if svg is not None and svg.is_file() else None,
                 png=png if png is not None and png.suffix == ".png" and png.is_file() else None, fields=dict(fields))
