"""A question typed as code (a pandas chain, a seaborn or plotly call, a ggplot2 call; SQL and spreadsheet
formulas in `query_asks`) read into the plain request it states, before the question reader reads it.

Why a reader of its own: an analyst who types `df.groupby('Priority')['CSAT'].median().plot.bar()` has stated
every part of the chart exactly, but read word by word the code misleads the question reader: `ascending=False`
became a filter on a flag, `resample('M')` a filter on a `Sex` column holding "M", `.size()` after a filter
became a mean. Python is parsed with `ast` (never executed); R's ggplot2 is read from its `aes()` mapping and
layer names. The result is one plain sentence in forms the question reader already reads, so mapping, partial
answers and provenance stay one path; the run log keeps what was typed (`asked`) next to the sentence read
(`question`).

The reader gives up (returns None, and the question is read as words, as before) on anything it does not
understand exactly: an unknown method, a lambda, a computed column, data passed as an expression, a name the
table lacks, a date part that folds years together (`.dt.month`). A half-translated request would look
exact and be wrong; the word reader at least reports what it could not place.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: aggregation names of pandas, numpy, seaborn, plotly and R -> the sentence's words. "sum of X" and "mean of
#: X" rather than "total X" and "average X": a table may have a `Total` or `Average` column of its own
_AGG_WORDS = {"sum": "sum", "mean": "mean", "average": "mean", "avg": "mean", "median": "median", "min": "minimum",
              "max": "maximum", "nunique": "distinct"}
#: frequency aliases of `resample`, `Grouper` and `to_period` -> time bins ("ME", "MS": month end / start)
_FREQ = {"y": "year", "a": "year", "ye": "year", "ys": "year", "as": "year", "q": "quarter", "qe": "quarter",
         "qs": "quarter", "m": "month", "me": "month", "ms": "month", "w": "week", "d": "day", "h": "hour"}
#: `.dt` accessors that keep a timeline. `.dt.month`, `.dt.day`, `.dt.hour`, `.dt.week` and `.dt.quarter` fold
#: the years together (every January in one bar), which no time bin here does: they are not read
_DT_BIN = {"year": "year", "day_name": "day of the week", "dayofweek": "day of the week",
           "weekday": "day of the week", "day_of_week": "day of the week", "date": "day"}
#: chart kinds of `.plot(kind=...)`, `.plot.<kind>()` and seaborn functions -> marks
_KINDS = {"bar": "bar", "barh": "bar", "barplot": "bar", "line": "line", "lineplot": "line", "area": "area",
          "pie": "pie", "hist": "histogram", "histplot": "histogram", "box": "box", "boxplot": "box",
          "scatter": "scatter", "scatterplot": "scatter", "countplot": "bar"}
_MARK_WORDS = {"bar": "Bar chart", "stacked_bar": "Stacked bar chart", "grouped_bar": "Grouped bar chart",
               "line": "Line chart", "area": "Area chart", "pie": "Pie chart", "histogram": "Histogram",
               "box": "Box plot", "scatter": "Scatter plot"}
#: names that count rows rather than aggregate a column (`size()`, `aggfunc='count'`, `estimator=len`)
_COUNT_NAMES = ("size", "count", "len")
_OPS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
#: methods that change nothing a chart shows
_NEUTRAL = {"reset_index", "to_frame", "round", "rename", "copy", "dropna", "astype", "fillna", "rename_axis",
            "squeeze", "to_dict", "tolist", "to_list", "show", "display"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


class _Unknown(Exception):
    """Code the reader does not understand: the question is read as words instead."""


@dataclass
class _Ask:
    """What the code asks for, in the question reader's terms."""

    mark: str | None = None
    x: str | None = None
    x_bin: str | None = None
    y: str | None = None
    agg: str | None = None  # None with y None: the number of rows
    color: str | None = None
    filters: list[str] = field(default_factory=list)
    sort: tuple[str, str] | None = None  # ("y" or the x column, "ascending" | "descending")
    top: tuple[int, str] | None = None  # (k, "highest" | "lowest")
    stacked: bool | None = None
    #: every column the code names (all must be columns of the table)
    named: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class CodeRead:
    """A question typed as code, read: the sentence the question reader reads, and the names the code gives
    as columns that the table lacks (they are what the answer is missing, whatever the words make of them)."""

    sentence: str
    missing: tuple[str, ...] = ()


