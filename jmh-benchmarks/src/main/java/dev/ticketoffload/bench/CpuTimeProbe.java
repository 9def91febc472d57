package dev.ticketoffload.bench;

import dev.ticketoffload.core.aead.AeadKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A second opinion for a shared, loaded machine: seal and open on one thread, backends interleaved in
 * rounds, timed in thread CPU time (time the thread was descheduled does not count, unlike JMH's
 * wall clock). Prints the median and minimum over the last 20 of 30 rounds of 200,000 operations.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp jmh-benchmarks/target/benchmarks.jar \
 *     dev.ticketoffload.bench.CpuTimeProbe openssl,jdk,bouncycastle 152</pre>
 *
 * The arguments are the backends and the plaintext length (152: the reference state; 1440: large).
 */
public final class CpuTimeProbe {

  private static final int ROUNDS = 30;
  private static final int WARM_UP_ROUNDS = 10;
  private static final int OPERATIONS_PER_ROUND = 200_000;
  private static final int HEADER = 24;
  private static final int IV_OFFSET = 12;

  private CpuTimeProbe() {}

  public static void main(String[] args) throws Exception {
    String[] backends = args[0].split(",");
    int plaintextLength = Integer.parseInt(args[1]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    AeadKey[] keys = new AeadKey[backends.length];
    byte[][] sealed = new byte[backends.length][];
    byte[] plain = new byte[HEADER + plaintextLength + 16];
    byte[] out = new byte[plain.length];
    for (int b = 0; b < backends.length; b++) {
      keys[b] = BenchmarkTickets.backend(backends[b]).bind(new byte[32]);
      sealed[b] = plain.clone();
      keys[b].seal(sealed[b], IV_OFFSET, sealed[b], 0, HEADER, plain, HEADER, plaintextLength, sealed[b], HEADER);
    }
    double[][] sealNanos = new double[backends.length][ROUNDS];
    double[][] openNanos = new double[backends.length][ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      for (int b = 0; b < backends.length; b++) {
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
          plain[IV_OFFSET + (i & 7)]++; // SunJCE refuses to seal twice under one IV
          keys[b].seal(plain, IV_OFFSET, plain, 0, HEADER, plain, HEADER, plaintextLength, out, HEADER);
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
          if (!keys[b].open(sealed[b], IV_OFFSET, sealed[b], 0, HEADER, sealed[b], HEADER, plaintextLength + 16, out, 0)) {
            throw new IllegalStateException(backends[b] + " did not open its own output");
          }
        }
        long t2 = threads.getCurrentThreadCpuTime();
        sealNanos[b][r] = (t1 - t0) / (double) OPERATIONS_PER_ROUND;
        openNanos[b][r] = (t2 - t1) / (double) OPERATIONS_PER_ROUND;
      }
    }
    for (int b = 0; b < backends.length; b++) {
      System.out.printf("%-13s seal median %7.1f min %7.1f   open median %7.1f min %7.1f   (CPU ns per op)%n",
          backends[b], median(sealNanos[b]), min(sealNanos[b]), median(openNanos[b]), min(openNanos[b]));
      keys[b].close();
    }
  }

  private static double median(double[] nanos) {
    double[] measured = Arrays.copyOfRange(nanos, WARM_UP_ROUNDS, nanos.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }

  private static double min(double[] nanos) {
    return Arrays.stream(nanos, WARM_UP_ROUNDS, nanos.length).min().orElseThrow();
  }
}
