// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fixture's HTTP/2 side against a client that writes raw frames (RFC 9113 §4.1): its answers to
 * PING and SETTINGS, and the GOAWAY codes of the errors it finds.
 */
class MockServerWireTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void answersSettingsAndPing() throws Exception {
    try (MockServer server = MockServer.start();
        RawH2 client = new RawH2(server)) {
      Frame settings = client.read();
      assertEquals(4, settings.type, "the server's SETTINGS first");
      assertEquals(0, settings.flags);
      client.write(4, 0, 0, new byte[0]);
      byte[] ping = {1, 2, 3, 4, 5, 6, 7, 8};
      client.write(6, 0, 0, ping);
      Frame ack = client.readSkipping(4);
      assertEquals(6, ack.type);
      assertEquals(1, ack.flags, "PING ACK");
      assertArrayEquals(ping, ack.payload);
    }
  }

  @Test
  void aFrameOverTheMaxFrameSizeIsGoAwayFrameSizeError() throws Exception {
    try (MockServer server = MockServer.start();
        RawH2 client = new RawH2(server)) {
      client.read(); // SETTINGS
      client.write(4, 0, 0, new byte[0]);
      client.write(0, 0, 1, new byte[16_385]);
      Frame goAway = client.readSkipping(4);
      assertEquals(7, goAway.type, "GOAWAY");
      assertEquals(6, int32(goAway.payload, 4), "FRAME_SIZE_ERROR");
      String debug =
          new String(goAway.payload, 8, goAway.payload.length - 8, StandardCharsets.UTF_8);
      assertTrue(debug.contains("16385 bytes"), debug);
      assertEquals(-1, client.in.read(), "then the server closes");
    }
  }

  @Test
  void anInterruptedHeaderBlockIsGoAwayProtocolError() throws Exception {
    try (MockServer server = MockServer.start();
        RawH2 client = new RawH2(server)) {
      client.read();
      client.write(4, 0, 0, new byte[0]);
      client.write(1, 0, 1, new byte[] {(byte) 0x82}); // HEADERS :method GET, no END_HEADERS
      client.write(6, 0, 0, new byte[8]); // PING where CONTINUATION must come
      Frame goAway = client.readSkipping(4);
      assertEquals(7, goAway.type);
      assertEquals(1, int32(goAway.payload, 4), "PROTOCOL_ERROR");
      assertEquals(0, server.requestCount());
    }
  }

  @Test
  void aRequestWithoutPathIsResetAndNotRecorded() throws Exception {
    try (MockServer server = MockServer.start();
        RawH2 client = new RawH2(server)) {
      client.read();
      client.write(4, 0, 0, new byte[0]);
      // :method GET (static index 2), no :path: malformed (RFC 9113 §8.3.1).
      client.write(1, 0x1 | 0x4, 1, new byte[] {(byte) 0x82});
      Frame reset = client.readSkipping(4);
      assertEquals(3, reset.type, "RST_STREAM");
      assertEquals(1, reset.stream);
      assertEquals(1, int32(reset.payload, 0), "PROTOCOL_ERROR");
      assertEquals(0, server.requestCount());
    }
  }

  private static int int32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private record Frame(int type, int flags, int stream, byte[] payload) {}

  /** A client that speaks HTTP/2 frames by hand, with a read timeout of 5 s. */
  private static final class RawH2 implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawH2(MockServer server) throws IOException {
      socket = new Socket(server.host(), server.port());
      socket.setSoTimeout(5_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      out.write(PREFACE);
    }

    void write(int type, int flags, int stream, byte[] payload) throws IOException {
      byte[] head = {
        (byte) (payload.length >>> 16),
        (byte) (payload.length >>> 8),
        (byte) payload.length,
        (byte) type,
        (byte) flags,
        (byte) (stream >>> 24),
        (byte) (stream >>> 16),
        (byte) (stream >>> 8),
        (byte) stream
      };
      out.write(head);
      out.write(payload);
      out.flush();
    }

    Frame read() throws IOException {
      byte[] head = new byte[9];
      in.readFully(head);
      int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Frame(head[3] & 0xff, head[4] & 0xff, int32(head, 5) & 0x7fff_ffff, payload);
    }

    /** The next frame not of type {@code skipped} (at most 16 skipped). */
    Frame readSkipping(int skipped) throws IOException {
      for (int i = 0; i < 16; i++) {
        Frame f = read();
        if (f.type != skipped) {
          return f;
        }
      }
      throw new AssertionError("16 frames of type " + skipped + " in a row");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
