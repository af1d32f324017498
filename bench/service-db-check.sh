#!/usr/bin/env bash
# Checks portscan's service probe database against real services, with nmap itself as the judge.
#
#   sudo bench/service-db-check.sh [--db FILE] [--only ssh,nginx,...] [--moved] [--keep] [--list]
#
# It makes a private network, PID and mount namespace (so nothing here is reachable from outside,
# /run is private, and every daemon dies with the namespace), starts each installed service in the
# foreground on its own loopback port, runs `nmap -sV --versiondb FILE` on those ports, and prints a
# table: what nmap reports with the database beside what the Debian package says it installed.
# Services whose package is not installed are listed as skipped. --moved scans the TCP services a
# second time on port+30000 (socat forwarders), where no probe's ports line names them, so the
# probes are chosen by rarity as for a service on an unusual port. --keep leaves the services
# running until interrupted (the command to enter the namespace is printed) to capture what a
# service sends with bench/service-grab.py. Needs root (the daemons run as their own users).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
db="$here/../Worker/ServiceDetection/portscan-service-probes"
only="" keep=0 list=0 moved=0
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$(realpath "$2"); shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    --keep) keep=1; shift ;;
    --moved) moved=1; shift ;;
    --list) list=1; shift ;;
    --inside) inside=1; shift ;;
    *) echo "usage: $0 [--db FILE] [--only svc,svc] [--moved] [--keep] [--list]" >&2; exit 2 ;;
  esac
done

if [ "${inside:-0}" != 1 ] && [ "$list" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "service-db-check: needs root (daemons run as their own users)" >&2; exit 2; }
  command -v nmap > /dev/null || { echo "service-db-check: nmap is not installed" >&2; exit 2; }
  args=(--db "$db" --inside)
  [ -n "$only" ] && args+=(--only "${only:1:-1}")
  [ "$keep" = 1 ] && args+=(--keep)
  [ "$moved" = 1 ] && args+=(--moved)
  exec unshare --net --pid --mount --fork --mount-proc "$0" "${args[@]}"
fi

# ---- one entry per service: name|proto/port|Debian package|binary that must exist ----
services=(
  "ssh|T:22|openssh-server|/usr/sbin/sshd"
  "nginx|T:80|nginx|/usr/sbin/nginx"
  "nginx-tls|T:443|nginx|/usr/sbin/nginx"
  "apache|T:8081|apache2|/usr/sbin/apache2"
  "lighttpd|T:8082|lighttpd|/usr/sbin/lighttpd"
  "python-http|T:8000|python3|/usr/bin/python3"
  "caddy|T:8083|caddy|/usr/bin/caddy"
  "vsftpd|T:21|vsftpd|/usr/sbin/vsftpd"
  "proftpd|T:2121|proftpd-core|/usr/sbin/proftpd"
  "pure-ftpd|T:2122|pure-ftpd|/usr/sbin/pure-ftpd"
  "postfix|T:25|postfix|/usr/sbin/postfix"
  "exim|T:2525|exim4-daemon-light|/usr/sbin/exim4"
  "dovecot|T:110,143,993,995|dovecot-core|/usr/sbin/dovecot"
  "mariadb|T:3306|mariadb-server|/usr/sbin/mariadbd"
  "postgresql|T:5432|postgresql-15|/usr/lib/postgresql/15/bin/postgres"
  "redis|T:6379|redis-server|/usr/bin/redis-server"
  "memcached|T:11211|memcached|/usr/bin/memcached"
  "mosquitto|T:1883|mosquitto|/usr/sbin/mosquitto"
  "rabbitmq|T:5672|rabbitmq-server|/usr/lib/rabbitmq/bin/rabbitmq-server"
  "slapd|T:389|slapd|/usr/sbin/slapd"
  "dnsmasq|T:53,U:53|dnsmasq-base|/usr/sbin/dnsmasq"
  "bind9|T:5300,U:5300|bind9|/usr/sbin/named"
  "ntpsec|U:123|ntpsec|/usr/sbin/ntpd"
  "snmpd|U:161|snmpd|/usr/sbin/snmpd"
  "rsync|T:873|rsync|/usr/bin/rsync"
  "telnetd|T:23|telnetd|/usr/sbin/telnetd"
  "vnc|T:5901|tigervnc-standalone-server|/usr/bin/Xtigervnc"
  "xvfb|T:6002|xvfb|/usr/bin/Xvfb"
  "samba|T:445,U:137|samba|/usr/sbin/smbd"
  "kamailio|T:5060,U:5060|kamailio|/usr/sbin/kamailio"
  "ngircd|T:6667|ngircd|/usr/sbin/ngircd"
  "prosody|T:5222|prosody|/usr/bin/prosody"
  "git-daemon|T:9418|git|/usr/lib/git-core/git-daemon"
  "nats|T:4222|nats-server|/usr/sbin/nats-server"
  "squid|T:3128|squid|/usr/sbin/squid"
  "tinyproxy|T:8888|tinyproxy|/usr/bin/tinyproxy"
  "haproxy|T:8084|haproxy|/usr/sbin/haproxy"
  "varnish|T:6081|varnish|/usr/sbin/varnishd"
  "dante|T:1080|dante-server|/usr/sbin/danted"
  "microsocks|T:1081|microsocks|/usr/bin/microsocks"
  "openvpn|T:1194|openvpn|/usr/sbin/openvpn"
  "openvpn-udp|U:1194|openvpn|/usr/sbin/openvpn"
  "rpcbind|T:111|rpcbind|/usr/sbin/rpcbind"
  "beanstalkd|T:11300|beanstalkd|/usr/bin/beanstalkd"
  "gearmand|T:4730|gearman-job-server|/usr/sbin/gearmand"
  "svnserve|T:3690|subversion|/usr/bin/svnserve"
  "apt-cacher-ng|T:3142|apt-cacher-ng|/usr/sbin/apt-cacher-ng"
  "mpd|T:6600|mpd|/usr/bin/mpd"
  "gst-rtsp|T:8554|gir1.2-gst-rtsp-server-1.0|/usr/lib/x86_64-linux-gnu/girepository-1.0/GstRtspServer-1.0.typelib"
  "xrdp|T:3389|xrdp|/usr/sbin/xrdp"
  "upsd|T:3493|nut-server|/lib/nut/upsd"
  "icecast|T:8010|icecast2|/usr/bin/icecast2"
  "inspircd|T:6668|inspircd|/usr/sbin/inspircd"
  "unbound|T:5301,U:5301|unbound|/usr/sbin/unbound"
  "cups|T:631|cups-daemon|/usr/sbin/cupsd"
  "zookeeper|T:2181|zookeeperd|/usr/share/zookeeper/bin/zkServer.sh"
  "privoxy|T:8118|privoxy|/usr/sbin/privoxy"
  "dropbear|T:2222|dropbear-bin|/usr/sbin/dropbear"
  "gunicorn|T:8085|gunicorn|/usr/bin/gunicorn"
  "werkzeug|T:8086|python3-werkzeug|/usr/lib/python3/dist-packages/werkzeug/__init__.py"
  "h2o|T:8088|h2o|/usr/bin/h2o"
  "mini-httpd|T:8089|mini-httpd|/usr/sbin/mini_httpd"
  "jetty|T:8090|jetty9|/usr/share/jetty9/start.jar"
  "tomcat|T:8091|tomcat10|/usr/share/tomcat10/bin/catalina.sh"
  "redis-sentinel|T:26379|redis-server|/usr/bin/redis-server"
  "pgbouncer|T:6432|pgbouncer|/usr/sbin/pgbouncer"
  "knot|T:5302,U:5302|knot|/usr/sbin/knotd"
  "pdns|T:5303,U:5303|pdns-server|/usr/sbin/pdns_server"
  "munin-node|T:4949|munin-node|/usr/sbin/munin-node"
  "uvicorn|T:8092|python3-uvicorn|/usr/lib/python3/dist-packages/uvicorn/__init__.py"
  "php|T:8093|php8.2-cli|/usr/bin/php"
  "tornado|T:8087|python3-tornado|/usr/lib/python3/dist-packages/tornado/__init__.py"
)

