// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.EngineConnection;
import dev.mint.spi.ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine behind the connection shell: found as a provider, and its HTTP/2 operations reached
 * through {@link HttpConnection#http2()} write what they queue.
 */
class ConnectionTest {

  /** A transport over byte arrays: what the server sends is queued, what we write is kept. */
  static final class MemoryTransport implements Transport {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    ByteBuffer incoming = ByteBuffer.allocate(0);
    boolean open = true;

    /** Whether the server closes its side once {@link #incoming} is read. */
    boolean endAfterIncoming;

    @Override
    public int read(ByteBuffer dst) {
      if (endAfterIncoming && !incoming.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), incoming.remaining());
      for (int i = 0; i < n; i++) {
        dst.put(incoming.get());
      }
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      long n = 0;
      for (ByteBuffer b : srcs) {
        n += b.remaining();
        while (b.hasRemaining()) {
          written.write(b.get());
        }
      }
      return n;
    }

    @Override
    public int awaitReady(int ops, Duration timeout) {
      return ops;
    }

    @Override
    public Optional<SelectableChannel> selectableChannel() {
      return Optional.empty();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  @Test
  void theProviderIsInstalledUnderH2() throws Exception {
    ProtocolProvider provider = ProviderRegistry.installed().protocol("h2");
    assertInstanceOf(Http2ProtocolProvider.class, provider);
    assertEquals("h2", provider.alpnId());
    assertTrue(
        Http2ProtocolProvider.class.getModule().getDescriptor() == null
            || Http2ProtocolProvider.class.getModule().getDescriptor().provides().stream()
                .anyMatch(p -> p.service().equals(ProtocolProvider.class.getName())));
  }

  @Test
  void http2OperationsWriteThroughTheShell() throws MintException {
    MemoryTransport transport = new MemoryTransport();
    Http2Engine engine = new Http2Engine(Peer.CONTEXT);
    HttpConnection conn = connection(transport, engine);
    assertEquals(Protocol.HTTP2, conn.protocol());
    Http2Operations ops = conn.http2().orElseThrow();
    RequestRef ping = ops.ping();
    byte[] out = transport.written.toByteArray();
    byte[] expected = new PingFrame(false, ping.sequence()).toByteArray();
    byte[] tail = java.util.Arrays.copyOfRange(out, out.length - expected.length, out.length);
    assertEquals(Bytes.of(expected), Bytes.of(tail), "the PING went out with the preface");
    assertTrue(
        Bytes.of(out).slice(0, Http2Engine.PREFACE.length).equals(Bytes.of(Http2Engine.PREFACE)));

    transport.incoming =
        ByteBuffer.wrap(
            Peer.bytes(Peer.settings(), SettingsFrame.ACK, new PingFrame(true, ping.sequence())));
    List<ResponsePart> parts = conn.stream();
    assertEquals(List.of(ping), parts.stream().map(ResponsePart::ref).toList());
    assertInstanceOf(ResponsePart.Pong.class, parts.get(0));
    assertTrue(ops.serverSettingsReceived());
    assertEquals(65_535, ops.connectionSendWindow());

    int before = transport.written.size();
    ops.updateSettings(ops.clientSettings().withInitialWindowSize(1234));
    assertTrue(transport.written.size() > before, "SETTINGS written at once");

    RequestRef ref = conn.request("POST", "/", Headers.empty(), RequestBody.streaming());
    assertEquals(65_535, ops.streamSendWindow(ref).orElseThrow());
    assertEquals(1, ops.openStreamCount());
    assertEquals(
        dev.mint.Http2Options.defaults().connectionWindow(), ops.connectionReceiveWindow());
    assertEquals(
        dev.mint.Http2Options.defaults().initialStreamWindow(),
        ops.streamReceiveWindow(ref).orElseThrow(),
        "the acknowledged SETTINGS_INITIAL_WINDOW_SIZE, not the one in flight");
    conn.close();
    assertTrue(!conn.isOpen());
  }

  @Test
  void aBodyLargerThanTheOutputQueueGoesOutWithoutWaitingForInput() throws Exception {
    MemoryTransport transport = new MemoryTransport();
    Http2Engine engine = new Http2Engine(Peer.CONTEXT);
    HttpConnection conn = connection(transport, engine);
    transport.incoming =
        ByteBuffer.wrap(
            Peer.bytes(
                Peer.settings(
                    Peer.setting(SettingsFrame.INITIAL_WINDOW_SIZE, Http2Limits.MAX_WINDOW)),
                SettingsFrame.ACK,
                new WindowUpdateFrame(0, (int) Http2Limits.MAX_WINDOW - 65_535)));
    assertEquals(List.of(), conn.stream());
    int before = transport.written.size();
    int size = 1 << 20;
    conn.request("PUT", "/", Headers.empty(), RequestBody.of(new byte[size]));
    ByteBuffer out = ByteBuffer.wrap(transport.written.toByteArray());
    out.position(before);
    long data = 0;
    boolean ended = false;
    while (out.hasRemaining()) {
      FrameHeader h = FrameHeader.decode(out);
      Frame f = Frame.decode(h, Bytes.copyOf(out, h.length()));
      if (f instanceof DataFrame d) {
        data += d.data().length();
        ended = d.endStream();
      }
    }
    assertEquals(size, data, "one request() call wrote the whole body");
    assertTrue(ended);
    assertEquals(false, engine.hasOutput());
  }

  @Test
  void afterACloseHttp2QueriesAnswerAndCommandsAreRefused() throws Exception {
    MemoryTransport transport = new MemoryTransport();
    HttpConnection conn = connection(transport, new Http2Engine(Peer.CONTEXT));
    Http2Operations ops = conn.http2().orElseThrow();
    conn.close();
    assertEquals(65_535, ops.connectionSendWindow(), "a query reads the engine's state");
    assertEquals(false, ops.serverSettingsReceived());
    dev.mint.TransportException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.mint.TransportException.class, ops::ping, "a command needs an open connection");
    assertEquals(dev.mint.TransportException.Reason.CLOSED, e.reason());
  }

  @Test
  void requestsLeftOpenByACloseAfterGoAwayReachTheCaller() throws Exception {
    MemoryTransport transport = new MemoryTransport();
    HttpConnection conn = connection(transport, new Http2Engine(Peer.CONTEXT));
    RequestRef answered = conn.request("GET", "/a", Headers.empty(), RequestBody.none());
    RequestRef unanswered = conn.request("GET", "/b", Headers.empty(), RequestBody.none());
    Peer server = new Peer(Split.WHOLE);
    transport.incoming =
        ByteBuffer.wrap(
            Peer.bytes(
                Peer.settings(),
                SettingsFrame.ACK,
                new GoAwayFrame(Integer.MAX_VALUE, 0, Bytes.empty()),
                server.headers(1, true, ":status", "200")));
    assertEquals(
        List.of(answered, answered, answered),
        conn.stream().stream().map(ResponsePart::ref).toList());
    assertTrue(!conn.isOpen(), "no new requests after GOAWAY");
    assertTrue(conn.isOpen(HttpConnection.Direction.READ), "stream 3 may still be answered");
    transport.endAfterIncoming = true;
    List<ResponsePart> parts = conn.recv(Duration.ofSeconds(5));
    assertEquals(List.of(unanswered), parts.stream().map(ResponsePart::ref).toList());
    ResponsePart.RequestError error =
        assertInstanceOf(ResponsePart.RequestError.class, parts.get(0));
    assertEquals(
        dev.mint.HttpException.Reason.PREMATURE_CLOSE,
        ((dev.mint.HttpException) error.error()).reason());
    assertTrue(!conn.isOpen(), "the connection ended with the server's close");
    assertEquals(0, conn.openRequestCount());
  }

  @Test
  void http1ConnectionsHaveNoHttp2Operations() {
    HttpConnection plain =
        (HttpConnection)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpConnection.class},
                (proxy, method, args) -> {
                  if (method.isDefault()) {
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    assertEquals(Optional.empty(), plain.http2());
  }

  /** The shell over {@code engine} and {@code transport}, for https://example.com:443. */
  private static HttpConnection connection(MemoryTransport transport, Http2Engine engine) {
    return new EngineConnection(
        transport, engine, Scheme.HTTPS, "example.com", 443, ConnectOptions.defaults());
  }
}
