package dev.ticketoffload.bench;

import static dev.ticketoffload.bench.BenchmarkTickets.MAX_TICKET_BYTES;
import static dev.ticketoffload.bench.BenchmarkTickets.NOW_SECONDS;
import static dev.ticketoffload.bench.BenchmarkTickets.REALM;

import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
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
 * Tickets sealed and opened through {@link TicketSealer} and {@link TicketOpener}, per backend: what
 * the service pays per ticket. Seal includes IV generation, header and state encoding and the new
 * ticket array; open includes the header checks, key lookup, decryption, state check and expiry,
 * but not the replay guard (tickets are peeked). Times are per ticket, batches included.
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar BackendBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class BackendBenchmark {

  static final int BATCH_SIZE = 256;

  @Param({"openssl", "bouncycastle", "jdk"})
  public String backend;

  @Param({"reference", "large"})
  public String ticket;

  private KeySchedule keys;
  private TicketSealer sealer;
  private TicketOpener opener;
  private IkeSaState state;
  private List<IkeSaState> states;
  private byte[] sealed;
  private byte[][] sealedBatch;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(NOW_SECONDS));
    keys = new KeySchedule(BenchmarkTickets.backend(backend), BenchmarkTickets.keyRing());
    sealer = new TicketSealer(keys, clock, new IvSource(), MAX_TICKET_BYTES);
    opener = new TicketOpener(keys, MAX_TICKET_BYTES, 0);
    state = BenchmarkTickets.state(ticket);
    states = Collections.nCopies(BATCH_SIZE, state);
    sealed = sealer.seal(REALM, state);
    sealedBatch = sealer.sealAll(REALM, states);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    keys.close();
  }

  /** Reused per thread, as the service reuses them per worker (and the output of sealBatch). */
  @State(Scope.Thread)
  public static class OpenBatches {
    final OpenBatch one = new OpenBatch(1);
    final OpenBatch many = new OpenBatch(BATCH_SIZE);
    final byte[] sealed = new byte[BATCH_SIZE * MAX_TICKET_BYTES];
  }

  @Benchmark
  public byte[] seal() {
    return sealer.seal(REALM, state);
  }

  @Benchmark
  public Outcome open(OpenBatches batches) {
    OpenBatch batch = batches.one;
    batch.clear();
    batch.add(sealed, false);
    opener.openAll(REALM, batch, NOW_SECONDS, SingleUseStore.NONE);
    return check(batch.outcome(0));
  }

  /** Tickets sealed into one reused array: the batch path allocates nothing. */
  @Benchmark
  @OperationsPerInvocation(BATCH_SIZE)
  public int sealBatch(OpenBatches buffers) {
    return sealer.sealAllInto(REALM, states, buffers.sealed, 0);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH_SIZE)
  public Outcome openBatch(OpenBatches batches) {
    OpenBatch batch = batches.many;
    batch.clear();
    for (byte[] t : sealedBatch) {
      batch.add(t, false);
    }
    opener.openAll(REALM, batch, NOW_SECONDS, SingleUseStore.NONE);
    return check(batch.outcome(BATCH_SIZE - 1));
  }

  private static Outcome check(Outcome outcome) {
    if (outcome != Outcome.OK) {
      throw new IllegalStateException("benchmark ticket did not open: " + outcome);
    }
    return outcome;
  }
}
