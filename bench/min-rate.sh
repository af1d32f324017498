#!/usr/bin/env bash
# --min-rate above a host's SYN limit: the 2,000-port lab of HostileNetworkScanTests (10 open,
# 990 filtered, 1,000 closed) in a network namespace of its own behind a guard of 1,000 SYNs a
# second, scanned RUNS times with two workers at --min-rate 3000 (1,500 a worker, three times what
# the guard lets through), every port checked. BEFORE=DIR (the Release output folder of another
# build) alternates its scans with this build's, for a before/after comparison on the same lab in
# the same run; NMAP=1 adds nmap -sT with the same --min-rate.
# usage: sudo bench/min-rate.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
. bench/build.sh
log=$out/${LOG:-min-rate.txt}
: > "$log"
options="-p 20000-21999 -w 2 --min-rate 3000"

# Prints "seconds wrong-ports network-figures" for one scan's JSON report on stdin.
check='
import json, sys
d = json.load(sys.stdin); h = d["hosts"][0]
def expected(p): return "open" if p < 20010 else "filtered" if p < 21000 else "closed"
wrong = [p["port"] for p in h["ports"] if p["state"] != expected(p["port"])]
n = h.get("network", {})
print("%-6s %6.2f s  wrong %3d  probes %6d  tries %s" % (sys.argv[3], float(sys.argv[2]) - float(sys.argv[1]), len(wrong), n.get("probes"), n.get("tries")))
'

"$bin/portscan" lab --netns --open 10 --filtered 990 --first-port 20000 --syn-limit 1000 > "$out/min-rate-lab.txt" &
lab=$!
trap 'kill -INT $lab; wait $lab' EXIT
for _ in $(seq 100); do grep -q '^Try:' "$out/min-rate-lab.txt" 2>/dev/null && break; sleep 0.1; done
address=$(grep -o '198\.1[89]\.[0-9.]*' "$out/min-rate-lab.txt" | head -1)
echo "== portscan scan $address $options (lab: --syn-limit 1000)" | tee -a "$log"

scan() { # name folder
  local start
  start=$(date +%s.%N)
  # shellcheck disable=SC2086 # options are words
  "$2/portscan" scan "$address" $options --format json --show-closed --no-progress > "$out/min-rate-scan.json"
  python3 -c "$check" "$start" "$(date +%s.%N)" "$1" < "$out/min-rate-scan.json" | tee -a "$log"
}
for _ in $(seq "$runs"); do
  if [ -n "${BEFORE:-}" ]; then scan before "$BEFORE"; fi
  scan after "$bin"
done
if [ "${NMAP:-0}" = 1 ]; then
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    nmap -sT -n -Pn -p 20000-21999 --min-rate 3000 -oX "$out/min-rate-nmap.xml" "$address" > /dev/null
    python3 - "$out/min-rate-nmap.xml" "$start" <<'PY' | tee -a "$log"
import sys, time, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
def expected(p): return "open" if p < 20010 else "filtered" if p < 21000 else "closed"
state = {int(p.get("portid")): p.find("state").get("state") for p in root.iter("port")}
for extra in root.iter("extraports"):
    for reason in extra.iter("extrareasons"):
        for part in reason.get("ports", "").split(","):
            if part:
                a, _, b = part.partition("-")
                for p in range(int(a), int(b or a) + 1):
                    state[p] = extra.get("state")
wrong = sum(1 for p in range(20000, 22000) if state.get(p) != expected(p))
print("nmap   %6.2f s  wrong %3d" % (time.time() - float(sys.argv[2]), wrong))
PY
  done
fi
summary=$(awk '$1 ~ /^(before|after|nmap)$/ { n[$1]++; t[$1] += $2; if ($5 > 0) bad[$1]++; ports[$1] += $5 }
  END { for (k in n) printf "  %-6s %d scans, %d with wrong ports (%d ports in all), mean %.2f s\n", k, n[k], bad[k], ports[k], t[k] / n[k] }' "$log")
printf 'summary:\n%s\n' "$summary" | tee -a "$log"
