// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The tour's WebSocket echo server (RFC 6455), on any path: it accepts the opening handshake
 * (§4.2), then sends back every data frame as it came (opcode, FIN, payload; unmasked, as server
 * frames are), answers a Ping with a Pong, and answers a Close with a Close carrying the same code,
 * then closes the TCP connection (§7.1.1). It negotiates no extension and no subprotocol.
 *
 * <p>It refuses, with a Close and the code of §7.4.1: an unmasked frame, RSV bits set, an unknown
 * opcode or a malformed control frame (1002), a payload over {@value #MAX_PAYLOAD} bytes (1009). A
 * handshake without {@code upgrade: websocket}, a key or version 13 gets {@code 400} or {@code
 * 426}. Text is echoed without checking its UTF-8: the client checks what it receives.
 */
final class TourEchoServer extends TourSocketServer {
  /** The largest frame payload echoed, in bytes. */
  static final int MAX_PAYLOAD = 1024 * 1024;

  /** The GUID appended to the key for {@code sec-websocket-accept} (RFC 6455 §1.3). */
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final int PONG = 0xA;

  private TourEchoServer() throws IOException {
    super("tour-echo");
  }

  /** Starts an echo server on 127.0.0.1 and a free port. */
  static TourEchoServer start() throws IOException {
    return started(new TourEchoServer());
  }

  /** The {@code sec-websocket-accept} value for {@code key} (RFC 6455 §4.2.2). */
  static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  @Override
  void serve(Socket client) throws IOException {
    DataInputStream in = new DataInputStream(client.getInputStream());
    OutputStream out = client.getOutputStream();
    if (handshake(readHead(in), out)) {
      echo(in, out);
    }
  }

  /** Answers the opening handshake; whether it was accepted. */
  private static boolean handshake(String head, OutputStream out) throws IOException {
    String upgrade = field(head, "upgrade");
    String connection = field(head, "connection");
    String key = field(head, "sec-websocket-key");
    if (!head.startsWith("GET ")
        || upgrade == null
        || !upgrade.equalsIgnoreCase("websocket")
        || connection == null
        || !connection.toLowerCase(Locale.ROOT).contains("upgrade")
        || key == null) {
      write(out, "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
      return false;
    }
    if (!"13".equals(field(head, "sec-websocket-version"))) {
      write(
          out,
          "HTTP/1.1 426 Upgrade Required\r\nsec-websocket-version: 13\r\n"
              + "content-length: 0\r\nconnection: close\r\n\r\n");
      return false;
    }
    write(
        out,
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
            + "sec-websocket-accept: "
            + accept(key)
            + "\r\n\r\n");
    return true;
  }

  /** Reads frames and answers each, until a Close has been answered or a frame is refused. */
  private static void echo(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      boolean control = opcode >= CLOSE;
      if ((b1 & 0x80) == 0
          || (b0 & 0x70) != 0
          || (opcode > BINARY && opcode < CLOSE)
          || opcode > PONG
          || (control && (!fin || length > 125))) {
        frame(out, true, CLOSE, closePayload(1002)); // protocol error
        return;
      }
      if (length < 0 || length > MAX_PAYLOAD) {
        frame(out, true, CLOSE, closePayload(1009)); // message too big
        return;
      }
      byte[] mask = new byte[4];
      in.readFully(mask);
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case CLOSE -> {
          // The same code back (none when the client gave none), then the server closes first.
          frame(out, true, CLOSE, payload.length >= 2 ? closePayload(code(payload)) : new byte[0]);
          return;
        }
        case PING -> frame(out, true, PONG, payload);
        case PONG -> {
          // unsolicited Pongs need no answer (§5.5.3)
        }
        default -> frame(out, fin, opcode, payload); // CONTINUATION, TEXT, BINARY: echoed as is
      }
    }
  }

  private static int code(byte[] payload) {
    return (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
  }

  private static byte[] closePayload(int code) {
    return new byte[] {(byte) (code >> 8), (byte) code};
  }

  /** Writes one unmasked server frame, header and payload in one write. */
  private static void frame(OutputStream out, boolean fin, int opcode, byte[] payload)
      throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(10 + payload.length);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length <= 125) {
      frame.write(payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift));
      }
    }
    frame.write(payload);
    frame.writeTo(out);
    out.flush();
  }
}
