package dev.ticketoffload.bench;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.state.StateCodec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The backends alone ({@link AeadKey} on a ticket-shaped buffer, no sealer or opener around them):
 * where the OpenSSL binding's own cost shows. Seals step the IV like a counter (SunJCE refuses a
 * repeated IV; a counter costs less than the random IVs the sealer draws, which BackendBenchmark counts).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar AeadBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class AeadBenchmark {

  static final int BATCH_SIZE = 256;
  private static final int HEADER = TicketFormat.HEADER_SIZE_IN_BYTES;
  private static final int IV_OFFSET = TicketFormat.IV_OFFSET;

  @Param({"openssl", "bouncycastle", "jdk"})
  public String backend;

  @Param({"reference", "large"})
  public String ticket;

  AeadKey key;
  int plaintextLength;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x42);
    key = BenchmarkTickets.backend(backend).bind(secret);
    plaintextLength = StateCodec.encodedLength(BenchmarkTickets.state(ticket));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    key.close();
  }

  /** One thread's tickets: plaintext layout, sealed copies, and batches over them. */
  @State(Scope.Thread)
  public static class Buffers {
    byte[] plain;
    byte[] sealed;
    byte[] out;
    final AeadBatch sealBatch = new AeadBatch(BATCH_SIZE);
    final AeadBatch openBatch = new AeadBatch(BATCH_SIZE);

    @Setup(Level.Trial)
    public void setUp(AeadBenchmark b) {
      int ticketLength = HEADER + b.plaintextLength + 16;
      plain = new byte[ticketLength];
      Arrays.fill(plain, (byte) 7);
      sealed = plain.clone();
      out = new byte[ticketLength];
      b.key.seal(sealed, IV_OFFSET, sealed, 0, HEADER, plain, HEADER, b.plaintextLength, sealed, HEADER);
      byte[][] sealedItems = new byte[BATCH_SIZE][];
      for (int i = 0; i < BATCH_SIZE; i++) {
        byte[] p = plain.clone();
        p[IV_OFFSET + 11] = (byte) i;
        sealBatch.add(p, IV_OFFSET, p, 0, HEADER, p, HEADER, b.plaintextLength, new byte[ticketLength], HEADER);
        sealedItems[i] = sealed.clone();
        openBatch.add(sealedItems[i], IV_OFFSET, sealedItems[i], 0, HEADER, sealedItems[i], HEADER,
            b.plaintextLength + 16, new byte[b.plaintextLength], 0);
      }
    }
  }

  @Benchmark
  public int seal(Buffers t) {
    nextIv(t.plain);
    return key.seal(t.plain, IV_OFFSET, t.plain, 0, HEADER, t.plain, HEADER, plaintextLength, t.out, HEADER);
  }

  @Benchmark
  public boolean open(Buffers t) {
    boolean ok = key.open(t.sealed, IV_OFFSET, t.sealed, 0, HEADER, t.sealed, HEADER, plaintextLength + 16, t.out, 0);
    if (!ok) {
      throw new IllegalStateException("benchmark ticket did not open");
    }
    return ok;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH_SIZE)
  public int sealBatch(Buffers t) {
    for (int i = 0; i < BATCH_SIZE; i++) {
      nextIv(t.sealBatch.iv(i));
    }
    key.sealBatch(t.sealBatch);
    return t.sealBatch.result(BATCH_SIZE - 1);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH_SIZE)
  public int openBatch(Buffers t) {
    key.openBatch(t.openBatch);
    if (t.openBatch.result(BATCH_SIZE - 1) < 0) {
      throw new IllegalStateException("benchmark ticket did not open");
    }
    return t.openBatch.result(BATCH_SIZE - 1);
  }

  /** Adds one to the IV at {@link #IV_OFFSET}, a 96-bit little-endian counter. */
  private static void nextIv(byte[] ticket) {
    for (int i = IV_OFFSET; i < IV_OFFSET + 12 && ++ticket[i] == 0; i++) {
      // carry into the next byte
    }
  }
}
