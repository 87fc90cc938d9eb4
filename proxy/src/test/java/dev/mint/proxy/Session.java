// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection accepted by a {@link LoopbackServer}, with the blocking reads and writes a script
 * needs: request heads, exact byte counts, whole or dribbled writes, and relaying to an origin.
 * Every request head read is kept in {@link #heads()} for the test to check.
 */
public final class Session implements Closeable {
  private final Closeable connection;
  private final InputStream in;
  private final OutputStream out;
  private final java.util.List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean expectFailure;

  Session(Closeable connection, InputStream in, OutputStream out) {
    this.connection = connection;
    this.in = in;
    this.out = out;
  }

  /** The stream of the client's bytes. */
  public InputStream in() {
    return in;
  }

  /** The stream to the client. */
  public OutputStream out() {
    return out;
  }

  /** The request heads read so far, each from its first line to the empty line, as Latin-1. */
  public java.util.List<String> heads() {
    return java.util.List.copyOf(heads);
  }

  /** The first {@code n} request heads, waiting up to ten seconds for the script to read them. */
  public java.util.List<String> awaitHeads(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (heads.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return heads();
  }

  /** The client may break this connection (a timeout test closes it): do not report failures. */
  public void expectFailure() {
    expectFailure = true;
  }

  boolean expectedToFail() {
    return expectFailure;
  }

  /**
   * Reads one request head up to and including its empty line; {@code null} at a clean end of
   * stream before any byte.
   */
  public String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0; // how much of CRLF CRLF has been seen
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new EOFException("the client closed inside a request head: " + head);
      }
      head.write(b);
      state = b == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : b == '\r' ? 1 : 0;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    heads.add(text);
    return text;
  }

  /** Reads exactly {@code n} bytes. */
  public byte[] readExactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("wanted " + n + " bytes, got " + b.length);
    }
    return b;
  }

  /** Reads one unsigned byte. */
  public int readByte() throws IOException {
    return readExactly(1)[0] & 0xff;
  }

  /** Writes {@code text} (Latin-1) at once. */
  public void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes {@code bytes} at once. */
  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes {@code text} one byte per packet, pausing between them. */
  public void dribble(String text) throws IOException, InterruptedException {
    if (connection instanceof Socket s) {
      s.setTcpNoDelay(true);
    }
    for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
      out.write(b);
      out.flush();
      Thread.sleep(2);
    }
  }

  /**
   * Relays bytes both ways between this client and {@code host:port} until either side ends; the
   * client-to-origin direction runs on a second thread.
   */
  public void relay(String host, int port) throws IOException, InterruptedException {
    try (Socket origin = new Socket(host, port)) {
      origin.setTcpNoDelay(true);
      Thread up =
          new Thread(
              () -> {
                try {
                  in.transferTo(origin.getOutputStream());
                  origin.shutdownOutput();
                } catch (IOException e) {
                  closeQuietly(origin); // the other direction ends with it
                }
              },
              Thread.currentThread().getName() + "-up");
      up.setDaemon(true);
      up.start();
      try {
        origin.getInputStream().transferTo(out);
        out.flush();
      } catch (IOException e) {
        // the client or the origin went away: the relay ends
      }
      closeQuietly(connection);
      up.join(5_000);
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
