package dev.mint;

import java.util.List;

/**
 * The identity of one request on one connection. Response parts carry the reference of the request
 * they belong to.
 *
 * <p>A reference is opaque: compare it by identity (it does not override {@code equals}); it is not
 * an HTTP/2 stream id. It is immutable and safe to share.
 */
public final class RequestRef {
  private final long sequence;
  private final String label;

  private RequestRef(long sequence, String label) {
    this.sequence = sequence;
    this.label = label;
  }

  static {
    dev.mint.internal.ApiDoors.install(
        new dev.mint.internal.ApiDoors.Doors() {
          @Override
          public RequestRef newRequestRef(long sequence, String label) {
            return create(sequence, label);
          }

          @Override
          public MintException attachParts(MintException e, List<ResponsePart> parts) {
            return e.attachPartsBeforeFailure(parts);
          }
        });
  }

  /**
   * A new reference. Protocol engines make one per request through {@code
   * dev.mint.spi.ApiAccess#newRequestRef}; {@code sequence} orders references made by one
   * connection and appears in {@link #toString()}.
   */
  static RequestRef create(long sequence, String label) {
    return new RequestRef(sequence, label);
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
