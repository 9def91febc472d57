package dev.ticketoffload.openssl;

/** libcrypto cannot back the OpenSSL backend; {@link #problem()} says why, the message in words. */
public final class LibCryptoUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final LibCryptoProblem problem;
  private final String location;
  private final String reason;

  LibCryptoUnavailableException(LibCryptoProblem problem, String location, String reason) {
    this(problem, location, reason, null);
  }

  LibCryptoUnavailableException(LibCryptoProblem problem, String location, String reason, Throwable cause) {
    super("libcrypto '" + location + "': " + problem.description() + ": " + reason, cause);
    this.problem = problem;
    this.location = location;
    this.reason = reason;
  }

  public LibCryptoProblem problem() {
    return problem;
  }

  /** The location that was tried, as configured (see {@link LibCryptoLocation}). */
  public String location() {
    return location;
  }

  /** The reason in words, without the location and problem that the message starts with. */
  public String reason() {
    return reason;
  }
}
