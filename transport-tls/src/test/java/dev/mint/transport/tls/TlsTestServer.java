// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A one-connection test server on 127.0.0.1, on its own thread: accepts a plain socket, layers a
 * server-mode JDK {@link SSLSocket} over it (unless told to speak no TLS) and runs a handler. The
 * raw socket stays reachable so a handler can close TCP without {@code close_notify}.
 */
final class TlsTestServer implements AutoCloseable {
  /** What the server does with one connection. */
  interface Handler {
    void handle(SSLSocket tls, Socket raw) throws Exception;
  }

  private final ServerSocket listener;
  private final Thread thread;
  private final AtomicReference<Throwable> handshakeError = new AtomicReference<>();
  private final AtomicReference<Throwable> handlerError = new AtomicReference<>();
  private final AtomicReference<List<String>> offeredAlpn = new AtomicReference<>();
  private final AtomicReference<List<SNIServerName>> sni = new AtomicReference<>();
  private final AtomicReference<SSLSocket> accepted = new AtomicReference<>();

  private TlsTestServer(Builder b) throws Exception {
    listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    thread = new Thread(() -> serve(b), "tls-test-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** A server presenting {@code keyStore}.p12 from the test certificates. */
  static Builder presenting(String keyStore) {
    return new Builder(keyStore);
  }

  /** A server that accepts TCP and then runs {@code handler} with no TLS at all. */
  static TlsTestServer plain(Handler handler) throws Exception {
    Builder b = new Builder(null);
    b.handler = handler;
    return new TlsTestServer(b);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The ALPN ids the client offered, or null when the selector never ran. */
  List<String> offeredAlpn() {
    return offeredAlpn.get();
  }

  /** The SNI names the client sent. */
  List<SNIServerName> sni() {
    return sni.get();
  }

  /** The server side of the connection, once accepted. */
  SSLSocket socket() {
    return accepted.get();
  }

  /** Why the server's handshake failed, or null. */
  Throwable handshakeError() {
    return handshakeError.get();
  }

  /** Waits for the handler to return; rethrows what it threw. */
  void awaitDone() throws Exception {
    thread.join(10_000);
    if (thread.isAlive()) {
      throw new AssertionError("test server still running after 10 s");
    }
    Throwable t = handlerError.get() != null ? handlerError.get() : handshakeError.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t != null) {
      throw new AssertionError(t);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    SSLSocket s = accepted.get();
    if (s != null) {
      s.close();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(Builder b) {
    try (Socket raw = listener.accept()) {
      raw.setSoTimeout(10_000);
      raw.setTcpNoDelay(true);
      if (b.context == null) {
        b.handler.handle(null, raw);
        return;
      }
      SSLSocket tls = (SSLSocket) b.context.getSocketFactory().createSocket(raw, null, true);
      accepted.set(tls);
      SSLParameters p = tls.getSSLParameters();
      p.setProtocols(b.protocols);
      p.setNeedClientAuth(b.needClientAuth);
      tls.setSSLParameters(p);
      if (b.alpn != null) {
        List<String> serverPreference = List.of(b.alpn);
        tls.setHandshakeApplicationProtocolSelector(
            (socket, offered) -> {
              offeredAlpn.set(List.copyOf(offered));
              for (String id : serverPreference) {
                if (offered.contains(id)) {
                  return id;
                }
              }
              return null; // no overlap: answer without ALPN
            });
      }
      try {
        tls.startHandshake();
        sni.set(((ExtendedSSLSession) tls.getSession()).getRequestedServerNames());
      } catch (Exception e) {
        handshakeError.set(e);
        return;
      }
      b.handler.handle(tls, raw);
      tls.close();
    } catch (Throwable t) {
      handlerError.compareAndSet(null, t);
    }
  }

  /** Configures a server. */
  static final class Builder {
    private final SSLContext context;
    private String[] protocols = {"TLSv1.3", "TLSv1.2"};
    private String[] alpn;
    private boolean needClientAuth;
    private Handler handler = (tls, raw) -> {};

    private Builder(String keyStore) {
      try {
        this.context = keyStore == null ? null : TestCerts.serverContext(keyStore);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    Builder protocols(String... versions) {
      this.protocols = versions;
      return this;
    }

    /** Selects the first of {@code ids} the client offered; without this call, no ALPN. */
    Builder alpn(String... ids) {
      this.alpn = ids;
      return this;
    }

    Builder needClientAuth() {
      this.needClientAuth = true;
      return this;
    }

    Builder handler(Handler h) {
      this.handler = h;
      return this;
    }

    TlsTestServer start() throws Exception {
      return new TlsTestServer(this);
    }
  }
}
