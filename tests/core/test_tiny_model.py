"""The tiny model builder: deterministic bytes, idempotent, and a tokenizer that can spell any JSON."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from pathlib import Path
from typing import Any

import pytest

from sgr.testing.tiny_model import MARKER, REQUIRED_FILES, TinyModelError, build_tiny_model, main

pytestmark = pytest.mark.local

_MISSING = [m for m in ("torch", "transformers", "tokenizers") if importlib.util.find_spec(m) is None]
if _MISSING:
    pytest.skip(f"the tiny model needs {_MISSING}: pip install 'sgr-agents[local]'", allow_module_level=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(tiny_model_dir))


def test_same_seed_same_bytes_other_seed_other_weights(tmp_path: Path) -> None:
    a = build_tiny_model(tmp_path / "a", seed=5, vocab_size=600)
    b = build_tiny_model(tmp_path / "b", seed=5, vocab_size=600)
    c = build_tiny_model(tmp_path / "c", seed=6, vocab_size=600)
    for name in ("model.safetensors", "tokenizer.json", "tokenizer_config.json", "config.json"):
        assert _sha(a / name) == _sha(b / name), name
    assert _sha(a / "model.safetensors") != _sha(c / "model.safetensors")
    assert _sha(a / "tokenizer.json") == _sha(c / "tokenizer.json")  # the corpus, not the seed, fixes it


def test_second_build_is_a_no_op_and_changed_params_rebuild(tmp_path: Path) -> None:
    out = build_tiny_model(tmp_path / "m", seed=1, vocab_size=600)
    assert all((out / f).is_file() for f in (*REQUIRED_FILES, MARKER))
    stamp = (out / "model.safetensors").stat().st_mtime_ns
    assert build_tiny_model(out, seed=1, vocab_size=600) == out
    assert (out / "model.safetensors").stat().st_mtime_ns == stamp
    build_tiny_model(out, seed=2, vocab_size=600)
    assert json.loads((out / MARKER).read_text())["params"]["seed"] == 2


def test_incomplete_folder_is_rebuilt(tmp_path: Path) -> None:
    out = build_tiny_model(tmp_path / "m", seed=0, vocab_size=600)
    (out / "model.safetensors").unlink()
    build_tiny_model(out, seed=0, vocab_size=600)
    assert (out / "model.safetensors").stat().st_size > 0


def test_bad_parameters_are_readable_errors(tmp_path: Path) -> None:
    with pytest.raises(TinyModelError, match="unknown arch"):
        build_tiny_model(tmp_path, arch="gpt9")  # type: ignore[arg-type]
    with pytest.raises(TinyModelError, match="vocab_size"):
        build_tiny_model(tmp_path, vocab_size=10)


def test_entry_point_builds_llama_and_transformers_loads_it(tmp_path: Path, capsys: Any) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    assert main([str(tmp_path / "llama"), "--arch", "llama", "--vocab-size", "600"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "llama")
    model = AutoModelForCausalLM.from_pretrained(str(tmp_path / "llama"))
    tok = AutoTokenizer.from_pretrained(str(tmp_path / "llama"))
    assert model.config.architectures == ["LlamaForCausalLM"]
    assert model.config.vocab_size == len(tok) and model.config.max_position_embeddings >= 2048
    assert main([str(tmp_path / "bad"), "--vocab-size", "5"]) != 0
    assert "vocab_size" in capsys.readouterr().err


def test_model_files_carry_what_servers_need(tiny_model_dir: Path, tokenizer: Any) -> None:
    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    tok_cfg = json.loads((tiny_model_dir / "tokenizer_config.json").read_text())
    gen_cfg = json.loads((tiny_model_dir / "generation_config.json").read_text())
    assert cfg["architectures"] == ["Qwen2ForCausalLM"] and cfg["vocab_size"] == len(tokenizer)
    assert cfg["max_position_embeddings"] >= 2048 and cfg["num_hidden_layers"] == 2
    assert 1000 <= cfg["vocab_size"] <= 2000
    assert "<|im_start|>" in tok_cfg["chat_template"]
    assert gen_cfg["eos_token_id"] == tokenizer.eos_token_id == cfg["eos_token_id"]
    assert None not in (tokenizer.bos_token_id, tokenizer.pad_token_id)
    text = tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False,
                                         add_generation_prompt=True)
    assert text.endswith("<|im_start|>assistant\n") and "hi<|im_end|>" in text


def test_every_byte_is_a_token(tokenizer: Any) -> None:
    for code in (0, 9, 10, 34, 92, 127, 0xE9, 0x2713, 0x65E5, 0x1F600):
        s = chr(code)
        ids = tokenizer(s, add_special_tokens=False)["input_ids"]
        assert ids and tokenizer.unk_token_id not in ids
        assert tokenizer.decode(ids) == s


_ALPHABET = "az AZ09_-.,:;{}[]\"\\/\t\n\r\x00\x1f\x7f é✓日本語Ελ😀\u2028"


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    """A seeded random JSON value mixing every kind, with escapes, control characters and astral unicode."""
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(10**12), 10**12)
    if kind == 3:
        return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-8, 8)
    if kind == 4:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 20)))
    if kind == 5:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 4)))
    return {key: _random_json(rng, depth + 1) for key in keys}


def test_tokenizer_round_trips_any_json(tokenizer: Any) -> None:
    rng = random.Random(20261123)
    for i in range(300):
        value = _random_json(rng)
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if i % 2 else None)
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        assert tokenizer.decode(ids, clean_up_tokenization_spaces=False) == text
        assert json.loads(tokenizer.decode(ids)) == value
