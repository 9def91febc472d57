package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.JdkAeadBackend;

/** Backends that must fail the known-answer self-test. */
final class BrokenBackend {

  private BrokenBackend() {}

  /** SunJCE, but either every seal's last byte is flipped or every open verifies. */
  static AeadBackend of(boolean acceptsForgeries) {
    return new AeadBackend() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public AeadKey bind(byte[] secret) {
        AeadKey jdk = new JdkAeadBackend().bind(secret);
        return new AeadKey() {
          @Override
          public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
              byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
            int n = jdk.seal(iv, ivOffset, aad, aadOffset, aadLength, plaintext, plaintextOffset, plaintextLength, out, outOffset);
            if (!acceptsForgeries) {
              out[outOffset + n - 1] ^= 1;
            }
            return n;
          }

          @Override
          public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
              byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
            return jdk.open(iv, ivOffset, aad, aadOffset, aadLength, ciphertext, ciphertextOffset, ciphertextLength, out, outOffset)
                || acceptsForgeries;
          }

          @Override
          public void close() {
            jdk.close();
          }
        };
      }
    };
  }
}
