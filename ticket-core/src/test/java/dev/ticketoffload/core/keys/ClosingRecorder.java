package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Bouncy Castle keys that remember being closed, so tests can tell when the schedule frees a key. */
final class ClosingRecorder implements AeadBackend {

  private final AeadBackend real = new BouncyCastleAeadBackend();
  private final Set<AeadKey> closed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public AeadKey bind(byte[] key) {
    AeadKey delegate = real.bind(key);
    return new AeadKey() {
      @Override
      public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength, byte[] plaintext,
          int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
        return delegate.seal(iv, ivOffset, aad, aadOffset, aadLength, plaintext, plaintextOffset, plaintextLength,
            out, outOffset);
      }

      @Override
      public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength, byte[] ciphertext,
          int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
        return delegate.open(iv, ivOffset, aad, aadOffset, aadLength, ciphertext, ciphertextOffset,
            ciphertextLength, out, outOffset);
      }

      @Override
      public void close() {
        closed.add(this);
        delegate.close();
      }
    };
  }

  boolean isClosed(EpochKey key) {
    return closed.contains(key.aead());
  }
}
