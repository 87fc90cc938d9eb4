// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link OsServers} reads the servers file and judges which servers can be used. */
class OsServersTest {
  @TempDir Path dir;

  private OsServers write(String text) throws Exception {
    Path file = dir.resolve(OsServers.FILE_NAME);
    Files.writeString(file, text);
    return OsServers.read(file);
  }

  @Test
  void readsAddressesAndValues() throws Exception {
    OsServers servers =
        write("# a comment\nnginx.h1=127.0.0.1:20001\nsquid.basic.user=mint\nca=/x/ca.pem\n");
    assertEquals(
        InetSocketAddress.createUnresolved("127.0.0.1", 20001),
        servers.address(OsServers.NGINX_H1));
    assertEquals("127.0.0.1", servers.host(OsServers.NGINX_H1));
    assertEquals(20001, servers.port(OsServers.NGINX_H1));
    assertEquals("mint", servers.value(OsServers.SQUID_BASIC_USER));
    assertEquals(Path.of("/x/ca.pem"), servers.caFile());
    assertTrue(servers.find(OsServers.SQUID).isEmpty());
  }

  @Test
  void anAbsentKeyOrAValueThatIsNoAddressIsAnErrorNamingIt() throws Exception {
    OsServers servers = write("squid.basic.user=mint\n");
    IllegalStateException absent =
        assertThrows(IllegalStateException.class, () -> servers.address(OsServers.SQUID));
    assertTrue(absent.getMessage().contains("squid"), absent.getMessage());
    IllegalStateException notAnAddress =
        assertThrows(
            IllegalStateException.class, () -> servers.address(OsServers.SQUID_BASIC_USER));
    assertTrue(notAnAddress.getMessage().contains("HOST:PORT"), notAnAddress.getMessage());
  }

  @Test
  void unavailableNamesAbsentKeysAndSilentAddresses() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
      closed = s.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket(0, 1, loopback)) {
      OsServers servers =
          write(
              "nginx.h1=127.0.0.1:"
                  + open.getLocalPort()
                  + "\nnginx.tls=127.0.0.1:"
                  + closed
                  + "\nsquid.basic.user=mint\n");
      List<String> unavailable =
          servers.unavailable(
              List.of(
                  OsServers.NGINX_H1,
                  OsServers.NGINX_TLS,
                  OsServers.SQUID,
                  OsServers.SQUID_BASIC_USER));
      assertEquals(
          List.of(
              "nginx.tls=127.0.0.1:" + closed + " (nothing accepts connections)", OsServers.SQUID),
          unavailable);
    }
  }

  @Test
  void anAbsentFileNamesNoServerAndTheMessageSaysHowToStartThem() {
    OsServers servers = OsServers.read(dir.resolve("missing.properties"));
    assertEquals(List.of(OsServers.SQUID), servers.unavailable(List.of(OsServers.SQUID)));
    String message = servers.describe(List.of(OsServers.SQUID));
    assertTrue(message.contains("squid"), message);
    assertTrue(message.contains("no such file"), message);
    assertTrue(message.contains(OsServers.START_COMMAND), message);
  }
}
