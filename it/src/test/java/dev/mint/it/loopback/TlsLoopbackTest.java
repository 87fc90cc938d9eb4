// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Http1Options;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.it.h2.TrustMaterial;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTPS against a raw loopback TLS server whose every record and close the test scripts: how the
 * connection ends (with or without {@code close_notify}) and what the ClientHello offered by ALPN.
 * The server runs the JDK's server-mode {@link SSLSocket} layered over the accepted socket, so it
 * can end the TCP connection under TLS without the alert.
 */
@Timeout(60)
class TlsLoopbackTest {
  private static final String HOST = "127.0.0.1";
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A body with neither content-length nor chunking: only the close ends it (RFC 9112 §6.3). */
  private static final String UNTIL_CLOSE =
      "HTTP/1.1 200 OK\r\nx-test: until-close\r\n\r\nall of it";

  /** How the server ends the connection after its response. */
  private enum End {
    CLOSE_NOTIFY,
    BARE_TCP_CLOSE
  }

  /** What one server connection saw. */
  private static final class Seen {
    /** Each ALPN offer a handshake-time selector saw, in order; none when no offer came. */
    final List<List<String>> alpnOffers = new CopyOnWriteArrayList<>();

    /** The application protocol each handshake ended with ("" for none). */
    final List<String> negotiated = new CopyOnWriteArrayList<>();
  }

  private static SSLContext serverContext() throws Exception {
    return TrustMaterial.serverContext();
  }

