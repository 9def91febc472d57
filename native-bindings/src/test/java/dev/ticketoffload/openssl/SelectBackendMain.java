package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.JdkAeadBackend;
import java.util.Arrays;
import java.util.Random;

/** Child-JVM entry point: selects {@code auto} and prints what it chose, then proves the choice works. */
public final class SelectBackendMain {

  private SelectBackendMain() {}

  public static void main(String[] args) throws Exception {
    BackendChoice choice = BackendSelector.select("auto");
    System.out.println("backend=" + choice.backend().name());
    System.out.println("aesNi=" + choice.aesNi());
    System.out.println("version=" + choice.openSslVersion());
    System.out.println("reason=" + choice.reason());
    Random random = new Random(1);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    boolean same = true;
    try (AeadKey chosen = choice.backend().bind(secret); AeadKey reference = new JdkAeadBackend().bind(secret)) {
      for (int size = 0; size < 600; size++) {
        byte[] iv = new byte[12];
        byte[] plaintext = new byte[size];
        random.nextBytes(iv);
        random.nextBytes(plaintext);
        byte[] a = new byte[size + 16];
        byte[] b = new byte[size + 16];
        chosen.seal(iv, 0, iv, 0, 12, plaintext, 0, size, a, 0);
        reference.seal(iv, 0, iv, 0, 12, plaintext, 0, size, b, 0);
        byte[] back = new byte[size];
        same &= Arrays.equals(a, b) && chosen.open(iv, 0, iv, 0, 12, b, 0, b.length, back, 0)
            && Arrays.equals(back, plaintext);
      }
    }
    System.out.println("roundTrip=" + (same ? "ok" : "MISMATCH"));
  }
}
