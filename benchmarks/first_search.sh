#!/bin/bash
# Time to the first search: the whole ToTA corpus into a fresh store with an empty embedding cache. Prints when the
# lexical index appears, how long the first (lexical) search takes, when the whole index with vectors is
# installed, and the ingest's totals and peak RSS at the end.
#     bash benchmarks/first_search.sh [STORE]      (default /tmp/fresh; removed first)
set -u
cd "$(dirname "$0")/.."
STORE=${1:-/tmp/fresh}
rm -rf "$STORE"
start=$(date +%s.%N)
/usr/bin/time -v python3 -m app.cli --store "$STORE" ingest -q ../shared/corpora/tota/xml --json \
  > "$STORE.ingest.json" 2> "$STORE.ingest.err" &
pid=$!
while [ ! -f "$STORE/index/CURRENT" ]; do sleep 0.5; done
echo "searchable after $(echo "$(date +%s.%N) - $start" | bc) s"
s0=$(date +%s.%N)
python3 -m app.cli --store "$STORE" search "withdrawal from the agreement by written notice" --party CHL --json \
  > "$STORE.search.json" 2> "$STORE.search.err"
echo "first search took $(echo "$(date +%s.%N) - $s0" | bc) s, answered_by $(python3 -c \
  "import json,sys; d=json.load(open(sys.argv[1])); print(d['answered_by'], len(d['hits']), 'hits')" "$STORE.search.json")"
until c=$(cat "$STORE/index/CURRENT") && grep -q '"dense": true' "$STORE/index/$c/meta.json" 2>/dev/null; do
  sleep 1
done
echo "whole index installed after $(echo "$(date +%s.%N) - $start" | bc) s"
wait $pid
python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals'])" "$STORE.ingest.json"
grep -E "Elapsed|Maximum resident" "$STORE.ingest.err"
