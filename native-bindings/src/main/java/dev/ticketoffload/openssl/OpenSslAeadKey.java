package dev.ticketoffload.openssl;

import static dev.ticketoffload.core.aead.AeadBackend.KEY_SIZE_IN_BYTES;
import static dev.ticketoffload.core.aead.AeadBackend.TAG_SIZE_IN_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.KeyClosedException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One AES-256-GCM key in libcrypto. Owns, through one shared {@link Arena}, a native copy of the key
 * (so that threads arriving later can key their context) and every thread's {@link GcmContext}.
 *
 * <p>{@link #close()} may race with calls on other threads and never frees memory under one: each
 * call runs between {@link GcmContext#enter()} and {@link GcmContext#leave()} on its own thread's
 * context (one uncontended compare-and-set, on a line no other thread writes); close frees every
 * context that is idle, a context inside a call is freed by its thread as the call returns, and the
 * arena (the scratch memory) is closed with the last context. A call that finds the key closed
 * throws {@link KeyClosedException} before it touches native memory.
 *
 * <p>Contexts are per thread: use keys from a bounded pool of platform threads (as the server's
 * executor is). Each virtual thread would get its own context, kept until the key closes.
 */
final class OpenSslAeadKey implements AeadKey {

  private static final AtomicLong LIVE_CONTEXTS = new AtomicLong();

  private final AesGcmProvider gcm;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment key;
  private final List<GcmContext> contexts = new ArrayList<>(); // guarded by this
  private int unfreed; // contexts not freed yet; guarded by this
  private final ThreadLocal<GcmContext> perThread = ThreadLocal.withInitial(this::newContext);
  private volatile boolean closed;

  OpenSslAeadKey(AesGcmProvider gcm, byte[] key) {
    if (key.length != KEY_SIZE_IN_BYTES) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length + " bytes");
    }
    this.gcm = gcm;
    this.key = arena.allocate(KEY_SIZE_IN_BYTES);
    MemorySegment.copy(key, 0, this.key, JAVA_BYTE, 0, KEY_SIZE_IN_BYTES);
  }

  static long liveContexts() {
    return LIVE_CONTEXTS.get();
  }

  @SuppressWarnings("restricted") // reinterpret: a view of memory this key's arena owns
  private synchronized GcmContext newContext() {
    if (closed) {
      throw closedException();
    }
    MemorySegment scratch = arena.allocate(GcmContext.SCRATCH_SIZE_IN_BYTES, GcmContext.SCRATCH_ALIGNMENT_IN_BYTES);
    // The hot path uses an unscoped view: a downcall on a segment of a shared arena acquires and
    // releases the arena around every call, an atomic update on a line all threads of this key share.
    // The arena still frees the memory, and only once every context was freed (see the class comment).
    MemorySegment unscoped = MemorySegment.ofAddress(scratch.address()).reinterpret(scratch.byteSize());
    GcmContext context = GcmContext.create(gcm, key, unscoped);
    contexts.add(context);
    unfreed++;
    LIVE_CONTEXTS.incrementAndGet();
    return context;
  }

  /** This thread's context, inside a call: pair with {@link #leave}. */
  private GcmContext enter() {
    if (closed) {
      throw closedException(); // before the thread-local lookup, which would create a context
    }
    GcmContext context = perThread.get();
    if (!context.enter()) {
      throw closedException(); // freed by close()
    }
    if (closed) { // close() began after our check; it may have skipped our context as busy
      leave(context);
      throw closedException();
    }
    return context;
  }

  private void leave(GcmContext context) {
    context.leave();
    if (closed) {
      freed(context.freeIfIdle()); // close() saw us inside the call and left the freeing to us
    }
  }

  private static KeyClosedException closedException() {
    return new KeyClosedException("AES-256-GCM key");
  }

  @Override
  public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
    GcmContext context = enter();
    try {
      return context.seal(iv, ivOffset, aad, aadOffset, aadLength, plaintext, plaintextOffset, plaintextLength, out, outOffset);
    } finally {
      leave(context);
    }
  }

  @Override
  public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
    GcmContext context = enter();
    try {
      return context.open(iv, ivOffset, aad, aadOffset, aadLength, ciphertext, ciphertextOffset, ciphertextLength, out, outOffset);
    } finally {
      leave(context);
    }
  }

  @Override
  public void sealBatch(AeadBatch batch) {
    GcmContext context = enter(); // once for the whole batch
    try {
      for (int i = 0; i < batch.size(); i++) {
        batch.setResult(i, context.seal(batch.iv(i), batch.ivOffset(i), batch.aad(i), batch.aadOffset(i),
            batch.aadLength(i), batch.input(i), batch.inputOffset(i), batch.inputLength(i),
            batch.output(i), batch.outputOffset(i)));
      }
    } finally {
      leave(context);
    }
  }

  @Override
  public void openBatch(AeadBatch batch) {
    GcmContext context = enter();
    try {
      for (int i = 0; i < batch.size(); i++) {
        boolean verified = context.open(batch.iv(i), batch.ivOffset(i), batch.aad(i), batch.aadOffset(i),
            batch.aadLength(i), batch.input(i), batch.inputOffset(i), batch.inputLength(i),
            batch.output(i), batch.outputOffset(i));
        batch.setResult(i, verified ? batch.inputLength(i) - TAG_SIZE_IN_BYTES : -1);
      }
    } finally {
      leave(context);
    }
  }

  /**
   * Wipes the native key copy and frees every thread's context, each as soon as its thread is not
   * inside a call; calls from now on throw {@link KeyClosedException}. Safe to call while other
   * threads use the key.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    key.fill((byte) 0); // only newContext reads it, under this lock, and it now refuses
    if (unfreed == 0) {
      arena.close();
      return;
    }
    for (GcmContext context : contexts) {
      freed(context.freeIfIdle()); // the last one closes the arena
    }
    contexts.clear();
  }

  /** Counts a context freed; the last one of a closed key closes the arena. */
  private synchronized void freed(boolean didFree) {
    if (!didFree) {
      return;
    }
    LIVE_CONTEXTS.decrementAndGet();
    if (--unfreed == 0 && closed) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "OpenSslAeadKey";
  }
}
