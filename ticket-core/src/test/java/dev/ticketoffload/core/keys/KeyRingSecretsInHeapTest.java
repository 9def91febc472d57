package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a key ring leaves no copy of a secret behind, neither its base64 text (as a string or in a
 * parser buffer) nor, once the ring is destroyed, its bytes. Checked in a dump of the whole heap,
 * unreachable objects included (garbage not yet collected is still memory). The needles are kept
 * masked, so that this test's own copies cannot be what the search finds.
 */
class KeyRingSecretsInHeapTest {

  private static final byte MASK = 0x5a;

  @TempDir
  Path dir;

  @Test
  void load_thenDestroy_noBase64TextNorSecretBytesAnywhereInTheHeap() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    byte[] base64 = Base64.getEncoder().encode(secret);
    byte[] maskedSecret = masked(secret);
    byte[] maskedBase64 = masked(base64);
    byte[] maskedBase64Utf16 = maskedUtf16(maskedBase64);
    Path file = dir.resolve("keyring.json");
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var out = Files.newOutputStream(file)) {
      out.write(ascii("{\"version\": 1, \"realms\": [{\"name\": \"default\", \"masters\": [{\"id\": 1, "
          + "\"state\": \"primary\", \"created_at\": \"2026-11-26T21:00:00Z\", \"secret\": \""));
      out.write(base64);
      out.write(ascii("\"}]}]}"));
    }
    Arrays.fill(secret, (byte) 0);
    Arrays.fill(base64, (byte) 0);

    KeyRing ring = KeyRingFile.load(file);
    assertThat(ring.realm("default").masters()).hasSize(1);
    ring.destroy();

    Path dump = dir.resolve("heap.hprof");
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), false);
    try {
      assertThat(contains(dump, maskedBase64)).as("base64 of the secret, as bytes (a String, the file)").isFalse();
      assertThat(contains(dump, maskedBase64Utf16)).as("base64 of the secret, as chars (a parser buffer)").isFalse();
      assertThat(contains(dump, maskedSecret)).as("the secret's bytes after destroy").isFalse();
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The UTF-16 form of masked ASCII, masked (never unmasked on the way). */
  private static byte[] maskedUtf16(byte[] maskedAscii) {
    byte[] out = new byte[maskedAscii.length * 2];
    for (int i = 0; i < maskedAscii.length; i++) {
      out[2 * i] = MASK; // HPROF writes a char as two bytes, big-endian: 0, then the ASCII byte
      out[2 * i + 1] = maskedAscii[i];
    }
    return out;
  }

  private static byte[] masked(byte[] b) {
    byte[] m = b.clone();
    for (int i = 0; i < m.length; i++) {
      m[i] ^= MASK;
    }
    return m;
  }

  /** Whether the file holds the unmasked needle; reads in chunks that overlap by the needle's length. */
  private static boolean contains(Path file, byte[] maskedNeedle) throws IOException {
    int n = maskedNeedle.length;
    byte first = (byte) (maskedNeedle[0] ^ MASK);
    byte[] buffer = new byte[1 << 20];
    int kept = 0;
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        int read = in.readNBytes(buffer, kept, buffer.length - kept);
        int length = kept + read;
        outer:
        for (int i = 0; i + n <= length; i++) {
          if (buffer[i] != first) {
            continue;
          }
          for (int j = 1; j < n; j++) {
            if ((buffer[i + j] ^ MASK) != maskedNeedle[j]) {
              continue outer;
            }
          }
          return true;
        }
        if (read == 0) {
          return false;
        }
        kept = Math.min(n - 1, length);
        System.arraycopy(buffer, length - kept, buffer, 0, kept);
      }
    }
  }
}
