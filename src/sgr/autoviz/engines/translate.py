"""DuckDB SQL -> PostgreSQL / Spark SQL: SQLGlot transpiles, a rewrite table per engine does the rest.

Why transpile instead of writing each tool three times: the tools' SQL is the one definition of what a chart
means (how a month is cut, how a box's whiskers are found); a second hand-written copy per engine would drift.
SQLGlot maps most of DuckDB's dialect; what it maps wrongly or not at all is rewritten here, explicitly, one
entry per function, found by running the golden questions on every engine (tests/autoviz_engines). Anything
else SQLGlot cannot express raises `UnsupportedSQL` naming the function, never a silently different query.

Statements are parsed once and cached (a plan of eight charts repeats its profile and ranking queries);
parameters (`?`) are bound as typed literals into a copy of the cached tree, so one code path serves
engines whose drivers disagree on placeholder styles (psycopg `%s`, Spark `?`/`:name`) and on how a Python
list becomes an array.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, UnsupportedError

from sgr.autoviz.errors import PlanError

Dialect = Literal["postgres", "spark"]
StatementKind = Literal["query", "create_table", "describe", "catalog"]


class UnsupportedSQL(PlanError):
    """A DuckDB construct the target engine has no rewrite for; the message names it and the engine."""


@dataclass(frozen=True)
class Statement:
    """One translated DuckDB statement: what it does, and its target-dialect tree (placeholders unbound)."""

    kind: StatementKind
    #: the SELECT to run (for create_table: the table's query), in the target dialect, `?` still unbound
    tree: exp.Expression | None
    #: create_table / describe: the relation's name
    name: str | None = None
    #: the target SQL when the statement has no parameters (rendered once, reused)
    sql: str | None = None


# -- placeholders -----------------------------------------------------------------------------------------

_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?")


def number_placeholders(sql: str) -> str:
    """`?` -> `$1, $2, …` outside quotes: SQLGlot cannot parse DuckDB's `?::VARCHAR[]`, but parses `$1::…`."""
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(0) != "?":
            return m.group(0)
        count += 1
        return f"${count}"

    return _QUOTED.sub(swap, sql)


