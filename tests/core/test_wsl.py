"""WSL detection and advice, driven by /proc/version fixtures (real strings from each kernel family)."""

from __future__ import annotations

import pytest

from sgr.core.config import ModelEntry
from sgr.core.doctor import diagnose
from sgr.core.wsl import Platform, advice, detect
from sgr.testing.fake_openai import unused_url

WSL2 = ("Linux version 5.15.153.1-microsoft-standard-WSL2 (root@941d701f84f1) (gcc (GCC) 11.2.0, GNU ld (GNU "
        "Binutils) 2.37) #1 SMP Fri Mar 29 23:14:13 UTC 2024")
WSL1 = "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft"
NATIVE = "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP"


@pytest.mark.parametrize(("text", "env", "expected"), [
    (WSL2, {"WSL_DISTRO_NAME": "Ubuntu"}, Platform(True, 2, "Ubuntu")),
    (WSL2, {}, Platform(True, 2, None)),
    (WSL1, {"WSL_DISTRO_NAME": "Debian"}, Platform(True, 1, "Debian")),
    (NATIVE, {}, Platform(False)),
    ("", {"WSL_DISTRO_NAME": "Ubuntu"}, Platform(True, None, "Ubuntu")),
    ("", {}, Platform(False)),
])
def test_detection(text: str, env: dict[str, str], expected: Platform) -> None:
    assert detect(text, env) == expected


def _vllm(url: str = "http://127.0.0.1:8000/v1", model: str = "phi4") -> ModelEntry:
    return ModelEntry(name="phi4-mini-vllm", backend="vllm", url=url, model=model)


def test_advice_appears_exactly_when_the_fixture_says_wsl() -> None:
    assert advice(detect(NATIVE, {}), _vllm()) == []
    wsl2 = advice(detect(WSL2, {"WSL_DISTRO_NAME": "Ubuntu"}), _vllm())
    assert any("localhost forwarding" in a and "http://localhost:8000/v1" in a for a in wsl2)
    assert any("--gpu-memory-utilization" in a for a in wsl2) and not any("WSL 1" in a for a in wsl2)
    wsl1 = advice(detect(WSL1, {}), _vllm())
    assert any("WSL 1" in a and "wsl --set-version" in a for a in wsl1)


def test_models_on_the_windows_disk_are_flagged_only_there() -> None:
    wsl2 = detect(WSL2, {})
    slow = advice(wsl2, _vllm(model="/mnt/c/Users/me/models/Phi-4-mini-instruct"))
    assert any("/mnt/<drive>" in a for a in slow)
    fast = advice(wsl2, _vllm(model="/home/me/models/Phi-4-mini-instruct"))
    assert not any("/mnt/<drive>" in a for a in fast)
    local = ModelEntry(name="local", backend="local", path="/mnt/d/models/tiny")
    assert any("/mnt/<drive>" in a for a in advice(wsl2, local))


def test_doctor_reports_the_platform_and_its_advice_only_inside_wsl() -> None:
    entry = _vllm(url=unused_url())
    inside = diagnose(entry, backoff_s=0.0, platform=detect(WSL2, {"WSL_DISTRO_NAME": "Ubuntu"}))
    assert inside.platform == "WSL 2 (Ubuntu)" and inside.advice and inside.to_dict()["advice"] == inside.advice
    outside = diagnose(entry, backoff_s=0.0, platform=detect(NATIVE, {}))
    assert outside.platform is None and outside.advice == []
    assert inside.usable == outside.usable  # advice never changes the verdict on the server itself
