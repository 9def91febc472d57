package dev.ticketoffload.core.keys;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The identity MAC of one realm and master ({@link IdentityKeyDerivation#identityKey}), keyed once per
 * thread instead of once per ticket: every opened ticket needs its identity key (revocation by IDi),
 * and a fresh Bouncy Castle {@code HMac} keyed per call cost about 1.2 µs per ticket, most of an Open
 * item's crypto (JFR, {@code PairedServiceRun}). The JDK's HmacSHA256 (SHA-256 intrinsics), keyed
 * once per thread, takes about 0.2 µs and gives the same bytes ({@code IdentityKeyDerivationTest}).
 * {@link #wipe()} re-keys every thread's MAC with zeros once nothing uses the key any more.
 */
final class IdentityMac {

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAC_SIZE_IN_BYTES = 32;

  private final byte[] macKey;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
  private final ThreadLocal<byte[]> outputs = ThreadLocal.withInitial(() -> new byte[MAC_SIZE_IN_BYTES]);
  // Every thread's MAC, so that wipe() reaches them all (a thread-local cannot be reached from another thread).
  private final Queue<Mac> keyed = new ConcurrentLinkedQueue<>();

  /** @param macKey copied; the caller wipes its own */
  IdentityMac(byte[] macKey) {
    this.macKey = macKey.clone();
  }

  /** Writes the 16-byte identity key of {@code idI[offset..offset+length)} at {@code out[outOffset]}. */
  void identityKey(byte[] idI, int offset, int length, byte[] out, int outOffset) {
    Mac mac = macs.get();
    byte[] full = outputs.get();
    mac.update(idI, offset, length);
    try {
      mac.doFinal(full, 0); // and the MAC is ready for the next identity, still keyed
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    System.arraycopy(full, 0, out, outOffset, IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES);
  }

  /** Wipes the key and re-keys every thread's MAC with zeros; the caller guarantees nothing uses it now. */
  void wipe() {
    Arrays.fill(macKey, (byte) 0);
    SecretKeySpec zeros = new SecretKeySpec(new byte[MAC_SIZE_IN_BYTES], ALGORITHM);
    for (Mac mac; (mac = keyed.poll()) != null; ) {
      try {
        mac.init(zeros);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(macKey, ALGORITHM));
      keyed.add(mac);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }
}
