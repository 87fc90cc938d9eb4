// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) once negotiated: the parameters the server accepted,
 * and one {@link Deflater} and one {@link Inflater} (raw DEFLATE, no zlib header) kept for the
 * length of the connection, reset between messages where a {@code *_no_context_takeover} says so.
 *
 * <p>Sending (§7.2.1): each message (or each fragment of one) is compressed with a sync flush, and
 * the final {@code 00 00 ff ff} of the message is removed. Receiving (§7.2.2): the payload of each
 * frame of a compressed message is inflated as it comes, and {@code 00 00 ff ff} is appended at the
 * message's end. The inflated size is checked against a budget while inflating, so a small payload
 * that inflates to gigabytes (a deflate bomb) fails with {@link CloseCodes#TOO_BIG} after at most
 * the budget, never with an {@link OutOfMemoryError}.
 */
final class PerMessageDeflate {
  /** The extension's token (RFC 7692 §7). */
  static final String NAME = "permessage-deflate";

  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
  private static final int CHUNK = 16 * 1024;

  private final boolean serverNoContextTakeover;
  private final boolean clientNoContextTakeover;
  private final int serverMaxWindowBits;
  private final Deflater deflater;
  private final Inflater inflater = new Inflater(true);

  /** The compressed bytes of the message being received so far. */
  private long compressedBytes;

  private PerMessageDeflate(
      boolean serverNoContextTakeover,
      boolean clientNoContextTakeover,
      int serverMaxWindowBits,
      int level) {
    this.serverNoContextTakeover = serverNoContextTakeover;
    this.clientNoContextTakeover = clientNoContextTakeover;
    this.serverMaxWindowBits = serverMaxWindowBits;
    this.deflater = new Deflater(level, true);
  }

  /** An instance with the given parameters, for tests and for what a handshake accepted. */
  static PerMessageDeflate of(
      boolean serverNoContextTakeover, boolean clientNoContextTakeover, int level) {
    return new PerMessageDeflate(serverNoContextTakeover, clientNoContextTakeover, 15, level);
  }

  /**
   * Checks the server's acceptance of our offer (RFC 7692 §7.1): the parameters of its {@code
   * permessage-deflate} element.
   *
   * @param params the element's parameters after the name: {@code name[=value]} each, already split
   *     and trimmed, quotes removed
   * @throws HandshakeException {@link HandshakeException.Reason#BAD_EXTENSION} for an unknown,
   *     repeated or ill-valued parameter, or {@code client_max_window_bits}, which we never offer
   *     because {@link Deflater} cannot narrow its window (§7.1.2.2)
   */
  static PerMessageDeflate accept(String[] params, DeflateOptions offered, HandshakeContext ctx)
      throws HandshakeException {
    boolean serverNoTakeover = false;
    boolean clientNoTakeover = offered.clientNoContextTakeover();
    int serverBits = 15;
    Set<String> seen = new HashSet<>();
    for (String param : params) {
      int eq = param.indexOf('=');
      String name = (eq < 0 ? param : param.substring(0, eq)).trim();
      String value = eq < 0 ? null : param.substring(eq + 1).trim();
      if (!seen.add(name)) {
        throw ctx.fail(
            HandshakeException.Reason.BAD_EXTENSION,
            "permessage-deflate parameter " + name + " given twice (RFC 7692 §7)");
      }
      switch (name) {
        case "server_no_context_takeover" -> {
          requireNoValue(name, value, ctx);
          serverNoTakeover = true;
        }
        case "client_no_context_takeover" -> {
          requireNoValue(name, value, ctx);
          clientNoTakeover = true;
        }
        case "server_max_window_bits" -> {
          serverBits = windowBits(value, ctx);
          if (offered.serverMaxWindowBits() != 0 && serverBits > offered.serverMaxWindowBits()) {
            throw ctx.fail(
                HandshakeException.Reason.BAD_EXTENSION,
                "server_max_window_bits="
                    + serverBits
                    + " above the offered "
                    + offered.serverMaxWindowBits()
                    + " (RFC 7692 §7.1.2.1)");
          }
        }
        case "client_max_window_bits" ->
            throw ctx.fail(
                HandshakeException.Reason.BAD_EXTENSION,
                "client_max_window_bits in the response, which was not offered: java.util.zip's"
                    + " Deflater cannot narrow its window (RFC 7692 §7.1.2.2)");
        default ->
            throw ctx.fail(
                HandshakeException.Reason.BAD_EXTENSION,
                "unknown permessage-deflate parameter " + name + " (RFC 7692 §7.1)");
      }
    }
    return new PerMessageDeflate(serverNoTakeover, clientNoTakeover, serverBits, offered.level());
  }

  private static void requireNoValue(String name, String value, HandshakeContext ctx)
      throws HandshakeException {
    if (value != null) {
      throw ctx.fail(
          HandshakeException.Reason.BAD_EXTENSION,
          name + " takes no value, got " + value + " (RFC 7692 §7.1.1)");
    }
  }

  private static int windowBits(String value, HandshakeContext ctx) throws HandshakeException {
    if (value != null && value.length() <= 2 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int bits = Integer.parseInt(value);
      if (bits >= 8 && bits <= 15 && !value.startsWith("0")) {
        return bits;
      }
    }
    throw ctx.fail(
        HandshakeException.Reason.BAD_EXTENSION,
        "server_max_window_bits must be 8..15, got " + value + " (RFC 7692 §7.1.2)");
  }

  /** Whether the server compresses each message on its own. */
  boolean serverNoContextTakeover() {
    return serverNoContextTakeover;
  }

  /** Whether we compress each message on our own. */
  boolean clientNoContextTakeover() {
    return clientNoContextTakeover;
  }

  /** The server's window size, as bits (15 when it set none). */
  int serverMaxWindowBits() {
    return serverMaxWindowBits;
  }

  /** The response element as the server would have sent it, for logs and {@link WebSocket}. */
  String describe() {
    return NAME
        + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
        + (clientNoContextTakeover ? "; client_no_context_takeover" : "")
        + (serverMaxWindowBits != 15 ? "; server_max_window_bits=" + serverMaxWindowBits : "");
  }

  /** Compresses one frame's worth of a message being sent; {@code fin} marks the message's last. */
  byte[] compress(byte[] data, int offset, int length, boolean fin) {
    deflater.setInput(data, offset, length);
    byte[] out = new byte[Math.max(64, length / 2 + 64)];
    int size = 0;
    while (true) {
      size += deflater.deflate(out, size, out.length - size, Deflater.SYNC_FLUSH);
      if (size < out.length) {
        break; // a sync flush that did not fill the buffer has written everything
      }
      out = Arrays.copyOf(out, out.length * 2);
    }
    if (fin) {
      if (size >= 4 && Arrays.equals(out, size - 4, size, TAIL, 0, 4)) {
        size -= 4;
      } else if (size == 0) {
        // zlib writes nothing for a sync flush with no input right after another; the message
        // still needs the empty block's first byte, or the receiver's appended tail opens a stored
        // block that swallows the next message (RFC 7692 §7.2.3.6: an empty message is 0x00).
        out[0] = 0x00;
        size = 1;
      }
      if (clientNoContextTakeover) {
        deflater.reset();
      }
    }
    return Arrays.copyOf(out, size);
  }

  /**
   * Inflates one frame's payload of a compressed message; {@code fin} marks the message's last.
   *
   * @param budget the most bytes the output may have
   * @throws WebSocketException {@link CloseCodes#TOO_BIG} past the budget, {@link
   *     CloseCodes#INVALID_PAYLOAD} for bytes that are not DEFLATE data
   */
  byte[] decompress(byte[] payload, boolean fin, int budget) throws WebSocketException {
    Output out =
        new Output(budget, (int) Math.min(budget + 1L, Math.max(CHUNK, payload.length * 4L)));
    inflate(payload, out);
    compressedBytes += payload.length;
    if (fin) {
      // An empty message may come as an empty payload with RSV1 set: the tail alone would open a
      // stored block and swallow the next message, so it is appended only after some data.
      if (!inflater.finished() && compressedBytes > 0) {
        inflate(TAIL, out);
      }
      compressedBytes = 0;
      if (serverNoContextTakeover || inflater.finished()) {
        // A final block ends the DEFLATE stream: the next message starts a new one.
        inflater.reset();
      }
    }
    return out.toArray();
  }

  private void inflate(byte[] input, Output out) throws WebSocketException {
    if (inflater.finished()) {
      return; // bytes after a final block (RFC 7692 §7.2.3.4's trailing 0x00) carry nothing
    }
    inflater.setInput(input);
    try {
      while (true) {
        byte[] buffer = out.space();
        int n = inflater.inflate(buffer, out.size, buffer.length - out.size);
        if (n == 0) {
          if (inflater.needsDictionary()) {
            throw new WebSocketException(
                CloseCodes.INVALID_PAYLOAD, "compressed data asks for a preset dictionary");
          }
          return; // needs input, or the stream finished
        }
        out.size += n;
        out.checkBudget();
      }
    } catch (DataFormatException e) {
      throw new WebSocketException(
          CloseCodes.INVALID_PAYLOAD,
          "compressed message is not valid DEFLATE data (RFC 7692 §7.2.2): " + e.getMessage(),
          java.util.List.of(),
          e);
    }
  }

  /** Releases the native memory of the compressor and decompressor. */
  void end() {
    deflater.end();
    inflater.end();
  }

  /** A growing output buffer that refuses to pass its budget. */
  private static final class Output {
    private final int budget;
    private byte[] buffer;
    private int size;

    Output(int budget, int initial) {
      this.budget = budget;
      this.buffer = new byte[Math.max(1, initial)];
    }

    /**
     * The buffer, with room for at least one more byte: it grows to one byte past the budget, so
     * that output exactly at the budget passes and one byte more is seen.
     */
    byte[] space() {
      if (size == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(budget + 1L, 2L * buffer.length));
      }
      return buffer;
    }

    void checkBudget() throws WebSocketException {
      if (size > budget) {
        throw new WebSocketException(
            CloseCodes.TOO_BIG,
            "a compressed message inflates past " + budget + " bytes (maxMessageSize)");
      }
    }

    byte[] toArray() {
      return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }
  }
}
