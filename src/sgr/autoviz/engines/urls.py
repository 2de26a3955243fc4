"""Which data sources are remote, and what a remote URL names (engine, connection target, table).

Why a parser of our own: the CLI and the Python API accept one string for "where the data is", and a file
path must never be mistaken for a server (or the other way round), so the rule is one small function that
both call. The table travels as a query parameter (`?table=NAME`) because a libpq URI has no place for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sgr.autoviz.errors import DataError

EngineKind = Literal["postgres", "spark"]
_SCHEMES: dict[str, EngineKind] = {"postgresql": "postgres", "postgres": "postgres", "spark": "spark", "sc": "spark"}
#: a table name: optionally schema- (or database-) qualified, letters, digits and _ only; never quoted SQL
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


@dataclass(frozen=True)
class RemoteSource:
    """A parsed remote URL: the engine, how to reach it (without `table`), and the table's name."""

    kind: EngineKind
    target: str
    table: str

    @property
    def label(self) -> str:
        """A name for reports and the run folder: the table's last part (`public.sales` -> `sales`)."""
        return self.table.rsplit(".", 1)[-1]


def is_remote(path_or_url: object) -> bool:
    """True for `postgresql://`, `postgres://`, `spark://` and `sc://` URLs (never for a local path)."""
    if not isinstance(path_or_url, str):
        return False
    scheme = path_or_url.split("://", 1)[0].lower() if "://" in path_or_url else ""
    return scheme in _SCHEMES


def parse_remote(url: str) -> RemoteSource:
    """Split `url` into engine, target and table.

    Raises
    ------
    DataError
        Not a remote URL, no `?table=`, or a table name that is not a plain (optionally qualified) identifier.
    """
    if not is_remote(url):
        raise DataError(f"not a database URL: {url!r} (use postgresql://…?table=NAME, spark://local?table=NAME "
                        "or sc://host:port?table=NAME)")
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    tables = [v for k, v in query if k == "table"]
    if not tables or not tables[0]:
        raise DataError(f"{_redact(url)} names no table; add ?table=NAME (e.g. ?table=sales or ?table=public.sales)")
    table = tables[0]
    if not _TABLE.match(table):
        raise DataError(f"table name {table!r}: use letters, digits and _ (optionally schema.table)")
    rest = urlencode([(k, v) for k, v in query if k != "table"])
    target = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, parts.fragment))
    return RemoteSource(kind=_SCHEMES[parts.scheme.lower()], target=target, table=table)


def _redact(url: str) -> str:
    """The URL without a password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
