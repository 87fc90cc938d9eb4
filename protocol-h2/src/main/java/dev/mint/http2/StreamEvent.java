// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/** What happens to a stream, as seen by {@link StreamState#next}: frames we send or receive. */
enum StreamEvent {
  /** We send HEADERS (a request, or trailers). */
  SEND_HEADERS,
  /** We send a frame carrying END_STREAM. */
  SEND_END_STREAM,
  /** We send RST_STREAM. */
  SEND_RST_STREAM,
  /** We receive HEADERS (a response, informational headers, trailers). */
  RECV_HEADERS,
  /** We receive DATA. */
  RECV_DATA,
  /** We receive a frame carrying END_STREAM. */
  RECV_END_STREAM,
  /** We receive RST_STREAM. */
  RECV_RST_STREAM,
  /** We receive WINDOW_UPDATE for the stream. */
  RECV_WINDOW_UPDATE,
  /** The stream is promised by a PUSH_PROMISE we receive. */
  RECV_PUSH_PROMISE
}