def literal(value: Any) -> exp.Expression:
    """A Python parameter as a typed SQL literal (dates stay dates, lists become arrays)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, decimal.Decimal)):
        return exp.Literal.number(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return exp.cast(exp.Literal.string(str(value)), exp.DataType.build("DOUBLE"))
        return exp.Literal.number(repr(value))
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.build("TIMESTAMP"))
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[literal(v) for v in value])
    return exp.Literal.string(str(value))


def bind(tree: exp.Expression, params: Sequence[Any]) -> exp.Expression:
    """A copy of `tree` with its `$n` placeholders replaced by `params` as literals."""
    def sub(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.Placeholder, exp.Parameter)):
            key = node.name
            if key.isdigit() and 1 <= int(key) <= len(params):
                return literal(params[int(key) - 1])
            raise PlanError(f"SQL parameter {key!r} has no value ({len(params)} given)")
        return node

    return tree.copy().transform(sub)


# -- rewrites: DuckDB functions each engine lacks or spells differently --------------------------------------

Rewrite = Callable[[exp.Expression], exp.Expression]


def _sql(node: exp.Expression) -> str:
    return node.sql(dialect="duckdb")


def _parse(template: str, **args: exp.Expression) -> exp.Expression:
    """A DuckDB expression from a template whose `{name}` slots are filled with sub-trees."""
    return sqlglot.parse_one(template.format(**{k: f"({_sql(v)})" for k, v in args.items()}), read="duckdb")


#: DuckDB's skewness (sample skewness with the sqrt(n(n-1))/(n-2) correction, NULL for n <= 2 or no spread),
#: from power sums; Spark's skewness is the uncorrected one and PostgreSQL has none
_SKEWNESS = (
    "CASE WHEN count({x}) <= 2 OR var_pop({x}::DOUBLE) <= 0 THEN NULL ELSE "
    "sqrt(count({x})::DOUBLE * (count({x}) - 1)) / (count({x}) - 2) * "
    "(avg(power({x}::DOUBLE, 3)) - 3 * avg({x}::DOUBLE) * avg(power({x}::DOUBLE, 2)) "
    "+ 2 * power(avg({x}::DOUBLE), 3)) / power(var_pop({x}::DOUBLE), 1.5) END"
)


def _skewness(node: exp.Expression) -> exp.Expression:
    return _parse(_SKEWNESS, x=node.this)


def _percentile_spark(node: exp.Expression) -> exp.Expression:
    # Spark's percentile_cont takes no array and only WITHIN GROUP; percentile() is the same linear
    # interpolation and takes a scalar or an array of fractions
    return exp.Anonymous(this="percentile", expressions=[node.this, node.expression])


def _median_spark(node: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="percentile", expressions=[node.this, exp.Literal.number("0.5")])


def _isodow_spark(node: exp.Expression) -> exp.Expression:
    # Spark's dayofweek is 1 = Sunday; ISO is 1 = Monday .. 7 = Sunday (SQLGlot 30 maps this off by one)
    return _parse("((dayofweek({x}) + 5) % 7) + 1", x=node.this)


def _dayname_spark(node: exp.Expression) -> exp.Expression:
    # Spark 4's dayname() gives "Mon"; DuckDB's gives "Monday"
    return exp.Anonymous(this="date_format", expressions=[node.this, exp.Literal.string("EEEE")])


def _dayname_pg(node: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="to_char", expressions=[node.this, exp.Literal.string("FMDay")])


def _quarter_pg(node: exp.Expression) -> exp.Expression:
    return exp.Extract(this=exp.var("QUARTER"), expression=node.this)


def _isodow_pg(node: exp.Expression) -> exp.Expression:
    return exp.Extract(this=exp.var("ISODOW"), expression=node.this)


def _approx_distinct_pg(node: exp.Expression) -> exp.Expression:
    # PostgreSQL has no HyperLogLog built in; an exact count answers the same question (more slowly)
    return exp.Count(this=exp.Distinct(expressions=[node.this]))


def _contains_pg(node: exp.Expression) -> exp.Expression:
    return exp.GT(this=exp.Anonymous(this="strpos", expressions=[node.this, node.expression]),
                  expression=exp.Literal.number(0))


def _hash_pg(node: exp.Expression) -> exp.Expression:
    # only the order matters (a seeded, deterministic sample): hash the row of the arguments as text
    row = exp.Anonymous(this="ROW", expressions=list(node.expressions))
    return exp.Anonymous(this="hashtextextended",
                         expressions=[exp.cast(row, exp.DataType.build("TEXT")), exp.Literal.number(0)])


def _interval_spark(node: exp.Expression) -> exp.Expression:
    # Spark's interval literals have no QUARTER or WEEK unit: 3 months, 7 days
    unit = node.text("unit").upper()
    factor, base = {"QUARTER": (3, "MONTH"), "WEEK": (7, "DAY")}.get(unit, (0, ""))
    value = node.this.name if node.this is not None else ""
    if not factor or not value.lstrip("-").isdigit():
        return node
    return exp.Interval(this=exp.Literal.string(str(int(value) * factor)), unit=exp.var(base))


def _anonymous(rewrites: dict[str, Rewrite]) -> Rewrite:
    """Dispatch DuckDB functions SQLGlot does not know (parsed as Anonymous) by lower-case name."""
    def go(node: exp.Expression) -> exp.Expression:
        fn = rewrites.get(node.name.lower())
        return fn(node) if fn else node
    return go


REWRITES: dict[Dialect, dict[type[exp.Expression], Rewrite]] = {
    "postgres": {
        exp.Skewness: _skewness,
        exp.ApproxDistinct: _approx_distinct_pg,
        exp.Quarter: _quarter_pg,
        exp.Dayname: _dayname_pg,
        exp.DayOfWeekIso: _isodow_pg,
        exp.Contains: _contains_pg,
        exp.Anonymous: _anonymous({"hash": _hash_pg}),
    },
    "spark": {
        exp.Skewness: _skewness,
        exp.PercentileCont: _percentile_spark,
        exp.Median: _median_spark,
        exp.DayOfWeekIso: _isodow_spark,
        exp.Dayname: _dayname_spark,
        exp.Interval: _interval_spark,
        exp.Anonymous: _anonymous({"hash": lambda n: exp.Anonymous(this="hash", expressions=list(n.expressions))}),
    },
}
#: Anonymous functions each engine runs under the same name (checked so a new DuckDB-only call fails loudly)
_HANDLED_ANONYMOUS: dict[Dialect, frozenset[str]] = {
    "postgres": frozenset({"hashtextextended", "row", "strpos", "to_char"}),
    "spark": frozenset({"percentile", "hash", "date_format", "dayofweek"}),
}


def _rewrite_functions(tree: exp.Expression, dialect: Dialect) -> exp.Expression:
    table = REWRITES[dialect]

    def sub(node: exp.Expression) -> exp.Expression:
        fn = table.get(type(node))
        return fn(node) if fn else node

    tree = tree.transform(sub)
    for col in tree.find_all(exp.Column):
        if col.name.lower() == "rowid" and not col.table:
            raise UnsupportedSQL(f"DuckDB's rowid has no {dialect} equivalent (a table there has no stable row id)")
    return tree


def _group_by_all_pg(tree: exp.Expression) -> exp.Expression:
    """GROUP BY ALL -> the SELECT's non-aggregate expressions (PostgreSQL has no GROUP BY ALL)."""
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if not (group and group.args.get("all")):
            continue
        keys = [e.unalias().copy() for e in select.expressions
                if not e.find(exp.AggFunc) and not e.find(exp.Window)]
        select.set("group", exp.Group(expressions=keys) if keys else None)
    return tree


