package dev.ticketoffload.server.backend;

import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.openssl.LibCryptoUnavailableException;

/**
 * Turns {@code --backend auto|openssl|bouncycastle|jdk} into a backend that passed its self-test.
 * native-bindings' {@link BackendSelector} chooses ({@code auto}: OpenSSL when libcrypto loads and
 * passes its known-answer test, else Bouncy Castle); the server then runs its own known-answer test
 * on whatever was chosen before it reports ready.
 */
public final class BackendChoice {

  public static final String AUTO = "auto";

  private BackendChoice() {}

  /**
   * @throws IllegalArgumentException for an unknown name, an explicit {@code openssl} that cannot be
   *     used (with libcrypto's reason), or a backend that fails its self-test
   */
  public static SelectedBackend select(String choice) {
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
    SelectedBackend selected = new SelectedBackend(chosen.backend(), chosen.reason(),
        chosen.openSslVersion() == null ? "none" : chosen.openSslVersion(), chosen.aesNi());
    String failure = SelfTest.run(selected.backend());
    if (failure != null) {
      throw new IllegalArgumentException("backend " + selected.name() + " failed its self-test: " + failure);
    }
    return selected;
  }
}
