package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.format.Bytes;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * {@code epoch_key = HKDF-SHA256(salt = "ticket-offload/v1", ikm = master_secret,
 * info = u8 len(realm) || realm || key_id, L = 32)}: every instance holding the same key ring derives
 * the same keys with no coordination.
 */
public final class EpochKeyDerivation {

  static final byte[] SALT = "ticket-offload/v1".getBytes(StandardCharsets.US_ASCII);
  public static final int KEY_SIZE_IN_BYTES = 32;

  private EpochKeyDerivation() {}

  /** Derives the epoch key; the caller owns (and must wipe) the result. */
  public static byte[] derive(byte[] masterSecret, String realm, long keyId) {
    byte[] realmBytes = realm.getBytes(StandardCharsets.UTF_8);
    byte[] info = new byte[1 + realmBytes.length + 8];
    info[0] = (byte) realmBytes.length;
    System.arraycopy(realmBytes, 0, info, 1, realmBytes.length);
    Bytes.putLong(info, 1 + realmBytes.length, keyId);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(masterSecret, SALT, info));
    byte[] key = new byte[KEY_SIZE_IN_BYTES];
    hkdf.generateBytes(key, 0, key.length);
    return key;
  }
}
