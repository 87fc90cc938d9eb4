// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor: no HTTP client at all, the least work any JVM client can do per request against the
 * server. Each connection is a blocking {@link SocketChannel} that writes one GET encoded once and
 * reads back exactly the response's length into a direct buffer: one write and (usually) one read
 * system call per request, no parsing, no allocation per request.
 *
 * <p>The response's length is learned once per connection: the first response is read up to the end
 * of its head, which must start {@code HTTP/1.1 200} and announce {@code content-length} of the
 * workload's body; from then on every response is the head's length plus the body's (nginx's head
 * for a static file has a fixed length: its date is fixed-width). Each later response is still
 * checked cheaply: its first bytes are the status line and its last byte the body's last, so a
 * response of another length makes the next check fail instead of going unnoticed.
 *
 * <p>With several connections one thread writes a request on each, then reads each connection's
 * response in turn and writes its next request at once: every connection keeps one request in
 * flight. Blocking reads have no timeout of their own; a watchdog thread closes the connections if
 * a phase runs past its deadline plus {@link InFlightLoop#GRACE_NANOS}, which ends the read with an
 * error. HTTP/1.1 cleartext only: it speaks no TLS and no HTTP/2.
 */
final class FloorLoadClient implements LoadClient {
  private static final byte[] STATUS_200 = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);

  /** The longest response head accepted on the first response: a bound on the first read. */
  static final int MAX_HEAD = 8192;

  private final Target target;
  private final List<Conn> conns = new ArrayList<>();
  private final ByteBuffer request;

  FloorLoadClient(Target target) {
    if (target.workload().wire() != Workload.Wire.H1 || target.workload().download()) {
      throw new IllegalArgumentException(
          "the raw-socket floor runs small GETs over HTTP/1.1 cleartext only, not "
              + target.workload());
    }
    this.target = target;
    String get =
        "GET "
            + target.workload().path()
            + " HTTP/1.1\r\nhost: "
            + target.host()
            + ":"
            + target.port()
            + "\r\n\r\n";
    byte[] bytes = get.getBytes(StandardCharsets.US_ASCII);
    this.request = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  /** Whether the floor can run {@code workload}: small GETs over HTTP/1.1 cleartext. */
  static boolean supports(Workload workload) {
    return workload.wire() == Workload.Wire.H1 && !workload.download();
  }

  /** One connection: its channel, its read buffer, and the length of every response on it. */
  private static final class Conn {
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocateDirect(MAX_HEAD + Workload.SMALL_BODY);
    final ByteBuffer out;
    int responseLength;
    int headLength;
    long sent;

    Conn(SocketChannel channel, ByteBuffer request) {
      this.channel = channel;
      this.out = request.duplicate();
    }
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws Exception {
    if (conns.isEmpty()) {
      open();
    }
    Thread watchdog = watchdog(deadlineNanos + InFlightLoop.GRACE_NANOS);
    try {
      for (Conn c : conns) {
        send(c);
      }
      long now = System.nanoTime();
      while (!recorder.failed()) {
        boolean issuing = now - deadlineNanos < 0;
        for (Conn c : conns) {
          receive(c, recorder);
          now = System.nanoTime();
          if (issuing && !recorder.failed()) {
            send(c);
          }
        }
        if (!issuing) {
          return;
        }
      }
    } catch (IOException e) {
      recorder.fail(
          watchdog.isAlive() ? e : new IOException("responses did not end within 30 s", e));
    } finally {
      watchdog.interrupt();
      watchdog.join();
    }
  }

  private void open() throws IOException {
    for (int i = 0; i < target.workload().connections(); i++) {
      SocketChannel channel =
          SocketChannel.open(new InetSocketAddress(target.host(), target.port()));
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      conns.add(new Conn(channel, request));
    }
  }

  private void send(Conn c) throws IOException {
    ByteBuffer out = c.out.clear();
    c.sent = System.nanoTime();
    while (out.hasRemaining()) {
      c.channel.write(out);
    }
  }

  private void receive(Conn c, Recorder recorder) throws IOException {
    ByteBuffer in = c.in.clear();
    if (c.responseLength == 0) {
      learnLength(c, recorder);
      return;
    }
    in.limit(c.responseLength);
    while (in.hasRemaining()) {
      if (c.channel.read(in) < 0) {
        throw new IOException("the server closed the connection mid-response");
      }
    }
    if (!startsWith(in, STATUS_200) || in.get(c.responseLength - 1) != lastBodyByte()) {
      recorder.fail(
          "a response of another length than the first, or not 200: "
              + ascii(in, 0, Math.min(c.responseLength, 64)));
      return;
    }
    recorder.response(200, c.responseLength - c.headLength, System.nanoTime() - c.sent);
  }

  /** Reads the first response whole, checks it and keeps its length. */
  private void learnLength(Conn c, Recorder recorder) throws IOException {
    ByteBuffer in = c.in;
    int headEnd = -1;
    while (headEnd < 0) {
      if (in.position() >= MAX_HEAD) {
        throw new IOException("no end of the response head in its first " + MAX_HEAD + " bytes");
      }
      if (c.channel.read(in) < 0) {
        throw new IOException("the server closed the connection before a response");
      }
      headEnd = indexOfEmptyLine(in);
    }
    String head = ascii(in, 0, headEnd).toLowerCase(Locale.ROOT);
    long body = contentLength(head);
    if (!head.startsWith("http/1.1 200 ") || body != target.workload().bodySize()) {
      recorder.fail(
          "first response not a 200 with a "
              + target.workload().bodySize()
              + "-byte body: "
              + head.replace("\r\n", " | "));
      return;
    }
    c.headLength = headEnd;
    c.responseLength = headEnd + (int) body;
    if (in.position() > c.responseLength) {
      throw new IOException(
          "more bytes than one response: "
              + in.position()
              + " read, "
              + c.responseLength
              + " expected");
    }
    in.limit(c.responseLength);
    while (in.hasRemaining()) {
      if (c.channel.read(in) < 0) {
        throw new IOException("the server closed the connection mid-response");
      }
    }
    recorder.response(200, body, System.nanoTime() - c.sent);
  }

  /** The index just past the first CRLF CRLF in what was read, or -1. */
  static int indexOfEmptyLine(ByteBuffer in) {
    for (int i = 3; i < in.position(); i++) {
      if (in.get(i - 3) == '\r'
          && in.get(i - 2) == '\n'
          && in.get(i - 1) == '\r'
          && in.get(i) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The content-length of a lower-cased head, or -1. */
  static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        try {
          return Long.parseLong(line.substring("content-length:".length()).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static byte lastBodyByte() {
    return (byte) ('a' + (Workload.SMALL_BODY - 1) % 26);
  }

  private static boolean startsWith(ByteBuffer in, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (in.get(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(ByteBuffer in, int from, int to) {
    byte[] bytes = new byte[to - from];
    in.get(from, bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** A thread that closes every connection at {@code stopNanos} unless interrupted before. */
  private Thread watchdog(long stopNanos) {
    Thread t =
        new Thread(
            () -> {
              try {
                long left;
                while ((left = stopNanos - System.nanoTime()) > 0) {
                  Thread.sleep(Math.max(1, left / 1_000_000));
                }
                stop();
              } catch (InterruptedException e) {
                // the phase ended in time
              } catch (IOException e) {
                // closing failed: the read will end with the process
              }
            },
            "floor-watchdog");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void stop() throws IOException {
    for (Conn c : conns) {
      c.channel.close();
    }
  }
}
