// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * The read buffers of connection shells: lent per read, one cache per thread, never owned by a
 * connection, so that an idle connection holds no read buffer; and the rule by which a protocol
 * engine may keep a body chunk in the buffer it was read into instead of copying it.
 *
 * <p><b>Lending.</b> A shell borrows a buffer ({@link #lend(int)}) for one read and the {@link
 * ProtocolEngine#receive} of what it read, then returns it ({@link Lease#close()}). Each thread
 * that drives connections caches one heap array of {@link #ARRAY_SIZE} bytes and lends its unused
 * tail; a thread that nests a second lease inside the first (no shell does) gets a buffer of its
 * own for that read. A thread therefore keeps about {@value #ARRAY_SIZE} bytes while it lives,
 * however many connections it drives; a virtual thread per connection keeps one each.
 *
 * <p><b>Body chunks without a second copy.</b> Bytes read into a lent array may leave the engine as
 * a view ({@link #bodyChunk}) instead of a copy. The array cannot then be written again where the
 * view lies: the lender moves on past every byte of a read that gave up a view, lends the rest of
 * the array to later reads, and starts a fresh array when too few bytes are left for the read at
 * hand. So that a small chunk never pins a whole array (a 100-byte body kept by a caller must not
 * keep 64 KiB alive), only a chunk of at least {@link #MIN_VIEW} bytes becomes a view; a smaller
 * one is copied exactly. An array therefore stays alive for at most about {@code ARRAY_SIZE /
 * MIN_VIEW} (4) times the body bytes a caller keeps of it, and a large download allocates about its
 * own size in arrays.
 *
 * <p><b>Borrowed body chunks.</b> A shell whose caller asked for borrowed bodies ({@link
 * dev.mint.ConnectOptions#borrowBodies()}) takes borrowing leases ({@link #lend(int, boolean)}):
 * every body chunk of such a lease becomes a view, whatever its length, and its bytes are neither
 * copied nor given up. The lender keeps two marks in the array: bytes before {@code start} are
 * under views given up for good and are never lent again; bytes from there to {@code next} are
 * under borrowed views, not lent again until {@link #reclaimBorrowed()}, which the shell calls at
 * the start of each receiving call, so that a caller's borrowed bytes stay intact until its next
 * one. Within a receiving call, leases follow one another through the array; the shell stops
 * reading when {@link #roomToBorrow} says the array has no room left for another lease rather than
 * start a fresh array, so a thread that only borrows allocates no read array after its first.
 *
 * <p>Confined to the calling thread: a lease and the views it allows belong to the thread that took
 * it, and {@link #bodyChunk} on another thread, or on a buffer that was not lent, copies.
 */
public final class ReadBuffers {
  /**
   * The size of each thread's array, what one read takes at most: 64 KiB and 512 bytes, so that the
   * plaintext of four whole TLS records (16 KiB each, RFC 8446 §5.1) fits with the little more room
   * the JDK asks for before it decrypts the last one ({@link Transport#minReadRoom()}), and TLS
   * reads fill the array to within a few hundred bytes.
   */
  public static final int ARRAY_SIZE = 64 * 1024 + 512;

  /**
   * The smallest body chunk {@link #bodyChunk} keeps as a view of the lent array: 16 KiB, about a
   * quarter of the array, so a view pins at most about four times its own size. Measured against 8
   * KiB: HTTP/2 servers that send 8 KiB DATA frames (nginx) then gave up arrays whose unused tails
   * and split frames cost 15 % more allocation and more CPU than the copies they saved.
   */
  public static final int MIN_VIEW = 16 * 1024;

  /**
   * The fewest bytes lent for one read: 4 KiB, or more when the transport asks for more ({@link
   * Transport#minReadRoom()}: a whole TLS record's plaintext). When the array's unused tail is
   * shorter, the lease starts a fresh array.
   */
  public static final int MIN_LEND = 4 * 1024;

  private static final ThreadLocal<Lender> LENDERS = ThreadLocal.withInitial(Lender::new);

  private ReadBuffers() {}

  /**
   * Lends the calling thread's read buffer (see {@link Lease#buffer()}) with at least {@code
   * minRoom} bytes of room (at least {@link #MIN_LEND}, at most {@link #ARRAY_SIZE}). Close the
   * lease when the engine has received what was read. Its body chunks are the caller's to keep: as
   * {@link #lend(int, boolean) lend(minRoom, false)}.
   */
  public static Lease lend(int minRoom) {
    return lend(minRoom, false);
  }

  /**
   * Lends the calling thread's read buffer as {@link #lend(int)} does; when {@code borrow} is true,
   * every body chunk made of it ({@link #bodyChunk}) is a borrowed view, valid until the thread's
   * next {@link #reclaimBorrowed()}. A borrowing lease starts a fresh array only when the current
   * one lacks the room: a shell that must not strand borrowed bytes asks {@link #roomToBorrow}
   * first.
   */
  public static Lease lend(int minRoom, boolean borrow) {
    return LENDERS.get().lend(clampRoom(minRoom), borrow);
  }

  /**
   * Whether a lease of {@code minRoom} bytes ({@link #lend(int, boolean)}) can be made now without
   * leaving behind bytes borrowed since the last {@link #reclaimBorrowed()}: the array has the
   * room, or nothing of it is borrowed. A shell reading for a borrowing caller stops when this is
   * false, and carries on in the next receiving call.
   */
  public static boolean roomToBorrow(int minRoom) {
    return LENDERS.get().roomToBorrow(clampRoom(minRoom));
  }

  /**
   * Ends the loans of every borrowed view made on this thread: their bytes may be lent, and read
   * over, again. Shells call it at the start of each receiving call, whatever the connection's
   * options, since a caller's borrowed bytes are valid until its next receiving call on any
   * connection. Nothing while a lease is out.
   */
  public static void reclaimBorrowed() {
    LENDERS.get().reclaimBorrowed();
  }

  private static int clampRoom(int minRoom) {
    return Math.min(ARRAY_SIZE, Math.max(MIN_LEND, minRoom));
  }

  /**
   * The next {@code length} bytes of {@code in} as a body chunk, moving its position past them: a
   * view of the array when {@code in} is a buffer lent on this thread, the lease is still open and
   * either the lease borrows ({@link #lend(int, boolean)}) or {@code length} is at least {@link
   * #MIN_VIEW}; otherwise an exact copy. Engines call this where they hand body bytes out of {@link
   * ProtocolEngine#receive}, and nowhere else: a view must only go into a {@link
   * dev.mint.ResponsePart} (the caller's), never into a buffer the engine reuses or keeps past the
   * call.
   */
  public static Bytes bodyChunk(ByteBuffer in, int length) {
    if (in.hasArray() && !in.isReadOnly()) {
      Lender lender = LENDERS.get();
      if (lender.lends(in) && (lender.borrowing || length >= MIN_VIEW)) {
        int from = in.arrayOffset() + in.position();
        in.position(in.position() + length);
        lender.viewed = true;
        return ApiAccess.bytesOver(in.array(), from, length);
      }
    }
    return Bytes.copyOf(in, length);
  }

  /** The calling thread's lender, for tests. */
  static Lender lender() {
    return LENDERS.get();
  }

  /** One thread's array and what of it is given up or borrowed. */
  static final class Lender {
    /** The lease of {@link #whole}, made once per array, not once per read. */
    private Lease lease;

    private byte[] array;
    private ByteBuffer whole;
    private int start; // bytes before it are behind views given up: never lent again
    private int next; // bytes from start to it are behind borrowed views: lent after a reclaim
    private boolean lent;
    private boolean borrowing; // this lease's views are borrowed, not given up
    private boolean viewed; // this lease's bytes went out as a view

    Lease lend(int minRoom, boolean borrow) {
      if (lent) {
        return new Lease(null, ByteBuffer.allocate(ARRAY_SIZE));
      }
      if (array == null || array.length - next < minRoom) {
        array = new byte[ARRAY_SIZE];
        whole = ByteBuffer.wrap(array);
        lease = new Lease(this, whole);
        start = 0;
        next = 0;
      }
      lent = true;
      borrowing = borrow;
      viewed = false;
      whole.limit(array.length).position(next);
      return lease;
    }

    boolean roomToBorrow(int minRoom) {
      return next == start || array.length - next >= minRoom;
    }

    void reclaimBorrowed() {
      if (!lent) {
        next = start;
      }
    }

    /** Forgets the array, so the next lease starts a fresh one: for tests. */
    void dropArray() {
      if (!lent) {
        array = null;
      }
    }

    boolean lends(ByteBuffer in) {
      return lent && in == whole;
    }

    /**
     * Takes the buffer back; the bytes read into it stay off limits when a view was made. Nothing
     * when it is back already: a lease closed twice ends its loan once.
     */
    void giveBack(ByteBuffer buffer) {
      if (!lent) {
        return;
      }
      if (viewed) {
        // Every byte this lease read may be under a view: lend only what lies beyond, until the
        // next reclaim when the views were borrowed, for good when they were given up.
        next = Math.max(next, buffer.limit());
        if (!borrowing) {
          start = next;
        }
        viewed = false;
      }
      lent = false;
    }

    /** Whether a lease is out now. */
    boolean isLent() {
      return lent;
    }

    /** The offset the next lease starts at. */
    int start() {
      return start;
    }
  }

  /**
   * One loan of a read buffer, to be closed when the engine has received what was read into it. Not
   * to be used after {@link #close()}: the thread's lease object is lent again by the next {@link
   * #lend} (so that a read costs no allocation), and only the code that took a loan may close it,
   * once, as try-with-resources does.
   */
  public static final class Lease implements AutoCloseable {
    private final Lender lender;
    private final ByteBuffer buffer;

    private Lease(Lender lender, ByteBuffer buffer) {
      this.lender = lender;
      this.buffer = buffer;
    }

    /**
     * The buffer: a heap buffer positioned where the free part begins, with the room asked for.
     * Read into it, then {@link #flipForReceive(int)}.
     */
    public ByteBuffer buffer() {
      return buffer;
    }

    /**
     * Makes the buffer readable: the {@code n} bytes just read, from where the read began. Returns
     * the buffer.
     */
    public ByteBuffer flipForReceive(int n) {
      int end = buffer.position();
      return buffer.limit(end).position(end - n);
    }

    /**
     * Returns the buffer; views made of it stay valid, and their bytes are never lent again (a
     * borrowing lease's: not before the thread's next {@link #reclaimBorrowed()}).
     */
    @Override
    public void close() {
      if (lender != null) {
        lender.giveBack(buffer);
      }
    }
  }
}
