package dev.ticketoffload.bench;

import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * A second opinion for a shared, loaded machine: seal and open on one thread, backends interleaved in
 * rounds, timed in thread CPU time (time the thread was descheduled does not count, unlike JMH's
 * wall clock). Prints the median and minimum over the last 20 of 30 rounds of 200,000 operations
 * (of all threads).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp jmh-benchmarks/target/benchmarks.jar \
 *     dev.ticketoffload.bench.CpuTimeProbe aead openssl,jdk,bouncycastle reference</pre>
 *
 * The arguments: {@code aead} (the backends alone, as {@link AeadBenchmark}) or {@code ticket}
 * (through the sealer and opener, as {@link BackendBenchmark}); the backends; the ticket shape
 * ({@code reference} or {@code large}); optionally the number of threads (default 1), which share the
 * backend's key, sealer and opener and run the same backend at the same time.
 */
public final class CpuTimeProbe {

  private static final int ROUNDS = 30;
  private static final int WARM_UP_ROUNDS = 10;
  private static final int OPERATIONS_PER_ROUND = 200_000;
  private static final int HEADER = TicketFormat.HEADER_SIZE_IN_BYTES;
  private static final int IV_OFFSET = TicketFormat.IV_OFFSET;

  private CpuTimeProbe() {}

  /** One backend, shared by the threads (one key, sealer and opener), as the server shares them. */
  private interface Subject extends AutoCloseable {
    /** A thread's own buffers over the shared backend. */
    Worker worker();

    @Override
    void close();
  }

  private interface Worker {
    void seal(int i);

    void open();
  }

  public static void main(String[] args) throws Exception {
    boolean tickets = args[0].equals("ticket");
    String[] backends = args[1].split(",");
    String shape = args[2];
    int threadCount = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Subject[] subjects = new Subject[backends.length];
    for (int b = 0; b < backends.length; b++) {
      subjects[b] = tickets ? ticketSubject(backends[b], shape) : aeadSubject(backends[b], shape);
    }
    // [backend][thread * ROUNDS + round]
    double[][] sealNanos = new double[backends.length][threadCount * ROUNDS];
    double[][] openNanos = new double[backends.length][threadCount * ROUNDS];
    // All threads run the same backend at the same time, as JMH's -t does.
    CyclicBarrier together = new CyclicBarrier(threadCount);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> measure(subjects, together, thread, sealNanos, openNanos)));
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int b = 0; b < backends.length; b++) {
      System.out.printf("%-6s %-13s %-9s %d thread(s)  seal median %7.1f min %7.1f   open median %7.1f min %7.1f"
          + "   (CPU ns per op and thread)%n", args[0], backends[b], shape, threadCount,
          median(sealNanos[b], threadCount), min(sealNanos[b], threadCount),
          median(openNanos[b], threadCount), min(openNanos[b], threadCount));
      subjects[b].close();
    }
  }

  private static void measure(Subject[] subjects, CyclicBarrier together, int thread,
      double[][] sealNanos, double[][] openNanos) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Worker[] workers = new Worker[subjects.length];
    for (int b = 0; b < subjects.length; b++) {
      workers[b] = subjects[b].worker();
    }
    try {
      for (int r = 0; r < ROUNDS; r++) {
        for (int b = 0; b < workers.length; b++) {
          together.await();
          long t0 = cpu.getCurrentThreadCpuTime();
          for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
            workers[b].seal(i);
          }
          long t1 = cpu.getCurrentThreadCpuTime();
          for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
            workers[b].open();
          }
          long t2 = cpu.getCurrentThreadCpuTime();
          sealNanos[b][thread * ROUNDS + r] = (t1 - t0) / (double) OPERATIONS_PER_ROUND;
          openNanos[b][thread * ROUNDS + r] = (t2 - t1) / (double) OPERATIONS_PER_ROUND;
        }
      }
    } catch (InterruptedException | BrokenBarrierException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Subject aeadSubject(String backend, String shape) throws Exception {
    int plaintextLength = StateCodec.encodedLength(BenchmarkTickets.state(shape));
    AeadKey key = BenchmarkTickets.backend(backend).bind(new byte[32]);
    return new Subject() {
      @Override
      public Worker worker() {
        byte[] plain = new byte[HEADER + plaintextLength + 16];
        byte[] out = new byte[plain.length];
        byte[] sealed = plain.clone();
        key.seal(sealed, IV_OFFSET, sealed, 0, HEADER, plain, HEADER, plaintextLength, sealed, HEADER);
        plain[0] = (byte) Thread.currentThread().threadId(); // threads must not share IVs either
        return new Worker() {
          @Override
          public void seal(int i) {
            plain[IV_OFFSET + (i & 7)]++; // SunJCE refuses to seal twice under one IV
            key.seal(plain, IV_OFFSET, plain, 0, HEADER, plain, HEADER, plaintextLength, out, HEADER);
          }

          @Override
          public void open() {
            if (!key.open(sealed, IV_OFFSET, sealed, 0, HEADER, sealed, HEADER, plaintextLength + 16, out, 0)) {
              throw new IllegalStateException(backend + " did not open its own output");
            }
          }
        };
      }

      @Override
      public void close() {
        key.close();
      }
    };
  }

  private static Subject ticketSubject(String backend, String shape) throws Exception {
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(BenchmarkTickets.NOW_SECONDS));
    KeySchedule keys = new KeySchedule(BenchmarkTickets.backend(backend), BenchmarkTickets.keyRing());
    TicketSealer sealer = new TicketSealer(keys, clock, new IvSource(), BenchmarkTickets.MAX_TICKET_BYTES);
    TicketOpener opener = new TicketOpener(keys, BenchmarkTickets.MAX_TICKET_BYTES, 0);
    IkeSaState state = BenchmarkTickets.state(shape);
    byte[] ticket = sealer.seal(BenchmarkTickets.REALM, state);
    return new Subject() {
      @Override
      public Worker worker() {
        OpenBatch batch = new OpenBatch(1);
        return new Worker() {
          @Override
          public void seal(int i) {
            sealer.seal(BenchmarkTickets.REALM, state);
          }

          @Override
          public void open() {
            batch.clear();
            batch.add(ticket, false);
            opener.openAll(BenchmarkTickets.REALM, batch, BenchmarkTickets.NOW_SECONDS, SingleUseStore.NONE);
            if (batch.outcome(0) != Outcome.OK) {
              throw new IllegalStateException(backend + ": " + batch.outcome(0));
            }
          }
        };
      }

      @Override
      public void close() {
        keys.close();
      }
    };
  }

  /** The rounds after warm-up, of every thread. */
  private static double[] measured(double[] nanos, int threadCount) {
    double[] kept = new double[threadCount * (ROUNDS - WARM_UP_ROUNDS)];
    for (int t = 0; t < threadCount; t++) {
      System.arraycopy(nanos, t * ROUNDS + WARM_UP_ROUNDS, kept, t * (ROUNDS - WARM_UP_ROUNDS), ROUNDS - WARM_UP_ROUNDS);
    }
    Arrays.sort(kept);
    return kept;
  }

  private static double median(double[] nanos, int threadCount) {
    double[] kept = measured(nanos, threadCount);
    return kept[kept.length / 2];
  }

  private static double min(double[] nanos, int threadCount) {
    return measured(nanos, threadCount)[0];
  }
}
