// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/**
 * Transports and protocols could not be assembled into a connection: a configuration problem, not a
 * network one.
 */
public final class ProviderException extends MintException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the installed providers. */
  public enum Reason {
    /**
     * No connector is installed: add {@code mint-spi} (and a transport and protocol) to the path,
     * or {@code mint-all}, which brings them all.
     */
    NO_CONNECTOR,
    /** Two providers claim the same key (transport name or ALPN protocol id). */
    DUPLICATE_PROVIDER,
    /** A provider failed to load or to start (its class is missing or its constructor threw). */
    PROVIDER_FAILED,
    /**
     * No transport provider serves the requested transport name; the message names the artifact
     * that brings it.
     */
    NO_TRANSPORT_PROVIDER,
    /**
     * No protocol provider serves the requested or negotiated protocol; the message names the
     * artifact that brings it.
     */
    NO_PROTOCOL_PROVIDER,
    /**
     * The options allow no installed protocol that can run on this scheme (over TLS without ALPN,
     * {@link TlsOptions#alpn()} off, only HTTP/1.1 can).
     */
    NO_USABLE_PROTOCOL
  }

  /** What is wrong: {@link #reason()}. */
  private final Reason reason;

  /** The message without the reason: {@link #detail()}. */
  private final String detail;

  /** A provider problem. */
  public ProviderException(Reason reason, String detail) {
    super(reason + ": " + detail, null);
    this.reason = reason;
    this.detail = detail;
  }

  /** The message without the reason in front. */
  public String detail() {
    return detail;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }
}
