// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The root of every error Mint reports. It is an {@link IOException}, so code that already handles
 * I/O failures handles Mint's.
 *
 * <ul>
 *   <li>{@link TransportException}: the byte pipe failed (socket, TLS, timeouts, resolution).
 *   <li>{@link HttpException}: the protocol was broken, by the peer or by the caller.
 *   <li>{@link ProviderException}: transports and protocols could not be assembled.
 * </ul>
 *
 * <p><b>No parsed part is lost.</b> When {@link HttpConnection#stream()} or {@link
 * HttpConnection#recv} fails, the response parts parsed before the failure are attached to the
 * exception and available from {@link #partsBeforeFailure()}; handle them before the error.
 */
public abstract sealed class MintException extends IOException
    permits TransportException, HttpException, ProviderException {
  private static final long serialVersionUID = 1L;

  private transient List<ResponsePart> partsBeforeFailure = List.of();
  private transient boolean partsAttached;

  /** An exception with a message and an optional cause. */
  protected MintException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The response parts parsed before this failure, in order; empty when there were none. The last
   * requests in this list may be incomplete: their {@link ResponsePart.Done} never came.
   */
  public List<ResponsePart> partsBeforeFailure() {
    return partsBeforeFailure;
  }

  /**
   * Attaches the parts parsed before the failure. Like {@link Throwable#initCause}, this may be
   * called at most once, by the connection that throws the exception (through {@code
   * dev.mint.spi.ApiAccess#attachParts}).
   *
   * @return this exception
   * @throws IllegalStateException when parts were already attached
   */
  final MintException attachPartsBeforeFailure(List<ResponsePart> parts) {
    if (partsAttached) {
      throw new IllegalStateException("parts already attached");
    }
    partsAttached = true;
    partsBeforeFailure = List.copyOf(Objects.requireNonNull(parts, "parts"));
    return this;
  }
}
