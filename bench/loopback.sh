#!/usr/bin/env bash
# The private-loopback numbers: a full 1-65535 scan of a namespace holding only our own three
# listeners, per worker count, and the start-up costs behind them. No root needed.
# usage: bench/loopback.sh [RUNS]     needs hyperfine (apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
. bench/build.sh
export bin out runs
unshare -rn bash -c '
  ip link set lo up
  "$bin/portscan" lab --open 3 --closed 0 --filtered 0 --first-port 40000 >/dev/null & lab=$!
  sleep 1
  "$bin/portscan" scan 127.0.0.1 | tail -2
  hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$out/loopback.md" \
    -n "full range, 1 worker" "$bin/portscan scan 127.0.0.1 -w 1" \
    -n "full range, 2 workers (default here)" "$bin/portscan scan 127.0.0.1 -w 2" \
    -n "full range, 3 workers" "$bin/portscan scan 127.0.0.1 -w 3" \
    -n "full range, 4 workers" "$bin/portscan scan 127.0.0.1 -w 4" \
    -n "one port, 1 worker (fixed cost of a scan)" "$bin/portscan scan 127.0.0.1 --start-port 1 --end-port 1 -w 1" \
    -n "portscan-worker alone, one port" "$bin/portscan-worker --target 127.0.0.1 --ports 1 --timeout-ms 100 --concurrency 1" \
    -n "portscan-worker alone, full range" "$bin/portscan-worker --target 127.0.0.1 --ports 1-65535 --timeout-ms 1000 --concurrency 16384"
  kill $lab'
cat "$out/loopback.md"
