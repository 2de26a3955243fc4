"""The AutoViz vocabulary shared by every stage: intents, requirements, plans and plan changes.

These are the *internal* typed objects. The LLM never sees them directly: each SGR step builds a bounded,
dataset-specific contract (real column names as enums, registry tool names as enums) and converts the
model's answer into these types.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Intent = Literal[
    "general_eda",
    "time_series_investigation",
    "segmentation_drivers",
    "anomaly_detection",
    "comparative_analysis",
]
INTENTS: tuple[str, ...] = Intent.__args__  # type: ignore[attr-defined]

AnalysisType = Literal[
    "total", "compare", "trend", "distribution", "anomaly", "correlation", "share", "rank", "summary"
]
ANALYSIS_TYPES: tuple[str, ...] = AnalysisType.__args__  # type: ignore[attr-defined]

Grain = Literal["auto", "hour", "day", "week", "month", "quarter", "year"]
Aggregation = Literal["sum", "mean", "median", "count", "min", "max", "count_distinct"]
ChartKind = Literal["line", "bar", "grouped_bar", "stacked_bar", "scatter", "histogram", "box", "heatmap"]
CHART_KINDS: tuple[str, ...] = ChartKind.__args__  # type: ignore[attr-defined]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


FilterOp = Literal["==", "!=", ">", ">=", "<", "<=", "in", "not_in", "between", "contains", "above_mean",
                   "below_mean"]
FILTER_OPS: tuple[str, ...] = FilterOp.__args__  # type: ignore[attr-defined]
#: ops whose value is computed from the data (the column's mean), so the question gives no value
RELATIVE_OPS = ("above_mean", "below_mean")

Mark = Literal["bar", "grouped_bar", "stacked_bar", "line", "area", "pie", "scatter", "histogram", "box",
               "heatmap"]
MARKS: tuple[str, ...] = Mark.__args__  # type: ignore[attr-defined]
#: "none" plots raw values (a scatter of two measures); "count" with no y counts rows
ChartAgg = Literal["count", "count_distinct", "sum", "mean", "median", "min", "max", "none"]
CHART_AGGS: tuple[str, ...] = ChartAgg.__args__  # type: ignore[attr-defined]
TimeBin = Literal["year", "quarter", "month", "week", "weekday", "day", "hour"]
#: sort and bin as flat closed words ("y_descending", "none"): what a tool param or a model's enum holds
FlatSort = Literal["none", "x_ascending", "x_descending", "y_ascending", "y_descending"]
FLAT_SORTS: tuple[str, ...] = FlatSort.__args__  # type: ignore[attr-defined]
FlatBin = Literal["none", "year", "quarter", "month", "week", "weekday", "day", "hour"]
FLAT_BINS: tuple[str, ...] = FlatBin.__args__  # type: ignore[attr-defined]


class Filter(_Closed):
    """A row filter the question asked for ("only in 2024", "region is EU", "salary above the average")."""

    column: str
    op: FilterOp
    #: a list for in/not_in, [low, high] (inclusive) for between, None for above_mean/below_mean
    value: str | float | int | list[str | float | int] | None = None

    def text(self) -> str:
        """The predicate as a person reads it: `salary > mean(salary)`, `region in ('EU', 'US')`."""
        if self.op in RELATIVE_OPS:
            return f"{self.column} {'>' if self.op == 'above_mean' else '<'} mean({self.column})"
        if self.op == "between" and isinstance(self.value, list) and len(self.value) == 2:
            return f"{self.column} between {self.value[0]!r} and {self.value[1]!r}"
        if self.op in ("in", "not_in"):
            vals = self.value if isinstance(self.value, list) else [self.value]
            return f"{self.column} {'not in' if self.op == 'not_in' else 'in'} ({', '.join(repr(v) for v in vals)})"
        return f"{self.column} {self.op} {self.value!r}"


class ChartSort(_Closed):
    """Which channel orders the marks, and which way ("sort by the y-axis from high to low")."""

    channel: Literal["x", "y"]
    order: Literal["ascending", "descending"]

    def flat(self) -> str:
        """The sort as one word of `FlatSort` ("y_descending")."""
        return f"{self.channel}_{self.order}"

    @classmethod
    def from_flat(cls, flat: str | None) -> ChartSort | None:
        """The sort a `FlatSort` word names; None for "none" (or no word)."""
        if flat in (None, "none"):
            return None
        channel, order = str(flat).split("_")
        return cls(channel=channel, order=order)  # type: ignore[arg-type]


class ChartRequest(_Closed):
    """The one chart the question asks for (or the chart a good analyst would draw for it).

    Chart 1 of a run is exactly this chart. Every field is recomputable from the file: the executor turns
    it into one SQL query, and `--json` reports it field by field.
    """

    mark: Mark
    #: the question named the chart type ("a pie chart of ..."); False when the mark was chosen for it
    explicit: bool = False
    x: str
    y: str | None = None
    aggregation: ChartAgg = "count"
    color: str | None = None
    sort: ChartSort | None = None
    bin: TimeBin | None = None
    filters: list[Filter] = Field(default_factory=list)
    top_k: int | None = Field(None, ge=1, le=100)
    #: why each field has its value ("x: 'by department' -> Dept (synonym)"), for the run folder
    reasons: list[str] = Field(default_factory=list)


class Requirements(_Closed):
    """What the question needs, in terms of the dataset's real columns."""

    metrics: list[str] = Field(default_factory=list)
    group_by: list[str] = Field(default_factory=list)
    time_column: str | None = None
    time_grain: Grain = "auto"
    aggregation: Aggregation = "sum"
    analysis_types: list[AnalysisType] = Field(default_factory=list)
    filters: list[Filter] = Field(default_factory=list)
    sort: Literal["desc", "asc", "none"] = "desc"
    top_k: int | None = Field(None, ge=1, le=100)
    chart_hints: list[ChartKind] = Field(default_factory=list)
    #: question terms that look like field names but match no column ("profit", "country")
    unmatched_terms: list[str] = Field(default_factory=list)
    #: unknown words where a measure would be that no lexicon calls a field ("the rundown by region"): the
    #: run answers and names them in a notice; recomputed like `unmatched_terms`, never the model's to set
    unrecognized_terms: list[str] = Field(default_factory=list)
    #: how each matched question term mapped to a column, with the match kind (exact/variant/fuzzy)
    mapped_terms: dict[str, str] = Field(default_factory=dict)
    #: keys chosen because the question named nothing ("metric:revenue"), so reports can say so
    defaults: list[str] = Field(default_factory=list)
    #: the chart the question asks for; chart 1 of the report (None: an open question, the template leads)
    chart: ChartRequest | None = None

    def requirement_keys(self) -> list[str]:
        """Stable keys a plan step must serve: 'metric:x', 'group_by:y', 'time:z', 'analysis:t'."""
        keys = [f"metric:{m}" for m in self.metrics]
        keys += [f"group_by:{g}" for g in self.group_by]
        if self.time_column:
            keys.append(f"time:{self.time_column}")
        keys += [f"analysis:{a}" for a in self.analysis_types]
        return keys


class PlanStep(_Closed):
    """One tool call in a plan. Params may hold "auto" until the resolver fills them."""

    id: str
    tool: str
    params: dict[str, Any] = Field(default_factory=dict)
    serves: list[str] = Field(default_factory=list)
    rationale: str = ""


class Plan(_Closed):
    """An ordered list of tool calls; template plans and adapted plans share this shape."""

    template_id: str
    intent: Intent
    steps: list[PlanStep] = Field(default_factory=list)


class PlanChange(_Closed):
    """One adaptation of a template plan, with the reason (written to plans/diff)."""

    op: Literal["add", "remove", "modify"]
    step_id: str
    tool: str | None = None
    params: dict[str, Any] | None = None
    serves: list[str] | None = None
    rationale: str
