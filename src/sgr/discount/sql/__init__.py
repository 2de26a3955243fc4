"""SQL text for the stores, read once at import so no request ever touches the filesystem for SQL."""

from __future__ import annotations

from importlib import resources
from types import MappingProxyType


def _load() -> MappingProxyType[str, str]:
    files = resources.files(__name__)
    texts = {
        entry.name.removesuffix(".sql"): entry.read_text(encoding="utf-8")
        for entry in files.iterdir()
        if entry.name.endswith(".sql")
    }
    return MappingProxyType(texts)


#: name (file stem) -> SQL text; immutable so nobody edits a query at run time
QUERIES = _load()
