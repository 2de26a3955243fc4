"""The command that starts each engine with structured output, and what to do when one ignores constraints.

Doctor prints these next to a problem, because "the server returned unconstrained text" is only useful
next to the command that makes it constrain. vLLM's line carries our measured whitespace setting (compact
output, see DESIGN.md); the other engines constrain JSON out of the box in the versions named here.
"""

from __future__ import annotations

from dataclasses import dataclass

WHITESPACE_CONFIG = '{"backend":"xgrammar","disable_any_whitespace":true}'


@dataclass(frozen=True)
class ServeTarget:
    """Where and what to serve: taken from a model entry's url and fields."""

    host: str
    port: int
    model: str
    max_model_len: int | None = None
    quantization: str | None = None


def launch_command(kind: str, target: ServeTarget) -> str:
    """The line that starts `kind` (vLLM's for vllm and for an unknown OpenAI-compatible server)."""
    if kind == "llamacpp":
        ctx = f" --ctx-size {target.max_model_len}" if target.max_model_len else ""
        return f"llama-server -m {target.model} --host {target.host} --port {target.port}{ctx}"
    if kind == "ollama":
        return f"ollama pull {target.model} && ollama serve"
    if kind == "sglang":
        return (f"python -m sglang.launch_server --model-path {target.model} --host {target.host} "
                f"--port {target.port} --grammar-backend xgrammar")
    if kind == "tgi":
        return f"text-generation-launcher --model-id {target.model} --hostname {target.host} --port {target.port}"
    cmd = (
        f"vllm serve {target.model} --host {target.host} --port {target.port} "
        f"--max-model-len {target.max_model_len or 4096} --structured-outputs-config '{WHITESPACE_CONFIG}'"
    )
    if target.quantization:
        cmd += f" --quantization {target.quantization}"
    return cmd


_CONSTRAINT_FIX: dict[str, str] = {
    "llamacpp": "use a llama.cpp build whose server honours `json_schema` / `response_format` (grammar-based "
                "sampling): {launch}",
    "ollama": "upgrade Ollama to 0.5 or newer (structured outputs via `format`), then: {launch}",
    "sglang": "start SGLang with a grammar backend: {launch}",
    "tgi": "use TGI 1.4.3 or newer (grammar support via `response_format` type json): {launch}",
    "vllm": "start vLLM with a structured-outputs backend: {launch}",
}


def constraint_fix(kind: str, launch: str) -> str:
    """What to do when a server of `kind` ignored every constraint parameter we sent."""
    template = _CONSTRAINT_FIX.get(kind)
    if template is None:
        return ("this server ignores every constraint parameter we know (it may not be a structured-output "
                f"engine at all): serve the model with vLLM ({launch}), llama.cpp, Ollama, SGLang or TGI, or name "
                "the engine with `backend:` if detection guessed wrong")
    return template.format(launch=launch)
