#!/usr/bin/env bash
# The numbers behind --max-rate and --udp (docs/benchmarks.md): how closely the rate is held, a UDP
# scan of a private loopback against nmap -sU, and, as root, UDP against a lab host whose kernel
# rate-limits ICMP. Traffic stays on a loopback of our own (unshare -rn) or the lab's namespace.
# usage: bench/udp-and-rate.sh [RUNS]    needs hyperfine and nmap; the lab part needs root
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
. bench/build.sh
export bin out runs
unshare -rn bash -c '
  ip link set lo up
  echo "== --max-rate: elapsed (JSON elapsedMs) and ports/s over the whole scan, $runs runs each"
  for spec in "400 200" "2000 1000"; do
    set -- $spec
    for w in 1 2 4; do
      for i in $(seq "$runs"); do
        "$bin/portscan" scan 127.0.0.1 -p 1-$1 --max-rate $2 -w $w --format json | grep -o "\"elapsedMs\": [0-9.]*" | head -1 | awk "{print \$2}"
      done | awk -v n=$1 -v r=$2 -v w=$w "{s+=\$1; if (min==\"\"||\$1<min) min=\$1; if (\$1>max) max=\$1} END {printf \"%d ports at --max-rate %d, %d workers: mean %.0f ms (min %.0f, max %.0f), %.1f ports/s = %.1f %% of the rate\n\", n, r, w, s/NR, min, max, n/(s/NR/1000), 100*n/(s/NR/1000)/r}"
    done
  done
  echo "== UDP on a private loopback: one answering-nothing port (5000) among closed ones"
  python3 -c "import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind((\"127.0.0.1\",5000)); time.sleep(3600)" & silent=$!
  sleep 0.5
  "$bin/portscan" scan 127.0.0.1 --udp --top-ports 1000 | tail -2
  nmap -sU -n -Pn --top-ports 1000 127.0.0.1 | grep -E "open|Not shown|done"
  hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$out/udp-loopback.md" \
    -n "portscan --udp --top-ports 1000" "$bin/portscan scan 127.0.0.1 --udp --top-ports 1000" \
    -n "nmap -sU --top-ports 1000" "nmap -sU -n -Pn --top-ports 1000 127.0.0.1" \
    -n "portscan --udp -p- (65,535 ports)" "$bin/portscan scan 127.0.0.1 --udp -p-"
  kill $silent'
cat "$out/udp-loopback.md"
if [ "$(id -u)" = 0 ]; then
  echo "== UDP to a lab host in its own namespace: 20 closed ports behind Linux ICMP rate limit (6, then 1/s)"
  "$bin/portscan" lab --netns --open 0 --filtered 0 > "$out/.lab.txt" & lab=$!
  for i in $(seq 100); do grep -q "^Try:" "$out/.lab.txt" && break; sleep 0.1; done
  address=$(grep -o "Lab host [0-9.]*" "$out/.lab.txt" | awk "{print \$3}")
  for w in 1 2; do
    /usr/bin/time -f "portscan -w $w: %e s" "$bin/portscan" scan "$address" --udp -p 20000-20019 -w $w | tail -1
    sleep 2
  done
  /usr/bin/time -f "nmap -sU: %e s" nmap -sU -n -Pn -p 20000-20019 "$address" | grep -E "closed|open|filtered" | tail -3
  kill -INT $lab; wait $lab || true
  rm -f "$out/.lab.txt"
fi
