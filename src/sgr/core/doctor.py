"""`sgr doctor`: what works for one model entry, verified live, in words a person can act on.

`diagnose(entry)` gathers facts into a `DoctorReport` (plain data, no printing) so tests and `--json` see
exactly what the prose shows; `run_doctor` loads the config, prints and returns the exit code.
Every problem carries its fix, because "guided_json is ignored" is only useful next to "we use
structured_outputs" or the exact `vllm serve` line that makes the server usable. It names the engine behind
the URL (configured with `backend:` or detected) and the dialect it verified, and it fails an entry whose
server ignores every constraint parameter: that server would hand back unconstrained text with HTTP 200.
An entry with several replicas (`urls:`) is checked replica by replica, because each may run another engine
version: the entry is usable while one replica is, and each is listed with its state and verified dialect.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from sgr.core.config import ModelEntry, load_settings
from sgr.core.errors import BackendUnavailable, ConfigError, SchemaViolation
from sgr.core.llm.launch import WHITESPACE_CONFIG, ServeTarget, constraint_fix
from sgr.core.llm.launch import launch_command as kind_launch_command
from sgr.core.llm.server_kind import kind_label
from sgr.core.wsl import Platform, advice, detect

if TYPE_CHECKING:
    from sgr.core.llm.openai_compat import OpenAICompatBackend

_WHITESPACE_CONFIG = WHITESPACE_CONFIG
_ROUNDTRIP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "word": {"type": "string", "maxLength": 12},
    },
    "required": ["ok", "word"],
    "additionalProperties": False,
}


@dataclass
class Problem:
    """Something wrong, and what to do about it. Errors make the entry unusable; warnings do not."""

    severity: Literal["error", "warning"]
    problem: str
    fix: str


@dataclass
class DoctorReport:
    """Everything doctor found for one model entry."""

    entry: str
    backend: str
    url: str | None = None
    reachable: bool | None = None
    reach_latency_s: float | None = None
    models_served: list[str] = field(default_factory=list)
    model: str | None = None
    #: the engine behind the URL (vllm, llamacpp, ollama, sglang, tgi, or openai = unknown) and why we think so
    server_kind: str | None = None
    kind_evidence: str | None = None
    dialects: list[dict[str, Any]] = field(default_factory=list)
    dialect: str | None = None
    compact_whitespace: bool | None = None
    roundtrip_latency_s: float | None = None
    roundtrip_valid: bool | None = None
    launch_command: str | None = None
    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: "WSL 2 (Ubuntu)" when doctor runs inside WSL, with the advice that applies to this entry
    platform: str | None = None
    advice: list[str] = field(default_factory=list)
    #: one summary per replica of a `urls:` entry (url, state ok/down/unusable, kind, dialect, problems)
    replicas: list[dict[str, Any]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """True when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)

    def error(self, problem: str, fix: str) -> None:
        """Record a problem that makes the entry unusable."""
        self.problems.append(Problem("error", problem, fix))

    def warn(self, problem: str, fix: str) -> None:
        """Record a problem the entry can live with."""
        self.problems.append(Problem("warning", problem, fix))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with `usable` included."""
        data = asdict(self)
        data["usable"] = self.usable
        return data


def launch_command(entry: ModelEntry, served_model: str | None = None, kind: str | None = None) -> str:
    """The line we recommend to start the entry's engine (`kind`, default its `backend:`; vLLM's line for an
    unknown server): for vLLM compact xgrammar output, the entry's host, port and length."""
    parts = urlsplit(entry.url or "http://127.0.0.1:8000/v1")
    host = parts.hostname or "127.0.0.1"
    if host == "localhost":
        host = "127.0.0.1"
    model = entry.model if entry.model != "auto" else (served_model or "MODEL")
    target = ServeTarget(host=host, port=parts.port or 8000, model=model, max_model_len=entry.max_model_len,
                         quantization=entry.quantization)
    return kind_launch_command(kind or entry.backend, target)


def diagnose(entry: ModelEntry, *, backoff_s: float = 0.2, platform: Platform | None = None) -> DoctorReport:
    """Check one entry live and return what was found (never prints, never raises for a sick server)."""
    report = DoctorReport(entry=entry.name, backend=entry.backend, url=entry.url)
    platform = platform or detect()
    if platform.wsl:
        version = f"WSL {platform.wsl_version}" if platform.wsl_version else "WSL"
        report.platform = f"{version} ({platform.distro})" if platform.distro else version
        report.advice = advice(platform, entry)
    if entry.backend == "offline":
        report.checks.append("offline entry: there is no model to check; steps answer with their deterministic path")
        return report
    if entry.backend == "local":
        _diagnose_local(entry, report)
        return report
    if len(entry.replica_urls) > 1:
        _diagnose_replicas(entry, report, backoff_s=backoff_s)
        return report
    _diagnose_server(entry, report, backoff_s=backoff_s)
    return report


