/**
 * Mint for Java: the sans-I/O HTTP/1.1 engine (RFC 9112, RFC 9110).
 *
 * <p>Offers {@link dev.mint.http1.Http1ProtocolProvider} under the ALPN id {@code http/1.1}; the
 * connector finds it with {@link java.util.ServiceLoader}.
 *
 * <p>The name ends in a digit on purpose: it is the protocol's version, as in {@code http1}.
 */
@SuppressWarnings("module")
module dev.mint.http1 {
  requires transitive dev.mint.spi;
  requires org.slf4j;

  exports dev.mint.http1;

  provides dev.mint.spi.ProtocolProvider with
      dev.mint.http1.Http1ProtocolProvider;
}
