#!/usr/bin/env bash
# -sV beside nmap -sV, in one run, on the same real services: Debian's vsftpd, OpenSSH, nginx (plain
# and TLS, a self-signed certificate made here), MariaDB and Redis, started on their usual ports in a
# private network namespace (unshare -rn) and stopped at the end. Four scans of the same ports, RUNS
# times each, alternating:
#   portscan -sV                      portscan's own database (the file next to portscan-worker)
#   nmap -sV                          nmap's own database, as nmap's users run it
#   portscan -sV --version-db NMAPS   nmap's file read by portscan's engine
#   nmap -sV --versiondb PORTSCANS    portscan's file read by nmap (its NSE version scripts off, as
#                                     bench/service-db-check.sh does: they would overwrite the database's findings)
# Then a table of every port's name, product, version and extra info side by side (from each scan's
# XML report; a "*" where a later run differs), the wall-clock times, and what loading the database
# costs a worker (the worker run by itself on a port both files exclude, timed from the file's
# openat to its service message with strace) and a whole scan (hyperfine).
# usage: [PUBLISHED=DIR] [LOADS=N] bench/version-detection.sh [RUNS]
#   needs nmap, openssl, strace, hyperfine, openssh-server, nginx, mariadb-server, redis-server, vsftpd
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
loads=${LOADS:-21}
nmapdb=/usr/share/nmap/nmap-service-probes
exec > >(tee bench/results/version-detection.txt) 2>&1
source bench/build.sh
owndb=$bin/portscan-service-probes
echo "$(nmap --version | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for p in openssh-server nginx mariadb-server redis-server vsftpd; do printf '%s %s; ' "$p" "$(dpkg-query -W -f='${Version}' $p)"; done; echo

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
printf 'HostKey %s/host_key\nPidFile none\nUsePAM no\nListenAddress 127.0.0.1\n' "$work" > "$work/sshd_config"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
mkdir -p "$work/www" "$work/empty" "$work/nmapdata/scripts" && echo portscan > "$work/www/index.html"
: > "$work/nmapdata/scripts/script.db"
# 9100 is in both databases' Exclude: a worker given it loads the database and probes nothing.
cat > "$work/nginx.conf" <<EOF
user root root; daemon off; master_process off; pid $work/nginx.pid; error_log $work/nginx.log;
events {}
http { access_log off; client_body_temp_path $work/b; proxy_temp_path $work/p; fastcgi_temp_path $work/f; uwsgi_temp_path $work/u; scgi_temp_path $work/s;
  server { listen 127.0.0.1:80; listen 127.0.0.1:9100; root $work/www; }
  server { listen 127.0.0.1:443 ssl; ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem; root $work/www; } }
EOF
printf 'listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port=21\nbackground=NO\nanonymous_enable=NO\nlocal_enable=YES\nrun_as_launching_user=YES\nseccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\nsecure_chroot_dir=%s/empty\n' "$work" > "$work/vsftpd.conf"

# WORKER RUNS LOG ARGS...: ms from the worker's openat of the database to its service message, median (min to max) of RUNS.
cat > "$work/load.sh" <<'EOF'
worker=$1 runs=$2 log=$3; shift 3
for i in $(seq "$runs"); do
  strace -f --seccomp-bpf -tt -e trace=openat,write -o "$log" "$worker" "$@" >/dev/null
  awk '/service-probes/ && !o { split($2, t, ":"); o = t[1] * 3600 + t[2] * 60 + t[3] }
       /"type\\":\\"service/ && o && !w { split($2, t, ":"); w = t[1] * 3600 + t[2] * 60 + t[3] }
       END { printf "%.1f\n", (w - o) * 1000 }' "$log"
done | sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms (%.1f to %.1f)\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
EOF

