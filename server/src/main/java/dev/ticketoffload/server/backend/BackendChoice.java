package dev.ticketoffload.server.backend;

import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.openssl.LibCryptoUnavailableException;

/**
 * Turns {@code --backend auto|openssl|bouncycastle|jdk} into a backend that passed its self-test.
 * native-bindings' {@link BackendSelector} chooses ({@code auto}: OpenSSL when libcrypto loads and
 * passes its known-answer test, else Bouncy Castle); the server then runs its own known-answer test
 * on whatever was chosen before it reports ready. The answer is native-bindings' own record
 * ({@link dev.ticketoffload.openssl.BackendChoice}), not a server copy of it.
 */
public final class BackendChoice {

  public static final String AUTO = "auto";

  private BackendChoice() {}

  /**
   * @throws IllegalArgumentException for an unknown name, an explicit {@code openssl} that cannot be
   *     used (with libcrypto's reason), or a backend that fails its self-test
   */
  public static dev.ticketoffload.openssl.BackendChoice select(String choice) {
    dev.ticketoffload.openssl.BackendChoice chosen;
    try {
      chosen = BackendSelector.select(choice);
    } catch (LibCryptoUnavailableException e) {
      throw new IllegalArgumentException("--backend openssl: " + e.getMessage()
          + " (use auto to fall back to Bouncy Castle)", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--backend must be auto, openssl, bouncycastle or jdk, got \"" + choice + "\"", e);
    }
    String failure = SelfTest.run(chosen.backend());
    if (failure != null) {
      throw new IllegalArgumentException("backend " + chosen.backend().name() + " failed its self-test: " + failure);
    }
    return chosen;
  }

  /**
   * The {@code openssl_version} metrics label and log field: libcrypto's version string, or
   * {@code "none"} when OpenSSL is not in use (the record itself holds null then).
   */
  public static String openSslVersionLabel(dev.ticketoffload.openssl.BackendChoice chosen) {
    return chosen.openSslVersion() == null ? "none" : chosen.openSslVersion();
  }
}
