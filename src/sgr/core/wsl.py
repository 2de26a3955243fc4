"""Is this Linux running inside WSL, and what does that change for serving a model?

Why doctor cares: the project was born on Windows + WSL2 (vLLM in WSL2, agents anywhere), and the usual
failures there are not bugs in our code but facts of the platform: model files under `/mnt/c` load through
the Windows file bridge, a server's bind address decides whether Windows can reach it, WSL 1 has no GPU, and
the GPU's memory is shared with Windows. Detection reads `/proc/version` and `$WSL_DISTRO_NAME` only, so tests
drive it with fixtures.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sgr.core.config import SERVER_BACKENDS, ModelEntry

_MOUNTED_WINDOWS = re.compile(r"^/mnt/[a-zA-Z](/|$)")


@dataclass(frozen=True)
class Platform:
    """What doctor knows about the machine it runs on."""

    wsl: bool
    wsl_version: int | None = None  # 1 or 2; None when only the environment said "WSL"
    distro: str | None = None


def detect(proc_version: str | None = None, env: Mapping[str, str] | None = None) -> Platform:
    """WSL 2 kernels say `microsoft-standard-WSL2`, WSL 1 says `Microsoft` (a translated NT kernel)."""
    env = os.environ if env is None else env
    if proc_version is None:
        try:
            proc_version = Path("/proc/version").read_text(encoding="utf-8", errors="replace")
        except OSError:
            proc_version = ""
    text = proc_version.lower()
    distro = env.get("WSL_DISTRO_NAME") or None
    if "microsoft" not in text and not distro:
        return Platform(wsl=False)
    if "wsl2" in text or "microsoft-standard" in text:
        version: int | None = 2
    elif "microsoft" in text:
        version = 1
    else:
        version = None
    return Platform(wsl=True, wsl_version=version, distro=distro)


def advice(platform: Platform, entry: ModelEntry) -> list[str]:
    """The WSL advice that applies to this model entry (empty outside WSL)."""
    if not platform.wsl:
        return []
    out: list[str] = []
    if platform.wsl_version == 1:
        out.append("This is WSL 1, which has no GPU access for CUDA: vLLM needs WSL 2 "
                   "(in PowerShell: `wsl --set-version <distro> 2`).")
    local_path = entry.resolved_path() if entry.backend == "local" else None
    candidates = [str(local_path)] if local_path else []
    if entry.model and entry.model.startswith("/"):
        candidates.append(entry.model)
    if any(_MOUNTED_WINDOWS.match(p) for p in candidates):
        out.append("The model files are under /mnt/<drive>, i.e. on the Windows disk, read through WSL's file "
                   "bridge: loading is many times slower. Copy them into the Linux filesystem (e.g. ~/models).")
    if entry.backend in SERVER_BACKENDS and entry.url:
        parts = urlsplit(entry.url)
        host, port = parts.hostname or "", parts.port or 8000
        if host in ("127.0.0.1", "localhost"):
            out.append(f"A server started in WSL 2 with `--host 127.0.0.1` is reachable from Windows at "
                       f"http://localhost:{port}/v1 through WSL's localhost forwarding (on by default). If Windows "
                       f"cannot reach it (localhostForwarding=false in .wslconfig, a VPN or firewall), start it "
                       f"with `--host 0.0.0.0` and use the address `hostname -I` prints inside WSL.")
        else:
            out.append(f"The server is at {host}; from inside WSL 2 a server running on the Windows side is "
                       f"reached at the address in /etc/resolv.conf (`nameserver`), or at localhost with "
                       f"networkingMode=mirrored in .wslconfig.")
        out.append("In WSL 2 the GPU's memory is shared with Windows and its desktop: leave headroom with "
                   "`--gpu-memory-utilization 0.85` (or lower) and a modest `--max-model-len`.")
    return out
