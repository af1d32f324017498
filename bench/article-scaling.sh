#!/usr/bin/env bash
# Article mode (--concurrency 1: one blocking-style connect at a time per worker) against
# filtered ports: does the speedup keep up with the worker count, up to 64 workers?
# The range holds only filtered ports and divides evenly by every worker count, so no slice gets
# a remainder to wait on. Root only (the lab is a network namespace host); about 20 minutes,
# most of it the 1-worker run.
# usage: sudo bench/article-scaling.sh [WORKERS] [FILTERED] [TIMEOUT]
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-1,16,32,64}
filtered=${2:-1024}
timeout=${3:-1s}
out=bench/results
mkdir -p "$out"
dotnet build -c Release -v quiet -nologo >/dev/null
portscan=Coordinator/bin/Release/net10.0/portscan

lab_log=$(mktemp)
"$portscan" lab --netns --open 0 --filtered "$filtered" >"$lab_log" &
lab=$!
trap 'kill $lab 2>/dev/null; wait $lab 2>/dev/null; rm -f "$lab_log"' EXIT
for _ in $(seq 100); do grep -q '^Try:' "$lab_log" && break; sleep 0.1; done
target=$(awk '/^Try:/ {print $4}' "$lab_log")
last=$((20000 + filtered - 1))

echo "machine: $(nproc) cores, $(uname -r); target $target ports 20000-$last (all $filtered filtered), timeout $timeout"
"$portscan" bench "$target" --start-port 20000 --end-port "$last" -c 1 --timeout "$timeout" -w "$workers" --repeat 1 \
  --report "$out/article-scaling.json" --svg "$out/article-scaling.svg"
