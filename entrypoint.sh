#!/usr/bin/env bash
# Start Time Tracker in one process tree: the Streamlit dashboard, and meanwhile the database
# (embedded unless DATABASE_URL is set) and its migrations, then the FastAPI ingest server.
# SIGTERM/SIGINT stop both front doors and then the embedded database; if either front
# door dies, the other is stopped too and the exit status is the dead one's.
set -Eeuo pipefail
cd "$(dirname "$(readlink -f "$0")")"

PYTHON="${PYTHON:-python}"
# API_HOST/API_PORT/API_WORKERS/UI_HOST/UI_PORT/TRUSTED_PROXIES as the app's settings read them
# (environment, then .env), so a port set in .env moves the server and the dashboard's auth
# client together.
addresses="$("$PYTHON" -m timetracker addresses)"
eval "$addresses"

# X-Forwarded-For decides whose login failures and sign-ups are counted, so it is believed
# only from TRUSTED_PROXIES. Without any, proxy headers are off entirely: uvicorn's own
# default would believe them from any caller on loopback.
if [ -n "$TRUSTED_PROXIES" ]; then
  proxy_args=(--proxy-headers --forwarded-allow-ips "$TRUSTED_PROXIES")
else
  proxy_args=(--no-proxy-headers)
fi

# Every API worker writes its metrics into files in this folder and /metrics adds them up;
# files left by a previous run would be added too, so it starts empty.
own_metrics_dir=""
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -type f -delete
else
  own_metrics_dir="$(mktemp -d -t timetracker-metrics.XXXXXX)"
  PROMETHEUS_MULTIPROC_DIR="$own_metrics_dir"
fi
export PROMETHEUS_MULTIPROC_DIR

pids=()
stopping=0
stop_all() {
  stopping=1
  trap '' TERM INT
  [ "${#pids[@]}" -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  [ "${#pids[@]}" -eq 0 ] || wait "${pids[@]}" 2>/dev/null || true
  # API workers whose supervisor died first are orphans, but still in this script's process
  # group: when the script leads that group (as PID 1 in a container, or started from a
  # terminal), stop the whole group; the script itself ignores TERM by now.
  if leads_its_process_group; then kill -TERM -- "-$$" 2>/dev/null || true; fi
  "$PYTHON" -m timetracker db down || true
  [ -z "$own_metrics_dir" ] || rm -rf "$own_metrics_dir"
}
leads_its_process_group() {
  local stat group
  [ -r "/proc/$$/stat" ] || return 1
  stat="$(<"/proc/$$/stat")"
  read -r _ _ group _ <<<"${stat##*) }"
  [ "$group" = "$$" ]
}
trap 'stop_all; exit 0' TERM INT

# The dashboard starts while the database comes up: it needs none until the first page is
# opened (that page then waits for the same start, which the embedded server serialises, and
# the same migrations lock), and its start is the slowest of the three.
"$PYTHON" -m streamlit run streamlit_app.py --server.address "$UI_HOST" --server.port "$UI_PORT" \
  --server.headless true &
pids+=("$!")
if ! "$PYTHON" -m timetracker db up; then
  echo "entrypoint: the database did not come up; stopping" >&2
  stop_all
  exit 1
fi
"$PYTHON" -m uvicorn webhook_server:app --host "$API_HOST" --port "$API_PORT" --workers "$API_WORKERS" \
  "${proxy_args[@]}" --no-server-header &
pids+=("$!")

echo "Time Tracker: API http://$API_HOST:$API_PORT ($API_WORKERS workers; docs at /docs), dashboard http://$UI_HOST:$UI_PORT"

set +e
wait -n "${pids[@]}"
status=$?
set -e
[ "$stopping" -eq 1 ] || { echo "entrypoint: a front door stopped (status $status); stopping the rest" >&2; stop_all; }
exit "$status"
