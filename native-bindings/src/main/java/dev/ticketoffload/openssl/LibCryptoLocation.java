package dev.ticketoffload.openssl;

/**
 * Where libcrypto is loaded from: the system property {@value #PROPERTY}, else the environment
 * variable {@value #ENVIRONMENT_VARIABLE}, else {@value #DEFAULT_NAME}. A value with a slash is a
 * path; without one it is a file name that the dynamic loader searches for (as {@code dlopen} does).
 */
public final class LibCryptoLocation {

  public static final String PROPERTY = "ticketoffload.libcrypto";
  public static final String ENVIRONMENT_VARIABLE = "TICKETOFFLOAD_LIBCRYPTO";
  public static final String DEFAULT_NAME = "libcrypto.so.3";

  private LibCryptoLocation() {}

  /** The location configured for this process. */
  public static String configured() {
    return resolve(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT_VARIABLE));
  }

  static String resolve(String propertyValue, String environmentValue) {
    if (propertyValue != null && !propertyValue.isBlank()) {
      return propertyValue.strip();
    }
    if (environmentValue != null && !environmentValue.isBlank()) {
      return environmentValue.strip();
    }
    return DEFAULT_NAME;
  }
}
