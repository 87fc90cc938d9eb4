// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WebSocket server scripted byte by byte, on loopback, one connection: it reads the request head,
 * then runs a script that writes whatever the test wants (a proper 101, a wrong one, broken frames)
 * and reads the client's frames. For tests of how the client meets a server that misbehaves.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server does with one accepted connection. */
  interface Script {
    void run(Peer peer) throws Exception;
  }

  private final ServerSocket socket;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  final List<String> requestHeads = Collections.synchronizedList(new ArrayList<>());

  ScriptedServer(Script script) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread =
        new Thread(
            () -> {
              try (Socket s = socket.accept()) {
                s.setSoTimeout(10_000);
                Peer peer = new Peer(s);
                requestHeads.add(peer.readHead());
                script.run(peer);
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "scripted-websocket-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Waits for the script to end and rethrows what it failed with. */
  void finish() throws Exception {
    thread.join(10_000);
    Throwable t = failure.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The server's end of the connection. */
  static final class Peer {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    String key;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the client closed before ending its request head");
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return text;
    }

    /** A proper 101 for the request's key, with extra header lines. */
    void accept(String... extraLines) throws IOException {
      StringBuilder sb =
          new StringBuilder(
              "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                  + "sec-websocket-accept: "
                  + Handshake.acceptFor(key)
                  + "\r\n");
      for (String line : extraLines) {
        sb.append(line).append("\r\n");
      }
      write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Reads one client frame, unmasked. */
    Wire.ClientFrame readFrame() throws IOException {
      byte[] head = in.readNBytes(2);
      if (head.length < 2) {
        throw new IOException("the client closed");
      }
      long n = head[1] & 0x7F;
      byte[] ext = in.readNBytes(n == 126 ? 2 : n == 127 ? 8 : 0);
      byte[] rest = in.readNBytes(4 + (int) lengthOf(n, ext));
      return Wire.clientFrames(java.nio.ByteBuffer.wrap(Wire.concat(head, ext, rest))).get(0);
    }

    private static long lengthOf(long n, byte[] ext) {
      if (n < 126) {
        return n;
      }
      long v = 0;
      for (byte b : ext) {
        v = v << 8 | b & 0xFF;
      }
      return v;
    }

    /** Echoes client frames (unmasked, same opcode and flags) until the client's Close. */
    void echoUntilClose() throws IOException {
      while (true) {
        Wire.ClientFrame f = readFrame();
        write(Wire.frame((f.fin() ? 0x80 : 0) | (f.rsv1() ? 0x40 : 0) | f.opcode(), f.payload()));
        if (f.opcode() == 0x8) {
          return;
        }
      }
    }
  }
}
