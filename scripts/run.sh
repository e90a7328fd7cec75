#!/usr/bin/env bash
# Set up (first run only) and start Time Tracker: API on :8000, dashboard on :8501.
set -Eeuo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source scripts/lib/setup.sh
ensure_venv requirements.txt
compile_app
exec ./entrypoint.sh
