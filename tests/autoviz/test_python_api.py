"""`sgr.autoviz.analyze` on files and on in-memory tables: the same run, the same chart 1, objects to use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from sgr.autoviz import analyze
from sgr.autoviz.errors import DataError
from sgr.autoviz.pipeline import UsageError

SALES = Path(__file__).resolve().parents[2] / "examples" / "sales.csv"
QUESTION = "a pie chart of revenue by region"


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(spec["data"]["values"], key=json.dumps)


@pytest.fixture(scope="module")
def from_file(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analyze(SALES, QUESTION, out_dir=tmp_path_factory.mktemp("file"))


def test_a_path_gives_the_asked_chart_first_with_answer_and_provenance(from_file: Any) -> None:
    first = from_file.charts[0]
    assert from_file.status == "answered" and first.asked and first.kind == "pie"
    assert (first.fields["x"], first.fields["y"], first.fields["aggregation"]) == ("region", "revenue", "sum")
    assert 5 <= len(from_file.charts) <= 10
    # charts are SVG unless PNGs are asked for
    assert all(c.svg and c.svg.is_file() and c.png is None and c.image == c.svg for c in from_file.charts)
    assert any("region" in line for line in from_file.answer)
    assert from_file.provenance["question"] == QUESTION
    assert from_file.to_json()["charts"][0]["asked"] is True


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow", "duckdb"])
def test_in_memory_tables_give_the_same_chart_1_data_as_the_file(from_file: Any, kind: str, tmp_path: Path) -> None:
    rel = duckdb.sql(f"SELECT * FROM read_csv('{SALES}')")
    frame: Any = {"pandas": lambda: rel.df(), "polars": lambda: rel.pl(), "arrow": lambda: rel.to_arrow_table(),
                  "duckdb": lambda: rel}[kind]()
    result = analyze(frame, QUESTION, out_dir=tmp_path / kind, name="sales")
    assert result.charts[0].kind == "pie" and result.charts[0].asked
    assert _values(result.charts[0].spec) == _values(from_file.charts[0].spec)


def test_charts_are_altair_objects_and_the_result_renders_and_saves(from_file: Any, tmp_path: Path) -> None:
    import altair as alt

    chart = from_file.charts[0].altair()
    assert isinstance(chart, alt.Chart) and chart.to_dict()["mark"]["type"] == "arc"
    page = from_file._repr_html_()
    assert page.count("<img") == page.count("data:image/svg+xml;base64,") == len(from_file.charts)
    saved = from_file.save(tmp_path / "copy")
    assert (saved / "report.html").is_file() and (saved / "run.json").is_file()


def test_unreadable_objects_and_empty_questions_are_the_cli_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read a dict as a table"):
        analyze({"region": ["a"], "revenue": [1]}, QUESTION, out_dir=tmp_path / "a")
    with pytest.raises(DataError, match="no data rows"):
        analyze(pd.DataFrame({"region": pd.Series([], dtype=str), "revenue": pd.Series([], dtype=float)}),
                QUESTION, out_dir=tmp_path / "b")
    with pytest.raises(UsageError, match="question is empty"):
        analyze(pl.DataFrame({"region": ["a", "b"], "revenue": [1.0, 2.0]}), "  ", out_dir=tmp_path / "c")
    assert pa  # imported for the parametrized cases


def test_same_frame_and_seed_give_byte_identical_charts(tmp_path: Path) -> None:
    frame = duckdb.sql(f"SELECT * FROM read_csv('{SALES}')").df()
    one = analyze(frame, QUESTION, out_dir=tmp_path / "one", name="sales")
    two = analyze(frame, QUESTION, out_dir=tmp_path / "two", name="sales")
    for a, b in zip(one.charts, two.charts, strict=True):
        assert a.svg.read_bytes() == b.svg.read_bytes()  # type: ignore[union-attr]
        assert a.spec == b.spec


def test_png_on_request_rasterises_the_same_svg(from_file: Any, tmp_path: Path) -> None:
    with_png = analyze(SALES, QUESTION, out_dir=tmp_path / "png", png=True)
    assert len(with_png.charts) == len(from_file.charts)
    for plain, raster in zip(from_file.charts, with_png.charts, strict=True):
        assert raster.png is not None and raster.image == raster.png
        assert raster.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert raster.svg.read_bytes() == plain.svg.read_bytes()  # type: ignore[union-attr]
    assert "data:image/png;base64," in with_png._repr_html_()
