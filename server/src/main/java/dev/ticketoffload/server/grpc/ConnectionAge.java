package dev.ticketoffload.server.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a client connection may live ({@code --max-connection-age}) and how long its calls in
 * flight then get to finish ({@code --max-connection-age-grace}). Past the age the server sends
 * GOAWAY; the client reconnects and its DNS {@code round_robin} resolves again, so a fleet that
 * grew (new pods behind a headless Service) gets its share of the connections. gRPC adds ±10%
 * jitter to the age so that a fleet's connections do not all cycle at once.
 *
 * @param maxAge zero: connections live for ever (gRPC's default)
 */
public record ConnectionAge(Duration maxAge, Duration grace) {

  public static final ConnectionAge UNLIMITED = new ConnectionAge(Duration.ZERO, Duration.ZERO);
  public static final long DEFAULT_GRACE_SECONDS = 30;

  public ConnectionAge {
    if (maxAge.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException("--max-connection-age and --max-connection-age-grace must be >= 0");
    }
  }

  /**
   * From the flags, in seconds.
   *
   * @param graceSeconds null when not given: {@value #DEFAULT_GRACE_SECONDS} s with an age, else none
   */
  public static ConnectionAge ofSeconds(long maxAgeSeconds, Long graceSeconds) {
    if (maxAgeSeconds == 0) {
      if (graceSeconds != null) {
        throw new IllegalArgumentException("--max-connection-age-grace needs --max-connection-age");
      }
      return UNLIMITED;
    }
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("--max-connection-age must be >= 1 second, or 0 for unlimited, got "
          + maxAgeSeconds);
    }
    return new ConnectionAge(Duration.ofSeconds(maxAgeSeconds),
        Duration.ofSeconds(graceSeconds == null ? DEFAULT_GRACE_SECONDS : graceSeconds));
  }

  public boolean limited() {
    return !maxAge.isZero();
  }

  public void applyTo(NettyServerBuilder builder) {
    if (limited()) {
      builder.maxConnectionAge(maxAge.toMillis(), TimeUnit.MILLISECONDS);
      builder.maxConnectionAgeGrace(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public String toString() {
    return limited() ? maxAge.toSeconds() + " s (+" + grace.toSeconds() + " s grace)" : "unlimited";
  }
}
