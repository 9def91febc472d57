package dev.ticketoffload.server.backend;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A known-answer test of AES-256-GCM (McGrew and Viega, "The GCM Mode of Operation", test case 14:
 * all-zero key, IV and 16-byte plaintext), sealing and opening, plus a tampered tag that must fail.
 * Health says NOT_SERVING until the chosen backend passed it.
 */
public final class SelfTest {

  private static final byte[] EXPECTED = HexFormat.of().parseHex(
      "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");

  private SelfTest() {}

  /** @return {@code null} when the backend passed, else what went wrong */
  public static String run(AeadBackend backend) {
    byte[] iv = new byte[AeadBackend.IV_SIZE_IN_BYTES];
    byte[] plaintext = new byte[16];
    byte[] sealed = new byte[32];
    byte[] opened = new byte[16];
    try (AeadKey key = backend.bind(new byte[AeadBackend.KEY_SIZE_IN_BYTES])) {
      int n = key.seal(iv, 0, new byte[0], 0, 0, plaintext, 0, 16, sealed, 0);
      if (n != 32 || !Arrays.equals(sealed, EXPECTED)) {
        return "seal of the known-answer vector gave the wrong ciphertext";
      }
      if (!key.open(iv, 0, new byte[0], 0, 0, EXPECTED, 0, 32, opened, 0) || !Arrays.equals(opened, plaintext)) {
        return "open of the known-answer vector failed";
      }
      byte[] tampered = EXPECTED.clone();
      tampered[31] ^= 1;
      if (key.open(iv, 0, new byte[0], 0, 0, tampered, 0, 32, opened, 0)) {
        return "a tampered tag verified";
      }
      return null;
    } catch (RuntimeException e) {
      return e.toString();
    }
  }
}
