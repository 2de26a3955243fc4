"""Files that come from strangers: uploads, dataset paths and artifact paths.

Every check here refuses with an `InputRejected` carrying the HTTP status a client can act on: 413 (too
big), 415 (a type we do not read), 400 (the bytes do not match the name), 404 (no such file where you
may look). Containment is decided on resolved paths, so `..`, absolute paths and symlinks that point out
of the allowed folder all fail the same way.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sgr.core.errors import SGRError

_ZIP = b"PK\x03\x04"
CHUNK = 1 << 20
_SNIFF = 8192
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class InputRejected(SGRError):
    """A request's file or path cannot be used; `status` is the HTTP answer."""

    exit_code = 2

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def accepted_list() -> str:
    """The extensions we read, for error messages (the loader's own table)."""
    from sgr.autoviz.formats import accepted_extensions

    return ", ".join(accepted_extensions())


def safe_name(filename: str | None) -> str:
    """A display/storage name: the last path part, odd characters replaced, length bounded."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = _SAFE_NAME.sub("_", stem).strip("._")[:80] or "dataset"
    return f"{stem}.{ext.lower()}" if ext else stem


def check_extension(name: str) -> str:
    """The format for a file name ("csv", "json", "xlsx", or "gzip:csv" for a compressed one), or 415."""
    from sgr.autoviz.errors import DataError
    from sgr.autoviz.formats import detect_format

    try:
        fmt, compression = detect_format(Path(name))
    except DataError:
        suffix = Path(name).suffix.lower()
        raise InputRejected(f"unsupported file type {suffix or '(none)'!r} for {name}; "
                            f"upload one of {accepted_list()}", status=415) from None
    return f"{compression}:{fmt}" if compression else fmt


def sniff(head: bytes, fmt: str, name: str) -> None:
    """A light look at the first bytes, so a renamed binary or a JSON array is refused up front (400)."""
    if not head.strip():
        raise InputRejected(f"{name} is empty", status=400)
    compression, _, _inner = fmt.rpartition(":")
    if compression:
        magic = {"gzip": b"\x1f\x8b", "zstd": b"\x28\xb5\x2f\xfd"}[compression]
        if not head.startswith(magic):
            raise InputRejected(f"{name} is not {compression}-compressed (wrong magic bytes)", status=400)
        return  # the loader checks what is inside, with a readable error
    if fmt == "xlsx":
        if not head.startswith(_ZIP):
            raise InputRejected(f"{name} is not an Excel .xlsx workbook (no zip signature)", status=400)
        return
    if fmt == "parquet":
        if not head.startswith(b"PAR1"):
            raise InputRejected(f"{name} is not a Parquet file (no PAR1 magic bytes)", status=400)
        return
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputRejected(f"{name} looks binary (NUL bytes), not {fmt.upper()} text", status=400)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt == "jsonl" and not text.startswith(b"{"):
        what = "a JSON array (name it .json)" if text.startswith(b"[") else "not JSON"
        raise InputRejected(f"{name} is {what}; upload JSON lines (one object per line)", status=400)
    if fmt == "json" and not text.startswith((b"{", b"[")):
        raise InputRejected(f"{name} is not JSON (an array of objects or JSON lines)", status=400)
    if fmt == "csv" and text.startswith((b"{", b"[", b"<")):
        raise InputRejected(f"{name} does not look like CSV (it starts like JSON or HTML)", status=400)


def store_stream(source: BinaryIO, dest: Path, *, limit: int, name: str) -> int:
    """Copy an upload to `dest` in chunks, refusing it (413) past `limit` bytes; returns its size.

    The body-size middleware already bounds the request; counting again here keeps the rule true even
    for a caller that hands us a stream some other way.
    """
    fmt = check_extension(name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    head = b""
    try:
        with dest.open("wb") as out:
            while chunk := source.read(CHUNK):
                if len(head) < _SNIFF:
                    head += chunk[: _SNIFF - len(head)]
                size += len(chunk)
                if size > limit:
                    raise InputRejected(f"upload exceeds {limit} bytes (serve.max_upload_bytes)", status=413)
                out.write(chunk)
        sniff(head, fmt, name)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return size


def contained(root: Path, relative: str, *, what: str) -> Path:
    """`root / relative` if it stays inside `root` after resolving symlinks, else 404/400.

    Absolute paths, `..` parts and backslashes are refused before touching the disk, so the answer does
    not reveal what exists outside.
    """
    raw = relative.strip()
    parts = PurePosixPath(raw).parts
    if not raw or "\x00" in raw or "\\" in raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw) \
            or ".." in parts:
        raise InputRejected(f"invalid {what} path {relative!r}: use a relative path without '..'", status=400)
    base = root.resolve()
    target = (base / raw).resolve()
    if not target.is_relative_to(base) or target == base:
        raise InputRejected(f"{what} path {relative!r} leaves its folder", status=400)
    if not target.is_file():
        raise InputRejected(f"no {what} {relative!r}", status=404)
    return target
