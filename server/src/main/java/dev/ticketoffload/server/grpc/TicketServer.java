package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.admission.AdmissionControl;
import dev.ticketoffload.server.config.ConnectionLimits;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server: TicketService, the standard health service and server reflection (v1 and v1alpha)
 * on one port.
 *
 * <p>It takes its {@link ServerBuilder} in the constructor (address and TLS are the builder's), so
 * tests and {@code ticketd serve} build the same server. Health is NOT_SERVING and TicketService
 * answers UNAVAILABLE until {@link #ready} hands over the keys and a self-tested backend.
 */
public final class TicketServer {

  /** The health service name of TicketService (the empty name means the whole server). */
  public static final String SERVICE_NAME = TicketServiceGrpc.SERVICE_NAME;

  private final Server server;
  private final TicketServiceImpl service;
  private final HealthStatusManager health = new HealthStatusManager();
  private final AdmissionControl admission;
  private final ExecutorService executor;
  private final Workers workers;

  /**
   * @param executor the worker pool that works on admitted batches (null: they are worked on the
   *     transport threads, {@code --executor direct}); the server shuts it down. gRPC itself always
   *     runs the service on its transport threads, so requests are admitted or refused as they
   *     arrive, before any queue.
   * @param interceptors applied to TicketService, first one outermost (e.g. client identity)
   */
  public TicketServer(ServerBuilder<?> builder, ServiceLimits limits, ServiceMetrics metrics,
      ExecutorService executor, List<ServerInterceptor> interceptors) {
    this.admission = new AdmissionControl(limits.maxItemsInFlight(), limits.sealShare());
    this.executor = executor;
    RefusalLog refusals = new RefusalLog(Duration.ofSeconds(10));
    CallGate gate = new CallGate(limits, admission, metrics, refusals);
    Workers workers = new Workers(executor);
    this.service = new TicketServiceImpl(new SealBatchHandler(gate, metrics), new OpenBatchHandler(gate, metrics),
        new RevokeBatchHandler(gate),
        workers);
    ConnectionShares connections = new ConnectionShares();
    builder.addTransportFilter(connections);
    if (builder instanceof NettyServerBuilder netty) {
      ConnectionLimits c = limits.connections();
      netty.maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
          // A peer that stops reading never acknowledges the ping: the connection is cut, and what its
          // unread answers held is released. Without this gRPC servers ping only after two hours.
          .keepAliveTime(c.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveTimeout(c.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionIdle(c.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS);
    }
    // Admission must see a call as soon as its request is parsed: a call executor would queue calls
    // (unbounded, uncounted) before the service could refuse them. Everything before the hand-off to
    // `executor` is cheap and non-blocking (interceptors, checks, admission, health, reflection).
    builder.directExecutor();
    builder.maxInboundMessageSize(limits.maxRequestBytes());
    this.server = builder
        .addService(ServerInterceptors.intercept(ServerInterceptors.intercept(
            MalformedRequests.areInvalidArgument(service.definition()), new SkippedCallCounter(metrics), connections),
            interceptors))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(reflectionV1Alpha())
        .build();
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
    metrics.gauge("ticketoffload.work.in.flight.items", "Items admitted and not yet answered",
        admission::inFlightItems);
    metrics.gauge("ticketoffload.work.capacity.items", "max-items-in-flight", admission::capacityItems);
    metrics.gauge("ticketoffload.work.queued.batches", "Admitted batches waiting for a worker",
        workers::queuedBatches);
    this.workers = workers;
  }

  /**
   * Reflection v1alpha besides v1: grpcurl and grpc_cli as still packaged by many distributions
   * speak only v1alpha and would see UNIMPLEMENTED.
   */
  @SuppressWarnings("deprecation") // grpc-java deprecates the v1alpha service in favour of v1; clients still use it
  private static BindableService reflectionV1Alpha() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  public TicketServer start() throws IOException {
    server.start();
    return this;
  }

  /** The address actually bound (port 0 resolved). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().getFirst();
  }

  public int port() {
    return server.getPort();
  }

  public AdmissionControl admission() {
    return admission;
  }

  /** Admitted batches handed to the worker pool and not yet picked up (never more than the items in flight). */
  public int queuedBatches() {
    return workers.queuedBatches();
  }

  /** The health service, for a second, health-only port ({@link HealthEndpoint}); same status as this one. */
  public BindableService healthService() {
    return health.getHealthService();
  }

  /** Starts serving TicketService and says SERVING in health. */
  public void ready(TicketCrypto crypto) {
    service.ready(crypto);
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
  }

  /**
   * Stops accepting calls, lets calls in flight finish within {@code grace}, then cancels the rest.
   *
   * @return {@code true} when everything in flight finished within the grace period
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    boolean clean = server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!clean) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (executor != null) {
      executor.shutdown();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
    return clean;
  }
}
