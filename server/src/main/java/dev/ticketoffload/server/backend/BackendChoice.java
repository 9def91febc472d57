package dev.ticketoffload.server.backend;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.aead.JdkAeadBackend;

/**
 * Turns {@code --backend auto|openssl|bouncycastle|jdk} into a backend that passed its self-test.
 *
 * <p>This is the server's only seam to backend selection: native-bindings' {@code BackendSelector}
 * (OpenSSL over FFM) replaces the body of {@link #select} once it is on main. Until then
 * {@code auto} falls back to Bouncy Castle as DESIGN.md prescribes when OpenSSL is unavailable,
 * and {@code openssl} is refused.
 */
public final class BackendChoice {

  public static final String AUTO = "auto";

  private BackendChoice() {}

  /**
   * @throws IllegalArgumentException for an unknown name, an unavailable backend, or one that fails
   *     its known-answer self-test
   */
  public static SelectedBackend select(String choice) {
    SelectedBackend selected = switch (choice) {
      case AUTO -> new SelectedBackend(new BouncyCastleAeadBackend(),
          "auto: the OpenSSL backend is not part of this build; Bouncy Castle is the portable fallback",
          "none", false);
      case "bouncycastle" -> new SelectedBackend(new BouncyCastleAeadBackend(), "chosen with --backend", "none", false);
      case "jdk" -> new SelectedBackend(new JdkAeadBackend(), "chosen with --backend", "none", false);
      case "openssl" -> throw new IllegalArgumentException(
          "--backend openssl: the OpenSSL backend is not available in this build (use auto, bouncycastle or jdk)");
      default -> throw new IllegalArgumentException(
          "--backend must be auto, openssl, bouncycastle or jdk, got \"" + choice + "\"");
    };
    String failure = SelfTest.run(selected.backend());
    if (failure != null) {
      throw new IllegalArgumentException("backend " + selected.name() + " failed its self-test: " + failure);
    }
    return selected;
  }
}
