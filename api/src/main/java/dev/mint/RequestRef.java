// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The identity of one request on one connection. Response parts carry the reference of the request
 * they belong to.
 *
 * <p>A reference is opaque: compare it by identity (it does not override {@code equals}); it is not
 * an HTTP/2 stream id. It is immutable and safe to share.
 *
 * <p>It also tells what was sent: {@link #sentHeaders()} is the header section the engine wrote,
 * with the fields it added ({@code host}, {@code user-agent}, the framing), for logs such as {@code
 * mint -v}.
 */
public final class RequestRef {
  private final long sequence;
  private final String label;
  private final Supplier<Headers> sentSource;

  /**
   * The fields sent, once made: by {@link #create(long, String, Headers)}, or on the first call of
   * {@link #sentHeaders()} from {@link #sentSource}. Making them twice in a race gives equal values
   * ({@link Headers} is immutable), so no lock is needed.
   */
  private Headers sentHeaders;

  private RequestRef(
      long sequence, String label, Headers sentHeaders, Supplier<Headers> sentSource) {
    this.sequence = sequence;
    this.label = label;
    this.sentHeaders = sentHeaders;
    this.sentSource = sentSource;
  }

  static {
    dev.mint.internal.ApiDoors.install(
        new dev.mint.internal.ApiDoors.Doors() {
          @Override
          public RequestRef newRequestRef(long sequence, String label) {
            return create(sequence, label);
          }

          @Override
          public RequestRef newRequestRef(long sequence, String label, Headers sentHeaders) {
            return create(sequence, label, sentHeaders);
          }

          @Override
          public RequestRef newRequestRef(
              long sequence, String label, Supplier<Headers> sentHeaders) {
            return new RequestRef(
                sequence, label, null, java.util.Objects.requireNonNull(sentHeaders));
          }

          @Override
          public MintException attachParts(MintException e, List<ResponsePart> parts) {
            return e.attachPartsBeforeFailure(parts);
          }

          @Override
          public Headers headersOver(String[] namesAndValues) {
            return Headers.over(namesAndValues);
          }

          @Override
          public Bytes bytesOver(byte[] array, int offset, int length) {
            return Bytes.over(array, offset, length);
          }
        });
  }

  /**
   * A new reference. Protocol engines make one per request through {@code
   * dev.mint.spi.ApiAccess#newRequestRef}; {@code sequence} orders references made by one
   * connection and appears in {@link #toString()}.
   */
  static RequestRef create(long sequence, String label) {
    return new RequestRef(sequence, label, null, null);
  }

  /**
   * A new reference that records the header fields sent: what {@link #sentHeaders()} returns.
   * Engines make one through {@code dev.mint.spi.ApiAccess#newRequestRef(long, String, Headers)}.
   *
   * @param sentHeaders the fields in the order written, those the engine added included; over
   *     HTTP/2 the pseudo-header fields first
   */
  static RequestRef create(long sequence, String label, Headers sentHeaders) {
    return new RequestRef(sequence, label, java.util.Objects.requireNonNull(sentHeaders), null);
  }

  /**
   * The header fields the engine wrote for this request, in order, including those it added: over
   * HTTP/1.1 {@code host}, {@code user-agent} and {@code content-length} or {@code
   * transfer-encoding} (the request line is not among them); over HTTP/2 the pseudo-header fields
   * ({@code :method}, {@code :scheme}, {@code :authority}, {@code :path}) first, then the regular
   * ones, lower case, with {@code user-agent} when added. Empty when the engine did not record them
   * (a reference made without them).
   */
  public Optional<Headers> sentHeaders() {
    Headers sent = sentHeaders;
    if (sent == null && sentSource != null) {
      sent = sentSource.get();
      sentHeaders = sent;
    }
    return Optional.ofNullable(sent);
  }

  /** The order in which the connection made this reference, starting at 1. */
  public long sequence() {
    return sequence;
  }

  @Override
  public String toString() {
    return "RequestRef#" + sequence + (label.isEmpty() ? "" : "(" + label + ")");
  }
}
