package dev.ticketoffload.core.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AeadBackend} must do, checked against Wycheproof and against SunJCE as an
 * independent reference. Backend modules extend this class (it ships in ticket-core's test-jar).
 */
public abstract class AeadBackendContract {

  protected abstract AeadBackend backend();

  private static final AeadBackend REFERENCE = new JdkAeadBackend();

  @Test
  void wycheproof_everySupportedCase_matchesOrIsRejected() {
    List<String> failures = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int checked = 0;
    for (WycheproofAesGcm.Group group : WycheproofAesGcm.groups()) {
      if (group.keySizeBits() != 256 || group.ivSizeBits() != 96 || group.tagSizeBits() != 128) {
        skipped.add(group.describe());
        continue;
      }
      for (WycheproofAesGcm.Case c : group.cases()) {
        checked++;
        String problem = check(c);
        if (problem != null) {
          failures.add("tcId " + c.tcId() + " (" + c.comment() + "): " + problem);
        }
      }
    }
    System.out.printf("%s: Wycheproof AES-GCM: %d cases checked; %d groups skipped as unsupported "
        + "(this backend is AES-256 with 96-bit IVs and 128-bit tags only):%n  %s%n",
        backend().name(), checked, skipped.size(), String.join("\n  ", skipped));
    assertThat(checked).as("cases checked").isGreaterThan(0);
    assertThat(failures).isEmpty();
  }

  private String check(WycheproofAesGcm.Case c) {
    try (AeadKey key = backend().bind(c.key())) {
      byte[] expected = concat(c.ct(), c.tag());
      byte[] plaintext = new byte[expected.length];
      boolean opened = key.open(c.iv(), 0, c.aad(), 0, c.aad().length, expected, 0, expected.length, plaintext, 0);
      if (!c.valid()) {
        return opened ? "invalid case was accepted" : null;
      }
      if (!opened) {
        return "valid case was rejected";
      }
      if (!Arrays.equals(Arrays.copyOf(plaintext, c.msg().length), c.msg())) {
        return "opened to the wrong plaintext";
      }
      byte[] sealed = new byte[c.msg().length + AeadBackend.TAG_SIZE_IN_BYTES];
      int n = key.seal(c.iv(), 0, c.aad(), 0, c.aad().length, c.msg(), 0, c.msg().length, sealed, 0);
      if (n != sealed.length || !Arrays.equals(sealed, expected)) {
        return "sealed to something other than ct||tag";
      }
      return null;
    }
  }

  @Test
  void seal_sweepOfLengthsAndOffsets_matchesReferenceAndOpens() {
    Random random = new Random(1);
    byte[] keyBytes = randomBytes(random, 32);
    List<String> failures = new ArrayList<>();
    try (AeadKey key = backend().bind(keyBytes); AeadKey ref = REFERENCE.bind(keyBytes)) {
      for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 150, 152, 255, 256, 1500, 2048}) {
        for (int offset = 0; offset < 4; offset++) {
          byte[] iv = randomBytes(random, 12);
          byte[] aad = randomBytes(random, 24 + offset);
          byte[] plaintext = new byte[offset + length];
          random.nextBytes(plaintext);
          byte[] out = new byte[offset + length + 16];
          byte[] expected = new byte[length + 16];
          ref.seal(iv, 0, aad, offset, 24, plaintext, offset, length, expected, 0);
          int n = key.seal(iv, 0, aad, offset, 24, plaintext, offset, length, out, offset);
          if (n != length + 16 || !Arrays.equals(Arrays.copyOfRange(out, offset, offset + n), expected)) {
            failures.add("seal length " + length + " offset " + offset + " differs from SunJCE");
            continue;
          }
          byte[] back = new byte[length + offset];
          if (!key.open(iv, 0, aad, offset, 24, out, offset, n, back, offset)
              || !Arrays.equals(Arrays.copyOfRange(back, offset, offset + length),
                  Arrays.copyOfRange(plaintext, offset, offset + length))) {
            failures.add("open length " + length + " offset " + offset + " failed");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void sealAndOpen_inPlace_roundTrip() {
    Random random = new Random(2);
    byte[] keyBytes = randomBytes(random, 32);
    try (AeadKey key = backend().bind(keyBytes); AeadKey ref = REFERENCE.bind(keyBytes)) {
      for (int length : new int[] {0, 1, 16, 152, 1500}) {
        byte[] iv = randomBytes(random, 12);
        byte[] aad = randomBytes(random, 24);
        byte[] plaintext = randomBytes(random, length);
        byte[] expected = new byte[length + 16];
        ref.seal(iv, 0, aad, 0, 24, plaintext, 0, length, expected, 0);
        byte[] buffer = Arrays.copyOf(plaintext, length + 16);
        key.seal(iv, 0, aad, 0, 24, buffer, 0, length, buffer, 0);
        assertThat(buffer).as("in-place seal of %d bytes", length).isEqualTo(expected);
        assertThat(key.open(iv, 0, aad, 0, 24, buffer, 0, length + 16, buffer, 0)).isTrue();
        assertThat(Arrays.copyOf(buffer, length)).isEqualTo(plaintext);
      }
    }
  }

  @Test
  void open_everyBitFlipOfCiphertextTagAadOrIv_isRejectedAndOutputZeroed() {
    Random random = new Random(3);
    byte[] keyBytes = randomBytes(random, 32);
    byte[] iv = randomBytes(random, 12);
    byte[] aad = randomBytes(random, 24);
    byte[] plaintext = randomBytes(random, 40);
    List<String> accepted = new ArrayList<>();
    try (AeadKey key = backend().bind(keyBytes)) {
      byte[] sealed = new byte[plaintext.length + 16];
      key.seal(iv, 0, aad, 0, aad.length, plaintext, 0, plaintext.length, sealed, 0);
      byte[][] parts = {sealed, aad, iv};
      String[] names = {"ciphertext||tag", "aad", "iv"};
      for (int p = 0; p < parts.length; p++) {
        for (int bit = 0; bit < parts[p].length * 8; bit++) {
          parts[p][bit / 8] ^= (byte) (1 << (bit % 8));
          byte[] out = new byte[plaintext.length];
          Arrays.fill(out, (byte) 0x5A);
          boolean ok = key.open(iv, 0, aad, 0, aad.length, sealed, 0, sealed.length, out, 0);
          parts[p][bit / 8] ^= (byte) (1 << (bit % 8));
          if (ok) {
            accepted.add(names[p] + " bit " + bit);
          } else if (!Arrays.equals(out, new byte[plaintext.length])) {
            accepted.add(names[p] + " bit " + bit + ": output not zeroed");
          }
        }
      }
      assertThat(key.open(iv, 0, aad, 0, aad.length, sealed, 0, sealed.length, new byte[40], 0))
          .as("unmodified input still opens").isTrue();
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void open_everyTruncationAndExtension_isRejected() {
    Random random = new Random(4);
    byte[] iv = randomBytes(random, 12);
    byte[] aad = randomBytes(random, 24);
    byte[] plaintext = randomBytes(random, 40);
    List<Integer> accepted = new ArrayList<>();
    try (AeadKey key = backend().bind(randomBytes(random, 32))) {
      byte[] sealed = new byte[plaintext.length + 16 + 8];
      key.seal(iv, 0, aad, 0, aad.length, plaintext, 0, plaintext.length, sealed, 0);
      for (int length = 0; length <= sealed.length; length++) {
        if (length == plaintext.length + 16) {
          continue;
        }
        if (key.open(iv, 0, aad, 0, aad.length, sealed, 0, length, new byte[sealed.length], 0)) {
          accepted.add(length);
        }
      }
    }
    assertThat(accepted).as("lengths accepted").isEmpty();
  }

  @Test
  void open_withAnotherKey_isRejected() {
    Random random = new Random(5);
    byte[] iv = randomBytes(random, 12);
    byte[] plaintext = randomBytes(random, 100);
    byte[] sealed = new byte[116];
    try (AeadKey a = backend().bind(randomBytes(random, 32)); AeadKey b = backend().bind(randomBytes(random, 32))) {
      a.seal(iv, 0, new byte[0], 0, 0, plaintext, 0, 100, sealed, 0);
      assertThat(b.open(iv, 0, new byte[0], 0, 0, sealed, 0, 116, new byte[100], 0)).isFalse();
      assertThat(a.open(iv, 0, new byte[0], 0, 0, sealed, 0, 116, new byte[100], 0)).isTrue();
    }
  }

  @Test
  void batch_givesTheSameResultsAsSingleCalls() {
    Random random = new Random(6);
    byte[] keyBytes = randomBytes(random, 32);
    int n = 300;
    byte[][] ivs = new byte[n][];
    byte[][] plaintexts = new byte[n][];
    byte[][] sealed = new byte[n][];
    byte[] aad = randomBytes(random, 24);
    try (AeadKey key = backend().bind(keyBytes); AeadKey ref = REFERENCE.bind(keyBytes)) {
      AeadBatch batch = new AeadBatch(n);
      for (int i = 0; i < n; i++) {
        ivs[i] = randomBytes(random, 12);
        plaintexts[i] = randomBytes(random, i % 200);
        sealed[i] = new byte[plaintexts[i].length + 16];
        batch.add(ivs[i], 0, aad, 0, 24, plaintexts[i], 0, plaintexts[i].length, sealed[i], 0);
      }
      key.sealBatch(batch);
      for (int i = 0; i < n; i++) {
        byte[] expected = new byte[sealed[i].length];
        ref.seal(ivs[i], 0, aad, 0, 24, plaintexts[i], 0, plaintexts[i].length, expected, 0);
        assertThat(batch.result(i)).isEqualTo(expected.length);
        assertThat(sealed[i]).as("item %d", i).isEqualTo(expected);
      }
      sealed[7][3] ^= 1; // one bad item must not fail the others
      batch.clear();
      byte[][] opened = new byte[n][];
      for (int i = 0; i < n; i++) {
        opened[i] = new byte[plaintexts[i].length];
        batch.add(ivs[i], 0, aad, 0, 24, sealed[i], 0, sealed[i].length, opened[i], 0);
      }
      key.openBatch(batch);
      for (int i = 0; i < n; i++) {
        if (i == 7) {
          assertThat(batch.result(i)).isEqualTo(-1);
        } else {
          assertThat(batch.result(i)).isEqualTo(plaintexts[i].length);
          assertThat(opened[i]).isEqualTo(plaintexts[i]);
        }
      }
    }
  }

  @Test
  void key_concurrentUseFromTwoThreads_staysCorrect() throws Exception {
    Random random = new Random(7);
    byte[] keyBytes = randomBytes(random, 32);
    try (AeadKey key = backend().bind(keyBytes); AeadKey ref = REFERENCE.bind(keyBytes);
         ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long seed = t;
        results.add(pool.submit(() -> {
          Random r = new Random(seed);
          int bad = 0;
          for (int i = 0; i < 2000; i++) {
            byte[] iv = randomBytes(r, 12);
            byte[] pt = randomBytes(r, r.nextInt(300));
            byte[] out = new byte[pt.length + 16];
            byte[] expected = new byte[pt.length + 16];
            key.seal(iv, 0, iv, 0, 12, pt, 0, pt.length, out, 0);
            ref.seal(iv, 0, iv, 0, 12, pt, 0, pt.length, expected, 0);
            byte[] back = new byte[pt.length];
            if (!Arrays.equals(out, expected) || !key.open(iv, 0, iv, 0, 12, out, 0, out.length, back, 0)
                || !Arrays.equals(back, pt)) {
              bad++;
            }
          }
          return bad;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isZero();
      }
    }
  }

  @Test
  void bind_keyOfWrongLength_isRefused() {
    for (int length : new int[] {0, 16, 24, 31, 33}) {
      assertThatThrownBy(() -> backend().bind(new byte[length]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32-byte");
    }
  }

  @Test
  void toString_neverShowsTheKey() {
    byte[] keyBytes = new byte[32];
    Arrays.fill(keyBytes, (byte) 0xAB);
    try (AeadKey key = backend().bind(keyBytes)) {
      assertThat(key.toString().toLowerCase()).doesNotContain("abab").doesNotContain("q6ur");
    }
  }

  protected static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
