#!/usr/bin/env bash
# Creates (or refreshes) the Python environment the model tests and benchmarks use to write
# ONNX models with an independent tool: the `onnx` helper API and `numpy` from PyPI.
# Idempotent: an existing venv whose packages import is left alone. Used by CI before tests.
#
# Usage: scripts/model/python-env.sh [--help]
#   KAIROS_MODELS_VENV  where to create it (default: <repo>/.venv-models)
#   PYTHON              interpreter to build it from (default: python3, needs >= 3.9)
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${KAIROS_MODELS_VENV:-$root/.venv-models}"
python="${PYTHON:-python3}"
# Pinned ranges: the helper API used by test/fixtures/python/write_model.py is stable across them.
requirements=("onnx>=1.16,<2" "numpy>=1.26,<3")

if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import onnx, numpy' 2>/dev/null; then
  echo "models venv ready: $venv ($("$venv/bin/python" -c 'import onnx; print("onnx", onnx.__version__)'))"
  exit 0
fi

echo "creating models venv at $venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
"$venv/bin/python" -c 'import onnx, numpy; print("models venv ready:", "onnx", onnx.__version__, "numpy", numpy.__version__)'
