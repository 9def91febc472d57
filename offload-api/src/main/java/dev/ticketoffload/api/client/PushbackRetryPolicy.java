package dev.ticketoffload.api.client;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to send a shed batch again: only a {@code RESOURCE_EXHAUSTED} that carries the service's
 * {@code grpc-retry-pushback-ms} trailer. The service sends it only when it refused the batch
 * before doing any work, so sending again cannot find the batch's tickets consumed. A
 * {@code RESOURCE_EXHAUSTED} without it may come after the work was done: raised by this client's
 * own gRPC (an answer larger than {@code maxInboundMessageBytes}) or by a proxy, when the service
 * has already consumed the tickets and a retry would see them {@code REPLAYED}. It, and every other
 * failure, is the caller's to see.
 * {@code UNAVAILABLE} is retried only for batches the lane says are idempotent (opens whose items
 * carry attempt ids): their answer may have been lost after the work (an instance killed, a
 * connection cut), and the same attempt ids make the retry {@code OK} again for this caller. It waits
 * the pushback when the service sent one (its store was down), else a short backoff.
 *
 * <p>The wait is the pushback, stretched by a random factor in {@code [1, 1 + jitter)} so a fleet
 * that was shed together does not come back together. A negative pushback is the server saying "do
 * not retry" (gRPC's retry design, A6), and is obeyed; a malformed one counts as absent.
 */
final class PushbackRetryPolicy {

  static final Metadata.Key<String> PUSHBACK_KEY =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  /** A pushback longer than this is waited for only this long (and cannot overflow the nanoseconds). */
  private static final long MAX_PUSHBACK_MILLIS = Duration.ofMinutes(1).toMillis();

  private static final long UNAVAILABLE_BASE_DELAY_MILLIS = 20;

  private final int maxAttempts;
  private final double jitter;

  PushbackRetryPolicy(int maxAttempts, double jitter) {
    this.maxAttempts = maxAttempts;
    this.jitter = jitter;
  }

  /**
   * @param attemptsMade attempts already sent for this batch, at least 1
   * @return nanoseconds to wait before the next attempt, or -1 to give up
   */
  long delayBeforeRetryNanos(Status status, Metadata trailers, int attemptsMade) {
    return delayBeforeRetryNanos(status, trailers, attemptsMade, false);
  }

  /** @param idempotent the batch may be sent again after {@code UNAVAILABLE} (opens with attempt ids) */
  long delayBeforeRetryNanos(Status status, Metadata trailers, int attemptsMade, boolean idempotent) {
    Status.Code code = status.getCode();
    boolean unavailable = code == Status.Code.UNAVAILABLE && idempotent;
    if ((code != Status.Code.RESOURCE_EXHAUSTED && !unavailable) || attemptsMade >= maxAttempts) {
      return -1;
    }
    Long pushbackMillis = pushbackMillis(trailers);
    if (unavailable && pushbackMillis == null) {
      // no service answer at all (instance gone): back off a little, longer each time, at most 1 s
      pushbackMillis = Math.min(1000L, UNAVAILABLE_BASE_DELAY_MILLIS << Math.min(attemptsMade - 1, 10));
    }
    if (pushbackMillis == null || pushbackMillis < 0) {
      return -1; // not the service's refusal before work (or its "do not retry"): the tickets may be consumed
    }
    long delayNanos = Math.multiplyExact(Math.min(pushbackMillis, MAX_PUSHBACK_MILLIS), 1_000_000L);
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
