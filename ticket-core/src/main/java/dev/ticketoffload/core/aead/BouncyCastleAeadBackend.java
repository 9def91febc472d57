package dev.ticketoffload.core.aead;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * One key: per thread a sealing and an opening GCM instance (Bouncy Castle refuses to encrypt under
   * the IV of the previous init, even when that init was a decrypt), keyed once. {@link #close()} wipes
   * every thread's cipher state and its copy of the key; state a thread is using at that moment is
   * wiped by that thread when its call returns, never under it.
   */
  static final class Key implements AeadKey {
    private final byte[] key;
    private final List<PerThread> states = new ArrayList<>(); // guarded by this
    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(this::newState);
    private volatile boolean closed;

    Key(byte[] key) {
      if (key.length != KEY_SIZE_IN_BYTES) {
        throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length + " bytes");
      }
      this.key = key.clone();
    }

    private synchronized PerThread newState() {
      if (closed) {
        throw new KeyClosedException("AES-256-GCM key");
      }
      PerThread state = new PerThread(new KeyParameter(key)); // its own copy, read under the lock
      states.add(state);
      return state;
    }

    private static final class PerThread {
      final GCMModeCipher sealer = GCMBlockCipher.newInstance(AESEngine.newInstance());
      final GCMModeCipher opener = GCMBlockCipher.newInstance(AESEngine.newInstance());
      final byte[] iv = new byte[IV_SIZE_IN_BYTES];
      // GCM keeps this very array as its "last key": wiping it wipes that copy too.
      final KeyParameter keyParameter;
      boolean sealerKeyed;
      boolean openerKeyed;
      // IDLE <-> IN_CALL by the owning thread; IDLE -> WIPED once, by whoever wipes.
      final AtomicInteger lifecycle = new AtomicInteger(IDLE);

      PerThread(KeyParameter keyParameter) {
        this.keyParameter = keyParameter;
      }

      GCMModeCipher init(boolean encrypt, byte[] ivArray, int ivOffset) {
        System.arraycopy(ivArray, ivOffset, iv, 0, IV_SIZE_IN_BYTES);
        GCMModeCipher gcm = encrypt ? sealer : opener;
        boolean keyed = encrypt ? sealerKeyed : openerKeyed;
        // A null key parameter reuses the schedule of the previous init.
        gcm.init(encrypt, new AEADParameters(keyed ? null : keyParameter, TAG_SIZE_IN_BYTES * 8, iv));
        if (encrypt) {
          sealerKeyed = true;
        } else {
          openerKeyed = true;
        }
        return gcm;
      }

      boolean wipeIfIdle() {
        if (!lifecycle.compareAndSet(IDLE, WIPED)) {
          return false;
        }
        BouncyCastleWipe.wipe(sealer);
        BouncyCastleWipe.wipe(opener);
        Arrays.fill(keyParameter.getKey(), (byte) 0);
        Arrays.fill(iv, (byte) 0);
        return true;
      }
    }

    private static final int IDLE = 0;
    private static final int IN_CALL = 1;
    private static final int WIPED = 2;

    private PerThread enter() {
      if (closed) {
        throw new KeyClosedException("AES-256-GCM key");
      }
      PerThread state = perThread.get();
      if (!state.lifecycle.compareAndSet(IDLE, IN_CALL)) {
        throw new KeyClosedException("AES-256-GCM key");
      }
      if (closed) {
        leave(state);
        throw new KeyClosedException("AES-256-GCM key");
      }
      return state;
    }

    private void leave(PerThread state) {
      state.lifecycle.set(IDLE);
      if (closed) {
        state.wipeIfIdle(); // close() found this thread inside a call and left the wipe to it
      }
    }

    @Override
    public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
      PerThread state = enter();
      try {
        GCMModeCipher gcm = state.init(true, iv, ivOffset);
        gcm.processAADBytes(aad, aadOffset, aadLength);
        int n = gcm.processBytes(plaintext, plaintextOffset, plaintextLength, out, outOffset);
        return n + gcm.doFinal(out, outOffset + n);
      } catch (InvalidCipherTextException e) {
        throw new AeadException("Bouncy Castle GCM failed to seal", e);
      } finally {
        leave(state);
      }
    }

    @Override
    public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
        byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
      if (ciphertextLength < TAG_SIZE_IN_BYTES) {
        return false;
      }
      PerThread state = enter();
      try {
        GCMModeCipher gcm = state.init(false, iv, ivOffset);
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
      } finally {
        leave(state);
      }
    }

    /** Wipes the key and every thread's cipher state (a busy one when its call returns). */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      Arrays.fill(key, (byte) 0); // only newState reads it, under this lock, and it now refuses
      for (PerThread state : states) {
        state.wipeIfIdle();
      }
    }

    /** Every thread's GCM instances, for tests that check what close leaves behind. */
    synchronized List<Object> cipherStatesForTests() {
      List<Object> ciphers = new ArrayList<>();
      for (PerThread state : states) {
        ciphers.add(state.sealer);
        ciphers.add(state.opener);
      }
      return ciphers;
    }

    @Override
    public String toString() {
      return "BouncyCastleAeadKey";
    }
  }
}
