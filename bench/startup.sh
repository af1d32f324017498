#!/usr/bin/env bash
# Start-up: a one-port scan, `portscan --help` and the worker alone on one port, for each build
# given, beside nmap in the same hyperfine run. In a private network namespace whose only listener
# is our own (127.0.0.1:8080). No root needed.
# usage: bench/startup.sh [RUNS] [BUILD...]
#   BUILD: a folder holding portscan and portscan-worker; without one, `dotnet publish Coordinator`
#   (the fast build) and `dotnet build -c Release` (the JIT build) are made and compared.
# needs hyperfine and nmap (apt-get install hyperfine nmap) and python3 (the listener)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
shift || true
out=$(pwd)/bench/results
mkdir -p "$out"
builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  dotnet build -c Release -v quiet -nologo >/dev/null
  publish=$(mktemp -d)
  trap 'rm -rf "$publish"' EXIT
  dotnet publish Coordinator -v quiet -nologo -o "$publish" >/dev/null
  builds=("$(pwd)/Coordinator/bin/Release/net10.0" "$publish")
fi
commands=()
for b in "${builds[@]}"; do
  commands+=(-n "$b: scan, one port" "$b/portscan scan 127.0.0.1 -p 8080 -w 1 --no-progress")
done
for b in "${builds[@]}"; do
  commands+=(-n "$b: --help" "$b/portscan --help")
done
for b in "${builds[@]}"; do
  commands+=(-n "$b: portscan-worker alone, one port" "$b/portscan-worker --target 127.0.0.1 --ports 8080 --timeout-ms 1000 --concurrency 100")
done
commands+=(-n "nmap, one port" "nmap -sT -p 8080 -n -Pn 127.0.0.1")
echo "machine: $(nproc) cores, $(uname -r)"
unshare -rn bash -c '
  ip link set lo up
  python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 & listener=$!
  sleep 1
  hyperfine -N --warmup 3 --runs "$0" --export-markdown "$1/startup.md" "${@:2}"
  kill $listener' "$runs" "$out" "${commands[@]}"
