"""Settings: `config.yaml` (or `--config PATH` / `SGR_CONFIG`) plus environment, as typed objects.

Resolution order for the file: explicit path > $SGR_CONFIG > ./config.yaml > the embedded default
(`sgr/default_config.yaml`), so a fresh clone runs offline with no file at all.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sgr.core.errors import ConfigError, UnknownModelEntry

#: `openai` is any OpenAI-compatible server, its engine detected at run time; the engine kinds name it
#: (and skip detection)
BackendKind = Literal["vllm", "openai", "llamacpp", "ollama", "sglang", "tgi", "local", "offline"]
#: backends reached over HTTP at `url`
SERVER_BACKENDS: tuple[str, ...] = ("vllm", "openai", "llamacpp", "ollama", "sglang", "tgi")
DialectName = Literal[
    "auto", "response_format", "structured_outputs", "guided_json", "llamacpp_json_schema", "tgi_json",
    "ollama_format",
]
_ENV_REF = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


class ModelEntry(BaseModel):
    """One model a person can pick with `--model NAME`."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    backend: BackendKind
    url: str | None = None
    #: replicas of one served model (instead of `url`): least-in-flight routing, failover, dialect per replica
    urls: list[str] | None = None
    model: str = "auto"
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(512, ge=1, le=32768)
    timeout: float = Field(60.0, gt=0)
    api_key: str | None = None
    api_key_env: str | None = None
    path: str | None = None
    device: str = "cpu"
    quantization: str | None = None
    max_model_len: int | None = Field(None, ge=256)
    #: repair attempts after the first answer when it violates the contract
    max_retries: int = Field(2, ge=0, le=10)
    #: what a step does when the model cannot give a valid answer: use its deterministic path, or fail
    on_failure: Literal["fallback", "raise"] = "fallback"
    #: transport retries (connection errors, 5xx) with exponential backoff
    connect_retries: int = Field(2, ge=0, le=10)
    #: force a dialect instead of negotiating (see `sgr.core.llm.dialects`); "auto" probes the kind's dialects
    dialect: DialectName = "auto"
    seed: int | None = 0
    #: seconds a failed replica is skipped before one request tries it again (doubling while it stays down)
    replica_retry_s: float = Field(10.0, gt=0)

    @field_validator("urls", mode="before")
    @classmethod
    def _urls_list(cls, value: Any) -> Any:
        """A lone string under `urls:` is almost always a slip for `url:`; say so instead of a type error."""
        if isinstance(value, str):
            raise ValueError("`urls` is a list of replica URLs (for one server use `url:`)")
        return value

    @model_validator(mode="after")
    def _check_backend_fields(self) -> ModelEntry:
        if self.url is not None and self.urls is not None:
            raise ValueError("give either `url` (one server) or `urls` (replicas), not both")
        if self.backend in SERVER_BACKENDS and not self.url and self.urls is None:
            raise ValueError(f"backend {self.backend!r} needs a `url` (e.g. http://127.0.0.1:8000/v1)")
        if self.url:
            _check_url(self.url)
        if self.urls is not None:
            if self.backend not in SERVER_BACKENDS:
                raise ValueError(f"`urls` lists server replicas; backend {self.backend!r} has no server")
            _check_replicas(self.urls)
        if self.backend == "local" and not self.path:
            raise ValueError("backend 'local' needs a `path` to a Hugging Face model directory")
        return self

    @property
    def replica_urls(self) -> tuple[str, ...]:
        """Every server URL of the entry, normalised to its `/v1` base: the `urls` replicas, or `url` alone."""
        from sgr.core.llm.dialects import normalize_base_url  # here: sgr.core.llm imports this module

        raw = self.urls if self.urls is not None else [self.url] if self.url else []
        return tuple(normalize_base_url(u) for u in raw)

    def resolved_api_key(self) -> str | None:
        """The API key, read from the environment when the entry says where (never stored in the file)."""
        if self.api_key_env:
            return os.environ.get(self.api_key_env)
        if self.api_key:
            m = _ENV_REF.match(self.api_key)
            return os.environ.get(m.group(1)) if m else self.api_key
        return None

    def resolved_path(self) -> Path | None:
        """The local model directory with `~` and environment variables expanded."""
        return Path(os.path.expandvars(os.path.expanduser(self.path))) if self.path else None


