package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.aead.JdkAeadBackend;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns the operator's backend choice ({@code auto}, {@code openssl},
 * {@code bouncycastle} or {@code jdk}) into a backend that passed its known-answer self-test
 * ({@link KnownAnswerTest}: OpenSSL's runs when libcrypto loads, the pure-Java ones' here).
 * {@code auto} takes OpenSSL when libcrypto loads and passes, else Bouncy Castle, and logs one line
 * saying which and why. An explicit {@code openssl} never falls back: it is refused with the
 * reason instead.
 */
public final class BackendSelector {

  public static final List<String> NAMES = List.of("auto", "openssl", "bouncycastle", "jdk");

  private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

  /** How to obtain libcrypto; tests substitute a probe of a bad location. */
  @FunctionalInterface
  interface LibCryptoLoader {
    LibCrypto load() throws LibCryptoUnavailableException;
  }

  private BackendSelector() {}

  /**
   * @throws BackendRefusedException for a name not in {@link #NAMES}, for {@code openssl} when
   *     libcrypto cannot be used, or when the backend fails its self-test
   */
  public static BackendChoice select(String name) throws BackendRefusedException {
    return select(name, LibCrypto::load);
  }

  static BackendChoice select(String name, LibCryptoLoader loader) throws BackendRefusedException {
    BackendChoice choice = switch (name) {
      case "auto" -> auto(loader);
      case "openssl" -> explicitOpenSsl(loader);
      case "bouncycastle" -> withoutOpenSsl(new BouncyCastleAeadBackend(), "chosen explicitly");
      case "jdk" -> withoutOpenSsl(new JdkAeadBackend(), "chosen explicitly");
      default -> throw new BackendRefusedException(
          "unknown AEAD backend '" + name + "', expected one of " + String.join(", ", NAMES));
    };
    return selfTested(choice);
  }

  /** OpenSSL's self-test ran when libcrypto loaded ({@link LibCrypto#load}); the others run it here. */
  static BackendChoice selfTested(BackendChoice choice) throws BackendRefusedException {
    if (choice.backend() instanceof OpenSslAeadBackend) {
      return choice;
    }
    var failure = KnownAnswerTest.run(choice.backend());
    if (failure.isPresent()) {
      throw new BackendRefusedException(choice.backend().name() + " failed its known-answer self-test: " + failure.get());
    }
    return choice;
  }

  private static BackendChoice explicitOpenSsl(LibCryptoLoader loader) throws BackendRefusedException {
    try {
      return openSsl(loader.load(), "chosen explicitly");
    } catch (LibCryptoUnavailableException e) {
      throw new BackendRefusedException("openssl: " + e.getMessage() + " (auto would fall back to Bouncy Castle)", e);
    }
  }

  private static BackendChoice auto(LibCryptoLoader loader) {
    BackendChoice choice;
    try {
      choice = openSsl(loader.load(), "auto");
      LOG.info("AEAD backend openssl: {}; {}; AES-NI {}", choice.reason(), choice.openSslVersion(),
          choice.aesNi() ? "yes" : "no");
    } catch (LibCryptoUnavailableException e) {
      choice = withoutOpenSsl(new BouncyCastleAeadBackend(), "auto: " + e.getMessage());
      LOG.warn("AEAD backend bouncycastle (about ten times slower than openssl): {}; AES-NI {}",
          choice.reason(), choice.aesNi() ? "yes" : "no");
    }
    return choice;
  }

  private static BackendChoice openSsl(LibCrypto libCrypto, String how) {
    return new BackendChoice(new OpenSslAeadBackend(libCrypto),
        how + ": " + libCrypto.location() + " loaded and passed its self-test",
        libCrypto.version(), libCrypto.cpuFeatures().aesNi());
  }

  private static BackendChoice withoutOpenSsl(AeadBackend backend, String why) {
    return new BackendChoice(backend, why, null, CpuFeatures.fromProcCpuinfo().aesNi());
  }
}
