// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static dev.mint.transport.tls.TestIo.H2_AND_H1;
import static dev.mint.transport.tls.TestIo.open;
import static dev.mint.transport.tls.TestIo.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.Test;

/** The handshake: ALPN, TLS versions, SNI, timeouts and servers that do not speak TLS. */
class TlsHandshakeTest {

  @Test
  void alpnSelectsH2AndOffersExactlyTheGivenList() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("h2", "http/1.1").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals(Optional.of("h2"), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
      assertEquals(List.of("h2", "http/1.1"), server.offeredAlpn());
    }
  }

  @Test
  void alpnFallsBackToHttp1WhenTheServerHasNoH2() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("http/1.1").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals(Optional.of("http/1.1"), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void alpnOffersOnlyWhatItIsGiven() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("http/1.1", "h2").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), List.of("h2"));
      assertEquals(Optional.of("h2"), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
      assertEquals(List.of("h2"), server.offeredAlpn());
    }
  }

  @Test
  void serverRefusingEveryOfferedProtocolIsAlpnNotNegotiated() throws Exception {
    // RFC 7301 §3.2: a server that supports none of the offered protocols answers with the fatal
    // no_application_protocol alert; that is an ALPN failure, not a generic handshake failure.
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("http/1.1").start()) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> open(server.port(), "localhost", trustingTestCa(), List.of("h2")));
      assertEquals(Reason.ALPN_NOT_NEGOTIATED, e.reason(), e.getMessage());
    }
  }

  @Test
  void noAlpnFromTheServerIsEmpty() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals(Optional.empty(), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void noAlpnOfferedIsEmpty() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("h2").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), List.of());
      assertEquals(Optional.empty(), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
      assertTrue(server.offeredAlpn() == null || server.offeredAlpn().isEmpty());
    }
  }

  @Test
  void alpnOffLeavesTheExtensionOutWhateverTheContextLists() throws Exception {
    // TlsOptions.alpn() off promises a ClientHello without ALPN (for servers that break on it),
    // even when the layer below the connector asks for an offer.
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("h2", "http/1.1").start()) {
      TlsTransport t =
          open(server.port(), "localhost", trustingTestCa().withAlpn(false), H2_AND_H1);
      assertEquals(Optional.empty(), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
      assertNull(server.offeredAlpn(), "the server's selector never saw an offer");
    }
  }

  @Test
  void tls13Forced() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t =
          open(
              server.port(),
              "localhost",
              trustingTestCa().withProtocols(List.of("TLSv1.3")),
              H2_AND_H1);
      assertEquals("TLSv1.3", t.sslSession().orElseThrow().getProtocol());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void tls12Forced() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").alpn("h2").start()) {
      TlsTransport t =
          open(
              server.port(),
              "localhost",
              trustingTestCa().withProtocols(List.of("TLSv1.2")),
              H2_AND_H1);
      assertEquals("TLSv1.2", t.sslSession().orElseThrow().getProtocol());
      assertEquals(Optional.of("h2"), t.negotiatedProtocol());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void tls12ServerWithDefaultClient() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").protocols("TLSv1.2").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals("TLSv1.2", t.sslSession().orElseThrow().getProtocol());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void noCommonVersionFails() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").protocols("TLSv1.2").start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  open(
                      inner,
                      server.port(),
                      "localhost",
                      trustingTestCa().withProtocols(List.of("TLSv1.3")),
                      H2_AND_H1,
                      TestIo.TIMEOUT));
      assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
      assertTrue(e.getMessage().contains("localhost:" + server.port()), e.getMessage());
      assertTrue(inner.isClosed());
    }
  }

  @Test
  void sendsSniForAHostName() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      t.close();
      server.awaitDone();
      assertEquals(List.of(new SNIHostName("localhost")), server.sni());
    }
  }

  @Test
  void noSniForAnIpLiteralWhichIsVerifiedAgainstIpSans() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t = open(server.port(), "127.0.0.1", trustingTestCa(), H2_AND_H1);
      t.close();
      server.awaitDone();
      assertEquals(List.of(), server.sni());
    }
  }

  @Test
  void ipv6LiteralIsVerifiedAgainstIpSans() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t = open(server.port(), "::1", trustingTestCa(), H2_AND_H1);
      t.close();
      server.awaitDone();
      assertEquals(List.of(), server.sni());
    }
  }

  @Test
  void handshakeTimesOutWhenTheServerNeverSpeaksTls() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.plain((tls, raw) -> raw.getInputStream().readAllBytes())) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  open(
                      inner,
                      server.port(),
                      "localhost",
                      trustingTestCa(),
                      H2_AND_H1,
                      Duration.ofMillis(300)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(Reason.CONNECT_TIMEOUT, e.reason());
      assertTrue(e.getMessage().contains("localhost:" + server.port()), e.getMessage());
      assertTrue(took.compareTo(Duration.ofMillis(250)) >= 0, "waited " + took);
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "waited " + took);
      assertTrue(inner.isClosed());
      server.awaitDone();
    }
  }

  @Test
  void serverClosingDuringTheHandshakeFails() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.plain(
            (tls, raw) -> {
              raw.shutdownOutput();
              raw.getInputStream().readAllBytes();
            })) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> open(server.port(), "localhost", trustingTestCa(), H2_AND_H1));
      assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
      server.awaitDone();
    }
  }

  @Test
  void serverSpeakingSomethingElseFails() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.plain(
            (tls, raw) -> {
              raw.getOutputStream()
                  .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              raw.getInputStream().readAllBytes();
            })) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> open(server.port(), "localhost", trustingTestCa(), H2_AND_H1));
      assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
      server.awaitDone();
    }
  }

  @Test
  void exposesTheSessionAndChannel() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TlsTransport t =
          open(inner, server.port(), "localhost", trustingTestCa(), H2_AND_H1, TestIo.TIMEOUT);
      assertEquals(Optional.of(inner.channel()), t.selectableChannel());
      assertTrue(t.isOpen());
      assertFalse(t.hasPendingOutput());
      assertNull(server.handshakeError());
      t.close();
      server.awaitDone();
    }
  }
}
