// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Sends one {@link MockResponse} on one HTTP/2 stream, faults included, on its own thread. */
final class Http2Response {
  private final Http2Writer writer;
  private final Wire wire;
  private final int stream;
  private final MockResponse response;
  private final boolean head;

  Http2Response(Http2Writer writer, Wire wire, int stream, MockResponse response, boolean head) {
    this.writer = writer;
    this.wire = wire;
    this.stream = stream;
    this.response = response;
    this.head = head;
  }

  void send() throws IOException {
    Pacing.sleep(response.headersDelay());
    for (MockResponse.Interim interim : response.interims()) {
      writer.headers(stream, fields(interim.status(), interim.headers()), false);
    }
    Fault fault = response.fault().orElse(null);
    if (fault instanceof Fault.ResetConnection) {
      wire.reset();
    } else if (fault instanceof Fault.NoResponse) {
      wire.close();
    } else if (fault instanceof Fault.GoAway g) {
      // A last stream id below this one: the request was not processed (RFC 9113 §6.8).
      writer.goAway(Math.max(0, stream - 2), g.errorCode(), "mint-testing: GOAWAY on cue");
      wire.close();
    } else if (fault instanceof Fault.ResetStream r) {
      writer.resetStream(stream, r.errorCode());
    } else if (fault instanceof Fault.TruncateBody t) {
      List<Header> fields = fields(response.status(), response.headers());
      if (fields.stream().noneMatch(h -> h.named("content-length"))) {
        fields.add(new Header("content-length", Integer.toString(response.bodyLength())));
      }
      writer.headers(stream, fields, false);
      body(0, t.bytes(), false);
      wire.close();
    } else {
      complete();
    }
  }

  private void complete() throws IOException {
    boolean bodyless = head || response.status() == 204 || response.status() == 304;
    boolean trailers = !bodyless && !response.trailers().isEmpty();
    boolean endWithHeaders = bodyless || (response.bodyLength() == 0 && !trailers);
    writer.headers(stream, fields(response.status(), response.headers()), endWithHeaders);
    if (endWithHeaders) {
      return;
    }
    body(0, response.bodyLength(), !trailers);
    if (trailers) {
      writer.headers(stream, response.trailers(), true);
    }
  }

  /** Body bytes {@code [from, from + n)} in DATA frames, paced when the response says so. */
  private void body(int from, int n, boolean endStream) throws IOException {
    int step = response.throttle().map(MockResponse.Throttle::bytes).orElse(Math.max(1, n));
    int at = from;
    do {
      int length = Math.min(step, from + n - at);
      boolean last = at + length == from + n;
      writer.data(stream, response.bodyRange(at, length), last && endStream);
      at += length;
      if (response.throttle().isPresent()) {
        Pacing.sleep(response.throttle().get().period());
      }
    } while (at < from + n);
  }

  private static List<Header> fields(int status, List<Header> headers) {
    List<Header> fields = new ArrayList<>();
    fields.add(new Header(":status", Integer.toString(status)));
    fields.addAll(headers);
    return fields;
  }
}
