// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Counts what the peer makes us do without giving the caller anything, and ends the connection with
 * ENHANCE_YOUR_CALM (RFC 9113 §5.4.1, §10.5) when a count passes its limit in {@link Http2Limits}.
 * Answers we queue (PING ACK, SETTINGS ACK, RST_STREAM) are counted while they wait for the shell
 * to take them; no-op frames are counted until a frame produces a response part.
 */
final class FloodGuard {
  private static final int PING_ACK = 0, SETTINGS_ACK = 1, RESET = 2;
  private static final int[] LIMITS = {
    Http2Limits.MAX_QUEUED_PING_ACKS,
    Http2Limits.MAX_QUEUED_SETTINGS_ACKS,
    Http2Limits.MAX_QUEUED_RESETS
  };
  private static final String[] NAMES = {"PING ACKs", "SETTINGS ACKs", "RST_STREAMs"};

  /** The answers of each kind waiting for the shell to take them. */
  private final int[] waiting = new int[3];

  private int unproductive;

  /** We queued {@code answer} (PING ACK, SETTINGS ACK or RST_STREAM) in answer to the peer. */
  void queued(Frame answer) throws Http2Error {
    int kind = kind(answer);
    if (kind >= 0 && ++waiting[kind] > LIMITS[kind]) {
      throw calm("more than " + LIMITS[kind] + " " + NAMES[kind] + " waiting unwritten");
    }
  }

  /** The shell took {@code frame}: an answer no longer waits. */
  void taken(Frame frame) {
    int kind = kind(frame);
    if (kind >= 0) {
      waiting[kind]--;
    }
  }

  /** A frame produced a response part. */
  void productive() {
    unproductive = 0;
  }

  void unproductive(String what) throws Http2Error {
    if (++unproductive > Http2Limits.MAX_UNPRODUCTIVE_FRAMES) {
      throw calm(
          "more than "
              + Http2Limits.MAX_UNPRODUCTIVE_FRAMES
              + " frames in a row without effect (last: "
              + what
              + ")");
    }
  }

  private static int kind(Frame frame) {
    if (frame instanceof PingFrame p && p.ack()) {
      return PING_ACK;
    } else if (frame instanceof SettingsFrame s && s.ack()) {
      return SETTINGS_ACK;
    }
    return frame instanceof RstStreamFrame ? RESET : -1;
  }

  private static Http2Error calm(String message) {
    return Http2Error.connection(ErrorCode.ENHANCE_YOUR_CALM, message);
  }
}
