/**
 * Mint for Java: a scripted local HTTP server for tests, {@link dev.mint.testing.MockServer}. It
 * speaks HTTP/1.1, HTTP/2 with prior knowledge (h2c) and TLS with a certificate generated at
 * start-up (HTTP/2 or HTTP/1.1 by ALPN), records every request, and answers with queued or
 * dispatched responses, broken ones included.
 */
module dev.mint.testing {
  // Transitive: ServerCertificate.tlsOptions() returns dev.mint.TlsOptions.
  requires transitive dev.mint.api;
  requires com.twitter.hpack;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports dev.mint.testing;
}
