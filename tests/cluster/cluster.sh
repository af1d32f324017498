#!/usr/bin/env bash
# A real cluster on one machine, for the launcher tests and benchmarks (issue 14). Three nodes,
# each a network namespace on one bridge with its own address, sshd and slurmd (NodeAddr = that
# address); one slurmctld and one munged in a controller namespace; a lab host in a namespace of
# its own that records the source address of every connection to its open ports.
# This machine (the root namespace, where the coordinator runs) has an address on the bridge.
# Every daemon is a child of this script, run under tini as a subreaper: slurmd's slurmstepd
# daemonizes, and PID 1 here reaps no orphans. Teardown stops each daemon, ends whatever is left
# in the namespaces and removes them, the bridge and the files; nothing stays running.
#
# usage: tests/cluster/cluster.sh [COMMAND [ARG...]]
#   With a command: build the cluster, run the command with the variables below in its
#   environment, tear the cluster down, exit with the command's code.
#   Without: print the variables (NAME=VALUE lines) and then "ready" on stdout; hold the cluster
#   up until stdin closes (or SIGINT/SIGTERM), then tear it down.
# CLUSTER_DIR=DIR keeps the cluster's files (keys, configs, logs, Slurm state) there, for the
# caller to remove; by default a new temporary directory, removed at teardown.
# Clusters stand side by side (concurrent test runs each build their own): each takes one of 8
# slots, its own names (psc<K>-…) and its own subnet (198.19.<240+K>.0/24).
# Needs root and: iproute2 nftables socat tini munge slurmctld slurmd slurm-client openssh-server.
#
# Variables given to the command (and printed in hold mode):
#   CLUSTER_DIR, SLURM_CONF (srun, squeue and scancel find the cluster through it),
#   CLUSTER_SSH_CONFIG     ssh -F file naming node1..node3, and node4 that refuses connections
#   CLUSTER_NODES          node1 node2 node3 (ssh destinations and Slurm node names alike)
#   CLUSTER_NODE_ADDRESSES their addresses, in the same order
#   CLUSTER_NODE_NETNS     their network namespaces, in the same order (ip netns pids NAME)
#   CLUSTER_NETNS          every namespace of the cluster (controller, nodes, lab); CLUSTER_BRIDGE its bridge
#   CLUSTER_REFUSING_HOST  node4: an address on the bridge where no sshd listens
#   CLUSTER_COORDINATOR_ADDRESS  this machine's address on the bridge
#   CLUSTER_LAB_ADDRESSES  the lab host's 8 addresses (scan targets)
#   CLUSTER_LAB_OPEN, CLUSTER_LAB_FILTERED  its open and filtered ports (-p syntax); every other port is closed
#   CLUSTER_LAB_NETNS      the lab host's namespace. Its nftables table "inet cluster_lab" records
#                          every SYN it receives: set "sources" counts them by source address, set
#                          "connections" by source . lab address . port for the open ports. See them with
#                          ip netns exec "$CLUSTER_LAB_NETNS" nft list set inet cluster_lab sources
#                          (nft flush set inet cluster_lab sources, and connections, to start afresh)
#   CLUSTER_START_SECONDS  how long the cluster took to come up
set -euo pipefail

if [ "${CLUSTER_REAPER:-}" != tini ]; then
  # tini -s adopts the orphans of everything below (slurmstepd) and reaps them.
  exec env CLUSTER_REAPER=tini tini -s -- "$0" "$@"
fi
if [ "$(id -u)" != 0 ]; then
  echo "cluster.sh: needs root (ip netns add, nft, slurmd)" >&2
  exit 2
fi
for tool in ip nft socat munged slurmctld slurmd srun sshd ssh-keygen; do
  if ! command -v "$tool" >/dev/null; then
    echo "cluster.sh: $tool is not installed (apt-get install iproute2 nftables socat tini munge slurmctld slurmd slurm-client openssh-server)" >&2
    exit 2
  fi
done

started=$(date +%s%N)

# A slot is held by a lock on fd 9 for the script's life; no daemon inherits it (9>&- on each), so
# a cluster left by a killed script cannot keep its slot taken. A free slot is taken at once, never
# waited for: one cluster a machine made a test run's cluster wait for another run's whole fixture,
# longer than the test gives a cluster to come up (seen: the teardown test failing after 4 minutes).
slots=8
for ((slot = 0; slot < slots; slot++)); do
  exec 9>"/run/portscan-cluster-$slot.lock"
  flock -n 9 && break
