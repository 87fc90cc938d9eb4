// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.spi.FieldRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, as a server would, the frames the engine sent for one request: one HEADERS (+
 * CONTINUATION) sequence opening one new stream, then only DATA and trailers on it, each frame
 * within the server's SETTINGS_MAX_FRAME_SIZE and nothing after END_STREAM; and the decoded header
 * block well-formed (RFC 9113 §8.2, §8.3).
 */
final class RequestCheck {
  private static final Set<String> PSEUDO =
      Set.of(":method", ":scheme", ":authority", ":path", ":protocol");

  private final Peer peer;
  private final int maxFrameSize;
  private final String method;
  private int streamId;
  private boolean ended;
  private long dataBytes;

  RequestCheck(Peer peer, int maxFrameSize, String method) {
    this.peer = peer;
    this.maxFrameSize = maxFrameSize;
    this.method = method;
  }

  /** The DATA bytes seen so far. */
  long dataBytes() {
    return dataBytes;
  }

  /**
   * Checks the next frames sent; {@code opening} when they must start with the request's HEADERS.
   */
  void frames(List<Frame> sent, boolean opening) {
    int i = 0;
    if (opening) {
      assertFalse(sent.isEmpty(), "a request sends HEADERS");
      HeadersFrame h = (HeadersFrame) sent.get(0);
      streamId = h.streamId();
      assertEquals(1, streamId & 1, "a client stream is odd");
      request(peer.requestHeaders(sent, 0));
      i = headerBlockEnd(sent, 0);
      ended = h.endStream();
    }
    while (i < sent.size()) {
      Frame f = sent.get(i);
      assertFalse(ended, "a frame after END_STREAM: " + f);
      assertEquals(streamId, f.streamId(), "one stream: " + f);
      if (f instanceof DataFrame d) {
        assertTrue(d.data().length() <= maxFrameSize, "DATA within the frame size");
        dataBytes += d.data().length();
        ended = d.endStream();
        i++;
      } else {
        HeadersFrame h = (HeadersFrame) f;
        assertTrue(h.endStream(), "trailers end the stream");
        trailers(peer.requestHeaders(sent, i));
        i = headerBlockEnd(sent, i);
        ended = true;
      }
    }
  }

  /** The index after the HEADERS frame at {@code at} and its CONTINUATION frames. */
  private int headerBlockEnd(List<Frame> sent, int at) {
    HeadersFrame h = (HeadersFrame) sent.get(at);
    assertTrue(h.fragment().length() <= maxFrameSize, "HEADERS within the frame size");
    boolean end = h.endHeaders();
    int i = at + 1;
    while (!end) {
      ContinuationFrame c = (ContinuationFrame) sent.get(i++);
      assertTrue(c.fragment().length() <= maxFrameSize, "CONTINUATION within the frame size");
      end = c.endHeaders();
    }
    return i;
  }

  private void request(Headers fields) {
    Set<String> pseudo = new HashSet<>();
    boolean regularSeen = false;
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      if (name.startsWith(":")) {
        assertFalse(regularSeen, "pseudo-header field after a regular one: " + fields);
        assertTrue(PSEUDO.contains(name), "unknown pseudo-header field " + name);
        assertTrue(pseudo.add(name), "repeated " + name);
      } else {
        regularSeen = true;
        regular(name, fields.value(i));
      }
      value(fields.value(i));
    }
    assertEquals(method, fields.get(":method"));
    boolean plainConnect = method.equals("CONNECT") && !pseudo.contains(":protocol");
    if (plainConnect) {
      assertEquals(Set.of(":method", ":authority"), pseudo, "RFC 9113 §8.5");
    } else {
      assertTrue(pseudo.containsAll(Set.of(":method", ":scheme", ":path")), "" + pseudo);
      assertFalse(fields.get(":path").isEmpty(), ":path is not empty");
    }
  }

  private static void trailers(Headers fields) {
    for (int i = 0; i < fields.size(); i++) {
      assertFalse(fields.name(i).startsWith(":"), "no pseudo-header field in trailers");
      regular(fields.name(i), fields.value(i));
      value(fields.value(i));
    }
  }

  /** RFC 9113 §8.2.1, §8.2.2: a lowercase token, not connection-specific. */
  private static void regular(String name, String value) {
    assertTrue(FieldRules.isToken(name), "name is a token: " + name);
    assertEquals(name.toLowerCase(java.util.Locale.ROOT), name, "lowercase name");
    assertFalse(FieldRules.isConnectionSpecific(name), "connection-specific " + name);
    if (name.equals("te")) {
      assertTrue(value.equalsIgnoreCase("trailers"), "te other than trailers: " + value);
    }
  }

  /** RFC 9113 §8.2.1: no NUL, CR or LF, and no whitespace at either end. */
  private static void value(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      assertTrue(c != 0 && c != '\r' && c != '\n' && c <= 0xff, "value char " + (int) c);
    }
    if (!value.isEmpty()) {
      assertFalse(isSpace(value.charAt(0)), "leading whitespace: '" + value + "'");
      assertFalse(isSpace(value.charAt(value.length() - 1)), "trailing whitespace");
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
