"""Fixtures shared across test areas. Keep this file small: area fixtures live beside their tests."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

# The real-vLLM tier's hooks and its one-per-session server (`vllm_url`), shared by every area's `vllm` tests.
pytest_plugins = ["tests.vllm_tier"]


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """A tiny random-weight model + trained tokenizer, built once and cached for the local and vLLM tiers.

    The cache (`~/.cache/sgr-agents/tiny-model`, or $SGR_TINY_MODEL_DIR) is reused across sessions; the
    builder rebuilds only when its parameters or recipe changed.
    """
    missing = [m for m in ("torch", "transformers", "tokenizers") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the tiny model needs {', '.join(missing)}: pip install 'sgr-agents[local]'")
    from sgr.testing.tiny_model import build_tiny_model

    default = Path.home() / ".cache" / "sgr-agents" / "tiny-model"
    return build_tiny_model(Path(os.environ.get("SGR_TINY_MODEL_DIR", default)))


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--skip-vllm`: skip the real-vLLM tier (tests/vllm), which installs and starts a ~3 GB server."""
    parser.addoption(
        "--skip-vllm",
        action="store_true",
        default=False,
        help="skip tests marked `vllm` (also: SGR_SKIP_VLLM=1); under CI the skip is reported, never silent",
    )
