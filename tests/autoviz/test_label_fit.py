"""Dropping label limits no label can reach: the drawing must stay the same bytes, checked with real Vega.

Each case renders the spec as the chart tools wrote it and as `without_idle_limits` hands it to Vega; the
two SVGs must be equal. A bound that is too generous shows up here as a difference (Vega would have
truncated a label the limit-free spec draws whole), so the widest glyphs are tried right at the bound.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import vl_convert as vlc

from sgr.autoviz.pipeline import run_autoviz
from sgr.autoviz.tools.label_fit import without_idle_limits
from sgr.autoviz.tools.render import CONFIG
from sgr.core.config import parse_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OFFLINE = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")


def _spec(rows: list[dict[str, Any]], encoding: dict[str, Any], mark: str = "bar") -> dict[str, Any]:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 640, "height": 360,
            "config": copy.deepcopy(CONFIG), "data": {"values": rows}, "mark": mark, "encoding": encoding}


def _limits(text: str) -> dict[str, Any]:
    """channel -> its axis or legend labelLimit (None: the config's) in the top-level encoding."""
    spec = json.loads(text)
    return {ch: (enc.get("axis") or enc.get("legend") or {}).get("labelLimit")
            for ch, enc in spec.get("encoding", {}).items() if isinstance(enc, dict)}


def _same_drawing(spec: dict[str, Any]) -> str:
    text = json.dumps(spec)
    fitted = without_idle_limits(text)
    assert vlc.vegalite_to_svg(fitted) == vlc.vegalite_to_svg(text)
    return fitted


@pytest.fixture(scope="module")
def report_specs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("run")
    run_autoviz(EXAMPLES / "sales.csv", "Compare revenue by region and product category", settings=OFFLINE,
                model=None, out_dir=out, seed=0, draw=False)
    return [p.read_text(encoding="utf-8") for p in sorted((out / "charts").glob("*.vl.json"))]


def test_a_real_reports_charts_draw_the_same_with_fewer_limits(report_specs: list[str]) -> None:
    assert len(report_specs) >= 5
    dropped = 0
    for text in report_specs:
        fitted = without_idle_limits(text)
        assert vlc.vegalite_to_svg(fitted) == vlc.vegalite_to_svg(text)
        dropped += fitted.count('"labelLimit": 0')
    assert dropped >= len(report_specs)


@pytest.mark.parametrize("label", ["W" * 13, "@" * 13, "%" * 13, "M" * 13, "中" * 7, "😀" * 7, "ÆØ" + "W" * 9])
def test_the_widest_labels_within_the_bound_are_never_truncated(label: str) -> None:
    rows = [{"x": label, "value": 3, "grp": label}, {"x": "b", "value": 5, "grp": "c"}]
    fitted = _same_drawing(_spec(rows, {"x": {"field": "x", "type": "nominal"},
                                        "y": {"field": "value", "type": "quantitative", "axis": {"format": "~s"}},
                                        "color": {"field": "grp", "type": "nominal"}}))
    assert _limits(fitted) == {"x": 0, "y": 0, "color": 0}


def test_a_long_label_keeps_its_limit_and_is_truncated() -> None:
    long = "a product category whose name runs on for far too long to fit"
    spec = _spec([{"x": long, "value": 3}, {"x": "short", "value": 1}],
                 {"x": {"field": "x", "type": "nominal"}, "y": {"field": "value", "type": "quantitative",
                                                                 "axis": {"format": ",.4~r"}}})
    fitted = _same_drawing(spec)
    assert _limits(fitted) == {"x": None, "y": 0}
    drawn = vlc.vegalite_to_svg(fitted)
    assert f">{long}</text>" not in drawn and re.search(r">a product [^<]*…</text>", drawn)


@pytest.mark.parametrize("fmt", ["%b %d %H:%M", "%b %d, %Y", "%b %Y", "Q%q %Y", "%Y", None])
def test_time_axes_with_the_chart_formats_draw_the_same(fmt: str | None) -> None:
    rows = [{"x": f"2023-{m:02d}-{d:02d}T{h:02d}:00:00", "value": m * d} for m in (1, 9, 12) for d, h in ((3, 9),
                                                                                                     (28, 23))]
    axis = {"format": fmt} if fmt else {}
    fitted = _same_drawing(_spec(rows, {"x": {"field": "x", "type": "temporal", "axis": axis},
                                        "y": {"field": "value", "type": "quantitative"}}, mark="line"))
    assert _limits(fitted)["x"] == 0


@pytest.mark.parametrize(("values", "fmt", "kept"), [
    ([1e25, 2e25], "~s", False),          # a stack of two reaches 3e25: still short SI labels
    ([1e26, 2e26], "~s", True),           # beyond the prefixes: the limit stays
    ([0.5, 99_999.0], ",.4~r", False),
    ([250_000.0, 10.0], ",.4~r", True),   # grouped digits could pass the bound
    ([0.0001, 0.0002], ",.4~r", True),    # a tiny extent means long decimals
    ([3.0, 4.0], None, True),             # Vega's default number format: not bounded here
])
def test_number_axes_are_freed_only_within_their_formats_bounds(values: list[float], fmt: str | None,
                                                                kept: bool) -> None:
    rows = [{"x": f"k{i}", "value": v} for i, v in enumerate(values)]
    axis = {"format": fmt} if fmt else {}
    fitted = _same_drawing(_spec(rows, {"x": {"field": "x", "type": "nominal"},
                                        "y": {"field": "value", "type": "quantitative", "axis": axis}}))
    assert (_limits(fitted)["y"] is None) is kept


def test_specs_it_cannot_read_are_left_alone() -> None:
    rows = [{"x": "a", "value": 1}]
    encoding = {"x": {"field": "x", "type": "nominal"}, "y": {"field": "value", "type": "quantitative"}}
    for change in ({"transform": [{"calculate": "datum.x + datum.x", "as": "x"}]},
                   {"data": {"url": "data.csv"}}):
        text = json.dumps({**_spec(rows, encoding), **change})
        assert without_idle_limits(text) is text
    labelled = _spec(rows, {**encoding, "x": {**encoding["x"], "axis": {"labelExpr": "datum.label + '!!!!'"}}})
    assert _limits(without_idle_limits(json.dumps(labelled)))["x"] is None
    assert without_idle_limits("{not json") == "{not json"


_ROWS = [{"c": "a", "v": 1.0, "t": "2024-09-25"}, {"c": "b", "v": 2.0, "t": "2024-12-25"}]
_NOMINAL = {"field": "c", "type": "nominal"}
_VALUE = {"field": "v", "type": "quantitative", "axis": {"format": ",.4~r"}}


@pytest.mark.parametrize(("channel", "change"), [
    ("x", {"config": {"axisX": {"labelLimit": 30}}}),                              # config the proof does not read
    ("x", {"config": {"timeFormat": "%A, %B %d, %Y %I:%M:%S %p"},
           "encoding": {"x": {"field": "t", "type": "temporal"}}}),
    ("x", {"config": {"axis": {"labelExpr": "datum.label + ' and more'"}}}),
    ("x", {"encoding": {"x": {**_NOMINAL, "scale": {"domain": {"unionWith": ["a much longer label"]}}}}}),
    ("x", {"encoding": {"x": {"field": "v", "type": "ordinal", "bin": True}}}),     # labels are bin ranges
    ("x", {"data": {"values": [{"c": 1e20, "v": 1.0}]}}),                          # JavaScript prints floats its way
    ("y", {"encoding": {"y": {**_VALUE, "scale": {"domainMax": 1e18}}}}),           # ticks past the data
    ("y", {"encoding": {"y": {**_VALUE, "axis": {"format": ",.4~r", "values": [0, 1e18]}}}}),
])
def test_the_proof_keeps_the_limit_for_what_it_does_not_read(channel: str, change: dict[str, Any]) -> None:
    """Each of these was found by a reviewer: a channel whose labels the proof would have misjudged."""
    spec = _spec(_ROWS, {"x": _NOMINAL, "y": _VALUE})
    spec["config"].update(change.get("config", {}))
    spec["encoding"].update(change.get("encoding", {}))
    spec.update({k: v for k, v in change.items() if k not in ("config", "encoding")})
    fitted = _same_drawing(spec)
    assert _limits(fitted).get(channel) is None
