package dev.ticketoffload.server.config;

import java.time.Duration;

/**
 * What one client connection may hold, and when the server closes a connection whose peer stopped
 * answering or stopped calling. Each is a flag of {@code ticketd serve}.
 *
 * @param maxItemsInFlightPerConnection items one connection may have admitted and not yet sent back
 *     (work, and answers the client has not read yet); 0 = half of max-items-in-flight, at least one
 *     full request. So a client that stops reading can pin at most this much, and others are served.
 * @param keepAliveTime after this long without a frame from the client the server pings it
 * @param keepAliveTimeout a ping not acknowledged within this closes the connection: a peer that
 *     stopped reading is cut, and the items its unread answers held are released
 * @param maxConnectionIdle a connection with no call for this long is closed (GOAWAY; clients
 *     reconnect on their next call)
 */
public record ConnectionLimits(long maxItemsInFlightPerConnection, Duration keepAliveTime, Duration keepAliveTimeout,
    Duration maxConnectionIdle) {

  public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(60);
  /** gRPC raises any shorter keepalive time to this; refused rather than silently changed. */
  public static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ofMinutes(30);

  public ConnectionLimits {
    if (maxItemsInFlightPerConnection < 0) {
      throw new IllegalArgumentException("max-items-in-flight-per-connection must not be negative (0 = half of "
          + "max-items-in-flight), got " + maxItemsInFlightPerConnection);
    }
    if (keepAliveTime.compareTo(MIN_KEEPALIVE_TIME) < 0) {
      throw new IllegalArgumentException("keepalive-time must be at least " + MIN_KEEPALIVE_TIME.toSeconds()
          + " s (gRPC's floor), got " + keepAliveTime.toMillis() + " ms");
    }
    positive("keepalive-timeout", keepAliveTimeout);
    positive("max-connection-idle", maxConnectionIdle);
  }

  private static void positive(String flag, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(flag + " must be positive, got " + d.toMillis() + " ms");
    }
  }

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(0, DEFAULT_KEEPALIVE_TIME, DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_MAX_CONNECTION_IDLE);
  }

  public ConnectionLimits withMaxItemsInFlightPerConnection(long items) {
    return new ConnectionLimits(items, keepAliveTime, keepAliveTimeout, maxConnectionIdle);
  }

  public ConnectionLimits withKeepAlive(Duration time, Duration timeout) {
    return new ConnectionLimits(maxItemsInFlightPerConnection, time, timeout, maxConnectionIdle);
  }
}
