package dev.ticketoffload.core.aead;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM with Bouncy Castle's lightweight API: pure Java, the same on every JVM. The automatic
 * fallback when libcrypto cannot be used; about ten times slower than OpenSSL or SunJCE.
 */
public final class BouncyCastleAeadBackend implements AeadBackend {

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public AeadKey bind(byte[] key) {
    return new Key(key);
  }

  private static final class Key implements AeadKey {
    private final byte[] key;
    // GCM instances per thread and key, keyed on first use and reused. Sealing and opening have their
    // own: BC refuses to encrypt under the IV of the previous init, even when that init was a decrypt.
    private final ThreadLocal<PerThread> sealers = ThreadLocal.withInitial(PerThread::new);
    private final ThreadLocal<PerThread> openers = ThreadLocal.withInitial(PerThread::new);
    private volatile boolean closed;

    Key(byte[] key) {
      if (key.length != KEY_SIZE_IN_BYTES) {
        throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length + " bytes");
      }
      this.key = key.clone();
    }

    private final class PerThread {
      final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      final byte[] iv = new byte[IV_SIZE_IN_BYTES];
      boolean keyed;

      GCMModeCipher init(boolean encrypt, byte[] ivArray, int ivOffset) {
        if (closed) {
          throw new IllegalStateException("key is closed");
        }
        System.arraycopy(ivArray, ivOffset, iv, 0, IV_SIZE_IN_BYTES);
        // A null key parameter reuses the schedule of the previous init.
        KeyParameter keyParameter = keyed ? null : new KeyParameter(key);
        gcm.init(encrypt, new AEADParameters(keyParameter, TAG_SIZE_IN_BYTES * 8, iv));
        keyed = true;
        return gcm;
      }
    }

    @Override
    public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
      GCMModeCipher gcm = sealers.get().init(true, iv, ivOffset);
      gcm.processAADBytes(aad, aadOffset, aadLength);
      int n = gcm.processBytes(plaintext, plaintextOffset, plaintextLength, out, outOffset);
      try {
        return n + gcm.doFinal(out, outOffset + n);
      } catch (InvalidCipherTextException e) {
        throw new AeadException("Bouncy Castle GCM failed to seal", e);
      }
    }

    @Override
    public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
      if (ciphertextLength < TAG_SIZE_IN_BYTES) {
        return false;
      }
      GCMModeCipher gcm = openers.get().init(false, iv, ivOffset);
      gcm.processAADBytes(aad, aadOffset, aadLength);
      // BC buffers until the tag is verified, so no unverified plaintext reaches out.
      int n = gcm.processBytes(ciphertext, ciphertextOffset, ciphertextLength, out, outOffset);
      try {
        gcm.doFinal(out, outOffset + n);
        return true;
      } catch (InvalidCipherTextException e) {
        Arrays.fill(out, outOffset, outOffset + ciphertextLength - TAG_SIZE_IN_BYTES, (byte) 0);
        return false;
      }
    }

    @Override
    public void close() {
      closed = true;
      Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
      return "BouncyCastleAeadKey";
    }
  }
}
