#!/bin/bash
N=${1:-2}
for i in $(seq 1 $N); do
  for d in base main; do
    cd /work/$d && BENCH_PHASES=latency timeout 900 node scripts/with-db.mjs -- node server/dist/bench/live.bench.js > /tmp/live-$d-$i.log 2>&1
    r=$(grep -E "^(steady|burst):|issue frames|stats frames" /tmp/live-$d-$i.log | grep -v Reference | sed -E 's/ with 1000 clients — / /; s/deliveries \([0-9,]+ msgs\/s\), //' | tr '\n' '|')
    echo "$(date +%T) $d $r"
  done
done
