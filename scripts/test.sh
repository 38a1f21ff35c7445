#!/usr/bin/env bash
# Set up a virtual environment (if needed) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
# Headless Chromium for the review UI's browser tests (Debian packages; skipped without root/apt).
bash scripts/ci_system_deps.sh || echo "warning: chromium not installed; browser tests will skip" >&2
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
# Lint and types first: a real rule set (pyproject.toml) on the whole tree, mypy on the engine,
# the database layer and the store-wide jobs.
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
