"""Turn a Vega-Lite spec into the files of a chart: spec JSON, SVG and, when asked for, PNG, offline.

Why vl-convert: it bundles the Vega renderer, so charts render without a browser or network, and the
same spec gives the same bytes (checked by the determinism test). The spec is written with sorted keys
so a diff of two runs shows only real changes. The images are drawn by the run's renderer (a worker
process, see `render_worker`) while the next steps run, or here when there is none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sgr.autoviz.tools.base import ChartArtifact, ExecContext
from sgr.autoviz.tools.render_worker import draw

WIDTH = 640
HEIGHT = 360
CHARTS_DIR = "charts"
# A fixed look: same fonts and sizes in every chart, so a report reads as one document.
CONFIG: dict[str, Any] = {
    "font": "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif",
    "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 11, "subtitleColor": "#555"},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 160, "grid": True, "gridColor": "#eee"},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 160},
    "view": {"stroke": None},
    "background": "white",
}


def slugify(*parts: str | None, max_len: int = 60) -> str:
    """File-name-safe slug from column names: lowercase ascii words joined by underscores."""
    text = "_".join(p for p in parts if p)
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (slug or "chart")[:max_len].rstrip("_")


def json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with dates as ISO strings (Vega parses them as dates), ready to inline in a spec."""
    out = []
    for r in rows:
        out.append({k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in r.items()})
    return out


def base_spec(title: str, subtitle: str | None, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parts every chart shares: size, inline data, title and config."""
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": json_rows(rows)},
        "title": {"text": title, **({"subtitle": subtitle} if subtitle else {})},
        "config": CONFIG,
    }
    return spec


def chart_stem(ctx: ExecContext, kind: str, *columns: str | None) -> str:
    """Step index (position in the run) + chart kind + columns, e.g. "03_bar_revenue_by_region"."""
    index = len(ctx.results) + 1
    return f"{index:02d}_{kind}_{slugify(*columns)}"


def render(spec: dict[str, Any], ctx: ExecContext, stem: str, *, kind: str, x: str | None, y: str | None,
           aggregation: str | None, group: str | None, caption: str, n_points: int, sort: str | None = None,
           bin: str | None = None, filters: list[str] | None = None, limit: int | None = None) -> ChartArtifact:
    """Write spec JSON and SVG (and PNG when the run asks for it) under charts/ and describe them; the chart's
    `file` is its PNG when there is one, else its SVG."""
    out = Path(ctx.out_dir) / CHARTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    (out / f"{stem}.vl.json").write_text(text + "\n", encoding="utf-8")
    image = f"{CHARTS_DIR}/{stem}.{'png' if ctx.png else 'svg'}"
    if not ctx.draw:
        pass
    elif ctx.renderer is not None:
        ctx.pending_renders[image] = ctx.renderer.submit(text, out, stem, png=ctx.png)
    else:
        draw(text, out, stem, png=ctx.png)
    title = spec["title"]["text"] if isinstance(spec.get("title"), dict) else str(spec.get("title", ""))
    return ChartArtifact(
        file=image,
        svg_file=f"{CHARTS_DIR}/{stem}.svg",
        spec_file=f"{CHARTS_DIR}/{stem}.vl.json",
        kind=kind,
        x=x,
        y=y,
        aggregation=aggregation,
        group=group,
        title=title,
        caption=caption,
        n_points=n_points,
        sort=sort,
        bin=bin,
        filters=list(filters or []),
        limit=limit,
    )