def _alias_subqueries_pg(tree: exp.Expression) -> exp.Expression:
    """Name every unnamed subquery in FROM/JOIN: PostgreSQL before 16 refuses `FROM (SELECT …)`."""
    for i, sub in enumerate(list(tree.find_all(exp.Subquery))):
        if not sub.alias and isinstance(sub.parent, (exp.From, exp.Join)):
            sub.set("alias", exp.TableAlias(this=exp.to_identifier(f"_sgr_q{i}")))
    return tree


def _map_tables(tree: exp.Expression, tables: dict[str, exp.Expression], temp_prefix: str) -> exp.Expression:
    """Replace references to the logical table names (e.g. `data`) with the engine's real relation, and
    step tables' names with their engine-side (prefixed) names; CTE names are left alone."""
    ctes = {c.alias for c in tree.find_all(exp.CTE)}

    def sub(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Table) or node.db or not node.name or node.name in ctes:
            return node
        if node.name in tables:
            real = tables[node.name].copy()
        elif temp_prefix:
            real = exp.to_table(temp_prefix + node.name)
            real.set("this", exp.to_identifier(temp_prefix + node.name, quoted=True))
        else:
            return node
        alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name, quoted=True))
        real.set("alias", alias)
        return real

    return tree.transform(sub)


def _classify(sql: str) -> tuple[StatementKind, str | None]:
    """Metadata statements DuckDB answers from its catalog are answered by the connection itself."""
    m = re.match(r"\s*DESCRIBE\s+(.+?)\s*;?\s*$", sql, re.I | re.S)
    if m:
        return "describe", _unquote(m.group(1))
    if re.search(r"\bduckdb_(tables|views|columns)\s*\(", sql, re.I):
        return "catalog", None
    return "query", None


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return name[1:-1].replace('""', '"')
    return name


