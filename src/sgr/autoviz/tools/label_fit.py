"""Drop Vega's label truncation where no label can be long enough to be truncated.

Why: the chart config caps axis and legend labels at `labelLimit` pixels, a guard against a long
category name eating the chart. In vl-convert every label under a limit is measured through the font
stack, and that was ~40% of the render time of a typical report (measured on the 1M-row benchmark's five
charts: 0.40 s of Vega work with the limits, 0.24 s without). Most labels are short, so the guard
never fires, and Vega's output is the same bytes without it: a label is truncated only when it is
wider than the limit. Here that is proved from the spec itself, conservatively, per axis and legend:

- nominal and ordinal labels are the field's values in the inline data;
- temporal labels come from the axis format (each `%` directive has a known longest width) or from
  Vega's default multi-format (longest: a full month name);
- quantitative labels are tick values under the formats the chart tools use (`~s`, `,.4~r`), bounded
  by the data's extent.

Widths are bounded in ems: an ASCII glyph is at most 1.05 em wide in the fonts we list (DejaVu's and
Arial's widest, `W` and `@`, are ~1.0), anything else counts 2 em. When any label is unknown the limit
stays. This module has no imports from `sgr`: the render worker loads it as a plain script's sibling.
"""

from __future__ import annotations

import json
import math
from typing import Any

_ASCII_EM = 1.05
_OTHER_EM = 2.0
_DEFAULT_FONT_SIZE = 10.0
_AXIS_CHANNELS = ("x", "y")
_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity")
#: scale settings that keep the labels the data's (no type change, no domainMax past the data, no domain object)
_KNOWN_SCALE_KEYS = {"zero", "nice", "range", "scheme", "domain"}
#: the `config.axis` / `config.legend` keys our chart config sets; any other (a labelExpr, a format) keeps the limit
_KNOWN_GUIDE_CONFIG = {"labelFontSize", "titleFontSize", "labelLimit", "grid", "gridColor"}
#: axis and legend settings that do not change which labels are drawn (explicit `values`, a `labelExpr` do)
_KNOWN_GUIDE_KEYS = {"labelAngle", "format", "grid", "title", "orient"}
#: the top-level config keys our chart config sets; any other keeps every limit
_KNOWN_CONFIG = {"font", "title", "axis", "legend", "view", "background"}
#: integers JavaScript prints exactly as Python does
_EXACT_INT = 2**53
#: marks Vega-Lite stacks by default when a second channel splits them
_STACKING_MARKS = {"bar", "area"}
#: the longest text each d3 time directive produces (a full month or weekday name is 9 letters)
_TIME_DIRECTIVES = {"Y": 4, "y": 2, "m": 2, "d": 2, "e": 2, "H": 2, "I": 2, "M": 2, "S": 2, "L": 3, "p": 2,
                    "b": 3, "a": 3, "B": 9, "A": 9, "q": 1, "j": 3, "%": 1}
#: Vega's default time labels ("September", "Wed 12", "12 PM", ".123") are at most this many letters
_DEFAULT_TIME_LETTERS = 9
#: `~s` tick labels: sign, three digits, a point, three decimals, an SI prefix (magnitudes below 1e27)
_SI_LETTERS = 9
_SI_LARGEST = 1e26
#: `,.4~r` tick labels stay short while |values| < 1e5 (grouped, up to "-1,000,000") and the extent is at
#: least 0.01 (ticks are then multiples of at least 1e-4: "0.0001234")
_ROUND4_LARGEST = 1e5
_ROUND4_SMALLEST_EXTENT = 0.01
_ROUND4_LETTERS = 10


def _ems(text: str) -> float:
    return sum(_ASCII_EM if ord(ch) < 128 else _OTHER_EM for ch in text)


def _time_format_letters(fmt: str) -> int | None:
    """Longest output of a d3 time format, or None when it has a directive we do not bound."""
    letters, i = 0, 0
    while i < len(fmt):
        if fmt[i] != "%":
            letters, i = letters + 1, i + 1
            continue
        directive = fmt[i + 1:i + 2]
        if directive not in _TIME_DIRECTIVES:
            return None
        letters, i = letters + _TIME_DIRECTIVES[directive], i + 2
    return letters


def _numbers(rows: list[dict[str, Any]], fields: list[str]) -> list[float] | None:
    values: list[float] = []
    for row in rows:
        for field in fields:
            value = row.get(field)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return None
            values.append(float(value))
    return values


