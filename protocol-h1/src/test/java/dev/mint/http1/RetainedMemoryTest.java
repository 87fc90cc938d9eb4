// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the receive half keeps between calls: a failed or closed engine, which nothing will parse
 * again, lets go of the fields and lines it had collected, and a healthy one does not hold on to
 * the buffers a long line once needed. Measured with {@link Http1Engine#retainedBytes()}, every
 * mode of splitting.
 */
class RetainedMemoryTest {
  /** What an idle engine holds: its small line buffer. */
  private static final int IDLE = 1024;

  private static final Http1Options LIMITS =
      Http1Options.defaults()
          .withMaxHeaderSectionSize(64 * 1024)
          .withMaxTrailerSectionSize(64 * 1024);

  /** About 60 KiB of valid fields, under both limits. */
  private static final String FIELDS = ("x-pad: " + "p".repeat(1000) + "\r\n").repeat(60);

  private static Script.Step idle() {
    return c ->
        assertTrue(
            c.engine.retainedBytes() < IDLE,
            "the engine keeps " + c.engine.retainedBytes() + " bytes after " + c.engine);
  }

  @Test
  void fieldsOfAnUnfinishedSectionAreCounted() throws Exception {
    Script.Client c = Checks.client(LIMITS);
    c.get("/");
    c.engine.receive(
        ByteBuffer.wrap(Script.bytes("HTTP/1.1 200 OK\r\n" + FIELDS)), new ArrayList<>());
    assertTrue(c.engine.retainedBytes() > 60_000, "retained " + c.engine.retainedBytes());
  }

  @Test
  void headerSectionTooLargeReleasesTheFields() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n" + FIELDS + "x-last: " + "z".repeat(8000) + "\r\n\r\n")
        .http1(LIMITS)
        .after(idle())
        .run()
        .fails(Reason.HEADER_SECTION_TOO_LARGE);
  }

  @Test
  void malformedFieldReleasesTheFields() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n" + FIELDS + "bad header\r\n\r\n")
        .http1(LIMITS)
        .after(idle())
        .run()
        .fails(Reason.INVALID_RESPONSE_HEADER);
  }

  @Test
  void foldedValueReleasedOnFailure() throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\nx-f: a\r\n"
                + (" " + "f".repeat(999) + "\r\n").repeat(60)
                + " \0\r\n\r\n")
        .http1(LIMITS)
        .after(idle())
        .run()
        .fails(Reason.INVALID_RESPONSE_HEADER);
  }

  @Test
  void trailerSectionTooLargeReleasesTheTrailers() throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n"
                + FIELDS
                + "x-last: "
                + "z".repeat(8000))
        .http1(LIMITS)
        .after(idle())
        .run()
        .fails(
            Reason.TRAILER_SECTION_TOO_LARGE,
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]");
  }

  @Test
  void prematureCloseReleasesTheFields() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n" + FIELDS)
        .http1(LIMITS)
        .thenClose()
        .after(idle())
        .run()
        .fails(Reason.PREMATURE_CLOSE);
  }

  @Test
  void closeAndCancelReleaseTheFields() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n" + FIELDS)
        .http1(LIMITS)
        .after(
            c -> {
              c.engine.close();
              idle().run(c);
            })
        .run()
        .parts()
        .closed(true);
    Script.of("HTTP/1.1 200 OK\r\n" + FIELDS)
        .http1(LIMITS)
        .after(
            c -> {
              c.engine.cancelRequest(c.ref(1), new ArrayList<>());
              idle().run(c);
            })
        .run()
        .parts()
        .closed(true);
  }

  /**
   * A long value read from a direct buffer is copied out of it; once the section is parsed, a
   * long-lived connection keeps nothing of that copy.
   */
  @Test
  void longValueFromADirectBufferLeavesNoLargeScratch() throws Exception {
    Script.Client c = Checks.client(LIMITS);
    c.get("/");
    byte[] response =
        Script.bytes("HTTP/1.1 204 No Content\r\nx-long: " + "v".repeat(50_000) + "\r\n\r\n");
    ByteBuffer direct = ByteBuffer.allocateDirect(response.length).put(response).flip();
    List<ResponsePart> out = new ArrayList<>();
    c.engine.receive(direct, out);
    assertEquals(3, out.size());
    idle().run(c);
  }
}