def read_code(question: str, columns: Mapping[str, str] | None = None) -> CodeRead | None:
    """The plain request a question typed as code states, or None when it is no code this reader knows.

    `columns` maps the table's column names to their roles ("measure", "categorical", ...): with it the reader
    tells a horizontal seaborn bar from a vertical one and a colour name from a column, and lists the names
    the code uses that the table lacks.
    """
    from sgr.autoviz.query_asks import is_formula, read_formula, read_sql

    text = question.strip().rstrip(";").strip()
    sql = re.match(r"^select\s", text, re.IGNORECASE) is not None
    if "(" not in text and not sql:
        return None
    try:
        if sql:
            ask = read_sql(text, columns or {})
        elif is_formula(text):
            ask = read_formula(text, columns or {})
        elif re.match(r"^ggplot\s*\(", text):
            ask = _read_ggplot(text)
        elif re.match(r"^(?:[A-Za-z_]\w*)\s*(?:\.|\[)", text):
            ask = _read_python(text, columns or {})
        else:
            return None
        sentence = _sentence(ask, columns)
        if sentence is None:
            return None
        missing = sorted(n for n in ask.named if columns and n not in columns and n != ask.color)
        return CodeRead(sentence, tuple(missing))
    except (_Unknown, SyntaxError, RecursionError, MemoryError):
        return None
    except Exception as exc:  # a reader of typed code must never cost the question: read it as words
        log.debug("code reader gave up on %r: %s: %s", question, type(exc).__name__, exc)
        return None


# -- Python: pandas chains, seaborn, plotly ---------------------------------------------------------------


def _read_python(text: str, columns: Mapping[str, str]) -> _Ask:
    tree = ast.parse(text, mode="eval").body
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Attribute) and isinstance(tree.func.value, ast.Name) \
            and tree.func.value.id in ("sns", "px"):
        return _module_call(tree.func.value.id, tree.func.attr, tree, columns)
    ask, st = _Ask(), _State()
    _chain(tree, ask, st)
    if ask.mark is None and ask.sort is None and ask.top is None and st.pending_sort:
        ask.sort = st.pending_sort  # a bare value_counts() lists the values from the most counted down
    return ask


@dataclass
class _State:
    """Where the chain is: the selected column, the group keys, whether it has been aggregated."""

    keys: list[tuple[str, str | None]] = field(default_factory=list)  # (column, time bin)
    column: str | None = None  # df['col'] or grouped['col']
    aggregated: bool = False
    index_date: str | None = None  # set_index('date') before resample
    pending_sort: tuple[str, str] | None = None


def _const(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return -node.operand.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_const(e) for e in node.elts]
    raise _Unknown("not a constant")


def _text(node: ast.AST) -> str:
    value = _const(node)
    if not isinstance(value, str) or not value:
        raise _Unknown("not a name")
    return value


def _count(node: ast.AST) -> int:
    value = _const(node)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise _Unknown("not a count")
    return value


def _flag(node: ast.AST) -> bool:
    """ascending=False, ascending=[False]: one boolean (a list of several is one per key: not read)."""
    value = _const(node)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, (bool, int)):
        raise _Unknown("not a flag")
    return bool(value)


def _kwargs(call: ast.Call) -> dict[str, ast.AST]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def _column_of(node: ast.AST, ask: _Ask) -> str:
    """`df['col']` or a column name in quotes (an attribute `df.col` is read by the chain)."""
    name = _text(node.slice) if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) else _text(node)
    ask.named.add(name)
    return name


def _key(node: ast.AST, ask: _Ask) -> tuple[str, str | None]:
    """A groupby key: a column name, `df['d'].dt.year`, `df['d'].dt.day_name()`, `pd.Grouper(key=, freq=)`."""
    if isinstance(node, ast.Constant):
        return _column_of(node, ask), None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Grouper":
        kw = _kwargs(node)
        if "key" not in kw or "freq" not in kw:
            raise _Unknown("Grouper without a key and a frequency")
        return _column_of(kw["key"], ask), _freq(kw["freq"])
    inner = node.func if isinstance(node, ast.Call) else node
    if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Attribute) and inner.value.attr == "dt":
        accessor = inner.attr
        if accessor == "to_period" and isinstance(node, ast.Call) and len(node.args) == 1:
            return _column_of(inner.value.value, ask), _freq(node.args[0])
        if accessor in _DT_BIN and (isinstance(node, ast.Call) == (accessor == "day_name")):
            return _column_of(inner.value.value, ask), _DT_BIN[accessor]
        raise _Unknown(f"dt.{accessor}")
    if isinstance(node, ast.Subscript):
        return _column_of(node, ask), None
    raise _Unknown("groupby key")


