// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One response as the Mint client saw it, gathered from passive-mode {@code recv}: what the tests
 * of the fixture assert on.
 *
 * @param interims the interim (1xx) status codes, in order
 * @param status the final status, or 0 when none came
 * @param headers the final headers
 * @param body every body byte
 * @param dataParts how many {@code Data} parts carried the body
 * @param trailers the trailers
 * @param error the request's or the connection's error, or null
 */
record Exchange(
    List<Integer> interims,
    int status,
    Headers headers,
    byte[] body,
    int dataParts,
    Headers trailers,
    MintException error) {

  /** How long one {@code recv} waits. */
  static final Duration RECV = Duration.ofSeconds(10);

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The four ways to reach the server. */
  enum Via {
    HTTP1,
    H2C,
    TLS_HTTP1,
    TLS_H2;

    /** A passive connection to {@code server} this way. */
    HttpConnection connect(MockServer server) throws MintException {
      return switch (this) {
        case HTTP1 -> http1(server);
        case H2C -> h2c(server);
        case TLS_HTTP1 -> tls(server, Protocol.HTTP1);
        case TLS_H2 -> tls(server, Protocol.HTTP2);
      };
    }
  }

  /** Cleartext HTTP/1.1 to the server. */
  static HttpConnection http1(MockServer server) throws MintException {
    return Mint.connect(Scheme.HTTP, server.host(), server.port(), options().build());
  }

  /** Cleartext HTTP/2 with prior knowledge. */
  static HttpConnection h2c(MockServer server) throws MintException {
    return Mint.connect(
        Scheme.HTTP, server.host(), server.port(), options().protocols(Protocol.HTTP2).build());
  }

  /** TLS, ALPN offering {@code protocols}, trusting the server's generated authority. */
  static HttpConnection tls(MockServer server, Protocol first, Protocol... rest)
      throws MintException {
    TlsOptions tls = TlsOptions.defaults().withTrustStore(server.certificate().trustStore());
    return Mint.connect(
        Scheme.HTTPS,
        "localhost",
        server.port(),
        options().protocols(first, rest).tls(tls).build());
  }

  private static ConnectOptions.Builder options() {
    return ConnectOptions.builder().mode(Mode.PASSIVE).connectTimeout(Duration.ofSeconds(10));
  }

  /** Sends {@code GET target} and gathers its response. */
  static Exchange get(HttpConnection conn, String target) throws MintException {
    return recv(conn, conn.request("GET", target, Headers.empty(), RequestBody.none()));
  }

  /**
   * Receives until {@code ref} is done or fails; a connection failure becomes {@link #error()} too.
   * At most 10 000 calls of {@code recv}, each waiting at most {@link #RECV}.
   */
  static Exchange recv(HttpConnection conn, RequestRef ref) {
    List<Integer> interims = new ArrayList<>();
    int status = 0;
    Headers headers = Headers.empty();
    Headers trailers = Headers.empty();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int dataParts = 0;
    for (int call = 0; call < 10_000; call++) {
      List<ResponsePart> parts;
      MintException failure = null;
      try {
        parts = conn.recv(RECV);
      } catch (MintException e) {
        parts = e.partsBeforeFailure();
        failure = e;
      }
      for (ResponsePart part : parts) {
        if (!part.ref().equals(ref)) {
          continue;
        }
        if (part instanceof ResponsePart.Status s) {
          if (s.code() < 200) {
            interims.add(s.code());
          } else {
            status = s.code();
          }
        } else if (part instanceof ResponsePart.Headers h && status >= 200) {
          headers = h.headers();
        } else if (part instanceof ResponsePart.Data d) {
          body.writeBytes(d.bytes().toByteArray());
          dataParts++;
        } else if (part instanceof ResponsePart.Trailers t) {
          trailers = t.trailers();
        } else if (part instanceof ResponsePart.Done) {
          return new Exchange(
              interims, status, headers, body.toByteArray(), dataParts, trailers, null);
        } else if (part instanceof ResponsePart.RequestError e) {
          failure = e.error();
        }
      }
      if (failure != null) {
        return new Exchange(
            interims, status, headers, body.toByteArray(), dataParts, trailers, failure);
      }
    }
    throw new AssertionError("no end of the response after 10 000 calls of recv");
  }
}
