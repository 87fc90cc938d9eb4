// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A scripted server for the proxy tests, playing a proxy (HTTP, HTTPS, SOCKS5) or an origin: it
 * accepts connections on 127.0.0.1 (or a Unix socket) and runs the test's {@link Script} on each,
 * every connection on its own daemon thread. A failure inside a script is kept and rethrown by
 * {@link #close()}, so a broken peer fails the test. Test code: threads and blocking sockets are
 * fine here.
 *
 * <p>Public because the {@code it} module drives it against Jetty, through this module's test-jar.
 */
public final class LoopbackServer implements AutoCloseable {
  /** What the server does with one accepted connection. */
  @FunctionalInterface
  public interface Script {
    /** Runs the conversation; the connection closes when it returns. */
    void run(Session session) throws Exception;
  }

  private final ServerSocket tcp;
  private final ServerSocketChannel unix;
  private final Path unixPath;
  private final Script script;
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private volatile boolean closing;

  private LoopbackServer(ServerSocket tcp, ServerSocketChannel unix, Path unixPath, Script script) {
    this.tcp = tcp;
    this.unix = unix;
    this.unixPath = unixPath;
    this.script = script;
    this.acceptor = new Thread(this::acceptLoop, "loopback-server-" + describe());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** A server on a TCP port of 127.0.0.1. */
  public static LoopbackServer tcp(Script script) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    return new LoopbackServer(s, null, null, script);
  }

  /** A server speaking TLS (with {@code context}'s key) on a TCP port of 127.0.0.1. */
  public static LoopbackServer tls(SSLContext context, Script script) throws IOException {
    ServerSocket s = context.getServerSocketFactory().createServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    return new LoopbackServer(s, null, null, script);
  }

  /** A server on a Unix domain socket at a fresh path in {@code dir}. */
  public static LoopbackServer unix(Path dir, Script script) throws IOException {
    Path path = Files.createTempDirectory(dir, "sock").resolve("proxy.sock");
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(path));
    return new LoopbackServer(null, channel, path, script);
  }

  /** The TCP port. */
  public int port() {
    return tcp.getLocalPort();
  }

  /** The Unix socket path. */
  public Path path() {
    return unixPath;
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** The sessions so far, in the order accepted. */
  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  private void acceptLoop() {
    while (!closing) {
      try {
        Session session = accept();
        accepted.incrementAndGet();
        sessions.add(session);
        Thread t = new Thread(() -> serve(session), acceptor.getName() + "-" + accepted.get());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closing) {
          failure.compareAndSet(null, e);
        }
        return;
      }
    }
  }

  private Session accept() throws IOException {
    if (tcp != null) {
      Socket socket = tcp.accept();
      socket.setSoTimeout(20_000); // a stuck client cannot hang a script forever
      return new Session(socket, socket.getInputStream(), socket.getOutputStream());
    }
    SocketChannel channel = unix.accept();
    return new Session(channel, input(channel), output(channel));
  }

  /**
   * A stream reading the channel directly: {@link java.nio.channels.Channels}' streams hold the
   * channel's blocking lock while they wait, so a relay reading and writing one channel from two
   * threads would deadlock on them.
   */
  private static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  private static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  private void serve(Session session) {
    try (session) {
      script.run(session);
    } catch (Throwable t) {
      if (!closing && !session.expectedToFail()) {
        failure.compareAndSet(null, t);
      }
    }
  }

  private String describe() {
    return tcp != null ? Integer.toString(tcp.getLocalPort()) : "unix";
  }

  /** Stops accepting, closes every session, and fails when a script failed. */
  @Override
  public void close() throws IOException {
    closing = true;
    if (tcp != null) {
      tcp.close();
    } else {
      unix.close();
      Files.deleteIfExists(unixPath);
    }
    for (Session s : sessions) {
      s.close();
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the server");
    }
    Throwable t = failure.get();
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IOException("a script failed", t);
    }
  }
}
