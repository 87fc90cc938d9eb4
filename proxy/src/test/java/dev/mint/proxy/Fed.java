// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a {@link Handshake} made of the proxy's bytes fed to it in pieces: the bytes it queued to
 * send, then either its reply and the bytes left past it, a failure, or a wait for more. {@link
 * #everySplit} feeds the same bytes whole, byte by byte and randomly cut, and asserts every way
 * gives the same outcome: the chunking invariant of a sans-I/O codec.
 *
 * @param sent every byte the handshake queued, in order
 * @param response the reply, when the handshake completed
 * @param surplus the bytes fed past the reply
 * @param error the failure
 */
record Fed(byte[] sent, ProxyResponse response, byte[] surplus, TransportException error) {

  /** Feeds {@code pieces} in order, draining the output after every step. */
  static Fed feed(Handshake handshake, List<byte[]> pieces) {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    drain(handshake.output(), sent);
    for (int i = 0; i < pieces.size(); i++) {
      ByteBuffer in = ByteBuffer.wrap(pieces.get(i));
      Handshake.Progress progress;
      do {
        try {
          progress = handshake.receive(in);
        } catch (TransportException e) {
          return new Fed(sent.toByteArray(), null, null, e);
        }
        drain(handshake.output(), sent);
      } while (progress == Handshake.Progress.SEND);
      if (progress == Handshake.Progress.DONE) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        drain(in, rest);
        for (byte[] later : pieces.subList(i + 1, pieces.size())) {
          rest.write(later, 0, later.length);
        }
        return new Fed(sent.toByteArray(), handshake.response(), rest.toByteArray(), null);
      }
      assertEquals(0, in.remaining(), "NEED_MORE leaves nothing unconsumed");
    }
    return new Fed(sent.toByteArray(), null, null, null);
  }

  /** Feeds {@code all} in every split to fresh handshakes; all must agree. Returns the outcome. */
  static Fed everySplit(Supplier<Handshake> handshakes, byte[] all) {
    Fed first = null;
    for (Splits.Split split : Splits.of(all)) {
      Fed fed = feed(handshakes.get(), split.pieces());
      if (first == null) {
        first = fed;
        continue;
      }
      assertArrayEquals(first.sent, fed.sent, split.name() + ": sent");
      assertEquals(first.response, fed.response, split.name() + ": reply");
      assertArrayEquals(first.surplus, fed.surplus, split.name() + ": surplus");
      assertEquals(reason(first), reason(fed), split.name() + ": error");
      if (first.error != null) {
        assertEquals(first.error.proxyResponse(), fed.error.proxyResponse(), split.name());
      }
    }
    return first;
  }

  static Fed everySplit(Supplier<Handshake> handshakes, String latin1) {
    return everySplit(handshakes, latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Asserts the handshake completed with {@code surplus} left; returns the reply. */
  ProxyResponse done(String surplusText) {
    assertNull(error, () -> "unexpected " + error);
    assertNotNull(response, "the handshake wants more bytes");
    assertEquals(surplusText, new String(surplus, StandardCharsets.ISO_8859_1), "surplus");
    return response;
  }

  /** Asserts a failure with {@code reason}; returns it. */
  TransportException failed(TransportException.Reason reason) {
    assertNotNull(
        error, () -> "expected " + reason + ", got " + (response == null ? "need-more" : response));
    assertEquals(reason, error.reason(), error.getMessage());
    return error;
  }

  /** Asserts the handshake still waits for bytes. */
  void needsMore() {
    assertNull(error, () -> "unexpected " + error);
    assertNull(response, "the handshake completed");
  }

  String sentText() {
    return new String(sent, StandardCharsets.ISO_8859_1);
  }

  private static String reason(Fed fed) {
    return fed.error == null ? "none" : fed.error.reason().toString();
  }

  private static void drain(ByteBuffer b, ByteArrayOutputStream out) {
    while (b.hasRemaining()) {
      out.write(b.get());
    }
  }
}
