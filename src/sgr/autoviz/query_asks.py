"""A question typed as a SQL query or a spreadsheet formula, read into the request it states.

Why: people who work in SQL or in spreadsheets ask in those forms (`SELECT "Fuel", COUNT(*) FROM t WHERE
"Mileage" >= 53000 GROUP BY 1`, `=COUNTIFS(Votes, "<2600", Gender, each Gender)`). Read as words they misled
the question reader: the WHERE column became the measure, `COUNT(*)` and `GROUP BY 1` named nothing, and a
`>=` inside quotes was no filter. Like `code_asks` (which this module shares its sentence with), the reader
turns the query into one plain sentence the question reader already reads, and gives up (None: the words are
read as before) on anything it does not understand exactly: OR, HAVING, a join, a computed column, an
expression it has no word for. SQL is tokenised here rather than parsed by DuckDB, because DuckDB's parse tree
(`json_serialize_sql`) is an internal format that changes between its releases, and the subset people type to
ask for a chart is small.

The spreadsheet forms are the conditional aggregates (COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS):
a criterion "each X" (or a trailing "for every X") is the grouping, a quoted comparison ("<2600", ">="&AVERAGE(X))
a filter, a quoted text an equality; and a pivot-table field list ("Rows = X, Values = Sum of Y").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sgr.autoviz.code_asks import _against_own, _Ask, _call_args, _literal, _q, _split_args, _Unknown

#: SQL and spreadsheet aggregate names -> the sentence's aggregation words
_SQL_AGGS = {"sum": "sum", "avg": "mean", "mean": "mean", "average": "mean", "median": "median", "min": "minimum",
             "max": "maximum"}
#: SQL date functions that keep a timeline -> bins (month(), hour() and the like fold years together: not read)
_DATE_PARTS = {"year": "year", "quarter": "quarter", "month": "month", "week": "week", "day": "day", "hour": "hour"}
_MARKS = (("stacked", "stacked_bar"), ("grouped", "grouped_bar"), ("clustered", "grouped_bar"), ("pie", "pie"),
          ("donut", "pie"), ("area", "area"), ("scatter", "scatter"), ("histogram", "histogram"), ("box", "box"),
          ("line", "line"), ("bar", "bar"), ("column", "bar"))
_OPS = (">=", "<=", "<>", "!=", "=", ">", "<")

_TOKEN = re.compile(r"""\s*(?:(?P<comment>--[^\n]*)|"(?P<dq>[^"]*)"|`(?P<bq>[^`]*)`|\[(?P<sq>[^\]]*)\]|"""
                    r"""'(?P<str>(?:[^']|'')*)'|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>>=|<=|<>|!=|[=<>(),*;.])|(?P<word>[A-Za-z_][\w$]*))""")


@dataclass(frozen=True)
class _Tok:
    kind: str  # "ident" (a quoted or bare name), "str", "num", "op", "kw" (a bare word, also usable as a name)
    text: str


def _tokens(sql: str) -> tuple[list[_Tok], str]:
    """SQL tokens and the text of its comments (which may say the chart: "-- show it as bars")."""
    out: list[_Tok] = []
    comments: list[str] = []
    pos = 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if not m or m.end() == pos:
            if sql[pos:].strip():
                raise _Unknown(f"SQL near {sql[pos:pos + 10]!r}")
            break
        pos = m.end()
        if m.group("comment"):
            comments.append(m.group("comment")[2:])
        elif m.group("dq") is not None or m.group("bq") is not None or m.group("sq") is not None:
            out.append(_Tok("ident", m.group("dq") or m.group("bq") or m.group("sq") or ""))
        elif m.group("str") is not None:
            out.append(_Tok("str", m.group("str").replace("''", "'")))
        elif m.group("num") is not None:
            out.append(_Tok("num", m.group("num")))
        elif m.group("op") is not None:
            out.append(_Tok("op", m.group("op")))
        else:
            out.append(_Tok("kw", m.group("word")))
    return out, " ".join(comments)


