// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mint ws} against an echo server written here at the byte level (RFC 6455 §4-§5). */
@Timeout(30)
class WsCommandTest {

  /** Answers one handshake, then echoes frames (unmasked) until the client's Close. */
  private static Thread echoServer(ServerSocket server) {
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                String key = null;
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                  if (c != '\n') {
                    line.append((char) c);
                    continue;
                  }
                  String l = line.toString().trim();
                  line.setLength(0);
                  if (l.isEmpty()) {
                    break;
                  }
                  if (l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = l.substring(l.indexOf(':') + 1).trim();
                  }
                }
                byte[] sha1 =
                    MessageDigest.getInstance("SHA-1")
                        .digest(
                            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                .getBytes(StandardCharsets.US_ASCII));
                out.write(
                    ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade"
                            + "\r\nsec-websocket-accept: "
                            + Base64.getEncoder().encodeToString(sha1)
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                while (true) {
                  int b0 = in.readUnsignedByte();
                  int n = in.readUnsignedByte() & 0x7F;
                  if (n == 126) {
                    n = in.readUnsignedShort();
                  }
                  byte[] mask = in.readNBytes(4);
                  byte[] payload = in.readNBytes(n);
                  for (int i = 0; i < n; i++) {
                    payload[i] ^= mask[i & 3];
                  }
                  out.write(b0);
                  out.write(n);
                  out.write(payload);
                  out.flush();
                  if ((b0 & 0x0F) == 0x8) {
                    return;
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        WsCommand.run(
            args,
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void linesGoOutAsTextAndTheEchoesArePrinted() throws IOException, InterruptedException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = echoServer(server);
      String url = "ws://127.0.0.1:" + server.getLocalPort() + "/echo";
      Run r = run("hello\nwörld\n", "--no-deflate", url);
      assertEquals(0, r.exit(), r.err());
      assertEquals("hello\nwörld\n", r.out());
      t.join(5000);
    }
  }

  @Test
  void verboseShowsTheFrames() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      echoServer(server);
      String url = "ws://127.0.0.1:" + server.getLocalPort() + "/echo";
      Run r = run("hi\n", "-v", "--no-deflate", url);
      assertEquals(0, r.exit(), r.err());
      assertEquals("hi\n", r.out());
      for (String frame :
          new String[] {
            "> text 2 bytes", "< text frame 2 bytes fin", "> close 1000", "< close 1000"
          }) {
        assertTrue(r.err().contains(frame), frame + " in " + r.err());
      }
    }
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, run("").exit());
    assertEquals(2, run("", "http://x/").exit());
    assertEquals(2, run("", "--timeout", "0", "ws://x/").exit());
  }

  @Test
  void aRefusedConnectionFailsWith1() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Run r = run("", "ws://127.0.0.1:" + port + "/");
    assertEquals(1, r.exit());
    assertTrue(r.err().startsWith("mint ws: "), r.err());
  }
}