if [ "$list" = 1 ]; then printf '%s\n' "${services[@]}" | cut -d'|' -f1-3 | tr '|' '\t'; exit 0; fi

# ---- inside the namespaces from here on: PID 1 is this shell, which reaps what it starts ----
ip link set lo up
mount -t tmpfs tmpfs /run
mkdir -p /run/lock
w=$(mktemp -d /tmp/service-db-check.XXXXXX)
chmod 755 "$w"
mkdir -p "$w/www" "$w/log"
echo '<html><body>portscan service-db-check</body></html>' > "$w/www/index.html"
pids=()

# Stop every daemon and wait for it, however the script ends: this shell is PID 1 of the
# namespace, so it also reaps the children daemons forked on their own, and the kernel ends
# whatever is left when it exits.
stop_all() {
  kill "${pids[@]}" 2> /dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$w"
}
trap stop_all EXIT

# A self-signed certificate for the TLS services (nginx 443, dovecot 993/995, openvpn).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -keyout "$w/tls.key" -out "$w/tls.crt" 2> /dev/null
chmod 644 "$w/tls.key"

run() { # name, command...: start a foreground daemon, its output in $w/log/name.log
  local name=$1; shift
  # Its own session: some daemons (Samba's) signal their whole process group when they stop,
  # which would otherwise reach this script and the shell that started it.
  setsid "$@" > "$w/log/$name.log" 2>&1 &
  pids+=($!)
}

