#!/usr/bin/env bash
# Installs, starts and stops the OS servers of the full test run, on 127.0.0.1 only, each on a free
# port chosen at start.
#
#   .ci/servers.sh install   apt-get install the programs that are missing (root, Debian's packages)
#   .ci/servers.sh start     start every server, wait until each accepts connections, then write
#                            $MINT_SERVERS_DIR/servers.properties (what the tests read) and print it
#   .ci/servers.sh stop      stop the servers a start left running, by the pids it recorded
#
# MINT_SERVERS_DIR (default /tmp/mint-servers) holds everything a start writes: the filled-in
# configurations, documents, pid files (run/), logs (logs/) and servers.properties. The templates
# of the configurations are in .ci/servers/. Started as root, nginx's workers, squid and tinyproxy
# drop to unprivileged users (nobody, proxy): the directory's parents must let them through.
#
# servers.properties (addresses are 127.0.0.1:PORT):
#   nginx.h1            nginx, HTTP/1.1
#   nginx.h2c           nginx, HTTP/2 with prior knowledge
#   nginx.tls           nginx, TLS with ALPN h2 and http/1.1
#   nginx.tls.h1        nginx, TLS with ALPN http/1.1 only
#   nghttpd.tls         nghttpd, TLS with ALPN h2
#   nghttpd.h2c         nghttpd, HTTP/2 with prior knowledge
#   squid               squid, forward proxy and CONNECT, no authentication
#   squid.basic         squid, Basic proxy authentication (squid.basic.user, squid.basic.password)
#   squid.https         squid, the proxy itself over TLS (an HTTPS proxy), no authentication
#   tinyproxy           tinyproxy, forward proxy and CONNECT, no authentication
#   socks5              microsocks, SOCKS5 without authentication
#   socks5.auth         microsocks, SOCKS5 username/password (socks5.auth.user, socks5.auth.password)
#   websockets          python3-websockets, WebSocket echo (/echo, /fragments, /close), cleartext
#   websockets.tls      python3-websockets, the same over TLS
#   ca                  the PEM file of the CA that signed every server certificate
#   tls.hostname        the name the server certificates carry (they also carry IP 127.0.0.1)
# squid forwards and tunnels only to 127.0.0.1 on the origin servers' ports; tinyproxy tunnels
# (CONNECT) only to those ports; microsocks connects anywhere.
#
# Certificates: the test CA and server certificate of transport-tls/src/test/resources/certs.
# Documents: /small.txt, /big.bin (1 GiB of zeros, sparse), /dav/ (nginx: PUT stores, GET returns,
# DELETE removes); nghttpd echoes uploads (--echo-upload) and adds the trailer
# "x-mint-trailer: nghttpd" to every response.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TEMPLATES="$ROOT/.ci/servers"
CERTS="$ROOT/transport-tls/src/test/resources/certs"
DIR=${MINT_SERVERS_DIR:-/tmp/mint-servers}
PROPERTIES="$DIR/servers.properties"

# nginx, squid and the others live in /usr/sbin, not on a non-root user's PATH on Debian.
export PATH="$PATH:/usr/sbin:/sbin"

# The fixed test credentials of the proxies that authenticate.
PROXY_USER=mint
PROXY_PASSWORD=mint-secret

# Each program the servers need, and the Debian package that brings it.
PROGRAMS=(nginx nghttpd squid tinyproxy microsocks)
declare -A PACKAGE_OF=(
  [nginx]=nginx
  [nghttpd]=nghttp2-server
  [squid]=squid
  [tinyproxy]=tinyproxy
  [microsocks]=microsocks
  [python3-websockets]=python3-websockets
)

# Debian's python3 with its websockets module (a python3 earlier on the PATH may lack it).
PYTHON=/usr/bin/python3

# Each server this script starts (the name of its pid file and log), and the program it runs:
# stop checks a recorded pid against it before signalling, so a reused pid is left alone.
declare -A PROGRAM_OF=(
  [nginx]=nginx
  [nghttpd-tls]=nghttpd
  [nghttpd-h2c]=nghttpd
  [squid]=squid
  [tinyproxy]=tinyproxy
  [socks5]=microsocks
  [socks5-auth]=microsocks
  [websockets]=python3
  [websockets-tls]=python3
)

