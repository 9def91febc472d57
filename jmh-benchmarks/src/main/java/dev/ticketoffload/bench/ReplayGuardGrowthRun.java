package dev.ticketoffload.bench;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.store.MemoryStore;
import dev.ticketoffload.server.store.StoreReservation;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The memory store's replay guard growing through its doublings, as a storm fills it: batches of 256
 * consumes of one epoch key (the service's default mode, refuse), timed one by one; prints the
 * longest batch, where it happened, and the longest per doubling range. Issue 13 saw opens freeze for
 * seconds at the 2^24-slot doubling; the goal is no pause above 50 ms.
 *
 * <p>On a shared machine a batch's wall time also holds the time its thread waited for a core, so
 * each batch is timed three ways: wall clock; the thread's own CPU time (what the guard cost); and
 * whether a garbage collection ran during it. A thread that only sleeps 1 ms at a time measures how
 * late the machine (and any safepoint) wakes it: the "hiccup", the part of a pause that is not ours.
 *
 * <pre>
 * java -Xmx3g -Xms3g -cp jmh-benchmarks/target/benchmarks.jar dev.ticketoffload.bench.ReplayGuardGrowthRun 13000000 [bound]
 * </pre>
 *
 * The bound ({@code max_replay_entries}) defaults to the entries + one batch: 13,000,000 gives a
 * table of up to 2^25 slots, so the run crosses the 2^24 to 2^25 doubling at 12,582,912 entries.
 */
public final class ReplayGuardGrowthRun {

  private static final int BATCH = 256;
  private static final long NOW = 1_764_190_000L;

  private ReplayGuardGrowthRun() {}

  public static void main(String[] args) throws InterruptedException {
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 13_000_000L;
    long bound = args.length > 1 ? Long.parseLong(args[1]) : entries + BATCH;
    MemoryStore store = new MemoryStore(WhenFull.REFUSE, 0, realm -> bound);
    byte[] ivs = new byte[12 * BATCH];
    byte[] none = new byte[0];
    SplittableRandom random = new SplittableRandom(1);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(BATCH);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    Hiccups hiccups = new Hiccups();
    hiccups.start();
    long longest = 0;
    long longestAt = 0;
    long longestCpu = 0;
    boolean longestHadGc = false;
    long longestCpuSeen = 0;
    long longestCpuAt = 0;
    long windowLongest = 0;
    long windowCpu = 0;
    long nextReport = 1 << 20;
    long start = System.nanoTime();
    long gcBefore = gcCount(gcs);
    for (long done = 0; done < entries; done += BATCH) {
      random.nextBytes(ivs);
      batch.clear();
      for (int i = 0; i < BATCH; i++) {
        batch.add(0x0001_0000_0001_EA52L, ivs, 12 * i, NOW + 3600, none, 0, 0);
      }
      hiccups.entries = done;
      long gc0 = gcCount(gcs);
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      try (StoreReservation r = store.reserve("default", BATCH, NOW)) {
        r.consumeAll("default", batch, NOW);
      }
      long took = System.nanoTime() - t0;
      long cpu = threads.getCurrentThreadCpuTime() - c0;
      boolean hadGc = gcCount(gcs) != gc0;
      windowLongest = Math.max(windowLongest, took);
      windowCpu = Math.max(windowCpu, cpu);
      if (took > longest) {
        longest = took;
        longestAt = done;
        longestCpu = cpu;
        longestHadGc = hadGc;
      }
      if (cpu > longestCpuSeen) {
        longestCpuSeen = cpu;
        longestCpuAt = done;
      }
      if (done + BATCH >= nextReport) {
        System.out.printf(Locale.ROOT, "up to %,12d entries: longest batch %8.2f ms wall, %8.2f ms CPU%n",
            done + BATCH, windowLongest / 1e6, windowCpu / 1e6);
        windowLongest = 0;
        windowCpu = 0;
        nextReport *= 2;
      }
    }
    hiccups.interrupt();
    hiccups.join();
    System.out.printf(Locale.ROOT, "up to %,12d entries: longest batch %8.2f ms wall, %8.2f ms CPU%n",
        entries, windowLongest / 1e6, windowCpu / 1e6);
    System.out.printf(Locale.ROOT, "%,d entries in %.1f s; longest batch of %d consumes: %.2f ms at %,d entries "
        + "(%.2f ms of it on CPU, %s); longest on CPU: %.2f ms at %,d entries; machine hiccup (1 ms sleeper): "
        + "longest %.2f ms at %,d entries; %d GCs; tables %,d bytes (%.1f per entry)%n",
        entries, (System.nanoTime() - start) / 1e9, BATCH, longest / 1e6, longestAt, longestCpu / 1e6,
        longestHadGc ? "a GC ran during it" : "no GC during it", longestCpuSeen / 1e6, longestCpuAt,
        hiccups.longest / 1e6, hiccups.longestAt, gcCount(gcs) - gcBefore,
        store.bytesAllocated(), (double) store.bytesAllocated() / store.size());
  }

  private static long gcCount(List<GarbageCollectorMXBean> gcs) {
    long n = 0;
    for (GarbageCollectorMXBean gc : gcs) {
      n += gc.getCollectionCount();
    }
    return n;
  }

  /** Sleeps 1 ms at a time and keeps the longest overshoot: time the machine, not the guard, lost. */
  private static final class Hiccups extends Thread {
    volatile long entries;
    long longest;
    long longestAt;

    Hiccups() {
      super("hiccups");
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (true) {
          long t0 = System.nanoTime();
          Thread.sleep(1);
          long late = System.nanoTime() - t0 - 1_000_000;
          if (late > longest) {
            longest = late;
            longestAt = entries;
          }
        }
      } catch (InterruptedException e) {
        // done
      }
    }
  }
}
