#!/usr/bin/env bash
# Starts and stops the OS-installed servers the full test run uses: nginx and nghttpd, on loopback only.
#
#   .ci/servers.sh install   apt-get install nginx, nghttp2-server (needs root and Debian's packages)
#   .ci/servers.sh start     start them; prints the environment the tests read (also in $DIR/env)
#   .ci/servers.sh stop      stop them
#
# Ports (127.0.0.1):
#   18443 nginx   TLS, ALPN h2 and http/1.1      18080 nginx   cleartext HTTP/2 (prior knowledge)
#   18445 nginx   TLS, ALPN http/1.1 only        18082 nginx   cleartext HTTP/1.1
#   18444 nghttpd TLS, ALPN h2                   18081 nghttpd cleartext HTTP/2 (prior knowledge)
# Certificates: the test CA and server certificate of transport-tls/src/test/resources/certs.
# Documents: /small.txt, /big.bin (1 GiB of zeros, sparse), /dav/ (nginx: PUT stores, GET returns),
# nghttpd echoes uploads (--echo-upload) and adds the trailer "x-mint-trailer: nghttpd" to every
# response.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${MINT_SERVERS_DIR:-/tmp/mint-servers}
CERTS="$ROOT/transport-tls/src/test/resources/certs"

install_packages() {
  if command -v nginx >/dev/null && command -v nghttpd >/dev/null; then
    echo "servers.sh: nginx and nghttpd already installed"
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's plain "nginx" package: it has the ssl, http_v2 and dav modules the tests use.
  # A package script that cannot start a service in a container may fail the install although
  # the programs are in place: judge by the programs.
  apt-get install -y -qq --no-install-recommends nginx nghttp2-server >/dev/null ||
    echo "servers.sh: apt-get install reported an error; checking the programs" >&2
  if ! command -v nginx >/dev/null || ! command -v nghttpd >/dev/null; then
    echo "servers.sh: nginx or nghttpd is missing after the install" >&2
    return 1
  fi
  # The Debian package may start a default nginx on port 80; it is not ours.
  if [ -f /run/nginx.pid ]; then nginx -s quit 2>/dev/null || true; fi
}

wait_port() {
  local port=$1 i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "servers.sh: nothing listens on 127.0.0.1:$port" >&2
  return 1
}

start() {
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR/www/dav" "$DIR/tmp" "$DIR/logs"
  # nginx workers run as an unprivileged user: they must be able to store uploads.
  chmod a+rwx "$DIR/www/dav" "$DIR/tmp"
  printf 'hello from the mint test server\n' >"$DIR/www/small.txt"
  [ -f "$DIR/www/big.bin" ] || truncate -s 1G "$DIR/www/big.bin"
  cat "$CERTS/server.pem" "$CERTS/ca.pem" >"$DIR/server-chain.pem"
  cp "$CERTS/server.key" "$DIR/server.key"

  cat >"$DIR/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $DIR/nginx.pid;
error_log $DIR/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/tmp/body;
  proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi;
  uwsgi_temp_path $DIR/tmp/uwsgi;
  scgi_temp_path $DIR/tmp/scgi;
  default_type application/octet-stream;
  sendfile on;
  http2_max_concurrent_streams 128;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:18443 ssl http2;
    listen 127.0.0.1:18080 http2;
    listen 127.0.0.1:18082;
    server_name localhost;
    ssl_certificate $DIR/server-chain.pem;
    ssl_certificate_key $DIR/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $DIR/www;
    client_max_body_size 0;
    location /dav/ {
      dav_methods PUT DELETE;
      create_full_put_path on;
    }
  }
  server {
    listen 127.0.0.1:18445 ssl;
    server_name localhost;
    ssl_certificate $DIR/server-chain.pem;
    ssl_certificate_key $DIR/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $DIR/www;
  }
}
CONF
  nginx -c "$DIR/nginx.conf" -p "$DIR"
  nghttpd --daemon --echo-upload --trailer="x-mint-trailer: nghttpd" -d "$DIR/www" \
    18444 "$DIR/server.key" "$DIR/server-chain.pem" >"$DIR/logs/nghttpd-tls.log" 2>&1
  nghttpd --daemon --no-tls --echo-upload --trailer="x-mint-trailer: nghttpd" -d "$DIR/www" \
    18081 >"$DIR/logs/nghttpd-h2c.log" 2>&1
  for p in 18443 18080 18082 18445 18444 18081; do wait_port "$p"; done
  cat >"$DIR/env" <<ENV
MINT_NGINX_TLS_PORT=18443
MINT_NGINX_H2C_PORT=18080
MINT_NGINX_H1_PORT=18082
MINT_NGINX_TLS_H1_ONLY_PORT=18445
MINT_NGHTTPD_TLS_PORT=18444
MINT_NGHTTPD_H2C_PORT=18081
ENV
  cat "$DIR/env"
}

stop() {
  if [ -f "$DIR/nginx.pid" ]; then nginx -c "$DIR/nginx.conf" -p "$DIR" -s quit 2>/dev/null || true; fi
  pkill -f "nghttpd --daemon" 2>/dev/null || true
  rm -f "$DIR/env"
}

case "${1:-}" in
  install) install_packages ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
