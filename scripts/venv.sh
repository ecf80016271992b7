# Sourced by run.sh and test.sh: creates the checkout's own virtual environment (.venv) on
# first use and activates it, so nothing is installed into the system's Python.
if [ ! -x .venv/bin/python3 ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian's python3 keeps venv in a package of its own.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv .venv
    else
      echo "Rack Designer installs into a virtual environment; install python3-venv first" >&2
      exit 2
    fi
  fi
  .venv/bin/python3 -m pip install -q --upgrade pip
fi
# shellcheck disable=SC1091
. .venv/bin/activate