#: what a replicated entry shows of its first usable replica (the rest is per replica)
_LEAD_FIELDS = ("url", "reachable", "reach_latency_s", "models_served", "model", "server_kind", "kind_evidence",
                "dialect", "compact_whitespace", "roundtrip_latency_s", "roundtrip_valid", "launch_command")


def _diagnose_replicas(entry: ModelEntry, report: DoctorReport, *, backoff_s: float) -> None:
    """Diagnose each replica as its own server; the entry is usable while one of them is.

    A broken replica's errors become warnings when another replica works: calls skip it until it recovers,
    so the entry still answers, but the person should know it runs on fewer servers than configured.
    """
    subs: list[DoctorReport] = []
    for url in entry.replica_urls:
        sub = DoctorReport(entry=entry.name, backend=entry.backend, url=url)
        _diagnose_server(entry.model_copy(update={"url": url, "urls": None}), sub, backoff_s=backoff_s)
        subs.append(sub)
    usable = [s for s in subs if s.usable]
    lead = usable[0] if usable else subs[0]
    for name in _LEAD_FIELDS:
        setattr(report, name, getattr(lead, name))
    report.replicas = [_replica_summary(s) for s in subs]
    for sub in subs:
        for p in sub.problems:
            severity: Literal["error", "warning"] = "warning" if usable and not sub.usable else p.severity
            report.problems.append(Problem(severity, f"replica {sub.url}: {p.problem}", p.fix))
    if usable and len(usable) < len(subs):
        report.warn(f"only {len(usable)} of {len(subs)} replicas are usable; calls skip the others and retry them "
                    f"every {entry.replica_retry_s:g} s or more", "fix or restart the replicas marked above")


def _replica_summary(sub: DoctorReport) -> dict[str, Any]:
    """One replica in a few fields: where, in what state, which engine, which dialect it verified."""
    state = "ok" if sub.usable else "down" if sub.reachable is False else "unusable"
    return {"url": sub.url, "state": state, "server_kind": sub.server_kind, "dialect": sub.dialect,
            "model": sub.model, "reach_latency_s": sub.reach_latency_s, "dialects": sub.dialects,
            "problems": [asdict(p) for p in sub.problems]}


def _diagnose_local(entry: ModelEntry, report: DoctorReport) -> None:
    path = entry.resolved_path()
    if path is None or not path.is_dir():
        report.error(f"model directory not found: {path}", "set `path:` to a Hugging Face model directory")
    else:
        report.checks.append(f"model directory exists: {path}")
    for module in ("torch", "transformers", "xgrammar"):
        try:
            mod = importlib.import_module(module)
        except Exception as exc:  # a broken install raises more than ImportError
            report.error(f"cannot import {module}: {exc}", "pip install 'sgr-agents[local]'")
        else:
            report.checks.append(f"{module} {getattr(mod, '__version__', '?')} imports")


def _diagnose_server(entry: ModelEntry, report: DoctorReport, *, backoff_s: float) -> None:
    from sgr.core.llm.openai_compat import OpenAICompatBackend, ServerRejected

    backend = OpenAICompatBackend.from_entry(
        entry.model_copy(update={"connect_retries": min(entry.connect_retries, 1)}), backoff_s=backoff_s
    )
    report.url = backend.base_url
    report.launch_command = launch_command(entry)
    try:
        t0 = time.perf_counter()
        try:
            report.models_served = backend.list_models(refresh=True)
        except ServerRejected as exc:
            report.reachable = True
            report.error(f"GET {backend.base_url}/models failed: {exc.server_text}",
                         "check the url (it should be the server's /v1 base) and the API key")
            return
        except BackendUnavailable as exc:
            report.reachable = False
            fix = f"start the server: {report.launch_command}"
            if entry.model == "auto":
                fix += " (MODEL: the Hugging Face id or folder to serve)"
            report.error(str(exc).split(" — ")[0], fix)  # the hint would send the reader back here
            return
        report.reachable = True
        report.reach_latency_s = time.perf_counter() - t0
        detection = backend.detection(refresh=True)
        report.server_kind, report.kind_evidence = detection.kind, detection.evidence
        report.launch_command = launch_command(entry, kind=detection.kind)
        if not _choose_model(entry, report):
            return
        backend.resolve_model()
        report.launch_command = launch_command(entry, report.model, detection.kind)
        _check_dialects(entry, backend, report)
        if report.dialect:
            _roundtrip(backend, report)
    except BackendUnavailable as exc:
        report.error(str(exc), f"check the server log; the recommended launch is: {report.launch_command}")
    finally:
        backend.close()


