// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.it.servers.OsServers;

/**
 * The HTTP/2 servers of {@code .ci/servers.sh} ({@link OsServers}): nginx and nghttpd, each over
 * TLS with ALPN and over cleartext with prior knowledge.
 */
enum OsH2Endpoint {
  /** nginx, TLS with ALPN h2 and http/1.1. */
  NGINX_TLS("nginx", true, OsServers.NGINX_TLS),
  /** nginx, cleartext with prior knowledge. */
  NGINX_H2C("nginx", false, OsServers.NGINX_H2C),
  /** nghttpd, TLS with ALPN h2. */
  NGHTTPD_TLS("nghttpd", true, OsServers.NGHTTPD_TLS),
  /** nghttpd, cleartext with prior knowledge. */
  NGHTTPD_H2C("nghttpd", false, OsServers.NGHTTPD_H2C);

  /** How the server's {@code server} header starts. */
  final String server;

  final boolean tls;

  /** The key of its address in the servers file. */
  final String key;

  OsH2Endpoint(String server, boolean tls, String key) {
    this.server = server;
    this.tls = tls;
    this.key = key;
  }

  /** A passive HTTP/2 connection to this server. */
  HttpConnection connect() throws MintException {
    OsServers servers = OsServers.current();
    return Http2Connect.open(tls, servers.host(key), servers.port(key), Mode.PASSIVE);
  }
}
