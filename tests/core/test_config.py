"""Config loading: file resolution order, validation messages, env-sourced secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgr.core.config import load_settings, parse_settings
from sgr.core.errors import ConfigError


def test_embedded_default_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SGR_CONFIG", raising=False)
    settings = load_settings()
    assert settings.source == "<embedded default>"
    assert settings.default_model == "offline"
    assert settings.entry().backend == "offline"


def test_resolution_order_explicit_over_env_over_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text("default_model: a\nmodels:\n  a: {backend: offline}\n")
    env_file = tmp_path / "env.yaml"
    env_file.write_text("default_model: b\nmodels:\n  b: {backend: offline}\n")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("default_model: c\nmodels:\n  c: {backend: offline}\n")

    monkeypatch.delenv("SGR_CONFIG", raising=False)
    assert load_settings().default_model == "a"
    monkeypatch.setenv("SGR_CONFIG", str(env_file))
    assert load_settings().default_model == "b"
    assert load_settings(explicit).default_model == "c"


def test_entries_get_names_and_defaults() -> None:
    s = parse_settings(
        """
default_model: tiny
models:
  tiny: {backend: vllm, url: "http://127.0.0.1:8000", model: auto, max_tokens: 256}
  loc: {backend: local, path: ~/models/x}
"""
    )
    tiny = s.entry("tiny")
    assert tiny.name == "tiny" and tiny.max_tokens == 256 and tiny.model == "auto"
    assert s.entry("loc").resolved_path() == Path.home() / "models" / "x"
    assert "offline" in s.models, "an offline entry is always available"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("default_model: x\nmodels: {}\n", "default_model 'x' is not one of the models"),
        ("models:\n  a: {backend: vllm}\n", "needs a `url`"),
        ("models:\n  a: {backend: local}\n", "needs a `path`"),
        ("models:\n  a: {backend: triton, url: http://x}\n", "models.a.backend"),
        ("models:\n  a: {backend: offline, tempreature: 0.3}\n", "tempreature"),
        ("- just\n- a list\n", "must be a mapping"),
        ("models:\n  a: {backend: vllm, url: 'http://127.0.0.1:99999/v1'}\n", "out of range"),
        ("models:\n  a: {backend: vllm, url: '127.0.0.1:8000'}\n", "must look like http://HOST:PORT/v1"),
        ("models: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_configs_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(text, source="cfg.yaml")
    assert fragment in str(err.value)
    assert "cfg.yaml" in str(err.value)


def test_unknown_entry_lists_choices() -> None:
    s = parse_settings("models:\n  a: {backend: offline}\n")
    with pytest.raises(ConfigError, match=r"choose one of: \['a', 'offline'\]"):
        s.entry("nope")


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.yaml")


def test_api_key_comes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    s = parse_settings(
        """
models:
  a: {backend: openai, url: "http://127.0.0.1:1/v1", api_key_env: MY_KEY}
  b: {backend: openai, url: "http://127.0.0.1:1/v1", api_key: "${OTHER_KEY}"}
  c: {backend: openai, url: "http://127.0.0.1:1/v1"}
"""
    )
    monkeypatch.setenv("MY_KEY", "k1")
    monkeypatch.setenv("OTHER_KEY", "k2")
    assert s.entry("a").resolved_api_key() == "k1"
    assert s.entry("b").resolved_api_key() == "k2"
    assert s.entry("c").resolved_api_key() is None


def test_repo_config_yaml_is_valid() -> None:
    repo_config = Path(__file__).resolve().parents[2] / "config.yaml"
    s = load_settings(repo_config)
    assert s.entry().backend == "offline", "the shipped default must run with no model"
