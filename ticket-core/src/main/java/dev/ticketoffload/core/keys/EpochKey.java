package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadKey;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A derived epoch key bound to a backend, with the count of tickets this instance sealed under it
 * (GCM with random 96-bit IVs is safe for 2^32 seals per key, NIST SP 800-38D).
 *
 * <p>Its lifetime is counted in leases: the realm's cache holds one while the key is in force, and
 * each batch that seals or opens under it holds one from lookup ({@link RealmKeys#sealKey},
 * {@link RealmKeys#openKey}) to {@link #release()}. The backend key is closed, and its memory freed,
 * when the last lease is released: never while a batch may still use it, and with no timer.
 */
public final class EpochKey {

  /** Past this many seals under one key: warn (the epoch is too long for the load). */
  public static final long SEAL_WARNING_THRESHOLD = 1L << 30;
  /** Past this many seals under one key: refuse to seal. */
  public static final long SEAL_LIMIT = 1L << 31;

  private final long keyId;
  private final AeadKey aead;
  private final AtomicLong seals = new AtomicLong();
  /** The cache's lease plus one per batch using the key; 0 once closed, and then never again above 0. */
  private final AtomicInteger leases = new AtomicInteger(1);
  // The identity MAC of this key's realm and master (IdentityKeyDerivation), for revocation by IDi.
  private final IdentityMac identityMac;

  EpochKey(long keyId, AeadKey aead, byte[] identityMacKey) {
    this.keyId = keyId;
    this.aead = aead;
    this.identityMac = new IdentityMac(identityMacKey);
  }

  /**
   * Writes the identity key of {@code idI} under this key's realm and master (16 bytes at
   * {@code out[outOffset]}): the name a store keeps an identity's revocation under.
   */
  public void identityKey(byte[] idI, int offset, int length, byte[] out, int outOffset) {
    identityMac.identityKey(idI, offset, length, out, outOffset);
  }

  public long keyId() {
    return keyId;
  }

  public AeadKey aead() {
    return aead;
  }

  public long sealCount() {
    return seals.get();
  }

  /**
   * Counts {@code n} seals about to be made under this key.
   *
   * @return {@code true} when this reservation crossed {@link #SEAL_WARNING_THRESHOLD}
   * @throws SealLimitExceededException when the key would pass {@link #SEAL_LIMIT}
   */
  boolean reserveSeals(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("seal count must not be negative, got " + n);
    }
    long after = seals.addAndGet(n);
    if (after > SEAL_LIMIT) {
      seals.addAndGet(-n);
      throw new SealLimitExceededException(keyId, SEAL_LIMIT);
    }
    return after > SEAL_WARNING_THRESHOLD && after - n <= SEAL_WARNING_THRESHOLD;
  }

  /**
   * Takes one more lease, unless the key already closed (its last lease was released).
   *
   * @return {@code false} when the key is closed: look it up again
   */
  boolean tryLease() {
    for (int n = leases.get(); n > 0; n = leases.get()) {
      if (leases.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back one lease (a batch's, when it is done with the key); the last one closes the key. */
  public void release() {
    int left = leases.decrementAndGet();
    if (left == 0) {
      aead.close();
      identityMac.wipe();
    } else if (left < 0) {
      throw new IllegalStateException("epoch key 0x" + Long.toHexString(keyId) + " released more often than leased");
    }
  }

  /** Leases held now, the cache's included: for tests. */
  int leases() {
    return leases.get();
  }

  @Override
  public String toString() {
    return "EpochKey[key_id=0x" + Long.toHexString(keyId) + ", seals=" + seals.get() + "]";
  }
}
