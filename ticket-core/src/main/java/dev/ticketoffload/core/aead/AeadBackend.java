package dev.ticketoffload.core.aead;

/**
 * A provider of AES-256-GCM with 96-bit IVs and 128-bit tags.
 *
 * <p>Implementations: {@code OpenSslAeadBackend} (native-bindings), {@link BouncyCastleAeadBackend}
 * and {@link JdkAeadBackend} (ticket-core). All of them produce and accept byte-identical output.
 * A backend itself holds no key; {@link #bind} returns an {@link AeadKey} that owns the cipher
 * state of one key.
 */
public interface AeadBackend {

  int KEY_SIZE_IN_BYTES = 32;
  int IV_SIZE_IN_BYTES = 12;
  int TAG_SIZE_IN_BYTES = 16;

  /** The name operators choose it by: {@code openssl}, {@code bouncycastle} or {@code jdk}. */
  String name();

  /**
   * Returns the cipher state for {@code key} (32 bytes, copied: the caller may wipe its array).
   * The result is safe for concurrent use and must be closed by its owner.
   *
   * @throws IllegalArgumentException if {@code key} is not 32 bytes long
   */
  AeadKey bind(byte[] key);
}
