package dev.ticketoffload.storm;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The tickets of one storm in fixed-size slots of large arrays: a million 199-byte tickets take
 * 199 MB here instead of about 240 MB as ByteStrings, and opening wraps a slot without copying.
 * Each slot is written once by the thread that received its ticket, before the open phase reads
 * it (the phases are separated by a join, which orders the writes before the reads).
 */
final class TicketStore {

  private static final int SLOTS_PER_CHUNK = 1 << 14;

  private final int size;
  private final int ticketBytes;
  private final byte[][] chunks;
  private final AtomicLongArray present;

  TicketStore(int tickets, int ticketBytes) {
    this.size = tickets;
    this.ticketBytes = ticketBytes;
    this.chunks = new byte[(tickets + SLOTS_PER_CHUNK - 1) / SLOTS_PER_CHUNK][];
    for (int c = 0; c < chunks.length; c++) {
      int slots = Math.min(SLOTS_PER_CHUNK, tickets - c * SLOTS_PER_CHUNK);
      chunks[c] = new byte[slots * ticketBytes];
    }
    this.present = new AtomicLongArray((tickets + 63) / 64);
  }

  int size() {
    return size;
  }

  int ticketBytes() {
    return ticketBytes;
  }

  /** @return false when the ticket has not the storm's length (it is not stored) */
  boolean put(int i, ByteString ticket) {
    if (ticket.size() != ticketBytes) {
      return false;
    }
    ticket.copyTo(chunks[i / SLOTS_PER_CHUNK], (i % SLOTS_PER_CHUNK) * ticketBytes);
    present.getAndUpdate(i >>> 6, bits -> bits | (1L << (i & 63)));
    return true;
  }

  boolean has(int i) {
    return (present.get(i >>> 6) & (1L << (i & 63))) != 0;
  }

  /** The stored ticket, shared with the store: callers must not keep it past {@link #flipBit}. */
  ByteString get(int i) {
    return UnsafeByteOperations.unsafeWrap(chunks[i / SLOTS_PER_CHUNK], (i % SLOTS_PER_CHUNK) * ticketBytes, ticketBytes);
  }

  /** Flips one bit of byte {@code offset} of ticket {@code i} in place. */
  void flipBit(int i, int offset, int bit) {
    chunks[i / SLOTS_PER_CHUNK][(i % SLOTS_PER_CHUNK) * ticketBytes + offset] ^= (byte) (1 << bit);
  }
}
