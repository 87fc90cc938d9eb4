// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void connectOptionsDefaultsAreTheDocumentedOnes() {
    ConnectOptions o = ConnectOptions.defaults();
    assertEquals(List.of(Protocol.HTTP2, Protocol.HTTP1), o.protocols(), "h2 first");
    assertEquals(Mode.ACTIVE, o.mode());
    assertEquals(Duration.ofSeconds(30), o.connectTimeout());
    assertEquals(Duration.ofSeconds(30), o.writeTimeout());
    assertTrue(o.autoFlush(), "each sending call writes at once");
    assertFalse(o.borrowBodies(), "body bytes are the caller's to keep");
    assertNull(o.hostname());
    assertEquals("tcp", o.transport());
    assertEquals(ConnectOptions.DEFAULT_USER_AGENT, o.userAgent());
    assertEquals(Http1Options.defaults(), o.http1());
    assertEquals(Http2Options.defaults(), o.http2());
    assertEquals(TlsOptions.defaults(), o.tls());
    assertTrue(o.extensions().isEmpty());
  }

  @Test
  void connectOptionsAreImmutableAndRoundTripThroughTheirBuilder() {
    ConnectOptions.Builder b =
        ConnectOptions.builder()
            .protocols(Protocol.HTTP2)
            .mode(Mode.PASSIVE)
            .hostname("example.com")
            .autoFlush(false)
            .borrowBodies(true)
            .extension("k", 42);
    ConnectOptions o = b.build();
    b.mode(Mode.ACTIVE).protocols(Protocol.HTTP1);
    assertEquals(List.of(Protocol.HTTP2), o.protocols());
    assertEquals(Mode.PASSIVE, o.mode());
    assertThrows(UnsupportedOperationException.class, () -> o.protocols().add(Protocol.HTTP1));
    assertEquals(Integer.valueOf(42), o.extension("k", Integer.class));
    assertNull(o.extension("k", String.class));
    ConnectOptions again = o.toBuilder().build();
    assertEquals(o.toString(), again.toString());
    assertFalse(again.autoFlush());
    assertTrue(again.borrowBodies());
    assertTrue(o.toString().contains("borrowBodies=true"), o.toString());
  }

  @Test
  void connectOptionsRejectNonsense() {
    ConnectOptions.Builder b = ConnectOptions.builder();
    assertThrows(IllegalArgumentException.class, () -> b.connectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.writeTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.protocols(Set.of()));
    assertThrows(IllegalArgumentException.class, () -> b.protocols(List.of()));
    assertThrows(NullPointerException.class, () -> b.protocols(Protocol.HTTP1, (Protocol) null));
    assertThrows(NullPointerException.class, () -> b.mode(null));
  }

  @Test
  void http1OptionsValidateLimitsAndCopyOnChange() {
    assertThrows(
        IllegalArgumentException.class, () -> Http1Options.defaults().withMaxHeaderSectionSize(0));
    assertThrows(
        IllegalArgumentException.class, () -> Http1Options.defaults().withMaxPipelinedRequests(-1));
    Http1Options o = Http1Options.defaults().withPreserveHeaderCase(true).withValidateTarget(false);
    assertTrue(o.preserveHeaderCase());
    assertFalse(o.validateTarget());
    assertFalse(Http1Options.defaults().preserveHeaderCase());
    assertEquals(256 * 1024, Http1Options.defaults().maxHeaderSectionSize());
  }

  @Test
  void http2OptionsValidateRanges() {
    Http2Options d = Http2Options.defaults();
    assertEquals(4 << 20, d.initialStreamWindow());
    assertEquals(16 << 20, d.connectionWindow());
    assertFalse(d.enablePush());
    assertThrows(IllegalArgumentException.class, () -> d.withMaxFrameSize(16_383));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxFrameSize(1 << 24));
    assertThrows(IllegalArgumentException.class, () -> d.withConnectionWindow(1000));
    assertThrows(IllegalArgumentException.class, () -> d.withInitialStreamWindow(-1));
    assertTrue(d.withEnablePush(true).enablePush());
  }

  @Test
  void tlsOptionsAcceptOnlyTls13And12AndCopyPasswords() {
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsOptions.defaults().protocols());
    assertTrue(TlsOptions.defaults().verifyHostname());
    assertFalse(TlsOptions.defaults().insecureTrustAllCertificates());
    assertThrows(
        IllegalArgumentException.class,
        () -> TlsOptions.defaults().withProtocols(List.of("TLSv1.1")));
    assertThrows(
        IllegalArgumentException.class, () -> TlsOptions.defaults().withProtocols(List.of()));
    char[] password = {'s', 'e', 'c'};
    TlsOptions t = TlsOptions.defaults().withClientCertificate(null, password);
    password[0] = 'x';
    assertEquals('s', t.clientKeyPassword()[0]);
    t.clientKeyPassword()[0] = 'y';
    assertEquals('s', t.clientKeyPassword()[0]);
  }

  @Test
  void schemesAndProtocolsParse() {
    assertEquals(Scheme.HTTPS, Scheme.parse("HTTPS"));
    assertEquals(443, Scheme.HTTPS.defaultPort());
    assertThrows(IllegalArgumentException.class, () -> Scheme.parse("ftp"));
    assertEquals(Protocol.HTTP2, Protocol.fromAlpnId("h2"));
    assertNull(Protocol.fromAlpnId("h3"));
  }

  @Test
  void protocolsKeepTheCallersOrder() {
    Protocol echo = Protocol.of("x-echo/1");
    ConnectOptions o =
        ConnectOptions.builder().protocols(echo, Protocol.HTTP1, echo, Protocol.HTTP2).build();
    assertEquals(List.of(echo, Protocol.HTTP1, Protocol.HTTP2), o.protocols(), "first place kept");
    assertEquals(o.protocols(), o.toBuilder().build().protocols());
    assertEquals(
        List.of(Protocol.HTTP1, Protocol.HTTP2),
        ConnectOptions.builder()
            .protocols(List.of(Protocol.HTTP1, Protocol.HTTP2))
            .build()
            .protocols());
  }

  @Test
  void aSetOfProtocolsTakesTheDefaultOrder() {
    Protocol echo = Protocol.of("x-echo/1");
    Protocol abc = Protocol.of("abc");
    ConnectOptions o =
        ConnectOptions.builder()
            .protocols(Set.of(echo, Protocol.HTTP1, abc, Protocol.HTTP2))
            .build();
    assertEquals(List.of(Protocol.HTTP2, Protocol.HTTP1, abc, echo), o.protocols());
  }

  @Test
  void protocolsAreIdentifiedByAlpnId() {
    assertSame(Protocol.HTTP1, Protocol.of("http/1.1"));
    assertSame(Protocol.HTTP2, Protocol.of("h2"));
    Protocol h3 = Protocol.of("h3");
    assertEquals(h3, Protocol.of("h3"));
    assertEquals(h3.hashCode(), Protocol.of("h3").hashCode());
    assertNotEquals(h3, Protocol.HTTP2);
    assertEquals("h3", h3.alpnId());
    assertEquals("h3", h3.toString());
    assertEquals("HTTP2", Protocol.HTTP2.toString(), "as the enum constant read");
    assertEquals("HTTP1", Protocol.HTTP1.name());
    assertThrows(IllegalArgumentException.class, () -> Protocol.of(""));
    assertThrows(IllegalArgumentException.class, () -> Protocol.of("x y"));
    assertThrows(IllegalArgumentException.class, () -> Protocol.of("x".repeat(256)));
    assertEquals(255, Protocol.of("x".repeat(255)).alpnId().length());
  }
}