done
if [ "$slot" = "$slots" ]; then
  echo "cluster.sh: all $slots clusters this machine allows are up (/run/portscan-cluster-*.lock)" >&2
  exit 1
fi
# Interface names stay within Linux's 15 characters: psc7-node3.
prefix=psc$slot
subnet=198.19.$((240 + slot))
bridge=$prefix-br
controller_ns=$prefix-ctl
lab_ns=$prefix-lab
nodes=(node1 node2 node3)
node_ns=("${nodes[@]/#/$prefix-}")
declare -A node_address=([node1]=$subnet.11 [node2]=$subnet.12 [node3]=$subnet.13)
controller_address=$subnet.10
coordinator_address=$subnet.1
lab_addresses=($subnet.2{0..7})
lab_open=(22 80 443)
lab_filtered=8080-8099

owned_dir=""
if [ -z "${CLUSTER_DIR:-}" ]; then
  CLUSTER_DIR=$(mktemp -d /tmp/portscan-cluster.XXXXXX)
  owned_dir=$CLUSTER_DIR
fi
dir=$CLUSTER_DIR
# munged runs as the munge user and must reach its files below this directory.
chmod 755 "$dir"
command=""
# The daemons in the order they are stopped: the nodes' and the lab's first, then slurmctld, then
# munged, so that slurmd and the steps it leaves can still reach the controller as they end.
node_daemons=()
controller_daemons=()
declare -A daemon_log

# True while a process runs (a zombie waiting for its parent to reap it runs no more).
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# Stops processes by pid: SIGTERM, SIGKILL to those still running 10 s later; returns when none runs.
stop() {
  local pid left=()
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null
  for _ in $(seq 100); do
    left=()
    for pid; do running "$pid" && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "${left[@]}" 2>/dev/null
  for pid in "${left[@]}"; do while running "$pid"; do sleep 0.05; done; done
}

# Stops whatever still runs in our namespaces (steps' and ssh sessions' leftovers), then removes
# them and the bridge. Deleting a namespace deletes the inner end of its veth, and so both.
remove_network() {
  local ns
  for ns in "$controller_ns" "$lab_ns" "${node_ns[@]}"; do
    if [ -e "/run/netns/$ns" ]; then
      # shellcheck disable=SC2046 # one pid a word
      stop $(ip netns pids "$ns")
      ip netns del "$ns"
    fi
  done
  ip link del "$bridge" 2>/dev/null || true
}

