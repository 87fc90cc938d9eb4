// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Counts what the peer makes us do without giving the caller anything, and ends the connection with
 * ENHANCE_YOUR_CALM (RFC 9113 §5.4.1, §10.5) when a count passes its limit in {@link Http2Limits}.
 * Answers we queue (PING ACK, SETTINGS ACK, RST_STREAM) are counted while they wait for the shell
 * to take them; no-op frames are counted until a frame produces a response part.
 */
final class FloodGuard {
  private int pingAcks;
  private int settingsAcks;
  private int resets;
  private int unproductive;

  /** The shell took {@code frame}: an answer no longer waits. */
  void taken(Frame frame) {
    if (frame instanceof PingFrame p && p.ack()) {
      pingAcks--;
    } else if (frame instanceof SettingsFrame s && s.ack()) {
      settingsAcks--;
    } else if (frame instanceof RstStreamFrame) {
      resets--;
    }
  }

  /** A frame produced a response part. */
  void productive() {
    unproductive = 0;
  }

  void pingAck() throws Http2Error {
    check(++pingAcks, Http2Limits.MAX_QUEUED_PING_ACKS, "PING ACKs waiting unwritten");
  }

  void settingsAck() throws Http2Error {
    check(++settingsAcks, Http2Limits.MAX_QUEUED_SETTINGS_ACKS, "SETTINGS ACKs waiting unwritten");
  }

  void reset() throws Http2Error {
    check(++resets, Http2Limits.MAX_QUEUED_RESETS, "RST_STREAMs waiting unwritten");
  }

  void unproductive(String what) throws Http2Error {
    check(
        ++unproductive,
        Http2Limits.MAX_UNPRODUCTIVE_FRAMES,
        "frames in a row without effect (last: " + what + ")");
  }

  /** ENHANCE_YOUR_CALM once {@code count} passes {@code limit}. */
  private static void check(int count, int limit, String what) throws Http2Error {
    if (count > limit) {
      throw Http2Error.connection(ErrorCode.ENHANCE_YOUR_CALM, "more than " + limit + " " + what);
    }
  }
}