start_ssh() {
  mkdir -p /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$w/ssh_host_ed25519_key"
  run ssh /usr/sbin/sshd -D -e -f /dev/null -o ListenAddress=127.0.0.1:22 \
    -o HostKey="$w/ssh_host_ed25519_key" -o PidFile=none
}
nginx_conf() { # port, extra listen options, extra server lines
  cat << EOF
daemon off; pid $w/nginx-$1.pid; error_log stderr; events {}
http { access_log off; client_body_temp_path $w/nb$1; proxy_temp_path $w/np$1;
  fastcgi_temp_path $w/nf$1; uwsgi_temp_path $w/nu$1; scgi_temp_path $w/ns$1;
  server { listen 127.0.0.1:$1 $2; root $w/www; $3 } }
EOF
}
start_nginx() { nginx_conf 80 "" "" > "$w/nginx-80.conf"; run nginx /usr/sbin/nginx -c "$w/nginx-80.conf"; }
start_nginx-tls() {
  nginx_conf 443 ssl "ssl_certificate $w/tls.crt; ssl_certificate_key $w/tls.key;" > "$w/nginx-443.conf"
  run nginx-tls /usr/sbin/nginx -c "$w/nginx-443.conf"
}
start_apache() {
  cat > "$w/apache2.conf" << EOF
ServerName localhost
ServerRoot /etc/apache2
Listen 127.0.0.1:8081
PidFile $w/apache2.pid
DefaultRuntimeDir $w
Mutex file:$w default
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
TypesConfig /etc/mime.types
ServerTokens OS
User www-data
Group www-data
ErrorLog /dev/stderr
DocumentRoot $w/www
<Directory $w/www>
  Require all granted
</Directory>
EOF
  run apache /usr/sbin/apache2 -DFOREGROUND -f "$w/apache2.conf"
}
start_lighttpd() {
  cat > "$w/lighttpd.conf" << EOF
server.document-root = "$w/www"
server.bind = "127.0.0.1"
server.port = 8082
server.errorlog = "$w/log/lighttpd-error.log"
index-file.names = ( "index.html" )
EOF
  run lighttpd /usr/sbin/lighttpd -D -f "$w/lighttpd.conf"
}
start_python-http() { run python-http /usr/bin/python3 -m http.server 8000 --bind 127.0.0.1 --directory "$w/www"; }
start_caddy() {
  printf '{\n admin off\n auto_https off\n}\nhttp://127.0.0.1:8083 {\n respond "portscan"\n}\n' > "$w/Caddyfile"
  run caddy env HOME="$w" XDG_DATA_HOME="$w" XDG_CONFIG_HOME="$w" \
    /usr/bin/caddy run --config "$w/Caddyfile" --adapter caddyfile
}
start_vsftpd() {
  mkdir -p /run/vsftpd/empty
  printf 'listen=YES\nlisten_address=127.0.0.1\nlisten_port=21\nbackground=NO\nanonymous_enable=NO\nlocal_enable=YES\nsecure_chroot_dir=/run/vsftpd/empty\n' > "$w/vsftpd.conf"
  run vsftpd /usr/sbin/vsftpd "$w/vsftpd.conf"
}
start_proftpd() {
  cat > "$w/proftpd.conf" << EOF
ServerType standalone
DefaultAddress 127.0.0.1
Port 2121
User nobody
Group nogroup
PidFile $w/proftpd.pid
ScoreboardFile $w/proftpd.scoreboard
DelayTable none
WtmpLog off
UseReverseDNS off
EOF
  run proftpd "$x/usr/sbin/proftpd" -n -q -c "$w/proftpd.conf"
}
start_pure-ftpd() { run pure-ftpd "$x/usr/sbin/pure-ftpd" -S 127.0.0.1,2122 -E -A; }
start_postfix() {
  cp -r /etc/postfix "$w/postfix"
  postconf -c "$w/postfix" -e inet_interfaces=127.0.0.1 inet_protocols=ipv4 \
    "data_directory=$w/postfix-data" myhostname=mail.portscan.test
  mkdir -p "$w/postfix-data" && chown postfix "$w/postfix-data"
  run postfix /usr/sbin/postfix -c "$w/postfix" start-fg
}
start_exim() {
  id Debian-exim > /dev/null 2>&1 || return 1 # its user, made by exim4-base's postinst
  mkdir -p "$w/exim-spool" "$w/exim-log" && chown Debian-exim "$w/exim-spool" "$w/exim-log"
  printf 'primary_hostname = mail.portscan.test\nspool_directory = %s/exim-spool\nlog_file_path = %s/exim-log/%%s.log\nacl_smtp_rcpt = acl_check_rcpt\nbegin acl\nacl_check_rcpt:\n  deny\n' "$w" "$w" > "$w/exim.conf"
  run exim "$x/usr/sbin/exim4" -bdf -oX 2525 -oP "$w/exim.pid" -C "$w/exim.conf"
}
start_dovecot() {
  cat > "$w/dovecot.conf" << EOF
protocols = imap pop3
listen = 127.0.0.1
base_dir = $w/dovecot-run
log_path = /dev/stderr
ssl = yes
ssl_cert = <$w/tls.crt
ssl_key = <$w/tls.key
mail_location = maildir:$w/mail/%u
passdb {
  driver = static
  args = password=portscan-check
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$w/mail/%u
}
EOF
  run dovecot /usr/sbin/dovecot -F -c "$w/dovecot.conf"
}
start_mariadb() {
  mariadb-install-db --datadir="$w/mysql" --user=root --auth-root-authentication-method=normal \
    --skip-test-db > "$w/log/mariadb-install.log" 2>&1
  run mariadb /usr/sbin/mariadbd --no-defaults --datadir="$w/mysql" --user=root \
    --socket="$w/mysql.sock" --pid-file="$w/mysql.pid" --bind-address=127.0.0.1 --port=3306 \
    --skip-name-resolve
}
start_postgresql() {
  mkdir -p "$w/pg" "$w/pgsock" && chown postgres "$w/pg" "$w/pgsock"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$w/pg" -U postgres > "$w/log/initdb.log" 2>&1
  run postgresql runuser -u postgres -- /usr/lib/postgresql/15/bin/postgres -D "$w/pg" \
    -h 127.0.0.1 -p 5432 -k "$w/pgsock"
}
start_redis() {
  run redis /usr/bin/redis-server --port 6379 --bind 127.0.0.1 --daemonize no --save '' --dir "$w"
}
start_memcached() { run memcached /usr/bin/memcached -u nobody -l 127.0.0.1 -p 11211 -U 0; }
start_mosquitto() {
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n' > "$w/mosquitto.conf"
  run mosquitto /usr/sbin/mosquitto -c "$w/mosquitto.conf"
}
start_rabbitmq() {
  mkdir -p "$w/rabbitmq" && chown rabbitmq "$w/rabbitmq"
  run rabbitmq runuser -u rabbitmq -- env HOME="$w/rabbitmq" RABBITMQ_MNESIA_BASE="$w/rabbitmq/mnesia" \
    RABBITMQ_LOG_BASE="$w/rabbitmq" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
    RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_DIST_PORT=25672 \
    /usr/lib/rabbitmq/bin/rabbitmq-server
}
start_slapd() {
  mkdir -p "$w/ldap" && chown openldap "$w/ldap"
  cat > "$w/slapd.conf" << EOF
include /etc/ldap/schema/core.schema
pidfile $w/ldap/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "dc=portscan,dc=test"
directory $w/ldap
EOF
  run slapd /usr/sbin/slapd -d 0 -u openldap -g openldap -h ldap://127.0.0.1:389/ -f "$w/slapd.conf"
}
start_dnsmasq() {
  run dnsmasq /usr/sbin/dnsmasq -k -C /dev/null --port=53 --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts --user=nobody --pid-file="$w/dnsmasq.pid"
}
start_bind9() {
  mkdir -p "$w/named" && chown bind "$w/named"
  printf 'options { directory "%s/named"; listen-on port 5300 { 127.0.0.1; }; listen-on-v6 { none; }; pid-file none; recursion no; };\n' "$w" > "$w/named.conf"
  run bind9 /usr/sbin/named -f -u bind -c "$w/named.conf"
}
start_ntpsec() {
  # No time sources: ntpd never disciplines the clock, it only answers.
  printf 'driftfile %s/ntp.drift\n' "$w" > "$w/ntp.conf"
  run ntpsec /usr/sbin/ntpd -n -c "$w/ntp.conf" -p "$w/ntp.pid"
}
start_snmpd() {
  printf 'rocommunity public 127.0.0.1\n' > "$w/snmpd.conf"
  run snmpd /usr/sbin/snmpd -f -Lo -C -c "$w/snmpd.conf" -p "$w/snmpd.pid" udp:127.0.0.1:161
}
start_rsync() {
  printf 'pid file = %s/rsyncd.pid\nuse chroot = no\n[pub]\n  path = %s/www\n  read only = yes\n' "$w" "$w" > "$w/rsyncd.conf"
  run rsync /usr/bin/rsync --daemon --no-detach --address=127.0.0.1 --port=873 --config="$w/rsyncd.conf"
}
start_telnetd() {
  printf 'telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n' > "$w/inetd.conf"
  run telnetd /usr/sbin/inetutils-inetd -d "$w/inetd.conf"
}
start_vnc() {
  run vnc /usr/bin/Xtigervnc :1 -rfbport 5901 -interface 127.0.0.1 -SecurityTypes None -nolisten tcp
}
start_xvfb() { # X11 on TCP 6002, without access control (-ac), for X11Setup's answer
  run xvfb /usr/bin/Xvfb :2 -listen tcp -ac -nolisten unix
}
start_samba() {
  # nmbd needs a broadcast interface: a veth pair inside the namespace (this kernel has no dummy
  # links), one end with a private-range address. smbd and nmbd bind every address, loopback too.
  ip link add portscan0 type veth peer name portscan1 && ip addr add 198.18.0.1/24 dev portscan0 &&
    ip link set portscan0 up && ip link set portscan1 up
  mkdir -p "$w/samba"/{lock,state,cache,private,pid} /run/samba
  cat > "$w/smb.conf" << EOF
[global]
  interfaces = lo portscan0
  bind interfaces only = no
  smb ports = 445
  lock directory = $w/samba/lock
  state directory = $w/samba/state
  cache directory = $w/samba/cache
  private dir = $w/samba/private
  pid directory = $w/samba/pid
  ncalrpc dir = $w/samba/ncalrpc
  disable spoolss = yes
  load printers = no
EOF
  run samba /usr/sbin/smbd -F --no-process-group --debug-stdout -s "$w/smb.conf"
  run nmbd /usr/sbin/nmbd -F --no-process-group --debug-stdout -s "$w/smb.conf"
}
start_kamailio() {
  cat > "$w/kamailio.cfg" << EOF
#!KAMAILIO
listen=udp:127.0.0.1:5060
listen=tcp:127.0.0.1:5060
children=1
tcp_children=1
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "sl.so"
request_route { sl_send_reply("200", "OK"); }
EOF
  run kamailio /usr/sbin/kamailio -DD -E -f "$w/kamailio.cfg" -P "$w/kamailio.pid" -Y "$w"
}
start_ngircd() {
  printf '[Global]\nName = irc.portscan.test\nInfo = portscan check\nListen = 127.0.0.1\nPorts = 6667\nServerUID = nobody\nServerGID = nogroup\nPidFile = %s/ngircd.pid\n[Options]\nPAM = no\nDNS = no\nIdent = no\n' "$w" > "$w/ngircd.conf"
  run ngircd /usr/sbin/ngircd -n -f "$w/ngircd.conf"
}
start_prosody() {
  mkdir -p "$w/prosody" && chown prosody "$w/prosody"
  cat > "$w/prosody.cfg.lua" << EOF
pidfile = "$w/prosody/prosody.pid"
data_path = "$w/prosody"
daemonize = false
interfaces = { "127.0.0.1" }
c2s_ports = { 5222 }
s2s_ports = { }
log = { { levels = { min = "warn" }, to = "console" } }
modules_enabled = { "disco" }
VirtualHost "localhost"
EOF
  run prosody runuser -u prosody -- /usr/bin/prosody --config "$w/prosody.cfg.lua" -F
}
start_git-daemon() {
  mkdir -p "$w/git" && git init -q --bare "$w/git/portscan.git"
  run git-daemon git daemon --listen=127.0.0.1 --port=9418 --base-path="$w/git" --export-all --reuseaddr
}
start_nats() { run nats /usr/sbin/nats-server -a 127.0.0.1 -p 4222; }
start_squid() {
  printf 'http_port 127.0.0.1:3128\npid_filename %s/squid.pid\ncache_log stdio:%s/log/squid-cache.log\naccess_log none\nhttp_access allow localhost\nhttp_access deny all\ncoredump_dir %s\n' "$w" "$w" "$w" > "$w/squid.conf"
  run squid /usr/sbin/squid -N -f "$w/squid.conf"
}
start_tinyproxy() {
  printf 'User nobody\nGroup nogroup\nPort 8888\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\n' > "$w/tinyproxy.conf"
  run tinyproxy /usr/bin/tinyproxy -d -c "$w/tinyproxy.conf"
}
start_haproxy() {
  printf 'defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend web\n  bind 127.0.0.1:8084\n  default_backend none\nbackend none\n  server down 127.0.0.1:9 disabled\n' > "$w/haproxy.cfg"
  run haproxy /usr/sbin/haproxy -db -f "$w/haproxy.cfg"
}
start_varnish() {
  run varnish /usr/sbin/varnishd -F -a 127.0.0.1:6081 -b 127.0.0.1:9 -n "$w/varnish" -s malloc,16m \
    -T 127.0.0.1:0
}
start_dante() {
  printf 'logoutput: stderr\ninternal: 127.0.0.1 port = 1080\nexternal: lo\nsocksmethod: none\nclientmethod: none\nuser.privileged: root\nuser.unprivileged: nobody\nclient pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\nsocks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n' > "$w/danted.conf"
  run dante /usr/sbin/danted -f "$w/danted.conf" -p "$w/danted.pid"
}
start_microsocks() { run microsocks /usr/bin/microsocks -i 127.0.0.1 -p 1081; }
start_openvpn() {
  run openvpn /usr/sbin/openvpn --mode server --tls-server --proto tcp-server --local 127.0.0.1 \
    --port 1194 --dev tun --ca "$w/tls.crt" --cert "$w/tls.crt" --key "$w/tls.key" --dh none \
    --verb 1
}
start_rpcbind() { run rpcbind /usr/sbin/rpcbind -f; } # -h 127.0.0.1 aborts (double free) in 1.2.6
start_beanstalkd() { run beanstalkd /usr/bin/beanstalkd -l 127.0.0.1 -p 11300; }
start_gearmand() {
  run gearmand /usr/sbin/gearmand -L 127.0.0.1 -p 4730 --log-file=stderr --pid-file="$w/gearmand.pid"
}
start_svnserve() {
  svnadmin create "$w/svn"
  run svnserve /usr/bin/svnserve -d --foreground --listen-host 127.0.0.1 --listen-port 3690 -r "$w/svn"
}
start_apt-cacher-ng() {
  mkdir -p "$w/acng/cache" "$w/acng/log" && chown -R apt-cacher-ng "$w/acng"
  run apt-cacher-ng runuser -u apt-cacher-ng -- /usr/sbin/apt-cacher-ng -c /etc/apt-cacher-ng \
    ForeGround=1 Port=3142 BindAddress=127.0.0.1 CacheDir="$w/acng/cache" LogDir="$w/acng/log" \
    PidFile="$w/acng/pid" SocketPath="$w/acng/socket"
}
start_mpd() {
  mkdir -p "$w/mpd/music"
  printf 'music_directory "%s/mpd/music"\ndb_file "%s/mpd/db"\nstate_file "%s/mpd/state"\nbind_to_address "127.0.0.1"\nport "6600"\nuser "root"\naudio_output {\n type "null"\n name "null"\n}\n' "$w" "$w" "$w" > "$w/mpd.conf"
  run mpd /usr/bin/mpd --no-daemon --stderr "$w/mpd.conf"
}

