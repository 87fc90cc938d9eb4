package dev.mint.it.h2;

import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;

/**
 * The HTTP/2 ports of the OS servers ({@link OsServers}): nginx and nghttpd, each over TLS with
 * ALPN and over cleartext with prior knowledge.
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
  final int port;

  OsH2Endpoint(String server, boolean tls, int port) {
    this.server = server;
    this.tls = tls;
    this.port = port;
  }

  /** A passive HTTP/2 connection to this port. */
  HttpConnection connect() throws MintException {
    return OsServers.connectH2(tls, port, Mode.PASSIVE);
  }
}
