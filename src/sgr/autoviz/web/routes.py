"""HTTP routes for AutoViz (`/v1/autoviz/...`) and the web pages (`/`, `/discount`), mounted by `sgr.api.create_app`.

Handlers are async but never do file or database work on the event loop: uploads are copied, profiled
and registered in worker threads, and runs go to the service's bounded pool, so `/healthz` stays quick
while the machine is busy. Every refusal is `{"error": kind, "detail": one line}` with a 4xx status.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response

from sgr.autoviz.formats import FORMATS, LABELS, accepted_extensions, describe_formats
from sgr.autoviz.web.files import InputRejected, contained, safe_name, store_stream
from sgr.autoviz.web.service import AutoVizService, new_id, valid_id
from sgr.core.config import Settings
from sgr.core.errors import ConfigError, SGRError, UnknownModelEntry
from sgr.http_refusals import COMMON, refusals

PREFIX = "/v1/autoviz"
#: POST routes that take file uploads; `sgr.api` gives them `serve.max_upload_bytes`
UPLOAD_ROUTES = (f"{PREFIX}/datasets", f"{PREFIX}/runs")
STATIC_DIR = Path(__file__).parent / "static"
_JS = "text/javascript; charset=utf-8"
#: the pages' files: one stylesheet and the login/fetch helpers both pages share, then each page's script
_STATIC = {"app.css": "text/css; charset=utf-8", "shared.js": _JS, "app.js": _JS, "discount.js": _JS}
_MAX_QUESTION = 1000
# Reports are ours, but they quote column names and values from the user's data: no scripts, no fetches.
_ARTIFACT_HEADERS = {"X-Content-Type-Options": "nosniff",
                     "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
                                                "frame-ancestors 'self'"}

router = APIRouter(prefix=PREFIX, tags=["autoviz"], responses=refusals(*COMMON))
pages = APIRouter(include_in_schema=False)


@asynccontextmanager
async def autoviz_lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """Open the registry (failing runs interrupted by a restart) and the worker pool; close them after."""
    service = AutoVizService(settings)
    await asyncio.to_thread(service.start)
    app.state.autoviz = service
    try:
        yield
    finally:
        service.stop()


def _service(request: Request) -> AutoVizService:
    return request.app.state.autoviz  # type: ignore[no-any-return]


def _error(status: int, kind: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": kind, "detail": detail}, status_code=status)


def _reject(exc: SGRError) -> JSONResponse:
    if isinstance(exc, InputRejected):
        kinds = {400: "InvalidRequest", 404: "NotFound", 409: "Conflict", 413: "RequestTooLarge",
                 415: "UnsupportedMediaType", 422: "DataError", 503: "Unavailable", 507: "InsufficientStorage"}
        return _error(exc.status, kinds.get(exc.status, "InvalidRequest"), str(exc))
    if isinstance(exc, ConfigError) and not isinstance(exc, UnknownModelEntry):
        return _error(400, "InvalidRequest", str(exc))
    from sgr.error_table import http_status

    return _error(http_status(exc), type(exc).__name__, str(exc))  # DataError: 422, the file itself is unusable


async def _store_upload(service: AutoVizService, upload: UploadFile) -> tuple[str, str, Path]:
    """(dataset id, display name, stored file) for an upload, after size, type and sniff checks."""
    name = safe_name(upload.filename)
    dataset_id = new_id()
    dest = service.upload_path(dataset_id, name)
    limit = service.settings.serve.max_upload_bytes
    await asyncio.to_thread(service.check_room, upload.size or 0)
    try:
        size = await asyncio.to_thread(store_stream, upload.file, dest, limit=limit, name=name)
        await asyncio.to_thread(service.register_upload, dataset_id, name, dest, size)
    except BaseException:
        await asyncio.to_thread(service.discard_upload, dataset_id)
        raise
    return dataset_id, name, dest


def _run_view(request: Request, row: dict[str, Any], *, full: bool) -> dict[str, Any]:
    run_id = row["id"]
    base = str(request.url_for("artifact", run_id=run_id, path="x"))[:-1]
    view: dict[str, Any] = {
        "id": run_id, "status": row["status"], "question": row["question"], "model": row["model"],
        "dataset": row["dataset_name"], "created_at": row["created_at"], "finished_at": row["finished_at"],
        "stage": row["stage"], "url": str(request.url_for("get_run", run_id=run_id)),
    }
    if row["error"]:
        view["error"] = {"kind": row["error_kind"], "detail": row["error"]}
    if not full:
        return view
    view["stages"] = row["stages"]
    result = row["result"] or {}
    if result:
        for chart in result.get("charts", []):
            chart["url"] = base + chart["file"]
        view["result"] = result
        view["report_url"] = base + "report.html"
    view["artifacts"] = [{"path": p, "url": base + p} for p in _service(request).artifacts(run_id)]
    return view


@router.post("/datasets", status_code=201, summary="Upload a dataset and get its profile at once",
             responses=refusals(415, 503))
async def upload_dataset(request: Request, dataset: UploadFile = File(..., description="CSV, Parquet or JSON lines")
                         ) -> Any:
    """Store the file, then answer with its id, columns (type, role), and a few rows."""
    service = _service(request)
    try:
        dataset_id, name, dest = await _store_upload(service, dataset)
    except SGRError as exc:
        return _reject(exc)
    try:
        profile = await asyncio.to_thread(service.profile, dest)
    except SGRError as exc:
        await asyncio.to_thread(service.discard_upload, dataset_id)
        return _reject(exc)
    return {"id": dataset_id, "name": name, "size": dest.stat().st_size, "profile": profile}


@router.get("/formats", summary="The file types AutoViz reads")
async def formats() -> Any:
    """Extension, format, compression and a label for each: the same table the loader uses."""
    return {"formats": describe_formats()}


@router.post("/runs", status_code=202, summary="Start a run: a dataset and a question",
             responses=refusals(404, 415, 503))
async def create_run(
    request: Request,
    question: str = Form(..., max_length=_MAX_QUESTION, pattern=r"\S", description="What to ask about the data"),
    dataset: UploadFile | None = File(None, description="CSV, Parquet or JSON lines upload"),
    dataset_id: str | None = Form(None, max_length=64, description="id from POST /v1/autoviz/datasets"),
    path: str | None = Form(None, max_length=500, description="file under serve.data_dir"),
    model: str | None = Form(None, max_length=128, description="model entry (default: default_model)"),
) -> Any:
    """Queue the run and answer 202 with its id; poll `GET /v1/autoviz/runs/{id}` for progress."""
    service = _service(request)
    sources = [s for s in (dataset, dataset_id, path) if s]
    if len(sources) != 1:
        return _error(400, "InvalidRequest", "give exactly one of: a 'dataset' file, a 'dataset_id', or a 'path'")
    try:
        entry = service.settings.entry(model or None)
        if dataset is not None:
            _, name, data = await _store_upload(service, dataset)
        elif dataset_id:
            name, data = await asyncio.to_thread(service.dataset_by_id, dataset_id)
        else:
            name, data = await asyncio.to_thread(service.dataset_by_path, path or "")
        run_id = await asyncio.to_thread(service.submit, data=data, dataset_name=name,
                                         question=question.strip(), model=entry.name)
    except SGRError as exc:
        return _reject(exc)
    url = str(request.url_for("get_run", run_id=run_id))
    return JSONResponse({"id": run_id, "status": "queued", "url": url}, status_code=202,
                        headers={"Location": url})


@router.get("/runs", summary="Earlier runs, newest first")
async def list_runs(request: Request, limit: int = Query(50, ge=1, le=500)) -> Any:
    """Id, question, dataset, status and times of recent runs."""
    rows = await asyncio.to_thread(_service(request).registry.list_runs, limit)
    return {"runs": [_run_view(request, r, full=False) for r in rows]}


@router.get("/runs/{run_id}", name="get_run", summary="A run's status, stages, answer and artifacts",
            responses=refusals(404))
async def get_run(run_id: str, request: Request) -> Any:
    """Status through the named stages; when done, the answer, charts and every artifact's URL."""
    service = _service(request)
    row = await asyncio.to_thread(service.registry.get_run, run_id) if valid_id(run_id) else None
    if row is None:
        return _error(404, "NotFound", f"no run with id {run_id!r}")
    return await asyncio.to_thread(_run_view, request, row, full=True)


