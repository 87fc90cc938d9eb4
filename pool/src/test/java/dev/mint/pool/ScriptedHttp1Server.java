// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on 127.0.0.1 for the pool's tests: one thread per connection, each
 * request answered as a {@link Script} decides (a body, or a close without an answer). Counts
 * connections, and requests by their {@code x-id} header.
 */
final class ScriptedHttp1Server implements AutoCloseable {

  /** What to do with a request. */
  enum Action {
    /** Answer 200 with the target as the body, keep the connection. */
    ANSWER,
    /** Close the connection without answering (an idle close racing the request). */
    DROP,
    /**
     * Answer 200 with {@code connection: close}, the head first and the body after the answer
     * delay, then close the connection.
     */
    ANSWER_THEN_CLOSE
  }

  /** Decides each request's fate. */
  interface Script {
    /**
     * @param connection the connection's number, from 1
     * @param request the request's number on its connection, from 1
     */
    Action decide(int connection, int request, String requestLine);
  }

  private final ServerSocket server;
  private final Script script;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger answered = new AtomicInteger();
  final Map<String, AtomicInteger> seenById = new ConcurrentHashMap<>();
  private volatile long answerDelayMillis;

  ScriptedHttp1Server(Script script) throws IOException {
    this(script, 0);
  }

  ScriptedHttp1Server(Script script, int port) throws IOException {
    this.script = script;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    this.acceptor = new Thread(this::accept, "scripted-h1-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void answerDelay(long millis) {
    answerDelayMillis = millis;
  }

  int seen(String id) {
    AtomicInteger n = seenById.get(id);
    return n == null ? 0 : n.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      int number = connections.incrementAndGet();
      sockets.add(s);
      Thread t = new Thread(() -> serve(s, number), "scripted-h1-" + number);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void serve(Socket s, int connection) {
    try (s) {
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int request = 1; ; request++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        String id = header(head, "x-id");
        long length = Long.parseLong(orDefault(header(head, "content-length"), "0"));
        in.readNBytes((int) length);
        Action action = script.decide(connection, request, requestLine);
        if (action == Action.DROP) {
          return;
        }
        if (id != null) {
          seenById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
        boolean closing = action == Action.ANSWER_THEN_CLOSE;
        if (answerDelayMillis > 0 && !closing) {
          Thread.sleep(answerDelayMillis);
        }
        byte[] body = requestLine.split(" ")[1].getBytes(StandardCharsets.US_ASCII);
        answered.incrementAndGet(); // before the answer: the client may check as soon as it arrives
        out.write(
            ("HTTP/1.1 200 OK\r\ncontent-length: "
                    + body.length
                    + (closing ? "\r\nconnection: close" : "")
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (closing) {
          out.flush(); // the head alone: the client learns of the close before the body
          Thread.sleep(answerDelayMillis);
        }
        out.write(body);
        out.flush();
        if (closing) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client closed, or the test ended
    } finally {
      sockets.remove(s);
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** The request head up to the blank line, or null at the end of the stream; at most 64 KiB. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      if (head.size() > 65_536) {
        throw new IOException("request head too large");
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Closes every connection the server holds now (an idle close), keeping it listening. */
  void closeConnections() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  /** How many connections are open now, server side. */
  int openConnections() {
    return sockets.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeConnections();
    try {
      acceptor.join(5_000);
      for (Thread t : threads) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
