package dev.ticketoffload.server.testing;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.openssl.BackendChoice;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real AES-GCM backend whose opens (decryptions) wait while the gate is closed: a test holds a
 * worker busy with admitted work, as a slow backend or a huge batch would. Seals are never held.
 */
public final class GatedBackend implements AeadBackend {

  private final AeadBackend real;
  private final String reason;
  private final Object lock = new Object();
  private final AtomicInteger waiting = new AtomicInteger();
  private final Semaphore arrivals = new Semaphore(0);
  private boolean closed;

  public GatedBackend(BackendChoice real) {
    this.real = real.backend();
    this.reason = real.reason();
  }

  public BackendChoice selected() {
    return new BackendChoice(this, "gated " + reason, null, false);
  }

  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  public void open() {
    synchronized (lock) {
      closed = false;
      lock.notifyAll();
    }
  }

  /** Opens waiting at the gate now. */
  public int waiting() {
    return waiting.get();
  }

  /** Waits until an open has arrived at the (closed) gate. */
  public void awaitArrival(Duration timeout) throws InterruptedException {
    if (!arrivals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("no open reached the gate within " + timeout);
    }
  }

  private void pass() {
    synchronized (lock) {
      if (!closed) {
        return;
      }
      waiting.incrementAndGet();
      arrivals.release();
      try {
        while (closed) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting.decrementAndGet();
      }
    }
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public AeadKey bind(byte[] key) {
    AeadKey k = real.bind(key);
    return new AeadKey() {
      @Override
      public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength, byte[] plaintext,
          int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
        return k.seal(iv, ivOffset, aad, aadOffset, aadLength, plaintext, plaintextOffset, plaintextLength, out,
            outOffset);
      }

      @Override
      public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength, byte[] ciphertext,
          int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
        pass();
        return k.open(iv, ivOffset, aad, aadOffset, aadLength, ciphertext, ciphertextOffset, ciphertextLength, out,
            outOffset);
      }

      @Override
      public void sealBatch(AeadBatch batch) {
        k.sealBatch(batch);
      }

      @Override
      public void openBatch(AeadBatch batch) {
        pass();
        k.openBatch(batch);
      }

      @Override
      public void close() {
        k.close();
      }
    };
  }
}
