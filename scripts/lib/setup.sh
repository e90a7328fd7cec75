# Shared by scripts/run.sh and scripts/test.sh: make the project's virtualenv and keep it
# in step with the requirements file, reinstalling only when that file changes.
# Source it; then call `ensure_venv <requirements file>`.

VENV_DIR="${VENV_DIR:-.venv}"

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

ensure_venv() {
  local requirements="$1" python stamp wanted
  if [ ! -x "$VENV_DIR/bin/python" ]; then
    python="$(find_python)"
    echo "==> creating $VENV_DIR with $("$python" --version)"
    "$python" -m venv "$VENV_DIR"
  fi
  # The stamp covers every requirements file, since the dev file includes the runtime one.
  wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1) $requirements"
  stamp="$VENV_DIR/.installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> installing $requirements"
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
  fi
  export PATH="$PWD/$VENV_DIR/bin:$PATH"
  export PYTHON="$PWD/$VENV_DIR/bin/python"
}

# Debian's chromium for the browser tests (Playwright drives it; it never downloads one).
ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  echo "==> installing Debian's chromium for the browser tests"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [ -x "$chromium" ] || { echo "chromium is still missing at $chromium" >&2; return 1; }
}
