package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Identity keys: the documented HKDF + HMAC, scoped by realm and master, never the identity itself. */
class IdentityKeyDerivationTest {

  private static final byte[] MASTER = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] ID_I = "\u0003\u0000\u0000\u0000alice@example.org".getBytes(StandardCharsets.US_ASCII);

  private static byte[] key(byte[] master, String realm, byte[] idI) {
    byte[] out = new byte[16];
    IdentityKeyDerivation.identityKey(IdentityKeyDerivation.macKey(master, realm), idI, 0, idI.length, out, 0);
    return out;
  }

  @Test
  void identityKey_isTheDocumentedHmacTruncatedTo16Bytes() throws Exception {
    byte[] macKey = IdentityKeyDerivation.macKey(MASTER, "default");
    Mac jdk = Mac.getInstance("HmacSHA256");
    jdk.init(new SecretKeySpec(macKey, "HmacSHA256"));
    byte[] expected = java.util.Arrays.copyOf(jdk.doFinal(ID_I), 16);
    assertThat(key(MASTER, "default", ID_I)).isEqualTo(expected);
  }

  @Test
  void identityKey_dependsOnRealmMasterAndIdentity_andIsStable() {
    byte[] base = key(MASTER, "default", ID_I);
    assertThat(key(MASTER, "default", ID_I)).isEqualTo(base);
    assertThat(key(MASTER, "other", ID_I)).isNotEqualTo(base);
    byte[] otherMaster = MASTER.clone();
    otherMaster[0] ^= 1;
    assertThat(key(otherMaster, "default", ID_I)).isNotEqualTo(base);
    byte[] otherId = ID_I.clone();
    otherId[otherId.length - 1] ^= 1;
    assertThat(key(MASTER, "default", otherId)).isNotEqualTo(base);
  }

  @Test
  void identityMac_keyedOncePerThread_givesTheDocumentedKeyForEveryLength_onEveryThread() throws Exception {
    byte[] macKey = IdentityKeyDerivation.macKey(MASTER, "default");
    IdentityMac mac = new IdentityMac(macKey);
    java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable sweep = () -> {
      for (int round = 0; round < 2; round++) { // the second round reuses each thread's keyed MAC
        for (int length = 1; length <= 1024; length += 37) {
          byte[] idI = new byte[length + 3];
          java.util.Arrays.fill(idI, (byte) (length + round));
          byte[] expected = new byte[16];
          IdentityKeyDerivation.identityKey(macKey, idI, 3, length, expected, 0);
          byte[] got = new byte[20];
          mac.identityKey(idI, 3, length, got, 4);
          if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(got, 4, 20), expected)) {
            failures.add("round " + round + ", length " + length);
          }
        }
      }
    };
    sweep.run();
    Thread other = Thread.ofPlatform().start(sweep);
    other.join();
    assertThat(failures).isEmpty();
  }

  @Test
  void identityMac_wipe_rekeysEveryThreadsMac() throws Exception {
    byte[] macKey = IdentityKeyDerivation.macKey(MASTER, "default");
    IdentityMac mac = new IdentityMac(macKey);
    byte[] before = new byte[16];
    mac.identityKey(ID_I, 0, ID_I.length, before, 0);
    mac.wipe();
    byte[] after = new byte[16];
    mac.identityKey(ID_I, 0, ID_I.length, after, 0);
    byte[] zeroKeyed = new byte[16];
    IdentityKeyDerivation.identityKey(new byte[32], ID_I, 0, ID_I.length, zeroKeyed, 0);
    assertThat(after).isEqualTo(zeroKeyed).isNotEqualTo(before);
  }

  @Test
  void macKey_isNotTheEpochKeyOfAnyKeyId() {
    // Same salt and master, other info: the identity key never equals an epoch key.
    assertThat(IdentityKeyDerivation.macKey(MASTER, "default"))
        .isNotEqualTo(EpochKeyDerivation.derive(MASTER, "default", 0));
  }
}
