// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link StaticResolver}, and the connecting options of {@link ConnectOptions}. */
class ResolverTest {
  private static final InetAddress ONE = address("192.0.2.1");
  private static final InetAddress TWO = address("192.0.2.2");
  private static final InetAddress SIX = address("2001:db8::1");

  @Test
  void aPortEntryWinsOverAnAnyPortEntryAndCaseDoesNotMatter() throws Exception {
    StaticResolver table =
        StaticResolver.empty()
            .with("api.example", StaticResolver.ANY_PORT, ONE)
            .with("API.example", 443, SIX, TWO);
    assertEquals(List.of(SIX, TWO), table.resolve("api.example", 443));
    assertEquals(List.of(ONE), table.resolve("Api.Example", 80));
  }

  @Test
  void aNameWithoutAnEntryFailsUnlessThereIsAFallback() throws Exception {
    StaticResolver table = StaticResolver.empty().with("a.example", 80, ONE);
    assertThrows(UnknownHostException.class, () -> table.resolve("b.example", 80));
    assertThrows(UnknownHostException.class, () -> table.resolve("a.example", 81));
    Resolver fallback = (h, p) -> List.of(TWO);
    assertEquals(List.of(TWO), table.orElse(fallback).resolve("b.example", 80));
    assertEquals(List.of(ONE), table.orElse(fallback).resolve("a.example", 80));
  }

  @Test
  void entriesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> StaticResolver.empty().with("a", 80));
    assertThrows(
        IllegalArgumentException.class, () -> StaticResolver.empty().with("a", 70000, ONE));
  }

  @Test
  void theSystemResolverParsesLiteralsWithoutALookup() throws Exception {
    assertEquals(List.of(ONE), Resolver.system().resolve("192.0.2.1", 80));
  }

  @Test
  void anExplicitResolverWinsOverTheInstalledOnes() {
    Resolver table = StaticResolver.empty().with("a.example", 80, ONE);
    assertSame(table, ConnectOptions.builder().resolver(table).build().resolver());
    assertSame(Resolver.installed(), ConnectOptions.builder().build().resolver());
    assertEquals("Resolver.installed()", Resolver.installed().toString());
  }

  @Test
  void noneInstalledIsTheJdksResolverAndOneInstalledIsThatOne() {
    assertSame(Resolver.system(), InstalledResolver.choose(List.of()));
    Resolver one = (h, p) -> List.of(ONE);
    assertSame(one, InstalledResolver.choose(List.of(one)));
  }

  @Test
  void severalInstalledFailEveryNameNamingThemAll() {
    Resolver chosen = InstalledResolver.choose(List.of(new First(), new Second()));
    UnknownHostException e =
        assertThrows(UnknownHostException.class, () -> chosen.resolve("a.example", 80));
    assertTrue(e.getMessage().contains(First.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(Second.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("ConnectOptions.Builder.resolver"), e.getMessage());
  }

  /** An installed resolver, as a provider would be. */
  static final class First implements Resolver {
    @Override
    public List<InetAddress> resolve(String host, int port) {
      return List.of(ONE);
    }
  }

  /** Another installed resolver. */
  static final class Second implements Resolver {
    @Override
    public List<InetAddress> resolve(String host, int port) {
      return List.of(TWO);
    }
  }

  @Test
  void connectingOptionsHaveDefaultsAndSurviveToBuilder() {
    ConnectOptions d = ConnectOptions.defaults();
    assertSame(Resolver.installed(), d.resolver());
    assertEquals(SocketOptions.defaults(), d.socket());
    assertEquals(Optional.empty(), d.unixSocket());
    assertEquals(Duration.ofMillis(250), d.socket().attemptDelay());

    Resolver table = StaticResolver.empty().with("a", 1, ONE);
    SocketOptions socket = SocketOptions.defaults().withKeepAlive(true).withLocalAddress(ONE);
    ConnectOptions o =
        ConnectOptions.builder()
            .resolver(table)
            .socket(socket)
            .unixSocket(Path.of("/run/app.sock"))
            .build()
            .toBuilder()
            .build();
    assertSame(table, o.resolver());
    assertEquals(socket, o.socket());
    assertEquals(Optional.of(ONE), o.socket().localAddress());
    assertEquals(Optional.of(Path.of("/run/app.sock")), o.unixSocket());
    assertEquals("unix", o.transport());
    assertTrue(o.toString().contains("unixSocket=/run/app.sock"), o.toString());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
