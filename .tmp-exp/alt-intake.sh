#!/bin/bash
N=${1:-2}
for i in $(seq 1 $N); do
  for d in base main; do
    cd /work/$d && r=$(BENCH_SECONDS=15 timeout 900 node scripts/with-db.mjs -- node server/dist/bench/intake.bench.js 2>&1 | grep -E "^HTTP POST /issues|^  return=minimal|^  paced|^raw pg|^ratio HTTP / raw|^ratio raw|^server RSS" | awk '{ if ($1=="ratio"||$1=="server") print $1,$2,$(NF-3); else if ($1=="raw") print $1,$4,$(NF-3),$(NF-1); else print $1,$2,$(NF-3),$(NF-1)}' | tr '\n' '|')
    echo "$(date +%T) $d $r"
  done
done
