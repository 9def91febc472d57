package dev.ticketoffload.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seal and Open batches over a real loopback gRPC connection (Netty, plaintext), against the real
 * TicketServer ({@code service=ticketd}) and, in the same run, against {@link EchoTicketService}
 * ({@code service=echo}): the same message shapes with no crypto, the transport ceiling. The
 * figure to read is the secondary result {@code items} (items per second);
 * {@code scripts/storm-chart.py} prints each ticketd figure's ratio to its echo ceiling.
 *
 * <p>One client thread keeps {@link #IN_FLIGHT} calls in flight, client and server in one JVM.
 * Opens consume: every open uses a fresh ticket (sealed before each iteration, outside the
 * measurement), so the replay guard works as in a storm.
 *
 * <p>JMH runs the echo and ticketd trials one after the other; on a machine shared with other work
 * their ratio moves with the load. {@link PairedServiceRun} alternates the two in short slices and
 * is the steadier ratio.
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar ServiceBenchmark -rf json -rff service.json</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g", "-Xms3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ServiceBenchmark {

  static final int IN_FLIGHT = 8;
  private static final int MAX_POOL = 4 << 20;

  @Param({"1", "16", "256", "1024"})
  public int batch;

  @Param({"ticketd", "echo"})
  public String service;

  @Param({"openssl"})
  public String backend;

  @Param({"pool"})
  public String executor;

  private LoopbackService server;
  private BatchPipeline pipeline;
  private int ticketsUsedLastIteration = 1 << 19;

  /** Items per second, the figure to compare (one op is one batch). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Items {
    public long items;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    server = new LoopbackService(service, backend, executor);
    pipeline = new BatchPipeline(server, batch, IN_FLIGHT);
  }

  /** Fresh tickets: three times what the last iteration used (load varies), sealed outside the measurement. */
  @Setup(Level.Iteration)
  public void refillTickets() {
    pipeline.useTickets(server.freshTickets(Math.min(MAX_POOL, Math.max(1 << 16, 3 * ticketsUsedLastIteration))));
  }

  @TearDown(Level.Iteration)
  public void drain() throws Exception {
    pipeline.drain();
    ticketsUsedLastIteration = pipeline.ticketsUsed();
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (pipeline.notOk() > 0) {
      System.out.println("WARNING: " + pipeline.notOk() + " opens were not OK (ran out of fresh tickets): figures mislead");
    }
    server.close();
  }

  @Benchmark
  public void open(Items items) throws Exception {
    pipeline.open();
    items.items += batch;
  }

  @Benchmark
  public void seal(Items items) throws Exception {
    pipeline.seal();
    items.items += batch;
  }
}