log() { echo "servers.sh: $*" >&2; }

missing_programs() {
  local p
  for p in "${PROGRAMS[@]}"; do
    command -v "$p" >/dev/null || echo "$p"
  done
  "$PYTHON" -c 'import websockets' 2>/dev/null || echo python3-websockets
}

install_packages() {
  local missing packages=() p created_policy=""
  missing=$(missing_programs)
  if [[ -z $missing ]]; then
    log "already installed: ${PROGRAMS[*]}"
    return 0
  fi
  for p in $missing; do packages+=("${PACKAGE_OF[$p]}"); done
  log "installing ${packages[*]}"
  # The packages would start their own nginx, squid and tinyproxy as services on fixed ports; we
  # start ours. A policy-rc.d answering 101 keeps invoke-rc.d from starting them.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=yes
  fi
  export DEBIAN_FRONTEND=noninteractive
  local status=0
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null ||
    status=$?
  if [[ -n $created_policy ]]; then rm -f /usr/sbin/policy-rc.d; fi
  # A package script that cannot do its work in a container may fail the install although the
  # programs are in place: judge by the programs.
  if ((status != 0)); then log "apt-get reported status $status; checking the programs"; fi
  missing=$(missing_programs)
  if [[ -n $missing ]]; then
    log "still missing after the install: $missing"
    return 1
  fi
}

# The helper squid runs to check Basic credentials against a password file.
basic_ncsa_auth() {
  local f
  for f in /usr/lib/squid/basic_ncsa_auth /usr/lib64/squid/basic_ncsa_auth \
    /usr/libexec/squid/basic_ncsa_auth; do
    if [[ -x $f ]]; then
      echo "$f"
      return 0
    fi
  done
  log "squid's basic_ncsa_auth helper is missing (Debian package squid: /usr/lib/squid)"
  return 1
}

# Ports handed out by this start, so that two servers never get the same one.
TAKEN=" "

# Sets the variable named $1 to a port of 127.0.0.1 on which nothing listens. The ports come from
# 20000-32767, below Linux's default range of ephemeral ports (32768-60999), so an outgoing
# connection does not take one between this check and the server's bind.
pick_port() {
  local i p
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + (RANDOM % 12768)))
    [[ $TAKEN == *" $p "* ]] && continue
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
    TAKEN+="$p "
    printf -v "$1" '%s' "$p"
    return 0
  done
  log "no free port found in 200 tries"
  return 1
}

# Fills template $1 of .ci/servers into $2: every @NAME@ becomes the value of the shell variable
# NAME. A placeholder left without a value fails the start.
fill() {
  local template="$TEMPLATES/$1" out=$2 text name
  # Bash 5.2 would put the matched text in place of an '&' of a replacement value.
  shopt -u patsub_replacement 2>/dev/null || true
  text=$(<"$template")
  for name in $(grep -o '@[A-Z0-9_]*@' "$template" | sort -u | tr -d @); do
    if [[ -z ${!name+set} ]]; then
      log "$1: no value for @$name@"
      return 1
    fi
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" >"$out"
}

# Starts server $1 running the command that follows, in the background in its own session, with
# stdout and stderr in logs/$1.out; its pid goes to run/$1.pid. Every server runs in the foreground
# (no daemon mode), so the pid recorded is the server's own.
spawn() {
  local name=$1
  shift
  setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$DIR/run/$name.pid" "$@" \
    </dev/null >"$DIR/logs/$name.out" 2>&1 &
}

