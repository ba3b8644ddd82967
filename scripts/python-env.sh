#!/usr/bin/env bash
# The Python client's virtual environment, project-local (.venv-python/), with
# `modnet` installed from python/ (editable) and its dev tools. Idempotent:
# reinstalls only when python/pyproject.toml changed. Prints the venv's python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.venv-python
python=${MODNET_PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "python-env: $python not found; install Python >= 3.10 (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "python-env: $("$python" --version) is too old; the client needs Python >= 3.10" >&2
  exit 1
fi
stamp=$venv/.installed-$(sha256sum "$root/python/pyproject.toml" | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root/python[dev]" >&2
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
echo "$venv/bin/python"
