package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code epoch_key = HKDF-SHA256(salt = "ticket-offload/v1", ikm = master_secret,
 * info = u8 len(realm) || realm || key_id, L = 32)} (DESIGN.md), checked against an independent
 * RFC 5869 implementation on javax.crypto and against pinned known answers.
 */
class EpochKeyDerivationTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final long MAX_EPOCH = (1L << 48) - 1;

  // ---- an independent HKDF-SHA256 (RFC 5869) ---------------------------------------------

  private static byte[] hmacSha256(byte[] key, byte[]... parts) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    for (byte[] p : parts) {
      mac.update(p);
    }
    return mac.doFinal();
  }

  private static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info, int length)
      throws GeneralSecurityException {
    byte[] prk = hmacSha256(salt, ikm); // extract
    ByteArrayOutputStream okm = new ByteArrayOutputStream();
    byte[] t = new byte[0];
    for (int i = 1; okm.size() < length; i++) { // expand
      t = hmacSha256(prk, t, info, new byte[] {(byte) i});
      okm.writeBytes(t);
    }
    byte[] out = new byte[length];
    System.arraycopy(okm.toByteArray(), 0, out, 0, length);
    return out;
  }

  /** The derivation exactly as DESIGN.md spells it, built without the production code. */
  private static byte[] reference(byte[] secret, String realm, int masterId, long epoch)
      throws GeneralSecurityException {
    byte[] realmBytes = realm.getBytes(StandardCharsets.UTF_8);
    long keyId = ((long) masterId << 48) | epoch;
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(realmBytes.length);
    info.writeBytes(realmBytes);
    for (int shift = 56; shift >= 0; shift -= 8) {
      info.write((int) (keyId >>> shift) & 0xFF);
    }
    byte[] salt = "ticket-offload/v1".getBytes(StandardCharsets.US_ASCII);
    assertThat(salt).hasSize(17);
    return hkdfSha256(salt, secret, info.toByteArray(), 32);
  }

  private static byte[] secret(int seed) {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[i] = (byte) (seed * 101 + i * 7 + 3);
    }
    return s;
  }

  // ---- tests ---------------------------------------------------------------------------------

  @Test
  void referenceHkdf_rfc5869TestCase1_matches() throws Exception {
    // RFC 5869, Appendix A.1: keeps the reference honest before it judges the production code.
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(HEX.formatHex(hmacSha256(salt, ikm)))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(hkdfSha256(salt, ikm, info, 42))).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void derive_manyRealmsMastersAndEpochs_matchesIndependentHkdf() throws Exception {
    String[] realms = {"default", "a", "eu-west_1.prod", "\u00e9t\u00e9", "\u0416\u0443\u043a",
        "x".repeat(64), "\u00e9".repeat(32)};
    int[] masterIds = {0, 1, 2, 0x1234, 0xFFFF};
    long[] epochs = {0, 1, 490_052, 1L << 40, MAX_EPOCH};
    List<String> failures = new ArrayList<>();
    int seed = 0;
    for (String realm : realms) {
      for (int masterId : masterIds) {
        for (long epoch : epochs) {
          byte[] secret = secret(seed++);
          long keyId = ((long) masterId << 48) | epoch;
          byte[] expected = reference(secret, realm, masterId, epoch);
          byte[] actual = EpochKeyDerivation.derive(secret, realm, keyId);
          if (!java.util.Arrays.equals(expected, actual)) {
            failures.add(realm + "/" + masterId + "/" + epoch + ": expected " + HEX.formatHex(expected)
                + ", got " + HEX.formatHex(actual));
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void derive_pinnedInput_givesKnownAnswer() {
    byte[] secret = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    long keyId = (1L << 48) | 490_052; // master 1, epoch of 1764190000 at 3600 s
    assertThat(HEX.formatHex(EpochKeyDerivation.derive(secret, "default", keyId)))
        .isEqualTo("74f3d620eab570de29b88ad5613f9e2277275baa1b25478fb193303b13d37aaa");
  }

  @Test
  void derive_pinnedNonAsciiRealmAndMaximalKeyId_givesKnownAnswer() {
    byte[] secret = HEX.parseHex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0");
    long keyId = (0xFFFFL << 48) | MAX_EPOCH;
    assertThat(keyId).isEqualTo(-1L);
    assertThat(HEX.formatHex(EpochKeyDerivation.derive(secret, "\u00e9t\u00e9", keyId)))
        .isEqualTo("ff5430e96bef8cc8d15ebd52ae131560a41bbdff009daabc5f5d1d292bacff8f");
  }

  @Test
  void derive_differentRealmKeyIdOrSecret_givesDifferentKeys() {
    byte[] secret = secret(1);
    long keyId = (2L << 48) | 490_052;
    Set<String> keys = new HashSet<>();
    List<byte[]> derived = List.of(
        EpochKeyDerivation.derive(secret, "default", keyId),
        EpochKeyDerivation.derive(secret, "Default", keyId),
        EpochKeyDerivation.derive(secret, "default2", keyId),
        EpochKeyDerivation.derive(secret, "\u00e9", keyId),
        EpochKeyDerivation.derive(secret, "e", keyId),
        EpochKeyDerivation.derive(secret, "default", keyId + 1),          // next epoch
        EpochKeyDerivation.derive(secret, "default", (3L << 48) | 490_052), // other master
        EpochKeyDerivation.derive(secret, "default", 490_052),              // master 0
        EpochKeyDerivation.derive(secret(2), "default", keyId));
    for (byte[] k : derived) {
      assertThat(k).hasSize(EpochKeyDerivation.KEY_SIZE_IN_BYTES);
      keys.add(HEX.formatHex(k));
    }
    assertThat(keys).hasSize(derived.size());
  }

  @Test
  void derive_sameInputs_isDeterministicAndLeavesSecretIntact() {
    byte[] secret = secret(5);
    byte[] copy = secret.clone();
    byte[] first = EpochKeyDerivation.derive(secret, "default", 42);
    first[0] ^= 1; // the caller owns the result and may wipe it
    byte[] second = EpochKeyDerivation.derive(secret, "default", 42);
    assertThat(secret).isEqualTo(copy);
    assertThat(second).isNotEqualTo(first);
    first[0] ^= 1;
    assertThat(second).isEqualTo(first).isNotSameAs(first);
  }
}