@dataclass
class _Expr:
    """One select or order item: a column, an aggregate of one (`column` None: count(*)), or a date part."""

    column: str | None = None
    agg: str | None = None  # "count", "distinct", or an _SQL_AGGS word; None: the bare column
    bin: str | None = None
    ordinal: int | None = None  # ORDER BY 2 / GROUP BY 1
    alias: str | None = None


def _speller(columns: Mapping[str, str]) -> Callable[[str], str]:
    """A name as the table spells it, for names typed in another case (`REGION`, `Revenue`); a spelling two
    columns share in lower case must be typed exactly, and a name the table lacks stays as typed (it is reported)."""
    seen: dict[str, list[str]] = {}
    for name in columns:
        seen.setdefault(name.lower(), []).append(name)
    lower = {low: names[0] for low, names in seen.items() if len(names) == 1}
    return lambda name: name if name in columns else lower.get(name.lower(), name)


def _is_date(text: str) -> bool:
    """A date typed as text ("2024-07-01", "15/03/2024"): the word reader reads it as its year, so neither query
    reader states a comparison with one."""
    return bool(re.match(r"\d{4}-\d{1,2}", text) or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", text))


class _Sql:
    """A cursor over the tokens with the few productions the chart subset needs."""

    def __init__(self, toks: list[_Tok], columns: Mapping[str, str]) -> None:
        self.toks, self.i = toks, 0
        self.columns = columns
        self.spell = _speller(columns)

    def column(self) -> str:
        """A column name as the table spells it (see `_speller`)."""
        return self.spell(self.name())

    def peek(self, k: int = 0) -> _Tok | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def word(self, *words: str) -> bool:
        t = self.peek()
        if t is not None and t.kind == "kw" and t.text.lower() in words:
            self.i += 1
            return True
        return False

    def op(self, text: str) -> bool:
        t = self.peek()
        if t is not None and t.kind == "op" and t.text == text:
            self.i += 1
            return True
        return False

    def need_op(self, text: str) -> None:
        if not self.op(text):
            raise _Unknown(f"expected {text!r}")

    def name(self) -> str:
        t = self.peek()
        if t is None or t.kind not in ("ident", "kw"):
            raise _Unknown("expected a column")
        self.i += 1
        if self.op("."):  # t.col: the table's alias, then the column
            return self.name()
        return t.text

    def literal(self) -> str:
        """A constant, as the sentence writes it."""
        t = self.peek()
        if t is None:
            raise _Unknown("expected a value")
        if t.kind == "kw" and t.text.lower() in ("date", "timestamp", "interval"):
            raise _Unknown("a date literal")  # the word reader reads a bare date as its year: not stated exactly
        self.i += 1
        if t.kind == "num":
            return t.text
        if t.kind == "str":
            if _is_date(t.text):
                raise _Unknown("a date literal")
            return _literal(t.text)
        if t.kind == "kw" and t.text.lower() in ("true", "false"):
            return t.text.lower()
        raise _Unknown("value")

    def expr(self) -> _Expr:
        t = self.peek()
        if t is None:
            raise _Unknown("expression")
        if t.kind == "num":
            self.i += 1
            return _Expr(ordinal=int(float(t.text)))
        after = self.peek(1)
        if t.kind == "kw" and after is not None and after.kind == "op" and after.text == "(":
            fn = t.text.lower()
            self.i += 2
            return self.call(fn)
        return _Expr(column=self.column())

    def call(self, fn: str) -> _Expr:
        if fn == "count":
            if self.op("*"):
                self.need_op(")")
                return _Expr(agg="count")
            distinct = self.word("distinct")
            col = self.column()
            self.need_op(")")
            return _Expr(column=col, agg="distinct" if distinct else "count")
        if fn in _SQL_AGGS:
            col = self.column()
            self.need_op(")")
            return _Expr(column=col, agg=_SQL_AGGS[fn])
        if fn in ("dayname", "dayofweek", "weekday"):
            col = self.column()
            self.need_op(")")
            return _Expr(column=col, bin="day of the week")
        if fn == "year":
            col = self.column()
            self.need_op(")")
            return _Expr(column=col, bin="year")
        if fn in ("date_trunc", "datetrunc", "trunc"):
            t = self.peek()
            if t is None or t.kind != "str" or t.text.lower() not in _DATE_PARTS:
                raise _Unknown("date_trunc unit")
            self.i += 1
            self.need_op(",")
            col = self.column()
            self.need_op(")")
            return _Expr(column=col, bin=_DATE_PARTS[t.text.lower()])
        if fn == "strftime":
            first = self.peek()
            fmt, col = None, None
            if first is not None and first.kind == "str":
                self.i += 1
                fmt = first.text
                self.need_op(",")
                col = self.column()
            else:
                col = self.column()
                self.need_op(",")
                t = self.peek()
                if t is None or t.kind != "str":
                    raise _Unknown("strftime format")
                self.i += 1
                fmt = t.text
            self.need_op(")")
            bins = {"%Y-%m": "month", "%Y-%m-%d": "day", "%Y": "year", "%Y-%W": "week", "%Y-%U": "week"}
            if fmt not in bins:
                raise _Unknown("strftime format")
            return _Expr(column=col, bin=bins[fmt])
        raise _Unknown(f"function {fn}")


def read_sql(text: str, columns: Mapping[str, str] | None = None) -> _Ask:
    """The chart a single SELECT over one table asks for (`columns`: the table's names and roles)."""
    toks, comments = _tokens(text)
    p = _Sql(toks, columns or {})
    if not p.word("select"):
        raise _Unknown("not a select")
    p.word("all")
    items: list[_Expr] = []
    while True:
        item = p.expr()
        if p.word("as") or (p.peek() is not None and p.peek().kind == "ident"):  # type: ignore[union-attr]
            item.alias = p.name()
        items.append(item)
        if not p.op(","):
            break
    if not p.word("from"):
        raise _Unknown("no FROM")
    p.name()
    p.word("as")
    t = p.peek()
    if t is not None and (t.kind == "ident" or (t.kind == "kw" and t.text.lower() not in (
            "where", "group", "order", "limit", "having", "join", "inner", "left", "right", "full", "cross"))):
        p.name()  # the table's alias
    ask = _Ask()
    if p.word("where"):
        ask.filters.extend(_conditions(p, ask))
    keys: list[_Expr] = []
    if p.word("group"):
        if not p.word("by"):
            raise _Unknown("GROUP without BY")
        while True:
            keys.append(_resolve(p.expr(), items))
            if not p.op(","):
                break
    order: list[tuple[_Expr, str]] = []
    if p.word("order"):
        if not p.word("by"):
            raise _Unknown("ORDER without BY")
        while True:
            e = _resolve(p.expr(), items)
            direction = "descending" if p.word("desc") else "ascending"
            p.word("asc")
            if p.word("nulls"):
                p.word("first", "last")
            order.append((e, direction))
            if not p.op(","):
                break
    limit = None
    if p.word("limit"):
        t = p.peek()
        if t is None or t.kind != "num" or "." in t.text or int(t.text) < 1:
            raise _Unknown("LIMIT")
        limit = int(t.text)
        p.i += 1
    p.op(";")
    if p.peek() is not None:
        raise _Unknown("more than one SELECT, HAVING, a join or a clause this reader does not know")
    _shape(ask, items, keys, order, limit, p.columns)
    ask.mark = _mark_in(comments) if ask.mark is None else ask.mark
    return ask


def _resolve(e: _Expr, items: list[_Expr]) -> _Expr:
    """GROUP BY 1 / ORDER BY 2 / an alias -> the select item it names."""
    if e.ordinal is not None:
        if not 1 <= e.ordinal <= len(items):
            raise _Unknown("ordinal out of range")
        return items[e.ordinal - 1]
    for item in items:
        if e.agg is None and e.bin is None and e.column is not None and item.alias == e.column:
            return item
    return e


def _same(a: _Expr, b: _Expr) -> bool:
    return (a.column, a.agg, a.bin) == (b.column, b.agg, b.bin)


def _shape(ask: _Ask, items: list[_Expr], keys: list[_Expr], order: list[tuple[_Expr, str]], limit: int | None,
           columns: Mapping[str, str]) -> None:
    aggs = [i for i in items if i.agg is not None]
    plain = [i for i in items if i.agg is None]
    if len(aggs) != 1 or not 1 <= len(keys) <= 2 or any(i.column is None for i in plain):
        raise _Unknown("not one aggregate over one or two groups")
    if any(not any(_same(k, i) or (k.bin is None and i.bin is None and k.column == i.column) for i in plain)
           for k in keys) and plain:
        raise _Unknown("a select column that is not grouped")
    measure = aggs[0]
    x = keys[0]
    ask.x, ask.x_bin = x.column, x.bin
    ask.named.add(x.column or "")
    if len(keys) == 2:
        if keys[1].bin is not None:
            raise _Unknown("a binned colour")
        ask.color = keys[1].column
        ask.named.add(ask.color or "")
    if measure.agg == "count":
        ask.y, ask.agg = None, None  # COUNT(col): the rows where col is given; the same bars on a full column
        if measure.column is not None:
            ask.named.add(measure.column)
    else:
        if measure.column in columns and columns[measure.column] != "measure":
            raise _Unknown("a sum or an average of a column that is no measure (a flag, a category)")
        ask.y, ask.agg = measure.column, measure.agg
        ask.named.add(measure.column or "")
    if order:
        e, direction = order[0]
        if _same(e, measure):
            ask.sort = ("y", direction)
        elif e.agg is not None:
            raise _Unknown("ordered by another aggregate than the one drawn")
        elif e.column == x.column:
            ask.sort = (x.column or "", direction)
        else:
            raise _Unknown("ordered by something not drawn")
    if limit is not None:
        if ask.sort is None or ask.sort[0] != "y":
            raise _Unknown("LIMIT without an order by the values")
        ask.top = (limit, "highest" if ask.sort[1] == "descending" else "lowest")
        ask.sort = None


def _conditions(p: _Sql, ask: _Ask) -> list[str]:
    out = [_condition(p, ask)]
    while p.word("and"):
        out.append(_condition(p, ask))
    if p.word("or"):
        raise _Unknown("OR")
    return out


def _condition(p: _Sql, ask: _Ask) -> str:
    if p.word("not"):
        col = p.column()
        ask.named.add(col)
        return f"{_q(col)} = false"
    col = p.column()
    ask.named.add(col)
    negated = p.word("not")
    if p.word("between"):
        lo = p.literal()
        if not p.word("and"):
            raise _Unknown("BETWEEN without AND")
        return f"{_q(col)} is between {lo} and {p.literal()}"
    if p.word("in"):
        p.need_op("(")
        values = [p.literal()]
        while p.op(","):
            values.append(p.literal())
        p.need_op(")")
        if any(not v.startswith(("'", '"')) for v in values):
            raise _Unknown("IN over numbers")  # the word reader reads "is 2023 or 2024" as a year
        if negated:
            return " and ".join(f"{_q(col)} is not {v}" for v in values)
        return f"{_q(col)} is {values[0]}" if len(values) == 1 else f"{_q(col)} is one of {', '.join(values)}"
    if p.word("ilike"):
        raise _Unknown("ILIKE")  # matching without case: the word reader matches the value's own case
    if p.word("like"):
        t = p.peek()
        if t is None or t.kind != "str":
            raise _Unknown("LIKE pattern")
        p.i += 1
        m = re.fullmatch(r"%([^%_]+)%", t.text)
        if not m or negated:
            raise _Unknown("LIKE pattern")
        return f"{_q(col)} containing {_literal(m.group(1))}"
    if negated:
        raise _Unknown("NOT")
    if p.word("is"):
        neg = p.word("not")
        if p.word("true", "false"):
            value = p.toks[p.i - 1].text.lower() == "true"
            return f"{_q(col)} = {'true' if value != neg else 'false'}"
        raise _Unknown("IS NULL")
    t = p.peek()
    if t is None or t.kind != "op" or t.text not in _OPS:
        if t is None or (t.kind == "kw" and t.text.lower() in ("group", "order", "limit", "and")):
            return f"{_q(col)} = true"  # WHERE flag
        raise _Unknown("comparison")
    p.i += 1
    op = {"=": "==", "<>": "!="}.get(t.text, t.text)
    if p.op("("):
        if not p.word("select"):
            raise _Unknown("a parenthesised expression")
        e = p.expr()
        if not p.word("from"):
            raise _Unknown("subquery")
        p.name()
        p.need_op(")")
        if e.column != col or e.agg not in ("mean", "median") or op not in (">", ">=", "<", "<="):
            raise _Unknown("a subquery other than the column's own average")
        return _against_own(col, op, "average" if e.agg == "mean" else "median")
    value = p.literal()
    text = value.startswith(("'", '"'))
    if p.columns.get(col) == "boolean" and value not in ("true", "false"):
        raise _Unknown("a flag compared with a text or a number")
    if op == "==":
        return f"{_q(col)} {'is' if text else '='} {value}"
    if op == "!=":
        return f"{_q(col)} {'is not' if text else '!='} {value}"
    if value.startswith(("'", '"')):
        raise _Unknown("ordered text")
    return f"{_q(col)} {op} {value}"


def _mark_in(text: str) -> str | None:
    """The chart a comment names: "as bars", "as a pie", "line chart" (never "one row per line item", nor a
    chart the comment rules out: "not a pie")."""
    low = text.lower()
    for word, mark in _MARKS:
        said = rf"\b(?:as\s+(?:an?\s+)?(?:{word})(?:e?s)?\b|(?:{word})(?:e?s)?\s+(?:chart|plot|graph)s?\b)"
        for m in re.finditer(said, low):
            if not re.search(r"\b(?:not|no|never|instead\s+of)\s+(?:an?\s+|as\s+(?:an?\s+)?)?$", low[:m.start()]):
                return mark
    return None


# -- spreadsheet formulas and pivot field lists ---------------------------------------------------------------

_FORMULA = re.compile(r"^\s*=?\s*(COUNTIFS?|SUMIFS?|AVERAGEIFS?|MAXIFS|MINIFS)\s*\(", re.IGNORECASE)
_CRITERION = re.compile(r'^"\s*(>=|<=|<>|=|>|<)?\s*([^"]*)"$')
_RELATIVE = re.compile(r'^"\s*(>=|<=|>|<)\s*"\s*&\s*(AVERAGE|MEDIAN)\s*\(\s*(.+?)\s*\)$', re.IGNORECASE)
_EACH = re.compile(r"^(?:each|every|per|by)\s+(.+)$", re.IGNORECASE)
_TRAILING_GROUP = re.compile(r"^\s*,?\s*(?:for|per|by|across|in)\s+(?:each|every|all)?\s*(.+?)\s*[.?!]?\s*$",
                             re.IGNORECASE)


def is_formula(text: str) -> bool:
    """Whether the question starts with a conditional aggregate (with or without its '=')."""
    return bool(_FORMULA.match(text))


def read_formula(text: str, columns: Mapping[str, str]) -> _Ask:
    m = _FORMULA.match(text)
    if not m:
        raise _Unknown("not a formula")
    fn = m.group(1).upper()
    args_text, end = _call_args(text, m.end() - 1)
    args = _split_args(args_text)
    spell = _speller(columns)

    def header(cell: str) -> str:
        return spell(_cell_column(cell))

    ask = _Ask()
    if fn in ("COUNTIF", "COUNTIFS"):
        pairs, measure, agg = args, None, None
    elif fn == "SUMIF" or fn == "AVERAGEIF":
        if len(args) != 3:
            raise _Unknown(fn)
        pairs, measure = args[:2], args[2]
        agg = "sum" if fn == "SUMIF" else "mean"
    else:
        if len(args) < 3:
            raise _Unknown(fn)
        pairs, measure = args[1:], args[0]
        agg = {"SUMIFS": "sum", "AVERAGEIFS": "mean", "MAXIFS": "maximum", "MINIFS": "minimum"}[fn]
    if len(pairs) % 2:
        raise _Unknown("criteria come in pairs")
    if measure is not None:
        ask.y, ask.agg = header(measure), agg
        if columns.get(ask.y, "measure") != "measure":
            raise _Unknown("a sum or an average of a column that is no measure")
        ask.named.add(ask.y)
    groups: list[str] = []
    for rng, crit in zip(pairs[::2], pairs[1::2], strict=True):
        col = header(rng)
        ask.named.add(col)
        each = _EACH.match(crit.strip())
        if each:
            if header(each.group(1)) != col:
                raise _Unknown("each names another column")
            groups.append(col)
            continue
        ask.filters.append(_criterion(col, crit.strip(), columns.get(col)))
    rest = text[end:]
    if rest.strip():
        tail = _TRAILING_GROUP.match(rest)
        if not tail:
            raise _Unknown("text after the formula")
        name = header(tail.group(1))
        if name not in columns:
            raise _Unknown("trailing words are no column")
        groups.append(name)
        ask.named.add(name)
    if not 1 <= len(groups) <= 2:
        raise _Unknown("no grouping")
    ask.x = groups[0]
    if len(groups) == 2:
        ask.color = groups[1]
    return ask


def _cell_column(text: str) -> str:
    """A range named by its header: `Delivery Mode`, `Piano Age (yrs)`, "tuition fee" (never A1:A100)."""
    name = text.strip().strip('"').strip("'").strip("`").strip()
    if not name or re.fullmatch(r"\$?[A-Z]{1,3}\$?\d*(?::\$?[A-Z]{1,3}\$?\d*)?", name) or re.search(r'[",&=<>]', name):
        raise _Unknown("a cell range, not a header")
    return name


def _criterion(col: str, crit: str, role: str | None) -> str:
    rel = _RELATIVE.match(crit)
    if rel:
        if rel.group(3).strip().strip('"').strip().lower() != col.lower():
            raise _Unknown("compared with another column's statistic")
        return _against_own(col, rel.group(1), "average" if rel.group(2).upper() == "AVERAGE" else "median")
    flag = crit.strip('"').strip().upper()
    if flag in ("TRUE", "FALSE"):
        return f"{_q(col)} = {flag.lower()}"
    if role == "boolean":
        raise _Unknown("a flag compared with a text or a number")
    m = _CRITERION.match(crit)
    if not m:
        raise _Unknown("criterion")
    op, value = m.group(1) or "=", m.group(2).strip()
    if _is_date(value):
        raise _Unknown("a date criterion")
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", value):
        raise _Unknown("a thousands separator or a decimal point?")  # "1.000": ambiguous, never guessed
    if re.fullmatch(r"-?\d[\d,]*(?:\.\d+)?", value):
        number = value.replace(",", "")
        return {"=": f"{_q(col)} = {number}", "<>": f"{_q(col)} != {number}"}.get(op, f"{_q(col)} {op} {number}")
    if op in ("=", "<>") and value and "*" not in value and "?" not in value:
        return f"{_q(col)} is{' not' if op == '<>' else ''} {_literal(value)}"
    wild = re.fullmatch(r"\*([^*?]+)\*", value)
    if wild and op == "=":
        return f"{_q(col)} containing {_literal(wild.group(1))}"
    raise _Unknown("criterion")
