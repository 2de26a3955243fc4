"""Build a tiny random-weight causal LM and a trained byte-level BPE tokenizer, with no downloads.

Why: tests and benchmarks need a real model that transformers AND a real vLLM server load, but no model
hub is reachable. A random model under a bounded grammar still yields valid objects, which is exactly the
guarantee the project sells; meaning comes from resolvers and validators, not from the weights.

The tokenizer is byte-level (all 256 bytes are in its alphabet), so xgrammar can spell any JSON, including
unicode. Weights come from one seeded generator in parameter-name order, so a seed fixes the bytes of
`model.safetensors` regardless of how transformers initialises modules. A marker file with a hash of the
build parameters makes the build idempotent: a second call with the same parameters returns at once.

Run `python -m sgr.testing.tiny_model OUT_DIR` to build one from the command line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from sgr.core.errors import SGRError
from sgr.core.locks import exclusive

#: bump when the build recipe changes, so cached models built by an older recipe are rebuilt
BUILDER_VERSION = 2
MARKER = ".sgr-tiny-model.json"
REQUIRED_FILES = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
)
Arch = Literal["qwen2", "llama"]

BOS, EOS, PAD, IM_START = "<|startoftext|>", "<|im_end|>", "<|endoftext|>", "<|im_start|>"
SPECIAL_TOKENS = (PAD, BOS, IM_START, EOS)

#: ChatML, the format vLLM and transformers both know; the tiny model has no system-prompt default.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class TinyModelError(SGRError):
    """The tiny model cannot be built (missing `local` extra or an unusable output folder)."""


@dataclass(frozen=True)
class TinySpec:
    """Everything that determines the bytes of a build; its hash goes into the marker file."""

    seed: int
    vocab_size: int
    arch: str
    hidden_size: int = 128
    intermediate_size: int = 256
    num_hidden_layers: int = 2
    num_attention_heads: int = 4  # head_dim 32: vLLM's CPU attention rejects head sizes below 32
    num_key_value_heads: int = 2
    max_position_embeddings: int = 2048
    builder_version: int = BUILDER_VERSION

    def digest(self) -> str:
        """Stable hash of the parameters (sorted JSON), used to decide whether a rebuild is needed."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


# -- corpus ----------------------------------------------------------------------------------------

_WORDS_TEXT = (
    "the a an of to and in is it for on with as at by from this that be are was not or but if then "
    "what which who when where why how all any each many more most some such no yes true false null "
    "show plot chart compare trend total sum average mean median count share rank top bottom by per "
    "over time month week day year quarter hour date region country city store product category "
    "customer user order price revenue sales profit margin discount cart value inventory churn risk "
    "tier loyalty offer respond fetch features route reason analysis summary intent general eda "
    "series investigation segmentation drivers anomaly detection comparative distribution correlation "
    "metric metrics group column columns filter filters sort limit ascending descending line bar "
    "scatter histogram heatmap area pie title label axis unit units percent amount quantity name id "
    "status type kind mode auto answer reply message question please give me find list number string "
    "hello thanks why because high low medium small large new old first last next previous"
)
_WORDS = tuple(_WORDS_TEXT.split())

_COLUMNS_TEXT = (
    "order_id user_id customer_id product_id order_date created_at updated_at unit_price total_amount "
    "net_revenue gross_margin discount_percent max_discount_percent cart_value ltv churn_score "
    "days_since_last_order region_name store_city category_name is_active signup_ts event_time "
    "temperature_c humidity_pct page_views session_count avg_order_value"
)
_COLUMNS = tuple(_COLUMNS_TEXT.split())

_JSON_SAMPLES: tuple[dict[str, Any], ...] = (
    {"intent": "general_eda", "confidence": 0.87, "reason": "no time column named"},
    {"route": "respond", "message": "Hello! How can I help?"},
    {"route": "fetch_user_features", "user_id": 42},
    {"metrics": ["net_revenue", "gross_margin"], "group_by": ["region_name"], "top_k": 10},
    {"time_column": "order_date", "grain": "month", "analysis": ["trend", "compare"]},
    {"max_discount_percent": 12.5, "churn_tier": "high", "approved": True, "note": None},
    {"filters": [{"column": "category_name", "op": "=", "value": "books"}], "sort": "desc"},
    {"chart": {"type": "bar", "x": "region_name", "y": "sum(total_amount)", "title": "Revenue by region"}},
    {"values": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, 10, 100, 1000, 3.14, -0.5, 1e-3, 2.5e10]},
    {"text": "café naïve — ünïcödé ✓ 日本語 Ελληνικά", "escaped": "tab\tquote\"slash\\newline\n"},
)


