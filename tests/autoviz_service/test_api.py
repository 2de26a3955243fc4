"""The AutoViz HTTP API over a real uvicorn server on loopback: uploads, runs, artifacts and every refusal."""

from __future__ import annotations

import http.client
import re
import shutil
from pathlib import Path

import httpx
import pytest

from sgr.autoviz.pipeline import STAGES
from sgr.autoviz.web.registry import INTERRUPTED, Registry

from .conftest import AUTH, EXAMPLE, Server, make_settings, wait_done


def _upload(client: httpx.Client, name: str, content: bytes, url: str = "/v1/autoviz/datasets",
            **form: str) -> httpx.Response:
    return client.post(url, files={"dataset": (name, content, "application/octet-stream")}, data=form)


def _raw_get(server: Server, path: str) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (httpx would normalise `..` away before sending)."""
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        con.request("GET", path, headers=AUTH)
        res = con.getresponse()
        return res.status, res.read()
    finally:
        con.close()


def test_upload_returns_profile_and_sample(client: httpx.Client) -> None:
    res = _upload(client, "sales.csv", EXAMPLE.read_bytes())
    assert res.status_code == 201, res.text
    body = res.json()
    profile = body["profile"]
    roles = {c["name"]: c["role"] for c in profile["columns"]}
    assert roles["revenue"] == "measure" and roles["region"] == "categorical" and roles["date"] == "temporal"
    lines = EXAMPLE.read_text().splitlines()
    assert profile["rows"] == len(lines) - 1
    assert profile["sample"]["columns"] == lines[0].split(",")
    assert profile["sample"]["rows"][0][1] == lines[1].split(",")[1]  # region of the first data row
    other = _upload(client, "sales.csv", EXAMPLE.read_bytes()).json()
    assert other["id"] != body["id"] and len(body["id"]) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", body["id"])


def test_compressed_csv_and_json_array_uploads_are_read(client: httpx.Client) -> None:
    import gzip
    import json

    res = _upload(client, "sales.csv.gz", gzip.compress(EXAMPLE.read_bytes()))
    assert res.status_code == 201, res.text
    assert res.json()["profile"]["rows"] == len(EXAMPLE.read_text().splitlines()) - 1
    rows = [{"city": c, "visits": v} for c, v in [("Oslo", 3), ("Rome", 5), ("Oslo", 4)]]
    res = _upload(client, "visits.json", json.dumps(rows).encode())
    assert res.status_code == 201, res.text
    assert {c["name"] for c in res.json()["profile"]["columns"]} == {"city", "visits"}


def test_run_from_upload_goes_through_stages_to_artifacts(client: httpx.Client) -> None:
    res = _upload(client, "sales.csv", EXAMPLE.read_bytes(), url="/v1/autoviz/runs",
                  question="compare revenue by region")
    assert res.status_code == 202, res.text
    run_id = res.json()["id"]
    assert res.headers["location"].endswith(f"/v1/autoviz/runs/{run_id}")
    run = wait_done(client, run_id)
    assert run["status"] == "answered", run
    assert [s["stage"] for s in run["stages"]] == list(STAGES)
    assert all(s["status"] == "ok" and s["summary"] for s in run["stages"])
    result = run["result"]
    assert result["requirements"]["metrics"] == ["revenue"] and result["requirements"]["group_by"] == ["region"]
    assert any("region" in line and "revenue" in line for line in result["answer"])
    paths = {a["path"] for a in run["artifacts"]}
    assert {"report.html", "report.md", "run.json", "logs/stages.json"} <= paths
    for chart in result["charts"]:
        assert chart["file"] in paths
        image = client.get(chart["url"])
        assert image.status_code == 200 and image.content.startswith(b"<svg")
        assert image.headers["content-type"].startswith("image/svg+xml")
    report = client.get(run["report_url"])
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in report.headers["content-security-policy"]
    listed = client.get("/v1/autoviz/runs").json()["runs"]
    assert [r["id"] for r in listed] == [run_id] and listed[0]["status"] == "answered"


def test_run_by_dataset_id_and_by_path(client: httpx.Client, root: Path) -> None:
    dataset_id = _upload(client, "sales.csv", EXAMPLE.read_bytes()).json()["id"]
    by_id = client.post("/v1/autoviz/runs", data={"dataset_id": dataset_id, "question": "revenue over time"})
    (root / "data" / "shop").mkdir()
    shutil.copy(EXAMPLE, root / "data" / "shop" / "sales.csv")
    by_path = client.post("/v1/autoviz/runs", data={"path": "shop/sales.csv", "question": "units by channel"})
    assert by_id.status_code == by_path.status_code == 202, (by_id.text, by_path.text)
    first, second = wait_done(client, by_id.json()["id"]), wait_done(client, by_path.json()["id"])
    assert first["status"] == second["status"] == "answered"
    assert first["result"]["intent"] == "time_series_investigation"
    assert second["result"]["requirements"]["group_by"] == ["channel"]
    assert second["dataset"] == "sales.csv"


def test_a_bad_file_fails_the_run_with_its_reason(client: httpx.Client) -> None:
    res = _upload(client, "one.csv", b"only\n1\n2\n", url="/v1/autoviz/runs", question="anything")
    run = wait_done(client, res.json()["id"])
    assert run["status"] == "failed" and run["error"]["kind"] == "DataError"
    assert "single column" in run["error"]["detail"]
    assert _upload(client, "one.csv", b"only\n1\n2\n").status_code == 422


@pytest.mark.parametrize(("name", "content", "status", "needle"), [
    ("table.xls", b"\xd0\xcf\x11\xe0 old excel", 415, "unsupported file type '.xls'"),
    ("notes", b"a,b\n1,2\n", 415, "unsupported file type '(none)'"),
    ("fake.parquet", b"a,b\n1,2\n", 400, "not a Parquet file"),
    ("rows.jsonl", b'[{"a": 1, "b": 2}]', 400, "JSON array"),
    ("table.xlsx", b"a,b\n1,2\n", 400, "not an Excel .xlsx workbook"),
    ("data.csv.gz", b"a,b\n1,2\n", 400, "not gzip-compressed"),
    ("bin.csv", b"\x00\x01\x02binary", 400, "looks binary"),
    ("page.csv", b"<html><body>nope</body></html>", 400, "does not look like CSV"),
    ("empty.csv", b"   \n", 400, "is empty"),
])
def test_wrong_types_are_refused(client: httpx.Client, name: str, content: bytes, status: int, needle: str) -> None:
    res = _upload(client, name, content)
    assert res.status_code == status, res.text
    assert needle in res.json()["detail"]


def test_json_lines_with_json_extension_is_accepted(client: httpx.Client) -> None:
    rows = b"".join(b'{"team": "%s", "score": %d}\n' % (t, i) for i, t in enumerate([b"a", b"b", b"c"] * 5))
    res = _upload(client, "scores.json", rows)
    assert res.status_code == 201, res.text
    assert {c["name"] for c in res.json()["profile"]["columns"]} == {"team", "score"}


@pytest.mark.parametrize(("form", "status", "needle"), [
    ({"question": "x"}, 400, "exactly one of"),
    ({"question": "x", "path": "a.csv", "dataset_id": "A" * 22}, 400, "exactly one of"),
    ({"question": "   ", "path": "a.csv"}, 422, "question is empty"),
    ({"question": "x", "path": "a.csv", "model": "gpt-9"}, 404, "gpt-9"),
    ({"path": "a.csv"}, 422, "question"),
    ({"question": "x", "dataset_id": "A" * 22}, 404, "no dataset"),
    ({"question": "x", "path": "missing.csv"}, 404, "no dataset 'missing.csv'"),
    ({"question": "x", "path": "../secret.csv"}, 400, "without '..'"),
    ({"question": "x", "path": "/etc/passwd"}, 400, "relative path"),
    ({"question": "x", "path": "notes.docx"}, 415, "unsupported file type"),
])
def test_bad_run_requests(client: httpx.Client, root: Path, form: dict[str, str], status: int,
                          needle: str) -> None:
    (root / "secret.csv").write_text("a,b\n1,2\n")  # exists, but outside the data folder
    (root / "data" / "notes.docx").write_text("a,b\n1,2\n")
    res = client.post("/v1/autoviz/runs", data=form)
    assert res.status_code == status, res.text
    assert needle in res.json()["detail"]
    assert client.get("/v1/autoviz/runs").json()["runs"] == []  # nothing was queued


def test_dataset_path_symlink_out_of_the_data_folder(client: httpx.Client, root: Path) -> None:
    (root / "secret.csv").write_text("a,b\n1,2\n")
    (root / "data" / "link.csv").symlink_to(root / "secret.csv")
    res = client.post("/v1/autoviz/runs", data={"question": "x", "path": "link.csv"})
    assert res.status_code == 400 and "leaves its folder" in res.json()["detail"]


def test_artifact_traversal_and_404s(client: httpx.Client, server: Server, root: Path) -> None:
    res = _upload(client, "sales.csv", EXAMPLE.read_bytes(), url="/v1/autoviz/runs", question="revenue by region")
    run_id = res.json()["id"]
    wait_done(client, run_id)
    base = f"/v1/autoviz/runs/{run_id}/artifacts"
    (root / "runs" / run_id / "escape.txt").symlink_to(root / "runs" / "registry.sqlite3")
    for path in (f"{base}/../../registry.sqlite3", f"{base}/%2e%2e/%2e%2e/registry.sqlite3",
                 f"{base}/charts/..%2f..%2frun.json", f"{base}/%2Fetc%2Fpasswd", f"{base}/escape.txt"):
        status, body = _raw_get(server, path)
        assert status in (400, 404), (path, status)
        assert b"SQLite" not in body and b"root:" not in body
    assert client.get(f"{base}/run.json").status_code == 200
    assert client.get(f"{base}/nope.txt").status_code == 404
    assert client.get(f"{base}/charts").status_code == 404  # a folder is not a file
    guessed = run_id[:-1] + ("A" if run_id[-1] != "A" else "B")
    assert client.get(f"/v1/autoviz/runs/{guessed}").status_code == 404
    assert client.get(f"/v1/autoviz/runs/{guessed}/artifacts/run.json").status_code == 404
    assert client.get("/v1/autoviz/runs/..%2f..").status_code == 404


def test_upload_limit_is_413_and_json_routes_keep_their_own_limit(root: Path) -> None:
    with Server(make_settings(root, upload_bytes=4096)) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        big = b"a,b\n" + b"1,2\n" * 3000
        res = _upload(c, "big.csv", big)
        assert res.status_code == 413 and "serve.max_upload_bytes" in res.json()["detail"]
        # a well-formed multipart body sent in chunks without Content-Length: the parser keeps reading, so the
        # limit is what stops it (a malformed body could fail parsing first, before the limit: 400, a race)
        body = (b'--x\r\nContent-Disposition: form-data; name="dataset"; filename="big.csv"\r\n'
                b"Content-Type: text/csv\r\n\r\n" + big + b"\r\n--x--\r\n")
        chunked = c.post("/v1/autoviz/datasets", content=(body[i:i + 1000] for i in range(0, len(body), 1000)),
                         headers={"content-type": "multipart/form-data; boundary=x"})
        assert chunked.status_code == 413
        assert _upload(c, "small.csv", b"a,b\n1,2\n3,4\n").status_code == 201
        res = c.post("/v1/discount/decisions", content=b"x" * (70 * 1024), headers={"content-type": "application/json"})
        assert res.status_code == 413 and "serve.max_request_bytes" in res.json()["detail"]
        assert not list((root / "runs" / "uploads").glob("*/big.csv"))


def test_restart_fails_interrupted_runs(root: Path) -> None:
    settings = make_settings(root)
    registry = Registry(Path(settings.serve.runs_dir))
    registry.open()
    stages = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]
    for run_id, status in (("R" * 22, "running"), ("Q" * 22, "queued")):
        registry.add_run(run_id, question="q", model="offline", dataset_name="d.csv", dataset_path="/x", stages=stages)
        registry.update_run(run_id, status=status)
    registry.close()  # the process that queued them is gone
    with Server(settings) as srv, httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        for run_id in ("R" * 22, "Q" * 22):
            run = c.get(f"/v1/autoviz/runs/{run_id}").json()
            assert run["status"] == "failed" and run["error"]["detail"] == INTERRUPTED
            assert run["finished_at"]


def test_page_and_static_files(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'for="question"' in page.text and 'aria-live="polite"' in page.text
    for name, kind in (("app.js", "javascript"), ("app.css", "css")):
        res = client.get(f"/static/{name}")
        assert res.status_code == 200 and kind in res.headers["content-type"]
    assert client.get("/static/index.py").status_code == 404
    spec = client.get("/openapi.json").json()
    assert {"/v1/autoviz/runs", "/v1/autoviz/datasets", "/v1/autoviz/runs/{run_id}"} <= set(spec["paths"])
