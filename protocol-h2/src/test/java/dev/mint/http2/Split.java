// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/** How a test hands the server's bytes to the engine: every engine test runs in all three ways. */
enum Split {
  /** All bytes of a step in one call. */
  WHOLE,
  /** One byte per call. */
  BYTE_BY_BYTE,
  /** Random chunk sizes, from a seed printed when the test fails. */
  RANDOM
}
