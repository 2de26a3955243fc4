"""AutoViz where the data lives: PostgreSQL and Spark tables behind a DuckDB-shaped connection.

`is_remote(s)` says whether a data argument is a database URL, `load_remote(url)` opens it as a `Table`;
every stage then runs unchanged, its DuckDB SQL translated per engine (`translate`) and executed remotely.
"""

from __future__ import annotations

from sgr.autoviz.engines.connection import EngineConnection, EngineQueryError, Result
from sgr.autoviz.engines.remote import load_remote
from sgr.autoviz.engines.translate import Translator, UnsupportedSQL
from sgr.autoviz.engines.urls import RemoteSource, is_remote, parse_remote

__all__ = ["EngineConnection", "EngineQueryError", "RemoteSource", "Result", "Translator", "UnsupportedSQL",
           "is_remote", "load_remote", "parse_remote"]