start_gst-rtsp() {
  run gst-rtsp /usr/bin/python3 -c '
import gi
gi.require_version("Gst", "1.0"); gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer
Gst.init(None)
server = GstRtspServer.RTSPServer(); server.set_address("127.0.0.1"); server.set_service("8554")
factory = GstRtspServer.RTSPMediaFactory(); factory.set_launch("( videotestsrc ! rtpvrawpay name=pay0 )")
server.get_mount_points().add_factory("/test", factory); server.attach(None)
GLib.MainLoop().run()'
}
start_xrdp() {
  mkdir -p /run/xrdp
  [ -s /etc/xrdp/rsakeys.ini ] || return 1 # made by xrdp's postinst (xrdp-keygen)
  run xrdp /usr/sbin/xrdp --nodaemon --port 3389
}
start_upsd() {
  mkdir -p "$w/nut/state"
  printf '[dummy]\n  driver = dummy-ups\n  port = dummy.dev\n' > "$w/nut/ups.conf" # no driver runs: upsd only needs one UPS named
  : > "$w/nut/upsd.users"
  printf 'LISTEN 127.0.0.1 3493\n' > "$w/nut/upsd.conf"
  printf 'MODE=netserver\n' > "$w/nut/nut.conf"
  chown -R nut "$w/nut" && chmod 640 "$w/nut/upsd.users"
  run upsd env NUT_CONFPATH="$w/nut" NUT_STATEPATH="$w/nut/state" /lib/nut/upsd -F -u nut
}
start_icecast() {
  mkdir -p "$w/icecast" && chown icecast2 "$w/icecast"
  sed -e 's|<port>8000</port>|<port>8010</port>|' -e "s|<logdir>[^<]*</logdir>|<logdir>$w/icecast</logdir>|" \
    -e 's|<!-- <bind-address>127.0.0.1</bind-address> -->|<bind-address>127.0.0.1</bind-address>|' \
    /etc/icecast2/icecast.xml > "$w/icecast.xml"
  run icecast runuser -u icecast2 -- /usr/bin/icecast2 -c "$w/icecast.xml"
}
start_inspircd() {
  mkdir -p "$w/inspircd"
  cat > "$w/inspircd/inspircd.conf" << EOF
<server name="irc2.portscan.test" description="portscan check" network="portscan">
<admin name="portscan" nick="portscan" email="portscan@portscan.test">
<bind address="127.0.0.1" port="6668" type="clients">
<connect name="main" allow="*" maxchans="20" timeout="20" pingfreq="120" hardsendq="1M" softsendq="8192" recvq="8K" threshold="10" commandrate="1000" fakelag="on" localmax="10" globalmax="10" useident="no" limit="100" modes="+x">
<pid file="$w/inspircd/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$w/inspircd/ircd.log">
EOF
  chown -R irc "$w/inspircd"
  run inspircd runuser -u irc -- /usr/sbin/inspircd --nofork --config="$w/inspircd/inspircd.conf"
}
start_unbound() {
  printf 'server:\n  interface: 127.0.0.1@5301\n  do-daemonize: no\n  username: ""\n  chroot: ""\n  directory: "%s"\n  pidfile: "%s/unbound.pid"\n  use-syslog: no\n  do-ip6: no\nremote-control:\n  control-enable: no\n' "$w" "$w" > "$w/unbound.conf"
  run unbound /usr/sbin/unbound -d -c "$w/unbound.conf"
}
start_cups() {
  mkdir -p /run/cups/certs
  printf 'Listen 127.0.0.1:631\nWebInterface yes\n<Location />\n  Order allow,deny\n  Allow localhost\n</Location>\n' > "$w/cupsd.conf"
  run cups /usr/sbin/cupsd -f -c "$w/cupsd.conf"
}
start_zookeeper() {
  mkdir -p "$w/zk/data"
  printf 'dataDir=%s/zk/data\nclientPort=2181\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\ntickTime=2000\n' "$w" > "$w/zk/zoo.cfg"
  cp /etc/zookeeper/conf/log4j.properties "$w/zk/" 2> /dev/null || true
  chown -R zookeeper "$w/zk"
  run zookeeper runuser -u zookeeper -- env ZOOCFGDIR="$w/zk" ZOO_LOG_DIR="$w/zk" \
    /usr/share/zookeeper/bin/zkServer.sh start-foreground "$w/zk/zoo.cfg"
}
start_privoxy() {
  printf 'confdir /etc/privoxy\nlogdir %s\nlisten-address 127.0.0.1:8118\n' "$w" > "$w/privoxy.conf"
  run privoxy /usr/sbin/privoxy --no-daemon "$w/privoxy.conf"
}
start_dropbear() {
  dropbearkey -t ed25519 -f "$w/dropbear_ed25519_key" > /dev/null 2>&1
  run dropbear /usr/sbin/dropbear -F -E -p 127.0.0.1:2222 -r "$w/dropbear_ed25519_key"
}
start_gunicorn() {
  printf 'def app(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"portscan"]\n' > "$w/wsgi_app.py"
  run gunicorn /usr/bin/gunicorn --chdir "$w" -b 127.0.0.1:8085 wsgi_app:app
}
start_werkzeug() {
  run werkzeug /usr/bin/python3 -c 'from werkzeug.serving import run_simple
from werkzeug.wrappers import Response
run_simple("127.0.0.1", 8086, Response("portscan"))'
}
start_tornado() {
  run tornado /usr/bin/python3 -c 'import asyncio, tornado.web
class Main(tornado.web.RequestHandler):
    def get(self): self.write("portscan")
async def main():
    tornado.web.Application([("/", Main)]).listen(8087, "127.0.0.1"); await asyncio.Event().wait()
asyncio.run(main())'
}

