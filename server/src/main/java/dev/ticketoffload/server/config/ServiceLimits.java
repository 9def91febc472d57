package dev.ticketoffload.server.config;

import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.server.replay.WhenFull;
import java.time.Duration;

/**
 * The limits the service enforces, each a flag of {@code ticketd serve}. Checked at construction:
 * a configuration that could never admit a valid request is a startup error, not a runtime surprise.
 *
 * @param maxItemsPerRequest items in one Seal/Open request (or one stream message)
 * @param maxTicketBytes the largest ticket sealed or accepted; larger tickets open as MALFORMED
 * @param maxRequestBytes the largest gRPC message accepted (maxInboundMessageSize)
 * @param maxConcurrentCallsPerConnection concurrent calls (streams) per HTTP/2 connection
 * @param maxItemsInFlight items admitted and not yet answered, over all calls
 * @param sealShare the share of {@code maxItemsInFlight} seals may use; opens may use all of it
 * @param retryPushback what a shed request is told to wait before it retries
 * @param replayGuardMaxEntries tickets the replay guard remembers at most
 * @param replayGuardWhenFull what happens when it is full
 * @param skewSeconds tickets expire this many seconds after their {@code expires_at}
 * @param connections per-connection bounds, keepalive and idle closing
 */
public record ServiceLimits(
    int maxItemsPerRequest,
    int maxTicketBytes,
    int maxRequestBytes,
    int maxConcurrentCallsPerConnection,
    long maxItemsInFlight,
    double sealShare,
    Duration retryPushback,
    long replayGuardMaxEntries,
    WhenFull replayGuardWhenFull,
    long skewSeconds,
    ConnectionLimits connections) {

  public static final int DEFAULT_MAX_ITEMS_PER_REQUEST = 4096;
  /** The smallest ticket format v1 has: header, the smallest state encoding, tag. */
  public static final int SMALLEST_TICKET_BYTES = TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES;
  public static final int DEFAULT_MAX_TICKET_BYTES = 2048;
  /** 4096 items of a 2 KiB ticket each, plus protobuf framing. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 64;
  /**
   * Items admitted and not yet answered. The queue behind the workers holds at most this many, so it
   * caps queueing delay: about 70 ms at the ~120,000 opens/s measured on 2 cores (65,536 gave 0.5 s
   * and never shed a 32-gateway storm at twice the sustainable rate). Two full 4,096-item batches.
   */
  public static final long DEFAULT_MAX_ITEMS_IN_FLIGHT = 8_192;
  public static final double DEFAULT_SEAL_SHARE = 0.5;
  public static final Duration DEFAULT_RETRY_PUSHBACK = Duration.ofMillis(100);
  /** About 190 MB of IV tables at the measured ~19 bytes per entry (README). */
  public static final long DEFAULT_REPLAY_GUARD_MAX_ENTRIES = 10_000_000;

  public ServiceLimits {
    positive("max-items-per-request", maxItemsPerRequest);
    positive("max-ticket-bytes", maxTicketBytes);
    positive("max-request-bytes", maxRequestBytes);
    positive("max-concurrent-calls-per-connection", maxConcurrentCallsPerConnection);
    positive("max-items-in-flight", maxItemsInFlight);
    positive("replay-guard-max-entries", replayGuardMaxEntries);
    if (maxTicketBytes < SMALLEST_TICKET_BYTES) {
      throw new IllegalArgumentException("max-ticket-bytes (" + maxTicketBytes + ") is below the smallest ticket ("
          + SMALLEST_TICKET_BYTES + " bytes): no ticket could be sealed or opened");
    }
    if (replayGuardMaxEntries < maxItemsPerRequest) {
      // refuse: a full batch of consuming opens could never reserve its room; evict-oldest: a batch
      // would forget its own first tickets and let them open again
      throw new IllegalArgumentException("replay-guard-max-entries (" + replayGuardMaxEntries
          + ") must be at least max-items-per-request (" + maxItemsPerRequest + ")");
    }
    if (maxItemsInFlight < maxItemsPerRequest) {
      throw new IllegalArgumentException("max-items-in-flight (" + maxItemsInFlight
          + ") must be at least max-items-per-request (" + maxItemsPerRequest + ")");
    }
    if (!(sealShare > 0 && sealShare <= 1)) {
      throw new IllegalArgumentException("seal-share must be in (0, 1], got " + sealShare);
    }
    if (retryPushback.isNegative()) {
      throw new IllegalArgumentException("retry-pushback must not be negative");
    }
    if (skewSeconds < 0) {
      throw new IllegalArgumentException("skew must not be negative, got " + skewSeconds);
    }
    long perConnection = connections.maxItemsInFlightPerConnection();
    if (perConnection != 0 && perConnection < maxItemsPerRequest) {
      throw new IllegalArgumentException("max-items-in-flight-per-connection (" + perConnection
          + ") must be at least max-items-per-request (" + maxItemsPerRequest + "), or 0 for half of max-items-in-flight");
    }
  }

  /** Items one connection may hold (work and unread answers): the flag, or half the total, at least a request. */
  public long maxItemsInFlightPerConnection() {
    long configured = connections.maxItemsInFlightPerConnection();
    return configured == 0 ? Math.max(maxItemsPerRequest, maxItemsInFlight / 2) : Math.min(configured, maxItemsInFlight);
  }

  /**
   * A realm's own {@code max_replay_entries} must hold a full batch as {@code replay-guard-max-entries}
   * must (the same two reasons); checked when the key ring is loaded at start and at every reload.
   *
   * @return null when every realm's quota holds {@code max-items-per-request}, else the problem, naming the realm
   */
  public String replayQuotaProblem(KeyRing ring) {
    for (RealmConfig realm : ring.realms()) {
      long own = realm.maxReplayEntries();
      if (own != RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES && own < maxItemsPerRequest) {
        return "realm " + realm.name() + ": max_replay_entries (" + own + ") must be at least max-items-per-request ("
            + maxItemsPerRequest + ")";
      }
    }
    return null;
  }

  private static void positive(String flag, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
  }

  public static ServiceLimits defaults() {
    return new ServiceLimits(DEFAULT_MAX_ITEMS_PER_REQUEST, DEFAULT_MAX_TICKET_BYTES,
        DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
        DEFAULT_MAX_ITEMS_IN_FLIGHT, DEFAULT_SEAL_SHARE, DEFAULT_RETRY_PUSHBACK,
        DEFAULT_REPLAY_GUARD_MAX_ENTRIES, WhenFull.REFUSE, 0, ConnectionLimits.defaults());
  }

  public ServiceLimits withMaxItemsPerRequest(int v) {
    return new ServiceLimits(v, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        Math.max(v, maxItemsInFlight), sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, connections);
  }

  public ServiceLimits withMaxTicketBytes(int v) {
    return new ServiceLimits(maxItemsPerRequest, v, maxRequestBytes, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, connections);
  }

  public ServiceLimits withMaxRequestBytes(int v) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, v, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, connections);
  }

  public ServiceLimits withMaxConcurrentCallsPerConnection(int v) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, v,
        maxItemsInFlight, sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, connections);
  }

  public ServiceLimits withWorkInFlight(long items, double share) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        items, share, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, connections);
  }

  public ServiceLimits withReplayGuard(long maxEntries, WhenFull whenFull) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, retryPushback, maxEntries, whenFull, skewSeconds, connections);
  }

  public ServiceLimits withSkewSeconds(long v) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, v, connections);
  }

  public ServiceLimits withConnections(ConnectionLimits v) {
    return new ServiceLimits(maxItemsPerRequest, maxTicketBytes, maxRequestBytes, maxConcurrentCallsPerConnection,
        maxItemsInFlight, sealShare, retryPushback, replayGuardMaxEntries, replayGuardWhenFull, skewSeconds, v);
  }
}
