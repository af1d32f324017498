#!/usr/bin/env bash
# Beyond one machine (issue 14), on the test cluster of tests/cluster/cluster.sh: three nodes in
# network namespaces on this machine, each with its own sshd and slurmd, and a lab host with 8
# addresses (3 open ports each, 20 filtered, every other port closed).
#   1. The start cost of a worker through each launcher: portscan-worker alone on one open port
#      (its whole run) here, through srun and through ssh; then a one-port scan through each
#      --launch. hyperfine, 10 runs each (RUNS, if more).
#   2. 8 hosts x 65,535 ports: here (--launch local: 2 workers by default, one a core, and 6) and
#      through the three nodes (--launch slurm: 6 workers, the CPUs sinfo reports; --launch ssh: 3,
#      one a host, and 6), in RUNS rounds that each run every way once. Every port is checked against
#      the lab's layout (the script stops at a wrong one), and the lab host's kernel counts the SYNs
#      it received from each source address.
# The nodes share this machine's cores: the cluster shows what the launchers cost, not more CPUs.
# usage: sudo bench/cluster.sh [RUNS]
# needs root, hyperfine, python3 and the cluster's packages (see tests/cluster/cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != --in-cluster ]; then
  runs=${1:-3}
  . bench/build.sh
  # The measurements run inside the cluster's lifetime: this script again, as cluster.sh's command.
  exec tests/cluster/cluster.sh "$0" --in-cluster "$runs" "$bin" "$out/cluster.txt"
fi
runs=$2
bin=$3
log=$4
results=$(dirname "$log")

echo "machine: $(nproc) cores, $(uname -r); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$log"
echo "cluster up in $CLUSTER_START_SECONDS s" | tee -a "$log"
read -r -a nodes <<<"$CLUSTER_NODES"
read -r -a labs <<<"$CLUSTER_LAB_ADDRESSES"
ssh_args="-F $CLUSTER_SSH_CONFIG"
hosts=$(IFS=,; echo "${nodes[*]}")
worker="$bin/portscan-worker --target ${labs[0]} --ports ${CLUSTER_LAB_OPEN%%,*} --timeout-ms 1000 --concurrency 1"
one_port="$bin/portscan scan ${labs[0]} -p ${CLUSTER_LAB_OPEN%%,*} -w 1 --no-progress"

start_runs=$((runs > 10 ? runs : 10))
echo "== 1. the start cost of a worker (hyperfine, $start_runs runs each)" | tee -a "$log"
hyperfine -N --warmup 1 --runs "$start_runs" --export-markdown "$results/cluster-start.md" \
  -n "worker here" "$worker" \
  -n "worker through srun -n1" "srun -n1 $worker" \
  -n "worker through ssh" "ssh $ssh_args -T -o BatchMode=yes ${nodes[0]} $worker" \
  -n "scan, one port, --launch local" "$one_port" \
  -n "scan, one port, --launch slurm" "$one_port --launch slurm" \
  -n "scan, one port, --launch ssh" "$one_port --launch ssh --hosts ${nodes[0]} --ssh-args '$ssh_args'" | tee -a "$log"

# Prints "seconds, host-ports, wrong ones, workers, attempts" for one JSON report on stdin; fails
# unless every host-port is there with the lab's state.
check='
import json, sys
d = json.load(sys.stdin)
opened = {int(p) for p in sys.argv[3].split(",")}
first, last = (int(p) for p in sys.argv[4].split("-"))
def expected(p): return "open" if p in opened else "filtered" if first <= p <= last else "closed"
ports = [p for h in d["hosts"] for p in h["ports"]]
wrong = sum(1 for p in ports if p["state"] != expected(p["port"]))
attempts = sum(len(s["attempts"]) for s in d["slices"])
print("%.2f s (scan %.2f s)  %d host-ports, wrong %d  workers %d, attempts %d" % (
    float(sys.argv[2]) - float(sys.argv[1]), d["elapsedMs"] / 1000, len(ports), wrong, d["workers"], attempts))
sys.exit(0 if wrong == 0 and len(ports) == 8 * 65535 else 1)
'
# The lab host's count of SYNs by source address: "ADDRESS SYNS ...".
syns() {
  ip netns exec "$CLUSTER_LAB_NETNS" nft list set inet cluster_lab sources |
    grep -o '[0-9.]* counter packets [0-9]*' | sed 's/ counter packets / /' | tr '\n' ' '
}
targets="${labs[0]}-${labs[7]##*.}"
# The report (75 MB) goes with the cluster's files, removed at teardown.
report=$CLUSTER_DIR/scan.json
# The ways compared; one round runs each once, so that the machine's load (shared) drifts over all alike.
names=("here" "here, 6 workers" "through Slurm" "through ssh" "through ssh, 6 workers")
# Sets launch to the options of way $1.
launch_of() {
  case $1 in
    0) launch=(--launch local) ;;
    1) launch=(--launch local -w 6) ;;
    2) launch=(--launch slurm) ;;
    3) launch=(--launch ssh --hosts "$hosts" --ssh-args "$ssh_args") ;;
    4) launch=(--launch ssh --hosts "$hosts" --ssh-args "$ssh_args" -w 6) ;;
  esac
}
declare -A seconds
scan() {
  local way=$1 start line launch
  launch_of "$way"
  ip netns exec "$CLUSTER_LAB_NETNS" nft "flush set inet cluster_lab sources; flush set inet cluster_lab connections"
  start=$(date +%s.%N)
  "$bin/portscan" scan "$targets" -p- --show-closed --no-progress --format json -o "$report" "${launch[@]}" >/dev/null
  line=$(python3 -c "$check" "$start" "$(date +%s.%N)" "$CLUSTER_LAB_OPEN" "$CLUSTER_LAB_FILTERED" <"$report") ||
    { echo "${names[way]}: $line: NOT the lab's ports" | tee -a "$log"; exit 1; }
  seconds[$way]+="${line%% s *} "
  printf '%-24s %s  SYNs by source: %s\n' "${names[way]}" "$line" "$(syns)" | tee -a "$log"
}
echo "== 2. 8 hosts x 65,535 ports: portscan scan $targets -p- --show-closed --format json, then" | tee -a "$log"
for way in "${!names[@]}"; do
  launch_of "$way"
  echo "   ${names[way]}: ${launch[*]}" | tee -a "$log"
done
for run in $(seq "$runs"); do
  echo "-- round $run of $runs" | tee -a "$log"
  for way in "${!names[@]}"; do scan "$way"; done
done
echo "-- wall time (s), median and range of $runs" | tee -a "$log"
for way in "${!names[@]}"; do
  # shellcheck disable=SC2086 # one figure a word
  printf '%-24s %s\n' "${names[way]}" "$(printf '%s\n' ${seconds[$way]} | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2, t[1], t[NR] }')" | tee -a "$log"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
echo "results: $log"
