// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.MintException;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.internal.ApiDoors;
import java.util.List;
import java.util.function.Supplier;

/**
 * What protocol engines and connection shells may do to API values and callers may not: make the
 * {@link RequestRef} of a new request, attach to a failure the parts parsed before it, and make a
 * {@link Bytes} or {@link Headers} value over an array they give up. Kept out of the API that
 * callers see ({@code dev.mint}), so that a reference is only ever made by a connection and parts
 * are attached only by the connection that throws.
 */
public final class ApiAccess {
  private ApiAccess() {}

  /**
   * A new reference; an engine makes one per request (or ping, or pushed response). {@code
   * sequence} orders the references one connection made, from 1, and appears in {@link
   * RequestRef#toString()} with {@code label}.
   */
  public static RequestRef newRequestRef(long sequence, String label) {
    return ApiDoors.doors().newRequestRef(sequence, label);
  }

  /**
   * A new reference that records the header fields the engine wrote, in order, those it added
   * included (see {@link RequestRef#sentHeaders()}).
   */
  public static RequestRef newRequestRef(long sequence, String label, Headers sentHeaders) {
    return ApiDoors.doors().newRequestRef(sequence, label, sentHeaders);
  }

  /**
   * The same, with the fields made only when {@link RequestRef#sentHeaders()} is first called, so
   * that a request nobody asks about costs no copy of its header section. {@code sentHeaders} must
   * give the same fields whenever it is called and hold nothing large (a request body) alive.
   */
  public static RequestRef newRequestRef(
      long sequence, String label, Supplier<Headers> sentHeaders) {
    return ApiDoors.doors().newRequestRef(sequence, label, sentHeaders);
  }

  /**
   * A {@link Bytes} value over {@code length} bytes of {@code array} from {@code offset}, without a
   * copy. The caller gives those bytes up: neither it nor anything it hands the array to may write
   * them again, since the value must stay immutable forever. For a body chunk in an array the
   * engine or shell will not reuse (see {@link ReadBuffers#bodyChunk}); {@link ReadBuffers} alone
   * also makes borrowed ones, over bytes not reused before the thread's next receiving call, for
   * connections that asked for them ({@link dev.mint.ConnectOptions#borrowBodies()}).
   */
  public static Bytes bytesOver(byte[] array, int offset, int length) {
    return ApiDoors.doors().bytesOver(array, offset, length);
  }

  /**
   * A {@link Headers} over {@code namesAndValues} (alternating names and values, as {@link
   * Headers#of}) without the copy {@code of} makes. The caller gives the array up: neither it nor
   * anything it hands the array to may write it again, since the value must stay immutable forever.
   * For an engine's received header section, whose array it builds once per section.
   *
   * @throws IllegalArgumentException when given an odd number of strings
   * @throws NullPointerException when any string is null
   */
  public static Headers headersOver(String[] namesAndValues) {
    return ApiDoors.doors().headersOver(namesAndValues);
  }

  /**
   * Attaches the parts parsed before the failure {@code e} (see {@link
   * MintException#partsBeforeFailure()}); at most once per exception, by the connection that throws
   * it.
   *
   * @return {@code e}, to be thrown
   * @throws IllegalStateException when parts were already attached
   */
  public static <E extends MintException> E attachParts(E e, List<ResponsePart> parts) {
    ApiDoors.doors().attachParts(e, parts);
    return e;
  }
}
