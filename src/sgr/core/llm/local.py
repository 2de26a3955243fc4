"""The in-process backend: a transformers causal LM whose logits xgrammar masks token by token.

Why it exists: it needs no server (native Windows, CI, laptops) yet gives the same guarantee as vLLM with
xgrammar, because the same grammar engine decides which tokens may follow. Torch, transformers and
xgrammar are imported inside methods so `import sgr` stays light and works without the `local` extra.

Schemas are compiled in compact form (`any_whitespace=False`, separators `(",", ":")`), as vLLM does with
`disable_any_whitespace`: a random or weak model otherwise spends its token budget on whitespace.
Parsing, validation and repair are not done here: `sgr.core.port.generate` does them for every backend.
"""

from __future__ import annotations

import gc
import json
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sgr.core.config import ModelEntry
from sgr.core.errors import BackendUnavailable, ContractError
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput

DIALECT = "xgrammar-local"
INSTALL_HINT = "pip install 'sgr-agents[local]'"
SMALL_MODEL_PARAMS = 50_000_000
#: xgrammar prefixes C++ errors with "[hh:mm:ss] /path/file.cc:123: ", which helps nobody reading a CLI error
_ENGINE_PREFIX = re.compile(r"^\[[\d:]+\]\s+\S+:\d+:\s*")


@dataclass
class _Loaded:
    """Everything that lives as long as the model: built once, on first use."""

    torch: Any
    xgr: Any
    model: Any
    tokenizer: Any
    compiler: Any
    vocab_size: int
    context_len: int
    threads: int | None


