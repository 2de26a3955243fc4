"""`sgr mcp`: both agents as Model Context Protocol tools over stdio, for desktop assistants and IDEs.

Four tools, each described by a small pydantic model whose `model_json_schema()` *is* the tool's
`inputSchema`, and whose validation is the only argument check (one contract, no second schema):

    autoviz_profile(path)                              the table's columns, types, roles, a few rows
    autoviz_run(path, question, model?, out_dir?, image?)  the run's --json object, answer lines, chart 1 as PNG
    discount_decide(customer_id, message, model?)      the audited decision (`sgr discount ask --json`)
    discount_audit(limit?, customer_id?)               newest audited decisions (`sgr discount audit --json`)

Paths from the client are resolved against `--root` and refused when they leave it. Known errors
(`SGRError`), refused paths and invalid arguments come back as tool results with `isError: true` and one
readable line; an unexpected exception is logged to stderr and answered the same way, so the server never
dies with a request. Agent modules are imported inside the tools; blocking work runs in a worker thread.

Works with the low-level server of MCP SDK 1.x (decorators) and 2.x (`on_*` handlers): the protocol
objects are built from camelCase dicts, which both majors accept.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sgr import __version__
from sgr.core.config import Settings
from sgr.core.errors import SGRError

log = logging.getLogger("sgr.mcp")

SERVER_NAME = "sgr"
#: chart 1 is attached as an image only below this size (a client pays for every byte in its context)
MAX_IMAGE_BYTES = 4 * 1024 * 1024


class PathOutsideRoot(SGRError):
    """A client asked for a path outside the folder the server was started with (`--root`)."""

    exit_code = 2


# ---------------------------------------------------------------------------------------------- inputs


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


ModelName = Field(None, max_length=100, description="Model entry from the server's config (default: its default).")


class AutovizProfileInput(_Input):
    """Load a table and profile it: rows, shape, and each column's type, role, missingness and cardinality."""

    path: str = Field(..., min_length=1, max_length=4096,
                      description="Table file (CSV, TSV, .csv.gz/.zst, Parquet, JSON, JSON lines, .xlsx), "
                                  "relative to the server's root folder or absolute inside it.")


class AutovizRunInput(_Input):
    """Run AutoViz on a table and a question."""

    path: str = Field(..., min_length=1, max_length=4096,
                      description="Table file, relative to the server's root folder or absolute inside it.")
    question: str = Field(..., min_length=1, max_length=2000,
                          description='What to show, e.g. "monthly revenue trend by region".')
    model: str | None = ModelName
    out_dir: str | None = Field(None, max_length=4096,
                                description="Run folder inside the root (default: runs/<question>-<hash> "
                                            "under the root; a re-run of the same question lands there again).")
    image: bool = Field(True, description="Attach chart 1 (the chart the question asks for) as a PNG image.")


class DiscountDecideInput(_Input):
    """Route a customer's message and make a policy-safe, audited offer."""

    # the bounds are sgr.discount.agent's MAX_ID_CHARS and MAX_MESSAGE_CHARS (a test keeps them equal)
    customer_id: str = Field(..., min_length=1, max_length=64,
                             description='Customer id, e.g. "C0000003" (a bare number such as "3" also works).')
    message: str = Field(..., min_length=1, max_length=2000, description="What the customer wrote.")
    model: str | None = ModelName


class DiscountAuditInput(_Input):
    """List audited discount decisions, newest first."""

    limit: int = Field(20, ge=1, le=10_000, description="How many records.")
    customer_id: str | None = Field(None, min_length=1, max_length=64, description="Only this customer.")


# ---------------------------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its name, input model, description and hints."""

    name: str
    model: type[_Input]
    description: str
    read_only: bool

    def definition(self) -> dict[str, Any]:
        """The tools/list entry (camelCase, as the protocol spells it)."""
        return {"name": self.name, "description": self.description, "inputSchema": self.model.model_json_schema(),
                "annotations": {"readOnlyHint": self.read_only, "destructiveHint": False, "openWorldHint": False}}


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("autoviz_profile", AutovizProfileInput,
             "Profile a table: row count, shape, and for each column its type, role (measure, dimension, time, "
             "identifier...), missing values and distinct count, plus a few sample rows. Cheap; use it first to "
             "learn the column names.", read_only=True),
    ToolSpec("autoviz_run", AutovizRunInput,
             "Answer a question about a table with a report of 5-10 charts. Chart 1 is the chart the question "
             "asks for (returned as an image); the result lists the answer sentences, every chart (kind, x, y, "
             "aggregation, grouping, sort, filters, files) and the report paths. status 'partial' means the "
             "question names something the data lacks (see notices).", read_only=False),
    ToolSpec("discount_decide", DiscountDecideInput,
             "Decide a discount for a customer's message: the route, the customer's context, the cap with its "
             "rules, the reasoning, the offer (never above the cap) and the customer-facing message. Every "
             "decision is written to the audit log.", read_only=False),
    ToolSpec("discount_audit", DiscountAuditInput,
             "List recent audited discount decisions, newest first, optionally for one customer.", read_only=True),
)