def _corpus() -> Iterator[str]:
    """A small fixed corpus: English words, column names, digits and JSON with every punctuation mark."""
    for i in range(0, len(_WORDS), 12):
        yield " ".join(_WORDS[i : i + 12])
    for i, col in enumerate(_COLUMNS):
        yield f'"{col}": {i}, "{col}": "{_WORDS[i % len(_WORDS)]}"'
    for sample in _JSON_SAMPLES:
        yield json.dumps(sample)
        yield json.dumps(sample, separators=(",", ":"), ensure_ascii=False)
        yield json.dumps(sample, indent=2, ensure_ascii=False)
    for n in range(0, 2000, 7):
        yield f"{n} {n / 8:.3f} -{n % 97} {n * 13 % 1000}%"
    # Word combinations from a fixed linear congruential walk: enough pairs for ~1-2k merges.
    state = 12345
    for _ in range(1500):
        picks = []
        for _ in range(8):
            state = (state * 1103515245 + 12345) % 2**31
            pool = _COLUMNS if state % 5 == 0 else _WORDS
            picks.append(pool[state % len(pool)])
        yield " ".join(picks).capitalize() + "."
        yield json.dumps({picks[0]: picks[1], picks[2]: state % 1000, picks[3]: [picks[4], picks[5]]})
    yield "{}[],:\"'\\/ \t\n{ } [ ] , : true false null 0123456789 .+-eE"


# -- building --------------------------------------------------------------------------------------


def _import_stack() -> tuple[Any, Any, Any]:
    try:
        import tokenizers
        import torch
        import transformers
    except ImportError as exc:
        raise TinyModelError(
            f"building the tiny model needs torch, transformers and tokenizers ({exc.name} is missing): "
            "pip install 'sgr-agents[local]'"
        ) from exc
    return torch, transformers, tokenizers


def _train_tokenizer(spec: TinySpec, tokenizers: Any) -> Any:
    from tokenizers import decoders, models, pre_tokenizers, trainers

    tok = tokenizers.Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=spec.vocab_size,
        min_frequency=1,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(_corpus()), trainer=trainer)
    return tok


def _model_config(spec: TinySpec, transformers: Any, vocab: int, ids: dict[str, int]) -> Any:
    common = dict(
        vocab_size=vocab,
        hidden_size=spec.hidden_size,
        intermediate_size=spec.intermediate_size,
        num_hidden_layers=spec.num_hidden_layers,
        num_attention_heads=spec.num_attention_heads,
        num_key_value_heads=spec.num_key_value_heads,
        max_position_embeddings=spec.max_position_embeddings,
        tie_word_embeddings=False,
        bos_token_id=ids[BOS],
        eos_token_id=ids[EOS],
        pad_token_id=ids[PAD],
        dtype="float32",
    )
    if spec.arch == "qwen2":
        cfg = transformers.Qwen2Config(**common)
        cfg.architectures = ["Qwen2ForCausalLM"]
    elif spec.arch == "llama":
        cfg = transformers.LlamaConfig(**common)
        cfg.architectures = ["LlamaForCausalLM"]
    else:
        raise TinyModelError(f"unknown arch {spec.arch!r}; choose 'qwen2' or 'llama'")
    return cfg


