#!/usr/bin/env bash
# A full-range scan killed (SIGKILL) half-way and resumed, against the same scan uninterrupted, in
# the same run. In a private network namespace (unshare -rn): portscan's lab listens on 5 ports of
# the namespace's own 127.0.0.1, every other port is closed, nothing leaves the namespace. No root.
# The scans are paced with --max-rate (as a scan of a real network is), so a full range takes
# seconds and half-way is a moment one can hit; RATE sets it.
# usage: bench/resume.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
rate=${RATE:-5000}
. bench/build.sh
log=$out/${LOG:-resume.txt}
: > "$log"
unshare -rn bash -s "$bin" "$runs" "$rate" "$log" <<'INNER'
set -euo pipefail
bin=$1; runs=$2; rate=$3; log=$4
ip link set lo up
work=$(mktemp -d)
cd "$work"
"$bin/portscan" lab --open 5 --closed 0 --filtered 0 --first-port 40000 > lab.out 2>&1 &
lab=$!
until grep -q '^Try:' lab.out; do sleep 0.1; done
scan=(127.0.0.1 -p- --max-rate "$rate" --no-progress)
now() { date +%s.%N; }
ports() { grep -o '<port protocol="tcp" portid="[0-9]*"><state state="[a-z]*"' "$1"; grep -o '<extraports state="[a-z]*" count="[0-9]*"' "$1"; }
echo "== 1-65535 on a private loopback (5 open), --max-rate $rate, $(nproc) cores" | tee -a "$log"
for run in $(seq "$runs"); do
  rm -f full.* part.*
  start=$(now); "$bin/portscan" scan "${scan[@]}" -oX full.xml > /dev/null; whole=$(echo "$(now) - $start" | bc)
  half=$(echo "$whole / 2" | bc -l)
  start=$(now)
  "$bin/portscan" scan "${scan[@]}" -oX part.xml > /dev/null 2>&1 &
  victim=$!
  sleep "$half"
  killed=$(now); kill -KILL "$victim"; wait "$victim" || true
  # How old the journal's last write was when the coordinator died: the results a SIGKILL lost.
  stale=$(echo "$killed - $(stat -c %.9Y part.journal)" | bc)
  size=$(stat -c %s part.journal); lines=$(($(wc -l < part.journal) - 4))
  resumed_start=$(now)
  "$bin/portscan" resume part.journal 2> resume.err > /dev/null
  end=$(now)
  held=$(grep -o '[0-9,]* of 65,535 host-ports' resume.err)
  same=$(cmp -s <(ports full.xml) <(ports part.xml) && echo "same ports and states" || echo "DIFFERENT")
  printf 'run %s: uninterrupted %6.2f s | killed at %5.2f s + resume %5.2f s = %6.2f s | journal %s (%s bytes, %s lines), last write %3.0f ms before the kill | %s\n' \
    "$run" "$whole" "$(echo "$killed - $start" | bc)" "$(echo "$end - $resumed_start" | bc)" "$(echo "$end - $start" | bc)" \
    "$held" "$size" "$lines" "$(echo "$stale * 1000" | bc)" "$same" | tee -a "$log"
done
kill -TERM "$lab"; wait "$lab" || true  # SIGINT is ignored by a background job of a script
cd /; rm -rf "$work"
INNER