ports=21,22,80,443,3306,6379
worker=(--target 127.0.0.1 --timeout-ms 1000 --concurrency 1)
# The database's load is also measured with the fast build when PUBLISHED names its folder (dotnet publish Coordinator -o DIR).
builds="$bin${PUBLISHED:+ $(realpath "$PUBLISHED")}"
unshare -rn bash -c "
  set -u; ip link set lo up; pids=''
  /usr/sbin/sshd -D -e -f '$work/sshd_config' -p 22 2>'$work/sshd.log' & pids=\"\$pids \$!\"
  /usr/sbin/nginx -p '$work' -c '$work/nginx.conf' & pids=\"\$pids \$!\"
  /usr/sbin/vsftpd '$work/vsftpd.conf' & pids=\"\$pids \$!\"
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --dir '$work' >/dev/null & pids=\"\$pids \$!\"
  mariadb-install-db --no-defaults --datadir='$work/mysql' --user=root --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
  mariadbd --no-defaults --datadir='$work/mysql' --socket='$work/mysql.sock' --pid-file='$work/mysql.pid' --port=3306 --bind-address=127.0.0.1 --user=root >'$work/mysql.log' 2>&1 & pids=\"\$pids \$!\"
  for port in ${ports//,/ } 9100; do for i in \$(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/\$port) 2>/dev/null && break; sleep 0.1; done; done
  timed() { local name=\$1; shift; local start=\$(date +%s.%N); \"\$@\" >/dev/null 2>'$work/err' || { cat '$work/err'; exit 1; }; local end=\$(date +%s.%N)
    printf '%s %.2f\n' \"\$name\" \$(echo \"\$end - \$start\" | bc) >> '$work/times'; }
  for run in \$(seq $runs); do
    timed portscan-own   '$bin/portscan' scan 127.0.0.1 -p $ports -sV -oX '$work/portscan-own-'\$run.xml --no-progress
    timed nmap-nmaps     nmap -n -Pn -sT -sV -p $ports -oX '$work/nmap-nmaps-'\$run.xml 127.0.0.1
    timed portscan-nmaps '$bin/portscan' scan 127.0.0.1 -p $ports -sV --version-db '$nmapdb' -oX '$work/portscan-nmaps-'\$run.xml --no-progress
    timed nmap-own       nmap -n -Pn -sT -sV -p $ports --datadir '$work/nmapdata' --versiondb '$owndb' -oX '$work/nmap-own-'\$run.xml 127.0.0.1
  done
  echo
  echo 'Loading the database in a worker: the worker alone on 9100 (excluded by both files: read and parsed, nothing probed),'
  echo 'from opening the file to writing the port'\''s service message (strace -tt, seccomp-filtered so only those two calls stop the worker), median and range of $loads runs:'
  for build in $builds; do for db in own nmaps; do
    printf '%-50s %-6s ' \$build \$db
    bash '$work/load.sh' \$build/portscan-worker $loads '$work/strace' ${worker[*]} --ports 9100 --version-intensity 7 \$([ \$db = own ] || echo --version-db $nmapdb)
  done; done
  echo
  echo 'The whole scan of that port, with and without -sV (the coordinator checks the database too):'
  hyperfine -N --warmup 3 --runs 20 --style basic --export-markdown '$work/load.md' \
    -n 'portscan, port 9100' \"'$bin/portscan' scan 127.0.0.1 -p 9100 -w 1 --no-progress\" \
    -n 'portscan, port 9100, -sV' \"'$bin/portscan' scan 127.0.0.1 -p 9100 -w 1 -sV --no-progress\" \
    -n 'portscan, port 9100, -sV --version-db nmap' \"'$bin/portscan' scan 127.0.0.1 -p 9100 -w 1 -sV --version-db $nmapdb --no-progress\" >/dev/null
  cat '$work/load.md'
  kill \$pids; wait \$pids
"
python3 - "$work" "$runs" <<'EOF'
import sys, xml.etree.ElementTree as ET
work, runs = sys.argv[1], int(sys.argv[2])
tools = [("portscan-own", "portscan -sV (own)"), ("nmap-nmaps", "nmap -sV (nmap's)"),
         ("portscan-nmaps", "portscan --version-db nmap's"), ("nmap-own", "nmap --versiondb portscan's")]
def services(path):
    found = {}
    for port in ET.parse(path).getroot().iter("port"):
        s = port.find("service")
        if s is None:
            continue
        name = ("ssl/" if s.get("tunnel") == "ssl" else "") + s.get("name", "")
        found[port.get("portid")] = " · ".join([name, s.get("product", "-"), s.get("version", "-"), s.get("extrainfo", "-")])
    return found
results = {t: [services(f"{work}/{t}-{r}.xml") for r in range(1, runs + 1)] for t, _ in tools}
print("\nname · product · version · extra info, from run 1 (* a later run differs: listed below)\n")
print("| port | " + " | ".join(label for _, label in tools) + " |")
print("|---" * (len(tools) + 1) + "|")
ports = sorted({p for t, _ in tools for run in results[t] for p in run}, key=int)
for port in ports:
    cells = []
    for t, _ in tools:
        first = results[t][0].get(port, "(none)")
        cells.append(first + (" *" if any(run.get(port, "(none)") != first for run in results[t][1:]) else ""))
    print(f"| {port}/tcp | " + " | ".join(cells) + " |")
for t, label in tools:
    for r, run in enumerate(results[t][1:], start=2):
        for port in ports:
            if run.get(port, "(none)") != results[t][0].get(port, "(none)"):
                print(f"{label}, run {r}, {port}/tcp: {run.get(port, '(none)')}")
times = {}
for line in open(f"{work}/times"):
    tool, seconds = line.split()
    times.setdefault(tool, []).append(seconds)
print("\n| wall clock, s | " + " | ".join(label for _, label in tools) + " |")
print("|---" * (len(tools) + 1) + "|")
for r in range(runs):
    print(f"| run {r + 1} | " + " | ".join(times[t][r] for t, _ in tools) + " |")
EOF
