// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** The inputs of {@link Http2FrameBenchmark} decode to the frames it claims to measure. */
class Http2FrameBenchmarkTest {
  @Test
  void decodesWholeFramesOfTheStatedSizes() throws Exception {
    Http2FrameBenchmark b = new Http2FrameBenchmark();
    b.setUp();
    for (int i = 0; i < 3; i++) {
      DataFrame data = assertInstanceOf(DataFrame.class, b.decodeData16KiB());
      assertEquals(16_384, data.data().length());
    }
    assertEquals(2, b.encodeData16KiB().length);
    assertEquals(16_384, b.encodeData16KiB()[1].remaining());
    assertEquals(40, b.encodeRequestHeaders()[1].remaining());
  }
}
