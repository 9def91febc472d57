package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The start-up self-test of every backend, whichever was chosen: seal and open fixed AES-256-GCM
 * vectors and refuse a forged tag. The vectors are test cases 13, 14 and 16 of McGrew and Viega,
 * "The Galois/Counter Mode of Operation" (also in NIST's GCM validation set): an empty message
 * under the zero key, one zero block under the zero key, and a 60-byte message with 20 bytes of
 * AAD. Health says NOT_SERVING until the chosen backend passed it.
 */
final class KnownAnswerTest {

  /** One vector, in hex. Package-private so that the unit tests check the same bytes. */
  record Vector(String name, String key, String iv, String aad, String plaintext, String ciphertextAndTag) {}

  static final List<Vector> VECTORS = List.of(
    new Vector("GCM test case 13",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000", "", "",
        "530f8afbc74536b9a963b4f1c4cb738b"),
    new Vector("GCM test case 14",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000", "", "00000000000000000000000000000000",
        "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"),
    new Vector("GCM test case 16",
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
            + "76fc6ece0f4e1768cddf8853bb2d551b"));

  private KnownAnswerTest() {}

  /** Returns what went wrong, or empty when every vector passed. */
  static Optional<String> run(AeadBackend backend) {
    try {
      for (Vector v : VECTORS) {
        Optional<String> failure = check(backend, v);
        if (failure.isPresent()) {
          return failure;
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static Optional<String> check(AeadBackend backend, Vector v) {
    HexFormat hex = HexFormat.of();
    byte[] iv = hex.parseHex(v.iv());
    byte[] aad = hex.parseHex(v.aad());
    byte[] plaintext = hex.parseHex(v.plaintext());
    byte[] expected = hex.parseHex(v.ciphertextAndTag());
    try (AeadKey key = backend.bind(hex.parseHex(v.key()))) {
      byte[] sealed = new byte[expected.length];
      int n = key.seal(iv, 0, aad, 0, aad.length, plaintext, 0, plaintext.length, sealed, 0);
      if (n != expected.length || !Arrays.equals(sealed, expected)) {
        return Optional.of(v.name() + ": seal gave " + hex.formatHex(sealed) + ", expected " + v.ciphertextAndTag());
      }
      byte[] opened = new byte[plaintext.length];
      if (!key.open(iv, 0, aad, 0, aad.length, expected, 0, expected.length, opened, 0)
          || !Arrays.equals(opened, plaintext)) {
        return Optional.of(v.name() + ": open did not give back the plaintext");
      }
      byte[] forged = expected.clone();
      forged[forged.length - 1] ^= 1;
      if (key.open(iv, 0, aad, 0, aad.length, forged, 0, forged.length, opened, 0)) {
        return Optional.of(v.name() + ": open accepted a forged tag");
      }
      return Optional.empty();
    }
  }
}
