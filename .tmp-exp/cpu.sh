#!/bin/bash
# samples per-process CPU ticks every second: prints class totals (server node, bench node, postgres)
while true; do
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}; [ -r $p/stat ] || continue
    cmd=$(tr '\0' ' ' < $p/cmdline 2>/dev/null | cut -c1-120)
    st=$(cut -d')' -f2 $p/stat 2>/dev/null | awk '{print $12+$13}')
    echo "$(date +%s) $pid $st $cmd"
  done
  sleep 1
done