class LocalBackend(Backend):
    """A Hugging Face model directory run in-process under an xgrammar grammar.

    Parameters
    ----------
    name:
        The model entry's name, for traces.
    path:
        A directory `AutoModelForCausalLM.from_pretrained` accepts (e.g. from `build_tiny_model`).
    device, temperature, max_tokens, seed:
        Defaults for requests that do not set their own.
    max_model_len:
        Context limit; defaults to the model's `max_position_embeddings`.
    grammar_cache_size:
        How many compiled schemas to keep (least recently used are dropped).
    threads:
        Torch threads while decoding. None = automatic: 1 for models under 50M parameters, where
        thread hand-offs cost more than the matmuls (measured 10x slower with 2 threads on a busy
        2-core machine), else torch's own setting.
    """

    kind: ClassVar[str] = "local"
    supports_schema: ClassVar[bool] = True

    def __init__(
        self,
        name: str,
        path: Path | str | None,
        *,
        device: str = "cpu",
        temperature: float = 0.0,
        max_tokens: int = 512,
        seed: int | None = 0,
        max_model_len: int | None = None,
        grammar_cache_size: int = 128,
        threads: int | None = None,
    ) -> None:
        super().__init__(name)
        self.path = Path(path) if path is not None else None
        self.device = device
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.seed = seed
        self.max_model_len = max_model_len
        self._grammar_cache_size = grammar_cache_size
        self.threads = threads
        self._grammars: OrderedDict[str, Any] = OrderedDict()
        self._hits = 0
        self._misses = 0
        self._loaded: _Loaded | None = None
        self._lock = threading.RLock()
        #: timings of the most recent generate(), for benchmarks and traces
        self.last_stats: dict[str, float] = {}

    @classmethod
    def from_entry(cls, entry: ModelEntry) -> LocalBackend:
        """Build from a config entry (`backend: local`, `path: ...`); loading waits for the first call."""
        return cls(
            entry.name,
            entry.resolved_path(),
            device=entry.device,
            temperature=entry.temperature,
            max_tokens=entry.max_tokens,
            seed=entry.seed,
            max_model_len=entry.max_model_len,
        )

    @property
    def model_name(self) -> str | None:
        """The model directory's name, which is what a person recognises."""
        return self.path.name if self.path else None

    @property
    def dialect(self) -> str | None:
        """Always the in-process xgrammar mask."""
        return DIALECT

    # -- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        """Load model, tokenizer and grammar compiler now (otherwise the first generate does it)."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> _Loaded:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> _Loaded:
        try:
            import torch
            import transformers
            import xgrammar as xgr
        except ImportError as exc:
            raise BackendUnavailable(
                f"model {self.name!r}: the local backend needs torch, transformers and xgrammar "
                f"({exc.name} is missing): {INSTALL_HINT}"
            ) from exc
        path = self.path
        if path is None:
            raise BackendUnavailable(f"model {self.name!r}: no model path configured; set `path` to a Hugging Face "
                                     "model directory")
        if not path.is_dir():
            raise BackendUnavailable(f"model {self.name!r}: no model at {path}: point `path` at a Hugging Face "
                                     "model directory (python -m sgr.testing.tiny_model DIR builds a test one)")
        if not (path / "config.json").is_file():
            raise BackendUnavailable(f"model {self.name!r}: no model at {path}: config.json is missing")
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(path))
            model = transformers.AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
            model.to(self.device)
            model.eval()
            vocab_size = int(model.config.vocab_size)
            info = xgr.TokenizerInfo.from_huggingface(
                tokenizer, vocab_size=vocab_size, stop_token_ids=_stop_ids(tokenizer, model) or None
            )
        except Exception as exc:  # transformers/xgrammar raise OSError/ValueError/KeyError/RuntimeError variants
            raise BackendUnavailable(
                f"model {self.name!r}: cannot load the model at {path}: {_engine_message(exc)}"
            ) from exc
        if tokenizer.chat_template is None:
            raise BackendUnavailable(f"model {self.name!r}: the tokenizer at {path} has no chat_template")
        compiler = xgr.GrammarCompiler(info, max_threads=max(1, min(8, os.cpu_count() or 1)), cache_enabled=True)
        limit = int(getattr(model.config, "max_position_embeddings", 2048) or 2048)
        context = min(self.max_model_len, limit) if self.max_model_len else limit
        threads = self.threads
        if threads is None and sum(p.numel() for p in model.parameters()) < SMALL_MODEL_PARAMS:
            threads = 1
        return _Loaded(torch, xgr, model, tokenizer, compiler, vocab_size, context, threads)

    # -- grammars --------------------------------------------------------------------------------

    def compiled_grammar(self, schema: dict[str, Any]) -> Any:
        """The compiled grammar for a schema, from the per-backend cache when seen before.

        The key is the schema's compact JSON with keys in their given order (not sorted): property
        order is part of the grammar, since reasoning fields must come before decisions.
        """
        loaded = self._ensure_loaded()
        key = json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
        with self._lock:
            if key in self._grammars:
                self._hits += 1
                self._grammars.move_to_end(key)
                return self._grammars[key]
            self._misses += 1
            try:
                grammar = loaded.compiler.compile_json_schema(
                    key, any_whitespace=False, separators=(",", ":"), strict_mode=True
                )
            except Exception as exc:  # xgrammar raises RuntimeError/ValueError variants
                raise ContractError(f"xgrammar cannot compile the schema: {_engine_message(exc)}") from exc
            self._grammars[key] = grammar
            while len(self._grammars) > self._grammar_cache_size:
                self._grammars.popitem(last=False)
            return grammar

    def cache_info(self) -> dict[str, int]:
        """Grammar cache counters: entries, hits, misses, and xgrammar's own cache size in bytes."""
        with self._lock:
            size = self._loaded.compiler.get_cache_size_bytes() if self._loaded else 0
            return {"entries": len(self._grammars), "hits": self._hits, "misses": self._misses,
                    "compiler_bytes": int(size)}

    def clear_cache(self) -> None:
        """Drop every compiled grammar (ours and xgrammar's)."""
        with self._lock:
            self._grammars.clear()
            if self._loaded is not None:
                self._loaded.compiler.clear_cache()

    # -- generation ------------------------------------------------------------------------------

    def _prompt_ids(self, loaded: _Loaded, messages: list[dict[str, Any]]) -> list[int]:
        chat = [{"role": str(m.get("role", "user")), "content": _content_text(m.get("content"))}
                for m in messages]
        text = loaded.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
        return list(loaded.tokenizer(text, add_special_tokens=False)["input_ids"])

    def generate(self, request: GenerationRequest) -> RawOutput:
        """Decode under the schema's grammar.

        finish_reason is "stop" when the grammar terminated, "length" when max_tokens cut it short, and
        "error" (with `extra["error"]`) when the engine reached a dead end; the port repairs the last two.
        """
        loaded = self._ensure_loaded()
        grammar = self.compiled_grammar(request.schema)
        with self._lock:
            return self._decode(loaded, grammar, request)

    def _decode(self, loaded: _Loaded, grammar: Any, request: GenerationRequest) -> RawOutput:
        torch = loaded.torch
        previous = torch.get_num_threads()
        if loaded.threads is not None and loaded.threads != previous:
            torch.set_num_threads(loaded.threads)  # restored below: other torch users keep their setting
        try:
            return self._decode_steps(loaded, grammar, request)
        finally:
            if torch.get_num_threads() != previous:
                torch.set_num_threads(previous)

    def _decode_steps(self, loaded: _Loaded, grammar: Any, request: GenerationRequest) -> RawOutput:
        torch, xgr = loaded.torch, loaded.xgr
        prompt = self._prompt_ids(loaded, request.messages)
        room = loaded.context_len - len(prompt)
        if room <= 0:  # re-asking only makes the prompt longer, so this is not a repairable violation
            raise BackendUnavailable(
                f"model {self.name!r}: the prompt has {len(prompt)} tokens but the context holds "
                f"{loaded.context_len}; shorten the prompt or raise max_model_len"
            )
        budget = min(request.max_tokens or self.max_tokens, room)
        temperature = self.temperature if request.temperature is None else request.temperature
        seed = request.seed if request.seed is not None else (self.seed or 0)
        sampler = torch.Generator(device="cpu").manual_seed(seed) if temperature > 0 else None

        matcher = xgr.GrammarMatcher(grammar)  # fresh per request: it carries the parse state
        bitmask = xgr.allocate_token_bitmask(1, loaded.vocab_size)
        generated: list[int] = []
        finish, problem = "length", ""
        mask_s = forward_s = 0.0
        started = time.perf_counter()
        with torch.inference_mode():
            step_ids = torch.tensor([prompt], dtype=torch.long, device=self.device)
            past = None
            for _ in range(budget):
                t0 = time.perf_counter()
                out = loaded.model(input_ids=step_ids, past_key_values=past, use_cache=True)
                past = out.past_key_values
                logits = out.logits[:, -1, :].float().cpu()
                t1 = time.perf_counter()
                matcher.fill_next_token_bitmask(bitmask)
                xgr.apply_token_bitmask_inplace(logits, bitmask)
                mask_s += time.perf_counter() - t1
                forward_s += t1 - t0
                if not bool(torch.isfinite(logits).any()):
                    finish, problem = "error", "the grammar allows no next token (engine dead end)"
                    break
                token = _pick(torch, logits[0], temperature, sampler)
                accepted = matcher.accept_token(token)
                if not accepted:  # cannot happen with a correct mask; reported, then repaired by the port
                    finish, problem = "error", f"the grammar rejected token {token} that its own mask allowed"
                    break
                generated.append(token)
                if matcher.is_terminated():
                    finish = "stop"
                    break
                step_ids = torch.tensor([[token]], dtype=torch.long, device=self.device)
        elapsed = time.perf_counter() - started
        steps = max(len(generated), 1)
        self.last_stats = {"tokens": float(len(generated)), "seconds": elapsed,
                           "mask_s_per_token": mask_s / steps, "forward_s_per_token": forward_s / steps}
        return RawOutput(
            text=_decode_text(loaded, generated),
            finish_reason=finish,
            prompt_tokens=len(prompt),
            completion_tokens=len(generated),
            dialect=DIALECT,
            model=self.model_name,
            extra={"error": problem} if problem else {},
        )

    def close(self) -> None:
        """Free the model and the compiled grammars; a later generate loads them again."""
        with self._lock:
            self._grammars.clear()
            self._loaded = None
        gc.collect()


def _pick(torch: Any, logits: Any, temperature: float, sampler: Any) -> int:
    """Greedy at temperature 0, else a draw from the seeded generator (masked tokens have -inf)."""
    if sampler is None:
        return int(torch.argmax(logits).item())
    probs = torch.softmax(logits / temperature, dim=-1)
    return int(torch.multinomial(probs, 1, generator=sampler).item())


def _decode_text(loaded: _Loaded, ids: list[int]) -> str:
    return str(loaded.tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False))


def _content_text(content: Any) -> str:
    """Chat content as text: OpenAI-style lists of parts keep only their text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _stop_ids(tokenizer: Any, model: Any) -> list[int]:
    """Every end-of-turn id the model may use: chat models often list several in generation_config."""
    ids: list[int] = []
    gen = getattr(model, "generation_config", None)
    for value in (tokenizer.eos_token_id, getattr(gen, "eos_token_id", None)):
        for i in value if isinstance(value, list) else [value]:
            if isinstance(i, int) and i not in ids:
                ids.append(i)
    return ids


def _engine_message(exc: Exception) -> str:
    """The engine's error as one readable line (no timestamp, source location or trailing blank)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return _ENGINE_PREFIX.sub("", lines[0]) if lines else type(exc).__name__
