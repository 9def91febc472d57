package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Redis key and value of one consume, binary and short.
 *
 * <pre>
 * key   (25 bytes)  't' || realm_tag (4) || key_id (8) || iv (12)
 * value             0x00                 no attempt id: any second consume is REPLAYED
 *                   0x01 || attempt_id   the attempt that consumed it (1..16 bytes)
 * </pre>
 *
 * {@code realm_tag} is the first 4 bytes of SHA-256(realm): realm-scoped without carrying a 64-byte
 * name per key (two realms' keys meet only if their tags, key ids and random IVs all coincide). The
 * key has no hash tag, so CRC16 of its random IV spreads keys over all 16,384 Cluster slots.
 */
final class RedisKeys {

  static final int KEY_BYTES = 1 + 4 + 8 + 12;
  private static final byte[] NO_ATTEMPT = {0};

  private RedisKeys() {}

  static byte[] realmTag(String realm) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(realm.getBytes(StandardCharsets.UTF_8));
      return new byte[] {d[0], d[1], d[2], d[3]};
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] key(byte[] realmTag, ConsumeBatch consumes, int i) {
    byte[] key = new byte[KEY_BYTES];
    key[0] = 't';
    System.arraycopy(realmTag, 0, key, 1, 4);
    long keyId = consumes.keyId(i);
    for (int b = 0; b < 8; b++) {
      key[5 + b] = (byte) (keyId >>> (56 - 8 * b));
    }
    System.arraycopy(consumes.ivBuffer(i), consumes.ivOffset(i), key, 13, 12);
    return key;
  }

  static byte[] value(ConsumeBatch consumes, int i) {
    int n = consumes.attemptLength(i);
    if (n == 0) {
      return NO_ATTEMPT;
    }
    byte[] v = new byte[1 + n];
    v[0] = 1;
    System.arraycopy(consumes.attemptBuffer(i), consumes.attemptOffset(i), v, 1, n);
    return v;
  }

  /** Whether a value found in the store is this consume's own attempt retrying. */
  static boolean sameAttempt(byte[] found, byte[] ours) {
    return ours.length > 1 && java.util.Arrays.equals(found, ours);
  }
}
