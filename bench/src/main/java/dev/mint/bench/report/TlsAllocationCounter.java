// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Counts, exactly, the bytes the JDK's {@code SSLEngine} allocates: while {@link #install()}ed, a
 * security provider placed first makes {@code SSLContext.getInstance("TLS")} return the JDK's own
 * context (SunJSSE) behind a thin layer whose engines measure each call. Every {@code wrap}, {@code
 * unwrap} and delegated task reads the calling thread's allocated bytes ({@code
 * ThreadMXBean.getCurrentThreadAllocatedBytes}) before and after the JDK's code runs and adds the
 * difference to {@link #bytes()}: the engine's own allocation and its ciphers', nothing of the
 * caller's. The layer allocates nothing per call itself and changes no argument or result.
 *
 * <p>Only contexts made while installed are counted; a client that reuses an {@code SSLContext}
 * built before sees none of it ({@link #calls()} stays 0, which the caller checks). The report
 * installs it only for a phase after the measured one, so the measured figures never run through
 * it.
 */
final class TlsAllocationCounter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicLong CALLS = new AtomicLong();
  private static final CountingProvider PROVIDER = new CountingProvider();

  private TlsAllocationCounter() {}

  /** Places the counting provider first, and sets the counts to 0. */
  static void install() {
    Security.removeProvider(PROVIDER.getName());
    if (Security.insertProviderAt(PROVIDER, 1) != 1) {
      throw new IllegalStateException("the counting TLS provider could not be placed first");
    }
    BYTES.set(0);
    CALLS.set(0);
  }

  /** Removes the counting provider: contexts made from now on are the JDK's alone. */
  static void uninstall() {
    Security.removeProvider(PROVIDER.getName());
  }

  /** Bytes allocated inside the counted engines' calls since {@link #install()}. */
  static long bytes() {
    return BYTES.get();
  }

  /** Engine calls counted since {@link #install()}. */
  static long calls() {
    return CALLS.get();
  }

  /** Zeroes both counts (after a warm-up). */
  static void reset() {
    BYTES.set(0);
    CALLS.set(0);
  }

  private static long allocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  private static void count(long before) {
    BYTES.addAndGet(allocated() - before);
    CALLS.incrementAndGet();
  }

  /** The provider: one service, SSLContext "TLS", made of the JDK's own. */
  private static final class CountingProvider extends Provider {
    private static final long serialVersionUID = 1L;

    CountingProvider() {
      super("MintBenchTlsAllocationCounter", "1.0", "counts the JDK SSLEngine's allocation");
      putService(
          new Service(this, "SSLContext", "TLS", CountingContext.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
              try {
                return new CountingContext(SSLContext.getInstance("TLS", "SunJSSE"));
              } catch (NoSuchProviderException e) {
                throw new NoSuchAlgorithmException("no SunJSSE provider", e);
              }
            }
          });
    }
  }

  /** The JDK's context, whose engines are counted. */
  private static final class CountingContext extends SSLContextSpi {
    private final SSLContext jdk;

    CountingContext(SSLContext jdk) {
      this.jdk = jdk;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      jdk.init(km, tm, random);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return jdk.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return jdk.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new CountingEngine(jdk.createSSLEngine(), null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new CountingEngine(jdk.createSSLEngine(host, port), host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return jdk.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return jdk.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return jdk.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return jdk.getSupportedSSLParameters();
    }
  }

  /** The JDK's engine, each wrap, unwrap and delegated task counted. */
  private static final class CountingEngine extends SSLEngine {
    private final SSLEngine jdk;

    CountingEngine(SSLEngine jdk, String host, int port) {
      super(host, port);
      this.jdk = jdk;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
      long before = allocated();
      try {
        return jdk.wrap(src, dst);
      } finally {
        count(before);
      }
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
      long before = allocated();
      try {
        return jdk.wrap(srcs, dst);
      } finally {
        count(before);
      }
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
        throws SSLException {
      long before = allocated();
      try {
        return jdk.wrap(srcs, offset, length, dst);
      } finally {
        count(before);
      }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
      long before = allocated();
      try {
        return jdk.unwrap(src, dst);
      } finally {
        count(before);
      }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
      long before = allocated();
      try {
        return jdk.unwrap(src, dsts);
      } finally {
        count(before);
      }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
        throws SSLException {
      long before = allocated();
      try {
        return jdk.unwrap(src, dsts, offset, length);
      } finally {
        count(before);
      }
    }

    @Override
    public Runnable getDelegatedTask() {
      Runnable task = jdk.getDelegatedTask();
      if (task == null) {
        return null;
      }
      return () -> {
        long before = allocated();
        try {
          task.run();
        } finally {
          count(before);
        }
      };
    }

    @Override
    public void closeInbound() throws SSLException {
      jdk.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return jdk.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      jdk.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return jdk.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return jdk.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return jdk.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      jdk.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return jdk.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return jdk.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      jdk.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return jdk.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return jdk.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      jdk.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return jdk.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      jdk.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return jdk.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      jdk.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return jdk.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      jdk.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return jdk.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      jdk.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return jdk.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return jdk.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      jdk.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
      return jdk.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return jdk.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(
        BiFunction<SSLEngine, List<String>, String> selector) {
      jdk.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return jdk.getHandshakeApplicationProtocolSelector();
    }
  }
}
