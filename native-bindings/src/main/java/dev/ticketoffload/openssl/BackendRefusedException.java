package dev.ticketoffload.openssl;

/**
 * The backend asked for cannot be used: an unknown name, an explicit {@code openssl} whose
 * libcrypto is unusable (the cause says why), or a backend that failed its known-answer self-test.
 * The message says which, in words an operator can act on; the server turns it into its start-up
 * error.
 */
public final class BackendRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  BackendRefusedException(String message) {
    super(message);
  }

  BackendRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
