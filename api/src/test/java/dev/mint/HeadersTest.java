// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void keepsOrderDuplicatesAndCaseAndLooksUpIgnoringCase() {
    Headers h = Headers.of("Accept", "a", "x-b", "1", "ACCEPT", "b");
    assertEquals(3, h.size());
    assertEquals("Accept", h.name(0));
    assertEquals("ACCEPT", h.name(2));
    assertEquals("a", h.get("accept"));
    assertEquals(List.of("a", "b"), h.getAll("aCcEpT"));
    assertTrue(h.contains("X-B"));
    assertNull(h.get("missing"));
    assertEquals(List.of(), h.getAll("missing"));
  }

  @Test
  void ofRejectsOddCountsAndNulls() {
    assertThrows(IllegalArgumentException.class, () -> Headers.of("a"));
    assertThrows(NullPointerException.class, () -> Headers.of("a", null));
    assertSame(Headers.empty(), Headers.of());
  }

  @Test
  void isImmutableAgainstTheCallersArray() {
    String[] fields = {"a", "1"};
    Headers h = Headers.of(fields);
    fields[1] = "changed";
    assertEquals("1", h.get("a"));
  }

  @Test
  void withAndWithoutMakeCopies() {
    Headers h = Headers.of("a", "1");
    Headers more = h.with("b", "2");
    assertEquals(1, h.size());
    assertEquals(2, more.size());
    Headers less = Headers.of("a", "1", "b", "2", "A", "3").without("a");
    assertEquals(Headers.of("b", "2"), less);
  }

  @Test
  void builderSetReplacesEveryOccurrence() {
    Headers h = Headers.builder().add("a", "1").add("b", "2").add("A", "3").set("a", "4").build();
    assertEquals(Headers.of("b", "2", "a", "4"), h);
    assertEquals(h, h.toBuilder().build());
    assertSame(Headers.empty(), Headers.builder().build());
  }

  @Test
  void forEachVisitsInOrder() {
    List<String> seen = new ArrayList<>();
    Headers.of("a", "1", "b", "2").forEach((n, v) -> seen.add(n + "=" + v));
    assertEquals(List.of("a=1", "b=2"), seen);
  }

  @Test
  void equalityIsByFields() {
    assertEquals(Headers.of("a", "1"), Headers.of("a", "1"));
    assertEquals(Headers.of("a", "1").hashCode(), Headers.of("a", "1").hashCode());
    assertFalse(Headers.of("a", "1").equals(Headers.of("A", "1")));
    assertEquals("Headers[a: 1, b: 2]", Headers.of("a", "1", "b", "2").toString());
  }

  @Test
  void indexesAreChecked() {
    assertThrows(IndexOutOfBoundsException.class, () -> Headers.of("a", "1").name(1));
    assertThrows(IndexOutOfBoundsException.class, () -> Headers.empty().value(0));
  }
}
