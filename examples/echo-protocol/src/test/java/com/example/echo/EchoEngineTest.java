// SPDX-License-Identifier: Apache-2.0
package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The toy engine at byte level, whole, one byte at a time and randomly split. */
class EchoEngineTest {
  private static final byte[] ECHOES = "hello\n\nthird line\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void requestsAreLinesAndEchoesAreAnsweredInOrder() throws Exception {
    for (List<byte[]> split : splits()) {
      EchoEngine engine = new EchoEngine();
      List<RequestRef> refs = new ArrayList<>();
      for (String line : List.of("hello", "", "third line")) {
        refs.add(engine.request("ECHO", line, Headers.empty(), RequestBody.none()));
      }
      assertEquals(
          "hello\n\nthird line\n",
          StandardCharsets.UTF_8.decode(engine.output().drain()).toString());
      List<ResponsePart> parts = new ArrayList<>();
      for (byte[] piece : split) {
        engine.receive(ByteBuffer.wrap(piece), parts);
      }
      List<ResponsePart> expected = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        RequestRef ref = refs.get(i);
        expected.add(new ResponsePart.Status(ref, 200));
        expected.add(new ResponsePart.Headers(ref, Headers.empty()));
        expected.add(
            new ResponsePart.Data(ref, Bytes.utf8(List.of("hello", "", "third line").get(i))));
        expected.add(new ResponsePart.Done(ref));
      }
      assertEquals(expected, parts);
      assertEquals(0, engine.openRequestCount());
    }
  }

  @Test
  void aLineNobodyAskedForEndsTheConnection() {
    EchoEngine engine = new EchoEngine();
    HttpException e =
        assertThrows(
            HttpException.class,
            () ->
                engine.receive(
                    ByteBuffer.wrap("x\n".getBytes(StandardCharsets.UTF_8)), new ArrayList<>()));
    assertEquals(HttpException.Reason.UNEXPECTED_DATA, e.reason());
    assertEquals(HttpException.Scope.CONNECTION, e.scope());
    assertTrue(engine.isClosed());
  }

  @Test
  void invalidRequestsAreTheCallersAndQueueNothing() {
    EchoEngine engine = new EchoEngine();
    assertThrows(
        HttpException.class, () -> engine.request("GET", "x", Headers.empty(), RequestBody.none()));
    assertThrows(
        HttpException.class,
        () -> engine.request("ECHO", "a\nb", Headers.empty(), RequestBody.none()));
    assertThrows(
        HttpException.class,
        () -> engine.request("ECHO", "x", Headers.empty(), RequestBody.utf8("body")));
    assertTrue(engine.output().isEmpty());
    assertEquals(0, engine.openRequestCount());
  }

  /** {@link #ECHOES} whole, one byte at a time, and in random pieces. */
  private static List<List<byte[]>> splits() {
    List<byte[]> bytes = new ArrayList<>();
    for (byte b : ECHOES) {
      bytes.add(new byte[] {b});
    }
    List<byte[]> random = new ArrayList<>();
    Random rnd = new Random(7);
    for (int at = 0; at < ECHOES.length; ) {
      int n = Math.min(ECHOES.length - at, 1 + rnd.nextInt(5));
      random.add(Arrays.copyOfRange(ECHOES, at, at + n));
      at += n;
    }
    return List.of(List.of(ECHOES), bytes, random);
  }
}
