"""The lock (requirements/constraints.txt) pins every package pyproject names for what bootstrap installs.

No network: reads pyproject.toml, scripts/bootstrap.sh and the lock. Regenerate the lock with `make lock`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "constraints.txt"
FIX = "run `make lock` (scripts/lock.sh) and commit requirements/constraints.txt with pyproject.toml"


def _test_extras() -> list[str]:
    """The extras of bootstrap's test profile, from its `TEST_EXTRAS="..."` line (lock.sh reads the same)."""
    found = re.search(r'^TEST_EXTRAS="([^"]*)"', (ROOT / "scripts" / "bootstrap.sh").read_text(), re.M)
    assert found, 'scripts/bootstrap.sh has no TEST_EXTRAS="..." line'
    return [e.strip() for e in found.group(1).split(",") if e.strip()]


def _pins() -> dict[str, str]:
    """Package name (canonical) -> pinned version, for every line of the lock."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep and re.fullmatch(r"[A-Za-z0-9._+!-]+", version), f"not an exact pin: {line!r}"
        pins[canonicalize_name(name)] = version
    return pins


def _required() -> list[tuple[str, Requirement]]:
    """(where, requirement) for the base dependencies and each extra bootstrap installs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [("dependencies", Requirement(r)) for r in project["dependencies"]]
    for extra in _test_extras():
        assert extra in project["optional-dependencies"], f"bootstrap installs unknown extra {extra!r}"
        reqs += [(f"extra {extra}", Requirement(r)) for r in project["optional-dependencies"][extra]]
    return [(where, r) for where, r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def test_lock_pins_every_dependency_bootstrap_installs() -> None:
    pins = _pins()
    missing = [f"{r} ({where})" for where, r in _required() if canonicalize_name(r.name) not in pins]
    assert not missing, f"the lock has no pin for {missing}: {FIX}"


def test_lock_pins_satisfy_pyproject() -> None:
    pins = _pins()
    stale = [
        f"{r} ({where}) but the lock pins {pins[canonicalize_name(r.name)]}"
        for where, r in _required()
        if canonicalize_name(r.name) in pins
        and not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not stale, f"pyproject asks for {stale}: {FIX}"


def test_lock_was_made_for_bootstrap_extras() -> None:
    extras = ",".join(_test_extras())
    assert f"-e .[{extras}]" in LOCK.read_text(), f"the lock's header names other extras than [{extras}]: {FIX}"


def test_lock_keeps_the_cpu_torch_pin() -> None:
    # `torch==2.13.0` matches the local CPU wheel (2.13.0+cpu); a local label in the lock would miss PyPI.
    assert "+" not in _pins().get("torch", ""), "the lock pins torch with a local label"
