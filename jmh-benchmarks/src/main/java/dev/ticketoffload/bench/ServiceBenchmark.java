package dev.ticketoffload.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.server.backend.BackendChoice;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.TicketCrypto;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.replay.WhenFull;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
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
 * {@link TicketServer} ({@code service=ticketd}) and, in the same run, against
 * {@link EchoTicketService} ({@code service=echo}): the same message shapes with no crypto, the
 * transport ceiling. The figure to read is the secondary result {@code items} (items per second);
 * {@code scripts/storm-chart.py} prints the ratio of each ticketd figure to its echo ceiling.
 *
 * <p>One client thread keeps {@link #IN_FLIGHT} calls in flight (a gateway pipelining batches),
 * client and server in one JVM. Opens consume: every open uses a fresh ticket (a pool sealed
 * before each iteration, outside the measurement), so the replay guard works as in a storm.
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

  @Param({"1", "16", "256", "1024"})
  public int batch;

  @Param({"ticketd", "echo"})
  public String service;

  @Param({"jdk"})
  public String backend;

  @Param({"pool"})
  public String executor;

  private TicketServer ticketServer;
  private TicketCrypto crypto;
  private Server echoServer;
  private ManagedChannel channel;
  private TicketServiceGrpc.TicketServiceFutureStub stub;
  private final ListenableFuture<?>[] window = new ListenableFuture<?>[IN_FLIGHT];
  private int slot;
  private dev.ticketoffload.api.v1.IkeSaState wireState;
  private ByteString[] pool = new ByteString[0];
  private int poolNext;
  private long poolUsedLastIteration;
  private long notOk;

  /** Items per second, the figure to compare (one op is one batch). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Items {
    public long items;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    long now = InstantSource.system().millis() / 1000;
    IkeSaState state = ServiceFixtures.coreState(now);
    wireState = ServiceFixtures.protoState(state);
    ExecutorService serverExecutor = ServiceFixtures.executor(executor);
    ServiceLimits limits = ServiceLimits.defaults().withReplayGuard(50_000_000, WhenFull.EVICT_OLDEST);
    crypto = TicketCrypto.assemble(BackendChoice.select(backend), ServiceFixtures.keyRing(), limits,
        InstantSource.system());
    int port;
    if (service.equals("ticketd")) {
      ticketServer = new TicketServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), limits,
          new ServiceMetrics(new SimpleMeterRegistry()), serverExecutor, List.of()).start();
      ticketServer.ready(crypto);
      port = ticketServer.port();
    } else {
      ByteString ticket = UnsafeByteOperations.unsafeWrap(crypto.sealer().seal(ServiceFixtures.REALM, state));
      NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(new EchoTicketService(wireState, ticket, now)).maxInboundMessageSize(limits.maxRequestBytes());
      echoServer = (serverExecutor == null ? builder.directExecutor() : builder.executor(serverExecutor)).build().start();
      port = echoServer.getPort();
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
        .maxInboundMessageSize(64 << 20).build();
    stub = TicketServiceGrpc.newFutureStub(channel);
  }

  /** Fresh tickets for this iteration: twice what the last one used, sealed outside the measurement. */
  @Setup(Level.Iteration)
  public void refillPool() {
    int size = (int) Math.min(8 << 20, Math.max(pool.length == 0 ? 1 << 20 : 1 << 16, 2 * poolUsedLastIteration));
    long now = InstantSource.system().millis() / 1000;
    List<IkeSaState> states = Collections.nCopies(4096, ServiceFixtures.coreState(now));
    pool = new ByteString[size];
    for (int i = 0; i < size; i += 4096) {
      byte[][] sealed = crypto.sealer().sealAll(ServiceFixtures.REALM, states);
      for (int k = 0; k < sealed.length && i + k < size; k++) {
        pool[i + k] = UnsafeByteOperations.unsafeWrap(sealed[k]);
      }
    }
    poolNext = 0;
  }

  @TearDown(Level.Iteration)
  public void drainWindow() throws Exception {
    for (int i = 0; i < IN_FLIGHT; i++) {
      awaitSlot(i);
    }
    poolUsedLastIteration = poolNext;
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    if (notOk > 0) {
      System.out.println("WARNING: " + notOk + " opens were not OK (ticket pool reused?): figures are not comparable");
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (ticketServer != null) {
      ticketServer.shutdown(Duration.ofSeconds(2));
    }
    if (echoServer != null) {
      echoServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    crypto.keys().close();
  }

  @Benchmark
  public void open(Items items) throws Exception {
    awaitSlot(slot);
    OpenRequest.Builder request = OpenRequest.newBuilder().setRealm(ServiceFixtures.REALM);
    for (int i = 0; i < batch; i++) {
      request.addItemsBuilder().setRef(i).setTicket(nextTicket());
    }
    window[slot] = stub.open(request.build());
    slot = (slot + 1) % IN_FLIGHT;
    items.items += batch;
  }

  @Benchmark
  public void seal(Items items) throws Exception {
    awaitSlot(slot);
    SealRequest.Builder request = SealRequest.newBuilder().setRealm(ServiceFixtures.REALM);
    for (int i = 0; i < batch; i++) {
      request.addItemsBuilder().setRef(i).setState(wireState).setLifetimeSeconds(3600);
    }
    window[slot] = stub.seal(request.build());
    slot = (slot + 1) % IN_FLIGHT;
    items.items += batch;
  }

  private ByteString nextTicket() {
    ByteString t = pool[poolNext % pool.length];
    poolNext++;
    return t;
  }

  private void awaitSlot(int i) throws Exception {
    ListenableFuture<?> previous = window[i];
    if (previous == null) {
      return;
    }
    window[i] = null;
    Object response = previous.get(30, TimeUnit.SECONDS);
    if (response instanceof OpenResponse open) {
      for (OpenResult r : open.getResultsList()) {
        notOk += r.getOutcome() == Outcome.OK ? 0 : 1;
      }
    } else if (response instanceof SealResponse sealResponse && sealResponse.getResultsCount() != batch) {
      throw new IllegalStateException("seal answered " + sealResponse.getResultsCount() + " results for " + batch);
    }
  }
}