def _label(value: Any) -> str | None:
    """The text Vega shows for a category value; None for values whose JavaScript text we do not predict
    (floats: `1e+20` in Python is `100000000000000000000` in JavaScript)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "false"
    if isinstance(value, int) and abs(value) < _EXACT_INT:
        return str(value)
    return value if isinstance(value, str) else None


def _widest_label_ems(enc: dict[str, Any], guide: dict[str, Any], rows: list[dict[str, Any]],
                      second: str | None, stacked: bool) -> float | None:
    """The widest label this channel's axis or legend can draw, in ems; None when it cannot be bounded."""
    field, kind, scale = enc.get("field"), enc.get("type"), enc.get("scale") or {}
    if (not isinstance(field, str) or not set(guide) <= _KNOWN_GUIDE_KEYS or "timeUnit" in enc
            or "aggregate" in enc or not isinstance(scale, dict) or not set(scale) <= _KNOWN_SCALE_KEYS):
        return None
    if kind in ("nominal", "ordinal"):
        domain = scale.get("domain")
        if "bin" in enc or "format" in guide or (domain is not None and not isinstance(domain, list)):
            return None  # bin ranges ("1 – 5") or a domain object (unionWith): labels not in the data
        if isinstance(domain, list):  # an explicit domain is what the axis or legend lists
            values = domain
        elif any(field not in row for row in rows):
            return None
        else:
            values = [row[field] for row in rows]
        labels = {_label(v) for v in values}
        if None in labels:
            return None
        return max((_ems(label) for label in labels if label is not None), default=0.0)
    if "domain" in scale:
        return None
    fmt = guide.get("format")
    if kind == "temporal":
        letters = _DEFAULT_TIME_LETTERS if fmt is None else _time_format_letters(str(fmt))
        return None if letters is None else letters * _ASCII_EM
    if kind != "quantitative":
        return None
    values = _numbers(rows, [field] + ([second] if second else []))
    if not values:
        return None if values is None else 0.0
    # a stacked axis reaches the sum of a stack: bound it by the sum of every value
    largest = sum(abs(v) for v in values) if stacked else max(abs(v) for v in values)
    extent = max(values) - min(values)
    if fmt == "~s" and largest < _SI_LARGEST:
        return _SI_LETTERS * _ASCII_EM
    if fmt == ",.4~r" and largest < _ROUND4_LARGEST and (extent >= _ROUND4_SMALLEST_EXTENT or largest == 0):
        return _ROUND4_LETTERS * _ASCII_EM
    return None


def _marks(spec: dict[str, Any]) -> set[str]:
    found = set()
    for part in [spec, *(spec.get("layer") or [])]:
        mark = part.get("mark")
        found.add(str(mark.get("type") if isinstance(mark, dict) else mark))
    return found


def _encodings(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The spec's encodings (top level and one level of layers); None for shapes we do not read."""
    if any(key in spec for key in ("transform", "facet", "repeat", "concat", "hconcat", "vconcat")):
        return None
    found = [spec["encoding"]] if isinstance(spec.get("encoding"), dict) else []
    for layer in spec.get("layer") or []:
        if not isinstance(layer, dict) or "data" in layer or "transform" in layer or "layer" in layer:
            return None
        if isinstance(layer.get("encoding"), dict):
            found.append(layer["encoding"])
    return found


def _channel_fits(spec: dict[str, Any], encodings: list[dict[str, Any]], rows: list[dict[str, Any]],
                  guide_key: str, channel: str) -> bool:
    """Whether every label of `channel`'s axis or legend, in every layer, is narrower than its limit."""
    config = spec.get("config") or {}
    guide_config = config.get(guide_key) or {}
    limit, size = guide_config.get("labelLimit"), guide_config.get("labelFontSize", _DEFAULT_FONT_SIZE)
    if (not isinstance(limit, (int, float)) or limit <= 0 or not isinstance(size, (int, float))
            or not set(guide_config) <= _KNOWN_GUIDE_CONFIG
            # axisX, timeFormat, numberFormat, style...: config the proof does not read
            or not set(config) <= _KNOWN_CONFIG):
        return False
    stacked = bool(_marks(spec) & _STACKING_MARKS)
    for enc in encodings:
        channel_enc = enc.get(channel)
        if channel_enc is None or (isinstance(channel_enc, dict) and set(channel_enc) <= {"value"}):
            continue  # absent, or a constant: no labels from this layer
        if not isinstance(channel_enc, dict) or "field" not in channel_enc:
            return False
        guide = channel_enc.get(guide_key, {})
        if guide is None:
            continue  # axis or legend turned off
        if not isinstance(guide, dict) or "labelLimit" in guide or "labelFontSize" in guide:
            return False
        pair = enc.get(f"{channel}2") if channel in _AXIS_CHANNELS else None
        second = pair.get("field") if isinstance(pair, dict) else None
        ems = _widest_label_ems(channel_enc, guide, rows, second, stacked)
        if ems is None or ems * float(size) > limit:
            return False
    return True


def without_idle_limits(spec_text: str) -> str:
    """The spec to draw: `spec_text` with the axis and legend `labelLimit` set to 0 where no label can reach
    it, else `spec_text` itself. The drawing is the same either way; only Vega's measuring is saved, so
    anything unexpected in the spec means drawing it as it is."""
    try:
        return _fitted(spec_text)
    except (ValueError, TypeError, AttributeError, KeyError):
        return spec_text


def _fitted(spec_text: str) -> str:
    spec = json.loads(spec_text)
    data = spec.get("data") if isinstance(spec, dict) else None
    rows = data.get("values") if isinstance(data, dict) else None
    encodings = _encodings(spec) if isinstance(rows, list) and all(isinstance(r, dict) for r in rows) else None
    if encodings is None:
        return spec_text
    changed = False
    for guide_key, channels in (("axis", _AXIS_CHANNELS), ("legend", _LEGEND_CHANNELS)):
        for channel in channels:
            users = [enc[channel] for enc in encodings if isinstance(enc.get(channel), dict)
                     and enc[channel].get(guide_key, {}) is not None and "field" in enc[channel]]
            if users and _channel_fits(spec, encodings, rows, guide_key, channel):
                for channel_enc in users:
                    channel_enc[guide_key] = {**channel_enc.get(guide_key, {}), "labelLimit": 0}
                changed = True
    return json.dumps(spec) if changed else spec_text