def _choose_model(entry: ModelEntry, report: DoctorReport) -> bool:
    served = report.models_served
    if entry.model == "auto":
        if not served:
            report.error("the server serves no models (GET /models is empty)",
                         f"start it with: {report.launch_command}")
            return False
        report.model = served[0]
        return True
    if entry.model not in served:
        report.error(
            f"model {entry.model!r} is not served here; the server serves: {served}",
            f"set `model:` to one of {served} (or `auto`), or serve it: {report.launch_command}",
        )
        return False
    report.model = entry.model
    return True


def _check_dialects(entry: ModelEntry, backend: OpenAICompatBackend, report: DoctorReport) -> None:
    negotiation = backend.negotiate(refresh=True, probe_all=True)
    report.dialects = [asdict(p) for p in negotiation.probes]
    verified = [p.dialect for p in negotiation.probes if p.constrained]
    guided = negotiation.probe("guided_json")
    if entry.dialect != "auto":
        forced = negotiation.probe(entry.dialect)
        if forced is None or not forced.constrained:
            better = f"use `dialect: auto` (verified here: {verified})" if verified else _no_constraint_fix(report)
            report.error(f"the entry forces dialect {entry.dialect!r}, which this server does not enforce", better)
            return
        report.dialect = entry.dialect
    elif negotiation.chosen is None:
        accepted = [p.dialect for p in negotiation.probes if p.accepted]
        ignored = f"; it answered HTTP 200 and ignored: {', '.join(accepted)}" if accepted else ""
        report.error(
            f"no dialect is enforced: {kind_label(negotiation.kind)} returns unconstrained text for every "
            f"structured-output request{ignored}, so its output would be unconstrained and this server cannot "
            "be used",
            _no_constraint_fix(report),
        )
        return
    else:
        report.dialect = negotiation.chosen
    if guided is not None and guided.accepted and not guided.constrained and negotiation.kind == "vllm":
        report.warn("this server ignores guided_json (vLLM >= 0.12 answers HTTP 200 without constraint)",
                    f"nothing to do: we use {report.dialect}")
    if verified == ["guided_json"]:
        report.warn("only the legacy guided_json dialect works (vLLM < 0.12)",
                    "upgrade vLLM: structured_outputs arrived in 0.10.2 and guided_json is gone from 0.12")
    chosen = negotiation.probe(report.dialect)
    report.compact_whitespace = chosen.compact if chosen else None
    vllm_like = negotiation.kind in ("vllm", "openai")
    if chosen is not None and chosen.padded:
        # measured on vLLM 0.32 with a weak model: 0 of 16 answers valid, every one cut off at max_tokens
        report.error(
            "the model pads constrained answers with whitespace until max_tokens, so answers get cut off",
            f"restart with --structured-outputs-config '{_WHITESPACE_CONFIG}': {report.launch_command}"
            if vllm_like else _NO_COMPACT_SWITCH,
        )
    elif report.compact_whitespace is False:
        report.warn(
            f"constrained output contains optional whitespace (seen: {(chosen.sample or '')[:60]!r}); "
            "weak models may pad it until max_tokens",
            f"restart with --structured-outputs-config '{_WHITESPACE_CONFIG}'" if vllm_like else _NO_COMPACT_SWITCH,
        )


#: the other engines have no switch for compact JSON (vLLM's disable_any_whitespace)
_NO_COMPACT_SWITCH = ("this engine has no compact-output switch: use a stronger model or a larger max_tokens; the "
                      "repair loop retries cut-off answers")


def _no_constraint_fix(report: DoctorReport) -> str:
    fix = constraint_fix(report.server_kind or report.backend, report.launch_command or "")
    return f"{fix}; a server that cannot constrain output cannot be used"


def _roundtrip(backend: OpenAICompatBackend, report: DoctorReport) -> None:
    from sgr.core.llm.base import GenerationRequest
    from sgr.core.port import validate_answer

    request = GenerationRequest(
        messages=[{"role": "user", "content": "Reply with ok=true and one short word."}],
        schema=_ROUNDTRIP_SCHEMA, schema_name="doctor_roundtrip", max_tokens=64, temperature=0.0, seed=0,
    )
    t0 = time.perf_counter()
    raw = backend.generate(request)
    report.roundtrip_latency_s = time.perf_counter() - t0
    try:
        validate_answer(raw, _ROUNDTRIP_SCHEMA)
    except SchemaViolation as exc:
        report.roundtrip_valid = False
        report.warn(f"a small structured call came back invalid: {exc}",
                    "the repair loop will retry such answers; raise max_tokens if it says finish_reason=length")
    else:
        report.roundtrip_valid = True


