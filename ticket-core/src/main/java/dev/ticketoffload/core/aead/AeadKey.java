package dev.ticketoffload.core.aead;

/**
 * AES-256-GCM under one key: the hot path.
 *
 * <p>Every method works on caller-provided arrays and offsets and allocates nothing per call.
 * Instances are safe for concurrent use (implementations keep cipher state per thread). A tag
 * that does not verify is a result ({@code false}), never an exception; exceptions are for caller
 * bugs (offsets out of bounds) and broken backends ({@link AeadException}).
 *
 * <p>{@link #close()} wipes key material and releases the cipher state. It may be called while other
 * threads still use the key: state a thread is using is released when that thread's call returns,
 * never under it. A call that starts after {@code close()} throws {@link KeyClosedException}; a call
 * under way when the key closes either completes correctly or throws {@link KeyClosedException},
 * never gives a wrong result. (The key schedule closes a key only when the last batch that leased it
 * has finished, so a refusal happens only on shutdown.)
 */
public interface AeadKey extends AutoCloseable {

  /**
   * Encrypts {@code plaintextLength} bytes and writes {@code ciphertext || tag} at {@code out[outOffset]}.
   * {@code out} may be the plaintext array at the same offset (in-place).
   *
   * @return the number of bytes written, {@code plaintextLength + 16}
   */
  int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset);

  /**
   * Verifies and decrypts {@code ciphertext || tag} ({@code ciphertextLength} includes the 16 tag
   * bytes) and writes the plaintext at {@code out[outOffset]}.
   *
   * @return {@code true} when the tag verified; on {@code false} the output range holds no plaintext
   *     (implementations zero it) and must be ignored
   */
  boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset);

  /** Seals every item of {@code batch}; {@link AeadBatch#result} receives the bytes written. */
  default void sealBatch(AeadBatch batch) {
    for (int i = 0; i < batch.size(); i++) {
      batch.result[i] = seal(batch.iv[i], batch.ivOffset[i], batch.aad[i], batch.aadOffset[i],
          batch.aadLength[i], batch.input[i], batch.inputOffset[i], batch.inputLength[i],
          batch.output[i], batch.outputOffset[i]);
    }
  }

  /** Opens every item of {@code batch}; {@link AeadBatch#result} receives the plaintext length, or -1 when the tag failed. */
  default void openBatch(AeadBatch batch) {
    for (int i = 0; i < batch.size(); i++) {
      boolean ok = open(batch.iv[i], batch.ivOffset[i], batch.aad[i], batch.aadOffset[i],
          batch.aadLength[i], batch.input[i], batch.inputOffset[i], batch.inputLength[i],
          batch.output[i], batch.outputOffset[i]);
      batch.result[i] = ok ? batch.inputLength[i] - AeadBackend.TAG_SIZE_IN_BYTES : -1;
    }
  }

  @Override
  void close();
}
