// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Protocol;
import dev.mint.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  @Test
  void findsProvidersByKey() throws Exception {
    var tcp = new FakeProviders.Transports("tcp");
    var tls = new FakeProviders.Transports("tls");
    var h1 = new FakeProviders.Engines(Protocol.HTTP1);
    ProviderRegistry r = ProviderRegistry.of(List.of(tcp, tls), List.of(h1));
    assertSame(tcp, r.transport("tcp"));
    assertSame(tls, r.transport("tls"));
    assertSame(h1, r.protocol("http/1.1"));
    assertTrue(r.hasTransport("tls"));
    assertFalse(r.hasTransport("tunnel"));
    assertTrue(r.hasProtocol("http/1.1"));
    assertFalse(r.hasProtocol("h2"));
    assertEquals("ProviderRegistry[transports=[tcp, tls], protocols=[http/1.1]]", r.toString());
  }

  @Test
  void duplicateTransportNamesBothClasses() {
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () ->
                ProviderRegistry.of(
                    List.of(
                        new FakeProviders.Transports("tcp"),
                        new FakeProviders.OtherTransports("tcp")),
                    List.of()));
    assertEquals(ProviderException.Reason.DUPLICATE_PROVIDER, e.reason());
    assertTrue(e.getMessage().contains("'tcp'"), e.getMessage());
    assertTrue(e.getMessage().contains(FakeProviders.Transports.class.getName()), e.getMessage());
    assertTrue(
        e.getMessage().contains(FakeProviders.OtherTransports.class.getName()), e.getMessage());
  }

  @Test
  void duplicateProtocolNamesBothClasses() {
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () ->
                ProviderRegistry.of(
                    List.of(),
                    List.of(
                        new FakeProviders.Engines(Protocol.HTTP2),
                        new FakeProviders.OtherEngines("h2"))));
    assertEquals(ProviderException.Reason.DUPLICATE_PROVIDER, e.reason());
    assertTrue(e.getMessage().contains("'h2'"), e.getMessage());
    assertTrue(e.getMessage().contains(FakeProviders.Engines.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(FakeProviders.OtherEngines.class.getName()), e.getMessage());
  }

  @Test
  void sameKeyInTransportsAndProtocolsIsNoConflict() throws Exception {
    ProviderRegistry r =
        ProviderRegistry.of(
            List.of(new FakeProviders.Transports("h2")),
            List.of(new FakeProviders.Engines(Protocol.HTTP2)));
    assertTrue(r.hasTransport("h2") && r.hasProtocol("h2"));
  }

  @Test
  void missingTransportListsWhatIsInstalled() throws Exception {
    ProviderRegistry r =
        ProviderRegistry.of(List.of(new FakeProviders.Transports("tcp")), List.of());
    ProviderException e = assertThrows(ProviderException.class, () -> r.transport("tls"));
    assertEquals(ProviderException.Reason.NO_TRANSPORT_PROVIDER, e.reason());
    assertTrue(e.detail().contains("'tls'"), e.detail());
    assertTrue(e.detail().contains("[tcp]"), e.detail());
    assertTrue(e.detail().contains("mint-transport-tls"), e.detail());
  }

  @Test
  void missingProtocol() throws Exception {
    ProviderRegistry r =
        ProviderRegistry.of(List.of(), List.of(new FakeProviders.Engines(Protocol.HTTP1)));
    ProviderException e = assertThrows(ProviderException.class, () -> r.protocol("h2"));
    assertEquals(ProviderException.Reason.NO_PROTOCOL_PROVIDER, e.reason());
    assertTrue(e.detail().contains("'h2'"), e.detail());
    assertTrue(e.detail().contains("[http/1.1]"), e.detail());
    assertTrue(e.detail().contains("add mint-protocol-h2 (or mint-all"), e.detail());
  }

  @Test
  void installedIsFoundOnceAndHoldsNoProvidersInThisModule() throws Exception {
    // spi itself provides no transport or protocol; installed() must still load cleanly.
    ProviderRegistry installed = ProviderRegistry.installed();
    assertSame(installed, ProviderRegistry.installed());
    assertEquals(
        ProviderException.Reason.NO_TRANSPORT_PROVIDER,
        assertThrows(ProviderException.class, () -> installed.transport("tcp")).reason());
  }
}
