package dev.ticketoffload.api.client;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to send a batch again. {@code RESOURCE_EXHAUSTED}: the service refused before doing any
 * work, so sending again cannot consume a ticket twice. {@code UNAVAILABLE}: only for a lane whose
 * batches are idempotent (opens with attempt ids; the lane decides); the answer may have been lost
 * after the work, and the same attempt ids make the retry {@code OK} again. Every other failure is
 * the caller's to see.
 *
 * <p>The wait is the server's {@code grpc-retry-pushback-ms} (or, without one, an exponential
 * backoff from {@code baseDelay}), stretched by a random factor in {@code [1, 1 + jitter)} so a
 * fleet that was shed together does not come back together. A negative pushback is the server
 * saying "do not retry" (gRPC's retry design, A6), and is obeyed.
 */
final class PushbackRetryPolicy {

  static final Metadata.Key<String> PUSHBACK_KEY =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(2).toNanos();

  private final int maxAttempts;
  private final long baseDelayNanos;
  private final double jitter;

  PushbackRetryPolicy(int maxAttempts, Duration baseDelay, double jitter) {
    this.maxAttempts = maxAttempts;
    this.baseDelayNanos = baseDelay.toNanos();
    this.jitter = jitter;
  }

  /**
   * @param attemptsMade attempts already sent for this batch, at least 1
   * @return nanoseconds to wait before the next attempt, or -1 to give up
   */
  long delayBeforeRetryNanos(Status status, Metadata trailers, int attemptsMade) {
    Status.Code code = status.getCode();
    if ((code != Status.Code.RESOURCE_EXHAUSTED && code != Status.Code.UNAVAILABLE) || attemptsMade >= maxAttempts) {
      return -1;
    }
    long delayNanos;
    Long pushbackMillis = pushbackMillis(trailers);
    if (pushbackMillis != null) {
      if (pushbackMillis < 0) {
        return -1;
      }
      delayNanos = pushbackMillis * 1_000_000L;
    } else {
      delayNanos = Math.min(MAX_BACKOFF_NANOS, baseDelayNanos << Math.min(attemptsMade - 1, 20));
    }
    return (long) (delayNanos * (1 + jitter * ThreadLocalRandom.current().nextDouble()));
  }

  private static Long pushbackMillis(Metadata trailers) {
    String value = trailers == null ? null : trailers.get(PUSHBACK_KEY);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null; // a malformed pushback is treated as absent, as grpc-java's own retry does
    }
  }
}