teardown() {
  local code=$? ns
  trap - EXIT INT TERM
  set +e
  # Stopped by a signal while the command runs: the command goes first, while its cluster is still up.
  if [ -n "$command" ]; then
    stop "$command"
  fi
  stop "${node_daemons[@]}"
  for ns in "${node_ns[@]}"; do
    # shellcheck disable=SC2046 # one pid a word
    stop $(ip netns pids "$ns")
  done
  for ((i = ${#controller_daemons[@]} - 1; i >= 0; i--)); do
    stop "${controller_daemons[i]}"
  done
  wait
  remove_network
  [ -n "$owned_dir" ] && rm -rf "$owned_dir"
  exit "$code"
}

# Starts a daemon in the foreground inside a namespace, as a child of this script, with its own
# host name (a UTS namespace: slurmctld and slurmd check that they run on the host the
# configuration names). nsenter rather than ip netns exec, which remounts /sys and so hides
# /sys/fs/cgroup, without which slurmd does not start even with cgroups unused. Output to a log.
# usage: start nodes|controller NAMESPACE HOSTNAME LOG COMMAND...
start() {
  local group=$1 ns=$2 host=$3 log=$4
  shift 4
  nsenter --net="/run/netns/$ns" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$host" "$@" >"$log" 2>&1 </dev/null 9>&- &
  if [ "$group" = controller ]; then controller_daemons+=($!); else node_daemons+=($!); fi
  daemon_log[$!]=$log
}

# Waits until COMMAND succeeds; fails at once, showing its log, if a daemon has ended meanwhile.
await() {
  local what=$1 pid
  shift
  for _ in $(seq 600); do
    "$@" >/dev/null 2>&1 && return 0
    for pid in "${!daemon_log[@]}"; do
      if ! running "$pid"; then
        echo "cluster.sh: waiting for $what, a daemon ended; ${daemon_log[$pid]} says:" >&2
        tail -20 "${daemon_log[$pid]}" >&2
        return 1
      fi
    done
    sleep 0.05
  done
  echo "cluster.sh: $what did not come up within 30 s (logs in $dir)" >&2
  return 1
}

# A cluster whose script was killed: its namespaces and bridge are still here (we hold the lock).
remove_network
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- network: a bridge, this machine on it, a veth into each namespace
ip link add "$bridge" type bridge
ip addr add "$coordinator_address/24" dev "$bridge"
ip link set "$bridge" up
join() {
  local ns=$1 name=$2
  shift 2
  ip netns add "$ns"
  ip link add "$name" type veth peer name eth0 netns "$ns"
  ip link set "$name" master "$bridge" up
  local address
  for address in "$@"; do ip -n "$ns" addr add "$address/24" dev eth0; done
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}
join "$controller_ns" "$controller_ns" "$controller_address"
for node in "${nodes[@]}"; do
  join "$prefix-$node" "$prefix-$node" "${node_address[$node]}"
done
join "$lab_ns" "$lab_ns" "${lab_addresses[@]}"

# --- the lab host: listeners on the open ports, filtered ports dropped, every other port closed.
# Its kernel records who connected, before any listener sees it: a scanner resets each connection
# at once, and the listeners (socat, forking) then often find it gone, or its peer unknown (seen:
# 3 scans of 9 open ports logged 7, 7 and 4 accepts, and socat's SOCAT_PEERADDR was empty in 17 of 27).
mkdir -p "$dir/lab"
ip netns exec "$lab_ns" nft "add table inet cluster_lab; \
  add chain inet cluster_lab input { type filter hook input priority 0; policy accept; }; \
  add set inet cluster_lab sources { type ipv4_addr; flags dynamic; counter; }; \
  add set inet cluster_lab connections { type ipv4_addr . ipv4_addr . inet_service; flags dynamic; counter; }; \
  add rule inet cluster_lab input tcp flags & (syn|ack) == syn update @sources { ip saddr }; \
  add rule inet cluster_lab input tcp flags & (syn|ack) == syn tcp dport { $(IFS=,; echo "${lab_open[*]}") } update @connections { ip saddr . ip daddr . tcp dport }; \
  add rule inet cluster_lab input tcp dport $lab_filtered drop"
for port in "${lab_open[@]}"; do
  start nodes "$lab_ns" lab "$dir/lab/socat-$port.log" socat TCP-LISTEN:"$port",fork,reuseaddr,backlog=1024 /dev/null
done

# --- munge: its own key, socket and files, run as the munge user
mkdir -p "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 711 "$dir/munge" # clients (Slurm, as root) need only to reach the socket
chmod 400 "$dir/munge/munge.key"
chown -R munge:munge "$dir/munge"
start controller "$controller_ns" controller "$dir/munge/munged.out" setpriv --reuid=munge --regid=munge --clear-groups \
  munged -F --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munge.seed"

# --- Slurm: no accounting, no cgroups, state under $dir. FORCE oversubscription lets more
# single-task jobs run than the nodes have CPUs (the issue measured srun waiting forever without
# it); LLN puts each on the least loaded node (without it, 3 jobs went to node1, node1, node2).
mkdir -p "$dir/slurm/state" "${nodes[@]/#/$dir/slurm/spool-}"
export SLURM_CONF=$dir/slurm/slurm.conf
{
  cat <<EOF
ClusterName=portscan
SlurmctldHost=controller($controller_address)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=$dir/slurm/state
SlurmdSpoolDir=$dir/slurm/spool-%n
SlurmctldPidFile=$dir/slurm/slurmctld.pid
SlurmdPidFile=$dir/slurm/slurmd-%n.pid
MailProg=/bin/true
EOF
  for node in "${nodes[@]}"; do
    echo "NodeName=$node NodeAddr=${node_address[$node]} CPUs=$(nproc) State=UNKNOWN"
  done
  echo "PartitionName=cluster Nodes=$(IFS=,; echo "${nodes[*]}") Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:64 LLN=YES"
} >"$SLURM_CONF"
await munged test -S "$dir/munge/munge.socket"
start controller "$controller_ns" controller "$dir/slurm/slurmctld.log" slurmctld -D -i
for node in "${nodes[@]}"; do
  start nodes "$prefix-$node" "$node" "$dir/slurm/slurmd-$node.log" slurmd -D -N "$node"
done

# --- sshd on each node: host keys and the one authorized key generated here, root by key only
mkdir -p "$dir/ssh"
ssh-keygen -q -t ed25519 -N "" -C portscan-cluster -f "$dir/ssh/id_ed25519"
cp "$dir/ssh/id_ed25519.pub" "$dir/ssh/authorized_keys"
: >"$dir/ssh/known_hosts"
mkdir -p /run/sshd # sshd's privilege separation directory, made by the service's start elsewhere
for node in "${nodes[@]}"; do
  ssh-keygen -q -t ed25519 -N "" -C "$node" -f "$dir/ssh/host-$node"
  echo "$node,${node_address[$node]} $(cut -d' ' -f1,2 "$dir/ssh/host-$node.pub")" >>"$dir/ssh/known_hosts"
  cat >"$dir/ssh/sshd-$node.conf" <<EOF
ListenAddress ${node_address[$node]}
HostKey $dir/ssh/host-$node
AuthorizedKeysFile $dir/ssh/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PidFile none
# A scan opens one connection a slice at once.
MaxStartups 200
MaxSessions 200
EOF
  start nodes "$prefix-$node" "$node" "$dir/ssh/sshd-$node.log" /usr/sbin/sshd -D -e -f "$dir/ssh/sshd-$node.conf"
done
export CLUSTER_SSH_CONFIG=$dir/ssh/config
{
  for node in "${nodes[@]}"; do
    printf 'Host %s\n  HostName %s\n' "$node" "${node_address[$node]}"
  done
  printf '# No sshd listens on the controller: a connection there is refused.\nHost node4\n  HostName %s\n' "$controller_address"
  cat <<EOF
Host *
  User root
  IdentityFile $dir/ssh/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dir/ssh/known_hosts
  StrictHostKeyChecking yes
  ConnectTimeout 10
  LogLevel ERROR
EOF
} >"$CLUSTER_SSH_CONFIG"

# --- ready when every node is idle in Slurm, every sshd and listener accepts
nodes_idle() { [ "$(sinfo -h -N -o %T | sort -u)" = idle ] && [ "$(sinfo -h -N -o %N | wc -l)" = "${#nodes[@]}" ]; }
await slurmctld scontrol ping
await "slurmd on ${nodes[*]}" nodes_idle
for node in "${nodes[@]}"; do
  await "sshd on $node" bash -c "exec 3<>/dev/tcp/${node_address[$node]}/22"
done
for port in "${lab_open[@]}"; do
  await "the lab's listener on port $port" ip netns exec "$lab_ns" bash -c "exec 3<>/dev/tcp/${lab_addresses[0]}/$port"
done
# The readiness probes above are connections too: the record starts empty for the caller.
ip netns exec "$lab_ns" nft "flush set inet cluster_lab sources; flush set inet cluster_lab connections"

export CLUSTER_DIR
export CLUSTER_NODES="${nodes[*]}"
export CLUSTER_NODE_ADDRESSES="${node_address[node1]} ${node_address[node2]} ${node_address[node3]}"
export CLUSTER_NODE_NETNS="${node_ns[*]}"
export CLUSTER_NETNS="$controller_ns ${node_ns[*]} $lab_ns"
export CLUSTER_BRIDGE=$bridge
export CLUSTER_REFUSING_HOST=node4
export CLUSTER_COORDINATOR_ADDRESS=$coordinator_address
export CLUSTER_LAB_ADDRESSES="${lab_addresses[*]}"
export CLUSTER_LAB_OPEN
CLUSTER_LAB_OPEN=$(IFS=,; echo "${lab_open[*]}")
export CLUSTER_LAB_FILTERED=$lab_filtered
export CLUSTER_LAB_NETNS=$lab_ns
centiseconds=$((($(date +%s%N) - started) / 10000000))
export CLUSTER_START_SECONDS
CLUSTER_START_SECONDS=$(printf '%d.%02d' $((centiseconds / 100)) $((centiseconds % 100)))

if [ $# -gt 0 ]; then
  "$@" 9>&- &
  command=$!
  set +e
  wait "$command"
  code=$?
  command=""
  exit "$code"
fi
for name in CLUSTER_DIR SLURM_CONF CLUSTER_SSH_CONFIG CLUSTER_NODES CLUSTER_NODE_ADDRESSES CLUSTER_NODE_NETNS CLUSTER_NETNS CLUSTER_BRIDGE \
  CLUSTER_REFUSING_HOST CLUSTER_COORDINATOR_ADDRESS CLUSTER_LAB_ADDRESSES CLUSTER_LAB_OPEN CLUSTER_LAB_FILTERED \
  CLUSTER_LAB_NETNS CLUSTER_START_SECONDS; do
  echo "$name=${!name}"
done
echo ready
# In the background (with stdin passed on explicitly), so that a signal's trap runs at once.
cat <&0 >/dev/null 9>&- &
command=$!
wait "$command" || true
command=""
