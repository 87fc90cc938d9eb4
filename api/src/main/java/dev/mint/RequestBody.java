// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Objects;

/**
 * The body of a request, decided when the request is made.
 *
 * <ul>
 *   <li>{@link #none()}: no body.
 *   <li>{@link #of(Bytes)}: a fixed body; HTTP/1.1 sends {@code content-length} for it.
 *   <li>{@link #streaming()}: the body follows through {@link HttpConnection#streamRequestBody} and
 *       ends with {@link HttpConnection#endRequestBody}.
 * </ul>
 */
public sealed interface RequestBody
    permits RequestBody.None, RequestBody.Fixed, RequestBody.Streaming {

  /** No body. */
  static RequestBody none() {
    return None.INSTANCE;
  }

  /** A fixed body of these bytes. */
  static RequestBody of(Bytes bytes) {
    return new Fixed(bytes);
  }

  /** A fixed body holding a copy of {@code bytes}. */
  static RequestBody of(byte[] bytes) {
    return new Fixed(Bytes.of(bytes));
  }

  /** A fixed body holding the UTF-8 encoding of {@code text}. */
  static RequestBody utf8(String text) {
    return new Fixed(Bytes.utf8(text));
  }

  /** A body the caller streams after making the request. */
  static RequestBody streaming() {
    return Streaming.INSTANCE;
  }

  /** No body. */
  enum None implements RequestBody {
    /** The only instance. */
    INSTANCE
  }

  /** A body known in full when the request is made. */
  record Fixed(Bytes bytes) implements RequestBody {
    /** Rejects a null value. */
    public Fixed {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A body streamed by the caller. */
  enum Streaming implements RequestBody {
    /** The only instance. */
    INSTANCE
  }
}
