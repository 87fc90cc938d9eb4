// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.spi.Transport;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A tunnel reads through the layer below, so it asks for the read room that layer asks for, and
 * says a read was drained when that layer said so of the read, never of one that returned surplus.
 */
class TunnelReadRoomTest {
  /** A layer below that asks for one TLS record's plaintext of room. */
  private static final Transport TLS_LIKE =
      new Transport() {
        @Override
        public int read(ByteBuffer dst) {
          return 0;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
          return 0;
        }

        @Override
        public int awaitReady(int ops, Duration timeout) {
          return 0;
        }

        @Override
        public Optional<SelectableChannel> selectableChannel() {
          return Optional.empty();
        }

        @Override
        public int minReadRoom() {
          return 16_709;
        }

        @Override
        public boolean lastReadDrained() {
          return true;
        }

        @Override
        public boolean isOpen() {
          return true;
        }

        @Override
        public void close() {}
      };

  @Test
  void aTunnelAsksForTheRoomOfTheLayerBelow() {
    assertEquals(16_709, new TunnelTransport(TLS_LIKE, null, null).minReadRoom());
  }

  @Test
  void aReadOfSurplusIsNotDrainedAndAReadOfTheLayerBelowIsAsThatLayerSays() throws Exception {
    TunnelTransport tunnel = new TunnelTransport(TLS_LIKE, null, ByteBuffer.wrap(new byte[2]));
    ByteBuffer one = ByteBuffer.allocate(1);
    assertEquals(1, tunnel.read(one));
    assertFalse(tunnel.lastReadDrained(), "surplus is left");
    assertEquals(1, tunnel.read(one.clear()));
    assertFalse(tunnel.lastReadDrained(), "the surplus says nothing of the layer below");
    assertEquals(0, tunnel.read(one.clear()));
    assertTrue(tunnel.lastReadDrained(), "the layer below's answer");
  }
}