def _seed_weights(model: Any, seed: int, torch: Any) -> None:
    """Overwrite every parameter from one generator in name order, so the seed alone fixes the bytes."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in sorted(model.named_parameters(), key=lambda kv: kv[0]):
            if name.endswith("norm.weight") or "layernorm" in name:
                param.fill_(1.0)
            elif name.endswith(".bias"):
                param.zero_()
            else:
                param.copy_(torch.randn(param.shape, generator=gen, dtype=torch.float32) * 0.02)


def _write(spec: TinySpec, out: Path) -> None:
    torch, transformers, tokenizers = _import_stack()
    tok = _train_tokenizer(spec, tokenizers)
    ids = {t: tok.token_to_id(t) for t in SPECIAL_TOKENS}
    vocab = tok.get_vocab_size()  # exact: no padded rows a server could sample but not decode
    hf_tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=BOS, eos_token=EOS, pad_token=PAD, unk_token=None,
        additional_special_tokens=[IM_START], model_max_length=spec.max_position_embeddings,
        clean_up_tokenization_spaces=False,
    )
    hf_tok.chat_template = CHAT_TEMPLATE
    hf_tok.save_pretrained(out)
    _put_template_in_config(out)

    cfg = _model_config(spec, transformers, vocab, ids)
    torch.manual_seed(spec.seed)  # transformers' own init is overwritten below; this keeps it quiet anyway
    model_cls = transformers.Qwen2ForCausalLM if spec.arch == "qwen2" else transformers.LlamaForCausalLM
    model = model_cls(cfg).to(torch.float32)
    _seed_weights(model, spec.seed, torch)
    model.generation_config = transformers.GenerationConfig(
        bos_token_id=ids[BOS], eos_token_id=ids[EOS], pad_token_id=ids[PAD], do_sample=False,
        max_length=spec.max_position_embeddings,
    )
    model.save_pretrained(out, safe_serialization=True)


def _put_template_in_config(out: Path) -> None:
    """Make tokenizer_config.json readable by older loaders: chat template inside, 4.x-style specials."""
    path = out / "tokenizer_config.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["chat_template"] = CHAT_TEMPLATE
    # transformers 5 writes `extra_special_tokens` as a list, which 4.x reads as a dict and fails on;
    # `additional_special_tokens` means the same to both.
    extra = data.pop("extra_special_tokens", None)
    if isinstance(extra, list):
        data["additional_special_tokens"] = extra
    data["tokenizer_class"] = "PreTrainedTokenizerFast"
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    jinja = out / "chat_template.jinja"
    if jinja.exists():
        jinja.write_text(CHAT_TEMPLATE, encoding="utf-8")


def _make_readable(folder: Path) -> None:
    """mkdtemp creates 0700 folders; a vLLM server run by another user must still read the model."""
    folder.chmod(0o755)
    for f in folder.iterdir():
        f.chmod(0o644)


def is_complete(out_dir: Path, spec: TinySpec) -> bool:
    """True when `out_dir` holds every file of a build with exactly these parameters."""
    marker = out_dir / MARKER
    if not marker.is_file() or not all((out_dir / f).is_file() for f in REQUIRED_FILES):
        return False
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("digest") == spec.digest()
    except (OSError, ValueError):
        return False


def build_tiny_model(
    out_dir: Path | str,
    *,
    seed: int = 0,
    vocab_size: int = 1280,
    arch: Arch = "qwen2",
) -> Path:
    """Build (or reuse) a tiny random-weight causal LM with a trained byte-level BPE tokenizer.

    Parameters
    ----------
    out_dir:
        Folder to hold the Hugging Face model files; reused as-is when it already holds this build.
    seed:
        Fixes the weight bytes (and with the fixed corpus, the tokenizer).
    vocab_size:
        Target BPE vocabulary (special tokens and the 256-byte alphabet included).
    arch:
        "qwen2" (Qwen2ForCausalLM) or "llama" (LlamaForCausalLM); both load in transformers and vLLM.

    Returns
    -------
    The model directory, loadable by `AutoModelForCausalLM/AutoTokenizer.from_pretrained`.

    Raises
    ------
    TinyModelError
        The `local` extra is missing, the parameters are invalid, or the folder cannot be written.
    """
    if arch not in ("qwen2", "llama"):
        raise TinyModelError(f"unknown arch {arch!r}; choose 'qwen2' or 'llama'")
    if not 300 <= vocab_size <= 65536:
        raise TinyModelError(f"vocab_size {vocab_size} is out of range: it must hold 256 bytes + specials")
    spec = TinySpec(seed=seed, vocab_size=vocab_size, arch=arch)
    out = Path(out_dir).expanduser()
    if is_complete(out, spec):
        return out
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(out.parent / f".{out.name}.lock"):  # parallel test sessions share the cache
            if is_complete(out, spec):  # another process built it while we waited
                return out
            # Build beside the target and swap in, so a concurrent reader never sees half a model.
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
            try:
                _write(spec, staging)
                marker = {"digest": spec.digest(), "params": asdict(spec)}
                (staging / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                if out.exists():
                    shutil.rmtree(out)
                _make_readable(staging)
                os.replace(staging, out)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise TinyModelError(f"cannot write the tiny model to {out}: {exc}") from exc
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m sgr.testing.tiny_model OUT_DIR [--seed N] [--vocab-size N] [--arch qwen2|llama]`."""
    parser = argparse.ArgumentParser(prog="python -m sgr.testing.tiny_model", description=main.__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocab-size", type=int, default=1280)
    parser.add_argument("--arch", choices=["qwen2", "llama"], default="qwen2")
    args = parser.parse_args(argv)
    try:
        path = build_tiny_model(args.out_dir, seed=args.seed, vocab_size=args.vocab_size, arch=args.arch)
    except SGRError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
