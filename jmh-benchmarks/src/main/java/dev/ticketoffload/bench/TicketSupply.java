package dev.ticketoffload.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.core.keys.KeyRingException;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.openssl.BackendRefusedException;
import dev.ticketoffload.openssl.BackendSelector;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh tickets for a load generator: sealed here, before a slice starts, with the key ring the
 * server under test reads (so they open there), back to back in large reused arrays; a request
 * wraps each without a copy. In {@code fresh} mode every ticket is handed out once and the supply
 * then runs dry; otherwise (for the echo, which opens nothing) it wraps around. Thread-safe.
 */
final class TicketSupply implements AutoCloseable {

  private static final int TICKETS_PER_CHUNK = 1 << 20;
  private static final int SEAL_BATCH = 4096;

  private final KeySchedule keys;
  private final TicketSealer sealer;
  private final int ticketLength;
  private byte[][] chunks = new byte[0][];
  private volatile long count;
  private volatile boolean fresh;
  private final AtomicLong next = new AtomicLong();

  TicketSupply(Path keyRing, String backend) throws KeyRingException, BackendRefusedException {
    keys = new KeySchedule(BackendSelector.select(backend).backend(), KeyRingFile.load(keyRing));
    sealer = new TicketSealer(keys, InstantSource.system(), new IvSource(), BenchmarkTickets.MAX_TICKET_BYTES);
    ticketLength = TicketSealer.ticketLength(ServiceFixtures.coreState(0));
  }

  /** Seals {@code n} new tickets (issued now, one hour to live) and hands them out from the first. */
  void refill(long n, boolean freshOnly) {
    int chunkCount = (int) ((n + TICKETS_PER_CHUNK - 1) / TICKETS_PER_CHUNK);
    if (chunks.length < chunkCount) {
      byte[][] grown = Arrays.copyOf(chunks, chunkCount);
      for (int c = chunks.length; c < chunkCount; c++) {
        grown[c] = new byte[TICKETS_PER_CHUNK * ticketLength];
      }
      chunks = grown;
    }
    IkeSaState state = ServiceFixtures.coreState(sealer.nowSeconds());
    List<IkeSaState> states = Collections.nCopies(SEAL_BATCH, state);
    for (long i = 0; i < n; i += SEAL_BATCH) {
      // TICKETS_PER_CHUNK is a multiple of SEAL_BATCH: a seal batch never straddles two chunks
      sealer.sealAllInto(BenchmarkTickets.REALM, states.subList(0, (int) Math.min(SEAL_BATCH, n - i)),
          chunks[(int) (i / TICKETS_PER_CHUNK)], (int) (i % TICKETS_PER_CHUNK) * ticketLength);
    }
    count = n;
    fresh = freshOnly;
    next.set(0);
  }

  /** Hands out the tickets of the last refill again, from the first, wrapping around: for a server that opens nothing. */
  void rewind() {
    fresh = false;
    next.set(0);
  }

  /** The index of the first of {@code n} tickets now the caller's, or -1 when a fresh supply ran dry. */
  long take(int n) {
    long first = next.getAndAdd(n);
    return fresh && first + n > count ? -1 : first;
  }

  /** Ticket {@code index} of a {@link #take}, wrapped without a copy. */
  ByteString ticket(long index) {
    long i = index % count;
    return UnsafeByteOperations.unsafeWrap(chunks[(int) (i / TICKETS_PER_CHUNK)],
        (int) (i % TICKETS_PER_CHUNK) * ticketLength, ticketLength);
  }

  /** True once a fresh supply has handed out (nearly) every ticket. */
  boolean ranDry() {
    return fresh && next.get() >= count;
  }

  @Override
  public void close() {
    keys.close();
  }
}