def _freq(node: ast.AST) -> str:
    m = re.fullmatch(r"1?([A-Za-z]+)", str(_const(node)))
    if not m or m.group(1).lower() not in _FREQ:
        raise _Unknown("frequency")
    return _FREQ[m.group(1).lower()]


def _chain(node: ast.AST, ask: _Ask, st: _State) -> None:
    """Read a method chain from its start (the frame) to its end (usually a plot call)."""
    if isinstance(node, ast.Name):
        return  # the frame itself
    if isinstance(node, ast.Subscript):
        _chain(node.value, ask, st)
        _subscript(node, ask, st)
        return
    if isinstance(node, ast.Attribute):
        _chain(node.value, ask, st)
        if node.attr in ("plot", "loc"):
            return
        if st.aggregated or (st.keys and st.column) or node.attr in ("str", "dt", "index", "values", "T"):
            raise _Unknown(f"attribute {node.attr}")
        st.column = node.attr  # `df.price`, `df.groupby('city').price`: a column by attribute
        ask.named.add(node.attr)
        return
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        raise _Unknown("not a method chain")
    if isinstance(node.func.value, ast.Name) and node.func.value.id == "pd" and node.func.attr == "crosstab":
        if len(node.args) != 2 or node.keywords:
            raise _Unknown("crosstab")
        st.keys = [(_column_of(node.args[0], ask), None), (_column_of(node.args[1], ask), None)]
        _aggregate(ask, st, None)  # a table of counts: rows x, columns the colour
        return
    base, name = node.func.value, node.func.attr
    if isinstance(base, ast.Attribute) and base.attr == "plot":  # df.plot.bar(...)
        _chain(base.value, ask, st)
        _plot(name, node, ask, st)
        return
    _chain(base, ask, st)
    _method(name, node, ask, st)


def _subscript(node: ast.Subscript, ask: _Ask, st: _State) -> None:
    inner = node.slice
    if isinstance(inner, ast.Constant):
        st.column = _column_of(inner, ask)  # df['col'] or grouped['col']
        return
    if isinstance(inner, ast.List) and len(inner.elts) == 1:
        st.column = _column_of(inner.elts[0], ask)
        return
    if st.keys or st.aggregated or st.column:
        raise _Unknown("subscript after grouping")
    ask.filters.extend(_predicates(inner, ask))


