// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import org.junit.jupiter.api.Test;

class EngineContextTest {

  private static String authority(Scheme scheme, String host, int port) {
    return new EngineContext(scheme, host, port, ConnectOptions.defaults()).authority();
  }

  @Test
  void defaultPortsAreLeftOut() {
    assertEquals("example.com", authority(Scheme.HTTP, "example.com", 80));
    assertEquals("example.com", authority(Scheme.HTTPS, "example.com", 443));
    assertEquals("example.com:8443", authority(Scheme.HTTPS, "example.com", 8443));
    assertEquals("example.com:443", authority(Scheme.HTTP, "example.com", 443));
  }

  @Test
  void ipv6LiteralsAreBracketed() {
    assertEquals("[::1]:8080", authority(Scheme.HTTP, "::1", 8080));
    assertEquals("[::1]", authority(Scheme.HTTP, "[::1]", 80));
  }

  @Test
  void zoneIdsAreNeverSent() {
    // RFC 6874 §4: the zone id is local to this machine.
    assertEquals("[fe80::1]:8080", authority(Scheme.HTTP, "fe80::1%eth0", 8080));
    assertEquals("127.0.0.1:8080", authority(Scheme.HTTP, "127.0.0.1", 8080));
  }
}
