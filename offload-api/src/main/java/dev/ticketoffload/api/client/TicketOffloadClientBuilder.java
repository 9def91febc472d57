package dev.ticketoffload.api.client;

import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Options of a {@link TicketOffloadClient}. Every option is checked when set or at
 * {@link #build()}, so a wrong configuration fails where it is written, not under load.
 */
public final class TicketOffloadClientBuilder {

  /** The service's default {@code max_items_per_request}; a larger batch would be refused. */
  public static final int MAX_BATCH_ITEMS_LIMIT = 4096;

  private String target;
  private List<InetSocketAddress> addresses;
  private ChannelCredentials credentials = InsecureChannelCredentials.create();
  private String overrideAuthority;
  private String realm = "";
  private int maxBatchItems = 256;
  // 5 ms: measured in storms of 32 gateways at ~3,000 opens/s each, a 1 ms linger made batches of
  // ~3 items and the service RPC-bound (p99 ~0.8 s); 5 ms made batches of ~15 and p99 ~15 ms.
  private Duration linger = Duration.ofMillis(5);
  private int maxOutstandingItems = 8192;
  private Duration maxWaitForCapacity = Duration.ofSeconds(5);
  private Duration rpcTimeout = Duration.ofSeconds(5);
  private int maxAttempts = 5;
  private double retryJitter = 0.5;
  private Executor callbackExecutor;
  private int maxInboundMessageBytes = 64 * 1024 * 1024;
  private Duration closeGracePeriod = Duration.ofSeconds(5);
  private RpcAttemptListener attemptListener = RpcAttemptListener.NONE;

  TicketOffloadClientBuilder() {}

  /** A gRPC target such as {@code dns:///tickets.example.net:50051}. Excludes {@link #addresses}. */
  public TicketOffloadClientBuilder target(String grpcTarget) {
    this.target = requireNonBlank(grpcTarget, "target");
    return this;
  }

  /**
   * Fixed server addresses, {@code host:port} or {@code [v6]:port}, resolved once here; calls are
   * spread over them with {@code round_robin}. Excludes {@link #target}.
   */
  public TicketOffloadClientBuilder addresses(List<String> hostPorts) {
    if (hostPorts.isEmpty()) {
      throw new IllegalArgumentException("addresses must not be empty");
    }
    List<InetSocketAddress> parsed = new ArrayList<>();
    for (String hostPort : hostPorts) {
      parsed.add(parseHostPort(hostPort));
    }
    this.addresses = List.copyOf(parsed);
    return this;
  }

  public TicketOffloadClientBuilder addresses(String... hostPorts) {
    return addresses(List.of(hostPorts));
  }

  /** Default: plaintext. Use {@link io.grpc.TlsChannelCredentials} for TLS and mTLS. */
  public TicketOffloadClientBuilder credentials(ChannelCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** The name the server certificate must carry, when it differs from the address. */
  public TicketOffloadClientBuilder overrideAuthority(String authority) {
    this.overrideAuthority = requireNonBlank(authority, "authority");
    return this;
  }

  /** The key realm of every request; empty (the default) means the service's {@code default}. */
  public TicketOffloadClientBuilder realm(String realm) {
    this.realm = Objects.requireNonNull(realm, "realm");
    return this;
  }

  /** Items per batch RPC, 1..4096. Default 256. */
  public TicketOffloadClientBuilder maxBatchItems(int items) {
    this.maxBatchItems = inRange("maxBatchItems", items, 1, MAX_BATCH_ITEMS_LIMIT);
    return this;
  }

  /** How long a batch that is not full waits for more items; 0 sends every item alone. Default 5 ms. */
  public TicketOffloadClientBuilder linger(Duration linger) {
    this.linger = inRange("linger", linger, Duration.ZERO, Duration.ofSeconds(1));
    return this;
  }

  /** Items accepted and not yet answered, at least {@code maxBatchItems}. Default 8192. */
  public TicketOffloadClientBuilder maxOutstandingItems(int items) {
    this.maxOutstandingItems = inRange("maxOutstandingItems", items, 1, Integer.MAX_VALUE);
    return this;
  }

  /** How long a call blocks for capacity before it is rejected; 0 rejects at once. Default 5 s. */
  public TicketOffloadClientBuilder maxWaitForCapacity(Duration wait) {
    this.maxWaitForCapacity = inRange("maxWaitForCapacity", wait, Duration.ZERO, Duration.ofMinutes(10));
    return this;
  }

  /** The deadline of each RPC attempt. Default 5 s. */
  public TicketOffloadClientBuilder rpcTimeout(Duration timeout) {
    this.rpcTimeout = inRange("rpcTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
    return this;
  }

  /** Attempts per batch when the service sheds it, the first included, 1..100. Default 5. */
  public TicketOffloadClientBuilder maxAttempts(int attempts) {
    this.maxAttempts = inRange("maxAttempts", attempts, 1, 100);
    return this;
  }

  /** Retry waits are stretched by a random factor in [1, 1 + jitter), jitter in [0, 1]. Default 0.5. */
  public TicketOffloadClientBuilder retryJitter(double jitter) {
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("retryJitter must be in [0, 1], got " + jitter);
    }
    this.retryJitter = jitter;
    return this;
  }

  /** Where futures complete. Default: gRPC's transport thread (no hop; fastest). */
  public TicketOffloadClientBuilder callbackExecutor(Executor executor) {
    this.callbackExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** The largest response accepted, at least 1 MiB. Default 64 MiB. */
  public TicketOffloadClientBuilder maxInboundMessageBytes(int bytes) {
    this.maxInboundMessageBytes = inRange("maxInboundMessageBytes", bytes, 1 << 20, Integer.MAX_VALUE);
    return this;
  }

  /** How long {@link TicketOffloadClient#close()} waits for batches in flight. Default 5 s. */
  public TicketOffloadClientBuilder closeGracePeriod(Duration grace) {
    this.closeGracePeriod = inRange("closeGracePeriod", grace, Duration.ZERO, Duration.ofMinutes(10));
    return this;
  }

  /** Told of every RPC attempt's end (latency, outcome); default: nobody. */
  public TicketOffloadClientBuilder attemptListener(RpcAttemptListener listener) {
    this.attemptListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  public TicketOffloadClient build() {
    if ((target == null) == (addresses == null)) {
      throw new IllegalStateException("set exactly one of target(...) and addresses(...)");
    }
    if (maxOutstandingItems < maxBatchItems) {
      throw new IllegalStateException("maxOutstandingItems (" + maxOutstandingItems
          + ") must be at least maxBatchItems (" + maxBatchItems + "), or no batch could fill");
    }
    ManagedChannel channel = channelBuilder()
        .defaultLoadBalancingPolicy("round_robin")
        .maxInboundMessageSize(maxInboundMessageBytes)
        .build();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "ticket-offload-client-timer");
      thread.setDaemon(true);
      return thread;
    });
    ClientRuntime runtime = new ClientRuntime(TicketServiceGrpc.newStub(channel), realm,
        rpcTimeout.toNanos(), new PushbackRetryPolicy(maxAttempts, retryJitter),
        timer, maxOutstandingItems, attemptListener);
    return new TicketOffloadClient(channel, timer, runtime, maxBatchItems, linger, maxWaitForCapacity,
        closeGracePeriod);
  }

  private ManagedChannelBuilder<?> channelBuilder() {
    ManagedChannelBuilder<?> builder;
    if (addresses != null) {
      InetSocketAddress first = addresses.get(0);
      var provider = new StaticAddressesResolverProvider(addresses, first.getHostString() + ":" + first.getPort());
      NameResolverRegistry registry = new NameResolverRegistry();
      registry.register(provider);
      builder = Grpc.newChannelBuilder(provider.target(), credentials, registry);
    } else {
      builder = Grpc.newChannelBuilder(target, credentials);
    }
    if (overrideAuthority != null) {
      builder.overrideAuthority(overrideAuthority);
    }
    if (callbackExecutor == null) {
      builder.directExecutor();
    } else {
      builder.executor(callbackExecutor);
    }
    return builder;
  }

  static InetSocketAddress parseHostPort(String hostPort) {
    requireNonBlank(hostPort, "address");
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("address must be host:port or [v6]:port, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port of '" + hostPort + "' is not a number");
    }
    inRange("port of '" + hostPort + "'", port, 1, 65535);
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host of '" + hostPort + "'");
    }
    return address;
  }

  private static String requireNonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  private static int inRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  private static Duration inRange(String what, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, what);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }
}
