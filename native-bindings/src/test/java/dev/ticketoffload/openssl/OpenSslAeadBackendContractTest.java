package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadBackendContract;
import org.junit.jupiter.api.BeforeAll;

/** The same Wycheproof, SunJCE cross-check, tamper, batch and thread tests as Bouncy Castle passes. */
class OpenSslAeadBackendContractTest extends AeadBackendContract {

  private static AeadBackend backend;

  @BeforeAll
  static void load() throws LibCryptoUnavailableException {
    backend = OpenSslAeadBackend.load();
  }

  @Override
  protected AeadBackend backend() {
    return backend;
  }
}
