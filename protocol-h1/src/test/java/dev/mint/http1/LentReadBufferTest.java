// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mint.ResponsePart;
import dev.mint.spi.ReadBuffers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Body bytes read through the shell's lent read buffers ({@link ReadBuffers}) may stay in the array
 * they were read into (large chunks) or be copied (small ones); either way they never change after
 * the part is handed out, however the later bytes arrive.
 */
class LentReadBufferTest {
  private static byte[] body(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + i / 1000);
    }
    return b;
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {65_000, 20_000, 5_000})
  void bodyChunksStayIntactAfterLaterReads(int chunk) throws Exception {
    byte[] body = body(300_000);
    byte[] head =
        ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(head);
    wire.writeBytes(body);
    byte[] all = wire.toByteArray();
    Script.Client c = Checks.client();
    c.get("/");
    List<ResponsePart> parts = new ArrayList<>();
    for (int at = 0; at < all.length; ) {
      try (ReadBuffers.Lease lease = ReadBuffers.lend(1)) {
        ByteBuffer buf = lease.buffer();
        int n = Math.min(Math.min(chunk, all.length - at), buf.remaining());
        buf.put(all, at, n);
        c.engine.receive(lease.flipForReceive(n), parts);
        at += n;
      }
    }
    try (ReadBuffers.Lease lease = ReadBuffers.lend(1)) {
      ByteBuffer b = lease.buffer();
      Arrays.fill(b.array(), b.position(), b.limit(), (byte) 0x55); // a later read fills the rest
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Data d) {
        d.bytes().writeTo(got);
      }
    }
    assertInstanceOf(ResponsePart.Done.class, parts.get(parts.size() - 1));
    assertArrayEquals(body, got.toByteArray());
  }
}
