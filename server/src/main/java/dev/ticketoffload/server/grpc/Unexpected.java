package dev.ticketoffload.server.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bug or a broken backend: logged with its stack, answered as INTERNAL without details. */
final class Unexpected {

  private static final Logger LOG = LoggerFactory.getLogger(Unexpected.class);

  private Unexpected() {}

  static StatusException status(RuntimeException e) {
    if (e instanceof dev.ticketoffload.core.aead.KeyClosedException) {
      // Not a bug: the keys closed under the call because the server is shutting down.
      return Status.UNAVAILABLE.withDescription("server shutting down").asException();
    }
    LOG.error("unexpected failure while answering a batch", e);
    return Status.INTERNAL.withDescription("internal error (logged on the server)").asException();
  }
}
