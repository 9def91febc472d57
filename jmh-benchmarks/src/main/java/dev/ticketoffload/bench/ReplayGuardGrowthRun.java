package dev.ticketoffload.bench;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.store.MemoryStore;
import dev.ticketoffload.server.store.StoreReservation;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The memory store's replay guard growing through its doublings, as a storm fills it: batches of 256
 * consumes of one epoch key (the service's default mode, refuse), timed one by one; prints the
 * longest batch, where it happened, and the longest per doubling range. Issue 13 saw opens freeze for
 * seconds at the 2^24-slot doubling; the goal is no pause above 50 ms.
 *
 * <pre>
 * java -Xmx3g -Xms3g -cp jmh-benchmarks/target/benchmarks.jar dev.ticketoffload.bench.ReplayGuardGrowthRun 13000000
 * </pre>
 */
public final class ReplayGuardGrowthRun {

  private static final int BATCH = 256;
  private static final long NOW = 1_764_190_000L;

  private ReplayGuardGrowthRun() {}

  public static void main(String[] args) {
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 13_000_000L;
    MemoryStore store = new MemoryStore(WhenFull.REFUSE, 0, realm -> entries + BATCH);
    byte[] ivs = new byte[12 * BATCH];
    byte[] none = new byte[0];
    SplittableRandom random = new SplittableRandom(1);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(BATCH);
    long longest = 0;
    long longestAt = 0;
    long windowLongest = 0;
    long nextReport = 1 << 20;
    long start = System.nanoTime();
    for (long done = 0; done < entries; done += BATCH) {
      random.nextBytes(ivs);
      batch.clear();
      for (int i = 0; i < BATCH; i++) {
        batch.add(0x0001_0000_0001_EA52L, ivs, 12 * i, NOW + 3600, none, 0, 0);
      }
      long t0 = System.nanoTime();
      try (StoreReservation r = store.reserve("default", BATCH, NOW)) {
        r.consumeAll("default", batch, NOW);
      }
      long took = System.nanoTime() - t0;
      windowLongest = Math.max(windowLongest, took);
      if (took > longest) {
        longest = took;
        longestAt = done;
      }
      if (done + BATCH >= nextReport) {
        System.out.printf(Locale.ROOT, "up to %,12d entries: longest batch %8.2f ms%n", done + BATCH, windowLongest / 1e6);
        windowLongest = 0;
        nextReport *= 2;
      }
    }
    System.out.printf(Locale.ROOT, "%,d entries in %.1f s; longest batch of %d consumes: %.2f ms at %,d entries; "
        + "tables %,d bytes (%.1f per entry)%n", entries, (System.nanoTime() - start) / 1e9, BATCH, longest / 1e6,
        longestAt, store.bytesAllocated(), (double) store.bytesAllocated() / store.size());
  }
}
