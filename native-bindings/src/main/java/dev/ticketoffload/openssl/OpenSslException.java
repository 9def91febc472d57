package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadException;

/**
 * libcrypto failed for a reason other than a bad tag. Carries the failed step and the first error
 * code and reason string from OpenSSL's error queue, which is emptied when this is created.
 */
public final class OpenSslException extends AeadException {
  private static final long serialVersionUID = 1L;

  private final OpenSslOperation operation;
  private final long errorCode;

  private OpenSslException(OpenSslOperation operation, long errorCode, String libraryReason) {
    super("OpenSSL failed " + operation.description() + ": " + libraryReason);
    this.operation = operation;
    this.errorCode = errorCode;
  }

  /** Builds the exception from, and empties, the calling thread's error queue. */
  static OpenSslException fromErrorQueue(OpenSslOperation operation) {
    ErrorQueue.Drained drained = ErrorQueue.drain();
    return new OpenSslException(operation, drained.firstCode(), drained.reasons());
  }

  public OpenSslOperation operation() {
    return operation;
  }

  /** OpenSSL's packed error code ({@code ERR_get_error}), 0 when the queue was empty. */
  public long errorCode() {
    return errorCode;
  }
}