start_openvpn-udp() {
  run openvpn-udp /usr/sbin/openvpn --mode server --tls-server --proto udp --local 127.0.0.1 \
    --port 1194 --dev tun --ca "$w/tls.crt" --cert "$w/tls.crt" --key "$w/tls.key" --dh none \
    --verb 1
}
start_h2o() {
  printf 'listen:\n  host: 127.0.0.1\n  port: 8088\nhosts:\n  default:\n    paths:\n      /:\n        file.dir: %s/www\n' "$w" > "$w/h2o.conf"
  run h2o /usr/bin/h2o -c "$w/h2o.conf"
}
start_mini-httpd() {
  run mini-httpd /usr/sbin/mini_httpd -D -h 127.0.0.1 -p 8089 -d "$w/www" -u nobody -l "$w/log/mini-httpd-access.log"
}
start_jetty() {
  mkdir -p "$w/jetty/logs" && cp -r /var/lib/jetty9/start.d "$w/jetty/" 2> /dev/null || true
  run jetty java -jar /usr/share/jetty9/start.jar jetty.home=/usr/share/jetty9 jetty.base="$w/jetty" \
    --module=http jetty.http.host=127.0.0.1 jetty.http.port=8090
}
start_tomcat() {
  mkdir -p "$w/tomcat"/{logs,temp,work,webapps}
  cp -r /etc/tomcat10 "$w/tomcat/conf"
  sed -i -e 's/port="8080"/port="8091" address="127.0.0.1"/' -e 's/port="8005"/port="-1"/' "$w/tomcat/conf/server.xml"
  chown -R tomcat "$w/tomcat"
  run tomcat runuser -u tomcat -- env CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE="$w/tomcat" \
    CATALINA_TMPDIR="$w/tomcat/temp" /usr/share/tomcat10/bin/catalina.sh run
}

