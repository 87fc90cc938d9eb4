// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incremental validator agrees with the JDK's strict decoder, in one piece or byte by byte. */
class Utf8ValidatorTest {

  private static boolean jdkSaysValid(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean whole(byte[] b) {
    Utf8Validator v = new Utf8Validator();
    return v.feed(b, 0, b.length) < 0 && v.isComplete();
  }

  private static boolean byteByByte(byte[] b) {
    Utf8Validator v = new Utf8Validator();
    for (int i = 0; i < b.length; i++) {
      if (v.feed(b, i, 1) >= 0) {
        return false;
      }
    }
    return v.isComplete();
  }

  @Test
  void everyOneAndTwoByteSequenceAndRandomOnesAgreeWithTheJdk() {
    for (int a = 0; a < 256; a++) {
      check(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        check(new byte[] {(byte) a, (byte) b});
      }
    }
    Random random = new Random(42);
    int[] leads = {0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xC2, 0xC1};
    for (int i = 0; i < 200_000; i++) {
      byte[] b = new byte[1 + random.nextInt(6)];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(64) : random.nextInt(256));
      }
      b[0] = (byte) leads[random.nextInt(leads.length)];
      check(b);
    }
  }

  private static void check(byte[] b) {
    boolean expected = jdkSaysValid(b);
    assertEquals(expected, whole(b), () -> java.util.Arrays.toString(b));
    assertEquals(expected, byteByByte(b), () -> java.util.Arrays.toString(b));
  }

  @Test
  void reportsTheIndexOfTheFirstBadByte() {
    byte[] b = {'a', 'b', (byte) 0xE2, (byte) 0x28};
    assertEquals(3, new Utf8Validator().feed(b, 0, b.length));
  }
}
