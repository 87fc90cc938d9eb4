// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The server's side of the wire in tests: frames it sends, and a reader of what the client sent.
 */
final class Wire {
  private Wire() {}

  /** A frame as the server sends it (unmasked), with the first byte given whole. */
  static byte[] frame(int firstByte, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    int n = payload.length;
    if (n < 126) {
      out.write(n);
    } else if (n <= 0xFFFF) {
      out.write(126);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) n >>> shift));
      }
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A frame the client sent, unmasked. */
  record ClientFrame(int opcode, boolean fin, boolean rsv1, byte[] key, byte[] payload) {}

  /** Reads the client's frames, checking each is masked. */
  static List<ClientFrame> clientFrames(ByteBuffer in) {
    List<ClientFrame> frames = new ArrayList<>();
    while (in.hasRemaining()) {
      int b0 = in.get() & 0xFF;
      int b1 = in.get() & 0xFF;
      assertTrue((b1 & 0x80) != 0, "client frames are masked (RFC 6455 §5.3)");
      long n = b1 & 0x7F;
      if (n == 126) {
        n = in.getShort() & 0xFFFF;
      } else if (n == 127) {
        n = in.getLong();
      }
      byte[] key = new byte[4];
      in.get(key);
      byte[] payload = new byte[(int) n];
      in.get(payload);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= key[i & 3];
      }
      frames.add(new ClientFrame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 & 0x40) != 0, key, payload));
    }
    return frames;
  }

  /** The one frame the client sent. */
  static ClientFrame onlyClientFrame(WebSocketCodec codec) {
    List<ClientFrame> frames = clientFrames(codec.takeOutput());
    assertEquals(1, frames.size(), "frames sent");
    return frames.get(0);
  }

  /** A SecureRandom giving the same bytes every time, for the RFC's masked examples. */
  static SecureRandom fixedKey(int... key) {
    byte[] k = bytes(key);
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = k[i % k.length];
        }
      }
    };
  }

  /** What a run of the codec on some input gave: the messages, then the error if any. */
  record Outcome(List<Message> messages, Integer closeCode, String error) {}

  /** Runs {@code input} through {@code codec}, cut at {@code cuts}. */
  static Outcome run(WebSocketCodec codec, byte[] input, int[] cuts) {
    List<Message> messages = new ArrayList<>();
    int from = 0;
    try {
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : input.length;
        ByteBuffer piece = ByteBuffer.wrap(input, from, to - from);
        messages.addAll(codec.receive(piece));
        assertEquals(0, piece.remaining(), "the codec takes every byte");
        from = to;
      }
      return new Outcome(messages, null, null);
    } catch (WebSocketException e) {
      messages.addAll(e.messagesBeforeFailure());
      return new Outcome(messages, e.closeCode(), e.getMessage());
    }
  }

  /**
   * Runs {@code input} whole, one byte at a time and in random splits, each on a fresh codec from
   * {@code codecs}, asserts the three agree, and returns the outcome.
   */
  static Outcome everySplit(java.util.function.Supplier<WebSocketCodec> codecs, byte[] input) {
    Outcome whole = run(codecs.get(), input, new int[0]);
    int[] each = new int[Math.max(0, input.length - 1)];
    for (int i = 0; i < each.length; i++) {
      each[i] = i + 1;
    }
    assertSame(whole, run(codecs.get(), input, each), "byte by byte");
    Random random = new Random(input.length);
    for (int round = 0; round < 5; round++) {
      int[] cuts = random.ints(random.nextInt(8), 0, input.length + 1).sorted().toArray();
      assertSame(whole, run(codecs.get(), input, cuts), "split at " + Arrays.toString(cuts));
    }
    return whole;
  }

  private static void assertSame(Outcome expected, Outcome actual, String how) {
    assertEquals(expected.messages(), actual.messages(), how);
    assertEquals(expected.closeCode(), actual.closeCode(), how);
  }
}
