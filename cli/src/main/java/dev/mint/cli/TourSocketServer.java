// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * A small blocking server on 127.0.0.1 and a free port for the tour's steps that need the raw
 * socket (a {@code CONNECT} proxy, a WebSocket echo): a daemon thread accepts, and each connection
 * is served on a daemon thread of its own. Server code, like {@link TourServer}: it runs on its own
 * threads, unlike Mint itself.
 *
 * <p>Bounds: at most {@value #MAX_CONNECTIONS} connections at a time (more wait in the listen
 * backlog), a read timeout of {@value #READ_TIMEOUT_MILLIS} ms on every socket, request heads of at
 * most {@value #MAX_HEAD_SIZE} bytes. {@link #close()} closes the listening socket and every
 * connection, which ends every thread.
 */
abstract class TourSocketServer implements AutoCloseable {
  /** The most connections served at once. */
  static final int MAX_CONNECTIONS = 16;

  /** The read timeout of every socket, in milliseconds. */
  static final int READ_TIMEOUT_MILLIS = 10_000;

  /** The largest request head read, in bytes, up to and including its empty line. */
  static final int MAX_HEAD_SIZE = 8 * 1024;

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final String name;

  /** Binds to 127.0.0.1 and a free port; {@link #started} begins serving. */
  TourSocketServer(String name) throws IOException {
    this.name = name;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** Starts the thread that accepts connections for {@code server}, once it is constructed. */
  static <S extends TourSocketServer> S started(S server) {
    TourSocketServer base = server; // its private members are reached through the base type
    Thread acceptor = new Thread(base::acceptLoop, base.name + "-" + base.port());
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  /** The host to connect to. */
  final String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The port the server listens on. */
  final int port() {
    return server.getLocalPort();
  }

  /**
   * Serves one connection, on a thread of its own; the socket is closed when this returns.
   *
   * @throws IOException when the client goes away or breaks the protocol: the connection ends
   */
  abstract void serve(Socket client) throws IOException;

  /** Opens {@code socket} for closing with the server, with the read timeout of the server. */
  final Socket track(Socket socket) throws IOException {
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    sockets.add(socket);
    return socket;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        slots.acquire();
        Socket client = track(server.accept());
        Thread t =
            new Thread(
                () -> {
                  try (client) {
                    serve(client);
                  } catch (IOException e) {
                    // the client went away or broke the protocol: this connection ends
                  } finally {
                    sockets.remove(client);
                    slots.release();
                  }
                },
                name + "-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        slots.release();
        return; // closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Closes the listening socket and every connection. */
  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  /**
   * Reads a request head up to its empty line, as Latin-1.
   *
   * @throws IOException when the stream ends first, or the head exceeds {@value #MAX_HEAD_SIZE}
   *     bytes
   */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0; // how much of CR LF CR LF the last bytes match
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the stream ended inside the request head");
      }
      if (head.size() == MAX_HEAD_SIZE) {
        throw new IOException("request head larger than " + MAX_HEAD_SIZE + " bytes");
      }
      head.write(b);
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The value of field {@code name} (lower case) in a request head, or {@code null}. */
  static String field(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  /**
   * Copies bytes both ways between two sockets until {@code origin} ends its side; client to origin
   * on a second thread, which half-closes the origin when the client ends its side.
   *
   * @throws IOException when either socket fails or is closed
   */
  static void relay(Socket client, Socket origin) throws IOException {
    Thread up =
        new Thread(
            () -> {
              try {
                client.getInputStream().transferTo(origin.getOutputStream());
                origin.shutdownOutput();
              } catch (IOException e) {
                // either side closed: the other direction ends too
              }
            },
            "relay-" + origin.getPort());
    up.setDaemon(true);
    up.start();
    origin.getInputStream().transferTo(client.getOutputStream());
  }

  /** Writes {@code text} as Latin-1 and flushes. */
  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
