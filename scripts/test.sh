#!/usr/bin/env bash
# Set up (first run only) and run every check: lint, format, and the whole test suite
# (embedded PostgreSQL, real HTTP, real Streamlit, real chromium). Extra args go to pytest.
set -Eeuo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source scripts/lib/setup.sh
ensure_venv requirements-dev.txt
ensure_chromium
ensure_pgbouncer
ensure_aw_server
compile_app  # the suite starts the API and the dashboard many times
echo "==> ruff"
ruff check .
ruff format --check .
echo "==> pytest"
# pytest exits 5 when it collected nothing; set -e turns that into a failure too.
exec python -m pytest "$@"
