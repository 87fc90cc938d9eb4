// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Origins, requests and configurations: parsing, defaults and the values they refuse. */
class ValuesTest {

  @Test
  void anOriginComesFromAUriWithTheSchemesDefaultPort() {
    assertEquals(
        Origin.of(Scheme.HTTPS, "example.com", 443),
        Origin.of(URI.create("https://Example.COM/x")));
    assertEquals(Origin.of(Scheme.HTTP, "::1", 8080), Origin.of(URI.create("http://[::1]:8080/")));
    assertEquals("http://[::1]:8080", Origin.of(URI.create("http://[::1]:8080/")).toString());
    assertThrows(IllegalArgumentException.class, () -> Origin.of(URI.create("/relative")));
    assertThrows(IllegalArgumentException.class, () -> Origin.of(URI.create("ftp://h/")));
    assertThrows(IllegalArgumentException.class, () -> Origin.of(Scheme.HTTP, "h", 0));
  }

  @Test
  void originsThroughDifferentProxiesDiffer() {
    Origin direct = Origin.of(Scheme.HTTP, "h", 80);
    Origin proxied = direct.withProxy(ProxyOptions.http("proxy", 3128));
    assertTrue(!direct.equals(proxied));
    assertEquals(proxied, direct.withProxy(ProxyOptions.http("proxy", 3128)));
    assertTrue(proxied.viaProxy().isPresent());
  }

  @Test
  void aRequestTakesItsTargetFromTheUri() {
    Request r = Request.get("http://h:81/a/b?q=1&r=%20");
    assertEquals("/a/b?q=1&r=%20", r.target());
    assertEquals("/", Request.get("http://h").target());
    assertEquals("GET", r.method());
    assertTrue(r.optionalBody().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> r.withTimeout(Duration.ZERO));
  }

  @Test
  void aConfigurationRefusesValuesOutOfRange() {
    PoolConfig d = PoolConfig.defaults();
    assertEquals(16, d.maxHttp1Connections());
    assertEquals(2, d.maxHttp2Connections());
    assertEquals(Duration.ofSeconds(30), d.requestTimeout());
    assertTrue(d.maxAge().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().maxHttp1Connections(0));
    assertThrows(
        IllegalArgumentException.class, () -> PoolConfig.builder().idleTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> PoolConfig.builder().connectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> Pool.builder().maxPendingRequests(0));
    PoolConfig changed = d.toBuilder().maxAge(Duration.ofMinutes(5)).build();
    assertEquals(Duration.ofMinutes(5), changed.maxAge().orElseThrow());
    assertEquals(d.maxHttp1Connections(), changed.maxHttp1Connections());
  }

  @Test
  void theDrainTimeoutFollowsTheRequestTimeoutUntilSet() {
    assertEquals(Duration.ofSeconds(30), PoolConfig.defaults().drainTimeout());
    PoolConfig shorter = PoolConfig.builder().requestTimeout(Duration.ofSeconds(5)).build();
    assertEquals(Duration.ofSeconds(5), shorter.drainTimeout());
    PoolConfig set = shorter.toBuilder().drainTimeout(Duration.ofMillis(700)).build();
    assertEquals(Duration.ofMillis(700), set.drainTimeout());
    assertEquals(
        Duration.ofMillis(700),
        set.toBuilder().requestTimeout(Duration.ofMinutes(1)).build().drainTimeout());
    assertEquals(
        Duration.ofMinutes(1),
        set.toBuilder()
            .drainTimeout(null)
            .requestTimeout(Duration.ofMinutes(1))
            .build()
            .drainTimeout());
    assertThrows(
        IllegalArgumentException.class, () -> PoolConfig.builder().drainTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> PoolConfig.builder().drainTimeout(Duration.ofSeconds(-1)));
  }
}
