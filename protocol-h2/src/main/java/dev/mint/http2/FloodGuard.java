package dev.mint.http2;

/**
 * Counts what the peer makes us do without giving the caller anything, and ends the connection with
 * ENHANCE_YOUR_CALM (RFC 9113 §5.4.1, §10.5) when a count passes its limit in {@link Http2Limits}.
 * Answers we queue (PING ACK, SETTINGS ACK, RST_STREAM) are counted until the output queue has been
 * written out; no-op frames are counted until a frame produces a response part.
 */
final class FloodGuard {
  private int pingAcks;
  private int settingsAcks;
  private int resets;
  private int unproductive;

  /** The output queue was found empty: every answer queued so far reached the transport. */
  void outputDrained() {
    pingAcks = 0;
    settingsAcks = 0;
    resets = 0;
  }

  /** A frame produced a response part. */
  void productive() {
    unproductive = 0;
  }

  void pingAck() throws Http2Error {
    if (++pingAcks > Http2Limits.MAX_QUEUED_PING_ACKS) {
      throw calm("more than " + Http2Limits.MAX_QUEUED_PING_ACKS + " PING ACKs waiting unwritten");
    }
  }

  void settingsAck() throws Http2Error {
    if (++settingsAcks > Http2Limits.MAX_QUEUED_SETTINGS_ACKS) {
      throw calm(
          "more than " + Http2Limits.MAX_QUEUED_SETTINGS_ACKS + " SETTINGS ACKs waiting unwritten");
    }
  }

  void reset() throws Http2Error {
    if (++resets > Http2Limits.MAX_QUEUED_RESETS) {
      throw calm("more than " + Http2Limits.MAX_QUEUED_RESETS + " RST_STREAMs waiting unwritten");
    }
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

  private static Http2Error calm(String message) {
    return Http2Error.connection(ErrorCode.ENHANCE_YOUR_CALM, message);
  }
}
