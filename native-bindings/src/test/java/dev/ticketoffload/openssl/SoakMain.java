package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Child-JVM entry point of the soak test: {@code rotations} keys, each bound, used by two threads
 * for {@code pairsPerThread} seal/open pairs of a 152-byte state, then closed. Prints the RSS after a
 * warm-up tenth of the rotations and at the end, the live context count, and any failure.
 */
public final class SoakMain {

  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    int rotations = Integer.parseInt(args[0]);
    int pairsPerThread = Integer.parseInt(args[1]);
    int threads = 2;
    OpenSslAeadBackend backend = OpenSslAeadBackend.load();
    Random random = new Random(3);
    long pairs = 0;
    long failures = 0;
    long rssAfterWarmUpKiB = 0;
    long maxLiveContexts = 0;
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int r = 0; r < rotations; r++) {
        if (r == rotations / 10) {
          System.gc();
          rssAfterWarmUpKiB = rssKiB();
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        AeadKey key = backend.bind(secret);
        List<Callable<Integer>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          work.add(() -> sealAndOpen(key, pairsPerThread));
        }
        for (Future<Integer> f : pool.invokeAll(work)) {
          failures += f.get();
        }
        maxLiveContexts = Math.max(maxLiveContexts, OpenSslAeadBackend.liveContexts());
        key.close();
        pairs += (long) threads * pairsPerThread;
      }
    }
    System.gc();
    System.out.println("pairs=" + pairs);
    System.out.println("failures=" + failures);
    System.out.println("seconds=" + (System.nanoTime() - start) / 1e9);
    System.out.println("maxLiveContexts=" + maxLiveContexts);
    System.out.println("liveContexts=" + OpenSslAeadBackend.liveContexts());
    System.out.println("rssAfterWarmUpKiB=" + rssAfterWarmUpKiB);
    System.out.println("rssEndKiB=" + rssKiB());
  }

  private static final ThreadLocal<byte[][]> BUFFERS = ThreadLocal.withInitial(() -> new byte[][] {
      new byte[12], new byte[24], new byte[152], new byte[168], new byte[152]});

  private static int sealAndOpen(AeadKey key, int pairs) {
    byte[][] b = BUFFERS.get();
    byte[] iv = b[0];
    byte[] aad = b[1];
    byte[] plaintext = b[2];
    byte[] sealed = b[3];
    byte[] opened = b[4];
    int failures = 0;
    for (int i = 0; i < pairs; i++) {
      iv[i & 7] ^= (byte) (i + 1); // a new IV per pair, cheaply
      plaintext[i % 152] = (byte) i;
      key.seal(iv, 0, aad, 0, 24, plaintext, 0, 152, sealed, 0);
      if (!key.open(iv, 0, aad, 0, 24, sealed, 0, 168, opened, 0) || !Arrays.equals(opened, plaintext)) {
        failures++;
      }
    }
    return failures;
  }

  private static long rssKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