  /**
   * A server that answers one request per connection with {@code response} over TLS, then ends as
   * {@code end} says. Its handshake records any ALPN offer and selects HTTP/1.1 when offered.
   */
  private static ScriptedServer tlsServer(String response, End end, Seen seen) throws Exception {
    SSLContext context = serverContext();
    return new ScriptedServer(
        (socket, in, out) -> {
          SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null, false);
          SSLParameters p = tls.getSSLParameters();
          p.setApplicationProtocols(new String[] {"http/1.1"});
          tls.setSSLParameters(p);
          tls.setHandshakeApplicationProtocolSelector(
              (s, offered) -> {
                seen.alpnOffers.add(List.copyOf(offered));
                return offered.contains("http/1.1") ? "http/1.1" : "";
              });
          tls.startHandshake();
          seen.negotiated.add(tls.getApplicationProtocol());
          ScriptedServer.readHead(tls.getInputStream());
          tls.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
          tls.getOutputStream().flush();
          switch (end) {
            case CLOSE_NOTIFY -> tls.close(); // the alert; the socket itself stays open
            case BARE_TCP_CLOSE -> socket.shutdownOutput(); // a FIN under TLS, no alert
          }
          ScriptedServer.awaitClose(socket.getInputStream()); // until the client has closed
        });
  }

  private static ConnectOptions.Builder options() {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .connectTimeout(WAIT)
        .tls(TrustMaterial.trustingTestCa());
  }

  /** Receives until the request is done. */
  private static List<ResponsePart> receiveAll(HttpConnection c) throws MintException {
    return receiveAll(c, new ArrayList<>());
  }

  /**
   * Receives until the request is done, adding every part to {@code into}; on a failure, the parts
   * it carries are added too before it is rethrown.
   */
  private static List<ResponsePart> receiveAll(HttpConnection c, List<ResponsePart> into)
      throws MintException {
    try {
      for (int calls = 0; calls < 10_000; calls++) {
        for (ResponsePart p : c.recv(WAIT)) {
          into.add(p);
          if (p instanceof ResponsePart.Done) {
            return into;
          }
        }
      }
    } catch (MintException e) {
      into.addAll(e.partsBeforeFailure());
      throw e;
    }
    throw new AssertionError("no Done in 10,000 calls: " + into);
  }

  private static String body(List<ResponsePart> parts) {
    StringBuilder b = new StringBuilder();
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Data d) {
        b.append(d.bytes().toString(StandardCharsets.ISO_8859_1));
      }
    }
    return b.toString();
  }

  private static RequestRef get(HttpConnection c) throws MintException {
    return c.request("GET", "/", null, null);
  }

  // ---- RFC 9112 §9.8: a body delimited by the close needs close_notify ----

  @Test
  void bodyUntilCloseEndedByCloseNotifyIsDone() throws Exception {
    try (ScriptedServer server = tlsServer(UNTIL_CLOSE, End.CLOSE_NOTIFY, new Seen());
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, server.port(), options().build())) {
      assertEquals(Protocol.HTTP1, c.protocol());
      RequestRef ref = get(c);
      List<ResponsePart> parts = receiveAll(c);
      assertEquals(new ResponsePart.Status(ref, 200, "OK"), parts.get(0));
      assertEquals("all of it", body(parts));
      assertEquals(new ResponsePart.Done(ref), parts.get(parts.size() - 1));
    }
  }

  @Test
  void bodyUntilCloseEndedWithoutCloseNotifyIsTruncated() throws Exception {
    try (ScriptedServer server = tlsServer(UNTIL_CLOSE, End.BARE_TCP_CLOSE, new Seen());
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, server.port(), options().build())) {
      RequestRef ref = get(c);
      List<ResponsePart> before = new ArrayList<>();
      HttpException e = assertThrows(HttpException.class, () -> receiveAll(c, before));
      assertEquals(HttpException.Reason.TRUNCATED_RESPONSE, e.reason(), e.getMessage());
      assertEquals(HttpException.Fault.PEER, e.fault());
      assertEquals(HttpException.Scope.CONNECTION, e.scope());
      assertEquals(new ResponsePart.Status(ref, 200, "OK"), before.get(0));
      assertEquals("all of it", body(before), "the bytes that did arrive are kept");
      assertFalse(before.stream().anyMatch(p -> p instanceof ResponsePart.Done));
      assertFalse(c.isOpen());
    }
  }

  @Test
  void optionAcceptsABodyUntilCloseWithoutCloseNotify() throws Exception {
    ConnectOptions accepting =
        options().http1(Http1Options.defaults().withAcceptCloseWithoutCloseNotify(true)).build();
    try (ScriptedServer server = tlsServer(UNTIL_CLOSE, End.BARE_TCP_CLOSE, new Seen());
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, server.port(), accepting)) {
      RequestRef ref = get(c);
      List<ResponsePart> parts = receiveAll(c);
      assertEquals("all of it", body(parts));
      assertEquals(new ResponsePart.Done(ref), parts.get(parts.size() - 1));
    }
  }

  // ---- a handshake without ALPN ----

  private static final String SMALL = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

  @Test
  void alpnOffIsAHandshakeWithoutTheExtensionSpeakingHttp1() throws Exception {
    Seen seen = new Seen();
    ConnectOptions noAlpn = options().tls(TrustMaterial.trustingTestCa().withAlpn(false)).build();
    try (ScriptedServer server = tlsServer(SMALL, End.CLOSE_NOTIFY, seen);
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, server.port(), noAlpn)) {
      assertEquals(Protocol.HTTP1, c.protocol());
      RequestRef ref = get(c);
      List<ResponsePart> parts = receiveAll(c);
      assertEquals("ok", body(parts));
      assertEquals(new ResponsePart.Done(ref), parts.get(parts.size() - 1));
    }
    assertEquals(List.of(), seen.alpnOffers, "the ClientHello carried no ALPN extension");
    assertEquals(List.of(""), seen.negotiated);
  }

  @Test
  void alpnOnOffersTheAllowedProtocols() throws Exception {
    // The same server sees the offer when there is one: the check above is not vacuous.
    Seen seen = new Seen();
    try (ScriptedServer server = tlsServer(SMALL, End.CLOSE_NOTIFY, seen);
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, server.port(), options().build())) {
      assertEquals(Protocol.HTTP1, c.protocol());
      get(c);
      assertEquals("ok", body(receiveAll(c)));
    }
    assertEquals(List.of(List.of("h2", "http/1.1")), seen.alpnOffers);
    assertEquals(List.of("http/1.1"), seen.negotiated);
  }

  @Test
  void alpnOffWithoutHttp1AllowedFailsBeforeConnecting() throws Exception {
    ConnectOptions h2Only =
        options().protocols(Protocol.HTTP2).tls(TlsOptions.defaults().withAlpn(false)).build();
    try (ScriptedServer server = tlsServer(SMALL, End.CLOSE_NOTIFY, new Seen())) {
      ProviderException e =
          assertThrows(
              ProviderException.class,
              () -> Mint.connect(Scheme.HTTPS, HOST, server.port(), h2Only).close());
      assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
      assertTrue(e.getMessage().contains("ALPN"), e.getMessage());
      assertEquals(0, server.accepted(), "nothing was connected");
    }
  }
}
