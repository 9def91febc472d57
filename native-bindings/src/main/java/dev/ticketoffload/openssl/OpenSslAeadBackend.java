package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;

/**
 * AES-256-GCM in OpenSSL's libcrypto 3.x through the FFM API: AES-NI, VAES and PCLMUL where the CPU
 * has them. Obtain it with {@link #load()}, which refuses a library that is missing, is not libcrypto
 * 3.x, or fails a known-answer test.
 *
 * <p>Each key holds one provider cipher context per thread that uses it, keyed once and re-initialised
 * with only the IV per ticket; {@link AeadKey#close()} frees every thread's context.
 */
public final class OpenSslAeadBackend implements AeadBackend {

  private final LibCrypto libCrypto;

  OpenSslAeadBackend(LibCrypto libCrypto) {
    this.libCrypto = libCrypto;
  }

  /** The backend over the configured libcrypto (see {@link LibCryptoLocation}). */
  public static OpenSslAeadBackend load() throws LibCryptoUnavailableException {
    return new OpenSslAeadBackend(LibCrypto.load());
  }

  @Override
  public String name() {
    return "openssl";
  }

  @Override
  public AeadKey bind(byte[] key) {
    return new OpenSslAeadKey(libCrypto.gcm(), key);
  }

  /** The library in use: version and CPU features. */
  public LibCrypto libCrypto() {
    return libCrypto;
  }

  /** Cipher contexts allocated by all keys and not yet freed, for tests and metrics. */
  public static long liveContexts() {
    return OpenSslAeadKey.liveContexts();
  }

  @Override
  public String toString() {
    return "OpenSslAeadBackend[" + libCrypto.version() + "]";
  }
}