# ---------------------------------------------------------------------------------------------------
# surface


def run_doctor(model: str | None, config: str | None, json_out: bool) -> int:
    """Load the config, diagnose the entry, print the result; exit code 0 usable, 1 not, 2 bad config."""
    try:
        entry = load_settings(config).entry(model)
    except ConfigError as exc:
        if json_out:
            print(json.dumps({"usable": False, "error": str(exc)}))
        else:
            _console(stderr=True).print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return exc.exit_code
    report = diagnose(entry)
    if json_out:
        print(json.dumps(report.to_dict(), sort_keys=True, default=str))
    else:
        render(report)
    return 0 if report.usable else 1


def _console(*, stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True)


def render(report: DoctorReport) -> None:
    """Print the report as short plain sentences (rich for colour only; text reads the same without)."""
    from rich.markup import escape

    out = _console()

    def say(text: str, style: str | None = None) -> None:
        out.print(escape(text), style=style, highlight=False)

    say(f"model entry {report.entry!r} (backend: {report.backend})", "bold")
    if report.platform:
        say(f"  running inside {report.platform}")
        for line in report.advice:
            say(f"  wsl   {line}", "cyan")
    for line in report.checks:
        say(f"  ok    {line}", "green")
    if report.replicas:
        _render_replicas(report, say)
    elif report.url:
        if report.reachable:
            say(f"  ok    server reachable at {report.url} ({_ms(report.reach_latency_s)})", "green")
            say(f"        models served: {', '.join(report.models_served) or '(none)'}")
            if report.model:
                chosen = " (model: auto, first of GET /models)" if report.model == report.models_served[0] else ""
                say(f"        model used: {report.model}{chosen}")
            if report.server_kind:
                say(f"        server kind: {kind_label(report.server_kind)} ({report.kind_evidence})")
        elif report.reachable is False:
            say(f"  FAIL  server not reachable at {report.url}", "red")
    for d in [] if report.replicas else report.dialects:
        accepted = "accepted" if d["accepted"] else "not accepted"
        verified = "constraint VERIFIED" if d["constrained"] else "constraint NOT verified"
        style = "green" if d["constrained"] else "yellow"
        say(f"  {'ok  ' if d['constrained'] else 'no  '}  dialect {d['dialect']}: {accepted}, {verified} "
            f"({_ms(d['latency_s'])}) — {d['detail']}", style)
    if report.dialect and not report.replicas:
        say(f"        dialect in use: {report.dialect} (constraint verified on this server)")
    if report.compact_whitespace is not None:
        say(f"        output whitespace: {'compact' if report.compact_whitespace else 'NOT compact'}")
    if report.roundtrip_latency_s is not None:
        validity = "valid" if report.roundtrip_valid else "INVALID"
        say(f"        small structured call: {_ms(report.roundtrip_latency_s)}, answer {validity}")
    for p in report.problems:
        is_error = p.severity == "error"
        say(f"  {'FAIL' if is_error else 'warn'}  {p.problem}", "red" if is_error else "yellow")
        say(f"        fix: {p.fix}")
    if report.launch_command:
        say("recommended launch command:")
        say(f"  {report.launch_command}", "cyan")
    say("usable: yes" if report.usable else "usable: NO", "bold green" if report.usable else "bold red")


def _render_replicas(report: DoctorReport, say: Callable[[str, str | None], None]) -> None:
    """One line per replica: its state, engine and verified dialect, or why it cannot serve."""
    usable = sum(r["state"] == "ok" for r in report.replicas)
    say(f"        replicas: {len(report.replicas)} configured, {usable} usable", None)
    for i, r in enumerate(report.replicas, 1):
        where = f"replica {i} {r['url']}"
        if r["state"] == "ok":
            kind = kind_label(r["server_kind"]) if r["server_kind"] else "server"
            say(f"  ok    {where}: up ({_ms(r['reach_latency_s'])}), {kind}, model {r['model']}, "
                f"dialect {r['dialect']} (constraint verified)", "green")
        else:
            errors = [p["problem"] for p in r["problems"] if p["severity"] == "error"]
            why = f" — {errors[0]}" if errors else ""
            say(f"  FAIL  {where}: {'DOWN (not reachable)' if r['state'] == 'down' else 'UNUSABLE'}{why}", "red")
    if report.model:
        say(f"        model used: {report.model}", None)


def _ms(seconds: float | None) -> str:
    return "?" if seconds is None else f"{seconds * 1000:.0f} ms"