@dataclass
class Reply:
    """What a tool produced: a JSON object (sent as text and as structured content) and optional images."""

    payload: dict[str, Any]
    images: list[bytes] = field(default_factory=list)


def _error_result(message: str) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": message}], "isError": True}


def _invalid(name: str, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "arguments"
        problems.append(f"{where}: {err['msg']}")
    return f"invalid arguments for {name}: " + "; ".join(problems)


class SGRTools:
    """The four tools over one settings object, one root folder and one discount store directory."""

    def __init__(self, settings: Settings, *, root: str | Path, discount_dir: str | Path | None = None) -> None:
        self.settings = settings
        self.root = Path(root).expanduser().resolve()
        self.discount_dir = discount_dir
        self._runs = threading.Lock()  # one AutoViz run at a time: two runs of one question share a folder
        self._specs = {t.name: t for t in TOOLS}
        self._handlers: dict[str, Callable[[Any], Reply]] = {
            "autoviz_profile": self.autoviz_profile, "autoviz_run": self.autoviz_run,
            "discount_decide": self.discount_decide, "discount_audit": self.discount_audit}

    def definitions(self) -> list[dict[str, Any]]:
        """Every tool's tools/list entry."""
        return [t.definition() for t in TOOLS]

    async def call(self, name: str, arguments: dict[str, Any] | None) -> dict[str, Any]:
        """Run one tool and return its CallToolResult as a camelCase dict; never raises."""
        import anyio.to_thread

        spec = self._specs.get(name)
        if spec is None:
            return _error_result(f"unknown tool {name!r}; this server has {', '.join(self._specs)}")
        try:
            args = spec.model.model_validate(arguments or {})
        except ValidationError as exc:
            return _error_result(_invalid(name, exc))
        try:
            reply = await anyio.to_thread.run_sync(self._handlers[name], args)
            text = json.dumps(reply.payload, ensure_ascii=False)
        except SGRError as exc:
            return _error_result(" ".join(line.strip() for line in str(exc).splitlines() if line.strip())
                                 or type(exc).__name__)
        except Exception as exc:  # a bug must answer this request, not end the server
            log.exception("tool %s crashed", name)
            first = str(exc).splitlines()[0] if str(exc) else "no message"
            return _error_result(f"internal error ({type(exc).__name__}): {first}")
        content: list[dict[str, Any]] = [{"type": "text", "text": text}]
        content += [{"type": "image", "data": base64.b64encode(png).decode("ascii"), "mimeType": "image/png"}
                    for png in reply.images]
        return {"content": content, "structuredContent": reply.payload, "isError": False}

    # ------------------------------------------------------------------------------------------ paths

    def inside_root(self, raw: str, *, what: str) -> Path:
        """`raw` resolved against the root (symlinks followed); PathOutsideRoot when it leaves the root."""
        text = raw.strip()
        if not text or "\x00" in text:
            raise PathOutsideRoot(f"{what} path {raw!r} is not a usable path")
        given = Path(text).expanduser()
        target = (given if given.is_absolute() else self.root / given).resolve()
        if not target.is_relative_to(self.root):
            raise PathOutsideRoot(f"{what} path {raw!r} is outside the folder this server may use ({self.root}); "
                                  "give a path inside it, or start `sgr mcp` with another --root")
        return target

    # ------------------------------------------------------------------------------------------ autoviz

    def autoviz_profile(self, args: AutovizProfileInput) -> Reply:
        """The profile a person sees after an upload in the web app."""
        from sgr.autoviz.web.service import describe

        path = self.inside_root(args.path, what="data")
        return Reply({"path": str(path), **describe(path)})

    def autoviz_run(self, args: AutovizRunInput) -> Reply:
        """`sgr autoviz run --json`, plus the report's answer lines and chart 1 as a PNG."""
        from sgr.autoviz.pipeline import default_run_dir, run_autoviz
        from sgr.autoviz.report import answer_lines
        from sgr.core.session import Session

        data = self.inside_root(args.path, what="data")
        if args.out_dir:
            out = self.inside_root(args.out_dir, what="output")
        else:
            out = default_run_dir(data, args.question, 0, root=self.root / "runs")
        with self._runs, Session.open(self.settings, args.model) as session:
            # PNGs only when chart 1 goes back as image content (MCP clients show rasters, not SVG)
            result = run_autoviz(data, args.question, settings=self.settings, out_dir=out, session=session,
                                 png=args.image)
        payload = result.to_json()
        payload["answer"] = answer_lines(result.run_dir / "report.md")
        images: list[bytes] = []
        if args.image and result.charts:
            first = next((c for c in result.charts if c.get("asked")), result.charts[0])
            png = result.run_dir / str(first["file"])
            if png.is_file() and png.stat().st_size <= MAX_IMAGE_BYTES:
                images.append(png.read_bytes())
        return Reply(payload, images)

    # ------------------------------------------------------------------------------------------ discount

    def discount_decide(self, args: DiscountDecideInput) -> Reply:
        """`sgr discount ask --json`: one routed, capped, audited decision."""
        from sgr.core.session import Session
        from sgr.discount.agent import check_request
        from sgr.discount.service import close_agent, open_agent

        try:
            check_request(args.customer_id, args.message)
        except ValueError as exc:
            raise SGRError(str(exc)) from None
        with Session.open(self.settings, args.model) as session:
            agent = open_agent(session, directory=self.discount_dir, on_secret=_note_secret)
            try:
                outcome = agent.decide(args.customer_id, args.message)
            finally:
                close_agent(agent)
        return Reply(outcome.to_dict())

    def discount_audit(self, args: DiscountAuditInput) -> Reply:
        """`sgr discount audit --json`, wrapped in an object (structured content must be one)."""
        from sgr.discount.agent import normalise_customer_id
        from sgr.discount.audit import open_audit
        from sgr.discount.service import database_dsn, store_dir

        customer = normalise_customer_id(args.customer_id) if args.customer_id else None
        # the same audit log the agent writes: SQLite in the store folder, or the shared PostgreSQL
        audit = open_audit(store_dir(self.settings, self.discount_dir), database=database_dsn(self.settings),
                           create=False)
        try:
            rows = audit.list(limit=args.limit, customer_id=customer)
        finally:
            audit.close()
        return Reply({"count": len(rows), "rows": rows})


def _note_secret(secret: Any) -> None:
    """Say on stderr (the client's server log) that a new offer-code secret file was generated."""
    if secret.created:
        log.warning("generated the offer-code secret %s (mode 0600); keep it, or set $SGR_DISCOUNT_SECRET",
                    secret.source)


# ---------------------------------------------------------------------------------------------- server


def build_server(tools: SGRTools) -> Any:
    """A low-level MCP `Server` whose tools/list and tools/call are `tools`, for SDK 1.x or 2.x."""
    import mcp.types as types
    from mcp.server.lowlevel import Server

    instructions = (f"AutoViz and the discount manager. Data paths are relative to {tools.root}. "
                    "Call autoviz_profile first to learn a table's columns.")

    def listed() -> list[Any]:
        return [types.Tool.model_validate(d) for d in tools.definitions()]

    async def called(name: str, arguments: dict[str, Any] | None) -> Any:
        return types.CallToolResult.model_validate(await tools.call(name, arguments))

    if hasattr(Server, "call_tool"):  # SDK 1.x: handlers registered with decorators
        server = Server(SERVER_NAME, version=__version__, instructions=instructions)

        async def list_tools_v1() -> list[Any]:
            return listed()

        server.list_tools()(list_tools_v1)
        # our pydantic model validates (and its errors read better than jsonschema's), so the SDK need not
        server.call_tool(validate_input=False)(called)
        return server

    async def list_tools_v2(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=listed())

    async def call_tool_v2(ctx: Any, params: Any) -> Any:
        return await called(params.name, params.arguments)

    return Server(SERVER_NAME, version=__version__, instructions=instructions, on_list_tools=list_tools_v2,
                  on_call_tool=call_tool_v2)


@asynccontextmanager
async def _claimed_stdio() -> AsyncIterator[tuple[Any, Any]]:
    """The protocol's own copies of stdin/stdout, with fd 0 on /dev/null and fd 1 on stderr meanwhile.

    A stray print, a library's progress bar or a child process writing to fd 1 would corrupt the JSON-RPC
    stream, so nothing but the transport may write there while serving.
    """
    import anyio

    _flush_stdout()
    wire_in, wire_out = os.dup(0), os.dup(1)
    saved_in, saved_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    stdin = io.TextIOWrapper(os.fdopen(wire_in, "rb"), encoding="utf-8", errors="replace")
    stdout = io.TextIOWrapper(os.fdopen(wire_out, "wb"), encoding="utf-8", newline="\n", write_through=True)
    try:
        yield anyio.wrap_file(stdin), anyio.wrap_file(stdout)
    finally:
        _flush_stdout()  # what a tool printed goes to stderr now, not onto the wire after it is restored
        for stream in (stdin, stdout):
            with suppress(OSError):
                stream.close()
        os.dup2(saved_in, 0)
        os.dup2(saved_out, 1)
        os.close(saved_in)
        os.close(saved_out)


def _flush_stdout() -> None:
    if sys.stdout is not None:
        with suppress(OSError, ValueError):
            sys.stdout.flush()


async def serve_stdio(tools: SGRTools) -> None:
    """Serve `tools` over this process's stdin/stdout until the client closes the stream."""
    from mcp.server.stdio import stdio_server

    server = build_server(tools)
    async with _claimed_stdio() as (stdin, stdout), stdio_server(stdin, stdout) as (read, write):
        await server.run(read, write, server.create_initialization_options())
