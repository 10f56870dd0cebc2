#!/usr/bin/env bash
# Install Pacta and everything it needs into the current Python environment: the Python
# packages, the packaged embedding model (checksum verified) and, where Maven is present,
# the jars of the local Neo4j server used by `pacta neo4j start` and the tests, and the
# optional bge-small-en-v1.5 ONNX model (`--model bge-small-en-v1.5`; checksums verified).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --disable-pip-version-check -q -e ".[test,bench,ray]"
HF_HUB_OFFLINE=1 "$PY" - <<'PYEOF'
from search.embed import resolve_model
target, key = resolve_model(None)
print(f"embedding model ok: {key} at {target}")
PYEOF
if command -v mvn >/dev/null && command -v java >/dev/null; then
  "$PY" -c "from graph.server import fetch_jars, NEO4J_VERSION; print(f'neo4j {NEO4J_VERSION} jars:', fetch_jars())"
  # optional (the default model is the packaged MiniLM): a failure is a note, not a failed setup
  "$PY" - <<'PYEOF' || echo "note: bge-small-en-v1.5 not fetched; only '--model bge-small-en-v1.5' needs it"
import sys
from ingest.errors import ModelError
from search.models import fetch_model
try:
    print("embedding model bge-small-en-v1.5:", fetch_model("bge-small-en-v1.5"))
except ModelError as exc:
    sys.exit(f"note: {exc}")
PYEOF
else
  echo "note: mvn or java missing; 'pacta neo4j start' and the Neo4j tests need both (the embedded store does not),"
  echo "      and so does fetching the optional bge-small-en-v1.5 model"
fi
