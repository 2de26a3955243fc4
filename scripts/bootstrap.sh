#!/usr/bin/env bash
# Create or refresh .venv with everything the project and its tests need.
# Idempotent and quick when nothing changed: it records a hash of pyproject.toml in the venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${SGR_VENV:-.venv}
STAMP="$VENV/.sgr-bootstrap"
want=$(sha256sum pyproject.toml | cut -c1-16)

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV with $($PYTHON --version)" >&2
  "$PYTHON" -m venv "$VENV"
fi
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && "$VENV/bin/python" -c "import sgr" 2>/dev/null; then
  exit 0
fi
echo "bootstrap: installing sgr-agents with the local and dev extras into $VENV" >&2
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch is pinned to the CPU build this machine has; a bare `torch` would pull GBs of CUDA packages.
"$VENV/bin/python" -m pip install -q "torch==2.13.0"
"$VENV/bin/python" -m pip install -q -e ".[local,dev]"
echo "$want" > "$STAMP"
