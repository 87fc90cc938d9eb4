// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.time.Duration;

/** Opens HTTP/2 connections to the local test servers, embedded or started by the OS. */
public final class Http2Connect {
  private Http2Connect() {}

  /**
   * Connects to {@code host:port} speaking HTTP/2: over TLS trusting the test CA (ALPN), or in
   * cleartext with prior knowledge. Any local HTTP/2 server will do; the connection is closed and
   * the test fails when the server does not speak HTTP/2.
   */
  public static HttpConnection open(boolean tls, String host, int port, Mode mode)
      throws MintException {
    ConnectOptions.Builder options =
        ConnectOptions.builder().mode(mode).connectTimeout(Duration.ofSeconds(10));
    HttpConnection conn =
        tls
            ? Mint.connect(
                Scheme.HTTPS, host, port, options.tls(TrustMaterial.trustingTestCa()).build())
            : Mint.connect(Scheme.HTTP, host, port, options.protocols(Protocol.HTTP2).build());
    if (conn.protocol() != Protocol.HTTP2) {
      conn.close();
      throw new AssertionError(host + ":" + port + " did not give HTTP/2 but " + conn.protocol());
    }
    return conn;
  }
}
