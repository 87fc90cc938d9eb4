// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Optional;

/**
 * The byte pipe under a connection failed: resolving, connecting, reading, writing, TLS, a proxy,
 * or a timeout. Always connection-scoped unless the reason says otherwise ({@link Reason#TIMEOUT}
 * leaves the connection open).
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
     * The peer closed or reset the connection (or the pipe broke, or a read or write on the
     * established connection failed otherwise: the connection is gone), or the caller used a
     * connection already closed. Classified by exception type, never by the operating system's
     * message text, which depends on the locale.
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
    /**
     * An HTTP proxy answered {@code CONNECT} with 407 (RFC 9110 §15.5.8): credentials are missing
     * or were refused. {@link #proxyResponse()} holds the reply; its {@code proxy-authenticate}
     * fields name the schemes the proxy accepts.
     */
    PROXY_AUTH_REQUIRED,
    /**
     * An HTTP proxy answered {@code CONNECT} with a final status other than 2xx and 407 (403 by
     * policy, 502 when it cannot reach the origin, ...); {@link #proxyResponse()} holds the reply.
     */
    PROXY_REFUSED,
    /** A SOCKS5 proxy rejected the user name and password (RFC 1929 §2, a non-zero STATUS). */
    PROXY_AUTH_FAILED,
    /**
     * A SOCKS5 proxy accepted none of the authentication methods offered (METHOD X'FF', RFC 1928
     * §3): it wants credentials and none were set, or a method Mint does not speak.
     */
    PROXY_NO_ACCEPTABLE_AUTH,
    /**
     * The proxy did not complete the tunnel handshake within {@link ProxyOptions#tunnelTimeout()}.
     * When the connect timeout ends first, the reason is {@link #CONNECT_TIMEOUT}.
     */
    PROXY_TIMEOUT,
    /** The proxy closed the connection before completing the tunnel handshake. */
    PROXY_CLOSED,
    /**
     * The proxy's reply was malformed (not HTTP/1.x, a bad status line or field, a 101, a bad SOCKS
     * version, method or address type, an unassigned SOCKS reply code) or larger than the proxy's
     * reply size limit.
     */
    PROXY_BAD_REPLY,
    /** SOCKS5 reply X'01': general SOCKS server failure (RFC 1928 §6). */
    SOCKS_GENERAL_FAILURE,
    /** SOCKS5 reply X'02': connection not allowed by the proxy's ruleset. */
    SOCKS_NOT_ALLOWED,
    /** SOCKS5 reply X'03': the proxy found the network unreachable. */
    SOCKS_NETWORK_UNREACHABLE,
    /**
     * SOCKS5 reply X'04': the proxy found the origin host unreachable (or could not resolve it).
     */
    SOCKS_HOST_UNREACHABLE,
    /** SOCKS5 reply X'05': the origin refused the proxy's connection. */
    SOCKS_CONNECTION_REFUSED,
    /** SOCKS5 reply X'06': TTL expired. */
    SOCKS_TTL_EXPIRED,
    /** SOCKS5 reply X'07': the proxy does not support the CONNECT command. */
    SOCKS_COMMAND_NOT_SUPPORTED,
    /**
     * SOCKS5 reply X'08': the proxy does not support the address type sent (a domain name to a
     * proxy that wants addresses: resolve locally with {@link ProxyOptions#withRemoteDns}, or
     * IPv6).
     */
    SOCKS_ADDRESS_TYPE_NOT_SUPPORTED
  }

  /** What failed: {@link #reason()}. */
  private final Reason reason;

  /** Values, not state: kept out of serialized forms like the parts before a failure. */
  private final transient ProxyResponse proxyResponse;

  /** A transport failure. */
  public TransportException(Reason reason, String message) {
    this(reason, message, (Throwable) null);
  }

  /** A transport failure with its underlying cause. */
  public TransportException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.proxyResponse = null;
  }

  /** A proxy's refusal, carrying its reply. */
  public TransportException(Reason reason, String message, ProxyResponse proxyResponse) {
    super(reason + ": " + message, null);
    this.reason = reason;
    this.proxyResponse = proxyResponse;
  }

  /** Why the transport failed. */
  public Reason reason() {
    return reason;
  }

  /**
   * The proxy's reply behind a proxy failure: the status and headers of an HTTP proxy's refusal
   * ({@link Reason#PROXY_AUTH_REQUIRED}, {@link Reason#PROXY_REFUSED}), or a SOCKS5 reply (the
   * {@code SOCKS_*} reasons, and {@link Reason#PROXY_BAD_REPLY} for an unassigned reply code).
   * Empty for every other failure.
   */
  public Optional<ProxyResponse> proxyResponse() {
    return Optional.ofNullable(proxyResponse);
  }
}
