// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that accepts every certificate chain: the implementation of {@link
 * dev.mint.TlsOptions#insecureTrustAllCertificates()}, and of nothing else.
 *
 * <p>It is an {@link X509ExtendedTrustManager} on purpose: the JDK wraps a plain {@link
 * javax.net.ssl.X509TrustManager} in one that still checks the host name, while an extended one is
 * trusted to do its own checks, so this one disables host name verification as well. Stateless and
 * thread-safe.
 */
final class TrustAllCertificates extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    // accepted: see the class documentation
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {
    // accepted: see the class documentation
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // accepted: see the class documentation
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // accepted: see the class documentation
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // accepted: see the class documentation
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // accepted: see the class documentation
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS.clone();
  }
}
