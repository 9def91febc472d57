package dev.ticketoffload.openssl;

/** Why libcrypto cannot be used; carried by {@link LibCryptoUnavailableException}. */
public enum LibCryptoProblem {
  /** The dynamic loader could not open the file (missing, unreadable, wrong architecture). */
  NOT_FOUND("not found"),
  /** The file loaded but lacks a libcrypto symbol: it is some other library. */
  NOT_LIBCRYPTO("not libcrypto"),
  /** It is libcrypto, but not of major version 3. */
  WRONG_VERSION("wrong version"),
  /** It is libcrypto 3.x, but its AES-256-GCM is unavailable or gave a wrong answer on known vectors. */
  SELF_TEST_FAILED("self-test failed");

  private final String description;

  LibCryptoProblem(String description) {
    this.description = description;
  }

  /** A few words for logs and health output, e.g. {@code not found}. */
  public String description() {
    return description;
  }
}
