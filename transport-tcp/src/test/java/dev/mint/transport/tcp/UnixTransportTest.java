// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code unix} transport against a Unix domain socket listener in a temporary folder. */
@Timeout(20)
class UnixTransportTest {
  @TempDir Path dir;

  @Test
  void aReadShortOfItsRoomIsDrained() throws Exception {
    Path path = dir.resolve("drained.sock");
    try (ServerSocketChannel server = listen(path);
        Transport t = new UnixTransportProvider().open(context(path));
        SocketChannel peer = server.accept()) {
      peer.write(ByteBuffer.wrap(new byte[10]));
      assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5)));
      assertEquals(4, t.read(ByteBuffer.allocate(4)));
      assertFalse(t.lastReadDrained(), "a read that filled its room may have left more");
      assertEquals(6, t.read(ByteBuffer.allocate(100)));
      assertTrue(t.lastReadDrained(), "six of a hundred: the socket held no more");
    }
  }

  @Test
  void connectsAndMovesBytesBothWays() throws Exception {
    Path path = dir.resolve("http.sock");
    try (ServerSocketChannel server = listen(path);
        Transport t = new UnixTransportProvider().open(context(path));
        SocketChannel peer = server.accept()) {
      assertTrue(t.isOpen());
      assertFalse(((SocketChannel) t.selectableChannel().orElseThrow()).isBlocking());
      assertEquals(path, ((UnixTransport) t).path());
      ByteBuffer out = ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        t.write(new ByteBuffer[] {out});
      }
      ByteBuffer got = ByteBuffer.allocate(4);
      while (got.hasRemaining()) {
        peer.read(got);
      }
      assertEquals("ping", new String(got.array(), StandardCharsets.US_ASCII));
      peer.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
      assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5)));
      ByteBuffer in = ByteBuffer.allocate(16);
      while (in.position() < 4) {
        t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5));
        t.read(in);
      }
      assertEquals("pong", new String(in.array(), 0, 4, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void aStaleSocketFileIsRefused() throws Exception {
    Path path = dir.resolve("stale.sock");
    listen(path).close(); // the file stays, nothing listens
    assertTrue(Files.exists(path));
    TransportException e =
        assertThrows(
            TransportException.class, () -> new UnixTransportProvider().open(context(path)));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
  }

  @Test
  void noFileIsAnIoErrorNamingThePath() {
    Path path = dir.resolve("missing.sock");
    TransportException e =
        assertThrows(
            TransportException.class, () -> new UnixTransportProvider().open(context(path)));
    assertTrue(
        e.reason() == TransportException.Reason.IO_ERROR
            || e.reason() == TransportException.Reason.CONNECTION_REFUSED,
        e.getMessage());
    assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
  }

  @Test
  void withoutAPathItSaysWhatToSet() {
    TransportException e =
        assertThrows(
            TransportException.class,
            () ->
                new UnixTransportProvider()
                    .open(context(ConnectOptions.defaults(), Optional.empty())));
    assertTrue(e.getMessage().contains("unixSocket"), e.getMessage());
  }

  @Test
  void theOptionSelectsTheUnixTransport() {
    Path path = dir.resolve("x.sock");
    assertEquals("tcp", ConnectOptions.defaults().transport());
    assertEquals("unix", ConnectOptions.builder().unixSocket(path).build().transport());
    assertEquals(
        "mine", ConnectOptions.builder().transport("mine").unixSocket(path).build().transport());
    assertEquals("unix", new UnixTransportProvider().name());
  }

  private static ServerSocketChannel listen(Path path) throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    return server;
  }

  private static TransportContext context(Path path) {
    return context(ConnectOptions.builder().unixSocket(path).build(), Optional.empty());
  }

  private static TransportContext context(ConnectOptions options, Optional<Transport> inner) {
    return new TransportContext(
        Scheme.HTTP,
        "origin.test",
        80,
        "origin.test",
        options,
        Deadline.after(Duration.ofSeconds(5)),
        inner,
        List.of());
  }
}
