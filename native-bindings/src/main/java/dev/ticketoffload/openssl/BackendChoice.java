package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;

/**
 * The AEAD backend a process runs with ({@link BackendSelector} makes it), and what the server
 * reports about it in its log, health and metrics.
 *
 * @param backend the chosen backend
 * @param reason one line: why this backend (for {@code auto}, why OpenSSL was or was not usable)
 * @param openSslVersion {@code OpenSSL_version(OPENSSL_VERSION)} when libcrypto is in use, else null
 * @param aesNi whether the CPU has AES-NI (as OpenSSL sees it when OpenSSL is in use)
 */
public record BackendChoice(AeadBackend backend, String reason, String openSslVersion, boolean aesNi) {

  /**
   * The {@code openssl_version} metrics label and log field: libcrypto's version string, or
   * {@code "none"} when OpenSSL is not in use.
   */
  public String openSslVersionLabel() {
    return openSslVersion == null ? "none" : openSslVersion;
  }
}
