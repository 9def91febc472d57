package dev.ticketoffload.server.cli;

import dev.ticketoffload.server.config.ConnectionLimits;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.grpc.ConnectionAge;
import dev.ticketoffload.server.replay.WhenFull;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of {@code ticketd serve}; each can also come from TICKETD_* or the config file. */
public final class ServeOptions {

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:50051",
      description = "gRPC address (default ${DEFAULT-VALUE}); port 0 picks a free port, printed as 'listening on HOST:PORT'.")
  String listen;

  @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics, plain HTTP: off loopback only with --insecure (default: off).")
  String metricsListen;

  @Option(names = "--health-listen", paramLabel = "HOST:PORT",
      description = "Also serve grpc.health.v1.Health alone, in plaintext, on this address: for probes that cannot speak TLS "
          + "(the kubelet's) when --listen does. Off loopback it needs --insecure, as plaintext on --listen does (default: off).")
  String healthListen;

  @Option(names = "--max-connection-age", paramLabel = "SECONDS", defaultValue = "0",
      description = "Close client connections (GOAWAY, +/-10% jitter) after this long, so that clients resolve and spread "
          + "again to new instances; 0 = never (default ${DEFAULT-VALUE}).")
  long maxConnectionAgeSeconds;

  @Option(names = "--max-connection-age-grace", paramLabel = "SECONDS",
      description = "With --max-connection-age: time calls in flight get to finish after the GOAWAY (default "
          + ConnectionAge.DEFAULT_GRACE_SECONDS + ").")
  Long maxConnectionAgeGraceSeconds;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "var",
      description = "Where the key ring lives unless --key-ring says otherwise (default ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--key-ring", paramLabel = "FILE",
      description = "Key ring file (default DATA_DIR/keyring.json); created with realm 'default' on first start on loopback.")
  Path keyRing;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
      description = "AES-GCM backend: auto, openssl, bouncycastle or jdk (default ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain (PEM).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key (PKCS#8 PEM).")
  Path tlsKey;

  @Option(names = "--client-ca", paramLabel = "PEM",
      description = "Require client certificates signed by this CA (mutual TLS).")
  Path clientCa;

  @Option(names = "--realm-policy", paramLabel = "FILE",
      description = "Needs --client-ca: lines 'KIND:VALUE = realm[,realm]', KIND one of cn, dns, uri, ip, email "
          + "(e.g. uri:spiffe://example.org/gw-a = realm-a; realm * = all). Without it every authenticated client may use every realm.")
  Path realmPolicy;

  @Option(names = "--insecure",
      description = "Allow plaintext and key ring creation on a non-loopback address.")
  boolean insecure;

  @Option(names = "--max-items-per-request", paramLabel = "N", defaultValue = "" + ServiceLimits.DEFAULT_MAX_ITEMS_PER_REQUEST,
      description = "Items in one request or stream message (default ${DEFAULT-VALUE}).")
  int maxItemsPerRequest;

  @Option(names = "--max-ticket-bytes", paramLabel = "N", defaultValue = "" + ServiceLimits.DEFAULT_MAX_TICKET_BYTES,
      description = "Largest ticket sealed or accepted; larger ones open as MALFORMED (default ${DEFAULT-VALUE}).")
  int maxTicketBytes;

  @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "" + ServiceLimits.DEFAULT_MAX_REQUEST_BYTES,
      description = "Largest gRPC message accepted (default ${DEFAULT-VALUE}).")
  int maxRequestBytes;

  @Option(names = "--max-concurrent-calls-per-connection", paramLabel = "N",
      defaultValue = "" + ServiceLimits.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
      description = "Concurrent calls (HTTP/2 streams) per client connection (default ${DEFAULT-VALUE}).")
  int maxConcurrentCallsPerConnection;

  @Option(names = "--max-items-in-flight-per-connection", paramLabel = "N", defaultValue = "0",
      description = "Items one client connection may hold, in work or in answers it has not read yet; past it that "
          + "connection gets RESOURCE_EXHAUSTED while others are served. 0 = half of --max-items-in-flight, at least "
          + "--max-items-per-request (default ${DEFAULT-VALUE}).")
  long maxItemsInFlightPerConnection;

  @Option(names = "--keepalive-time", paramLabel = "SECONDS", defaultValue = "60",
      description = "Ping a client after this long without a frame from it; at least 10, gRPC's floor (default ${DEFAULT-VALUE}).")
  long keepAliveSeconds;

  @Option(names = "--keepalive-timeout", paramLabel = "SECONDS", defaultValue = "20",
      description = "Close a connection whose client does not acknowledge the ping within this long: a peer that "
          + "stopped reading is cut and what its unread answers held is released (default ${DEFAULT-VALUE}).")
  long keepAliveTimeoutSeconds;

  @Option(names = "--max-connection-idle", paramLabel = "SECONDS", defaultValue = "1800",
      description = "Close a connection with no call for this long; clients reconnect on their next call (default ${DEFAULT-VALUE}).")
  long maxConnectionIdleSeconds;

  @Option(names = "--max-items-in-flight", paramLabel = "N", defaultValue = "" + ServiceLimits.DEFAULT_MAX_ITEMS_IN_FLIGHT,
      description = "Items admitted and not yet answered over all calls; past it RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE}).")
  long maxItemsInFlight;

  @Option(names = "--seal-share", paramLabel = "F", defaultValue = "" + ServiceLimits.DEFAULT_SEAL_SHARE,
      description = "Seals are admitted only while items in flight stay below this share of the maximum (default ${DEFAULT-VALUE}).")
  double sealShare;

  @Option(names = "--retry-pushback-ms", paramLabel = "MS", defaultValue = "100",
      description = "grpc-retry-pushback-ms sent with RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE}).")
  long retryPushbackMillis;

  @Option(names = "--replay-guard-max-entries", paramLabel = "N",
      defaultValue = "" + ServiceLimits.DEFAULT_REPLAY_GUARD_MAX_ENTRIES,
      description = "Consumed tickets remembered at most per realm unless the key ring sets the realm's "
          + "max_replay_entries; memory store ~27-56 bytes each (default ${DEFAULT-VALUE}).")
  long replayGuardMaxEntries;

  @Option(names = "--replay-guard-when-full", paramLabel = "MODE", defaultValue = "refuse",
      description = "refuse (consuming opens get RESOURCE_EXHAUSTED) or evict-oldest (forget the oldest 1/64) (default ${DEFAULT-VALUE}).")
  String replayGuardWhenFull;

  @Option(names = "--store", paramLabel = "memory|redis://HOST:PORT[,HOST:PORT...]", defaultValue = "memory",
      description = "Where consumed tickets are recorded: memory (this instance only), or Redis / Valkey shared by a "
          + "fleet (redis://, rediss:// for TLS; one address: standalone or a Cluster seed, several: Cluster seeds) "
          + "(default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--store-password-file", paramLabel = "FILE",
      description = "Redis password (one line), or ACL user and password (two lines); owner-only like the key ring.")
  Path storePasswordFile;

  @Option(names = "--store-ca-file", paramLabel = "PEM",
      description = "With rediss://: trust only these CA certificates for the store's TLS certificate (default: the "
          + "JDK's trust store); the certificate must name the address (host name or IP), checked.")
  Path storeCaFile;

  @Option(names = "--store-timeout-ms", paramLabel = "MS", defaultValue = "500",
      description = "A batch whose consumes the store has not answered within this fails UNAVAILABLE with "
          + "grpc-retry-pushback-ms; never OK without the store (default ${DEFAULT-VALUE}).")
  long storeTimeoutMillis;

  @Option(names = "--skew-seconds", paramLabel = "S", defaultValue = "0",
      description = "A ticket is EXPIRED when now >= expires_at + skew (default ${DEFAULT-VALUE}).")
  long skewSeconds;

  @Option(names = "--grace-period", paramLabel = "SECONDS", defaultValue = "10",
      description = "On SIGTERM, time for calls in flight to finish (default ${DEFAULT-VALUE}).")
  long gracePeriodSeconds;

  @Option(names = "--key-ring-poll-ms", paramLabel = "MS", defaultValue = "2000",
      description = "How often the key ring file is checked for changes (default ${DEFAULT-VALUE}).")
  long keyRingPollMillis;

  @Option(names = "--executor", paramLabel = "KIND", defaultValue = "pool",
      description = "pool: a fixed pool of --worker-threads works on admitted batches; direct: the crypto runs on the network threads too "
          + "(small batches only). Either way requests are admitted or shed on the network threads as they arrive (default ${DEFAULT-VALUE}).")
  String executor;

  @Option(names = "--worker-threads", paramLabel = "N", defaultValue = "0",
      description = "Threads of the worker pool; 0 = number of CPUs, 4 x CPUs with a Redis store (a worker waits for "
          + "the store's answer) (default ${DEFAULT-VALUE}).")
  int workerThreads;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file of flag defaults, e.g. 'max-ticket-bytes=4096'. Environment variables "
          + "TICKETD_<FLAG> (e.g. TICKETD_MAX_TICKET_BYTES) override it; flags override both.")
  Path config;

  public ServiceLimits limits() {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, Duration.ofMillis(retryPushbackMillis), replayGuardMaxEntries,
        WhenFull.parse(replayGuardWhenFull), skewSeconds, new ConnectionLimits(maxItemsInFlightPerConnection,
            Duration.ofSeconds(keepAliveSeconds), Duration.ofSeconds(keepAliveTimeoutSeconds),
            Duration.ofSeconds(maxConnectionIdleSeconds)));
  }

  public ConnectionAge connectionAge() {
    return ConnectionAge.ofSeconds(maxConnectionAgeSeconds, maxConnectionAgeGraceSeconds);
  }

  public Path keyRingFile() {
    return keyRing != null ? keyRing : dataDir.resolve("keyring.json");
  }
}