start_redis-sentinel() {
  printf 'port 26379\nbind 127.0.0.1\ndaemonize no\nsentinel monitor portscan 127.0.0.1 6379 1\n' > "$w/sentinel.conf"
  run redis-sentinel /usr/bin/redis-server "$w/sentinel.conf" --sentinel
}
start_pgbouncer() {
  mkdir -p "$w/pgbouncer"
  printf '"portscan" ""\n' > "$w/pgbouncer/users.txt"
  printf '[databases]\n* = host=127.0.0.1 port=5432\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = 6432\nunix_socket_dir =\nauth_type = trust\nauth_file = %s/pgbouncer/users.txt\n' "$w" > "$w/pgbouncer/pgbouncer.ini"
  chown -R postgres "$w/pgbouncer"
  run pgbouncer runuser -u postgres -- /usr/sbin/pgbouncer "$w/pgbouncer/pgbouncer.ini"
}
start_knot() {
  mkdir -p "$w/knot" && chown knot "$w/knot"
  printf 'server:\n    listen: 127.0.0.1@5302\n    rundir: "%s/knot"\n    user: knot:knot\ndatabase:\n    storage: "%s/knot"\n' "$w" "$w" > "$w/knot/knot.conf"
  run knot /usr/sbin/knotd -c "$w/knot/knot.conf"
}
start_pdns() {
  mkdir -p "$w/pdns" && : > "$w/pdns/pdns.conf" && : > "$w/pdns/named.conf" && chown -R pdns "$w/pdns"
  run pdns /usr/sbin/pdns_server --config-dir="$w/pdns" --guardian=no --daemon=no --disable-syslog \
    --local-address=127.0.0.1 --local-port=5303 --launch=bind --bind-config="$w/pdns/named.conf" \
    --socket-dir="$w/pdns" --setuid=pdns --setgid=pdns
}
start_munin-node() {
  printf 'log_file %s/log/munin-node-file.log\npid_file %s/munin-node.pid\nbackground 0\nsetsid 0\nuser root\ngroup root\nhost_name munin.portscan.test\nallow ^127\\.0\\.0\\.1$\nhost 127.0.0.1\nport 4949\n' "$w" "$w" > "$w/munin-node.conf"
  run munin-node /usr/sbin/munin-node --config "$w/munin-node.conf" --foreground
}
start_uvicorn() {
  printf 'async def app(scope, receive, send):\n    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})\n    await send({"type": "http.response.body", "body": b"portscan"})\n' > "$w/asgi_app.py"
  run uvicorn /usr/bin/python3 -m uvicorn --app-dir "$w" --host 127.0.0.1 --port 8092 asgi_app:app
}
start_php() {
  mkdir -p "$w/php" && printf '<?php echo "portscan";\n' > "$w/php/index.php"
  run php /usr/bin/php -S 127.0.0.1:8093 -t "$w/php"
}

