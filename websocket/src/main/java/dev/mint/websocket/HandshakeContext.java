// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Bytes;
import dev.mint.Headers;

/** The response a handshake is checking, so that each check can fail with it attached. */
record HandshakeContext(int status, Headers headers) {
  HandshakeException fail(HandshakeException.Reason reason, String message) {
    return new HandshakeException(reason, message, status, headers, Bytes.empty(), null);
  }
}
