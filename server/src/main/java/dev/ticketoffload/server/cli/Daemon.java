package dev.ticketoffload.server.cli;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeyRingException;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.openssl.BackendChoice;
import dev.ticketoffload.openssl.BackendRefusedException;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.ConnectionAge;
import dev.ticketoffload.server.grpc.HealthEndpoint;
import dev.ticketoffload.server.grpc.TicketCrypto;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.store.RedisStore;
import dev.ticketoffload.server.store.StoreAddress;
import dev.ticketoffload.server.store.StorePasswordFile;
import dev.ticketoffload.server.grpc.TicketServer;
import dev.ticketoffload.server.keys.KeyRingEditor;
import dev.ticketoffload.server.keys.KeyRingReloader;
import dev.ticketoffload.server.keys.KeyRingSummary;
import dev.ticketoffload.server.metrics.CryptoMeters;
import dev.ticketoffload.server.metrics.MetricsEndpoint;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code ticketd serve}: puts the parts together in the order that keeps the promises of
 * the README (refuse unsafe setups before binding, bind, say where, then become ready), and takes
 * them apart on {@link #shutdown}.
 */
public final class Daemon {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final TicketServer server;
  private final TicketCrypto crypto;
  private final KeyRingReloader reloader;
  private final MetricsEndpoint metricsEndpoint;
  private final HealthEndpoint healthEndpoint;
  private final ScheduledExecutorService housekeeping;
  private final String listening;

  private Daemon(TicketServer server, TicketCrypto crypto, KeyRingReloader reloader, MetricsEndpoint metricsEndpoint,
      HealthEndpoint healthEndpoint, ScheduledExecutorService housekeeping, String listening) {
    this.server = server;
    this.crypto = crypto;
    this.reloader = reloader;
    this.metricsEndpoint = metricsEndpoint;
    this.healthEndpoint = healthEndpoint;
    this.housekeeping = housekeeping;
    this.listening = listening;
  }

  /** A start-up refusal: the message says what to do instead. */
  public static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message);
    }
  }

  /**
   * Starts in the order the README promises: refuse unsafe or inconsistent settings, load the key
   * ring and pick the backend before binding; bind and say where; then become ready.
   */
  public static Daemon start(ServeOptions o, PrintStream out) throws StartupException, IOException {
    ServiceLimits limits = limits(o);
    ConnectionAge connectionAge = connectionAge(o);
    HostPort listen = HostPort.parse(o.listen);
    boolean loopback = listen.isLoopback();
    TransportSecurity security = TransportSecurity.check(o, listen, loopback);
    HostPort healthListen = TransportSecurity.checkHealthListen(o);
    FailOpenChecks.check(o);
    createKeyRingIfMissing(o, loopback);
    // Taken before the load, so that a change landing while the daemon starts is seen by the first poll.
    KeyRingReloader.FileVersion loadedVersion = KeyRingReloader.FileVersion.of(o.keyRingFile());
    KeyRing ring = loadKeyRing(o.keyRingFile(), limits);
    BackendChoice backend = selectBackend(o);
    StoreAddress storeAddress = storeAddress(o, limits);
    StorePasswordFile storePassword = storePassword(o, storeAddress);
    java.nio.file.Path storeCa = storeCa(o, storeAddress);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceMetrics metrics = new ServiceMetrics(registry);
    ServerCredentials credentials = security.credentials();
    List<ServerInterceptor> interceptors = security.interceptors();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(listen.resolve(), credentials);
    connectionAge.applyTo(builder);
    TicketServer server = new TicketServer(builder, limits, metrics, executor(o, limits, storeAddress), interceptors).start();
    String listening = announce(out, listen.withPort(server.port()));
    LOG.info("connection age: {}", connectionAge);
    HealthEndpoint healthEndpoint = healthEndpoint(healthListen, server);

    InstantSource clock = InstantSource.system();
    TicketCrypto crypto = storeAddress.memory() ? TicketCrypto.assemble(backend, ring, limits, clock)
        : TicketCrypto.assemble(backend, ring, limits, clock, quota -> new RedisStore(storeAddress, storePassword, storeCa,
            Duration.ofMillis(o.storeTimeoutMillis), limits.skewSeconds(), registry, quota));
    LOG.info("store: {}{}", storeAddress, storeAddress.memory() ? " (this instance only)"
        : ", timeout " + o.storeTimeoutMillis + " ms; consuming opens fail UNAVAILABLE until it answers");
    server.ready(crypto);
    LOG.info("limits: {}", limits);

    KeyRingReloader reloader = new KeyRingReloader(o.keyRingFile(), crypto.keys(), metrics, loadedVersion,
        limits::replayQuotaProblem)
        .start(Duration.ofMillis(o.keyRingPollMillis));
    CryptoMeters cryptoMeters = new CryptoMeters(metrics, backend, crypto.keys(), crypto.store(),
        limits.replayGuardMaxEntries());
    MetricsEndpoint metricsEndpoint = metricsEndpoint(o, registry, cryptoMeters);
    return new Daemon(server, crypto, reloader, metricsEndpoint, healthEndpoint, housekeeping(crypto, clock),
        listening);
  }

  private static ServiceLimits limits(ServeOptions o) throws StartupException {
    try {
      return o.limits();
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
  }

  /** {@code --store}: a bad address, or a combination that would fail open, refuses to start. */
  private static StoreAddress storeAddress(ServeOptions o, ServiceLimits limits) throws StartupException {
    StoreAddress address;
    try {
      address = StoreAddress.parse(o.store);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
    if (!address.memory() && limits.replayGuardWhenFull() == WhenFull.EVICT_OLDEST) {
      throw new StartupException("--replay-guard-when-full evict-oldest is for --store memory: Redis forgets a "
          + "record only when its ticket expires (bound its memory with maxmemory, policy noeviction)");
    }
    if (o.storeTimeoutMillis < 1 || o.storeTimeoutMillis > 60_000) {
      throw new StartupException("--store-timeout-ms must be 1..60000, got " + o.storeTimeoutMillis);
    }
    return address;
  }

  private static StorePasswordFile storePassword(ServeOptions o, StoreAddress address) throws StartupException {
    if (o.storePasswordFile == null) {
      return null;
    }
    if (address.memory()) {
      throw new StartupException("--store-password-file is for a Redis store; --store is memory");
    }
    try {
      return StorePasswordFile.read(o.storePasswordFile);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
  }

  /** {@code --store-ca-file}: only with rediss://, and a readable PEM file of at least one certificate. */
  private static java.nio.file.Path storeCa(ServeOptions o, StoreAddress address) throws StartupException {
    if (o.storeCaFile == null) {
      return null;
    }
    if (!address.tls()) {
      throw new StartupException("--store-ca-file is for a TLS store (rediss://); --store is " + address);
    }
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(o.storeCaFile)) {
      if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new StartupException("--store-ca-file " + o.storeCaFile + ": no certificate in it");
      }
    } catch (IOException e) {
      throw new StartupException("--store-ca-file " + o.storeCaFile + " cannot be read: " + e);
    } catch (java.security.cert.CertificateException e) {
      throw new StartupException("--store-ca-file " + o.storeCaFile + ": not PEM certificates: " + e.getMessage());
    }
    return o.storeCaFile;
  }

  private static ConnectionAge connectionAge(ServeOptions o) throws StartupException {
    try {
      return o.connectionAge();
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
  }

  /** {@code null} without {@code --health-listen}. */
  private static HealthEndpoint healthEndpoint(HostPort healthListen, TicketServer server) throws IOException {
    if (healthListen == null) {
      return null;
    }
    HealthEndpoint endpoint = new HealthEndpoint(healthListen.resolve(), server.healthService());
    LOG.info("health only, plaintext, on {}", healthListen.withPort(endpoint.port()));
    return endpoint;
  }

  /** native-bindings chooses and self-tests the backend; a refusal becomes the start-up error. */
  private static BackendChoice selectBackend(ServeOptions o) throws StartupException {
    BackendChoice backend;
    try {
      backend = BackendSelector.select(o.backend);
    } catch (BackendRefusedException e) {
      throw new StartupException("--backend " + o.backend + ": " + e.getMessage());
    }
    LOG.info("backend: {} ({}); openssl {}; aes-ni {}", backend.backend().name(), backend.reason(),
        backend.openSslVersionLabel(), backend.aesNi());
    return backend;
  }

  /** The one line on standard output that scripts wait for. */
  private static String announce(PrintStream out, String listening) {
    out.println("listening on " + listening);
    out.flush();
    LOG.info("listening on {}", listening);
    return listening;
  }

  /** {@code null} without {@code --metrics-listen}. */
  private static MetricsEndpoint metricsEndpoint(ServeOptions o, PrometheusMeterRegistry registry,
      CryptoMeters cryptoMeters) throws IOException {
    if (o.metricsListen == null) {
      return null;
    }
    HostPort m = HostPort.parse(o.metricsListen);
    MetricsEndpoint endpoint = new MetricsEndpoint(m.resolve(), registry, cryptoMeters::refresh);
    LOG.info("metrics on http://{}/metrics", m.withPort(endpoint.address().getPort()));
    return endpoint;
  }

  /** Every 10 s: drop expired replay-guard groups (keys that left service are freed by their last batch). */
  private static ScheduledExecutorService housekeeping(TicketCrypto crypto, InstantSource clock) {
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("housekeeping").daemon().factory());
    housekeeping.scheduleWithFixedDelay(() -> crypto.store().sweep(crypto.openClock().nowSeconds()),
        10, 10, TimeUnit.SECONDS);
    return housekeeping;
  }

  private static void createKeyRingIfMissing(ServeOptions o, boolean loopback) throws StartupException, IOException {
    var file = o.keyRingFile();
    if (!Files.exists(file)) {
      if (!loopback && !o.insecure) {
        throw new StartupException("no key ring at " + file + " and refusing to create one for a non-loopback "
            + "address: create it with 'ticketd keys init --key-ring " + file + "' (or pass --insecure)");
      }
      if (new KeyRingEditor(file, Clock.systemUTC()).createIfAbsent(List.of("default")) != null) {
        LOG.info("created a new key ring at {} (realm default, owner-only permissions)", file);
      } // else another start created it meanwhile: use that one
    }
  }

  private static KeyRing loadKeyRing(java.nio.file.Path file, ServiceLimits limits) throws StartupException {
    try {
      KeyRing ring = KeyRingFile.load(file);
      String problem = limits.replayQuotaProblem(ring);
      if (problem != null) {
        ring.destroy();
        throw new StartupException(file + ": " + problem);
      }
      LOG.info("key ring {}: {}", file, KeyRingSummary.of(ring));
      return ring;
    } catch (KeyRingException e) {
      throw new StartupException(e.getMessage());
    }
  }

  /**
   * The worker pool for admitted batches. Requests are admitted on the network threads as they
   * arrive; each queued batch holds at least one item of max-items-in-flight, so the queue's own
   * bound is never reached (it is there so that a bug cannot turn into unbounded memory).
   */
  private static ExecutorService executor(ServeOptions o, ServiceLimits limits, StoreAddress store)
      throws StartupException {
    switch (o.executor) {
      case "direct" -> {
        LOG.info("executor: direct (admission and crypto on the network threads)");
        return null;
      }
      case "pool" -> {
        // with a shared store a worker waits for the store's answer, so more of them keep the CPUs busy
        int cpus = Runtime.getRuntime().availableProcessors();
        int threads = o.workerThreads > 0 ? o.workerThreads : store.memory() ? cpus : 4 * cpus;
        LOG.info("executor: pool of {} worker threads (admission on the network threads, on arrival)", threads);
        int queueBound = (int) Math.min(Integer.MAX_VALUE, limits.maxItemsInFlight());
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(queueBound),
            Thread.ofPlatform().name("ticketd-worker-", 1).daemon().factory());
      }
      default -> throw new StartupException("--executor must be pool or direct, got \"" + o.executor + "\"");
    }
  }

  public String listening() {
    return listening;
  }

  public int port() {
    return server.port();
  }

  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.address().getPort();
  }

  public int healthPort() {
    return healthEndpoint == null ? -1 : healthEndpoint.port();
  }

  public TicketCrypto crypto() {
    return crypto;
  }

  /** The AEAD backend in use: {@code openssl}, {@code bouncycastle} or {@code jdk}. */
  public String backendName() {
    return crypto.backend().backend().name();
  }

  public KeyRingReloader reloader() {
    return reloader;
  }

  /** Stops accepting, finishes calls in flight within {@code grace}, releases everything. */
  public boolean shutdown(Duration grace) throws InterruptedException {
    LOG.info("shutting down: finishing calls in flight (grace period {} s)", grace.toSeconds());
    boolean clean = server.shutdown(grace); // the health port says NOT_SERVING meanwhile
    if (healthEndpoint != null) {
      healthEndpoint.close();
    }
    reloader.close();
    housekeeping.shutdownNow();
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    crypto.store().close();
    crypto.keys().close();
    LOG.info(clean ? "stopped; every call in flight finished" : "stopped; calls still running after the grace period were cancelled");
    return clean;
  }
}
