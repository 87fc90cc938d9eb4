// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tour's raw-socket servers: the CONNECT proxy and the WebSocket echo, and what they refuse.
 */
@Timeout(20)
class TourSocketServersTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @Test
  void theAcceptValueIsTheOneOfRfc6455() {
    // RFC 6455 §1.3's example.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", TourEchoServer.accept(KEY));
  }

  @Test
  void theEchoAnswersPingEchoesFragmentsAndAnswersClose() throws IOException {
    try (TourEchoServer echo = TourEchoServer.start();
        Socket s = open(echo.port())) {
      handshake(s);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write(masked(0x89, "hi".getBytes(StandardCharsets.UTF_8))); // Ping
      assertFrame(in, 0x8A, "hi".getBytes(StandardCharsets.UTF_8)); // Pong
      out.write(masked(0x01, "ab".getBytes(StandardCharsets.UTF_8))); // Text, FIN clear
      assertFrame(in, 0x01, "ab".getBytes(StandardCharsets.UTF_8));
      out.write(masked(0x80, "c".getBytes(StandardCharsets.UTF_8))); // continuation, FIN
      assertFrame(in, 0x80, "c".getBytes(StandardCharsets.UTF_8));
      byte[] big = new byte[70_000]; // a 64-bit length
      big[69_999] = 7;
      out.write(masked(0x82, big));
      assertFrame(in, 0x82, big);
      out.write(masked(0x88, new byte[] {0x03, (byte) 0xe9})); // Close 1001
      assertFrame(in, 0x88, new byte[] {0x03, (byte) 0xe9});
      assertEquals(-1, in.read(), "the server closes after its Close");
    }
  }

  @Test
  void theEchoRefusesBrokenAndOversizedFramesWithTheirCloseCodes() throws IOException {
    try (TourEchoServer echo = TourEchoServer.start()) {
      try (Socket s = open(echo.port())) {
        handshake(s);
        s.getOutputStream().write(new byte[] {(byte) 0x81, 1, 'x'}); // unmasked
        assertFrame(new DataInputStream(s.getInputStream()), 0x88, new byte[] {0x03, (byte) 0xea});
      }
      try (Socket s = open(echo.port())) {
        handshake(s);
        s.getOutputStream().write(masked(0x09, new byte[0])); // a Ping without FIN
        assertFrame(new DataInputStream(s.getInputStream()), 0x88, new byte[] {0x03, (byte) 0xea});
      }
      try (Socket s = open(echo.port())) {
        handshake(s);
        byte[] header = {(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0}; // 2 MiB
        s.getOutputStream().write(header);
        assertFrame(new DataInputStream(s.getInputStream()), 0x88, new byte[] {0x03, (byte) 0xf1});
      }
    }
  }

  @Test
  void theEchoRefusesAHandshakeWithoutUpgradeOrWithAnotherVersion() throws IOException {
    try (TourEchoServer echo = TourEchoServer.start()) {
      assertTrue(
          exchange(echo.port(), "GET / HTTP/1.1\r\nhost: x\r\n\r\n").startsWith("HTTP/1.1 400 "));
      String v8 =
          "GET / HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
              + "sec-websocket-key: "
              + KEY
              + "\r\nsec-websocket-version: 8\r\n\r\n";
      String answer = exchange(echo.port(), v8);
      assertTrue(answer.startsWith("HTTP/1.1 426 "), answer);
      assertTrue(answer.contains("sec-websocket-version: 13\r\n"), answer);
    }
  }

  @Test
  void theProxyTunnelsToLoopbackOnlyAndRefusesTheRest() throws IOException {
    try (TourProxy proxy = TourProxy.start();
        TourServer server = TourServer.start()) {
      String authority = "127.0.0.1:" + server.port();
      try (Socket s = open(proxy.port())) {
        write(s, "CONNECT " + authority + " HTTP/1.1\r\nhost: " + authority + "\r\n\r\n");
        InputStream in = s.getInputStream();
        String reply = TourSocketServer.readHead(in);
        assertTrue(reply.startsWith("HTTP/1.1 200 Connection established\r\n"), reply);
        write(s, "GET /hello HTTP/1.1\r\nhost: " + authority + "\r\nconnection: close\r\n\r\n");
        String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(response.endsWith(TourServer.HELLO), response);
      }
      assertEquals(List.of(authority), proxy.tunnels());
      assertTrue(exchange(proxy.port(), "GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405 "));
      assertTrue(
          exchange(proxy.port(), "CONNECT 192.0.2.1:80 HTTP/1.1\r\n\r\n")
              .startsWith("HTTP/1.1 403 "));
      assertTrue(
          exchange(proxy.port(), "CONNECT 127.0.0.1:99999 HTTP/1.1\r\n\r\n")
              .startsWith("HTTP/1.1 400 "));
      assertTrue(exchange(proxy.port(), "CONNECT\r\n\r\n").startsWith("HTTP/1.1 400 "));
      // A head over the bound ends the connection without an answer.
      String huge = "CONNECT 127.0.0.1:1 HTTP/1.1\r\nx: " + "a".repeat(10_000) + "\r\n\r\n";
      assertEquals("", exchange(proxy.port(), huge));
      assertEquals(List.of(authority), proxy.tunnels());
    }
  }

  private static Socket open(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code request} and reads until the server closes. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket s = open(port)) {
      write(s, request);
      try {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return ""; // reset: the server closed with bytes unread
      }
    }
  }

  private static void handshake(Socket s) throws IOException {
    write(
        s,
        "GET /echo HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
            + "sec-websocket-key: "
            + KEY
            + "\r\nsec-websocket-version: 13\r\n\r\n");
    String head = TourSocketServer.readHead(s.getInputStream());
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    assertEquals(
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", TourSocketServer.field(head, "sec-websocket-accept"));
  }

  /** A client frame: first byte {@code b0}, masked with a fixed key. */
  private static byte[] masked(int b0, byte[] payload) {
    byte[] mask = {1, 2, 3, 4};
    int lengthBytes = payload.length <= 125 ? 0 : payload.length <= 0xffff ? 2 : 8;
    byte[] frame = new byte[2 + lengthBytes + 4 + payload.length];
    frame[0] = (byte) b0;
    frame[1] = (byte) (0x80 | (lengthBytes == 0 ? payload.length : lengthBytes == 2 ? 126 : 127));
    for (int i = 0; i < lengthBytes; i++) {
      frame[1 + lengthBytes - i] = (byte) ((long) payload.length >> (8 * i));
    }
    System.arraycopy(mask, 0, frame, 2 + lengthBytes, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + lengthBytes + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame;
  }

  /** Reads one unmasked server frame and checks its first byte and payload. */
  private static void assertFrame(DataInputStream in, int b0, byte[] payload) throws IOException {
    assertEquals(b0, in.readUnsignedByte());
    int b1 = in.readUnsignedByte();
    assertEquals(0, b1 & 0x80, "a server frame is not masked");
    long length = b1 == 126 ? in.readUnsignedShort() : b1 == 127 ? in.readLong() : b1;
    assertEquals(payload.length, length);
    byte[] got = new byte[payload.length];
    in.readFully(got);
    assertArrayEquals(payload, got);
  }
}