class Translator:
    """DuckDB SQL -> `Statement`s for one engine, with a cache of every distinct statement seen.

    `tables` maps a logical name the tools use (the loaded table is always `data`) to the engine's relation;
    any other table name gets `temp_prefix` (the engine-side name of a step table).
    """

    def __init__(self, dialect: Dialect, *, tables: dict[str, str] | None = None, temp_prefix: str = "",
                 cache_size: int = 512) -> None:
        self.dialect: Dialect = dialect
        self.temp_prefix = temp_prefix
        # a relation name, or a parenthesised subquery (a sample) already in the target dialect: that one goes
        # into the SQL verbatim, through a placeholder table (SQLGlot would rewrite it, and writes Spark's
        # `TABLESAMPLE (p PERCENT) REPEATABLE (n)` as Hive's `SEED (n)`, which Spark cannot parse)
        self.tables: dict[str, exp.Expression] = {}
        self._verbatim: dict[str, str] = {}
        for k, v in (tables or {}).items():
            if v.startswith("("):
                placeholder = exp.to_identifier(f"sgr_verbatim_{len(self._verbatim)}", quoted=True)
                self._verbatim[placeholder.sql(dialect=dialect)] = v
                self.tables[k] = exp.Table(this=placeholder)
            else:
                self.tables[k] = exp.to_table(v, dialect=dialect)
        self._translate = lru_cache(maxsize=cache_size)(self._translate_uncached)

    def translate(self, sql: str) -> Statement:
        """The cached translation of `sql` (raises `UnsupportedSQL` for anything the engine cannot run)."""
        return self._translate(sql)

    def cache_info(self) -> Any:
        """Hits and misses of the statement cache (tests check that a repeated query is not re-parsed)."""
        return self._translate.cache_info()

    def render(self, stmt: Statement, params: Sequence[Any] | None = None) -> str:
        """The target SQL of a query statement with `params` bound."""
        if stmt.tree is None:
            raise PlanError("a metadata statement has no SQL to render")
        if not params:
            return stmt.sql if stmt.sql is not None else self._generate(stmt.tree)
        return self._generate(bind(stmt.tree, params))

    def _generate(self, tree: exp.Expression) -> str:
        try:
            sql = tree.sql(dialect=self.dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
        except UnsupportedError as err:
            raise UnsupportedSQL(f"{self.dialect} cannot run this DuckDB SQL: {str(err).splitlines()[0]}") from None
        for placeholder, subquery in self._verbatim.items():
            sql = sql.replace(placeholder, subquery)
        return sql

    def _translate_uncached(self, sql: str) -> Statement:
        kind, name = _classify(sql)
        if kind != "query":
            return Statement(kind=kind, tree=None, name=name)
        try:
            tree = sqlglot.parse_one(number_placeholders(sql), read="duckdb")
        except ParseError as err:
            raise UnsupportedSQL(f"SQLGlot cannot parse this DuckDB SQL for {self.dialect}: "
                                 f"{str(err).splitlines()[0]}") from None
        if isinstance(tree, exp.Create):
            if str(tree.args.get("kind", "")).upper() != "TABLE" or not isinstance(tree.expression, exp.Query):
                raise UnsupportedSQL(f"only CREATE [OR REPLACE] TABLE … AS SELECT runs on {self.dialect}")
            name = tree.this.name if isinstance(tree.this, exp.Table) else tree.this.this.name
            kind, tree = "create_table", tree.expression
        tree = self._prepare(tree)
        has_params = any(True for _ in tree.find_all(exp.Placeholder, exp.Parameter))
        return Statement(kind=kind, tree=tree, name=name, sql=None if has_params else self._generate(tree))

    def _prepare(self, tree: exp.Expression) -> exp.Expression:
        tree = _map_tables(tree, self.tables, self.temp_prefix)
        tree = _rewrite_functions(tree, self.dialect)
        if self.dialect == "postgres":
            tree = _alias_subqueries_pg(_group_by_all_pg(tree))
        for node in tree.find_all(exp.Anonymous):
            name = node.name.lower()
            if name not in _HANDLED_ANONYMOUS[self.dialect] and name not in _PORTABLE:
                raise UnsupportedSQL(f"the DuckDB function {name}() has no {self.dialect} rewrite yet "
                                     "(sgr.autoviz.engines.translate.REWRITES)")
        return tree


#: functions SQLGlot leaves as written and that PostgreSQL and Spark both run with DuckDB's meaning
_PORTABLE = frozenset({"ln", "power", "sqrt", "floor", "ceil", "abs", "round", "greatest", "least", "nullif",
                       "lower", "upper", "length", "trim", "coalesce", "concat"})