pid_of() {
  local f="$DIR/run/$1.pid" i
  # The pid file is written by the spawned shell just before it execs the server.
  for ((i = 0; i < 50; i++)); do
    if [[ -s $f ]]; then
      cat "$f"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

print_logs() {
  local f
  for f in "$DIR/logs/$1"*; do
    [[ -f $f ]] || continue
    echo "---- $f" >&2
    tail -n 50 "$f" >&2
  done
}

# Waits until server $1 accepts TCP connections on 127.0.0.1:$2 (at most 30 s); fails with its
# logs when it exits or does not listen in time.
wait_listening() {
  local name=$1 port=$2 pid i
  if ! pid=$(pid_of "$name"); then
    log "$name: no pid file"
    print_logs "$name"
    return 1
  fi
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) exited before listening on 127.0.0.1:$port"
      print_logs "$name"
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "$name (pid $pid): nothing listens on 127.0.0.1:$port after 30 s"
  print_logs "$name"
  return 1
}

prepare_dir() {
  mkdir -p "$DIR/www/dav" "$DIR/tmp" "$DIR/logs" "$DIR/run" "$DIR/tls" "$DIR/squid"
  rm -f "$DIR"/logs/* "$DIR"/run/*
  # When started as root, nginx's workers, squid and tinyproxy drop to unprivileged users: they
  # must be able to store uploads, write their logs and pid files and read the key.
  chmod a+rwx "$DIR/www/dav" "$DIR/tmp" "$DIR/logs" "$DIR/run" "$DIR/squid"
  printf 'hello from the mint test server\n' >"$DIR/www/small.txt"
  [[ -f $DIR/www/big.bin ]] || truncate -s 1G "$DIR/www/big.bin"
  cat "$CERTS/server.pem" "$CERTS/ca.pem" >"$DIR/tls/server-chain.pem"
  # The test key is public (see the certificates' README); squid reads it after dropping root.
  install -m 644 "$CERTS/server.key" "$DIR/tls/server.key"
}

start_nginx() {
  fill nginx.conf.in "$DIR/nginx.conf"
  spawn nginx nginx -c "$DIR/nginx.conf" -p "$DIR"
}

start_nghttpd() {
  local common=(--echo-upload "--trailer=x-mint-trailer: nghttpd" -d "$DIR/www" -a 127.0.0.1)
  spawn nghttpd-tls nghttpd "${common[@]}" "$NGHTTPD_TLS" \
    "$DIR/tls/server.key" "$DIR/tls/server-chain.pem"
  spawn nghttpd-h2c nghttpd "${common[@]}" --no-tls "$NGHTTPD_H2C"
}

start_squid() {
  BASIC_NCSA_AUTH=$(basic_ncsa_auth)
  # basic_ncsa_auth reads htpasswd lines; openssl writes the Apache MD5 form it understands.
  printf '%s:%s\n' "$PROXY_USER" "$(openssl passwd -apr1 "$PROXY_PASSWORD")" >"$DIR/squid/passwd"
  chmod 644 "$DIR/squid/passwd"
  fill squid.conf.in "$DIR/squid.conf"
  # -N: in the foreground, one process (no kid to track); squid drops root to its proxy user.
  spawn squid squid -N -f "$DIR/squid.conf"
}

start_tinyproxy() {
  USER_LINES=""
  if [[ $(id -u) -eq 0 ]]; then
    # As root tinyproxy needs users to drop to.
    USER_LINES=$'User nobody\nGroup nogroup'
  fi
  CONNECT_PORTS=$(printf 'ConnectPort %s\n' $ORIGIN_PORTS)
  fill tinyproxy.conf.in "$DIR/tinyproxy.conf"
  spawn tinyproxy tinyproxy -d -c "$DIR/tinyproxy.conf"
}

start_socks5() {
  spawn socks5 microsocks -i 127.0.0.1 -p "$SOCKS5"
  spawn socks5-auth microsocks -i 127.0.0.1 -p "$SOCKS5_AUTH" -u "$PROXY_USER" -P "$PROXY_PASSWORD"
}

start_websockets() {
  spawn websockets "$PYTHON" "$TEMPLATES/websockets-echo.py" "$WEBSOCKETS"
  spawn websockets-tls "$PYTHON" "$TEMPLATES/websockets-echo.py" "$WEBSOCKETS_TLS" \
    "$DIR/tls/server-chain.pem" "$DIR/tls/server.key"
}

write_properties() {
  local tmp="$PROPERTIES.tmp"
  cat >"$tmp" <<PROPERTIES
# Written by .ci/servers.sh start; removed by .ci/servers.sh stop.
nginx.h1=127.0.0.1:$NGINX_H1
nginx.h2c=127.0.0.1:$NGINX_H2C
nginx.tls=127.0.0.1:$NGINX_TLS
nginx.tls.h1=127.0.0.1:$NGINX_TLS_H1
nghttpd.tls=127.0.0.1:$NGHTTPD_TLS
nghttpd.h2c=127.0.0.1:$NGHTTPD_H2C
squid=127.0.0.1:$SQUID
squid.basic=127.0.0.1:$SQUID_BASIC
squid.basic.user=$PROXY_USER
squid.basic.password=$PROXY_PASSWORD
squid.https=127.0.0.1:$SQUID_HTTPS
tinyproxy=127.0.0.1:$TINYPROXY
socks5=127.0.0.1:$SOCKS5
socks5.auth=127.0.0.1:$SOCKS5_AUTH
socks5.auth.user=$PROXY_USER
socks5.auth.password=$PROXY_PASSWORD
websockets=127.0.0.1:$WEBSOCKETS
websockets.tls=127.0.0.1:$WEBSOCKETS_TLS
ca=$CERTS/ca.pem
tls.hostname=localhost
PROPERTIES
  mv "$tmp" "$PROPERTIES"
}

start() {
  local missing
  missing=$(missing_programs)
  if [[ -n $missing ]]; then
    log "not installed: $(echo $missing) (run: bash .ci/servers.sh install)"
    return 1
  fi
  stop
  prepare_dir
  # A server that fails to start fails the script: stop the others again.
  trap stop EXIT
  local v
  for v in NGINX_H1 NGINX_H2C NGINX_TLS NGINX_TLS_H1 NGHTTPD_TLS NGHTTPD_H2C \
    SQUID SQUID_BASIC SQUID_HTTPS TINYPROXY SOCKS5 SOCKS5_AUTH WEBSOCKETS WEBSOCKETS_TLS; do
    pick_port "$v"
  done
  ORIGIN_PORTS="$NGINX_H1 $NGINX_H2C $NGINX_TLS $NGINX_TLS_H1 $NGHTTPD_TLS $NGHTTPD_H2C"

  start_nginx
  start_nghttpd
  start_squid
  start_tinyproxy
  start_socks5
  start_websockets
  wait_listening nginx "$NGINX_H1"
  wait_listening nginx "$NGINX_H2C"
  wait_listening nginx "$NGINX_TLS"
  wait_listening nginx "$NGINX_TLS_H1"
  wait_listening nghttpd-tls "$NGHTTPD_TLS"
  wait_listening nghttpd-h2c "$NGHTTPD_H2C"
  wait_listening squid "$SQUID"
  wait_listening squid "$SQUID_BASIC"
  wait_listening squid "$SQUID_HTTPS"
  wait_listening tinyproxy "$TINYPROXY"
  wait_listening socks5 "$SOCKS5"
  wait_listening socks5-auth "$SOCKS5_AUTH"
  wait_listening websockets "$WEBSOCKETS"
  wait_listening websockets-tls "$WEBSOCKETS_TLS"
  write_properties
  trap - EXIT
  cat "$PROPERTIES"
}

# Stops server $1 by the pid a start recorded: SIGTERM, then SIGKILL after 10 s.
stop_server() {
  local name=$1 f="$DIR/run/$1.pid" pid i
  [[ -s $f ]] || return 0
  pid=$(<"$f")
  rm -f "$f"
  if [[ ! $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != "${PROGRAM_OF[$name]}" ]]; then
    log "$name: pid $pid now runs another program; left alone"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) still runs 10 s after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  local name
  rm -f "$PROPERTIES"
  for name in "${!PROGRAM_OF[@]}"; do
    stop_server "$name"
  done
}

case "${1:-}" in
  install) install_packages ;;
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 install|start|stop" >&2
    exit 2
    ;;
esac
