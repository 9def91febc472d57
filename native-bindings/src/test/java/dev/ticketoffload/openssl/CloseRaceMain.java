package dev.ticketoffload.openssl;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.AeadKey;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM of {@link OpenSslKeyCloseRaceTest}: round after round, two threads open (one by batch,
 * one ticket at a time) and one seals under a key while the main thread closes it at a random moment.
 * Every call must either give the right answer or refuse with an {@link IllegalStateException}; a
 * wrong answer, another exception, or a crash (use after free) fails the run.
 * Prints {@code rounds=}, {@code completed=}, {@code refused=}, {@code wrong=}, {@code liveContexts=}.
 */
public final class CloseRaceMain {

  private static final int ITEMS = 32;
  private static final int PLAINTEXT_BYTES = 152;
  private static final int AAD_BYTES = 24;

  private static final AtomicLong completed = new AtomicLong();
  private static final AtomicLong refused = new AtomicLong();
  private static final AtomicLong wrong = new AtomicLong();
  private static volatile String firstWrong;
  private static AeadKey checker; // the same secret through the JDK's AES-GCM, set before the rounds

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    OpenSslAeadBackend backend = OpenSslAeadBackend.load();
    Random random = new Random(20261202);
    byte[] secret = new byte[32];
    byte[] iv = new byte[12];
    byte[] aad = new byte[AAD_BYTES];
    byte[] plaintext = new byte[PLAINTEXT_BYTES];
    random.nextBytes(secret);
    random.nextBytes(iv);
    random.nextBytes(aad);
    random.nextBytes(plaintext);
    checker = new dev.ticketoffload.core.aead.JdkAeadBackend().bind(secret);
    byte[] sealed = new byte[PLAINTEXT_BYTES + 16];
    try (AeadKey reference = backend.bind(secret)) {
      reference.seal(iv, 0, aad, 0, AAD_BYTES, plaintext, 0, PLAINTEXT_BYTES, sealed, 0);
    }
    for (int round = 0; round < rounds; round++) {
      AeadKey key = backend.bind(secret);
      CountDownLatch started = new CountDownLatch(3);
      Thread[] threads = {
          new Thread(() -> openBatches(key, iv, aad, sealed, plaintext, started)),
          new Thread(() -> openOneByOne(key, iv, aad, sealed, plaintext, started)),
          new Thread(() -> seal(key, aad, plaintext, started)),
      };
      for (Thread t : threads) {
        t.start();
      }
      started.await();
      LockSupport.parkNanos(random.nextInt(200_000)); // close at a random point of the calls
      key.close();
      for (Thread t : threads) {
        t.join();
      }
    }
    System.out.println("rounds=" + rounds);
    System.out.println("completed=" + completed.get());
    System.out.println("refused=" + refused.get());
    System.out.println("wrong=" + wrong.get());
    System.out.println("firstWrong=" + firstWrong);
    System.out.println("liveContexts=" + OpenSslAeadBackend.liveContexts());
  }

  private static void openBatches(AeadKey key, byte[] iv, byte[] aad, byte[] sealed, byte[] plaintext,
      CountDownLatch started) {
    AeadBatch batch = new AeadBatch(ITEMS);
    byte[] out = new byte[ITEMS * PLAINTEXT_BYTES];
    started.countDown();
    while (true) {
      Arrays.fill(out, (byte) 0x5a);
      batch.clear();
      for (int i = 0; i < ITEMS; i++) {
        batch.add(iv, 0, aad, 0, AAD_BYTES, sealed, 0, sealed.length, out, i * PLAINTEXT_BYTES);
      }
      try {
        key.openBatch(batch);
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        wrong("openBatch threw " + e);
        return;
      }
      for (int i = 0; i < ITEMS; i++) {
        if (batch.result(i) != PLAINTEXT_BYTES
            || !Arrays.equals(out, i * PLAINTEXT_BYTES, (i + 1) * PLAINTEXT_BYTES, plaintext, 0, PLAINTEXT_BYTES)) {
          wrong("openBatch item " + i + " gave result " + batch.result(i));
          return;
        }
      }
      completed.incrementAndGet();
    }
  }

  private static void openOneByOne(AeadKey key, byte[] iv, byte[] aad, byte[] sealed, byte[] plaintext,
      CountDownLatch started) {
    byte[] out = new byte[PLAINTEXT_BYTES];
    started.countDown();
    while (true) {
      boolean verified;
      try {
        verified = key.open(iv, 0, aad, 0, AAD_BYTES, sealed, 0, sealed.length, out, 0);
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        wrong("open threw " + e);
        return;
      }
      if (!verified || !Arrays.equals(out, plaintext)) {
        wrong("open gave verified=" + verified);
        return;
      }
      completed.incrementAndGet();
    }
  }

  private static void seal(AeadKey key, byte[] aad, byte[] plaintext, CountDownLatch started) {
    byte[] iv = new byte[12];
    byte[] out = new byte[PLAINTEXT_BYTES + 16];
    byte[] back = new byte[PLAINTEXT_BYTES];
    long counter = 0;
    started.countDown();
    while (true) {
      java.nio.ByteBuffer.wrap(iv).putLong(4, ++counter);
      try {
        key.seal(iv, 0, aad, 0, AAD_BYTES, plaintext, 0, PLAINTEXT_BYTES, out, 0);
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        wrong("seal threw " + e);
        return;
      }
      // Check the ticket with an independent key: a seal with freed state must not pass unnoticed.
      if (!checker.open(iv, 0, aad, 0, AAD_BYTES, out, 0, out.length, back, 0) || !Arrays.equals(back, plaintext)) {
        wrong("seal produced a ticket that does not open");
        return;
      }
      completed.incrementAndGet();
    }
  }

  private static void wrong(String what) {
    if (wrong.getAndIncrement() == 0) {
      firstWrong = what;
    }
  }
}
