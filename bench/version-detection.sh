#!/usr/bin/env bash
# -sV side by side with nmap -sV, in one run, on the same real services: Debian's vsftpd, OpenSSH,
# nginx (plain and TLS, a self-signed certificate made here), MariaDB and Redis, started on their
# usual ports in a private network namespace (unshare -rn) and stopped at the end. Three scans a run,
# alternating: portscan -sV with its own database, portscan -sV with nmap's file (--version-db), and
# nmap -sV with its own file. Prints each one's PORT/SERVICE/VERSION lines and wall-clock time.
# usage: bench/version-detection.sh [RUNS]
#   needs nmap, openssl, openssh-server, nginx, mariadb-server, redis-server, vsftpd (apt-get install ...)
set -euo pipefail
cd "$(dirname "$0")/.."
db=/usr/share/nmap/nmap-service-probes
runs=${1:-3}
source bench/build.sh
echo "$(nmap --version | head -1); nmap's probe file $db"
for p in openssh-server nginx mariadb-server redis-server vsftpd; do printf '%s %s; ' "$p" "$(dpkg-query -W -f='${Version}' $p)"; done; echo

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
printf 'HostKey %s/host_key\nPidFile none\nUsePAM no\nListenAddress 127.0.0.1\n' "$work" > "$work/sshd_config"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
mkdir -p "$work/www" "$work/empty" && echo portscan > "$work/www/index.html"
cat > "$work/nginx.conf" <<EOF
user root root; daemon off; master_process off; pid $work/nginx.pid; error_log $work/nginx.log;
events {}
http { access_log off; client_body_temp_path $work/b; proxy_temp_path $work/p; fastcgi_temp_path $work/f; uwsgi_temp_path $work/u; scgi_temp_path $work/s;
  server { listen 127.0.0.1:80; root $work/www; }
  server { listen 127.0.0.1:443 ssl; ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem; root $work/www; } }
EOF
printf 'listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port=21\nbackground=NO\nanonymous_enable=NO\nlocal_enable=YES\nrun_as_launching_user=YES\nseccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\nsecure_chroot_dir=%s/empty\n' "$work" > "$work/vsftpd.conf"

ports=21,22,80,443,3306,6379
unshare -rn bash -c "
  set -u; ip link set lo up; pids=''
  /usr/sbin/sshd -D -e -f '$work/sshd_config' -p 22 2>'$work/sshd.log' & pids=\"\$pids \$!\"
  /usr/sbin/nginx -p '$work' -c '$work/nginx.conf' & pids=\"\$pids \$!\"
  /usr/sbin/vsftpd '$work/vsftpd.conf' & pids=\"\$pids \$!\"
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --dir '$work' >/dev/null & pids=\"\$pids \$!\"
  mariadb-install-db --no-defaults --datadir='$work/mysql' --user=root --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
  mariadbd --no-defaults --datadir='$work/mysql' --socket='$work/mysql.sock' --pid-file='$work/mysql.pid' --port=3306 --bind-address=127.0.0.1 --user=root >'$work/mysql.log' 2>&1 & pids=\"\$pids \$!\"
  for port in ${ports//,/ }; do for i in \$(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/\$port) 2>/dev/null && break; sleep 0.1; done; done
  timed() { local start=\$(date +%s.%N); \"\$@\" > '$work/out' 2>&1; local end=\$(date +%s.%N); grep -E '^[0-9]+/tcp' '$work/out'; printf 'time: %.2f s\n' \$(echo \"\$end - \$start\" | bc); }
  for run in \$(seq $runs); do
    echo \"--- run \$run: portscan -sV (its own database)\"; timed '$bin/portscan' scan 127.0.0.1 -p $ports -sV --no-progress
    echo \"--- run \$run: portscan -sV --version-db (nmap's file)\"; timed '$bin/portscan' scan 127.0.0.1 -p $ports -sV --version-db '$db' --no-progress
    echo \"--- run \$run: nmap -sV\";     timed nmap -n -Pn -sT -sV -p $ports 127.0.0.1
  done
  kill \$pids; wait \$pids
" | tee "$out/version-detection.txt"
