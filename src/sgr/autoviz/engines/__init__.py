"""AutoViz where the data lives: PostgreSQL and Spark tables behind a DuckDB-shaped connection.

`is_remote(s)` says whether a data argument is a database URL, `load_remote(url)` opens it as a `Table`;
every stage then runs unchanged, its DuckDB SQL translated per engine (`translate`) and executed remotely.

Names are imported on first use: the base install (the demo) has no SQLGlot, and asking whether a path is a
URL must not need it.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "EngineConnection": "connection", "EngineQueryError": "connection", "Result": "connection",
    "load_remote": "remote", "Translator": "translate", "UnsupportedSQL": "translate",
    "RemoteSource": "urls", "is_remote": "urls", "parse_remote": "urls",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
