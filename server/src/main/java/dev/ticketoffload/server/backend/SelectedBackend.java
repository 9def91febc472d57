package dev.ticketoffload.server.backend;

import dev.ticketoffload.core.aead.AeadBackend;

/**
 * The AES-GCM backend the server runs on and why: logged at start, shown in health and metrics.
 *
 * @param opensslVersion libcrypto's version string, or {@code "none"} when OpenSSL is not used
 * @param aesNi whether the CPU has AES-NI ({@code false} when unknown)
 */
public record SelectedBackend(AeadBackend backend, String reason, String opensslVersion, boolean aesNi) {

  public String name() {
    return backend.name();
  }
}