@router.delete("/runs/{run_id}", status_code=204, response_class=Response,
               summary="Delete a finished run and its files", responses=refusals(404, 409))
async def delete_run(run_id: str, request: Request) -> Response:
    """404 for an unknown run, 409 while it is queued or running; otherwise its record and folder go."""
    try:
        await asyncio.to_thread(_service(request).delete_run, run_id)
    except SGRError as exc:
        return _reject(exc)
    return Response(status_code=204)


@router.get("/runs/{run_id}/artifacts/{path:path}", name="artifact", summary="A file from a run folder",
            responses=refusals(404))
async def artifact(run_id: str, path: str, request: Request) -> Any:
    """Report, charts, plans and logs; paths are confined to the run's own folder."""
    service = _service(request)
    row = await asyncio.to_thread(service.registry.get_run, run_id) if valid_id(run_id) else None
    if row is None:
        return _error(404, "NotFound", f"no run with id {run_id!r}")
    try:
        target = await asyncio.to_thread(contained, service.runs_dir / run_id, path, what="artifact")
    except InputRejected as exc:
        return _reject(exc)
    return FileResponse(target, headers=_ARTIFACT_HEADERS)


@pages.get("/")
async def index() -> Response:
    """The web page, with the file picker and its help filled from the loader's format table."""
    return Response(_index_html(), media_type="text/html; charset=utf-8")


@lru_cache(maxsize=1)
def _index_html() -> str:
    labels = ", ".join(dict.fromkeys(LABELS[fmt] for fmt in FORMATS.values()))
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return page.replace("{{ACCEPT}}", ",".join(accepted_extensions())).replace(
        "{{FORMATS}}", html.escape(f"{labels}; also .gz/.zst compressed"))


@pages.get("/discount")
async def discount_page() -> Response:
    """The discount page: pick a customer, send a message, read the route, context, cap, reasoning and offer,
    and browse the audit. It lives beside the AutoViz page so both share one stylesheet, login and session."""
    return FileResponse(STATIC_DIR / "discount.html", media_type="text/html; charset=utf-8")


@pages.get("/static/{name}")
async def static(name: str) -> Response:
    """The pages' stylesheet and scripts (a fixed list: nothing else on disk is reachable)."""
    if name not in _STATIC:
        return _error(404, "NotFound", f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=_STATIC[name])
