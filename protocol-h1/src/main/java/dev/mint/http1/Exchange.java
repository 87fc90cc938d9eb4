// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.RequestRef;

/**
 * One request and its response as the engine tracks them: what the send half still has to send, and
 * what the receive half needs to know to frame the response. Mutable, owned by one engine.
 */
final class Exchange {

  /** How the remaining request body bytes go out (RFC 9112 §6). */
  enum BodyMode {
    /** Nothing more to send: no body, a fixed body already queued, or a streamed body ended. */
    ENDED,
    /** The engine frames each chunk (RFC 9112 §7.1), after any transfer coding of the caller's. */
    CHUNKED,
    /** Raw bytes counted against the caller's {@code content-length} (RFC 9110 §8.6). */
    COUNTED,
    /** Raw bytes of a tunnel opened by 101 or a 2xx answer to CONNECT. */
    TUNNEL
  }

  final RequestRef ref;

  /** HEAD responses never have content (RFC 9110 §9.3.2). */
  final boolean head;

  /** A 2xx answer to CONNECT turns the connection into a tunnel (RFC 9110 §9.3.6). */
  final boolean connect;

  /** The request offered to switch protocols: only then may a 101 answer it (RFC 9110 §7.8). */
  final boolean upgrade;

  /** The caller sent {@code connection: close}: this is the last request (RFC 9112 §9.6). */
  final boolean closeRequested;

  BodyMode bodyMode = BodyMode.ENDED;

  /** For {@link BodyMode#COUNTED}: the bytes still owed. */
  long bodyRemaining;

  Exchange(RequestRef ref, boolean head, boolean connect, boolean upgrade, boolean closeRequested) {
    this.ref = ref;
    this.head = head;
    this.connect = connect;
    this.upgrade = upgrade;
    this.closeRequested = closeRequested;
  }
}
