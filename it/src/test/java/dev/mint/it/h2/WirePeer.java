// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted cleartext HTTP/2 server at the wire, for what a real server will not do on cue: one
 * connection on 127.0.0.1, on a thread of its own, reading and writing raw frames (RFC 9113 §4.1).
 * The script runs after the connection preface has been checked and an empty SETTINGS frame sent.
 *
 * <p>Public for the README examples' test, which plays HTTP/2 peers too.
 */
public final class WirePeer implements AutoCloseable {
  /** Frame type DATA. */
  public static final int DATA = 0;

  /** Frame type HEADERS. */
  public static final int HEADERS = 1;

  /** Frame type SETTINGS. */
  public static final int SETTINGS = 4;

  /** Frame type PING. */
  public static final int PING = 6;

  /** Frame type GOAWAY. */
  public static final int GOAWAY = 7;

  /** Flag END_STREAM (DATA, HEADERS). */
  public static final int FLAG_END_STREAM = 1;

  /** Flag ACK (SETTINGS, PING). */
  public static final int FLAG_ACK = 1;

  /** Flag END_HEADERS (HEADERS). */
  public static final int FLAG_END_HEADERS = 4;

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * One frame read from the client.
   *
   * @param type the frame type
   * @param flags the flags
   * @param stream the stream identifier
   * @param payload the payload
   */
  public record Frame(int type, int flags, int stream, byte[] payload) {
    @Override
    public String toString() {
      return "[type "
          + type
          + " flags "
          + flags
          + " stream "
          + stream
          + " "
          + payload.length
          + "B]";
    }
  }

  /** What the peer does once the connection is up; its result completes {@link #result()}. */
  public interface Script<T> {
    /** Plays the peer's part on {@code peer}; returns what the test checks afterwards. */
    T run(WirePeer peer) throws Exception;
  }

  private final ServerSocket listener;
  private final CompletableFuture<Object> result = new CompletableFuture<>();
  private DataInputStream in;
  private OutputStream out;

  /** Listens on 127.0.0.1 and runs {@code script} on the first connection, on its own thread. */
  public <T> WirePeer(Script<T> script) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> serve(script), "h2-wire-peer");
    t.setDaemon(true);
    t.start();
  }

  /** The port listened on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Completes with the script's result, or its failure. */
  public CompletableFuture<Object> result() {
    return result;
  }

  private <T> void serve(Script<T> script) {
    try (Socket socket = listener.accept()) {
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      byte[] preface = new byte[PREFACE.length];
      in.readFully(preface);
      if (!Arrays.equals(PREFACE, preface)) {
        throw new IOException("not the HTTP/2 preface: " + Arrays.toString(preface));
      }
      write(SETTINGS, 0, 0, new byte[0]);
      result.complete(script.run(this));
    } catch (Exception | AssertionError e) {
      result.completeExceptionally(e);
    }
  }

  /** The next frame, or {@code null} at the client's end of stream. */
  public Frame read() throws IOException {
    byte[] head = new byte[9];
    try {
      in.readFully(head);
    } catch (EOFException end) {
      return null;
    }
    int length = (head[0] & 0xFF) << 16 | (head[1] & 0xFF) << 8 | head[2] & 0xFF;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(head[3] & 0xFF, head[4] & 0xFF, int32(head, 5) & 0x7FFF_FFFF, payload);
  }

  /**
   * The next frame that is not SETTINGS or WINDOW_UPDATE; the client's SETTINGS are acknowledged on
   * the way. {@code null} at end of stream.
   */
  public Frame readSignificant() throws IOException {
    for (int i = 0; i < 100; i++) {
      Frame f = read();
      if (f == null) {
        return null;
      }
      if (f.type() == SETTINGS) {
        if ((f.flags() & FLAG_ACK) == 0) {
          write(SETTINGS, FLAG_ACK, 0, new byte[0]);
        }
        continue;
      }
      if (f.type() != 8) { // WINDOW_UPDATE
        return f;
      }
    }
    throw new IOException("100 frames of SETTINGS and WINDOW_UPDATE");
  }

  /** Writes one frame. */
  public void write(int type, int flags, int stream, byte[] payload) throws IOException {
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

  /** A GOAWAY payload: last stream id and error code (RFC 9113 §6.8). */
  public static byte[] goAway(int lastStreamId, int errorCode) {
    return new byte[] {
      (byte) (lastStreamId >>> 24),
      (byte) (lastStreamId >>> 16),
      (byte) (lastStreamId >>> 8),
      (byte) lastStreamId,
      (byte) (errorCode >>> 24),
      (byte) (errorCode >>> 16),
      (byte) (errorCode >>> 8),
      (byte) errorCode
    };
  }

  /** The big-endian 32-bit integer at {@code at}. */
  public static int int32(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
