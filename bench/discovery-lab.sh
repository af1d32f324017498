#!/bin/sh
# Host discovery figures (docs/benchmarks.md): a /24 in a private network namespace with 4 live hosts
# (198.18.0.2 listens on 80, .3 on 443, .4 on 22, .5 only refuses) and 252 silent addresses, routed
# into a veth without ARP whose far end has no address, so everything sent to them is dropped.
# Runs portscan, then nmap -sT, on ports 1-1000 of the block. Usage: unshare -rn bench/discovery-lab.sh PORTSCAN
set -e
portscan=$1
ip link set lo up
ip link add bd0 type veth peer name bd1 && ip link set bd0 arp off && ip link set bd0 up && ip link set bd1 up
ip route add 198.18.0.0/24 dev bd0
for a in 2 3 4 5; do ip addr add 198.18.0.$a/32 dev lo; done
python3 -c '
import socket, time
held = []
for address, port in (("198.18.0.2", 80), ("198.18.0.3", 443), ("198.18.0.4", 22)):
    s = socket.socket(); s.bind((address, port)); s.listen(50); held.append(s)
time.sleep(900)' &
listeners=$!
sleep 0.5
set +e
echo "== portscan"
/usr/bin/time -f "%e s wall" "$portscan" 198.18.0.0/24 -p 1-1000 --no-progress | tail -4
# -n: portscan never does reverse DNS, and in the namespace every lookup waits 13 s for a resolver it cannot reach.
echo "== nmap, unprivileged (connect pings to 80 and 443, as portscan's TCP probes)"
/usr/bin/time -f "%e s wall" nmap -sT -p 1-1000 -n --unprivileged 198.18.0.0/24 | grep -E "scan report|open|Nmap done"
echo "== nmap, as root (raw pings)"
/usr/bin/time -f "%e s wall" nmap -sT -p 1-1000 -n 198.18.0.0/24 | grep -E "scan report|open|Nmap done"
kill $listeners
