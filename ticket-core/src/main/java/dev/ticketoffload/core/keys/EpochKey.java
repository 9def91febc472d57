package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A derived epoch key bound to a backend, with the count of tickets this instance sealed under it
 * (GCM with random 96-bit IVs is safe for 2^32 seals per key, NIST SP 800-38D).
 */
public final class EpochKey {

  /** Past this many seals under one key: warn (the epoch is too long for the load). */
  public static final long SEAL_WARNING_THRESHOLD = 1L << 30;
  /** Past this many seals under one key: refuse to seal. */
  public static final long SEAL_LIMIT = 1L << 31;

  private final long keyId;
  private final AeadKey aead;
  private final AtomicLong seals = new AtomicLong();
  // The identity MAC key of this key's realm and master (IdentityKeyDerivation), for revocation by IDi.
  private final byte[] identityMacKey;

  EpochKey(long keyId, AeadKey aead, byte[] identityMacKey) {
    this.keyId = keyId;
    this.aead = aead;
    this.identityMacKey = identityMacKey.clone();
  }

  /**
   * Writes the identity key of {@code idI} under this key's realm and master (16 bytes at
   * {@code out[outOffset]}): the name a store keeps an identity's revocation under.
   */
  public void identityKey(byte[] idI, int offset, int length, byte[] out, int outOffset) {
    IdentityKeyDerivation.identityKey(identityMacKey, idI, offset, length, out, outOffset);
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

  void close() {
    aead.close();
    java.util.Arrays.fill(identityMacKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "EpochKey[key_id=0x" + Long.toHexString(keyId) + ", seals=" + seals.get() + "]";
  }
}
