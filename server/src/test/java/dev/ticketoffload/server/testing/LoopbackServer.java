package dev.ticketoffload.server.testing;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.openssl.BackendChoice;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.TicketCrypto;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real TicketServer on 127.0.0.1, an ephemeral port, plaintext, with a channel to it. */
public final class LoopbackServer implements AutoCloseable {

  public final MutableClock clock = new MutableClock(1_764_190_000L);
  public final ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());
  public final TicketServer server;
  public final TicketCrypto crypto;
  public final ManagedChannel channel;

  public LoopbackServer(ServiceLimits limits, KeyRing ring) throws Exception {
    this(limits, ring, List.of(), true);
  }

  public LoopbackServer(ServiceLimits limits, KeyRing ring, List<ServerInterceptor> interceptors, boolean ready)
      throws Exception {
    this(limits, ring, interceptors, ready, Executors.newFixedThreadPool(4), BackendSelector.select("jdk"));
  }

  /** With the server's worker pool (null: work on the transport threads) and backend chosen by the test. */
  public LoopbackServer(ServiceLimits limits, KeyRing ring, ExecutorService workers,
      BackendChoice backend)
      throws Exception {
    this(limits, ring, List.of(), true, workers, backend);
  }

  /** An instance of a fleet: its store is {@code store} (shared with the others; not closed here). */
  public LoopbackServer(ServiceLimits limits, KeyRing ring, dev.ticketoffload.server.store.ConsumeStore store)
      throws Exception {
    this(limits, ring, List.of(), true, Executors.newFixedThreadPool(4), BackendSelector.select("jdk"), store);
  }

  private LoopbackServer(ServiceLimits limits, KeyRing ring, List<ServerInterceptor> interceptors, boolean ready,
      ExecutorService workers, BackendChoice backend) throws Exception {
    this(limits, ring, interceptors, ready, workers, backend, null);
  }

  private LoopbackServer(ServiceLimits limits, KeyRing ring, List<ServerInterceptor> interceptors, boolean ready,
      ExecutorService workers, BackendChoice backend,
      dev.ticketoffload.server.store.ConsumeStore store) throws Exception {
    server = new TicketServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
        limits, metrics, workers, interceptors).start();
    crypto = store == null ? TicketCrypto.assemble(backend, ring, limits, clock)
        : TicketCrypto.assemble(backend, ring, limits, clock, quota -> store);
    if (ready) {
      server.ready(crypto);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024).build();
  }

  public TicketServiceGrpc.TicketServiceBlockingStub blocking() {
    return TicketServiceGrpc.newBlockingStub(channel);
  }

  public TicketServiceGrpc.TicketServiceStub async() {
    return TicketServiceGrpc.newStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      server.shutdown(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the server", e);
    }
    crypto.keys().close();
  }
}
