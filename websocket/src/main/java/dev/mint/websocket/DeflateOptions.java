// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

/**
 * What the handshake offers of permessage-deflate (RFC 7692 §7), within what {@code java.util.zip}
 * can honour.
 *
 * <p>What {@code java.util.zip} can and cannot do decides the offer: its {@link
 * java.util.zip.Inflater} always keeps a 32 KiB window, which decodes a stream compressed with any
 * smaller window, so any {@code server_max_window_bits} the server picks (8-15) is honoured. Its
 * {@link java.util.zip.Deflater} always compresses with a 15-bit window and cannot be told to use
 * less, so the offer never carries {@code client_max_window_bits}, and a response naming it fails
 * the handshake (RFC 7692 §7.1.2.2).
 *
 * @param serverNoContextTakeover ask the server to compress each message on its own ({@code
 *     server_no_context_takeover}, §7.1.1.1): less memory kept by the server, worse compression;
 *     default false
 * @param clientNoContextTakeover announce that the client compresses each message on its own
 *     ({@code client_no_context_takeover}, §7.1.1.2), letting the server drop its window between
 *     messages; default false. The client also does so when the server asks for it
 * @param serverMaxWindowBits 8..15 to ask the server for a smaller window ({@code
 *     server_max_window_bits}, §7.1.2.1), or 0 (default) to leave it to the server
 * @param level the {@link java.util.zip.Deflater} level for what we send, 0..9 or -1 for the
 *     default; default -1
 */
public record DeflateOptions(
    boolean serverNoContextTakeover,
    boolean clientNoContextTakeover,
    int serverMaxWindowBits,
    int level) {

  private static final DeflateOptions DEFAULTS = new DeflateOptions(false, false, 0, -1);

  /** Checks the values. */
  public DeflateOptions {
    if (serverMaxWindowBits != 0 && (serverMaxWindowBits < 8 || serverMaxWindowBits > 15)) {
      throw new IllegalArgumentException(
          "serverMaxWindowBits must be 8..15 or 0, was " + serverMaxWindowBits);
    }
    if (level < -1 || level > 9) {
      throw new IllegalArgumentException("level must be -1..9, was " + level);
    }
  }

  /** Offer {@code permessage-deflate} with no parameters. */
  public static DeflateOptions defaults() {
    return DEFAULTS;
  }

  /** The {@code sec-websocket-extensions} element offering these options. */
  String offer() {
    StringBuilder sb = new StringBuilder(PerMessageDeflate.NAME);
    if (serverNoContextTakeover) {
      sb.append("; server_no_context_takeover");
    }
    if (clientNoContextTakeover) {
      sb.append("; client_no_context_takeover");
    }
    if (serverMaxWindowBits != 0) {
      sb.append("; server_max_window_bits=").append(serverMaxWindowBits);
    }
    return sb.toString();
  }
}
