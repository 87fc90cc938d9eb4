/**
 * Mint for Java: the HTTP/2 protocol engine (RFC 9113), a sans-I/O {@link
 * dev.mint.spi.ProtocolEngine} registered under the ALPN id {@code h2}. Header compression (HPACK,
 * RFC 7541) is decoded by this module and encoded by the Twitter hpack library, each behind a small
 * interface of this module.
 */
module dev.mint.http2 {
  requires transitive dev.mint.spi;
  requires org.slf4j;
  // com.twitter:hpack 1.0.2 as an explicit module, from the mint-hpack artifact: the encoder.
  requires com.twitter.hpack;

  exports dev.mint.http2;

  provides dev.mint.spi.ProtocolProvider with
      dev.mint.http2.Http2ProtocolProvider;
}
