# Shared by scripts/run.sh and scripts/test.sh: make the project's virtualenv and keep it
# in step with the requirements file, reinstalling only when that file changes.
# Source it; then call `ensure_venv <requirements file>`, and `compile_app` before a start
# (the Dockerfile and the startup bench call it too).

VENV_DIR="${VENV_DIR:-.venv}"
AW_VENV_DIR="${AW_VENV_DIR:-.venv-aw}"

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

# install_into <venv dir> <requirements file>: create the venv if needed and install the
# file's pins, only when some requirements file changed since the last install.
install_into() {
  local venv="$1" requirements="$2" python stamp wanted
  if [ ! -x "$venv/bin/python" ]; then
    python="$(find_python)"
    echo "==> creating $venv with $("$python" --version)"
    "$python" -m venv "$venv"
  fi
  # The stamp covers every requirements file, since the dev file includes the runtime one.
  wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1) $requirements"
  stamp="$venv/.installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> installing $requirements into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
  fi
}

ensure_venv() {
  install_into "$VENV_DIR" "$1"
  export PATH="$PWD/$VENV_DIR/bin:$PATH"
  export PYTHON="$PWD/$VENV_DIR/bin/python"
}

# The app's own bytecode, compiled ahead of a start as the image does at build. Where
# PYTHONDONTWRITEBYTECODE is set, Python never writes it, and every process of every start (the
# settings check, the migrations, each API worker, the dashboard) compiled the same modules
# again: a third of an API worker's import. Only what changed is compiled again.
compile_app() {
  "${PYTHON:-python}" -m compileall -q -j 0 api components timetracker streamlit_app.py webhook_server.py
}

# The real aw-server (old Flask and peewee pins) in a venv of its own, for the test that
# syncs from it. Exporting its path makes that test run instead of skipping.
ensure_aw_server() {
  install_into "$AW_VENV_DIR" requirements-aw-server.txt
  export AW_SERVER_BIN="$PWD/$AW_VENV_DIR/bin/aw-server"
}

# install_from_apt <binary path> <Debian package> <why>: apt-get install it unless present.
install_from_apt() {
  local binary="$1" package="$2" why="$3"
  [ -x "$binary" ] && return 0
  echo "==> installing Debian's $package $why"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  [ -x "$binary" ] || { echo "$package is still missing at $binary" >&2; return 1; }
}

# Debian's chromium for the browser tests (Playwright drives it; it never downloads one).
ensure_chromium() {
  install_from_apt "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium "for the browser tests"
}

# Debian's pgbouncer, which the tests start in transaction mode in front of the embedded
# PostgreSQL, as Supabase's pooler sits in front of a project's database. Its package also
# enables a system service; the tests run their own on a free loopback port instead.
ensure_pgbouncer() {
  install_from_apt "${PGBOUNCER_PATH:-/usr/sbin/pgbouncer}" pgbouncer "for the connection-pooler tests"
}
