package dev.ticketoffload.core.keys;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The name under which a store keeps "every ticket of this identity issued before T is revoked",
 * without holding the identity (IDi) in clear:
 *
 * <pre>
 * identity_mac_key = HKDF-SHA256(salt = "ticket-offload/v1", ikm = master_secret,
 *                                info = "identity" || u8 len(realm) || realm, L = 32)
 * identity_key     = first 16 bytes of HMAC-SHA256(identity_mac_key, IDi payload body)
 * </pre>
 *
 * Scoped by realm and by master: a ticket's own {@code key_id} names the master whose identity key
 * its open looks up, and a revocation records the identity under every master that still opens. A
 * master created after the revocation can only have sealed tickets issued after it, which it does not
 * cover. Whoever reads the store learns which revocations share an identity, not the identity.
 */
public final class IdentityKeyDerivation {

  public static final int IDENTITY_KEY_SIZE_IN_BYTES = 16;
  private static final byte[] LABEL = "identity".getBytes(StandardCharsets.US_ASCII);

  private IdentityKeyDerivation() {}

  /** Derives the realm's and master's HMAC key; the caller owns (and must wipe) the result. */
  public static byte[] macKey(byte[] masterSecret, String realm) {
    byte[] realmBytes = realm.getBytes(StandardCharsets.UTF_8);
    byte[] info = new byte[LABEL.length + 1 + realmBytes.length];
    System.arraycopy(LABEL, 0, info, 0, LABEL.length);
    info[LABEL.length] = (byte) realmBytes.length;
    System.arraycopy(realmBytes, 0, info, LABEL.length + 1, realmBytes.length);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(masterSecret, EpochKeyDerivation.SALT, info));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, key.length);
    return key;
  }

  /** Writes the 16-byte identity key of {@code idI[offset..offset+length)} at {@code out[outOffset]}. */
  public static void identityKey(byte[] macKey, byte[] idI, int offset, int length, byte[] out, int outOffset) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(macKey));
    mac.update(idI, offset, length);
    byte[] full = new byte[mac.getMacSize()];
    mac.doFinal(full, 0);
    System.arraycopy(full, 0, out, outOffset, IDENTITY_KEY_SIZE_IN_BYTES);
  }
}
