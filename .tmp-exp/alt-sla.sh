#!/bin/bash
# alternate bench:sla between /work/base and /work/main, N pairs
N=${1:-2}
for i in $(seq 1 $N); do
  for d in base main; do
    cd /work/$d && r=$(timeout 900 node scripts/with-db.mjs -- node --max-old-space-size=4096 server/dist/bench/sla.bench.js 2>&1 | grep -E "^catch-up|^ratio|^reference|Execution Time: [0-9]{3}|Insert on event_outbox" | sed -E 's/.*: ([0-9,]+) clocks\/s.*/\1/; s/.*→ ([0-9,]+) rows-pairs.*/ref \1/; s/ratio.*: /ratio /' | sed -E "s/ *Execution Time: /stmt /; s/.*Insert on event_outbox .actual time=[0-9.]+..([0-9.]+).*/outbox \1/" | tr '\n' ' ')
    echo "$(date +%T) $d $r"
  done
done
