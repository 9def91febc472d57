package dev.ticketoffload.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;

/** The call-level errors of the service, each with a description that names the limit or field. */
final class Statuses {

  /** The header gRPC clients read to delay a retry (gRFC A6). */
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private Statuses() {}

  static StatusException invalidArgument(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asException();
  }

  static StatusException resourceExhausted(String description, Duration pushback) {
    return withPushback(Status.RESOURCE_EXHAUSTED, description, pushback);
  }

  /** The store of consumed tickets cannot answer: the call may be retried after the pushback. */
  static StatusException unavailable(String description, Duration pushback) {
    return withPushback(Status.UNAVAILABLE, description, pushback);
  }

  private static StatusException withPushback(Status status, String description, Duration pushback) {
    Metadata trailers = new Metadata();
    trailers.put(RETRY_PUSHBACK_MS, Long.toString(pushback.toMillis()));
    return status.withDescription(description).asException(trailers);
  }
}
