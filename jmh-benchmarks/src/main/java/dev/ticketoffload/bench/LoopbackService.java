package dev.ticketoffload.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.openssl.BackendRefusedException;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ConnectionLimits;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.TicketCrypto;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.ReferenceStates;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real TicketServer ({@code ticketd}) or the echo of its shapes ({@code echo}) on 127.0.0.1
 * over Netty, with a plaintext channel to it; and the key material to make fresh tickets.
 */
final class LoopbackService implements AutoCloseable {

  final TicketCrypto crypto;
  final dev.ticketoffload.api.v1.IkeSaState wireState;
  final TicketServiceGrpc.TicketServiceFutureStub stub;
  private final IkeSaState coreState;
  private final TicketServer ticketServer;
  private final Server echoServer;
  private final ManagedChannel channel;

  LoopbackService(String service, String backend, String executor) throws IOException, BackendRefusedException {
    long now = InstantSource.system().millis() / 1000;
    coreState = ServiceFixtures.coreState(now);
    wireState = ReferenceStates.toProto(coreState); // the server's reference mapping (its test-jar)
    ExecutorService serverExecutor = ServiceFixtures.executor(executor);
    // The daemon's defaults, except two. The replay guard remembers 50M tickets (-Dbench.guard;
    // the daemon's default is 10M) so that a long run of fresh tickets does not fill it; its mode
    // is the daemon's default, refuse (-Dbench.guard.mode=evict-oldest to evict instead), so a full
    // guard stops the run with RESOURCE_EXHAUSTED rather than skewing it. And room for IN_FLIGHT
    // requests of the largest size the server accepts (max-items-per-request, default 4,096), twice
    // over: a batch holds its items until its answer is sent, so the client's next batch can arrive
    // before the last one's items are released. That is 65,536, above the daemon's 8,192, so
    // admission never sheds and the figures are the service's work, not its overload answer.
    ServiceLimits defaults = ServiceLimits.defaults();
    ServiceLimits sized = defaults.withReplayGuard(Long.getLong("bench.guard", 50_000_000L),
            WhenFull.parse(System.getProperty("bench.guard.mode", "refuse")))
        .withWorkInFlight(Math.max(defaults.maxItemsInFlight(),
            2L * ServiceBenchmark.IN_FLIGHT * defaults.maxItemsPerRequest()), defaults.sealShare());
    // the benchmark's one client connection may use all of it
    ServiceLimits limits = sized.withConnections(
        ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(sized.maxItemsInFlight()));
    crypto = TicketCrypto.assemble(BackendSelector.select(backend), BenchmarkTickets.keyRing(), limits,
        InstantSource.system());
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    int port;
    switch (service) {
      case "ticketd" -> {
        ticketServer = new TicketServer(NettyServerBuilder.forAddress(loopback), limits,
            new ServiceMetrics(new SimpleMeterRegistry()), serverExecutor, List.of()).start();
        ticketServer.ready(crypto);
        echoServer = null;
        port = ticketServer.port();
      }
      case "echo" -> {
        ByteString ticket = UnsafeByteOperations.unsafeWrap(crypto.sealer().seal(BenchmarkTickets.REALM, coreState));
        NettyServerBuilder builder = NettyServerBuilder.forAddress(loopback)
            .addService(new EchoTicketService(wireState, ticket, now)).maxInboundMessageSize(limits.maxRequestBytes());
        echoServer = (serverExecutor == null ? builder.directExecutor() : builder.executor(serverExecutor)).build().start();
        ticketServer = null;
        port = echoServer.getPort();
      }
      default -> throw new IllegalArgumentException("service is ticketd or echo, got " + service);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
        .maxInboundMessageSize(64 << 20).build();
    stub = TicketServiceGrpc.newFutureStub(channel);
  }

  /** {@code n} fresh tickets (never opened), sealed directly, not over the wire. */
  ByteString[] freshTickets(int n) {
    long now = InstantSource.system().millis() / 1000;
    List<IkeSaState> states = Collections.nCopies(4096, coreState.toBuilder()
        .issuedAtSeconds(now).expiresAtSeconds(now + 3600).build());
    ByteString[] tickets = new ByteString[n];
    for (int i = 0; i < n; i += 4096) {
      byte[][] sealed = crypto.sealer().sealAll(BenchmarkTickets.REALM, states);
      for (int k = 0; k < sealed.length && i + k < n; k++) {
        tickets[i + k] = UnsafeByteOperations.unsafeWrap(sealed[k]);
      }
    }
    return tickets;
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      if (ticketServer != null) {
        ticketServer.shutdown(Duration.ofSeconds(2));
      }
      if (echoServer != null) {
        echoServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      crypto.keys().close();
    }
  }
}
