#!/usr/bin/env bash
# Create or refresh .venv for one install profile, every package pinned by the lock (requirements/constraints.txt):
#   demo   the project alone (`pip install -e .`): what `make demo` runs, no torch
#   test   the project with the TEST_EXTRAS below (torch CPU, transformers, xgrammar, pytest, playwright, ...):
#          what `make test`, `make lint` and CI use (the default); a superset of demo
# Idempotent: each profile leaves a stamp in the venv holding a hash of pyproject.toml and the lock, so an
# unchanged tree skips pip entirely and editing either reinstalls. Asking for test after demo adds the extras.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_EXTRAS="local,dev"  # scripts/lock.sh locks exactly these; tests/test_install.py checks the lock covers them
PROFILE=${1:-test}
PYTHON=${PYTHON:-python3}
VENV=${SGR_VENV:-.venv}
LOCK=requirements/constraints.txt

case "$PROFILE" in
  demo) spec="."; enough="demo test" ;;
  test) spec=".[$TEST_EXTRAS]"; enough="test" ;;
  *) echo "bootstrap: unknown profile '$PROFILE' (demo or test)" >&2; exit 2 ;;
esac
want=$(cat pyproject.toml "$LOCK" | sha256sum | cut -c1-16)

if [ -x "$VENV/bin/python" ]; then
  for p in $enough; do
    if [ "$(cat "$VENV/.sgr-bootstrap-$p" 2>/dev/null)" = "$want" ] && "$VENV/bin/python" -c "import sgr" 2>/dev/null; then
      exit 0
    fi
  done
else
  echo "bootstrap: creating $VENV with $($PYTHON --version)" >&2
  "$PYTHON" -m venv --without-pip "$VENV"
  # The locked pip goes in by this Python's own pip (22.3+ has --python), which skips ensurepip's older pip
  # and its byte-compiling (~15 s); ensurepip is the fallback.
  "$PYTHON" -m pip --python "$VENV/bin/python" install -q --no-compile -c "$LOCK" pip 2>/dev/null \
    || "$VENV/bin/python" -m ensurepip --default-pip >/dev/null
fi
echo "bootstrap: installing the $PROFILE profile (-e $spec) into $VENV from $LOCK" >&2
# --no-compile: modules are byte-compiled when first imported, so the demo pays only for what it imports.
pip=("$VENV/bin/python" -m pip install -q --no-compile -c "$LOCK")
# The build backend comes from the lock too, so the editable install needs no isolated build env.
"${pip[@]}" --upgrade pip setuptools wheel
# torch is pinned to the CPU build this machine has; a bare `torch` would pull GBs of CUDA packages.
"${pip[@]}" --no-build-isolation -e "$spec"
# what a run imports is compiled now, so a shell that never caches bytecode does not recompile it at every start
"$VENV/bin/python" scripts/byte_compile.py || echo "bootstrap: byte-compiling failed (runs start slower)" >&2
rm -f "$VENV/.sgr-bootstrap"  # the single stamp of earlier versions
echo "$want" > "$VENV/.sgr-bootstrap-$PROFILE"