def _predicates(node: ast.AST, ask: _Ask) -> list[str]:
    """A boolean mask as readable predicates (`&` joins; `|` is not read)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
        return _predicates(node.left, ask) + _predicates(node.right, ask)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [p for v in node.values for p in _predicates(v, ask)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        operand = node.operand
        if isinstance(operand, ast.Call) and isinstance(operand.func, ast.Attribute) and operand.func.attr == "isin" \
                and len(operand.args) == 1:
            col = _column_of(operand.func.value, ask)
            return [f"{_q(col)} is not {_literal(v)}" for v in _values(operand.args[0])]
        return [f"{_q(_column_of(operand, ask))} = false"]
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return [_comparison(node, ask)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method, target = node.func.attr, node.func.value
        if method == "isin" and len(node.args) == 1:
            values = _values(node.args[0])
            col = _column_of(target, ask)
            return [f"{_q(col)} is {_literal(values[0])}" if len(values) == 1
                    else f"{_q(col)} is one of {', '.join(_literal(v) for v in values)}"]
        if method == "between" and len(node.args) == 2:
            lo, hi = _number(node.args[0]), _number(node.args[1])
            return [f"{_q(_column_of(target, ask))} is between {lo} and {hi}"]
    if isinstance(node, ast.Subscript):
        return [f"{_q(_column_of(node, ask))} = true"]  # df[df['flag']]
    raise _Unknown("mask")


def _comparison(node: ast.Compare, ask: _Ask) -> str:
    left, right, op = node.left, node.comparators[0], _OPS.get(type(node.ops[0]))
    if op is None:
        raise _Unknown("comparison")
    if isinstance(left, ast.Subscript):
        col, other = _column_of(left, ask), right
    else:
        col, other, op = _column_of(right, ask), left, _FLIPPED[op]
    relative = _relative(other, col, ask)
    if relative:
        if op not in (">", ">=", "<", "<="):
            raise _Unknown("equal to an average")
        return _against_own(col, op, relative)
    value = _const(other)
    if isinstance(value, bool):
        if op not in ("==", "!="):
            raise _Unknown("ordered booleans")
        return f"{_q(col)} = {'true' if value == (op == '==') else 'false'}"
    if op == "==":
        return f"{_q(col)} is {_literal(value)}"
    if op == "!=":
        return f"{_q(col)} is not {_literal(value)}"
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise _Unknown("ordered text")
        return f"{_q(col)} {op} {value}"
    return f"{_q(col)} {op} {_number(other)}"


def _against_own(col: str, op: str, statistic: str) -> str:
    """"X is above the average X": a column compared with its own average or median (every reader's form)."""
    return f"{_q(col)} is {'above' if op in ('>', '>=') else 'below'} the {statistic} {_q(col)}"


def _relative(node: ast.AST, col: str, ask: _Ask) -> str | None:
    """'average' for `df['col'].mean()` (the same column), 'median' for `.median()`; None otherwise."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("mean", "median") \
            and not node.args and not node.keywords:
        if _column_of(node.func.value, ask) != col:
            raise _Unknown("compared with another column's statistic")
        return "average" if node.func.attr == "mean" else "median"
    return None


def _number(node: ast.AST) -> str:
    value = _const(node)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e15:
        raise _Unknown("not a number")
    return repr(value)


def _literal(value: Any) -> str:
    if isinstance(value, str) and value and "\n" not in value:
        if "'" not in value:
            return f"'{value}'"
        if '"' not in value:
            return f'"{value}"'  # "O'Brien"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= 1e15:
        return repr(value)
    raise _Unknown("literal")


def _values(node: ast.AST) -> list[Any]:
    values = _const(node)
    if not isinstance(values, list) or not 1 <= len(values) <= 20:
        raise _Unknown("isin values")
    return values


def _method(name: str, call: ast.Call, ask: _Ask, st: _State) -> None:
    kw = _kwargs(call)
    if name in _NEUTRAL:
        return
    if name == "query" and len(call.args) == 1 and not st.keys and not st.aggregated:
        ask.filters.extend(_predicates(ast.parse(_query_source(_text(call.args[0])), mode="eval").body, ask))
        return
    if name == "set_index" and len(call.args) == 1:
        st.index_date = _column_of(call.args[0], ask)
        return
    if name == "resample":
        rule = call.args[0] if call.args else kw.get("rule")
        column = _column_of(kw["on"], ask) if "on" in kw else st.index_date
        if rule is None or not column:
            raise _Unknown("resample without a date")
        st.keys = [(column, _freq(rule))]
        return
    if name == "groupby":
        arg = call.args[0] if call.args else kw.get("by")
        if arg is None or len(call.args) > 1:
            raise _Unknown("groupby keys")
        st.keys = [_key(k, ask) for k in arg.elts] if isinstance(arg, (ast.List, ast.Tuple)) else [_key(arg, ask)]
        if not 1 <= len(st.keys) <= 2:
            raise _Unknown("groupby keys")
        return
    if name in ("size", "count") and st.keys and not call.args:
        _aggregate(ask, st, None)  # count(): non-null rows per group, the rows themselves for a key column
        return
    if name in _AGG_WORDS and not call.args:
        _aggregate(ask, st, _AGG_WORDS[name])
        return
    if name in ("agg", "aggregate") and len(call.args) == 1:
        how = _const(call.args[0])
        _aggregate(ask, st, _agg_word(how[0] if isinstance(how, list) and len(how) == 1 else how))
        return
    if name == "value_counts":
        if not st.column or st.keys or call.args or set(kw) - {"ascending", "sort", "dropna"}:
            raise _Unknown("value_counts")  # normalize=True asks for shares, bins= for ranges: not read
        st.keys, st.column = [(st.column, None)], None
        _aggregate(ask, st, None)
        if "sort" in kw and not _flag(kw["sort"]):
            return
        if "ascending" in kw and _flag(kw["ascending"]):
            ask.sort = ("y", "ascending")
        else:
            st.pending_sort = ("y", "descending")  # value_counts sorts by count, largest first
        return
    if name == "unstack":
        if len(st.keys) != 2 or not st.aggregated:
            raise _Unknown("unstack")
        level = _const(call.args[0]) if call.args else _const(kw["level"]) if "level" in kw else -1
        if level in (0, st.keys[0][0]):  # the first key goes to the columns: it is the colour
            if ask.x_bin:
                raise _Unknown("unstack of a binned date")
            ask.x, ask.color = ask.color, ask.x
        elif level not in (-1, 1, st.keys[1][0]):
            raise _Unknown("unstack level")
        return
    if name == "sort_values":
        if not st.aggregated:
            raise _Unknown("sorting rows")
        by = call.args[0] if call.args else kw.get("by")
        order = "descending" if "ascending" in kw and not _flag(kw["ascending"]) else "ascending"
        channel = "y"
        if by is not None:
            by_name = _const(by)
            by_name = by_name[0] if isinstance(by_name, list) and len(by_name) == 1 else by_name
            if by_name == ask.x:
                channel = ask.x
            elif by_name != (ask.y or "size") and by_name not in (0, "count", "counts"):
                raise _Unknown("sort by another column")
        ask.sort = (channel, order)
        return
    if name == "sort_index":
        if not st.aggregated or not ask.x:
            raise _Unknown("sort_index before grouping")
        ask.sort = (ask.x, "ascending" if "ascending" not in kw or _flag(kw["ascending"]) else "descending")
        return
    if name in ("nlargest", "nsmallest"):
        if not st.aggregated:
            raise _Unknown("ranking rows")
        k = _count(call.args[0]) if call.args else _count(kw["n"]) if "n" in kw else 5
        ask.top = (k, "highest" if name == "nlargest" else "lowest")
        ask.sort = None
        return
    if name in ("head", "tail"):
        k = _count(call.args[0]) if call.args else _count(kw["n"]) if "n" in kw else 5
        order = ask.sort or st.pending_sort
        if not st.aggregated or not order or order[0] != "y":
            raise _Unknown("head without a sort by value")
        first = "highest" if order[1] == "descending" else "lowest"
        last = "lowest" if first == "highest" else "highest"
        ask.top, ask.sort = (k, first if name == "head" else last), None
        return
    if name == "pivot_table" and not st.keys:
        if "index" not in kw or call.args:
            raise _Unknown("pivot_table without an index")
        st.keys = [(_column_of(kw["index"], ask), None)]
        if "columns" in kw:
            st.keys.append((_column_of(kw["columns"], ask), None))
        if "values" not in kw:
            raise _Unknown("pivot_table without values")
        word = _agg_word(_const(kw["aggfunc"]) if "aggfunc" in kw else "mean")  # pandas' default
        values = _column_of(kw["values"], ask)
        st.column = values if word else None  # aggfunc='count': the rows counted
        _aggregate(ask, st, word)
        return
    if name == "plot":
        _plot(_text(kw["kind"]) if "kind" in kw else "line", call, ask, st)
        return
    if name == "hist":
        _plot("hist", call, ask, st)
        return
    if name == "boxplot":
        _plot("box", call, ask, st)
        return
    raise _Unknown(f"method {name}")


def _agg_word(how: Any) -> str | None:
    """The sentence's word for an aggregation named in code ("mean" -> "mean", "nunique" -> "distinct"); None
    for a count of rows; anything else is not read."""
    if how in _COUNT_NAMES:
        return None
    if isinstance(how, str) and how in _AGG_WORDS:
        return _AGG_WORDS[how]
    raise _Unknown("aggregation")


def _raw_column(kw: dict[str, ast.AST], ask: _Ask, st: _State) -> str:
    """The one column a histogram or box plot draws from the rows (`column=` or the selected one); an aggregate
    or a whole frame is not read."""
    column = _column_of(kw["column"], ask) if "column" in kw else st.column
    if st.aggregated or st.keys or not column:
        raise _Unknown("a plot of an aggregate or a frame")
    return column


def _query_source(source: str) -> str:
    """A `DataFrame.query` string as a Python mask over `df`: backticked names and bare names before an
    operator become `df['name']` (`and`/`or`/`not` stay Python's)."""
    source = re.sub(r"`([^`]+)`", lambda m: f"df[{m.group(1)!r}]", source)
    source = re.sub(r"(?<![\w'\"\[.])([A-Za-z_]\w*)(?=\s*(?:[<>]=?|[=!]=|\.\w))",
                    lambda m: m.group(1) if m.group(1) in ("and", "or", "not", "df") else f"df[{m.group(1)!r}]",
                    source)
    return source


def _aggregate(ask: _Ask, st: _State, agg: str | None) -> None:
    if not st.keys or st.aggregated:
        raise _Unknown("aggregate without groups, or twice")
    (ask.x, ask.x_bin), *rest = st.keys
    if rest:
        if rest[0][1]:
            raise _Unknown("a binned date as the colour")
        ask.color = rest[0][0]
    if agg is None:
        ask.y, ask.agg = None, None
    else:
        if not st.column:
            raise _Unknown("aggregate of every column")
        ask.y, ask.agg = st.column, agg
    st.aggregated = True


def _plot(kind: str, call: ast.Call, ask: _Ask, st: _State) -> None:
    kw = _kwargs(call)
    mark = _KINDS.get(kind)
    if mark is None:
        raise _Unknown(f"plot kind {kind}")
    if mark == "scatter":
        if st.aggregated or "x" not in kw or "y" not in kw:
            raise _Unknown("scatter without x and y")
        ask.x, ask.y, ask.mark = _column_of(kw["x"], ask), _column_of(kw["y"], ask), "scatter"
        colour = kw.get("c") or kw.get("color")
        if colour is not None and isinstance(_const(colour), str):
            ask.color = _const(colour)  # kept only if it names a column (see _sentence)
        return
    if mark == "histogram":
        if "by" in kw:
            raise _Unknown("a histogram per group")
        ask.x, ask.mark = _raw_column(kw, ask, st), "histogram"
        return
    if mark == "box":
        ask.y, ask.mark, ask.agg = _raw_column(kw, ask, st), "box", None
        ask.x = _column_of(kw["by"], ask) if "by" in kw else None
        return
    if not st.aggregated:
        raise _Unknown("plot of raw rows")
    # pandas draws a frame's columns side by side unless told to stack them
    ask.stacked = _flag(kw["stacked"]) if "stacked" in kw else False
    ask.mark = mark
    if ask.sort is None and ask.top is None and st.pending_sort and mark == "bar":
        ask.sort = st.pending_sort  # value_counts().plot.bar(): the bars in the order counted


def _module_call(module: str, name: str, call: ast.Call, columns: Mapping[str, str]) -> _Ask:
    """seaborn's and plotly express's chart functions over the whole frame (`data=df`, `px.bar(df, ...)`)."""
    kw = _kwargs(call)
    ask = _Ask()
    data = kw.get("data", kw.get("data_frame")) if {"data", "data_frame"} & set(kw) else (
        call.args[0] if call.args else None)
    if not isinstance(data, ast.Name) or len(call.args) > 1:
        raise _Unknown("data given as an expression")  # a filtered or aggregated frame: not read

    def col(key: str) -> str | None:
        return _column_of(kw[key], ask) if key in kw else None

    if module == "sns":
        mark = _KINDS.get(name)
        if mark is None:
            raise _Unknown(f"seaborn {name}")
        ask.mark, ask.x, ask.y, ask.color = mark, col("x"), col("y"), col("hue")
        if mark == "histogram" and ask.y:
            raise _Unknown("a two-way histogram")
        orient = str(_const(kw["orient"])) if "orient" in kw else ""
        if orient.startswith("h") or (not orient and ask.x and ask.y and columns.get(ask.x) == "measure"
                                      and columns.get(ask.y) not in (None, "measure")):
            if mark not in ("bar", "box"):
                raise _Unknown("horizontal")
            ask.x, ask.y = ask.y, ask.x  # seaborn draws horizontally when the numbers are on x
        if name in ("barplot", "lineplot"):
            if not ask.y or not ask.x:
                raise _Unknown("barplot without x and y")
            est = kw.get("estimator")
            ask.agg = _agg_word("mean" if est is None else est.id if isinstance(est, ast.Name) else
                                est.attr if isinstance(est, ast.Attribute) else _const(est))
            if ask.agg is None:
                ask.y = None  # estimator=len: the rows counted
        elif name == "countplot":
            if ask.y or not ask.x:
                raise _Unknown("countplot")
            ask.agg = None
        if mark == "bar" and ask.color:
            ask.stacked = False  # seaborn dodges the hue
        return ask
    if module == "px":
        if name not in ("bar", "line", "area", "scatter", "box", "histogram", "pie"):
            raise _Unknown(f"plotly {name}")
        ask.mark, ask.color = name, col("color")
        if name == "pie":
            ask.x, ask.y = col("names"), col("values")
        else:
            ask.x, ask.y = col("x"), col("y")
        if "orientation" in kw and str(_const(kw["orientation"])) == "h":
            ask.x, ask.y = ask.y, ask.x
        if name in ("bar", "area", "line", "pie"):
            ask.agg = "sum" if ask.y else None  # plotly stacks (sums) the rows of one x
        if name == "bar":
            ask.stacked = str(_const(kw["barmode"])) != "group" if "barmode" in kw else True
        if name == "histogram" and ask.y:
            func = _text(kw["histfunc"]) if "histfunc" in kw else "sum"  # plotly sums y when y is given
            if func not in ("sum", "avg", "min", "max", "count"):
                raise _Unknown(f"histfunc {func}")
            ask.mark = "bar"
            ask.agg = None if func == "count" else _AGG_WORDS[func]
            ask.y = None if func == "count" else ask.y
        elif name == "histogram" and columns.get(ask.x or "") not in (None, "measure"):
            ask.mark = "bar"  # a histogram of a category is a count per category
        return ask
    raise _Unknown(f"{module}.{name}")


# -- R: ggplot2 ----------------------------------------------------------------------------------------------


def _scan(text: str, start: int = 0) -> Iterator[tuple[int, str, int, bool]]:
    """Each character from `start` with the bracket depth after it and whether it is quoted (inside '', "" or
    backticks): the one scanner both argument readers below share."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote or ch in "`'\"":
            quote = "" if ch == quote else (quote or ch)
            yield i, ch, depth, True
            continue
        depth += (ch == "(") - (ch == ")")
        yield i, ch, depth, False


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments (parentheses, quotes and backticks respected)."""
    out, last = [], 0
    for i, ch, depth, quoted in _scan(text):
        if ch == "," and depth == 0 and not quoted:
            out.append(text[last:i].strip())
            last = i + 1
    if text[last:].strip():
        out.append(text[last:].strip())
    return out


def _call_args(text: str, start: int) -> tuple[str, int]:
    """The text between the parenthesis at `start` and its match, and the index after it."""
    for i, ch, depth, quoted in _scan(text, start):
        if ch == ")" and depth == 0 and not quoted:
            return text[start + 1:i], i + 1
    raise _Unknown("unbalanced parentheses")


def _r_column(expr: str) -> tuple[str, tuple[str, str] | None]:
    """An aes value: `name`, a bare name, factor(x); reorder(x, -y) also says how x is sorted."""
    expr = expr.strip()
    m = re.fullmatch(r"(?:as\.)?factor\s*\((.*)\)", expr, re.DOTALL)
    if m:
        return _r_column(m.group(1))
    m = re.fullmatch(r"reorder\s*\((.*)\)", expr, re.DOTALL)
    if m:
        parts = _split_args(m.group(1))
        if len(parts) != 2:
            raise _Unknown("reorder")
        name, _ = _r_column(parts[0])
        return name, ("y", "descending" if parts[1].strip().startswith("-") else "ascending")
    m = re.fullmatch(r"`([^`]+)`|([A-Za-z_.][\w.]*)", expr)
    if not m:
        raise _Unknown("aes value")
    return m.group(1) or m.group(2), None


#: the aes() keys that make the colour of a ggplot2 chart
_R_COLOUR_KEYS = ("fill", "colour", "color", "group")


def _read_ggplot(text: str) -> _Ask:
    head, pos = _call_args(text, text.index("("))
    head_args = _split_args(head)
    if not head_args or not re.fullmatch(r"(?:data\s*=\s*)?[A-Za-z_.][\w.]*", head_args[0]):
        raise _Unknown("data given as an expression")  # `df %>% filter(...)`: a filter this reader would drop
    mapping: dict[str, str] = {}
    sort: tuple[str, str] | None = None

    def read_aes(args_text: str) -> None:
        nonlocal sort
        for arg in _split_args(args_text):
            am = re.fullmatch(r"(?:mapping\s*=\s*)?aes\s*\((.*)\)", arg, re.DOTALL)
            if not am:
                continue
            positional = ["x", "y"]
            for part in _split_args(am.group(1)):
                km = re.match(r"^(\w+)\s*=\s*(.*)$", part, re.DOTALL)
                key, value = (km.group(1), km.group(2)) if km else (positional.pop(0) if positional else "", part)
                if key in ("x", "y", *_R_COLOUR_KEYS):
                    name, how = _r_column(value)
                    mapping["color" if key in _R_COLOUR_KEYS else key] = name
                    if how and key == "x":
                        sort = how
                elif key:
                    raise _Unknown(f"aes {key}")

    read_aes(",".join(head_args[1:]))
    layers: list[tuple[str, str]] = []
    rest = text[pos:]
    for m in re.finditer(r"\+\s*(\w+)\s*(?=\()", rest):
        args, _end = _call_args(rest, m.end())
        layers.append((m.group(1), args))
        read_aes(args)
    ask = _Ask(x=mapping.get("x"), y=mapping.get("y"), color=mapping.get("color"), sort=sort)
    ask.named = {n for n in (ask.x, ask.y, ask.color) if n}
    geoms = [(name, args) for name, args in layers if name.startswith(("geom_", "stat_"))]
    if len(geoms) != 1:
        raise _Unknown("no layer, or several")
    name, args = geoms[0]
    summary = re.search(r"\bstat\s*=\s*['\"]summary['\"]", args) is not None or name == "stat_summary"
    fun = re.search(r"\bfun(?:\.y)?\s*=\s*['\"]?(\w+)", args)
    if summary:
        if not fun or fun.group(1) not in _AGG_WORDS or not ask.y:
            raise _Unknown("summary")
        ask.agg = _AGG_WORDS[fun.group(1)]
        geom = re.search(r"\bgeom\s*=\s*['\"](\w+)['\"]", args)
        drawn = f"geom_{geom.group(1)}" if geom else name
        ask.mark = {"geom_line": "line", "geom_area": "area"}.get(drawn, "bar")
    elif name == "geom_bar" and "identity" not in args:
        if ask.y:
            raise _Unknown("geom_bar with a y")
        ask.agg, ask.mark = None, "bar"
    elif name in ("geom_col", "geom_bar"):
        ask.agg, ask.mark = "sum", "bar"
    elif name == "geom_histogram":
        ask.mark = "histogram"
    elif name == "geom_boxplot":
        ask.mark = "box"
    elif name in ("geom_point", "geom_jitter"):
        ask.mark = "scatter"
    elif name in ("geom_line", "geom_area"):
        ask.mark, ask.agg = ("line" if name == "geom_line" else "area"), "sum"
    else:
        raise _Unknown(name)
    if any(n == "coord_polar" for n, _a in layers):
        if ask.mark != "bar":
            raise _Unknown("polar")
        ask.mark = "pie"
    if ask.mark == "bar" and ask.color:
        ask.stacked = "dodge" not in args
    return ask


# -- the sentence ----------------------------------------------------------------------------------------


def _q(name: str) -> str:
    """A column as the sentence names it: bare when it is plain words (the readers match a name as typed, and
    some of them stop at a backtick), in backticks when it holds anything else ("`Net (t)`")."""
    return name if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z0-9_]+)*", name) else f"`{name}`"


