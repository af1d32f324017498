#!/usr/bin/env bash
# portscan side by side with the two designs it descends from (../shared/baselines: one process
# per slice with blocking connects; a thread pool fed by a queue) and with nmap -sT, on the same
# targets, in one run. Each command's open ports are checked against the lab's listeners.
#   1. private loopback (unshare -rn), all 65,535 ports, 3 listeners: no root needed
#   2. a lab host in its own network namespace (root), 2,000 ports: 5 open, 195 filtered, timeout 1 s
# usage: bench/compare.sh [RUNS]      needs hyperfine, nmap, python3 (apt-get install hyperfine nmap)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
baselines=${BASELINES:-$(cd .. && pwd)/shared/baselines}
out=$(pwd)/bench/results
mkdir -p "$out"
dotnet build -c Release -v quiet -nologo >/dev/null
portscan=$(pwd)/Coordinator/bin/Release/net10.0/portscan
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r), $(nmap --version | head -1), Python $(python3 -c 'import sys; print(sys.version.split()[0])')"

# Prints the open ports each tool found, one comma list per tool, so a reader sees they agree.
check() { # target first last
  local t=$1 a=$2 b=$3
  printf 'portscan:         %s\n' "$("$portscan" scan "$t" --start-port "$a" --end-port "$b" | awk -F/ '/\/tcp +open/ {print $1}' | sort -n | paste -sd,)"
  printf 'seed_threaded:    %s\n' "$(python3 "$baselines/seed_threaded.py" "$t" "$a" "$b" 100 1 | awk '/is OPEN/ {print $2}' | sort -n | paste -sd,)"
  printf 'seed_multiprocess:%s\n' "$(python3 "$baselines/seed_multiprocess.py" --hostname "$t" --start-port "$a" --end-port "$b" --workers 100 --timeout 1 | awk '/is open/ {print $2}' | sort -n | paste -sd,)"
  printf 'nmap -sT:         %s\n' "$(nmap -sT -n -Pn -p "$a-$b" "$t" | awk -F/ '/\/tcp +open/ {print $1}' | sort -n | paste -sd,)"
}

compare() { # name target first last
  local name=$1 t=$2 a=$3 b=$4
  check "$t" "$a" "$b"
  hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$out/compare-$name.md" \
    -n "portscan scan (defaults)" "$portscan scan $t --start-port $a --end-port $b" \
    -n "seed_threaded.py (100 threads, 1 s)" "python3 $baselines/seed_threaded.py $t $a $b 100 1" \
    -n "seed_multiprocess.py (100 workers, 1 s)" "python3 $baselines/seed_multiprocess.py --hostname $t --start-port $a --end-port $b --workers 100 --timeout 1" \
    -n "nmap -sT" "nmap -sT -n -Pn -p $a-$b $t"
}

echo "== 1. private loopback, ports 1-65535, listeners on 40000-40002"
export portscan baselines out runs
export -f check compare
unshare -rn bash -c '
  ip link set lo up
  "$portscan" lab --open 3 --closed 0 --filtered 0 --first-port 40000 >/dev/null & lab=$!
  sleep 1
  compare loopback 127.0.0.1 1 65535
  kill $lab'

if [ "$(id -u)" = 0 ]; then
  echo "== 2. lab host in a network namespace, ports 20000-21999: 5 open, 195 filtered (20005-20199), the rest closed"
  log=$(mktemp)
  "$portscan" lab --netns --open 5 --filtered 195 >"$log" & lab=$!
  trap 'kill $lab 2>/dev/null; wait $lab 2>/dev/null; rm -f "$log"' EXIT
  for _ in $(seq 100); do grep -q '^Try:' "$log" && break; sleep 0.1; done
  compare filtered "$(awk '/^Try:/ {print $4}' "$log")" 20000 21999
else
  echo "== 2. skipped: the network-namespace lab host needs root"
fi
cat "$out"/compare-*.md
