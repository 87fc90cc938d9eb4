// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import static dev.mint.it.proxy.Exchanges.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.ServedDocuments;
import dev.mint.it.servers.OsServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the tests through the real proxies share: the origins of {@code .ci/servers.sh} behind a
 * tunnel, the options of a connection through a proxy, and the check of {@code /small.txt}.
 */
final class OsProxyCases {
  /** Three requests for the small document, sent at once. */
  static final List<String> THREE_SMALL = List.of("/small.txt", "/small.txt", "/small.txt");

  private OsProxyCases() {}

  /**
   * An origin server reached through a proxy tunnel, and the protocol the connection must speak.
   */
  enum TunnelTarget {
    /** nginx over TLS: ALPN selects h2. */
    NGINX_TLS_H2(Scheme.HTTPS, OsServers.NGINX_TLS, Set.of(), Protocol.HTTP2, "nginx"),
    /** nginx over TLS, the connection allowed only HTTP/1.1. */
    NGINX_TLS_H1(
        Scheme.HTTPS, OsServers.NGINX_TLS, Set.of(Protocol.HTTP1), Protocol.HTTP1, "nginx"),
    /** nghttpd over TLS: ALPN selects h2. */
    NGHTTPD_TLS(Scheme.HTTPS, OsServers.NGHTTPD_TLS, Set.of(), Protocol.HTTP2, "nghttpd"),
    /**
     * nghttpd in cleartext, HTTP/2 with prior knowledge: an HTTP proxy cannot forward HTTP/2, so
     * this tunnels too.
     */
    NGHTTPD_H2C(
        Scheme.HTTP, OsServers.NGHTTPD_H2C, Set.of(Protocol.HTTP2), Protocol.HTTP2, "nghttpd"),
    /** nginx in cleartext, HTTP/1.1 (an HTTP proxy tunnels it only when asked to). */
    NGINX_H1(Scheme.HTTP, OsServers.NGINX_H1, Set.of(), Protocol.HTTP1, "nginx");

    private final Scheme scheme;
    private final String key;
    private final Set<Protocol> allowed;
    private final Protocol spoken;
    private final String server;

    TunnelTarget(Scheme scheme, String key, Set<Protocol> allowed, Protocol spoken, String server) {
      this.scheme = scheme;
      this.key = key;
      this.allowed =
          allowed.isEmpty() ? Set.copyOf(ConnectOptions.defaults().protocols()) : allowed;
      this.spoken = spoken;
      this.server = server;
    }

    /** Connects through {@code proxy}; the tunnel must be up. */
    HttpConnection connect(Mode mode, ProxyOptions proxy) throws Exception {
      HttpConnection conn =
          OsProxyCases.connect(scheme, key, options(mode, proxy).protocols(allowed).build());
      assertTrue(conn.proxyResponse().orElseThrow().isSuccess(), conn.proxyResponse().toString());
      return conn;
    }

    /** Checks the protocol, then gets {@code /small.txt} three times at once. */
    List<Responses.Received> getSmallThreeTimes(Mode mode, HttpConnection conn) throws IOException {
      assertEquals(spoken, conn.protocol(), "ALPN or prior knowledge through the tunnel");
      List<Responses.Received> responses = Exchanges.getAll(mode, conn, THREE_SMALL);
      assertSmallTxtFrom(server, responses);
      return responses;
    }
  }

  /** Every combination of one value of each dimension, the first dimension varying slowest. */
  static Stream<Arguments> combinations(Object[]... dimensions) {
    Stream<List<Object>> rows = Stream.of(List.of());
    for (Object[] dimension : dimensions) {
      rows =
          rows.flatMap(
              row ->
                  Arrays.stream(dimension)
                      .map(
                          value -> {
                            List<Object> longer = new ArrayList<>(row);
                            longer.add(value);
                            return longer;
                          }));
    }
    return rows.map(row -> Arguments.of(row.toArray()));
  }

  static OsServers servers() {
    return OsServers.current();
  }

  /** TLS trusting the test CA, which signed the origins' and squid's certificates. */
  static TlsOptions trustingTestCa() {
    return TlsOptions.defaults().withCaCertificatesPem(servers().caFile());
  }

  /** A proxy of the servers file; an HTTPS one trusted with the test CA. */
  static ProxyOptions proxyAt(String key, ProxyOptions.Kind kind) {
    ProxyOptions proxy = ProxyOptions.of(kind, servers().host(key), servers().port(key));
    return kind == ProxyOptions.Kind.HTTPS ? proxy.withTls(trustingTestCa()) : proxy;
  }

  /** The options of a connection through {@code proxy}, in {@code mode}, trusting the test CA. */
  static ConnectOptions.Builder options(Mode mode, ProxyOptions proxy) {
    return ConnectOptions.builder()
        .mode(mode)
        .connectTimeout(WAIT)
        .tls(trustingTestCa())
        .proxy(proxy);
  }

  /** Connects to the server of {@code key}. */
  static HttpConnection connect(Scheme scheme, String key, ConnectOptions options)
      throws Exception {
    return Mint.connect(scheme, servers().host(key), servers().port(key), options);
  }

  /** Each response is 200 with the small document, from a server whose name starts so. */
  static void assertSmallTxtFrom(String server, List<Responses.Received> responses) {
    for (Responses.Received r : responses) {
      assertEquals(200, r.status(), r.headers().toString());
      assertEquals(ServedDocuments.SMALL_TXT, r.text());
      assertTrue(r.headers().get("server").startsWith(server), r.headers().toString());
    }
  }
}
