// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.Headers;
import org.junit.jupiter.api.Test;

class ApiAccessTest {

  @Test
  void headersOverAnArrayEqualTheCopyOfIt() {
    String[] fields = {"content-type", "text/plain", "x-a", "1", "x-a", "2"};
    Headers over = ApiAccess.headersOver(fields);
    assertEquals(Headers.of(fields.clone()), over);
    assertEquals("text/plain", over.get("Content-Type"));
    assertEquals(3, over.size());
  }

  @Test
  void headersOverAnArrayDoNotCopyIt() {
    String[] fields = {"x-a", "1"};
    Headers over = ApiAccess.headersOver(fields);
    Headers copied = Headers.of(fields);
    fields[1] = "changed"; // what the contract forbids a caller, to show there is no copy
    assertEquals("changed", over.value(0));
    assertEquals("1", copied.value(0));
  }

  @Test
  void headersOverAnEmptyArrayAreTheEmptyList() {
    assertSame(Headers.empty(), ApiAccess.headersOver(new String[0]));
  }

  @Test
  void headersOverRefuseWhatOfRefuses() {
    IllegalArgumentException odd =
        assertThrows(
            IllegalArgumentException.class, () -> ApiAccess.headersOver(new String[] {"x-a"}));
    assertEquals("expected name/value pairs, got 1 strings", odd.getMessage());
    assertThrows(
        NullPointerException.class, () -> ApiAccess.headersOver(new String[] {"x-a", null}));
  }
}
