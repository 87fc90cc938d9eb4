// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;

/**
 * A frame of a type this engine does not know (an extension); RFC 9113 §4.1 and §5.5 require it to
 * be ignored, except inside a header block.
 *
 * @param type the type code
 * @param flags the flags
 * @param streamId the stream
 * @param payload the payload as received
 */
record UnknownFrame(int type, int flags, int streamId, Bytes payload) implements Frame {}