# Packages that conflict with an installed one (the FTP servers, exim4 beside postfix) can still be
# checked from their .deb, fetched with `cd /var/cache/service-db-check && apt-get download PKG`:
# unpacked into the work directory and run from there ($x is that root, empty when installed).
started=() skipped=()
for entry in "${services[@]}"; do
  IFS='|' read -r name ports pkg bin <<< "$entry"
  if [ -n "$only" ] && [[ "$only" != *",$name,"* ]]; then continue; fi
  x=""
  version=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$pkg" 2> /dev/null | sed -n 's/^ii *|//p' || true)
  deb=$(compgen -G "/var/cache/service-db-check/${pkg}_*.deb" | tail -1 || true)
  if [ ! -x "$bin" ] && [ -n "$deb" ]; then
    x="$w/extract/$pkg"
    mkdir -p "$x" && dpkg-deb -x "$deb" "$x"
    version="$(dpkg-deb -f "$deb" Version) (unpacked .deb)"
  fi
  if [ ! -e "$x$bin" ]; then skipped+=("$name ($pkg not installed)"); continue; fi
  if ! "start_$name"; then skipped+=("$name (cannot start here: see start_$name)"); continue; fi
  started+=("$entry|$version")
done

# Wait until every started service listens (slow ones: mariadb, rabbitmq, samba), at most 60 s.
tcp_ports=() udp_ports=()
for entry in "${started[@]}"; do
  IFS='|' read -r name ports pkg bin version <<< "$entry"
  proto=T
  for p in ${ports//,/ }; do
    case "$p" in T:*) proto=T; p=${p#T:} ;; U:*) proto=U; p=${p#U:} ;; esac
    if [ "$proto" = T ]; then tcp_ports+=("$p"); else udp_ports+=("$p"); fi
  done
done
for _ in $(seq 60); do
  listening=$(ss -Hltn | awk '{print $4}' | sed 's/.*://' | sort -u)
  missing=0
  for p in "${tcp_ports[@]}"; do grep -qx "$p" <<< "$listening" || missing=1; done
  [ "$missing" = 0 ] && break
  sleep 1
done

# nmap -sV also runs its NSE "version" scripts (snmp-info, amqp-info, rpcinfo, mqtt-subscribe...),
# which rewrite what the database found. A data directory whose scripts/script.db is empty turns
# them off (nmap finds everything else in its usual directory), so the table shows the database alone.
mkdir -p "$w/nmapdata/scripts" && : > "$w/nmapdata/scripts/script.db"

scan_and_tabulate() { # offset: TCP ports are scanned at port+offset (0, or the --moved forwarders)
  local offset=$1 spec tcp=() p start
  for p in "${tcp_ports[@]}"; do tcp+=($((p + offset))); done
  spec="T:$(IFS=,; echo "${tcp[*]}")"
  if [ "$offset" = 0 ] && [ ${#udp_ports[@]} -gt 0 ]; then spec="$spec,U:$(IFS=,; echo "${udp_ports[*]}")"; fi
  local scan=(-sT -sV -n -Pn --datadir "$w/nmapdata" --versiondb "$db" -p "$spec" -oX "$w/nmap.xml" 127.0.0.1)
  if [[ "$spec" == *U:* ]]; then scan=(-sU "${scan[@]}"); fi
  echo "nmap ${scan[*]}" | sed "s|$w/||g"
  start=$(date +%s.%N)
  nmap "${scan[@]}" > "$w/nmap.txt" 2>&1 || cat "$w/nmap.txt"
  echo "nmap took $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f') s"
  python3 - "$w/nmap.xml" "$offset" "${started[@]}" << 'EOF'
import sys, xml.etree.ElementTree as ET
ports = {}
for p in ET.parse(sys.argv[1]).getroot().iter("port"):
    s = p.find("service"); st = p.find("state").get("state")
    key = ("T" if p.get("protocol") == "tcp" else "U") + ":" + p.get("portid")
    if s is None: ports[key] = (st, "", "", "", ""); continue
    name = ("ssl/" if s.get("tunnel") == "ssl" else "") + s.get("name", "")
    if s.get("method") != "probed": name += " (table)"
    cpe = " ".join(c.text for c in s.findall("cpe"))
    ports[key] = (st, name, s.get("product", ""), s.get("version", ""), "; ".join(x for x in [s.get("extrainfo", ""), cpe] if x))
offset = int(sys.argv[2])
print("| Service | Port | Debian package | nmap: service | product | version | extra info, cpe |")
print("|---|---|---|---|---|---|---|")
for entry in sys.argv[3:]:
    name, spec, pkg, _, ver = entry.split("|")
    proto = "T"
    for p in spec.split(","):
        if ":" in p: proto, p = p.split(":")
        if offset and proto == "U": continue
        shown = int(p) + (offset if proto == "T" else 0)
        st, svc, prod, v, extra = ports.get(f"{proto}:{shown}", ("not scanned", "", "", "", ""))
        if st not in ("open", "open|filtered"): svc = st
        where = f"{p} as {shown}" if offset else p
        print(f"| {name} | {'udp' if proto == 'U' else 'tcp'}/{where} | {pkg} {ver} | {svc} | {prod} | {v} | {extra} |")
EOF
}
scan_and_tabulate 0
if [ "$moved" = 1 ]; then
  # The same TCP services again, forwarded from port+30000 (where no probe lists them), so
  # nmap finds them through the rarity order instead of the probes' ports lines.
  for p in "${tcp_ports[@]}"; do
    socat TCP-LISTEN:$((p + 30000)),bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:"$p" > /dev/null 2>&1 &
    pids+=($!)
  done
  sleep 1
  echo
  scan_and_tabulate 30000
fi
for s in "${skipped[@]}"; do echo "skipped: $s"; done

if [ "$keep" = 1 ]; then
  echo "services kept running; enter with: nsenter -t \$(pgrep -f 'service-db-check.sh.*--inside' | tail -1) -n -p -m"
  echo "work directory: $w (logs in $w/log); stop with Ctrl-C or kill"
  trap 'exit 0' INT TERM
  wait "${pids[@]}" 2> /dev/null || true
fi
