// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mint.spi.ApiAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Streams} finds every live stream by identifier, and no other, through random opens and
 * closes that grow its table and make its probes collide and wrap, against a map kept beside it.
 */
class StreamsTableTest {
  private static final int STEPS = 20_000;

  @Test
  void findsExactlyTheLiveStreams() {
    Random random = new Random(20_261_205);
    Streams streams = new Streams(1);
    Map<Integer, Stream> expected = new LinkedHashMap<>();
    long sequence = 0;
    for (int step = 0; step < STEPS; step++) {
      if (expected.isEmpty() || random.nextInt(100) < (expected.size() < 300 ? 55 : 45)) {
        int id = random.nextInt(4) == 0 ? 2 * random.nextInt(1 << 20) + 2 : streams.takeLocalId();
        if (expected.containsKey(id)) {
          continue;
        }
        Stream s = new Stream(id, ApiAccess.newRequestRef(++sequence, ""), "GET", 10, 10);
        streams.add(s);
        expected.put(id, s);
      } else {
        List<Integer> ids = new ArrayList<>(expected.keySet());
        Stream s = expected.remove(ids.get(random.nextInt(ids.size())));
        streams.remove(s, false);
        assertEquals(null, streams.get(s.id), "stream " + s.id + " after its removal");
      }
      for (Stream s : expected.values()) {
        assertSame(s, streams.get(s.id), "stream " + s.id + " at step " + step);
      }
      assertEquals(List.copyOf(expected.values()), streams.all(), "opening order at " + step);
    }
  }
}
