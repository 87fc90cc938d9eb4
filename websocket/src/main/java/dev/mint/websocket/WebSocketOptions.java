// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Headers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one WebSocket: limits, how received data is delivered, what the handshake offers.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with*} methods.
 *
 * @param maxFrameSize the largest frame payload accepted, in bytes; default {@value
 *     #DEFAULT_MAX_FRAME_SIZE} (64 MiB, as large as a message: a message is usually one frame, and
 *     compressing data that does not compress makes the frame a little larger than the message).
 *     Protects against a header announcing a huge frame: the announced length is checked before any
 *     payload is buffered. A bigger frame closes the connection with {@link CloseCodes#TOO_BIG}.
 * @param maxMessageSize the largest message accepted, in bytes after decompression, summed over its
 *     fragments; default {@value #DEFAULT_MAX_MESSAGE_SIZE} (64 MiB). Bounds the memory a message
 *     (or a deflate bomb) can take; also applied to each decompressed frame in {@link
 *     Delivery#FRAMES} mode. A bigger one closes the connection with {@link CloseCodes#TOO_BIG}.
 * @param delivery whole messages (default) or one {@link Message.Fragment} per data frame
 * @param autoPong whether a received ping is answered with a pong carrying its payload (default
 *     true; RFC 6455 §5.5.3 requires an answer, so a caller who turns this off sends it)
 * @param deflate the permessage-deflate offer (RFC 7692), or {@code null} to offer none; default
 *     {@link DeflateOptions#defaults()}
 * @param subprotocols the subprotocols offered in {@code sec-websocket-protocol}, most preferred
 *     first; default none
 * @param headers extra header fields sent with the handshake ({@code origin}, {@code
 *     authorization}, ...); default none. The fields the handshake sets itself may not be given
 * @param maxRejectionBodySize the most bytes of a refusing response's body kept in its {@link
 *     HandshakeException}; the rest is dropped; default {@value #DEFAULT_MAX_REJECTION_BODY_SIZE}
 * @param sendTimeout passive mode: the longest a send waits for the connection to take its bytes
 *     (over HTTP/2, for the server to open its flow-control window); default 30 seconds
 */
public record WebSocketOptions(
    int maxFrameSize,
    int maxMessageSize,
    Delivery delivery,
    boolean autoPong,
    DeflateOptions deflate,
    List<String> subprotocols,
    Headers headers,
    int maxRejectionBodySize,
    Duration sendTimeout) {

  /** Default {@link #maxFrameSize()}: 64 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;

  /** Default {@link #maxMessageSize()}: 64 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

  /** Default {@link #maxRejectionBodySize()}: 64 KiB. */
  public static final int DEFAULT_MAX_REJECTION_BODY_SIZE = 64 * 1024;

  private static final WebSocketOptions DEFAULTS =
      new WebSocketOptions(
          DEFAULT_MAX_FRAME_SIZE,
          DEFAULT_MAX_MESSAGE_SIZE,
          Delivery.MESSAGES,
          true,
          DeflateOptions.defaults(),
          List.of(),
          Headers.empty(),
          DEFAULT_MAX_REJECTION_BODY_SIZE,
          Duration.ofSeconds(30));

  /** How received data frames are handed to the caller. */
  public enum Delivery {
    /** Whole {@link Message.Text} and {@link Message.Binary} messages. */
    MESSAGES,
    /** One {@link Message.Fragment} per data frame. */
    FRAMES
  }

  /** Checks the values. */
  public WebSocketOptions {
    if (maxFrameSize < 125) {
      throw new IllegalArgumentException("maxFrameSize must be at least 125, was " + maxFrameSize);
    }
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
    }
    if (maxRejectionBodySize < 0) {
      throw new IllegalArgumentException("maxRejectionBodySize must be >= 0");
    }
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(headers, "headers");
    if (sendTimeout.isNegative() || sendTimeout.isZero()) {
      throw new IllegalArgumentException("sendTimeout must be positive, was " + sendTimeout);
    }
    subprotocols = List.copyOf(subprotocols);
    for (String p : subprotocols) {
      if (!Handshake.isToken(p)) {
        throw new IllegalArgumentException("a subprotocol is a token (RFC 6455 §4.1), got " + p);
      }
    }
  }

  /** The defaults listed above. */
  public static WebSocketOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code maxFrameSize} changed. */
  public WebSocketOptions withMaxFrameSize(int value) {
    return with(c -> c.maxFrameSize = value);
  }

  /** A copy with {@code maxMessageSize} changed. */
  public WebSocketOptions withMaxMessageSize(int value) {
    return with(c -> c.maxMessageSize = value);
  }

  /** A copy with {@code delivery} changed. */
  public WebSocketOptions withDelivery(Delivery value) {
    return with(c -> c.delivery = value);
  }

  /** A copy with {@code autoPong} changed. */
  public WebSocketOptions withAutoPong(boolean value) {
    return with(c -> c.autoPong = value);
  }

  /** A copy with {@code deflate} changed; {@code null} offers no compression. */
  public WebSocketOptions withDeflate(DeflateOptions value) {
    return with(c -> c.deflate = value);
  }

  /** A copy offering {@code value} as subprotocols, most preferred first. */
  public WebSocketOptions withSubprotocols(List<String> value) {
    return with(c -> c.subprotocols = value);
  }

  /** A copy sending {@code value} as extra handshake header fields. */
  public WebSocketOptions withHeaders(Headers value) {
    return with(c -> c.headers = value);
  }

  /** A copy with {@code sendTimeout} changed. */
  public WebSocketOptions withSendTimeout(Duration value) {
    return with(c -> c.sendTimeout = value);
  }

  /** A copy with {@code maxRejectionBodySize} changed. */
  public WebSocketOptions withMaxRejectionBodySize(int value) {
    return with(c -> c.maxRejectionBodySize = value);
  }

  /** A copy with one change, checked like any new value. */
  private WebSocketOptions with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new WebSocketOptions(
        c.maxFrameSize,
        c.maxMessageSize,
        c.delivery,
        c.autoPong,
        c.deflate,
        c.subprotocols,
        c.headers,
        c.maxRejectionBodySize,
        c.sendTimeout);
  }

  /** The fields of a copy being changed. */
  private static final class Copy {
    int maxFrameSize;
    int maxMessageSize;
    Delivery delivery;
    boolean autoPong;
    DeflateOptions deflate;
    List<String> subprotocols;
    Headers headers;
    int maxRejectionBodySize;
    Duration sendTimeout;

    Copy(WebSocketOptions o) {
      maxFrameSize = o.maxFrameSize;
      maxMessageSize = o.maxMessageSize;
      delivery = o.delivery;
      autoPong = o.autoPong;
      deflate = o.deflate;
      subprotocols = o.subprotocols;
      headers = o.headers;
      maxRejectionBodySize = o.maxRejectionBodySize;
      sendTimeout = o.sendTimeout;
    }
  }
}
