#!/usr/bin/env bash
# Memory against host-ports: the peak resident set (VmHWM) of the coordinator and of each worker
# from 1 host × 65,535 ports to 131,072 hosts × 10 and 65,536 hosts × nmap's top 1,000, every port
# closed. In a private network namespace (unshare -rn) where 198.18.0.0/15 is routed to its own
# loopback, so every address answers with a reset and nothing leaves the namespace. No root needed.
# usage: bench/memory.sh [WORKERS]
#   BEFORE=DIR  also runs each row with the portscan in DIR (another build's output folder), just before this build's
#   ROWS=REGEX  only the rows whose label matches
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-2}
. bench/build.sh
log=$out/${LOG:-memory.txt}
: > "$log"
unshare -rn bash -s "$bin" "$workers" "$log" "${BEFORE:-}" "${ROWS:-.}" <<'INNER'
set -euo pipefail
bin=$1; workers=$2; log=$3; before=$4; rows=$5
ip link set lo up
ip route add local 198.18.0.0/15 dev lo
# Polls /proc every 20 ms for the peak resident set of every portscan process until the scan ends.
measure() { # tag build label target ports...
  local tag=$1 build=$2 label=$3; shift 3
  local start; start=$(date +%s.%N)
  "$build/portscan" scan "$@" -w "$workers" --format json --no-progress > /tmp/memory-scan.json 2>/dev/null &
  local scan=$!
  declare -A peak=()
  while kill -0 "$scan" 2>/dev/null; do
    for status in /proc/[0-9]*/status; do
      pid=${status#/proc/}; pid=${pid%/status}
      name=$(awk '/^Name:/ {print $2}' "$status" 2>/dev/null) || continue
      case $name in portscan|portscan-worke*) ;; *) continue ;; esac
      hwm=$(awk '/^VmHWM:/ {print $2}' "$status" 2>/dev/null) || continue
      [ -n "$hwm" ] && [ "${peak[$name:$pid]:-0}" -lt "$hwm" ] && peak[$name:$pid]=$hwm
    done
    sleep 0.02
  done
  if ! wait "$scan"; then
    printf '%-6s %-22s refused (a limit of this build)\n' "$tag" "$label" | tee -a "$log"
    return 0
  fi
  local seconds; seconds=$(echo "$(date +%s.%N) - $start" | bc)
  local coordinator=0 worker=0
  for key in "${!peak[@]}"; do
    case $key in
      portscan:*) [ "${peak[$key]}" -gt "$coordinator" ] && coordinator=${peak[$key]} ;;
      *) [ "${peak[$key]}" -gt "$worker" ] && worker=${peak[$key]} ;;
    esac
  done
  local closed; closed=$(python3 -c 'import json; d = json.load(open("/tmp/memory-scan.json")); print("complete" if d["complete"] else "INCOMPLETE", sum(h["counts"]["closed"] for h in d["hosts"]), "closed")')
  printf '%-6s %-22s %7.1f s  coordinator %7.1f MB  largest worker %7.1f MB  (%s)\n' "$tag" "$label" "$seconds" "$(echo "$coordinator/1024" | bc -l)" "$(echo "$worker/1024" | bc -l)" "$closed" | tee -a "$log"
  rm -f /tmp/memory-scan.json
}
row() { # label target ports...
  [[ $1 =~ $rows ]] || return 0
  if [ -n "$before" ]; then measure before "$before" "$@"; fi
  measure this "$bin" "$@"
}
echo "== peak resident set, $workers workers, every port closed, host discovery first (the default for several hosts)" | tee -a "$log"
row "1 x 65,535" 198.18.0.1 -p-
row "256 x 1,000" 198.18.1.0/24 -p 1-1000
row "4,096 x 1,000" 198.18.0.0/20 -p 1-1000
row "65,536 x 10" 198.18.0.0/16 -p 1-10
row "131,072 x 10" 198.18.0.0/15 -p 1-10
row "65,536 x 100" 198.18.0.0/16 -p 1-100
row "65,536 x top 1,000" 198.18.0.0/16 --top-ports 1000
INNER
