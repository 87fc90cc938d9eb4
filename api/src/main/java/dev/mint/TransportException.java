package dev.mint;

/**
 * The byte pipe under a connection failed: resolving, connecting, reading, writing, TLS, or a
 * timeout. Always connection-scoped unless the reason says otherwise ({@link Reason#TIMEOUT} leaves
 * the connection open).
 */
public final class TransportException extends MintException {
  private static final long serialVersionUID = 1L;

  /** Why the transport failed. */
  public enum Reason {
    /** The host name did not resolve to any address. */
    UNRESOLVED_HOST,
    /** Every address refused the connection (nothing listening). */
    CONNECTION_REFUSED,
    /** The connection (TCP, proxy and TLS together) was not up within the connect timeout. */
    CONNECT_TIMEOUT,
    /**
     * A passive {@code recv} saw no response part within its timeout. The connection is left open
     * and usable: the caller decides whether to wait again or close it.
     */
    TIMEOUT,
    /** A passive-mode write could not complete within the write timeout; the connection closes. */
    WRITE_TIMEOUT,
    /**
     * The peer closed or reset the connection (or the pipe broke), or the caller used a connection
     * already closed.
     */
    CLOSED,
    /** Any other socket-level failure (unreachable network, ...); the cause says more. */
    IO_ERROR,
    /** The TLS handshake failed for a reason other than the more specific ones below. */
    TLS_HANDSHAKE_FAILED,
    /** The server's certificate chain does not lead to a trusted certificate authority. */
    UNTRUSTED_CERTIFICATE,
    /** A certificate in the server's chain is expired or not yet valid. */
    EXPIRED_CERTIFICATE,
    /** The server's certificate does not match the host name (RFC 9110 §4.3.4). */
    HOSTNAME_MISMATCH,
    /** The server selected no ALPN protocol where one was required. */
    ALPN_NOT_NEGOTIATED,
    /** The server selected an ALPN protocol that was not offered or is not allowed. */
    UNEXPECTED_ALPN_PROTOCOL,
    /** An HTTP proxy refused or failed the CONNECT request. */
    PROXY_ERROR
  }

  /** What failed: {@link #reason()}. */
  private final Reason reason;

  /** A transport failure. */
  public TransportException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** A transport failure with its underlying cause. */
  public TransportException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** Why the transport failed. */
  public Reason reason() {
    return reason;
  }
}
