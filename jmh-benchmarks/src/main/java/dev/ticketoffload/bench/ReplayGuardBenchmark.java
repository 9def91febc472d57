package dev.ticketoffload.bench;

import static dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES;

import dev.ticketoffload.server.replay.ReplayGuard;
import dev.ticketoffload.server.replay.WhenFull;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's replay guard in the service's default mode ({@code refuse}): nanoseconds per consume
 * of a new ticket ({@code firstUse}) and of one already consumed ({@code replayed}), with the guard
 * already remembering {@code remembered} tickets. At the start of each trial it prints the guard's own accounting of its memory divided
 * by the tickets it remembers (bytes per remembered ticket).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar ReplayGuardBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Xms3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReplayGuardBenchmark {

  private static final long KEY_ID = (1L << 48) | 490_000L;
  private static final int NEW_IVS = 1 << 22;

  @Param({"1000000", "10000000"})
  public int remembered;

  private ReplayGuard guard;
  private long nowSeconds;
  private byte[] newIvs;
  private byte[] rememberedIvs;
  private int nextNew;
  private int nextReplay;

  @Setup(Level.Trial)
  public void fill() {
    nowSeconds = InstantSource.system().millis() / 1000;
    // The service's default mode (refuse: one growing table per key), with room for the prefill plus
    // everything the measurement adds, so that nothing is refused.
    guard = new ReplayGuard(remembered + 64L * NEW_IVS, WhenFull.REFUSE, 0);
    SplittableRandom random = new SplittableRandom(42);
    rememberedIvs = randomIvs(random, remembered);
    for (int i = 0; i < remembered; i++) {
      guard.consume(KEY_ID, rememberedIvs, i * IV_SIZE_IN_BYTES, nowSeconds + 3600, 0, nowSeconds, null);
    }
    newIvs = randomIvs(random, NEW_IVS);
    // Memory is a count, not a time: printed once per trial with the fork's output.
    System.out.printf(java.util.Locale.ROOT, "%nreplay guard: %,d tickets remembered, %,d bytes allocated, %.1f bytes per ticket%n",
        guard.size(), guard.bytesAllocated(), (double) guard.bytesAllocated() / guard.size());
  }

  private static byte[] randomIvs(SplittableRandom random, int n) {
    byte[] ivs = new byte[n * IV_SIZE_IN_BYTES];
    for (int i = 0; i < ivs.length; i += 8) {
      long v = random.nextLong();
      for (int k = 0; k < 8 && i + k < ivs.length; k++) {
        ivs[i + k] = (byte) (v >>> (8 * k));
      }
    }
    return ivs;
  }

  @Benchmark
  public ReplayGuard.Result firstUse() {
    // Each new IV is used once per run; a wrapped IV would count as a replay, so vary the key id per pass.
    int i = nextNew++;
    return guard.consume(KEY_ID + i / NEW_IVS, newIvs, (i % NEW_IVS) * IV_SIZE_IN_BYTES, nowSeconds + 3600, 0, nowSeconds, null);
  }

  @Benchmark
  public ReplayGuard.Result replayed() {
    int i = nextReplay++ % remembered;
    return guard.consume(KEY_ID, rememberedIvs, i * IV_SIZE_IN_BYTES, nowSeconds + 3600, 0, nowSeconds, null);
  }
}