def _check_url(url: str) -> None:
    """Reject what no HTTP client could reach: a bad port, a missing scheme or host."""
    parsed = urlsplit(url)
    try:
        _ = parsed.port  # urllib raises for "Port out of range 0-65535"
    except ValueError as exc:
        raise ValueError(f"url {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"url {url!r} must look like http://HOST:PORT/v1")


def _check_replicas(urls: list[str]) -> None:
    """Each replica is a valid URL, and listed once: "http://h:8000" and "http://h:8000/v1" are the same server."""
    from sgr.core.llm.dialects import normalize_base_url

    if not urls:
        raise ValueError("`urls` is empty: list at least one replica URL")
    seen: dict[str, str] = {}
    for url in urls:
        if not url.strip():
            raise ValueError("`urls` has an empty entry")
        _check_url(url)
        base = normalize_base_url(url)
        if base in seen:
            raise ValueError(f"replica {url!r} is listed twice in `urls` (same server as {seen[base]!r})")
        seen[base] = url


class DiscountSettings(BaseModel):
    """Where the discount manager keeps its stores, which pricing policy it uses, and its code secret."""

    model_config = ConfigDict(extra="forbid")
    dir: str = ".sgr/discount"
    #: pricing policy YAML (None = the packaged default); checked over its whole input domain when loaded
    policy: str | None = None
    #: HMAC key for offer codes; $SGR_DISCOUNT_SECRET wins; else generated once into `<dir>/offer_secret`
    secret: str | None = Field(None, min_length=16)
    #: PostgreSQL DSN for the hot store and the audit log, shared by service replicas (None = SQLite files in
    #: `dir`; the cold store stays there either way); $SGR_DISCOUNT_DATABASE wins
    database: str | None = Field(None, pattern=r"^postgres(ql)?://")
    #: seconds one decision may spend on the model (route + price, retries included) in the service; past it
    #: the policy's own offer is made (still capped, audited with the reason)
    decision_timeout: float = Field(30.0, gt=0)


class ServeSettings(BaseModel):
    """The HTTP service's defaults."""

    model_config = ConfigDict(extra="forbid")
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    max_request_bytes: int = Field(64 * 1024, ge=1024)
    max_upload_bytes: int = Field(100 * 1024 * 1024, ge=1024)
    data_dir: str = ".sgr/data"
    runs_dir: str = ".sgr/runs"
    workers: int = Field(2, ge=1, le=64)
    #: bearer token for every /v1 route; also $SGR_SERVE_TOKEN, else generated into `token_file`
    token: str | None = Field(None, min_length=16)
    token_file: str = ".sgr/serve.token"
    #: Host header values answered (DNS-rebinding defence); loopback names are always allowed
    allowed_hosts: list[str] = Field(default_factory=list)
    #: extra Origins allowed to POST/DELETE (the service's own origin always is)
    allowed_origins: list[str] = Field(default_factory=list)
    #: seconds a run may take before its worker is killed; an upload's profile gets `profile_timeout`
    run_timeout: float = Field(600.0, gt=0)
    profile_timeout: float = Field(120.0, gt=0)
    #: DuckDB per worker: "auto" = a share of this machine's memory and cores by `workers`
    worker_memory: str = "auto"
    worker_threads: int | None = Field(None, ge=1)
    #: finished runs and uploads older than this are deleted ("7d", "12h", "30m", "0" = keep forever)
    retention: str = Field("7d", pattern=r"^\s*(0|\d+(\.\d+)?\s*[smhd])\s*$")
    #: bytes runs and uploads may use together; the oldest finished ones go first beyond it
    max_storage_bytes: int = Field(10 * 1024**3, ge=1024 * 1024)


class Settings(BaseModel):
    """Everything the surfaces need, validated once at start-up."""

    model_config = ConfigDict(extra="forbid")

    default_model: str = "offline"
    models: dict[str, ModelEntry] = Field(default_factory=dict)
    discount: DiscountSettings = Field(default_factory=DiscountSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    source: str = "<embedded default>"

    @field_validator("models", mode="before")
    @classmethod
    def _name_entries(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, entry in value.items():
                if isinstance(entry, dict):
                    entry.setdefault("name", key)
        return value

    @model_validator(mode="after")
    def _default_exists(self) -> Settings:
        if "offline" not in self.models:
            self.models["offline"] = ModelEntry(name="offline", backend="offline")
        if self.default_model not in self.models:
            raise ValueError(
                f"default_model {self.default_model!r} is not one of the models: {sorted(self.models)}"
            )
        return self

    def entry(self, name: str | None = None) -> ModelEntry:
        """The model entry called `name` (the default when None), or a ConfigError listing the choices."""
        key = name or self.default_model
        if key not in self.models:
            raise UnknownModelEntry(f"no model entry named {key!r} in {self.source}; "
                                    f"choose one of: {sorted(self.models)}")
        return self.models[key]


def default_config_text() -> str:
    """The embedded default config (offline only), shipped inside the package."""
    return resources.files("sgr").joinpath("default_config.yaml").read_text(encoding="utf-8")


def find_config_path(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Which config file applies: explicit > $SGR_CONFIG > ./config.yaml > None (embedded default)."""
    if path:
        return Path(path)
    env = os.environ.get("SGR_CONFIG")
    if env:
        return Path(env)
    local = Path("config.yaml")
    return local if local.is_file() else None


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load and validate settings; every problem becomes one readable ConfigError."""
    chosen = find_config_path(path)
    if chosen is None:
        text, source = default_config_text(), "<embedded default>"
    else:
        if not chosen.is_file():
            raise ConfigError(f"config file not found: {chosen}")
        try:
            text = chosen.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {chosen}: {exc}") from exc
        source = str(chosen)
    return parse_settings(text, source=source)


def parse_settings(text: str, *, source: str = "<string>") -> Settings:
    """Parse YAML text into Settings (split out so tests need no files)."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must be a mapping with `default_model` and `models`")
    data["source"] = source
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid config {source}: {problems}") from exc