def _sentence(ask: _Ask, columns: Mapping[str, str] | None) -> str | None:
    """The request in the reader's words; None when a part the mark needs is missing or a name is no column."""
    for name in (ask.x, ask.y, ask.color):
        if name is not None and (not isinstance(name, str) or not name or "`" in name or "\n" in name):
            return None
    if ask.color and ask.color not in (columns or ask.named):
        ask.color = None  # `c='green'`: a colour, not a column
    mark = ask.mark
    needs = {"histogram": ask.x, "scatter": ask.x and ask.y, "box": ask.y}.get(mark or "", ask.x)
    if not needs or (mark not in ("histogram", "scatter", "box") and ask.y is None and ask.agg is not None):
        return None
    if mark == "bar" and ask.color:
        mark = "grouped_bar" if ask.stacked is False else "stacked_bar"
    lead = _MARK_WORDS.get(mark or "", "Show")
    if mark == "histogram":
        words = f"{lead} of {_q(ask.x or '')}"
    elif mark == "scatter":
        words = f"{lead} of {_q(ask.y or '')} against {_q(ask.x or '')}"
    elif mark == "box":
        words = f"{lead} of the {_q(ask.y or '')} values" + (f" for each {_q(ask.x)}" if ask.x else "")
    else:
        if ask.y is None:
            what = "the number of rows"
        elif ask.agg == "distinct":
            what = f"the number of distinct {_q(ask.y)}"
        else:
            what = f"the {ask.agg or 'sum'} of {_q(ask.y)}"
        where = f"by {_q(ask.x or '')} by {ask.x_bin}" if ask.x_bin else f"for each {_q(ask.x or '')}"
        words = f"{lead} {what} {where}" if lead == "Show" else f"{lead} of {what} {where}"
    if ask.color and mark not in ("pie", "box", "histogram"):
        words += f", coloured by {_q(ask.color)}"
    for i, predicate in enumerate(ask.filters):
        words += (", only where " if i == 0 else " and where ") + predicate
    if ask.top:
        words += f", only the {ask.top[0]} {ask.top[1]}"
    elif ask.sort:
        channel, order = ask.sort
        words += f", sorted {order}" if channel == "y" else f", sorted by {_q(channel)} {order}"
    return words
