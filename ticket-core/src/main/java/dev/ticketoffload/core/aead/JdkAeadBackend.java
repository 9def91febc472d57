package dev.ticketoffload.core.aead;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with the JDK's provider ({@code AES/GCM/NoPadding}, SunJCE with AES-NI intrinsics):
 * the reference in benchmarks and an explicit choice; it allocates on every call.
 */
public final class JdkAeadBackend implements AeadBackend {

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public AeadKey bind(byte[] key) {
    return new Key(key);
  }

  private static final class Key implements AeadKey {
    private final SecretKeySpec key;
    private final ThreadLocal<Cipher> cipher = ThreadLocal.withInitial(Key::newCipher);

    Key(byte[] key) {
      if (key.length != KEY_SIZE_IN_BYTES) {
        throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length + " bytes");
      }
      this.key = new SecretKeySpec(key, "AES");
    }

    private static Cipher newCipher() {
      try {
        return Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new AeadException("the JDK has no AES/GCM/NoPadding", e);
      }
    }

    private Cipher init(int mode, byte[] iv, int ivOffset) throws GeneralSecurityException {
      Cipher c = cipher.get();
      c.init(mode, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, iv, ivOffset, IV_SIZE_IN_BYTES));
      return c;
    }

    @Override
    public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
      try {
        Cipher c = init(Cipher.ENCRYPT_MODE, iv, ivOffset);
        c.updateAAD(aad, aadOffset, aadLength);
        return c.doFinal(plaintext, plaintextOffset, plaintextLength, out, outOffset);
      } catch (GeneralSecurityException e) {
        throw new AeadException("SunJCE GCM failed to seal: " + e.getMessage(), e);
      }
    }

    @Override
    public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
      if (ciphertextLength < TAG_SIZE_IN_BYTES) {
        return false;
      }
      try {
        Cipher c = init(Cipher.DECRYPT_MODE, iv, ivOffset);
        c.updateAAD(aad, aadOffset, aadLength);
        c.doFinal(ciphertext, ciphertextOffset, ciphertextLength, out, outOffset);
        return true;
      } catch (AEADBadTagException e) {
        Arrays.fill(out, outOffset, outOffset + ciphertextLength - TAG_SIZE_IN_BYTES, (byte) 0);
        return false;
      } catch (GeneralSecurityException e) {
        throw new AeadException("SunJCE GCM failed to open: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      // SecretKeySpec keeps its own copy; destroy() is not supported for it, so nothing more to wipe here.
    }

    @Override
    public String toString() {
      return "JdkAeadKey";
    }
  }
}
